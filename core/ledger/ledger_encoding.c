#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ledger/reader.h"
#include "base/output.h"

/*
 * Ledgers saved by Excel on a Chinese Windows machine are GB18030/GBK, not
 * UTF-8: a source that declares its encoding is converted here, whole,
 * before the reader sees it.
 */

/* Writes out[0..n) to fd; counts the line breaks it holds into *lines. */
static int write_counting(int fd, const char *out, size_t n, unsigned long *lines)
{
    for (size_t i = 0; i < n; i++)
        *lines += out[i] == '\n';
    return ps__write_all(fd, out, n);
}

int ps__ledger_to_utf8(int in, const char *encoding, const char *name, ps__buf_t *err)
{
    iconv_t cd = iconv_open("UTF-8", encoding);
    int out = cd == (iconv_t)-1 ? -1 : memfd_create("parkstat-ledger", MFD_CLOEXEC);
    static char inbuf[65536], outbuf[4 * 65536];
    size_t pending = 0;
    unsigned long lines = 0;
    int ok = out >= 0, eof = 0;
    while (ok && !eof) {
        ssize_t got = read(in, inbuf + pending, sizeof inbuf - pending);
        if (got < 0 && errno == EINTR)
            continue;
        eof = got <= 0;
        char *ip = inbuf;
        size_t left = pending + (got > 0 ? (size_t)got : 0);
        while (ok && left > 0) {
            char *op = outbuf;
            size_t room = sizeof outbuf;
            size_t r = iconv(cd, &ip, &left, &op, &room);
            int why = errno;
            ok = write_counting(out, outbuf, (size_t)(op - outbuf), &lines) == 0;
            if (r != (size_t)-1 || why == E2BIG)
                continue;
            if (why == EINVAL && !eof)
                break; /* a character cut by the read: finish it with the next */
            ps__buf_printf(err, "%s:%lu: bytes that are not valid %s (is the file's "
                           "encoding right?)", name, lines + 1, encoding);
            ok = 0;
        }
        memmove(inbuf, ip, left);
        pending = left;
    }
    if (cd != (iconv_t)-1)
        iconv_close(cd);
    if (ok && lseek(out, 0, SEEK_SET) == 0)
        return out;
    if (!err->len)
        ps__buf_printf(err, "%s: cannot convert from %s: %s", name, encoding, strerror(errno));
    if (out >= 0)
        close(out);
    return -1;
}
