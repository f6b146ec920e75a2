/*
 * Does an ensemble fit its output?  Checked before the output file is
 * created, so that a scenario asking for more than the disk can hold is
 * refused at its `runs:` instead of failing hours later.
 */
#include <stdio.h>

#include "scenario_impl.h"

/* Bytes as "12.3 GiB". */
static void human(double bytes, char *buf, size_t size)
{
    static const char *const units[] = {"bytes", "KiB", "MiB", "GiB",
                                        "TiB",   "PiB", "EiB"};
    int u = 0;
    while (bytes >= 1024 && u < 6) {
        bytes /= 1024;
        u++;
    }
    snprintf(buf, size, u ? "%.1f %s" : "%.0f %s", bytes, units[u]);
}

static ps_status refuse(const ps_scenario *sc, int at_runs, ps_error *err,
                        const char *msg)
{
    if (at_runs && sc->runs_where.loc.line > 0)
        return ps_scenario_error_at(sc, &sc->runs_where, PS_ERR_DATA, err, "%s",
                                    msg);
    return ps_error_set(err, PS_ERR_DATA, sc->path, 0, 0, "%s", msg);
}

ps_status ps_scenario_check_room(const ps_scenario *sc, int at_runs,
                                 uint64_t nruns, size_t ntimes, size_t nseries,
                                 uint64_t room, ps_error *err)
{
    char msg[PS_ERROR_MESSAGE_MAX];
    if (nruns > PS_SC_MAX_RUNS) {
        snprintf(msg, sizeof msg, "too many runs (%llu): at most %llu",
                 (unsigned long long)nruns, PS_SC_MAX_RUNS);
        return refuse(sc, at_runs, err, msg);
    }
    /* in double: the product may pass 2^64 */
    double need = (double)nruns * (double)ntimes * (double)nseries * 8.0;
    if (need <= (double)room)
        return PS_OK;
    char need_text[32], room_text[32];
    human(need, need_text, sizeof need_text);
    human((double)room, room_text, sizeof room_text);
    snprintf(msg, sizeof msg,
             "%llu runs of %zu saved times and %zu series need %s "
             "(uncompressed); the output's file system has %s free: "
             "ask for fewer runs or save fewer variables",
             (unsigned long long)nruns, ntimes, nseries, need_text, room_text);
    return refuse(sc, at_runs, err, msg);
}
