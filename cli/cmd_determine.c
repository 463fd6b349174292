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
        {"regime", required_argument, NULL, 'r'}, {"item", required_argument, NULL, 'i'},
        {"to", required_argument, NULL, 't'},     {"date", required_argument, NULL, 'd'},
        {"end-use-concern", no_argument, NULL, 'e'}, {"json", no_argument, NULL, 'j'},
        {"data", required_argument, NULL, 'D'},   {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *regime = NULL, *items = NULL, *to = NULL, *data = NULL;
    ectl_date date = ectl_date_today();
    bool concern = false, json = false;
    int c, rc;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'r': regime = optarg; break;
        case 'i': items = optarg; break;
        case 't': to = optarg; break;
        case 'd':
            if ((rc = cli_parse_date("--date", optarg, &date)))
                return rc;
            break;
        case 'e': concern = true; break;
        case 'j': json = true; break;
        case 'D': data = optarg; break;
        case 'h': fputs(usage_text, stdout); return 0;
        default: return cli_usage_error("determine", "unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("determine", "unexpected argument '%s'", argv[optind]);
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
