/*
 * Every unit the rows of one indicator use in a ledger, for the message
 * that tells a clerk how to declare an indicator parkstat does not know:
 * advice drawn from the first row alone (unit = 亩) fails again on the
 * next row written in 平方米. Runs only on that error, so it rereads the
 * file plainly, through a descriptor of its own: the reader's mapping is
 * edited in place and its descriptor may be shared with another thread.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ledger/csv.h"
#include "ledger/reader.h"

#define UNITS_LISTED 4 /* named in the message */
#define UNITS_KEPT 16  /* told apart; a seventeenth is "more than 16" */

typedef struct unit_seen {
    char text[64];
    unsigned long line;
} unit_seen_t;

/* Records the unit of one row; returns the units now seen, at most
   UNITS_KEPT + 1. */
static size_t note_unit(unit_seen_t *seen, size_t n, const ps__csv_field_t *unit,
                        unsigned long line)
{
    size_t len = unit->len < sizeof seen->text - 1 ? unit->len : sizeof seen->text - 1;
    for (size_t i = 0; i < n && i < UNITS_KEPT; i++)
        if (strlen(seen[i].text) == len && memcmp(seen[i].text, unit->p, len) == 0)
            return n;
    if (n == UNITS_KEPT)
        return n + 1;
    memcpy(seen[n].text, unit->p, len);
    seen[n].text[len] = '\0';
    seen[n].line = line;
    return n + 1;
}

static int reopen(int fd)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    return open(path, O_RDONLY | O_CLOEXEC);
}

size_t ps__ledger_units_of(int fd, const header_t *h, const char *indicator,
                           ps__buf_t *out)
{
    int own = h->unit == NO_COLUMN ? -1 : reopen(fd);
    ps__csv_t *csv = own >= 0 ? ps__csv_new(own, "") : NULL;
    unit_seen_t seen[UNITS_KEPT];
    size_t n = 0, nfields, code_len = strlen(indicator);
    const ps__csv_field_t *f;
    unsigned long line;
    int header = 1;
    while (csv && n <= UNITS_KEPT && ps__csv_next(csv, &f, &nfields, &line) > 0) {
        if (header || nfields <= h->indicator || nfields <= h->unit) {
            header = 0;
            continue;
        }
        if (f[h->indicator].len == code_len &&
            memcmp(f[h->indicator].p, indicator, code_len) == 0)
            n = note_unit(seen, n, &f[h->unit], line);
    }
    ps__csv_free(csv);
    if (own >= 0)
        close(own);
    if (n > UNITS_KEPT)
        ps__buf_printf(out, "more than %d units: ", UNITS_KEPT);
    else
        ps__buf_printf(out, "%zu units: ", n);
    for (size_t i = 0; i < n && i < UNITS_LISTED; i++)
        ps__buf_printf(out, "%s'%s' (line %lu)", i ? ", " : "", seen[i].text, seen[i].line);
    if (n > UNITS_KEPT)
        ps__buf_puts(out, " and more");
    else if (n > UNITS_LISTED)
        ps__buf_printf(out, " and %zu more", n - UNITS_LISTED);
    return n;
}
