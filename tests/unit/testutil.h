/*
 * Helpers shared by the unit tests: temporary files and directories under
 * /tmp, a configuration built in memory, and short ways to read a buffer.
 * Everything is static inline so that a test file uses what it needs and
 * -Wunused-function stays quiet about the rest.
 */
#ifndef PS_TESTUTIL_H
#define PS_TESTUTIL_H

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <parkstat/types.h>

#include "base/buf.h"
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
