#include "config.h"

#include "base/utf8.h"

#include <string.h>

/* The length of the valid character at p (before end), or 0 when p does
   not start one. */
static size_t char_length(const unsigned char *p, const unsigned char *end)
{
    if (*p < 0x80)
        return 1;
    size_t n = (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3
             : (*p & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0 || (size_t)(end - p) < n || (n == 2 && *p < 0xC2))
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    if ((n == 3 && *p == 0xE0 && p[1] < 0xA0) ||     /* overlong */
        (n == 3 && *p == 0xED && p[1] >= 0xA0) ||    /* a surrogate */
        (n == 4 && (*p > 0xF4 || (*p == 0xF0 && p[1] < 0x90) ||
                    (*p == 0xF4 && p[1] >= 0x90))))  /* overlong, past U+10FFFF */
        return 0;
    return n;
}

size_t ps__utf8_invalid_at(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        size_t n = char_length(p, end);
        if (n == 0)
            return (size_t)(p - (const unsigned char *)s);
        p += n;
    }
    return len;
}

int ps__utf8_valid(const char *s, size_t len)
{
    return ps__utf8_invalid_at(s, len) == len;
}

size_t ps__utf8_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80; /* every byte but continuations */
    return n;
}

size_t ps__utf8_prefix(const char *s, size_t len, size_t chars)
{
    size_t i = 0;
    for (size_t n = 0; i < len; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80 && n++ == chars)
            break;
    }
    return i;
}

size_t ps__utf8_repair(ps__buf_t *out, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    size_t replaced = 0;
    while (p < end) {
        size_t bad = ps__utf8_invalid_at((const char *)p, (size_t)(end - p));
        ps__buf_append(out, (const char *)p, bad);
        p += bad;
        if (p < end) {
            ps__buf_puts(out, "\xEF\xBF\xBD"); /* U+FFFD REPLACEMENT CHARACTER */
            replaced++;
            p++;
        }
    }
    return replaced;
}

char *ps__name_folded(const char *p, size_t len)
{
    size_t a = 0, b = len;
    while (a < b && p[a] == ' ')
        a++;
    while (b > a && p[b - 1] == ' ')
        b--;
    char *s = strndup(p + a, b - a);
    for (char *c = s; c && *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
    return s;
}
