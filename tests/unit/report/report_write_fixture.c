/*
 * Writes the report tests' files for the command-line test:
 *
 *   report_write_fixture WITH_SUMMARY.h5 WITHOUT_SUMMARY.h5 [POSTERIOR.h5]
 *
 * two ensemble files, and the posterior of posterior_fixture.h when a
 * third path is given.
 */
#include <stdio.h>

#include "posterior_fixture.h"
#include "report_fixture.h"

int main(int argc, char **argv)
{
    if (argc != 3 && argc != 4) {
        fputs("usage: report_write_fixture WITH_SUMMARY.h5 "
              "WITHOUT_SUMMARY.h5 [POSTERIOR.h5]\n",
              stderr);
        return 64;
    }
    for (int i = 1; i < argc; i++) {
        ps_error err;
        ps_status st = i < 3 ? rf_write_h5(argv[i], i == 1, &err)
                             : pf_write(argv[i], &err);
        if (st != PS_OK) {
            ps_error_print(stderr, &err);
            return 1;
        }
    }
    return 0;
}
