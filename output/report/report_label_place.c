/*
 * Where a target's label goes on a fan chart: next to its line where
 * nothing else is drawn, so the median, the bands and other labels never
 * strike it through.
 */
#include "report_impl.h"

#include <math.h>

/* How much of [a, a + h) the busy spans cover, in pixels. */
static double overlap(double a, double h, const rp_span *busy, size_t nbusy)
{
    double sum = 0;
    for (size_t i = 0; i < nbusy; i++) {
        double lo = fmax(a, busy[i].top);
        double hi = fmin(a + h, busy[i].bottom);
        if (hi > lo)
            sum += hi - lo;
    }
    return sum;
}

double rp_label_place(double y_line, double h, double gap, double top,
                      double bottom, const rp_span *busy, size_t nbusy)
{
    /* Candidates by top edge: just above the line, just below it, then
       every position down the plot in 1-px steps. */
    double best_top = y_line - gap - h, best = INFINITY;
    double first[2] = {y_line - gap - h, y_line + gap};
    for (int c = 0; c < 2; c++) {
        double a = first[c];
        if (a < top || a + h > bottom)
            continue;
        double ov = overlap(a, h, busy, nbusy);
        if (ov == 0)
            return a + h;
        if (ov < best) {
            best = ov;
            best_top = a;
        }
    }
    /* Nearest free place to the line, anywhere in the plot. */
    double free_top = NAN, free_dist = INFINITY;
    for (double a = top; a + h <= bottom; a += 1) {
        double ov = overlap(a, h, busy, nbusy);
        double dist = fabs(a + h / 2 - y_line);
        if (ov == 0 && dist < free_dist) {
            free_dist = dist;
            free_top = a;
        }
        if (ov < best) {
            best = ov;
            best_top = a;
        }
    }
    if (!isnan(free_top))
        return free_top + h;
    return best_top + h;
}
