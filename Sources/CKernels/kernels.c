#define _GNU_SOURCE
#include "CKernels.h"
#include <string.h>

uint64_t projq_checksum(const void *data, size_t length) {
    const unsigned char *p = (const unsigned char *)data;
    uint64_t a0 = 1, a1 = 2, a2 = 3, a3 = 4;
    uint64_t b0 = 0, b1 = 0, b2 = 0, b3 = 0;
    size_t words = length / 32;
    for (size_t i = 0; i < words; i++) {
        uint64_t w[4];
        memcpy(w, p + i * 32, 32);
        a0 += w[0]; b0 += a0;
        a1 += w[1]; b1 += a1;
        a2 += w[2]; b2 += a2;
        a3 += w[3]; b3 += a3;
    }
    uint64_t tail = 0;
    size_t rest = length - words * 32;
    for (size_t i = 0; i < rest; i++) {
        tail = tail * 131 + p[words * 32 + i] + 1;
    }
    uint64_t h = (uint64_t)length * 0x9E3779B97F4A7C15ull;
    uint64_t parts[9] = {a0, a1, a2, a3, b0, b1, b2, b3, tail};
    for (int i = 0; i < 9; i++) {
        h ^= parts[i] + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    }
    return h;
}

static inline uint64_t mix(uint64_t a, uint64_t b) {
    __uint128_t r = (__uint128_t)a * b;
    return (uint64_t)r ^ (uint64_t)(r >> 64);
}

static inline uint64_t load_tail(const unsigned char *p, size_t n) {
    uint64_t w = 0;
    memcpy(&w, p, n);
    return w;
}

/* wyhash's folded multiply over 16-byte steps; the tail read with a memcpy of the bytes that
   are there, so no read goes past the string. */
uint64_t projq_hash_bytes(const void *data, size_t length) {
    const unsigned char *p = (const unsigned char *)data;
    const uint64_t k0 = 0xa0761d6478bd642full, k1 = 0xe7037ed1a0b428dbull, k2 = 0x8ebc6af09c88c6e3ull;
    uint64_t h = length * k2 ^ k0;
    size_t i = 0;
    for (; i + 16 <= length; i += 16) {
        uint64_t a, b;
        memcpy(&a, p + i, 8);
        memcpy(&b, p + i + 8, 8);
        h = mix(a ^ k1 ^ h, b ^ k0);
    }
    size_t rest = length - i;
    uint64_t a = 0, b = 0;
    if (rest > 8) {
        memcpy(&a, p + i, 8);
        b = load_tail(p + i + 8, rest - 8);
    } else if (rest > 0) {
        a = load_tail(p + i, rest);
    }
    return mix(mix(a ^ k1 ^ h, b ^ k2), length ^ k1);
}

#if defined(__x86_64__)
#include <emmintrin.h>

/* Substring search that compares the needle's first and last bytes against 16 positions at
   once (SSE2, in every x86-64) and checks the rest only where both match: on Chinese text,
   where the first byte alone matches often, this runs several times faster than memmem. */
const void *projq_find(const void *haystack, size_t n, const void *needle, size_t k) {
    const unsigned char *h = (const unsigned char *)haystack;
    const unsigned char *s = (const unsigned char *)needle;
    if (k == 0) return h;
    if (k > n) return NULL;
    if (k == 1) return memchr(h, s[0], n);
    const __m128i first = _mm_set1_epi8((char)s[0]);
    const __m128i last = _mm_set1_epi8((char)s[k - 1]);
    size_t i = 0;
    for (; i + k - 1 + 16 <= n; i += 16) {
        __m128i a = _mm_loadu_si128((const __m128i *)(h + i));
        __m128i b = _mm_loadu_si128((const __m128i *)(h + i + k - 1));
        unsigned mask = (unsigned)_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, last)));
        while (mask) {
            unsigned bit = (unsigned)__builtin_ctz(mask);
            if (memcmp(h + i + bit + 1, s + 1, k - 2) == 0) return h + i + bit;
            mask &= mask - 1;
        }
    }
    for (; i + k <= n; i++) {
        if (h[i] == s[0] && h[i + k - 1] == s[k - 1] && memcmp(h + i, s, k) == 0) return h + i;
    }
    return NULL;
}
#else
const void *projq_find(const void *haystack, size_t n, const void *needle, size_t k) {
    return memmem(haystack, n, needle, k);
}
#endif
