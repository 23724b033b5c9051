#include <sqlite3.h>

/* glibc's malloc tuning (mallopt, malloc_trim), which Swift's Glibc module leaves out: the store
   gives the pages SQLite frees back to the system, the CLI bounds the malloc arenas. */
#if defined(__linux__)
#include <malloc.h>
#endif

/* SQLite counts every allocation under a global mutex unless told not to (SQLITE_CONFIG_MEMSTATUS,
   on in the system build); acrscan never reads those counts (sqlite3_memory_used, a soft heap
   limit). sqlite3_config is variadic, so Swift calls it here. Only before SQLite is initialised:
   later it returns SQLITE_MISUSE and changes nothing. */
static inline int acr_sqlite_memstatus_off(void) { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }
