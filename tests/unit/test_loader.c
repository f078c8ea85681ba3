/*
 * Unit tests of core/plugin/loader.h: the test plugins of tests/plugins, each with
 * one fault, opened from $PARKSTAT_TEST_PLUGIN_DIR; descriptors built here
 * for ps__plugin_check; and the good plugin run against the real API.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <iniparser/iniparser.h>

#include <parkstat/plugin.h>
#include <parkstat/version.h>

#include "cube/cube.h"
#include "config/instance.h"
#include "plugin/catalog.h"
#include "plugin/loader.h"
#include "plugin/probe.h"
#include "report/report.h"
#include "plugin/run.h"
#include "config/settings.h"
#include "report/template.h"
#include "testutil.h"

#define P TU_PERIOD

typedef struct fixture {
    const char *dir;
    ps__modules_t modules;
    ps__buf_t err;
} fixture_t;

static int setup(void **state)
{
    static fixture_t f;
    f = (fixture_t){ .dir = getenv("PARKSTAT_TEST_PLUGIN_DIR") };
    if (!f.dir || !*f.dir) {
        fprintf(stderr, "PARKSTAT_TEST_PLUGIN_DIR is not set: run through make check\n");
        return -1;
    }
    if (ps__modules_init(&f.modules, f.dir, &f.err) != 0) {
        fprintf(stderr, "%s\n", ps__buf_str(&f.err));
        return -1;
    }
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    ps__modules_close(&f->modules);
    ps__buf_free(&f->err);
    return 0;
}

/* Where libtool put the test plugin `name`: what the loader names in errors. */
static const char *file_of(const fixture_t *f, const char *name)
{
    static char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/.libs/%s.so", f->dir, name);
    return path;
}

static const ps__module_t *open_ok(fixture_t *f, const char *request)
{
    const ps__module_t *mod = NULL;
    int rc = ps__modules_open(&f->modules, request, &mod, &f->err);
    if (rc != 0)
        fail_msg("%s: %s", request, ps__buf_str(&f->err));
    assert_non_null(mod);
    return mod;
}

/* Opens a module that must be refused with `rc`; its message is returned. */
static const char *open_refused(fixture_t *f, const char *request, int rc)
{
    const ps__module_t *mod = NULL;
    size_t before = f->modules.n;
    ps__buf_reset(&f->err);
    assert_int_equal(ps__modules_open(&f->modules, request, &mod, &f->err), rc);
    assert_int_equal(f->modules.n, before); /* nothing kept */
    return ps__buf_str(&f->err);
}

/* ---- loading the test plugins ------------------------------------------------ */

static void good_loads_with_a_sane_descriptor(void **state)
{
    fixture_t *f = *state;
    const ps__module_t *mod = open_ok(f, "good");
    const ps_plugin_t *p = mod->plugin;
    assert_string_equal(mod->request, "good");
    assert_string_equal(mod->file, file_of(f, "good"));
    assert_int_equal(p->abi_major, PS_ABI_MAJOR);
    assert_int_equal(p->abi_minor, PS_ABI_MINOR);
    assert_string_equal(p->name, "good");
    assert_string_equal(p->version, "1.0");
    assert_string_equal(p->description, "the year to date of one ledger indicator");
    assert_non_null(p->compute);
    for (size_t i = 0; i < sizeof p->reserved / sizeof p->reserved[0]; i++)
        assert_null(p->reserved[i]);
    assert_non_null(p->keys);
    assert_string_equal(p->keys[0].name, "title");
    assert_int_equal(p->keys[0].type, PS_KEY_STRING);
    assert_string_equal(p->keys[0].default_value, "测试");
    assert_string_equal(p->keys[1].name, "indicator");
    assert_int_equal(p->keys[1].type, PS_KEY_STRING);
    assert_string_equal(p->keys[1].default_value, "fai");
    assert_null(p->keys[2].name);
    ps__buf_t why = PS_BUF_INIT;
    assert_int_equal(ps__key_table_check(p->keys, &why), 0);
    ps__buf_free(&why);
}

static void same_request_twice_gives_the_same_module(void **state)
{
    fixture_t *f = *state;
    const ps__module_t *first = open_ok(f, "good");
    const ps__module_t *second = open_ok(f, "good");
    assert_ptr_equal(first, second);
    assert_int_equal(f->modules.n, 1);
}

/* A request with a '/' is a path, used as it is. */
static void module_by_path(void **state)
{
    fixture_t *f = *state;
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/good", f->dir);
    const ps__module_t *mod = open_ok(f, path);
    assert_string_equal(mod->plugin->name, "good");
    assert_string_equal(mod->file, file_of(f, "good"));
}

/* A bare name the plugin directory does not hold is taken for a typo. */
static void missing_module_named(void **state)
{
    fixture_t *f = *state;
    char want[PATH_MAX + 64];
    snprintf(want, sizeof want, "no plugin 'goood' in the plugin directory (did you mean "
             "'good'? %s holds: ", f->dir);
    const char *got = open_refused(f, "goood", PS_ENOENT);
    assert_memory_equal(got, want, strlen(want));
    assert_non_null(strstr(got, ", good, "));
    snprintf(want, sizeof want, "cannot load plugin /nonexistent/dir/tax: no such module "
             "(looked for /nonexistent/dir/tax, /nonexistent/dir/tax.la and "
             "/nonexistent/dir/tax.so)");
    assert_string_equal(open_refused(f, "/nonexistent/dir/tax", PS_EPLUGIN), want);
}

static const char *catalog_hint(const char *dir, const char *wanted, ps__buf_t *out)
{
    ps__catalog_t held;
    assert_int_equal(ps__catalog_read(&held, dir), 0);
    ps__buf_reset(out);
    ps__catalog_hint(&held, "DIR", wanted, out);
    ps__catalog_free(&held);
    return ps__buf_str(out);
}

/* A module is a .la or a .so, listed once by its name; other files are not. */
static void catalog_lists_each_module_once(void **state)
{
    (void)state;
    tu_dir_t d;
    tu_dir_make(&d);
    ps__buf_t hint = PS_BUF_INIT;
    assert_string_equal(catalog_hint(d.path, "tax", &hint), " (DIR holds no plugin)");
    static const char *const files[] = { "tax.la", "tax.so", "land.so", "output.la",
                                         "README", "tax.c" };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        free(tu_dir_write(&d, files[i], ""));
    assert_string_equal(catalog_hint(d.path, "taxes", &hint),
                        " (did you mean 'tax'? DIR holds: land, output, tax)");
    assert_string_equal(catalog_hint(d.path, "finance", &hint),
                        " (DIR holds: land, output, tax)");
    tu_dir_remove(&d);
    assert_string_equal(catalog_hint("/nonexistent/plugins", "tax", &hint),
                        " (there is no directory DIR)");
    ps__buf_free(&hint);
}

static void no_descriptor_refused(void **state)
{
    fixture_t *f = *state;
    char want[PATH_MAX + 256];
    snprintf(want, sizeof want, "%s: not a parkstat plugin: it exports no descriptor "
             "(expected no_descriptor_LTX_ps_plugin or ps_plugin, defined with PS_PLUGIN)",
             file_of(f, "no_descriptor"));
    assert_string_equal(open_refused(f, "no_descriptor", PS_EPLUGIN), want);
}

static void abi_major_refused_naming_both(void **state)
{
    fixture_t *f = *state;
    char want[PATH_MAX + 256];
    snprintf(want, sizeof want, "%s: plugin ABI %d.%d is not supported by this parkstat "
             "(ABI %d.%d): rebuild the plugin against parkstat %s", file_of(f, "abi_major"),
             PS_ABI_MAJOR + 1, PS_ABI_MINOR, PS_ABI_MAJOR, PS_ABI_MINOR, PS_PACKAGE_VERSION);
    assert_string_equal(open_refused(f, "abi_major", PS_EABI), want);
}

static void abi_minor_refused(void **state)
{
    fixture_t *f = *state;
    char want[PATH_MAX + 256];
    snprintf(want, sizeof want, "%s: plugin needs ABI %d.%d but this parkstat provides "
             "%d.%d: upgrade parkstat", file_of(f, "abi_minor"),
             PS_ABI_MAJOR, PS_ABI_MINOR + 1, PS_ABI_MAJOR, PS_ABI_MINOR);
    assert_string_equal(open_refused(f, "abi_minor", PS_EABI), want);
}

static void bad_keys_refused_with_reason(void **state)
{
    fixture_t *f = *state;
    char want[PATH_MAX + 256];
    snprintf(want, sizeof want, "%s: plugin 'bad_keys': key 'Indicator' is not a "
             "lower-case INI key name", file_of(f, "bad_keys"));
    assert_string_equal(open_refused(f, "bad_keys", PS_EPLUGIN), want);
}

static void same_name_refused_after_good(void **state)
{
    fixture_t *f = *state;
    open_ok(f, "good");
    char want[2 * PATH_MAX + 64];
    char good_file[PATH_MAX];
    snprintf(good_file, sizeof good_file, "%s", file_of(f, "good"));
    snprintf(want, sizeof want, "%s: plugin name 'good' is already taken by %s",
             file_of(f, "same_name"), good_file);
    assert_string_equal(open_refused(f, "same_name", PS_EEXISTS), want);
    /* good itself is still there */
    assert_string_equal(f->modules.items[0]->plugin->name, "good");
}

/* The name is refused because it is taken, not for itself. */
static void same_name_alone_loads(void **state)
{
    fixture_t *f = *state;
    const ps__module_t *mod = open_ok(f, "same_name");
    assert_string_equal(mod->plugin->name, "good");
    assert_string_equal(mod->plugin->version, "2.0");
}

/* A refused module leaves the others usable. */
static void refusals_leave_loaded_modules_alone(void **state)
{
    fixture_t *f = *state;
    const ps__module_t *good = open_ok(f, "good");
    open_refused(f, "abi_major", PS_EABI);
    open_refused(f, "no_descriptor", PS_EPLUGIN);
    open_refused(f, "missing", PS_ENOENT);
    assert_ptr_equal(open_ok(f, "good"), good);
    assert_string_equal(good->plugin->keys[0].default_value, "测试");
}

/* ---- modules that crash, exit or hang while loading --------------------------- */

/* Each is loaded in a child process first; `how` is how that child ended. */
static const struct load_fault {
    const char *module, *how;
} load_faults[] = {
    { "ctor_segv", "crashed while loading (signal 11, Segmentation fault)" },
    { "keys_unterminated", "crashed while loading (signal 11, Segmentation fault)" },
    { "ctor_exit", "exited while loading (status 3)" },
    { "ctor_hang", "did not finish loading within 1 s" },
};

static void load_faults_refused_naming_file_and_end(void **state)
{
    fixture_t *f = *state;
    const ps__module_t *good = open_ok(f, "good");
    f->modules.probe_timeout_ms = 1000;
    for (size_t i = 0; i < sizeof load_faults / sizeof load_faults[0]; i++) {
        const struct load_fault *c = &load_faults[i];
        char want[PATH_MAX + 256];
        print_message("module: %s\n", c->module);
        snprintf(want, sizeof want, "plugin '%s' (%s): %s", c->module,
                 file_of(f, c->module), c->how);
        assert_string_equal(open_refused(f, c->module, PS_EPLUGIN), want);
    }
    /* this process lived through them, and what it had loaded still works */
    assert_ptr_equal(open_ok(f, "good"), good);
    assert_string_equal(good->plugin->keys[0].default_value, "测试");
}

/* A module named by its path is named by its file's base name. */
static void load_fault_by_path(void **state)
{
    fixture_t *f = *state;
    char path[PATH_MAX], want[2 * PATH_MAX];
    snprintf(path, sizeof path, "%s/ctor_segv.la", f->dir);
    snprintf(want, sizeof want, "plugin 'ctor_segv' (%s): crashed while loading "
             "(signal 11, Segmentation fault)", file_of(f, "ctor_segv"));
    assert_string_equal(open_refused(f, path, PS_EPLUGIN), want);
}

/* A module that loads well is probed like any other, and loaded. */
static void probe_lets_good_modules_through(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(f->modules.probe_timeout_ms, PS_PROBE_TIMEOUT_MS);
    for (const char *const *m = (const char *const[]){ "good", "faulty", "forks", NULL }; *m; m++)
        assert_string_equal(open_ok(f, *m)->plugin->name, *m);
    assert_int_equal(f->modules.n, 3);
}

/* ---- ps__plugin_check on descriptors built here ----------------------------------- */

static int noop_compute(ps_ctx_t *ctx, const ps_api_t *api)
{
    (void)ctx;
    (void)api;
    return 0;
}

static const ps_key_t ok_keys[] = {
    { .name = "target", .type = PS_KEY_AMOUNT, .flags = PS_KEY_PER_YEAR },
    { .name = "split_by", .type = PS_KEY_STRING, .default_value = "collector" },
    { .name = NULL },
};
static const ps_key_t no_keys[] = { { .name = NULL } };
static const ps_key_t upper_keys[] = { { .name = "splitBy", .type = PS_KEY_STRING },
                                       { .name = NULL } };
static const ps_key_t bad_default_keys[] = {
    { .name = "decimals", .type = PS_KEY_INT, .default_value = "two", .min = 0, .max = 4 },
    { .name = NULL } };
static const ps_key_t bad_amount_default_keys[] = {
    { .name = "target.2023", .type = PS_KEY_AMOUNT, .default_value = "约55亿" },
    { .name = NULL } };

#define DESC(major, minor, name_, keys_, compute_)                             \
    { .abi_major = (major), .abi_minor = (minor), .name = (name_), .version = "1",    \
      .description = "built by the test", .keys = (keys_), .compute = (compute_) }

/* The messages below spell the ABI out: update them with a new ABI. */
_Static_assert(PS_ABI_MAJOR == 1 && PS_ABI_MINOR == 6, "check_cases assume ABI 1.6");

static const struct check_case {
    const char *what;
    ps_plugin_t desc;
    int rc;
    const char *error;
} check_cases[] = {
    { "sane", DESC(PS_ABI_MAJOR, PS_ABI_MINOR, "tax", ok_keys, noop_compute), 0, "" },
    { "no keys at all", DESC(PS_ABI_MAJOR, PS_ABI_MINOR, "tax", no_keys, noop_compute), 0, "" },
    { "older minor", DESC(PS_ABI_MAJOR, 0, "tax", ok_keys, noop_compute), 0, "" },
    { "older major", DESC(PS_ABI_MAJOR - 1, 0, "tax", ok_keys, noop_compute), PS_EABI,
      "x.so: plugin ABI 0.0 is not supported by this parkstat (ABI 1.6): rebuild the "
      "plugin against parkstat " PS_PACKAGE_VERSION },
    { "newer major", DESC(PS_ABI_MAJOR + 1, 0, "tax", ok_keys, noop_compute), PS_EABI,
      "x.so: plugin ABI 2.0 is not supported by this parkstat (ABI 1.6): rebuild the "
      "plugin against parkstat " PS_PACKAGE_VERSION },
    { "newer minor", DESC(PS_ABI_MAJOR, PS_ABI_MINOR + 1, "tax", ok_keys, noop_compute),
      PS_EABI, "x.so: plugin needs ABI 1.7 but this parkstat provides 1.6: upgrade parkstat" },
    { "no name", DESC(PS_ABI_MAJOR, PS_ABI_MINOR, NULL, ok_keys, noop_compute), PS_EPLUGIN,
      "x.so: the plugin descriptor has no name" },
    { "empty name", DESC(PS_ABI_MAJOR, PS_ABI_MINOR, "", ok_keys, noop_compute), PS_EPLUGIN,
      "x.so: the plugin descriptor has no name" },
    { "no compute", DESC(PS_ABI_MAJOR, PS_ABI_MINOR, "tax", ok_keys, NULL), PS_EPLUGIN,
      "x.so: the plugin descriptor has no compute callback" },
    { "no key table", DESC(PS_ABI_MAJOR, PS_ABI_MINOR, "tax", NULL, noop_compute), PS_EPLUGIN,
      "x.so: plugin 'tax': its key table is NULL" },
    { "upper-case key", DESC(PS_ABI_MAJOR, PS_ABI_MINOR, "tax", upper_keys, noop_compute),
      PS_EPLUGIN, "x.so: plugin 'tax': key 'splitBy' is not a lower-case INI key name" },
    { "default that does not parse",
      DESC(PS_ABI_MAJOR, PS_ABI_MINOR, "tax", bad_default_keys, noop_compute), PS_EPLUGIN,
      "x.so: plugin 'tax': default of key 'decimals' ('two') is not a whole number" },
    { "amount default that does not parse",
      DESC(PS_ABI_MAJOR, PS_ABI_MINOR, "tax", bad_amount_default_keys, noop_compute),
      PS_EPLUGIN, "x.so: plugin 'tax': default of key 'target.2023' ('约55亿') is not an "
      "amount (expected a number with an optional unit, such as 55亿, 3771万元 or 63个)" },
};

static void plugin_check_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof check_cases / sizeof check_cases[0]; i++) {
        const struct check_case *c = &check_cases[i];
        ps__buf_t err = PS_BUF_INIT;
        print_message("case: %s\n", c->what);
        assert_int_equal(ps__plugin_check(&c->desc, "x.so", &err), c->rc);
        assert_string_equal(ps__buf_str(&err), c->error);
        ps__buf_free(&err);
    }
}

/* ---- the good plugin against the real API ------------------------------------------- */

static ps__indicator_def_t declared[] = {
    { .code = (char *)"fai", .label = (char *)"固定资产投资", .unit = (char *)"万元",
      .rate_decimals = 2 },
};

/* Runs [plugin.good] of `ini_text` over a ledger of investment rows for the
   October 2023 report; the section is left in *report. */
static int run_good(fixture_t *f, const char *ini_text, ps__report_t *report)
{
    const ps__module_t *mod = open_ok(f, "good");
    tu_dir_t dir;
    tu_dir_make(&dir);
    char *path = tu_dir_write(&dir, "parkstat.ini", ini_text);
    dictionary *ini = iniparser_load(path);
    assert_non_null(ini);
    ps__settings_t settings = { 0 };
    ps__diag_t diag = { 0 };
    const ps_key_t *tables[] = { ps__instance_keys, mod->plugin->keys };
    assert_int_equal(ps__settings_read(&settings, &(ps__ini_file_t){ .dict = ini, .path = path }, "plugin.good", tables, 2, &diag), 0);

    ps__config_t cfg = tu_config_with(declared, 1);
    ps__cube_t *cube = ps__cube_new();
    uint32_t fai;
    assert_int_equal(ps__intern_id(ps__cube_strings(cube), "fai", 3, &fai), 0);
    assert_int_equal(ps__cube_set_unit(cube, fai, PS_UNIT_MONEY), 0);
    static const struct { int year, month; int64_t yuan; } rows[] = {
        { 2022, 12, 900000000 }, { 2023, 1, 1000000000 }, { 2023, 5, 732000000 },
        { 2023, 9, 500000000 },  { 2023, 11, 70000000 },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ps__cell_key_t key = { .indicator = fai,
                               .period = P(rows[i].year, rows[i].month) };
        assert_int_equal(ps__cube_add(cube, &key, tu_yuan(rows[i].yuan), 2), 0);
    }
    assert_int_equal(ps__cube_seal(cube, NULL, NULL), 0);
    ps__instance_t inst = { .name = (char *)"good", .section = (char *)"plugin.good",
                            .module = (char *)"good" };
    ps__run_t run = { .cfg = &cfg, .cube = cube, .period = P(2023, 10), .report = report };
    report->period = run.period;
    int rc = ps__run_instance(&run, &inst, mod, &settings);

    ps__cube_free(cube);
    ps__settings_free(&settings);
    ps__diag_free(&diag);
    iniparser_freedict(ini);
    free(path);
    tu_dir_remove(&dir);
    return rc;
}

static void good_emits_the_year_to_date(void **state)
{
    fixture_t *f = *state;
    ps__report_t report = { 0 };
    assert_int_equal(run_good(f, "[plugin.good]\nmodule = good\ntitle = 新增部分\n", &report), 0);
    assert_int_equal(report.n_sections, 1);
    const ps__section_t *s = &report.sections[0];
    assert_null(s->error);
    assert_string_equal(s->name, "good");
    assert_string_equal(s->module, "good");
    assert_string_equal(s->title, "新增部分");
    assert_int_equal(s->n_inds, 1);
    const ps__ind_t *ytd = &s->inds[0];
    assert_string_equal(ytd->key, "ytd");
    assert_string_equal(ytd->label, "固定资产投资");
    assert_string_equal(ytd->code, "fai");
    assert_null(ytd->parent);
    /* January to September: the latest month with data up to October */
    assert_true(ytd->value.raw == tu_yuan(2232000000));
    assert_string_equal(ytd->value.unit, "元");
    assert_int_equal(ytd->asof, P(2023, 9));
    assert_false(ps_value_present(ytd->target));
    assert_int_equal(s->n_sentences, 1);
    assert_int_equal(s->sentences[0].kind, PS_SENTENCE_BODY);
    assert_string_equal(s->sentences[0].tmpl, "本年累计{ytd}");
    ps__buf_t text = PS_BUF_INIT;
    ps__template_expand(&text, &report, s, s->sentences[0].tmpl, NULL);
    assert_string_equal(ps__buf_str(&text), "本年累计22.32亿元（至9月底）");
    ps__buf_free(&text);
    ps__report_free(&report);
}

/* With no key set, the defaults: title 测试, indicator fai. */
static void good_defaults(void **state)
{
    fixture_t *f = *state;
    ps__report_t report = { 0 };
    assert_int_equal(run_good(f, "[plugin.good]\nmodule = good\n", &report), 0);
    assert_string_equal(report.sections[0].title, "测试");
    assert_string_equal(report.sections[0].inds[0].code, "fai");
    ps__report_free(&report);
}

static void good_fails_without_data(void **state)
{
    fixture_t *f = *state;
    ps__report_t report = { 0 };
    assert_int_equal(run_good(f, "[plugin.good]\nmodule = good\nindicator = nothing\n",
                              &report),
                     PS_ENOENT);
    const ps__section_t *s = &report.sections[0];
    assert_string_equal(s->error, "plugin good: the ledgers hold no data for indicator "
                                  "'nothing' up to the report period");
    assert_int_equal(s->n_inds, 0);
    assert_int_equal(s->n_sentences, 0);
    assert_int_equal(ps__report_failures(&report), 1);
    ps__report_free(&report);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(good_loads_with_a_sane_descriptor),
        T(same_request_twice_gives_the_same_module),
        T(module_by_path),
        T(missing_module_named),
        T(no_descriptor_refused),
        T(abi_major_refused_naming_both),
        T(abi_minor_refused),
        T(bad_keys_refused_with_reason),
        T(same_name_refused_after_good),
        T(same_name_alone_loads),
        T(refusals_leave_loaded_modules_alone),
        T(load_faults_refused_naming_file_and_end),
        T(load_fault_by_path),
        T(probe_lets_good_modules_through),
        cmocka_unit_test(plugin_check_table),
        cmocka_unit_test(catalog_lists_each_module_once),
        T(good_emits_the_year_to_date),
        T(good_defaults),
        T(good_fails_without_data),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
