// What the alignment of a read buffer costs (docs/performance.md, "Sixth session of 2026-12-02"): the
// files are read with read(2) ROUNDS times (default 5) in chunks of CHUNK KiB into a page-aligned
// buffer at OFFSET bytes past its start, and the rate is printed. With the files in the page cache
// this is the kernel's copy into the buffer, nothing else. SKIP=N starts each file's reads N bytes
// in (the file offset's alignment). Not built by the package:
//
//   cc -O2 scripts/read-alignment.c -o bench-out/read-alignment
//   for o in 0 16 64; do bench-out/read-alignment $o 256 bench-out/corpus-300/plain/*.log; done
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s OFFSET CHUNK_KIB FILE...\n", argv[0]);
        return 2;
    }
    size_t offset = (size_t)atol(argv[1]), chunk = (size_t)atol(argv[2]) * 1024;
    int rounds = getenv("ROUNDS") ? atoi(getenv("ROUNDS")) : 5;
    off_t skip = getenv("SKIP") ? atol(getenv("SKIP")) : 0;
    char *buffer = aligned_alloc(4096, (chunk + offset + 4095) / 4096 * 4096);
    if (!buffer) return 1;
    size_t total = 0;
    double start = now();
    for (int round = 0; round < rounds; round++)
        for (int f = 3; f < argc; f++) {
            int fd = open(argv[f], O_RDONLY);
            if (fd < 0) { perror(argv[f]); return 1; }
            if (skip) lseek(fd, skip, SEEK_SET);
            ssize_t n;
            while ((n = read(fd, buffer + offset, chunk)) > 0) total += (size_t)n;
            close(fd);
        }
    double seconds = now() - start;
    printf("offset %zu, chunk %zu KiB, skip %lld: %.3f s, %.2f GB/s\n", offset, chunk / 1024, (long long)skip, seconds,
           total / seconds / 1e9);
    free(buffer);
    return 0;
}
