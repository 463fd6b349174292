/*
 * exportctl diff --regime R --from D1 --to D2 [--json]
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "usage: exportctl diff --regime R --from YYYY-MM-DD --to YYYY-MM-DD [--json] [--data DIR]\n\n"
    "Lists every change that takes effect after --from and on or before --to: group\n"
    "memberships added or removed, measures and policies started or ended, items added or\n"
    "removed, each with its date and source.\n";

int cmd_diff(int argc, char **argv)
{
    static const struct option opts[] = {CLI_OPT_REGIME,
                                         {"from", required_argument, NULL, 'f'},
                                         {"to", required_argument, NULL, 't'},
                                         CLI_OPT_JSON,
                                         CLI_OPT_DATA,
                                         CLI_OPT_HELP,
                                         CLI_OPT_END};
    ectl_date from = 0, to = 0;
    bool have_from = false, have_to = false;
    struct cli_opts o;
    int c, rc;
    cli_opts_init(&o);
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if ((rc = cli_common_option(c, "diff", usage_text, argv, &o)) == CLI_OPT_DONE)
            continue;
        if (rc != CLI_OPT_OTHER)
            return rc;
        bool is_from = c == 'f';
        if (cli_parse_date(is_from ? "--from" : "--to", optarg, is_from ? &from : &to))
            return EXIT_DATAERR;
        *(is_from ? &have_from : &have_to) = true;
    }
    if (optind < argc)
        return cli_usage_error("diff", "unexpected argument '%s'", argv[optind]);
    const char *regime = o.regime, *data = o.data;
    bool json = o.json;
    if (!regime || !have_from || !have_to)
        return cli_usage_error("diff", "--regime, --from and --to are required");
    struct ectl_regime *r;
    if ((rc = cli_load_regime(cli_data_dir(data), regime, &r)))
        return rc;
    struct ectl_error err;
    int n = ectl_regime_diff(r, from, to, NULL, 0, &err);
    struct ectl_change *v = n > 0 ? calloc((size_t)n, sizeof *v) : NULL;
    if (n < 0 || (n > 0 && !v)) {
        ectl_regime_unref(r);
        return n < 0 ? cli_fail_err(&err) : cli_fail(EXIT_SOFTWARE, "out of memory");
    }
    if (n > 0)
        n = ectl_regime_diff(r, from, to, v, (size_t)n, &err);
    char a[ECTL_DATE_BUFSZ], b[ECTL_DATE_BUFSZ], d[ECTL_DATE_BUFSZ];
    ectl_date_format(from, a);
    ectl_date_format(to, b);
    rc = 0;
    if (json) {
        json_t *arr = json_array();
        for (int i = 0; i < n; i++) {
            const struct ectl_change *ch = &v[i];
            json_t *obj = json_pack("{s:s}", "kind", ectl_change_kind_name(ch->kind));
            if (ch->kind == ECTL_CHANGE_MEMBERSHIP) {
                json_object_set_new(obj, "group", json_string(ch->subject));
                json_object_set_new(obj, "country", json_string(ch->country));
            } else {
                json_object_set_new(obj, ch->kind == ECTL_CHANGE_ITEM ? "item" : "rule",
                                    json_string(ch->subject));
            }
            json_object_set_new(obj, "change", json_string(ch->change));
            json_object_set_new(obj, "date", json_string(ectl_date_format(ch->date, d)));
            json_object_set_new(obj, "text", json_string(ch->text));
            json_object_set_new(obj, "source", json_string(ch->source));
            json_array_append_new(arr, obj);
        }
        rc = cli_print_json(json_pack("{s:s, s:s, s:s, s:s, s:o}", "regime", regime, "from", a,
                                      "to", b, "data_version", ectl_regime_data_version(r),
                                      "changes", arr));
    } else {
        printf("%s changes after %s up to %s: %d\n", regime, a, b, n);
        for (int i = 0; i < n; i++) {
            const struct ectl_change *ch = &v[i];
            printf("  %s  %-10s %-8s %s%s%s\n      %s\n      source: %s\n",
                   ectl_date_format(ch->date, d), ectl_change_kind_name(ch->kind), ch->change,
                   ch->subject, ch->country ? " " : "", ch->country ? ch->country : "", ch->text,
                   ch->source);
        }
    }
    free(v);
    ectl_regime_unref(r);
    return rc;
}
