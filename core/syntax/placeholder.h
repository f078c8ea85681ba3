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

/*
 * Optional clauses: text between "[[" and "]]" in a template is left out
 * when a placeholder in it names an indicator that was not emitted or a
 * figure that cannot be computed ("[[，国税占比{国税.share}]]"). Outside
 * one, such a placeholder is an error, never a "—" in a sentence.
 */
#define PS_CLAUSE_OPEN "[["
#define PS_CLAUSE_CLOSE "]]"

/* One clause of a template: plain text up to the next "[[", or one
   optional clause without its brackets. */
typedef struct ps__clause {
    const char *text;
    size_t len;
    int optional;
    int unclosed;       /* a "[[" without its "]]": text runs to the end */
    const char *next;   /* where the next clause starts */
} ps__clause_t;

/* Finds the clause starting at p: returns 1 and fills *c, or 0 at the end. */
int ps__clause_next(const char *p, ps__clause_t *c);

/* Says whether a placeholder's KEY names something: 0, or PS_EINVAL after
   appending why not to `why`. */
typedef int ps__key_known_fn(const void *arg, const char *key, size_t len, ps__buf_t *why);

/* Checks the clauses' brackets, then every placeholder in text order: its
   braces, its KEY with `known` (when not NULL, and outside optional
   clauses), its field. On the first problem appends what is wrong ("has an
   unclosed '{'") to `why` and returns PS_EINVAL (PS_ENOMEM: no memory). */
int ps__placeholder_problem(const char *tmpl, ps__key_known_fn *known, const void *arg,
                            ps__buf_t *why);

#endif
