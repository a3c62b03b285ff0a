/* LD_PRELOAD shim for scripts/bench: records the text of every SQL statement a process prepares
 * through the system libsqlite3, so the benchmark can run EXPLAIN QUERY PLAN on exactly the
 * queries `revshare close` and `revshare reconcile` execute (no copy of them in the script to
 * drift from Sources/).
 *
 *   cc -shared -fPIC -O2 -o sqltrace.so scripts/bench-sqltrace.c -ldl
 *   BENCH_SQL_TRACE=/tmp/sql.log LD_PRELOAD=$PWD/sqltrace.so revshare close 2025-01
 *
 * Each statement is written to $BENCH_SQL_TRACE followed by a NUL byte. Statements run by
 * triggers are not prepared through the API and so are not recorded. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct sqlite3 sqlite3;
typedef struct sqlite3_stmt sqlite3_stmt;

static void record(const char *sql, int bytes, const char *const *tail) {
    const char *path = getenv("BENCH_SQL_TRACE");
    if (!path || !sql) return;
    size_t length = tail && *tail ? (size_t)(*tail - sql) : (bytes >= 0 ? strnlen(sql, (size_t)bytes) : strlen(sql));
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd < 0) return;
    if (write(fd, sql, length) < 0 || write(fd, "", 1) < 0) { /* best effort */ }
    close(fd);
}

typedef int (*prepare_v2_fn)(sqlite3 *, const char *, int, sqlite3_stmt **, const char **);
typedef int (*prepare_v3_fn)(sqlite3 *, const char *, int, unsigned int, sqlite3_stmt **, const char **);

int sqlite3_prepare_v2(sqlite3 *db, const char *sql, int bytes, sqlite3_stmt **statement, const char **tail) {
    static prepare_v2_fn next;
    if (!next) next = (prepare_v2_fn)dlsym(RTLD_NEXT, "sqlite3_prepare_v2");
    const char *end = NULL;
    int status = next(db, sql, bytes, statement, &end);
    record(sql, bytes, &end);
    if (tail) *tail = end;
    return status;
}

int sqlite3_prepare_v3(sqlite3 *db, const char *sql, int bytes, unsigned int flags, sqlite3_stmt **statement,
                       const char **tail) {
    static prepare_v3_fn next;
    if (!next) next = (prepare_v3_fn)dlsym(RTLD_NEXT, "sqlite3_prepare_v3");
    const char *end = NULL;
    int status = next(db, sql, bytes, flags, statement, &end);
    record(sql, bytes, &end);
    if (tail) *tail = end;
    return status;
}
