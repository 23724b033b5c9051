// Byte search primitives of the scanner's hot path, in C for what Swift cannot express: SIMD byte
// shuffles chosen at run time by CPU (AVX2, SSSE3), and glibc's memrchr. See ByteSearch.swift.
#ifndef ACRSCAN_BYTE_SCAN_H
#define ACRSCAN_BYTE_SCAN_H

#include <stddef.h>
#include <stdint.h>

/// A compiled multi-literal search (ASCII case-insensitive), immutable once built: share it freely.
typedef struct acr_teddy acr_teddy;

/// The implementations of the block filter, best first.
enum acr_simd_level { ACR_SIMD_SCALAR = 0, ACR_SIMD_SSSE3 = 1, ACR_SIMD_AVX2 = 2, ACR_SIMD_AVX512VBMI = 3 };

/// The best level this CPU runs, at most `acr_simd_cap()`.
int acr_simd_best(void);

/// The highest level allowed: `ACRSCAN_SIMD=avx2|ssse3|scalar` in the environment lowers it, to
/// measure and test on this machine what a CPU without AVX-512 (or AVX2) runs; else the highest.
/// AVX-512 code outside the prefilter (folded_search.c) is left out below `ACR_SIMD_AVX512VBMI` too.
int acr_simd_cap(void);

/// Builds a search for `count` literals: literal `i` is `lengths[i]` bytes of `bytes`, after the
/// bytes of the literals before it. Every length is at least 1. Returns NULL if out of memory.
acr_teddy *acr_teddy_build(const uint8_t *bytes, const uint32_t *lengths, size_t count);
void acr_teddy_free(acr_teddy *teddy);

/// The first position at or after `from` where a literal begins (-1 if none); `*literal` is the
/// lowest index of the literals that begin there. `level` is at most `acr_simd_best()`.
long acr_teddy_first(const acr_teddy *teddy, int level, const uint8_t *buffer, size_t length, size_t from, uint32_t *literal);

/// Sets bit `i % 64` of `words[i / 64]` for every literal `i` that occurs in the buffer (the words
/// are not cleared first).
void acr_teddy_presence(const acr_teddy *teddy, int level, const uint8_t *buffer, size_t length, uint64_t *words);

/// Where a line starts and how many newlines came before it (see `acr_teddy_hits`).
typedef struct {
    uint64_t newlines;
    uint64_t start;
} acr_lines;

/// One occurrence of a literal: where it begins and which literal it is; with line tracking, also
/// the line it lies on (its start, and the newlines before `start`, as `acr_lines`) and, when the
/// AVX2 or AVX-512 loop saw it, the line's end: the first `\n` at or after `start` (else `ACR_UNKNOWN_END`).
typedef struct {
    uint64_t start;
    uint32_t literal;
    uint64_t newlines;
    uint64_t line_start;
    uint64_t line_end;
} acr_hit;

/// `acr_hit.line_end` when it is not known.
#define ACR_UNKNOWN_END 0xFFFFFFFFFFFFFFFFULL

/// Every occurrence of every literal whose fingerprint lies at or after `from` and which begins at or
/// after `min_start`, in the order of their fingerprints (so the lines they lie on come in order;
/// several literals of one line may come in any order). Fills at most `capacity` hits (at least the
/// number of literals) and returns how many; `*next` is `length` when the buffer was searched to
/// its end, or the position to call again from (with the same `min_start`) when the hits ran out of
/// room. Every occurrence is reported exactly once across the calls.
///
/// With `lines` (else NULL), each hit also gets its line: `newlines` is `lines->newlines` plus the
/// `\n` bytes in `buffer[from..<start]`, `line_start` the position after the last of them, or
/// `lines->start` if there is none; `*lines` is then set to the same values at `*next`, ready for
/// the next call. The AVX2 and AVX-512 loops count them as they filter (no second pass over the buffer).
size_t acr_teddy_hits(const acr_teddy *teddy, int level, const uint8_t *buffer, size_t length, size_t from, size_t min_start,
                      acr_hit *hits, size_t capacity, size_t *next, acr_lines *lines);

/// Whether one of the literals occurs in `buffer[start ..< end]`; a literal that begins with an
/// ASCII digit counts only as a number of its own (no digit just before or after it, inside the
/// range). Bytes up to `buffer + readable` (at least `end`) may be read, never reported: a line
/// searched where it lies in a larger buffer needs no masked or padded last block. For one line
/// and a small set (the unknown-shape failure words); any level, the same answer at each.
int acr_teddy_any_word(const acr_teddy *teddy, int level, const uint8_t *buffer, size_t start, size_t end, size_t readable);

/// A 64-bit hash of the bytes of the buffer that are not ASCII digits: two lines that differ only
/// by inserted or removed digits have the same key (the shape key of unknown shapes, the same
/// classes as `Fields.form`). Four independent multiply lanes over 8-byte words, not one chain per
/// byte.
uint64_t acr_form_key(const uint8_t *buffer, size_t length);

/// The number of `\n` bytes in the buffer.
size_t acr_count_newlines(const uint8_t *buffer, size_t length);

/// Whether `needle` (at least one byte) occurs in the buffer, comparing bytes exactly (SIMD on the
/// first and last bytes, at the best level this CPU runs).
int acr_contains(const uint8_t *buffer, size_t length, const uint8_t *needle, size_t needle_length);
/// The same at implementation `level` (at most `acr_simd_best()`): AVX-512, AVX2, else memchr.
int acr_contains_at(int level, const uint8_t *buffer, size_t length, const uint8_t *needle, size_t needle_length);

/// The index of the last `\n` in `buffer[from..<to]`, or -1.
long acr_last_newline(const uint8_t *buffer, size_t from, size_t to);

#endif
