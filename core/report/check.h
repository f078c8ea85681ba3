/*
 * What the core checks of every string and indicator a plugin hands it,
 * whichever way it comes (the API in this process, or the wire from a
 * child process): valid UTF-8, and within the limits of the output
 * formats (parkstat/plugin.h: PS_MAX_LABEL, PS_MAX_INDICATORS,
 * PS_MAX_MESSAGE). A string that breaks one costs its section at once,
 * never the whole report when a renderer meets it later.
 */
#ifndef PS_CHECK_H
#define PS_CHECK_H

#include <stddef.h>

#include "base/buf.h"
#include "report/report.h"

/*
 * Checks that `s` (NULL passes) is valid UTF-8 of at most PS_MAX_LABEL
 * characters. Otherwise appends to `why` what is wrong, after `what`
 * ("label of indicator 'x' is not valid UTF-8 (byte offset 2)", "… has
 * 40000 characters; at most 32000 (PS_MAX_LABEL)") and returns PS_EINVAL
 * or PS_ERANGE.
 */
int ps__check_label(const char *s, const char *what, ps__buf_t *why);

/* As ps__check_label with no limit of length: for a sentence template. */
int ps__check_utf8(const char *s, const char *what, ps__buf_t *why);

/* Whether `key` can name an indicator in a template: not empty, and
   none of PS_KEY_FORBIDDEN (braces, dots, white space). */
int ps__key_valid(const char *key);

/* Checks every string of an indicator about to be added as the section's
   number `number` (1 for its first): key, label, ledger code, parent,
   units and display unit. An indicator whose key is not fit to quote is
   named by its number. */
int ps__check_ind(const ps__ind_t *ind, size_t number, ps__buf_t *why);

/* Checks that the section has room for one more indicator (at most
   PS_MAX_INDICATORS), saying so in `why` (PS_ERANGE) when not. */
int ps__check_room(const ps__section_t *s, ps__buf_t *why);

/*
 * A copy of a failure or warning message fit for every format: each byte
 * that is not valid UTF-8 replaced by U+FFFD (and " (invalid UTF-8
 * replaced by U+FFFD)" added), and cut to PS_MAX_MESSAGE characters in
 * all, ending "… (N more characters)". A fitted message fits as it is.
 * NULL when out of memory.
 */
char *ps__message_fit(const char *s);

#endif
