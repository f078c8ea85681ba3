/* The plugin context behind ps_ctx_t, shared by the API's two halves:
   api.c (configuration and ledger queries) and section.c (emitting). */
#ifndef PS_CTX_H
#define PS_CTX_H

#include <parkstat/plugin.h>

#include "base/buf.h"
#include "plugin/run.h"

struct ps_ctx {
    ps__run_t *run;
    const ps__instance_t *inst;
    const ps__settings_t *settings;
    ps__section_t *section;
    void **lent;        /* handed to the plugin, freed when compute returns */
    size_t n_lent, cap_lent;
    ps__buf_t error;    /* why compute failed */
    int config_error;   /* ... because of a mistake in the INI */
    int refused;        /* a call broke the boundary's rules: see ps__ctx_refuse */
};

int ps__ctx_fail(ps_ctx_t *ctx, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/*
 * Fails the call with `why` (report/check.h says what) and the whole
 * section with it, whatever compute returns afterwards: a string that is
 * not UTF-8 or too long for a format must not be dropped quietly by a
 * plugin that ignores an error code. Later failures keep this reason.
 * Returns `code`.
 */
int ps__ctx_refuse(ps_ctx_t *ctx, int code, const ps__buf_t *why);

/*
 * Fails the section for a mistake of the INI: "PATH: [SECTION] KEY = 'TEXT'"
 * and the problem (" names …", ": no row …"), a configuration error that --check reports with the others,
 * unless the plugin broke the boundary's rules first. Returns PS_ECONFIG.
 */
int ps__ctx_setting_fail(ps_ctx_t *ctx, const ps__setting_t *setting, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The setting of this section whose key is of `type` and whose text is
   exactly `text`: only one the INI wrote with `written`, else a default
   too. NULL when none. */
const ps__setting_t *ps__ctx_setting_with(const ps_ctx_t *ctx, ps_key_type_t type,
                                          const char *text, int written);

/* A copy of `s` that lives as long as the report (units handed in by
   plugins, or taken from the cube, which the report may outlive). */
const char *ps__ctx_own(ps_ctx_t *ctx, const char *s);

/* Translates a query to the cube's ids; returns 1 when no row can match.
   A stock's query must stay within one month unless `across_months` (an
   average, the states entered). */
int ps__api_cube_query(ps_ctx_t *ctx, const ps_query_t *q, ps__cube_query_t *cq,
                       ps__tag_pair_t *pairs, int across_months);
/* api->sum without its check of the filters: for the sums the core makes
   itself (a comparable base), which may well match nothing. */
int ps__api_probe_sum(ps_ctx_t *ctx, const ps_query_t *q, ps_value_t *out);
int ps__api_average(ps_ctx_t *ctx, const ps_query_t *q, ps_value_t *out);
int ps__api_count_entered(ps_ctx_t *ctx, const ps_query_t *q, int64_t *out);
int ps__api_count_throughout(ps_ctx_t *ctx, const ps_query_t *q, int64_t *out);
int ps__api_emit(ps_ctx_t *ctx, const ps_indicator_t *ind);
int ps__api_sentence(ps_ctx_t *ctx, ps_sentence_kind_t kind, const char *tmpl);
int ps__api_measured_by(ps_ctx_t *ctx, const char *key, const ps_query_t *q,
                        ps_measure_t how);
int ps__api_emit_ratio(ps_ctx_t *ctx, const ps_indicator_t *in, const ps_query_t *num,
                       const ps_query_t *den, int64_t scale, const char *unit);
/* The measure of q (at most twelve months) at each month's end from
   q->from, as raw values, 0 before anything was reported: in one pass. */
int ps__api_course(ps_ctx_t *ctx, const ps_query_t *q, ps_measure_t how, int64_t *out);

#endif
