#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "plugin/ctx.h"
#include "ledger/stocks.h"
#include "base/errors.h"
#include "base/grow.h"
#include "report/check.h"


/* ---- the run ------------------------------------------------------------ */

static ps_period_t api_report_period(ps_ctx_t *ctx)
{
    return ctx->run->period;
}

static const char *api_instance(ps_ctx_t *ctx)
{
    return ctx->inst->name;
}

int ps__ctx_fail(ps_ctx_t *ctx, int code, const char *fmt, ...)
{
    va_list ap;
    if (ctx->refused)
        return code < 0 ? code : PS_EPLUGIN;
    ps__buf_reset(&ctx->error);
    va_start(ap, fmt);
    ps__buf_vprintf(&ctx->error, fmt, ap);
    va_end(ap);
    return code < 0 ? code : PS_EPLUGIN;
}

int ps__ctx_refuse(ps_ctx_t *ctx, int code, const ps__buf_t *why)
{
    if (!ctx->refused) {
        ps__buf_reset(&ctx->error);
        ps__buf_puts(&ctx->error, ps__buf_str(why));
        ctx->refused = 1;
        ctx->config_error = 0; /* the plugin's fault, whatever the INI's was */
    }
    return code;
}

/* A warning goes on to every format as it is written: it must be UTF-8,
   and is cut at PS_MAX_MESSAGE characters. */
static int api_warnf(ps_ctx_t *ctx, const char *fmt, ...)
{
    ps__buf_t text = PS_BUF_INIT, why = PS_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    ps__buf_vprintf(&text, fmt, ap);
    va_end(ap);
    int rc = text.failed ? PS_ENOMEM : ps__check_utf8(ps__buf_str(&text), "warning", &why);
    if (rc == 0)
        rc = ps__section_add_warning(ctx->section, ps__message_fit(ps__buf_str(&text)));
    else if (rc != PS_ENOMEM)
        rc = ps__ctx_refuse(ctx, rc, &why);
    ps__buf_free(&text);
    ps__buf_free(&why);
    return rc;
}

static int lend(ps_ctx_t *ctx, void *p)
{
    if (ps__grow(&ctx->lent, &ctx->cap_lent, ctx->n_lent + 1, sizeof *ctx->lent) < 0) {
        free(p);
        return PS_ENOMEM;
    }
    ctx->lent[ctx->n_lent++] = p;
    return 0;
}

const char *ps__ctx_own(ps_ctx_t *ctx, const char *s)
{
    return ps__report_own(ctx->run->report, s);
}

/* ---- configuration ------------------------------------------------------ */

int ps__ctx_setting_fail(ps_ctx_t *ctx, const ps__setting_t *setting, const char *fmt, ...)
{
    ps__buf_t problem = PS_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    ps__buf_vprintf(&problem, fmt, ap);
    va_end(ap);
    ps__ctx_fail(ctx, PS_ECONFIG, "%s: [%s] %s = '%s'%s", ctx->run->cfg->path,
                 ctx->inst->section, setting->name, setting->text, ps__buf_str(&problem));
    ps__buf_free(&problem);
    ctx->config_error = !ctx->refused; /* else the plugin's own fault stands */
    return PS_ECONFIG;
}

const ps__setting_t *ps__ctx_setting_with(const ps_ctx_t *ctx, ps_key_type_t type,
                                          const char *text, int written)
{
    for (size_t i = 0; i < ctx->settings->n; i++) {
        const ps__setting_t *s = &ctx->settings->items[i];
        if (s->key->type == type && !(written && s->is_default) && s->text &&
            strcmp(s->text, text) == 0)
            return s;
    }
    return NULL;
}

static int setting_of(ps_ctx_t *ctx, const char *key, ps_key_type_t type,
                      const ps__setting_t **out)
{
    const ps__setting_t *s = ps__settings_find(ctx->settings, key);
    if (!s)
        return PS_ENOENT;
    if (s->key->type != type && !(type == PS_KEY_STRING))
        return ps__ctx_fail(ctx, PS_EINVAL, "key '%s' is declared as %s, not %s", key,
                        ps__key_type_name(s->key->type), ps__key_type_name(type));
    *out = s;
    return 0;
}

static int api_conf_string(ps_ctx_t *ctx, const char *key, const char **out)
{
    const ps__setting_t *s = NULL;
    int rc = setting_of(ctx, key, PS_KEY_STRING, &s);
    if (rc == 0)
        *out = s->text;
    return rc;
}

static int api_conf_int(ps_ctx_t *ctx, const char *key, int64_t *out)
{
    const ps__setting_t *s = NULL;
    int rc = setting_of(ctx, key, PS_KEY_INT, &s);
    if (rc == 0)
        *out = s->number;
    return rc;
}

static int api_conf_bool(ps_ctx_t *ctx, const char *key, int *out)
{
    const ps__setting_t *s = NULL;
    int rc = setting_of(ctx, key, PS_KEY_BOOL, &s);
    if (rc == 0)
        *out = (int)s->number;
    return rc;
}

static int api_conf_amount(ps_ctx_t *ctx, const char *key, ps_value_t *out)
{
    const ps__setting_t *s = NULL;
    int rc = setting_of(ctx, key, PS_KEY_AMOUNT, &s);
    if (rc == 0)
        *out = (ps_value_t){ s->number, s->unit };
    return rc;
}

static int api_conf_list(ps_ctx_t *ctx, const char *key, const char *const **items,
                         size_t *n)
{
    const ps__setting_t *s = NULL;
    int rc = setting_of(ctx, key, PS_KEY_LIST, &s);
    if (rc == 0) {
        *items = (const char *const *)s->items;
        *n = s->n_items;
    }
    return rc;
}

static int api_conf_year_amount(ps_ctx_t *ctx, const char *family, int year,
                                ps_value_t *out)
{
    char key[128];
    snprintf(key, sizeof key, "%s.%04d", family, year);
    return api_conf_amount(ctx, key, out);
}

/* ---- the ledger --------------------------------------------------------- */

static uint32_t find_string(ps_ctx_t *ctx, const char *s)
{
    return ps__intern_find(ps__cube_strings(ctx->run->cube), s, strlen(s));
}

int ps__api_cube_query(ps_ctx_t *ctx, const ps_query_t *q, ps__cube_query_t *cq,
                       ps__tag_pair_t *pairs, int across_months)
{
    if (!q || !q->indicator || (q->n_filters && !q->filters))
        return ps__ctx_fail(ctx, PS_EINVAL, "malformed query (no indicator, or "
                            "n_filters without filters)");
    if (q->n_filters > PS_MAX_FILTERS)
        return ps__ctx_fail(ctx, PS_EINVAL, "a query has %zu filters; at most %d",
                            q->n_filters, PS_MAX_FILTERS);
    const ps__indicator_def_t *def = ps__config_indicator(ctx->run->cfg, q->indicator);
    if (def && def->stock && q->from != q->to && !across_months)
        return ps__ctx_fail(ctx, PS_EINVAL, "indicator '%s' is a stock (时点数: "
                            "[indicator.%s] kind = stock), whose month-end values never add "
                            "up across months, but a query asks for %04d-%02d to %04d-%02d: "
                            "ask for one month (from = to)", q->indicator, q->indicator,
                            ps_period_year(q->from), ps_period_month(q->from),
                            ps_period_year(q->to), ps_period_month(q->to));
    *cq = (ps__cube_query_t){ .indicator = find_string(ctx, q->indicator),
                              .from = q->from, .to = q->to,
                              .filters = pairs, .n_filters = q->n_filters };
    int unknown = cq->indicator == UINT32_MAX;
    for (size_t i = 0; i < q->n_filters; i++) {
        pairs[i].tag = find_string(ctx, q->filters[i].tag);
        pairs[i].value = find_string(ctx, q->filters[i].value);
        unknown |= pairs[i].tag == UINT32_MAX || pairs[i].value == UINT32_MAX;
    }
    return unknown;
}

/* A sum's or a count's query: over one month, for a stock. */
static int to_cube_query(ps_ctx_t *ctx, const ps_query_t *q, ps__cube_query_t *cq,
                         ps__tag_pair_t *pairs)
{
    return ps__api_cube_query(ctx, q, cq, pairs, 0);
}

static int api_latest_period(ps_ctx_t *ctx, const char *indicator, ps_period_t *out)
{
    uint32_t id = find_string(ctx, indicator);
    ps_period_t p = id == UINT32_MAX ? 0 : ps__cube_latest(ctx->run->cube, id,
                                                          ctx->run->period);
    if (!p)
        return PS_ENOENT;
    *out = p;
    return 0;
}

static int filters_ever_match(ps_ctx_t *ctx, const ps_query_t *q);

int ps__api_probe_sum(ps_ctx_t *ctx, const ps_query_t *q, ps_value_t *out)
{
    ps__cube_query_t cq;
    ps__tag_pair_t pairs[PS_MAX_FILTERS];
    int rc = to_cube_query(ctx, q, &cq, pairs);
    *out = PS_VALUE_NONE;
    if (rc < 0)
        return rc;
    int64_t sum;
    uint64_t rows = 0;
    if (rc == 0 && (rc = ps__cube_sum(ctx->run->cube, &cq, &sum, &rows)) < 0)
        return ps__ctx_fail(ctx, rc, "the sum of '%s' overflows", q->indicator);
    if (rows)
        *out = (ps_value_t){ sum, ps__cube_unit(ctx->run->cube, cq.indicator) };
    return 0;
}

static int api_sum(ps_ctx_t *ctx, const ps_query_t *q, ps_value_t *out)
{
    int rc = ps__api_probe_sum(ctx, q, out);
    return rc < 0 || ps_value_present(*out) ? rc : filters_ever_match(ctx, q);
}

static int part_cmp(const void *a, const void *b)
{
    const ps_part_t *x = a, *y = b;
    if (x->value.raw != y->value.raw)
        return x->value.raw > y->value.raw ? -1 : 1;
    return strcmp(x->tag_value, y->tag_value);
}

typedef int (*grouper_t)(const ps__cube_t *, const ps__cube_query_t *, uint32_t,
                         ps__cube_group_t **, size_t *);

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The indicator's rows of every month, unfiltered: what a filter or a
   grouping could have found. */
static ps__cube_query_t whole_history(ps_ctx_t *ctx, const ps_query_t *q)
{
    return (ps__cube_query_t){ .indicator = find_string(ctx, q->indicator), .from = 0,
                               .to = INT32_MAX };
}

static int tag_not_carried(ps_ctx_t *ctx, const ps_query_t *q, const ps__cube_query_t *cq,
                           const char *tag);

/* Appends the strings `ids` name, sorted, " a, b", at most `max` of
   them and then " and N more". */
static int put_sorted(ps_ctx_t *ctx, const uint32_t *ids, size_t n, size_t max,
                      ps__buf_t *out)
{
    const char **names = calloc(n ? n : 1, sizeof *names);
    if (!names)
        return PS_ENOMEM;
    for (size_t i = 0; i < n; i++)
        names[i] = ps__intern_str(ps__cube_strings(ctx->run->cube), ids[i]);
    qsort(names, n, sizeof *names, str_cmp);
    for (size_t i = 0; i < n && i < max; i++)
        ps__buf_printf(out, "%s %s", i ? "," : "", names[i]);
    if (n > max)
        ps__buf_printf(out, " and %zu more", n - max);
    free(names);
    return 0;
}

/* Appends the values of `groups` (not the rows without one), as put_sorted. */
static int put_values(ps_ctx_t *ctx, const ps__cube_group_t *groups, size_t n, size_t max,
                      ps__buf_t *out)
{
    uint32_t *ids = calloc(n ? n : 1, sizeof *ids);
    if (!ids)
        return PS_ENOMEM;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (groups[i].value)
            ids[k++] = groups[i].value;
    int rc = put_sorted(ctx, ids, k, max, out);
    free(ids);
    return rc;
}

/* A filter the INI wrote (subset.value = 新能原) whose value no row of the
   indicator ever had, in any month, is a typo that would print a dash in a
   sentence: name the key, and the values the rows do have. A plugin's own
   filter finding nothing (a category without a plan) is no error. */
static int value_never_carried(ps_ctx_t *ctx, const ps_query_t *q, const ps_filter_t *f)
{
    const ps__setting_t *setting = ps__ctx_setting_with(ctx, PS_KEY_STRING, f->value, 0);
    if (!setting && !ps__ctx_setting_with(ctx, PS_KEY_STRING, f->tag, 0))
        return 0;
    ps__cube_query_t all = whole_history(ctx, q);
    uint32_t tag = find_string(ctx, f->tag), value = find_string(ctx, f->value);
    ps__cube_group_t *groups;
    size_t n;
    if (tag == UINT32_MAX)
        tag = 0;
    if (ps__cube_breakdown(ctx->run->cube, &all, tag, &groups, &n) < 0)
        return PS_ENOMEM;
    int seen = 0, carried = 0;
    for (size_t i = 0; i < n; i++) {
        seen |= groups[i].value == value;
        carried |= groups[i].value != 0;
    }
    int rc = 0;
    if (!carried && n) {
        rc = tag_not_carried(ctx, q, &all, f->tag);
    } else if (!seen && n && setting) {
        ps__buf_t problem = PS_BUF_INIT;
        ps__buf_printf(&problem, ": no row of indicator '%s' has %s = %s (its values:",
                       q->indicator, f->tag, f->value);
        rc = put_values(ctx, groups, n, 20, &problem);
        ps__buf_puts(&problem, ")");
        if (rc == 0)
            rc = ps__ctx_setting_fail(ctx, setting, "%s", ps__buf_str(&problem));
        ps__buf_free(&problem);
    }
    free(groups);
    return rc;
}

/* A query that matched nothing: an error when one of its filters could
   never match. */
static int filters_ever_match(ps_ctx_t *ctx, const ps_query_t *q)
{
    for (size_t i = 0; i < q->n_filters; i++) {
        int rc = value_never_carried(ctx, q, &q->filters[i]);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* Grouping rows by a tag none of them carries would print an empty
   clause (「完成税收15873万元（）」): name the tag, the key that set it,
   and the tags the rows do carry. */
static int tag_not_carried(ps_ctx_t *ctx, const ps_query_t *q, const ps__cube_query_t *cq,
                           const char *tag)
{
    uint32_t *tags;
    size_t n;
    if (ps__cube_tags_carried(ctx->run->cube, cq, &tags, &n) < 0)
        return PS_ENOMEM;
    uint32_t mark = find_string(ctx, PS_CARRIED_TAG); /* parkstat's, not the ledger's */
    size_t kept = 0;
    for (size_t i = 0; i < n; i++)
        if (tags[i] != mark)
            tags[kept++] = tags[i];
    n = kept;
    ps__buf_t problem = PS_BUF_INIT;
    ps__buf_printf(&problem, ": no row of indicator '%s' carries the tag '%s' (its rows "
                   "carry%s", q->indicator, tag, n ? ":" : " no tag");
    int put = put_sorted(ctx, tags, n, SIZE_MAX, &problem);
    free(tags);
    if (put < 0) {
        ps__buf_free(&problem);
        return put;
    }
    ps__buf_puts(&problem, ")");
    const ps__setting_t *setting = ps__ctx_setting_with(ctx, PS_KEY_STRING, tag, 0);
    int rc = setting ? ps__ctx_setting_fail(ctx, setting, "%s", ps__buf_str(&problem))
                     : ps__ctx_fail(ctx, PS_ENOENT, "%s", ps__buf_str(&problem) + 2);
    ps__buf_free(&problem);
    return rc;
}

/*
 * The groups of the matching rows by the values of `tag`, as lent parts
 * sorted largest first. `scale` turns a group's number into a raw value
 * (1 for sums, PS_SCALE for counts) in `unit`.
 */
static int grouped(ps_ctx_t *ctx, const ps_query_t *q, const char *tag,
                   grouper_t group, int64_t scale, const char *unit,
                   const ps_part_t **parts, size_t *n)
{
    ps__cube_query_t cq;
    ps__tag_pair_t pairs[PS_MAX_FILTERS];
    int rc = to_cube_query(ctx, q, &cq, pairs);
    uint32_t tag_id = tag ? find_string(ctx, tag) : UINT32_MAX;
    *parts = NULL;
    *n = 0;
    if (rc != 0 || !tag)
        return rc < 0 ? rc : 0;
    if (tag_id == UINT32_MAX) /* no ledger has the word: group by the empty */
        tag_id = 0;           /* string, which no row carries as a tag */
    ps__cube_group_t *groups;
    size_t ng;
    if ((rc = group(ctx->run->cube, &cq, tag_id, &groups, &ng)) < 0)
        return ps__ctx_fail(ctx, rc, "grouping '%s' by '%s' failed: %s", q->indicator,
                            tag, ps_strerror(rc));
    if (ng == 1 && groups[0].value == 0) { /* rows, none with the tag */
        free(groups);
        return tag_not_carried(ctx, q, &cq, tag);
    }
    ps_part_t *out = calloc(ng ? ng : 1, sizeof *out);
    for (size_t i = 0; out && i < ng; i++)
        out[i] = (ps_part_t){ ps__intern_str(ps__cube_strings(ctx->run->cube),
                                             groups[i].value),
                              { groups[i].sum * scale, unit } };
    free(groups);
    if (!out || lend(ctx, out) < 0)
        return PS_ENOMEM;
    qsort(out, ng, sizeof *out, part_cmp);
    *parts = out;
    *n = ng;
    return 0;
}

static int api_breakdown(ps_ctx_t *ctx, const ps_query_t *q, const char *tag,
                         const ps_part_t **parts, size_t *n)
{
    uint32_t id = q && q->indicator ? find_string(ctx, q->indicator) : UINT32_MAX;
    const char *unit = id == UINT32_MAX ? NULL : ps__cube_unit(ctx->run->cube, id);
    return grouped(ctx, q, tag, ps__cube_breakdown, 1, unit, parts, n);
}

static int api_count_by(ps_ctx_t *ctx, const ps_query_t *q, const char *tag,
                        const char *unit, const ps_part_t **parts, size_t *n)
{
    const char *owned = ps__ctx_own(ctx, unit ? unit : "");
    if (!owned)
        return PS_ENOMEM;
    return grouped(ctx, q, tag, ps__cube_count_by, PS_SCALE, owned, parts, n);
}

int ps__api_course(ps_ctx_t *ctx, const ps_query_t *q, ps_measure_t how, int64_t *out)
{
    ps__cube_query_t cq;
    ps__tag_pair_t pairs[PS_MAX_FILTERS];
    int rc = to_cube_query(ctx, q, &cq, pairs);
    size_t n = (size_t)(q->to - q->from) + 1;
    memset(out, 0, n * sizeof *out);
    if (rc != 0)
        return rc < 0 ? rc : 0;
    if (how == PS_MEASURE_SUM) {
        uint64_t rows[PS_CUBE_MAX_COURSE];
        rc = ps__cube_sum_course(ctx->run->cube, &cq, out, rows);
        return rc == PS_EOVERFLOW
                   ? ps__ctx_fail(ctx, rc, "the sum of '%s' overflows", q->indicator) : rc;
    }
    rc = ps__cube_entities_course(ctx->run->cube, &cq, out);
    for (size_t i = 0; i < n; i++)
        out[i] *= PS_SCALE; /* a count's raw value */
    return rc;
}

static int api_count_entities(ps_ctx_t *ctx, const ps_query_t *q, int64_t *out)
{
    ps__cube_query_t cq;
    ps__tag_pair_t pairs[PS_MAX_FILTERS];
    int rc = to_cube_query(ctx, q, &cq, pairs);
    *out = 0;
    if (rc != 0)
        return rc < 0 ? rc : 0;
    return ps__cube_count_entities(ctx->run->cube, &cq, out);
}

static int api_is_stock(ps_ctx_t *ctx, const char *indicator)
{
    const ps__indicator_def_t *def =
        indicator ? ps__config_indicator(ctx->run->cfg, indicator) : NULL;
    return def && def->stock;
}

static int api_tag_label(ps_ctx_t *ctx, const char *tag, const char *value,
                         const char **label)
{
    const char *named = tag && value ? ps__config_tag_label(ctx->run->cfg, tag, value)
                                     : NULL;
    *label = named ? named : value && *value ? value : "其他";
    return 0;
}

static const ps_api_t api_table = {
    .size = sizeof(ps_api_t),
    .abi_major = PS_ABI_MAJOR,
    .abi_minor = PS_ABI_MINOR,
    .report_period = api_report_period,
    .instance = api_instance,
    .failf = ps__ctx_fail,
    .conf_string = api_conf_string,
    .conf_int = api_conf_int,
    .conf_bool = api_conf_bool,
    .conf_amount = api_conf_amount,
    .conf_list = api_conf_list,
    .conf_year_amount = api_conf_year_amount,
    .latest_period = api_latest_period,
    .sum = api_sum,
    .breakdown = api_breakdown,
    .count_entities = api_count_entities,
    .emit = ps__api_emit,
    .sentence = ps__api_sentence,
    .count_by = api_count_by,
    .measured_by = ps__api_measured_by,
    .warnf = api_warnf,
    .tag_label = api_tag_label,
    .emit_ratio = ps__api_emit_ratio,
    .average = ps__api_average,
    .count_entered = ps__api_count_entered,
    .is_stock = api_is_stock,
    .count_throughout = ps__api_count_throughout,
};

const ps_api_t *ps__api(void)
{
    return &api_table;
}
