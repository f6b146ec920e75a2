/*
 * Vensim's test inputs: STEP, PULSE, PULSE TRAIN, RAMP.
 *
 * Vensim compares event times with "time plus" = time + TIME STEP/2
 * (Vensim Reference Manual, STEP and PULSE), so that a time grid built by
 * repeated float addition (0.1 + 0.1 + 0.1 = 0.30000000000000004) still
 * meets the event on the intended step.  A NaN time argument makes the
 * result NaN (a comparison with NaN would silently answer 0).
 */
#include "plansim/fn.h"

#include <math.h>

static int any_nan3(double a, double b, double c)
{
    return isnan(a) || isnan(b) || isnan(c);
}

double ps_fn_step(double height, double step_time, double time, double dt)
{
    double time_plus = time + dt / 2.0;
    if (isnan(time_plus) || isnan(step_time))
        return NAN;
    return time_plus > step_time ? height : 0.0;
}

double ps_fn_pulse(double start, double width, double time, double dt)
{
    double time_plus = time + dt / 2.0;
    if (any_nan3(time_plus, start, width))
        return NAN;
    if (width == 0.0)
        width = dt;
    return time_plus > start && time_plus < start + width ? 1.0 : 0.0;
}

double ps_fn_pulse_train(double start, double width, double tbetween,
                         double end, double time, double dt)
{
    double time_plus = time + dt / 2.0;
    if (any_nan3(time_plus, start, width) || isnan(tbetween) || isnan(end))
        return NAN;
    if (!(time_plus > start && time_plus < end))
        return 0.0;
    /* Vensim: "If width is less than or equal to TIME STEP the pulses will
       only last one TIME STEP". */
    if (width <= dt)
        width = dt;
    double phase = time_plus - start;
    if (tbetween > 0.0)
        phase -= tbetween * floor(phase / tbetween);
    return phase < width ? 1.0 : 0.0;
}

double ps_fn_ramp(double slope, double start, double end, double time,
                  double dt)
{
    (void)dt;
    if (isnan(time) || isnan(start))
        return NAN;
    if (time <= start)
        return 0.0;
    /* A NaN end fails the comparison and is returned into the product. */
    return slope * ((time < end ? time : end) - start);
}

double ps_fn_get_time_value(double relativeto, double offset, double measure,
                            double time, double initial_time)
{
    if (measure != 0)
        return NAN;
    if (relativeto == 0)
        return time + offset;
    if (relativeto == 1)
        return initial_time + offset;
    return NAN;
}
