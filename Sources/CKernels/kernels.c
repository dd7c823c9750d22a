#define _GNU_SOURCE
#include "CKernels.h"
#include <string.h>

/* The checksum of a snapshot block: CRC32C (Castagnoli), computed as three interleaved streams
   over the block's 8-byte words (word i goes to stream i mod 3; the bytes after the last whole
   triple to the first stream), so that the hardware instruction's three-cycle latency is
   hidden; the three 32-bit CRCs are folded into 64 bits, two side by side and the third
   multiplied in by an odd constant, and the length mixed in. A CRC detects every burst of up to
   32 bits and every two-bit error in a block, whatever the distance, which a sum did not (two
   sign bits 64 bytes apart cancelled). */

static uint32_t crc_table[256];

static void crc_table_init(void) {
    /* Written once; two threads may both write the same values. */
    if (__atomic_load_n(&crc_table[255], __ATOMIC_ACQUIRE) != 0) return;
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = c & 1 ? (c >> 1) ^ 0x82F63B78u : c >> 1;
        __atomic_store_n(&crc_table[i], c, __ATOMIC_RELEASE);
    }
}

static inline uint32_t crc_byte(uint32_t c, unsigned char b) { return crc_table[(c ^ b) & 0xFF] ^ (c >> 8); }

static inline uint32_t crc_word(uint32_t c, uint64_t w) {
    for (int k = 0; k < 8; k++) c = crc_byte(c, (unsigned char)(w >> (8 * k)));
    return c;
}

static void streams_scalar(const unsigned char *p, size_t triples, uint32_t s[3]) {
    crc_table_init();
    for (size_t i = 0; i < triples; i++) {
        uint64_t w[3];
        memcpy(w, p + i * 24, 24);
        s[0] = crc_word(s[0], w[0]);
        s[1] = crc_word(s[1], w[1]);
        s[2] = crc_word(s[2], w[2]);
    }
}

#if defined(__x86_64__)
#include <immintrin.h>
__attribute__((target("sse4.2")))
static void streams_sse42(const unsigned char *p, size_t triples, uint32_t s[3]) {
    uint64_t a = s[0], b = s[1], c = s[2];
    for (size_t i = 0; i < triples; i++) {
        uint64_t w[3];
        memcpy(w, p + i * 24, 24);
        a = _mm_crc32_u64(a, w[0]);
        b = _mm_crc32_u64(b, w[1]);
        c = _mm_crc32_u64(c, w[2]);
    }
    s[0] = (uint32_t)a;
    s[1] = (uint32_t)b;
    s[2] = (uint32_t)c;
}

/* Whether the CPU has a feature, asked once per feature; two threads may both ask, and store
   the same answer. */
static int cpu_has(int feature) {
    static int known[2] = {-1, -1};
    int has = __atomic_load_n(&known[feature], __ATOMIC_RELAXED);
    if (has < 0) {
        has = (feature == 0 ? __builtin_cpu_supports("avx2") : __builtin_cpu_supports("sse4.2")) ? 1 : 0;
        __atomic_store_n(&known[feature], has, __ATOMIC_RELAXED);
    }
    return has;
}

static int has_avx2(void) { return cpu_has(0); }
static int has_sse42(void) { return cpu_has(1); }
#endif

static uint64_t checksum(const void *data, size_t length, int hardware) {
    const unsigned char *p = (const unsigned char *)data;
    uint32_t s[3] = {0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu};
    size_t triples = length / 24;
#if defined(__x86_64__)
    if (hardware && has_sse42()) streams_sse42(p, triples, s); else streams_scalar(p, triples, s);
#else
    (void)hardware;
    streams_scalar(p, triples, s);
#endif
    crc_table_init();
    for (size_t i = triples * 24; i < length; i++) s[0] = crc_byte(s[0], p[i]);
    uint64_t a = ~s[0], b = ~s[1], c = ~s[2];
    return ((a << 32) | (uint32_t)b) ^ (c * 0x9E3779B97F4A7C15ull) ^ ((uint64_t)length * 0xC2B2AE3D27D4EB4Full);
}

uint64_t projq_checksum(const void *data, size_t length) { return checksum(data, length, 1); }

uint64_t projq_checksum_portable(const void *data, size_t length) { return checksum(data, length, 0); }

uint32_t projq_crc32c(const void *data, size_t length) {
    crc_table_init();
    const unsigned char *p = (const unsigned char *)data;
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < length; i++) c = crc_byte(c, p[i]);
    return ~c;
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

/* The two needle positions the search filters on: bytes that are rare in text. In UTF-8
   Chinese every character starts with one of a few lead bytes (E4–E9), so a filter on the first
   byte matches almost everywhere; continuation bytes (80–BF) and ASCII letters spread far more.
   The first such position, and the last one after it (else the needle's ends). */
void projq_find_positions(const void *needle, size_t k, size_t *p1, size_t *p2) {
    const unsigned char *s = (const unsigned char *)needle;
    size_t a = k, b = k;
    for (size_t i = 0; i < k; i++) {
        unsigned char c = s[i];
        int rare = (c >= 0x80 && c <= 0xBF) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!rare) continue;
        if (a == k) a = i; else b = i;
    }
    if (a == k || b == k) { a = 0; b = k - 1; }
    *p1 = a;
    *p2 = b;
}

/* Whether the k bytes at q are the needle's, given that its two filter bytes matched: its first
   and last four bytes as two words (all of a needle of up to eight), the middle compared only
   when those agree. A call to memcmp per candidate cost more than the filter on Chinese text. */
static inline int needle_at(const unsigned char *q, const unsigned char *s, size_t k) {
    if (k < 4) return memcmp(q, s, k) == 0;
    uint32_t a, b, c, d;
    memcpy(&a, q, 4); memcpy(&b, s, 4);
    memcpy(&c, q + k - 4, 4); memcpy(&d, s + k - 4, 4);
    return a == b && c == d && (k <= 8 || memcmp(q + 4, s + 4, k - 8) == 0);
}

/* The 64 positions from h where both filter bytes of the needle match (bit j: position j), as
   two independent 32-byte compares: the step of find_avx2 and of the span search. */
__attribute__((target("avx2")))
static inline uint64_t candidates64(const unsigned char *h, __m256i x, __m256i y, size_t p1, size_t p2) {
    __m256i a0 = _mm256_loadu_si256((const __m256i *)(h + p1));
    __m256i b0 = _mm256_loadu_si256((const __m256i *)(h + p2));
    __m256i a1 = _mm256_loadu_si256((const __m256i *)(h + 32 + p1));
    __m256i b1 = _mm256_loadu_si256((const __m256i *)(h + 32 + p2));
    uint64_t m0 = (uint32_t)_mm256_movemask_epi8(_mm256_and_si256(_mm256_cmpeq_epi8(a0, x), _mm256_cmpeq_epi8(b0, y)));
    uint64_t m1 = (uint32_t)_mm256_movemask_epi8(_mm256_and_si256(_mm256_cmpeq_epi8(a1, x), _mm256_cmpeq_epi8(b1, y)));
    return m0 | (m1 << 32);
}

__attribute__((target("avx2")))
static const void *find_avx2(const unsigned char *h, size_t n, const unsigned char *s, size_t k, size_t p1, size_t p2) {
    const __m256i x = _mm256_set1_epi8((char)s[p1]);
    const __m256i y = _mm256_set1_epi8((char)s[p2]);
    size_t i = 0;
    for (; i + k + 64 <= n; i += 64) {
        uint64_t mask = candidates64(h + i, x, y, p1, p2);
        while (mask) {
            unsigned bit = (unsigned)__builtin_ctzll(mask);
            if (needle_at(h + i + bit, s, k)) return h + i + bit;
            mask &= mask - 1;
        }
    }
    for (; i + k + 32 <= n; i += 32) {
        __m256i a = _mm256_loadu_si256((const __m256i *)(h + i + p1));
        __m256i b = _mm256_loadu_si256((const __m256i *)(h + i + p2));
        unsigned mask = (unsigned)_mm256_movemask_epi8(_mm256_and_si256(_mm256_cmpeq_epi8(a, x), _mm256_cmpeq_epi8(b, y)));
        while (mask) {
            unsigned bit = (unsigned)__builtin_ctz(mask);
            if (needle_at(h + i + bit, s, k)) return h + i + bit;
            mask &= mask - 1;
        }
    }
    for (; i + k <= n; i++) {
        if (h[i + p1] == s[p1] && h[i + p2] == s[p2] && needle_at(h + i, s, k)) return h + i;
    }
    return NULL;
}

static const void *find_sse2(const unsigned char *h, size_t n, const unsigned char *s, size_t k, size_t p1, size_t p2) {
    const __m128i x = _mm_set1_epi8((char)s[p1]);
    const __m128i y = _mm_set1_epi8((char)s[p2]);
    size_t i = 0;
    for (; i + k + 16 <= n; i += 16) {
        __m128i a = _mm_loadu_si128((const __m128i *)(h + i + p1));
        __m128i b = _mm_loadu_si128((const __m128i *)(h + i + p2));
        unsigned mask = (unsigned)_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(a, x), _mm_cmpeq_epi8(b, y)));
        while (mask) {
            unsigned bit = (unsigned)__builtin_ctz(mask);
            if (needle_at(h + i + bit, s, k)) return h + i + bit;
            mask &= mask - 1;
        }
    }
    for (; i + k <= n; i++) {
        if (h[i + p1] == s[p1] && h[i + p2] == s[p2] && needle_at(h + i, s, k)) return h + i;
    }
    return NULL;
}

/* Substring search: two bytes of the needle compared against 32 (AVX2) or 16 (SSE2, in every
   x86-64) positions at once, the whole needle only where both match. On Chinese text this runs
   several times faster than memmem. */
const void *projq_find_at(const void *haystack, size_t n, const void *needle, size_t k, size_t p1, size_t p2) {
    const unsigned char *h = (const unsigned char *)haystack;
    const unsigned char *s = (const unsigned char *)needle;
    if (k == 0) return h;
    if (k > n) return NULL;
    if (k == 1) return memchr(h, s[0], n);
    return has_avx2() ? find_avx2(h, n, s, k, p1, p2) : find_sse2(h, n, s, k, p1, p2);
}

const void *projq_find(const void *haystack, size_t n, const void *needle, size_t k) {
    if (k < 2) return projq_find_at(haystack, n, needle, k, 0, 0);
    size_t p1, p2;
    projq_find_positions(needle, k, &p1, &p2);
    return projq_find_at(haystack, n, needle, k, p1, p2);
}
#else
void projq_find_positions(const void *needle, size_t k, size_t *p1, size_t *p2) { *p1 = 0; *p2 = k ? k - 1 : 0; }
const void *projq_find_at(const void *haystack, size_t n, const void *needle, size_t k, size_t p1, size_t p2) {
    return memmem(haystack, n, needle, k);
}
const void *projq_find(const void *haystack, size_t n, const void *needle, size_t k) {
    return memmem(haystack, n, needle, k);
}
#endif

/* The row whose string holds byte `at` of the heap, from `row` on (offsets[row] <= at <
   offsets[last + 1]). Matches come about ten rows apart in a `contains` that keeps one row in
   ten, so sixteen offsets are compared a step, with four loads that do not wait on each other:
   a step of four, each load waiting on the count before, was a quarter of the search's time. */
static inline size_t row_of(const uint32_t *offsets, size_t row, size_t last, size_t at) {
#if defined(__x86_64__)
    const __m128i bias = _mm_set1_epi32((int)0x80000000u);
    const __m128i target = _mm_set1_epi32((int)((uint32_t)at ^ 0x80000000u));
    while (row + 15 <= last) {
        const __m128i *o = (const __m128i *)(offsets + row + 1);
        __m128i g0 = _mm_cmpgt_epi32(_mm_xor_si128(_mm_loadu_si128(o), bias), target);
        __m128i g1 = _mm_cmpgt_epi32(_mm_xor_si128(_mm_loadu_si128(o + 1), bias), target);
        __m128i g2 = _mm_cmpgt_epi32(_mm_xor_si128(_mm_loadu_si128(o + 2), bias), target);
        __m128i g3 = _mm_cmpgt_epi32(_mm_xor_si128(_mm_loadu_si128(o + 3), bias), target);
        /* One bit per offset above `at`; the offsets rise, so the ones below come first. */
        unsigned above = (unsigned)_mm_movemask_epi8(_mm_packs_epi16(_mm_packs_epi32(g0, g1), _mm_packs_epi32(g2, g3)));
        unsigned below = (unsigned)__builtin_ctz(above | 0x10000u);
        row += below;
        if (below < 16) return row;
    }
#endif
    while (row < last && offsets[row + 1] <= at) row++;
    return row;
}

/* A span search's place: the selected rows (strictly ascending), the next byte to search, the
   row it is in, the next selected row not yet decided (`cursor`), how many rows are kept. */
typedef struct {
    const unsigned char *bytes;
    const uint32_t *offsets;
    int32_t *rows;
    size_t n, first, last, k;
    int contiguous;
    size_t position, row, cursor, kept;
} span_search;

/* A needle found at byte `at`: keeps its row if selected and the needle lies inside it, and
   moves on to the next selected row (the rest of this row, and rows not selected, skipped).
   Returns 0 when no selected row is left. */
static inline int span_hit(span_search *q, size_t at) {
    q->row = row_of(q->offsets, q->row, q->last, at);
    if (at + q->k > q->offsets[q->row + 1]) {
        q->position = at + 1;  /* straddles two rows: not a match */
        return 1;
    }
    if (q->contiguous) q->cursor = q->row - q->first;
    else while ((size_t)q->rows[q->cursor] < q->row) q->cursor++;
    if ((size_t)q->rows[q->cursor] == q->row) q->rows[q->kept++] = q->rows[q->cursor++];
    if (q->cursor >= q->n) return 0;
    q->row = (size_t)q->rows[q->cursor];
    q->position = q->offsets[q->row];
    return 1;
}

#if defined(__x86_64__)
/* How far ahead of the search its bytes are asked for: about the next batch's (2,048 names of
   Chinese text). A scan of a snapshot checks each batch's blocks, then searches them; the
   check reads from memory and the search from the cache, so the memory stood idle while the
   search ran. Asked for during the search, the next batch is in the cache when its check starts:
   `name contains` over 10M rows took 57 ms in a new process instead of 74, and 33 ms instead of
   43 when the blocks are checked already (32 KiB ahead and 128 KiB did less). A prefetch past
   the end of the bytes is harmless: it never faults. */
enum { SPAN_AHEAD = 64 * 1024 };

/* The span search's main loop, 64 positions a step as in find_avx2, but a match is taken
   inside the loop: a search that returned at each match and started again cost as much as the
   scanning itself when one row in ten matches. Leaves the last few bytes to the caller. */
__attribute__((target("avx2")))
static int span_avx2(span_search *q, const unsigned char *s, size_t p1, size_t p2, size_t end) {
    const __m256i x = _mm256_set1_epi8((char)s[p1]);
    const __m256i y = _mm256_set1_epi8((char)s[p2]);
    const unsigned char *h = q->bytes;
    const size_t k = q->k;
    while (q->position + k + 64 <= end) {
        const size_t i = q->position;
        _mm_prefetch((const char *)(h + i + SPAN_AHEAD), _MM_HINT_T0);
        uint64_t mask = candidates64(h + i, x, y, p1, p2);
        size_t next = i + 64;
        while (mask) {
            size_t at = i + (size_t)__builtin_ctzll(mask);
            mask &= mask - 1;
            if (!needle_at(h + at, s, k)) continue;
            if (!span_hit(q, at)) return 0;
            /* Searching goes on from q->position: in this step, or from there. */
            if (q->position >= i + 64) { next = q->position; break; }
            mask &= ~0ull << (q->position - i);
        }
        q->position = next;
    }
    return 1;
}
#endif

size_t projq_contains_rows(const unsigned char *bytes, const uint32_t *offsets, int32_t *rows, size_t n,
                           const unsigned char *needle, size_t k, size_t p1, size_t p2) {
    if (n == 0 || k == 0) return n;
    size_t first = (size_t)rows[0], last = (size_t)rows[n - 1];
    if (last - first + 1 > 4 * n) {
        /* A sparse selection: each row's own bytes, rather than the whole span between. */
        size_t kept = 0;
        for (size_t i = 0; i < n; i++) {
            size_t r = (size_t)rows[i], start = offsets[r], length = offsets[r + 1] - start;
            if (length >= k && projq_find_at(bytes + start, length, needle, k, p1, p2) != NULL) rows[kept++] = rows[i];
        }
        return kept;
    }
    span_search q = { bytes, offsets, rows, n, first, last, k, last - first == n - 1, offsets[first], first, 0, 0 };
    size_t end = offsets[last + 1];
#if defined(__x86_64__)
    if (k >= 2 && has_avx2() && !span_avx2(&q, needle, p1, p2, end)) return q.kept;
#endif
    while (q.position < end) {
        const unsigned char *hit = projq_find_at(bytes + q.position, end - q.position, needle, k, p1, p2);
        if (hit == NULL || !span_hit(&q, (size_t)(hit - bytes))) break;
    }
    return q.kept;
}

/* Rows counted by day, for `count by month(d)` (or year, quarter) when the rows' days are few:
   a day's period is found once per day afterwards, not once per row (the table look-up of
   projq_date_parts, a gather, was most of that query). Row i adds 1 to entry
   min(days[i] - first, last) of copy i mod 4, or, when bit r0 + i of `words` is 0 (`words`
   NULL: no nulls), to entry last + 1 of copy 0. Four copies, `stride` entries apart, so that
   rows of the same day one after another do not wait on each other's add. */
static inline uint32_t day_entry(int32_t day, uint32_t first, uint32_t last) {
    uint32_t d = (uint32_t)day - first;
    return d < last ? d : last;
}

void projq_count_days(const int32_t *days, size_t n, const uint64_t *words, size_t r0, int32_t first,
                      uint32_t last, size_t stride, uint32_t *counts) {
    uint32_t *c0 = counts, *c1 = counts + stride, *c2 = counts + 2 * stride, *c3 = counts + 3 * stride;
    const uint32_t from = (uint32_t)first;
    size_t i = 0;
    if (words == NULL) {
        for (; i + 4 <= n; i += 4) {
            c0[day_entry(days[i], from, last)]++;
            c1[day_entry(days[i + 1], from, last)]++;
            c2[day_entry(days[i + 2], from, last)]++;
            c3[day_entry(days[i + 3], from, last)]++;
        }
        for (; i < n; i++) c0[day_entry(days[i], from, last)]++;
        return;
    }
    /* A null row adds 0 to the entry of whatever day it holds (no branch, and no one entry that
       half the rows would add to in turn); the nulls are the rows less the valid ones. A
       validity word at a time: the rows up to the next word boundary. */
    size_t valid = 0;
    while (i < n) {
        size_t r = r0 + i, shift = r & 63, m = 64 - shift;
        if (m > n - i) m = n - i;
        uint64_t bits = words[r >> 6] >> shift;
        if (m < 64) bits &= (1ull << m) - 1;
        valid += (size_t)__builtin_popcountll(bits);
        const int32_t *d = days + i;
        size_t j = 0;
        for (; j + 4 <= m; j += 4, bits >>= 4) {
            c0[day_entry(d[j], from, last)] += (uint32_t)bits & 1;
            c1[day_entry(d[j + 1], from, last)] += (uint32_t)(bits >> 1) & 1;
            c2[day_entry(d[j + 2], from, last)] += (uint32_t)(bits >> 2) & 1;
            c3[day_entry(d[j + 3], from, last)] += (uint32_t)(bits >> 3) & 1;
        }
        for (; j < m; j++, bits >>= 1) c0[day_entry(d[j], from, last)] += (uint32_t)bits & 1;
        i += m;
    }
    c0[last + 1] += (uint32_t)(n - valid);
}

/* `sum X by …` of a stored integer column over consecutive rows: row i adds values[i] to
   sums[groups[i]] and, when `counts` is not NULL, 1 to counts[groups[i]], unless bit r0 + i of
   `words` is 0 (`words` NULL: no nulls). A null row adds 0 (its stored value masked, no
   branch). Stops at the first row whose add would pass 64 bits, adding nothing of it, and
   returns its index (the caller adds it with its carry and goes on after it); n when none did.
   In Swift the weights were a pass of their own, and the sum and the count two more. */
size_t projq_sum_groups(const int64_t *values, const int32_t *groups, size_t n, const uint64_t *words, size_t r0,
                        int64_t *sums, int32_t *counts) {
    size_t i = 0;
    if (words == NULL) {
        for (; i < n; i++) {
            int32_t g = groups[i];
            int64_t x;
            if (__builtin_add_overflow(sums[g], values[i], &x)) return i;
            sums[g] = x;
            if (counts != NULL) counts[g]++;
        }
        return n;
    }
    while (i < n) {
        size_t r = r0 + i, shift = r & 63, m = 64 - shift;
        if (m > n - i) m = n - i;
        uint64_t bits = words[r >> 6] >> shift;
        for (size_t end = i + m; i < end; i++, bits >>= 1) {
            int32_t g = groups[i];
            int64_t valid = (int64_t)(bits & 1), x;
            if (__builtin_add_overflow(sums[g], values[i] & -valid, &x)) return i;
            sums[g] = x;
            if (counts != NULL) counts[g] += (int32_t)valid;
        }
    }
    return n;
}

#if defined(__x86_64__)
/* The AVX2 part of projq_consecutive: the rows it checked (a multiple of eight), or
   (size_t)-1 when one of them is out of place. Thirty-two rows a step in four independent
   lanes of work (one chain of eight a step took three times as long). */
__attribute__((target("avx2")))
static size_t consecutive_avx2(const int32_t *rows, size_t n, int32_t first) {
    __m256i e0 = _mm256_add_epi32(_mm256_set1_epi32(first), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    __m256i e1 = _mm256_add_epi32(e0, _mm256_set1_epi32(8)), e2 = _mm256_add_epi32(e0, _mm256_set1_epi32(16));
    __m256i e3 = _mm256_add_epi32(e0, _mm256_set1_epi32(24));
    const __m256i step = _mm256_set1_epi32(32), eight = _mm256_set1_epi32(8);
    __m256i d0 = _mm256_setzero_si256(), d1 = _mm256_setzero_si256();
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        d0 = _mm256_or_si256(d0, _mm256_xor_si256(_mm256_loadu_si256((const __m256i *)(rows + i)), e0));
        d1 = _mm256_or_si256(d1, _mm256_xor_si256(_mm256_loadu_si256((const __m256i *)(rows + i + 8)), e1));
        d0 = _mm256_or_si256(d0, _mm256_xor_si256(_mm256_loadu_si256((const __m256i *)(rows + i + 16)), e2));
        d1 = _mm256_or_si256(d1, _mm256_xor_si256(_mm256_loadu_si256((const __m256i *)(rows + i + 24)), e3));
        e0 = _mm256_add_epi32(e0, step);
        e1 = _mm256_add_epi32(e1, step);
        e2 = _mm256_add_epi32(e2, step);
        e3 = _mm256_add_epi32(e3, step);
    }
    for (; i + 8 <= n; i += 8) {
        d0 = _mm256_or_si256(d0, _mm256_xor_si256(_mm256_loadu_si256((const __m256i *)(rows + i)), e0));
        e0 = _mm256_add_epi32(e0, eight);
    }
    d0 = _mm256_or_si256(d0, d1);
    return _mm256_testz_si256(d0, d0) ? i : (size_t)-1;
}
#endif

/* Whether rows[i] = rows[0] + i for every i < n (n > 0): the batch is a stretch of the table,
   which kernels read in place. First and last alone do not tell: after a sort, [0, 2, 1, 3] has
   them. About 0.14 µs for a batch of 2,048. */
int projq_consecutive(const int32_t *rows, size_t n) {
    if (n == 0) return 0;
    const int32_t first = rows[0];
    size_t i = 0;
#if defined(__x86_64__)
    if (has_avx2()) i = consecutive_avx2(rows, n, first);
    if (i == (size_t)-1) return 0;
#endif
    for (; i < n; i++) if (rows[i] != (int32_t)((uint32_t)first + (uint32_t)i)) return 0;
    return 1;
}

size_t projq_descents(const int32_t *rows, size_t n) {
    size_t descents = 0;
    for (size_t i = 1; i < n; i++) descents += rows[i] <= rows[i - 1];
    return descents;
}

/* A date part's slot for consecutive rows (`by month(d)`, `year`, `quarter`), as the part of a
   group number: the part is table[min(days[i] - first, last)] + 1, or 0 where bit r0 + i of
   `words` (the validity) is 0 (`words` NULL: no nulls); out[i] is part × stride, added to
   out[i] when `add` (a later key of several). `table` holds last + 2 entries (one of padding:
   eight entries are read at once as 32-bit words, each at its own 2-byte offset). Eight rows a
   step with AVX2 — the scalar loop, a validity bit at a time, was half of `count by month(d)` —
   the rest one by one. A null row's stored day may be anything: it is clamped like the others,
   then masked. */
#if defined(__x86_64__)
__attribute__((target("avx2")))
static size_t date_parts_avx2(const int32_t *days, size_t n, const uint64_t *words, size_t r0, const uint16_t *table,
                              uint32_t last, int32_t first, int32_t stride, int add, int32_t *out) {
    const __m256i from = _mm256_set1_epi32(first), top = _mm256_set1_epi32((int32_t)last);
    const __m256i one = _mm256_set1_epi32(1), low = _mm256_set1_epi32(0xFFFF), times = _mm256_set1_epi32(stride);
    const __m256i lanes = _mm256_setr_epi32(1, 2, 4, 8, 16, 32, 64, 128);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256i d = _mm256_sub_epi32(_mm256_loadu_si256((const __m256i *)(days + i)), from);
        d = _mm256_min_epu32(d, top);
        __m256i p = _mm256_and_si256(_mm256_i32gather_epi32((const int *)(const void *)table, d, 2), low);
        p = _mm256_add_epi32(p, one);
        if (words != NULL) {
            size_t r = r0 + i, shift = r & 63;
            uint64_t w = words[r >> 6] >> shift;
            /* Bits r+1 … r+7 are rows of the column, so the next word is there when they cross. */
            if (shift > 56) w |= words[(r >> 6) + 1] << (64 - shift);
            __m256i m = _mm256_and_si256(_mm256_set1_epi32((int32_t)(w & 0xFF)), lanes);
            p = _mm256_and_si256(p, _mm256_cmpeq_epi32(m, lanes));
        }
        if (stride != 1) p = _mm256_mullo_epi32(p, times);
        if (add) p = _mm256_add_epi32(p, _mm256_loadu_si256((const __m256i *)(out + i)));
        _mm256_storeu_si256((__m256i *)(out + i), p);
    }
    return i;
}
#endif

void projq_date_parts(const int32_t *days, size_t n, const uint64_t *words, size_t r0, const uint16_t *table,
                      uint32_t last, int32_t first, int32_t stride, int add, int32_t *out) {
    size_t i = 0;
#if defined(__x86_64__)
    if (has_avx2()) i = date_parts_avx2(days, n, words, r0, table, last, first, stride, add, out);
#endif
    for (; i < n; i++) {
        uint32_t d = (uint32_t)days[i] - (uint32_t)first;
        size_t r = r0 + i;
        uint32_t p = words == NULL || ((words[r >> 6] >> (r & 63)) & 1) ? (uint32_t)table[d < last ? d : last] + 1 : 0;
        /* Wrapping arithmetic, as the vector lanes do (a group number fits; the check is the planner's). */
        out[i] = (int32_t)(p * (uint32_t)stride + (add ? (uint32_t)out[i] : 0));
    }
}
