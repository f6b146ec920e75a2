/*
 * Allocation-failure injection for a test build of plansim, linked with
 * -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,
 * --wrap=strndup: every allocation plansim's own code makes (the engine
 * and output libraries are static, so their calls are wrapped too; those
 * inside shared libraries such as libhdf5 or libfyaml are not) comes
 * here and is counted.
 *
 *   PLANSIM_ALLOC_FAIL=N        the N-th allocation (1-based) fails, and
 *                               only that one; 0 or unset: none fails
 *   PLANSIM_ALLOC_COUNT_FILE=F  at exit, the number of allocations made
 *                               is written to F
 *   PLANSIM_ALLOC_FAIL_STACK=1  the failing allocation prints its stack
 *                               (AddressSanitizer's), to find its caller
 *
 * The counter is process-wide state by necessity: the allocator has no
 * context argument.  It is atomic, so threads may allocate; a test wants
 * --threads 1 so that the N-th allocation is the same one every time.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

/* AddressSanitizer's stack printer, when it is linked in. */
void __sanitizer_print_stack_trace(void) __attribute__((weak));

static atomic_ullong alloc_count;
static unsigned long long fail_at; /* set before main, read-only after */
static int fail_stack;             /* likewise */

static void write_count(void)
{
    const char *path = getenv("PLANSIM_ALLOC_COUNT_FILE");
    FILE *f = path ? fopen(path, "w") : NULL;
    if (f) {
        fprintf(f, "%llu\n", (unsigned long long)atomic_load(&alloc_count));
        fclose(f);
    }
}

__attribute__((constructor)) static void read_settings(void)
{
    const char *n = getenv("PLANSIM_ALLOC_FAIL");
    fail_at = n ? strtoull(n, NULL, 10) : 0;
    fail_stack = getenv("PLANSIM_ALLOC_FAIL_STACK") != NULL;
    atexit(write_count);
}

/* Counts one allocation; non-zero when it is the one to fail. */
static int should_fail(void)
{
    unsigned long long k = atomic_fetch_add(&alloc_count, 1) + 1;
    if (fail_at == 0 || k != fail_at)
        return 0;
    errno = ENOMEM; /* as the C library's allocator does */
    if (fail_stack && __sanitizer_print_stack_trace)
        __sanitizer_print_stack_trace();
    return 1;
}

void *__wrap_malloc(size_t size)
{
    return should_fail() ? NULL : __real_malloc(size);
}

void *__wrap_calloc(size_t n, size_t size)
{
    return should_fail() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t size)
{
    return should_fail() ? NULL : __real_realloc(p, size);
}

char *__wrap_strdup(const char *s)
{
    return should_fail() ? NULL : __real_strdup(s);
}

char *__wrap_strndup(const char *s, size_t n)
{
    return should_fail() ? NULL : __real_strndup(s, n);
}
