#include "config.h"

#include "plugin/probe.h"

#include <poll.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ltdl.h>

#include <parkstat/error.h>

#include "base/output.h"
#include "plugin/child.h"

/* What the child sends: a line "open FILE" before libltdl opens each
   file, and "loaded" once the loader's steps came back. */
#define OPEN_LINE "open "
#define LOADED_LINE "loaded\n"
#define PROBE_MAX_ANSWER (64u << 10)

static int announce_fd = -1;
static const lt_dlvtable *dlopen_loader;

/* libltdl's dlopen loader, saying first which file it opens: when that
   file's code crashes, the parent still knows its name. */
static lt_module announce_open(lt_user_data data, const char *filename, lt_dladvise advise)
{
    if (filename) {
        ps__buf_t line = PS_BUF_INIT;
        ps__buf_printf(&line, OPEN_LINE "%s\n", filename);
        if (!line.failed)
            ps__write_all(announce_fd, line.data, line.len);
        ps__buf_free(&line);
    }
    return dlopen_loader->module_open(data, filename, advise);
}

/* In the child: every file libltdl opens goes through announce_open. */
static void announce_files(int fd)
{
    static lt_dlvtable announcing;
    dlopen_loader = lt_dlloader_find("lt_dlopen");
    if (!dlopen_loader)
        return;
    announcing = *dlopen_loader;
    announcing.name = "parkstat_probe";
    announcing.module_open = announce_open;
    announcing.dlloader_init = NULL; /* dlopen_loader's: already run */
    announcing.dlloader_exit = NULL;
    announcing.priority = LT_DLLOADER_PREPEND;
    announce_fd = fd;
    lt_dlloader_add(&announcing);
}

static void probe_child(const char *path, ps__probe_load_fn *load, void *arg, int answer)
{
    announce_files(answer);
    load(path, arg);
    _exit(ps__write_all(answer, LOADED_LINE, strlen(LOADED_LINE)) < 0 ? 3 : 0);
}

static ps__child_state_t wait_for(ps__child_t *c, const ps__child_watch_t *watch)
{
    ps__child_state_t state;
    while ((state = ps__child_update(c)) == PS_CHILD_RUNNING) {
        struct pollfd fds[2];
        ps__child_poll(watch, fds, ps__child_pollfds(c, fds), ps__child_time_left(c));
    }
    return state;
}

/* The last file the child said it was opening, or `path`. */
static void opened_file(const ps__buf_t *answer, const char *path, ps__buf_t *file)
{
    const char *text = ps__buf_str(answer), *last = NULL;
    for (const char *p = text; (p = strstr(p, OPEN_LINE)) != NULL; p++)
        if (p == text || p[-1] == '\n')
            last = p + strlen(OPEN_LINE);
    if (last)
        ps__buf_append(file, last, strcspn(last, "\n"));
    else
        ps__buf_puts(file, path);
}

static int came_back(const ps__child_t *c, ps__child_state_t state)
{
    size_t n = strlen(LOADED_LINE);
    return state == PS_CHILD_ENDED && c->answer.len >= n &&
           memcmp(c->answer.data + c->answer.len - n, LOADED_LINE, n) == 0;
}

/* Why the module is refused, from how its child ended. */
static void describe_end(const ps__child_t *c, ps__child_state_t state, long long timeout_ms,
                         ps__buf_t *err)
{
    if (state == PS_CHILD_TIMED_OUT) {
        ps__buf_printf(err, "did not finish loading within %lld s", timeout_ms / 1000);
    } else if (state == PS_CHILD_SENT_TOO_MUCH) {
        ps__buf_printf(err, "wrote more than %u KiB to the loader's pipe while loading",
                       PROBE_MAX_ANSWER >> 10);
    } else if (WIFSIGNALED(c->status)) {
        const char *what = sigdescr_np(WTERMSIG(c->status));
        ps__buf_printf(err, "crashed while loading (signal %d, %s)", WTERMSIG(c->status),
                       what ? what : "unknown signal");
    } else {
        ps__buf_printf(err, "exited while loading (status %d)", WEXITSTATUS(c->status));
    }
}

int ps__probe_module(const char *name, const char *path, ps__probe_load_fn *load,
                     void *arg, long long timeout_ms, ps__buf_t *err)
{
    ps__child_watch_t watch;
    ps__child_t c;
    ps__buf_t why = PS_BUF_INIT, file = PS_BUF_INIT;
    int answer;
    ps__child_watch_begin(&watch);
    pid_t pid = ps__child_start(&c, &watch, timeout_ms, PROBE_MAX_ANSWER, &answer, &why);
    if (pid == 0)
        probe_child(path, load, arg, answer);
    ps__child_state_t state = pid > 0 ? wait_for(&c, &watch) : PS_CHILD_ENDED;
    ps__child_watch_end(&watch);
    int rc = pid > 0 && came_back(&c, state) ? 0 : PS_EPLUGIN;
    if (rc < 0) {
        opened_file(&c.answer, path, &file);
        ps__buf_printf(err, "plugin '%s' (%s): ", name, ps__buf_str(&file));
        if (pid > 0)
            describe_end(&c, state, timeout_ms, err);
        else
            ps__buf_puts(err, ps__buf_str(&why));
        ps__child_pass_on_stderr(&c, name);
    }
    ps__child_free(&c);
    ps__buf_free(&why);
    ps__buf_free(&file);
    return rc;
}
