#include "config.h"

#include "num/period.h"

#include <time.h>

int ps__period_parse(const char *s, size_t len, ps_period_t *out)
{
    if (len != 7 || s[4] != '-')
        return -1;
    int year = 0, month = 0;
    for (size_t i = 0; i < 7; i++) {
        if (i == 4)
            continue;
        if (s[i] < '0' || s[i] > '9')
            return -1;
        if (i < 4)
            year = year * 10 + (s[i] - '0');
        else
            month = month * 10 + (s[i] - '0');
    }
    if (year < 1900 || month < 1 || month > 12)
        return -1;
    *out = ps_period_make(year, month);
    return 0;
}

ps_period_t ps__period_latest_reportable(void)
{
    time_t now = time(NULL);
    struct tm tm;
    if (now == (time_t)-1 || !localtime_r(&now, &tm))
        return ps_period_make(9999, 12); /* no clock: no bound beyond the format's */
    return ps_period_make(tm.tm_year + 1900, tm.tm_mon + 1) + PS_PERIOD_AHEAD_MAX;
}
