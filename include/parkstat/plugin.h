/*
 * parkstat SDK: the plugin boundary.
 *
 * A plugin is a shared object that exports exactly one symbol, its
 * descriptor (see PS_PLUGIN below). It never links against the core: every
 * service it uses comes through the const ps_api_t table handed to its
 * compute callback. It never opens files, prints, or formats numbers: it asks
 * the ledger, emits indicators, and writes sentence templates whose
 * placeholders the core fills in when it renders.
 *
 * Ownership, for every function below, stated here once:
 *   - strings and arrays the plugin passes in are copied by the core before the
 *     call returns; the plugin may reuse its buffers at once;
 *   - strings and arrays the core hands out (configuration values, breakdown
 *     parts, the units inside a ps_value_t) are lent until compute returns;
 *     the plugin frees nothing it did not allocate itself.
 *
 * Limits: every limit a plugin can meet is a named constant below (PS_MAX_…),
 * and a call that would exceed one fails with PS_ERANGE or PS_EINVAL and a
 * message naming it; nothing is ever cut short silently.
 */
#ifndef PARKSTAT_PLUGIN_H
#define PARKSTAT_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#include <parkstat/error.h>
#include <parkstat/types.h>
#include <parkstat/version.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Configuration keys                                                        */
/* ------------------------------------------------------------------------ */

typedef enum ps_key_type {
    PS_KEY_STRING = 1, /* any text */
    PS_KEY_INT,        /* a whole number, within [min, max] when min < max */
    PS_KEY_BOOL,       /* yes/no, true/false, on/off, 1/0 */
    PS_KEY_AMOUNT,     /* a decimal with an optional unit: 55亿, 3771万元, 63个, 12.5 */
    PS_KEY_LIST,       /* comma-separated words: 国税,地税 */
    PS_KEY_TEMPLATE,   /* sentence template; placeholders checked when used */
    PS_KEY_CHOICE      /* one of the words in `choices`: "flow|cumulative" */
} ps_key_type_t;

enum ps_key_flags {
    PS_KEY_REQUIRED = 1u << 0, /* the INI must set it */
    PS_KEY_PER_YEAR = 1u << 1, /* a family keyed by year: name "target" accepts
                                  target.2023, target.2024 … */
    PS_KEY_PER_NAME = 1u << 2  /* ABI 1.5: a family keyed by any name: name
                                  "column" accepts column.period, column.行业 … */
};

/*
 * One configuration key a plugin accepts. A plugin's table ends with an
 * entry whose name is NULL. The core checks every key of the plugin's INI
 * section against this table (unknown keys, types, bounds, required keys) and
 * applies defaults before compute runs, and `parkstat --describe` prints it.
 */
typedef struct ps_key {
    const char *name;          /* lower case: iniparser folds keys */
    ps_key_type_t type;
    const char *default_value; /* as it would be written in the INI; NULL: none */
    unsigned flags;            /* enum ps_key_flags */
    int64_t min, max;          /* bounds for PS_KEY_INT when min < max */
    const char *choices;       /* PS_KEY_CHOICE: the words, separated by '|' */
    const char *help;          /* one line, for --describe and the man page */
} ps_key_t;

/* ------------------------------------------------------------------------ */
/* Ledger queries                                                            */
/* ------------------------------------------------------------------------ */

/* A row matches a filter when its tag column `tag` holds exactly `value`. */
typedef struct ps_filter {
    const char *tag;
    const char *value;
} ps_filter_t;

/* The most filters one query may carry: a query with more fails (PS_EINVAL,
   "a query has 17 filters; at most 16"). */
#define PS_MAX_FILTERS 16

typedef struct ps_query {
    const char *indicator;     /* indicator code as written in the ledger */
    ps_period_t from, to;      /* inclusive month range */
    const ps_filter_t *filters;/* every filter must match; NULL when none */
    size_t n_filters;          /* at most PS_MAX_FILTERS */
} ps_query_t;

/* One group of a breakdown: the rows whose tag holds `tag_value`. */
typedef struct ps_part {
    const char *tag_value;     /* "" for rows that leave the tag empty */
    ps_value_t value;
} ps_part_t;

/* ------------------------------------------------------------------------ */
/* The report                                                                */
/* ------------------------------------------------------------------------ */

/* How a child indicator relates to its parent. */
typedef enum ps_relation {
    PS_REL_NONE = 0, /* a top-level indicator */
    PS_REL_PART,     /* one part of a breakdown: the parts add up to the parent */
    PS_REL_SUBSET,   /* "of which" (其中): a subset, not a partition */
    PS_REL_DETAIL,   /* a related figure, usually in another unit (株, 公里) */
    PS_REL_QUANTITY  /* ABI 1.5: the parent itself in another unit (供应土地 31宗
                        beside its 1122亩): tables show it in the parent's row.
                        It has no target of its own, and no quantity of its own */
} ps_relation_t;

/*
 * An indicator a plugin emits. Keys are unique within a section and are what
 * templates name: any text without '{', '}', '.', or white space.
 * The core computes completion rates (value / target) and shares of the
 * parent (for PART and SUBSET) exactly, and formats everything. The struct
 * never changes within a major: a richer one would come with a new function
 * appended to ps_api_t.
 */
typedef struct ps_indicator {
    const char *key;
    const char *label;          /* e.g. 固定资产投资; NULL: the label that the
                                   configuration gives `indicator` */
    const char *indicator;      /* the ledger indicator the figure comes from,
                                   whose [indicator.CODE] section sets its label
                                   and display; NULL when there is none */
    const char *parent;         /* key of an indicator emitted before; NULL: top level */
    ps_relation_t relation;     /* PS_REL_NONE exactly when parent is NULL */
    ps_value_t value;           /* PS_VALUE_NONE when the ledger has no data */
    ps_period_t asof;           /* the month the data runs to */
    ps_value_t target;          /* this year's target or plan; PS_VALUE_NONE: none */
    ps_value_t next_target;     /* next year's target; PS_VALUE_NONE: none */
} ps_indicator_t;

/*
 * What a section may hold, so that every output format can show it: the
 * core checks these when the plugin emits, and a call past one fails its
 * section (and only its section), however compute goes on.
 *
 * Every string a plugin hands the core (a key, label, unit, sentence
 * template, warning or failure message) must be valid UTF-8: a call with
 * one that is not fails with PS_EINVAL and a message naming the string
 * and its first bad byte ("label of indicator 'x' is not valid UTF-8
 * (byte offset 2)"). Only a failure message is mended instead: its bad
 * bytes become U+FFFD, and the message says so.
 */
/* Bytes an indicator's key may not hold: '{', '}' and '.' would break a
   template's {key.field}, and white space a template's words. */
#define PS_KEY_FORBIDDEN "{}. \t\r\n"
/* Characters (not bytes) of any one string of an indicator: its key,
   label, ledger indicator, parent and units. A workbook cell holds 32,767;
   the rest is room for what the core adds to a label (（至2022年12月底）).
   An emit past it fails with PS_ERANGE. */
#define PS_MAX_LABEL 32000
/* Indicators in one section: one sheet of a workbook holds 1,048,576 rows.
   An emit past it fails with PS_ERANGE. */
#define PS_MAX_INDICATORS 1000000
/* Characters of a failure (failf) or warning (warnf) message: a longer one
   is cut to fit, ending "… (N more characters)", and still fails or warns. */
#define PS_MAX_MESSAGE 4096

/*
 * Where a sentence goes. The core assembles the report as the office writes
 * it: the opening paragraph joins every section's SUMMARY with "；", each
 * section's BODY sentences form its own paragraph, and the plan paragraph
 * joins every section's PLAN with "，".
 */
typedef enum ps_sentence_kind {
    PS_SENTENCE_SUMMARY = 1,
    PS_SENTENCE_BODY,
    PS_SENTENCE_PLAN
} ps_sentence_kind_t;

/* What an indicator's value measures of the rows a query selects. */
typedef enum ps_measure {
    PS_MEASURE_SUM = 1,   /* their exact sum (api->sum) */
    PS_MEASURE_ENTITIES,  /* how many distinct entities (api->count_entities) */
    /* ABI 1.6: */
    PS_MEASURE_AVERAGE,   /* the average of each month's sum (api->average) */
    PS_MEASURE_ENTERED,   /* how many entities entered the rows' state during
                             the months (api->count_entered) */
    PS_MEASURE_THROUGHOUT /* how many entities were in it every month
                             (api->count_throughout); no course */
} ps_measure_t;

/* ------------------------------------------------------------------------ */
/* The table of core functions                                               */
/* ------------------------------------------------------------------------ */

typedef struct ps_ctx ps_ctx_t; /* opaque: one plugin instance's compute */

typedef struct ps_api {
    /* sizeof(ps_api_t) of the running core: a plugin built against a newer
       minor checks it before calling a member the core may not have. */
    uint32_t size;
    uint16_t abi_major, abi_minor;

    /* --- The run --------------------------------------------------------- */

    /* The month the report is for, e.g. 2023-10. */
    ps_period_t (*report_period)(ps_ctx_t *ctx);
    /* This instance's name: "tax" for [plugin.tax]. */
    const char *(*instance)(ps_ctx_t *ctx);
    /* Records why compute fails (printf-style) and returns `code`, so a
       plugin writes `return api->failf(ctx, PS_EINVAL, "…", …);`. The
       section is then marked failed with this reason, and the run goes on. */
    int (*failf)(ps_ctx_t *ctx, int code, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

    /* --- Configuration: values already validated against the key table ---
       Each returns PS_ENOENT when the key is neither set nor defaulted. */

    int (*conf_string)(ps_ctx_t *ctx, const char *key, const char **out);
    int (*conf_int)(ps_ctx_t *ctx, const char *key, int64_t *out);
    int (*conf_bool)(ps_ctx_t *ctx, const char *key, int *out);
    /* An amount. A value written without a unit comes back with unit "". */
    int (*conf_amount)(ps_ctx_t *ctx, const char *key, ps_value_t *out);
    /* A list; *items holds *n strings. */
    int (*conf_list)(ps_ctx_t *ctx, const char *key, const char *const **items,
                     size_t *n);
    /* A per-year key: family "target" and year 2023 read target.2023. */
    int (*conf_year_amount)(ps_ctx_t *ctx, const char *family, int year,
                            ps_value_t *out);

    /* --- The ledger ------------------------------------------------------ */

    /* The latest month, not after the report period, with data for the
       indicator. PS_ENOENT when there is none. */
    int (*latest_period)(ps_ctx_t *ctx, const char *indicator, ps_period_t *out);
    /* Exact sum of the matching rows. PS_VALUE_NONE when no row matches. */
    int (*sum)(ps_ctx_t *ctx, const ps_query_t *q, ps_value_t *out);
    /* The matching rows' sum grouped by the values of `tag`, largest first
       (ties by tag value). */
    int (*breakdown)(ps_ctx_t *ctx, const ps_query_t *q, const char *tag,
                     const ps_part_t **parts, size_t *n);
    /* How many distinct entities have a matching row. */
    int (*count_entities)(ps_ctx_t *ctx, const ps_query_t *q, int64_t *out);

    /* --- The section ----------------------------------------------------- */

    int (*emit)(ps_ctx_t *ctx, const ps_indicator_t *ind);
    /* A sentence template: text with placeholders {KEY} (the value, with
       「（至9月底）」 when its data ends before the report period), and
       {KEY.label}, {KEY.target}, {KEY.next_target}, {KEY.rate} (completion),
       {KEY.share} (of the parent), {KEY.parts} (the PART children, "label
       value" joined by "，"). Every KEY must already be emitted. */
    int (*sentence)(ps_ctx_t *ctx, ps_sentence_kind_t kind, const char *tmpl);

    /* --- ABI 1.1 ------------------------------------------------------------
       Members below are absent from a 1.0 core: check PS_API_HAS first. */

    /* How many distinct entities have a matching row, grouped by the values
       of `tag`, most first (ties by tag value). Each part's value is its
       count in `unit` (个, 宗, 户 …, copied by the core). */
    int (*count_by)(ps_ctx_t *ctx, const ps_query_t *q, const char *tag,
                    const char *unit, const ps_part_t **parts, size_t *n);

    /* --- ABI 1.2 ------------------------------------------------------------ */

    /*
     * Says that the value of indicator `key` (already emitted) measures the
     * rows `q` selects. The core then adds, for every format:
     *   - year-on-year (同比): the same measure over the same months of the
     *     previous year; or, where the ledger holds rows of indicator
     *     "CODE.base" (CODE: q->indicator) in the last of those months with
     *     the query's filters, that comparable base (上年同期可比口径), which
     *     wins, as a department's figure should;
     *   - the growth target: the instance's growth_target.YEAR applies to the
     *     section's first indicator, its headline figure;
     *   - the course: the measure from January to the end of each month up to
     *     q->to, for the charts (only when q->from is a January).
     * PS_ENOENT (through failf) when `key` was not emitted.
     */
    int (*measured_by)(ps_ctx_t *ctx, const char *key, const ps_query_t *q,
                       ps_measure_t how);

    /* --- ABI 1.3 ------------------------------------------------------------ */

    /*
     * Warns of something in the data that does not stop compute but that
     * someone should look at (a tag value the configuration does not list,
     * a figure the plugin doubts), printf-style. The core shows it on
     * standard error and adds it to the report's audit as a warning
     * (核实性) of rule "plugin.NAME", which the explanations file can
     * explain like any other. A section whose compute fails keeps only
     * its error. Returns 0, or PS_ENOMEM.
     */
    int (*warnf)(ps_ctx_t *ctx, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

    /* --- ABI 1.4 ------------------------------------------------------------ */

    /*
     * The office's name for `value` of tag `tag`: what the INI's
     * [labels.TAG] gives it (`roads = 道路建设工程`), else `value` itself,
     * or 「其他」 for the rows that leave the tag empty. Tag and value are
     * matched as the ledger writes them, ASCII letters in any case (the
     * INI's keys are folded to lower case). *label is lent until compute
     * returns. Returns 0.
     */
    int (*tag_label)(ps_ctx_t *ctx, const char *tag, const char *value,
                     const char **label);

    /* --- ABI 1.5 ------------------------------------------------------------ */

    /*
     * Emits `ind` with the exact ratio of two sums as its value: the sum of
     * the rows `num` selects over the sum of those `den` selects, times
     * `scale` (100 for a rate in per cent, 1 for an average), in `unit`
     * (copied): 隐患整改率 = rectified ÷ found × 100 in %, 月平均工资 = wage
     * bill ÷ person-months in 元. ind->value is ignored. The core keeps both
     * sums and rounds once, when it shows the figure; it adds the ratio's
     * year-on-year change (the same ratio over the same months of last
     * year, from the four sums) and its course month by month, as
     * measured_by does for a sum, and the growth target of a section's
     * first indicator. With no rows for either query, or a denominator
     * that sums to zero, the value is PS_VALUE_NONE. A target set on `ind`
     * is in `unit`. Queries as for sum; PS_EOVERFLOW when the ratio does
     * not fit.
     */
    int (*emit_ratio)(ps_ctx_t *ctx, const ps_indicator_t *ind, const ps_query_t *num,
                      const ps_query_t *den, int64_t scale, const char *unit);

    /* --- ABI 1.6: stocks (时点数) over a range of months ---------------------
       A sum or a count over more than one month of a stock fails, since
       month-end values never add up; these two ask what a range of a
       stock's months does mean. Queries as for sum; measured_by takes
       PS_MEASURE_AVERAGE and PS_MEASURE_ENTERED for their 同比 and course. */

    /*
     * The average over the months q->from to q->to of each month's sum of
     * the matching rows: 平均从业人数 from each month's headcount, a
     * balance's monthly average. Exact to 4 decimals, rounded half away
     * from zero; PS_VALUE_NONE when a month of the range has no matching
     * row, since an average over the months reported would hide the one
     * that was not. For a flow as well as a stock.
     */
    int (*average)(ps_ctx_t *ctx, const ps_query_t *q, ps_value_t *out);
    /*
     * How many distinct entities entered the state the rows `q` selects
     * during its months (at most 12): those with a matching row in a month
     * of q->from to q->to and none in the month before it. 新开工 = entered
     * status 在建 this year, 新建成 = entered 基本建成; a project built in
     * 2022 that still reports 基本建成 is not new in 2023.
     */
    int (*count_entered)(ps_ctx_t *ctx, const ps_query_t *q, int64_t *out);
    /*
     * 1 when the INI declares `indicator` a stock ([indicator.CODE] kind =
     * stock), else 0: its figure is its value at a month's end, never a sum
     * over months. ps_year_to_date and ps_emit_year_to_date ask it, so a
     * plugin built on them shows a stock as well as a flow.
     */
    int (*is_stock)(ps_ctx_t *ctx, const char *indicator);
    /*
     * How many distinct entities have a matching row in every month from
     * q->from to q->to (at most 64): a state's age, as a range ending at the
     * report month. 闲置满两年的土地 = idle in each of the 24 months to the
     * report's: from = to - 23.
     */
    int (*count_throughout)(ps_ctx_t *ctx, const ps_query_t *q, int64_t *out);
} ps_api_t;

/* Does the running core's table have `member`? True for every member of the
   minor a plugin was built against once the loader has accepted it; needed
   only for members newer than the minor a plugin requires. */
#define PS_API_HAS(api, member) \
    (offsetof(ps_api_t, member) + sizeof((api)->member) <= (api)->size)

/* ------------------------------------------------------------------------ */
/* The descriptor                                                            */
/* ------------------------------------------------------------------------ */

typedef struct ps_plugin {
    uint16_t abi_major, abi_minor; /* PS_ABI_MAJOR, PS_ABI_MINOR when built */
    const char *name;              /* the module's name: "tax" */
    const char *version;           /* the plugin's own version: "1.0" */
    const char *description;       /* one line */
    const ps_key_t *keys;          /* ends with { NULL } */
    /* Computes the instance's section. Returns 0 or a negative PS_E code,
       after api->failf() has said why. */
    int (*compute)(ps_ctx_t *ctx, const ps_api_t *api);
    void *reserved[8];             /* zero: room to grow within this major */
} ps_plugin_t;

/*
 * Defines the descriptor of module NAME (the shared object's file name
 * without extension). The symbol follows libltdl's NAME_LTX_ convention, so
 * plugins can also be preloaded statically; the core falls back to plain
 * `ps_plugin` for a renamed file.
 *
 *     PS_PLUGIN(tax) = { PS_PLUGIN_ABI, "tax", "1.0", "…", tax_keys, tax_compute };
 */
#define PS_PLUGIN_SYMBOL "ps_plugin"
#define PS_PLUGIN(name) const ps_plugin_t name##_LTX_ps_plugin
#define PS_PLUGIN_ABI PS_ABI_MAJOR, PS_ABI_MINOR

#ifdef __cplusplus
}
#endif

#endif
