/* Unit tests of core/config/iniscan.h: the second reading of parkstat.ini
   that says, with file and line, what iniparser would silently accept or
   refuse without saying where. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <iniparser/iniparser.h>

#include "base/buf.h"
#include "base/diag.h"
#include "config/iniscan.h"
#include "testutil.h"

/* iniparser takes lines of at most this many bytes, newline included. */
#define LONGEST 1022

/* The shared fixture: the scanner reads dir/scan.ini (path) into diag, and
   cfg is left alone. */
typedef tu_conf_t fixture_t;

static int setup(void **state)
{
    *state = tu_fixture_new(sizeof(fixture_t));
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    tu_fixture_free(*state);
    return 0;
}

/* Scans `text` as the file "scan.ini"; returns how many problems it had. */
static int scan(fixture_t *f, const char *text)
{
    tu_conf_reset(f);
    tu_conf_write(f, "scan.ini", text);
    int problems = ps__ini_scan(f->path, NULL, &f->diag);
    tu_print_diag(&f->diag);
    return problems;
}

/* "<the file's path>:<rest>", in a ring of buffers. */
static const char *at(const fixture_t *f, const char *rest)
{
    static char ring[4][PATH_MAX + 256];
    static size_t next;
    char *text = ring[next++ % 4];
    snprintf(text, sizeof ring[0], "%s:%s", f->path, rest);
    return text;
}

/* ---- repeated keys ------------------------------------------------------------- */

/* Files iniparser reads as their author meant: nothing to say. */
static void clean_files_table(void **state)
{
    fixture_t *f = *state;
    static const struct {
        const char *what, *text;
    } cases[] = {
        { "empty", "" },
        { "one of each", "[parkstat]\nzone = 区\n[plugin.tax]\nmodule = tax\n" },
        { "the same key in two sections", "[a]\nkey = 1\n[b]\nkey = 1\n" },
        { "comments that look like keys", "[a]\n; key = 1\n; key = 2\n# key = 3\n#key=4\n" },
        { "blank lines", "[a]\nkey = 1\n  \n\n\t\n" },
        { "an empty value, and one of only a comment", "[a]\nk =\nj = ; why\n" },
        { "quoted values with ';' and '='", "[a]\nk = \"a;b=c\"\nj = 'x;y'\n" },
        { "a value going on in the next line", "[a]\nk = one \\\n  two\nj = 3\n" },
        { "UTF-8 everywhere", "; 注释\n[园区]\n名称 = 经开区\n" },
        { "the same text in a value", "[a]\nx = key = 1\ny = key = 1\n" },
        { "section names with '.' are distinct", "[plugin.a]\nm = 1\n[plugin.b]\nm = 1\n" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        print_message("case: %s\n", cases[i].what);
        assert_int_equal(scan(f, cases[i].text), 0);
        assert_int_equal(f->diag.count, 0);
    }
}

/* Each repetition is said at its line, naming the first. */
static void repeated_keys_table(void **state)
{
    fixture_t *f = *state;
    static const struct {
        const char *what, *text;
        const char *messages[2]; /* after "<path>:"; NULL ends */
    } cases[] = {
        { "twice in a section", "[plugin.tax]\nmodule = tax\ntarget = 1亿\n\ntarget = 2亿\n",
          { "5: [plugin.tax] key 'target' is set again (first at line 3); remove one" } },
        { "case and spaces do not make another key",
          "[Plugin.Tax]\n  Target=1亿\n\tTARGET   =   2亿\n",
          { "3: [plugin.tax] key 'target' is set again (first at line 2); remove one" } },
        { "a section opened again",
          "[a]\nkey = 1\n[b]\nkey = 1\n[ A ]\nkey = 2\n",
          { "6: [a] key 'key' is set again (first at line 2); remove one" } },
        { "three times: twice said, both naming the first",
          "[a]\nk = 1\nk = 2\nk = 3\n",
          { "3: [a] key 'k' is set again (first at line 2); remove one",
            "4: [a] key 'k' is set again (first at line 2); remove one" } },
        { "an empty value counts", "[a]\nk =\nk = 1\n",
          { "3: [a] key 'k' is set again (first at line 2); remove one" } },
        { "Windows line ends", "[a]\r\nk = 1\r\nk = 2\r\n",
          { "3: [a] key 'k' is set again (first at line 2); remove one" } },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        print_message("case: %s\n", cases[i].what);
        size_t n = cases[i].messages[1] ? 2 : 1;
        assert_int_equal(scan(f, cases[i].text), n);
        assert_int_equal(f->diag.count, n);
        for (size_t k = 0; k < n; k++)
            assert_string_equal(f->diag.messages[k], at(f, cases[i].messages[k]));
    }
}

/* ---- what iniparser would refuse or ignore, said at its line ----------------------- */

static void refused_lines_table(void **state)
{
    fixture_t *f = *state;
    static const struct {
        const char *what, *text;
        const char *message; /* after "<path>:" */
    } cases[] = {
        { "a line without '='", "[a]\nk = 1\nthis line has no equals\n",
          "3: 'this line has no equals' cannot be read (expected [section], KEY = VALUE, "
          "or a comment starting with ';' or '#')" },
        { "a line without a key", "[a]\n  = 5\n",
          "2: '= 5' cannot be read (expected [section], KEY = VALUE, or a comment "
          "starting with ';' or '#')" },
        { "an unclosed section", "[a]\n[parkstat\n",
          "2: '[parkstat' has no closing ']' (expected [section])" },
        { "an unclosed section whose keys follow", "[parkstat\nzone = 区\n",
          "1: '[parkstat' has no closing ']' (expected [section])" },
        { "a byte-order mark", "\xEF\xBB\xBF[parkstat]\nzone = 区\n",
          "1: the file starts with a byte-order mark (U+FEFF), which the INI reader does "
          "not take (expected UTF-8 without one: save it as \"UTF-8\", not \"UTF-8 with "
          "BOM\")" },
        { "a key before any section", "; head\nzone = 区\n[parkstat]\n",
          "2: key 'zone' comes before any [section] (expected it under [parkstat] or the "
          "section it belongs to)" },
        { "a value not UTF-8", "[parkstat]\nzone = \xff\xfe\n",
          "2: key 'zone' is not valid UTF-8 (the configuration is read as UTF-8)" },
        { "a GB18030 label", "[indicator.fai]\nlabel = \xb9\xcc\xb6\xa8\n",
          "2: key 'label' is not valid UTF-8 (the configuration is read as UTF-8)" },
        { "a key's name not UTF-8", "[a]\nk\xc3 = 1\n",
          "2: a key's name is not valid UTF-8 (the configuration is read as UTF-8)" },
        { "a section's name not UTF-8", "[a\xe4]\n",
          "1: a section's name is not valid UTF-8 (the configuration is read as UTF-8)" },
        { "a comment not UTF-8", "[a]\n; \xd7\xa2\xca\xcd\n",
          "2: a comment is not valid UTF-8 (the configuration is read as UTF-8)" },
        { "an overlong encoding", "[a]\nk = \xc0\xaf\n",
          "2: key 'k' is not valid UTF-8 (the configuration is read as UTF-8)" },
        { "a line that goes on is said at its first line",
          "[a]\nk = 1 \\\n\xff\n",
          "2: key 'k' is not valid UTF-8 (the configuration is read as UTF-8)" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        print_message("case: %s\n", cases[i].what);
        assert_int_equal(scan(f, cases[i].text), 1);
        assert_int_equal(f->diag.count, 1);
        assert_string_equal(f->diag.messages[0], at(f, cases[i].message));
    }
}

/* What the scan lets through, iniparser reads without a word: the
   scan's idea of a line is iniparser's. */
static void clean_lines_load_silently(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(scan(f, "[a]\nk =\nj = ; c\nq = \"x;y\"\nm = 1 \\\n 2\n"), 0);
    dictionary *ini = iniparser_load(f->path);
    assert_non_null(ini);
    assert_string_equal(iniparser_getstring(ini, "a:q", ""), "x;y");
    assert_string_equal(iniparser_getstring(ini, "a:j", "?"), "");
    iniparser_freedict(ini);
}

/* Where each key is set, for the messages that name a line. */
static void lines_of_keys(void **state)
{
    fixture_t *f = *state;
    tu_conf_reset(f);
    tu_conf_write(f, "scan.ini", "[parkstat]\n; c\nZone = 区\n\n[Plugin.Tax]\n"
                                 "target.2023 = 1\nmodule = tax\n");
    ps__ini_lines_t lines;
    assert_int_equal(ps__ini_scan(f->path, &lines, &f->diag), 0);
    assert_int_equal(ps__ini_line(&lines, "parkstat", "zone"), 3);
    assert_int_equal(ps__ini_line(&lines, "plugin.tax", "target.2023"), 6);
    assert_int_equal(ps__ini_line(&lines, "plugin.tax", "module"), 7);
    assert_int_equal(ps__ini_line(&lines, "plugin.tax", "zone"), 0);
    assert_int_equal(ps__ini_line(&lines, "plugin", "tax:module"), 0);
    ps__ini_lines_free(&lines);
}

/* ---- over-long lines -------------------------------------------------------------- */

/* "[a]\n" then "k = vvvv…\n" of `bytes` bytes in all, then `tail`. */
static char *with_line_of(size_t bytes, const char *tail)
{
    ps__buf_t b = PS_BUF_INIT;
    ps__buf_puts(&b, "[a]\nk = ");
    while (b.len < 4 + bytes - 1)
        ps__buf_puts(&b, "v");
    ps__buf_printf(&b, "\n%s", tail);
    return ps__buf_take(&b);
}

/* The longest line the scan lets through is one iniparser reads whole. */
static void longest_line_accepted(void **state)
{
    fixture_t *f = *state;
    char *text = with_line_of(LONGEST, "");
    assert_int_equal(scan(f, text), 0);
    dictionary *ini = iniparser_load(f->path);
    assert_non_null(ini);
    assert_int_equal(strlen(iniparser_getstring(ini, "a:k", "")), LONGEST - strlen("k = \n"));
    iniparser_freedict(ini);
    free(text);
}

static void longer_line_refused(void **state)
{
    fixture_t *f = *state;
    char *text = with_line_of(LONGEST + 1, "");
    assert_int_equal(scan(f, text), 1);
    assert_int_equal(f->diag.count, 1);
    assert_string_equal(f->diag.messages[0],
                        at(f, "2: line of 1023 bytes, longer than the 1022 the INI reader "
                              "takes: shorten it"));
    free(text);
}

/* The last line may end without a newline; its length is what it has. */
static void long_last_line_without_newline(void **state)
{
    fixture_t *f = *state;
    char *text = with_line_of(2000, "");
    text[strlen(text) - 1] = '\0';
    assert_int_equal(scan(f, text), 1);
    assert_string_equal(f->diag.messages[0],
                        at(f, "2: line of 1999 bytes, longer than the 1022 the INI reader "
                              "takes: shorten it"));
    free(text);
}

/* A refused line sets nothing: the same key after it is no repetition,
   and lines are still counted. */
static void long_line_then_more(void **state)
{
    fixture_t *f = *state;
    char *text = with_line_of(1500, "k = 2\nj = 1\nj = 2\n");
    assert_int_equal(scan(f, text), 2);
    assert_int_equal(f->diag.count, 2);
    assert_string_equal(f->diag.messages[0],
                        at(f, "2: line of 1500 bytes, longer than the 1022 the INI reader "
                              "takes: shorten it"));
    assert_string_equal(f->diag.messages[1],
                        at(f, "5: [a] key 'j' is set again (first at line 4); remove one"));
    free(text);
}

/* ---- the file itself -------------------------------------------------------------- */

/* A file that cannot be read is for the caller to say. */
static void unreadable_file_is_not_a_problem(void **state)
{
    fixture_t *f = *state;
    char *missing = tu_dir_path(&f->dir, "missing.ini");
    assert_int_equal(ps__ini_scan(missing, NULL, &f->diag), 0);
    assert_int_equal(f->diag.count, 0);
    assert_int_equal(ps__ini_scan(f->dir.path, NULL, &f->diag), 0); /* a directory */
    assert_int_equal(f->diag.count, 0);
    free(missing);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(clean_files_table),
        T(repeated_keys_table),
        T(refused_lines_table),
        T(clean_lines_load_silently),
        T(lines_of_keys),
        T(longest_line_accepted),
        T(longer_line_refused),
        T(long_last_line_without_newline),
        T(long_line_then_more),
        T(unreadable_file_is_not_a_problem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
