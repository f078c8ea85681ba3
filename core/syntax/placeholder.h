/*
 * The placeholders of sentence templates, as text: "{KEY}" and "{KEY.FIELD}".
 * What can be known of a template before any plugin has computed lives
 * here, below the configuration: its braces and its field names. What a
 * field shows is the report's (report/fields.h); which KEYs exist is known
 * only once a section is computed (report/template.h).
 */
#ifndef PS_PLACEHOLDER_H
#define PS_PLACEHOLDER_H

#include <stddef.h>

#include "base/buf.h"

/* The fields, in the order messages list them; "" is the bare {KEY}. */
#define PS_FIELDS(X) \
    X(FIGURE, "") X(VALUE, "value") X(LABEL, "label") X(TARGET, "target") \
    X(NEXT_TARGET, "next_target") X(RATE, "rate") X(SHARE, "share") \
    X(PARTS, "parts") X(ASOF, "asof") X(PROGRESS, "progress") X(GAP, "gap") \
    X(STATUS, "status") X(YEAR_AGO, "year_ago") X(CHANGE, "change") \
    X(GROWTH_TARGET, "growth_target") X(GROWTH_GAP, "growth_gap") \
    X(SHARE_CHANGE, "share_change")

#define PS_FIELD_ENUM(id, name) PS_FIELD_##id,
enum ps__field { PS_FIELDS(PS_FIELD_ENUM) PS_N_FIELDS };
#undef PS_FIELD_ENUM

/* The field named by name[len], or -1. */
int ps__field_find(const char *name, size_t len);
/* Appends "value, label, …, or share_change", for messages. */
void ps__field_list(ps__buf_t *out);

/* One placeholder of a template: "{key.field}". */
typedef struct ps__placeholder {
    const char *open;        /* its '{' */
    const char *close;       /* its '}'; NULL: unclosed */
    const char *key;         /* just after '{' */
    size_t key_len;
    const char *field;       /* after the '.', or `close` when none */
    size_t field_len;
} ps__placeholder_t;

/* Finds the first placeholder at or after p: returns 1 and fills *ph, or
   0 when there is none. An unclosed one comes back with ph->close NULL. */
int ps__placeholder_next(const char *p, ps__placeholder_t *ph);

/* Says whether a placeholder's KEY names something: 0, or PS_EINVAL after
   appending why not to `why`. */
typedef int ps__key_known_fn(const void *arg, const char *key, size_t len, ps__buf_t *why);

/* Checks every placeholder in text order: its braces, its KEY with
   `known` (when not NULL), its field. On the first problem appends what is
   wrong ("has an unclosed '{'") to `why` and returns PS_EINVAL. */
int ps__placeholder_problem(const char *tmpl, ps__key_known_fn *known, const void *arg,
                            ps__buf_t *why);

#endif
