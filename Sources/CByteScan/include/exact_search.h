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

/// `SplitRecord.read` (OccurrenceScanner+Sequences.swift): 0 when `line` (its CR trimmed) is neither a
/// Docker json-file record (`{"log":"text\n","stream":"stderr",…}`) nor a CRI record (`TIME stderr P
/// text`); else `ACR_RECORD`, with `ACR_RECORD_PARTIAL` for a part that the next record of its stream
/// continues, `ACR_RECORD_STDERR` for stderr, `ACR_RECORD_JSON` for json-file, and the text's start
/// and end in the line.
enum { ACR_RECORD = 1, ACR_RECORD_PARTIAL = 2, ACR_RECORD_STDERR = 4, ACR_RECORD_JSON = 8 };
int acr_split_record(const uint8_t *line, size_t length, size_t *text_start, size_t *text_end);
/// The same with AVX2 (`simd` != 0, on a CPU that has it) or byte by byte (0) for the stream key.
int acr_split_record_at(int simd, const uint8_t *line, size_t length, size_t *text_start, size_t *text_end);
/// Whether the line `region[start ..< end]` (its CR trimmed) may be matched as part of a split record
/// (`OccurrenceScanner.joinSplitRecord`): 1 when it is a part, or a record that ends a part on the
/// line before it (the same format and stream); 0 otherwise, when that function returns false
/// without reading further. One call for the line and the line before it.
int acr_split_join_possible(const uint8_t *region, size_t start, size_t end);
/// The same with AVX2 (`simd` != 0) or byte by byte (0) for the stream keys: tests compare them.
int acr_split_join_possible_at(int simd, const uint8_t *region, size_t start, size_t end);

#endif
