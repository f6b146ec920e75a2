/*
 * Ctrl-C for the long commands: the first SIGINT or SIGTERM asks the
 * running work to stop at its next safe point (the engine polls the flag
 * between runs and batches, and nothing computed is lost); a second ends
 * the process at once with status 130.
 */
#ifndef PLANSIM_CLI_INTERRUPT_H
#define PLANSIM_CLI_INTERRUPT_H

#include <signal.h>

/* The handlers replaced by cli_interrupt_begin, to put back. */
typedef struct cli_interrupt {
    struct sigaction old_int, old_term;
} cli_interrupt;

/* The flag the handler sets: give it to the engine's `cancel`. */
volatile sig_atomic_t *cli_interrupt_flag(void);

/* Catches SIGINT and SIGTERM until cli_interrupt_end(saved). */
void cli_interrupt_begin(cli_interrupt *saved);

/* Puts back the handlers saved by cli_interrupt_begin. */
void cli_interrupt_end(const cli_interrupt *saved);

#endif
