#include "config.h"

#include "plugin/child.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/lock.h"
#include "base/log.h"
#include "base/stopwatch.h"

/* How many reads of a pipe one update makes at most: a child that writes
   without pause must not keep the parent from its other children and
   from the deadlines. */
#define READ_ROUNDS 16

static long long now_ms(void)
{
    return (long long)(ps__seconds() * 1000);
}

static void wake_poll(int sig)
{
    (void)sig;
}

/* Neither call can fail with these arguments (EINVAL is all they know). */
void ps__child_watch_begin(ps__child_watch_t *w)
{
    sigset_t chld;
    struct sigaction wake = { .sa_handler = wake_poll, .sa_flags = SA_NOCLDSTOP | SA_RESTART };
    sigemptyset(&wake.sa_mask);
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    pthread_sigmask(SIG_BLOCK, &chld, &w->old_mask);
    sigaction(SIGCHLD, &wake, &w->old_action);
}

/* The handler goes first: a SIGCHLD still pending is then dropped, not
   handled. */
void ps__child_watch_end(const ps__child_watch_t *w)
{
    sigaction(SIGCHLD, &w->old_action, NULL);
    pthread_sigmask(SIG_SETMASK, &w->old_mask, NULL);
}

void ps__child_poll(const ps__child_watch_t *w, struct pollfd *fds, size_t n, long long wait_ms)
{
    sigset_t during = w->old_mask;
    sigdelset(&during, SIGCHLD);
    if (wait_ms < 0)
        wait_ms = 0;
    struct timespec wait = { .tv_sec = wait_ms / 1000, .tv_nsec = wait_ms % 1000 * 1000000 };
    ppoll(fds, n, &wait, &during); /* EINTR: a child ended */
}

/* Moves fd above the standard descriptors, which the child is about to
   replace: a parent started with one of them closed gets it from pipe(). */
static int above_stdio(int fd)
{
    if (fd > STDERR_FILENO)
        return fd;
    int moved = fcntl(fd, F_DUPFD, STDERR_FILENO + 1);
    close(fd);
    return moved;
}

/* A plugin's code runs with the default action of every signal, as after
   exec: a crash must end its child, whatever handler the parent has (a
   test harness's, which would carry on with the parent's code). */
static void default_signal_actions(void)
{
    for (int sig = 1; sig < NSIG; sig++) {
        struct sigaction now;
        if (sigaction(sig, NULL, &now) == 0 && now.sa_handler != SIG_DFL &&
            now.sa_handler != SIG_IGN)
            signal(sig, SIG_DFL);
    }
}

/* In the new child: its own process group, no way to the terminal or to
   the report, its stderr to the parent. Returns the answer's descriptor. */
static int enter_child(const ps__child_watch_t *w, pid_t parent, const int answer[2],
                       const int err[2])
{
    /* A child must not outlive a killed run and keep computing, nor
       hold the run's lock while it dies. */
    ps__lock_close_inherited();
    if (setpgid(0, 0) < 0 || prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
        _exit(4);
    default_signal_actions();
    pthread_sigmask(SIG_SETMASK, &w->old_mask, NULL);
    close(answer[0]);
    close(err[0]);
    int answer_fd = above_stdio(answer[1]), err_fd = above_stdio(err[1]);
    int null = open("/dev/null", O_RDWR);
    if (answer_fd < 0 || err_fd < 0 || null < 0 || dup2(null, STDIN_FILENO) < 0 ||
        dup2(null, STDOUT_FILENO) < 0 || dup2(err_fd, STDERR_FILENO) < 0)
        _exit(4);
    if (null > STDERR_FILENO)
        close(null);
    close(err_fd);
    return answer_fd;
}

static void close_pair(const int fds[2])
{
    close(fds[0]);
    close(fds[1]);
}

pid_t ps__child_start(ps__child_t *c, const ps__child_watch_t *w, long long timeout_ms,
                      size_t answer_max, int *answer, ps__buf_t *why)
{
    int answer_pipe[2], err_pipe[2];
    *c = (ps__child_t){ .answer_fd = -1, .stderr_fd = -1, .answer_max = answer_max,
                        .deadline = now_ms() + timeout_ms, .watch = w };
    if (pipe(answer_pipe) < 0) {
        ps__buf_printf(why, "cannot start its process: %s", strerror(errno));
        return -1;
    }
    if (pipe(err_pipe) < 0) {
        ps__buf_printf(why, "cannot start its process: %s", strerror(errno));
        close_pair(answer_pipe);
        return -1;
    }
    fflush(NULL); /* nothing buffered may be written twice */
    pid_t parent = getpid(), pid = fork();
    if (pid == 0) {
        *answer = enter_child(w, parent, answer_pipe, err_pipe);
        return 0;
    }
    int fork_errno = errno;
    close(answer_pipe[1]);
    close(err_pipe[1]);
    if (pid < 0) {
        ps__buf_printf(why, "cannot start its process: %s", strerror(fork_errno));
        close(answer_pipe[0]);
        close(err_pipe[0]);
        return -1;
    }
    /* Here too: the group must exist before the parent may have to kill it. */
    setpgid(pid, pid);
    c->pid = pid;
    c->answer_fd = answer_pipe[0];
    c->stderr_fd = err_pipe[0];
    fcntl(c->answer_fd, F_SETFL, O_NONBLOCK);
    fcntl(c->stderr_fd, F_SETFL, O_NONBLOCK);
    return pid;
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

void ps__child_close_pipes(ps__child_t *c)
{
    close_fd(&c->answer_fd);
    close_fd(&c->stderr_fd);
}

size_t ps__child_pollfds(const ps__child_t *c, struct pollfd *fds)
{
    size_t n = 0;
    if (c->answer_fd >= 0)
        fds[n++] = (struct pollfd){ .fd = c->answer_fd, .events = POLLIN };
    if (c->stderr_fd >= 0)
        fds[n++] = (struct pollfd){ .fd = c->stderr_fd, .events = POLLIN };
    return n;
}

long long ps__child_time_left(const ps__child_t *c)
{
    long long left = c->deadline - now_ms();
    return left > 0 ? left : 0;
}

/* Reads what *fd holds now into `into`, keeping at most `max` bytes and
   counting the rest in *dropped; closes *fd at its end. */
static void read_some(int *fd, ps__buf_t *into, size_t max, size_t *dropped)
{
    char chunk[65536];
    for (int round = 0; *fd >= 0 && round < READ_ROUNDS; round++) {
        ssize_t n = read(*fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return;
        if (n <= 0) {
            close_fd(fd);
            return;
        }
        size_t room = into->len < max ? max - into->len : 0;
        size_t keep = (size_t)n < room ? (size_t)n : room;
        ps__buf_append(into, chunk, keep);
        *dropped += (size_t)n - keep;
    }
}

/* Reads both pipes; 0, or -1 once the answer passed its limit. */
static int read_pipes(ps__child_t *c)
{
    size_t answer_dropped = 0;
    read_some(&c->answer_fd, &c->answer, c->answer_max, &answer_dropped);
    read_some(&c->stderr_fd, &c->err, PS_CHILD_MAX_STDERR, &c->err_dropped);
    return answer_dropped ? -1 : 0;
}

/* Whether the child has ended, left unreaped: while it is a zombie its pid
   cannot be reused, so its process group is still the one to kill. */
static int has_ended(const ps__child_t *c)
{
    siginfo_t info = { 0 };
    int rc;
    do
        rc = waitid(P_PID, (id_t)c->pid, &info, WEXITED | WNOHANG | WNOWAIT);
    while (rc < 0 && errno == EINTR);
    return rc < 0 || info.si_pid == c->pid;
}

/* Waits for the child to be reaped, at most until `until` (ms). */
static void reap_by(ps__child_t *c, long long until)
{
    for (;;) {
        pid_t r = waitpid(c->pid, &c->status, WNOHANG);
        if (r == c->pid || (r < 0 && errno != EINTR) || now_ms() >= until)
            break;
        ps__child_poll(c->watch, NULL, 0, until - now_ms());
    }
    c->pid = 0;
}

void ps__child_stop(ps__child_t *c)
{
    if (c->pid > 0) {
        kill(-c->pid, SIGKILL);
        reap_by(c, now_ms() + PS_CHILD_KILL_GRACE_MS);
    }
    ps__child_close_pipes(c);
}

ps__child_state_t ps__child_update(ps__child_t *c)
{
    if (read_pipes(c) < 0) {
        ps__child_stop(c);
        return PS_CHILD_SENT_TOO_MUCH;
    }
    if (has_ended(c)) {
        kill(-c->pid, SIGKILL); /* whatever it forked, which may hold its pipes */
        reap_by(c, now_ms() + PS_CHILD_KILL_GRACE_MS);
        int too_much = read_pipes(c); /* what it sent before it ended */
        ps__child_close_pipes(c);
        return too_much ? PS_CHILD_SENT_TOO_MUCH : PS_CHILD_ENDED;
    }
    if (now_ms() >= c->deadline) {
        ps__child_stop(c);
        return PS_CHILD_TIMED_OUT;
    }
    return PS_CHILD_RUNNING;
}

/* A line as the log may show it: control characters as \xNN, so that a
   plugin cannot drive the terminal or forge a line of its own. */
static void put_printable(ps__buf_t *line, const char *text, size_t len)
{
    if (len > 0 && text[len - 1] == '\r')
        len--;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)text[i];
        if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
            ps__buf_printf(line, "\\x%02x", ch);
        else
            ps__buf_append(line, &text[i], 1);
    }
}

void ps__child_pass_on_stderr(const ps__child_t *c, const char *name)
{
    const char *p = c->err.data, *end = c->err.data + c->err.len;
    ps__buf_t line = PS_BUF_INIT;
    while (p && p < end) {
        const char *newline = memchr(p, '\n', (size_t)(end - p));
        const char *stop = newline ? newline : end;
        ps__buf_reset(&line);
        put_printable(&line, p, (size_t)(stop - p));
        ps__log(PS_LOG_WARNING, "plugin '%s': %s", name, ps__buf_str(&line));
        p = newline ? newline + 1 : end;
    }
    if (c->err_dropped)
        ps__log(PS_LOG_WARNING, "plugin '%s': … (%zu more bytes)", name, c->err_dropped);
    ps__buf_free(&line);
}

void ps__child_free(ps__child_t *c)
{
    ps__child_close_pipes(c);
    ps__buf_free(&c->answer);
    ps__buf_free(&c->err);
}
