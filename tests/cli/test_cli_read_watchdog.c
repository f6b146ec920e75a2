/*
 * The reading watchdog of the commands that read files: a phase that
 * outlasts its limit ends with status 74, a fault while it is armed with
 * status 65, each after a message naming the file; once disarmed,
 * nothing of it is left.  Each case runs in a child process.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "read_watchdog.h"

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif

typedef enum { HANG, FAULT, OVERFLOW, DISARMED_FAULT, DISARMED_WAIT } scenario;

/* Recursion deep enough to overflow any stack. */
static int deep(long n)
{
    volatile char frame[1024];
    frame[0] = (char)n;
    return n > 0 ? deep(n - 1) + frame[0] : 0;
}

/* Runs `what` in a child whose stderr goes to err[size]; returns the raw
   wait status. */
static int in_child(scenario what, char *err, size_t size)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        dup2(fds[1], STDERR_FILENO);
        /* The test runner's own fault handlers are not the child's. */
        signal(SIGSEGV, SIG_DFL);
        signal(SIGBUS, SIG_DFL);
        cli_watchdog w;
        cli_watchdog_begin(&w, "runs/ensemble.h5",
                           what == FAULT || what == OVERFLOW ? 0 : 1);
        if (what == DISARMED_FAULT || what == DISARMED_WAIT)
            cli_watchdog_end(&w);
        if (what == FAULT || what == DISARMED_FAULT) {
            raise(SIGSEGV);
            _exit(3);
        }
        if (what == OVERFLOW)
            _exit(deep(1L << 40) == 1 ? 3 : 4);
        sleep(what == HANG ? 10 : 2);
        _exit(0);
    }
    close(fds[1]);
    size_t n = 0;
    ssize_t k;
    while (n + 1 < size && (k = read(fds[0], err + n, size - 1 - n)) > 0)
        n += (size_t)k;
    err[n] = '\0';
    close(fds[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return status;
}

static void test_hang_ends_with_74_naming_the_file(void **state)
{
    (void)state;
    char err[1024];
    int status = in_child(HANG, err, sizeof err);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 74);
    assert_non_null(strstr(err, "runs/ensemble.h5: error: reading the file "
                                "did not finish within 1 s"));
    assert_non_null(strstr(err, "--read-timeout"));
}

static void test_fault_ends_with_65_naming_the_file(void **state)
{
    (void)state;
#ifdef SANITIZED
    skip(); /* AddressSanitizer keeps its own fault handler */
#endif
    char err[1024];
    int status = in_child(FAULT, err, sizeof err);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 65);
    assert_non_null(strstr(err, "runs/ensemble.h5: error: the HDF5 library "
                                "failed while reading the file"));
}

static void test_stack_overflow_ends_with_65(void **state)
{
    (void)state;
#ifdef SANITIZED
    skip(); /* AddressSanitizer keeps its own fault handler */
#endif
    char err[1024];
    int status = in_child(OVERFLOW, err, sizeof err);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 65);
    assert_non_null(strstr(err, "runs/ensemble.h5: error: the HDF5 library "
                                "failed while reading the file"));
}

static void test_disarmed_leaves_signals_as_they_were(void **state)
{
    (void)state;
    char err[1024];
    int status = in_child(DISARMED_FAULT, err, sizeof err);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGSEGV);
    /* The alarm is cancelled: a child outliving the limit exits 0. */
    status = in_child(DISARMED_WAIT, err, sizeof err);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_string_equal(err, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hang_ends_with_74_naming_the_file),
        cmocka_unit_test(test_fault_ends_with_65_naming_the_file),
        cmocka_unit_test(test_stack_overflow_ends_with_65),
        cmocka_unit_test(test_disarmed_leaves_signals_as_they_were),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
