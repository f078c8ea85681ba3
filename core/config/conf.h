/*
 * The configuration: parkstat.ini read, validated and resolved. Paths are
 * made absolute against the INI file's own directory. Plugin sections are
 * only listed here; their keys are checked once the module is loaded.
 */
#ifndef PS_CONFIG_H
#define PS_CONFIG_H

#include <stddef.h>

#include <parkstat/types.h>

#include "base/diag.h"
#include "base/log.h"
#include "config/iniscan.h"
#include "config/settings.h"
#include "config/wording.h"

enum ps__format {
    PS_FORMAT_TEXT = 1u << 0,
    PS_FORMAT_JSON = 1u << 1,
    PS_FORMAT_HTML = 1u << 2,
    PS_FORMAT_CSV = 1u << 3,
    PS_FORMAT_PROM = 1u << 4,
    PS_FORMAT_XLSX = 1u << 5
};

/* column.NAME = HEADER: the ledger's own header for parkstat's column NAME
   (period, indicator, value, unit, entity, or a tag), both folded as
   column names are matched (spaces trimmed, ASCII in lower case). */
typedef struct ps__column_map {
    char *name;
    char *header;
} ps__column_map_t;

typedef struct ps__source {
    char *name;        /* "tax" for [source.tax] */
    char *department;  /* who hands the ledger in */
    char *pattern;     /* absolute path or glob */
    int cumulative;    /* rows are year-to-date totals */
    char *encoding;    /* "utf-8", "gb18030" … */
    int skip_bad_rows; /* on_bad_row = skip */
    int lag;           /* months its data may lag the report */
    int check_rising;  /* flow: warn when its series rise like totals */
    int carry_forward; /* a stock not reported in the report month takes the
                          month before's value */
    ps__column_map_t *columns; /* the ledger's headers in the office's words */
    size_t n_columns;
} ps__source_t;

/* Is `encoding` a name of UTF-8 (no conversion needed)? */
int ps__is_utf8(const char *encoding);

/* An [indicator.CODE] section: how a ledger indicator is named and shown. */
typedef struct ps__indicator_def {
    char *code;
    char *label;        /* NULL: the code */
    char *unit;         /* declared unit as written (万元, 株); NULL: none */
    char *display_unit; /* "万平方米": show in units of 10^4 of the base */
    int rate_decimals;  /* completion rate decimals */
    int stock;          /* kind = stock (时点数): a month-end value, never summed
                           across months */
} ps__indicator_def_t;

/* A [derived.NAME] section: an indicator defined by an expression. */
typedef struct ps__derived_def {
    char *name;
    char *section;      /* "derived.NAME", for messages */
    char *expr_text;
    struct ps__expr *expr;
    char *label;
    char *unit;
    int decimals;
    char *attach_to;    /* instance whose section shows it; NULL: a section of its own */
    char *sentence;     /* template of a sentence about it; NULL: none */
} ps__derived_def_t;

/* One line of a [labels.TAG] section: how the report names a tag value. */
typedef struct ps__tag_label {
    char *tag;   /* lower case, as iniparser folds the section name */
    char *value; /* lower case, as iniparser folds the key */
    char *label;
} ps__tag_label_t;

/* What an audit rule checks, in the order of its key's choices. */
enum ps__audit_kind {
    PS_AUDIT_BALANCE, PS_AUDIT_CUMULATIVE, PS_AUDIT_LATE, PS_AUDIT_OUTLIER
};

/* An [audit.NAME] section: one rule of the statistical audit. */
typedef struct ps__audit_rule {
    char *name;
    char *section;         /* "audit.NAME", for messages */
    ps__settings_t settings; /* owns the strings below */
    enum ps__audit_kind kind;
    int is_warning;        /* severity = warning (核实性); else an error */
    const char *label;     /* its name in the report: label, or the NAME */
    const char *left_text, *right_text; /* balance: as written */
    struct ps__expr *left, *right;      /* balance: parsed */
    int64_t tolerance;     /* balance: raw, in the figures' units */
    int64_t factor;        /* outlier */
    int64_t min_history;   /* outlier */
    int source;            /* index into sources for ledger rules; -1: none */
} ps__audit_rule_t;

/* In the order of the key table's choices: error|warning|never. */
enum ps__fail_on { PS_FAIL_ON_ERROR, PS_FAIL_ON_WARNING, PS_FAIL_ON_NEVER };

typedef struct ps__instance {
    char *name;        /* "tax" for [plugin.tax] */
    char *section;     /* "plugin.tax" */
    char *module;      /* module name or path */
} ps__instance_t;

typedef struct ps__config {
    char *path;        /* the INI file as given */
    char *dir;         /* its directory, absolute */
    struct _dictionary_ *ini;
    ps__ini_lines_t lines; /* where each key is set */
    ps__settings_t core;  /* owns the strings of the fields below */
    ps__wording_t wording;
    char *zone;
    char *plugin_dir;
    char *output_dir;  /* NULL: standard output */
    char *lock_file;
    ps_period_t period;/* 0: the latest month with data */
    unsigned formats;  /* enum ps__format */
    int isolate;       /* plugins compute in child processes */
    int csv_bom;       /* the CSV output starts with a byte-order mark */
    int csv_headers_zh; /* csv_headers = zh: the CSV headers in Chinese */
    int generated_at;  /* outputs carry the time of the run */
    int log_to_syslog; /* log = syslog (else standard error) */
    const char *log_facility; /* "user", "local0" …: the setting's text */
    enum ps__log_level log_level; /* error|warning|info, as the key lists them */

    ps__source_t *sources;
    size_t n_sources;
    ps__indicator_def_t *indicators;
    size_t n_indicators;
    ps__instance_t *instances;
    size_t n_instances;
    ps__derived_def_t *derived;
    size_t n_derived;
    ps__audit_rule_t *audits;
    size_t n_audits;
    ps__tag_label_t *labels;
    size_t n_labels;
    enum ps__fail_on fail_on;
    int64_t progress_tolerance; /* hundredths of a percentage point */
    char *explanations;  /* CSV of the departments' explanations; NULL: none */
    char *history;       /* the SQLite history of figures; NULL: none */
} ps__config_t;

/*
 * Loads and checks `path`. Every problem goes to `diag`; returns 0 when there
 * were none, PS_ECONFIG otherwise (the config is still safe to free).
 */
int ps__config_load(ps__config_t *cfg, const char *path, ps__diag_t *diag);
void ps__config_free(ps__config_t *cfg);

/*
 * Refuses, in `diag`, a configuration file that someone but root and the
 * user running parkstat could have written, or a directory on its way
 * (base/strictmodes.h): it says which plugins run. PS_ECONFIG or 0; a
 * missing file is left for ps__config_load to name.
 */
int ps__config_check_trust(const char *path, ps__diag_t *diag);

/* "FILE:LINE" of [section] key, or "FILE" when no line set it, to `out`. */
/* The INI as the settings reader takes it. */
static inline ps__ini_file_t ps__config_ini(const ps__config_t *cfg)
{
    return (ps__ini_file_t){ .dict = cfg->ini, .path = cfg->path, .lines = &cfg->lines };
}

void ps__config_where(const ps__config_t *cfg, const char *section, const char *key,
                      ps__buf_t *out);

/* Reads [labels.TAG] `section` (config/labels.c); returns how many
   problems it put in `diag`. */
int ps__config_read_labels(ps__config_t *cfg, const char *section, const char *tag,
                           ps__diag_t *diag);
void ps__config_free_labels(ps__config_t *cfg);

/* The [labels.TAG] name of `value` of `tag`, matching ASCII letters in any
   case; NULL when the INI gives none. */
const char *ps__config_tag_label(const ps__config_t *cfg, const char *tag,
                                 const char *value);

const ps__indicator_def_t *ps__config_indicator(const ps__config_t *cfg,
                                                const char *code);
/* `path` made absolute against the INI's directory; caller frees. */
char *ps__config_resolve(const ps__config_t *cfg, const char *path);

/* Parses a comma list of format names into enum ps__format bits. */
int ps__formats_parse(const char *list, unsigned *out, const char **bad);

/* The key tables of the core's own sections (for --describe and tests). */
extern const ps_key_t ps__core_keys[];
extern const ps_key_t ps__source_keys[];
extern const ps_key_t ps__indicator_keys[];
extern const ps_key_t ps__derived_keys[];
extern const ps_key_t ps__audit_keys[];

#endif
