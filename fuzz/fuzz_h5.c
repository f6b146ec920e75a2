/*
 * Fuzz harness of the HDF5 readers: the input is written to a file of
 * the harness's temporary folder, which every reader of plansim's files
 * then opens in turn, as `summary`, `report`, `discover`, `sensitivity`
 * and `posterior` do: the file's kind, the ensemble summary with its
 * labels and assumptions, the sensitivity results, the discovery data of
 * the first target, and the posterior; each result read is printed (to
 * /dev/null) in every format.  Every failure must be a status with a
 * message, never a crash, a leak or undefined behaviour.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_support.h"
#include "plansim_output/h5.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const ps_h5_format formats[] = {PS_H5_FORMAT_TABLE, PS_H5_FORMAT_MD,
                                       PS_H5_FORMAT_CSV, PS_H5_FORMAT_JSON};
enum { NFORMATS = sizeof formats / sizeof formats[0] };

static void read_ensemble(const char *path, FILE *sink)
{
    ps_error err;
    ps_h5_summary *s = NULL;
    ps_h5_assumptions *a = NULL;
    if (ps_h5_summary_read(path, &s, &err) != PS_OK)
        return;
    ps_h5_assumptions_read(path, &a, &err);
    if (ps_h5_labels_read(path, s, a, &err) == PS_OK)
        for (size_t f = 0; f < NFORMATS; f++)
            ps_h5_summary_print(sink, s, formats[f], &err);
    ps_h5_discover_data *d = NULL;
    ps_h5_discover_read(path, s->ntargets ? s->targets[0].name : "target", &d,
                        &err);
    ps_h5_discover_free(&d);
    ps_h5_assumptions_free(&a);
    ps_h5_summary_free(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_tmp_write("fuzz.h5", data, size);
    FILE *sink = fopen("/dev/null", "w");
    if (!sink)
        abort();
    ps_error err;
    ps_h5_kind kind;
    if (ps_h5_file_kind(path, &kind, &err) == PS_OK) {
        read_ensemble(path, sink);
        ps_h5_sensitivity *sens = NULL;
        if (ps_h5_sensitivity_read(path, &sens, &err) == PS_OK && sens)
            for (size_t f = 0; f < NFORMATS; f++)
                ps_h5_sensitivity_print(sink, sens, formats[f], &err);
        ps_h5_sensitivity_free(&sens);
        ps_h5_posterior *post = NULL;
        if (ps_h5_posterior_read(path, &post, &err) == PS_OK)
            for (size_t f = 0; f < NFORMATS; f++)
                ps_h5_posterior_print(sink, post, formats[f], &err);
        ps_h5_posterior_free(&post);
    }
    fclose(sink);
    return 0;
}
