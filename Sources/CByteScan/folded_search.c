// The case-insensitive search for one string on a candidate line: `folded_search.h`.
#include "folded_search.h"
#include "byte_scan.h"

#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#define ACR_FOLDED_X86 1
#include <immintrin.h>
#endif

static inline uint8_t fold(uint8_t c) { return (uint8_t)(c - 'A') < 26 ? (uint8_t)(c | 0x20) : c; }

static inline int folded_equal(const uint8_t *p, const uint8_t *needle, size_t n) {
    for (size_t j = 0; j < n; j++)
        if (fold(p[j]) != needle[j]) return 0;
    return 1;
}

static long scalar_find(const uint8_t *b, size_t length, size_t from, const uint8_t *needle, size_t n) {
    for (size_t i = from; i + n <= length; i++)
        if (folded_equal(b + i, needle, n)) return (long)i;
    return -1;
}

#ifdef ACR_FOLDED_X86
// Candidates are the positions whose first and last bytes, with bit 0x20 set, equal the needle's
// first and last bytes with bit 0x20 set: every folded match is one (a letter of either case and
// any other byte keep their value or gain the same bit), and each is compared in full.
__attribute__((target("avx2"))) static long avx2_find(const uint8_t *b, size_t length, size_t from,
                                                      const uint8_t *needle, size_t n) {
    const __m256i bit = _mm256_set1_epi8(0x20);
    const __m256i first = _mm256_set1_epi8((char)(needle[0] | 0x20));
    const __m256i last = _mm256_set1_epi8((char)(needle[n - 1] | 0x20));
    size_t i = from;
    // Both loads (32 positions, and the 32 bytes n - 1 later) inside the buffer.
    for (; i + n - 1 + 32 <= length; i += 32) {
        __m256i a = _mm256_or_si256(_mm256_loadu_si256((const __m256i *)(b + i)), bit);
        __m256i z = _mm256_or_si256(_mm256_loadu_si256((const __m256i *)(b + i + n - 1)), bit);
        uint32_t mask = (uint32_t)_mm256_movemask_epi8(_mm256_and_si256(_mm256_cmpeq_epi8(a, first), _mm256_cmpeq_epi8(z, last)));
        while (mask) {
            unsigned k = (unsigned)__builtin_ctz(mask);
            if (folded_equal(b + i + k, needle, n)) return (long)(i + k);
            mask &= mask - 1;
        }
    }
    if (i + n > length) return -1;
    // Fewer than 32 positions left: the same on a zero-padded copy of the rest, the positions past
    // the last start masked off; matches are compared in the buffer itself.
    uint8_t pad[32 + 64];
    size_t rest = length - i;  // < 31 + n <= 95
    memset(pad, 0, sizeof pad);
    memcpy(pad, b + i, rest);
    __m256i a = _mm256_or_si256(_mm256_loadu_si256((const __m256i *)pad), bit);
    __m256i z = _mm256_or_si256(_mm256_loadu_si256((const __m256i *)(pad + n - 1)), bit);
    uint64_t mask = (uint32_t)_mm256_movemask_epi8(_mm256_and_si256(_mm256_cmpeq_epi8(a, first), _mm256_cmpeq_epi8(z, last)));
    mask &= (1ull << (rest - n + 1)) - 1;
    while (mask) {
        unsigned k = (unsigned)__builtin_ctzll(mask);
        if (folded_equal(b + i + k, needle, n)) return (long)(i + k);
        mask &= mask - 1;
    }
    return -1;
}

__attribute__((target("avx512f,avx512bw"))) static int avx512_contains_any(const uint8_t *b, size_t length,
                                                                         const uint8_t *bytes, const uint32_t *spans,
                                                                         size_t count) {
    for (size_t i = 0; i < length; i += 64) {
        size_t here = length - i < 64 ? length - i : 64;
        __m512i block = _mm512_maskz_loadu_epi8(here == 64 ? ~0ull : (1ull << here) - 1, b + i);
        for (size_t k = 0; k < count; k++) {
            const uint8_t *needle = bytes + spans[2 * k];
            size_t n = spans[2 * k + 1];
            if (n > length || i > length - n) continue;
            size_t starts = length - n - i + 1;  // positions from i where the needle fits
            __mmask64 valid = starts >= 64 ? ~0ull : (1ull << starts) - 1;
            __mmask64 m = _mm512_mask_cmpeq_epi8_mask(valid, block, _mm512_set1_epi8((char)needle[0]));
            if (!m) continue;
            if (n > 1) {
                // The bytes n - 1 later, loaded only as far as the buffer goes (masked: never read past it).
                size_t from = i + n - 1, have = length - from < 64 ? length - from : 64;
                __m512i ends = _mm512_maskz_loadu_epi8(have == 64 ? ~0ull : (1ull << have) - 1, b + from);
                m &= _mm512_cmpeq_epi8_mask(ends, _mm512_set1_epi8((char)needle[n - 1]));
            }
            while (m) {
                unsigned p = (unsigned)__builtin_ctzll(m);
                if (memcmp(b + i + p, needle, n) == 0) return 1;
                m &= m - 1;
            }
        }
    }
    return 0;
}

static int has_avx512bw(void) {
    static int known = -1;
    int value = __atomic_load_n(&known, __ATOMIC_RELAXED);
    if (value < 0) {
        __builtin_cpu_init();
        value = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
                && acr_simd_cap() >= ACR_SIMD_AVX512VBMI ? 1 : 0;
        __atomic_store_n(&known, value, __ATOMIC_RELAXED);
    }
    return value;
}

/// AVX2 with the OS saving its registers: the prefilter's own check (`acr_simd_best`, byte_scan.c).
static int has_avx2(void) { return acr_simd_best() >= ACR_SIMD_AVX2; }
#endif

long acr_find_folded_at(int simd, const uint8_t *buffer, size_t length, size_t from, const uint8_t *needle,
                        size_t needle_length) {
    if (needle_length == 0 || from > length || length - from < needle_length) return -1;
#ifdef ACR_FOLDED_X86
    // Needles longer than 65 bytes would not fit the padded tail: byte by byte (none are that long).
    if (simd && needle_length <= 65) return avx2_find(buffer, length, from, needle, needle_length);
#else
    (void)simd;
#endif
    return scalar_find(buffer, length, from, needle, needle_length);
}

long acr_find_folded(const uint8_t *buffer, size_t length, size_t from, const uint8_t *needle, size_t needle_length) {
#ifdef ACR_FOLDED_X86
    return acr_find_folded_at(has_avx2(), buffer, length, from, needle, needle_length);
#else
    return acr_find_folded_at(0, buffer, length, from, needle, needle_length);
#endif
}

int acr_contains_any_at(int simd, const uint8_t *buffer, size_t length, const uint8_t *bytes, const uint32_t *spans,
                        size_t count) {
    if (length == 0 || count == 0) return 0;
#ifdef ACR_FOLDED_X86
    if (simd) return avx512_contains_any(buffer, length, bytes, spans, count);
#else
    (void)simd;
#endif
    for (size_t k = 0; k < count; k++)
        if (acr_contains(buffer, length, bytes + spans[2 * k], spans[2 * k + 1])) return 1;
    return 0;
}

int acr_contains_any_has_simd(void) {
#ifdef ACR_FOLDED_X86
    return has_avx512bw();
#else
    return 0;
#endif
}

int acr_contains_any(const uint8_t *buffer, size_t length, const uint8_t *bytes, const uint32_t *spans, size_t count) {
#ifdef ACR_FOLDED_X86
    return acr_contains_any_at(has_avx512bw(), buffer, length, bytes, spans, count);
#else
    return acr_contains_any_at(0, buffer, length, bytes, spans, count);
#endif
}

int acr_spots_any(const uint8_t *buffer, size_t length, const uint8_t *bytes, const uint32_t *quads, size_t count,
                  const uint64_t *spots, size_t spot_count) {
    for (size_t k = 0; k < count; k++) {
        const uint32_t *q = quads + 4 * k;
        const uint8_t *needle = bytes + q[0];
        size_t n = q[1], offset = q[3];
        for (size_t s = 0; s < spot_count; s++) {
            if ((uint32_t)(spots[s] >> 32) != q[2]) continue;
            size_t at = (uint32_t)spots[s];
            if (at < offset || at - offset + n > length) continue;
            const uint8_t *text = buffer + at - offset;
            // The first and last bytes first: most hits are the literal without the needle's context.
            if (text[0] != needle[0] || text[n - 1] != needle[n - 1]) continue;
            if (memcmp(text, needle, n) == 0) return 1;
        }
    }
    return 0;
}

int acr_cannot_fire_flat(const uint8_t *line, size_t length, const uint64_t *words, size_t word_count,
                         const int32_t *gate_count, const int32_t *gate_start, const uint32_t *gate_quads,
                         const uint8_t *bytes, const uint64_t *spots, size_t spot_count) {
    for (size_t w = 0; w < word_count; w++) {
        uint64_t bits = words[w];
        while (bits) {
            size_t literal = 64 * w + (size_t)__builtin_ctzll(bits);
            bits &= bits - 1;
            int32_t count = gate_count[literal];
            if (count < 0) return 0;
            if (count > 0 &&
                acr_spots_any(line, length, bytes, gate_quads + 4 * (size_t)gate_start[literal], (size_t)count, spots,
                              spot_count))
                return 0;
        }
    }
    return 1;
}

int acr_cannot_fire(const uint8_t *line, size_t length, const uint64_t *words, size_t word_count,
                    const int32_t *gate_count, const int32_t *run_start, const int32_t *run_count,
                    const uint32_t *runs, const uint32_t *gate_quads, const uint8_t *bytes, const uint64_t *spots,
                    size_t spot_count) {
    for (size_t w = 0; w < word_count; w++) {
        uint64_t bits = words[w];
        while (bits) {
            size_t literal = 64 * w + (size_t)__builtin_ctzll(bits);
            bits &= bits - 1;
            if (gate_count[literal] < 0) return 0;
            const uint32_t *run = runs + 3 * (size_t)run_start[literal];
            for (int32_t r = 0; r < run_count[literal]; r++, run += 3) {
                // The needles that hold literal `held`: only at its hits, and none when it has none
                // on the line (`words` has a bit for every literal hit on it).
                uint32_t held = run[0];
                if (!((words[held >> 6] >> (held & 63)) & 1)) continue;
                const uint32_t *first = gate_quads + 4 * (size_t)run[1], *past = first + 4 * (size_t)run[2];
                for (size_t s = 0; s < spot_count; s++) {
                    if ((uint32_t)(spots[s] >> 32) != held) continue;
                    size_t at = (uint32_t)spots[s];
                    for (const uint32_t *q = first; q < past; q += 4) {
                        const uint8_t *needle = bytes + q[0];
                        size_t n = q[1], offset = q[3];
                        if (at < offset || at - offset + n > length) continue;
                        const uint8_t *text = line + at - offset;
                        if (text[0] != needle[0] || text[n - 1] != needle[n - 1]) continue;
                        if (memcmp(text, needle, n) == 0) return 0;
                    }
                }
            }
        }
    }
    return 1;
}
