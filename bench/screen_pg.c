/*
 * Screening benchmark: the PostgreSQL pg_trgm peer, on a private server.
 *
 * The benchmark runs its own PostgreSQL: initdb into a fresh temporary
 * directory, the postmaster on 127.0.0.1 at a free port with its Unix
 * socket in the same directory, stock configuration otherwise.  As root it
 * runs the server as the "postgres" user (initdb refuses root), switching
 * user in the child between fork and exec exactly as setpriv would.
 *
 * Clean-up does not depend on this process ending well: a guardian
 * process, forked first, holds the read end of a pipe whose write end only
 * this process has.  When the pipe closes - at sb_pg_stop, at exit, on a
 * crash or a kill -9 - the guardian stops the postmaster (if it still
 * runs) and deletes the directory.  Both children leave the terminal's
 * process group, so a Ctrl-C reaches only the benchmark, which then stops
 * the server in order.
 *
 * As peers-baseline.md did: one table (entity, normalised name) per list,
 * a GIN gin_trgm_ops index, and one client over TCP with a server-side
 * prepared statement
 *   SELECT ent, max(similarity(norm, $1)) AS s FROM t WHERE norm % $1
 *   GROUP BY ent ORDER BY s DESC LIMIT 10
 * under SET pg_trgm.similarity_threshold.  The client normalises.
 */
#include "screen_bench.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <glob.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libpq-fe.h>

#define START_TIMEOUT_S 60
#define STOP_TIMEOUT_S 20

struct sb_pg {
    char bindir[1024];
    char dir[1024]; /* the temporary directory: data/, logs, the socket */
    char data[1100];
    int port;
    pid_t postmaster, guardian;
    int guard_fd;
    bool switch_user;
    uid_t uid;
    gid_t gid;
    int n_groups;
    gid_t groups[64];
    char version[96];
    PGconn *admin;
};

struct sb_pg_conn {
    PGconn *c;
};

/* ---- Processes ----------------------------------------------------------- */

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    return flag == FTW_DP ? rmdir(path) : unlink(path);
}

/* The guardian: wait for the pipe to close, then stop the postmaster whose
 * pid came down the pipe, and delete the directory. */
static void guardian_main(int fd, const char *dir)
{
    pid_t pm = 0;
    char buf[64];
    size_t have = 0;
    for (;;) {
        ssize_t r = read(fd, buf + have, sizeof buf - 1 - have);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        have += (size_t)r;
        buf[have] = '\0';
        char *nl = strchr(buf, '\n');
        if (nl) {
            pm = (pid_t)atol(buf);
            have = 0;
        }
        if (have == sizeof buf - 1)
            have = 0;
    }
    if (pm > 0 && kill(pm, SIGINT) == 0) {
        for (int i = 0; i < STOP_TIMEOUT_S * 10 && kill(pm, 0) == 0; i++)
            usleep(100000);
        if (kill(pm, 0) == 0) {
            kill(pm, SIGQUIT);
            for (int i = 0; i < 50 && kill(pm, 0) == 0; i++)
                usleep(100000);
            kill(pm, SIGKILL);
        }
    }
    nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    _exit(0);
}

/* fork + (switch user) + exec, output to log; returns the pid or -1.
 * Only async-signal-safe calls between fork and exec. */
static pid_t spawn(struct sb_pg *p, char *const argv[], const char *log)
{
    int out = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (out < 0)
        return -1;
    if (p->switch_user && fchown(out, p->uid, p->gid) != 0) {
        close(out);
        return -1;
    }
    pid_t pid = fork();
    if (pid == 0) {
        setsid();
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        int in = open("/dev/null", O_RDONLY);
        if (in < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0)
            _exit(126);
        if (p->switch_user &&
            (setgroups((size_t)p->n_groups, p->groups) || setgid(p->gid) || setuid(p->uid)))
            _exit(126);
        if (chdir(p->dir) != 0)
            _exit(126);
        execv(argv[0], argv);
        _exit(127);
    }
    close(out);
    return pid;
}

static void log_tail(const char *path)
{
    char buf[2048];
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    if (fseek(f, -(long)sizeof buf + 1, SEEK_END) != 0)
        rewind(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    fprintf(stderr, "bench_screen: --- %s (end) ---\n%s\n", path, buf);
}

static int free_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    socklen_t len = sizeof a;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int port = -1;
    if (s >= 0 && bind(s, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(s, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    if (s >= 0)
        close(s);
    return port;
}

static bool find_bindir(char *out, size_t cap)
{
    const char *env = getenv("ECTL_BENCH_PG_BIN");
    if (env && *env) {
        snprintf(out, cap, "%s", env);
        return true;
    }
    glob_t g;
    bool ok = false;
    if (glob("/usr/lib/postgresql/*/bin/initdb", 0, NULL, &g) == 0 && g.gl_pathc) {
        /* the highest major version (glob sorts; 9.x would sort after 1x, so compare numbers) */
        size_t best = 0;
        for (size_t i = 1; i < g.gl_pathc; i++)
            if (atoi(g.gl_pathv[i] + 20) > atoi(g.gl_pathv[best] + 20))
                best = i;
        snprintf(out, cap, "%.*s", (int)(strlen(g.gl_pathv[best]) - strlen("/initdb")),
                 g.gl_pathv[best]);
        ok = true;
    }
    globfree(&g);
    return ok;
}

static char *conninfo(const struct sb_pg *p, char *buf, size_t cap)
{
    snprintf(buf, cap, "host=127.0.0.1 port=%d dbname=postgres user=bench connect_timeout=10",
             p->port);
    return buf;
}

static bool exec_ok(PGconn *c, const char *sql, char *why, size_t cap)
{
    PGresult *r = PQexec(c, sql);
    ExecStatusType st = PQresultStatus(r);
    bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
    if (!ok && why)
        snprintf(why, cap, "%.60s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    return ok;
}

/* ---- Server life cycle -------------------------------------------------------- */

struct sb_pg *sb_pg_start(const char *tmpdir, char *why, size_t cap)
{
    struct sb_pg *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(why, cap, "out of memory");
        return NULL;
    }
    p->guard_fd = -1;
    if (!find_bindir(p->bindir, sizeof p->bindir)) {
        snprintf(why, cap,
                 "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin "
                 "(Debian: postgresql, postgresql-contrib; or set ECTL_BENCH_PG_BIN)");
        free(p);
        return NULL;
    }
    if (geteuid() == 0) {
        struct passwd *pw = getpwnam("postgres");
        if (!pw) {
            snprintf(why, cap, "running as root and there is no 'postgres' user to run the server");
            free(p);
            return NULL;
        }
        p->switch_user = true;
        p->uid = pw->pw_uid;
        p->gid = pw->pw_gid;
        p->n_groups = 64;
        if (getgrouplist("postgres", pw->pw_gid, p->groups, &p->n_groups) < 0)
            p->n_groups = 0;
    }
    snprintf(p->dir, sizeof p->dir, "%s/ectl-bench-pg-XXXXXX", tmpdir);
    if (!mkdtemp(p->dir)) {
        snprintf(why, cap, "%s: %s", p->dir, strerror(errno));
        free(p);
        return NULL;
    }
    snprintf(p->data, sizeof p->data, "%s/data", p->dir);
    if (p->switch_user && chown(p->dir, p->uid, p->gid) != 0) {
        snprintf(why, cap, "chown %s: %s", p->dir, strerror(errno));
        rmdir(p->dir);
        free(p);
        return NULL;
    }

    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        snprintf(why, cap, "pipe: %s", strerror(errno));
        rmdir(p->dir);
        free(p);
        return NULL;
    }
    fflush(NULL);
    p->guardian = fork();
    if (p->guardian == 0) {
        setsid();
        signal(SIGINT, SIG_IGN);
        signal(SIGTERM, SIG_IGN);
        signal(SIGHUP, SIG_IGN);
        close(fds[1]);
        int null = open("/dev/null", O_RDWR);
        if (null >= 0) { /* do not hold our standard output open (a pipe to tee) */
            dup2(null, 0);
            dup2(null, 1);
        }
        guardian_main(fds[0], p->dir);
    }
    close(fds[0]);
    p->guard_fd = fds[1];
    if (p->guardian < 0) {
        snprintf(why, cap, "fork: %s", strerror(errno));
        goto fail;
    }

    char exe[1200], log[1200], port[16], sock[1100], lis[] = "listen_addresses=127.0.0.1";
    snprintf(exe, sizeof exe, "%s/initdb", p->bindir);
    snprintf(log, sizeof log, "%s/initdb.log", p->dir);
    char *init_argv[] = {exe,
                         "-D",
                         p->data,
                         "-U",
                         "bench",
                         "--auth=trust",
                         "--encoding=UTF8",
                         "--locale=C.UTF-8",
                         "--no-sync",
                         NULL};
    pid_t pid = spawn(p, init_argv, log);
    int status = 0;
    while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        log_tail(log);
        snprintf(why, cap, "initdb failed (status %d), see above", status);
        goto fail;
    }

    p->port = free_port();
    snprintf(exe, sizeof exe, "%s/postgres", p->bindir);
    snprintf(log, sizeof log, "%s/server.log", p->dir);
    snprintf(port, sizeof port, "%d", p->port);
    snprintf(sock, sizeof sock, "unix_socket_directories=%s", p->dir);
    char *pm_argv[] = {exe, "-D", p->data, "-p", port, "-c", lis, "-c", sock, NULL};
    p->postmaster = spawn(p, pm_argv, log);
    if (p->postmaster < 0) {
        snprintf(why, cap, "cannot start %s: %s", exe, strerror(errno));
        goto fail;
    }
    char pidline[32];
    int pl = snprintf(pidline, sizeof pidline, "%ld\n", (long)p->postmaster);
    if (write(p->guard_fd, pidline, (size_t)pl) != pl) {
        snprintf(why, cap, "guardian pipe: %s", strerror(errno));
        goto fail;
    }

    char ci[256];
    conninfo(p, ci, sizeof ci);
    double t0 = sb_now();
    while (PQping(ci) != PQPING_OK) {
        if (waitpid(p->postmaster, &status, WNOHANG) == p->postmaster) {
            p->postmaster = 0;
            log_tail(log);
            snprintf(why, cap, "the server exited while starting, see above");
            goto fail;
        }
        if (sb_stop || sb_now() - t0 > START_TIMEOUT_S) {
            snprintf(why, cap, "the server did not accept connections within %d s",
                     START_TIMEOUT_S);
            goto fail;
        }
        usleep(50000);
    }
    p->admin = PQconnectdb(ci);
    if (PQstatus(p->admin) != CONNECTION_OK) {
        snprintf(why, cap, "connect: %s", PQerrorMessage(p->admin));
        goto fail;
    }
    if (!exec_ok(p->admin, "CREATE EXTENSION pg_trgm", why, cap))
        goto fail;
    PGresult *r = PQexec(p->admin, "SELECT current_setting('server_version'), extversion "
                                   "FROM pg_extension WHERE extname = 'pg_trgm'");
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
        snprintf(p->version, sizeof p->version, "PostgreSQL %s, pg_trgm %s", PQgetvalue(r, 0, 0),
                 PQgetvalue(r, 0, 1));
    PQclear(r);
    return p;
fail:
    sb_pg_stop(p);
    return NULL;
}

void sb_pg_stop(struct sb_pg *p)
{
    if (!p)
        return;
    if (p->admin)
        PQfinish(p->admin);
    if (p->postmaster > 0 && kill(p->postmaster, SIGINT) == 0) {
        int status;
        double t0 = sb_now();
        while (waitpid(p->postmaster, &status, WNOHANG) == 0) {
            if (sb_now() - t0 > STOP_TIMEOUT_S) {
                kill(p->postmaster, SIGKILL);
                waitpid(p->postmaster, &status, 0);
                break;
            }
            usleep(20000);
        }
    }
    if (p->guard_fd >= 0)
        close(p->guard_fd); /* the guardian deletes the directory and exits */
    if (p->guardian > 0)
        while (waitpid(p->guardian, NULL, 0) < 0 && errno == EINTR)
            ;
    free(p);
}

const char *sb_pg_version(struct sb_pg *p)
{
    return p->version[0] ? p->version : "PostgreSQL (version unknown)";
}

/* ---- Loading a corpus --------------------------------------------------------- */

static int64_t one_int(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    int64_t v = -1;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
        v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
    PQclear(r);
    return v;
}

int sb_pg_load(struct sb_pg *p, const struct sb_corpus *c, const char *table,
               struct sb_pg_load *out)
{
    char sql[512], why[600];
    snprintf(sql, sizeof sql, "CREATE TABLE %s (ent integer NOT NULL, norm text NOT NULL)", table);
    if (!exec_ok(p->admin, sql, why, sizeof why)) {
        fprintf(stderr, "bench_screen: %s\n", why);
        return -1;
    }
    double t0 = sb_now();
    snprintf(sql, sizeof sql, "COPY %s FROM STDIN", table);
    PGresult *r = PQexec(p->admin, sql);
    bool ok = PQresultStatus(r) == PGRES_COPY_IN;
    PQclear(r);
    static char buf[1 << 16];
    size_t used = 0;
    for (size_t i = 0; ok && i < c->n_names; i++) {
        char line[2200];
        int n = snprintf(line, sizeof line, "%u\t", c->names[i].ent);
        for (const char *s = c->names[i].norm; *s && n < (int)sizeof line - 3; s++) {
            if (*s == '\\' || *s == '\t' || *s == '\n' || *s == '\r')
                line[n++] = '\\';
            line[n++] = *s;
        }
        line[n++] = '\n';
        if (used + (size_t)n > sizeof buf) {
            ok = PQputCopyData(p->admin, buf, (int)used) == 1;
            used = 0;
        }
        memcpy(buf + used, line, (size_t)n);
        used += (size_t)n;
    }
    if (ok && used)
        ok = PQputCopyData(p->admin, buf, (int)used) == 1;
    ok = PQputCopyEnd(p->admin, ok ? NULL : "aborted") == 1 && ok;
    r = PQgetResult(p->admin);
    ok = ok && PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    while ((r = PQgetResult(p->admin)))
        PQclear(r);
    if (!ok) {
        fprintf(stderr, "bench_screen: COPY %s: %s\n", table, PQerrorMessage(p->admin));
        return -1;
    }
    out->copy_s = sb_now() - t0;
    t0 = sb_now();
    snprintf(sql, sizeof sql, "CREATE INDEX %s_trgm ON %s USING gin (norm gin_trgm_ops)", table,
             table);
    if (!exec_ok(p->admin, sql, why, sizeof why)) {
        fprintf(stderr, "bench_screen: %s\n", why);
        return -1;
    }
    out->index_s = sb_now() - t0;
    snprintf(sql, sizeof sql, "VACUUM ANALYZE %s", table);
    if (!exec_ok(p->admin, sql, why, sizeof why)) {
        fprintf(stderr, "bench_screen: %s\n", why);
        return -1;
    }
    snprintf(sql, sizeof sql, "SELECT pg_relation_size('%s')", table);
    out->table_bytes = (uint64_t)one_int(p->admin, sql);
    snprintf(sql, sizeof sql, "SELECT pg_relation_size('%s_trgm')", table);
    out->index_bytes = (uint64_t)one_int(p->admin, sql);
    return 0;
}

/* ---- Clients ------------------------------------------------------------------ */

struct sb_pg_conn *sb_pg_connect(struct sb_pg *p, const char *table, double t)
{
    char ci[256], sql[512];
    struct sb_pg_conn *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->c = PQconnectdb(conninfo(p, ci, sizeof ci));
    if (PQstatus(c->c) != CONNECTION_OK) {
        fprintf(stderr, "bench_screen: connect: %s", PQerrorMessage(c->c));
        goto fail;
    }
    snprintf(sql, sizeof sql, "SET pg_trgm.similarity_threshold = %g", t);
    if (!exec_ok(c->c, sql, NULL, 0))
        goto fail;
    snprintf(sql, sizeof sql,
             "SELECT ent, max(similarity(norm, $1)) AS s FROM %s WHERE norm %% $1 "
             "GROUP BY ent ORDER BY s DESC LIMIT %d",
             table, SB_TOP);
    PGresult *r = PQprepare(c->c, "q", sql, 1, NULL);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    r = ok ? PQprepare(c->c, "floor", "SELECT $1::text", 1, NULL) : NULL;
    ok = ok && PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    r = ok ? PQprepare(c->c, "pair", "SELECT similarity($1, $2)", 2, NULL) : NULL;
    ok = ok && PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!ok) {
        fprintf(stderr, "bench_screen: prepare: %s", PQerrorMessage(c->c));
        goto fail;
    }
    return c;
fail:
    sb_pg_disconnect(c);
    return NULL;
}

void sb_pg_disconnect(struct sb_pg_conn *c)
{
    if (!c)
        return;
    PQfinish(c->c);
    free(c);
}

double sb_pg_query(void *conn, const char *text, struct sb_hit *hits, size_t *n)
{
    struct sb_pg_conn *c = conn;
    char norm[2048];
    double t0 = sb_now();
    *n = 0;
    sb_peer_norm(text, norm, sizeof norm);
    const char *params[1] = {norm};
    PGresult *r = PQexecPrepared(c->c, "q", 1, params, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        fprintf(stderr, "bench_screen: pg_trgm query: %s", PQerrorMessage(c->c));
        PQclear(r);
        return -1;
    }
    int rows = PQntuples(r);
    for (int i = 0; i < rows && *n < SB_TOP; i++)
        hits[(*n)++] = (struct sb_hit){(int32_t)atol(PQgetvalue(r, i, 0)),
                                       (float)strtod(PQgetvalue(r, i, 1), NULL)};
    PQclear(r);
    return sb_now() - t0;
}

double sb_pg_pair(struct sb_pg_conn *c, const char *a, const char *b)
{
    char na[2048], nb[2048];
    sb_peer_norm(a, na, sizeof na);
    sb_peer_norm(b, nb, sizeof nb);
    const char *params[2] = {na, nb};
    PGresult *r = PQexecPrepared(c->c, "pair", 2, params, NULL, NULL, 0);
    double s = -1;
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
        s = strtod(PQgetvalue(r, 0, 0), NULL);
    PQclear(r);
    return s;
}

double sb_pg_floor(struct sb_pg_conn *c)
{
    const char *params[1] = {"floor"};
    double t0 = sb_now();
    PGresult *r = PQexecPrepared(c->c, "floor", 1, params, NULL, NULL, 0);
    double t = sb_now() - t0;
    bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;
    PQclear(r);
    return ok ? t : -1;
}
