/*
 * The reading watchdog (read_watchdog.h).  A signal handler can only
 * reach data of static storage: the messages of the armed phase are
 * composed here when it is armed, and the handlers only write them out
 * and end the process (write and _exit are async-signal-safe).
 */
#include "read_watchdog.h"

#include "cli.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define WATCHDOG_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WATCHDOG_SANITIZED 1
#endif
#endif

static char timeout_message[4352];
static char fault_message[4352];
/* The fault handler runs on a stack of its own: a fault may come from
   a stack that overflowed (a loop of recursion on a damaged file). */
static char fault_stack[1 << 16];

static void say(const char *text)
{
    size_t n = strlen(text);
    while (n > 0) {
        ssize_t k = write(STDERR_FILENO, text, n);
        if (k <= 0)
            return;
        text += k;
        n -= (size_t)k;
    }
}

static void on_timeout(int sig)
{
    (void)sig;
    say(timeout_message);
    _exit(74);
}

static void on_fault(int sig)
{
    (void)sig;
    say(fault_message);
    _exit(65);
}

void cli_watchdog_begin(cli_watchdog *w, const char *path, unsigned seconds)
{
    snprintf(timeout_message, sizeof timeout_message,
             "%s: error: reading the file did not finish within %u s (a "
             "damaged file can make the HDF5 library loop; "
             "--read-timeout sets the limit)\n",
             path, seconds);
    snprintf(fault_message, sizeof fault_message,
             "%s: error: the HDF5 library failed while reading the file "
             "(invalid memory access): the file is damaged\n",
             path);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_timeout;
    sigaction(SIGALRM, &sa, &w->old_alrm);
    w->faults = 0;
#ifndef WATCHDOG_SANITIZED
    stack_t ss = {.ss_sp = fault_stack, .ss_size = sizeof fault_stack};
    sigaltstack(&ss, &w->old_stack);
    sa.sa_handler = on_fault;
    sa.sa_flags = SA_RESETHAND | SA_ONSTACK;
    sigaction(SIGSEGV, &sa, &w->old_segv);
    sigaction(SIGBUS, &sa, &w->old_bus);
    w->faults = 1;
#endif
    alarm(seconds);
}

int cli_parse_read_timeout(const struct cli_command *cmd, const char *arg,
                           unsigned *out)
{
    long long v;
    int rc = cli_parse_count(cmd, "--read-timeout", arg, 0,
                             CLI_READ_TIMEOUT_MAX, &v);
    if (rc == 0)
        *out = (unsigned)v;
    return rc;
}

void cli_watchdog_end(const cli_watchdog *w)
{
    alarm(0);
    sigaction(SIGALRM, &w->old_alrm, NULL);
    if (w->faults) {
        sigaction(SIGSEGV, &w->old_segv, NULL);
        sigaction(SIGBUS, &w->old_bus, NULL);
        sigaltstack(&w->old_stack, NULL);
    }
}
