// The case-insensitive search for one string on a candidate line (ByteSearch.swift's
// `firstIndex(ofFolded:)`), apart from byte_scan.c's prefilter.
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

#endif
