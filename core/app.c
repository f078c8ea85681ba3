#include "config.h"

#include "app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report/audit.h"
#include "config/cli.h"
#include "config/conf.h"
#include "config/instance.h"
#include "num/period.h"
#include "cube/cube.h"
#include "report/derived.h"
#include "plugin/catalog.h"
#include "plugin/describe.h"
#include "base/diag.h"
#include "report/history.h"
#include "ledger/stocks.h"
#include "ledger/ledger.h"
#include "plugin/loader.h"
#include "base/lock.h"
#include "base/log.h"
#include "report/outline.h"
#include "base/outdir.h"
#include "base/output.h"
#include "render/publish.h"
#include "plugin/run.h"
#include "base/stopwatch.h"

/* Everything one invocation owns, freed in one place. */
typedef struct app {
    ps__cli_t cli;
    ps__config_t cfg;
    ps__diag_t diag;
    ps__modules_t modules;
    const ps__module_t **instance_modules;
    ps__settings_t *instance_settings;
    ps__cube_t *cube;
    ps__report_t report;
    ps__history_t *history;
    ps__buf_t err;
    uint64_t rows;
} app_t;

static void app_free(app_t *a)
{
    for (size_t i = 0; a->instance_settings && i < a->cfg.n_instances; i++)
        ps__settings_free(&a->instance_settings[i]);
    free(a->instance_settings);
    free(a->instance_modules);
    ps__history_close(a->history);
    ps__report_free(&a->report);
    ps__cube_free(a->cube);
    ps__modules_close(&a->modules);
    ps__config_free(&a->cfg);
    ps__diag_free(&a->diag);
    ps__buf_free(&a->err);
}

static int fail_with_diag(app_t *a)
{
    ps__diag_log(&a->diag);
    if (a->err.len)
        ps__log(PS_LOG_ERROR, "%s", ps__buf_str(&a->err));
    return PS_EXIT_USAGE;
}

static const char *plugin_dir(const app_t *a)
{
    const char *env = getenv("PARKSTAT_PLUGIN_DIR");
    if (a->cli.plugin_dir)
        return a->cli.plugin_dir;
    if (a->cfg.plugin_dir)
        return a->cfg.plugin_dir;
    return env && *env ? env : PS_DEFAULT_PLUGIN_DIR;
}

/* Starts the plugin loader, checking every module as the command line says. */
static int start_modules(app_t *a, const char *dir)
{
    if (ps__modules_init(&a->modules, dir, &a->err) < 0)
        return -1;
    a->modules.strict = !a->cli.no_strict_permissions;
    return 0;
}

/* The configuration is read only when nobody else could have written it. */
static int load_config(app_t *a, const char *path)
{
    if (!a->cli.no_strict_permissions && ps__config_check_trust(path, &a->diag) < 0)
        return PS_ECONFIG;
    return ps__config_load(&a->cfg, path, &a->diag);
}

/* Opens each instance's module and checks its section against its keys. */
static int load_instances(app_t *a)
{
    size_t n = a->cfg.n_instances;
    a->instance_modules = calloc(n, sizeof *a->instance_modules);
    a->instance_settings = calloc(n, sizeof *a->instance_settings);
    if (!a->instance_modules || !a->instance_settings)
        return -1;
    if (start_modules(a, plugin_dir(a)) < 0)
        return -1;
    int errors = 0;
    for (size_t i = 0; i < n; i++) {
        const ps__instance_t *inst = &a->cfg.instances[i];
        char *path = strchr(inst->module, '/') ? ps__config_resolve(&a->cfg, inst->module)
                                               : strdup(inst->module);
        ps__buf_t why = PS_BUF_INIT;
        int rc = path ? ps__modules_open(&a->modules, path, &a->instance_modules[i], &why)
                      : -1;
        free(path);
        if (rc < 0) {
            ps__diag_add(&a->diag, "%s: [%s] %s", a->cfg.path, inst->section,
                         ps__buf_str(&why));
            ps__buf_free(&why);
            errors++;
            continue;
        }
        ps__buf_free(&why);
        errors += ps__instance_settings_read(&a->cfg, inst, a->instance_modules[i]->plugin->keys,
                                             &a->instance_settings[i], &a->diag);
    }
    return errors ? -1 : 0;
}

/* Keeps what the report says of a source: who, how far, what was skipped. */
static int record_source(app_t *a, const ps__source_t *src, ps__ledger_stats_t *stats)
{
    ps__source_status_t status = {
        .name = strdup(src->name), .department = strdup(src->department),
        .last = stats->last_period, .lag = src->lag, .rows = stats->rows,
        .skipped = stats->skipped,
    };
    for (size_t k = 0; k < PS_LEDGER_SKIPS_KEPT; k++) {
        status.skips[k] = stats->skips[k];
        stats->skips[k] = NULL;
        if (status.skips[k])
            ps__log(PS_LOG_WARNING, "[source.%s] skipped a bad row: %s", src->name,
                    status.skips[k]);
    }
    a->rows += stats->rows;
    int rc = status.name && status.department ? ps__report_add_source(&a->report, &status)
                                              : PS_ENOMEM;
    if (rc < 0) {
        free(status.name);
        free(status.department);
        for (size_t k = 0; k < PS_LEDGER_SKIPS_KEPT; k++)
            free(status.skips[k]);
    }
    return rc;
}

/* How long a source took to read, at level info: where a run's time goes. */
static void log_read(const ps__source_t *src, const ps__ledger_stats_t *stats,
                     double seconds)
{
    char parts[64] = "";
    if (stats->parts > 1)
        snprintf(parts, sizeof parts, " (in %zu parts, by two threads)", stats->parts);
    ps__log(PS_LOG_INFO, "[source.%s] %llu rows read in %.2f s%s", src->name,
            (unsigned long long)stats->rows, seconds, parts);
}

static int read_ledgers(app_t *a)
{
    a->cube = ps__cube_new();
    if (!a->cube)
        return -1;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < a->cfg.n_sources; i++) {
        const ps__source_t *src = &a->cfg.sources[i];
        ps__buf_t section = PS_BUF_INIT;
        ps__buf_printf(&section, "source.%s", src->name);
        ps__ledger_opts_t opts = { .source = (uint32_t)i, .cumulative = src->cumulative,
                                   .section = ps__buf_str(&section), .cfg = &a->cfg,
                                   .skip_bad_rows = src->skip_bad_rows,
                                   .columns = src->columns, .n_columns = src->n_columns };
        ps__ledger_stats_t stats = { 0 };
        double started = ps__seconds();
        rc = ps__ledger_read_source(a->cube, src, &opts, &stats, &a->err);
        ps__buf_free(&section);
        if (rc == 0) {
            log_read(src, &stats, ps__seconds() - started);
            rc = record_source(a, src, &stats);
        }
        ps__ledger_stats_free(&stats);
    }
    return rc;
}

static int choose_period(app_t *a, ps_period_t *period)
{
    const char *given = a->cli.period;
    if (given) {
        if (ps__period_parse(given, strlen(given), period) == 0)
            return 0;
        ps__buf_printf(&a->err, "-p %s: not a month (expected YYYY-MM)", given);
        return -1;
    }
    *period = a->cfg.period ? a->cfg.period : ps__cube_max_period(a->cube);
    if (*period)
        return 0;
    ps__buf_puts(&a->err, "the ledgers hold no rows: nothing to report");
    return -1;
}

/* The time of the run, local, as 2023-11-05T08:30:00+0800; NULL if out of
   memory. */
static char *now_iso8601(void)
{
    char stamp[32];
    time_t now = time(NULL);
    struct tm local;
    if (!localtime_r(&now, &local) ||
        !strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S%z", &local))
        return strdup("");
    return strdup(stamp);
}

/* Every instance's section: in child processes, several at once, unless
   `isolate = no` runs them here one after another. */
static int run_instances(app_t *a, ps__run_t *run)
{
    size_t n = a->cfg.n_instances;
    if (!a->cfg.isolate) {
        for (size_t i = 0; i < n; i++)
            if (ps__run_instance(run, &a->cfg.instances[i], a->instance_modules[i],
                                 &a->instance_settings[i]) == PS_ENOMEM)
                return PS_ENOMEM;
        return 0;
    }
    ps__job_t *jobs = calloc(n ? n : 1, sizeof *jobs);
    if (!jobs)
        return PS_ENOMEM;
    for (size_t i = 0; i < n; i++)
        jobs[i] = (ps__job_t){ &a->cfg.instances[i], a->instance_modules[i],
                               &a->instance_settings[i],
                               ps__instance_timeout(&a->instance_settings[i]) };
    int rc = ps__run_isolated(run, jobs, n);
    free(jobs);
    return rc;
}

static int compute(app_t *a, ps_period_t period)
{
    a->report.zone = strdup(a->cfg.zone ? a->cfg.zone : "");
    a->report.period = period;
    a->report.progress_tolerance = a->cfg.progress_tolerance;
    if (a->cfg.generated_at && !(a->report.generated_at = now_iso8601()))
        return -1;
    ps__run_t run = { .cfg = &a->cfg, .cube = a->cube, .period = period,
                      .report = &a->report };
    size_t first = a->report.n_sections, config_errors = 0;
    if (run_instances(a, &run) == PS_ENOMEM)
        return -1;
    for (size_t i = first; i < a->report.n_sections; i++) {
        const ps__section_t *done = &a->report.sections[i];
        if (done->config_error) /* all of them at once, like --check */
            ps__diag_add(&a->diag, "%s", done->error);
        else if (done->error)
            ps__log(PS_LOG_ERROR, "%s", done->error);
        config_errors += done->config_error;
    }
    return config_errors ? -1 : 0;
}

/* Before the audit, so that the explanations file explains revisions too;
   --check records nothing. */
static int record_history(app_t *a)
{
    if (!a->cfg.history || a->cli.check)
        return 0;
    return ps__history_open(a->cfg.history, &a->history, &a->err) < 0 ||
                   ps__history_record(a->history, &a->report, &a->err) < 0
               ? -1 : 0;
}

/* The history's transaction ends only once the outputs are written: a run
   that writes no report records nothing, so a revision it found is found
   again by the next run. */
static int commit_history(app_t *a)
{
    if (!a->history || ps__history_commit(a->history, &a->err) == 0)
        return 0;
    ps__log(PS_LOG_ERROR, "%s; the report was written, but this run is not recorded",
            ps__buf_str(&a->err));
    return -1;
}

static const char *output_dir(const app_t *a)
{
    return a->cli.output_dir ? a->cli.output_dir : a->cfg.output_dir;
}

/* Checked before anything is computed (`create` 0), made only when the
   report is about to be published: a refused run leaves nothing behind,
   not even an empty directory. */
static int prepare_output_dir(app_t *a, int create)
{
    const char *dir = output_dir(a);
    if (!dir)
        return 0;
    int rc = ps__outdir_prepare(dir, create, &a->err);
    if (rc > 0)
        ps__log(PS_LOG_INFO, "created the output directory %s", dir);
    return rc < 0 ? -1 : 0;
}

static int write_outputs(app_t *a, unsigned formats)
{
    ps__render_opts_t opts = { .csv_bom = a->cfg.csv_bom,
                               .csv_headers_zh = a->cfg.csv_headers_zh };
    if (a->cli.check)
        return ps__render_only(&a->report, formats, &opts, &a->err);
    if (prepare_output_dir(a, 1) < 0)
        return -1;
    return ps__publish(&a->report, formats, output_dir(a), &opts, &a->err);
}

/* Calls `each` on every module of the plugin directory (a libtool .la, or a
   bare .so as a department installs one), once each, in name order; a
   module that does not load is reported and skipped, and makes the exit
   status 2, as it would make a run's. */
static int for_each_plugin(app_t *a, void (*each)(FILE *, const ps__module_t *))
{
    const char *dir = plugin_dir(a);
    ps__catalog_t held;
    if (ps__catalog_read(&held, dir) < 0 || !held.n || start_modules(a, dir) < 0) {
        ps__catalog_free(&held);
        ps__log(PS_LOG_ERROR, "no plugin found in %s", dir);
        return PS_EXIT_USAGE;
    }
    int failed = 0;
    for (size_t i = 0; i < held.n; i++) {
        const ps__module_t *mod;
        ps__buf_t why = PS_BUF_INIT;
        if (ps__modules_open(&a->modules, held.names[i], &mod, &why) == 0) {
            each(stdout, mod);
        } else {
            ps__log(PS_LOG_ERROR, "%s", ps__buf_str(&why));
            failed = 1;
        }
        ps__buf_free(&why);
    }
    ps__catalog_free(&held);
    return failed ? PS_EXIT_USAGE : PS_EXIT_OK;
}

static int describe(app_t *a)
{
    const ps__module_t *mod;
    if (start_modules(a, plugin_dir(a)) < 0 ||
        ps__modules_open(&a->modules, a->cli.describe, &mod, &a->err) < 0)
        return fail_with_diag(a);
    ps__describe_plugin(stdout, mod);
    return PS_EXIT_OK;
}

/* Plugin information needs a configuration only to find the plugin
   directory, and only when -c names one. */
static int plugin_info(app_t *a)
{
    if (a->cli.config && load_config(a, a->cli.config) < 0)
        return fail_with_diag(a);
    if (a->cli.describe)
        return describe(a);
    if (a->cli.man_keys) {
        ps__describe_core_man(stdout);
        return for_each_plugin(a, ps__describe_plugin_man);
    }
    return for_each_plugin(a, ps__describe_line);
}

/* Audit findings that need someone's attention go to the log too. */
static void log_findings(const ps__report_t *r)
{
    for (size_t i = 0; i < r->n_findings; i++) {
        const ps__finding_t *f = &r->findings[i];
        if (f->severity == PS_SEVERITY_ERROR)
            ps__log(PS_LOG_ERROR, "audit [%s]: %s", f->rule, f->text);
        else if (!f->explanation)
            ps__log(PS_LOG_WARNING, "audit [%s] needs an explanation: %s", f->rule, f->text);
    }
}

/* --check ran everything a run does but record and write: it passes only
   when the run would write the whole report. */
static int check_verdict(app_t *a)
{
    size_t failed = ps__report_failures(&a->report);
    int audit_fails = ps__audit_fails(&a->cfg, &a->report);
    if (failed || audit_fails) {
        ps__log(PS_LOG_ERROR, "%s: a run would not write the whole report: %zu of %zu "
                "sections failed%s", a->cfg.path, failed, a->report.n_sections,
                audit_fails ? ", and the audit fails it" : "");
        return PS_EXIT_USAGE;
    }
    if (!a->cli.quiet)
        printf("%s: OK: %zu sources, %llu rows, %zu plugin instances\n", a->cfg.path,
               a->cfg.n_sources, (unsigned long long)a->rows, a->cfg.n_instances);
    return PS_EXIT_OK;
}

/* Logging as the configuration says, and the checks of -q. */
static int prepare(app_t *a)
{
    ps__log_open(a->cfg.log_to_syslog, a->cfg.log_facility, a->cfg.log_level);
    if (a->cli.quiet && !a->cli.check && !a->cli.output_dir && !a->cfg.output_dir) {
        ps__buf_puts(&a->err, "-q needs an output directory (-o DIR or output_dir): "
                              "the report would go to standard output");
        return -1;
    }
    return 0;
}

static int run(app_t *a)
{
    double started = ps__seconds();
    const char *path = a->cli.config ? a->cli.config : PS_DEFAULT_CONFIG;
    if (a->cli.list_plugins || a->cli.describe || a->cli.man_keys)
        return plugin_info(a);
    /* Every mistake in one pass: plugin sections are checked even when the
       core's own sections had errors, as long as the file could be read. */
    int config_rc = load_config(a, path);
    if (!a->cfg.ini || prepare(a) < 0)
        return fail_with_diag(a);
    int instances_rc = load_instances(a);
    if (config_rc < 0 || instances_rc < 0)
        return fail_with_diag(a);
    unsigned formats = a->cfg.formats;
    const char *bad = "";
    if (a->cli.formats && ps__formats_parse(a->cli.formats, &formats, &bad) < 0) {
        ps__buf_printf(&a->err, "-f %s: unknown format '%s' "
                       "(expected text, json, html, csv, prom or xlsx)", a->cli.formats, bad);
        return fail_with_diag(a);
    }
    int lock_rc = a->cli.check ? 0 : ps__lock_take(a->cfg.lock_file, &a->err);
    if (lock_rc < 0) { /* only a held lock is worth trying again later */
        ps__log(PS_LOG_ERROR, "%s", ps__buf_str(&a->err));
        return lock_rc == PS_EEXISTS ? PS_EXIT_LOCKED : PS_EXIT_USAGE;
    }
    ps_period_t period;
    if (prepare_output_dir(a, 0) < 0 || read_ledgers(a) < 0 || choose_period(a, &period) < 0 ||
        ps__ledger_check_stocks(a->cube, &a->cfg, &a->err) < 0 ||
        ps__ledger_carry_forward(a->cube, &a->cfg, period, &a->err) < 0)
        return fail_with_diag(a);
    if (compute(a, period) < 0 || ps__derived_evaluate(&a->cfg, &a->report, &a->diag) < 0 ||
        record_history(a) < 0 || ps__audit_run(&a->cfg, a->cube, &a->report, &a->diag) < 0 ||
        ps__outline_apply(&a->cfg, &a->report) < 0 || write_outputs(a, formats) < 0)
        return fail_with_diag(a);
    log_findings(&a->report);
    if (a->cli.check)
        return check_verdict(a);
    if (commit_history(a) < 0)
        return PS_EXIT_PARTIAL;
    size_t failed = ps__report_failures(&a->report);
    ps__log(PS_LOG_INFO, "report for %04d-%02d written in %.2f s: %zu sections, "
            "%zu failed, %zu audit findings", ps_period_year(period), ps_period_month(period),
            ps__seconds() - started, a->report.n_sections, failed, a->report.n_findings);
    return failed || ps__audit_fails(&a->cfg, &a->report) ? PS_EXIT_PARTIAL : PS_EXIT_OK;
}

int ps__app_main(int argc, char **argv)
{
    app_t a = { 0 };
    int status;
    if (ps__cli_parse(argc, argv, &a.cli, &a.err) < 0) {
        fprintf(stderr, "parkstat: %s\n", ps__buf_str(&a.err));
        fprintf(stderr, "Try 'parkstat --help'.\n");
        status = PS_EXIT_USAGE;
    } else if (a.cli.help) {
        ps__cli_usage(stdout);
        status = PS_EXIT_OK;
    } else if (a.cli.version) {
        printf("parkstat %s (plugin ABI %d.%d)\n", PS_PACKAGE_VERSION, PS_ABI_MAJOR,
               PS_ABI_MINOR);
        status = PS_EXIT_OK;
    } else {
        status = run(&a);
    }
    app_free(&a);
    return status;
}
