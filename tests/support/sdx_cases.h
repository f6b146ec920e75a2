/*
 * Where the SDXorg conformance cases are, for the tests that read them:
 * $PLANSIM_SHARED_DIR/sdx-tests, else $PLANSIM_SOURCE_DIR/../shared/sdx-tests.
 * Tests that find neither skip (exit code SDX_SKIPPED, CTest's
 * SKIP_RETURN_CODE).
 */
#ifndef PLANSIM_TEST_SDX_CASES_H
#define PLANSIM_TEST_SDX_CASES_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#define SDX_SKIPPED 77

/* Writes the cases' folder into dir[0..size) and returns 1, or leaves
   dir empty and returns 0 when no such folder exists. */
static inline int sdx_cases_dir(char *dir, size_t size)
{
    const char *shared = getenv("PLANSIM_SHARED_DIR");
    const char *source = getenv("PLANSIM_SOURCE_DIR");
    struct stat st;
    if (shared && *shared) {
        snprintf(dir, size, "%s/sdx-tests", shared);
        if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
            return 1;
    }
    if (source && *source) {
        snprintf(dir, size, "%s/../shared/sdx-tests", source);
        if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
            return 1;
    }
    dir[0] = '\0';
    return 0;
}

#endif
