// The exact search for one string on a candidate line: `exact_search.h`.
#define _GNU_SOURCE
#include "exact_search.h"
#include "byte_scan.h"

#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#define ACR_EXACT_X86 1
#include <immintrin.h>
#endif

// memchr of the first byte and memcmp at each hit: the reference, and the path without AVX2.
static long scalar_find(const uint8_t *b, size_t length, size_t from, const uint8_t *needle, size_t n) {
    size_t i = from;
    const size_t last = length - n;
    while (i <= last) {
        const uint8_t *hit = memchr(b + i, needle[0], last - i + 1);
        if (!hit) return -1;
        size_t at = (size_t)(hit - b);
        if (memcmp(b + at, needle, n) == 0) return (long)at;
        i = at + 1;
    }
    return -1;
}

#ifdef ACR_EXACT_X86
// Candidates are the positions whose first and last bytes equal the needle's; each is compared in
// full. 32 positions a step: a line's common letters (the `d` of `docker push `) cost a compare
// per 32 bytes, not a call per hit.
__attribute__((target("avx2"))) static long avx2_find(const uint8_t *b, size_t length, size_t from,
                                                      const uint8_t *needle, size_t n) {
    const __m256i first = _mm256_set1_epi8((char)needle[0]);
    const __m256i last = _mm256_set1_epi8((char)needle[n - 1]);
    size_t i = from;
    // Both loads (32 positions, and the 32 bytes n - 1 later) inside the buffer.
    for (; i + n - 1 + 32 <= length; i += 32) {
        __m256i a = _mm256_loadu_si256((const __m256i *)(b + i));
        __m256i z = _mm256_loadu_si256((const __m256i *)(b + i + n - 1));
        uint32_t mask = (uint32_t)_mm256_movemask_epi8(_mm256_and_si256(_mm256_cmpeq_epi8(a, first), _mm256_cmpeq_epi8(z, last)));
        while (mask) {
            unsigned k = (unsigned)__builtin_ctz(mask);
            if (memcmp(b + i + k, needle, n) == 0) return (long)(i + k);
            mask &= mask - 1;
        }
    }
    if (i + n > length) return -1;
    // Fewer than 32 positions left: scalar (at most 31 of them).
    long at = scalar_find(b, length, i, needle, n);
    return at;
}

/// AVX2 with the OS saving its registers: the prefilter's own check (`acr_simd_best`, byte_scan.c).
static int has_avx2(void) { return acr_simd_best() >= ACR_SIMD_AVX2; }
#endif

static uint64_t scalar_mask64_of3(const uint8_t *b, size_t length, size_t from, uint8_t x, uint8_t y, uint8_t z) {
    uint64_t mask = 0;
    for (size_t k = 0; k < 64 && from + k < length; k++) {
        uint8_t c = b[from + k];
        if (c == x || c == y || c == z) mask |= (uint64_t)1 << k;
    }
    return mask;
}

#ifdef ACR_EXACT_X86
__attribute__((target("avx2"))) static inline uint64_t avx2_places32(const uint8_t *at, __m256i vx, __m256i vy,
                                                                     __m256i vz) {
    __m256i a = _mm256_loadu_si256((const __m256i *)at);
    __m256i hit = _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(a, vx), _mm256_cmpeq_epi8(a, vy)),
                                  _mm256_cmpeq_epi8(a, vz));
    return (uint64_t)(uint32_t)_mm256_movemask_epi8(hit);
}

// The last block of a buffer is read as the 64 (or two overlapping 32) bytes that end the buffer,
// shifted: no byte loop over a line's tail, no read past its end.
__attribute__((target("avx2"))) static uint64_t avx2_mask64_of3(const uint8_t *b, size_t length, size_t from,
                                                                uint8_t x, uint8_t y, uint8_t z) {
    const __m256i vx = _mm256_set1_epi8((char)x), vy = _mm256_set1_epi8((char)y), vz = _mm256_set1_epi8((char)z);
    if (from + 64 <= length)
        return avx2_places32(b + from, vx, vy, vz) | avx2_places32(b + from + 32, vx, vy, vz) << 32;
    if (length >= 64) {
        size_t p = length - 64;
        uint64_t mask = avx2_places32(b + p, vx, vy, vz) | avx2_places32(b + p + 32, vx, vy, vz) << 32;
        return mask >> (from - p);
    }
    if (length >= 32) {
        uint64_t mask = avx2_places32(b, vx, vy, vz) | avx2_places32(b + length - 32, vx, vy, vz) << (length - 32);
        return mask >> from;
    }
    return scalar_mask64_of3(b, length, from, x, y, z);
}
#endif

uint64_t acr_mask64_of3_at(int simd, const uint8_t *buffer, size_t length, size_t from, uint8_t x, uint8_t y,
                           uint8_t z) {
    if (from >= length) return 0;
#ifdef ACR_EXACT_X86
    if (simd && has_avx2()) return avx2_mask64_of3(buffer, length, from, x, y, z);
#endif
    (void)simd;
    return scalar_mask64_of3(buffer, length, from, x, y, z);
}

uint64_t acr_mask64_of3(const uint8_t *buffer, size_t length, size_t from, uint8_t x, uint8_t y, uint8_t z) {
    return acr_mask64_of3_at(1, buffer, length, from, x, y, z);
}

static inline int is_control_lead(uint8_t c) { return c < 0x20 || c == 0x7F || c == 0xC2 || c == 0xE2; }

static int scalar_has_control_lead(const uint8_t *b, size_t length) {
    for (size_t i = 0; i < length; i++)
        if (is_control_lead(b[i])) return 1;
    return 0;
}

#ifdef ACR_EXACT_X86
__attribute__((target("avx2"))) static int avx2_has_control_lead(const uint8_t *b, size_t length) {
    const __m256i below = _mm256_set1_epi8(0x1F), del = _mm256_set1_epi8(0x7F);
    const __m256i c2 = _mm256_set1_epi8((char)0xC2), e2 = _mm256_set1_epi8((char)0xE2);
    size_t i = 0;
    for (; i + 32 <= length; i += 32) {
        __m256i a = _mm256_loadu_si256((const __m256i *)(b + i));
        // a <= 0x1F (unsigned): min(a, 0x1F) == a.
        __m256i hit = _mm256_or_si256(_mm256_cmpeq_epi8(_mm256_min_epu8(a, below), a), _mm256_cmpeq_epi8(a, del));
        hit = _mm256_or_si256(hit, _mm256_or_si256(_mm256_cmpeq_epi8(a, c2), _mm256_cmpeq_epi8(a, e2)));
        if (_mm256_movemask_epi8(hit)) return 1;
    }
    return scalar_has_control_lead(b + i, length - i);
}
#endif

int acr_has_control_lead_at(int simd, const uint8_t *buffer, size_t length) {
#ifdef ACR_EXACT_X86
    if (simd && has_avx2()) return avx2_has_control_lead(buffer, length);
#endif
    (void)simd;
    return scalar_has_control_lead(buffer, length);
}

int acr_has_control_lead(const uint8_t *buffer, size_t length) { return acr_has_control_lead_at(1, buffer, length); }

long acr_find_exact_at(int simd, const uint8_t *buffer, size_t length, size_t from, const uint8_t *needle,
                       size_t needle_length) {
    if (from > length || needle_length == 0 || length - from < needle_length) return -1;
#ifdef ACR_EXACT_X86
    if (simd && has_avx2()) return avx2_find(buffer, length, from, needle, needle_length);
#endif
    (void)simd;
    return scalar_find(buffer, length, from, needle, needle_length);
}

long acr_find_exact(const uint8_t *buffer, size_t length, size_t from, const uint8_t *needle, size_t needle_length) {
    return acr_find_exact_at(1, buffer, length, from, needle, needle_length);
}

// Docker json-file's stream key (`","stream":"std`, 15 bytes) for `SplitRecord.streamKey`: every
// json-file candidate line and the line before it look for it, so it is one call with no needle
// to pass and no level to ask per call (`acr_find_exact` cost a Swift array access, the level's
// check and a `memcmp` at every `"` ... `d` pair).
static const uint8_t json_stream_key[15] = {'"', ',', '"', 's', 't', 'r', 'e', 'a', 'm', '"', ':', '"', 's', 't', 'd'};

static inline uint64_t load64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

// The key at `p` (15 bytes readable): two overlapping 8-byte compares.
static inline int json_key_at(const uint8_t *p) {
    return load64(p) == load64(json_stream_key) && load64(p + 7) == load64(json_stream_key + 7);
}

// The first key at a position in [from, n - 15], byte by byte: the reference, and short spans.
static long scalar_json_key(const uint8_t *b, size_t from, size_t n) {
    if (n < 15 || from > n - 15) return -1;
    for (size_t p = from; p <= n - 15; p++)
        if (b[p] == '"' && json_key_at(b + p)) return (long)p;
    return -1;
}

#ifdef ACR_EXACT_X86
// 32 positions a step, filtered on three of the key's bytes (`"`, `,` and the last `d`), each
// passing position compared whole. The last step is moved back to end at the last position (it
// looks again at positions the step before found nothing at), so no load passes `b + n`.
__attribute__((target("avx2"))) static inline long avx2_json_key(const uint8_t *b, size_t from, size_t n) {
    if (n < 15 || from > n - 15) return -1;
    const size_t last = n - 15;
    if (last - from + 1 < 32) return scalar_json_key(b, from, n);
    const __m256i quote = _mm256_set1_epi8('"'), comma = _mm256_set1_epi8(','), d = _mm256_set1_epi8('d');
    for (size_t p = from;; p += 32) {
        if (p + 31 > last) p = last - 31;
        __m256i a = _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(b + p)), quote);
        __m256i c = _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(b + p + 1)), comma);
        __m256i z = _mm256_cmpeq_epi8(_mm256_loadu_si256((const __m256i *)(b + p + 14)), d);
        uint32_t mask = (uint32_t)_mm256_movemask_epi8(_mm256_and_si256(_mm256_and_si256(a, c), z));
        while (mask) {
            unsigned k = (unsigned)__builtin_ctz(mask);
            if (json_key_at(b + p + k)) return (long)(p + k);
            mask &= mask - 1;
        }
        if (p + 31 == last) return -1;
    }
}

// The window, then the whole record: one function, the searches inlined into it.
__attribute__((target("avx2"))) static long avx2_json_stream_key(const uint8_t *line, size_t length) {
    const size_t head = 8, window = 96;
    size_t from = length > head + window ? length - window : head;
    long at = avx2_json_key(line, from, length);
    if (at >= 0 || from == head) return at;
    return avx2_json_key(line, head, length);
}
#endif

static long scalar_json_stream_key(const uint8_t *line, size_t length) {
    const size_t head = 8, window = 96;
    size_t from = length > head + window ? length - window : head;
    long at = scalar_json_key(line, from, length);
    if (at >= 0 || from == head) return at;
    return scalar_json_key(line, head, length);
}

long acr_json_stream_key_at(int simd, const uint8_t *line, size_t length) {
#ifdef ACR_EXACT_X86
    if (simd && has_avx2()) return avx2_json_stream_key(line, length);
#endif
    (void)simd;
    return scalar_json_stream_key(line, length);
}

long acr_json_stream_key(const uint8_t *line, size_t length) { return acr_json_stream_key_at(1, line, length); }

// Split records (`SplitRecord.read`, OccurrenceScanner+Sequences.swift) in one call: every candidate
// line of a json-file or CRI log, and the line before it, is read as one.
static int split_record(int simd, const uint8_t *line, size_t n, size_t *text_start, size_t *text_end) {
    static const uint8_t head[8] = {'{', '"', 'l', 'o', 'g', '"', ':', '"'};
    if (n > 8 && load64(line) == load64(head)) {
        long key = acr_json_stream_key_at(simd, line, n);
        if (key < 0 || (size_t)key + 15 + 3 > n) return 0;
        size_t at = (size_t)key;
        int newline = at >= 2 && line[at - 2] == '\\' && line[at - 1] == 'n';
        int escaped = at >= 3 && line[at - 3] == '\\';
        *text_start = 8;
        *text_end = at;
        return ACR_RECORD | ACR_RECORD_JSON | (!newline || escaped ? ACR_RECORD_PARTIAL : 0) |
               (line[at + 15] == 'e' ? ACR_RECORD_STDERR : 0);
    }
    // `2026-11-20T03:14:15.123456789Z stderr P text`
    if (n <= 30 || (uint8_t)(line[0] - '0') > 9 || line[4] != '-' || line[10] != 'T') return 0;
    size_t i = 11, stop = n < 48 ? n : 48;
    while (i < stop && line[i] != ' ') i++;
    if (i + 10 > n || line[i] != ' ' || line[i + 1] != 's' || line[i + 2] != 't' || line[i + 3] != 'd') return 0;
    size_t stream = i + 1;
    if (line[stream + 6] != ' ' || (line[stream + 7] != 'P' && line[stream + 7] != 'F') || line[stream + 8] != ' ') return 0;
    *text_start = stream + 9;
    *text_end = n;
    return ACR_RECORD | (line[stream + 7] == 'P' ? ACR_RECORD_PARTIAL : 0) | (line[stream + 3] == 'e' ? ACR_RECORD_STDERR : 0);
}

int acr_split_record_at(int simd, const uint8_t *line, size_t length, size_t *text_start, size_t *text_end) {
    return split_record(simd, line, length, text_start, text_end);
}

int acr_split_record(const uint8_t *line, size_t length, size_t *text_start, size_t *text_end) {
    return split_record(1, line, length, text_start, text_end);
}

int acr_split_join_possible_at(int simd, const uint8_t *region, size_t start, size_t end) {
    size_t n = end - start, text_start, text_end;
    const uint8_t *line = region + start;
    if (n > 0 && line[n - 1] == '\r') n--;
    int record = split_record(simd, line, n, &text_start, &text_end);
    if (!record) return 0;
    if (record & ACR_RECORD_PARTIAL) return 1;
    if (start == 0) return 0;
    // The line before: from after the last newline before its own (or the region's start).
    size_t before_end = start - 1;
    const uint8_t *newline = before_end > 0 ? memrchr(region, '\n', before_end) : NULL;
    size_t before = newline ? (size_t)(newline - region) + 1 : 0;
    size_t m = before_end - before;
    if (m > 0 && region[before + m - 1] == '\r') m--;
    int part = split_record(simd, region + before, m, &text_start, &text_end);
    // `SplitRecord.continues`: a part, of the same format and stream.
    const int same = ACR_RECORD_JSON | ACR_RECORD_STDERR;
    return part && (part & ACR_RECORD_PARTIAL) && (part & same) == (record & same);
}

int acr_split_join_possible(const uint8_t *region, size_t start, size_t end) {
    return acr_split_join_possible_at(1, region, start, end);
}
