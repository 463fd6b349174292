/*
 * exportctl check SHIPMENT.json [--index FILE] [--json] [--data DIR]
 *
 * The command-line face of POST /api/v1/checks: the same library call
 * (ectl_check_*), the same result document, without storing anything.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <exportctl/check.h>

#include "cli.h"

static const char usage_text[] =
    "usage: exportctl check SHIPMENT.json [--index FILE] [--json] [--data DIR]\n\n"
    "Checks a shipment in one go: determines every line item under the shipment's regime,\n"
    "destination and date, screens every party against the lists of the index FILE, and\n"
    "gives one verdict, the most severe that applies:\n"
    "  prohibited        an item may not be exported\n"
    "  review            a party may be on a list (a person must look)\n"
    "  licence_required  an item needs a licence\n"
    "  clear             none of these\n"
    "SHIPMENT.json ('-' for standard input) is\n"
    "  {\"regime\": \"jp\", \"date\": \"2019-09-01\", \"destination\": \"KR\",\n"
    "   \"end_use_concern\": false,\n"
    "   \"items\": [{\"item\": \"3C002\", \"description\": \"...\", \"quantity\": 100,\n"
    "              \"value\": 25000, \"currency\": \"JPY\"}],\n"
    "   \"parties\": [{\"role\": \"buyer\", \"name\": \"...\", \"country\": \"KR\"}]}\n"
    "with date (default today), end_use_concern, description, quantity, value, currency\n"
    "and parties optional; any other field is an error.  A shipment with parties needs\n"
    "--index.  --json prints the same document as POST /api/v1/checks (without the\n"
    "stored record's id).\n";

#define MAX_SHIPMENT (16u << 20)

static int read_all(const char *path, char **out, size_t *len)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f)
        return cli_fail(EXIT_NOINPUT, "%s: %s", path, strerror(errno));
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            if (cap >= MAX_SHIPMENT) {
                free(buf);
                if (f != stdin)
                    fclose(f);
                return cli_fail(EXIT_DATAERR, "%s: larger than %u MiB", path, MAX_SHIPMENT >> 20);
            }
            char *p = realloc(buf, cap * 2);
            if (!p)
                free(buf);
            buf = p;
            cap *= 2;
        }
    }
    bool bad = ferror(f);
    if (f != stdin)
        fclose(f);
    if (!buf)
        return cli_fail(EXIT_SOFTWARE, "out of memory reading %s", path);
    if (bad) {
        free(buf);
        return cli_fail(EXIT_IOERR, "%s: read error", path);
    }
    *out = buf;
    *len = n;
    return 0;
}

static int to_stream(void *ctx, const char *buf, size_t len)
{
    return fwrite(buf, 1, len, ctx) == len ? 0 : -1;
}

static void print_human(const json_t *doc)
{
    const char *verdict = json_string_value(json_object_get(doc, "verdict"));
    printf("shipment to %s on %s under %s (data %s)\nverdict: %s\n",
           json_string_value(json_object_get(doc, "destination")),
           json_string_value(json_object_get(doc, "date")),
           json_string_value(json_object_get(doc, "regime")),
           json_string_value(json_object_get(doc, "data_version")), verdict);
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(doc, "verdict_reasons"), i, v)
        printf("  - %s\n", json_string_value(v));
    printf("\nitems:\n");
    json_array_foreach(json_object_get(doc, "items"), i, v)
    {
        const json_t *d = json_object_get(v, "determination");
        printf("  %zu. %s", i + 1, json_string_value(json_object_get(d, "item")));
        if (json_is_true(json_object_get(d, "listed")))
            printf(" (%s: %s)", json_string_value(json_object_get(d, "regime_item")),
                   json_string_value(json_object_get(d, "description")));
        else
            printf(" (not on the control list)");
        printf(": %s", json_string_value(json_object_get(d, "outcome")));
        size_t k;
        json_t *o;
        json_array_foreach(json_object_get(d, "licence_options"), k, o)
            printf("%s%s", k ? ", " : " (", json_string_value(o));
        if (json_array_size(json_object_get(d, "licence_options")))
            putchar(')');
        printf("\n     rule %s\n", json_string_value(json_object_get(d, "decisive_rule")));
    }
    if (json_array_size(json_object_get(doc, "parties")))
        printf("\nparties (screened against the index built %s):\n",
               json_string_value(json_object_get(doc, "screened_against")));
    json_array_foreach(json_object_get(doc, "parties"), i, v)
    {
        const json_t *in = json_object_get(v, "input");
        const json_t *s = json_object_get(v, "screening");
        printf("  %zu. %s %s", i + 1, json_string_value(json_object_get(in, "role")),
               json_string_value(json_object_get(in, "name")));
        const json_t *m = json_object_get(s, "matches");
        if (!json_array_size(m)) {
            printf(": no match at or above %.2f\n",
                   json_number_value(json_object_get(s, "threshold")));
            continue;
        }
        printf(": %zu possible match%s\n", json_array_size(m), json_array_size(m) == 1 ? "" : "es");
        size_t k;
        json_t *e;
        json_array_foreach(m, k, e)
            printf("       %.2f  %s %s  %s  %s\n", json_number_value(json_object_get(e, "score")),
                   json_string_value(json_object_get(e, "list")),
                   json_string_value(json_object_get(e, "id")),
                   json_string_value(json_object_get(e, "type")),
                   json_string_value(json_object_get(e, "name")));
    }
}

int cmd_check(int argc, char **argv)
{
    static const struct option opts[] = {{"index", required_argument, NULL, 'i'},
                                         CLI_OPT_JSON,
                                         CLI_OPT_DATA,
                                         CLI_OPT_HELP,
                                         CLI_OPT_END};
    const char *index_path = NULL;
    struct cli_opts o;
    int c, rc;
    cli_opts_init(&o);
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if ((rc = cli_common_option(c, "check", usage_text, argv, &o)) == CLI_OPT_DONE)
            continue;
        if (rc != CLI_OPT_OTHER)
            return rc;
        index_path = optarg; /* 'i' */
    }
    if (argc - optind != 1)
        return cli_usage_error("check", "give one SHIPMENT.json");
    const char *path = argv[optind];

    char *text = NULL;
    size_t len = 0;
    if ((rc = read_all(path, &text, &len)))
        return rc;
    struct ectl_check *chk = NULL;
    struct ectl_error err = {0};
    rc = ectl_check_parse(text, len, &chk, &err);
    free(text);
    if (rc)
        return cli_fail(EXIT_DATAERR, "%s: %s", path, err.msg);

    struct ectl_regime *regime = NULL;
    struct ectl_index *idx = NULL;
    if ((rc = cli_load_regime(cli_data_dir(o.data), ectl_check_regime(chk), &regime)))
        goto out;
    if (index_path && ectl_index_open(index_path, &idx, &err)) {
        rc = cli_fail_err(&err);
        goto out;
    }
    struct ectl_check_env env = {&regime, 1, idx, 0};
    if (ectl_check_run(chk, &env, &err)) {
        if (err.code == ECTL_ENODATA && !idx)
            rc = cli_usage_error("check", "%s: %s; give --index FILE", path, err.msg);
        else
            rc = cli_fail(cli_status_for(err.code), "%s: %s", path, err.msg);
        goto out;
    }
    if (o.json) {
        if (ectl_check_write_result(chk, ECTL_JSON_PRETTY, to_stream, stdout, &err) ||
            fputc('\n', stdout) == EOF || fflush(stdout))
            rc = cli_fail(EXIT_IOERR, "cannot write to standard output");
        goto out;
    }
    char *doc_text = NULL;
    size_t doc_len = 0;
    FILE *mem = open_memstream(&doc_text, &doc_len);
    int wrc = mem ? ectl_check_write_result(chk, 0, to_stream, mem, &err) : -1;
    if (mem)
        fclose(mem);
    json_t *doc = wrc == 0 ? json_loadb(doc_text, doc_len, 0, NULL) : NULL;
    free(doc_text);
    if (!doc) {
        rc = cli_fail(EXIT_SOFTWARE, "out of memory");
        goto out;
    }
    print_human(doc);
    json_decref(doc);
    if (fflush(stdout))
        rc = cli_fail(EXIT_IOERR, "cannot write to standard output");
out:
    ectl_check_free(chk);
    if (idx)
        ectl_index_close(idx);
    if (regime)
        ectl_regime_unref(regime);
    return rc;
}
