/* Unit tests of core/base/lock.h: one run at a time, and a dying child of a
   killed run never keeps the next one out. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <parkstat/error.h>

#include "base/lock.h"

#define PATH_TEMPLATE "/tmp/parkstat-test-lock-XXXXXX"
static char path[sizeof PATH_TEMPLATE];

static int setup(void **state)
{
    (void)state;
    memcpy(path, PATH_TEMPLATE, sizeof PATH_TEMPLATE);
    int fd = mkstemp(path);
    return fd < 0 ? -1 : close(fd);
}

static int teardown(void **state)
{
    (void)state;
    return unlink(path);
}

/* Forks a run that takes the lock and forks a child that outlives it; the
   run exits at once. Returns the lingering child's pid. */
static pid_t run_with_lingering_child(int close_inherited)
{
    int ready[2];
    assert_int_equal(pipe(ready), 0);
    pid_t run = fork();
    assert_true(run >= 0);
    if (run == 0) {
        ps__buf_t err = PS_BUF_INIT;
        if (ps__lock_take(path, &err) < 0)
            _exit(1);
        pid_t child = fork();
        if (child == 0) {
            if (close_inherited)
                ps__lock_close_inherited();
            /* said only once it has closed its copy (or chose not to) */
            pid_t self = getpid();
            if (write(ready[1], &self, sizeof self) != sizeof self)
                _exit(1);
            pause(); /* a plugin still computing, or slow to die */
            _exit(0);
        }
        _exit(child > 0 ? 0 : 1);
    }
    pid_t child = 0;
    close(ready[1]);
    assert_int_equal(read(ready[0], &child, sizeof child), sizeof child);
    close(ready[0]);
    int status;
    assert_int_equal(waitpid(run, &status, 0), run);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    return child;
}

static void reap(pid_t child)
{
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
}

static void child_that_closed_its_copy_frees_the_lock(void **state)
{
    (void)state;
    pid_t child = run_with_lingering_child(1);
    ps__buf_t err = PS_BUF_INIT;
    pid_t next = fork(); /* the next run, in a process of its own */
    if (next == 0)
        _exit(ps__lock_take(path, &err) == 0 ? 0 : 1);
    int status;
    assert_int_equal(waitpid(next, &status, 0), next);
    assert_int_equal(WEXITSTATUS(status), 0);
    reap(child);
}

/* Without closing its copy, the child holds the lock: what the fix is for. */
static void child_that_kept_its_copy_holds_the_lock(void **state)
{
    (void)state;
    pid_t child = run_with_lingering_child(0);
    ps__buf_t err = PS_BUF_INIT;
    assert_int_equal(ps__lock_take(path, &err), PS_EEXISTS);
    assert_non_null(strstr(ps__buf_str(&err), "holds the lock"));
    ps__buf_free(&err);
    reap(child);
}

/* Takes the lock at `at` in a child (so this process never holds one):
   its exit status is 0 when it took it. */
static int taken_in_child(const char *at)
{
    pid_t run = fork();
    assert_true(run >= 0);
    if (run == 0) {
        ps__buf_t err = PS_BUF_INIT;
        _exit(ps__lock_take(at, &err) == 0 ? 0 : 1);
    }
    int status;
    assert_int_equal(waitpid(run, &status, 0), run);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Refused with PS_EIO, saying exactly `want` (freed here). */
static void expect_refused(const char *at, ps__buf_t *want)
{
    ps__buf_t err = PS_BUF_INIT;
    assert_int_equal(ps__lock_take(at, &err), PS_EIO);
    assert_string_equal(ps__buf_str(&err), ps__buf_str(want));
    ps__buf_free(&err);
    ps__buf_free(want);
}

/* Not a regular file (a FIFO opens at once for reading and writing):
   refused, never waited on. */
static void fifo_refused(void **state)
{
    (void)state;
    assert_int_equal(unlink(path), 0);
    assert_int_equal(mkfifo(path, 0600), 0);
    ps__buf_t want = PS_BUF_INIT;
    ps__buf_printf(&want, "cannot use the lock file %s: it is not a regular file (expected "
                   "the path of a file parkstat may create)", path);
    expect_refused(path, &want);
}

static void file_of_another_user_refused(void **state)
{
    (void)state;
    if (geteuid() != 0)
        skip(); /* only root can give a file away */
    assert_int_equal(chown(path, 12345, 12345), 0);
    ps__buf_t want = PS_BUF_INIT;
    ps__buf_printf(&want, "cannot use the lock file %s: it belongs to uid 12345, not to uid "
                   "%u that runs parkstat: refused (remove it, or set lock_file)", path,
                   (unsigned)geteuid());
    expect_refused(path, &want);
}

static void directory_of_another_user_refused(void **state)
{
    (void)state;
    if (geteuid() != 0)
        skip();
    char dir[] = "/tmp/parkstat-test-lockdir-XXXXXX";
    assert_non_null(mkdtemp(dir));
    assert_int_equal(chown(dir, 12345, 12345), 0);
    char at[sizeof dir + 16];
    snprintf(at, sizeof at, "%s/x.lock", dir);
    ps__buf_t want = PS_BUF_INIT;
    ps__buf_printf(&want, "cannot use the lock file %s: its directory is not safe: refusing "
                   "%s: owned by uid 12345, neither root nor uid %u that runs parkstat (fix: "
                   "chown root %s)", at, dir, (unsigned)geteuid(), dir);
    expect_refused(at, &want);
    assert_int_equal(rmdir(dir), 0);
}

/* The default lock's own directory is made, for this user only. */
static void missing_directory_made_private(void **state)
{
    (void)state;
    char dir[] = "/tmp/parkstat-test-lockdir-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char sub[sizeof dir + 8], at[sizeof dir + 16];
    snprintf(sub, sizeof sub, "%s/own", dir);
    snprintf(at, sizeof at, "%s/x.lock", sub);
    assert_int_equal(taken_in_child(at), 0);
    struct stat st;
    assert_int_equal(stat(sub, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0700);
    assert_int_equal(unlink(at), 0);
    assert_int_equal(rmdir(sub), 0);
    assert_int_equal(rmdir(dir), 0);
}

/* ---- ps__lock_check: what a configured lock_file is refused for ------------ */

/* What ps__lock_check says of `at`, "" when nothing; the code is PS_EINVAL
   exactly when it says something. */
static ps__buf_t said; /* freed by check_table */

static const char *check_says(const char *at)
{
    ps__buf_reset(&said);
    int rc = ps__lock_check(at, &said);
    assert_int_equal(rc, said.len ? PS_EINVAL : 0);
    return ps__buf_str(&said);
}

static void check_table(void **state)
{
    (void)state;
    char dir[] = "/tmp/parkstat-test-lockdir-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char at[sizeof dir + 32], want[2 * sizeof dir + 256];

    snprintf(at, sizeof at, "%s/fresh.lock", dir);
    assert_string_equal(check_says(at), ""); /* not made yet: nothing to say */
    assert_int_equal(access(at, F_OK), -1);  /* and nothing made */

    snprintf(at, sizeof at, "%s/missing/x.lock", dir);
    snprintf(want, sizeof want, "its directory %s/missing does not exist (expected a file "
             "in an existing directory of your own)", dir);
    assert_string_equal(check_says(at), want);

    snprintf(want, sizeof want, "it is a directory (expected the path of a file, such as "
             "%s/parkstat.lock)", dir);
    assert_string_equal(check_says(dir), want);

    assert_string_equal(check_says("/dev/null"), "it is not a regular file (expected the "
                                                 "path of a file parkstat may create)");

    snprintf(at, sizeof at, "%s/link.lock", dir);
    assert_int_equal(symlink("/dev/null", at), 0);
    assert_string_equal(check_says(at), "it is a symbolic link: refused (remove it, or set "
                                         "lock_file)");
    assert_int_equal(unlink(at), 0);

    /* others may write a sticky directory, as /tmp, but not a plain one */
    snprintf(at, sizeof at, "%s/x.lock", dir);
    assert_int_equal(chmod(dir, 01777), 0);
    assert_string_equal(check_says(at), "");
    assert_int_equal(chmod(dir, 0777), 0);
    snprintf(want, sizeof want, "its directory is not safe: refusing %s: mode 0777: writable "
             "by group and others (fix: chmod go-w %s)", dir, dir);
    assert_string_equal(check_says(at), want);
    assert_int_equal(rmdir(dir), 0);
    ps__buf_free(&said);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(child_that_closed_its_copy_frees_the_lock, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(child_that_kept_its_copy_holds_the_lock, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(fifo_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(file_of_another_user_refused, setup, teardown),
        cmocka_unit_test(directory_of_another_user_refused),
        cmocka_unit_test(missing_directory_made_private),
        cmocka_unit_test(check_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
