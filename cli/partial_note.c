/*
 * What `summary` and `report` say about a .partial file: how many of its
 * runs finished, since their statistics are of those runs only.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "plansim_output/h5.h"

void cli_note_partial(const cli_command *cmd, const char *path)
{
    size_t n = strlen(path), k = strlen(".partial");
    if (n <= k || strcmp(path + n - k, ".partial") != 0)
        return;
    size_t held = 0, total = 0;
    ps_error err;
    if (ps_h5_runs_held(path, &held, &total, &err) != PS_OK || total == 0)
        return; /* the command's own read reports the error */
    fprintf(stderr,
            "plansim %s: %s holds %zu of %zu runs; the rest did not finish, "
            "and the statistics are of these %zu (finish it with plansim "
            "run --resume)\n",
            cmd->name, path, held, total, held);
}
