#ifndef PROJQ_CKERNELS_H
#define PROJQ_CKERNELS_H

#include <stddef.h>
#include <stdint.h>

// The snapshot checksum: a Fletcher-style pair of sums over 64-bit little-endian words in four
// lanes (plus the tail bytes), which runs at memory speed and changes with any flipped byte.
uint64_t projq_checksum(const void *data, size_t length);

// Substring search for `contains`: SSE2 first/last-byte filter, then a compare.
const void *projq_find(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length);
#endif
