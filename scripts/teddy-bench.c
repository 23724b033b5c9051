// The prefilter alone (issue 11's scan ratio): `acr_teddy_hits` with line tracking over files, in
// the scanner's 256 KiB chunks, as `OccurrenceScanner.scanLines` calls it, without the candidate
// loop, the reads or the store. Built and run by scripts/teddy-bench.sh (see its header).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "byte_scan.h"

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: teddy-bench LITERALS ROUNDS FILE...\n"); return 2; }
    // The literals, one a line (`acrscan literals`).
    FILE *f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 1; }
    static uint8_t bytes[1 << 16];
    uint32_t lengths[1024];
    size_t count = 0, total = 0;
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        size_t n = strlen(line);
        if (n && line[n - 1] == '\n') n--;
        if (!n) continue;
        memcpy(bytes + total, line, n);
        total += n;
        lengths[count++] = (uint32_t)n;
    }
    fclose(f);
    int rounds = atoi(argv[2]);
    // The files' contents, in memory (the page cache's read is not measured here).
    size_t size = 0, cap = 1 << 20;
    uint8_t *text = malloc(cap);
    for (int a = 3; a < argc; a++) {
        FILE *in = fopen(argv[a], "rb");
        if (!in) { perror(argv[a]); return 1; }
        for (;;) {
            if (size == cap) text = realloc(text, cap *= 2);
            size_t got = fread(text + size, 1, cap - size, in);
            if (!got) break;
            size += got;
        }
        fclose(in);
    }
    acr_teddy *t = acr_teddy_build(bytes, lengths, count);
    int level = acr_simd_best();
    enum { CHUNK = 256 * 1024, CAPACITY = 2048 };
    acr_hit *hits = malloc(CAPACITY * sizeof *hits);
    uint8_t *chunk = aligned_alloc(64, CHUNK);
    double best = 1e9;
    size_t total_hits = 0, lines_with_hits = 0;
    for (int r = 0; r < rounds; r++) {
        size_t found = 0, candidate_lines = 0;
        uint64_t last_line = ~0ull;
        double start = now();
        for (size_t at = 0; at < size;) {
            // Whole lines per chunk, copied into a reused buffer as `read(2)` would leave them.
            size_t n = size - at < CHUNK ? size - at : CHUNK;
            while (n > 0 && text[at + n - 1] != '\n') n--;
            if (n == 0) n = size - at < CHUNK ? size - at : CHUNK;
            memcpy(chunk, text + at, n);
            acr_lines lines = {0, 0};
            size_t from = 0;
            while (from < n) {
                size_t next = 0;
                size_t c = acr_teddy_hits(t, level, chunk, n, from, 0, hits, CAPACITY, &next, &lines);
                for (size_t h = 0; h < c; h++) {
                    uint64_t key = (uint64_t)at + hits[h].line_start;
                    if (key != last_line) { candidate_lines++; last_line = key; }
                }
                found += c;
                from = next;
            }
            at += n;
        }
        double took = now() - start;
        if (took < best) best = took;
        total_hits = found;
        lines_with_hits = candidate_lines;
    }
#ifdef ACR_TEDDY_STATS
    extern size_t acr_teddy_stat_positions, acr_teddy_stat_compared, acr_teddy_stat_matched;
    printf("per round: %zu positions verified, %zu fingerprints compared, %zu matched\n", acr_teddy_stat_positions / rounds,
           acr_teddy_stat_compared / rounds, acr_teddy_stat_matched / rounds);
#endif
    printf("%zu literals, %zu MB, level %d: best of %d %.1f ms of CPU (%.2f GB/s), %zu hits on %zu lines\n", count, size / 1000000,
           level, rounds, best * 1e3, size / best / 1e9, total_hits, lines_with_hits);
    return 0;
}
