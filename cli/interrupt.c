/*
 * Ctrl-C for the long commands (interrupt.h).  A signal handler can only
 * reach a flag of static storage: the process's one flag lives here.
 */
#include "interrupt.h"

#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig)
{
    (void)sig;
    if (interrupted) /* a second Ctrl-C: stop at once */
        _exit(130);
    interrupted = 1;
}

volatile sig_atomic_t *cli_interrupt_flag(void)
{
    return &interrupted;
}

void cli_interrupt_begin(cli_interrupt *saved)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &saved->old_int);
    sigaction(SIGTERM, &sa, &saved->old_term);
}

void cli_interrupt_end(const cli_interrupt *saved)
{
    sigaction(SIGINT, &saved->old_int, NULL);
    sigaction(SIGTERM, &saved->old_term, NULL);
}
