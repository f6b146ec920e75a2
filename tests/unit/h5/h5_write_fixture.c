/*
 * Writes the fixture ensemble (h5_fixture.h), summarised and committed,
 * for the checks with xarray, h5py and ncdump:
 *   h5_write_fixture PATH LEVEL [PATH LEVEL ...]
 * LEVEL is the deflate level (0: uncompressed).
 */
#include <stdio.h>
#include <stdlib.h>

#include "h5_fixture.h"

int main(int argc, char **argv)
{
    if (argc < 3 || argc % 2 == 0) {
        fprintf(stderr, "usage: %s PATH LEVEL [PATH LEVEL ...]\n", argv[0]);
        return 64;
    }
    for (int i = 1; i + 1 < argc; i += 2) {
        /* Chunks of 4 runs: a partial last chunk, blocks across chunks. */
        ps_h5_options opts = {atoi(argv[i + 1]), 4, 0, 0};
        ps_error err;
        remove(argv[i]);
        ps_status st = fx_write(argv[i], &opts, FX_NBLOCKS, 1, 1, &err);
        if (st != PS_OK) {
            ps_error_print(stderr, &err);
            return ps_status_exit_code(st);
        }
    }
    return 0;
}
