#include "config.h"

#include "base/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "base/buf.h"

static int use_syslog;
static enum ps__log_level threshold = PS_LOG_WARNING;

static const struct { const char *name; int facility; } facilities[] = {
    { "user", LOG_USER },     { "daemon", LOG_DAEMON }, { "local0", LOG_LOCAL0 },
    { "local1", LOG_LOCAL1 }, { "local2", LOG_LOCAL2 }, { "local3", LOG_LOCAL3 },
    { "local4", LOG_LOCAL4 }, { "local5", LOG_LOCAL5 }, { "local6", LOG_LOCAL6 },
    { "local7", LOG_LOCAL7 },
};

int ps__log_open(int to_syslog, const char *facility, enum ps__log_level level)
{
    threshold = level;
    if (!to_syslog)
        return 0;
    for (size_t i = 0; i < sizeof facilities / sizeof facilities[0]; i++)
        if (facility && strcmp(facilities[i].name, facility) == 0) {
            openlog("parkstat", LOG_PID, facilities[i].facility);
            use_syslog = 1;
            return 0;
        }
    return -1;
}

/* A message on standard error in one write: plugin processes log while
   the run and each other do, and a line written in pieces could be cut by
   another's. */
static void to_stderr(const char *fmt, va_list ap)
{
    ps__buf_t line = PS_BUF_INIT;
    va_list again;
    va_copy(again, ap);
    ps__buf_puts(&line, "parkstat: ");
    ps__buf_vprintf(&line, fmt, again);
    ps__buf_puts(&line, "\n");
    va_end(again);
    if (!line.failed) {
        fwrite(line.data, 1, line.len, stderr);
    } else { /* out of memory: in pieces, rather than not at all */
        fputs("parkstat: ", stderr);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
    }
    ps__buf_free(&line);
}

void ps__log(enum ps__log_level level, const char *fmt, ...)
{
    static const int priorities[] = { LOG_ERR, LOG_WARNING, LOG_INFO };
    if (level > threshold)
        return;
    va_list ap;
    va_start(ap, fmt);
    if (use_syslog) {
        va_list again;
        va_copy(again, ap);
        vsyslog(priorities[level], fmt, again);
        va_end(again);
    }
    to_stderr(fmt, ap);
    va_end(ap);
}
