// Prefilter comparison for docs/performance.md: the Teddy search of Sources/CByteScan at every level
// against Vectorscan, over the same files and literals, as the scanner uses a prefilter (first hit,
// then on from the next line). CPU seconds. Not built by the package:
//
//   apt-get install libvectorscan-dev
//   clang -O2 -I Sources/CByteScan/include scripts/prefilter-compare.c Sources/CByteScan/byte_scan.c -lhs -o bench-out/prefilter-compare
//   acrscan literals > bench-out/literals.txt
//   bench-out/prefilter-compare bench-out/literals.txt bench-out/corpus-300/plain/host0[23].log
#define _GNU_SOURCE

#include "byte_scan.h"
#include <hs/hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) { struct timespec ts; clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); return ts.tv_sec + ts.tv_nsec / 1e9; }

typedef struct { const uint8_t *buf; size_t len; size_t next; long candidates; } vctx;
static int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *c) {
    (void)id; (void)from; (void)flags;
    vctx *x = c;
    if (to <= x->next) return 0;  // inside a line already counted
    x->candidates++;
    const uint8_t *nl = memchr(x->buf + to - 1, '\n', x->len - (to - 1));
    x->next = nl ? (size_t)(nl - x->buf) + 1 : x->len;
    return 0;
}

int main(int argc, char **argv) {
    // argv[1]: literals file; argv[2...]: files
    FILE *lf = fopen(argv[1], "r");
    char line[512]; uint8_t bytes[65536]; uint32_t lengths[1024]; size_t count = 0, at = 0;
    char *pats[1024]; unsigned flags[1024], ids[1024];
    while (fgets(line, sizeof line, lf)) {
        size_t n = strcspn(line, "\n"); if (!n) continue; line[n] = 0;
        memcpy(bytes + at, line, n); lengths[count] = (uint32_t)n; at += n;
        // escape for hyperscan: literal API
        pats[count] = strdup(line); flags[count] = HS_FLAG_CASELESS; ids[count] = (unsigned)count;
        count++;
    }
    size_t total = 0; uint8_t *all = NULL;
    for (int i = 2; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb"); fseek(f, 0, SEEK_END); long n = ftell(f); fseek(f, 0, SEEK_SET);
        all = realloc(all, total + n); fread(all + total, 1, n, f); fclose(f); total += n;
    }
    acr_teddy *t = acr_teddy_build(bytes, lengths, count);
    const char *only = getenv("ONLY");
    for (int level = 2; level >= 0; level--) {
        if (only && atoi(only) != level) continue;
        double t0 = now(); long cand = 0; size_t from = 0; uint32_t lit;
        long p;
        while ((p = acr_teddy_first(t, level, all, total, from, &lit)) >= 0) {
            cand++;
            const uint8_t *nl = memchr(all + p, '\n', total - p);
            from = nl ? (size_t)(nl - all) + 1 : total;
        }
        double dt = now() - t0;
        printf("teddy level %d: %ld candidates, %.3f s, %.0f MB/s\n", level, cand, dt, total / 1e6 / dt);
    }
    {
        double t0 = now();
        size_t nl = acr_count_newlines(all, total);
        double dt = now() - t0;
        printf("count newlines: %zu, %.3f s, %.0f MB/s\n", nl, dt, total / 1e6 / dt);
    }
    // Vectorscan: literal API
    hs_database_t *db; hs_compile_error_t *err;
    size_t lens[1024]; for (size_t i = 0; i < count; i++) lens[i] = lengths[i];
    if (hs_compile_lit_multi((const char *const *)pats, flags, ids, lens, (unsigned)count, HS_MODE_BLOCK, NULL, &db, &err) != HS_SUCCESS) {
        printf("hs error: %s\n", err->message); return 1;
    }
    hs_scratch_t *scratch = NULL; hs_alloc_scratch(db, &scratch);
    for (int rep = 0; rep < 2; rep++) {
        double t0 = now();
        vctx x = {all, total, 0, 0};
        // in 1 MiB blocks as the scanner reads
        size_t block = 1 << 20;
        for (size_t off = 0; off < total; off += block) {
            size_t n = off + block < total ? block : total - off;
            x.buf = all; x.len = total;
            // scan the block; matches offsets relative to block
            vctx y = {all + off, n, x.next > off ? x.next - off : 0, 0};
            hs_scan(db, (const char *)all + off, (unsigned)n, 0, scratch, on_match, &y);
            x.candidates += y.candidates; x.next = off + y.next;
        }
        double dt = now() - t0;
        printf("vectorscan one pass per 1 MiB: %ld candidates, %.3f s, %.0f MB/s\n", x.candidates, dt, total / 1e6 / dt);
    }
    return 0;
}
