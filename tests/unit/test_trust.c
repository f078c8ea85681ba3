/* Unit tests of core/plugin/trust.h: which plugin files and directories
   are refused before they are opened. Ownership tests chown files to
   another user, which needs root: they are skipped otherwise. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <parkstat/error.h>

#include "base/buf.h"
#include "plugin/trust.h"
#include "testutil.h"

#define STRANGER 12345 /* a uid that is neither root nor the test's */

#define FIX_CHMOD(p) "(fix: chmod go-w " p ", or --no-strict-permissions for a " \
                     "development tree)"
#define FIX_CHOWN(p) "(fix: chown root " p ", or --no-strict-permissions for a " \
                     "development tree)"

typedef struct fixture {
    tu_conf_t conf; /* first: tu_fixture_new() sets it up; only its dir is used */
    ps__buf_t err;
    ps__buf_t shown; /* err with "DIR" for the directory */
} fixture_t;

static int setup(void **state)
{
    *state = tu_fixture_new(sizeof(fixture_t));
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    chmod(f->conf.dir.path, 0700); /* a test may have left it open */
    ps__buf_free(&f->err);
    ps__buf_free(&f->shown);
    tu_fixture_free(f);
    return 0;
}

/* Creates dir/name with `mode` (umask aside); returns its path, malloc'd. */
static char *make_file(fixture_t *f, const char *name, mode_t mode)
{
    char *path = tu_dir_write(&f->conf.dir, name, "\177ELF");
    assert_int_equal(chmod(path, mode), 0);
    return path;
}

static void need_root(void)
{
    if (geteuid() != 0)
        skip();
}

/* What ps__trust_module says of dir/module, with "DIR" for the directory. */
static const char *verdict(fixture_t *f, const char *module, int *rc)
{
    char *path = tu_dir_path(&f->conf.dir, module);
    ps__buf_reset(&f->err);
    *rc = ps__trust_module(path, &f->err);
    free(path);
    ps__buf_t *text = &f->shown;
    ps__buf_reset(text);
    const char *s = ps__buf_str(&f->err);
    size_t n = strlen(f->conf.dir.path);
    for (const char *hit; (hit = strstr(s, f->conf.dir.path)); s = hit + n) {
        ps__buf_append(text, s, (size_t)(hit - s));
        ps__buf_puts(text, "DIR");
    }
    ps__buf_puts(text, s);
    print_message("%s: %s\n", module, ps__buf_str(text));
    return ps__buf_str(text);
}

/* ---- what is trusted ---------------------------------------------------------- */

static void absent_files_are_trusted(void **state)
{
    fixture_t *f = *state;
    int rc;
    assert_string_equal(verdict(f, "nothing", &rc), "");
    assert_int_equal(rc, 0);
}

static void own_files_without_write_for_others_are_trusted(void **state)
{
    fixture_t *f = *state;
    assert_int_equal(chmod(f->conf.dir.path, 0755), 0);
    free(make_file(f, "good.la", 0644));
    free(make_file(f, "good.so", 0755));
    free(make_file(f, ".libs/good.so", 0555));
    int rc;
    assert_string_equal(verdict(f, "good", &rc), "");
    assert_int_equal(rc, 0);
}

/* ---- write permission ------------------------------------------------------------ */

/* Each file a request may open, made writable by its group: the message
   names it. The module is asked for as "good", "good.la" or "good.so". */
static void writable_files_table(void **state)
{
    fixture_t *f = *state;
    static const struct {
        const char *request, *file;
        const char *message;
    } cases[] = {
        { "good", "good", "refusing DIR/good: mode 0664: writable by group "
          FIX_CHMOD("DIR/good") },
        { "good", "good.la", "refusing DIR/good.la: mode 0664: writable by group "
          FIX_CHMOD("DIR/good.la") },
        { "good", "good.so", "refusing DIR/good.so: mode 0664: writable by group "
          FIX_CHMOD("DIR/good.so") },
        { "good", ".libs/good.so", "refusing DIR/.libs/good.so: mode 0664: writable by group "
          FIX_CHMOD("DIR/.libs/good.so") },
        /* a suffix given is the stem's: .libs/good.so is still checked */
        { "good.la", ".libs/good.so", "refusing DIR/.libs/good.so: mode 0664: writable by "
          "group " FIX_CHMOD("DIR/.libs/good.so") },
        { "good.so", "good.so", "refusing DIR/good.so: mode 0664: writable by group "
          FIX_CHMOD("DIR/good.so") },
        { "good.so", ".libs/good.so", "refusing DIR/.libs/good.so: mode 0664: writable by "
          "group " FIX_CHMOD("DIR/.libs/good.so") },
        /* files of another module are none of its business */
        { "good", "other.so", "" },
        { "good", ".libs/other.so", "" },
        { "good", "good.dll", "" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        print_message("case: %s with %s group-writable\n", cases[i].request, cases[i].file);
        char *path = make_file(f, cases[i].file, 0664);
        int rc;
        assert_string_equal(verdict(f, cases[i].request, &rc), cases[i].message);
        assert_int_equal(rc, *cases[i].message ? PS_EPLUGIN : 0);
        assert_int_equal(unlink(path), 0);
        free(path);
    }
}

static void writable_by_others(void **state)
{
    fixture_t *f = *state;
    free(make_file(f, "good.so", 0646));
    int rc;
    assert_string_equal(verdict(f, "good", &rc),
                        "refusing DIR/good.so: mode 0646: writable by others "
                        FIX_CHMOD("DIR/good.so"));
    assert_int_equal(rc, PS_EPLUGIN);
}

/* Writable by both: both are said. */
static void writable_by_all(void **state)
{
    fixture_t *f = *state;
    free(make_file(f, "good.so", 0666));
    int rc;
    assert_string_equal(verdict(f, "good", &rc),
                        "refusing DIR/good.so: mode 0666: writable by group and others "
                        FIX_CHMOD("DIR/good.so"));
    assert_int_equal(rc, PS_EPLUGIN);
}

/* Anyone who can write the directory can put another module in it. */
static void writable_directory(void **state)
{
    fixture_t *f = *state;
    static const struct {
        mode_t mode;
        const char *message;
    } cases[] = {
        { 0770, "refusing DIR: mode 0770: writable by group " FIX_CHMOD("DIR") },
        { 0707, "refusing DIR: mode 0707: writable by others " FIX_CHMOD("DIR") },
        /* sticky: others could not replace a module, but could add one */
        { 01777, "refusing DIR: mode 1777: writable by group and others " FIX_CHMOD("DIR") },
        { 0755, "" },
    };
    free(make_file(f, "good.so", 0644));
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        print_message("case: directory %o\n", (unsigned)cases[i].mode);
        assert_int_equal(chmod(f->conf.dir.path, cases[i].mode), 0);
        int rc;
        assert_string_equal(verdict(f, "good", &rc), cases[i].message);
        assert_int_equal(rc, *cases[i].message ? PS_EPLUGIN : 0);
    }
}

/* The directory is checked first: its problem is the one said. */
static void directory_before_files(void **state)
{
    fixture_t *f = *state;
    free(make_file(f, "good.so", 0666));
    assert_int_equal(chmod(f->conf.dir.path, 0770), 0);
    int rc;
    assert_string_equal(verdict(f, "good", &rc),
                        "refusing DIR: mode 0770: writable by group " FIX_CHMOD("DIR"));
    assert_int_equal(rc, PS_EPLUGIN);
}

/* A bare name is looked for in the working directory, which is checked. */
static void bare_name_checks_the_working_directory(void **state)
{
    fixture_t *f = *state;
    char saved[PATH_MAX];
    assert_non_null(getcwd(saved, sizeof saved));
    free(make_file(f, "good.so", 0664));
    assert_int_equal(chdir(f->conf.dir.path), 0);
    int rc = ps__trust_module("good", &f->err);
    assert_int_equal(chdir(saved), 0);
    assert_int_equal(rc, PS_EPLUGIN);
    assert_string_equal(ps__buf_str(&f->err), "refusing good.so: mode 0664: writable by group "
                                              FIX_CHMOD("good.so"));
    ps__buf_reset(&f->err);
    assert_int_equal(chmod(f->conf.dir.path, 0775), 0);
    assert_int_equal(chdir(f->conf.dir.path), 0);
    rc = ps__trust_module("good", &f->err);
    assert_int_equal(chdir(saved), 0);
    assert_int_equal(rc, PS_EPLUGIN);
    /* the working directory is named as it is, not as "." */
    ps__buf_reset(&f->shown);
    ps__buf_printf(&f->shown, "refusing .: directory %s has mode 0775: writable by group "
                   "(fix: chmod go-w %s, or --no-strict-permissions for a development tree)",
                   f->conf.dir.path, f->conf.dir.path);
    assert_string_equal(ps__buf_str(&f->err), ps__buf_str(&f->shown));
}

/* ---- ownership (as root) ------------------------------------------------------------ */

static void owned_by_someone_else(void **state)
{
    fixture_t *f = *state;
    need_root();
    static const char *const files[] = { "good.so", ".libs/good.so" };
    for (size_t i = 0; i < 2; i++) {
        char *path = make_file(f, files[i], 0644);
        assert_int_equal(chown(path, STRANGER, 0), 0);
        char want[512];
        snprintf(want, sizeof want, "refusing DIR/%s: owned by uid %d, neither root nor uid "
                 "0 that runs parkstat (fix: chown root DIR/%s, or --no-strict-permissions "
                 "for a development tree)", files[i], STRANGER, files[i]);
        int rc;
        assert_string_equal(verdict(f, "good", &rc), want);
        assert_int_equal(rc, PS_EPLUGIN);
        assert_int_equal(unlink(path), 0);
        free(path);
    }
}

/* A file someone else owns and everyone may write: the owner is said. */
static void owner_said_before_permissions(void **state)
{
    fixture_t *f = *state;
    need_root();
    char *path = make_file(f, "good.la", 0666);
    assert_int_equal(chown(path, STRANGER, 0), 0);
    int rc;
    assert_string_equal(verdict(f, "good", &rc),
                        "refusing DIR/good.la: owned by uid 12345, neither root nor uid 0 "
                        "that runs parkstat " FIX_CHOWN("DIR/good.la"));
    assert_int_equal(rc, PS_EPLUGIN);
    free(path);
}

static void directory_owned_by_someone_else(void **state)
{
    fixture_t *f = *state;
    need_root();
    assert_int_equal(chown(f->conf.dir.path, STRANGER, 0), 0);
    int rc;
    assert_string_equal(verdict(f, "good", &rc),
                        "refusing DIR: owned by uid 12345, neither root nor uid 0 that runs "
                        "parkstat " FIX_CHOWN("DIR"));
    assert_int_equal(rc, PS_EPLUGIN);
    assert_int_equal(chown(f->conf.dir.path, 0, 0), 0);
}

/* The user running parkstat may own its plugins: run as STRANGER. A group
   of root's is no matter. */
static void owned_by_the_running_user(void **state)
{
    fixture_t *f = *state;
    need_root();
    assert_int_equal(chmod(f->conf.dir.path, 0755), 0);
    char *path = make_file(f, "good.so", 0644);
    assert_int_equal(chown(path, STRANGER, 0), 0);
    assert_int_equal(seteuid(STRANGER), 0);
    int rc = ps__trust_module(path, &f->err);
    assert_int_equal(seteuid(0), 0);
    assert_string_equal(ps__buf_str(&f->err), "");
    assert_int_equal(rc, 0);
    free(path);
}

/* ---- what cannot be checked ------------------------------------------------------------ */

static void unreadable_path_refused(void **state)
{
    fixture_t *f = *state;
    free(make_file(f, "file", 0644));
    int rc;
    /* "file" is the directory of the request: it exists, but is no directory */
    assert_string_equal(verdict(f, "file/good", &rc),
                        "cannot check DIR/file/good: DIR/file is not a directory");
    assert_int_equal(rc, PS_EPLUGIN);
}

/* A directory its user cannot search: nothing in it can be checked. */
static void unsearchable_directory_refused(void **state)
{
    fixture_t *f = *state;
    need_root();
    free(make_file(f, "good.so", 0644));
    char *path = tu_dir_path(&f->conf.dir, "good");
    assert_int_equal(seteuid(STRANGER), 0);
    int rc = ps__trust_module(path, &f->err);
    assert_int_equal(seteuid(0), 0);
    char want[PATH_MAX + 64];
    snprintf(want, sizeof want, "cannot check %s: Permission denied", path);
    assert_string_equal(ps__buf_str(&f->err), want);
    assert_int_equal(rc, PS_EPLUGIN);
    free(path);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(absent_files_are_trusted),
        T(own_files_without_write_for_others_are_trusted),
        T(writable_files_table),
        T(writable_by_others),
        T(writable_by_all),
        T(writable_directory),
        T(directory_before_files),
        T(bare_name_checks_the_working_directory),
        T(owned_by_someone_else),
        T(owner_said_before_permissions),
        T(directory_owned_by_someone_else),
        T(owned_by_the_running_user),
        T(unreadable_path_refused),
        T(unsearchable_directory_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
