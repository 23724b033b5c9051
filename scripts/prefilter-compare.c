// Prefilter comparison for docs/performance.md: the Teddy search of Sources/CByteScan, at each SIMD
// level this CPU runs, against Vectorscan, over the same files and literals, used as the scanner
// uses its prefilter: one pass per 256 KiB region reporting every occurrence of every literal
// (Teddy's hits mode; a Vectorscan callback that records each match), then the candidate lines
// gathered from the hits. CPU seconds, best of three runs. Not built by the package:
//
//   apt-get install libvectorscan-dev
//   clang -O2 -I Sources/CByteScan/include scripts/prefilter-compare.c Sources/CByteScan/byte_scan.c -lhs -o bench-out/prefilter-compare
//   acrscan literals > bench-out/prefilter.txt            # the prefilter
//   acrscan literals --context > bench-out/context.txt    # the context anchors, searched lazily
//   bench-out/prefilter-compare bench-out/prefilter.txt bench-out/corpus-300/plain/host0[23].log
#define _GNU_SOURCE

#include "byte_scan.h"
#include <hs/hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

enum { CAP = 4096, REGION = 256 * 1024 };

typedef struct { acr_hit *hits; size_t n; const uint32_t *length; } recorder;

static int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *context) {
    (void)from; (void)flags;
    recorder *r = context;
    if (r->n == CAP) return 1;
    r->hits[r->n++] = (acr_hit){to - r->length[id], id};
    return 0;
}

/// Candidate lines among `n` hits (in line order), as the scanner gathers them.
static long lines_of(const uint8_t *buffer, size_t length, const acr_hit *hits, size_t n, long *line_end) {
    long lines = 0;
    for (size_t i = 0; i < n; i++) {
        if ((long)hits[i].start < *line_end) continue;
        lines++;
        const uint8_t *newline = memchr(buffer + hits[i].start, '\n', length - hits[i].start);
        *line_end = newline ? newline - buffer : (long)length;
    }
    return lines;
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: %s LITERALS FILE...\n", argv[0]); return 2; }
    FILE *list = fopen(argv[1], "r");
    if (!list) { perror(argv[1]); return 1; }
    char line[512];
    static uint8_t bytes[1 << 16];
    static uint32_t lengths[1024];
    static char *patterns[1024];
    static unsigned flags[1024], ids[1024];
    static size_t sizes[1024];
    size_t count = 0, at = 0;
    while (count < 1024 && fgets(line, sizeof line, list)) {
        size_t n = strcspn(line, "\n");
        if (!n) continue;
        line[n] = 0;
        memcpy(bytes + at, line, n);
        lengths[count] = (uint32_t)n;
        sizes[count] = n;
        at += n;
        patterns[count] = strdup(line);
        flags[count] = HS_FLAG_CASELESS;
        ids[count] = (unsigned)count;
        count++;
    }
    size_t total = 0;
    uint8_t *all = NULL;
    for (int i = 2; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) { perror(argv[i]); return 1; }
        fseek(f, 0, SEEK_END);
        long n = ftell(f);
        fseek(f, 0, SEEK_SET);
        all = realloc(all, total + n);
        if (fread(all + total, 1, n, f) != (size_t)n) return 1;
        fclose(f);
        total += n;
    }
    acr_hit *hits = malloc(CAP * sizeof(acr_hit));
    printf("%zu literals, %.1f MB\n", count, total / 1e6);

    double t0 = now();
    acr_teddy *teddy = acr_teddy_build(bytes, lengths, count);
    printf("  teddy build: %.4f s\n", now() - t0);
    for (int level = acr_simd_best(); level >= 0; level--) {
        double best = 1e9;
        long candidates = 0, found = 0;
        for (int run = 0; run < 3; run++) {
            t0 = now();
            candidates = found = 0;
            for (size_t off = 0; off < total; off += REGION) {
                size_t n = off + REGION < total ? REGION : total - off, from = 0, next;
                long line_end = -1;
                do {
                    size_t k = acr_teddy_hits(teddy, level, all + off, n, from, 0, hits, CAP, &next, NULL);
                    found += (long)k;
                    candidates += lines_of(all + off, n, hits, k, &line_end);
                    from = next;
                } while (from < n);
            }
            double dt = now() - t0;
            if (dt < best) best = dt;
        }
        printf("  teddy level %d: %ld hits, %ld candidate lines, %.3f s, %.0f MB/s\n", level, found, candidates, best, total / 1e6 / best);
    }

    hs_database_t *db;
    hs_compile_error_t *error;
    t0 = now();
    if (hs_compile_lit_multi((const char *const *)patterns, flags, ids, sizes, (unsigned)count, HS_MODE_BLOCK, NULL, &db, &error) != HS_SUCCESS) {
        printf("vectorscan: %s\n", error->message);
        return 1;
    }
    printf("  vectorscan compile: %.4f s\n", now() - t0);
    hs_scratch_t *scratch = NULL;
    hs_alloc_scratch(db, &scratch);
    double best = 1e9;
    long candidates = 0, found = 0;
    for (int run = 0; run < 3; run++) {
        t0 = now();
        candidates = found = 0;
        for (size_t off = 0; off < total; off += REGION) {
            size_t n = off + REGION < total ? REGION : total - off;
            recorder r = {hits, 0, lengths};
            long line_end = -1;
            hs_scan(db, (const char *)all + off, (unsigned)n, 0, scratch, on_match, &r);
            found += (long)r.n;
            candidates += lines_of(all + off, n, hits, r.n, &line_end);
        }
        double dt = now() - t0;
        if (dt < best) best = dt;
    }
    printf("  vectorscan: %ld hits, %ld candidate lines, %.3f s, %.0f MB/s\n", found, candidates, best, total / 1e6 / best);
    return 0;
}
