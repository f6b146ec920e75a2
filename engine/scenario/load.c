/*
 * Loading a scenario: reading the file and the chain of files it extends,
 * finding cycles, merging the trees and reading the result.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plansim/file.h"
#include "plansim/utf8.h"
#include "scenario_impl.h"

/* Deepest chain of `extends:` accepted. */
#define EXTENDS_MAX 32

/* Why a file could not be read, from ps_file_read_regular's message
   without its own "cannot open: " or "cannot read: " lead. */
static const char *read_failure(const char *message)
{
    static const char *const leads[] = {"cannot open: ", "cannot read: "};
    for (size_t i = 0; i < sizeof leads / sizeof leads[0]; i++)
        if (strncmp(message, leads[i], strlen(leads[i])) == 0)
            return message + strlen(leads[i]);
    return message;
}

/* The 1-based line and column (in characters) of byte `at` of text. */
static ps_loc loc_of(const char *text, size_t at)
{
    ps_loc loc = {1, 1};
    size_t line_start = 0;
    for (size_t i = 0; i < at; i++)
        if (text[i] == '\n') {
            loc.line++;
            line_start = i + 1;
        }
    loc.column = (int)ps_utf8_count(text + line_start, at - line_start) + 1;
    return loc;
}

/* Refuses text (file `index`, `len` bytes) that is not UTF-8 text before
   any parser sees it: a NUL byte, or a byte that starts no valid UTF-8
   sequence, each with its position. */
static ps_status check_text(sc_loader *ld, size_t index, size_t len)
{
    const char *text = ld->sc->texts[index];
    const char *nul = memchr(text, '\0', len);
    size_t n = nul ? (size_t)(nul - text) : len;
    size_t bad = ps_utf8_invalid_at(text, n);
    if (bad == n && !nul)
        return PS_OK;
    ps_sc_where w = {ld->sc->files[index], loc_of(text, bad), 1};
    if (bad < n)
        return sc_fail_at(ld, &w, PS_ERR_DATA,
                          "not UTF-8 text: byte 0x%02X here starts no UTF-8 "
                          "character (save the file as UTF-8)",
                          (unsigned char)text[bad]);
    return sc_fail_at(ld, &w, PS_ERR_DATA,
                      "a NUL byte: this is not a text file");
}

char *sc_resolve_path(const char *base, const char *rel)
{
    const char *slash = strrchr(base, '/');
    if (rel[0] == '/' || !slash)
        return strdup(rel);
    size_t dir = (size_t)(slash - base) + 1, n = strlen(rel);
    char *out = malloc(dir + n + 1);
    if (out) {
        memcpy(out, base, dir);
        memcpy(out + dir, rel, n + 1);
    }
    return out;
}

/* Appends a file (taking path and text) to the scenario; its index. */
static ps_status add_file(sc_loader *ld, char *path, char *text, char *id,
                          size_t *index)
{
    ps_scenario *sc = ld->sc;
    char **files = realloc(sc->files, (sc->nfiles + 1) * sizeof *files);
    if (files)
        sc->files = files;
    char **texts = realloc(sc->texts, (sc->nfiles + 1) * sizeof *texts);
    if (texts)
        sc->texts = texts;
    char **ids = realloc(ld->ids, (sc->nfiles + 1) * sizeof *ids);
    if (ids)
        ld->ids = ids;
    if (!files || !texts || !ids) {
        free(path);
        free(text);
        free(id);
        return sc_nomem(ld);
    }
    sc->files[sc->nfiles] = path;
    sc->texts[sc->nfiles] = text;
    ld->ids[sc->nfiles] = id;
    *index = sc->nfiles++;
    return PS_OK;
}

/* The chain "a.yaml extends b.yaml extends a.yaml" from file `from` on. */
static void chain_text(const sc_loader *ld, size_t from, const char *again,
                       char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = from; i < ld->sc->nfiles && n < size; i++)
        n += (size_t)snprintf(buf + n, size - n, "'%s' extends ",
                              ld->sc->files[i]);
    if (n < size)
        snprintf(buf + n, size - n, "'%s'", again);
}

static ps_status load_file(sc_loader *ld, char *path, char *text,
                           const ynode *named_by, ynode **merged);

/* A section written with nothing under it ("fixed:" with its items
   commented out) says nothing: it is dropped, and a child's empty section
   inherits its parent's. */
static void drop_empty_sections(ynode *root)
{
    static const char *const sections[] = {
        "time",      "tolerance",    "fixed",       "levers",
        "uncertain", "correlations", "correlation", "sampling",
        "save",      "targets",      "observed"};
    size_t n = 0;
    for (size_t i = 0; i < root->n; i++) {
        int empty = 0;
        if (root->vals[i]->kind == Y_SCALAR && root->vals[i]->null)
            for (size_t s = 0; s < sizeof sections / sizeof *sections; s++)
                empty |= sc_key_is(root->keys[i], sections[s]);
        if (!empty) {
            root->keys[n] = root->keys[i];
            root->vals[n++] = root->vals[i];
        }
    }
    root->n = n;
}

/* Follows root's `extends:` (if any) and merges root over its parent. */
static ps_status follow_extends(sc_loader *ld, size_t index, ynode *root,
                                ynode **merged)
{
    ynode *v = sc_get(root, "extends", NULL);
    if (!v) {
        *merged = root;
        return PS_OK;
    }
    if (v->kind != Y_SCALAR || v->null) {
        char got[64];
        sc_describe(v, got, sizeof got);
        return sc_fail(ld, v,
                       "expected the path of the scenario this one extends, "
                       "got %s",
                       got);
    }
    if (ld->sc->nfiles >= EXTENDS_MAX)
        return sc_fail(ld, v, "more than %d levels of 'extends'", EXTENDS_MAX);
    char *path = sc_resolve_path(ld->sc->files[index], v->text);
    if (!path)
        return sc_nomem(ld);
    ynode *parent = NULL;
    ps_status st = load_file(ld, path, NULL, v, &parent);
    if (st)
        return st;
    *merged = sc_merge(ld, parent, root);
    return *merged ? PS_OK : sc_nomem(ld);
}

/* Loads `path` (taking it; text too when not NULL, else the file is read)
   and everything it extends; `named_by` is the `extends:` value that named
   it, NULL for the scenario itself. */
static ps_status load_file(sc_loader *ld, char *path, char *text,
                           const ynode *named_by, ynode **merged)
{
    char *id = realpath(path, NULL);
    if (!id && !(id = strdup(path))) {
        free(path);
        free(text);
        return sc_nomem(ld);
    }
    for (size_t i = 0; i < ld->sc->nfiles; i++)
        if (strcmp(ld->ids[i], id) == 0) {
            char chain[PS_ERROR_MESSAGE_MAX / 2];
            chain_text(ld, i, path, chain, sizeof chain);
            free(path);
            free(text);
            free(id);
            return sc_fail(ld, named_by, "a cycle of 'extends': %s", chain);
        }
    size_t len = text ? strlen(text) : 0;
    ps_error why;
    ps_status st = PS_OK;
    if (!text && (st = ps_file_read_input(path, &text, &len, &why)) != PS_OK) {
        if (named_by)
            st = sc_fail_at(ld, &named_by->where, st, "cannot read '%s': %s",
                            path, read_failure(why.message));
        else
            st = ps_error_set(ld->err, st, path, 0, 0,
                              "cannot read the scenario: %s",
                              read_failure(why.message));
        free(path);
        free(id);
        return st;
    }
    size_t index = 0;
    if ((st = add_file(ld, path, text, id, &index)) != PS_OK)
        return st;
    if ((st = check_text(ld, index, len)) != PS_OK)
        return st;
    ynode *root = NULL;
    if ((st = ytree_parse(ld, index, &root)))
        return st;
    if (!root) {
        ps_sc_where w = {ld->sc->files[index], {1, 1}, 1};
        return sc_fail_at(ld, &w, PS_ERR_DATA,
                          "the scenario is empty (it needs at least "
                          "'model:')");
    }
    if ((st = sc_expect_map(ld, root,
                            "a mapping of keys (title:, model:, ...)")))
        return st;
    drop_empty_sections(root);
    if ((st = sc_check_names(ld, root)))
        return st;
    return follow_extends(ld, index, root, merged);
}

static ps_status load(char *path, char *text, ps_scenario **out, ps_error *err)
{
    *out = NULL;
    ps_scenario *sc = calloc(1, sizeof *sc);
    sc_loader ld = {.sc = sc, .err = err};
    if (!sc || !(sc->path = strdup(path))) {
        free(path);
        free(text);
        free(sc);
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0,
                            "out of memory while reading the scenario");
    }
    ynode *root = NULL;
    ps_status st = load_file(&ld, path, text, NULL, &root);
    if (st == PS_OK)
        st = sc_build(&ld, root);
    yarena_free(&ld.arena);
    for (size_t i = 0; i < sc->nfiles; i++)
        free(ld.ids[i]);
    free(ld.ids);
    if (st != PS_OK) {
        ps_scenario_free(&sc);
        return st;
    }
    *out = sc;
    return PS_OK;
}

ps_status ps_scenario_load(const char *path, ps_scenario **out, ps_error *err)
{
    *out = NULL;
    if (!path)
        return ps_error_set(err, PS_ERR_USAGE, NULL, 0, 0,
                            "no scenario file given");
    char *p = strdup(path);
    if (!p)
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0,
                            "out of memory while reading the scenario");
    return load(p, NULL, out, err);
}

ps_status ps_scenario_parse(const char *text, size_t len, const char *path,
                            ps_scenario **out, ps_error *err)
{
    if (!path)
        path = "<scenario>";
    if (text && memchr(text, '\0', len)) {
        *out = NULL;
        return ps_error_set(err, PS_ERR_DATA, path, 0, 0,
                            "the scenario holds a NUL byte (it is not "
                            "text)");
    }
    char *p = strdup(path), *t = malloc(len + 1);
    if (!p || !t) {
        free(p);
        free(t);
        *out = NULL;
        return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0,
                            "out of memory while reading the scenario");
    }
    if (len)
        memcpy(t, text, len);
    t[len] = '\0';
    return load(p, t, out, err);
}
