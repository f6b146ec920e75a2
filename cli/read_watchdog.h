/*
 * A bound on reading a file through the HDF5 library.  A damaged file
 * can make libhdf5 (1.10) loop or fault inside its own code, where no
 * check of plansim's can reach: the commands that read files arm this
 * watchdog around each file's reading phase.  When the phase takes
 * longer than its limit, or the process faults while it lasts, the
 * watchdog prints a message naming the file and ends the process:
 * status 74 after the time limit, 65 after a fault (a damaged file).
 */
#ifndef PLANSIM_CLI_READ_WATCHDOG_H
#define PLANSIM_CLI_READ_WATCHDOG_H

#include <signal.h>

/* The default limit of one reading phase, in seconds. */
#define CLI_READ_TIMEOUT_DEFAULT 60

/* The largest limit --read-timeout takes, in seconds (one day). */
#define CLI_READ_TIMEOUT_MAX 86400

/* The line of --read-timeout in a command's help. */
#define CLI_READ_TIMEOUT_HELP                                                  \
    "      --read-timeout S  end with status 74 when reading the file\n"       \
    "                        takes longer than S seconds (default 60;\n"       \
    "                        0: no limit)\n"

struct cli_command;

/* Parses the value of --read-timeout for `cmd`: whole seconds in
   [0, CLI_READ_TIMEOUT_MAX].  0 with *out set, or the usage exit status
   after saying why. */
int cli_parse_read_timeout(const struct cli_command *cmd, const char *arg,
                           unsigned *out);

/* The handlers replaced by cli_watchdog_begin, to put back. */
typedef struct cli_watchdog {
    struct sigaction old_alrm, old_segv, old_bus;
    stack_t old_stack;
    int faults; /* the fault handlers were installed */
} cli_watchdog;

/*
 * Arms the watchdog for reading `path`: after `seconds` (0: no time
 * limit) it ends the process with status 74, and a SIGSEGV or SIGBUS
 * before cli_watchdog_end ends it with status 65, each after a message
 * on stderr naming `path`.  Builds with AddressSanitizer keep their own
 * fault handler.  Not nested: one phase at a time.
 */
void cli_watchdog_begin(cli_watchdog *w, const char *path, unsigned seconds);

/* Disarms the watchdog and puts back the handlers it replaced. */
void cli_watchdog_end(const cli_watchdog *w);

#endif
