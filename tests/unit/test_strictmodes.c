/* Unit tests of core/base/strictmodes.h: which files, directories on the
   way and symbolic links make a path untrusted. Ownership tests chown to
   another user, which needs root: they are skipped otherwise. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <parkstat/error.h>

#include "base/buf.h"
#include "base/strictmodes.h"
#include "testutil.h"

#define STRANGER 12345 /* a uid that is neither root nor the test's */

typedef struct fixture {
    tu_conf_t conf; /* first: tu_fixture_new() sets it up; only its dir is used */
    ps__buf_t err;
    ps__buf_t shown; /* err with "DIR" for the directory */
    ps__buf_t want;
} fixture_t;

static int setup(void **state)
{
    fixture_t *f = tu_fixture_new(sizeof(fixture_t));
    *state = f;
    return f && chmod(f->conf.dir.path, 0755) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    fixture_t *f = *state;
    chmod(f->conf.dir.path, 0700); /* a test may have left it open */
    ps__buf_free(&f->err);
    ps__buf_free(&f->shown);
    ps__buf_free(&f->want);
    tu_fixture_free(f);
    return 0;
}

static void need_root(void)
{
    if (geteuid() != 0)
        skip();
}

/* Creates DIR/name with `mode`; returns its path, malloc'd. */
static char *make_file(fixture_t *f, const char *name, mode_t mode)
{
    char *path = tu_dir_write(&f->conf.dir, name, "[parkstat]\n");
    assert_int_equal(chmod(path, mode), 0);
    return path;
}

/* DIR/name made a directory of `mode`. */
static void make_dir(fixture_t *f, const char *name, mode_t mode)
{
    char *path = tu_dir_path(&f->conf.dir, name);
    assert_int_equal(mkdir(path, 0700), 0);
    assert_int_equal(chmod(path, mode), 0);
    free(path);
}

/* What ps__strict_check says of DIR/name, with "DIR" for the directory. */
static const char *verdict(fixture_t *f, const char *name, unsigned flags, int *rc)
{
    char *path = tu_dir_path(&f->conf.dir, name);
    ps__buf_reset(&f->err);
    *rc = ps__strict_check(path, flags, &f->err);
    free(path);
    ps__buf_reset(&f->shown);
    const char *s = ps__buf_str(&f->err);
    size_t n = strlen(f->conf.dir.path);
    for (const char *hit; (hit = strstr(s, f->conf.dir.path)); s = hit + n) {
        ps__buf_append(&f->shown, s, (size_t)(hit - s));
        ps__buf_puts(&f->shown, "DIR");
    }
    ps__buf_puts(&f->shown, s);
    print_message("%s: %s\n", name, ps__buf_str(&f->shown));
    return ps__buf_str(&f->shown);
}

/* "… by uid STRANGER, neither root nor uid ME that runs parkstat …". */
static const char *owned_by_stranger(fixture_t *f, const char *refused, const char *what,
                                     const char *culprit)
{
    ps__buf_reset(&f->want);
    ps__buf_printf(&f->want, "refusing %s: %sowned by uid %d, neither root nor uid %u that "
                   "runs parkstat (fix: chown root %s)", refused, what, STRANGER,
                   (unsigned)geteuid(), culprit);
    return ps__buf_str(&f->want);
}

/* ---- the file's own mode ---------------------------------------------------------- */

static void modes_table(void **state)
{
    fixture_t *f = *state;
    static const struct {
        mode_t mode;
        const char *message;
    } cases[] = {
        { 0600, "" },
        { 0644, "" },
        { 0444, "" },
        { 0755, "" },
        { 0664, "refusing DIR/p.ini: mode 0664: writable by group (fix: chmod go-w "
                "DIR/p.ini)" },
        { 0646, "refusing DIR/p.ini: mode 0646: writable by others (fix: chmod go-w "
                "DIR/p.ini)" },
        { 0666, "refusing DIR/p.ini: mode 0666: writable by group and others (fix: "
                "chmod go-w DIR/p.ini)" },
        { 04620, "refusing DIR/p.ini: mode 4620: writable by group (fix: chmod go-w "
                 "DIR/p.ini)" },
    };
    char *path = make_file(f, "p.ini", 0600);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        print_message("case: %04o\n", (unsigned)cases[i].mode);
        assert_int_equal(chmod(path, cases[i].mode), 0);
        int rc;
        assert_string_equal(verdict(f, "p.ini", 0, &rc), cases[i].message);
        assert_int_equal(rc, *cases[i].message ? PS_EINVAL : 0);
    }
    free(path);
}

/* The fix may name the option that relaxes the checks. */
static void relaxable_fix(void **state)
{
    fixture_t *f = *state;
    free(make_file(f, "p.ini", 0620));
    int rc;
    assert_string_equal(verdict(f, "p.ini", PS_STRICT_RELAXABLE, &rc),
                        "refusing DIR/p.ini: mode 0620: writable by group (fix: chmod go-w "
                        "DIR/p.ini, or --no-strict-permissions for a development tree)");
    assert_int_equal(rc, PS_EINVAL);
}

/* ---- the directories on the way ----------------------------------------------------- */

static void directories_on_the_way_table(void **state)
{
    fixture_t *f = *state;
    static const struct {
        mode_t mode;
        const char *message;
    } cases[] = {
        { 0755, "" },
        { 0700, "" },
        { 0775, "refusing DIR/sub/p.ini: directory DIR/sub has mode 0775: writable by group "
                "(fix: chmod go-w DIR/sub)" },
        { 0777, "refusing DIR/sub/p.ini: directory DIR/sub has mode 0777: writable by group "
                "and others (fix: chmod go-w DIR/sub)" },
        /* sticky, as /tmp: others may add names, not replace ours */
        { 01777, "" },
        { 01775, "" },
    };
    make_dir(f, "sub", 0755);
    free(make_file(f, "sub/p.ini", 0644));
    char *sub = tu_dir_path(&f->conf.dir, "sub");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        print_message("case: directory %04o\n", (unsigned)cases[i].mode);
        assert_int_equal(chmod(sub, cases[i].mode), 0);
        int rc;
        assert_string_equal(verdict(f, "sub/p.ini", 0, &rc), cases[i].message);
        assert_int_equal(rc, *cases[i].message ? PS_EINVAL : 0);
    }
    free(sub);
}

/* Every directory up to '/' is checked, not only the nearest. */
static void far_directory_checked(void **state)
{
    fixture_t *f = *state;
    make_dir(f, "a", 0755);
    make_dir(f, "a/b", 0755);
    make_dir(f, "a/b/c", 0755);
    free(make_file(f, "a/b/c/p.ini", 0644));
    char *a = tu_dir_path(&f->conf.dir, "a");
    assert_int_equal(chmod(a, 0757), 0);
    int rc;
    assert_string_equal(verdict(f, "a/b/c/p.ini", 0, &rc),
                        "refusing DIR/a/b/c/p.ini: directory DIR/a has mode 0757: writable "
                        "by others (fix: chmod go-w DIR/a)");
    assert_int_equal(rc, PS_EINVAL);
    free(a);
}

/* A directory asked about itself may not be sticky and open (others could
   add a module to a plugin directory), unless the caller allows it (the
   lock's directory). */
static void sticky_directory_itself(void **state)
{
    fixture_t *f = *state;
    make_dir(f, "open", 01777);
    int rc;
    assert_string_equal(verdict(f, "open", 0, &rc),
                        "refusing DIR/open: mode 1777: writable by group and others (fix: "
                        "chmod go-w DIR/open)");
    assert_int_equal(rc, PS_EINVAL);
    assert_string_equal(verdict(f, "open", PS_STRICT_STICKY_OK, &rc), "");
    assert_int_equal(rc, 0);
    /* the sticky bit is what is allowed, not any open directory */
    char *open = tu_dir_path(&f->conf.dir, "open");
    assert_int_equal(chmod(open, 0777), 0);
    assert_string_equal(verdict(f, "open", PS_STRICT_STICKY_OK, &rc),
                        "refusing DIR/open: mode 0777: writable by group and others (fix: "
                        "chmod go-w DIR/open)");
    assert_int_equal(rc, PS_EINVAL);
    free(open);
}

/* A relative path is walked from the working directory, named as given. */
static void relative_path(void **state)
{
    fixture_t *f = *state;
    free(make_file(f, "p.ini", 0664));
    char saved[PATH_MAX];
    assert_non_null(getcwd(saved, sizeof saved));
    assert_int_equal(chdir(f->conf.dir.path), 0);
    int rc = ps__strict_check("./p.ini", 0, &f->err);
    int rc_parent = ps__strict_check("../", 0, &f->shown);
    assert_int_equal(chdir(saved), 0);
    assert_string_equal(ps__buf_str(&f->err), "refusing ./p.ini: mode 0664: writable by "
                                              "group (fix: chmod go-w ./p.ini)");
    assert_int_equal(rc, PS_EINVAL);
    /* the parent of the fixture is /tmp: sticky, so refused as itself */
    assert_string_equal(ps__buf_str(&f->shown), "refusing ../: mode 1777: writable by group "
                                                "and others (fix: chmod go-w ../)");
    assert_int_equal(rc_parent, PS_EINVAL);
}

/* ---- symbolic links ------------------------------------------------------------------ */

/* A link is followed; what it leads to is checked, and so is the way
   there: the link's own mode means nothing. */
static void links_table(void **state)
{
    fixture_t *f = *state;
    make_dir(f, "real", 0755);
    make_dir(f, "open", 0777);
    free(make_file(f, "real/good.ini", 0644));
    free(make_file(f, "real/loose.ini", 0666));
    free(make_file(f, "open/p.ini", 0644));
    static const struct {
        const char *link, *target, *asked;
        const char *message;
    } cases[] = {
        { "to-good.ini", "real/good.ini", "to-good.ini", "" },
        { "abs-good.ini", NULL, "abs-good.ini", "" }, /* absolute target */
        { "to-loose.ini", "real/loose.ini", "to-loose.ini",
          "refusing DIR/to-loose.ini: mode 0666: writable by group and others (fix: "
          "chmod go-w DIR/to-loose.ini)" },
        { "to-open.ini", "open/p.ini", "to-open.ini",
          "refusing DIR/to-open.ini: directory DIR/open has mode 0777: writable by group "
          "and others (fix: chmod go-w DIR/open)" },
        { "dirlink", "real", "dirlink/good.ini", "" },
        { "updir", "real/../real", "updir/good.ini", "" },
        { "dangling.ini", "real/none.ini", "dangling.ini", "DIR/dangling.ini does not exist" },
        { "loop", "loop", "loop", "cannot check DIR/loop: more than 40 symbolic links" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        print_message("case: %s\n", cases[i].link);
        char *link = tu_dir_path(&f->conf.dir, cases[i].link);
        char *target = cases[i].target ? strdup(cases[i].target)
                                       : tu_dir_path(&f->conf.dir, "real/good.ini");
        assert_int_equal(symlink(target, link), 0);
        int rc;
        assert_string_equal(verdict(f, cases[i].asked, 0, &rc), cases[i].message);
        int want = !*cases[i].message ? 0 : strstr(cases[i].message, "does not exist")
                   ? PS_ENOENT : strstr(cases[i].message, "cannot check") ? PS_EIO
                   : PS_EINVAL;
        assert_int_equal(rc, want);
        free(target);
        free(link);
    }
}

/* ---- what cannot be checked ---------------------------------------------------------- */

static void missing_and_not_a_directory(void **state)
{
    fixture_t *f = *state;
    free(make_file(f, "file", 0644));
    int rc;
    assert_string_equal(verdict(f, "none/p.ini", 0, &rc), "DIR/none/p.ini does not exist");
    assert_int_equal(rc, PS_ENOENT);
    assert_string_equal(verdict(f, "file/p.ini", 0, &rc),
                        "cannot check DIR/file/p.ini: DIR/file is not a directory");
    assert_int_equal(rc, PS_EIO);
}

/* ---- ownership (as root) ---------------------------------------------------------------- */

static void file_of_another_user(void **state)
{
    fixture_t *f = *state;
    need_root();
    char *path = make_file(f, "p.ini", 0666); /* the owner is said before the mode */
    assert_int_equal(chown(path, STRANGER, 0), 0);
    int rc;
    assert_string_equal(verdict(f, "p.ini", 0, &rc),
                        owned_by_stranger(f, "DIR/p.ini", "", "DIR/p.ini"));
    assert_int_equal(rc, PS_EINVAL);
    free(path);
}

static void directory_of_another_user(void **state)
{
    fixture_t *f = *state;
    need_root();
    make_dir(f, "theirs", 0755);
    free(make_file(f, "theirs/p.ini", 0644));
    char *dir = tu_dir_path(&f->conf.dir, "theirs");
    assert_int_equal(chown(dir, STRANGER, 0), 0);
    int rc;
    assert_string_equal(verdict(f, "theirs/p.ini", 0, &rc),
                        owned_by_stranger(f, "DIR/theirs/p.ini", "directory DIR/theirs is ",
                                          "DIR/theirs"));
    assert_int_equal(rc, PS_EINVAL);
    /* a sticky directory of another user is no better: they may rename ours */
    assert_int_equal(chmod(dir, 01777), 0);
    assert_string_equal(verdict(f, "theirs/p.ini", 0, &rc),
                        owned_by_stranger(f, "DIR/theirs/p.ini", "directory DIR/theirs is ",
                                          "DIR/theirs"));
    assert_int_equal(rc, PS_EINVAL);
    free(dir);
}

/* Whoever owns a link may point it elsewhere. */
static void link_of_another_user(void **state)
{
    fixture_t *f = *state;
    need_root();
    free(make_file(f, "p.ini", 0644));
    char *link = tu_dir_path(&f->conf.dir, "link.ini");
    assert_int_equal(symlink("p.ini", link), 0);
    assert_int_equal(lchown(link, STRANGER, 0), 0);
    int rc;
    assert_string_equal(verdict(f, "link.ini", 0, &rc),
                        owned_by_stranger(f, "DIR/link.ini", "symbolic link DIR/link.ini is ",
                                          "DIR/link.ini"));
    assert_int_equal(rc, PS_EINVAL);
    free(link);
}

/* The user running parkstat may own the file; in a sticky directory too. */
static void owned_by_the_running_user(void **state)
{
    fixture_t *f = *state;
    need_root();
    make_dir(f, "shared", 01777);
    char *path = make_file(f, "shared/p.ini", 0644);
    assert_int_equal(chown(path, STRANGER, 0), 0);
    assert_int_equal(seteuid(STRANGER), 0);
    int rc = ps__strict_check(path, 0, &f->err);
    assert_int_equal(seteuid(0), 0);
    assert_string_equal(ps__buf_str(&f->err), "");
    assert_int_equal(rc, 0);
    free(path);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(modes_table),
        T(relaxable_fix),
        T(directories_on_the_way_table),
        T(far_directory_checked),
        T(sticky_directory_itself),
        T(relative_path),
        T(links_table),
        T(missing_and_not_a_directory),
        T(file_of_another_user),
        T(directory_of_another_user),
        T(link_of_another_user),
        T(owned_by_the_running_user),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
