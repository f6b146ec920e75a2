/*
 * plansim_study: the calibrate study, in steps: the scenario and its
 * observed series, the sampler over the parallel ensemble, the
 * predictive check and the summaries, and the posterior file.
 */
#ifndef PLANSIM_STUDY_CALIBRATE_H
#define PLANSIM_STUDY_CALIBRATE_H

#include <signal.h>
#include <stddef.h>

#include "plansim/calib.h"
#include "plansim/ensemble.h"
#include "plansim_output/h5.h"
#include "plansim_study/run.h"

typedef struct calibrate_args {
    const char *scenario;
    const char *output; /* the posterior file (with resume: the name
                           the .partial gets when finished)           */
    size_t particles;
    ps_calib_method method;
    int threads; /* 0: all cores                              */
    int has_seed;
    unsigned long long seed; /* with has_seed; else the scenario's        */
    ps_h5_format format;
    int force; /* --force: replace an existing output file   */
    const char *resume;   /* the .partial to continue, or NULL         */
    double flush_seconds; /* least time between two stage checkpoints  */
    const char *command_line; /* for provenance                   */
    const study_hooks *hooks; /* warnings; NULL: none                */
    study_progress progress;  /* the sampler's stages; zeroed: none  */
    volatile sig_atomic_t *cancel;
    /* The processes of a job share the runs (ps_ensemble_spread), or
       NULL.  A worker writes no file and gets no *out; --resume needs
       one process. */
    const ps_ensemble_spread *spread;
} calibrate_args;

/*
 * Calibrates a->scenario and writes the posterior file; on success *out
 * is the file read back (the caller frees it with ps_h5_posterior_free).
 * A scenario without an `observed:` section or without uncertain inputs
 * is PS_ERR_DATA; PS_ERR_INTERRUPTED (err says what was kept in which
 * .partial file); the scenario's, the model's and the runs' errors.
 */
ps_status calibrate_run(const calibrate_args *a, ps_h5_posterior **out,
                        ps_error *err);

#endif
