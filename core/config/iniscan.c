#include "config.h"

#include "config/iniscan.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "base/utf8.h"

#define UTF8_BOM "\xEF\xBB\xBF"

/* iniparser's own limit on a line, in bytes. */
#define INI_LINE_MAX 1024

typedef struct ps__ini_key {
    char *name;            /* "section:key", lower case as iniparser folds it */
    unsigned long line;
} seen_key_t;

/* One reading of the file. */
typedef struct scan {
    const char *path;
    ps__diag_t *diag;
    ps__ini_lines_t seen;
    char *section;         /* the current one, lower case; NULL before the first */
    int problems;
} scan_t;

static char *trimmed(const char *s, size_t n, int lower)
{
    while (n && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    char *out = strndup(s, n);
    for (char *p = out; lower && p && *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return out;
}

static void problem(scan_t *s, unsigned long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void problem(scan_t *s, unsigned long line, const char *fmt, ...)
{
    ps__buf_t text = PS_BUF_INIT;
    ps__buf_printf(&text, "%s:%lu: ", s->path, line);
    va_list ap;
    va_start(ap, fmt);
    ps__buf_vprintf(&text, fmt, ap);
    va_end(ap);
    ps__diag_add(s->diag, "%s", ps__buf_str(&text));
    ps__buf_free(&text);
    s->problems++;
}

/* Bytes that are not UTF-8 would reach every output: the JSON, the
   metrics and the workbook would no longer be well formed. */
#define NOT_UTF8 "is not valid UTF-8 (the configuration is read as UTF-8)"

static void remember(scan_t *s, char *key, unsigned long line)
{
    for (size_t i = 0; i < s->seen.n; i++)
        if (strcmp(s->seen.keys[i].name, key) == 0) {
            char *colon = strchr(key, ':');
            *colon = '\0';
            ps__diag_add(s->diag, "%s:%lu: [%s] key '%s' is set again (first at line "
                         "%lu); remove one", s->path, line, key, colon + 1,
                         s->seen.keys[i].line);
            s->problems++;
            free(key);
            return;
        }
    seen_key_t *grown = realloc(s->seen.keys, (s->seen.n + 1) * sizeof *grown);
    if (!grown) {
        free(key);
        return;
    }
    s->seen.keys = grown;
    s->seen.keys[s->seen.n++] = (seen_key_t){ key, line };
}

/* A line "KEY = VALUE" (the '=' at `eq`): where it is, if it may be. */
static void key_line(scan_t *s, const char *p, const char *eq, unsigned long line,
                     int utf8)
{
    char *key = trimmed(p, (size_t)(eq - p), 1);
    if (!key)
        return;
    if (!utf8 && ps__utf8_valid(key, strlen(key)))
        problem(s, line, "key '%s' " NOT_UTF8, key);
    else if (!utf8)
        problem(s, line, "a key's name " NOT_UTF8);
    else if (!s->section)
        problem(s, line, "key '%s' comes before any [section] (expected it under "
                "[parkstat] or the section it belongs to)", key);
    if (!utf8 || !s->section) {
        free(key);
        return;
    }
    size_t size = strlen(s->section) + strlen(key) + 2;
    char *full = malloc(size);
    if (full)
        snprintf(full, size, "%s:%s", s->section, key);
    free(key);
    if (full)
        remember(s, full, line);
}

/* One line as iniparser reads it: a blank, a comment, [section] or
   KEY = VALUE; anything else is what iniparser calls a syntax error. */
static void scan_line(scan_t *s, const char *text, size_t len, unsigned long line)
{
    int utf8 = ps__utf8_valid(text, len);
    char *stripped = trimmed(text, len, 0);
    if (!stripped)
        return;
    size_t n = strlen(stripped);
    const char *eq = strchr(stripped, '=');
    if (n == 0 || stripped[0] == ';' || stripped[0] == '#') {
        if (!utf8)
            problem(s, line, "a comment " NOT_UTF8);
    } else if (stripped[0] == '[' && stripped[n - 1] == ']') {
        free(s->section);
        s->section = trimmed(stripped + 1, n - 2, 1);
        if (!utf8)
            problem(s, line, "a section's name " NOT_UTF8);
    } else if (eq && eq != stripped) {
        key_line(s, stripped, eq, line, utf8);
    } else if (utf8 && stripped[0] == '[') {
        problem(s, line, "'%s' has no closing ']' (expected [section])", stripped);
        free(s->section);
        s->section = strdup("");    /* its keys are not also "before any section" */
    } else if (utf8) {
        problem(s, line, "'%s' cannot be read (expected [section], KEY = VALUE, or a "
                "comment starting with ';' or '#')", stripped);
    } else {
        problem(s, line, "a line " NOT_UTF8);
    }
    free(stripped);
}

/* Reads the next line as iniparser does: one ending in '\' goes on in the
   next. Returns its first line's number, 0 at the end of the file. */
static unsigned long next_line(scan_t *s, FILE *f, ps__buf_t *text, unsigned long *number)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    unsigned long first = 0;
    ps__buf_reset(text);
    while ((len = getline(&line, &cap, f)) >= 0) {
        ++*number;
        first = first ? first : *number;
        if (len > INI_LINE_MAX - 2) {
            ps__diag_add(s->diag, "%s:%lu: line of %zd bytes, longer than the %d the INI "
                         "reader takes: shorten it", s->path, *number, len,
                         INI_LINE_MAX - 2);
            s->problems++;
            break;
        }
        while (len > 0 && isspace((unsigned char)line[len - 1]))
            len--;
        int goes_on = len > 0 && line[len - 1] == '\\';
        ps__buf_append(text, line, (size_t)(len - goes_on));
        if (!goes_on)
            break;
    }
    free(line);
    return first;
}

int ps__ini_scan(const char *path, ps__ini_lines_t *lines, ps__diag_t *diag)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    scan_t s = { .path = path, .diag = diag };
    ps__buf_t text = PS_BUF_INIT;
    unsigned long number = 0, first;
    while ((first = next_line(&s, f, &text, &number)) != 0) {
        const char *line = ps__buf_str(&text);
        size_t len = text.len;
        if (first == 1 && len >= 3 && memcmp(line, UTF8_BOM, 3) == 0) {
            /* iniparser would take the mark for part of the first line */
            problem(&s, 1, "the file starts with a byte-order mark (U+FEFF), which "
                    "the INI reader does not take (expected UTF-8 without one: "
                    "save it as \"UTF-8\", not \"UTF-8 with BOM\")");
            line += 3;
            len -= 3;
        }
        scan_line(&s, line, len, first);
    }
    ps__buf_free(&text);
    free(s.section);
    fclose(f);
    if (lines)
        *lines = s.seen;
    else
        ps__ini_lines_free(&s.seen);
    return s.problems;
}

unsigned long ps__ini_line(const ps__ini_lines_t *lines, const char *section,
                           const char *key)
{
    size_t n = strlen(section);
    for (size_t i = 0; lines && i < lines->n; i++) {
        const char *name = lines->keys[i].name;
        if (strncasecmp(name, section, n) == 0 && name[n] == ':' &&
            strcasecmp(name + n + 1, key) == 0)
            return lines->keys[i].line;
    }
    return 0;
}

void ps__ini_lines_free(ps__ini_lines_t *lines)
{
    for (size_t i = 0; i < lines->n; i++)
        free(lines->keys[i].name);
    free(lines->keys);
    *lines = (ps__ini_lines_t){ 0 };
}
