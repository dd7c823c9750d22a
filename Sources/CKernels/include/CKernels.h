#ifndef PROJQ_CKERNELS_H
#define PROJQ_CKERNELS_H

#include <stddef.h>
#include <stdint.h>

// The snapshot checksum: CRC32C over three interleaved streams of 8-byte words (the hardware
// instruction where the CPU has it, at memory speed), folded into 64 bits with the length.
uint64_t projq_checksum(const void *data, size_t length);
// The same value without the hardware instruction (the path of CPUs without SSE 4.2; tests
// compare the two).
uint64_t projq_checksum_portable(const void *data, size_t length);
// Plain CRC32C of the bytes (one stream), to test the table against the standard's check value.
uint32_t projq_crc32c(const void *data, size_t length);

// How many times a row number does not rise (rows[i] <= rows[i - 1]) in rows[0..<n]: 0 means
// strictly ascending. A loop the C compiler vectorises (Swift's did not).
size_t projq_descents(const int32_t *rows, size_t n);
// 1 when rows[i] = rows[0] + i for every i < n (a stretch of the table, read in place), else 0
// (also for n = 0).
int projq_consecutive(const int32_t *rows, size_t n);

// Substring search for `contains`: two rare bytes of the needle filtered 32 (AVX2) or 16 (SSE2)
// positions at a time, then a compare. `projq_find_positions` chooses the two bytes once for a
// needle of two bytes or more; `projq_find_at` searches with them.
const void *projq_find(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length);
void projq_find_positions(const void *needle, size_t needle_length, size_t *p1, size_t *p2);
const void *projq_find_at(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length, size_t p1, size_t p2);
// `contains` over rows[0..<n] (strictly ascending) of a string heap (string r is
// bytes[offsets[r]..<offsets[r + 1]]): keeps in place, in order, the rows whose string holds the
// needle and returns how many. One search over the bytes from the first row to the last, each
// match mapped to its row through the offsets and the rest of that row skipped; a sparse
// selection (under one row in four of its span) searches each row's bytes instead.
size_t projq_contains_rows(const unsigned char *bytes, const uint32_t *offsets, int32_t *rows, size_t n,
                           const unsigned char *needle, size_t needle_length, size_t p1, size_t p2);
// A date part's share of the group numbers (`month(d)`, `year(d)`, `quarter(d)`) for n
// consecutive rows from row r0: the part is table[min(days[i] - first, last)] + 1 (wrapping
// subtraction), or 0 where the row's validity bit (bit r0 + i of words; words NULL: none is
// null) is 0; out[i] = part × stride, or out[i] += part × stride when `add`. table holds
// last + 2 entries, the last one padding.
void projq_date_parts(const int32_t *days, size_t n, const uint64_t *words, size_t r0, const uint16_t *table,
                      uint32_t last, int32_t first, int32_t stride, int add, int32_t *out);
// Rows counted by day (`count by month(d)` with few days): each row (validity bit r0 + i of
// words; words NULL: none is null) adds 1 to entry e of one of four copies of the counts,
// e = min(days[i] - first, last) (wrapping subtraction), or e = last + 1 for a null row; entry e
// of the rows is the sum of counts[c × stride + e] over copies c = 0…3. counts holds 4 × stride
// entries, stride ≥ last + 2.
void projq_count_days(const int32_t *days, size_t n, const uint64_t *words, size_t r0, int32_t first,
                      uint32_t last, size_t stride, uint32_t *counts);
// `sum X by …` over consecutive rows of a stored integer column: sums[groups[i]] += values[i]
// and, unless counts is NULL, counts[groups[i]] += 1, for each row whose validity bit r0 + i of
// words is set (words NULL: every row). Returns the index of the first row whose add would
// overflow 64 bits (not added; the rows before it are), or n.
size_t projq_sum_groups(const int64_t *values, const int32_t *groups, size_t n, const uint64_t *words, size_t r0,
                        int64_t *sums, int32_t *counts);
// A 64-bit hash of a byte string (for grouping, joining and counting distinct text): words
// multiplied and folded, so strings that differ anywhere hash apart with high probability.
uint64_t projq_hash_bytes(const void *data, size_t length);

// Loads the cancellation flag that a signal handler writes, as an atomic (relaxed) load, so that
// the engine's worker threads may poll it without a data race.
static inline int projq_flag_load(const volatile int *flag) { return __atomic_load_n(flag, __ATOMIC_RELAXED); }

// A byte read and written by several threads (which blocks of a snapshot are checked).
static inline unsigned char projq_byte_load(const unsigned char *p) { return __atomic_load_n(p, __ATOMIC_RELAXED); }
static inline void projq_byte_store(unsigned char *p, unsigned char v) { __atomic_store_n(p, v, __ATOMIC_RELAXED); }

// Asks the CPU to fetch the cache line at `p` (a hash table probe a few rows ahead).
static inline void projq_prefetch(const void *p) { __builtin_prefetch(p, 0, 1); }
// Asks for the line at `p` in the nearest cache, to be written (an aggregate's slot a few rows
// ahead).
static inline void projq_prefetch_write(const void *p) { __builtin_prefetch(p, 1, 3); }

// XXH64, in one call or in pieces (init, update with each piece in order, digest): the same
// bytes give the same value however they are cut. The CSV cache keys files with it.
typedef struct {
    uint64_t lanes[4];
    uint64_t total;
    uint64_t seed;
    unsigned char buffer[32];
    uint32_t buffered;
} projq_hash_state;

void projq_hash_init(projq_hash_state *state, uint64_t seed);
void projq_hash_update(projq_hash_state *state, const void *data, size_t length);
uint64_t projq_hash_digest(const projq_hash_state *state);
uint64_t projq_hash(const void *data, size_t length, uint64_t seed);

// The magic number of the file system that holds an open file (statfs's f_type); 0 on failure.
uint64_t projq_file_system_type(int fd);
// A save's temporary file: mkostemp(template, O_CLOEXEC) — the trailing XXXXXX replaced, created
// exclusively under an unpredictable name — registered so that a catchable signal ending the
// process removes it (`slot` receives the registration for projq_temp_unregister, or -1).
// Returns the descriptor, or -1 with errno set.
int projq_temp_create(char *template_path, int *slot);
void projq_temp_unregister(int slot);
// memfd_create("projq-stream", MFD_CLOEXEC): an anonymous file in memory, or -1.
int projq_anonymous_file(void);
// A mapped snapshot: a SIGBUS inside it (the file truncated by another program) ends projq with
// a message naming the file and exit status 2. Returns a slot for unregister, or -1.
int projq_mapping_register(const void *base, size_t length, const char *path);
void projq_mapping_unregister(int slot);

// Running out of memory (out_of_memory.c): what is running now, for the message (NULL: nothing);
// our buffers' failed growth (a message naming it, exit 2); and, once at start, the handler that
// turns the Swift runtime's failed allocation into the same message, and one malloc arena under
// ulimit -v. Returns 1 when the address space is limited.
void projq_set_activity(const char *what);
_Noreturn void projq_out_of_memory(size_t bytes);
int projq_memory_setup(void);

// The language of the messages written from C (the out-of-memory and SIGBUS messages): 1 for
// Chinese, 0 for English; set from Swift wherever `Language.processWide` is set.
void projq_set_chinese(int on);
int projq_is_chinese(void);

#endif
