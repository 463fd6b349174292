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
    static const struct option opts[] = {
        {"date", required_argument, NULL, 'd'}, {"json", no_argument, NULL, 'j'},
        {"data", required_argument, NULL, 'D'}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *data = NULL;
    ectl_date date = ectl_date_today();
    bool json = false;
    int c, rc;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            if ((rc = cli_parse_date("--date", optarg, &date)))
                return rc;
            break;
        case 'j': json = true; break;
        case 'D': data = optarg; break;
        case 'h': fputs(usage_text, stdout); return 0;
        default: return cli_usage_error("agreements", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("agreements", "unexpected argument '%s'", argv[optind]);
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
            json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "id", s.id, "name",
                                  s.name, "parties", s.parties, "status",
                                  ectl_agreement_state_name(s.status), "in_force",
                                  cli_json_date(s.in_force), "pending_termination",
                                  cli_json_date(s.pending_termination), "next_renewal",
                                  cli_json_date(s.next_renewal), "notice_deadline",
                                  cli_json_date(s.notice_deadline));
            json_object_set_new(o, "last_event", s.last_event ? json_string(s.last_event) : json_null());
            json_object_set_new(o, "last_event_date", cli_json_date(s.last_event_date));
            json_object_set_new(o, "source", json_string(s.source));
            json_array_append_new(arr, o);
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
