/* Unit tests of core/config/settings.h (key tables) and core/config/conf.h (parkstat.ini). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <iniparser/iniparser.h>

#include <parkstat/error.h>
#include <parkstat/plugin.h>

#include "config/conf.h"
#include "config/instance.h"
#include "num/period.h"
#include "base/diag.h"
#include "config/settings.h"
#include "testutil.h"

#define P TU_PERIOD

/* A plugin's key table with one key of every kind. */
static const ps_key_t plugin_keys[] = {
    { .name = "title", .type = PS_KEY_STRING, .default_value = "标题", .help = "the heading" },
    { .name = "count", .type = PS_KEY_INT, .default_value = "3", .min = 1, .max = 10,
      .help = "how many" },
    { .name = "offset", .type = PS_KEY_INT, .help = "any whole number" },
    { .name = "enabled", .type = PS_KEY_BOOL, .default_value = "yes", .help = "on or off" },
    { .name = "goal", .type = PS_KEY_AMOUNT, .help = "an amount" },
    { .name = "target", .type = PS_KEY_AMOUNT, .flags = PS_KEY_PER_YEAR,
      .help = "the annual target" },
    { .name = "collectors", .type = PS_KEY_LIST, .default_value = "国税,地税",
      .help = "a list" },
    { .name = "mode", .type = PS_KEY_CHOICE, .default_value = "flow",
      .choices = "flow|cumulative", .help = "a choice" },
    { .name = "template.summary", .type = PS_KEY_TEMPLATE, .default_value = "完成{x}",
      .help = "a template" },
    { .name = "indicator", .type = PS_KEY_STRING, .flags = PS_KEY_REQUIRED,
      .help = "the ledger indicator" },
    { .name = NULL },
};

/* A directory for the test's files and what reading them gives. */
typedef struct fixture {
    tu_conf_t conf; /* first: tu_fixture_new() sets it up */
    dictionary *ini;
    ps__settings_t settings;
} fixture_t;

static int setup(void **state)
{
    *state = tu_fixture_new(sizeof(fixture_t));
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    if (f->ini)
        iniparser_freedict(f->ini);
    ps__settings_free(&f->settings);
    tu_fixture_free(f);
    return 0;
}

/* Reads [plugin.x] of `text` against the instance keys and plugin_keys, as
   the core reads a plugin's section; messages name the file "test.ini". */
static int read_plugin_section(fixture_t *f, const char *text)
{
    f->ini = iniparser_load(tu_conf_write(&f->conf, "test.ini", text));
    assert_non_null(f->ini);
    const ps_key_t *tables[] = { ps__instance_keys, plugin_keys };
    return ps__settings_read(&f->settings, &(ps__ini_file_t){ .dict = f->ini, .path = "test.ini" }, "plugin.x", tables, 2,
                             &f->conf.diag);
}

/* Asserts the diagnostics are exactly `expected` (n messages, in order). */
static void assert_diag(const ps__diag_t *d, const char *const *expected, size_t n)
{
    tu_print_diag(d);
    assert_int_equal(d->count, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(d->messages[i], expected[i]);
    assert_false(d->out_of_memory);
}

#define ASSERT_DIAG(d, ...)                                                   \
    do {                                                                      \
        const char *const want_[] = { __VA_ARGS__ };                          \
        assert_diag((d), want_, sizeof want_ / sizeof want_[0]);              \
    } while (0)

static const ps__setting_t *must_find(const fixture_t *f, const char *name)
{
    const ps__setting_t *s = ps__settings_find(&f->settings, name);
    if (!s)
        fail_msg("setting '%s' not found", name);
    return s;
}

/* ---- ps__settings_read -------------------------------------------------------- */

static void defaults_applied(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(read_plugin_section(f, "[plugin.x]\nmodule = good\nindicator = fai\n"), 0);
    assert_int_equal(f->conf.diag.count, 0);
    const ps__setting_t *s = must_find(f, "title");
    assert_string_equal(s->text, "标题");
    assert_true(s->is_default);
    s = must_find(f, "count");
    assert_true(s->is_default);
    assert_true(s->number == 3);
    assert_true(must_find(f, "enabled")->number == 1);
    assert_string_equal(ps__settings_text(&f->settings, "mode"), "flow");
    s = must_find(f, "collectors");
    assert_int_equal(s->n_items, 2);
    assert_string_equal(s->items[0], "国税");
    assert_string_equal(s->items[1], "地税");
    assert_string_equal(ps__settings_text(&f->settings, "template.summary"), "完成{x}");
    /* given values are not defaults */
    s = must_find(f, "indicator");
    assert_string_equal(s->text, "fai");
    assert_false(s->is_default);
    assert_string_equal(ps__settings_text(&f->settings, "module"), "good");
    /* keys neither set nor defaulted are absent */
    assert_null(ps__settings_find(&f->settings, "goal"));
    assert_null(ps__settings_find(&f->settings, "offset"));
    assert_null(ps__settings_text(&f->settings, "target.2023"));
}

static void given_values_parsed(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(read_plugin_section(f, "[plugin.x]\n"
                                            "module = good\n"
                                            "indicator = tax\n"
                                            "count = 10\n"
                                            "offset = -42\n"
                                            "enabled = Off\n"
                                            "goal = 3771万元\n"
                                            "mode = cumulative\n"
                                            "template.summary = 完成税收{tax}，占{tax.rate}\n"),
                     0);
    const ps__setting_t *s = must_find(f, "count");
    assert_false(s->is_default);
    assert_true(s->number == 10);
    assert_true(must_find(f, "offset")->number == -42);
    assert_true(must_find(f, "enabled")->number == 0);
    s = must_find(f, "goal");
    assert_true(s->number == tu_yuan(37710000));
    assert_string_equal(s->unit, "元");
    assert_string_equal(s->text, "3771万元");
    assert_string_equal(ps__settings_text(&f->settings, "mode"), "cumulative");
    assert_string_equal(ps__settings_text(&f->settings, "template.summary"),
                        "完成税收{tax}，占{tax.rate}");
}

static void per_year_keys(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(read_plugin_section(f, "[plugin.x]\n"
                                            "module = good\n"
                                            "indicator = fai\n"
                                            "target.2023 = 55亿\n"
                                            "target.2024 = 30000万\n"
                                            "target.2025 = 14994株\n"),
                     0);
    const ps__setting_t *s = must_find(f, "target.2023");
    assert_true(s->number == tu_yuan(5500000000));
    assert_string_equal(s->unit, "元");
    assert_string_equal(s->key->name, "target");
    s = must_find(f, "target.2024");
    assert_true(s->number == tu_yuan(300000000));
    s = must_find(f, "target.2025");
    assert_true(s->number == 149940000);
    assert_string_equal(s->unit, "株");
    assert_null(ps__settings_find(&f->settings, "target"));
}

/* Lists are split at commas, items trimmed, empty items dropped. */
static void lists_trimmed(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(read_plugin_section(f, "[plugin.x]\nmodule = good\nindicator = fai\n"
                                            "collectors =  国税 , 地税,, 海关 ,\t关税\n"),
                     0);
    const ps__setting_t *s = must_find(f, "collectors");
    assert_int_equal(s->n_items, 4);
    assert_string_equal(s->items[0], "国税");
    assert_string_equal(s->items[1], "地税");
    assert_string_equal(s->items[2], "海关");
    assert_string_equal(s->items[3], "关税");
}

static void unknown_key_with_suggestion(void **state)
{
    fixture_t *f = *state;
    int errors = read_plugin_section(f, "[plugin.x]\nmodule = good\nindicator = fai\n"
                                        "taget.2023 = 55亿\n"
                                        "titel = 投资\n"
                                        "zzzzzzzz = 1\n");
    assert_int_equal(errors, 3);
    ASSERT_DIAG(&f->conf.diag,
                "test.ini: [plugin.x] unknown key 'taget.2023' (did you mean 'target.2023'?)",
                "test.ini: [plugin.x] unknown key 'titel' (did you mean 'title'?)",
                "test.ini: [plugin.x] unknown key 'zzzzzzzz'");
}

/*
 * A per-year key whose year is malformed is unknown; the suggestion must not
 * be the very key refused ("unknown key 'target.23' (did you mean
 * 'target.23'?)" tells the user nothing).
 */
static void malformed_year_not_suggested_back(void **state)
{
    fixture_t *f = *state;
    static const char *const names[] = { "target.23", "target.2023x" };
    assert_int_equal(read_plugin_section(f, "[plugin.x]\nmodule = good\nindicator = fai\n"
                                            "target.23 = 55亿\ntarget.2023x = 1亿\n"),
                     2);
    assert_int_equal(f->conf.diag.count, 2);
    for (size_t i = 0; i < 2; i++) {
        char prefix[128], self[128];
        snprintf(prefix, sizeof prefix, "test.ini: [plugin.x] unknown key '%s'", names[i]);
        snprintf(self, sizeof self, "did you mean '%s'?", names[i]);
        print_message("diag: %s\n", f->conf.diag.messages[i]);
        assert_memory_equal(f->conf.diag.messages[i], prefix, strlen(prefix));
        assert_null(strstr(f->conf.diag.messages[i], self));
    }
}

static void wrong_types_refused(void **state)
{
    fixture_t *f = *state;
    int errors = read_plugin_section(f, "[plugin.x]\nmodule = good\nindicator = fai\n"
                                        "count = 12abc\n"
                                        "offset =\n"
                                        "enabled = maybe\n"
                                        "goal = 五十五亿\n"
                                        "target.2023 = 1.23456亿\n"
                                        "mode = weekly\n"
                                        "template.summary = 完成{fai\n");
    assert_int_equal(errors, 7);
    ASSERT_DIAG(&f->conf.diag,
                "test.ini: [plugin.x] count = '12abc' is not a whole number",
                "test.ini: [plugin.x] offset = '' is not a whole number",
                "test.ini: [plugin.x] enabled = 'maybe' is not a yes/no value (expected yes, "
                "no, true, false, on, off, 1 or 0)",
                "test.ini: [plugin.x] goal = '五十五亿' is not an amount (expected a number "
                "with an optional unit, such as 55亿, 3771万元 or 63个)",
                "test.ini: [plugin.x] target.2023 = '1.23456亿' is not an amount (expected a "
                "number with an optional unit, such as 55亿, 3771万元 or 63个)",
                "test.ini: [plugin.x] mode = 'weekly' is not one of the allowed words; "
                "expected one of flow|cumulative",
                "test.ini: [plugin.x] template.summary = '完成{fai' has an unclosed '{'");
    /* a refused value is not kept */
    assert_null(ps__settings_find(&f->settings, "goal"));
    assert_null(ps__settings_find(&f->settings, "target.2023"));
}

/*
 * "55x" is no amount: x is no unit anyone writes, and the value would reach
 * plugins as 55 of unit "x". Units are money (元/万元/亿元, 万/亿) or the
 * measures the ledgers declare (个, 株, 公里 …), not stray ASCII letters.
 */
static void amount_with_stray_letters_refused(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(read_plugin_section(f, "[plugin.x]\nmodule = good\nindicator = fai\n"
                                            "goal = 55x\n"),
                     1);
    ASSERT_DIAG(&f->conf.diag,
                "test.ini: [plugin.x] goal = '55x' is not an amount (expected a number with "
                "an optional unit, such as 55亿, 3771万元 or 63个)");
}

static void int_out_of_bounds(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(read_plugin_section(f, "[plugin.x]\nmodule = good\nindicator = fai\n"
                                            "count = 11\n"),
                     1);
    ASSERT_DIAG(&f->conf.diag,
                "test.ini: [plugin.x] count = '11' is out of range (expected 1 to 10)");
}

static void missing_required_key(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(read_plugin_section(f, "[plugin.x]\ntitle = 税收\n"), 2);
    ASSERT_DIAG(&f->conf.diag,
                "test.ini: [plugin.x] missing required key 'module' (the plugin module: a "
                "name in the plugin directory, or a path)",
                "test.ini: [plugin.x] missing required key 'indicator' (the ledger indicator)");
}

/* A section the INI does not have at all: defaults, and required keys missing. */
static void absent_section(void **state)
{
    fixture_t *f = *state;
    f->ini = iniparser_load(tu_conf_write(&f->conf, "test.ini", "[other]\na = 1\n"));
    const ps_key_t *tables[] = { plugin_keys };
    assert_int_equal(ps__settings_read(&f->settings, &(ps__ini_file_t){ .dict = f->ini, .path = "test.ini" }, "plugin.x", tables,
                                       1, &f->conf.diag),
                     1);
    ASSERT_DIAG(&f->conf.diag,
                "test.ini: [plugin.x] missing required key 'indicator' (the ledger indicator)");
    assert_string_equal(ps__settings_text(&f->settings, "title"), "标题");
}

/* ---- ps__setting_parse ---------------------------------------------------------- */

typedef struct parse_case {
    const ps_key_t *key;
    const char *text;
    int rc;
    int64_t number;   /* INT, BOOL, AMOUNT when rc == 0 */
    const char *unit; /* AMOUNT when rc == 0 */
    const char *why;  /* when rc < 0 */
} parse_case_t;

#define K(n) (&plugin_keys[n])
enum { K_TITLE, K_COUNT, K_OFFSET, K_ENABLED, K_GOAL, K_TARGET, K_COLLECTORS, K_MODE,
       K_TEMPLATE };
#define NOT_INT "is not a whole number"
#define NOT_BOOL "is not a yes/no value (expected yes, no, true, false, on, off, 1 or 0)"
#define NOT_AMOUNT "is not an amount (expected a number with an optional unit, such as " \
                   "55亿, 3771万元 or 63个)"
#define NOT_CHOICE "is not one of the allowed words"
#define UNCLOSED "has an unclosed '{'"
#define UNOPENED "has a '}' without its '{'"

static const parse_case_t parse_cases[] = {
    { K(K_TITLE), "any text { at all", 0, 0, NULL, NULL },
    { K(K_COUNT), "1", 0, 1, NULL, NULL },
    { K(K_COUNT), "10", 0, 10, NULL, NULL },
    { K(K_COUNT), "0", PS_ERANGE, 0, NULL, "is out of range (expected 1 to 10)" },
    { K(K_COUNT), "-5", PS_ERANGE, 0, NULL, "is out of range (expected 1 to 10)" },
    { K(K_COUNT), "12abc", PS_EPARSE, 0, NULL, NOT_INT },
    { K(K_COUNT), "", PS_EPARSE, 0, NULL, NOT_INT },
    { K(K_COUNT), " 5", PS_EPARSE, 0, NULL, NOT_INT },
    { K(K_COUNT), "5.0", PS_EPARSE, 0, NULL, NOT_INT },
    { K(K_COUNT), "0x10", PS_EPARSE, 0, NULL, NOT_INT },
    { K(K_OFFSET), "-9223372036854775808", 0, INT64_MIN, NULL, NULL },
    { K(K_OFFSET), "99999999999999999999", PS_EPARSE, 0, NULL, NOT_INT },
    { K(K_ENABLED), "yes", 0, 1, NULL, NULL },
    { K(K_ENABLED), "TRUE", 0, 1, NULL, NULL },
    { K(K_ENABLED), "On", 0, 1, NULL, NULL },
    { K(K_ENABLED), "1", 0, 1, NULL, NULL },
    { K(K_ENABLED), "no", 0, 0, NULL, NULL },
    { K(K_ENABLED), "false", 0, 0, NULL, NULL },
    { K(K_ENABLED), "OFF", 0, 0, NULL, NULL },
    { K(K_ENABLED), "0", 0, 0, NULL, NULL },
    { K(K_ENABLED), "maybe", PS_EPARSE, 0, NULL, NOT_BOOL },
    { K(K_ENABLED), "y", PS_EPARSE, 0, NULL, NOT_BOOL },
    { K(K_ENABLED), "2", PS_EPARSE, 0, NULL, NOT_BOOL },
    { K(K_ENABLED), "", PS_EPARSE, 0, NULL, NOT_BOOL },
    { K(K_GOAL), "55亿", 0, 55000000000000, "元", NULL },
    { K(K_GOAL), "1.27亿元", 0, 1270000000000, "元", NULL },
    { K(K_GOAL), "63个", 0, 630000, "个", NULL },
    { K(K_GOAL), "12.5", 0, 125000, "", NULL },
    { K(K_GOAL), "", PS_EPARSE, 0, NULL, NOT_AMOUNT },
    { K(K_GOAL), "亿", PS_EPARSE, 0, NULL, NOT_AMOUNT },
    { K(K_GOAL), "1,23亿", PS_EPARSE, 0, NULL, NOT_AMOUNT },
    { K(K_TARGET), "99999999999亿", PS_EPARSE, 0, NULL, NOT_AMOUNT },
    { K(K_MODE), "flow", 0, 0, NULL, NULL },
    { K(K_MODE), "cumulative", 0, 0, NULL, NULL },
    { K(K_MODE), "Flow", PS_EPARSE, 0, NULL, NOT_CHOICE },
    { K(K_MODE), "flo", PS_EPARSE, 0, NULL, NOT_CHOICE },
    { K(K_MODE), "flow|cumulative", PS_EPARSE, 0, NULL, NOT_CHOICE },
    { K(K_MODE), "", PS_EPARSE, 0, NULL, NOT_CHOICE },
    { K(K_TEMPLATE), "共{a}，其中{a.parts}", 0, 0, NULL, NULL },
    { K(K_TEMPLATE), "no placeholder", 0, 0, NULL, NULL },
    { K(K_TEMPLATE), "{a", PS_EPARSE, 0, NULL, UNCLOSED },
    { K(K_TEMPLATE), "a}", PS_EPARSE, 0, NULL, UNOPENED },
    { K(K_TEMPLATE), "}{", PS_EPARSE, 0, NULL, UNOPENED },
    { K(K_TEMPLATE), "{{a}}", PS_EPARSE, 0, NULL, UNCLOSED },
    /* fields are known before any plugin runs; keys only after it computed */
    { K(K_TEMPLATE), "{a.rate}{b.change}{c}", 0, 0, NULL, NULL },
    { K(K_TEMPLATE), "{a.rat}", PS_EPARSE, 0, NULL,
      "has an unknown field 'rat' in {a.rat} (expected value, label, target, next_target, "
      "rate, share, parts, asof, progress, gap, status, year_ago, change, growth_target, "
      "growth_gap or share_change)" },
};

static void setting_parse_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof parse_cases / sizeof parse_cases[0]; i++) {
        const parse_case_t *c = &parse_cases[i];
        ps__settings_t holder = { calloc(1, sizeof(ps__setting_t)), 1 };
        ps__setting_t *v = holder.items;
        const char *why = NULL;
        print_message("case: %s = \"%s\"\n", c->key->name, c->text);
        int rc = ps__setting_parse(c->key, c->text, v, &why);
        assert_int_equal(rc, c->rc);
        if (rc < 0) {
            assert_string_equal(why, c->why);
        } else if (c->key->type == PS_KEY_INT || c->key->type == PS_KEY_BOOL ||
                   c->key->type == PS_KEY_AMOUNT) {
            assert_true(v->number == c->number);
            if (c->key->type == PS_KEY_AMOUNT)
                assert_string_equal(v->unit, c->unit);
        }
        ps__settings_free(&holder);
    }
}

static void key_type_names(void **state)
{
    (void)state;
    assert_string_equal(ps__key_type_name(PS_KEY_STRING), "string");
    assert_string_equal(ps__key_type_name(PS_KEY_INT), "integer");
    assert_string_equal(ps__key_type_name(PS_KEY_BOOL), "yes/no");
    assert_string_equal(ps__key_type_name(PS_KEY_AMOUNT), "amount");
    assert_string_equal(ps__key_type_name(PS_KEY_LIST), "list");
    assert_string_equal(ps__key_type_name(PS_KEY_TEMPLATE), "template");
    assert_string_equal(ps__key_type_name(PS_KEY_CHOICE), "choice");
    assert_null(ps__key_type_name((ps_key_type_t)99));
}

/* ---- ps__key_table_check ---------------------------------------------------------- */

static const ps_key_t upper_case_keys[] = { { .name = "Title", .type = PS_KEY_STRING },
                                            { .name = NULL } };
static const ps_key_t space_keys[] = { { .name = "a b", .type = PS_KEY_STRING },
                                       { .name = NULL } };
static const ps_key_t equal_sign_keys[] = { { .name = "a=b", .type = PS_KEY_STRING },
                                            { .name = NULL } };
static const ps_key_t empty_name_keys[] = { { .name = "", .type = PS_KEY_STRING },
                                            { .name = NULL } };
static const ps_key_t unknown_type_keys[] = { { .name = "x", .type = (ps_key_type_t)42 },
                                              { .name = NULL } };
static const ps_key_t no_choices_keys[] = { { .name = "mode", .type = PS_KEY_CHOICE },
                                            { .name = NULL } };
static const ps_key_t twice_keys[] = { { .name = "a", .type = PS_KEY_STRING },
                                       { .name = "b", .type = PS_KEY_INT },
                                       { .name = "a", .type = PS_KEY_BOOL },
                                       { .name = NULL } };
static const ps_key_t bad_int_default_keys[] = {
    { .name = "count", .type = PS_KEY_INT, .default_value = "many" }, { .name = NULL } };
static const ps_key_t out_of_range_default_keys[] = {
    { .name = "count", .type = PS_KEY_INT, .default_value = "0", .min = 1, .max = 9 },
    { .name = NULL } };
static const ps_key_t bad_amount_default_keys[] = {
    { .name = "target", .type = PS_KEY_AMOUNT, .default_value = "lots" }, { .name = NULL } };
static const ps_key_t bad_choice_default_keys[] = {
    { .name = "type", .type = PS_KEY_CHOICE, .choices = "flow|cumulative",
      .default_value = "weekly" },
    { .name = NULL } };
static const ps_key_t bad_template_default_keys[] = {
    { .name = "template.body", .type = PS_KEY_TEMPLATE, .default_value = "{x" },
    { .name = NULL } };

static const struct table_case {
    const char *what;
    const ps_key_t *keys;
    const char *why; /* NULL: accepted */
} table_cases[] = {
    { "a complete table", plugin_keys, NULL },
    { "the core's own tables", ps__core_keys, NULL },
    { "NULL table", NULL, "its key table is NULL" },
    { "upper case", upper_case_keys, "key 'Title' is not a lower-case INI key name" },
    { "space", space_keys, "key 'a b' is not a lower-case INI key name" },
    { "equal sign", equal_sign_keys, "key 'a=b' is not a lower-case INI key name" },
    { "empty name", empty_name_keys, "key '' has an empty name or an unknown type 1" },
    { "unknown type", unknown_type_keys, "key 'x' has an empty name or an unknown type 42" },
    { "choice without choices", no_choices_keys, "choice key 'mode' lists no choices" },
    { "declared twice", twice_keys, "key 'a' is declared twice" },
    { "int default", bad_int_default_keys,
      "default of key 'count' ('many') is not a whole number" },
    { "int default out of range", out_of_range_default_keys,
      "default of key 'count' ('0') is out of range (expected 1 to 9)" },
    { "amount default", bad_amount_default_keys,
      "default of key 'target' ('lots') " NOT_AMOUNT },
    { "choice default", bad_choice_default_keys,
      "default of key 'type' ('weekly') is not one of the allowed words" },
    { "template default", bad_template_default_keys,
      "default of key 'template.body' ('{x') " UNCLOSED },
};

static void key_table_check_table(void **state)
{
    (void)state;
    const struct table_case *c;
    for (c = table_cases; c < table_cases + sizeof table_cases / sizeof table_cases[0]; c++) {
        ps__buf_t why = PS_BUF_INIT;
        print_message("case: %s\n", c->what);
        int rc = ps__key_table_check(c->keys, &why);
        assert_int_equal(rc, c->why ? PS_EINVAL : 0);
        assert_string_equal(ps__buf_str(&why), c->why ? c->why : "");
        ps__buf_free(&why);
    }
}

static void core_tables_are_well_formed(void **state)
{
    (void)state;
    const ps_key_t *tables[] = { ps__core_keys, ps__source_keys, ps__indicator_keys,
                                 ps__instance_keys };
    for (size_t i = 0; i < 4; i++) {
        ps__buf_t why = PS_BUF_INIT;
        assert_int_equal(ps__key_table_check(tables[i], &why), 0);
        ps__buf_free(&why);
    }
}

/* ---- ps__config_load ---------------------------------------------------------------- */

static const char sample_ini[] =
    "; a small parkstat.ini\n"
    "[parkstat]\n"
    "zone = 测试开发区\n"
    "period = 2023-10\n"
    "formats = text,json\n"
    "plugin_dir = plugins\n"
    "output_dir = /var/tmp/reports\n"
    "\n"
    "[source.investment]\n"
    "path = ledgers/investment.csv\n"
    "department = 经济发展局\n"
    "\n"
    "[Source.Output]\n"
    "PATH = /srv/ledgers/output-*.csv\n"
    "type = cumulative\n"
    "\n"
    "[indicator.fai]\n"
    "label = 固定资产投资\n"
    "unit = 万元\n"
    "\n"
    "[indicator.green_area]\n"
    "unit = 平方米\n"
    "display_unit = 万平方米\n"
    "rate_decimals = 1\n"
    "\n"
    "[plugin.investment]\n"
    "module = investment\n"
    "target.2023 = 55亿\n"
    "\n"
    "[plugin.extra]\n"
    "module = ../drop-in/good\n";

/* Writes conf/parkstat.ini and loads it by its absolute path: a directory
   below the fixture's, so that paths relative to the INI's show. */
static int load_config(fixture_t *f, const char *text)
{
    return tu_conf_load_file(&f->conf, "conf/parkstat.ini", text);
}

static void config_load_sample(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(load_config(f, sample_ini), 0);
    assert_int_equal(f->conf.diag.count, 0);
    const ps__config_t *c = &f->conf.cfg;
    char *conf_dir = tu_dir_path(&f->conf.dir, "conf");
    assert_string_equal(c->dir, conf_dir);
    assert_string_equal(c->zone, "测试开发区");
    assert_int_equal(c->period, P(2023, 10));
    assert_int_equal(c->formats, PS_FORMAT_TEXT | PS_FORMAT_JSON);
    char *plugin_dir = tu_dir_path(&f->conf.dir, "conf/plugins");
    assert_string_equal(c->plugin_dir, plugin_dir);
    assert_string_equal(c->output_dir, "/var/tmp/reports");

    assert_int_equal(c->n_sources, 2);
    char *pattern = tu_dir_path(&f->conf.dir, "conf/ledgers/investment.csv");
    assert_string_equal(c->sources[0].name, "investment");
    assert_string_equal(c->sources[0].department, "经济发展局");
    assert_string_equal(c->sources[0].pattern, pattern);
    assert_false(c->sources[0].cumulative);
    /* iniparser folds names to lower case; an absolute path is kept */
    assert_string_equal(c->sources[1].name, "output");
    assert_string_equal(c->sources[1].department, "output");
    assert_string_equal(c->sources[1].pattern, "/srv/ledgers/output-*.csv");
    assert_true(c->sources[1].cumulative);

    assert_int_equal(c->n_indicators, 2);
    const ps__indicator_def_t *fai = ps__config_indicator(c, "fai");
    assert_non_null(fai);
    assert_string_equal(fai->label, "固定资产投资");
    assert_string_equal(fai->unit, "万元");
    assert_null(fai->display_unit);
    assert_int_equal(fai->rate_decimals, 2);
    const ps__indicator_def_t *green = ps__config_indicator(c, "green_area");
    assert_non_null(green);
    assert_null(green->label);
    assert_string_equal(green->display_unit, "万平方米");
    assert_int_equal(green->rate_decimals, 1);
    assert_null(ps__config_indicator(c, "nothing"));

    assert_int_equal(c->n_instances, 2);
    assert_string_equal(c->instances[0].name, "investment");
    assert_string_equal(c->instances[0].section, "plugin.investment");
    assert_string_equal(c->instances[0].module, "investment");
    assert_string_equal(c->instances[1].name, "extra");
    assert_string_equal(c->instances[1].module, "../drop-in/good");
    free(conf_dir);
    free(plugin_dir);
    free(pattern);
}

/* Paths are relative to the INI file's directory, never to the working one. */
static void config_paths_relative_to_ini_not_cwd(void **state)
{
    fixture_t *f = *state;
    free(tu_dir_write(&f->conf.dir, "conf/parkstat.ini", sample_ini));
    free(tu_dir_write(&f->conf.dir, "elsewhere/ledgers/investment.csv", "period\n"));
    char *elsewhere = tu_dir_path(&f->conf.dir, "elsewhere");
    char saved[PATH_MAX];
    assert_non_null(getcwd(saved, sizeof saved));
    assert_int_equal(chdir(elsewhere), 0);
    int rc = ps__config_load(&f->conf.cfg, "../conf/parkstat.ini", &f->conf.diag);
    assert_int_equal(chdir(saved), 0);
    assert_int_equal(rc, 0);
    char *pattern = tu_dir_path(&f->conf.dir, "conf/ledgers/investment.csv");
    char *dir = tu_dir_path(&f->conf.dir, "conf");
    assert_string_equal(f->conf.cfg.path, "../conf/parkstat.ini");
    assert_string_equal(f->conf.cfg.dir, dir);
    assert_string_equal(f->conf.cfg.sources[0].pattern, pattern);
    char *resolved = ps__config_resolve(&f->conf.cfg, "x/y.csv");
    char *want = tu_dir_path(&f->conf.dir, "conf/x/y.csv");
    assert_string_equal(resolved, want);
    free(resolved);
    resolved = ps__config_resolve(&f->conf.cfg, "/abs/y.csv");
    assert_string_equal(resolved, "/abs/y.csv");
    free(resolved);
    free(want);
    free(dir);
    free(pattern);
    free(elsewhere);
}

static void config_defaults(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(load_config(f, "[plugin.tax]\nmodule = tax\n"), 0);
    assert_string_equal(f->conf.cfg.zone, "经济技术开发区");
    assert_int_equal(f->conf.cfg.period, 0); /* latest */
    assert_int_equal(f->conf.cfg.formats, PS_FORMAT_TEXT);
    assert_null(f->conf.cfg.plugin_dir);
    assert_null(f->conf.cfg.output_dir);
    assert_int_equal(f->conf.cfg.n_sources, 0);
}

/* "comma-separated: text, json", as the key's help writes it. */
static void config_formats_with_spaces(void **state)
{
    fixture_t *f = *state;
    int rc = load_config(f, "[parkstat]\nformats = text, json\n[plugin.tax]\nmodule = tax\n");
    tu_print_diag(&f->conf.diag);
    assert_int_equal(rc, 0);
    assert_int_equal(f->conf.cfg.formats, PS_FORMAT_TEXT | PS_FORMAT_JSON);
}

static void config_bad_period_and_formats(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(load_config(f, "[parkstat]\nperiod = 2023-1\nformats = text,pdf\n"
                                    "[plugin.tax]\nmodule = tax\n"),
                     PS_ECONFIG);
    ASSERT_DIAG(&f->conf.diag,
                tu_conf_at(&f->conf,
                           "[parkstat] period = '2023-1' is not a month (expected YYYY-MM "
                           "or latest)"),
                tu_conf_at(&f->conf,
                           "[parkstat] formats = 'text,pdf': unknown format 'pdf' (expected "
                           "text, json, html, csv, prom or xlsx)"));
}

static void config_unknown_section(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(load_config(f, "[parkstats]\nzone = x\n[report]\na = 1\n"
                                    "[plugin.tax]\nmodule = tax\n"),
                     PS_ECONFIG);
    ASSERT_DIAG(&f->conf.diag,
                tu_conf_at(&f->conf, "unknown section [parkstats] (did you mean [parkstat]?)"),
                tu_conf_at(&f->conf,
                           "unknown section [report] (expected [parkstat], [source.NAME], "
                           "[indicator.CODE], [plugin.NAME], [derived.NAME], "
                           "[audit.NAME] or [labels.TAG])"));
}

/* column.NAME: a family of keys, each header named once and not empty. */
static void source_column_keys(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(load_config(f, "[source.tax]\npath = t.csv\ncolumn.period = 月份\n"
                                    "column.value = 月份\ncolumn.entity =\n"
                                    "colum.value = 本月数\n[plugin.tax]\nmodule = tax\n"),
                     PS_ECONFIG);
    ASSERT_DIAG(&f->conf.diag,
                tu_conf_line(&f->conf, 6, "[source.tax] unknown key 'colum.value' (did you "
                                          "mean 'column.value'?)"),
                tu_conf_at(&f->conf, "[source.tax] column.period and column.value both name "
                                     "the header '月份': a header is one column"),
                tu_conf_at(&f->conf, "[source.tax] column.entity is empty (expected the "
                                     "ledger's header for that column, e.g. column.period = "
                                     "月份)"));
}

static void config_section_key_errors(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(load_config(f, "[source.tax]\npth = ledgers/tax.csv\n"
                                    "[source.output]\npath = o.csv\ntype = weekly\n"
                                    "[indicator.fai]\nrate_decimals = 7\n"
                                    "[plugin.tax]\ntitle = 税收\n"
                                    "[plugin.ok]\nmodule = investment\n"),
                     PS_ECONFIG);
    ASSERT_DIAG(&f->conf.diag,
                tu_conf_line(&f->conf, 2, "[source.tax] unknown key 'pth' (did you mean 'path'?)"),
                tu_conf_at(&f->conf,
                           "[source.tax] missing required key 'path' (the ledger file, or a "
                           "glob of files, relative to this INI file)"),
                tu_conf_line(&f->conf, 5,
                             "[source.output] type = 'weekly' is not one of the allowed words; "
                             "expected one of flow|cumulative"),
                tu_conf_line(&f->conf, 7,
                             "[indicator.fai] rate_decimals = '7' is out of range (expected 0 to 4)"),
                tu_conf_at(&f->conf,
                           "[plugin.tax] missing required key 'module' (the plugin module: a "
                           "name in the plugin directory, or a path)"));
}

/* A required key given a bad value is said once, at its line: not also
   "missing". */
static void config_bad_required_value_said_once(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(load_config(f, "[plugin.ok]\nmodule = investment\n"
                                    "[audit.x]\nrule = sometimes\n"),
                     PS_ECONFIG);
    ASSERT_DIAG(&f->conf.diag,
                tu_conf_line(&f->conf, 4,
                             "[audit.x] rule = 'sometimes' is not one of the allowed words; "
                             "expected one of balance|cumulative|late|outlier"));
}

/* A [plugin.NAME] section without its module is reported as such, and only
   so: the file does have a plugin section. */
static void config_plugin_section_without_module(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(load_config(f, "[plugin.tax]\ntitle = 税收\n"), PS_ECONFIG);
    ASSERT_DIAG(&f->conf.diag,
                tu_conf_at(&f->conf,
                           "[plugin.tax] missing required key 'module' (the plugin module: a "
                           "name in the plugin directory, or a path)"));
}

static void config_without_plugin_section(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(load_config(f, "[parkstat]\nzone = x\n"), PS_ECONFIG);
    ASSERT_DIAG(&f->conf.diag, tu_conf_at(&f->conf, "no [plugin.NAME] section: nothing to report"));
}

static void config_syntax_error(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(load_config(f, "[parkstat]\nzone = x\nthis line is wrong\n"
                                    "[plugin.tax]\nmodule = tax\n"),
                     PS_ECONFIG);
    char want[2048];
    /* at its line, with what was expected: never iniparser's own words */
    snprintf(want, sizeof want, "%s:3: 'this line is wrong' cannot be read (expected "
             "[section], KEY = VALUE, or a comment starting with ';' or '#')", f->conf.path);
    ASSERT_DIAG(&f->conf.diag, want);
    /* the next load starts clean: nothing of this error is left over */
    assert_int_equal(load_config(f, "[plugin.tax]\nmodule = tax\n"), 0);
    assert_int_equal(f->conf.diag.count, 0);
}

static void config_missing_file(void **state)
{
    fixture_t *f = *state;
    f->conf.path = tu_dir_path(&f->conf.dir, "nope.ini");
    assert_int_equal(ps__config_load(&f->conf.cfg, f->conf.path, &f->conf.diag), PS_ECONFIG);
    char want[2048];
    snprintf(want, sizeof want, "configuration %s: cannot open: No such file or directory",
             f->conf.path);
    ASSERT_DIAG(&f->conf.diag, want);
}

/* ---- small parsers ----------------------------------------------------------------- */

static void period_parse_table(void **state)
{
    (void)state;
    static const struct { const char *text; ps_period_t want; } cases[] = {
        { "2023-10", P(2023, 10) }, { "2023-01", P(2023, 1) }, { "1900-12", P(1900, 12) },
        { "9999-12", P(9999, 12) }, { "2023-13", -1 }, { "2023-00", -1 },
        { "1899-12", -1 }, { "2023/10", -1 }, { "2023-1", -1 }, { "23-10", -1 },
        { " 2023-10", -1 }, { "2023-10 ", -1 }, { "2023-1a", -1 }, { "", -1 },
        { "latest", -1 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ps_period_t p = -1;
        print_message("case \"%s\"\n", cases[i].text);
        int rc = ps__period_parse(cases[i].text, strlen(cases[i].text), &p);
        assert_int_equal(rc, cases[i].want < 0 ? -1 : 0);
        assert_int_equal(p, cases[i].want);
    }
    ps_period_t p;
    assert_int_equal(ps__period_parse("2023-10,fai", 7, &p), 0); /* bounded by len */
    assert_int_equal(p, P(2023, 10));
}

static void formats_parse_table(void **state)
{
    (void)state;
    static const struct { const char *text; int rc; unsigned bits; const char *bad; } cases[] = {
        { "text", 0, PS_FORMAT_TEXT, NULL },
        { "json", 0, PS_FORMAT_JSON, NULL },
        { "text,json", 0, PS_FORMAT_TEXT | PS_FORMAT_JSON, NULL },
        { "json,text,json", 0, PS_FORMAT_TEXT | PS_FORMAT_JSON, NULL },
        { "pdf", -1, 0, "pdf" },
        { "text,xlsx", 0, PS_FORMAT_TEXT | PS_FORMAT_XLSX, NULL },
        { "csv, prom ,xlsx", 0, PS_FORMAT_CSV | PS_FORMAT_PROM | PS_FORMAT_XLSX, NULL },
        { "text,html5", -1, 0, "html5" },
        { "TEXT", -1, 0, "TEXT" },
        { "text,", 0, PS_FORMAT_TEXT, NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unsigned bits = 99;
        const char *bad = NULL;
        print_message("case \"%s\"\n", cases[i].text);
        assert_int_equal(ps__formats_parse(cases[i].text, &bits, &bad), cases[i].rc);
        if (cases[i].rc == 0)
            assert_int_equal(bits, cases[i].bits);
        else
            assert_string_equal(bad, cases[i].bad);
    }
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(defaults_applied),
        T(given_values_parsed),
        T(per_year_keys),
        T(lists_trimmed),
        T(unknown_key_with_suggestion),
        T(malformed_year_not_suggested_back),
        T(wrong_types_refused),
        T(amount_with_stray_letters_refused),
        T(int_out_of_bounds),
        T(missing_required_key),
        T(absent_section),
        cmocka_unit_test(setting_parse_table),
        cmocka_unit_test(key_type_names),
        cmocka_unit_test(key_table_check_table),
        cmocka_unit_test(core_tables_are_well_formed),
        T(config_load_sample),
        T(config_paths_relative_to_ini_not_cwd),
        T(config_defaults),
        T(config_formats_with_spaces),
        T(config_bad_period_and_formats),
        T(config_unknown_section),
        T(config_section_key_errors),
        T(source_column_keys),
        T(config_bad_required_value_said_once),
        T(config_plugin_section_without_module),
        T(config_without_plugin_section),
        T(config_syntax_error),
        T(config_missing_file),
        cmocka_unit_test(period_parse_table),
        cmocka_unit_test(formats_parse_table),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
