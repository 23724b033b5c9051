// Declarations only (include/CFuzzer.h); the driver itself comes from compiler-rt.
#include "CFuzzer.h"
