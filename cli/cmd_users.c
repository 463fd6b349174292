/*
 * exportctl users add NAME --role R --email E [--password-stdin] [--db PATH]
 * exportctl users list [--json] [--db PATH]
 * exportctl users disable|enable NAME [--db PATH]
 * exportctl users set-role NAME --role R [--db PATH]
 *
 * Every change is committed together with its audit entry (actor "cli"),
 * or not at all.  Also home to the helpers the database commands share
 * (cli_store_open, cli_store_fail, cli_audit).
 */
#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <exportctl/auth.h>
#include <exportctl/store.h>

#include "cli.h"

static const char usage_text[] =
    "usage: exportctl users add NAME --role admin|officer|viewer --email EMAIL\n"
    "                           [--password-stdin] [--db PATH]\n"
    "       exportctl users list [--json] [--db PATH]\n"
    "       exportctl users disable NAME [--db PATH]\n"
    "       exportctl users enable NAME [--db PATH]\n"
    "       exportctl users set-role NAME --role admin|officer|viewer [--db PATH]\n\n"
    "Manages the accounts of the service.  The database (--db, default " CLI_DEFAULT_DB ")\n"
    "is created by the first 'users add', with its folder (mode 0700) and file (0600).\n\n"
    "add asks for the password twice, without echo, when standard input is a terminal;\n"
    "otherwise --password-stdin reads it from the first line of standard input.\n"
    "Passwords are 12 to 1024 bytes of UTF-8 and are stored only as Argon2id hashes.\n"
    "disable ends the user's sessions and pending password resets at once; a new role\n"
    "applies from the user's next request.\n"
    "Each change is written to the audit log with actor \"cli\".\n\n"
    "Exit status: 0 ok, 64 usage, 65 bad or duplicate input, 66 no database,\n"
    "74 database error.\n";

/* ---- shared with cmd_audit.c ------------------------------------------- */

int cli_store_fail(const struct ectl_error *err)
{
    switch (err->code) {
    case ECTL_EEXISTS:
        return cli_fail(EXIT_DATAERR, "%s", err->msg);
    case ECTL_ESTORE:
        return cli_fail(EXIT_IOERR, "%s", err->msg);
    default:
        return cli_fail_err(err);
    }
}

int cli_store_open(const char *db, unsigned flags, struct ectl_store **out)
{
    struct ectl_error err;
    if (ectl_store_open(db ? db : CLI_DEFAULT_DB, flags | ECTL_STORE_MIGRATE, out, &err) == 0)
        return 0;
    if (err.code == ECTL_ENOENT)
        return cli_fail(EXIT_NOINPUT, "%s (create one with 'exportctl users add', or give --db)",
                        err.msg);
    return cli_store_fail(&err);
}

/* Who ran the command, as the operating system knows them: the audit actor
 * is "cli", and this says which person that was. */
static const char *os_user(void)
{
    struct passwd *pw = getpwuid(geteuid());
    return pw && pw->pw_name ? pw->pw_name : "?";
}

int cli_audit(struct ectl_store *s, const char *action, const char *subject, json_t *detail,
              struct ectl_error *err)
{
    char token[ECTL_TOKEN_TEXT_LEN + 1], request_id[32];
    uint8_t unused[32];
    ectl_token_new(token, unused);
    snprintf(request_id, sizeof request_id, "cli-%.16s", token);
    json_object_set_new(detail, "os_user", json_string(os_user()));
    char *text = json_dumps(detail, JSON_SORT_KEYS | JSON_COMPACT);
    json_decref(detail);
    if (!text)
        return ectl_error_set(err, ECTL_ENOMEM, "out of memory");
    int rc = ectl_store_audit_append(s, (ectl_time)time(NULL), "cli", action, subject, request_id,
                                     text, NULL, err);
    free(text);
    return rc;
}

void cli_format_time(int64_t t, char out[32])
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || !strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(out, 32, "%lld", (long long)t);
}

/* ---- reading a password ---------------------------------------------------- */

static struct termios saved_tty;
static volatile sig_atomic_t echo_off;

/* Ctrl-C at the prompt must not leave the terminal without echo. */
static void restore_tty(int sig)
{
    if (echo_off)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tty);
    signal(sig, SIG_DFL);
    raise(sig);
}

/* One line from standard input without its newline; NULL at EOF. */
static char *read_line(void)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, stdin);
    if (n < 0) {
        free(line);
        return NULL;
    }
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    return line;
}

static void forget(char *secret)
{
    if (secret) {
        explicit_bzero(secret, strlen(secret));
        free(secret);
    }
}

static char *prompt_hidden(const char *prompt)
{
    struct termios quiet;
    struct sigaction sa = {.sa_handler = restore_tty}, old_int, old_term;
    if (tcgetattr(STDIN_FILENO, &saved_tty) != 0)
        return NULL;
    quiet = saved_tty;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    quiet.c_lflag |= ECHONL;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    /* Echo goes off before the prompt shows: what is typed after it must
     * neither appear nor be flushed away. */
    echo_off = 1;
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    fputs(prompt, stderr);
    fflush(stderr);
    char *line = read_line();
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tty);
    echo_off = 0;
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    return line;
}

/* The new password, checked against the policy; NULL after printing why
 * (*status says how to exit). */
static char *get_password(const char *name, bool from_stdin, int *status)
{
    struct ectl_error err;
    char *pw = NULL, *again = NULL, prompt[128];
    if (from_stdin) {
        if (!(pw = read_line())) {
            *status = cli_fail(EXIT_DATAERR, "no password on standard input");
            return NULL;
        }
    } else if (isatty(STDIN_FILENO)) {
        snprintf(prompt, sizeof prompt, "New password for %s: ", name);
        if (!(pw = prompt_hidden(prompt)) || !(again = prompt_hidden("Again: "))) {
            forget(pw);
            *status = cli_fail(EXIT_DATAERR, "no password given");
            return NULL;
        }
        bool same = strcmp(pw, again) == 0;
        forget(again);
        if (!same) {
            forget(pw);
            *status = cli_fail(EXIT_DATAERR, "the two passwords differ; nothing was changed");
            return NULL;
        }
    } else {
        *status = cli_usage_error("users", "standard input is not a terminal: give the password "
                                           "on it with --password-stdin");
        return NULL;
    }
    if (ectl_password_check_policy(pw, &err)) {
        forget(pw);
        *status = cli_fail(EXIT_DATAERR, "%s", err.msg);
        return NULL;
    }
    return pw;
}

/* ---- subcommands --------------------------------------------------------- */

#define OPT_ROLE 'R'
#define OPT_EMAIL 'E'
#define OPT_PWSTDIN 'P'

static int users_add(int argc, char **argv)
{
    static const struct option opts[] = {{"role", required_argument, NULL, OPT_ROLE},
                                         {"email", required_argument, NULL, OPT_EMAIL},
                                         {"password-stdin", no_argument, NULL, OPT_PWSTDIN},
                                         CLI_OPT_DB,
                                         CLI_OPT_HELP,
                                         CLI_OPT_END};
    struct cli_opts o;
    const char *role_s = NULL, *email = NULL;
    bool from_stdin = false;
    int c, rc;
    cli_opts_init(&o);
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if ((rc = cli_common_option(c, "users", usage_text, argv, &o)) == CLI_OPT_DONE)
            continue;
        if (rc != CLI_OPT_OTHER)
            return rc;
        if (c == OPT_ROLE)
            role_s = optarg;
        else if (c == OPT_EMAIL)
            email = optarg;
        else
            from_stdin = true; /* OPT_PWSTDIN */
    }
    const char *db = o.db;
    if (optind + 1 != argc)
        return cli_usage_error("users", "users add takes exactly one NAME");
    const char *name = argv[optind];
    enum ectl_role role;
    if (!role_s || ectl_role_parse(role_s, &role))
        return cli_usage_error("users", "--role must be admin, officer or viewer");
    if (!email)
        return cli_usage_error("users", "--email is required");

    struct ectl_error err;
    if (ectl_store_user_check(name, email, &err))
        return cli_fail(EXIT_DATAERR, "%s", err.msg);
    if (ectl_auth_init(&err))
        return cli_fail_err(&err);
    /* Taken names are refused before anyone types a password; the insert
     * below still catches a race with another 'users add'. */
    struct ectl_store *s;
    struct ectl_user taken;
    if ((rc = cli_store_open(db, ECTL_STORE_CREATE, &s)))
        return rc;
    if ((rc = ectl_store_user_get_by_name(s, name, &taken, &err)) == 0 ||
        (rc = ectl_store_user_get_by_email(s, email, &taken, &err)) == 0) {
        rc = cli_fail(EXIT_DATAERR, "user '%s' already has that %s", taken.name,
                      strcasecmp(taken.name, name) ? "email address" : "name");
        ectl_user_release(&taken);
        ectl_store_close(s);
        return rc;
    }
    if (rc != ECTL_ENOENT) {
        ectl_store_close(s);
        return cli_store_fail(&err);
    }
    char *pw = get_password(name, from_stdin, &rc);
    if (!pw) {
        ectl_store_close(s);
        return rc;
    }
    char hash[ECTL_PWHASH_MAX];
    rc = ectl_password_hash(pw, hash, &err);
    forget(pw);
    if (rc) {
        ectl_store_close(s);
        return cli_fail_err(&err);
    }
    int64_t id = 0;
    char subject[32];
    if (!(rc = ectl_store_begin(s, &err)) &&
        !(rc = ectl_store_user_add(s, name, email, role, hash, &id, &err))) {
        snprintf(subject, sizeof subject, "user:%lld", (long long)id);
        if (!(rc = cli_audit(s, "user.create", subject,
                             json_pack("{s:s, s:s, s:s}", "name", name, "email", email, "role",
                                       ectl_role_name(role)),
                             &err)))
            rc = ectl_store_commit(s, &err);
    }
    ectl_store_rollback(s);
    ectl_store_close(s);
    explicit_bzero(hash, sizeof hash);
    if (rc)
        return cli_store_fail(&err);
    printf("added user %s (id %lld, %s)\n", name, (long long)id, ectl_role_name(role));
    return 0;
}

static int collect_user(void *ctx, const struct ectl_user *u)
{
    char at[32];
    cli_format_time(u->created_at, at);
    return json_array_append_new(ctx, json_pack("{s:I, s:s, s:s, s:s, s:b, s:s}", "id",
                                                (json_int_t)u->id, "name", u->name, "email",
                                                u->email, "role", ectl_role_name(u->role),
                                                "disabled", u->disabled, "created_at", at))
               ? ECTL_ENOMEM
               : 0;
}

static int users_list(int argc, char **argv)
{
    static const struct option opts[] = {CLI_OPT_JSON, CLI_OPT_DB, CLI_OPT_HELP, CLI_OPT_END};
    struct cli_opts o;
    int c, rc;
    cli_opts_init(&o);
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
        if ((rc = cli_common_option(c, "users", usage_text, argv, &o)) != CLI_OPT_DONE)
            return rc == CLI_OPT_OTHER ? cli_usage_error("users", "unexpected option") : rc;
    const char *db = o.db;
    if (optind < argc)
        return cli_usage_error("users", "unexpected argument '%s'", argv[optind]);
    struct ectl_store *s;
    if ((rc = cli_store_open(db, 0, &s)))
        return rc;
    struct ectl_error err;
    json_t *users = json_array();
    rc = ectl_store_user_list(s, collect_user, users, &err);
    ectl_store_close(s);
    if (rc) {
        json_decref(users);
        return rc == ECTL_ENOMEM ? cli_fail(EXIT_SOFTWARE, "out of memory") : cli_store_fail(&err);
    }
    if (o.json)
        return cli_print_json(json_pack("{s:o}", "users", users));
    /* Column widths from the data: names and emails vary a lot. */
    int wn = 4, we = 5;
    size_t i;
    json_t *u;
    json_array_foreach(users, i, u)
    {
        int n = (int)strlen(json_string_value(json_object_get(u, "name")));
        int e = (int)strlen(json_string_value(json_object_get(u, "email")));
        wn = n > wn ? n : wn;
        we = e > we ? e : we;
    }
    printf("%-4s  %-*s  %-7s  %-8s  %-*s  %s\n", "ID", wn, "NAME", "ROLE", "STATUS", we, "EMAIL",
           "CREATED");
    json_array_foreach(users, i, u)
    {
        printf("%-4lld  %-*s  %-7s  %-8s  %-*s  %s\n",
               (long long)json_integer_value(json_object_get(u, "id")), wn,
               json_string_value(json_object_get(u, "name")),
               json_string_value(json_object_get(u, "role")),
               json_is_true(json_object_get(u, "disabled")) ? "disabled" : "active", we,
               json_string_value(json_object_get(u, "email")),
               json_string_value(json_object_get(u, "created_at")));
    }
    json_decref(users);
    return fflush(stdout) ? cli_fail(EXIT_IOERR, "cannot write to standard output") : 0;
}

/* disable, enable and set-role: one user looked up by name, one change. */
enum user_change { CHANGE_DISABLE, CHANGE_ENABLE, CHANGE_ROLE };

static bool change_is_noop(enum user_change what, enum ectl_role role, const struct ectl_user *u)
{
    switch (what) {
    case CHANGE_DISABLE:
        return u->disabled;
    case CHANGE_ENABLE:
        return !u->disabled;
    default:
        return u->role == role;
    }
}

static int change_apply(struct ectl_store *s, enum user_change what, enum ectl_role role,
                        const struct ectl_user *u, struct ectl_error *err)
{
    char subject[32];
    snprintf(subject, sizeof subject, "user:%lld", (long long)u->id);
    int rc;
    json_t *detail;
    if (what == CHANGE_ROLE) {
        rc = ectl_store_user_set_role(s, u->id, role, err);
        detail = json_pack("{s:s, s:s, s:s}", "name", u->name, "role", ectl_role_name(role),
                           "previous_role", ectl_role_name(u->role));
    } else {
        rc = ectl_store_user_set_disabled(s, u->id, what == CHANGE_DISABLE, err);
        detail = json_pack("{s:s}", "name", u->name);
    }
    static const char *const actions[] = {"user.disable", "user.enable", "user.role"};
    if (rc) {
        json_decref(detail);
        return rc;
    }
    return cli_audit(s, actions[what], subject, detail, err);
}

static void change_report(enum user_change what, bool unchanged, const struct ectl_user *u,
                          enum ectl_role role)
{
    if (what == CHANGE_ROLE)
        printf(unchanged ? "user %s is already %s\n" : "user %s is now %s\n", u->name,
               ectl_role_name(role));
    else if (unchanged)
        printf("user %s is already %s\n", u->name, what == CHANGE_DISABLE ? "disabled" : "enabled");
    else if (what == CHANGE_DISABLE)
        printf("disabled user %s (its sessions are ended)\n", u->name);
    else
        printf("enabled user %s\n", u->name);
}

static int users_change(int argc, char **argv, enum user_change what)
{
    static const struct option opts[] = {
        {"role", required_argument, NULL, OPT_ROLE}, CLI_OPT_DB, CLI_OPT_HELP, CLI_OPT_END};
    struct cli_opts o;
    const char *role_s = NULL;
    int c, rc;
    cli_opts_init(&o);
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if ((rc = cli_common_option(c, "users", usage_text, argv, &o)) == CLI_OPT_DONE)
            continue;
        if (rc != CLI_OPT_OTHER || what != CHANGE_ROLE)
            return rc == CLI_OPT_OTHER ? cli_usage_error("users", "unexpected option") : rc;
        role_s = optarg; /* OPT_ROLE */
    }
    if (optind + 1 != argc)
        return cli_usage_error("users", "users %s takes exactly one NAME", argv[0]);
    enum ectl_role role = ECTL_ROLE_VIEWER;
    if (what == CHANGE_ROLE && (!role_s || ectl_role_parse(role_s, &role)))
        return cli_usage_error("users", "--role must be admin, officer or viewer");
    const char *name = argv[optind];
    struct ectl_store *s;
    if ((rc = cli_store_open(o.db, 0, &s)))
        return rc;
    struct ectl_error err;
    struct ectl_user u = {0};
    bool unchanged = false;
    if ((rc = ectl_store_begin(s, &err)) || (rc = ectl_store_user_get_by_name(s, name, &u, &err)))
        goto out;
    /* Asking twice is not a change, and is not audited as one. */
    if ((unchanged = change_is_noop(what, role, &u)))
        goto out;
    if (!(rc = change_apply(s, what, role, &u, &err)))
        rc = ectl_store_commit(s, &err);
out:
    ectl_store_rollback(s);
    ectl_store_close(s);
    if (rc == ECTL_ENOENT)
        rc = cli_fail(EXIT_DATAERR, "%s", err.msg);
    else if (rc)
        rc = cli_store_fail(&err);
    else
        change_report(what, unchanged, &u, role);
    ectl_user_release(&u);
    return rc;
}

static int users_disable(int argc, char **argv)
{
    return users_change(argc, argv, CHANGE_DISABLE);
}

static int users_enable(int argc, char **argv)
{
    return users_change(argc, argv, CHANGE_ENABLE);
}

static int users_set_role(int argc, char **argv)
{
    return users_change(argc, argv, CHANGE_ROLE);
}

int cmd_users(int argc, char **argv)
{
    static const struct cli_cmd subs[] = {
        {"add", users_add, NULL},           {"list", users_list, NULL},
        {"disable", users_disable, NULL},   {"enable", users_enable, NULL},
        {"set-role", users_set_role, NULL},
    };
    if (argc < 2)
        return cli_usage_error("users", "which: add, list, disable, enable or set-role?");
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(usage_text, stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof subs / sizeof *subs; i++)
        if (!strcmp(argv[1], subs[i].name))
            return subs[i].run(argc - 1, argv + 1);
    return cli_usage_error("users", "'%s' is not one of add, list, disable, enable, set-role",
                           argv[1]);
}
