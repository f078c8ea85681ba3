#include "config.h"

#include "base/infile.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *kind_of(mode_t mode)
{
    return S_ISFIFO(mode) ? "a FIFO" : S_ISCHR(mode) ? "a character device"
         : S_ISBLK(mode) ? "a block device" : S_ISSOCK(mode) ? "a socket"
         : "not a file";
}

int ps__infile_check(int fd, const char *name, ps__buf_t *err)
{
    struct stat st = { 0 };
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
        return 0;
    /* a directory is no file at all: said plainly, as "not a regular
       file" reads as if it were some other kind of file */
    if (S_ISDIR(st.st_mode))
        ps__buf_printf(err, "%s: is a directory, not a file: refused", name);
    else
        ps__buf_printf(err, "%s: is not a regular file (%s): refused", name,
                       kind_of(st.st_mode));
    return -1;
}

int ps__infile_open(const char *path, ps__buf_t *err)
{
    /* O_NONBLOCK: opening a FIFO with no writer would wait forever */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        ps__buf_printf(err, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    if (ps__infile_check(fd, path, err) < 0) {
        close(fd);
        return -1;
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0) {
        ps__buf_printf(err, "%s: cannot read: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

static ps__infile_stamp_t stamp_of(const struct stat *st)
{
    return (ps__infile_stamp_t){ st->st_dev, st->st_ino, st->st_size, st->st_mtim };
}

int ps__infile_stamp(int fd, ps__infile_stamp_t *stamp)
{
    struct stat st;
    if (fstat(fd, &st) < 0)
        return -1;
    *stamp = stamp_of(&st);
    return 0;
}

static int same_stamp(const ps__infile_stamp_t *a, const ps__infile_stamp_t *b)
{
    return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
           a->mtime.tv_sec == b->mtime.tv_sec && a->mtime.tv_nsec == b->mtime.tv_nsec;
}

int ps__infile_unchanged(const ps__infile_stamp_t *was, int fd, const char *path,
                         const char *name, ps__buf_t *err)
{
    struct stat st;
    ps__infile_stamp_t now = *was;
    /* the descriptor first: a file written to or cut short */
    if (fstat(fd, &st) == 0)
        now = stamp_of(&st);
    /* then the name: a file replaced by another (a file removed since is
       what was read, whole) */
    if (same_stamp(was, &now) && path && stat(path, &st) == 0)
        now = stamp_of(&st);
    if (same_stamp(was, &now))
        return 0;
    ps__buf_printf(err, "%s: changed while being read (was %lld bytes, now %lld): try "
                   "again when it is complete", name, (long long)was->size,
                   (long long)now.size);
    return -1;
}
