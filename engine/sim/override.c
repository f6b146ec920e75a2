/*
 * Overrides by index: the variable and element checked against the
 * program (ps_override_at_check).
 */
#include "plansim/element.h"
#include "plansim/sim.h"

ps_status ps_override_at_check(const ps_program *prog, const ps_override_at *o,
                               ps_error *err)
{
    if (o->var >= ps_program_var_count(prog) ||
        (o->element != PS_ALL_ELEMENTS &&
         o->element >= ps_program_var_size(prog, o->var)))
        return ps_error_set(err, PS_ERR_USAGE, ps_program_path(prog), 0, 0,
                            "an override sets variable %zu, element %zu, "
                            "which do not exist",
                            o->var, o->element);
    return PS_OK;
}
