/* Memory that cannot be had: one message and exit status 2, never a signal.
   projq estimates what a step needs before it builds (MemoryLimit in Storage) and refuses with an
   error the session survives. What passes the estimates and still fails ends here: our own
   buffers call projq_out_of_memory; Swift's arrays abort (SIGABRT) after the runtime prints
   "failed to allocate N bytes", and the handler below turns that abort into the same message.
   Both name the step that was running (projq_set_activity), so the user knows which clause
   took the memory. */
#include "CKernels.h"
#include "stderr_write.h"
#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static char activity[2][256];
static atomic_int current = -1;

/* The language of the messages written from C, set from Swift where the language is chosen:
   a signal handler cannot ask Swift for a catalogue entry, so the two texts are side by side here. */
static atomic_int chinese = 0;

void projq_set_chinese(int on) { atomic_store(&chinese, on != 0); }

int projq_is_chinese(void) { return atomic_load(&chinese); }

void projq_set_activity(const char *what) {
    if (what == NULL) { atomic_store(&current, -1); return; }
    /* Two buffers: the one not being read is written, then published. */
    int next = atomic_load(&current) == 0 ? 1 : 0;
    strncpy(activity[next], what, sizeof activity[next] - 1);
    activity[next][sizeof activity[next] - 1] = 0;
    atomic_store(&current, next);
}

static void say_stopped(const char *detail) {
    int at = atomic_load(&current);
    if (projq_is_chinese()) {
        projq_stderr_write("错误：");
        if (at >= 0) { projq_stderr_write("执行 "); projq_stderr_write(activity[at]); projq_stderr_write(" 时"); }
        projq_stderr_write("内存不足");
        projq_stderr_write(detail);
        projq_stderr_write("；projq 已停止。请减少所需（where、limit），或放宽上限（--memory-limit、ulimit -v）。\n");
        return;
    }
    projq_stderr_write("error: out of memory");
    if (at >= 0) { projq_stderr_write(" while running "); projq_stderr_write(activity[at]); }
    projq_stderr_write(detail);
    projq_stderr_write("; projq stopped. Ask for less (where, limit), or allow more (--memory-limit, ulimit -v).\n");
}

void projq_out_of_memory(size_t bytes) {
    int zh = projq_is_chinese();
    char detail[96];
    strcpy(detail, zh ? "：无法分配 " : ": a buffer of ");
    char digits[24];
    size_t mb = bytes >> 20, i = sizeof digits - 1;
    digits[i] = 0;
    do { digits[--i] = (char)('0' + mb % 10); mb /= 10; } while (mb > 0 && i > 0);
    strcat(detail, digits + i);
    strcat(detail, zh ? " MB 的缓冲区" : " MB could not be had");
    say_stopped(detail);
    _exit(2);
}

/* An abort with errno ENOMEM is the Swift runtime's failed allocation (malloc sets it; the
   runtime's message does not clear it): the message, exit 2. Any other abort is a real fault
   and keeps its signal. */
static void on_abort(int signo) {
    if (errno == ENOMEM) {
        say_stopped("");
        _exit(2);
    }
    signal(signo, SIG_DFL);
    raise(signo);
}

int projq_memory_setup(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_abort;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGABRT, &sa, NULL);
    struct rlimit limit;
    if (getrlimit(RLIMIT_AS, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return 0;
    /* Under an address-space limit, one malloc arena: glibc gives each thread its own arena of
       64 MB of reserved address space, which the limit counts though little of it is used. */
    mallopt(M_ARENA_MAX, 1);
    return 1;
}
