/*
 * What the commands that write files record of how they were called: the
 * command line, and the default name of their output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

char *cli_command_line(const cli_command *cmd, int argc, char **argv)
{
    size_t len = strlen("plansim ") + strlen(cmd->name) + 1;
    for (int i = 1; i < argc; i++)
        len += 4 * strlen(argv[i]) + 3;
    char *s = malloc(len);
    if (!s)
        return NULL;
    char *p = s + sprintf(s, "plansim %s", cmd->name);
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        int quote = arg[0] == '\0' || strpbrk(arg, " \t\n'\"\\$`*?;&|<>()");
        *p++ = ' ';
        if (quote)
            *p++ = '\'';
        for (const char *c = arg; *c; c++) {
            if (quote && *c == '\'') {
                memcpy(p, "'\\''", 4);
                p += 4;
            } else {
                *p++ = *c;
            }
        }
        if (quote)
            *p++ = '\'';
    }
    *p = '\0';
    return s;
}

char *cli_default_output(const char *scenario, const char *suffix)
{
    const char *base = strrchr(scenario, '/');
    base = base ? base + 1 : scenario;
    const char *dot = strrchr(base, '.');
    size_t len = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    size_t size = len + strlen(suffix) + 1;
    char *out = malloc(size);
    if (out)
        snprintf(out, size, "%.*s%s", (int)len, base, suffix);
    return out;
}
