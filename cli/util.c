#include <dirent.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

#ifndef ECTL_DATA_DIR
#define ECTL_DATA_DIR "data"
#endif

int cli_fail(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("exportctl: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return status;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "exportctl %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n(see 'exportctl %s --help')\n", cmd);
    va_end(ap);
    return EXIT_USAGE;
}

void cli_opts_init(struct cli_opts *o)
{
    o->regime = NULL;
    o->data = NULL;
    o->date = ectl_date_today();
    o->json = false;
    o->db = NULL;
    optind = 1;
    opterr = 0;
}

int cli_common_option(int c, const char *cmd, const char *usage, char **argv,
                      struct cli_opts *o)
{
    switch (c) {
    case 'r':
        o->regime = optarg;
        return CLI_OPT_DONE;
    case 'd':
        return cli_parse_date("--date", optarg, &o->date) ? EXIT_DATAERR : CLI_OPT_DONE;
    case 'j':
        o->json = true;
        return CLI_OPT_DONE;
    case 'D':
        o->data = optarg;
        return CLI_OPT_DONE;
    case CLI_OPT_DB_CHAR:
        o->db = optarg;
        return CLI_OPT_DONE;
    case 'h':
        fputs(usage, stdout);
        return 0;
    case '?':
    case ':':
        return cli_usage_error(cmd, "unknown or incomplete option '%s'", argv[optind - 1]);
    default:
        return CLI_OPT_OTHER;
    }
}

int cli_status_for(int code)
{
    switch (code) {
    case ECTL_EINVAL:
        return EXIT_USAGE;
    case ECTL_EPARSE:
    case ECTL_EUNKNOWN_ITEM:
    case ECTL_EUNKNOWN_COUNTRY:
    case ECTL_EBAD_DATE:
    case ECTL_ENODATA:
    case ECTL_ERANGE:
    case ECTL_EFORMAT:
    case ECTL_ECORRUPT:
        return EXIT_DATAERR;
    case ECTL_ENOENT:
        return EXIT_NOINPUT;
    case ECTL_EDATA:
        return EXIT_CONFIG;
    case ECTL_EIO:
        return EXIT_IOERR;
    case ECTL_EUNKNOWN_REGIME:
        return EXIT_USAGE;
    default:
        return EXIT_SOFTWARE;
    }
}

int cli_fail_err(const struct ectl_error *err)
{
    return cli_fail(cli_status_for(err->code), "%s", err->msg[0] ? err->msg : ectl_strerror(err->code));
}

const char *cli_data_dir(const char *opt)
{
    if (opt)
        return opt;
    const char *env = getenv("EXPORTCTL_DATA");
    return env && *env ? env : ECTL_DATA_DIR;
}

static bool valid_regime_id(const char *id)
{
    if (!*id || strlen(id) > 32)
        return false;
    for (const char *p = id; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
            return false;
    return strcmp(id, "agreements") != 0;
}

int cli_load_regime(const char *data_dir, const char *id, struct ectl_regime **out)
{
    char dir[4096], countries[4096];
    snprintf(dir, sizeof dir, "%s/regimes/%s", data_dir, id);
    snprintf(countries, sizeof countries, "%s/countries.csv", data_dir);
    struct stat st;
    if (!valid_regime_id(id) || stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        char known[512] = "";
        char path[4096];
        snprintf(path, sizeof path, "%s/regimes", data_dir);
        struct dirent **names = NULL;
        int n = scandir(path, &names, NULL, alphasort);
        for (int i = 0; i < n; i++) {
            const char *name = names[i]->d_name;
            if (name[0] != '.' && strcmp(name, "agreements") &&
                strlen(known) + strlen(name) + 3 < sizeof known) {
                if (*known)
                    strcat(known, ", ");
                strcat(known, name);
            }
            free(names[i]);
        }
        free(names);
        return cli_fail(EXIT_USAGE, "unknown regime '%s' (known in %s: %s)", id, path,
                        *known ? known : "none");
    }
    struct ectl_error err;
    if (ectl_regime_load(dir, countries, out, &err))
        return cli_fail_err(&err);
    return 0;
}

int cli_parse_date(const char *opt, const char *value, ectl_date *out)
{
    if (ectl_date_parse_str(value, out))
        return cli_fail(EXIT_DATAERR, "%s: '%s' is not a date (expected YYYY-MM-DD)", opt, value);
    return 0;
}

json_t *cli_json_date(ectl_date d)
{
    char buf[ECTL_DATE_BUFSZ];
    if (d == ECTL_DATE_MIN || d == ECTL_DATE_MAX)
        return json_null();
    return json_string(ectl_date_format(d, buf));
}

json_t *cli_json_determination(const char *query, const struct ectl_determination *d)
{
    json_t *opts = json_array();
    for (size_t i = 0; i < d->n_options; i++)
        json_array_append_new(opts, json_string(d->options[i]));
    json_t *reasons = json_array();
    for (size_t i = 0; i < d->n_reasons; i++) {
        const struct ectl_reason *r = &d->reasons[i];
        json_array_append_new(reasons, json_pack("{s:s, s:s, s:o, s:o, s:s}", "rule", r->rule,
                                                 "text", r->text, "from", cli_json_date(r->from),
                                                 "to", cli_json_date(r->to), "source",
                                                 r->source));
    }
    return json_pack("{s:s, s:s, s:s, s:b, s:s, s:o, s:s, s:o}", "item", query, "regime_item",
                     d->regime_item, "description", d->description, "listed", d->listed,
                     "outcome", ectl_outcome_name(d->outcome), "licence_options", opts,
                     "decisive_rule", d->decisive_rule, "reasons", reasons);
}

int cli_print_json(json_t *j)
{
    if (!j)
        return cli_fail(EXIT_SOFTWARE, "out of memory building JSON");
    int rc = json_dumpf(j, stdout, JSON_INDENT(2));
    json_decref(j);
    if (rc != 0 || fputc('\n', stdout) == EOF || fflush(stdout) != 0)
        return cli_fail(EXIT_IOERR, "cannot write to standard output");
    return 0;
}

static const char *human_outcome(enum ectl_outcome o)
{
    switch (o) {
    case ECTL_NO_LICENCE_REQUIRED:
        return "no licence required";
    case ECTL_LICENCE_REQUIRED:
        return "licence required";
    case ECTL_PROHIBITED:
        return "prohibited";
    }
    return "?";
}

void cli_print_determination(FILE *out, const char *query, const struct ectl_determination *d)
{
    fprintf(out, "%s", query);
    if (d->listed)
        fprintf(out, " (%s: %s)", d->regime_item, d->description);
    else
        fprintf(out, " (not on the control list)");
    fprintf(out, "\n  %s", human_outcome(d->outcome));
    if (d->n_options == 1 && !strcmp(d->options[0], "individual"))
        fprintf(out, ": individual licence only");
    else if (d->n_options) {
        fprintf(out, ": ");
        for (size_t i = 0; i < d->n_options; i++)
            fprintf(out, "%s%s", i ? ", " : "", d->options[i]);
    }
    fputc('\n', out);
    for (size_t i = 0; i < d->n_reasons; i++) {
        const struct ectl_reason *r = &d->reasons[i];
        char a[ECTL_DATE_BUFSZ], b[ECTL_DATE_BUFSZ];
        ectl_date_format(r->from, a);
        ectl_date_format(r->to, b);
        fprintf(out, "  %s %s [%s, %s)\n      %s\n      source: %s\n", i ? "-" : "*", r->rule,
                *a ? a : "...", *b ? b : "...", r->text, r->source);
    }
}
