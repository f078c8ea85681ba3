/* Unit tests of core/base/outdir.h: the output directory made, or only
   checked, before a run computes anything. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "base/outdir.h"
#include "testutil.h"

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Each missing level is made; a directory already there is left as it is. */
static void missing_levels_made(void **state)
{
    (void)state;
    tu_dir_t d;
    tu_dir_make(&d);
    char *deep = tu_dir_path(&d, "a/b/c/");
    ps__buf_t err = PS_BUF_INIT;
    assert_int_equal(ps__outdir_prepare(deep, 1, &err), 1);
    assert_true(exists(deep));
    assert_int_equal(ps__outdir_prepare(deep, 1, &err), 0);
    assert_int_equal(err.len, 0);
    free(deep);
    tu_dir_remove(&d);
    ps__buf_free(&err);
}

/* Without `create` (--check) the answer is the same and nothing is made. */
static void check_only_makes_nothing(void **state)
{
    (void)state;
    tu_dir_t d;
    tu_dir_make(&d);
    char *deep = tu_dir_path(&d, "a/b");
    ps__buf_t err = PS_BUF_INIT;
    assert_int_equal(ps__outdir_prepare(deep, 0, &err), 0);
    char *a = tu_dir_path(&d, "a");
    assert_false(exists(a));
    free(a);
    free(deep);
    tu_dir_remove(&d);
    ps__buf_free(&err);
}

/* A relative path is made from the current directory. */
static void relative_path_made_here(void **state)
{
    (void)state;
    tu_dir_t d;
    tu_dir_make(&d);
    char cwd[PATH_MAX];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(d.path), 0);
    ps__buf_t err = PS_BUF_INIT;
    assert_int_equal(ps__outdir_prepare("out/month", 1, &err), 1);
    assert_true(exists("out/month"));
    assert_int_equal(chdir(cwd), 0);
    tu_dir_remove(&d);
    ps__buf_free(&err);
}

/* A file where a directory should be is named, in both modes. */
static void file_in_the_way_named(void **state)
{
    (void)state;
    tu_dir_t d;
    tu_dir_make(&d);
    char *file = tu_dir_write(&d, "report", "");
    char *deep = tu_dir_path(&d, "report/out");
    char want[2 * PATH_MAX + 64];
    snprintf(want, sizeof want, "the output directory %s cannot be made: %s is not a "
             "directory", deep, file);
    for (int create = 0; create <= 1; create++) {
        ps__buf_t err = PS_BUF_INIT;
        assert_int_equal(ps__outdir_prepare(deep, create, &err), -1);
        assert_string_equal(ps__buf_str(&err), want);
        ps__buf_free(&err);
    }
    ps__buf_t err = PS_BUF_INIT;
    snprintf(want, sizeof want, "the output directory %s cannot be made: %s is not a "
             "directory", file, file);
    assert_int_equal(ps__outdir_prepare(file, 1, &err), -1);
    assert_string_equal(ps__buf_str(&err), want);
    ps__buf_free(&err);
    free(deep);
    free(file);
    tu_dir_remove(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(missing_levels_made),
        cmocka_unit_test(check_only_makes_nothing),
        cmocka_unit_test(relative_path_made_here),
        cmocka_unit_test(file_in_the_way_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
