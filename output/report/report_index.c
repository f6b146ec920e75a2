/*
 * index.md: the report folder's front page.  What the folder holds, the
 * target scorecard, and every fan chart embedded, so that a Markdown
 * viewer (or pandoc) shows the whole report from one file.
 */
#include "report_impl.h"

#include <stdlib.h>

#include "plansim_output/report.h"

/* Writes `s` escaped for Markdown; 0, or -1 when out of memory. */
static int md_put(FILE *out, const char *s)
{
    char *e = rp_md(s);
    if (!e)
        return -1;
    fputs(e, out);
    free(e);
    return 0;
}

ps_status ps_report_index_md(FILE *out, const ps_h5_summary *s,
                             const ps_h5_assumptions *a, ps_error *err)
{
    int oom = 0;
    fputs("# ", out);
    oom |= md_put(out, s->title && *s->title ? s->title : "情景报告");
    fputs("\n\n", out);
    if (a && *a->description) {
        oom |= md_put(out, a->description);
        fputs("\n\n", out);
    }
    rp_runs_line(out, s);
    if (a && *a->created) {
        fputs("集合文件生成于 ", out);
        oom |= md_put(out, a->created);
        if (*a->engine_version) {
            fputs("（plansim ", out);
            oom |= md_put(out, a->engine_version);
            fputs("）", out);
        }
        fputs("。", out);
    }
    fputs("\n\n## 文件\n\n"
          "- [目标达成概率](targets.md)（[CSV](targets.csv)）\n"
          "- [变量：中位数与 90% 区间](variables.md)（[CSV](variables.csv)）\n"
          "- [假设与来源](assumptions.md)（[CSV](assumptions.csv)）\n"
          "- 扇形图：每个变量一张 SVG，见下文\n"
          "\n## 目标达成概率\n\n",
          out);
    if (s->ntargets) {
        ps_status st = rp_targets_table(out, s, err);
        if (st != PS_OK)
            return st;
    } else {
        fputs("本情景未设定目标。\n", out);
    }
    fputs("\n## 扇形图\n\n"
          "浅色带为 90% 区间（5%–95% 分位数），深色带为 50% 区间（25%–75%），"
          "实线为中位数，红色虚线为目标。\n",
          out);
    for (size_t v = 0; v < s->nvars; v++) {
        char file[512];
        ps_report_fan_file_name(&s->vars[v], file, sizeof file);
        const char *title = rp_var_title(&s->vars[v]);
        fputs("\n### ", out);
        oom |= md_put(out, title);
        fputs("\n\n![", out);
        oom |= md_put(out, title);
        fprintf(out, "](%s)\n", file);
    }
    if (oom)
        return rp_nomem(err);
    return rp_finish(out, err);
}
