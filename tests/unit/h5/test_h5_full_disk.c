/*
 * A full disk while writing: simulated with a file size limit
 * (RLIMIT_FSIZE, SIGXFSZ ignored, so writes fail with EFBIG).  The sink
 * must report PS_ERR_IO naming the file, refuse to commit, and leave the
 * .partial file.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "h5_fixture.h"

enum { RUNS = 4000, BLOCK = 50 };

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static void test_sink_reports_a_full_disk_as_io_error(void **state)
{
    const char *base = getenv("PLANSIM_TEST_TMPDIR");
    char dir[4096], path[4200], partial[4300];
    snprintf(dir, sizeof dir, "%s/h5full-XXXXXX", base ? base : ".");
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/out.h5", dir);
    snprintf(partial, sizeof partial, "%s.partial", path);

    ps_h5_sink *sink;
    ps_error err;
    assert_int_equal(ps_h5_sink_open(path, fx_meta(), NULL, &sink, &err),
                     PS_OK);
    struct stat st;
    assert_int_equal(stat(partial, &st), 0);

    /* From here the file may grow by 16 KiB only. */
    struct rlimit old, lim;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    lim = old;
    lim.rlim_cur = (rlim_t)st.st_size + 16384;
    void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);

    const ps_ensemble_layout layout = {.nruns = RUNS,
                                       .ntimes = FX_TIMES,
                                       .times = fx_times,
                                       .nsave = FX_VARS,
                                       .ninputs = FX_INPUTS,
                                       .block = BLOCK};
    ps_status s = ps_h5_sink_type.begin(sink, &layout, &err);
    static unsigned char status[BLOCK];
    static double values[BLOCK * FX_VARS * FX_TIMES], in[BLOCK * FX_INPUTS];
    memset(status, PS_RUN_OK, sizeof status);
    for (size_t first = 0; first < RUNS && s == PS_OK; first += BLOCK)
        s = ps_h5_sink_type.write_block(sink, first, BLOCK, status, values, in,
                                        &err);
    if (s == PS_OK)
        s = ps_h5_sink_type.end(sink, &err);
    assert_int_equal(s, PS_ERR_IO);
    assert_string_equal(err.file, partial);
    assert_non_null(strstr(err.message, "File too large"));

    ps_error cerr;
    assert_int_equal(ps_h5_sink_close(&sink, 1, &cerr), PS_ERR_IO);
    assert_null(sink);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, old_handler);

    assert_false(exists(path));
    assert_true(exists(partial));
    remove(partial);
    assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sink_reports_a_full_disk_as_io_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
