/*
 * A stand-in, for tests/ledgers.sh, for a department still writing its
 * ledger while parkstat reads it: loaded with LD_PRELOAD, it changes the
 * file PARKSTAT_TEST_CHANGE names right after parkstat maps it, which no
 * timing of a real second process hits reliably.
 *
 *   PARKSTAT_TEST_CHANGE=FILE PARKSTAT_TEST_CUT_TO=BYTES  cuts FILE short
 *   PARKSTAT_TEST_CHANGE=FILE PARKSTAT_TEST_APPEND=TEXT   appends TEXT, once
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Whether fd is open on the file `path` names (as given, absolute). */
static int is_open_on(int fd, const char *path)
{
    char link[64], target[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, target, sizeof target - 1);
    if (n < 0)
        return 0;
    target[n] = '\0';
    return strcmp(target, path) == 0;
}

static void change(const char *path)
{
    static int appended;
    const char *cut_to = getenv("PARKSTAT_TEST_CUT_TO");
    const char *text = getenv("PARKSTAT_TEST_APPEND");
    if (cut_to && truncate(path, strtoll(cut_to, NULL, 10)) != 0)
        abort();
    if (text && !appended++) {
        int fd = open(path, O_WRONLY | O_APPEND);
        if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
            abort();
        close(fd);
    }
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
    static void *(*real)(void *, size_t, int, int, int, off_t);
    if (!real)
        *(void **)&real = dlsym(RTLD_NEXT, "mmap");
    void *p = real(addr, len, prot, flags, fd, off);
    const char *path = getenv("PARKSTAT_TEST_CHANGE");
    if (p != MAP_FAILED && fd >= 0 && path && is_open_on(fd, path))
        change(path);
    return p;
}
