/*
 * Shared pieces of the exportctl command-line tool.  Everything here is
 * edge code: it prints, and it turns library error codes into sysexits
 * exit statuses.  The library itself never does either.
 */
#ifndef ECTL_CLI_H
#define ECTL_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#include <exportctl/exportctl.h>

/* sysexits(3) */
enum {
    EXIT_USAGE = 64,
    EXIT_DATAERR = 65,
    EXIT_NOINPUT = 66,
    EXIT_SOFTWARE = 70,
    EXIT_CANTCREAT = 73,
    EXIT_IOERR = 74,
    EXIT_CONFIG = 78,
};

struct cli_cmd {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

/* Options several commands share.  A command lists the ones it takes in its
 * getopt_long table with these entries and passes every option to
 * cli_common_option() before handling its own. */
struct cli_opts {
    const char *regime;
    const char *data;
    ectl_date date; /* today unless --date */
    bool json;
    const char *db; /* --db, NULL for the default */
};
#define CLI_OPT_REGIME {"regime", required_argument, NULL, 'r'}
#define CLI_OPT_DATE {"date", required_argument, NULL, 'd'}
#define CLI_OPT_JSON {"json", no_argument, NULL, 'j'}
#define CLI_OPT_DATA {"data", required_argument, NULL, 'D'}
#define CLI_OPT_HELP {"help", no_argument, NULL, 'h'}
#define CLI_OPT_END {NULL, 0, NULL, 0}

enum { CLI_OPT_DONE = -1, CLI_OPT_OTHER = -2 };

void cli_opts_init(struct cli_opts *o);
/* Handle option c: CLI_OPT_DONE when it was a shared option, CLI_OPT_OTHER
 * when it is the command's own, or an exit status to return at once (0
 * after printing usage for --help, 64 for an unknown option, 65 for a bad
 * date). */
int cli_common_option(int c, const char *cmd, const char *usage, char **argv,
                      struct cli_opts *o);

/* Print "exportctl: <message>" to stderr and return status. */
int cli_fail(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Report a library error with its message; returns the exit status for it. */
int cli_fail_err(const struct ectl_error *err);
int cli_status_for(int code);

/* Default data directory: $EXPORTCTL_DATA, else the compiled-in one. */
const char *cli_data_dir(const char *opt);

/* Load <data>/regimes/<id>; unknown ids are a usage error listing known ones. */
int cli_load_regime(const char *data_dir, const char *id, struct ectl_regime **out);

/* Parse --date-style values; on error prints and returns EXIT_DATAERR. */
int cli_parse_date(const char *opt, const char *value, ectl_date *out);

/* Date as JSON: a string, or null for open ends. */
json_t *cli_json_date(ectl_date d);
json_t *cli_json_determination(const char *query, const struct ectl_determination *d);
/* Print and release j; returns 0 or EXIT_IOERR. */
int cli_print_json(json_t *j);

/* Human-readable determination, for the default (non-JSON) output. */
void cli_print_determination(FILE *out, const char *query, const struct ectl_determination *d);

/* A short usage error: "exportctl CMD: MSG" plus a pointer to --help. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

int cmd_determine(int argc, char **argv);
int cmd_groups(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_impact(int argc, char **argv);
int cmd_agreements(int argc, char **argv);
int cmd_lists(int argc, char **argv);
int cmd_screen(int argc, char **argv);
int cmd_users(int argc, char **argv);
int cmd_audit(int argc, char **argv);

/* The commands that touch the database (users, audit, serve) take --db. */
#define CLI_DEFAULT_DB "var/exportctl.db"
#define CLI_OPT_DB_CHAR 'B'
#define CLI_OPT_DB {"db", required_argument, NULL, CLI_OPT_DB_CHAR}
struct ectl_store;
/* cmd_users.c: open (and migrate) db, default CLI_DEFAULT_DB; prints and
 * returns the exit status on failure. */
int cli_store_open(const char *db, unsigned flags, struct ectl_store **out);
/* Report a store error: 65 for a duplicate, 74 for the database itself. */
int cli_store_fail(const struct ectl_error *err);
/* Append an audit entry with actor "cli", a fresh request id and detail
 * (consumed) plus the operating-system user who ran the command. */
int cli_audit(struct ectl_store *s, const char *action, const char *subject, json_t *detail,
              struct ectl_error *err);
/* Seconds since the epoch as "YYYY-MM-DDTHH:MM:SSZ". */
void cli_format_time(int64_t t, char out[32]);
int cmd_check(int argc, char **argv);
int cmd_serve(int argc, char **argv);

#endif
