/*
 * Helpers shared by the unit tests: temporary files and directories under
 * /tmp, a configuration read from a temporary INI or built in memory, and
 * short ways to read a buffer. Everything is static inline so that a test
 * file uses what it needs and -Wunused-function stays quiet about the rest.
 */
#ifndef PS_TESTUTIL_H
#define PS_TESTUTIL_H

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* after the headers it needs: print_message() shows a fixture's diagnostics */
#include <cmocka.h>

#include <parkstat/types.h>

#include "base/buf.h"
#include "base/diag.h"
#include "config/conf.h"

#define TU_TEMPLATE "/tmp/parkstat-test-XXXXXX"

/* ps_period_make() as a constant expression, for tables: year * 12 + month - 1. */
#define TU_PERIOD(year, month) ((ps_period_t)((year) * 12 + (month) - 1))

/* Aborts the test program: a helper failed, which no test expects. */
static inline void tu_die(const char *what)
{
    fprintf(stderr, "testutil: %s: %s\n", what, strerror(errno));
    abort();
}

static inline void tu_write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            tu_die("write");
        p += n;
        len -= (size_t)n;
    }
}

/*
 * A temporary file holding data[0..len), already unlinked: closing the
 * descriptor is all the cleaning up there is. Returns it at offset 0.
 */
static inline int tu_fd_with(const void *data, size_t len)
{
    char path[] = TU_TEMPLATE;
    int fd = mkstemp(path);
    if (fd < 0)
        tu_die("mkstemp");
    unlink(path);
    tu_write_all(fd, data, len);
    if (lseek(fd, 0, SEEK_SET) != 0)
        tu_die("lseek");
    return fd;
}

static inline int tu_fd_with_text(const char *text)
{
    return tu_fd_with(text, strlen(text));
}

/* A temporary directory; `path` is absolute and free of symbolic links. */
typedef struct tu_dir {
    char path[PATH_MAX];
} tu_dir_t;

static inline void tu_dir_make(tu_dir_t *d)
{
    char tmpl[] = TU_TEMPLATE;
    if (!mkdtemp(tmpl) || !realpath(tmpl, d->path))
        tu_die("mkdtemp");
}

/* dir/name, malloc'd. */
static inline char *tu_dir_path(const tu_dir_t *d, const char *name)
{
    ps__buf_t b = PS_BUF_INIT;
    ps__buf_printf(&b, "%s/%s", d->path, name);
    return ps__buf_take(&b);
}

/*
 * Writes `text` to dir/name, creating the directories `name` names (as in
 * "ledgers/tax.csv"). Returns the file's path, malloc'd.
 */
static inline char *tu_dir_write(const tu_dir_t *d, const char *name, const char *text)
{
    char *path = tu_dir_path(d, name);
    for (char *slash = strchr(path + strlen(d->path) + 1, '/'); slash;
         slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        if (mkdir(path, 0700) < 0 && errno != EEXIST)
            tu_die("mkdir");
        *slash = '/';
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        tu_die("open");
    tu_write_all(fd, text, strlen(text));
    close(fd);
    return path;
}

static inline int tu_remove_entry(const char *path, const struct stat *st, int flag,
                                  struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* Removes the directory and everything in it. */
static inline void tu_dir_remove(tu_dir_t *d)
{
    if (d->path[0] && nftw(d->path, tu_remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
        tu_die("nftw");
    d->path[0] = '\0';
}

/*
 * The fixture the configuration tests share: a temporary directory, the
 * INI file written there, and what ps__config_load made of it. Tests that
 * need only the directory use it too, leaving the rest zero: freeing a
 * zero configuration or diagnostic list does nothing, so one teardown
 * serves both.
 */
typedef struct tu_conf {
    tu_dir_t dir;
    char *path; /* the file last written with tu_conf_write(), malloc'd */
    ps__config_t cfg;
    ps__diag_t diag;
} tu_conf_t;

static inline void tu_conf_setup(tu_conf_t *c)
{
    *c = (tu_conf_t){ 0 };
    tu_dir_make(&c->dir);
}

/* Frees the configuration, the diagnostics and the path, leaving them as
   tu_conf_setup() did, for the next load; the directory and its files stay. */
static inline void tu_conf_reset(tu_conf_t *c)
{
    ps__config_free(&c->cfg);
    c->cfg = (ps__config_t){ 0 };
    ps__diag_free(&c->diag);
    free(c->path);
    c->path = NULL;
}

static inline void tu_conf_teardown(tu_conf_t *c)
{
    tu_conf_reset(c);
    tu_dir_remove(&c->dir);
}

/*
 * A cmocka fixture of `size` bytes whose first member is a tu_conf_t, set up;
 * NULL if out of memory. A pointer to a structure, converted, points to its
 * first member, so the fixture can be handed over as is.
 */
static inline void *tu_fixture_new(size_t size)
{
    tu_conf_t *c = calloc(1, size);
    if (c)
        tu_conf_setup(c);
    return c;
}

/* Tears down and frees what tu_fixture_new() returned. */
static inline void tu_fixture_free(void *fixture)
{
    tu_conf_teardown(fixture);
    free(fixture);
}

/* Shows each message in the test's output: when an assertion on them
   fails, what was said is right above it. */
static inline void tu_print_diag(const ps__diag_t *d)
{
    for (size_t i = 0; i < d->count; i++)
        print_message("diag[%zu]: %s\n", i, d->messages[i]);
}

/* Writes `text` to dir/name (see tu_dir_write()) and keeps its path in
   c->path, which the expected messages start with. */
static inline const char *tu_conf_write(tu_conf_t *c, const char *name, const char *text)
{
    free(c->path);
    c->path = tu_dir_write(&c->dir, name, text);
    return c->path;
}

/*
 * Writes `ini_text` to dir/name and loads it with ps__config_load into c->cfg
 * and c->diag, after freeing what an earlier load left: each load starts
 * clean. Returns ps__config_load's rc. The diagnostics are not printed here:
 * tests that assert on them print them with their own assertions, tests
 * that do not (a load before the call under test) would only add noise.
 */
static inline int tu_conf_load_file(tu_conf_t *c, const char *name, const char *ini_text)
{
    tu_conf_reset(c);
    tu_conf_write(c, name, ini_text);
    return ps__config_load(&c->cfg, c->path, &c->diag);
}

/* tu_conf_load_file() of dir/parkstat.ini. */
static inline int tu_conf_load(tu_conf_t *c, const char *ini_text)
{
    return tu_conf_load_file(c, "parkstat.ini", ini_text);
}

/*
 * An expected message, "<c->path>: <rest>". The texts live in a ring of
 * buffers, so that one assertion can compare several.
 */
static inline const char *tu_conf_at(const tu_conf_t *c, const char *rest)
{
    static char ring[8][PATH_MAX + 512];
    static size_t next;
    char *text = ring[next++ % 8];
    snprintf(text, sizeof ring[0], "%s: %s", c->path, rest);
    return text;
}

/* The same, placed at a line of the file: "<path>:LINE: rest". */
static inline const char *tu_conf_line(const tu_conf_t *c, unsigned line, const char *rest)
{
    static char ring[8][PATH_MAX + 512];
    static size_t next;
    char *text = ring[next++ % 8];
    snprintf(text, sizeof ring[0], "%s:%u: %s", c->path, line, rest);
    return text;
}

/*
 * A configuration built in memory that declares indicators, as
 * [indicator.CODE] sections would: what the ledger reader and the API read.
 * The strings are borrowed; nothing is to be freed.
 */
#define TU_INDICATOR(code_, unit_)                                            \
    { .code = (char *)(code_), .unit = (char *)(unit_), .rate_decimals = 2 }

static inline ps__config_t tu_config_with(ps__indicator_def_t *defs, size_t n)
{
    ps__config_t cfg = { .indicators = defs, .n_indicators = n };
    return cfg;
}

/* Money in 元 as the core stores it: tu_yuan(2232000000) is 22.32亿元. */
static inline int64_t tu_yuan(int64_t yuan)
{
    return yuan * PS_SCALE;
}

#endif
