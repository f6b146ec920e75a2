/*
 * Which kind of plansim file an HDF5 file is, from its plansim_file
 * attribute: posterior and sweep files carry one, ensemble files none.
 */
#include "h5_impl.h"

#include <stdlib.h>
#include <string.h>

ps_status ps_h5_file_kind(const char *path, ps_h5_kind *kind, ps_error *err)
{
    if (!path || !kind)
        return ps_error_set(err, PS_ERR_USAGE, path, 0, 0,
                            "no file or no place for its kind");
    *kind = PS_H5_KIND_ENSEMBLE;
    h5_quiet q;
    h5_quiet_begin(&q);
    hid_t f;
    ps_status st = h5_open_read(path, &f, err);
    if (st == PS_OK) {
        char *text = NULL;
        if (h5_attr_read_text(f, "plansim_file", &text) == 0) {
            if (strcmp(text, "posterior") == 0)
                *kind = PS_H5_KIND_POSTERIOR;
            else if (strcmp(text, "sweep") == 0)
                *kind = PS_H5_KIND_SWEEP;
            else
                *kind = PS_H5_KIND_OTHER;
        }
        free(text);
        H5Eclear2(H5E_DEFAULT);
        H5Fclose(f);
    }
    h5_quiet_end(&q);
    return st;
}
