#include "config.h"

#include "base/output.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
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

int ps__output_stdout(const char *data, size_t len, ps__buf_t *err)
{
    if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
        ps__buf_printf(err, "cannot write to standard output: %s", strerror(errno));
        return PS_EIO;
    }
    return 0;
}
