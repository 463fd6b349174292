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
    static const struct option opts[] = {
        {"regime", required_argument, NULL, 'r'}, {"from", required_argument, NULL, 'f'},
        {"to", required_argument, NULL, 't'},     {"json", no_argument, NULL, 'j'},
        {"data", required_argument, NULL, 'D'},   {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *regime = NULL, *data = NULL;
    ectl_date from = 0, to = 0;
    bool json = false, have_from = false, have_to = false;
    int c, rc;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'r': regime = optarg; break;
        case 'f':
            if ((rc = cli_parse_date("--from", optarg, &from)))
                return rc;
            have_from = true;
            break;
        case 't':
            if ((rc = cli_parse_date("--to", optarg, &to)))
                return rc;
            have_to = true;
            break;
        case 'j': json = true; break;
        case 'D': data = optarg; break;
        case 'h': fputs(usage_text, stdout); return 0;
        default: return cli_usage_error("diff", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("diff", "unexpected argument '%s'", argv[optind]);
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
            json_t *o = json_pack("{s:s}", "kind", ectl_change_kind_name(ch->kind));
            if (ch->kind == ECTL_CHANGE_MEMBERSHIP) {
                json_object_set_new(o, "group", json_string(ch->subject));
                json_object_set_new(o, "country", json_string(ch->country));
            } else {
                json_object_set_new(o, ch->kind == ECTL_CHANGE_ITEM ? "item" : "rule",
                                    json_string(ch->subject));
            }
            json_object_set_new(o, "change", json_string(ch->change));
            json_object_set_new(o, "date", json_string(ectl_date_format(ch->date, d)));
            json_object_set_new(o, "text", json_string(ch->text));
            json_object_set_new(o, "source", json_string(ch->source));
            json_array_append_new(arr, o);
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
