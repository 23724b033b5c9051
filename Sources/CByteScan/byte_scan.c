// Teddy-style multi-literal search, newline counting and memrchr for the scanner (ByteSearch.swift).
//
// The filter (after Hyperscan's Teddy and ripgrep's aho-corasick crate): every literal is
// represented by a fingerprint of up to 4 of its bytes, at the offset where its bytes are rarest in
// logs; fingerprints are spread over buckets (8 per group, up to 4 groups) so that each bucket's
// nibble masks let through as little text as possible. For each position of a 32-byte (AVX2) or
// 16-byte (SSSE3) block, two byte shuffles per fingerprint byte and group look up the buckets whose
// fingerprints may start there; only those positions are verified, first on the fingerprint, then
// on the whole literal. ASCII case is folded by entering both cases of each letter in the masks and
// by comparing with the 0x20 bit set. A scalar loop over per-byte tables serves CPUs without SSSE3,
// the tail of each buffer, and the tests (which compare all levels).
#define _GNU_SOURCE
#include "byte_scan.h"

#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#define ACR_X86 1
#include <cpuid.h>
#include <immintrin.h>
#endif

enum { FP_LEN = 4, MAX_GROUPS = 4, MAX_BUCKETS = MAX_GROUPS * 8 };

/// How often each byte occurs in logs, in parts per 65,536 (at least 1): the real-world lines of
/// Tests/ScannerTests/RealWorld and generated fleet logs, weighted equally. Guides the choice of
/// fingerprints and buckets only; any table gives correct results.
static const uint16_t byte_frequency[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 340, 1, 1, 340, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    5609, 1, 1462, 52, 1, 19, 6, 132, 23, 24, 135, 26, 200, 1039, 1176, 851,
    1727, 2045, 1877, 912, 833, 904, 891, 677, 595, 748, 1823, 1, 63, 522, 66, 10,
    1, 189, 16, 172, 169, 204, 62, 72, 24, 173, 2, 16, 105, 33, 129, 104,
    160, 1, 197, 157, 419, 117, 14, 18, 1, 37, 232, 150, 131, 194, 1, 72,
    3, 2670, 658, 1791, 1742, 4797, 823, 873, 712, 2428, 40, 427, 1357, 1195, 2325, 3091,
    1064, 91, 2987, 2032, 2871, 1339, 439, 291, 164, 396, 309, 59, 1, 61, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

static inline uint8_t fold(uint8_t c) { return (uint8_t)(c - 0x41) < 26 ? (c | 0x20) : c; }
static inline int is_lower(uint8_t c) { return (uint8_t)(c - 0x61) < 26; }

/// One distinct fingerprint: `length` folded bytes, compared as `(text | fold) & care == value`.
typedef struct {
    uint32_t value, fold, care;
    uint32_t length;
    uint32_t first, count;  // its literals: refs[first ..< first + count]
} fingerprint;

/// A literal whose fingerprint starts `offset` bytes into it.
typedef struct {
    uint32_t literal, offset;
} reference;

struct acr_teddy {
    uint32_t count;       // literals
    uint32_t groups;      // groups of 8 buckets
    uint32_t max_offset;  // the largest fingerprint offset
    /// [group][fingerprint byte][low nibble, high nibble][nibble value]: the buckets let through.
    uint8_t masks[MAX_GROUPS][FP_LEN][2][16];
    /// The buckets per byte value, exactly, for the scalar loop.
    uint8_t table[MAX_GROUPS][FP_LEN][256];
    /// The same by the byte's low 7 bits (`table[c] | table[c | 0x80]`), for AVX-512 VBMI's
    /// 128-entry byte permutes.
    uint8_t table7[MAX_GROUPS][FP_LEN][128];
    /// The fingerprints of bucket b: fps[bucket_first[b] ..< bucket_first[b + 1]].
    uint32_t bucket_first[MAX_BUCKETS + 1];
    fingerprint *fps;
    reference *refs;
    uint32_t *start, *length;  // of each literal in `folded`
    uint8_t *folded;
    uint8_t *case_bits;  // 0x20 where `folded` holds a letter: a text byte matches when (byte | bit) == folded
};

// MARK: - Building

/// The share of text bytes (0...1) that pass position sets `lo`/`hi` (bit n: nibble n allowed).
static double pass_rate(uint16_t lo, uint16_t hi) {
    double sum = 0;
    for (int b = 0; b < 256; b++)
        if ((lo >> (b & 15)) & (hi >> (b >> 4)) & 1) sum += byte_frequency[b];
    return sum > 65536 ? 1 : sum / 65536;
}

/// The nibble sets that a bucket holding folded fingerprint byte `c` must allow, added to `lo`/`hi`.
static void allow(uint16_t *lo, uint16_t *hi, uint8_t c) {
    *lo |= (uint16_t)(1u << (c & 15));
    *hi |= (uint16_t)(1u << (c >> 4));
    if (is_lower(c)) *hi |= (uint16_t)(1u << ((c & ~0x20) >> 4));
}

static double bucket_rate(const uint16_t lo[FP_LEN], const uint16_t hi[FP_LEN]) {
    double rate = 1;
    for (int j = 0; j < FP_LEN; j++) rate *= pass_rate(lo[j], hi[j]);
    return rate;
}

void acr_teddy_free(acr_teddy *t) {
    if (!t) return;
    free(t->fps);
    free(t->refs);
    free(t->start);
    free(t->length);
    free(t->folded);
    free(t->case_bits);
    free(t);
}

/// A window of FP_LEN folded bytes of a literal, for counting how many literals share it.
typedef struct {
    uint32_t key, literal;
} shared_window;

static int compare_windows(const void *a, const void *b) {
    const shared_window *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return x->literal < y->literal ? -1 : x->literal > y->literal;
}

/// How many distinct literals hold the FP_LEN bytes at `window` (sorted `shared`, binary search).
static uint32_t sharing(const shared_window *shared, size_t windows, const uint8_t *window) {
    uint32_t key;
    memcpy(&key, window, FP_LEN);
    size_t lo = 0, hi = windows;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (shared[mid].key < key) lo = mid + 1; else hi = mid;
    }
    uint32_t n = 0;
    for (size_t i = lo; i < windows && shared[i].key == key; i++)
        if (i == lo || shared[i].literal != shared[i - 1].literal) n++;
    return n ? n : 1;
}

acr_teddy *acr_teddy_build(const uint8_t *bytes, const uint32_t *lengths, size_t count) {
    acr_teddy *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    size_t total = 0;
    for (size_t i = 0; i < count; i++) total += lengths[i];
    t->count = (uint32_t)count;
    t->folded = malloc(total + 1);
    t->case_bits = malloc(total + 1);
    t->start = malloc((count + 1) * sizeof(uint32_t));
    t->length = malloc((count + 1) * sizeof(uint32_t));
    // Per literal: its fingerprint's offset and length, and the distinct fingerprint it maps to.
    uint32_t *offset = malloc((count + 1) * sizeof(uint32_t));
    uint32_t *which = malloc((count + 1) * sizeof(uint32_t));
    fingerprint *fps = calloc(count + 1, sizeof(fingerprint));
    uint32_t *bucket = malloc((count + 1) * sizeof(uint32_t));
    uint32_t *order = malloc((count + 1) * sizeof(uint32_t));
    double *rate = malloc((count + 1) * sizeof(double));
    shared_window *shared = NULL;
    if (!t->folded || !t->case_bits || !t->start || !t->length || !offset || !which || !fps || !bucket || !order || !rate) goto fail;

    size_t at = 0, distinct = 0;
    for (size_t i = 0; i < total; i++) {
        t->folded[i] = fold(bytes[i]);
        t->case_bits[i] = is_lower(t->folded[i]) ? 0x20 : 0;
    }
    // Every window of FP_LEN bytes of every literal, sorted, to count the literals that share one.
    size_t windows = 0;
    for (size_t i = 0; i < count; i++) windows += lengths[i] >= FP_LEN ? lengths[i] - FP_LEN + 1 : 0;
    shared = malloc((windows + 1) * sizeof(shared_window));
    if (!shared) goto fail;
    windows = 0;
    for (size_t i = 0, a = 0; i < count; a += lengths[i], i++)
        for (uint32_t k = 0; k + FP_LEN <= lengths[i]; k++) {
            uint32_t key;
            memcpy(&key, t->folded + a + k, FP_LEN);
            shared[windows++] = (shared_window){key, (uint32_t)i};
        }
    qsort(shared, windows, sizeof(shared_window), compare_windows);
    for (size_t i = 0; i < count; i++) {
        uint32_t n = lengths[i];
        t->start[i] = (uint32_t)at;
        t->length[i] = n;
        const uint8_t *lit = t->folded + at;
        at += n;
        // The window of up to FP_LEN bytes with the lowest pass rate (both cases of a letter
        // count) per literal that holds it: a window that many literals share becomes one
        // fingerprint, so fewer buckets and groups are needed (`status code 401`, `http 401`, …
        // share ` 401`). The square of the share measured best (docs/performance.md).
        uint32_t flen = n < FP_LEN ? n : FP_LEN, best = 0;
        double best_score = 1e300, best_rate = 2;
        for (uint32_t k = 0; k + flen <= n; k++) {
            double r = 1;
            int letters = 0;
            for (uint32_t j = 0; j < flen; j++) {
                uint8_t c = lit[k + j];
                letters += is_lower(c);
                r *= (byte_frequency[c] + (is_lower(c) ? byte_frequency[c & ~0x20] : 0)) / 65536.0;
            }
            // Byte frequencies miss words: four letters in a row are often part of a common one
            // (`dock`, `pull`, `logi`), a window across a space, digit or punctuation seldom is.
            if (flen == FP_LEN && letters == FP_LEN) r *= 256;
            double share = flen == FP_LEN ? (double)sharing(shared, windows, lit + k) : 1;
            double score = r / (share * share);
            if (score < best_score) { best_score = score; best_rate = r; best = k; }
        }
        offset[i] = best;
        if (best > t->max_offset) t->max_offset = best;
        fingerprint f = {0};
        f.length = flen;
        for (uint32_t j = 0; j < flen; j++) {
            uint8_t c = lit[best + j];
            f.value |= (uint32_t)c << (8 * j);
            f.care |= 0xFFu << (8 * j);
            if (is_lower(c)) f.fold |= 0x20u << (8 * j);
        }
        size_t d = 0;
        while (d < distinct && !(fps[d].value == f.value && fps[d].length == f.length)) d++;
        if (d == distinct) { fps[distinct] = f; rate[distinct] = best_rate; distinct++; }
        fps[d].count++;
        which[i] = (uint32_t)d;
    }

    // Buckets: as many groups as the fingerprints need (about 3 per bucket, which measured best on
    // the benchmark corpus), the commonest fingerprints placed first, each where it raises its
    // bucket's pass rate least.
    uint32_t groups = (uint32_t)((distinct + 23) / 24);
    t->groups = groups < 1 ? 1 : groups > MAX_GROUPS ? MAX_GROUPS : groups;
    uint32_t buckets = t->groups * 8;
    for (size_t d = 0; d < distinct; d++) order[d] = (uint32_t)d;
    for (size_t a = 1; a < distinct; a++) {  // insertion sort, by rate descending
        uint32_t x = order[a];
        size_t b = a;
        while (b > 0 && rate[order[b - 1]] < rate[x]) { order[b] = order[b - 1]; b--; }
        order[b] = x;
    }
    uint16_t lo[MAX_BUCKETS][FP_LEN], hi[MAX_BUCKETS][FP_LEN];
    uint32_t members[MAX_BUCKETS] = {0};
    double current[MAX_BUCKETS] = {0};
    memset(lo, 0, sizeof lo);
    memset(hi, 0, sizeof hi);
    for (size_t o = 0; o < distinct; o++) {
        const fingerprint *f = &fps[order[o]];
        uint32_t chosen = 0;
        double least = 3;
        for (uint32_t b = 0; b < buckets; b++) {
            uint16_t l[FP_LEN], h[FP_LEN];
            for (int j = 0; j < FP_LEN; j++) {
                l[j] = lo[b][j];
                h[j] = hi[b][j];
                if ((uint32_t)j < f->length) allow(&l[j], &h[j], (uint8_t)(f->value >> (8 * j)));
                else { l[j] = 0xFFFF; h[j] = 0xFFFF; }
            }
            double cost = (members[b] ? bucket_rate(l, h) - current[b] : bucket_rate(l, h)) + 1e-9 * members[b];
            if (cost < least) { least = cost; chosen = b; }
        }
        for (int j = 0; j < FP_LEN; j++) {
            if ((uint32_t)j < f->length) allow(&lo[chosen][j], &hi[chosen][j], (uint8_t)(f->value >> (8 * j)));
            else { lo[chosen][j] = 0xFFFF; hi[chosen][j] = 0xFFFF; }
        }
        current[chosen] = bucket_rate(lo[chosen], hi[chosen]);
        members[chosen]++;
        bucket[order[o]] = chosen;
    }
    for (uint32_t b = 0; b < buckets; b++)
        for (int j = 0; j < FP_LEN; j++)
            for (int n = 0; n < 16; n++) {
                if ((lo[b][j] >> n) & 1) t->masks[b / 8][j][0][n] |= (uint8_t)(1u << (b % 8));
                if ((hi[b][j] >> n) & 1) t->masks[b / 8][j][1][n] |= (uint8_t)(1u << (b % 8));
            }
    // The exact tables (no nibble aliasing): the buckets whose fingerprints have byte c at j.
    for (size_t d = 0; d < distinct; d++) {
        uint32_t g = bucket[d] / 8;
        uint8_t bit = (uint8_t)(1u << (bucket[d] % 8));
        for (uint32_t j = 0; j < FP_LEN; j++) {
            if (j >= fps[d].length) {
                for (int c = 0; c < 256; c++) t->table[g][j][c] |= bit;
                continue;
            }
            uint8_t c = (uint8_t)(fps[d].value >> (8 * j));
            t->table[g][j][c] |= bit;
            if (is_lower(c)) t->table[g][j][c & ~0x20] |= bit;
        }
    }
    for (uint32_t g = 0; g < t->groups; g++)
        for (int j = 0; j < FP_LEN; j++)
            for (int c = 0; c < 128; c++) t->table7[g][j][c] = t->table[g][j][c] | t->table[g][j][c | 0x80];

    // Fingerprints ordered by bucket, each followed by its literals (in index order).
    t->fps = malloc((distinct + 1) * sizeof(fingerprint));
    t->refs = malloc((count + 1) * sizeof(reference));
    if (!t->fps || !t->refs) goto fail;
    uint32_t *slot = order;  // reused: the new index of each distinct fingerprint
    size_t placed = 0, refs = 0;
    for (uint32_t b = 0; b <= buckets; b++) {
        t->bucket_first[b] = (uint32_t)placed;
        if (b == buckets) break;
        for (size_t d = 0; d < distinct; d++) {
            if (bucket[d] != b) continue;
            fingerprint f = fps[d];
            f.first = (uint32_t)refs;
            f.count = 0;
            for (size_t i = 0; i < count; i++)
                if (which[i] == d) { t->refs[refs++] = (reference){(uint32_t)i, offset[i]}; f.count++; }
            slot[d] = (uint32_t)placed;
            t->fps[placed++] = f;
        }
    }
    for (uint32_t b = buckets; b <= MAX_BUCKETS; b++) t->bucket_first[b] = (uint32_t)placed;
    free(offset); free(which); free(fps); free(bucket); free(order); free(rate); free(shared);
    return t;
fail:
    free(offset); free(which); free(fps); free(bucket); free(order); free(rate); free(shared);
    acr_teddy_free(t);
    return NULL;
}

// MARK: - Verifying

/// What a search has found so far.
typedef struct {
    long best;            // first mode: the earliest literal start found, or -1
    uint32_t literal;     // and its lowest literal index
    uint64_t *words;      // presence mode: the literals found
    acr_hit *hits;        // hits mode: every occurrence, `count` of `capacity` used
    size_t count, capacity;
    size_t min_start;     // literals that begin before this are not reported
    size_t checked;       // hits mode: the last position checked for room, plus 1
    long stop;            // hits mode: the position where the hits ran out of room, or -1
} found_state;

static inline int literal_at(const acr_teddy *t, uint32_t literal, const uint8_t *buffer, size_t length, size_t start) {
    uint32_t n = t->length[literal];
    if (start + n > length) return 0;
    const uint8_t *lit = t->folded + t->start[literal], *case_bits = t->case_bits + t->start[literal];
    const uint8_t *text = buffer + start;
    if (n < 8) {
        for (uint32_t j = 0; j < n; j++)
            if ((text[j] | case_bits[j]) != lit[j]) return 0;
        return 1;
    }
    // 8 bytes a step, the last step overlapping: (text | 0x20 on the literal's letters) == literal.
    for (uint32_t j = 0;; j += 8) {
        if (j + 8 > n) j = n - 8;
        uint64_t a, c, l;
        memcpy(&a, text + j, 8);
        memcpy(&c, case_bits + j, 8);
        memcpy(&l, lit + j, 8);
        if ((a | c) != l) return 0;
        if (j + 8 == n) return 1;
    }
}

/// Verifies the buckets `bits` of group `group` at fingerprint position `p`.
static void verify(const acr_teddy *t, const uint8_t *buffer, size_t length, size_t from, size_t p, uint32_t group, uint32_t bits,
                   found_state *state) {
    (void)from;
    if (state->hits) {
        // Room for every literal that may begin at `p`, checked once per position: a full array
        // stops the search before `p`, and the caller resumes there.
        if (state->stop >= 0) return;
        if (state->checked != p + 1) {
            if (state->count + t->count > state->capacity) { state->stop = (long)p; return; }
            state->checked = p + 1;
        }
    }
    uint32_t text = 0;
    if (p + 4 <= length) memcpy(&text, buffer + p, 4);
    else for (size_t j = 0; p + j < length; j++) text |= (uint32_t)buffer[p + j] << (8 * j);
    while (bits) {
        uint32_t b = group * 8 + (uint32_t)__builtin_ctz(bits);
        bits &= bits - 1;
        for (uint32_t f = t->bucket_first[b]; f < t->bucket_first[b + 1]; f++) {
            const fingerprint *fp = &t->fps[f];
            if (((text | fp->fold) & fp->care) != fp->value || p + fp->length > length) continue;
            for (uint32_t r = fp->first; r < fp->first + fp->count; r++) {
                const reference *ref = &t->refs[r];
                if (p < state->min_start + ref->offset) continue;  // the literal would begin before `min_start`
                size_t start = p - ref->offset;
                if (state->hits) {
                    if (literal_at(t, ref->literal, buffer, length, start))
                        state->hits[state->count++] = (acr_hit){(uint64_t)start, ref->literal};
                } else if (state->words) {
                    if (!((state->words[ref->literal >> 6] >> (ref->literal & 63)) & 1) && literal_at(t, ref->literal, buffer, length, start))
                        state->words[ref->literal >> 6] |= 1ull << (ref->literal & 63);
                } else if ((state->best < 0 || (long)start <= state->best) && literal_at(t, ref->literal, buffer, length, start)) {
                    if (state->best < 0 || (long)start < state->best || ref->literal < state->literal) state->literal = ref->literal;
                    state->best = (long)start;
                }
            }
        }
    }
}

/// Whether a first-mode search may stop before fingerprint position `next`: no literal that begins
/// before the best start found can have its fingerprint there or later.
static inline int settled(const acr_teddy *t, const found_state *state, size_t next) {
    if (state->hits) return state->stop >= 0;
    return !state->words && state->best >= 0 && (size_t)state->best + t->max_offset < next;
}

// MARK: - Filtering

/// Positions `i ..< length`, one byte at a time.
static void scan_scalar(const acr_teddy *t, const uint8_t *buffer, size_t length, size_t from, size_t i, found_state *state) {
    for (; i < length; i++) {
        if (settled(t, state, i)) return;
        uint8_t c[FP_LEN];
        for (int j = 0; j < FP_LEN; j++) c[j] = i + j < length ? buffer[i + j] : 0;
        for (uint32_t g = 0; g < t->groups; g++) {
            uint32_t bits = t->table[g][0][c[0]] & t->table[g][1][c[1]] & t->table[g][2][c[2]] & t->table[g][3][c[3]];
            if (bits) verify(t, buffer, length, from, i, g, bits, state);
        }
    }
}

#ifdef ACR_X86
__attribute__((target("ssse3")))
static void scan_ssse3(const acr_teddy *t, const uint8_t *buffer, size_t length, size_t from, size_t i, found_state *state) {
    enum { W = 16 };
    __m128i lo[MAX_GROUPS][FP_LEN], hi[MAX_GROUPS][FP_LEN];
    for (uint32_t g = 0; g < t->groups; g++)
        for (int j = 0; j < FP_LEN; j++) {
            lo[g][j] = _mm_loadu_si128((const __m128i *)t->masks[g][j][0]);
            hi[g][j] = _mm_loadu_si128((const __m128i *)t->masks[g][j][1]);
        }
    const __m128i nibble = _mm_set1_epi8(0x0F), zero = _mm_setzero_si128();
    while (i + W + FP_LEN - 1 <= length) {
        __m128i l[FP_LEN], h[FP_LEN];
        for (int j = 0; j < FP_LEN; j++) {
            __m128i v = _mm_loadu_si128((const __m128i *)(buffer + i + j));
            l[j] = _mm_and_si128(v, nibble);
            h[j] = _mm_and_si128(_mm_srli_epi16(v, 4), nibble);
        }
        __m128i r[MAX_GROUPS];
        uint32_t any = 0;
        for (uint32_t g = 0; g < t->groups; g++) {
            __m128i x = _mm_and_si128(_mm_shuffle_epi8(lo[g][0], l[0]), _mm_shuffle_epi8(hi[g][0], h[0]));
            for (int j = 1; j < FP_LEN; j++)
                x = _mm_and_si128(x, _mm_and_si128(_mm_shuffle_epi8(lo[g][j], l[j]), _mm_shuffle_epi8(hi[g][j], h[j])));
            r[g] = x;
            any |= (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(x, zero)) ^ 0xFFFFu;
        }
        if (any) {
            uint8_t bytes[MAX_GROUPS][W];
            for (uint32_t g = 0; g < t->groups; g++) _mm_storeu_si128((__m128i *)bytes[g], r[g]);
            while (any) {
                uint32_t k = (uint32_t)__builtin_ctz(any);
                any &= any - 1;
                for (uint32_t g = 0; g < t->groups; g++)
                    if (bytes[g][k]) verify(t, buffer, length, from, i + k, g, bytes[g][k], state);
            }
        }
        i += W;
        if (settled(t, state, i)) return;
    }
    scan_scalar(t, buffer, length, from, i, state);
}

__attribute__((target("avx2")))
static void scan_avx2(const acr_teddy *t, const uint8_t *buffer, size_t length, size_t from, found_state *state) {
    enum { W = 32 };
    __m256i lo[MAX_GROUPS][FP_LEN], hi[MAX_GROUPS][FP_LEN];
    for (uint32_t g = 0; g < t->groups; g++)
        for (int j = 0; j < FP_LEN; j++) {
            lo[g][j] = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)t->masks[g][j][0]));
            hi[g][j] = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)t->masks[g][j][1]));
        }
    const __m256i nibble = _mm256_set1_epi8(0x0F), zero = _mm256_setzero_si256();
    // The last positions are filtered in a zero-padded copy of the rest (no scalar tail: candidate
    // lines and short buffers end in one); verification reads the buffer itself, within `length`.
    uint8_t pad[W + FP_LEN];
    size_t i = from;
    while (i < length) {
        const uint8_t *data = buffer + i;
        uint32_t valid = 0xFFFFFFFFu;
        if (i + W + FP_LEN - 1 > length) {
            size_t rest = length - i;
            memset(pad, 0, sizeof pad);
            memcpy(pad, buffer + i, rest < sizeof pad ? rest : sizeof pad);
            data = pad;
            if (rest < W) valid = (1u << rest) - 1;
        }
        __m256i l[FP_LEN], h[FP_LEN];
        for (int j = 0; j < FP_LEN; j++) {
            __m256i v = _mm256_loadu_si256((const __m256i *)(data + j));
            l[j] = _mm256_and_si256(v, nibble);
            h[j] = _mm256_and_si256(_mm256_srli_epi16(v, 4), nibble);
        }
        __m256i r[MAX_GROUPS];
        uint32_t any = 0;
        for (uint32_t g = 0; g < t->groups; g++) {
            __m256i x = _mm256_and_si256(_mm256_shuffle_epi8(lo[g][0], l[0]), _mm256_shuffle_epi8(hi[g][0], h[0]));
            for (int j = 1; j < FP_LEN; j++)
                x = _mm256_and_si256(x, _mm256_and_si256(_mm256_shuffle_epi8(lo[g][j], l[j]), _mm256_shuffle_epi8(hi[g][j], h[j])));
            r[g] = x;
            any |= ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(x, zero));
        }
        any &= valid;
        if (any) {
            uint8_t bytes[MAX_GROUPS][W];
            for (uint32_t g = 0; g < t->groups; g++) _mm256_storeu_si256((__m256i *)bytes[g], r[g]);
            while (any) {
                uint32_t k = (uint32_t)__builtin_ctz(any);
                any &= any - 1;
                for (uint32_t g = 0; g < t->groups; g++)
                    if (bytes[g][k]) verify(t, buffer, length, from, i + k, g, bytes[g][k], state);
            }
        }
        i += W;
        if (settled(t, state, i)) return;
    }
}

/// 64 positions a step: per fingerprint byte and group one 128-entry byte lookup (`vpermi2b`) of
/// the exact bucket table by the text byte's low 7 bits: no nibble aliasing, so fewer positions to
/// verify, and a quarter of the AVX2 loop's lookups per byte.
/// `groups` is a constant in the specialisations below, so that the tables stay in registers.
__attribute__((target("avx512f,avx512bw,avx512vbmi"), always_inline))
static inline void scan_vbmi_groups(const acr_teddy *t, const uint8_t *buffer, size_t length, size_t from, found_state *state,
                                    const uint32_t groups) {
    enum { W = 64 };
    __m512i lo[MAX_GROUPS][FP_LEN], hi[MAX_GROUPS][FP_LEN];
    for (uint32_t g = 0; g < groups; g++)
        for (int j = 0; j < FP_LEN; j++) {
            lo[g][j] = _mm512_loadu_si512((const void *)t->table7[g][j]);
            hi[g][j] = _mm512_loadu_si512((const void *)(t->table7[g][j] + 64));
        }
    size_t i = from;
    while (i < length) {
        uint64_t valid = ~0ull;
        __m512i v[FP_LEN];
        if (i + W + FP_LEN - 1 > length) {
            // The end of the buffer: masked loads read only the bytes before `length` (the others
            // are zero, and a masked-off byte never faults), with no copy into a padded block:
            // most calls on one line (a candidate line's searches) end here.
            size_t rest = length - i;
            if (rest < W) valid = (1ull << rest) - 1;
            for (int j = 0; j < FP_LEN; j++) {
                size_t avail = rest > (size_t)j ? rest - (size_t)j : 0;
                __mmask64 m = avail >= W ? ~0ull : (1ull << avail) - 1;
                v[j] = _mm512_maskz_loadu_epi8(m, (const void *)(buffer + i + j));
            }
        } else {
            for (int j = 0; j < FP_LEN; j++) v[j] = _mm512_loadu_si512((const void *)(buffer + i + j));
        }
        __m512i r[MAX_GROUPS];
        uint64_t any = 0;
        for (uint32_t g = 0; g < groups; g++) {
            __m512i x = _mm512_permutex2var_epi8(lo[g][0], v[0], hi[g][0]);
            for (int j = 1; j < FP_LEN; j++) x = _mm512_and_si512(x, _mm512_permutex2var_epi8(lo[g][j], v[j], hi[g][j]));
            r[g] = x;
            any |= _mm512_test_epi8_mask(x, x);
        }
        any &= valid;
        if (any) {
            uint8_t bytes[MAX_GROUPS][W];
            for (uint32_t g = 0; g < groups; g++) _mm512_storeu_si512((void *)bytes[g], r[g]);
            while (any) {
                uint32_t k = (uint32_t)__builtin_ctzll(any);
                any &= any - 1;
                for (uint32_t g = 0; g < groups; g++)
                    if (bytes[g][k]) verify(t, buffer, length, from, i + k, g, bytes[g][k], state);
            }
        }
        i += W;
        if (settled(t, state, i)) return;
    }
}

__attribute__((target("avx512f,avx512bw,avx512vbmi")))
static void scan_vbmi(const acr_teddy *t, const uint8_t *buffer, size_t length, size_t from, found_state *state) {
    switch (t->groups) {
    case 1: scan_vbmi_groups(t, buffer, length, from, state, 1); break;
    case 2: scan_vbmi_groups(t, buffer, length, from, state, 2); break;
    default: scan_vbmi_groups(t, buffer, length, from, state, t->groups); break;
    }
}
#endif

int acr_simd_best(void) {
#ifdef ACR_X86
    static int level = -1;
    int known = __atomic_load_n(&level, __ATOMIC_RELAXED);
    if (known >= 0) return known;
    unsigned a, b, c, d;
    int best = ACR_SIMD_SCALAR;
    if (__get_cpuid(1, &a, &b, &c, &d)) {
        if (c & bit_SSSE3) best = ACR_SIMD_SSSE3;
        int osxsave = (c & bit_OSXSAVE) != 0, avx = (c & bit_AVX) != 0;
        if (osxsave && avx) {
            unsigned lo, hi;
            __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
            if ((lo & 6) == 6 && __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & bit_AVX2)) {
                best = ACR_SIMD_AVX2;
                // AVX-512 F, BW and VBMI, with the OS saving the mask and upper ZMM state.
                if ((lo & 0xE6) == 0xE6 && (b & bit_AVX512F) && (b & bit_AVX512BW) && (c & bit_AVX512VBMI)) best = ACR_SIMD_AVX512VBMI;
            }
        }
    }
    __atomic_store_n(&level, best, __ATOMIC_RELAXED);
    return best;
#else
    return ACR_SIMD_SCALAR;
#endif
}

static void scan(const acr_teddy *t, int level, const uint8_t *buffer, size_t length, size_t from, found_state *state) {
    if (from >= length) return;
#ifdef ACR_X86
    if (level >= ACR_SIMD_AVX512VBMI) { scan_vbmi(t, buffer, length, from, state); return; }
    if (level >= ACR_SIMD_AVX2) { scan_avx2(t, buffer, length, from, state); return; }
    if (level >= ACR_SIMD_SSSE3) { scan_ssse3(t, buffer, length, from, from, state); return; }
#else
    (void)level;
#endif
    scan_scalar(t, buffer, length, from, from, state);
}

long acr_teddy_first(const acr_teddy *t, int level, const uint8_t *buffer, size_t length, size_t from, uint32_t *literal) {
    found_state state = {.best = -1, .min_start = from, .stop = -1};
    scan(t, level, buffer, length, from, &state);
    if (state.best >= 0 && literal) *literal = state.literal;
    return state.best;
}

void acr_teddy_presence(const acr_teddy *t, int level, const uint8_t *buffer, size_t length, uint64_t *words) {
    found_state state = {.best = -1, .words = words, .stop = -1};
    scan(t, level, buffer, length, 0, &state);
}

size_t acr_teddy_hits(const acr_teddy *t, int level, const uint8_t *buffer, size_t length, size_t from, size_t min_start,
                      acr_hit *hits, size_t capacity, size_t *next) {
    found_state state = {.best = -1, .hits = hits, .capacity = capacity, .min_start = min_start, .stop = -1};
    scan(t, level, buffer, length, from, &state);
    *next = state.stop >= 0 ? (size_t)state.stop : length;
    return state.count;
}

// MARK: - Words on one line

/// Whether the literal at `s ..< s + n` of `buffer[start ..< end]` counts: a literal that begins with
/// a digit only with no digit just before or after it.
static inline int word_counts(const acr_teddy *t, uint32_t literal, const uint8_t *buffer, size_t start, size_t end, size_t s) {
    if ((uint8_t)(t->folded[t->start[literal]] - '0') > 9) return 1;
    size_t e = s + t->length[literal];
    if (s > start && (uint8_t)(buffer[s - 1] - '0') <= 9) return 0;
    if (e < end && (uint8_t)(buffer[e] - '0') <= 9) return 0;
    return 1;
}

/// Whether a counting literal has its fingerprint at `p` (buckets `bits`) in `buffer[start ..< end]`.
static int word_at(const acr_teddy *t, const uint8_t *buffer, size_t start, size_t end, size_t p, uint32_t group, uint32_t bits) {
    uint32_t text = 0;
    if (p + 4 <= end) memcpy(&text, buffer + p, 4);
    else for (size_t j = 0; p + j < end; j++) text |= (uint32_t)buffer[p + j] << (8 * j);
    while (bits) {
        uint32_t b = group * 8 + (uint32_t)__builtin_ctz(bits);
        bits &= bits - 1;
        for (uint32_t f = t->bucket_first[b]; f < t->bucket_first[b + 1]; f++) {
            const fingerprint *fp = &t->fps[f];
            if (((text | fp->fold) & fp->care) != fp->value || p + fp->length > end) continue;
            for (uint32_t r = fp->first; r < fp->first + fp->count; r++) {
                const reference *ref = &t->refs[r];
                if (p < start + ref->offset) continue;
                size_t s = p - ref->offset;
                if (literal_at(t, ref->literal, buffer, end, s) && word_counts(t, ref->literal, buffer, start, end, s)) return 1;
            }
        }
    }
    return 0;
}

#ifdef ACR_X86
/// One group, 64 positions a step, as `scan_vbmi_groups`; the last block reads past `end` when the
/// buffer holds the bytes (`readable`), else through masked loads.
__attribute__((target("avx512f,avx512bw,avx512vbmi")))
static int any_word_vbmi(const acr_teddy *t, const uint8_t *buffer, size_t start, size_t end, size_t readable) {
    enum { W = 64 };
    __m512i lo[FP_LEN], hi[FP_LEN];
    for (int j = 0; j < FP_LEN; j++) {
        lo[j] = _mm512_loadu_si512((const void *)t->table7[0][j]);
        hi[j] = _mm512_loadu_si512((const void *)(t->table7[0][j] + 64));
    }
    for (size_t i = start; i < end; i += W) {
        __m512i v[FP_LEN];
        if (i + W + FP_LEN - 1 <= readable) {
            for (int j = 0; j < FP_LEN; j++) v[j] = _mm512_loadu_si512((const void *)(buffer + i + j));
        } else {
            size_t rest = readable - i;
            for (int j = 0; j < FP_LEN; j++) {
                size_t avail = rest > (size_t)j ? rest - (size_t)j : 0;
                __mmask64 m = avail >= W ? ~0ull : (1ull << avail) - 1;
                v[j] = _mm512_maskz_loadu_epi8(m, (const void *)(buffer + i + j));
            }
        }
        __m512i x = _mm512_permutex2var_epi8(lo[0], v[0], hi[0]);
        for (int j = 1; j < FP_LEN; j++) x = _mm512_and_si512(x, _mm512_permutex2var_epi8(lo[j], v[j], hi[j]));
        uint64_t any = _mm512_test_epi8_mask(x, x);
        if (end - i < W) any &= (1ull << (end - i)) - 1;
        if (!any) continue;
        uint8_t bytes[W];
        _mm512_storeu_si512((void *)bytes, x);
        while (any) {
            uint32_t k = (uint32_t)__builtin_ctzll(any);
            any &= any - 1;
            if (word_at(t, buffer, start, end, i + k, 0, bytes[k])) return 1;
        }
    }
    return 0;
}
#endif

int acr_teddy_any_word(const acr_teddy *t, int level, const uint8_t *buffer, size_t start, size_t end, size_t readable) {
    if (start >= end) return 0;
#ifdef ACR_X86
    if (level >= ACR_SIMD_AVX512VBMI && t->groups == 1) return any_word_vbmi(t, buffer, start, end, readable < end ? end : readable);
#endif
    // Other levels and sets: the first occurrence, again past each number that does not count.
    const uint8_t *line = buffer + start;
    size_t length = end - start, from = 0;
    while (from < length) {
        uint32_t literal = 0;
        long at = acr_teddy_first(t, level, line, length, from, &literal);
        if (at < 0) return 0;
        if (word_counts(t, literal, line, 0, length, (size_t)at)) return 1;
        from = (size_t)at + 1;
    }
    return 0;
}

// MARK: - Form keys

static inline uint64_t form_mix(uint64_t h, uint64_t w) {
    h = (h ^ w) * 0x9E3779B97F4A7C15ull;
    return h ^ (h >> 29);
}

/// Whether any byte of `w` is an ASCII digit (exact: `(b ^ 0x30) < 10` per byte, no borrow
/// between bytes for the bytes that matter).
static inline int has_digit(uint64_t w) {
    uint64_t x = w ^ 0x3030303030303030ull;
    return ((x - 0x0A0A0A0A0A0A0A0Aull) & ~x & 0x8080808080808080ull) != 0;
}

uint64_t acr_form_key(const uint8_t *buffer, size_t length) {
    // The non-digit bytes are gathered into words (8 at a time where a word holds no digit, else
    // byte by byte); word k of them goes to lane k % 4.
    uint64_t lane[4] = {0xCBF29CE484222325ull, 0x84222325CBF29CE4ull, 0x100000001B3ull, 0x9E3779B97F4A7C15ull};
    uint8_t gathered[256 + 8];
    size_t kept = 0, total = 0, i = 0;
    while (i < length) {
        uint64_t w;
        if (i + 8 <= length && (memcpy(&w, buffer + i, 8), !has_digit(w))) {
            memcpy(gathered + kept, &w, 8);
            kept += 8;
            i += 8;
        } else {
            uint8_t c = buffer[i++];
            gathered[kept] = c;
            kept += (uint8_t)(c - '0') > 9;
        }
        if (kept >= 256) {
            for (size_t k = 0; k < 32; k += 4)
                for (int l = 0; l < 4; l++) {
                    uint64_t v;
                    memcpy(&v, gathered + 8 * (k + (size_t)l), 8);
                    lane[l] = form_mix(lane[l], v);
                }
            kept -= 256;
            memmove(gathered, gathered + 256, kept);
            total += 256;
        }
    }
    total += kept;
    size_t words = kept / 8;
    for (size_t k = 0; k < words; k++) {
        uint64_t w;
        memcpy(&w, gathered + 8 * k, 8);
        lane[k % 4] = form_mix(lane[k % 4], w);
    }
    uint64_t tail = 0;
    memcpy(&tail, gathered + 8 * words, kept - 8 * words);
    uint64_t h = form_mix(lane[0] ^ (lane[1] * 31) ^ (lane[2] * 1031) ^ (lane[3] * 65537), tail);
    return form_mix(h, (uint64_t)total);
}

// MARK: - Newlines

#ifdef ACR_X86
__attribute__((target("avx2")))
static size_t count_avx2(const uint8_t *buffer, size_t length, size_t *done) {
    const __m256i newline = _mm256_set1_epi8('\n'), zero = _mm256_setzero_si256();
    size_t i = 0, total = 0;
    while (i + 128 <= length) {
        // Up to 255 rounds of 4 blocks per byte counter, then summed (psadbw).
        __m256i a = zero, b = zero, c = zero, d = zero;
        for (int round = 0; round < 255 && i + 128 <= length; round++, i += 128) {
            a = _mm256_sub_epi8(a, _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(buffer + i)), newline));
            b = _mm256_sub_epi8(b, _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(buffer + i + 32)), newline));
            c = _mm256_sub_epi8(c, _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(buffer + i + 64)), newline));
            d = _mm256_sub_epi8(d, _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(buffer + i + 96)), newline));
        }
        __m256i s = _mm256_add_epi64(_mm256_add_epi64(_mm256_sad_epu8(a, zero), _mm256_sad_epu8(b, zero)),
                                     _mm256_add_epi64(_mm256_sad_epu8(c, zero), _mm256_sad_epu8(d, zero)));
        total += (size_t)_mm256_extract_epi64(s, 0) + (size_t)_mm256_extract_epi64(s, 1) + (size_t)_mm256_extract_epi64(s, 2) +
                 (size_t)_mm256_extract_epi64(s, 3);
    }
    *done = i;
    return total;
}

static size_t count_sse2(const uint8_t *buffer, size_t length, size_t *done) {
    const __m128i newline = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
    size_t i = 0, total = 0;
    while (i + 16 <= length) {
        __m128i a = zero;
        for (int round = 0; round < 255 && i + 16 <= length; round++, i += 16)
            a = _mm_sub_epi8(a, _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(buffer + i)), newline));
        __m128i s = _mm_sad_epu8(a, zero);
        total += (size_t)_mm_cvtsi128_si64(s) + (size_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(s, s));
    }
    *done = i;
    return total;
}
#endif

size_t acr_count_newlines(const uint8_t *buffer, size_t length) {
    size_t i = 0, total = 0;
#ifdef ACR_X86
    if (length >= 128 && acr_simd_best() >= ACR_SIMD_AVX2) total = count_avx2(buffer, length, &i);
    size_t rest = 0;
    total += count_sse2(buffer + i, length - i, &rest);
    i += rest;
#endif
    for (; i < length; i++) total += buffer[i] == '\n';
    return total;
}

// MARK: - One needle

#ifdef ACR_X86
/// Candidates where the needle's first and last bytes both match, 32 positions a step, each then
/// compared whole (the SIMD substring search of Wojciech Muła); the last positions one by one.
__attribute__((target("avx2")))
static int contains_avx2(const uint8_t *s, size_t n, const uint8_t *needle, size_t m) {
    const __m256i first = _mm256_set1_epi8((char)needle[0]), last = _mm256_set1_epi8((char)needle[m - 1]);
    size_t i = 0;
    for (; i + m - 1 + 32 <= n; i += 32) {
        __m256i a = _mm256_loadu_si256((const __m256i *)(s + i));
        __m256i b = _mm256_loadu_si256((const __m256i *)(s + i + m - 1));
        uint32_t mask = (uint32_t)_mm256_movemask_epi8(_mm256_and_si256(_mm256_cmpeq_epi8(a, first), _mm256_cmpeq_epi8(b, last)));
        while (mask) {
            uint32_t k = (uint32_t)__builtin_ctz(mask);
            mask &= mask - 1;
            if (memcmp(s + i + k + 1, needle + 1, m - 2) == 0) return 1;
        }
    }
    if (i + m <= n && n >= m - 1 + 32) {
        // The last positions: one more step ending at the buffer's end (overlapping the one before).
        i = n - (m - 1) - 32;
        __m256i a = _mm256_loadu_si256((const __m256i *)(s + i));
        __m256i b = _mm256_loadu_si256((const __m256i *)(s + i + m - 1));
        uint32_t mask = (uint32_t)_mm256_movemask_epi8(_mm256_and_si256(_mm256_cmpeq_epi8(a, first), _mm256_cmpeq_epi8(b, last)));
        while (mask) {
            uint32_t k = (uint32_t)__builtin_ctz(mask);
            mask &= mask - 1;
            if (memcmp(s + i + k + 1, needle + 1, m - 2) == 0) return 1;
        }
        return 0;
    }
    for (; i + m <= n; i++)
        if (s[i] == needle[0] && s[i + m - 1] == needle[m - 1] && memcmp(s + i + 1, needle + 1, m - 2) == 0) return 1;
    return 0;
}
#endif

int acr_contains(const uint8_t *buffer, size_t length, const uint8_t *needle, size_t needle_length) {
    if (needle_length == 0 || needle_length > length) return 0;
    if (needle_length == 1) return memchr(buffer, needle[0], length) != NULL;
#ifdef ACR_X86
    if (acr_simd_best() >= ACR_SIMD_AVX2) return contains_avx2(buffer, length, needle, needle_length);
#endif
    for (size_t i = 0; i + needle_length <= length; i++) {
        const uint8_t *hit = memchr(buffer + i, needle[0], length - needle_length + 1 - i);
        if (!hit) return 0;
        i = (size_t)(hit - buffer);
        if (memcmp(hit, needle, needle_length) == 0) return 1;
    }
    return 0;
}

long acr_last_newline(const uint8_t *buffer, size_t from, size_t to) {
    if (to <= from) return -1;
#ifdef __GLIBC__
    const uint8_t *hit = memrchr(buffer + from, '\n', to - from);
    return hit ? (long)(hit - buffer) : -1;
#else
    for (size_t i = to; i > from; i--)
        if (buffer[i - 1] == '\n') return (long)(i - 1);
    return -1;
#endif
}
