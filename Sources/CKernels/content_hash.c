#include "CKernels.h"
#include <string.h>

// XXH64 (Yann Collet's xxHash, 64-bit variant), written from its specification. The CSV cache
// keys files by it: it runs at memory speed, mixes every input bit into the whole result, and its
// published test vectors (checked in StorageTests) pin the implementation down.

static const uint64_t P1 = 0x9E3779B185EBCA87ull;
static const uint64_t P2 = 0xC2B2AE3D27D4EB4Full;
static const uint64_t P3 = 0x165667B19E3779F9ull;
static const uint64_t P4 = 0x85EBCA77C2B2AE63ull;
static const uint64_t P5 = 0x27D4EB2F165667C5ull;

static inline uint64_t rotl64(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

static inline uint64_t read64(const unsigned char *p) {
    uint64_t v;
    memcpy(&v, p, 8);
    return v; // x86-64 and arm64 Linux are little-endian, as the specification reads words
}

static inline uint32_t read32(const unsigned char *p) {
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static inline uint64_t round64(uint64_t acc, uint64_t input) {
    acc += input * P2;
    acc = rotl64(acc, 31);
    return acc * P1;
}

static inline uint64_t merge64(uint64_t acc, uint64_t lane) {
    acc ^= round64(0, lane);
    return acc * P1 + P4;
}

// Consumes whole 32-byte stripes; returns how many bytes it took.
static size_t stripes(uint64_t lanes[4], const unsigned char *p, size_t length) {
    uint64_t v1 = lanes[0], v2 = lanes[1], v3 = lanes[2], v4 = lanes[3];
    size_t i = 0;
    for (; i + 32 <= length; i += 32) {
        v1 = round64(v1, read64(p + i));
        v2 = round64(v2, read64(p + i + 8));
        v3 = round64(v3, read64(p + i + 16));
        v4 = round64(v4, read64(p + i + 24));
    }
    lanes[0] = v1; lanes[1] = v2; lanes[2] = v3; lanes[3] = v4;
    return i;
}

void projq_hash_init(projq_hash_state *state, uint64_t seed) {
    memset(state, 0, sizeof *state);
    state->seed = seed;
    state->lanes[0] = seed + P1 + P2;
    state->lanes[1] = seed + P2;
    state->lanes[2] = seed;
    state->lanes[3] = seed - P1;
}

void projq_hash_update(projq_hash_state *state, const void *data, size_t length) {
    const unsigned char *p = (const unsigned char *)data;
    state->total += length;
    if (state->buffered > 0) {
        size_t take = 32 - state->buffered;
        if (take > length) take = length;
        memcpy(state->buffer + state->buffered, p, take);
        state->buffered += (uint32_t)take;
        p += take;
        length -= take;
        if (state->buffered < 32) return;
        stripes(state->lanes, state->buffer, 32);
        state->buffered = 0;
    }
    size_t done = stripes(state->lanes, p, length);
    memcpy(state->buffer, p + done, length - done);
    state->buffered = (uint32_t)(length - done);
}

uint64_t projq_hash_digest(const projq_hash_state *state) {
    uint64_t h;
    if (state->total >= 32) {
        const uint64_t *v = state->lanes;
        h = rotl64(v[0], 1) + rotl64(v[1], 7) + rotl64(v[2], 12) + rotl64(v[3], 18);
        h = merge64(h, v[0]);
        h = merge64(h, v[1]);
        h = merge64(h, v[2]);
        h = merge64(h, v[3]);
    } else {
        h = state->seed + P5;
    }
    h += state->total;
    const unsigned char *p = state->buffer;
    size_t rest = state->buffered;
    for (; rest >= 8; p += 8, rest -= 8) {
        h ^= round64(0, read64(p));
        h = rotl64(h, 27) * P1 + P4;
    }
    if (rest >= 4) {
        h ^= (uint64_t)read32(p) * P1;
        h = rotl64(h, 23) * P2 + P3;
        p += 4;
        rest -= 4;
    }
    for (; rest > 0; p++, rest--) {
        h ^= (uint64_t)(*p) * P5;
        h = rotl64(h, 11) * P1;
    }
    h ^= h >> 33;
    h *= P2;
    h ^= h >> 29;
    h *= P3;
    h ^= h >> 32;
    return h;
}

uint64_t projq_hash(const void *data, size_t length, uint64_t seed) {
    projq_hash_state state;
    projq_hash_init(&state, seed);
    projq_hash_update(&state, data, length);
    return projq_hash_digest(&state);
}
