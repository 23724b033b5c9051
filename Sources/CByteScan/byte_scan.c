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

#include "ngram_tables.h"  // common_windows, common_shapes, common_pairs: scripts/ngram-table.py

enum { COMMON_WINDOWS = sizeof common_windows / sizeof common_windows[0] };
/// The least figure of the table (scripts/ngram-table.py prints it).
static const uint32_t least_common = LEAST_COMMON_WINDOW;

enum { COMMON_SHAPES = sizeof common_shapes / sizeof common_shapes[0] };
enum { COMMON_PAIRS = sizeof common_pairs / sizeof common_pairs[0] };

static inline int is_digit(uint8_t c) { return (uint8_t)(c - 0x30) < 10; }

/// The index of `key` in a sorted table of `count` entries, or `count`.
static size_t table_index(const uint32_t *keys, size_t stride, size_t count, uint32_t key) {
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (keys[mid * stride] < key) lo = mid + 1; else hi = mid;
    }
    return lo < count && keys[lo * stride] == key ? lo : count;
}

/// How often a window of 4 folded bytes occurs per byte of logs: the table's figure for one of the
/// commonest; else, for a window with digits, its shape's figure shared evenly among the shape's
/// windows (a tenth per digit); else the estimate from its bytes, but no more than the least common
/// figure of the table (a window not in it is rarer than that). The byte table alone misses words:
/// ` to `, `ing ` and `tus ` looked rare and were the fingerprints that passed most often (335,000,
/// 159,000 and 151,000 times over the benchmark's 225 MB, never a literal).
static double window_rate(const uint8_t *window, double estimate) {
    uint32_t key, shape = 0;
    memcpy(&key, window, 4);
    size_t w = table_index(&common_windows[0].key, 2, COMMON_WINDOWS, key);
    if (w < COMMON_WINDOWS) return common_windows[w].frequency / 16777216.0;
    double floor = least_common / 16777216.0, share = 1;
    for (int j = 0; j < 4; j++) {
        uint8_t c = window[j];
        if (is_digit(c)) { c = '0'; share /= 10; }
        shape |= (uint32_t)c << (8 * j);
    }
    size_t s = share < 1 ? table_index(&common_shapes[0].key, 2, COMMON_SHAPES, shape) : COMMON_SHAPES;
    if (s < COMMON_SHAPES) {
        double rate = common_shapes[s].frequency * share / 16777216.0;
        return rate > estimate ? rate : estimate < floor ? estimate : floor;
    }
    return estimate < floor ? estimate : floor;
}

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
    int has_newline;      // whether a literal holds `\n` (then a hit's line is found after the search)
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

/// The share of text bytes (0...1) that pass position sets `lo`/`hi` (bit n: nibble n allowed):
/// the bytes of every allowed pair of nibbles (a bucket allows a few of each, so a few pairs; the
/// building of the prefilter calls this about 25,000 times, once per process).
static double pass_rate(uint16_t lo, uint16_t hi) {
    uint32_t sum = 0;
    for (uint32_t h = hi; h; h &= h - 1)
        for (uint32_t l = lo; l; l &= l - 1) sum += byte_frequency[(__builtin_ctz(h) << 4) | __builtin_ctz(l)];
    return sum > 65536 ? 1 : sum / 65536.0;
}

/// The nibble sets that a bucket holding folded fingerprint byte `c` must allow, added to `lo`/`hi`.
static void allow(uint16_t *lo, uint16_t *hi, uint8_t c) {
    *lo |= (uint16_t)(1u << (c & 15));
    *hi |= (uint16_t)(1u << (c >> 4));
    if (is_lower(c)) *hi |= (uint16_t)(1u << ((c & ~0x20) >> 4));
}

/// Whether position `j` of a bucket with position sets `lo`/`hi` lets byte `c` through.
static inline int passes_at(const uint16_t lo[FP_LEN], const uint16_t hi[FP_LEN], int j, uint8_t c) {
    return (lo[j] >> (c & 15)) & 1 && (hi[j] >> (c >> 4)) & 1;
}

/// The pass rate of a bucket as if its bytes were independent, each position's in `single` (if not
/// NULL): a lower bound of `bucket_rate`.
static double independent_rate(const uint16_t lo[FP_LEN], const uint16_t hi[FP_LEN], double single[FP_LEN]) {
    double rate = 1;
    for (int j = 0; j < FP_LEN; j++) {
        double r = pass_rate(lo[j], hi[j]);
        if (single) single[j] = r;
        rate *= r;
    }
    return rate;
}

/// The entries of the tables of common windows, shapes and pairs by their first byte (entries
/// `at[c] ..< at[c + 1]` of `order`), so that a bucket reads only those its first position lets through.
typedef struct {
    uint16_t window_at[257], windows[COMMON_WINDOWS];
    uint16_t shape_at[257], shapes[COMMON_SHAPES];
    uint16_t pair_at[257], pairs[COMMON_PAIRS];
} ngram_index;

/// Counting sort of `count` entries by their first byte (`first`).
static void index_by_first(const uint8_t *first, size_t count, uint16_t at[257], uint16_t *order) {
    uint16_t next[256];
    memset(at, 0, 257 * sizeof(uint16_t));
    for (size_t i = 0; i < count; i++) at[first[i] + 1]++;
    for (int c = 0; c < 256; c++) at[c + 1] += at[c];
    memcpy(next, at, sizeof next);
    for (size_t i = 0; i < count; i++) order[next[first[i]]++] = (uint16_t)i;
}

static void build_ngram_index(ngram_index *x) {
    uint8_t first[COMMON_WINDOWS];
    for (size_t i = 0; i < COMMON_WINDOWS; i++) first[i] = (uint8_t)common_windows[i].key;
    index_by_first(first, COMMON_WINDOWS, x->window_at, x->windows);
    for (size_t i = 0; i < COMMON_SHAPES; i++) first[i] = (uint8_t)common_shapes[i].key;
    index_by_first(first, COMMON_SHAPES, x->shape_at, x->shapes);
    for (size_t i = 0; i < COMMON_PAIRS; i++) first[i] = (uint8_t)common_pairs[i].key;
    index_by_first(first, COMMON_PAIRS, x->pair_at, x->pairs);
}

/// The bytes position `j` lets through (every pair of an allowed low and high nibble); returns how many.
static int allowed_bytes(const uint16_t lo[FP_LEN], const uint16_t hi[FP_LEN], int j, uint8_t out[256]) {
    int n = 0;
    for (uint32_t h = hi[j]; h; h &= h - 1)
        for (uint32_t l = lo[j]; l; l &= l - 1) out[n++] = (uint8_t)((__builtin_ctz(h) << 4) | __builtin_ctz(l));
    return n;
}

/// The share of text bytes at which a bucket with position sets `lo`/`hi` passes: the estimate as if
/// bytes were independent (or from a common pair of neighbouring bytes, if larger), plus the common
/// windows it lets through and, for each common shape of windows with digits, the part of its
/// windows it lets through (a tenth per digit a position allows). Bytes are not independent, and a
/// bucket lets through every combination of its fingerprints' bytes: on the benchmark's corpus
/// `n_fa` and `code` in one bucket let through `node` (614,000 fingerprint comparisons for 7,000
/// matches), ` 401` with `sts1` the hours of timestamps (`T03:`), and ` 401` with the escape
/// sequence's 2-byte fingerprint every ` [` and ` 4` (docs/performance.md).
static double bucket_rate(const uint16_t lo[FP_LEN], const uint16_t hi[FP_LEN], const ngram_index *x) {
    double single[FP_LEN], rate = independent_rate(lo, hi, single);
    uint8_t bytes[257];  // the bytes a position lets through (at most 256), and `0` for the shapes
    // Two neighbouring positions together, from the common pairs (` [`, ` 4` and `ng` are commoner
    // than their bytes say), the others as independent: the largest of these estimates counts.
    for (int j = 0; j + 1 < FP_LEN; j++) {
        uint32_t mass = 0;
        for (int b = 0, n = allowed_bytes(lo, hi, j, bytes); b < n; b++)
            for (uint32_t i = x->pair_at[bytes[b]]; i < x->pair_at[bytes[b] + 1]; i++) {
                uint16_t key = common_pairs[x->pairs[i]].key;
                if (passes_at(lo, hi, j + 1, (uint8_t)(key >> 8))) mass += common_pairs[x->pairs[i]].frequency;
            }
        double estimate = mass / 16777216.0;
        for (int k = 0; k < FP_LEN; k++)
            if (k != j && k != j + 1) estimate *= single[k];
        if (estimate > rate) rate = estimate;
    }
    uint32_t digits[FP_LEN];
    for (int j = 0; j < FP_LEN; j++) digits[j] = (hi[j] >> 3) & 1 ? (uint32_t)__builtin_popcount(lo[j] & 0x3FFu) : 0;
    double common = 0;
    int n = allowed_bytes(lo, hi, 0, bytes);
    for (int b = 0; b < n; b++) {
        // Windows with digits are counted by their shapes below.
        if (is_digit(bytes[b])) continue;
        for (uint32_t i = x->window_at[bytes[b]]; i < x->window_at[bytes[b] + 1]; i++) {
            uint32_t key = common_windows[x->windows[i]].key;
            int passes = 1;
            for (int j = 1; j < FP_LEN && passes; j++) {
                uint8_t c = (uint8_t)(key >> (8 * j));
                passes = !is_digit(c) && passes_at(lo, hi, j, c);
            }
            if (passes) common += common_windows[x->windows[i]].frequency;
        }
    }
    // The shapes by their first byte: each byte but a digit that position 0 lets through, and `0`
    // (any digit) if it lets one through.
    int m = 0;
    for (int b = 0; b < n; b++)
        if (!is_digit(bytes[b])) bytes[m++] = bytes[b];
    if (digits[0]) bytes[m++] = '0';
    for (int b = 0; b < m; b++) {
        for (uint32_t i = x->shape_at[bytes[b]]; i < x->shape_at[bytes[b] + 1]; i++) {
            uint32_t key = common_shapes[x->shapes[i]].key;
            double part = common_shapes[x->shapes[i]].frequency;
            for (int j = 0; j < FP_LEN && part > 0; j++) {
                uint8_t c = (uint8_t)(key >> (8 * j));
                if (c == '0') part *= digits[j] / 10.0;
                else if (!passes_at(lo, hi, j, c)) part = 0;
            }
            common += part;
        }
    }
    return rate + common / 16777216.0;
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
        if (bytes[i] == '\n') t->has_newline = 1;
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
            if (flen == FP_LEN) r = window_rate(lit + k, r);
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

    // Buckets: as many groups as the fingerprints need (about 2 per bucket: on the benchmark corpus
    // 49 fingerprints in 4 groups let 786,000 positions through to verification, in 3 groups
    // 1,294,000, and the search was 9% faster with AVX-512 and 13% with AVX2), the commonest
    // fingerprints placed first, each where it adds the fewest fingerprint comparisons
    // (`bucket_rate`).
    // With AVX-512 VBMI, at most 3 groups: the tables of 4 (4 groups x 4 bytes x 2 halves) fill
    // the 32 vector registers and are reloaded from the stack in every block; with verification out
    // of the block loop (`scan_vbmi_deferred`), 3 groups and more positions verified measured 5%
    // faster (the prefilter alone 0.060 against 0.064 s over the benchmark's 225 MB; 2 groups 0.109).
    uint32_t groups = (uint32_t)((distinct + 15) / 16);
    uint32_t most = acr_simd_best() >= ACR_SIMD_AVX512VBMI ? 3 : MAX_GROUPS;
    t->groups = groups < 1 ? 1 : groups > most ? most : groups;
    uint32_t buckets = t->groups * 8;
    for (size_t d = 0; d < distinct; d++) order[d] = (uint32_t)d;
    // Insertion sort: fingerprints shorter than FP_LEN first (each lets every byte through at the
    // positions it lacks, so it takes a bucket of its own while there are empty ones), then by rate
    // descending.
    for (size_t a = 1; a < distinct; a++) {
        uint32_t x = order[a];
        size_t b = a;
        while (b > 0) {
            uint32_t y = order[b - 1];
            int y_short = fps[y].length < FP_LEN, x_short = fps[x].length < FP_LEN;
            if (y_short > x_short || (y_short == x_short && rate[y] >= rate[x])) break;
            order[b] = y;
            b--;
        }
        order[b] = x;
    }
    uint16_t lo[MAX_BUCKETS][FP_LEN], hi[MAX_BUCKETS][FP_LEN];
    ngram_index ngrams;
    build_ngram_index(&ngrams);
    uint32_t members[MAX_BUCKETS] = {0};
    double current[MAX_BUCKETS] = {0};
    memset(lo, 0, sizeof lo);
    memset(hi, 0, sizeof hi);
    for (size_t o = 0; o < distinct; o++) {
        const fingerprint *f = &fps[order[o]];
        // The fingerprint comparisons a bucket costs: each position it lets through is compared with
        // each of its fingerprints (a common one, such as `azurecr`'s, is best alone). `bucket_rate`
        // reads the tables of common windows, so the buckets are tried in the order of a lower bound
        // of their cost (the rate as if bytes were independent), and only while it can still win;
        // of the empty buckets, which cost the same, only the first.
        uint16_t l[MAX_BUCKETS][FP_LEN], h[MAX_BUCKETS][FP_LEN];
        double bound[MAX_BUCKETS];
        uint32_t tries[MAX_BUCKETS], count = 0;
        int empty_seen = 0;
        for (uint32_t b = 0; b < buckets; b++) {
            if (!members[b] && empty_seen++) continue;
            for (int j = 0; j < FP_LEN; j++) {
                l[b][j] = lo[b][j];
                h[b][j] = hi[b][j];
                if ((uint32_t)j < f->length) allow(&l[b][j], &h[b][j], (uint8_t)(f->value >> (8 * j)));
                else { l[b][j] = 0xFFFF; h[b][j] = 0xFFFF; }
            }
            bound[b] = independent_rate(l[b], h[b], NULL) * (members[b] + 1) - current[b] * members[b] + 1e-9 * members[b];
            size_t k = count++;  // insertion by bound, ascending; equal bounds keep bucket order
            while (k > 0 && bound[tries[k - 1]] > bound[b]) { tries[k] = tries[k - 1]; k--; }
            tries[k] = b;
        }
        uint32_t chosen = tries[0];
        double least = 1e300;
        for (uint32_t k = 0; k < count && bound[tries[k]] < least; k++) {
            uint32_t b = tries[k];
            double cost = bucket_rate(l[b], h[b], &ngrams) * (members[b] + 1) - current[b] * members[b] + 1e-9 * members[b];
            if (cost < least || (cost == least && b < chosen)) { least = cost; chosen = b; }
        }
        for (int j = 0; j < FP_LEN; j++) {
            if ((uint32_t)j < f->length) allow(&lo[chosen][j], &hi[chosen][j], (uint8_t)(f->value >> (8 * j)));
            else { lo[chosen][j] = 0xFFFF; hi[chosen][j] = 0xFFFF; }
        }
        current[chosen] = bucket_rate(lo[chosen], hi[chosen], &ngrams);
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

#ifdef ACR_COUNT_COMPARISONS
/// Fingerprint comparisons made so far: only in a build for measuring the buckets
/// (`scripts/prefilter-pair.sh` builds `scripts/prefilter-alone.c` so), never in the package's.
extern unsigned long long acr_fingerprint_comparisons;
#define COUNT_COMPARISON() (acr_fingerprint_comparisons++)
#else
#define COUNT_COMPARISON() ((void)0)
#endif

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
    // Hits mode, in the deferred AVX2 and AVX-512 loops (`lines`): the line of each hit from the block's newlines.
    acr_lines *lines;     // in: at `from`; set to the state at `stop` when the hits run out of room
    uint64_t block;       // the current block's first position
    uint64_t nl_mask;     // its newlines (bit k: position block + k)
    uint64_t nl_before;   // newlines in [from, block), plus the count at `from`
    uint64_t line_before; // the line start at `block`: after the last newline before it
    size_t open;          // the first hit whose line's end is not known yet
} found_state;

/// Where the line of position `p` of the current block starts, and the newlines before it.
static inline acr_lines line_at(const found_state *state, size_t p) {
    uint64_t below = state->nl_mask & ((1ull << (p - state->block)) - 1);
    return (acr_lines){state->nl_before + (uint64_t)__builtin_popcountll(below),
                       below ? state->block + 64 - (uint64_t)__builtin_clzll(below) : state->line_before};
}

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

/// Verifies the buckets `bits` at fingerprint position `p`: bit `b` is bucket `b` (group `b / 8`),
/// all groups' buckets in one mask, so that the loop visits the passing buckets with no branch per
/// group. Inlined into each filter loop, so that it is compiled for the loop's mode: the
/// prefilter's pass took 12% less time than with one out-of-line copy (0.067 against 0.076 s over
/// the benchmark's 225 MB).
static inline __attribute__((always_inline)) void verify(const acr_teddy *t, const uint8_t *buffer, size_t length, size_t from, size_t p, uint32_t bits,
                   found_state *state) {
    (void)from;
    if (state->hits) {
        // Room for every literal that may begin at `p`, checked once per position: a full array
        // stops the search before `p`, and the caller resumes there.
        if (state->stop >= 0) return;
        if (state->checked != p + 1) {
            if (state->count + t->count > state->capacity) {
                state->stop = (long)p;
                if (state->lines) *state->lines = line_at(state, p);
                return;
            }
            state->checked = p + 1;
        }
    }
    uint32_t text = 0;
    if (p + 4 <= length) memcpy(&text, buffer + p, 4);
    else for (size_t j = 0; p + j < length; j++) text |= (uint32_t)buffer[p + j] << (8 * j);
    while (bits) {
        uint32_t b = (uint32_t)__builtin_ctz(bits);
        bits &= bits - 1;
        for (uint32_t f = t->bucket_first[b]; f < t->bucket_first[b + 1]; f++) {
            const fingerprint *fp = &t->fps[f];
            COUNT_COMPARISON();
            if (((text | fp->fold) & fp->care) != fp->value || p + fp->length > length) continue;
            for (uint32_t r = fp->first; r < fp->first + fp->count; r++) {
                const reference *ref = &t->refs[r];
                if (p < state->min_start + ref->offset) continue;  // the literal would begin before `min_start`
                size_t start = p - ref->offset;
                if (state->hits) {
                    if (literal_at(t, ref->literal, buffer, length, start)) {
                        // No literal holds a newline here: the line of `start` is the line of `p`.
                        acr_lines line = state->lines ? line_at(state, p) : (acr_lines){0, 0};
                        state->hits[state->count++] =
                            (acr_hit){(uint64_t)start, ref->literal, line.newlines, line.start, ACR_UNKNOWN_END};
                    }
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

/// Blocks of 64 positions per step of the deferred loops (`scan_vbmi_deferred`, `scan_avx2_deferred`):
/// 2 KiB of text (32 and 64 measured the same, 128 and 256 slower: the recorded buckets leave the
/// first-level cache).
enum { DEFER_BLOCKS = 32 };

/// A block with a passing position, as the deferred loops record it for verification.
typedef struct {
    uint64_t block, any, nl_mask, nl_before, line_before;
} passing_block;

/// One filtered block of a deferred loop, the same for both: its newline mask kept, its entry in
/// `passing` written (kept only when a bucket passed in it: `recorded` moves on), and the newline
/// count and the last line start before the next block brought up to date.
static inline __attribute__((always_inline)) void note_block(passing_block *passing, size_t *recorded, uint64_t *newlines,
                                                             size_t block, size_t at, uint64_t any, uint64_t nl_mask,
                                                             uint64_t *nl_before, uint64_t *line_before) {
    newlines[block] = nl_mask;
    passing[*recorded] = (passing_block){at, any, nl_mask, *nl_before, *line_before};
    *recorded += any != 0;
    *nl_before += (uint64_t)__builtin_popcountll(nl_mask);
    uint64_t last = at + 64 - (uint64_t)__builtin_clzll(nl_mask | 1);
    *line_before = nl_mask ? last : *line_before;
}

/// The rest of one step of a deferred loop, the same for both: the `recorded` passing blocks'
/// positions verified (`buckets[k][g][at]`: group g's buckets at position `at` of block k), then
/// the ends of the open hits' lines read from the step's newline masks (`newlines`, `blocks` of
/// them from `first`). Returns 0 when the hits ran out of room (`verify` set `*state->lines`).
static inline __attribute__((always_inline)) int verify_step(const acr_teddy *t, const uint8_t *buffer, size_t length, size_t from,
                                                             found_state *state, const passing_block *passing, size_t recorded,
                                                             uint8_t buckets[][MAX_GROUPS][64], const uint64_t *newlines,
                                                             size_t first, size_t blocks, const uint32_t groups) {
    for (size_t k = 0; k < recorded; k++) {
        const passing_block *b = &passing[k];
        state->block = b->block;
        state->nl_mask = b->nl_mask;
        state->nl_before = b->nl_before;
        state->line_before = b->line_before;
        uint64_t any = b->any;
        while (any) {
            uint32_t at = (uint32_t)__builtin_ctzll(any);
            any &= any - 1;
            uint32_t bits = 0;
            for (uint32_t g = 0; g < groups; g++) bits |= (uint32_t)buckets[k][g][at] << (8 * g);
            verify(t, buffer, length, from, b->block + at, bits, state);
        }
        if (state->stop >= 0) return 0;
    }
    // The ends of the open hits' lines: the first newline at or after each start (hits come in
    // line order, so the ones found are a prefix).
    while (state->open < state->count) {
        acr_hit *hit = &state->hits[state->open];
        size_t b = 0;
        uint64_t m = newlines[0];
        if (hit->start > first) {
            b = (hit->start - first) >> 6;
            m = newlines[b] & (~0ull << ((hit->start - first) & 63));
        }
        while (!m && ++b < blocks) m = newlines[b];
        if (!m) break;
        hit->line_end = first + 64 * b + (uint64_t)__builtin_ctzll(m);
        state->open++;
    }
    return 1;
}

// MARK: - Filtering

/// Positions `i ..< length`, one byte at a time.
static void scan_scalar(const acr_teddy *t, const uint8_t *buffer, size_t length, size_t from, size_t i, found_state *state) {
    for (; i < length; i++) {
        if (settled(t, state, i)) return;
        uint8_t c[FP_LEN];
        for (int j = 0; j < FP_LEN; j++) c[j] = i + j < length ? buffer[i + j] : 0;
        uint32_t bits = 0;
        for (uint32_t g = 0; g < t->groups; g++)
            bits |= (uint32_t)(t->table[g][0][c[0]] & t->table[g][1][c[1]] & t->table[g][2][c[2]] & t->table[g][3][c[3]]) << (8 * g);
        if (bits) verify(t, buffer, length, from, i, bits, state);
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
                uint32_t bits = 0;
                for (uint32_t g = 0; g < t->groups; g++) bits |= (uint32_t)bytes[g][k] << (8 * g);
                verify(t, buffer, length, from, i + k, bits, state);
            }
        }
        i += W;
        if (settled(t, state, i)) return;
    }
    scan_scalar(t, buffer, length, from, i, state);
}

/// The first and presence modes, and hits without lines (the scanner's searches of one line or
/// field: short buffers, small sets). `groups` is a constant in the specialisations of `scan_avx2`,
/// so that the loops over groups unroll and a set of one or two groups keeps its tables in registers.
__attribute__((target("avx2"), always_inline))
static inline void scan_avx2_groups(const acr_teddy *t, const uint8_t *buffer, size_t length, size_t from, found_state *state,
                                    const uint32_t groups) {
    enum { W = 32 };
    __m256i lo[MAX_GROUPS][FP_LEN], hi[MAX_GROUPS][FP_LEN];
    for (uint32_t g = 0; g < groups; g++)
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
        for (uint32_t g = 0; g < groups; g++) {
            __m256i x = _mm256_and_si256(_mm256_shuffle_epi8(lo[g][0], l[0]), _mm256_shuffle_epi8(hi[g][0], h[0]));
            for (int j = 1; j < FP_LEN; j++)
                x = _mm256_and_si256(x, _mm256_and_si256(_mm256_shuffle_epi8(lo[g][j], l[j]), _mm256_shuffle_epi8(hi[g][j], h[j])));
            r[g] = x;
            any |= ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(x, zero));
        }
        any &= valid;
        if (any) {
            uint8_t bytes[MAX_GROUPS][W];
            for (uint32_t g = 0; g < groups; g++) _mm256_storeu_si256((__m256i *)bytes[g], r[g]);
            while (any) {
                uint32_t k = (uint32_t)__builtin_ctz(any);
                any &= any - 1;
                uint32_t bits = 0;
                for (uint32_t g = 0; g < groups; g++) bits |= (uint32_t)bytes[g][k] << (8 * g);
                verify(t, buffer, length, from, i + k, bits, state);
            }
        }
        i += W;
        if (settled(t, state, i)) return;
    }
}

__attribute__((target("avx2")))
static void scan_avx2(const acr_teddy *t, const uint8_t *buffer, size_t length, size_t from, found_state *state) {
    switch (t->groups) {
    case 1: scan_avx2_groups(t, buffer, length, from, state, 1); break;
    case 2: scan_avx2_groups(t, buffer, length, from, state, 2); break;
    case 3: scan_avx2_groups(t, buffer, length, from, state, 3); break;
    default: scan_avx2_groups(t, buffer, length, from, state, 4); break;
    }
}

/// The AVX-512 VBMI tables of `groups` groups: per group and fingerprint byte, the 128-entry
/// bucket table by the byte's low 7 bits, in two halves of 64.
typedef struct {
    __m512i lo[MAX_GROUPS][FP_LEN], hi[MAX_GROUPS][FP_LEN];
} vbmi_tables;

__attribute__((target("avx512f,avx512bw,avx512vbmi"), always_inline))
static inline void vbmi_load_tables(const acr_teddy *t, vbmi_tables *tables, const uint32_t groups) {
    for (uint32_t g = 0; g < groups; g++)
        for (int j = 0; j < FP_LEN; j++) {
            tables->lo[g][j] = _mm512_loadu_si512((const void *)t->table7[g][j]);
            tables->hi[g][j] = _mm512_loadu_si512((const void *)(t->table7[g][j] + 64));
        }
}

/// The filter of one block of 64 positions from `i`, for both AVX-512 loops: `x[g]` gets group
/// g's buckets at each position (bit b: bucket 8g + b may start there), `*bytes` the block's bytes
/// (for its newlines); returns the positions where some bucket passes. At the end of the buffer,
/// masked loads read only the bytes before `length` (the others are zero, and a masked-off byte
/// never faults), with no copy into a padded block: most calls on one line (a candidate line's
/// searches) end here.
__attribute__((target("avx512f,avx512bw,avx512vbmi"), always_inline))
static inline uint64_t vbmi_filter_block(const vbmi_tables *tables, const uint8_t *buffer, size_t length, size_t i,
                                         __m512i x[MAX_GROUPS], __m512i *bytes, const uint32_t groups) {
    enum { W = 64 };
    uint64_t valid = ~0ull;
    __m512i v[FP_LEN];
    if (i + W + FP_LEN - 1 > length) {
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
    uint64_t any = 0;
    for (uint32_t g = 0; g < groups; g++) {
        __m512i y = _mm512_permutex2var_epi8(tables->lo[g][0], v[0], tables->hi[g][0]);
        for (int j = 1; j < FP_LEN; j++)
            y = _mm512_and_si512(y, _mm512_permutex2var_epi8(tables->lo[g][j], v[j], tables->hi[g][j]));
        x[g] = y;
        any |= _mm512_test_epi8_mask(y, y);
    }
    *bytes = v[0];
    return any & valid;
}

/// Half a block of `scan_avx2_deferred`: the nibble filter of `scan_avx2` over the 32 positions from
/// `i` (none at or past `length`), group g's buckets stored at `out[g] + at`, the positions'
/// newlines in `*nl`; returns the positions where some bucket passes.
__attribute__((target("avx2"), always_inline))
static inline uint32_t avx2_filter_half(const __m256i lo[MAX_GROUPS][FP_LEN], const __m256i hi[MAX_GROUPS][FP_LEN],
                                        const uint8_t *buffer, size_t length, size_t i, uint8_t (*out)[64], size_t at,
                                        uint32_t *nl, const uint32_t groups) {
    enum { W = 32 };
    if (i >= length) { *nl = 0; return 0; }
    const __m256i nibble = _mm256_set1_epi8(0x0F), zero = _mm256_setzero_si256();
    uint8_t pad[W + FP_LEN];
    const uint8_t *data = buffer + i;
    uint32_t valid = 0xFFFFFFFFu;
    if (i + W + FP_LEN - 1 > length) {
        // The last positions, in a zero-padded copy (no newline and no position past `length`).
        size_t rest = length - i;
        memset(pad, 0, sizeof pad);
        memcpy(pad, buffer + i, rest < sizeof pad ? rest : sizeof pad);
        data = pad;
        if (rest < W) valid = (1u << rest) - 1;
    }
    __m256i l[FP_LEN], h[FP_LEN], v0 = zero;
    for (int j = 0; j < FP_LEN; j++) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(data + j));
        if (j == 0) v0 = v;
        l[j] = _mm256_and_si256(v, nibble);
        h[j] = _mm256_and_si256(_mm256_srli_epi16(v, 4), nibble);
    }
    uint32_t any = 0;
    for (uint32_t g = 0; g < groups; g++) {
        __m256i x = _mm256_and_si256(_mm256_shuffle_epi8(lo[g][0], l[0]), _mm256_shuffle_epi8(hi[g][0], h[0]));
        for (int j = 1; j < FP_LEN; j++)
            x = _mm256_and_si256(x, _mm256_and_si256(_mm256_shuffle_epi8(lo[g][j], l[j]), _mm256_shuffle_epi8(hi[g][j], h[j])));
        _mm256_store_si256((__m256i *)(out[g] + at), x);
        any |= ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(x, zero));
    }
    *nl = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v0, _mm256_set1_epi8('\n'))) & valid;
    return any & valid;
}

/// `scan_avx2` in hits mode with lines (the scanner's region search), its verification deferred
/// as in `scan_vbmi_deferred`: blocks of 64 positions (two halves of 32) filtered with no branch on
/// whether one passes, the newlines counted in the same pass, then `verify_step`. Before, the
/// lines were found after the search, from hit to hit (`acr_count_newlines`, `memrchr`), and each
/// passing half verified inside the filter loop.
__attribute__((target("avx2"), always_inline))
static inline void scan_avx2_deferred(const acr_teddy *t, const uint8_t *buffer, size_t length, size_t from,
                                      found_state *state, const uint32_t groups) {
    enum { W = 64 };
    uint64_t nl_before = state->lines->newlines, line_before = state->lines->start;
    __m256i lo[MAX_GROUPS][FP_LEN], hi[MAX_GROUPS][FP_LEN];
    for (uint32_t g = 0; g < groups; g++)
        for (int j = 0; j < FP_LEN; j++) {
            lo[g][j] = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)t->masks[g][j][0]));
            hi[g][j] = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)t->masks[g][j][1]));
        }
    passing_block passing[DEFER_BLOCKS + 1];
    uint8_t buckets[DEFER_BLOCKS + 1][MAX_GROUPS][W] __attribute__((aligned(64)));
    uint64_t newlines[DEFER_BLOCKS];
    size_t i = from;
    while (i < length) {
        const size_t first = i;
        size_t recorded = 0, blocks = 0;
        for (; blocks < DEFER_BLOCKS && i < length; blocks++, i += W) {
            uint32_t nl_lo, nl_hi;
            uint64_t any = avx2_filter_half(lo, hi, buffer, length, i, buckets[recorded], 0, &nl_lo, groups);
            any |= (uint64_t)avx2_filter_half(lo, hi, buffer, length, i + 32, buckets[recorded], 32, &nl_hi, groups) << 32;
            uint64_t nl_mask = nl_lo | (uint64_t)nl_hi << 32;
            note_block(passing, &recorded, newlines, blocks, i, any, nl_mask, &nl_before, &line_before);
        }
        if (!verify_step(t, buffer, length, from, state, passing, recorded, buckets, newlines, first, blocks, groups)) return;
    }
    *state->lines = (acr_lines){nl_before, line_before};
}

__attribute__((target("avx2")))
static void scan_avx2_lines(const acr_teddy *t, const uint8_t *buffer, size_t length, size_t from, found_state *state) {
    switch (t->groups) {
    case 1: scan_avx2_deferred(t, buffer, length, from, state, 1); break;
    case 2: scan_avx2_deferred(t, buffer, length, from, state, 2); break;
    case 3: scan_avx2_deferred(t, buffer, length, from, state, 3); break;
    default: scan_avx2_deferred(t, buffer, length, from, state, 4); break;
    }
}

/// 64 positions a step: per fingerprint byte and group one 128-entry byte lookup (`vpermi2b`) of
/// the exact bucket table by the text byte's low 7 bits: no nibble aliasing, so fewer positions to
/// verify, and a quarter of the AVX2 loop's lookups per byte.
/// `groups` is a constant in the specialisations below, so that the tables stay in registers.
/// The first and presence modes, and hits without lines; hits with lines (the scanner's region
/// search) take `scan_vbmi_deferred`, the same filter with verification out of the block loop.
__attribute__((target("avx512f,avx512bw,avx512vbmi"), always_inline))
static inline void scan_vbmi_groups(const acr_teddy *t, const uint8_t *buffer, size_t length, size_t from, found_state *state,
                                    const uint32_t groups) {
    enum { W = 64 };
    vbmi_tables tables;
    vbmi_load_tables(t, &tables, groups);
    size_t i = from;
    while (i < length) {
        __m512i r[MAX_GROUPS], block;
        uint64_t any = vbmi_filter_block(&tables, buffer, length, i, r, &block, groups);
        if (any) {
            uint8_t bytes[MAX_GROUPS][W];
            for (uint32_t g = 0; g < groups; g++) _mm512_storeu_si512((void *)bytes[g], r[g]);
            while (any) {
                uint32_t k = (uint32_t)__builtin_ctzll(any);
                any &= any - 1;
                // All groups' buckets at `k` in one mask (`groups` is a constant: four byte loads
                // and shifts), instead of a test and a call per group: four branches per passing
                // position that the predictor loses.
                uint32_t bits = 0;
                for (uint32_t g = 0; g < groups; g++) bits |= (uint32_t)bytes[g][k] << (8 * g);
                verify(t, buffer, length, from, i + k, bits, state);
            }
        }
        i += W;
        if (settled(t, state, i)) return;
    }
}

/// The filter of `scan_vbmi_groups` in hits mode with lines, its verification deferred: the filter
/// runs over up to DEFER_BLOCKS blocks with no branch on whether a block passes (each block's
/// buckets and line state are stored in the next slot, which only a passing block keeps), counting
/// the newlines as it goes; then the passing blocks' positions are verified in a second loop; then
/// the ends of the open hits' lines are read from the blocks' newline masks. The branch on a
/// block's passing positions (a quarter of the blocks pass, at random) and `verify`'s code no longer
/// sit in the block loop: the prefilter alone took 0.062-0.066 s instead of 0.078-0.079 over the
/// benchmark's 225 MB (docs/performance.md, branch `scanspeed3`).
__attribute__((target("avx512f,avx512bw,avx512vbmi"), always_inline))
static inline void scan_vbmi_deferred(const acr_teddy *t, const uint8_t *buffer, size_t length, size_t from,
                                      found_state *state, const uint32_t groups) {
    enum { W = 64 };
    const __m512i newline = _mm512_set1_epi8('\n');
    uint64_t nl_before = state->lines->newlines, line_before = state->lines->start;
    vbmi_tables tables;
    vbmi_load_tables(t, &tables, groups);
    passing_block passing[DEFER_BLOCKS + 1];
    uint8_t buckets[DEFER_BLOCKS + 1][MAX_GROUPS][W] __attribute__((aligned(64)));
    uint64_t newlines[DEFER_BLOCKS];
    size_t i = from;
    while (i < length) {
        const size_t first = i;
        size_t recorded = 0, blocks = 0;
        for (; blocks < DEFER_BLOCKS && i < length; blocks++, i += W) {
            __m512i x[MAX_GROUPS], bytes;
            uint64_t any = vbmi_filter_block(&tables, buffer, length, i, x, &bytes, groups);
            for (uint32_t g = 0; g < groups; g++) _mm512_store_si512((void *)buckets[recorded][g], x[g]);
            uint64_t nl_mask = _mm512_cmpeq_epi8_mask(bytes, newline);
            note_block(passing, &recorded, newlines, blocks, i, any, nl_mask, &nl_before, &line_before);
        }
        if (!verify_step(t, buffer, length, from, state, passing, recorded, buckets, newlines, first, blocks, groups)) return;
    }
    *state->lines = (acr_lines){nl_before, line_before};
}

__attribute__((target("avx512f,avx512bw,avx512vbmi")))
static void scan_vbmi(const acr_teddy *t, const uint8_t *buffer, size_t length, size_t from, found_state *state) {
    if (state->lines) {
        switch (t->groups) {
        case 1: scan_vbmi_deferred(t, buffer, length, from, state, 1); break;
        case 2: scan_vbmi_deferred(t, buffer, length, from, state, 2); break;
        case 3: scan_vbmi_deferred(t, buffer, length, from, state, 3); break;
        default: scan_vbmi_deferred(t, buffer, length, from, state, 4); break;
        }
        return;
    }
    switch (t->groups) {
    case 1: scan_vbmi_groups(t, buffer, length, from, state, 1); break;
    case 2: scan_vbmi_groups(t, buffer, length, from, state, 2); break;
    case 3: scan_vbmi_groups(t, buffer, length, from, state, 3); break;
    default: scan_vbmi_groups(t, buffer, length, from, state, 4); break;
    }
}
#endif

int acr_simd_cap(void) {
    // Read once (a race only reads the same variable twice).
    static int cap = -1;
    int known = __atomic_load_n(&cap, __ATOMIC_RELAXED);
    if (known >= 0) return known;
    const char *wanted = getenv("ACRSCAN_SIMD");
    int value = !wanted ? ACR_SIMD_AVX512VBMI : !strcmp(wanted, "scalar") ? ACR_SIMD_SCALAR
              : !strcmp(wanted, "ssse3") ? ACR_SIMD_SSSE3 : !strcmp(wanted, "avx2") ? ACR_SIMD_AVX2 : ACR_SIMD_AVX512VBMI;
    __atomic_store_n(&cap, value, __ATOMIC_RELAXED);
    return value;
}

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
    if (acr_simd_cap() < best) best = acr_simd_cap();
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
    if (level >= ACR_SIMD_AVX2) {
        if (state->lines) scan_avx2_lines(t, buffer, length, from, state);
        else scan_avx2(t, buffer, length, from, state);
        return;
    }
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
                      acr_hit *hits, size_t capacity, size_t *next, acr_lines *lines) {
    found_state state = {.best = -1, .hits = hits, .capacity = capacity, .min_start = min_start, .stop = -1};
    // The AVX2 and AVX-512 loops count the lines as they go; SSSE3 and scalar (and a set with a literal that holds
    // a newline) find them after the search, from hit to hit.
    int fused = lines && !t->has_newline && from < length && level >= ACR_SIMD_AVX2 && acr_simd_best() >= ACR_SIMD_AVX2;
    if (fused) state.lines = lines;
    scan(t, level, buffer, length, from, &state);
    *next = state.stop >= 0 ? (size_t)state.stop : length;
    if (lines && !fused) {
        size_t cursor = from;
        acr_lines line = *lines;
        for (size_t h = 0; h <= state.count; h++) {
            // Hits come in the order of their lines; one that begins before an earlier hit lies on
            // that hit's line (no newline between), and takes its values.
            size_t to = h < state.count ? (size_t)hits[h].start : *next;
            if (to > cursor) {
                line.newlines += acr_count_newlines(buffer + cursor, to - cursor);
                long last = acr_last_newline(buffer, cursor, to);
                if (last >= 0) line.start = (uint64_t)last + 1;
                cursor = to;
            }
            if (h < state.count) {
                hits[h].newlines = line.newlines;
                hits[h].line_start = line.start;
            }
        }
        *lines = line;
    }
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

/// Whether a failure word starts at one of the positions of the block at `i` whose bits `any`
/// holds, `bytes` the block's filter bytes (group 0): the verification both SIMD levels of
/// `acr_teddy_any_word` share.
static inline int words_at_block(const acr_teddy *t, const uint8_t *buffer, size_t start, size_t end, size_t i,
                                 uint64_t any, const uint8_t *bytes) {
    while (any) {
        uint32_t k = (uint32_t)__builtin_ctzll(any);
        any &= any - 1;
        if (word_at(t, buffer, start, end, i + k, 0, bytes[k])) return 1;
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
        if (words_at_block(t, buffer, start, end, i, any, bytes)) return 1;
    }
    return 0;
}
#endif

#ifdef ACR_X86
/// One group, 32 positions a step, with `scan_avx2`'s nibble tables; like `any_word_vbmi`, the last
/// block reads past `end` where the buffer holds the bytes (`readable`), and only a block that would
/// read past `readable` is filtered in a zero-padded copy. The generic way (`acr_teddy_first` from
/// each hit on) loaded every group's tables and padded the line's last block on each call: with
/// AVX2, 543 instructions a line of the benchmark's left-at-once lines (docs/performance.md,
/// branch `unkcost`).
__attribute__((target("avx2")))
static int any_word_avx2(const acr_teddy *t, const uint8_t *buffer, size_t start, size_t end, size_t readable) {
    enum { W = 32 };
    __m256i lo[FP_LEN], hi[FP_LEN];
    for (int j = 0; j < FP_LEN; j++) {
        lo[j] = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)t->masks[0][j][0]));
        hi[j] = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)t->masks[0][j][1]));
    }
    const __m256i nibble = _mm256_set1_epi8(0x0F), zero = _mm256_setzero_si256();
    uint8_t pad[W + FP_LEN - 1];
    for (size_t i = start; i < end; i += W) {
        const uint8_t *data = buffer + i;
        if (i + W + FP_LEN - 1 > readable) {
            size_t rest = readable - i;  // readable >= end > i
            memset(pad, 0, sizeof pad);
            memcpy(pad, buffer + i, rest < sizeof pad ? rest : sizeof pad);
            data = pad;
        }
        __m256i x = _mm256_set1_epi8(-1);
        for (int j = 0; j < FP_LEN; j++) {
            __m256i v = _mm256_loadu_si256((const __m256i *)(data + j));
            __m256i l = _mm256_shuffle_epi8(lo[j], _mm256_and_si256(v, nibble));
            __m256i h = _mm256_shuffle_epi8(hi[j], _mm256_and_si256(_mm256_srli_epi16(v, 4), nibble));
            x = _mm256_and_si256(x, _mm256_and_si256(l, h));
        }
        uint32_t any = ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(x, zero));
        if (end - i < W) any &= (1u << (end - i)) - 1;
        if (!any) continue;
        uint8_t bytes[W];
        _mm256_storeu_si256((__m256i *)bytes, x);
        if (words_at_block(t, buffer, start, end, i, any, bytes)) return 1;
    }
    return 0;
}
#endif

int acr_teddy_any_word(const acr_teddy *t, int level, const uint8_t *buffer, size_t start, size_t end, size_t readable) {
    if (start >= end) return 0;
#ifdef ACR_X86
    if (level >= ACR_SIMD_AVX512VBMI && t->groups == 1) return any_word_vbmi(t, buffer, start, end, readable < end ? end : readable);
    if (level >= ACR_SIMD_AVX2 && t->groups == 1) return any_word_avx2(t, buffer, start, end, readable < end ? end : readable);
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

#ifdef ACR_X86
/// The same, 64 positions a step, the last step through masked loads (bytes past the end are never
/// read): a candidate line of 100 bytes is one or two steps, with no byte-by-byte tail.
__attribute__((target("avx512f,avx512bw")))
static int contains_avx512(const uint8_t *s, size_t n, const uint8_t *needle, size_t m) {
    const __m512i first = _mm512_set1_epi8((char)needle[0]), last = _mm512_set1_epi8((char)needle[m - 1]);
    size_t positions = n - m + 1;  // 2 <= m <= n
    for (size_t i = 0; i < positions; i += 64) {
        size_t rest = positions - i;
        __mmask64 valid = rest >= 64 ? ~0ull : (1ull << rest) - 1;
        __m512i a = _mm512_maskz_loadu_epi8(valid, (const void *)(s + i));
        __m512i b = _mm512_maskz_loadu_epi8(valid, (const void *)(s + i + m - 1));
        uint64_t mask = _mm512_mask_cmpeq_epi8_mask(valid, a, first) & _mm512_cmpeq_epi8_mask(b, last);
        while (mask) {
            uint32_t k = (uint32_t)__builtin_ctzll(mask);
            mask &= mask - 1;
            if (memcmp(s + i + k + 1, needle + 1, m - 2) == 0) return 1;
        }
    }
    return 0;
}
#endif

int acr_contains(const uint8_t *buffer, size_t length, const uint8_t *needle, size_t needle_length) {
    return acr_contains_at(acr_simd_best(), buffer, length, needle, needle_length);
}

int acr_contains_at(int level, const uint8_t *buffer, size_t length, const uint8_t *needle, size_t needle_length) {
    if (needle_length == 0 || needle_length > length) return 0;
    if (needle_length == 1) return memchr(buffer, needle[0], length) != NULL;
#ifdef ACR_X86
    if (level >= ACR_SIMD_AVX512VBMI) return contains_avx512(buffer, length, needle, needle_length);
    if (level >= ACR_SIMD_AVX2) return contains_avx2(buffer, length, needle, needle_length);
#else
    (void)level;
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
