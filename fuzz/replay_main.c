/*
 * Replays inputs through a fuzz harness without libFuzzer, so that the
 * seed corpora and every input a fuzzer found are run again by the
 * ordinary tests (and under the sanitizers in the Sanitize build).
 *
 *   fuzz_replay_<harness> FILE-OR-FOLDER...
 *
 * Runs LLVMFuzzerTestOneInput once per file (a folder: once per file in
 * it) and prints how many; exits 66 when a path cannot be read, 0
 * otherwise.  A crash, a leak or a sanitizer report ends the process
 * with their own status.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Runs the harness on the file `path`; returns 0, or -1 when it cannot
   be read. */
static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    size_t cap = 4096, len = 0;
    uint8_t *buf = malloc(cap);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            uint8_t *bigger = realloc(buf, cap *= 2);
            if (!bigger)
                free(buf);
            buf = bigger;
        }
    }
    int bad = !buf || ferror(f);
    fclose(f);
    if (!bad) {
        /* an exact-size copy, so that reading past the input is caught */
        uint8_t *copy = malloc(len ? len : 1);
        if (!copy) {
            free(buf);
            return -1;
        }
        memcpy(copy, buf, len);
        LLVMFuzzerTestOneInput(copy, len);
        free(copy);
    }
    free(buf);
    return bad ? -1 : 0;
}

/* Replays `path`, a file or a folder of files (in name order); adds the
   number of inputs run to *count.  Returns 0, or -1 on a read error. */
static int replay_path(const char *path, size_t *count)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return -1;
    if (!S_ISDIR(st.st_mode)) {
        int rc = replay_file(path);
        *count += rc == 0;
        return rc;
    }
    struct dirent **names = NULL;
    int n = scandir(path, &names, NULL, alphasort);
    if (n < 0)
        return -1;
    int rc = 0;
    for (int i = 0; i < n; i++) {
        char file[4096];
        snprintf(file, sizeof file, "%s/%s", path, names[i]->d_name);
        struct stat fst;
        if (names[i]->d_name[0] != '.' && stat(file, &fst) == 0 &&
            S_ISREG(fst.st_mode)) {
            if (replay_file(file) == 0)
                ++*count;
            else
                rc = -1;
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    size_t count = 0;
    int rc = 0;
    for (int i = 1; i < argc; i++)
        if (replay_path(argv[i], &count) != 0) {
            fprintf(stderr, "%s: cannot read %s\n", argv[0], argv[i]);
            rc = 66;
        }
    printf("%zu inputs replayed\n", count);
    return rc;
}
