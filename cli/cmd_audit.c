/*
 * exportctl audit verify [--json] [--db PATH]
 * exportctl audit list [--limit N] [--before SEQ] [--actor A] [--action PREFIX] [--json]
 *                      [--db PATH]
 *
 * verify walks the whole hash chain (docs/audit-log.md) and names the first
 * entry that was altered, rewritten or deleted.  Its answer goes to
 * standard output either way; the exit status tells intact (0) from broken
 * (65).
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <exportctl/auth.h>
#include <exportctl/store.h>

#include "cli.h"

static const char usage_text[] =
    "usage: exportctl audit verify [--json] [--db PATH]\n"
    "       exportctl audit list [--limit N] [--before SEQ] [--actor NAME] [--action PREFIX]\n"
    "                            [--json] [--db PATH]\n\n"
    "The audit log records every sign-in, password reset, token, user change, check,\n"
    "determination and screening, each entry hash-chained to the one before it\n"
    "(docs/audit-log.md explains the hash, with a script that checks it independently).\n\n"
    "verify checks every entry and prints 'audit log intact: N entries' (exit 0) or\n"
    "'audit log broken at entry N: WHAT' (exit 65).  It also prints the hash of the last\n"
    "entry: kept somewhere else, it shows later whether entries were cut from the end,\n"
    "which the chain alone cannot.\n\n"
    "list shows entries newest first: --limit (default 50, 0 for all), --before SEQ to\n"
    "page back, --actor for one actor, --action for actions starting with PREFIX\n"
    "(e.g. 'user.' or 'session.fail').\n\n"
    "The database is --db (default " CLI_DEFAULT_DB ").\n"
    "Exit status: 0 ok, 64 usage, 65 broken chain, 66 no database, 74 database error.\n";

static int last_entry(void *ctx, const struct ectl_audit_entry *e)
{
    struct ectl_audit_entry *last = ctx;
    last->seq = e->seq;
    memcpy(last->hash, e->hash, 32);
    return 0;
}

static int audit_verify(int argc, char **argv)
{
    static const struct option opts[] = {CLI_OPT_JSON, CLI_OPT_DB, CLI_OPT_HELP, CLI_OPT_END};
    struct cli_opts o;
    int c, rc;
    cli_opts_init(&o);
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
        if ((rc = cli_common_option(c, "audit", usage_text, argv, &o)) != CLI_OPT_DONE)
            return rc == CLI_OPT_OTHER ? cli_usage_error("audit", "unexpected option") : rc;
    if (optind < argc)
        return cli_usage_error("audit", "unexpected argument '%s'", argv[optind]);
    struct ectl_store *s;
    if ((rc = cli_store_open(o.db, 0, &s)))
        return rc;
    struct ectl_error err;
    struct ectl_audit_entry head = {0};
    struct ectl_audit_filter newest = {.limit = 1};
    int64_t bad = 0, entries = 0;
    rc = ectl_store_audit_verify(s, &bad, &entries, &err);
    if (!rc)
        rc = ectl_store_audit_list(s, &newest, last_entry, &head, &err);
    ectl_store_close(s);
    if (rc && !bad)
        return cli_store_fail(&err);
    char hex[65] = "";
    if (head.seq)
        ectl_hex(head.hash, 32, hex);
    if (o.json) {
        json_t *j = json_pack(
            "{s:b, s:I, s:o, s:o, s:o}", "intact", !bad, "entries", (json_int_t)entries,
            "first_bad", bad ? json_integer(bad) : json_null(), "problem",
            bad ? json_string(err.msg) : json_null(), "last",
            head.seq && !bad ? json_pack("{s:I, s:s}", "seq", (json_int_t)head.seq, "hash", hex)
                             : json_null());
        rc = cli_print_json(j);
        return rc ? rc : bad ? EXIT_DATAERR : 0;
    }
    if (bad) {
        printf("audit log broken at entry %lld: %s\n", (long long)bad, err.msg);
        return EXIT_DATAERR;
    }
    printf("audit log intact: %lld entries\n", (long long)entries);
    if (head.seq)
        printf("last entry %lld, hash %s\n", (long long)head.seq, hex);
    return 0;
}

struct listing {
    bool json;
    json_t *entries;
};

static int show_entry(void *ctx, const struct ectl_audit_entry *e)
{
    struct listing *l = ctx;
    char at[32];
    cli_format_time(e->at, at);
    if (!l->json) {
        printf("%-6lld %s  %-12s %-18s %-12s %s\n", (long long)e->seq, at, e->actor, e->action,
               *e->subject ? e->subject : "-", e->detail_json);
        return 0;
    }
    char prev[65], hash[65];
    ectl_hex(e->prev_hash, 32, prev);
    ectl_hex(e->hash, 32, hash);
    /* The detail as the object it is; as text if it somehow is not JSON. */
    json_t *detail = json_loads(e->detail_json, JSON_DECODE_ANY, NULL);
    if (!detail)
        detail = json_string(e->detail_json);
    json_t *j =
        json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s}", "seq", (json_int_t)e->seq, "at",
                  at, "actor", e->actor, "action", e->action, "subject", e->subject, "request_id",
                  e->request_id, "detail", detail, "prev_hash", prev, "hash", hash);
    return json_array_append_new(l->entries, j) ? ECTL_ENOMEM : 0;
}

static int parse_count(const char *opt, const char *v, long long *out)
{
    char *end;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (errno || end == v || *end || n < 0)
        return cli_usage_error("audit", "%s wants a number >= 0, not '%s'", opt, v);
    *out = n;
    return 0;
}

#define OPT_LIMIT 'L'
#define OPT_BEFORE 'F'
#define OPT_ACTOR 'A'
#define OPT_ACTION 'C'

static int audit_list(int argc, char **argv)
{
    static const struct option opts[] = {{"limit", required_argument, NULL, OPT_LIMIT},
                                         {"before", required_argument, NULL, OPT_BEFORE},
                                         {"actor", required_argument, NULL, OPT_ACTOR},
                                         {"action", required_argument, NULL, OPT_ACTION},
                                         CLI_OPT_JSON,
                                         CLI_OPT_DB,
                                         CLI_OPT_HELP,
                                         CLI_OPT_END};
    struct cli_opts o;
    struct ectl_audit_filter f = {.limit = 50};
    long long n;
    int c, rc;
    cli_opts_init(&o);
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if ((rc = cli_common_option(c, "audit", usage_text, argv, &o)) == CLI_OPT_DONE)
            continue;
        if (rc != CLI_OPT_OTHER)
            return rc;
        switch (c) {
        case OPT_LIMIT:
            if ((rc = parse_count("--limit", optarg, &n)))
                return rc;
            f.limit = (size_t)n;
            break;
        case OPT_BEFORE:
            if ((rc = parse_count("--before", optarg, &n)))
                return rc;
            f.before_seq = n;
            break;
        case OPT_ACTOR:
            f.actor = optarg;
            break;
        default: /* OPT_ACTION */
            f.action = optarg;
            break;
        }
    }
    if (optind < argc)
        return cli_usage_error("audit", "unexpected argument '%s'", argv[optind]);
    struct ectl_store *s;
    if ((rc = cli_store_open(o.db, 0, &s)))
        return rc;
    struct ectl_error err;
    struct listing l = {.json = o.json, .entries = json_array()};
    if (!o.json)
        printf("%-6s %-20s  %-12s %-18s %-12s %s\n", "SEQ", "TIME", "ACTOR", "ACTION", "SUBJECT",
               "DETAIL");
    rc = ectl_store_audit_list(s, &f, show_entry, &l, &err);
    ectl_store_close(s);
    if (rc) {
        json_decref(l.entries);
        return rc == ECTL_ENOMEM ? cli_fail(EXIT_SOFTWARE, "out of memory") : cli_store_fail(&err);
    }
    if (o.json)
        return cli_print_json(json_pack("{s:o}", "entries", l.entries));
    json_decref(l.entries);
    return fflush(stdout) ? cli_fail(EXIT_IOERR, "cannot write to standard output") : 0;
}

int cmd_audit(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage_error("audit", "which: verify or list?");
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (!strcmp(argv[1], "verify"))
        return audit_verify(argc - 1, argv + 1);
    if (!strcmp(argv[1], "list"))
        return audit_list(argc - 1, argv + 1);
    return cli_usage_error("audit", "'%s' is not one of verify, list", argv[1]);
}
