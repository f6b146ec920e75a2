/*
 * plansim: arrays that grow by doubling without storing their capacity.
 */
#ifndef PLANSIM_GROW_H
#define PLANSIM_GROW_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Makes room for item n (0-based) of the array `items` of n items, each of
 * size bytes, and returns the array (moved, perhaps).  The capacity is implied by n: the next power of two at or
 * above it, so appending k items reallocates log2(k) times, not k times.
 * An array grown this way must only ever be grown this way (never
 * allocated to another size by hand).  Returns NULL when memory runs out
 * or the size overflows; `items` is then unchanged and still owned by the
 * caller.
 */
void *ps_grow(void *items, size_t n, size_t size);

#ifdef __cplusplus
}
#endif

#endif
