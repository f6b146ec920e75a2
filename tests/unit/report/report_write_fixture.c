/*
 * Writes the report tests' ensemble files for the command-line test:
 *
 *   report_write_fixture WITH_SUMMARY.h5 WITHOUT_SUMMARY.h5
 */
#include <stdio.h>

#include "report_fixture.h"

int main(int argc, char **argv)
{
    if (argc != 3) {
        fputs("usage: report_write_fixture WITH_SUMMARY.h5 "
              "WITHOUT_SUMMARY.h5\n",
              stderr);
        return 64;
    }
    for (int i = 1; i < 3; i++) {
        ps_error err;
        if (rf_write_h5(argv[i], i == 1, &err) != PS_OK) {
            ps_error_print(stderr, &err);
            return 1;
        }
    }
    return 0;
}
