#ifndef PROJQ_CTERMINAL_H
#define PROJQ_CTERMINAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <histedit.h>

// stdio globals: Swift 6 refuses the C globals as "not concurrency-safe".
FILE *projq_stdin(void);
FILE *projq_stdout(void);
FILE *projq_stderr(void);

// SIGINT: installed with sigaction and no SA_RESTART so that a blocked read returns EINTR;
// the flag lives in C as a volatile sig_atomic_t, the only type a handler may write.
void projq_install_sigint(void);
int projq_sigint_pending(void);
void projq_sigint_clear(void);
// The address of the flag, for the engine's cancellation check between batches.
volatile int *projq_sigint_flag(void);

// libedit's el_set/el_get/history are C-variadic, which Swift cannot call: one wrapper a use.
typedef char *(*projq_prompt_fn)(EditLine *);
typedef unsigned char (*projq_command_fn)(EditLine *, int);
int projq_el_set_prompt(EditLine *el, projq_prompt_fn fn);
int projq_el_set_editor(EditLine *el, const char *mode);
int projq_el_set_signal(EditLine *el, int on);
int projq_el_set_hist(EditLine *el, History *h);
int projq_el_set_clientdata(EditLine *el, void *data);
void *projq_el_get_clientdata(EditLine *el);
int projq_el_addfn(EditLine *el, const char *name, const char *help, projq_command_fn fn);
int projq_el_bind(EditLine *el, const char *key, const char *command);
int projq_history_setsize(History *h, int size);
int projq_history_setunique(History *h, int on);
int projq_history_enter(History *h, const char *line);
int projq_history_load(History *h, const char *path);
int projq_history_save(History *h, const char *path);
#endif
