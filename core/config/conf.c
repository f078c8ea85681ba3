#include "config.h"

#include "config/conf.h"
#include "num/period.h"

#include <errno.h>
#include <iconv.h>
#include <strings.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <iniparser/iniparser.h>

#include "base/buf.h"
#include "base/infile.h"
#include "config/iniscan.h"
#include "config/instance.h"
#include "config/wording.h"
#include "base/lock.h"
#include "base/strictmodes.h"
#include "base/utf8.h"
#include "syntax/expr.h"

const ps_key_t ps__core_keys[] = {
    { .name = "zone", .type = PS_KEY_STRING, .default_value = "经济技术开发区",
      .help = "the zone's name, as the report's title writes it" },
    { .name = "period", .type = PS_KEY_STRING, .default_value = "latest",
      .help = "the month to report, YYYY-MM, or latest: the latest month with data" },
    { .name = "plugin_dir", .type = PS_KEY_STRING,
      .help = "where plugin modules are found (default: $PARKSTAT_PLUGIN_DIR, else "
              "the installed plugin directory)" },
    { .name = "formats", .type = PS_KEY_LIST, .default_value = "text",
      .help = "output formats, comma-separated: text, json, html, csv, prom, xlsx" },
    { .name = "output_dir", .type = PS_KEY_STRING,
      .help = "directory the outputs are written to; unset: standard output" },
    { .name = "lock_file", .type = PS_KEY_STRING,
      .help = "the lock that keeps runs apart (default: $XDG_RUNTIME_DIR/parkstat.lock, "
              "else $TMPDIR or /tmp, parkstat-UID/parkstat.lock), a file in an "
              "existing directory; a symbolic link, a directory, a device, another "
              "user's file or a directory others can change is a configuration error" },
    { .name = "log", .type = PS_KEY_CHOICE, .default_value = "stderr",
      .choices = "stderr|syslog", .help = "where messages go; syslog also writes stderr" },
    { .name = "log_facility", .type = PS_KEY_CHOICE, .default_value = "user",
      .choices = "user|daemon|local0|local1|local2|local3|local4|local5|local6|local7",
      .help = "the syslog facility" },
    { .name = "log_level", .type = PS_KEY_CHOICE, .default_value = "warning",
      .choices = "error|warning|info",
      .help = "the least severe messages logged; info adds how long each source took "
              "to read, each plugin to compute and the whole run" },
    { .name = "progress_tolerance", .type = PS_KEY_AMOUNT, .default_value = "0",
      .help = "percentage points within which a figure is on time progress (序时进度)" },
    { .name = "fail_on", .type = PS_KEY_CHOICE, .default_value = "error",
      .choices = "error|warning|never",
      .help = "what audit findings make the exit status 1: errors, also unexplained "
              "warnings, or never" },
    { .name = "explanations", .type = PS_KEY_STRING,
      .help = "CSV of the departments' explanations of warnings: period, rule, "
              "indicator, entity, explanation" },
    { .name = "isolate", .type = PS_KEY_BOOL, .default_value = "yes",
      .help = "run each plugin's compute in a child process, so that a crash or a "
              "hang loses only its section (as many at once as the machine has "
              "CPUs, at least two); no: in-process, one after another, for "
              "debugging" },
    { .name = "order", .type = PS_KEY_LIST,
      .help = "the plugin instances in the order the report shows their sections; "
              "those left out follow in the INI's order" },
    { .name = "template.title", .type = PS_KEY_TEMPLATE,
      .default_value = "{zone}{year}年1-{month}月主要经济指标完成情况",
      .help = "the report's title: {zone}, {year}, {month}, {next_year}" },
    { .name = "template.opening", .type = PS_KEY_TEMPLATE,
      .default_value = "截止{month}月底，",
      .help = "the summary paragraph's first words: {zone}, {year}, {month}, {next_year}" },
    { .name = "template.progress", .type = PS_KEY_TEMPLATE,
      .default_value = "{label}{figure}，完成年度目标{target}的{rate}，{status}"
                       "（序时进度{progress}）",
      .help = "main-indicator appendix: a figure with a target; the fields of "
              "templates, {figure} for the value with its as-of note" },
    { .name = "template.level", .type = PS_KEY_TEMPLATE,
      .default_value = "{label}{figure}，完成年度目标{target}的{rate}",
      .help = "main-indicator appendix: a stock (时点数) with a level to reach by year "
              "end, which has no time progress" },
    { .name = "template.figure", .type = PS_KEY_TEMPLATE, .default_value = "{label}{figure}",
      .help = "main-indicator appendix: a figure without a target (before its change "
              "when it has one); {figure} with its other quantities: 31宗，1122亩" },
    { .name = "template.change", .type = PS_KEY_TEMPLATE, .default_value = "同比{change}",
      .help = "main-indicator appendix: the change on the same months of last year" },
    { .name = "template.growth", .type = PS_KEY_TEMPLATE,
      .default_value = "同比{change}，{growth_gap}（目标增长{growth_target}）",
      .help = "main-indicator appendix: the change of a figure with a growth target" },
    { .name = "csv_bom", .type = PS_KEY_BOOL, .default_value = "yes",
      .help = "start the CSV output with a UTF-8 byte-order mark, without which Excel "
              "on Chinese Windows reads it as GB18030; no: for a tool that keeps the mark" },
    { .name = "csv_headers", .type = PS_KEY_CHOICE, .default_value = "en",
      .choices = "en|zh",
      .help = "the CSV output's column headers: en, stable names for programs; zh, "
              "the office's words (部分, 指标, 数值 …)" },
    { .name = "generated_at", .type = PS_KEY_BOOL, .default_value = "no",
      .help = "stamp the outputs with the time of the run; no: the same input gives "
              "byte-identical files" },
    { .name = "history", .type = PS_KEY_STRING,
      .help = "the SQLite database that records every run's figures, relative to this "
              "file: it names revised past months and keeps months a ledger no longer "
              "holds; unset: no history" },
    { .name = NULL },
};

const ps_key_t ps__source_keys[] = {
    { .name = "path", .type = PS_KEY_STRING, .flags = PS_KEY_REQUIRED,
      .help = "the ledger file, or a glob of files, relative to this INI file" },
    { .name = "type", .type = PS_KEY_CHOICE, .default_value = "flow",
      .choices = "flow|cumulative",
      .help = "flow: each row is its month's amount; cumulative: the year-to-date total" },
    { .name = "department", .type = PS_KEY_STRING,
      .help = "the department that hands the ledger in" },
    { .name = "encoding", .type = PS_KEY_STRING, .default_value = "utf-8",
      .help = "the files' character set: utf-8, or gb18030 for Excel on Chinese Windows" },
    { .name = "on_bad_row", .type = PS_KEY_CHOICE, .default_value = "stop",
      .choices = "stop|skip",
      .help = "stop: a bad row stops the run; skip: it is counted, named in the report, "
              "and left out" },
    { .name = "lag", .type = PS_KEY_INT, .default_value = "0", .min = 0, .max = 12,
      .help = "months the department's data may lag the report (output: 1)" },
    { .name = "check_rising", .type = PS_KEY_BOOL, .default_value = "yes",
      .help = "flow: a warning (疑似累计数) when nearly every series rises every month "
              "of the year, as year-to-date totals would" },
    { .name = "carry_forward", .type = PS_KEY_BOOL, .default_value = "no",
      .help = "stocks (时点数): an entity that reported a stock last month and not in the "
              "report month is taken at last month's value, marked as carried (上月结转) "
              "wherever the figure is shown; either way the audit names it (未报送)" },
    { .name = "column", .type = PS_KEY_STRING, .flags = PS_KEY_PER_NAME,
      .help = "the ledger's own header for one of its columns, so that a department's "
              "sheet is read as it is: column.period = 月份, column.value = 本月数, "
              "column.entity = 企业名称, column.industry = 所属行业 (a tag)" },
    { .name = NULL },
};

const ps_key_t ps__indicator_keys[] = {
    { .name = "label", .type = PS_KEY_STRING, .help = "the indicator's name in the report" },
    { .name = "unit", .type = PS_KEY_STRING,
      .help = "its unit: 元, 万元 or 亿元 for money (rows may use any of the three), "
              "else the unit every row must carry (个, 亩, 株 …)" },
    { .name = "display_unit", .type = PS_KEY_STRING,
      .help = "show the figures in this unit: 万元 for tax, 万平方米 for 平方米 "
              "(a sentence writes money targets by the automatic 亿元/万元, a table in "
              "the figure's unit)" },
    { .name = "rate_decimals", .type = PS_KEY_INT, .default_value = "2", .min = 0,
      .max = 4, .help = "decimals of the completion rate (88.2% has 1)" },
    { .name = "kind", .type = PS_KEY_CHOICE, .default_value = "flow", .choices = "flow|stock",
      .help = "flow (时期数): each row is its month's amount, summed over months; stock "
              "(时点数): each row is the entity's value or state at its month's end, "
              "never summed across months (projects in negotiation, idle land)" },
    { .name = NULL },
};

const ps_key_t ps__derived_keys[] = {
    { .name = "expr", .type = PS_KEY_STRING, .flags = PS_KEY_REQUIRED,
      .help = "the value: SECTION.KEY references, decimals, + - * / and parentheses, "
              "e.g. output.new_energy / output.output * 100" },
    { .name = "label", .type = PS_KEY_STRING, .flags = PS_KEY_REQUIRED,
      .help = "its name in the report" },
    { .name = "unit", .type = PS_KEY_STRING, .default_value = "",
      .help = "the unit written after the value (%, 元/亿元 …)" },
    { .name = "decimals", .type = PS_KEY_INT, .default_value = "2", .min = 0, .max = 4,
      .help = "decimals the value is shown with" },
    { .name = "section", .type = PS_KEY_STRING,
      .help = "the [plugin.NAME] whose section shows it; unset: a section of derived "
              "indicators" },
    { .name = "template", .type = PS_KEY_TEMPLATE,
      .help = "a sentence about it, naming it {NAME}; unset: none" },
    { .name = NULL },
};

const ps_key_t ps__audit_keys[] = {
    { .name = "rule", .type = PS_KEY_CHOICE, .flags = PS_KEY_REQUIRED,
      .choices = "balance|cumulative|late|outlier",
      .help = "balance: left equals right; cumulative: a year-to-date series never "
              "falls; late: no month missing after months reported; outlier: a month "
              "within factor of the entity's own history" },
    { .name = "severity", .type = PS_KEY_CHOICE, .default_value = "error",
      .choices = "error|warning",
      .help = "error (强制性错误) must be fixed; warning (核实性错误) must be explained" },
    { .name = "label", .type = PS_KEY_STRING, .help = "the rule's name in the report" },
    { .name = "left", .type = PS_KEY_STRING,
      .help = "balance: the total, an expression over SECTION.KEY (tax.tax)" },
    { .name = "right", .type = PS_KEY_STRING,
      .help = "balance: what must equal it (tax.国税 + tax.地税)" },
    { .name = "tolerance", .type = PS_KEY_AMOUNT, .default_value = "0",
      .help = "balance: the difference allowed, in the figures' units (money in 元)" },
    { .name = "source", .type = PS_KEY_STRING,
      .help = "cumulative, late, outlier: the [source.NAME] checked" },
    { .name = "factor", .type = PS_KEY_INT, .default_value = "10", .min = 2,
      .max = 1000000, .help = "outlier: how many times the median is too far" },
    { .name = "min_history", .type = PS_KEY_INT, .default_value = "3", .min = 1,
      .max = 120, .help = "outlier: months of history needed before judging" },
    { .name = NULL },
};


/* ---- small parsers ------------------------------------------------------ */

int ps__formats_parse(const char *list, unsigned *out, const char **bad)
{
    static const struct { const char *name; unsigned bit; } formats[] = {
        { "text", PS_FORMAT_TEXT },
        { "json", PS_FORMAT_JSON },
        { "html", PS_FORMAT_HTML },
        { "csv", PS_FORMAT_CSV },
        { "prom", PS_FORMAT_PROM },
        { "xlsx", PS_FORMAT_XLSX },
    };
    static char word[32];
    *out = 0;
    for (const char *p = list; *p;) {
        p += strspn(p, " \t");
        size_t n = strcspn(p, ",");
        size_t len = n;
        while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
            len--;
        size_t i = 0;
        while (i < sizeof formats / sizeof formats[0] &&
               !(strlen(formats[i].name) == len && strncmp(formats[i].name, p, len) == 0))
            i++;
        if (i == sizeof formats / sizeof formats[0]) {
            snprintf(word, sizeof word, "%.*s", (int)(len < 31 ? len : 31), p);
            *bad = word;
            return -1;
        }
        *out |= formats[i].bit;
        p += n + (p[n] == ',');
    }
    return *out ? 0 : -1;
}

/* ---- iniparser's own messages ------------------------------------------- */

static ps__buf_t ini_errors = PS_BUF_INIT;

static int capture_ini_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ps__buf_vprintf(&ini_errors, fmt, ap);
    va_end(ap);
    return 0;
}

/* Turns "iniparser: syntax error in F (4):\n-> text\n" into one line. */
static void report_ini_errors(ps__diag_t *diag, const char *file)
{
    const char *msg = ps__buf_str(&ini_errors);
    if (!*msg)
        return;
    ps__buf_t line = PS_BUF_INIT;
    for (const char *p = msg; *p; p++) {
        if (strncmp(p, "iniparser: ", 11) == 0)
            p += 10;
        else if (*p == '\n')
            ps__buf_puts(&line, p[1] ? " " : "");
        else
            ps__buf_append(&line, p, 1);
    }
    ps__diag_add(diag, "%s: %s", file, ps__buf_str(&line));
    ps__buf_free(&line);
    ps__buf_free(&ini_errors);
}

/* ---- sections ----------------------------------------------------------- */

char *ps__config_resolve(const ps__config_t *cfg, const char *path)
{
    if (path[0] == '/')
        return strdup(path);
    ps__buf_t b = PS_BUF_INIT;
    ps__buf_printf(&b, "%s/%s", cfg->dir, path);
    return ps__buf_take(&b);
}

static const char *setting(const ps__settings_t *s, const char *name)
{
    return ps__settings_text(s, name);
}

static char *dup_setting(const ps__settings_t *s, const char *name)
{
    const char *v = setting(s, name);
    return v ? strdup(v) : NULL;
}

/* A number, yes/no or amount of [parkstat]: every one has a default in the
   key table, which is the only place a default is written. */
static int64_t number(const ps__settings_t *s, const char *name)
{
    const ps__setting_t *set = ps__settings_find(s, name);
    return set ? set->number : 0;
}

/* The index of a choice among its key's words ("error|warning|never"), in
   the key table's order, which the enums it is read into follow. */
static int choice(const ps__settings_t *s, const char *name)
{
    const ps__setting_t *set = ps__settings_find(s, name);
    size_t len = set ? strlen(set->text) : 0;
    int i = 0;
    for (const char *w = set ? set->key->choices : ""; *w; i++) {
        size_t n = strcspn(w, "|");
        if (n == len && strncmp(w, set->text, n) == 0)
            return i;
        w += n + (w[n] == '|');
    }
    return 0;
}

void ps__config_where(const ps__config_t *cfg, const char *section, const char *key,
                      ps__buf_t *out)
{
    unsigned long line = ps__ini_line(&cfg->lines, section, key);
    ps__buf_puts(out, cfg->path);
    if (line)
        ps__buf_printf(out, ":%lu", line);
}

/* A lock that cannot be taken is the configuration's error, found by
   --check too, not "another run holds the lock". */
static int check_lock_file(const ps__config_t *cfg, const char *given, ps__diag_t *diag)
{
    ps__buf_t why = PS_BUF_INIT, at = PS_BUF_INIT;
    int rc = ps__lock_check(cfg->lock_file, &why);
    if (rc < 0) {
        ps__config_where(cfg, "parkstat", "lock_file", &at);
        ps__diag_add(diag, "%s: [parkstat] lock_file = '%s': %s", ps__buf_str(&at), given,
                     ps__buf_str(&why));
    }
    ps__buf_free(&why);
    ps__buf_free(&at);
    return rc < 0;
}

/* Keys that were once read and are now refused, each with what replaces it. */
static const struct retired_key {
    const char *section, *key, *instead;
} retired_keys[] = {
    { "parkstat", "strict_permissions",
      "use the command-line option --no-strict-permissions: the file the permission "
      "checks protect cannot be the one to relax them" },
};

/* Says where each retired key is set, and takes it out of the dictionary so
   that it is not also an unknown key. */
static int refuse_retired_keys(ps__config_t *cfg, ps__diag_t *diag)
{
    int errors = 0;
    for (size_t i = 0; i < sizeof retired_keys / sizeof retired_keys[0]; i++) {
        const struct retired_key *r = &retired_keys[i];
        ps__buf_t name = PS_BUF_INIT, at = PS_BUF_INIT;
        ps__buf_printf(&name, "%s:%s", r->section, r->key);
        if (iniparser_find_entry(cfg->ini, ps__buf_str(&name))) {
            ps__config_where(cfg, r->section, r->key, &at);
            ps__diag_add(diag, "%s: [%s] %s is no longer a key (%s)", ps__buf_str(&at),
                         r->section, r->key, r->instead);
            iniparser_unset(cfg->ini, ps__buf_str(&name));
            errors++;
        }
        ps__buf_free(&name);
        ps__buf_free(&at);
    }
    return errors;
}

int ps__config_check_trust(const char *path, ps__diag_t *diag)
{
    ps__buf_t why = PS_BUF_INIT;
    int rc = ps__strict_check(path, PS_STRICT_RELAXABLE, &why);
    if (rc < 0 && rc != PS_ENOENT) /* a missing file: ps__config_load says so */
        ps__diag_add(diag, "%s", ps__buf_str(&why));
    ps__buf_free(&why);
    return rc < 0 && rc != PS_ENOENT ? PS_ECONFIG : 0;
}

static int read_core(ps__config_t *cfg, ps__diag_t *diag)
{
    const ps_key_t *tables[] = { ps__core_keys };
    ps__ini_file_t ini = ps__config_ini(cfg);
    int errors = ps__settings_read(&cfg->core, &ini, "parkstat",
                                   tables, 1, diag);
    const ps__settings_t *s = &cfg->core;
    cfg->zone = dup_setting(s, "zone");
    ps__wording_read(&cfg->wording, s);
    cfg->isolate = (int)number(s, "isolate");
    cfg->progress_tolerance = number(s, "progress_tolerance") / 100;
    cfg->fail_on = (enum ps__fail_on)choice(s, "fail_on");
    cfg->log_to_syslog = choice(s, "log") == 1;
    cfg->log_facility = setting(s, "log_facility");
    cfg->log_level = (enum ps__log_level)choice(s, "log_level");
    const char *explanations = setting(s, "explanations");
    cfg->explanations = explanations ? ps__config_resolve(cfg, explanations) : NULL;
    cfg->csv_bom = (int)number(s, "csv_bom");
    cfg->csv_headers_zh = choice(s, "csv_headers") == 1; /* en|zh */
    cfg->generated_at = (int)number(s, "generated_at");
    const char *dir = setting(s, "plugin_dir");
    cfg->plugin_dir = dir ? ps__config_resolve(cfg, dir) : NULL;
    const char *lock = setting(s, "lock_file");
    cfg->lock_file = lock ? ps__config_resolve(cfg, lock) : ps__lock_default_path();
    if (lock && cfg->lock_file)
        errors += check_lock_file(cfg, lock, diag);
    const char *out = setting(s, "output_dir");
    cfg->output_dir = out ? ps__config_resolve(cfg, out) : NULL;
    const char *history = setting(s, "history");
    cfg->history = history ? ps__config_resolve(cfg, history) : NULL;

    const char *period = setting(s, "period");
    if (period && strcmp(period, "latest") != 0 &&
        ps__period_parse(period, strlen(period), &cfg->period) < 0) {
        ps__diag_add(diag, "%s: [parkstat] period = '%s' is not a month "
                     "(expected YYYY-MM or latest)", cfg->path, period);
        errors++;
    }
    const char *formats = setting(s, "formats"), *bad = "";
    if (formats && ps__formats_parse(formats, &cfg->formats, &bad) < 0) {
        ps__diag_add(diag, "%s: [parkstat] formats = '%s': unknown format '%s' "
                     "(expected text, json, html, csv, prom or xlsx)", cfg->path, formats, bad);
        errors++;
    }
    return errors;
}

/* An encoding iconv cannot convert from is a configuration error. */
static int check_encoding(const ps__config_t *cfg, const char *section,
                          const char *encoding, ps__diag_t *diag)
{
    if (!encoding || ps__is_utf8(encoding))
        return 0;
    iconv_t cd = iconv_open("UTF-8", encoding);
    if (cd != (iconv_t)-1) {
        iconv_close(cd);
        return 0;
    }
    ps__diag_add(diag, "%s: [%s] encoding = '%s' is not an encoding this system "
                 "converts (expected utf-8, gb18030, gbk …)", cfg->path, section, encoding);
    return 1;
}

int ps__is_utf8(const char *encoding)
{
    return strcasecmp(encoding, "utf-8") == 0 || strcasecmp(encoding, "utf8") == 0;
}

/* A header named by no column, or by two, is a mistake worth stopping for. */
static int check_column(const ps__config_t *cfg, const char *section,
                        const ps__source_t *src, const ps__column_map_t *m,
                        const char *key, ps__diag_t *diag)
{
    if (!*m->header) {
        ps__diag_add(diag, "%s: [%s] %s is empty (expected the ledger's header for "
                     "that column, e.g. column.period = 月份)", cfg->path, section, key);
        return 1;
    }
    for (const ps__column_map_t *o = src->columns; o < m; o++)
        if (strcmp(o->header, m->header) == 0) {
            ps__diag_add(diag, "%s: [%s] column.%s and column.%s both name the header "
                         "'%s': a header is one column", cfg->path, section, o->name,
                         m->name, m->header);
            return 1;
        }
    return 0;
}

/* The source's column.NAME keys, each header named once. */
static int read_columns(ps__config_t *cfg, const char *section, const ps__settings_t *s,
                        ps__source_t *src, ps__diag_t *diag)
{
    static const char prefix[] = "column.";
    int errors = 0;
    for (size_t i = 0; i < s->n; i++) {
        const ps__setting_t *set = &s->items[i];
        if (strncmp(set->name, prefix, sizeof prefix - 1) != 0)
            continue;
        ps__column_map_t *grown = realloc(src->columns, (src->n_columns + 1) * sizeof *grown);
        if (!grown)
            return errors + 1;
        src->columns = grown;
        ps__column_map_t *m = &src->columns[src->n_columns];
        m->name = ps__name_folded(set->name + sizeof prefix - 1,
                                  strlen(set->name) - (sizeof prefix - 1));
        m->header = ps__name_folded(set->text, strlen(set->text));
        if (!m->name || !m->header) {
            free(m->name);
            free(m->header);
            return errors + 1;
        }
        src->n_columns++;
        errors += check_column(cfg, section, src, m, set->name, diag);
    }
    return errors;
}

static int read_source(ps__config_t *cfg, const char *section, const char *name,
                       ps__diag_t *diag)
{
    ps__settings_t s = { 0 };
    const ps_key_t *tables[] = { ps__source_keys };
    ps__ini_file_t ini = ps__config_ini(cfg);
    int errors = ps__settings_read(&s, &ini, section, tables, 1, diag);
    ps__source_t *grown = realloc(cfg->sources, (cfg->n_sources + 1) * sizeof *grown);
    if (grown) {
        cfg->sources = grown;
        const char *path = setting(&s, "path"), *dept = setting(&s, "department");
        cfg->sources[cfg->n_sources++] = (ps__source_t){
            .name = strdup(name),
            .department = strdup(dept ? dept : name),
            .pattern = path ? ps__config_resolve(cfg, path) : NULL,
            .cumulative = choice(&s, "type") == 1,        /* flow|cumulative */
            .encoding = dup_setting(&s, "encoding"),
            .skip_bad_rows = choice(&s, "on_bad_row") == 1, /* stop|skip */
            .lag = (int)number(&s, "lag"),
            .check_rising = (int)number(&s, "check_rising"),
            .carry_forward = (int)number(&s, "carry_forward"),
        };
        errors += check_encoding(cfg, section, cfg->sources[cfg->n_sources - 1].encoding,
                                 diag);
        errors += read_columns(cfg, section, &s, &cfg->sources[cfg->n_sources - 1], diag);
    }
    ps__settings_free(&s);
    return errors;
}

static int read_indicator(ps__config_t *cfg, const char *section, const char *code,
                          ps__diag_t *diag)
{
    ps__settings_t s = { 0 };
    const ps_key_t *tables[] = { ps__indicator_keys };
    ps__ini_file_t ini = ps__config_ini(cfg);
    int errors = ps__settings_read(&s, &ini, section, tables, 1, diag);
    ps__indicator_def_t *grown =
        realloc(cfg->indicators, (cfg->n_indicators + 1) * sizeof *grown);
    if (grown) {
        cfg->indicators = grown;
        cfg->indicators[cfg->n_indicators++] = (ps__indicator_def_t){
            .code = strdup(code),
            .label = dup_setting(&s, "label"),
            .unit = dup_setting(&s, "unit"),
            .display_unit = dup_setting(&s, "display_unit"),
            .rate_decimals = (int)number(&s, "rate_decimals"),
            .stock = choice(&s, "kind") == 1, /* flow|stock */
        };
    }
    ps__settings_free(&s);
    return errors;
}

static int read_instance(ps__config_t *cfg, const char *section, const char *name,
                         ps__diag_t *diag)
{
    ps__buf_t key = PS_BUF_INIT;
    ps__buf_printf(&key, "%s:module", section);
    const char *module = iniparser_getstring(cfg->ini, ps__buf_str(&key), NULL);
    ps__buf_free(&key);
    if (!module || !*module) {
        ps__diag_add(diag, "%s: [%s] missing required key 'module' (%s)", cfg->path,
                     section, ps__instance_keys[0].help);
        return 1;
    }
    ps__instance_t *grown =
        realloc(cfg->instances, (cfg->n_instances + 1) * sizeof *grown);
    if (!grown)
        return 1;
    cfg->instances = grown;
    cfg->instances[cfg->n_instances++] = (ps__instance_t){
        .name = strdup(name), .section = strdup(section), .module = strdup(module),
    };
    return 0;
}

static int read_derived(ps__config_t *cfg, const char *section, const char *name,
                        ps__diag_t *diag)
{
    ps__settings_t s = { 0 };
    const ps_key_t *tables[] = { ps__derived_keys };
    ps__ini_file_t ini = ps__config_ini(cfg);
    int errors = ps__settings_read(&s, &ini, section, tables, 1, diag);
    ps__derived_def_t *grown = realloc(cfg->derived, (cfg->n_derived + 1) * sizeof *grown);
    const char *expr = setting(&s, "expr");
    if (grown) {
        cfg->derived = grown;
        ps__derived_def_t *d = &cfg->derived[cfg->n_derived++];
        *d = (ps__derived_def_t){
            .name = strdup(name), .section = strdup(section),
            .expr_text = expr ? strdup(expr) : NULL, .label = dup_setting(&s, "label"),
            .unit = dup_setting(&s, "unit"), .decimals = (int)number(&s, "decimals"),
            .attach_to = dup_setting(&s, "section"), .sentence = dup_setting(&s, "template"),
        };
        ps__buf_t why = PS_BUF_INIT;
        if (expr && ps__expr_parse(expr, &d->expr, &why) < 0) {
            ps__diag_add(diag, "%s: [%s] expr: %s", cfg->path, section, ps__buf_str(&why));
            errors++;
        }
        ps__buf_free(&why);
    }
    ps__settings_free(&s);
    return errors;
}

static int parse_side(ps__config_t *cfg, const char *section, const ps__settings_t *s,
                      const char *key, struct ps__expr **out, ps__diag_t *diag)
{
    const char *text = ps__settings_text(s, key);
    ps__buf_t why = PS_BUF_INIT;
    int errors = 0;
    if (!text) {
        ps__diag_add(diag, "%s: [%s] a balance rule needs '%s'", cfg->path, section, key);
        errors++;
    } else if (ps__expr_parse(text, out, &why) < 0) {
        ps__diag_add(diag, "%s: [%s] %s: %s", cfg->path, section, key, ps__buf_str(&why));
        errors++;
    }
    ps__buf_free(&why);
    return errors;
}

static int read_audit(ps__config_t *cfg, const char *section, const char *name,
                      ps__diag_t *diag)
{
    ps__audit_rule_t *grown = realloc(cfg->audits, (cfg->n_audits + 1) * sizeof *grown);
    if (!grown)
        return 1;
    cfg->audits = grown;
    ps__audit_rule_t *r = &cfg->audits[cfg->n_audits++];
    *r = (ps__audit_rule_t){ .name = strdup(name), .section = strdup(section), .source = -1 };
    const ps_key_t *tables[] = { ps__audit_keys };
    ps__ini_file_t ini = ps__config_ini(cfg);
    int errors = ps__settings_read(&r->settings, &ini, section, tables, 1,
                                   diag);
    const ps__settings_t *s = &r->settings;
    const char *rule = setting(s, "rule");
    const char *source = setting(s, "source");
    r->kind = (enum ps__audit_kind)choice(s, "rule");
    r->is_warning = choice(s, "severity") == 1;
    r->label = setting(s, "label") ? setting(s, "label") : r->name;
    r->left_text = setting(s, "left");
    r->right_text = setting(s, "right");
    r->tolerance = number(s, "tolerance");
    r->factor = number(s, "factor");
    r->min_history = number(s, "min_history");
    if (rule && strcmp(rule, "balance") == 0)
        return errors + parse_side(cfg, section, &r->settings, "left", &r->left, diag) +
               parse_side(cfg, section, &r->settings, "right", &r->right, diag);
    for (size_t i = 0; rule && source && i < cfg->n_sources; i++)
        if (strcmp(cfg->sources[i].name, source) == 0)
            r->source = (int)i;
    if (rule && r->source < 0) {
        ps__diag_add(diag, "%s: [%s] rule = %s needs source = NAME of a [source.NAME] "
                     "above it", cfg->path, section, rule);
        errors++;
    }
    return errors;
}

static int read_section(ps__config_t *cfg, const char *section, ps__diag_t *diag)
{
    static const struct {
        const char *prefix;
        int (*read)(ps__config_t *, const char *, const char *, ps__diag_t *);
    } kinds[] = {
        { "source.", read_source },
        { "indicator.", read_indicator },
        { "plugin.", read_instance },
        { "derived.", read_derived },
        { "audit.", read_audit },
        { "labels.", ps__config_read_labels },
    };
    if (strcmp(section, "parkstat") == 0)
        return 0;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        size_t n = strlen(kinds[i].prefix);
        if (strncmp(section, kinds[i].prefix, n) == 0 && section[n])
            return kinds[i].read(cfg, section, section + n, diag);
    }
    static const char *const known[] = { "parkstat", "source.NAME", "indicator.CODE",
                                         "plugin.NAME", "derived.NAME", "audit.NAME",
                                         "labels.TAG" };
    const char *best = ps__suggest(section, known, 7);
    ps__diag_add(diag, "%s: unknown section [%s]%s%s%s", cfg->path, section,
                 best ? " (did you mean [" : " (expected [parkstat], [source.NAME], "
                                             "[indicator.CODE], [plugin.NAME], "
                                             "[derived.NAME], [audit.NAME] or "
                                             "[labels.TAG])",
                 best ? best : "", best ? "]?)" : "");
    return 1;
}

static char *absolute_dir_of(const char *path)
{
    char *copy = strdup(path);
    if (!copy)
        return NULL;
    char *slash = strrchr(copy, '/');
    const char *dir = ".";
    if (slash == copy) {
        dir = "/";
    } else if (slash) {
        *slash = '\0';
        dir = copy;
    }
    char *abs = realpath(dir, NULL);
    free(copy);
    return abs;
}

int ps__config_load(ps__config_t *cfg, const char *path, ps__diag_t *diag)
{
    *cfg = (ps__config_t){ .path = strdup(path) };
    ps__buf_t why = PS_BUF_INIT;
    int probe = ps__infile_open(path, &why); /* iniparser would block on a FIFO */
    if (probe < 0) {
        ps__diag_add(diag, "configuration %s", ps__buf_str(&why));
        ps__buf_free(&why);
        return PS_ECONFIG;
    }
    close(probe);
    cfg->dir = absolute_dir_of(path);
    int scan_problems = ps__ini_scan(path, &cfg->lines, diag);
    iniparser_set_error_callback(capture_ini_error);
    cfg->ini = scan_problems ? NULL : iniparser_load(path);
    report_ini_errors(diag, path);
    if (!cfg->ini || !cfg->dir) {
        if (!diag->count)
            ps__diag_add(diag, "%s: cannot be loaded", path);
        return PS_ECONFIG;
    }
    int errors = refuse_retired_keys(cfg, diag);
    errors += read_core(cfg, diag);
    size_t plugin_sections = 0;
    for (int i = 0, n = iniparser_getnsec(cfg->ini); i < n; i++) {
        const char *section = iniparser_getsecname(cfg->ini, i);
        plugin_sections += strncmp(section, "plugin.", 7) == 0;
        errors += read_section(cfg, section, diag);
    }
    if (plugin_sections == 0) {
        ps__diag_add(diag, "%s: no [plugin.NAME] section: nothing to report", path);
        errors++;
    }
    errors += ps__wording_check(cfg, diag);
    return errors ? PS_ECONFIG : 0;
}

const ps__indicator_def_t *ps__config_indicator(const ps__config_t *cfg,
                                                const char *code)
{
    for (size_t i = 0; i < cfg->n_indicators; i++)
        if (strcmp(cfg->indicators[i].code, code) == 0)
            return &cfg->indicators[i];
    return NULL;
}

void ps__config_free(ps__config_t *cfg)
{
    for (size_t i = 0; i < cfg->n_sources; i++) {
        free(cfg->sources[i].name);
        free(cfg->sources[i].department);
        free(cfg->sources[i].pattern);
        free(cfg->sources[i].encoding);
        for (size_t k = 0; k < cfg->sources[i].n_columns; k++) {
            free(cfg->sources[i].columns[k].name);
            free(cfg->sources[i].columns[k].header);
        }
        free(cfg->sources[i].columns);
    }
    for (size_t i = 0; i < cfg->n_indicators; i++) {
        ps__indicator_def_t *d = &cfg->indicators[i];
        free(d->code);
        free(d->label);
        free(d->unit);
        free(d->display_unit);
    }
    for (size_t i = 0; i < cfg->n_instances; i++) {
        free(cfg->instances[i].name);
        free(cfg->instances[i].section);
        free(cfg->instances[i].module);
    }
    for (size_t i = 0; i < cfg->n_derived; i++) {
        ps__derived_def_t *d = &cfg->derived[i];
        free(d->name);
        free(d->section);
        free(d->expr_text);
        ps__expr_free(d->expr);
        free(d->label);
        free(d->unit);
        free(d->attach_to);
        free(d->sentence);
    }
    free(cfg->derived);
    for (size_t i = 0; i < cfg->n_audits; i++) {
        ps__audit_rule_t *r = &cfg->audits[i];
        free(r->name);
        free(r->section);
        ps__settings_free(&r->settings);
        ps__expr_free(r->left);
        ps__expr_free(r->right);
    }
    free(cfg->audits);
    ps__config_free_labels(cfg);
    free(cfg->explanations);
    free(cfg->sources);
    free(cfg->indicators);
    free(cfg->instances);
    ps__settings_free(&cfg->core);
    ps__ini_lines_free(&cfg->lines);
    if (cfg->ini)
        iniparser_freedict(cfg->ini);
    free(cfg->path);
    free(cfg->dir);
    free(cfg->zone);
    free(cfg->plugin_dir);
    free(cfg->output_dir);
    free(cfg->lock_file);
    free(cfg->history);
    *cfg = (ps__config_t){ 0 };
}
