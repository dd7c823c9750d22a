/* The allocator's heaps in huge pages, for runs on large data.

   Grouping, joins and sorts on a large table allocate hundreds of megabytes in many blocks, on
   two threads, most of them below the size that HugePages.advise is given. With 4 KiB pages
   the kernel faults each page in on first touch: for `sum … by contact, stage` on a million
   rows (580,000 groups), 36,000 faults and a fifth of the run. glibc puts its heaps (the
   threads' arenas too) in transparent huge pages when GLIBC_TUNABLES says
   glibc.malloc.hugetlb=1, but it reads that once, when the process starts, and has no call to
   change it later. So a run on large data starts itself again with it set: here, before
   main() and before the Swift runtime starts, where the second start costs least. Measured
   end to end: Q10 (that grouping) 0.78-0.81 of the time at 1M and 10M rows, Q8 (a join) 0.70
   at 10M, Q12 (a sort) 0.91.

   Large data: the files and folders that projq's arguments name (the data, an --attach
   NAME=PATH) hold at least 64 MiB together. The arguments are not parsed here: every argument
   that names a file or a folder counts (a script or a report named by -f or --report is
   small), and a wrong guess costs only the second start. Nothing happens when the kernel's
   transparent huge pages are not in `madvise` mode (`always` gives them without asking,
   `never` not at all), when GLIBC_TUNABLES already says glibc.malloc.hugetlb (the second
   start, or the user's own choice), under valgrind, or when the exec fails (the run goes on
   as it is).
   PROJQ_HUGE_PAGE_DATA=BYTES changes the threshold (the tests set 0). */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

static const char tunable[] = "glibc.malloc.hugetlb";

static int madvise_mode(void) {
    char mode[256];
    int fd = open("/sys/kernel/mm/transparent_hugepage/enabled", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    ssize_t n = read(fd, mode, sizeof mode - 1);
    close(fd);
    if (n <= 0) return 0;
    mode[n] = 0;
    return strstr(mode, "[madvise]") != NULL;
}

/* The size of a file, or of the files directly in a folder (counted up to `enough`); -1 when
   `path` names neither. */
static long long size_of(const char *path, long long enough) {
    struct stat s;
    if (stat(path, &s) != 0) return -1;
    if (S_ISREG(s.st_mode)) return (long long)s.st_size;
    if (!S_ISDIR(s.st_mode)) return -1;
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return 0;
    DIR *dir = fdopendir(fd);
    if (dir == NULL) { close(fd); return 0; }
    long long total = 0;
    struct dirent *e;
    while (total < enough && (e = readdir(dir)) != NULL) {
        struct stat f;
        if (e->d_name[0] != '.' && fstatat(fd, e->d_name, &f, 0) == 0 && S_ISREG(f.st_mode)) total += (long long)f.st_size;
    }
    closedir(dir);
    return total;
}

__attribute__((constructor(101)))
static void huge_page_heap(int argc, char **argv, char **envp) {
    (void)envp;
    const char *existing = getenv("GLIBC_TUNABLES");
    if (existing != NULL && strstr(existing, tunable) != NULL) {
        /* Started again through /proc/self/exe, the kernel named the process "exe" (what ps
           and top show): it takes its own name back. */
        if (argc > 0) {
            const char *slash = strrchr(argv[0], '/');
            prctl(PR_SET_NAME, slash ? slash + 1 : argv[0], 0, 0, 0);
        }
        return;
    }
    /* Under valgrind /proc/self/exe is valgrind's tool, which cannot be started again so, and
       its allocator replaces glibc's anyway. */
    const char *preload = getenv("LD_PRELOAD");
    if (preload != NULL && strstr(preload, "vgpreload") != NULL) return;
    if (argc < 2 || !madvise_mode()) return;
    long long threshold = 64LL << 20;
    const char *t = getenv("PROJQ_HUGE_PAGE_DATA");
    if (t != NULL && *t != 0) threshold = strtoll(t, NULL, 10);
    long long total = 0;
    int named = 0;
    for (int i = 1; i < argc && (total < threshold || !named); i++) {
        const char *a = argv[i];
        if (a[0] == '-') continue;
        const char *eq = strchr(a, '=');
        long long size = size_of(a, threshold);
        if (size < 0 && eq != NULL) size = size_of(eq + 1, threshold);
        if (size >= 0) { total += size; named = 1; }
    }
    if (!named || total < threshold) return;
    size_t n = existing ? strlen(existing) : 0;
    char *value = malloc(n + sizeof tunable + 3);
    if (value == NULL) return;
    if (n) { memcpy(value, existing, n); value[n++] = ':'; }
    memcpy(value + n, tunable, sizeof tunable - 1);
    memcpy(value + n + sizeof tunable - 1, "=1", 3);
    if (setenv("GLIBC_TUNABLES", value, 1) == 0) {
        execv("/proc/self/exe", argv);
        /* The exec failed: the allocator stays as it is. */
        if (existing) setenv("GLIBC_TUNABLES", existing, 1); else unsetenv("GLIBC_TUNABLES");
    }
    free(value);
}
