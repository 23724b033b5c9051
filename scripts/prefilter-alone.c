// The prefilter alone, as the scanner calls it (docs/performance.md, branch `scanspeed3`): the files
// read into memory, cut into 256 KiB regions ending at a newline, each searched by acr_teddy_hits
// with lines at the best level this CPU runs (hits resumed when the array of 1,024 fills), every hit's start,
// literal, line and line end (memchr where the search left it unknown) summed into a checksum that
// every correct variant of the search gives. CPU seconds, best of ROUNDS (default 7). Not built by
// the package:
//
//   acrscan literals > bench-out/prefilter.txt
//   clang -O3 -I Sources/CByteScan/include scripts/prefilter-alone.c Sources/CByteScan/byte_scan.c -o bench-out/prefilter-alone
//   bench-out/prefilter-alone bench-out/prefilter.txt bench-out/corpus-300/plain/*.log
//
// Built with -DACR_COUNT_COMPARISONS it also prints the fingerprint comparisons per pass (slower:
// for counting, not timing). scripts/prefilter-pair.sh compares two versions of byte_scan.c so.
#define _GNU_SOURCE
#include "byte_scan.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
static double now(void) { struct timespec ts; clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); return ts.tv_sec + ts.tv_nsec / 1e9; }
enum { CAP = 1024, REGION = 256 * 1024 };
#ifdef ACR_COUNT_COMPARISONS
unsigned long long acr_fingerprint_comparisons;  // counted by byte_scan.c built with the same macro
#endif
int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: %s LITERALS FILE...\n", argv[0]); return 2; }
    FILE *list = fopen(argv[1], "r"); char line[512];
    if (!list) { perror(argv[1]); return 1; }
    static uint8_t bytes[1 << 16]; static uint32_t lengths[1024]; size_t count = 0, total = 0;
    while (fgets(line, sizeof line, list)) { size_t n = strlen(line); if (n && line[n-1]=='\n') line[--n]=0; memcpy(bytes+total, line, n); lengths[count++] = n; total += n; }
    double build = 1e9;  // the search's building, best of 10 (the scanner builds its prefilter once per process)
    for (int b = 0; b < 10; b++) {
        double t0 = now();
        acr_teddy_free(acr_teddy_build(bytes, lengths, count));
        if (now() - t0 < build) build = now() - t0;
    }
    acr_teddy *t = acr_teddy_build(bytes, lengths, count);
    size_t cap = 300u << 20, size = 0; uint8_t *all = malloc(cap);
    for (int f = 2; f < argc; f++) { FILE *in = fopen(argv[f], "rb"); if (!in) { perror(argv[f]); return 1; } size += fread(all + size, 1, cap - size, in); fclose(in); }
    acr_hit *hits = malloc(sizeof(acr_hit) * CAP);
    double best = 1e9; unsigned long long sum = 0;
    int rounds = getenv("ROUNDS") ? atoi(getenv("ROUNDS")) : 7;
    for (int round = 0; round < rounds; round++) {
        double t0 = now(); sum = 0;
        for (size_t off = 0; off < size;) {
            size_t n = size - off < REGION ? size - off : REGION;
            if (off + n < size) { while (n > 0 && all[off + n - 1] != '\n') n--; }
            acr_lines lines = {0, 0}; size_t from = 0;
            while (from < n) {
                size_t next; size_t k = acr_teddy_hits(t, acr_simd_best(), all + off, n, from, 0, hits, CAP, &next, &lines);
                for (size_t h = 0; h < k; h++) sum += hits[h].start * 3 + hits[h].literal * 7 + hits[h].newlines * 11 + hits[h].line_start * 13 + (hits[h].line_end == ACR_UNKNOWN_END ? (unsigned long long)((uint8_t*)memchr(all + off + hits[h].start, '\n', n - hits[h].start) - (all + off)) * 17 : hits[h].line_end * 17);
                from = next;
            }
            sum += lines.newlines * 19 + lines.start;
            off += n;
        }
        double el = now() - t0; if (el < best) best = el;
    }
    printf("%.4f s  checksum %llu  build %.2f ms\n", best, sum, build * 1e3);
#ifdef ACR_COUNT_COMPARISONS
    printf("fingerprint comparisons per pass %llu\n", acr_fingerprint_comparisons / (unsigned long long)rounds);
#endif
}
