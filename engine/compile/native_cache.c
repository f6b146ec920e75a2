/*
 * The cache of models built to native code: where it is, whether a file
 * in it can be trusted, and building a source into it with the system's C
 * compiler (run with posix_spawn, no shell).  Concurrent builds of one
 * model are safe: each compiles to its own temporary name (created
 * exclusively) and renames the result into place, atomically.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nettle/sha2.h>

#include "native_impl.h"

extern char **environ;

/* The flags every model is built with: no contraction into fused
   multiply-adds and no fast-math, so each operation rounds as the
   interpreter's does; no -march, so the object uses only the compiler's
   default instruction set, as the engine does; no warnings (-w) about
   code no one edits. */
static const char *const cflags[] = {
    "-std=c11",       "-O2", "-fPIC", "-shared", "-ffp-contract=off",
    "-fno-fast-math", "-w"};
#define NFLAGS (sizeof cflags / sizeof *cflags)

static ps_status nomem(ps_error *err)
{
    return ps_error_set(err, PS_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

static char *join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s/%s", a, b);
    return s;
}

/* Checks that an existing folder is safe to keep code in. */
static ps_status check_dir(const char *dir, ps_error *err)
{
    struct stat st;
    if (lstat(dir, &st) != 0)
        return ps_error_set(err, PS_ERR_CANTCREAT, dir, 0, 0,
                            "cache folder: %s", strerror(errno));
    if (S_ISLNK(st.st_mode))
        return ps_error_set(err, PS_ERR_CANTCREAT, dir, 0, 0,
                            "cache folder is a symbolic link; refused");
    if (!S_ISDIR(st.st_mode))
        return ps_error_set(err, PS_ERR_CANTCREAT, dir, 0, 0,
                            "cache folder is not a folder");
    if (st.st_uid != geteuid())
        return ps_error_set(err, PS_ERR_CANTCREAT, dir, 0, 0,
                            "cache folder belongs to another user; refused");
    if ((st.st_mode & S_IWOTH) && !(st.st_mode & S_ISVTX))
        return ps_error_set(err, PS_ERR_CANTCREAT, dir, 0, 0,
                            "cache folder is writable by anyone; refused");
    return PS_OK;
}

/* mkdir -p with mode 0700 for the folders it creates. */
static ps_status make_dirs(char *path, ps_error *err)
{
    for (char *s = path + 1;; s++) {
        char c = *s;
        if (c != '/' && c != '\0')
            continue;
        *s = '\0';
        int rc = mkdir(path, 0700);
        int e = errno;
        *s = c;
        if (rc != 0 && e != EEXIST)
            return ps_error_set(err, PS_ERR_CANTCREAT, path, 0, 0,
                                "cannot create the cache folder: %s",
                                strerror(e));
        if (c == '\0')
            return PS_OK;
    }
}

ps_status native_cache_dir(char **dir, ps_error *err)
{
    const char *env = getenv("PLANSIM_CACHE_DIR");
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    if (env && *env)
        *dir = strdup(env);
    else if (xdg && *xdg == '/')
        *dir = join(xdg, "plansim");
    else if (home && *home == '/')
        *dir = join(home, ".cache/plansim");
    else
        return ps_error_set(err, PS_ERR_CANTCREAT, NULL, 0, 0,
                            "no cache folder for native code: set "
                            "PLANSIM_CACHE_DIR or HOME");
    if (!*dir)
        return nomem(err);
    ps_status st = make_dirs(*dir, err);
    if (st == PS_OK)
        st = check_dir(*dir, err);
    if (st != PS_OK) {
        free(*dir);
        *dir = NULL;
    }
    return st;
}

int native_file_trusted(const char *path, ps_error *err)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        ps_error_set(err, PS_ERR_UNAVAILABLE, path, 0, 0, "%s",
                     strerror(errno));
        return -1;
    }
    if (!S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
        (st.st_mode & (S_IWGRP | S_IWOTH))) {
        ps_error_set(err, PS_ERR_UNAVAILABLE, path, 0, 0,
                     "not a regular file of this user writable only by "
                     "it; refused");
        return -1;
    }
    return 0;
}

/* The compiler as an absolute path: PLANSIM_CC or "cc", searched on PATH
   when it has no slash.  The caller frees *out. */
static ps_status find_compiler(char **out, ps_error *err)
{
    const char *cc = getenv("PLANSIM_CC");
    if (!cc || !*cc)
        cc = "cc";
    if (strchr(cc, '/')) {
        if (access(cc, X_OK) != 0)
            return ps_error_set(err, PS_ERR_UNAVAILABLE, cc, 0, 0,
                                "C compiler not found");
        *out = strdup(cc);
        return *out ? PS_OK : nomem(err);
    }
    const char *path = getenv("PATH");
    if (!path || !*path)
        path = "/usr/bin:/bin";
    while (*path) {
        size_t n = strcspn(path, ":");
        char *dir = strndup(path, n);
        if (!dir)
            return nomem(err);
        char *full = join(*dir ? dir : ".", cc);
        free(dir);
        if (!full)
            return nomem(err);
        if (access(full, X_OK) == 0) {
            *out = full;
            return PS_OK;
        }
        free(full);
        path += n + (path[n] == ':');
    }
    return ps_error_set(err, PS_ERR_UNAVAILABLE, NULL, 0, 0,
                        "no C compiler '%s' on PATH", cc);
}

/* The cache key: SHA-256 of the source, the compiler's identity (resolved
   path, size, modification time) and the flags, as 64 hex digits. */
static ps_status cache_key(const char *src, size_t len, const char *cc,
                           char key[65], ps_error *err)
{
    char *real = realpath(cc, NULL);
    struct stat st;
    if (!real || stat(real, &st) != 0) {
        free(real);
        return ps_error_set(err, PS_ERR_UNAVAILABLE, cc, 0, 0, "C compiler: %s",
                            strerror(errno));
    }
    char ident[64];
    snprintf(ident, sizeof ident, "|%lld|%lld.%09ld|", (long long)st.st_size,
             (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    sha256_update(&ctx, len, (const uint8_t *)src);
    sha256_update(&ctx, strlen(real) + 1, (const uint8_t *)real);
    sha256_update(&ctx, strlen(ident), (const uint8_t *)ident);
    for (size_t i = 0; i < NFLAGS; i++)
        sha256_update(&ctx, strlen(cflags[i]) + 1, (const uint8_t *)cflags[i]);
    free(real);
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_digest(&ctx, sizeof digest, digest);
    for (size_t i = 0; i < SHA256_DIGEST_SIZE; i++)
        snprintf(key + 2 * i, 3, "%02x", digest[i]);
    return PS_OK;
}

/* Writes all of buf to fd: 0, or -1. */
static int write_all(int fd, const char *buf, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, buf, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        buf += w;
        n -= (size_t)w;
    }
    return 0;
}

/* The first line the compiler wrote to `log` (an anonymous temporary
   file), at most `size` - 1 bytes, or "" when it wrote nothing. */
static const char *first_line(FILE *log, char *buf, size_t size)
{
    buf[0] = '\0';
    if (log && fseek(log, 0, SEEK_SET) == 0 && fgets(buf, (int)size, log))
        buf[strcspn(buf, "\n")] = '\0';
    return buf;
}

/* Runs cc on c_file into so_file; when it fails, the error says so with
   the first line of what it printed. */
static ps_status run_compiler(const char *cc, const char *c_file,
                              const char *so_file, ps_error *err)
{
    FILE *log = tmpfile(); /* created exclusively, already unlinked */
    char why[160];
    const char *argv[NFLAGS + 5];
    size_t k = 0;
    argv[k++] = cc;
    for (size_t i = 0; i < NFLAGS; i++)
        argv[k++] = cflags[i];
    argv[k++] = "-o";
    argv[k++] = so_file;
    argv[k++] = c_file;
    argv[k] = NULL;
    posix_spawn_file_actions_t fa;
    if (posix_spawn_file_actions_init(&fa) != 0)
        return nomem(err);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    if (log) {
        posix_spawn_file_actions_adddup2(&fa, fileno(log), 1);
        posix_spawn_file_actions_adddup2(&fa, fileno(log), 2);
    } else {
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_adddup2(&fa, 1, 2);
    }
    pid_t pid;
    int rc = posix_spawn(&pid, cc, &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    int status = 0;
    while (rc == 0 && waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            rc = errno;
    ps_status st = PS_OK;
    if (rc != 0)
        st = ps_error_set(err, PS_ERR_UNAVAILABLE, cc, 0, 0,
                          "cannot run the C compiler: %s", strerror(rc));
    else if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
        st = ps_error_set(err, PS_ERR_UNAVAILABLE, cc, 0, 0,
                          "the C compiler failed (exit status %d)%s%s",
                          WEXITSTATUS(status),
                          *first_line(log, why, sizeof why) ? ": " : "", why);
    else if (!WIFEXITED(status))
        st = ps_error_set(err, PS_ERR_UNAVAILABLE, cc, 0, 0,
                          "the C compiler was killed (signal %d)",
                          WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    if (log)
        fclose(log);
    return st;
}

/* Compiles into a temporary name of dir, then renames it to so. */
static ps_status compile_into(const char *src, size_t len, const char *cc,
                              const char *dir, const char *so, ps_error *err)
{
    char *tmpl = join(dir, "tmp-XXXXXX.c");
    if (!tmpl)
        return nomem(err);
    int fd = mkstemps(tmpl, 2); /* created exclusively, mode 0600 */
    if (fd < 0) {
        ps_status st = ps_error_set(err, PS_ERR_CANTCREAT, dir, 0, 0,
                                    "cannot create a file in the cache "
                                    "folder: %s",
                                    strerror(errno));
        free(tmpl);
        return st;
    }
    int werr = write_all(fd, src, len);
    werr |= close(fd);
    size_t n = strlen(tmpl);
    char *tmp_so = malloc(n + 2);
    ps_status st = PS_OK;
    if (!tmp_so)
        st = nomem(err);
    else if (werr)
        st = ps_error_set(err, PS_ERR_IO, tmpl, 0, 0, "cannot write");
    int so_fd = -1;
    if (st == PS_OK) {
        memcpy(tmp_so, tmpl, n - 1);
        memcpy(tmp_so + n - 1, "so", 3);
        /* reserve the output's name: no one else can have it */
        so_fd = open(tmp_so, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0700);
        if (so_fd < 0)
            st = ps_error_set(err, PS_ERR_CANTCREAT, tmp_so, 0, 0, "%s",
                              strerror(errno));
        else
            close(so_fd);
    }
    if (st == PS_OK)
        st = run_compiler(cc, tmpl, tmp_so, err);
    if (st == PS_OK && (chmod(tmp_so, 0700) != 0 || rename(tmp_so, so) != 0))
        st = ps_error_set(err, PS_ERR_CANTCREAT, so, 0, 0, "%s",
                          strerror(errno));
    if (st != PS_OK && so_fd >= 0)
        unlink(tmp_so);
    unlink(tmpl);
    free(tmpl);
    free(tmp_so);
    return st;
}

ps_status native_build(const char *src, size_t len, const char *dir, char **so,
                       int *cached, ps_error *err)
{
    *so = NULL;
    *cached = 0;
    char *cc = NULL;
    ps_status st = find_compiler(&cc, err);
    char key[65], name[80];
    if (st == PS_OK)
        st = cache_key(src, len, cc, key, err);
    if (st == PS_OK) {
        snprintf(name, sizeof name, "model-%s.so", key);
        *so = join(dir, name);
        if (!*so)
            st = nomem(err);
    }
    if (st == PS_OK) {
        struct stat sb;
        if (lstat(*so, &sb) == 0)
            *cached = 1;
        else
            st = compile_into(src, len, cc, dir, *so, err);
    }
    free(cc);
    if (st != PS_OK) {
        free(*so);
        *so = NULL;
    }
    return st;
}
