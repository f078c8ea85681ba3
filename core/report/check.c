#include "config.h"

#include "report/check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parkstat/error.h>
#include <parkstat/plugin.h>

#include "base/utf8.h"

/* What is wrong with a string, found without writing a word of it: each
   emit checks eight strings, and almost all of them pass. */
typedef struct problem {
    int code;        /* 0: none; PS_EINVAL: not UTF-8; PS_ERANGE: too long */
    size_t at;       /* the offset of the first bad byte, or the length in
                        characters */
} problem_t;

static problem_t find_problem(const char *s, size_t max)
{
    if (!s)
        return (problem_t){ 0, 0 };
    size_t len = strlen(s), bad = ps__utf8_invalid_at(s, len);
    if (bad < len)
        return (problem_t){ PS_EINVAL, bad };
    size_t chars = max && len > max ? ps__utf8_chars(s, len) : 0;
    return chars > max ? (problem_t){ PS_ERANGE, chars } : (problem_t){ 0, 0 };
}

/* Says what is wrong: "WHAT is not valid UTF-8 (byte offset 2)". */
static int say(problem_t p, ps__buf_t *why, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int say(problem_t p, ps__buf_t *why, const char *fmt, ...)
{
    if (!p.code)
        return 0;
    va_list ap;
    va_start(ap, fmt);
    ps__buf_vprintf(why, fmt, ap);
    va_end(ap);
    if (p.code == PS_EINVAL)
        ps__buf_printf(why, " is not valid UTF-8 (byte offset %zu)", p.at);
    else
        ps__buf_printf(why, " has %zu characters; at most %d (PS_MAX_LABEL)", p.at,
                       PS_MAX_LABEL);
    return p.code;
}

int ps__check_label(const char *s, const char *what, ps__buf_t *why)
{
    return say(find_problem(s, PS_MAX_LABEL), why, "%s", what);
}

int ps__check_utf8(const char *s, const char *what, ps__buf_t *why)
{
    return say(find_problem(s, 0), why, "%s", what);
}

int ps__key_valid(const char *key)
{
    return key && *key && !key[strcspn(key, PS_KEY_FORBIDDEN)];
}

int ps__check_ind(const ps__ind_t *ind, size_t number, ps__buf_t *why)
{
    problem_t p = find_problem(ind->key, PS_MAX_LABEL);
    if (p.code)
        return say(p, why, "key of indicator number %zu", number);
    static const char *const names[] = {
        "label", "ledger indicator", "parent", "unit of the value",
        "unit of the target", "unit of next year's target", "display unit",
        "unit of last year's figure",
    };
    const char *const fields[] = {
        ind->label, ind->code, ind->parent, ind->value.unit, ind->target.unit,
        ind->next_target.unit, ind->display_unit, ind->year_ago.unit,
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (!(p = find_problem(fields[i], PS_MAX_LABEL)).code)
            continue;
        if (ind->key)
            return say(p, why, "%s of indicator '%s'", names[i], ind->key);
        return say(p, why, "%s of indicator number %zu", names[i], number);
    }
    return 0;
}

int ps__check_room(const ps__section_t *s, ps__buf_t *why)
{
    if (s->n_inds < PS_MAX_INDICATORS)
        return 0;
    ps__buf_printf(why, "a section holds at most %d indicators (PS_MAX_INDICATORS)",
                   PS_MAX_INDICATORS);
    return PS_ERANGE;
}

/* Room kept for "… (N more characters)", whatever N. */
#define CUT_MARK_ROOM 40
#define REPAIRED_NOTE " (invalid UTF-8 replaced by U+FFFD)"

char *ps__message_fit(const char *s)
{
    ps__buf_t valid = PS_BUF_INIT, out = PS_BUF_INIT;
    size_t replaced = ps__utf8_repair(&valid, s, strlen(s));
    const char *text = ps__buf_str(&valid);
    size_t chars = ps__utf8_chars(text, valid.len);
    /* The note and the mark count too, so that a message fitted once
       (in a plugin's child process) comes through a second fitting as it is. */
    size_t room = PS_MAX_MESSAGE - (replaced ? sizeof REPAIRED_NOTE - 1 : 0);
    if (chars > room) {
        size_t keep = room - CUT_MARK_ROOM;
        ps__buf_append(&out, text, ps__utf8_prefix(text, valid.len, keep));
        ps__buf_printf(&out, "… (%zu more characters)", chars - keep);
    } else {
        ps__buf_puts(&out, text);
    }
    if (replaced)
        ps__buf_puts(&out, REPAIRED_NOTE);
    int failed = valid.failed;
    ps__buf_free(&valid);
    if (failed) {
        ps__buf_free(&out);
        return NULL;
    }
    return ps__buf_take(&out); /* NULL when `out` failed */
}
