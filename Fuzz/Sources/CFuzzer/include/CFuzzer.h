#include <stddef.h>
#include <stdint.h>

// libFuzzer's driver (compiler-rt), linked in by -sanitize=fuzzer. SwiftPM points `main` at
// `ScannerFuzz_main`, so libFuzzer's own `main` is never linked and ours hands over to the driver.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
