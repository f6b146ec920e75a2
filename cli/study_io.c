/*
 * What the studies say, shown on stderr (study_io.h).
 */
#include "study_io.h"

#include <stdio.h>

static void say(void *ctx, const char *line)
{
    const cli_study_io *io = ctx;
    fprintf(stderr, "%s: %s\n", io->prefix, line);
}

static void read_begin(void *ctx, const char *path)
{
    cli_study_io *io = ctx;
    cli_watchdog_begin(&io->watchdog, path, io->read_seconds);
}

static void read_end(void *ctx)
{
    cli_study_io *io = ctx;
    cli_watchdog_end(&io->watchdog);
}

const study_hooks *cli_study_hooks(cli_study_io *io, const char *prefix,
                                   int quiet)
{
    io->prefix = prefix;
    io->read_seconds = CLI_READ_TIMEOUT_DEFAULT;
    io->hooks = (study_hooks){quiet ? NULL : say, read_begin, read_end, io};
    return &io->hooks;
}
