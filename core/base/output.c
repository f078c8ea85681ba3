#include "config.h"

#include "base/output.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <parkstat/error.h>

int ps__write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

static int sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* Writes, flushes and closes fd; returns the failed step, or NULL. */
static const char *fill_temp(int fd, const char *data, size_t len, int *saved_errno)
{
    const char *step = NULL;
    if (ps__write_all(fd, data, len) < 0)
        step = "write";
    else if (fchmod(fd, 0644) < 0)
        step = "set the mode of";
    else if (fsync(fd) < 0)
        step = "flush";
    *saved_errno = errno;
    if (close(fd) < 0 && !step) {
        step = "close";
        *saved_errno = errno;
    }
    return step;
}

/* Removes the temporaries a killed run left for `name` (".NAME.XXXXXX"):
   runs hold the lock, so no other run is writing them. */
static void remove_stale(const char *dir, const char *name)
{
    ps__buf_t pattern = PS_BUF_INIT;
    ps__buf_printf(&pattern, "%s/.%s.??????", dir, name);
    glob_t g;
    if (glob(ps__buf_str(&pattern), GLOB_NOSORT, NULL, &g) == 0) {
        for (size_t i = 0; i < g.gl_pathc; i++)
            unlink(g.gl_pathv[i]);
        globfree(&g);
    }
    ps__buf_free(&pattern);
}

int ps__output_write(const char *dir, const char *name, const char *data,
                     size_t len, ps__buf_t *err)
{
    remove_stale(dir, name);
    ps__buf_t tmp = PS_BUF_INIT, final = PS_BUF_INIT;
    ps__buf_printf(&tmp, "%s/.%s.XXXXXX", dir, name);
    ps__buf_printf(&final, "%s/%s", dir, name);
    char *tmp_path = ps__buf_take(&tmp);
    int fd = tmp_path ? mkstemp(tmp_path) : -1;
    int saved_errno = errno;
    const char *step = fd < 0 ? "create a temporary file for" : NULL;
    if (!step)
        step = fill_temp(fd, data, len, &saved_errno);
    if (!step && rename(tmp_path, ps__buf_str(&final)) < 0) {
        step = "rename a temporary file into";
        saved_errno = errno;
    }
    if (step && fd >= 0)
        unlink(tmp_path);
    if (!step && sync_dir(dir) < 0) {
        step = "flush the directory of";
        saved_errno = errno;
    }
    if (step)
        ps__buf_printf(err, "cannot %s %s: %s", step, ps__buf_str(&final),
                       strerror(saved_errno));
    free(tmp_path);
    ps__buf_free(&final);
    return step ? PS_EIO : 0;
}

int ps__output_stdout(const char *data, size_t len, ps__buf_t *err)
{
    if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
        ps__buf_printf(err, "cannot write to standard output: %s", strerror(errno));
        return PS_EIO;
    }
    return 0;
}
