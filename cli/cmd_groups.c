/*
 * exportctl groups --regime R [--date D] [--json]
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "usage: exportctl groups --regime R [--date YYYY-MM-DD] [--json] [--data DIR]\n\n"
    "Lists each country group of the regime with its members on the date (default today).\n"
    "Only confirmed memberships are listed; see data/regimes/README.md for known gaps.\n";

int cmd_groups(int argc, char **argv)
{
    static const struct option opts[] = {CLI_OPT_REGIME, CLI_OPT_DATE, CLI_OPT_JSON,
                                         CLI_OPT_DATA, CLI_OPT_HELP, CLI_OPT_END};
    struct cli_opts o;
    int c, rc;
    cli_opts_init(&o);
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
        if ((rc = cli_common_option(c, "groups", usage_text, argv, &o)) != CLI_OPT_DONE)
            return rc == CLI_OPT_OTHER ? cli_usage_error("groups", "unexpected option") : rc;
    if (optind < argc)
        return cli_usage_error("groups", "unexpected argument '%s'", argv[optind]);
    const char *regime = o.regime, *data = o.data;
    ectl_date date = o.date;
    bool json = o.json;
    if (!regime)
        return cli_usage_error("groups", "--regime is required");
    struct ectl_regime *r;
    if ((rc = cli_load_regime(cli_data_dir(data), regime, &r)))
        return rc;
    char ds[ECTL_DATE_BUFSZ];
    ectl_date_format(date, ds);
    if (date < ectl_regime_covered_from(r)) {
        char cf[ECTL_DATE_BUFSZ];
        ectl_date_format(ectl_regime_covered_from(r), cf);
        ectl_regime_unref(r);
        return cli_fail(EXIT_DATAERR, "%s data starts on %s; no answer for %s", regime, cf, ds);
    }
    const char *members[1024];
    json_t *groups = json_array();
    if (!json)
        printf("%s groups on %s (data %s)\n", regime, ds, ectl_regime_data_version(r));
    for (size_t g = 0; g < ectl_regime_group_count(r); g++) {
        size_t n = ectl_regime_group_members(r, g, date, members, 1024);
        json_t *arr = json_array();
        for (size_t i = 0; i < n && i < 1024; i++)
            json_array_append_new(arr, json_string(members[i]));
        if (json) {
            json_array_append_new(groups, json_pack("{s:s, s:i, s:o}", "group",
                                                    ectl_regime_group_id(r, g), "count", (json_int_t)n,
                                                    "countries", arr));
        } else {
            printf("  %-5s %3zu:", ectl_regime_group_id(r, g), n);
            for (size_t i = 0; i < n && i < 1024; i++)
                printf(" %s", members[i]);
            putchar('\n');
            json_decref(arr);
        }
    }
    rc = 0;
    if (json)
        rc = cli_print_json(json_pack("{s:s, s:s, s:s, s:O}", "regime", regime, "date", ds,
                                      "data_version", ectl_regime_data_version(r), "groups",
                                      groups));
    json_decref(groups);
    ectl_regime_unref(r);
    return rc;
}
