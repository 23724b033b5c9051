#include <sqlite3.h>

/* glibc's malloc tuning (mallopt, malloc_trim), which Swift's Glibc module leaves out: the store
   gives the pages SQLite frees back to the system, the CLI bounds the malloc arenas. */
#if defined(__linux__)
#include <malloc.h>
#endif
