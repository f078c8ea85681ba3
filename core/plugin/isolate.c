#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <parkstat/error.h>

#include "base/lock.h"
#include "base/output.h"
#include "plugin/run.h"
#include "base/stopwatch.h"
#include "plugin/wire.h"

/* In the child: compute, send the section, and leave without running the
   parent's exit handlers or flushing its stdio buffers a second time. */
static void child(ps__run_t *run, const ps__instance_t *inst, const ps__module_t *mod,
                  const ps__settings_t *settings, int fd)
{
    ps__buf_t out = PS_BUF_INIT;
    int rc = ps__run_instance(run, inst, mod, settings);
    if (rc != PS_ENOMEM)
        ps__wire_encode(&out, &run->report->sections[run->report->n_sections - 1]);
    if (!out.failed && ps__write_all(fd, out.data, out.len) < 0)
        _exit(3);
    _exit(out.failed || rc == PS_ENOMEM ? 2 : 0);
}

static long long now_ms(void)
{
    return (long long)(ps__seconds() * 1000);
}

/* A job's child process, as the parent sees it. */
typedef struct child {
    pid_t pid;
    int fd;             /* the result's pipe, -1 once closed */
    size_t section;     /* its section's index in the report */
    long long deadline; /* CLOCK_MONOTONIC, ms */
    unsigned timeout_s;
    ps__buf_t in, why;
} child_t;

/* Reads what the child sent since the last call. Returns 1 while more may
   come; 0 at end of file, or with the reason in `why` (too large). */
static int take_output(child_t *c)
{
    char chunk[65536];
    ssize_t n;
    do
        n = read(c->fd, chunk, sizeof chunk);
    while (n < 0 && errno == EINTR);
    if (n <= 0)
        return 0;
    if (c->in.len + (size_t)n > PS_ISOLATE_MAX_RESULT) {
        ps__buf_printf(&c->why, "sent a result larger than %u MiB",
                       PS_ISOLATE_MAX_RESULT >> 20);
        return 0;
    }
    ps__buf_append(&c->in, chunk, (size_t)n);
    return 1;
}

/* How the child ended, when that is why its section is lost. */
static void describe_status(int status, size_t received, ps__buf_t *why)
{
    if (WIFSIGNALED(status)) {
        const char *name = sigabbrev_np(WTERMSIG(status));
        if (name)
            ps__buf_printf(why, "killed by SIG%s", name);
        else
            ps__buf_printf(why, "killed by signal %d", WTERMSIG(status));
    } else if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
        ps__buf_printf(why, "exited with status %d", WEXITSTATUS(status));
    } else if (received == 0) {
        ps__buf_puts(why, "exited before returning its section");
    }
}

static pid_t wait_child(pid_t pid, int *status)
{
    pid_t r;
    do
        r = waitpid(pid, status, 0);
    while (r < 0 && errno == EINTR);
    return r;
}

/* Ends the child (killed if it failed), and fills its section from what it
   sent or marks the section failed with the reason. */
static void finish(ps__run_t *run, const ps__instance_t *inst, child_t *c)
{
    int status = 0;
    if (c->fd >= 0) {
        close(c->fd);
        c->fd = -1;
    }
    if (c->pid > 0) {
        if (c->why.len || c->section == SIZE_MAX)
            kill(c->pid, SIGKILL);
        wait_child(c->pid, &status);
        if (!c->why.len)
            describe_status(status, c->in.len, &c->why);
    }
    if (c->section == SIZE_MAX) { /* it never had one */
        ps__buf_free(&c->in);
        ps__buf_free(&c->why);
        return;
    }
    ps__section_t *section = &run->report->sections[c->section];
    if (!c->why.len)
        ps__wire_decode(c->in.data, c->in.len, run->report, section, &c->why);
    if (c->why.len) {
        ps__section_clear(section);
        ps__buf_t message = PS_BUF_INIT;
        ps__buf_printf(&message, "plugin %s: %s", inst->name, ps__buf_str(&c->why));
        section->error = ps__buf_take(&message);
    }
    ps__buf_free(&c->in);
    ps__buf_free(&c->why);
}

/* Forks the job's child and adds its (empty) section; 0, PS_ENOMEM, or
   PS_EIO with the reason in the child's `why` when no process starts. */
static int start(ps__run_t *run, const ps__job_t *job, child_t *kids, size_t k)
{
    child_t *c = &kids[k];
    int fds[2] = { -1, -1 }, why = 0;
    c->pid = -1;
    c->timeout_s = job->timeout_s;
    if (pipe(fds) == 0) {
        fflush(NULL); /* nothing buffered may be written twice */
        pid_t parent = getpid();
        c->pid = fork();
        if (c->pid == 0) {
            /* A child must not outlive a killed run and keep computing, nor
               hold the run's lock while it dies. */
            ps__lock_close_inherited();
            if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
                _exit(4);
            for (size_t i = 0; i < k; i++) /* its siblings' pipes */
                if (kids[i].fd >= 0)
                    close(kids[i].fd);
            close(fds[0]);
            child(run, job->inst, job->mod, job->settings, fds[1]);
        }
        why = errno;
        close(fds[1]);
    } else {
        why = errno;
    }
    c->fd = fds[0];
    ps__section_t *section = ps__instance_section(run, job->inst, job->mod, job->settings);
    if (!section) { /* no section to fill: stop the child at once */
        c->section = SIZE_MAX;
        finish(run, job->inst, c);
        return PS_ENOMEM;
    }
    c->section = run->report->n_sections - 1;
    c->deadline = now_ms() + (long long)job->timeout_s * 1000;
    if (c->pid > 0)
        return 0;
    ps__buf_printf(&c->why, "cannot start its process: %s", strerror(why));
    return PS_EIO;
}

/* Waits until some running child has sent more, ended or run out of time,
   and finishes those that are done. Returns how many finished. */
static size_t pump(ps__run_t *run, const ps__job_t *jobs, child_t *kids, size_t n)
{
    struct pollfd fds[PS_ISOLATE_MAX_PARALLEL];
    size_t who[PS_ISOLATE_MAX_PARALLEL], nfds = 0, done = 0;
    long long now = now_ms(), wait = 60000;
    for (size_t k = 0; k < n; k++) {
        if (kids[k].fd < 0)
            continue;
        if (kids[k].deadline - now < wait)
            wait = kids[k].deadline - now > 0 ? kids[k].deadline - now : 0;
        fds[nfds] = (struct pollfd){ .fd = kids[k].fd, .events = POLLIN };
        who[nfds++] = k;
    }
    if (poll(fds, nfds, (int)wait) < 0 && errno != EINTR)
        wait = 0;
    now = now_ms();
    for (size_t i = 0; i < nfds; i++) {
        child_t *c = &kids[who[i]];
        int more = 1;
        if (now >= c->deadline) { /* even a child that keeps sending */
            ps__buf_printf(&c->why, "timed out after %u s", c->timeout_s);
            more = 0;
        } else if (fds[i].revents) {
            more = take_output(c);
        }
        if (!more) {
            finish(run, jobs[who[i]].inst, c);
            done++;
        }
    }
    return done;
}

/* How many children at once: as many as the CPUs, at least two (a slow
   plugin does not hold up a quick one), at most the poll set's size. */
static size_t parallel_children(void)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    if (cpus < 2)
        return 2;
    return cpus > PS_ISOLATE_MAX_PARALLEL ? PS_ISOLATE_MAX_PARALLEL : (size_t)cpus;
}

int ps__run_isolated(ps__run_t *run, const ps__job_t *jobs, size_t n)
{
    child_t *kids = calloc(n ? n : 1, sizeof *kids);
    if (!kids)
        return PS_ENOMEM;
    size_t started = 0, running = 0, limit = parallel_children();
    int rc = 0;
    while (rc != PS_ENOMEM && (started < n || running > 0)) {
        while (rc != PS_ENOMEM && started < n && running < limit) {
            rc = start(run, &jobs[started], kids, started);
            if (rc == 0)
                running++;
            else if (rc == PS_EIO) /* only this section is lost */
                finish(run, jobs[started].inst, &kids[started]);
            started++;
        }
        if (running > 0)
            running -= pump(run, jobs, kids, started);
    }
    int failed = 0;
    for (size_t k = 0; k < started; k++) {
        if (kids[k].fd >= 0) { /* out of memory: stop the others too */
            ps__buf_puts(&kids[k].why, "stopped: out of memory");
            finish(run, jobs[k].inst, &kids[k]);
        }
        if (kids[k].section != SIZE_MAX)
            failed |= run->report->sections[kids[k].section].error != NULL;
    }
    free(kids);
    return rc == PS_ENOMEM ? rc : failed ? PS_EPLUGIN : 0;
}
