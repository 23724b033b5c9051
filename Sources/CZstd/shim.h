#define ZSTD_STATIC_LINKING_ONLY  /* ZSTD_getFrameHeader, ZSTD_decodingBufferSize_min: exported by libzstd.so too */
#include <zstd.h>
#include <zstd_errors.h>
