/*
 * The harnesses' temporary folder and their model (fuzz_support.h).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_support.h"
#include "plansim/mdl.h"

/* The folder's path: process-wide state by the libFuzzer interface
   (see fuzz_support.h). */
static char tmp_dir[4096];

const char fuzz_model_text[] =
    "{UTF-8}\n"
    "chain: 新材料, 电子 ~ ~ |\n"
    "gdp real = INTEG(gdp real * gdp real growth, 100) ~ 亿元 ~ |\n"
    "gdp real growth = 0.05 ~ 1/Year ~ |\n"
    "price level = INTEG(price level * 0.02, 1) ~ Dmnl ~ |\n"
    "gdp nominal = gdp real * price level ~ 亿元 ~ |\n"
    "primary share = 0.1 ~ Dmnl ~ |\n"
    "secondary value added = gdp real * 0.35 ~ 亿元 ~ |\n"
    "industrial output = INTEG(industrial output * 0.08, 50) ~ 亿元 ~ |\n"
    "output[chain] = INTEG(output[chain] * 0.1, 10) ~ 亿元 ~ |\n"
    "curve((0,0),(1,1)) ~ ~ |\n"
    "INITIAL TIME = 2020 ~ Year ~ |\n"
    "FINAL TIME = 2025 ~ Year ~ |\n"
    "TIME STEP = 0.25 ~ Year ~ |\n"
    "SAVEPER = 1 ~ Year ~ |\n";

/* Removes the folder and the files the harness wrote in it (it holds
   no subfolders). */
static void remove_tmp_dir(void)
{
    DIR *d = opendir(tmp_dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL)
            if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
                unlinkat(dirfd(d), e->d_name, 0);
        closedir(d);
    }
    if (rmdir(tmp_dir) != 0)
        fprintf(stderr, "fuzz: could not remove %s\n", tmp_dir);
}

const char *fuzz_tmp_dir(void)
{
    if (tmp_dir[0])
        return tmp_dir;
    const char *base = getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    snprintf(tmp_dir, sizeof tmp_dir, "%s/plansim-fuzz-XXXXXX", base);
    if (!mkdtemp(tmp_dir)) {
        perror("fuzz: mkdtemp");
        abort();
    }
    atexit(remove_tmp_dir);
    return tmp_dir;
}

const char *fuzz_tmp_write(const char *name, const void *data, size_t size)
{
    static char path[4200];
    snprintf(path, sizeof path, "%s/%s", fuzz_tmp_dir(), name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        perror(path);
        abort();
    }
    const char *p = data;
    while (size > 0) {
        ssize_t n = write(fd, p, size);
        if (n <= 0) {
            perror(path);
            abort();
        }
        p += n;
        size -= (size_t)n;
    }
    close(fd);
    return path;
}

ps_model *fuzz_model_new(void)
{
    ps_model *m = NULL;
    ps_error err;
    if (ps_mdl_parse(fuzz_model_text, sizeof fuzz_model_text - 1, "fuzz.mdl",
                     &m, &err) != PS_OK) {
        fprintf(stderr, "fuzz: the harness model does not parse: %s\n",
                err.message);
        abort();
    }
    return m;
}
