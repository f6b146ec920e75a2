/*
 * The JSON document of `plansim fit` (plansim_output/study_json.h).
 */
#include <stdio.h>

#include "plansim_output/json.h"
#include "plansim_output/study_json.h"

/* The reasons behind null statistics and left-out zeros, as fit's
   tables tell them.  PS_FIT_CONSTANT explains an undefined correlation
   only: it is kept, since the correlation is in the document. */
static void json_notes(ps_json *j, const ps_fit *f)
{
    ps_json_key(j, "notes");
    ps_json_array(j);
    for (unsigned bit = 1; bit <= PS_FIT_CONSTANT; bit <<= 1) {
        if (!(f->flags & bit))
            continue;
        if (bit == PS_FIT_ZERO_OBSERVED) {
            char text[128];
            snprintf(text, sizeof text,
                     "%zu observed value%s of 0 left out of MAPE and RMSPE",
                     f->zero_observed, f->zero_observed == 1 ? "" : "s");
            ps_json_string(j, text);
        } else {
            ps_json_string(j, ps_fit_flag_text(bit));
        }
    }
    ps_json_end(j);
}

ps_status ps_fit_print_json(FILE *out, const char *observed, size_t n,
                            const char *const *names, const ps_fit *fits,
                            ps_error *err)
{
    ps_json j;
    ps_json_init(&j, out);
    ps_json_object(&j);
    ps_json_member_integer(&j, "format_version", 1);
    ps_json_member_string(&j, "command", "fit");
    ps_json_member_string(&j, "observed", observed);
    ps_json_key(&j, "variables");
    ps_json_array(&j);
    for (size_t v = 0; v < n; v++) {
        const ps_fit *f = &fits[v];
        ps_json_object(&j);
        ps_json_member_string(&j, "name", names[v]);
        ps_json_member_integer(&j, "n", (long long)f->n);
        ps_json_member_integer(&j, "n_percent", (long long)f->n_percent);
        ps_json_member_integer(&j, "zero_observed",
                               (long long)f->zero_observed);
        ps_json_member_number(&j, "mape_percent", 100 * f->mape);
        ps_json_member_number(&j, "rmspe_percent", 100 * f->rmspe);
        ps_json_member_number(&j, "theil_u", f->theil_u);
        ps_json_member_number(&j, "u_m", f->um);
        ps_json_member_number(&j, "u_s", f->us);
        ps_json_member_number(&j, "u_c", f->uc);
        ps_json_member_number(&j, "mse", f->mse);
        ps_json_member_number(&j, "mean_simulated", f->mean_sim);
        ps_json_member_number(&j, "mean_observed", f->mean_obs);
        ps_json_member_number(&j, "sd_simulated", f->sd_sim);
        ps_json_member_number(&j, "sd_observed", f->sd_obs);
        ps_json_member_number(&j, "correlation", f->r);
        json_notes(&j, f);
        ps_json_end(&j);
    }
    ps_json_end(&j);
    ps_json_end(&j);
    if (fflush(out) != 0 || ferror(out))
        return ps_error_set(err, PS_ERR_IO, NULL, 0, 0,
                            "cannot write the fits");
    return PS_OK;
}
