#include "config.h"

#include "base/utf8.h"

int ps__utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        if (*p < 0x80) {
            p++;
            continue;
        }
        size_t n = (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3
                 : (*p & 0xF8) == 0xF0 ? 4 : 0;
        if (n == 0 || (size_t)(end - p) < n || (n == 2 && *p < 0xC2))
            return 0;
        for (size_t i = 1; i < n; i++)
            if ((p[i] & 0xC0) != 0x80)
                return 0;
        if ((n == 3 && *p == 0xE0 && p[1] < 0xA0) ||
            (n == 3 && *p == 0xED && p[1] >= 0xA0) ||
            (n == 4 && (*p > 0xF4 || (*p == 0xF0 && p[1] < 0x90) ||
                        (*p == 0xF4 && p[1] >= 0x90))))
            return 0;
        p += n;
    }
    return 1;
}
