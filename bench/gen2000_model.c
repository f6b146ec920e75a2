/*
 * plansim-bench: the generated model's parameters and its .mdl text
 * (the equations are listed in gen2000.h).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "gen2000.h"

const double gen2000_table_x[GEN2000_TABLE_POINTS] = {0.5, 0.8, 1,
                                                      1.2, 1.5, 2};
const double gen2000_table_y[GEN2000_TABLES][GEN2000_TABLE_POINTS] = {
    {0.4, 0.7, 1, 1.25, 1.5, 1.7},
    {0.5, 0.75, 1, 1.2, 1.4, 1.5},
    {0.3, 0.65, 1, 1.3, 1.6, 1.8},
    {0.6, 0.8, 1, 1.15, 1.3, 1.4},
};

/* splitmix64: a small, well-mixed generator; the seed is fixed so every
   build generates the same model. */
static uint64_t next_u64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static double uniform(uint64_t *state, double lo, double hi)
{
    return lo + (hi - lo) * ((double)(next_u64(state) >> 11) * 0x1p-53);
}

/* x rounded to `decimals` decimals: the double nearest that decimal
   number, which "%.10g" prints exactly and the model reader reads back. */
static double decimal(double x, int decimals)
{
    double scale = pow(10, decimals);
    return round(x * scale) / scale;
}

void gen2000_parameters(gen_sector *s, size_t n)
{
    uint64_t rng = 2025;
    double regional = 0;
    for (size_t i = 0; i < n; i++) {
        gen_sector *p = &s[i];
        p->tfp = decimal(uniform(&rng, 0.8, 1.6), 4);
        p->alpha = decimal(uniform(&rng, 0.28, 0.45), 4);
        p->beta = decimal(1 - p->alpha, 4);
        p->delta = decimal(uniform(&rng, 0.04, 0.08), 4);
        p->k0 = decimal(uniform(&rng, 50, 400), 2);
        p->l0 = decimal(uniform(&rng, 2, 20), 3);
        p->a = decimal(uniform(&rng, 0.05, 0.15), 4);
        p->b = decimal(uniform(&rng, 0.02, 0.10), 4);
        p->tau = decimal(uniform(&rng, 0.5, 3), 2);
        p->hire_time = decimal(uniform(&rng, 1, 4), 2);
        p->table = i % GEN2000_TABLES;
        p->prev = (i + n - 1) % n;
        p->link = (i * 37 + 11) % n;
        while (p->link == i || p->link == p->prev)
            p->link = (p->link + 1) % n;
        regional += p->tfp * pow(p->k0, p->alpha) * pow(p->l0, p->beta);
    }
    /* Calibrate demand to roughly match each sector's first output, and
       investment to roughly replace depreciation, so the run starts near
       balance and grows with the regional demand. */
    for (size_t i = 0; i < n; i++) {
        gen_sector *p = &s[i];
        double y0 = p->tfp * pow(p->k0, p->alpha) * pow(p->l0, p->beta);
        p->share = decimal(y0 * (1 - p->a - p->b) / regional *
                               uniform(&rng, 0.95, 1.05),
                           9);
        p->iota = decimal(p->delta * p->k0 / y0 * uniform(&rng, 1.0, 1.2), 6);
    }
}

static void write_lookups(FILE *f)
{
    for (size_t k = 0; k < GEN2000_TABLES; k++) {
        fprintf(f, "pressure effect %zu(\n\t[(0.5,0)-(2,2)]", k);
        for (size_t j = 0; j < GEN2000_TABLE_POINTS; j++)
            fprintf(f, ",(%.10g,%.10g)", gen2000_table_x[j],
                    gen2000_table_y[k][j]);
        fputs(")\n\t~\tDmnl\n\t~\tInvestment against capacity pressure.\n\t|"
              "\n\n",
              f);
    }
}

static void write_sector(FILE *f, const gen_sector *p, size_t i)
{
    char s[16], prev[16], link[16];
    snprintf(s, sizeof s, "s%03zu", i);
    snprintf(prev, sizeof prev, "s%03zu", p->prev);
    snprintf(link, sizeof link, "s%03zu", p->link);
    fprintf(f,
            "%s capital= INTEG (\n\t%s investment - %s capital * %.10g,\n"
            "\t\t%.10g)\n\t~\tmillion yuan\n\t~\t|\n\n",
            s, s, s, p->delta, p->k0);
    fprintf(f,
            "%s workforce= INTEG (\n\t%s hiring,\n\t\t%.10g)\n"
            "\t~\tthousand persons\n\t~\t|\n\n",
            s, s, p->l0);
    fprintf(f,
            "%s output=\n\t%.10g * %s capital ^ %.10g * %s workforce ^ %.10g\n"
            "\t~\tmillion yuan/Year\n\t~\t|\n\n",
            s, p->tfp, s, p->alpha, s, p->beta);
    fprintf(f,
            "%s demand=\n\t%.10g * regional output * regional growth"
            " + %.10g * %s output + %.10g * %s output\n"
            "\t~\tmillion yuan/Year\n\t~\t|\n\n",
            s, p->share, p->a, prev, p->b, link);
    fprintf(f,
            "%s expected demand=\n\tSMOOTH(%s demand, %.10g)\n"
            "\t~\tmillion yuan/Year\n\t~\t|\n\n",
            s, s, p->tau);
    fprintf(f,
            "%s capacity pressure=\n\t%s expected demand / %s output\n"
            "\t~\tDmnl\n\t~\t|\n\n",
            s, s, s);
    fprintf(f,
            "%s investment effect=\n\tpressure effect %zu(%s capacity "
            "pressure)\n\t~\tDmnl\n\t~\t|\n\n",
            s, p->table, s);
    fprintf(f,
            "%s investment=\n\t%.10g * %s output * %s investment effect\n"
            "\t~\tmillion yuan/Year\n\t~\t|\n\n",
            s, p->iota, s, s);
    fprintf(f,
            "%s desired workforce=\n\t%s workforce * IF THEN ELSE(%s capacity "
            "pressure > 1.2, 1.2, MAX(0.8, %s capacity pressure))\n"
            "\t~\tthousand persons\n\t~\t|\n\n",
            s, s, s, s);
    fprintf(f,
            "%s hiring=\n\t(%s desired workforce - %s workforce) / %.10g\n"
            "\t~\tthousand persons/Year\n\t~\t|\n\n",
            s, s, s, p->hire_time);
}

int gen2000_text(char **text, size_t *len)
{
    *text = NULL;
    *len = 0;
    gen_sector *s = calloc(GEN2000_SECTORS, sizeof *s);
    char *buf = NULL;
    size_t size = 0;
    FILE *f = s ? open_memstream(&buf, &size) : NULL;
    if (!f) {
        free(s);
        return -1;
    }
    gen2000_parameters(s, GEN2000_SECTORS);
    fprintf(f, "{UTF-8}\n");
    write_lookups(f);
    fputs("regional output=\n\t", f);
    for (size_t i = 0; i < GEN2000_SECTORS; i++)
        fprintf(f, "%ss%03zu output%s", i == 0 ? "" : " + ", i,
                i % 8 == 7 && i + 1 < GEN2000_SECTORS ? " \\\n\t\t" : "");
    fputs("\n\t~\tmillion yuan/Year\n\t~\tSum of the sectors' output.\n\t|"
          "\n\n",
          f);
    fprintf(f,
            "regional growth=\n\tEXP(%.10g * (Time - INITIAL TIME))\n"
            "\t~\tDmnl\n\t~\tGrowth of final demand.\n\t|\n\n",
            GEN2000_REGIONAL_GROWTH);
    for (size_t i = 0; i < GEN2000_SECTORS; i++)
        write_sector(f, &s[i], i);
    fprintf(f,
            "INITIAL TIME = %.10g\n\t~\tYear\n\t~\t|\n\n"
            "FINAL TIME = %.10g\n\t~\tYear\n\t~\t|\n\n"
            "TIME STEP = %.10g\n\t~\tYear [0,?]\n\t~\t|\n\n"
            "SAVEPER = 1\n\t~\tYear [0,?]\n\t~\t|\n\n"
            "\\\\\\---/// Sketch information - do not modify anything except "
            "names\n",
            GEN2000_INITIAL_TIME, GEN2000_FINAL_TIME, GEN2000_TIME_STEP);
    int failed = ferror(f);
    failed |= fclose(f) != 0;
    free(s);
    if (failed) {
        free(buf);
        return -1;
    }
    *text = buf;
    *len = size;
    return 0;
}
