// Searches on one candidate line, apart from byte_scan.c's prefilter: one string ignoring case
// (ByteSearch.swift's `firstIndex(ofFolded:)`), and any of a rule's strings (`Matcher.evaluate`).
#ifndef ACRSCAN_FOLDED_SEARCH_H
#define ACRSCAN_FOLDED_SEARCH_H

#include <stddef.h>
#include <stdint.h>

/// The first position at or after `from` where `needle` (`needle_length` >= 1 bytes, ASCII
/// lower-case: folded) begins in the buffer, ignoring ASCII case; -1 if none. SIMD on the first
/// and last bytes of the needle (AVX2) where the CPU has it.
long acr_find_folded(const uint8_t *buffer, size_t length, size_t from, const uint8_t *needle, size_t needle_length);
/// The same with AVX2 (`simd` != 0, on a CPU that has it) or byte by byte (0): tests compare them.
long acr_find_folded_at(int simd, const uint8_t *buffer, size_t length, size_t from, const uint8_t *needle,
                        size_t needle_length);

/// Whether any of `count` needles occurs in the buffer, comparing bytes exactly: needle `k` is
/// `spans[2k + 1]` (>= 1) bytes of `bytes` from `spans[2k]`. One pass over the buffer for all of
/// them (AVX-512: each 64-byte block loaded once, the needles' first bytes compared on it, their
/// last bytes only where a first byte matched); else `acr_contains` per needle.
int acr_contains_any(const uint8_t *buffer, size_t length, const uint8_t *bytes, const uint32_t *spans, size_t count);
/// Whether any of `count` needles occurs in the buffer, comparing bytes exactly, where it may only
/// occur at a known hit of a literal it holds: needle `k` is `quads[4k + 1]` (>= 1) bytes of `bytes`
/// from `quads[4k]`, holding literal `quads[4k + 2]` at offset `quads[4k + 3]`; `spots[s]` is a hit,
/// the literal in its high 32 bits, its position in the buffer in the low 32. Exact when the spots
/// are every occurrence of those literals in the buffer (the scanner's region search reports
/// every one): a needle occurs at `p` only if its literal occurs at `p + offset`.
/// O(count × hits), no pass over the buffer.
int acr_spots_any(const uint8_t *buffer, size_t length, const uint8_t *bytes, const uint32_t *quads, size_t count,
                  const uint64_t *spots, size_t spot_count);
/// `Matcher.cannotFire`: 1 when, for every literal of `words` (a bit per literal, `word_count`
/// words), `gate_count[literal]` >= 0 and none of its gate's needles occurs at the line's `spots`;
/// else 0. The gate's needles are quadruples of `gate_quads` as `acr_spots_any` reads them, grouped
/// in runs by the literal they hold: `run_count[literal]` runs from `run_start[literal]`, run `r`
/// the triple `runs[3r]` (the literal held), `runs[3r + 1]` (its first quadruple), `runs[3r + 2]`
/// (how many). A run whose literal has no hit on the line is passed over at one bit of `words`, and
/// each spot is compared only with the needles that hold its literal. One call per look-alike line,
/// no Swift array reached per line.
int acr_cannot_fire(const uint8_t *line, size_t length, const uint64_t *words, size_t word_count,
                    const int32_t *gate_count, const int32_t *run_start, const int32_t *run_count,
                    const uint32_t *runs, const uint32_t *gate_quads, const uint8_t *bytes, const uint64_t *spots,
                    size_t spot_count);
/// `acr_cannot_fire` over each gate's needles as one list (`gate_count[literal]` quadruples from
/// `gate_start[literal]`), each compared with every spot through `acr_spots_any`: the way before
/// the runs, kept as the tests' reference.
int acr_cannot_fire_flat(const uint8_t *line, size_t length, const uint64_t *words, size_t word_count,
                         const int32_t *gate_count, const int32_t *gate_start, const uint32_t *gate_quads,
                         const uint8_t *bytes, const uint64_t *spots, size_t spot_count);
/// The same with AVX-512 (`simd` != 0, on a CPU that has AVX-512 BW) or `acr_contains` per needle.
int acr_contains_any_at(int simd, const uint8_t *buffer, size_t length, const uint8_t *bytes, const uint32_t *spans,
                        size_t count);
/// Whether this CPU runs `acr_contains_any_at`'s AVX-512 pass (AVX-512 F and BW, and `ACRSCAN_SIMD`
/// allows it): `simd` != 0 elsewhere executes instructions the CPU does not have.
int acr_contains_any_has_simd(void);

#endif
