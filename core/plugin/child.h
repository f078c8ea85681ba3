/*
 * A child process that runs a plugin's code, as the parent sees it: the
 * compute of an instance (isolate.c), or the trial load of a module
 * (probe.c).
 *
 * The child leads a process group of its own, and the whole group is
 * killed as soon as the child ends, fails or runs out of time: whatever
 * the plugin forks ends with it and never outlives the run, nor keeps its
 * pipes open. Every wait on the child is bounded by its deadline. Its
 * standard input and output are /dev/null, so that nothing it prints
 * reaches a report written to standard output; its standard error is
 * captured, up to PS_CHILD_MAX_STDERR bytes, for the parent to pass on
 * under the plugin's name. Every signal has its default action there, as
 * after exec, whatever handlers the parent has.
 *
 * A parent waits for its children inside a ps__child_watch: between its
 * begin and its end, SIGCHLD is blocked but for ps__child_poll, which a
 * child's end wakes up.
 */
#ifndef PS_CHILD_H
#define PS_CHILD_H

#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <sys/types.h>

#include "base/buf.h"

/* What the parent keeps of a child's standard error; past it, it counts. */
#define PS_CHILD_MAX_STDERR 4096u
/* How long a killed child may take to die before the parent stops waiting
   for it (a process in uninterruptible sleep dies when it wakes). */
#define PS_CHILD_KILL_GRACE_MS 1000

typedef struct ps__child_watch {
    sigset_t old_mask;
    struct sigaction old_action;
} ps__child_watch_t;

typedef enum ps__child_state {
    PS_CHILD_RUNNING,
    PS_CHILD_ENDED,        /* it ended by itself: `status` says how */
    PS_CHILD_TIMED_OUT,    /* its deadline passed: killed */
    PS_CHILD_SENT_TOO_MUCH /* its answer passed `answer_max`: killed */
} ps__child_state_t;

typedef struct ps__child {
    pid_t pid;            /* also its process group's id; 0 once it is over */
    int status;           /* as waitpid gave it, once it ended by itself */
    long long deadline;   /* ms on the monotonic clock */
    int answer_fd;        /* the read end of its answer's pipe; -1 at its end */
    int stderr_fd;        /* the read end of its standard error; -1 at its end */
    size_t answer_max;
    ps__buf_t answer;     /* what it sent on its answer's pipe */
    ps__buf_t err;        /* its standard error, at most PS_CHILD_MAX_STDERR bytes */
    size_t err_dropped;   /* the bytes of standard error past those */
    const ps__child_watch_t *watch;
} ps__child_t;

/* SIGCHLD held back, and a handler that only wakes ps__child_poll. */
void ps__child_watch_begin(ps__child_watch_t *w);
void ps__child_watch_end(const ps__child_watch_t *w);

/*
 * Forks a child that has `timeout_ms` to end and may answer `answer_max`
 * bytes. In the parent, returns the child's pid. In the child, returns 0
 * with *answer set to the write end of its answer's pipe, once it leads
 * its own process group, its stdin and stdout are /dev/null and its stderr
 * is the parent's capture; it must leave by _exit. Returns -1 with the
 * reason in `why` when no process starts.
 */
pid_t ps__child_start(ps__child_t *c, const ps__child_watch_t *w, long long timeout_ms,
                      size_t answer_max, int *answer, ps__buf_t *why);

/* In a younger child: closes its copies of an older sibling's pipes, so
   that it cannot read what the sibling sends. */
void ps__child_close_pipes(ps__child_t *c);

/* Adds the child's open pipes to `fds` (room for two); returns how many. */
size_t ps__child_pollfds(const ps__child_t *c, struct pollfd *fds);
/* Milliseconds until the child's deadline, at least 0. */
long long ps__child_time_left(const ps__child_t *c);
/* poll(2) for at most `wait_ms`, returning early when some child ends. */
void ps__child_poll(const ps__child_watch_t *w, struct pollfd *fds, size_t n,
                    long long wait_ms);

/*
 * Reads what the child sent and checks whether it is over; never blocks.
 * Anything but PS_CHILD_RUNNING means it is over: its process group was
 * killed, the child reaped (or given up on after PS_CHILD_KILL_GRACE_MS)
 * and its pipes read to their end and closed.
 */
ps__child_state_t ps__child_update(ps__child_t *c);
/* Kills a child that is still running, and its group; ends its pipes. */
void ps__child_stop(ps__child_t *c);

/* Logs each line the child wrote to its standard error as a warning
   "plugin 'NAME': LINE", and a last line for the bytes not kept. */
void ps__child_pass_on_stderr(const ps__child_t *c, const char *name);
/* Frees what the parent kept of the child (which must be over). */
void ps__child_free(ps__child_t *c);

#endif
