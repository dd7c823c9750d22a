#define _GNU_SOURCE
#include "CKernels.h"
#include "stderr_write.h"
#include <sys/vfs.h>

// Swift's Glibc module leaves out <sys/vfs.h>, so the cache asks here which file system holds a file.
uint64_t projq_file_system_type(int fd) {
    struct statfs fs;
    if (fstatfs(fd, &fs) != 0) return 0;
    return (uint64_t)(uint32_t)fs.f_type;
}

/* Temporary files of saves in progress, removed by a signal that ends the process (SIGTERM,
   SIGHUP, SIGQUIT, and SIGINT where nothing else handles it), so that an interrupted save
   leaves no half-written copy behind. The handler may only call async-signal-safe functions:
   it unlinks the registered paths (plain char arrays) and re-raises the signal with its
   default action. A SIGKILL cannot be caught; the next save beside the same target sweeps
   what a killed process left (see SnapshotWriter). */
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <pthread.h>
#include <stdlib.h>
#include <fcntl.h>
#include <errno.h>

/* The two tables below (temporary files, mapped snapshots) are read by signal handlers: an
   entry is claimed (2), filled, then published (1); a handler reads only published ones. */
static int claim_slot(volatile sig_atomic_t *used, int count) {
    for (int i = 0; i < count; i++) {
        int expected = 0;
        if (__atomic_compare_exchange_n((int *)&used[i], &expected, 2, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) return i;
    }
    return -1;
}

static void publish_slot(volatile sig_atomic_t *used, int slot) { __atomic_store_n((int *)&used[slot], 1, __ATOMIC_RELEASE); }

static void release_slot(volatile sig_atomic_t *used, int count, int slot) {
    if (slot >= 0 && slot < count) __atomic_store_n((int *)&used[slot], 0, __ATOMIC_RELEASE);
}

#define TEMP_SLOTS 8
static char temp_paths[TEMP_SLOTS][4096];
static volatile sig_atomic_t temp_used[TEMP_SLOTS];

static void remove_temps_and_reraise(int signo) {
    for (int i = 0; i < TEMP_SLOTS; i++) {
        if (temp_used[i] == 1) unlink(temp_paths[i]);
    }
    signal(signo, SIG_DFL);
    raise(signo);
}

static const int temp_signals[] = {SIGTERM, SIGHUP, SIGQUIT, SIGINT};
#define TEMP_SIGNAL_COUNT (sizeof temp_signals / sizeof temp_signals[0])

static void install_once(void) {
    static int installed = 0;
    if (__atomic_exchange_n(&installed, 1, __ATOMIC_ACQ_REL)) return;
    for (unsigned k = 0; k < TEMP_SIGNAL_COUNT; k++) {
        struct sigaction old;
        if (sigaction(temp_signals[k], NULL, &old) != 0) continue;
        /* A signal someone already handles (the shell's SIGINT, which cancels) or ignores is left alone. */
        if (old.sa_handler != SIG_DFL) continue;
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = remove_temps_and_reraise;
        sigemptyset(&sa.sa_mask);
        sigaction(temp_signals[k], &sa, NULL);
    }
}

static int register_path(const char *path) {
    size_t n = strlen(path);
    if (n >= sizeof temp_paths[0]) return -1;
    int i = claim_slot(temp_used, TEMP_SLOTS);
    if (i < 0) return -1;
    memcpy(temp_paths[i], path, n + 1);
    publish_slot(temp_used, i);
    return i;
}

int projq_temp_create(char *template_path, int *slot) {
    /* The signals are held while the file is made and registered, so that one arriving in
       between finds the path to remove; then they are let through — also where a parent left
       them blocked (a mask is inherited across exec): a signal that would end the process must
       reach it, and the handler, rather than wait forever. */
    sigset_t set;
    sigemptyset(&set);
    for (unsigned k = 0; k < TEMP_SIGNAL_COUNT; k++) sigaddset(&set, temp_signals[k]);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    install_once();
    int fd = mkostemp(template_path, O_CLOEXEC);
    *slot = fd >= 0 ? register_path(template_path) : -1;
    int saved = errno;
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    errno = saved;
    return fd;
}

void projq_temp_unregister(int slot) { release_slot(temp_used, TEMP_SLOTS, slot); }

/* An anonymous file in memory (memfd_create), for a stream read once and then used like a
   file: -1 when the system has none. */
#include <sys/mman.h>
int projq_anonymous_file(void) { return memfd_create("projq-stream", MFD_CLOEXEC); }

/* Mapped snapshots, and what a SIGBUS in one of them means: another program truncated or
   rewrote the file while projq had it open (a mapping's pages past the file's new end cannot
   be read). The handler names the file, says what happened and exits with status 2 — the
   status of a data error — instead of dying of a signal with nothing said. A fault outside every
   mapping is a real bus error: the default action, as before. */
#define MAPPING_SLOTS 64
static struct { const char *base; size_t length; char path[1024]; } mappings[MAPPING_SLOTS];
static volatile sig_atomic_t mapping_used[MAPPING_SLOTS];

void projq_stderr_write(const char *s) {
    size_t n = strlen(s);
    while (n > 0) {
        ssize_t w = write(2, s, n);
        if (w <= 0) return;
        s += w;
        n -= (size_t)w;
    }
}

static void on_sigbus(int signo, siginfo_t *info, void *context) {
    (void)context;
    const char *at = (const char *)info->si_addr;
    for (int i = 0; i < MAPPING_SLOTS; i++) {
        if (mapping_used[i] == 1 && at >= mappings[i].base && at < mappings[i].base + mappings[i].length) {
            if (projq_is_chinese()) {
                projq_stderr_write("\n错误：");
                projq_stderr_write(mappings[i].path);
                projq_stderr_write("：projq 读取该快照时，它被其他程序截断或覆盖；projq 已停止。"
                          "请重新打开（projq 保存快照时一步替换整个文件，从不原地修改）。\n");
            } else {
                projq_stderr_write("\nerror: ");
                projq_stderr_write(mappings[i].path);
                projq_stderr_write(": the snapshot was truncated or overwritten by another program while projq was reading it; "
                          "projq stopped. Open it again (a snapshot that projq saves is replaced in one step, never changed in place).\n");
            }
            _exit(2);
        }
    }
    signal(signo, SIG_DFL);
    raise(signo);
}

int projq_mapping_register(const void *base, size_t length, const char *path) {
    static int installed = 0;
    if (!__atomic_exchange_n(&installed, 1, __ATOMIC_ACQ_REL)) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = on_sigbus;
        sa.sa_flags = SA_SIGINFO;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGBUS, &sa, NULL);
    }
    int i = claim_slot(mapping_used, MAPPING_SLOTS);
    if (i < 0) return -1;
    mappings[i].base = (const char *)base;
    mappings[i].length = length;
    strncpy(mappings[i].path, path, sizeof mappings[i].path - 1);
    mappings[i].path[sizeof mappings[i].path - 1] = 0;
    publish_slot(mapping_used, i);
    return i;
}

void projq_mapping_unregister(int slot) { release_slot(mapping_used, MAPPING_SLOTS, slot); }
