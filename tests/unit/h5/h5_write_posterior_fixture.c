/*
 * Writes the fixture posterior (h5_posterior_fixture.h) for the check
 * with ncdump:
 *   h5_write_posterior_fixture PATH
 */
#include <stdio.h>

#include "h5_posterior_fixture.h"

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s PATH\n", argv[0]);
        return 64;
    }
    static fxp_posterior f;
    fxp_init(&f);
    ps_error err;
    ps_status st = ps_h5_posterior_write(argv[1], &f.p, &err);
    if (st != PS_OK) {
        ps_error_print(stderr, &err);
        return ps_status_exit_code(st);
    }
    return 0;
}
