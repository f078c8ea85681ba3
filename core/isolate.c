#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <parkstat/error.h>

#include "lock.h"
#include "run.h"
#include "wire.h"

/* In the child: compute, send the section, and leave without running the
   parent's exit handlers or flushing its stdio buffers a second time. */
static void child(ps__run_t *run, const ps__instance_t *inst, const ps__module_t *mod,
                  const ps__settings_t *settings, int fd)
{
    ps__buf_t out = PS_BUF_INIT;
    int rc = ps__run_instance(run, inst, mod, settings);
    if (rc != PS_ENOMEM)
        ps__wire_encode(&out, &run->report->sections[run->report->n_sections - 1]);
    const char *p = out.data;
    size_t left = out.failed ? 0 : out.len;
    while (left > 0) {
        ssize_t n = write(fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            _exit(3);
        p += n;
        left -= (size_t)n;
    }
    _exit(out.failed || rc == PS_ENOMEM ? 2 : 0);
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads the child's result until end of file, the deadline or the size
   limit; says in `why` what went wrong, if anything. */
static void read_result(int fd, unsigned timeout_s, ps__buf_t *in, ps__buf_t *why)
{
    long long deadline = now_ms() + (long long)timeout_s * 1000;
    char chunk[65536];
    for (;;) {
        long long left = deadline - now_ms();
        struct pollfd p = { .fd = fd, .events = POLLIN };
        int ready = left > 0 ? poll(&p, 1, (int)(left > 60000 ? 60000 : left)) : 0;
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready == 0 && now_ms() < deadline)
            continue;
        if (ready == 0) {
            ps__buf_printf(why, "timed out after %u s", timeout_s);
            return;
        }
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        if (in->len + (size_t)n > PS_ISOLATE_MAX_RESULT) {
            ps__buf_printf(why, "sent a result larger than %u MiB",
                           PS_ISOLATE_MAX_RESULT >> 20);
            return;
        }
        ps__buf_append(in, chunk, (size_t)n);
    }
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

int ps__run_isolated(ps__run_t *run, const ps__instance_t *inst, const ps__module_t *mod,
                     const ps__settings_t *settings, unsigned timeout_s)
{
    int fds[2];
    if (pipe(fds) < 0)
        return PS_EIO;
    fflush(NULL); /* nothing buffered may be written twice */
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        /* A child must not outlive a killed run and keep computing, nor
           hold the run's lock while it dies. */
        ps__lock_close_inherited();
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
            _exit(4);
        close(fds[0]);
        child(run, inst, mod, settings, fds[1]);
    }
    close(fds[1]);
    ps__section_t *section = pid > 0 ? ps__instance_section(run, inst, mod, settings) : NULL;
    ps__buf_t in = PS_BUF_INIT, why = PS_BUF_INIT;
    int status = 0;
    if (pid > 0) {
        read_result(fds[0], timeout_s, &in, &why);
        if (why.len)
            kill(pid, SIGKILL);
        wait_child(pid, &status);
    }
    close(fds[0]);
    if (pid < 0 || !section) {
        ps__buf_free(&in);
        return pid < 0 ? PS_EIO : PS_ENOMEM;
    }
    if (!why.len)
        describe_status(status, in.len, &why);
    if (!why.len)
        ps__wire_decode(in.data, in.len, run->report, section, &why);
    if (why.len) {
        ps__section_clear(section);
        ps__buf_t message = PS_BUF_INIT;
        ps__buf_printf(&message, "plugin %s: %s", inst->name, ps__buf_str(&why));
        section->error = ps__buf_take(&message);
    }
    ps__buf_free(&in);
    ps__buf_free(&why);
    return section->error ? PS_EPLUGIN : 0;
}
