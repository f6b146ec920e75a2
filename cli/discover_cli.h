/*
 * plansim discover, the parts behind the command (cmd_discover.c):
 *
   (the analysis is the discover study's, plansim_study/discover.h)
 *   discover_grid.c     a table of text cells printed as aligned text,
 *                       Markdown or CSV
 *   discover_print.c    the results as tables: the report (text or
 *                       Markdown), the long-form CSV, the files' CSV
 *   discover_files.c    --output DIR: the report and the tables as files
 */
#ifndef PLANSIM_CLI_DISCOVER_H
#define PLANSIM_CLI_DISCOVER_H

#include <stddef.h>
#include <stdio.h>

#include "plansim/discover.h"
#include "plansim_output/h5.h"
#include "plansim_study/discover.h"

/* ---- arguments ---------------------------------------------------------- */

typedef enum disc_format {
    DISC_TABLE,
    DISC_MD,
    DISC_CSV,
    DISC_JSON
} disc_format;

typedef struct disc_args {
    disc_options o; /* what the analysis takes                  */
    const char *dir;
    int force; /* --force: write into a folder that is not empty */
    disc_format format;
    unsigned read_timeout; /* seconds; 0: no limit */
} disc_args;

/* Reports "out of memory" on stderr; returns its exit status. */
int disc_out_of_memory(void);

/* ---- text tables -------------------------------------------------------- */

/* A table of text cells; row 0 is the header.  Cells are copies. */
typedef struct disc_grid {
    size_t ncol, nrow, cap;
    char **cells;
    const char *align; /* per column: 'l' or 'r' */
    int oom;           /* a row could not be kept: out of memory */
} disc_grid;

/* Starts *g with `ncol` columns aligned as `align` says (kept, not
   copied) and the header row `head`.  Free with disc_grid_free. */
void disc_grid_init(disc_grid *g, size_t ncol, const char *align,
                    const char *const *head);

/* Adds a row of g->ncol cells (copied; NULL is an empty cell).  Out of
   memory sets g->oom, after which rows are dropped. */
void disc_grid_row(disc_grid *g, const char *const *cells);

/* Frees the cells and zeroes *g. */
void disc_grid_free(disc_grid *g);

/* Aligned text, each line after `indent`, two spaces between columns, a
   rule under the header. */
void disc_grid_print_text(FILE *out, const disc_grid *g, const char *indent);

/* A Markdown table. */
void disc_grid_print_md(FILE *out, const disc_grid *g);

/* CSV, the header first. */
void disc_grid_print_csv(FILE *out, const disc_grid *g);

/* Writes n spaces. */
void disc_pad(FILE *out, size_t n);

/* Text for Markdown: | \ ` * _ [ ] < escaped, line ends as spaces. */
void disc_md_text(FILE *out, const char *s);

/* ---- printing ----------------------------------------------------------- */

/* The tables the output folder holds as CSV. */
typedef enum disc_table {
    DISC_TRAJECTORY,
    DISC_BOX,
    DISC_FACTORS
} disc_table;

/*
 * Everything r found (heading, each box's trajectory and limits, the
 * factor ranking) as aligned text (md 0) or Markdown (md 1).  0, or -1
 * when out of memory (the output is then incomplete).
 */
int disc_print_report(FILE *out, const disc_run *r, int md);

/* Everything r found in long form, one number a row:
   kind,box,step,input,statistic,value. */
void disc_print_long_csv(FILE *out, const disc_run *r);

/* One table of r's results, every box's rows under one header, with
   numbers exact (the shortest text that reads back) as CSV.  0, or -1
   when out of memory (the output is then incomplete). */
int disc_print_table_csv(FILE *out, const disc_run *r, disc_table table);

/* ---- files -------------------------------------------------------------- */

/* Writes discovery.md, trajectory.csv, box.csv and factors.csv into
   `dir`, made when missing.  0, or an exit status after reporting the
   failure on stderr (73 when the folder or a file cannot be created). */
int disc_write_files(const disc_run *r, const char *dir);

#endif
