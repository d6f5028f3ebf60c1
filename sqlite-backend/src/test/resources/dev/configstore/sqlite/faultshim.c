/*
 * A fault injector for configstore's tests, loaded into a child JVM with LD_PRELOAD. It makes
 * write, pwrite, fsync/fdatasync or open fail with a chosen errno on chosen calls for files
 * whose path ends with a chosen suffix: the failures a real disk produces, below SQLite.
 *
 * FAULTSHIM_DIR: only files under this folder are watched.
 * FAULTSHIM_CONTROL: a file holding "GENERATION OP ERRNO SKIP COUNT SUFFIX" (OP one of write,
 *   pwrite, sync, open). For each new GENERATION, matching calls are counted from zero; calls
 *   SKIP+1 to SKIP+COUNT fail. "0 none 0 0 0 -" disarms. Read again at every watched call.
 * FAULTSHIM_LOG: every injected failure appends a line here.
 * Everything the shim does itself goes through raw system calls, never through its own hooks.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#define MAX_FDS 65536

static char *paths[MAX_FDS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long seen_generation = -1;
static long matched_calls = 0;

static const char *watched_dir(void) {
    const char *dir = getenv("FAULTSHIM_DIR");
    return dir != NULL && dir[0] != '\0' ? dir : NULL;
}

static void note_open(int fd, const char *path) {
    const char *dir = watched_dir();
    if (fd < 0 || fd >= MAX_FDS || path == NULL || dir == NULL || strncmp(path, dir, strlen(dir)) != 0) {
        return;
    }
    pthread_mutex_lock(&lock);
    free(paths[fd]);
    paths[fd] = strdup(path);
    pthread_mutex_unlock(&lock);
}

static int ends_with(const char *text, const char *suffix) {
    size_t n = strlen(text), m = strlen(suffix);
    return n >= m && strcmp(text + n - m, suffix) == 0;
}

/* Returns the errno to fail with, or 0 to let the call through. */
static int decide(const char *op, const char *path) {
    const char *control = getenv("FAULTSHIM_CONTROL");
    if (control == NULL || path == NULL) {
        return 0;
    }
    char buffer[512];
    int fd = (int) syscall(SYS_openat, AT_FDCWD, control, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return 0;
    }
    long length = syscall(SYS_read, fd, buffer, sizeof buffer - 1);
    syscall(SYS_close, fd);
    if (length <= 0) {
        return 0;
    }
    buffer[length] = '\0';
    long generation, err, skip, count;
    char armed_op[32], suffix[256];
    if (sscanf(buffer, "%ld %31s %ld %ld %ld %255s", &generation, armed_op, &err, &skip, &count, suffix) != 6) {
        return 0;
    }
    int fail = 0;
    pthread_mutex_lock(&lock);
    if (generation != seen_generation) {
        seen_generation = generation;
        matched_calls = 0;
    }
    if (strcmp(op, armed_op) == 0 && ends_with(path, suffix)) {
        matched_calls++;
        fail = matched_calls > skip && matched_calls <= skip + count;
    }
    pthread_mutex_unlock(&lock);
    if (!fail) {
        return 0;
    }
    const char *log = getenv("FAULTSHIM_LOG");
    if (log != NULL) {
        char line[640];
        int n = snprintf(line, sizeof line, "%ld %s %ld %s\n", generation, op, err, path);
        int out = (int) syscall(SYS_openat, AT_FDCWD, log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (out >= 0) {
            syscall(SYS_write, out, line, (size_t) n);
            syscall(SYS_close, out);
        }
    }
    return (int) err;
}

static const char *path_of(int fd) {
    return fd >= 0 && fd < MAX_FDS ? paths[fd] : NULL;
}

typedef ssize_t (*write_fn)(int, const void *, size_t);
typedef ssize_t (*pwrite_fn)(int, const void *, size_t, off_t);
typedef int (*fd_fn)(int);

#define REAL(name, type) static type real = NULL; if (real == NULL) { real = (type) dlsym(RTLD_NEXT, name); }

ssize_t write(int fd, const void *data, size_t size) {
    REAL("write", write_fn);
    const char *path = path_of(fd);
    int err = path != NULL ? decide("write", path) : 0;
    if (err != 0) { errno = err; return -1; }
    return real(fd, data, size);
}

ssize_t pwrite(int fd, const void *data, size_t size, off_t offset) {
    REAL("pwrite", pwrite_fn);
    const char *path = path_of(fd);
    int err = path != NULL ? decide("pwrite", path) : 0;
    if (err != 0) { errno = err; return -1; }
    return real(fd, data, size, offset);
}

ssize_t pwrite64(int fd, const void *data, size_t size, off_t offset) {
    REAL("pwrite64", pwrite_fn);
    const char *path = path_of(fd);
    int err = path != NULL ? decide("pwrite", path) : 0;
    if (err != 0) { errno = err; return -1; }
    return real(fd, data, size, offset);
}

int fsync(int fd) {
    REAL("fsync", fd_fn);
    const char *path = path_of(fd);
    int err = path != NULL ? decide("sync", path) : 0;
    if (err != 0) { errno = err; return -1; }
    return real(fd);
}

int fdatasync(int fd) {
    REAL("fdatasync", fd_fn);
    const char *path = path_of(fd);
    int err = path != NULL ? decide("sync", path) : 0;
    if (err != 0) { errno = err; return -1; }
    return real(fd);
}

static int open_common(const char *name, int dirfd, const char *path, int flags, mode_t mode, int at) {
    const char *dir = watched_dir();
    if (dir != NULL && path != NULL && strncmp(path, dir, strlen(dir)) == 0) {
        int err = decide("open", path);
        if (err != 0) { errno = err; return -1; }
    }
    int fd;
    if (at) {
        int (*real)(int, const char *, int, ...) = (int (*)(int, const char *, int, ...)) dlsym(RTLD_NEXT, name);
        fd = real(dirfd, path, flags, mode);
    } else {
        int (*real)(const char *, int, ...) = (int (*)(const char *, int, ...)) dlsym(RTLD_NEXT, name);
        fd = real(path, flags, mode);
    }
    note_open(fd, path);
    return fd;
}

static mode_t mode_of(int flags, va_list arguments) {
    return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? (mode_t) va_arg(arguments, int) : 0;
}

int open(const char *path, int flags, ...) {
    va_list arguments; va_start(arguments, flags); mode_t mode = mode_of(flags, arguments); va_end(arguments);
    return open_common("open", AT_FDCWD, path, flags, mode, 0);
}

int open64(const char *path, int flags, ...) {
    va_list arguments; va_start(arguments, flags); mode_t mode = mode_of(flags, arguments); va_end(arguments);
    return open_common("open64", AT_FDCWD, path, flags, mode, 0);
}

int openat(int dirfd, const char *path, int flags, ...) {
    va_list arguments; va_start(arguments, flags); mode_t mode = mode_of(flags, arguments); va_end(arguments);
    return open_common("openat", dirfd, path, flags, mode, 1);
}

int openat64(int dirfd, const char *path, int flags, ...) {
    va_list arguments; va_start(arguments, flags); mode_t mode = mode_of(flags, arguments); va_end(arguments);
    return open_common("openat64", dirfd, path, flags, mode, 1);
}

int close(int fd) {
    REAL("close", fd_fn);
    if (fd >= 0 && fd < MAX_FDS && paths[fd] != NULL) {
        pthread_mutex_lock(&lock);
        free(paths[fd]);
        paths[fd] = NULL;
        pthread_mutex_unlock(&lock);
    }
    return real(fd);
}
