/*
 * exportctl agreements [--date D] [--json]
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "usage: exportctl agreements [--date YYYY-MM-DD] [--json] [--data DIR]\n\n"
    "Status on the date (default today) of every self-renewing agreement in\n"
    "data/regimes/agreements: in force, terminated or not yet in force; a pending\n"
    "termination; the next renewal and the last day a notice can stop it.\n";

int cmd_agreements(int argc, char **argv)
{
    static const struct option opts[] = {CLI_OPT_DATE, CLI_OPT_JSON, CLI_OPT_DATA, CLI_OPT_HELP,
                                         CLI_OPT_END};
    struct cli_opts o;
    int c, rc;
    cli_opts_init(&o);
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
        if ((rc = cli_common_option(c, "agreements", usage_text, argv, &o)) != CLI_OPT_DONE)
            return rc == CLI_OPT_OTHER ? cli_usage_error("agreements", "unexpected option") : rc;
    if (optind < argc)
        return cli_usage_error("agreements", "unexpected argument '%s'", argv[optind]);
    ectl_date date = o.date;
    bool json = o.json;
    const char *data = o.data;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/regimes/agreements", cli_data_dir(data));
    struct ectl_agreements *a;
    struct ectl_error err;
    if (ectl_agreements_load(dir, &a, &err))
        return cli_fail_err(&err);
    char ds[ECTL_DATE_BUFSZ], d1[ECTL_DATE_BUFSZ];
    ectl_date_format(date, ds);
    json_t *arr = json_array();
    if (!json)
        printf("agreements on %s\n", ds);
    for (size_t i = 0; i < ectl_agreements_count(a); i++) {
        struct ectl_agreement_status s;
        if (ectl_agreement_status(a, i, date, &s, &err)) {
            json_decref(arr);
            ectl_agreements_free(a);
            return cli_fail_err(&err);
        }
        if (json) {
            json_t *obj = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "id", s.id, "name",
                                  s.name, "parties", s.parties, "status",
                                  ectl_agreement_state_name(s.status), "in_force",
                                  cli_json_date(s.in_force), "pending_termination",
                                  cli_json_date(s.pending_termination), "next_renewal",
                                  cli_json_date(s.next_renewal), "notice_deadline",
                                  cli_json_date(s.notice_deadline));
            json_object_set_new(obj, "last_event", s.last_event ? json_string(s.last_event) : json_null());
            json_object_set_new(obj, "last_event_date", cli_json_date(s.last_event_date));
            json_object_set_new(obj, "source", json_string(s.source));
            json_array_append_new(arr, obj);
        } else {
            printf("  %s (%s): %s", s.id, s.name, ectl_agreement_state_name(s.status));
            if (s.pending_termination != ECTL_DATE_MIN)
                printf(", terminates on %s unless the notice is withdrawn",
                       ectl_date_format(s.pending_termination, d1));
            if (s.next_renewal != ECTL_DATE_MIN) {
                printf(", renews on %s", ectl_date_format(s.next_renewal, d1));
                printf(" (notice deadline %s)", ectl_date_format(s.notice_deadline, d1));
            }
            putchar('\n');
            if (s.last_event)
                printf("    last event %s: %s\n", ectl_date_format(s.last_event_date, d1),
                       s.last_event);
            printf("    source: %s\n", s.source);
        }
    }
    rc = 0;
    if (json)
        rc = cli_print_json(json_pack("{s:s, s:O}", "date", ds, "agreements", arr));
    json_decref(arr);
    ectl_agreements_free(a);
    return rc;
}
