/* Months as the INI, the command line and the ledgers write them. */
#ifndef PS_PERIOD_H
#define PS_PERIOD_H

#include <stddef.h>

#include <parkstat/types.h>

/* Parses "YYYY-MM" from s[len] (a year from 1900, a month 1 to 12): 0, or
   -1 when it is not such a month. */
int ps__period_parse(const char *s, size_t len, ps_period_t *out);

#endif
