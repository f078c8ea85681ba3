/*
 * Messages for the operator: to standard error, and to syslog when the
 * configuration says `log = syslog` (cron mails stderr; syslog keeps a record).
 */
#ifndef PS_LOG_H
#define PS_LOG_H

enum ps__log_level { PS_LOG_ERROR, PS_LOG_WARNING, PS_LOG_INFO };

/* Where and what to log; `facility` is syslog's name for it (user, daemon,
   local0 …). Returns -1 for an unknown facility. */
int ps__log_open(int to_syslog, const char *facility, enum ps__log_level level);
void ps__log(enum ps__log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
