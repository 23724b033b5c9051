// The exact search for one string on a candidate line (ByteSearch.swift's `firstIndex(of:)`).
#ifndef ACRSCAN_EXACT_SEARCH_H
#define ACRSCAN_EXACT_SEARCH_H

#include <stddef.h>
#include <stdint.h>

/// The first position at or after `from` where `needle` (`needle_length` >= 1 bytes) begins in the
/// buffer, comparing bytes exactly; -1 if none. SIMD on the first and last bytes of the needle
/// (AVX2) where the CPU has it, then `memcmp`.
long acr_find_exact(const uint8_t *buffer, size_t length, size_t from, const uint8_t *needle, size_t needle_length);
/// The same with AVX2 (`simd` != 0, on a CPU that has it) or by `memchr` and `memcmp` (0): tests compare them.
long acr_find_exact_at(int simd, const uint8_t *buffer, size_t length, size_t from, const uint8_t *needle,
                       size_t needle_length);

/// Which of the 64 positions from `from` (those before `length`) hold `x`, `y` or `z`: bit k for
/// `from + k`. The redactor's walk over a line's `-`, `=` and `:` takes a block of them a call.
uint64_t acr_mask64_of3(const uint8_t *buffer, size_t length, size_t from, uint8_t x, uint8_t y, uint8_t z);
/// The same with AVX2 (`simd` != 0, on a CPU that has it) or byte by byte (0): tests compare them.
uint64_t acr_mask64_of3_at(int simd, const uint8_t *buffer, size_t length, size_t from, uint8_t x, uint8_t y,
                           uint8_t z);
/// Whether the buffer holds a byte below 0x20, 0x7F, 0xC2 or 0xE2: every terminal control
/// (C0, DEL, the UTF-8 of C1 controls and of bidirectional overrides) holds one (the redactor's
/// test for a line with nothing to strip). AVX2 where the CPU has it.
int acr_has_control_lead(const uint8_t *buffer, size_t length);
/// The same with AVX2 (`simd` != 0, on a CPU that has it) or byte by byte (0): tests compare them.
int acr_has_control_lead_at(int simd, const uint8_t *buffer, size_t length);

/// Where Docker json-file's stream key (`","stream":"std`) starts in a record `line` whose head
/// (`{"log":"`, 8 bytes) was checked: the first at or after `length - 96` (at or after 8 in a shorter
/// line), else the first at or after 8; -1 if none (`SplitRecord.streamKey`). AVX2 where the CPU has it.
long acr_json_stream_key(const uint8_t *line, size_t length);
/// The same with AVX2 (`simd` != 0, on a CPU that has it) or byte by byte (0): tests compare them.
long acr_json_stream_key_at(int simd, const uint8_t *line, size_t length);

#endif
