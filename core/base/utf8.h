/*
 * UTF-8 checks, shared by everything that takes text from outside: the
 * ledger reader (cells and headers) and the plugin boundary (every string
 * a plugin hands the core). One validator, so both refuse the same bytes:
 * overlong forms, surrogates and code points past U+10FFFF included.
 */
#ifndef PS_UTF8_H
#define PS_UTF8_H

#include <stddef.h>

#include "base/buf.h"

/* The offset of the first byte of s[0..len) that does not start a valid
   UTF-8 character, or `len` when all of it is valid. */
size_t ps__utf8_invalid_at(const char *s, size_t len);

/* Whether s[0..len) is valid UTF-8. */
int ps__utf8_valid(const char *s, size_t len);

/* How many characters the valid UTF-8 s[0..len) holds. */
size_t ps__utf8_chars(const char *s, size_t len);

/* The offset just past the first `chars` characters of the valid UTF-8
   s[0..len) (len when it holds fewer): where to cut it without splitting
   a character. */
size_t ps__utf8_prefix(const char *s, size_t len, size_t chars);

/* Appends s[0..len) with every byte that does not start a valid character
   replaced by U+FFFD; returns how many were replaced. */
/* A copy of p[0..len) without leading and trailing spaces, its ASCII
   letters in lower case: how a ledger's column names are matched, so that
   " Period" is period. NULL when out of memory. */
char *ps__name_folded(const char *p, size_t len);

size_t ps__utf8_repair(ps__buf_t *out, const char *s, size_t len);

#endif
