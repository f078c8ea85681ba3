#include "config.h"

#include "report/report.h"

#include "num/format.h"
#include "cube/intern.h"
#include "base/grow.h"
#include "report/check.h"

#include <parkstat/error.h>

#include "base/buf.h"

#include <stdlib.h>
#include <string.h>

ps__section_t *ps__report_add_section(ps__report_t *r, const char *name,
                                      const char *module, const char *title)
{
    ps__section_t *grown = realloc(r->sections, (r->n_sections + 1) * sizeof *grown);
    if (!grown)
        return NULL;
    r->sections = grown;
    ps__section_t *s = &r->sections[r->n_sections];
    *s = (ps__section_t){ .name = strdup(name), .module = strdup(module),
                          .title = strdup(title) };
    if (!s->name || !s->module || !s->title) {
        free(s->name);
        free(s->module);
        free(s->title);
        return NULL;
    }
    r->n_sections++;
    return s;
}

const char *ps__report_own(ps__report_t *r, const char *s)
{
    uint32_t id;
    if (!r->strings && !(r->strings = ps__intern_new()))
        return NULL;
    if (ps__intern_id(r->strings, s, strlen(s), &id) < 0)
        return NULL;
    return ps__intern_str(r->strings, id);
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void ind_free(ps__ind_t *i);

/* Enters the key of the indicator about to be s->inds[s->n_inds] in the
   section's keys: PS_EEXISTS when it is there already (the empty string,
   id 0, always is). */
static int index_key(ps__section_t *s, const char *key)
{
    uint32_t id;
    if (!s->keys && !(s->keys = ps__intern_new()))
        return PS_ENOMEM;
    size_t before = ps__intern_count(s->keys);
    if (ps__intern_id(s->keys, key, strlen(key), &id) < 0)
        return PS_ENOMEM;
    return ps__intern_count(s->keys) > before ? 0 : PS_EEXISTS;
}

int ps__section_add_ind(ps__section_t *s, const ps__ind_t *ind)
{
    if (ps__grow(&s->inds, &s->cap_inds, s->n_inds + 1, sizeof *s->inds) < 0)
        return PS_ENOMEM;
    ps__ind_t copy = *ind;
    copy.key = strdup(ind->key);
    copy.label = strdup(ind->label);
    copy.code = dup_or_null(ind->code);
    copy.parent = dup_or_null(ind->parent);
    copy.display_unit = dup_or_null(ind->display_unit);
    int rc = 0;
    if (!copy.key || !copy.label || (ind->code && !copy.code) ||
        (ind->parent && !copy.parent) || (ind->display_unit && !copy.display_unit))
        rc = PS_ENOMEM;
    if (rc == 0)
        rc = index_key(s, ind->key);
    if (rc < 0) {
        ind_free(&copy);
        return rc;
    }
    s->inds[s->n_inds++] = copy;
    return 0;
}

int ps__section_add_sentence(ps__section_t *s, ps_sentence_kind_t kind, const char *tmpl)
{
    if (ps__grow(&s->sentences, &s->cap_sentences, s->n_sentences + 1,
                 sizeof *s->sentences) < 0)
        return PS_ENOMEM;
    s->sentences[s->n_sentences] = (ps__sentence_t){ kind, strdup(tmpl) };
    return s->sentences[s->n_sentences++].tmpl ? 0 : PS_ENOMEM;
}

int ps__section_add_warning(ps__section_t *s, char *text)
{
    if (!text || ps__grow(&s->warnings, &s->cap_warnings, s->n_warnings + 1,
                          sizeof *s->warnings) < 0) {
        free(text);
        return PS_ENOMEM;
    }
    s->warnings[s->n_warnings++] = text;
    return 0;
}

static void finding_free(ps__finding_t *f)
{
    free(f->rule);
    free(f->text);
    free(f->indicator);
    free(f->entity);
    free(f->explanation);
}

int ps__report_add_finding(ps__report_t *r, ps__finding_t *f)
{
    if (ps__grow(&r->findings, &r->cap_findings, r->n_findings + 1,
                 sizeof *r->findings) < 0) {
        finding_free(f);
        return PS_ENOMEM;
    }
    r->findings[r->n_findings++] = *f;
    *f = (ps__finding_t){ 0 };
    return 0;
}

int ps__report_add_source(ps__report_t *r, ps__source_status_t *status)
{
    ps__source_status_t *grown = realloc(r->sources, (r->n_sources + 1) * sizeof *grown);
    if (!grown)
        return PS_ENOMEM;
    r->sources = grown;
    r->sources[r->n_sources++] = *status;
    *status = (ps__source_status_t){ 0 };
    return 0;
}

int ps__source_late(const ps__report_t *r, const ps__source_status_t *s)
{
    return s->last < r->period - s->lag;
}

static void source_free(ps__source_status_t *s)
{
    free(s->name);
    free(s->department);
    for (size_t i = 0; i < PS_LEDGER_SKIPS_KEPT; i++)
        free(s->skips[i]);
}

int ps__report_ref(ps__report_t *r, const char *ref, ps__section_t **section,
                   const ps__ind_t **ind, ps__buf_t *why)
{
    const char *dot = strchr(ref, '.');
    size_t len = dot ? (size_t)(dot - ref) : strlen(ref);
    *section = NULL;
    *ind = NULL;
    for (size_t i = 0; i < r->n_sections; i++)
        if (strlen(r->sections[i].name) == len && strncmp(r->sections[i].name, ref, len) == 0)
            *section = &r->sections[i];
    if (!*section || !dot) {
        ps__buf_printf(why, "unknown reference '%s': no [plugin.%.*s] section", ref,
                       (int)len, ref);
        return PS_ENOENT;
    }
    if ((*section)->error)
        return 0;
    if (!(*ind = ps__section_find(*section, dot + 1))) {
        ps__buf_printf(why, "unknown reference '%s': section %s has ", ref, (*section)->name);
        for (size_t i = 0; i < (*section)->n_inds; i++)
            ps__buf_printf(why, "%s%s", i ? ", " : "", (*section)->inds[i].key);
        return PS_ENOENT;
    }
    return 0;
}

ps__section_t *ps__report_section(ps__report_t *r, const char *name)
{
    for (size_t i = 0; i < r->n_sections; i++)
        if (strcmp(r->sections[i].name, name) == 0)
            return &r->sections[i];
    return NULL;
}

static void ind_free(ps__ind_t *i)
{
    free(i->key);
    free(i->label);
    free(i->code);
    free(i->parent);
    free(i->display_unit);
}

void ps__section_clear(ps__section_t *s)
{
    for (size_t i = 0; i < s->n_inds; i++)
        ind_free(&s->inds[i]);
    for (size_t i = 0; i < s->n_sentences; i++)
        free(s->sentences[i].tmpl);
    for (size_t i = 0; i < s->n_warnings; i++)
        free(s->warnings[i]);
    free(s->inds);
    free(s->sentences);
    free(s->warnings);
    ps__intern_free(s->keys);
    s->inds = NULL;
    s->sentences = NULL;
    s->warnings = NULL;
    s->keys = NULL;
    s->n_inds = s->n_sentences = s->n_warnings = 0;
    s->cap_inds = s->cap_sentences = s->cap_warnings = 0;
}

int ps__section_fail(ps__section_t *s, const char *message)
{
    ps__section_clear(s);
    free(s->error);
    s->error = ps__message_fit(message);
    if (s->error)
        return 0;
    s->error = strdup("out of memory");
    return PS_ENOMEM;
}

void ps__report_free(ps__report_t *r)
{
    for (size_t i = 0; i < r->n_sections; i++) {
        ps__section_t *s = &r->sections[i];
        ps__section_clear(s);
        free(s->name);
        free(s->module);
        free(s->title);
        free(s->error);
    }
    for (size_t i = 0; i < r->n_sources; i++)
        source_free(&r->sources[i]);
    for (size_t i = 0; i < r->n_findings; i++)
        finding_free(&r->findings[i]);
    free(r->findings);
    free(r->sources);
    free(r->sections);
    free(r->zone);
    free(r->generated_at);
    free(r->title);
    free(r->opening);
    free(r->line_progress);
    free(r->line_figure);
    free(r->line_change);
    free(r->line_growth);
    free(r->line_level);
    ps__intern_free(r->strings);
    *r = (ps__report_t){ 0 };
}

size_t ps__section_index(const ps__section_t *s, const char *key, size_t len)
{
    uint32_t id = s->keys ? ps__intern_find(s->keys, key, len) : UINT32_MAX;
    return id == UINT32_MAX || id == 0 || id > s->n_inds ? SIZE_MAX : id - 1;
}

const ps__ind_t *ps__section_find_n(const ps__section_t *s, const char *key, size_t len)
{
    size_t i = ps__section_index(s, key, len);
    return i == SIZE_MAX ? NULL : &s->inds[i];
}

const ps__ind_t *ps__section_find(const ps__section_t *s, const char *key)
{
    return ps__section_find_n(s, key, strlen(key));
}

const ps__ind_t *ps__ind_parent(const ps__section_t *s, const ps__ind_t *ind)
{
    return ind->parent ? ps__section_find(s, ind->parent) : NULL;
}

const ps__ind_t *ps__ind_next_quantity(const ps__section_t *s, const ps__ind_t *ind,
                                       const ps__ind_t *after)
{
    /* the API emits quantities right after their parent, one after another */
    size_t at = after ? (size_t)(after - s->inds)
                      : ps__section_index(s, ind->key, strlen(ind->key));
    if (at >= s->n_inds || at + 1 == s->n_inds)
        return NULL;
    const ps__ind_t *q = &s->inds[at + 1];
    return q->relation == PS_REL_QUANTITY && strcmp(q->parent, ind->key) == 0 ? q : NULL;
}

ps_value_t ps__ind_share_base(const ps__section_t *s, const ps__ind_t *ind)
{
    const ps__ind_t *parent = ps__ind_parent(s, ind);
    if (!parent || (ind->relation != PS_REL_PART && ind->relation != PS_REL_SUBSET))
        return PS_VALUE_NONE;
    return parent->value;
}

static int is_money(ps_value_t v)
{
    return v.unit && strcmp(v.unit, PS_UNIT_MONEY) == 0;
}

const char *ps__ind_target_display(const ps__ind_t *ind)
{
    if (is_money(ind->target) && ps_value_present(ind->value))
        return ps__money_unit(ind->value, ind->display_unit);
    return ps__ind_plan_display(ind);
}

const char *ps__ind_plan_display(const ps__ind_t *ind)
{
    return is_money(ind->target) || is_money(ind->next_target) ? NULL : ind->display_unit;
}

void ps__ind_format(ps__buf_t *out, const ps__ind_t *ind, int year_ago)
{
    ps_value_t v = year_ago ? ind->year_ago : ind->value;
    const int64_t *ratio = year_ago ? ind->year_ago_ratio : ind->ratio;
    if (!ps_value_present(v) || !ratio[1]) {
        ps__format_figure(out, v, ind->display_unit, ps__ind_decimals(ind));
        return;
    }
    ps__format_ratio(out, ratio[0], ratio[1], ind->ratio_scale, ps__ind_decimals(ind));
    ps__buf_puts(out, v.unit);
}

int ps__ind_decimals(const ps__ind_t *ind)
{
    return ind->fixed ? ind->decimals : -1;
}

int ps__ind_progress(const ps__ind_t *ind, int64_t *progress, int64_t *gap)
{
    int64_t completion;
    if (!ps_value_present(ind->value) || !ps_value_present(ind->target) || ind->stock ||
        ps__rate_scaled(ind->value.raw, ind->target.raw, 2, &completion) < 0)
        return -1;
    int months = ps_period_month(ind->asof);
    *progress = (months * 10000 * 2 + 12) / (12 * 2); /* rounded half up */
    return __builtin_sub_overflow(completion, *progress, gap) ? -1 : 0;
}

int ps__progress_status(const ps__report_t *r, int64_t gap)
{
    if (gap > r->progress_tolerance)
        return 1;
    return gap < -r->progress_tolerance ? -1 : 0;
}

size_t ps__report_failures(const ps__report_t *r)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n_sections; i++)
        n += r->sections[i].error != NULL;
    return n;
}
