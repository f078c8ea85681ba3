/* UTF-8, which every text parkstat reads must be: ledgers and configuration. */
#ifndef PS_UTF8_H
#define PS_UTF8_H

#include <stddef.h>

/* Is s[0..len) valid UTF-8: no stray continuation byte, overlong form,
   surrogate or code point past U+10FFFF? */
int ps__utf8_valid(const char *s, size_t len);

#endif
