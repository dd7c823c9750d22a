#define _GNU_SOURCE
#include "CTerminal.h"
#include "CLazyLibraries.h"
#include <signal.h>
#include <string.h>

FILE *projq_stdin(void) { return stdin; }
FILE *projq_stdout(void) { return stdout; }
FILE *projq_stderr(void) { return stderr; }

static volatile sig_atomic_t sigint_flag = 0;

static void on_sigint(int signo) {
    (void)signo;
    sigint_flag = 1;
}

void projq_install_sigint(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    sigaction(SIGINT, &sa, NULL);
}

int projq_sigint_pending(void) { return sigint_flag != 0; }
void projq_sigint_clear(void) { sigint_flag = 0; }
volatile int *projq_sigint_flag(void) { return (volatile int *)&sigint_flag; }

/* libedit is loaded when the shell first edits a line (lazy_libraries.c); its variadic functions
   are called through their addresses. */
#define el_set (projq_el_set())
#define el_get (projq_el_get())
#define history (projq_history())

int projq_el_set_prompt(EditLine *el, projq_prompt_fn fn) { return el_set(el, EL_PROMPT, fn); }
int projq_el_set_editor(EditLine *el, const char *mode) { return el_set(el, EL_EDITOR, mode); }
int projq_el_set_signal(EditLine *el, int on) { return el_set(el, EL_SIGNAL, on); }
int projq_el_set_hist(EditLine *el, History *h) { return el_set(el, EL_HIST, history, h); }
int projq_el_set_clientdata(EditLine *el, void *data) { return el_set(el, EL_CLIENTDATA, data); }
void *projq_el_get_clientdata(EditLine *el) {
    void *data = NULL;
    el_get(el, EL_CLIENTDATA, &data);
    return data;
}
int projq_el_addfn(EditLine *el, const char *name, const char *help, projq_command_fn fn) {
    return el_set(el, EL_ADDFN, name, help, fn);
}
int projq_el_bind(EditLine *el, const char *key, const char *command) {
    return el_set(el, EL_BIND, key, command, NULL);
}

int projq_history_setsize(History *h, int size) {
    HistEvent ev;
    return history(h, &ev, H_SETSIZE, size);
}
int projq_history_setunique(History *h, int on) {
    HistEvent ev;
    return history(h, &ev, H_SETUNIQUE, on);
}
int projq_history_enter(History *h, const char *line) {
    HistEvent ev;
    return history(h, &ev, H_ENTER, line);
}
int projq_history_load(History *h, const char *path) {
    HistEvent ev;
    return history(h, &ev, H_LOAD, path);
}
int projq_history_save(History *h, const char *path) {
    HistEvent ev;
    return history(h, &ev, H_SAVE, path);
}
