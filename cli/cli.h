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

#endif
