/*
 * exportctl determine --regime R --item CODE[,CODE...] --to CC [--date D]
 *                     [--end-use-concern] [--json] [--data DIR]
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "usage: exportctl determine --regime R --item CODE[,CODE...] --to CC [--date YYYY-MM-DD]\n"
    "                           [--end-use-concern] [--json] [--data DIR]\n\n"
    "Answers, for each item, whether exporting it to CC on the date needs a licence under\n"
    "regime R (jp, kr, eu, us), which licences can cover it, and why: every rule with its\n"
    "period and source.  CODE is the regime-native code (7(19)) or the harmonised code\n"
    "(3C002); 'none' (or EAR99) means goods not on the control list, where catch-all\n"
    "controls apply with --end-use-concern.  --date defaults to today (UTC).\n";

int cmd_determine(int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_OPT_REGIME, {"item", required_argument, NULL, 'i'}, {"to", required_argument, NULL, 't'},
        CLI_OPT_DATE, {"end-use-concern", no_argument, NULL, 'e'}, CLI_OPT_JSON, CLI_OPT_DATA,
        CLI_OPT_HELP, CLI_OPT_END};
    const char *items = NULL, *to = NULL;
    bool concern = false;
    struct cli_opts o;
    int c, rc;
    cli_opts_init(&o);
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if ((rc = cli_common_option(c, "determine", usage_text, argv, &o)) == CLI_OPT_DONE)
            continue;
        if (rc != CLI_OPT_OTHER)
            return rc;
        if (c == 'i')
            items = optarg;
        else if (c == 't')
            to = optarg;
        else
            concern = true; /* 'e' */
    }
    if (optind < argc)
        return cli_usage_error("determine", "unexpected argument '%s'", argv[optind]);
    const char *regime = o.regime, *data = o.data;
    ectl_date date = o.date;
    bool json = o.json;
    if (!regime || !items || !to)
        return cli_usage_error("determine", "--regime, --item and --to are required");

    struct ectl_regime *r;
    if ((rc = cli_load_regime(cli_data_dir(data), regime, &r)))
        return rc;
    char *list = strdup(items);
    if (!list) {
        ectl_regime_unref(r);
        return cli_fail(EXIT_SOFTWARE, "out of memory");
    }
    json_t *arr = json_array();
    /* Human output is collected first, so that an error on the third item
     * does not leave the first two printed as if the answer were complete. */
    char *text = NULL;
    size_t text_len = 0;
    FILE *mem = json ? NULL : open_memstream(&text, &text_len);
    char *save = NULL;
    size_t n_items = 0;
    rc = 0;
    for (char *tok = strtok_r(list, ",", &save); tok && !rc; tok = strtok_r(NULL, ",", &save)) {
        n_items++;
        struct ectl_determination d;
        struct ectl_error err;
        if (ectl_determine(r, tok, to, date, concern, &d, &err)) {
            rc = cli_fail_err(&err);
            break;
        }
        if (json)
            json_array_append_new(arr, cli_json_determination(tok, &d));
        else if (mem)
            cli_print_determination(mem, tok, &d);
    }
    free(list);
    if (rc == 0 && n_items == 0)
        rc = cli_usage_error("determine", "--item names no item");
    char ds[ECTL_DATE_BUFSZ];
    ectl_date_format(date, ds);
    if (rc == 0 && json) {
        char cc[3] = {(char)(to[0] & ~0x20), (char)(to[1] & ~0x20), 0};
        rc = cli_print_json(json_pack("{s:s, s:s, s:s, s:s, s:b, s:O}", "regime", regime,
                                      "destination", cc, "date", ds, "data_version",
                                      ectl_regime_data_version(r), "end_use_concern", concern,
                                      "items", arr));
    } else if (rc == 0 && mem) {
        fclose(mem);
        mem = NULL;
        char cc[3] = {(char)(to[0] & ~0x20), (char)(to[1] & ~0x20), 0};
        printf("%s: export to %s (%s) on %s%s (data %s)\n\n%s", regime, cc,
               ectl_regime_country_name(r, cc), ds, concern ? ", end-use concern" : "",
               ectl_regime_data_version(r), text);
    }
    if (mem)
        fclose(mem);
    free(text);
    json_decref(arr);
    ectl_regime_unref(r);
    return rc;
}
