#include "config.h"

#include "report/derived.h"

#include <stdlib.h>
#include <string.h>

#include <parkstat/error.h>

#include "syntax/expr.h"
#include "report/template.h"

#define DERIVED_PREFIX "derived."

enum mark { UNSEEN, EVALUATING, DONE };

typedef struct evaluator {
    const ps__config_t *cfg;
    ps__report_t *report;
    enum mark *marks;
    size_t *path, depth;      /* the derived indicators being evaluated, outermost first */
    ps_value_t *values;       /* one per derived indicator; unit NULL: missing */
} evaluator_t;

static int evaluate(evaluator_t *ev, size_t i, ps__buf_t *why);

static const ps__derived_def_t *derived_named(const ps__config_t *cfg, const char *name,
                                              size_t *index)
{
    for (size_t i = 0; i < cfg->n_derived; i++)
        if (strcmp(cfg->derived[i].name, name) == 0) {
            *index = i;
            return &cfg->derived[i];
        }
    return NULL;
}

/* A reference to another derived indicator: evaluated first, once. */
static int lookup_derived(evaluator_t *ev, const char *name, int64_t *raw, ps__buf_t *why)
{
    size_t i;
    if (!derived_named(ev->cfg, name, &i)) {
        ps__buf_printf(why, "unknown reference '%s%s': there is no [derived.%s]",
                       DERIVED_PREFIX, name, name);
        return PS_ENOENT;
    }
    int rc = evaluate(ev, i, why);
    *raw = ev->values[i].raw;
    if (rc == 0 && !ps_value_present(ev->values[i]))
        return PS__EXPR_MISSING;
    return rc;
}

static int lookup(void *arg, const char *ref, int64_t *raw, ps__buf_t *why)
{
    evaluator_t *ev = arg;
    if (strncmp(ref, DERIVED_PREFIX, strlen(DERIVED_PREFIX)) == 0)
        return lookup_derived(ev, ref + strlen(DERIVED_PREFIX), raw, why);
    ps__section_t *s;
    const ps__ind_t *ind;
    int rc = ps__report_ref(ev->report, ref, &s, &ind, why);
    *raw = ind && ps_value_present(ind->value) ? ind->value.raw : 0;
    if (rc == 0 && (!ind || !ps_value_present(ind->value)))
        return PS__EXPR_MISSING;
    return rc;
}

static int evaluate(evaluator_t *ev, size_t i, ps__buf_t *why)
{
    const ps__derived_def_t *d = &ev->cfg->derived[i];
    if (ev->marks[i] == DONE)
        return 0;
    if (ev->marks[i] == EVALUATING) {
        ps__buf_puts(why, "a cycle: ");
        size_t k = 0;
        while (ev->path[k] != i)
            k++;
        for (; k < ev->depth; k++)
            ps__buf_printf(why, "derived.%s -> ", ev->cfg->derived[ev->path[k]].name);
        ps__buf_printf(why, "derived.%s", d->name);
        return PS_EINVAL;
    }
    ev->marks[i] = EVALUATING;
    ev->path[ev->depth++] = i;
    int64_t raw = 0;
    int rc = ps__expr_eval(d->expr, lookup, ev, &raw, why);
    if (rc == 0)
        ev->values[i] = (ps_value_t){ raw, ps__report_own(ev->report, d->unit) };
    if (rc == 0 && !ev->values[i].unit)
        rc = PS_ENOMEM;
    if (rc == PS__EXPR_MISSING) /* the value stays missing */
        rc = 0;
    ev->marks[i] = DONE;
    ev->depth--;
    return rc;
}

/* The section that shows `d`: its instance's, or one of derived indicators. */
static ps__section_t *home_of(ps__report_t *r, const ps__derived_def_t *d)
{
    if (d->attach_to)
        return ps__report_section(r, d->attach_to);
    ps__section_t *s = ps__report_section(r, "derived");
    return s ? s : ps__report_add_section(r, "derived", "derived", "派生指标");
}

/* A sentence never shows 「—」: a figure it names that the month cannot
   give must sit in an optional clause [[…]], as in a plugin's templates. */
static int sentence_complete(const ps__report_t *r, const ps__section_t *s,
                             const char *tmpl, ps__buf_t *why)
{
    ps__buf_t text = PS_BUF_INIT, absent = PS_BUF_INIT;
    int rc = 0;
    if (ps__template_expand(&text, r, s, tmpl, &absent)) {
        ps__buf_printf(why, "template = '%s' cannot show %s, which " PS_TEMPLATE_ABSENT_WHY,
                       tmpl, ps__buf_str(&absent));
        rc = PS_ECONFIG;
    }
    ps__buf_free(&text);
    ps__buf_free(&absent);
    return rc;
}

static int attach(ps__report_t *r, const ps__derived_def_t *d, ps_value_t value,
                  ps__buf_t *why)
{
    ps__section_t *s = home_of(r, d);
    if (!s) {
        ps__buf_printf(why, "section = '%s': no [plugin.%s] section", d->attach_to,
                       d->attach_to);
        return PS_ENOENT;
    }
    ps__ind_t ind = { .key = d->name, .label = d->label, .value = value,
                      .asof = r->period, .fixed = 1, .decimals = d->decimals,
                      .rate_decimals = 2 };
    if (ps__section_find(s, d->name)) {
        ps__buf_printf(why, "section %s already has an indicator '%s'", s->name, d->name);
        return PS_EEXISTS;
    }
    int rc = ps__section_add_ind(s, &ind);
    if (rc == 0 && d->sentence && (rc = ps__template_check(s, d->sentence, why)) == 0 &&
        (rc = sentence_complete(r, s, d->sentence, why)) == 0)
        rc = ps__section_add_sentence(s, PS_SENTENCE_BODY, d->sentence);
    return rc;
}

int ps__derived_evaluate(const ps__config_t *cfg, ps__report_t *report,
                         ps__diag_t *diag)
{
    if (cfg->n_derived == 0)
        return 0;
    evaluator_t ev = { .cfg = cfg, .report = report,
                       .marks = calloc(cfg->n_derived, sizeof *ev.marks),
                       .path = calloc(cfg->n_derived, sizeof *ev.path),
                       .values = calloc(cfg->n_derived, sizeof *ev.values) };
    int out_of_memory = !ev.marks || !ev.values || !ev.path, errors = out_of_memory;
    for (size_t i = 0; !out_of_memory && i < cfg->n_derived; i++) {
        ps__buf_t why = PS_BUF_INIT;
        const ps__derived_def_t *d = &cfg->derived[i];
        if (d->expr && (evaluate(&ev, i, &why) < 0 ||
                        attach(report, d, ev.values[i], &why) < 0)) {
            ps__diag_add(diag, "%s: [%s] %s", cfg->path, d->section, ps__buf_str(&why));
            errors++;
        }
        ps__buf_free(&why);
    }
    free(ev.marks);
    free(ev.path);
    free(ev.values);
    return errors ? PS_ECONFIG : 0;
}
