#ifndef PROJQ_STDERR_WRITE_H
#define PROJQ_STDERR_WRITE_H
/* Writes a message to standard error with write(2) alone, whole: safe in a signal handler and
   where malloc has failed (the SIGBUS and out-of-memory messages). */
void projq_stderr_write(const char *s);
#endif
