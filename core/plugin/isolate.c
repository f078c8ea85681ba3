#include "config.h"

#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <parkstat/error.h>

#include "base/output.h"
#include "base/stopwatch.h"
#include "plugin/child.h"
#include "plugin/run.h"
#include "plugin/wire.h"

/* In the child: compute, send the section, and leave without running the
   parent's exit handlers or flushing its stdio buffers a second time. */
static void compute_in_child(ps__run_t *run, const ps__job_t *job, int fd)
{
    ps__buf_t out = PS_BUF_INIT;
    int rc = ps__compute_instance(run, job->inst, job->mod, job->settings);
    if (rc != PS_ENOMEM)
        ps__wire_encode(&out, &run->report->sections[run->report->n_sections - 1]);
    if (!out.failed && ps__write_all(fd, out.data, out.len) < 0)
        _exit(3);
    _exit(out.failed || rc == PS_ENOMEM ? 2 : 0);
}

/* A job's child process, as the parent sees it. */
typedef struct child {
    ps__child_t proc;   /* its pid is 0 once it is over, or if it never started */
    size_t section;     /* its section's index in the report */
    unsigned timeout_s;
    double started;
    ps__buf_t why;      /* why its section is lost */
} child_t;

/* How the child ended, when that is why its section is lost. */
static void describe_end(child_t *c, ps__child_state_t state)
{
    int status = c->proc.status;
    if (state == PS_CHILD_TIMED_OUT) {
        ps__buf_printf(&c->why, "timed out after %u s", c->timeout_s);
    } else if (state == PS_CHILD_SENT_TOO_MUCH) {
        ps__buf_printf(&c->why, "sent a result larger than %u MiB",
                       PS_ISOLATE_MAX_RESULT >> 20);
    } else if (WIFSIGNALED(status)) {
        const char *name = sigabbrev_np(WTERMSIG(status));
        if (name)
            ps__buf_printf(&c->why, "killed by SIG%s", name);
        else
            ps__buf_printf(&c->why, "killed by signal %d", WTERMSIG(status));
    } else if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
        ps__buf_printf(&c->why, "exited with status %d", WEXITSTATUS(status));
    } else if (c->proc.answer.len == 0) {
        ps__buf_puts(&c->why, "exited before returning its section");
    }
}

/* Fills the child's section from what it sent, or marks it failed with
   the reason. */
static void fill_section(ps__run_t *run, const ps__instance_t *inst, child_t *c)
{
    ps__section_t *section = &run->report->sections[c->section];
    if (!c->why.len) {
        ps__wire_decode(c->proc.answer.data, c->proc.answer.len, run->report, section,
                        &c->why);
        if (!c->why.len) {
            ps__log_computed(inst, ps__seconds() - c->started, section->error != NULL);
            return;
        }
    }
    ps__buf_t message = PS_BUF_INIT;
    ps__buf_printf(&message, "plugin %s: %s", inst->name, ps__buf_str(&c->why));
    ps__section_fail(section, ps__buf_str(&message));
    ps__buf_free(&message);
}

/* Ends the child (killed, with its group, if it still runs), passes on
   what it wrote to stderr, and fills its section. */
static void finish(ps__run_t *run, const ps__instance_t *inst, child_t *c)
{
    ps__child_stop(&c->proc);
    ps__child_pass_on_stderr(&c->proc, inst->name);
    if (c->section != SIZE_MAX) /* else it never had one */
        fill_section(run, inst, c);
    ps__child_free(&c->proc);
    ps__buf_free(&c->why);
}

/* Forks the job's child and adds its (empty) section; 0, PS_ENOMEM, or
   PS_EIO with the reason in the child's `why` when no process starts. */
static int start(ps__run_t *run, const ps__child_watch_t *watch, const ps__job_t *job,
                 child_t *kids, size_t k)
{
    child_t *c = &kids[k];
    int answer;
    c->timeout_s = job->timeout_s;
    c->started = ps__seconds();
    pid_t pid = ps__child_start(&c->proc, watch, (long long)job->timeout_s * 1000,
                                PS_ISOLATE_MAX_RESULT, &answer, &c->why);
    if (pid == 0) {
        for (size_t i = 0; i < k; i++)
            ps__child_close_pipes(&kids[i].proc);
        compute_in_child(run, job, answer);
    }
    ps__section_t *section = ps__instance_section(run, job->inst, job->mod, job->settings);
    if (!section) { /* no section to fill: stop the child at once */
        c->section = SIZE_MAX;
        finish(run, job->inst, c);
        return PS_ENOMEM;
    }
    c->section = run->report->n_sections - 1;
    return pid > 0 ? 0 : PS_EIO;
}

/* Waits until some running child has sent more, ended or run out of time,
   and finishes those that are over. Returns how many finished. */
static size_t pump(ps__run_t *run, const ps__child_watch_t *watch, const ps__job_t *jobs,
                   child_t *kids, size_t n)
{
    struct pollfd fds[2 * PS_ISOLATE_MAX_PARALLEL];
    size_t nfds = 0, done = 0;
    long long wait = 60000;
    for (size_t k = 0; k < n; k++) {
        if (kids[k].proc.pid <= 0)
            continue;
        nfds += ps__child_pollfds(&kids[k].proc, fds + nfds);
        if (ps__child_time_left(&kids[k].proc) < wait)
            wait = ps__child_time_left(&kids[k].proc);
    }
    ps__child_poll(watch, fds, nfds, wait);
    for (size_t k = 0; k < n; k++) {
        if (kids[k].proc.pid <= 0)
            continue;
        ps__child_state_t state = ps__child_update(&kids[k].proc);
        if (state == PS_CHILD_RUNNING)
            continue;
        describe_end(&kids[k], state);
        finish(run, jobs[k].inst, &kids[k]);
        done++;
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
    ps__child_watch_t watch;
    ps__child_watch_begin(&watch);
    size_t started = 0, running = 0, limit = parallel_children();
    int rc = 0;
    while (rc != PS_ENOMEM && (started < n || running > 0)) {
        while (rc != PS_ENOMEM && started < n && running < limit) {
            rc = start(run, &watch, &jobs[started], kids, started);
            if (rc == 0)
                running++;
            else if (rc == PS_EIO) /* only this section is lost */
                finish(run, jobs[started].inst, &kids[started]);
            started++;
        }
        if (running > 0)
            running -= pump(run, &watch, jobs, kids, started);
    }
    int failed = 0;
    for (size_t k = 0; k < started; k++) {
        if (kids[k].proc.pid > 0) { /* out of memory: stop the others too */
            ps__buf_puts(&kids[k].why, "stopped: out of memory");
            finish(run, jobs[k].inst, &kids[k]);
        }
        if (kids[k].section != SIZE_MAX)
            failed |= run->report->sections[kids[k].section].error != NULL;
    }
    ps__child_watch_end(&watch);
    free(kids);
    return rc == PS_ENOMEM ? rc : failed ? PS_EPLUGIN : 0;
}
