/*
 * Arrays that grow by doubling, their capacity implied by their length.
 */
#include "plansim/grow.h"

#include <stdint.h>
#include <stdlib.h>

void *ps_grow(void *items, size_t n, size_t size)
{
    if (n & (n - 1))
        return items; /* n is not a power of two: room is left */
    size_t cap = n ? 2 * n : 1;
    if (size == 0 || cap < n || cap > SIZE_MAX / size)
        return NULL;
    return realloc(items, cap * size);
}
