/* Unit tests of core/report/derived.h: [derived.NAME] indicators evaluated
   over a report built by hand, with their configuration read from a
   temporary INI. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <parkstat/error.h>
#include <parkstat/types.h>

#include "base/diag.h"
#include "config/conf.h"
#include "report/derived.h"
#include "report/report.h"
#include "testutil.h"

#define P TU_PERIOD
#define WAN(n) ((int64_t)(n) * 10000 * PS_SCALE) /* n 万元 as a raw value */
#define REPORT_PERIOD P(2023, 10)

/* Every test's INI: the plugins whose sections the report has. */
#define BASE_INI "[plugin.output]\nmodule = output\n[plugin.land]\nmodule = land\n"

typedef struct fixture {
    tu_conf_t conf; /* first: tu_fixture_new() sets it up */
    ps__report_t report;
} fixture_t;

static void add_ind(ps__section_t *s, const char *key, int64_t raw)
{
    ps__ind_t ind = { .key = (char *)key, .label = (char *)key,
                      .value = { raw, PS_UNIT_MONEY }, .target = PS_VALUE_NONE,
                      .next_target = PS_VALUE_NONE, .year_ago = PS_VALUE_NONE,
                      .asof = REPORT_PERIOD, .rate_decimals = 2 };
    assert_int_equal(ps__section_add_ind(s, &ind), 0);
}

/* Output of 12000万元, 3000万元 of it new energy, a zero, and a failed
   section. */
static int setup_report(fixture_t *f)
{
    f->report = (ps__report_t){ .period = REPORT_PERIOD };
    ps__section_t *s = ps__report_add_section(&f->report, "output", "output", "工业");
    assert_non_null(s);
    add_ind(s, "output", WAN(12000));
    add_ind(s, "new_energy", WAN(3000));
    add_ind(s, "zero", 0);
    s = ps__report_add_section(&f->report, "land", "land", "土地");
    assert_non_null(s);
    s->error = strdup("no data");
    return s->error ? 0 : -1;
}

static int setup(void **state)
{
    fixture_t *f = tu_fixture_new(sizeof *f);
    if (!f)
        return -1;
    *state = f;
    return setup_report(f);
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    ps__report_free(&f->report);
    tu_fixture_free(f);
    return 0;
}

/* Writes BASE_INI and `derived`, and loads it; the diagnostics stay. */
static int load_ini(fixture_t *f, const char *derived)
{
    ps__buf_t text = PS_BUF_INIT;
    ps__buf_printf(&text, "%s%s", BASE_INI, derived);
    int rc = tu_conf_load(&f->conf, ps__buf_str(&text));
    ps__buf_free(&text);
    tu_print_diag(&f->conf.diag);
    return rc;
}

/* Loads `derived` (which must read cleanly) and evaluates it. */
static int evaluate(fixture_t *f, const char *derived)
{
    assert_int_equal(load_ini(f, derived), 0);
    assert_int_equal(f->conf.diag.count, 0);
    int rc = ps__derived_evaluate(&f->conf.cfg, &f->report, &f->conf.diag);
    tu_print_diag(&f->conf.diag);
    return rc;
}

static const ps__ind_t *must_find(ps__report_t *r, const char *section, const char *key)
{
    const ps__section_t *s = ps__report_section(r, section);
    if (!s)
        fail_msg("no section '%s'", section);
    const ps__ind_t *ind = ps__section_find(s, key);
    if (!ind)
        fail_msg("no indicator '%s' in section '%s'", key, section);
    return ind;
}

#define SHARE_INI                                                             \
    "[derived.share]\nexpr = output.new_energy / output.output * 100\n"       \
    "label = 新能源产值占比\nunit = %\n"

/* ---- values -------------------------------------------------------------------- */

static void value_in_a_section_of_its_own(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(evaluate(f, SHARE_INI), 0);
    assert_int_equal(f->conf.diag.count, 0);
    /* the section of derived indicators comes after the plugins' */
    assert_int_equal(f->report.n_sections, 3);
    const ps__section_t *s = &f->report.sections[2];
    assert_string_equal(s->name, "derived");
    assert_string_equal(s->module, "derived");
    assert_string_equal(s->title, "派生指标");
    assert_int_equal(s->n_inds, 1);
    const ps__ind_t *share = &s->inds[0];
    assert_string_equal(share->key, "share");
    assert_string_equal(share->label, "新能源产值占比");
    assert_true(share->value.raw == 25 * PS_SCALE);
    assert_string_equal(share->value.unit, "%");
    assert_true(share->fixed);
    assert_int_equal(share->decimals, 2);
    assert_int_equal(share->asof, REPORT_PERIOD);
    assert_false(ps_value_present(share->target));
    assert_null(s->sentences);
}

/* Exact on rationals, rounded once at the end, half away from zero. */
static void values_rounded_once(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(evaluate(f, "[derived.third]\nexpr = output.new_energy / output.output"
                                 " / 3 * 100\nlabel = 三分之一\ndecimals = 1\n"
                                 "[derived.half_up]\nexpr = 1 / 20000\nlabel = 进位\n"
                                 "[derived.half_down]\nexpr = 0 - 1 / 20000\nlabel = 负\n"
                                 "[derived.exact]\nexpr = (output.output - output.new_energy)"
                                 " / 10000\nlabel = 万元数\nunit = 万元\n"),
                     0);
    const ps__ind_t *third = must_find(&f->report, "derived", "third");
    assert_true(third->value.raw == 83333); /* 8.3333… */
    assert_int_equal(third->decimals, 1);
    assert_string_equal(third->value.unit, "");
    assert_true(must_find(&f->report, "derived", "half_up")->value.raw == 1);
    assert_true(must_find(&f->report, "derived", "half_down")->value.raw == -1);
    const ps__ind_t *exact = must_find(&f->report, "derived", "exact");
    assert_true(exact->value.raw == 9000 * PS_SCALE); /* 9000万元 / 10000 */
    assert_string_equal(exact->value.unit, "万元");
}

static void attached_to_a_plugin_section(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(evaluate(f, SHARE_INI "section = output\n"), 0);
    assert_int_equal(f->report.n_sections, 2); /* no section of its own */
    const ps__section_t *s = ps__report_section(&f->report, "output");
    assert_int_equal(s->n_inds, 4);
    assert_string_equal(s->inds[3].key, "share");
    assert_true(s->inds[3].value.raw == 25 * PS_SCALE);
}

/* A derived indicator may use one declared after it; each is shown once,
   in the INI's order. */
static void references_between_derived(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(evaluate(f, "[derived.double]\nexpr = derived.share * 2\nlabel = 两倍\n"
                                 "[derived.quad]\nexpr = derived.double + derived.double\n"
                                 "label = 四倍\n" SHARE_INI),
                     0);
    const ps__section_t *s = ps__report_section(&f->report, "derived");
    assert_int_equal(s->n_inds, 3);
    assert_string_equal(s->inds[0].key, "double");
    assert_true(s->inds[0].value.raw == 50 * PS_SCALE);
    assert_string_equal(s->inds[1].key, "quad");
    assert_true(s->inds[1].value.raw == 100 * PS_SCALE);
    assert_string_equal(s->inds[2].key, "share");
    assert_true(s->inds[2].value.raw == 25 * PS_SCALE);
}

/* A failed section's figures are missing, and so is all that uses them:
   no error, the indicators are shown without a value. */
static void missing_operands_leave_the_value_missing(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(evaluate(f, "[derived.rest]\nexpr = output.output - land.area\n"
                                 "label = 余额\n"
                                 "[derived.twice]\nexpr = derived.rest * 2\nlabel = 两倍\n"
                                 SHARE_INI),
                     0);
    assert_int_equal(f->conf.diag.count, 0);
    assert_false(ps_value_present(must_find(&f->report, "derived", "rest")->value));
    assert_false(ps_value_present(must_find(&f->report, "derived", "twice")->value));
    assert_true(ps_value_present(must_find(&f->report, "derived", "share")->value));
}

/* A failed section used as a divisor leaves the value missing, as any
   missing operand does: never a "division by zero" that stops the run. */
static void missing_divisor_leaves_the_value_missing(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(evaluate(f, "[derived.per_mu]\nexpr = output.output / land.area\n"
                                 "label = 亩均产值\n"),
                     0);
    assert_int_equal(f->conf.diag.count, 0);
    assert_false(ps_value_present(must_find(&f->report, "derived", "per_mu")->value));
}

static void no_derived_sections_no_section(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(evaluate(f, ""), 0);
    assert_int_equal(f->report.n_sections, 2);
    assert_null(ps__report_section(&f->report, "derived"));
}

/* ---- errors --------------------------------------------------------------------- */

/* Each error names the section and the fault; the others still compute. */
static void errors_table(void **state)
{
    fixture_t *f = *state;
    static const struct {
        const char *ini, *message;
    } cases[] = {
        { "[derived.x]\nexpr = output.new_energy / output.zero\nlabel = x\n",
          "[derived.x] division by zero" },
        { "[derived.x]\nexpr = output.output * output.output * output.output\nlabel = x\n",
          "[derived.x] the result overflows" },
        { "[derived.x]\nexpr = output.nope + 1\nlabel = x\n",
          "[derived.x] unknown reference 'output.nope': section output has output, "
          "new_energy, zero" },
        { "[derived.x]\nexpr = trade.total\nlabel = x\n",
          "[derived.x] unknown reference 'trade.total': no [plugin.trade] section" },
        { "[derived.x]\nexpr = derived.nope * 2\nlabel = x\n",
          "[derived.x] unknown reference 'derived.nope': there is no [derived.nope]" },
        { "[derived.x]\nexpr = derived.x + 1\nlabel = x\n",
          "[derived.x] a cycle: derived.x -> derived.x" },
        { "[derived.x]\nexpr = 1\nlabel = x\nsection = trade\n",
          "[derived.x] section = 'trade': no [plugin.trade] section" },
        { "[derived.output]\nexpr = 1\nlabel = x\nsection = output\n",
          "[derived.output] section output already has an indicator 'output'" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ps__buf_t ini = PS_BUF_INIT;
        print_message("case: %s", cases[i].ini);
        ps__buf_printf(&ini, "%s%s", cases[i].ini, SHARE_INI);
        /* tu_conf_load() frees what the previous case read; its report is ours to free */
        ps__report_free(&f->report);
        assert_int_equal(setup_report(f), 0);
        assert_int_equal(evaluate(f, ps__buf_str(&ini)), PS_ECONFIG);
        ps__buf_free(&ini);
        assert_int_equal(f->conf.diag.count, 1);
        assert_string_equal(f->conf.diag.messages[0], tu_conf_at(&f->conf, cases[i].message));
        assert_true(must_find(&f->report, "derived", "share")->value.raw == 25 * PS_SCALE);
    }
}

/* A cycle through two indicators is said once, from where it was entered. */
static void cycle_of_two(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(evaluate(f, "[derived.a]\nexpr = derived.b + 1\nlabel = a\n"
                                 "[derived.b]\nexpr = derived.a + 1\nlabel = b\n"),
                     PS_ECONFIG);
    assert_int_equal(f->conf.diag.count, 1);
    assert_string_equal(f->conf.diag.messages[0],
                        tu_conf_at(&f->conf,
                                   "[derived.a] a cycle: derived.a -> derived.b -> derived.a"));
    assert_null(ps__section_find(ps__report_section(&f->report, "derived"), "a"));
}

/* ---- sentences ------------------------------------------------------------------ */

static void sentence_added_to_its_section(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(evaluate(f, SHARE_INI "section = output\n"
                                 "template = 新能源产值占比{share}\n"),
                     0);
    const ps__section_t *s = ps__report_section(&f->report, "output");
    assert_int_equal(s->n_sentences, 1);
    assert_int_equal(s->sentences[0].kind, PS_SENTENCE_BODY);
    assert_string_equal(s->sentences[0].tmpl, "新能源产值占比{share}");
}

/* In a section of its own a sentence cannot name the plugins' figures. */
static void sentence_naming_another_section(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(evaluate(f, SHARE_INI "template = 占{share}，新能源{new_energy}\n"),
                     PS_ECONFIG);
    assert_int_equal(f->conf.diag.count, 1);
    assert_string_equal(f->conf.diag.messages[0],
                        tu_conf_at(&f->conf,
                                   "[derived.share] template \"占{share}，新能源{new_energy}\" "
                                   "names {new_energy}, which is not an indicator of this "
                                   "section"));
    assert_int_equal(ps__report_section(&f->report, "derived")->n_sentences, 0);
}

/* ---- reading [derived.NAME] (ps__config_load) ---------------------------------------- */

static void sections_that_cannot_be_read(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(load_ini(f, "[derived.bad]\nexpr = output.output *\nlabel = x\n"
                                 "[derived.unlabelled]\nexpr = 1\n"
                                 "[derived.too_fine]\nexpr = 1\nlabel = x\ndecimals = 5\n"),
                     PS_ECONFIG);
    assert_int_equal(f->conf.diag.count, 3);
    assert_string_equal(f->conf.diag.messages[0],
                        tu_conf_at(&f->conf,
                                   "[derived.bad] expr: expected a number, a reference or "
                                   "'(' at column 16 of 'output.output *'"));
    assert_string_equal(f->conf.diag.messages[1],
                        tu_conf_at(&f->conf,
                                   "[derived.unlabelled] missing required key 'label' (its "
                                   "name in the report)"));
    assert_string_equal(f->conf.diag.messages[2],
                        tu_conf_line(&f->conf, 13, "[derived.too_fine] decimals = '5' is out "
                                                   "of range (expected 0 to 4)"));
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(value_in_a_section_of_its_own),
        T(values_rounded_once),
        T(attached_to_a_plugin_section),
        T(references_between_derived),
        T(missing_operands_leave_the_value_missing),
        T(missing_divisor_leaves_the_value_missing),
        T(no_derived_sections_no_section),
        T(errors_table),
        T(cycle_of_two),
        T(sentence_added_to_its_section),
        T(sentence_naming_another_section),
        T(sections_that_cannot_be_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
