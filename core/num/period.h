/* Months as the INI, the command line and the ledgers write them. */
#ifndef PS_PERIOD_H
#define PS_PERIOD_H

#include <stddef.h>

#include <parkstat/types.h>

/* Parses "YYYY-MM" from s[len] (a year from 1900, a month 1 to 12): 0, or
   -1 when it is not such a month. */
int ps__period_parse(const char *s, size_t len, ps_period_t *out);

/*
 * The latest month a ledger row may be about: PS_PERIOD_AHEAD_MAX months
 * after the month the system clock is in (local time). No department has
 * figures of a month that far ahead: such a month is a year typed wrong
 * (2033-10 for 2023-10) or a placeholder (9999-12), and with period =
 * latest it would become the report's month. Within a year, a month ahead
 * cannot be told from a clock set wrong, and is accepted.
 */
#define PS_PERIOD_AHEAD_MAX 12
ps_period_t ps__period_latest_reportable(void);

#endif
