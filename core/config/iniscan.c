#include "config.h"

#include "config/iniscan.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* iniparser's own limit on a line, in bytes. */
#define INI_LINE_MAX 1024

typedef struct seen_key {
    char *name;            /* "section:key", lower case as iniparser folds it */
    unsigned long line;
} seen_key_t;

static char *trimmed_lower(const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    char *out = strndup(s, n);
    for (char *p = out; p && *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return out;
}

/* The "section:key" a line sets, or NULL for a section line, a comment or
   a blank. A section line updates *section. */
static char *key_of(const char *line, char **section)
{
    const char *p = line + strspn(line, " \t");
    if (*p == '[') {
        const char *close = strchr(p, ']');
        if (close) {
            free(*section);
            *section = trimmed_lower(p + 1, (size_t)(close - p - 1));
        }
        return NULL;
    }
    const char *eq = strchr(p, '=');
    if (*p == ';' || *p == '#' || !eq || !*section)
        return NULL;
    char *key = trimmed_lower(p, (size_t)(eq - p));
    size_t size = strlen(*section) + (key ? strlen(key) : 0) + 2;
    char *full = key ? malloc(size) : NULL;
    if (full)
        snprintf(full, size, "%s:%s", *section, key);
    free(key);
    return full;
}

static int check_repeat(seen_key_t **seen, size_t *n, char *key, unsigned long line,
                        const char *path, ps__diag_t *diag)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*seen)[i].name, key) == 0) {
            char *colon = strchr(key, ':');
            *colon = '\0';
            ps__diag_add(diag, "%s:%lu: [%s] key '%s' is set again (first at line %lu); "
                         "remove one", path, line, key, colon + 1, (*seen)[i].line);
            free(key);
            return 1;
        }
    seen_key_t *grown = realloc(*seen, (*n + 1) * sizeof *grown);
    if (!grown) {
        free(key);
        return 0;
    }
    *seen = grown;
    (*seen)[(*n)++] = (seen_key_t){ key, line };
    return 0;
}

int ps__ini_scan(const char *path, ps__diag_t *diag)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char *line = NULL, *section = NULL;
    size_t cap = 0, n_seen = 0;
    seen_key_t *seen = NULL;
    unsigned long number = 0;
    int problems = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) >= 0) {
        number++;
        if (len > INI_LINE_MAX - 2) {
            ps__diag_add(diag, "%s:%lu: line of %zd bytes, longer than the %d the INI "
                         "reader takes: shorten it", path, number, len, INI_LINE_MAX - 2);
            problems++;
            continue;
        }
        char *key = key_of(line, &section);
        if (key)
            problems += check_repeat(&seen, &n_seen, key, number, path, diag);
    }
    for (size_t i = 0; i < n_seen; i++)
        free(seen[i].name);
    free(seen);
    free(section);
    free(line);
    fclose(f);
    return problems;
}
