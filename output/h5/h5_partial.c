/*
 * Reading an interrupted ensemble's .partial file: it has no summary yet
 * (or half of one), so its summary is computed over the runs it holds in
 * a copy held in memory, never written back; and how many runs it holds
 * is read from run_status.
 */
#include "h5_impl.h"

#include <stdlib.h>
#include <string.h>

static const char partial_suffix[] = ".partial";

int h5_is_partial_path(const char *path)
{
    size_t n = strlen(path), k = sizeof partial_suffix - 1;
    return n > k && strcmp(path + n - k, partial_suffix) == 0;
}

ps_status h5_open_partial_summarized(const char *path, hid_t *file,
                                     ps_error *err)
{
    *file = -1;
    /* The core driver reads the whole file into memory; with no backing
       store, what is written goes nowhere. */
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    if (fapl < 0 || H5Pset_fapl_core(fapl, 1024 * 1024, 0) < 0 ||
        H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG) < 0 ||
        h5_fapl_clear_status(fapl) < 0) {
        if (fapl >= 0)
            H5Pclose(fapl);
        return h5_fail(err, PS_ERR_NOMEM, path, "cannot read the file");
    }
    hid_t f = H5Fopen(path, H5F_ACC_RDWR, fapl);
    H5Pclose(fapl);
    if (f < 0) {
        ps_status st = h5_open_read(path, &f, err);
        if (st != PS_OK)
            return st;
        H5Fclose(f);
        return h5_fail(err, PS_ERR_NOINPUT, path, "cannot read the file");
    }
    if (H5Lexists(f, H5N_RUN_STATUS, H5P_DEFAULT) <= 0) {
        H5Fclose(f);
        return ps_error_set(err, PS_ERR_DATA, path, 0, 0,
                            "holds no runs: it was interrupted before the "
                            "first");
    }
    ps_status st = h5_summarize_file(f, path, 0, err);
    if (st != PS_OK) {
        H5Fclose(f);
        return st;
    }
    *file = f;
    return PS_OK;
}

ps_status ps_h5_runs_held(const char *path, size_t *held, size_t *total,
                          ps_error *err)
{
    *held = *total = 0;
    h5_quiet q;
    h5_quiet_begin(&q);
    hid_t f;
    ps_status st = h5_open_read(path, &f, err);
    if (st == PS_OK) {
        long long n = H5Lexists(f, H5N_RUN_STATUS, H5P_DEFAULT) > 0
                          ? h5_length(f, H5N_RUN_STATUS)
                          : 0;
        unsigned char *status = n > 0 ? malloc((size_t)n) : NULL;
        if (n < 0 || (n > 0 && !status))
            st = ps_error_set(err, PS_ERR_DATA, path, 0, 0,
                              "run_status cannot be read");
        else if (n > 0 && h5_read_all(f, H5N_RUN_STATUS, H5T_NATIVE_UCHAR,
                                      (size_t)n, status) < 0)
            st = h5_fail(err, PS_ERR_DATA, path, "cannot read run_status");
        for (long long r = 0; st == PS_OK && r < n; r++)
            *held += status[r] != 0;
        *total = n > 0 ? (size_t)n : 0;
        free(status);
        H5Fclose(f);
    }
    h5_quiet_end(&q);
    return st;
}
