/*
 * A target's definition in the JSON documents (plansim_output/study_json.h).
 */
#include <math.h>

#include "plansim_output/study_json.h"

void ps_json_target_members(ps_json *j, const ps_h5_target_meta *t)
{
    ps_json_member_string(j, "name", t->name);
    ps_json_member_string(j, "label", t->label);
    ps_json_member_string(j, "variable", t->variable);
    ps_json_member_number(j, "time", t->time);
    ps_json_member_string(j, "compare", ps_sc_compare_name(t->compare));
    ps_json_member_number(j, "lo", t->compare == PS_SC_AT_MOST ? NAN : t->lo);
    ps_json_member_number(j, "hi", t->compare == PS_SC_AT_LEAST ? NAN : t->hi);
    ps_json_member_bool(j, "binding", t->binding);
}
