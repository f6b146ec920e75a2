/*
 * --engine: how the commands that simulate run the model (native code or
 * the interpreter), and the note when native code is not available.
 */
#include <stdio.h>

#include "cli.h"
#include "plansim/engine.h"

int cli_parse_engine(const cli_command *cmd, const char *arg, ps_engine *out)
{
    if (ps_engine_parse(arg, out) != 0)
        return cli_usage_error(cmd,
                               "--engine must be auto, native or "
                               "interpreted, not '%s'",
                               arg);
    return 0;
}

void cli_engine_note(const ps_program *prog, int quiet)
{
    const char *note = ps_program_engine_note(prog);
    if (note && !quiet)
        fprintf(stderr, "plansim: note: the model runs interpreted (%s)\n",
                note);
}

int cli_use_engine(ps_program *prog, const ps_engine *chosen, int quiet)
{
    ps_engine e;
    ps_error err;
    if (chosen)
        e = *chosen;
    else if (ps_engine_from_env(&e, &err) != PS_OK)
        return cli_fail(&err);
    if (ps_program_set_engine(prog, e, &err) != PS_OK)
        return cli_fail(&err);
    cli_engine_note(prog, quiet);
    return 0;
}
