/*
 * The plansim command: the subcommand table and the helpers every
 * subcommand shares (usage errors, numbers from arguments, diagnostics).
 */
#ifndef PLANSIM_CLI_H
#define PLANSIM_CLI_H

#include <stdio.h>

#include "plansim/engine.h"
#include "plansim/ensemble.h"
#include "plansim/status.h"
#include "plansim_study/run.h"

/* Exit status of `plansim conform` when a case failed. */
#define CLI_EXIT_TESTS_FAILED 1

typedef struct cli_command {
    const char *name;     /* "simulate"                                 */
    const char *summary;  /* one line for `plansim --help`              */
    const char *synopsis; /* "MODEL.mdl [options]": the usage line tail */
    /* Prints the full help text to `out`. */
    void (*help)(FILE *out);
    /* Runs the command; argv[0] is the command's name.  Returns the
       process exit status.  In a job of several processes (mpirun) only
       rank 0 runs it. */
    int (*run)(int argc, char **argv);
    /* Instead of run, for a command whose ensembles a job of several
       processes shares: every rank runs it, with the job's `spread`
       (NULL: one process).  Rank 0 writes and prints; the others run
       the blocks of runs it deals them and write nothing. */
    int (*run_spread)(int argc, char **argv, const ps_ensemble_spread *spread);
} cli_command;

extern const cli_command cli_simulate;
extern const cli_command cli_check;
extern const cli_command cli_conform;
extern const cli_command cli_run;
extern const cli_command cli_summary;
extern const cli_command cli_report;
extern const cli_command cli_fit;
extern const cli_command cli_discover;
extern const cli_command cli_sensitivity;
extern const cli_command cli_sweep;
extern const cli_command cli_solve;
extern const cli_command cli_calibrate;

/*
 * Prints "plansim CMD: message", the command's usage line and a pointer
 * to its help on stderr; returns the usage exit status (64).
 */
int cli_usage_error(const cli_command *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* After getopt reported a bad option: prints the command's usage line and
   a pointer to its help on stderr; returns the usage exit status (64). */
int cli_usage_tail(const cli_command *cmd);

/* Prints "usage: plansim CMD SYNOPSIS" to `out`. */
void cli_print_usage(FILE *out, const cli_command *cmd);

/*
 * Sets argv[0] to "plansim CMD" (in `buf`, of `size` bytes) so getopt's
 * messages name the subcommand, and resets getopt for a new scan.
 */
void cli_getopt_begin(const cli_command *cmd, char **argv, char *buf,
                      size_t size);

/* Parses `arg` as a whole number in [min, max] for option `opt` of `cmd`.
   Returns 0 with *out set, or the usage exit status after saying why. */
int cli_parse_count(const cli_command *cmd, const char *opt, const char *arg,
                    long long min, long long max, long long *out);

/* Parses a --seed value: a whole number >= 0.  Returns 0 with *out set,
   or the usage exit status after saying why. */
int cli_parse_seed(const cli_command *cmd, const char *arg,
                   unsigned long long *out);

/* Parses the value of --format for a command that prints either a table
   or JSON: *json is 0 for "table", 1 for "json".  Returns 0, or the usage
   exit status after saying which values are allowed. */
int cli_parse_table_or_json(const cli_command *cmd, const char *arg,
                            int *json);

/* The one operand (`what`, e.g. "SCENARIO") left after the options, from
   argv[optind]: returns -1 with *out set, or the usage exit status when it
   is missing or followed by another argument. */
int cli_one_operand(const cli_command *cmd, int argc, char **argv,
                    const char *what, const char **out);

/* The command line as a shell would take it back, "plansim CMD ARGS..."
   with arguments that hold blanks, quotes or shell characters quoted
   (argv[0] is the command's name), for a file's provenance.  The caller
   frees it; NULL when memory runs out. */
char *cli_command_line(const cli_command *cmd, int argc, char **argv);

/* The default output of a scenario's command: the scenario file's name
   without folder and extension, then `suffix` ("scenarios/plan.yaml",
   ".h5" -> "plan.h5").  The caller frees it; NULL when memory runs out. */
char *cli_default_output(const char *scenario, const char *suffix);

/* Parses a --flush-every value: seconds, a number > 0.  Returns 0 with the
   value in *out, or the usage exit status after saying why. */
int cli_parse_flush_every(const cli_command *cmd, const char *arg, double *out);

/* Checks a --resume FILE.partial against --output (NULL when not given):
   the name must end in ".partial" and the output, when given, must be
   the rest of it.  Returns -1, or the usage exit status after saying
   why. */
int cli_check_resume(const cli_command *cmd, const char *partial,
                     const char *output);

/* The final name of a --resume FILE.partial (FILE), a new string; NULL
   when memory runs out. */
char *cli_resume_output(const char *partial);

/* When `path` is the .partial file of an unfinished run, says on stderr
   how many of its runs finished (partial_note.c). */
void cli_note_partial(const cli_command *cmd, const char *path);

/* Prints `err` on stderr ("file:line:col: error: message") and returns the
   exit status of its status. */
int cli_fail(const ps_error *err);

/*
 * Formats `err` as one line without the "error: " tag and the newline:
 * "file:line:col: message" (parts without a value left out), with the
 * directory part of the file name dropped when `basename_only` is set.
 * Returns buf.
 */
char *cli_format_error(const ps_error *err, int basename_only, char *buf,
                       size_t size);

/* --engine (engine_opt.c): parses its value into *out; returns 0, or the
   usage exit status after saying why. */
int cli_parse_engine(const cli_command *cmd, const char *arg, ps_engine *out);

/* Runs prog on *chosen (NULL: PLANSIM_ENGINE, else auto); says on stderr,
   unless quiet, when it falls back to the interpreter.  Returns 0 or the
   exit status of the error (--engine native without a compiler: 69). */
int cli_use_engine(ps_program *prog, const ps_engine *chosen, int quiet);

/* The one-line note on stderr when prog fell back to the interpreter
   (nothing when quiet). */
void cli_engine_note(const ps_program *prog, int quiet);

#endif
