/*
 * The report model: plain data that plugins fill through the API and that
 * renderers read. Nothing here formats or prints.
 */
#ifndef PS_REPORT_H
#define PS_REPORT_H

#include <stddef.h>

#include <parkstat/plugin.h>

#include "base/buf.h"
#include "ledger/stats.h"

typedef struct ps__ind {
    char *key;
    char *label;
    char *code;          /* ledger indicator, or NULL */
    char *parent;        /* NULL at top level */
    ps_relation_t relation;
    ps_value_t value, target, next_target;
    ps_period_t asof;
    char *display_unit;  /* from [indicator.CODE]; NULL: automatic */
    int fixed;           /* 1: shown with exactly `decimals` decimals (derived) */
    int decimals;
    int rate_decimals;
    /* Year-on-year (同比), filled when the plugin says which ledger query the
       value sums (api->from_query): the same months of the previous year, or
       the comparable base (上年同期可比口径) a department supplies, which wins. */
    ps_value_t year_ago;  /* PS_VALUE_NONE: nothing to compare with */
    int comparable;       /* 1: year_ago is a supplied comparable base */
    int has_growth_target;
    int64_t growth_target; /* tenths of a per cent: 80 for 8% */
    /* The cumulative value at the end of each month from January to asof
       (months[0] is January), raw like value.raw; for a stock, its value at
       each month's end; n_months 0: unknown. */
    int64_t months[12];
    int n_months;
    /* A ratio of two sums (api->emit_ratio): value is ratio[0] / ratio[1]
       * ratio_scale to 4 decimals, but it is shown, and its change
       computed, from the sums themselves, rounded once. ratio[1] 0: not
       a ratio; year_ago_ratio[1] 0: last year's is not known as one. */
    int64_t ratio[2], year_ago_ratio[2], ratio_scale;
    int stock;  /* a month-end value (时点数): no time progress (序时进度) */
    /* How many entities of a month-end value were not reported and taken at
       last month's value (carry_forward, 上月结转), counted in the value's
       own unit when it counts entities; PS_VALUE_NONE: none. */
    ps_value_t carried;
} ps__ind_t;

typedef struct ps__sentence {
    ps_sentence_kind_t kind;
    char *tmpl;
} ps__sentence_t;

typedef struct ps__section {
    char *name;          /* instance name */
    char *module;
    char *title;
    char *error;         /* why compute failed; NULL when it succeeded */
    int config_error;    /* it failed on a mistake in the INI (a template naming
                            no indicator): the run stops, nothing is written */
    ps__ind_t *inds;
    size_t n_inds, cap_inds;
    struct ps__intern *keys; /* the indicators' keys: key i's id is i + 1, so
                                that a key is found in one probe, not a scan */
    ps__sentence_t *sentences;
    size_t n_sentences, cap_sentences;
    char **warnings;     /* what the plugin warned of (api->warnf), in order */
    size_t n_warnings, cap_warnings;
} ps__section_t;

/* Who has reported: one ledger source and how far its data reaches. */
typedef struct ps__source_status {
    char *name;           /* [source.NAME] */
    char *department;
    ps_period_t last;     /* the latest month with data; 0: none */
    int lag;              /* months it may lag the report */
    uint64_t rows;
    uint64_t skipped;     /* bad rows left out (on_bad_row = skip) */
    char *skips[PS_LEDGER_SKIPS_KEPT]; /* the first of them, as "FILE:LINE: why" */
} ps__source_status_t;

/* One finding of the statistical audit (数据审核). */
enum ps__severity {
    PS_SEVERITY_ERROR,   /* 强制性错误: must be fixed */
    PS_SEVERITY_WARNING  /* 核实性错误: must be explained */
};

typedef struct ps__finding {
    char *rule;          /* [audit.NAME] */
    enum ps__severity severity;
    char *text;          /* what is wrong, with the figures involved */
    char *indicator;     /* ledger indicator, or NULL */
    char *entity;        /* entity, or NULL */
    ps_period_t period;
    char *explanation;   /* the department's explanation, or NULL */
} ps__finding_t;

typedef struct ps__report {
    struct ps__intern *strings; /* units and other small strings the report owns */
    ps__finding_t *findings;
    size_t n_findings, cap_findings;
    size_t n_rules;      /* audit rules checked */
    int64_t progress_tolerance; /* hundredths of a point within which a figure is
                                   "on" time progress */
    ps__source_status_t *sources;
    size_t n_sources;
    char *zone;
    ps_period_t period;
    char *title;         /* 经济技术开发区2023年1-10月主要经济指标完成情况 */
    char *opening;       /* the summary paragraph's first words: 截止10月底， */
    /* the appendix lines' templates (outline.h) */
    char *line_progress, *line_figure, *line_change, *line_growth, *line_level;
    char *generated_at;  /* ISO 8601 time of the run; NULL unless generated_at = yes,
                            so that the same input gives byte-identical files */
    ps__section_t *sections;
    size_t n_sections;
} ps__report_t;

/* Adds an empty section; returns it or NULL when out of memory. */
ps__section_t *ps__report_add_section(ps__report_t *r, const char *name,
                                      const char *module, const char *title);
/* A copy of `s` that lives as long as the report; NULL when out of memory. */
const char *ps__report_own(ps__report_t *r, const char *s);
/* Appends a copy of `ind` (its strings are duplicated; units must already
   be the report's own). Returns 0, PS_EEXISTS when the section already has
   an indicator of its key, or PS_ENOMEM. */
int ps__section_add_ind(ps__section_t *s, const ps__ind_t *ind);
/* Appends a sentence; the template is copied. */
int ps__section_add_sentence(ps__section_t *s, ps_sentence_kind_t kind, const char *tmpl);
/* Appends a plugin's warning, taking it over (freed even on failure).
   Returns 0 or PS_ENOMEM. */
int ps__section_add_warning(ps__section_t *s, char *text);
/*
 * Resolves a reference "SECTION.KEY" to its section and indicator. A failed
 * section resolves with *ind NULL (its figures are missing). An unknown
 * section or key returns PS_ENOENT, saying which in `why`.
 */
int ps__report_ref(ps__report_t *r, const char *ref, ps__section_t **section,
                   const ps__ind_t **ind, ps__buf_t *why);
/* The section of instance `name`, or NULL. */
ps__section_t *ps__report_section(ps__report_t *r, const char *name);
/* Appends a finding, taking over its strings. Returns 0 or PS_ENOMEM. */
int ps__report_add_finding(ps__report_t *r, ps__finding_t *f);
/* Appends a source's status, taking over its strings (the caller's copy is
   emptied). Returns 0 or PS_ENOMEM. */
int ps__report_add_source(ps__report_t *r, ps__source_status_t *status);
/* Is the source's data older than the report period allows? */
int ps__source_late(const ps__report_t *r, const ps__source_status_t *s);
/* Empties a section of what a failed compute left, keeping its name. */
void ps__section_clear(ps__section_t *s);
/* Empties the section and marks it failed with `message`, made fit for
   every format first (report/check.h: ps__message_fit). Returns 0 or
   PS_ENOMEM (the section then fails with "out of memory"). */
int ps__section_fail(ps__section_t *s, const char *message);
void ps__report_free(ps__report_t *r);

/* The indicator of `key` (of key[0..len) for find_n), or NULL; in one
   probe of the section's keys. */
const ps__ind_t *ps__section_find(const ps__section_t *s, const char *key);
const ps__ind_t *ps__section_find_n(const ps__section_t *s, const char *key, size_t len);
/* Its index in s->inds, or SIZE_MAX. */
size_t ps__section_index(const ps__section_t *s, const char *key, size_t len);
/* The indicator's parent, or NULL. */
const ps__ind_t *ps__ind_parent(const ps__section_t *s, const ps__ind_t *ind);
/* The next quantity of `ind` (PS_REL_QUANTITY: the same indicator in
   another unit) after `after`, a quantity this function returned, or the
   first when `after` is NULL; NULL when there is none left. The API emits
   them right after their parent, so this takes a step, not a search. */
const ps__ind_t *ps__ind_next_quantity(const ps__section_t *s, const ps__ind_t *ind,
                                       const ps__ind_t *after);
/* What a share is taken of: the parent's value for PART and SUBSET
   children, PS_VALUE_NONE otherwise. */
ps_value_t ps__ind_share_base(const ps__section_t *s, const ps__ind_t *ind);
/* The display unit of the indicator's target in a table: the unit its
   value is shown in, so that a row compares like with like (26362万元
   against a target of 30000万元, never 3亿元). */
const char *ps__ind_target_display(const ps__ind_t *ind);
/* The display unit of a target or plan in a sentence: its display_unit,
   except for money, whose targets are round figures written by the
   automatic 亿元/万元 rule (公租房建设计划投资1.27亿元，目前已完成6000万元). */
const char *ps__ind_plan_display(const ps__ind_t *ind);
/* Appends the indicator's value, or (year_ago 1) last year's, as a report
   shows it: "22.32亿元", "95.27%"; a ratio from its two sums, rounded
   once; "—" when there is none. */
void ps__ind_format(ps__buf_t *out, const ps__ind_t *ind, int year_ago);
/* The decimals to show the indicator's figures with; -1: automatic. */
int ps__ind_decimals(const ps__ind_t *ind);
/*
 * Time progress (序时进度) of an indicator with an annual target: the share of
 * the year its data covers (months / 12), in hundredths of a per cent
 * (8333 at the end of October), and the gap between its completion rate and
 * that share, in hundredths of a percentage point (-4275 for 40.58% against
 * 83.33%). Returns -1 when it has no value or no target, or is a stock
 * (时点数): a level to reach by the year's end, not a sum that grows.
 */
int ps__ind_progress(const ps__ind_t *ind, int64_t *progress, int64_t *gap);
/* Growth rates are written with one decimal, as offices publish them. */
#define PS_GROWTH_DECIMALS 1
/* Year-on-year change of the value in tenths of a per cent (61 for 6.1%,
   -32 for a fall of 3.2%). Returns -1 when there is nothing to compare
   with, last year's figure is not positive, or the indicator is a rate. */
int ps__ind_change(const ps__ind_t *ind, int64_t *tenths);
/* Is it a rate: a ratio in per cent (隐患整改率)? Its change on last year
   is said in percentage points, never as a per cent of a per cent. */
int ps__ind_is_rate(const ps__ind_t *ind);
/* A rate's change on last year in hundredths of a percentage point (133:
   提高1.33个百分点), from the four sums. -1 when it is not a rate or last
   year's is unknown. */
int ps__ind_change_points(const ps__ind_t *ind, int64_t *hundredths);
/* Actual growth minus the growth target, in tenths of a percentage point
   (-9: 0.9 points below target). -1 when either is missing. */
int ps__ind_growth_gap(const ps__ind_t *ind, int64_t *tenths);
/* The change of the indicator's share of its parent against last year's
   share, in hundredths of a percentage point. -1 when either share is
   unknown, or when one of last year's figures is a comparable base and the
   other is not. */
int ps__ind_share_change(const ps__section_t *s, const ps__ind_t *ind, int64_t *hundredths);
/* -1 behind, 0 on, 1 ahead of time progress, within the report's tolerance. */
int ps__progress_status(const ps__report_t *r, int64_t gap);
/* How many sections failed. */
size_t ps__report_failures(const ps__report_t *r);

#endif
