/*
 * The layout check every reader runs when it opens a file (h5_open_read):
 * a damaged or forged file is refused with what is wrong before any
 * value is read from it.
 *
 * The HDF5 library checks the checksums of the file's metadata (files
 * plansim writes carry them, h5_create_netcdf_file) but not two things
 * that a reader acts on:
 *  - sizes: a dataspace of 2^60 elements is valid HDF5, and a reader
 *    would allocate it;
 *  - variable-length strings: their values live in global heap
 *    collections, which carry no checksum, referenced from the dataset's
 *    raw data, which carries none either.  HDF5 1.10 trusts both: a wrong
 *    object size or index makes it read outside its buffers, a free-space
 *    record of size 0 makes it loop for ever.  No library checks them, so
 *    this file reads the references and walks the collections they name,
 *    as the HDF5 file format specification (version 3, "Global Heap")
 *    lays them out, before the library does.
 * Strings kept in attributes point into collections too; those not
 * shared with a dataset's strings stay unchecked (the commands' watchdog
 * covers them).
 */
#include "h5_impl.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The global heap as HDF5 writes it with 8-byte offsets and lengths. */
#define GH_HEADER 16u     /* "GCOL", version, reserved, collection size */
#define GH_OBJ_HEADER 16u /* index, references, reserved, object size */
#define GH_REF 16u        /* in raw data: length, collection, index    */
#define GH_MAX_INDEX 65535u

/* What the check keeps while it walks the file. */
typedef struct layout_walk {
    hid_t file;
    int fd; /* the file's descriptor (the sec2 driver's) */
    uint64_t file_size;
    uint64_t max_bytes;    /* h5_layout_max_bytes */
    long long nrun, ntime; /* root coordinates' lengths, -1 when absent */
    /* Collections already walked, with their objects. */
    size_t ncollections;
    uint64_t collection[H5_LAYOUT_MAX_COLLECTIONS];
    h5_heap_object *objects[H5_LAYOUT_MAX_COLLECTIONS];
    size_t nobjects[H5_LAYOUT_MAX_COLLECTIONS];
    char problem[512]; /* what is wrong, empty when nothing */
    int nomem;
    int library; /* the problem is a failed HDF5 call: say its reason */
} layout_walk;

uint64_t h5_layout_max_bytes(uint64_t file_size)
{
    uint64_t slack = (uint64_t)4 << 30;
    if (file_size > (UINT64_MAX - slack) / H5_LAYOUT_MAX_RATIO)
        return UINT64_MAX;
    return H5_LAYOUT_MAX_RATIO * file_size + slack;
}

int h5_layout_size_ok(size_t rank, const uint64_t *dims, uint64_t elem_size,
                      uint64_t max_bytes)
{
    uint64_t bytes = elem_size ? elem_size : 1;
    for (size_t k = 0; k < rank; k++) {
        if (dims[k] != 0 && bytes > max_bytes / dims[k])
            return 0;
        bytes *= dims[k];
    }
    return bytes <= max_bytes;
}

static uint64_t le(const unsigned char *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = n; i-- > 0;)
        v = v << 8 | p[i];
    return v;
}

static int by_index(const void *a, const void *b)
{
    const h5_heap_object *x = a, *y = b;
    return (x->index > y->index) - (x->index < y->index);
}

int h5_layout_parse_collection(const unsigned char *buf, uint64_t size,
                               h5_heap_object **objects, size_t *n)
{
    *objects = NULL;
    *n = 0;
    if (size < GH_HEADER || memcmp(buf, "GCOL", 4) != 0 || buf[4] != 1 ||
        le(buf + 8, 8) != size)
        return -1;
    /* At most one object per object header's worth of bytes. */
    h5_heap_object *obj = malloc((size_t)(size / GH_OBJ_HEADER) * sizeof *obj);
    if (!obj)
        return -2;
    size_t count = 0;
    uint64_t p = GH_HEADER;
    int damaged = 0;
    /* As H5HG's decoder walks it: a tail too short for an object header
       is free space; object 0 is the free space, its size counting its
       header; every other object is its header and its data padded to 8
       bytes.  Damaged: a free space smaller than its header (HDF5 would
       not move on) or an object that runs past the collection's end. */
    while (!damaged && size - p >= GH_OBJ_HEADER) {
        unsigned idx = (unsigned)le(buf + p, 2);
        uint64_t osize = le(buf + p + 8, 8);
        uint64_t need = size;
        if (idx == 0)
            need = osize;
        else if (osize <= size)
            need = GH_OBJ_HEADER + ((osize + 7) & ~(uint64_t)7);
        if ((idx == 0 && need < GH_OBJ_HEADER) || need > size - p)
            damaged = 1;
        else if (idx != 0)
            obj[count++] = (h5_heap_object){idx, osize};
        p += damaged ? 0 : need;
    }
    if (damaged) {
        free(obj);
        return -1;
    }
    qsort(obj, count, sizeof *obj, by_index);
    for (size_t i = 1; i < count; i++)
        if (obj[i].index == obj[i - 1].index) { /* twice: damaged */
            free(obj);
            return -1;
        }
    *objects = obj;
    *n = count;
    return 0;
}

uint64_t h5_layout_object_size(const h5_heap_object *objects, size_t n,
                               unsigned index)
{
    h5_heap_object key = {index, 0};
    const h5_heap_object *o =
        bsearch(&key, objects, n, sizeof *objects, by_index);
    return o ? o->size : UINT64_MAX;
}

/* The index in w of the collection at `addr`, walked once per file; -1
   with w->problem set when it is damaged. */
static long collection(layout_walk *w, uint64_t addr)
{
    for (size_t i = 0; i < w->ncollections; i++)
        if (w->collection[i] == addr)
            return (long)i;
    unsigned char head[GH_HEADER];
    if (addr > w->file_size || w->file_size - addr < GH_HEADER ||
        pread(w->fd, head, sizeof head, (off_t)addr) != (ssize_t)sizeof head) {
        snprintf(w->problem, sizeof w->problem,
                 "a string points outside the file (offset %llu)",
                 (unsigned long long)addr);
        return -1;
    }
    uint64_t size = le(head + 8, 8);
    if (memcmp(head, "GCOL", 4) != 0 || size < GH_HEADER ||
        size > w->file_size - addr) {
        snprintf(w->problem, sizeof w->problem,
                 "a string points to no string heap (offset %llu)",
                 (unsigned long long)addr);
        return -1;
    }
    if (w->ncollections == H5_LAYOUT_MAX_COLLECTIONS) {
        snprintf(w->problem, sizeof w->problem,
                 "its strings are spread over more than %d heaps",
                 H5_LAYOUT_MAX_COLLECTIONS);
        return -1;
    }
    unsigned char *buf = malloc((size_t)size);
    h5_heap_object *objects = NULL;
    size_t n = 0;
    int rc = !buf ? -2
             : pread(w->fd, buf, (size_t)size, (off_t)addr) != (ssize_t)size
                 ? -1
                 : h5_layout_parse_collection(buf, size, &objects, &n);
    free(buf);
    if (rc == -2)
        w->nomem = 1;
    else if (rc != 0)
        snprintf(w->problem, sizeof w->problem,
                 "the string heap at offset %llu is damaged",
                 (unsigned long long)addr);
    if (rc != 0)
        return -1;
    w->collection[w->ncollections] = addr;
    w->objects[w->ncollections] = objects;
    w->nobjects[w->ncollections] = n;
    return (long)w->ncollections++;
}

/* Checks the n string references of the contiguous dataset d. */
static void check_strings(layout_walk *w, hid_t d, const char *name, uint64_t n)
{
    hid_t dcpl = H5Dget_create_plist(d);
    H5D_layout_t layout = dcpl >= 0 ? H5Pget_layout(dcpl) : H5D_LAYOUT_ERROR;
    if (dcpl >= 0)
        H5Pclose(dcpl);
    haddr_t at = H5Dget_offset(d);
    /* Chunked strings or strings never written: nothing to read here. */
    if (layout != H5D_CONTIGUOUS || at == HADDR_UNDEF || n == 0)
        return;
    if (at > w->file_size || (w->file_size - at) / GH_REF < n) {
        snprintf(w->problem, sizeof w->problem,
                 "dataset '%.200s': its strings lie outside the file", name);
        return;
    }
    unsigned char ref[GH_REF];
    for (uint64_t i = 0; i < n && !w->problem[0] && !w->nomem; i++) {
        if (pread(w->fd, ref, sizeof ref, (off_t)(at + i * GH_REF)) !=
            (ssize_t)sizeof ref) {
            snprintf(w->problem, sizeof w->problem,
                     "dataset '%.200s': its strings cannot be read", name);
            return;
        }
        uint64_t len = le(ref, 4), addr = le(ref + 4, 8);
        unsigned idx = (unsigned)le(ref + 12, 4);
        if (addr == 0 && len == 0)
            continue; /* an empty string */
        long c = collection(w, addr);
        if (c < 0) {
            if (w->problem[0]) {
                char inner[sizeof w->problem];
                memcpy(inner, w->problem, sizeof inner);
                snprintf(w->problem, sizeof w->problem,
                         "dataset '%.200s': %.280s", name, inner);
            }
            return;
        }
        uint64_t have =
            h5_layout_object_size(w->objects[c], w->nobjects[c], idx);
        if (le(ref + 12, 4) > GH_MAX_INDEX || have == UINT64_MAX || have < len)
            snprintf(w->problem, sizeof w->problem,
                     "dataset '%.200s': string %llu points to no string of its "
                     "length",
                     name, (unsigned long long)i);
    }
}

/* The dimensions of an open dataset or attribute space; rank or -1. */
static int space_dims(hid_t space, uint64_t *dims)
{
    int rank = space >= 0 ? H5Sget_simple_extent_ndims(space) : -1;
    hsize_t h[H5S_MAX_RANK];
    if (rank < 0 || rank > 2 + H5_MAX_RANGES ||
        H5Sget_simple_extent_dims(space, h, NULL) < 0)
        return -1;
    for (int k = 0; k < rank; k++)
        dims[k] = h[k];
    return rank;
}

/* Checks the dataset `name` (a path from the root). */
static void check_dataset(layout_walk *w, const char *name)
{
    hid_t d = H5Dopen2(w->file, name, H5P_DEFAULT);
    hid_t space = d >= 0 ? H5Dget_space(d) : -1;
    hid_t type = d >= 0 ? H5Dget_type(d) : -1;
    uint64_t dims[2 + H5_MAX_RANGES];
    int rank = space_dims(space, dims);
    size_t size = type >= 0 ? H5Tget_size(type) : 0;
    H5T_class_t cls = type >= 0 ? H5Tget_class(type) : H5T_NO_CLASS;
    int vlen = cls == H5T_STRING && type >= 0 && H5Tis_variable_str(type) > 0;
    if (d < 0 || rank < 0 || size == 0) {
        w->library = d < 0 || space < 0 || type < 0;
        snprintf(w->problem, sizeof w->problem,
                 "dataset '%.200s' cannot be read, or has more than %d "
                 "dimensions",
                 name, 2 + H5_MAX_RANGES);
    } else if (!h5_layout_size_ok((size_t)rank, dims, vlen ? GH_REF : size,
                                  w->max_bytes))
        snprintf(
            w->problem, sizeof w->problem,
            "dataset '%.200s' claims more values than a file of %llu bytes "
            "can hold",
            name, (unsigned long long)w->file_size);
    else if (name[0] == '/' && !strchr(name + 1, '/') &&
             H5Aexists(d, "model_name") > 0 && w->nrun >= 0 && w->ntime >= 0 &&
             (rank < 2 || dims[0] != (uint64_t)w->nrun ||
              dims[1] != (uint64_t)w->ntime || cls != H5T_FLOAT))
        snprintf(w->problem, sizeof w->problem,
                 "variable '%.200s' is not a (run, time, ...) table of numbers "
                 "of %lld runs and %lld times",
                 name + 1, w->nrun, w->ntime);
    else if (vlen) {
        uint64_t n = 1;
        for (int k = 0; k < rank; k++)
            n *= dims[k];
        check_strings(w, d, name, n);
    }
    if (type >= 0)
        H5Tclose(type);
    if (space >= 0)
        H5Sclose(space);
    if (d >= 0)
        H5Dclose(d);
}

/* H5Ovisit visitor: checks each object's attribute count and each
   dataset; stops at the first problem. */
static herr_t visit(hid_t root, const char *name, const H5O_info_t *info,
                    void *data)
{
    (void)root;
    layout_walk *w = data;
    char path[1024];
    snprintf(path, sizeof path, "/%s", strcmp(name, ".") == 0 ? "" : name);
    if (info->num_attrs > H5_LAYOUT_MAX_ATTRIBUTES)
        snprintf(w->problem, sizeof w->problem,
                 "'%.200s' has %llu attributes (at most %d are read)", path,
                 (unsigned long long)info->num_attrs, H5_LAYOUT_MAX_ATTRIBUTES);
    else if (info->type == H5O_TYPE_DATASET)
        check_dataset(w, path);
    return w->problem[0] || w->nomem ? 1 : 0;
}

/* The length of the 1-D root coordinate `name`; -1 when absent. */
static long long coordinate(layout_walk *w, const char *name)
{
    if (H5Lexists(w->file, name, H5P_DEFAULT) <= 0)
        return -1;
    hid_t d = H5Dopen2(w->file, name, H5P_DEFAULT);
    hid_t space = d >= 0 ? H5Dget_space(d) : -1;
    uint64_t dims[2 + H5_MAX_RANGES];
    int rank = space_dims(space, dims);
    if (space >= 0)
        H5Sclose(space);
    if (d >= 0)
        H5Dclose(d);
    if (rank != 1 || dims[0] > (uint64_t)LLONG_MAX) {
        snprintf(w->problem, sizeof w->problem,
                 "coordinate '%.200s' is not a list", name);
        return -1;
    }
    return (long long)dims[0];
}

/* H5Lvisit visitor: every link is a hard link.  A soft or external
   link would send the readers elsewhere, even into another file. */
static herr_t hard_links_only(hid_t group, const char *name,
                              const H5L_info_t *info, void *data)
{
    (void)group;
    layout_walk *w = data;
    if (info->type == H5L_TYPE_HARD)
        return 0;
    const char *kind = info->type == H5L_TYPE_SOFT       ? "soft"
                       : info->type == H5L_TYPE_EXTERNAL ? "external"
                                                         : "user-defined";
    snprintf(w->problem, sizeof w->problem,
             "'/%.200s' is a link of kind %s (files plansim writes have "
             "only hard links)",
             name, kind);
    return 1;
}

ps_status h5_layout_check(hid_t file, const char *path, ps_error *err)
{
    layout_walk *w = calloc(1, sizeof *w);
    if (!w)
        return ps_error_set(err, PS_ERR_NOMEM, path, 0, 0, "out of memory");
    w->file = file;
    w->fd = -1;
    w->nrun = w->ntime = -1;
    hid_t fcpl = H5Fget_create_plist(file);
    size_t soff = 0, slen = 0;
    hsize_t fsize = 0;
    void *handle = NULL;
    if (fcpl < 0 || H5Pget_sizes(fcpl, &soff, &slen) < 0 || soff != 8 ||
        slen != 8)
        snprintf(w->problem, sizeof w->problem,
                 "its addresses are not 8 bytes long (not a file plansim "
                 "writes)");
    else if (H5Fget_filesize(file, &fsize) < 0 ||
             H5Fget_vfd_handle(file, H5P_DEFAULT, &handle) < 0 || !handle)
        snprintf(w->problem, sizeof w->problem, "its size cannot be read");
    if (fcpl >= 0)
        H5Pclose(fcpl);
    if (!w->problem[0]) {
        w->fd = *(int *)handle;
        w->file_size = fsize;
        w->max_bytes = h5_layout_max_bytes(fsize);
        if (H5Lvisit(file, H5_INDEX_NAME, H5_ITER_NATIVE, hard_links_only, w) <
                0 &&
            !w->problem[0]) {
            w->library = 1;
            snprintf(w->problem, sizeof w->problem,
                     "its links cannot be listed");
        }
    }
    if (!w->problem[0]) {
        w->nrun = coordinate(w, H5N_RUN);
        if (!w->problem[0])
            w->ntime = coordinate(w, H5N_TIME);
    }
    if (!w->problem[0] &&
        H5Ovisit2(file, H5_INDEX_NAME, H5_ITER_NATIVE, visit, w,
                  H5O_INFO_BASIC | H5O_INFO_NUM_ATTRS) < 0 &&
        !w->problem[0] && !w->nomem) {
        w->library = 1;
        snprintf(w->problem, sizeof w->problem, "its objects cannot be listed");
    }
    ps_status st = PS_OK;
    if (w->nomem)
        st = ps_error_set(err, PS_ERR_NOMEM, path, 0, 0, "out of memory");
    else if (w->problem[0] && w->library)
        st = h5_fail(err, PS_ERR_DATA, path, "damaged file: %s", w->problem);
    else if (w->problem[0])
        st = ps_error_set(err, PS_ERR_DATA, path, 0, 0, "damaged file: %s",
                          w->problem);
    for (size_t i = 0; i < w->ncollections; i++)
        free(w->objects[i]);
    free(w);
    return st;
}
