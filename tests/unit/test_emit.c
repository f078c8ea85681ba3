/* Unit tests of the plugin emit boundary: the UTF-8 checks (base/utf8.h),
   what the core checks of a plugin's strings (report/check.h), the
   section's key index, and the wire decoder refusing what the API would
   have refused (plugin/wire.h). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <parkstat/error.h>
#include <parkstat/helpers.h>
#include <parkstat/plugin.h>

#include "base/buf.h"
#include "base/utf8.h"
#include "plugin/wire.h"
#include "report/check.h"
#include "report/report.h"

/* ---- base/utf8.h -------------------------------------------------------- */

static void first_bad_byte(void **state)
{
    (void)state;
    static const struct { const char *s; size_t at; } cases[] = {
        { "", 0 }, { "abc", 3 }, { "税收", 6 }, { "ab\xff", 2 }, { "k\xc3", 1 },
        { "\xe4\xb8", 0 }, { "本年{x}\xfe", 9 }, { "a\xc0\x80", 1 }, /* overlong */
        { "\xed\xa0\x80", 0 },                                        /* surrogate */
        { "x\xf4\x90\x80\x80", 1 },                          /* past U+10FFFF */
        { "\xf0\x9f\x98\x80!", 5 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len = strlen(cases[i].s);
        assert_int_equal(ps__utf8_invalid_at(cases[i].s, len), cases[i].at);
        assert_int_equal(ps__utf8_valid(cases[i].s, len), cases[i].at == len);
    }
}

static void characters_and_prefixes(void **state)
{
    (void)state;
    const char *s = "a字b";
    assert_int_equal(ps__utf8_chars(s, strlen(s)), 3);
    assert_int_equal(ps__utf8_prefix(s, strlen(s), 0), 0);
    assert_int_equal(ps__utf8_prefix(s, strlen(s), 1), 1);
    assert_int_equal(ps__utf8_prefix(s, strlen(s), 2), 4); /* never inside 字 */
    assert_int_equal(ps__utf8_prefix(s, strlen(s), 9), 5);
}

static void repair_replaces_each_bad_byte(void **state)
{
    (void)state;
    ps__buf_t out = PS_BUF_INIT;
    assert_int_equal(ps__utf8_repair(&out, "a\xff\xfe税\xe4\xb8", 9), 4);
    assert_string_equal(ps__buf_str(&out),
                        "a\xEF\xBF\xBD\xEF\xBF\xBD税\xEF\xBF\xBD\xEF\xBF\xBD");
    ps__buf_reset(&out);
    assert_int_equal(ps__utf8_repair(&out, "税收", 6), 0);
    assert_string_equal(ps__buf_str(&out), "税收");
    ps__buf_free(&out);
}

/* ---- parkstat/helpers.h: a breakdown part's key -------------------------- */

/* Whatever bytes a ledger tag holds (a quoted CSV field may hold a line
   end), the key made of it is one emit accepts. */
static void part_keys_never_hold_what_emit_refuses(void **state)
{
    (void)state;
    char tag[2] = { 0 }, key[PS_MAX_KEY];
    for (int c = 1; c < 256; c++) {
        tag[0] = (char)c;
        assert_int_equal(ps_part_key(tag, key, sizeof key), 0);
        assert_int_equal(strlen(key), 1);
        assert_null(strpbrk(key, PS_KEY_FORBIDDEN));
    }
    assert_int_equal(ps_part_key("国税\r\n.{x} y\t", key, sizeof key), 0);
    assert_string_equal(key, "国税____x__y_");
    assert_int_equal(ps_part_key("", key, sizeof key), 0);
    assert_string_equal(key, "_none");
    assert_int_equal(ps_part_key("abcdef", key, 4), PS_ERANGE);
    assert_string_equal(key, "");
}

/* ---- report/check.h ----------------------------------------------------- */

static char *repeated(const char *unit, size_t n)
{
    size_t len = strlen(unit);
    char *s = malloc(len * n + 1);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++)
        memcpy(s + i * len, unit, len);
    s[len * n] = '\0';
    return s;
}

static void indicator_strings(void **state)
{
    (void)state;
    static const struct {
        ps__ind_t ind;
        int rc;
        const char *why;
    } cases[] = {
        { { .key = "x", .label = "税收", .value = { 1, "个" } }, 0, "" },
        { { .key = "k\xc3", .label = "税收" }, PS_EINVAL,
          "key of indicator number 4 is not valid UTF-8 (byte offset 1)" },
        { { .key = "x", .label = "ab\xff" }, PS_EINVAL,
          "label of indicator 'x' is not valid UTF-8 (byte offset 2)" },
        { { .key = "x", .label = "l", .code = "\xff" }, PS_EINVAL,
          "ledger indicator of indicator 'x' is not valid UTF-8 (byte offset 0)" },
        { { .key = "x", .label = "l", .parent = "p\x80" }, PS_EINVAL,
          "parent of indicator 'x' is not valid UTF-8 (byte offset 1)" },
        { { .key = "x", .label = "l", .value = { 1, "\xe4\xb8" } }, PS_EINVAL,
          "unit of the value of indicator 'x' is not valid UTF-8 (byte offset 0)" },
        { { .key = "x", .label = "l", .target = { 1, "\xe4" } }, PS_EINVAL,
          "unit of the target of indicator 'x' is not valid UTF-8 (byte offset 0)" },
        { { .key = "x", .label = "l", .next_target = { 1, "\xe4" } }, PS_EINVAL,
          "unit of next year's target of indicator 'x' is not valid UTF-8 (byte offset 0)" },
        { { .label = "\xff" }, PS_EINVAL,
          "label of indicator number 4 is not valid UTF-8 (byte offset 0)" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ps__buf_t why = PS_BUF_INIT;
        assert_int_equal(ps__check_ind(&cases[i].ind, 4, &why), cases[i].rc);
        assert_string_equal(ps__buf_str(&why), cases[i].why);
        ps__buf_free(&why);
    }
}

/* PS_MAX_LABEL counts characters: 32000 of 字 (96000 bytes) pass. */
static void label_limit_in_characters(void **state)
{
    (void)state;
    char *longest = repeated("字", PS_MAX_LABEL), *longer = repeated("x", PS_MAX_LABEL + 1);
    ps__buf_t why = PS_BUF_INIT;
    ps__ind_t ind = { .key = "x", .label = longest };
    assert_int_equal(ps__check_ind(&ind, 1, &why), 0);
    ind.label = longer;
    assert_int_equal(ps__check_ind(&ind, 1, &why), PS_ERANGE);
    assert_string_equal(ps__buf_str(&why),
                        "label of indicator 'x' has 32001 characters; at most 32000 "
                        "(PS_MAX_LABEL)");
    ps__buf_reset(&why);
    assert_int_equal(ps__check_label(longer, "what", &why), PS_ERANGE);
    ps__buf_reset(&why);
    assert_int_equal(ps__check_utf8(longer, "a template", &why), 0); /* no limit */
    assert_int_equal(ps__check_utf8("{x}\xfe", "a template", &why), PS_EINVAL);
    assert_string_equal(ps__buf_str(&why), "a template is not valid UTF-8 (byte offset 3)");
    ps__buf_free(&why);
    free(longest);
    free(longer);
}

static void room_for_indicators(void **state)
{
    (void)state;
    ps__section_t s = { .n_inds = PS_MAX_INDICATORS - 1 };
    ps__buf_t why = PS_BUF_INIT;
    assert_int_equal(ps__check_room(&s, &why), 0);
    s.n_inds++;
    assert_int_equal(ps__check_room(&s, &why), PS_ERANGE);
    assert_string_equal(ps__buf_str(&why),
                        "a section holds at most 1000000 indicators (PS_MAX_INDICATORS)");
    ps__buf_free(&why);
}

static void messages_fitted(void **state)
{
    (void)state;
    char *fit = ps__message_fit("failed on purpose");
    assert_string_equal(fit, "failed on purpose");
    free(fit);
    fit = ps__message_fit("bad \xff\xfe here");
    assert_string_equal(fit, "bad \xEF\xBF\xBD\xEF\xBF\xBD here "
                             "(invalid UTF-8 replaced by U+FFFD)");
    free(fit);

    char *m = repeated("字", 5000);
    fit = ps__message_fit(m);
    char *kept = repeated("字", PS_MAX_MESSAGE - 40);
    size_t n = strlen(kept);
    assert_memory_equal(fit, kept, n);
    assert_string_equal(fit + n, "… (944 more characters)");
    assert_true(ps__utf8_chars(fit, strlen(fit)) <= PS_MAX_MESSAGE);
    char *again = ps__message_fit(fit); /* as the parent fits what a child sent */
    assert_string_equal(again, fit);
    free(again);
    free(fit);
    free(kept);

    m[10] = '\xff'; /* cut and mended: both said, still within the limit */
    fit = ps__message_fit(m);
    assert_true(ps__utf8_valid(fit, strlen(fit)));
    assert_true(ps__utf8_chars(fit, strlen(fit)) <= PS_MAX_MESSAGE);
    assert_non_null(strstr(fit, " more characters) (invalid UTF-8 replaced by U+FFFD)"));
    again = ps__message_fit(fit);
    assert_string_equal(again, fit);
    free(again);
    free(fit);
    free(m);
}

/* ---- the section's keys ------------------------------------------------- */

static void keys_found_in_one_probe(void **state)
{
    (void)state;
    ps__report_t r = { 0 };
    ps__section_t *s = ps__report_add_section(&r, "many", "many", "许多");
    assert_non_null(s);
    char key[32];
    for (int i = 0; i < 100000; i++) {
        snprintf(key, sizeof key, "k%d", i);
        ps__ind_t ind = { .key = key, .label = "l" };
        assert_int_equal(ps__section_add_ind(s, &ind), 0);
    }
    assert_int_equal(s->n_inds, 100000);
    assert_ptr_equal(ps__section_find(s, "k0"), &s->inds[0]);
    assert_ptr_equal(ps__section_find(s, "k99999"), &s->inds[99999]);
    assert_ptr_equal(ps__section_find_n(s, "k123xyz", 4), &s->inds[123]);
    assert_int_equal(ps__section_index(s, "k77", 3), 77);
    assert_null(ps__section_find(s, "k100000"));
    assert_null(ps__section_find(s, ""));

    ps__ind_t twice = { .key = "k5", .label = "again" };
    assert_int_equal(ps__section_add_ind(s, &twice), PS_EEXISTS);
    ps__ind_t empty = { .key = "", .label = "no key" };
    assert_int_equal(ps__section_add_ind(s, &empty), PS_EEXISTS);
    assert_int_equal(s->n_inds, 100000);

    ps__section_clear(s); /* a failed section starts again empty */
    assert_null(ps__section_find(s, "k0"));
    ps__ind_t first = { .key = "k9", .label = "l" };
    assert_int_equal(ps__section_add_ind(s, &first), 0);
    assert_ptr_equal(ps__section_find(s, "k9"), &s->inds[0]);
    ps__report_free(&r);
}

static void failed_section_message(void **state)
{
    (void)state;
    ps__report_t r = { 0 };
    ps__section_t *s = ps__report_add_section(&r, "faulty", "faulty", "故障");
    ps__ind_t ind = { .key = "x", .label = "l" };
    assert_int_equal(ps__section_add_ind(s, &ind), 0);
    assert_int_equal(ps__section_fail(s, "plugin faulty: bad \xff"), 0);
    assert_int_equal(s->n_inds, 0);
    assert_string_equal(s->error, "plugin faulty: bad \xEF\xBF\xBD "
                                  "(invalid UTF-8 replaced by U+FFFD)");
    ps__report_free(&r);
}

/* ---- the wire ----------------------------------------------------------- */

/* Encodes a section built without the API's checks (as a plugin that
   forges its pipe could send it), decodes it, and returns the reason it
   was refused ("" when it was not). */
static char *decoded(void (*fill)(ps__section_t *))
{
    ps__report_t sent = { 0 }, got = { 0 };
    ps__section_t *s = ps__report_add_section(&sent, "faulty", "faulty", "故障");
    fill(s);
    ps__buf_t wire = PS_BUF_INIT, why = PS_BUF_INIT;
    ps__wire_encode(&wire, s);
    ps__section_t *into = ps__report_add_section(&got, "faulty", "faulty", "故障");
    int rc = ps__wire_decode(wire.data, wire.len, &got, into, &why);
    assert_int_equal(rc, why.len ? PS_EPARSE : 0);
    char *result = ps__buf_take(&why);
    if (!rc && into->error) {
        free(result);
        result = strdup(into->error);
    }
    ps__buf_free(&wire);
    ps__report_free(&sent);
    ps__report_free(&got);
    return result;
}

static void add(ps__section_t *s, const char *key, const char *label)
{
    ps__ind_t ind = { .key = (char *)key, .label = (char *)label,
                      .value = { PS_SCALE, "个" } };
    assert_int_equal(ps__section_add_ind(s, &ind), 0);
}

static void bad_label(ps__section_t *s) { add(s, "x", "ab\xff"); }
static void bad_sentence(ps__section_t *s)
{
    add(s, "x", "l");
    assert_int_equal(ps__section_add_sentence(s, PS_SENTENCE_BODY, "{x}\xfe"), 0);
}
static void bad_warning(ps__section_t *s)
{
    assert_int_equal(ps__section_add_warning(s, strdup("阶段\xff")), 0);
}
static void long_label(ps__section_t *s)
{
    char *label = repeated("x", PS_MAX_LABEL + 1);
    add(s, "x", label);
    free(label);
}
static void dotted_key(ps__section_t *s) { add(s, "a.b", "l"); }
static void empty_key(ps__section_t *s)
{
    add(s, "x", "l"); /* the section's own index refuses "", the wire must too */
    free(s->inds[0].key);
    s->inds[0].key = strdup("");
}
static void bad_error(ps__section_t *s) { s->error = strdup("plugin faulty: \xff"); }
static void sound(ps__section_t *s)
{
    add(s, "x", "税收");
    assert_int_equal(ps__section_add_sentence(s, PS_SENTENCE_BODY, "本年{x}"), 0);
}

static void wire_refuses_what_the_api_would(void **state)
{
    (void)state;
    static const struct { void (*fill)(ps__section_t *); const char *why; } cases[] = {
        { bad_label, "malformed result: label of indicator 'x' is not valid UTF-8 "
                     "(byte offset 2)" },
        { bad_sentence, "malformed result: sentence template is not valid UTF-8 "
                        "(byte offset 3)" },
        { bad_warning, "malformed result: warning is not valid UTF-8 (byte offset 6)" },
        { long_label, "malformed result: label of indicator 'x' has 32001 characters; "
                      "at most 32000 (PS_MAX_LABEL)" },
        { dotted_key, "malformed result: an indicator's key is empty or holds "
                      "'{', '}', '.' or white space" },
        { empty_key, "malformed result: an indicator's key is empty or holds "
                     "'{', '}', '.' or white space" },
        { bad_error, "plugin faulty: \xEF\xBF\xBD (invalid UTF-8 replaced by U+FFFD)" },
        { sound, "" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *why = decoded(cases[i].fill);
        assert_string_equal(why, cases[i].why);
        free(why);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(first_bad_byte),
        cmocka_unit_test(characters_and_prefixes),
        cmocka_unit_test(repair_replaces_each_bad_byte),
        cmocka_unit_test(part_keys_never_hold_what_emit_refuses),
        cmocka_unit_test(indicator_strings),
        cmocka_unit_test(label_limit_in_characters),
        cmocka_unit_test(room_for_indicators),
        cmocka_unit_test(messages_fitted),
        cmocka_unit_test(keys_found_in_one_probe),
        cmocka_unit_test(failed_section_message),
        cmocka_unit_test(wire_refuses_what_the_api_would),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
