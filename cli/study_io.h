/*
 * What the studies say, shown on stderr: their notes and warnings after
 * the command's prefix ("plansim calibrate: warning: ..."), and the read
 * watchdog around the files they read through the HDF5 library.
 */
#ifndef PLANSIM_CLI_STUDY_IO_H
#define PLANSIM_CLI_STUDY_IO_H

#include "plansim_study/run.h"
#include "read_watchdog.h"

typedef struct cli_study_io {
    const char *prefix;    /* "plansim" or "plansim CMD"               */
    unsigned read_seconds; /* the watchdog's limit; 0: none            */
    cli_watchdog watchdog;
    study_hooks hooks;
} cli_study_io;

/*
 * Sets up `io` and returns its hooks: notes and warnings printed as
 * "PREFIX: LINE" on stderr unless `quiet`, each file read under the
 * watchdog with the default limit (io->read_seconds may be changed
 * after).  `prefix` is borrowed; io must
 * outlive every use of the hooks.
 */
const study_hooks *cli_study_hooks(cli_study_io *io, const char *prefix,
                                   int quiet);

#endif
