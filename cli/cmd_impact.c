/*
 * exportctl impact --regime R --from D1 --to D2 ORDERS.csv [--json|--csv]
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char usage_text[] =
    "usage: exportctl impact --regime R --from YYYY-MM-DD --to YYYY-MM-DD ORDERS.csv\n"
    "                        [--json | --csv] [--data DIR]\n\n"
    "Evaluates every order of ORDERS.csv ('-' for standard input) on both dates and lists\n"
    "the orders whose outcome or licence options change, with both answers, the rule\n"
    "that decided each and the facts that changed (--json states each reason once, under\n"
    "\"reasons\").  The CSV needs a header row with order_id, item and destination;\n"
    "an end_use_concern column (0 or 1) is used when present; other columns are carried\n"
    "through.  Nothing is printed unless the whole book was read without error.\n";

enum format { FMT_TEXT, FMT_JSON, FMT_CSV };

struct run {
    enum format fmt;
    json_t *changes;
    json_t *reasons; /* rule id -> {text, from, to, source}, each written once */
    FILE *csv;
    bool header_done;
    bool progress;
    int last_pct;
};

/* Record a reason in the run's table, so that a book where thousands of
 * orders change for the same reason states that reason once. */
static void note_reason(struct run *run, const struct ectl_reason *x)
{
    if (!json_object_get(run->reasons, x->rule))
        json_object_set_new(run->reasons, x->rule,
                            json_pack("{s:s, s:o, s:o, s:s}", "text", x->text, "from",
                                      cli_json_date(x->from), "to", cli_json_date(x->to),
                                      "source", x->source));
}

static json_t *answer_json(struct run *run, const struct ectl_determination *d)
{
    json_t *opts = json_array();
    for (size_t i = 0; i < d->n_options; i++)
        json_array_append_new(opts, json_string(d->options[i]));
    note_reason(run, &d->reasons[0]);
    return json_pack("{s:s, s:o, s:s}", "outcome", ectl_outcome_name(d->outcome),
                     "licence_options", opts, "rule", d->decisive_rule);
}

static bool has_reason(const struct ectl_determination *d, const char *rule)
{
    for (size_t i = 0; i < d->n_reasons; i++)
        if (!strcmp(d->reasons[i].rule, rule))
            return true;
    return false;
}

/* What made the difference: the facts the answer rested on before and no
 * longer does ("removed"), and those it rests on now ("added"). */
static json_t *because_json(struct run *run, const struct ectl_determination *b,
                            const struct ectl_determination *a)
{
    json_t *arr = json_array();
    const struct ectl_determination *side[2] = {b, a};
    for (int k = 0; k < 2; k++) {
        for (size_t i = 0; i < side[k]->n_reasons; i++) {
            const struct ectl_reason *x = &side[k]->reasons[i];
            if (has_reason(side[!k], x->rule))
                continue;
            note_reason(run, x);
            json_array_append_new(arr, json_pack("{s:s, s:s}", "change", k ? "added" : "removed",
                                                 "rule", x->rule));
        }
    }
    return arr;
}

static void csv_field(FILE *f, const char *s)
{
    if (strpbrk(s, ",\"\r\n")) {
        fputc('"', f);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', f);
            fputc(*s, f);
        }
        fputc('"', f);
    } else {
        fputs(s, f);
    }
}

static void csv_options(FILE *f, const struct ectl_determination *d)
{
    for (size_t i = 0; i < d->n_options; i++)
        fprintf(f, "%s%s", i ? ";" : "", d->options[i]);
}

static int on_change(void *ctx, const struct ectl_order *o, const struct ectl_determination *b,
                     const struct ectl_determination *a)
{
    struct run *run = ctx;
    if (run->fmt == FMT_CSV) {
        if (!run->header_done) {
            for (size_t i = 0; i < o->n_columns; i++) {
                csv_field(run->csv, o->names[i]);
                fputc(',', run->csv);
            }
            fputs("before_outcome,before_options,before_rule,after_outcome,after_options,"
                  "after_rule,because\n",
                  run->csv);
            run->header_done = true;
        }
        for (size_t i = 0; i < o->n_columns; i++) {
            csv_field(run->csv, o->values[i]);
            fputc(',', run->csv);
        }
        fprintf(run->csv, "%s,", ectl_outcome_name(b->outcome));
        csv_options(run->csv, b);
        fprintf(run->csv, ",%s,%s,", b->decisive_rule, ectl_outcome_name(a->outcome));
        csv_options(run->csv, a);
        fprintf(run->csv, ",%s,", a->decisive_rule);
        /* "-fact;+fact": the reasons that went away and those that came */
        const struct ectl_determination *side[2] = {b, a};
        bool first = true;
        for (int k = 0; k < 2; k++)
            for (size_t i = 0; i < side[k]->n_reasons; i++)
                if (!has_reason(side[!k], side[k]->reasons[i].rule)) {
                    fprintf(run->csv, "%s%c%s", first ? "" : ";", k ? '+' : '-',
                            side[k]->reasons[i].rule);
                    first = false;
                }
        fputc('\n', run->csv);
        return ferror(run->csv) ? -1 : 0;
    }
    json_t *cols = json_object();
    for (size_t i = 0; i < o->n_columns; i++)
        if (strcmp(o->names[i], "order_id") && strcmp(o->names[i], "item") &&
            strcmp(o->names[i], "destination") && strcmp(o->names[i], "end_use_concern"))
            json_object_set_new(cols, o->names[i], json_string(o->values[i]));
    json_t *j = json_pack("{s:s, s:I, s:s, s:s, s:b, s:o, s:o, s:o, s:o}", "order_id",
                          o->order_id, "line", (json_int_t)o->line, "item", o->item,
                          "destination", o->destination, "end_use_concern", o->end_use_concern,
                          "columns", cols, "before", answer_json(run, b), "after",
                          answer_json(run, a), "because", because_json(run, b, a));
    return j ? json_array_append_new(run->changes, j) : -1;
}

static void on_progress(void *ctx, uint64_t done, uint64_t total)
{
    struct run *run = ctx;
    if (!run->progress || !total)
        return;
    int pct = (int)(done * 100 / total);
    if (pct == run->last_pct)
        return;
    run->last_pct = pct;
    fprintf(stderr, "\rimpact: %3d%% (%.1f of %.1f MB)", pct, done / 1e6, total / 1e6);
    if (done == total)
        fputs("\r\033[K", stderr);
}

int cmd_impact(int argc, char **argv)
{
    static const struct option opts[] = {CLI_OPT_REGIME,
                                         {"from", required_argument, NULL, 'f'},
                                         {"to", required_argument, NULL, 't'},
                                         CLI_OPT_JSON,
                                         {"csv", no_argument, NULL, 'c'},
                                         CLI_OPT_DATA,
                                         CLI_OPT_HELP,
                                         CLI_OPT_END};
    struct ectl_impact_opts io = {0};
    bool have_from = false, have_to = false, csv = false;
    struct run run = {FMT_TEXT, NULL, NULL, NULL, false, false, -1};
    struct cli_opts o;
    int c, rc;
    cli_opts_init(&o);
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if ((rc = cli_common_option(c, "impact", usage_text, argv, &o)) == CLI_OPT_DONE)
            continue;
        if (rc != CLI_OPT_OTHER)
            return rc;
        if (c == 'c') {
            csv = true;
            continue;
        }
        bool is_from = c == 'f';
        if (cli_parse_date(is_from ? "--from" : "--to", optarg, is_from ? &io.from : &io.to))
            return EXIT_DATAERR;
        *(is_from ? &have_from : &have_to) = true;
    }
    if (o.json && csv)
        return cli_usage_error("impact", "--json and --csv exclude each other");
    run.fmt = o.json ? FMT_JSON : csv ? FMT_CSV : FMT_TEXT;
    const char *regime = o.regime, *data = o.data;
    if (!regime || !have_from || !have_to)
        return cli_usage_error("impact", "--regime, --from and --to are required");
    if (argc - optind != 1)
        return cli_usage_error("impact", "give exactly one order book (a CSV file, or - for stdin)");
    const char *path = argv[optind];
    struct ectl_regime *r;
    if ((rc = cli_load_regime(cli_data_dir(data), regime, &r)))
        return rc;
    char *csvbuf = NULL;
    size_t csvlen = 0;
    if (run.fmt == FMT_CSV)
        run.csv = open_memstream(&csvbuf, &csvlen);
    else
        run.changes = json_array();
    run.reasons = json_object();
    run.progress = isatty(STDERR_FILENO);
    io.on_change = on_change;
    io.on_progress = on_progress;
    io.ctx = &run;
    struct ectl_impact_stats st;
    struct ectl_error err;
    rc = ectl_impact_file(r, path, &io, &st, &err);
    if (run.progress && run.last_pct >= 0)
        fputs("\r\033[K", stderr);
    if (run.csv)
        fclose(run.csv);
    if (rc) {
        rc = cli_fail_err(&err);
    } else if (run.fmt == FMT_CSV) {
        if (st.changed == 0)
            /* An empty result still has a header. */
            fputs("order_id,item,destination,before_outcome,before_options,before_rule,"
                  "after_outcome,after_options,after_rule,because\n",
                  stdout);
        else
            fwrite(csvbuf, 1, csvlen, stdout);
        if (fflush(stdout))
            rc = cli_fail(EXIT_IOERR, "cannot write to standard output");
        fprintf(stderr, "impact: %llu orders read, %llu changed\n", (unsigned long long)st.orders,
                (unsigned long long)st.changed);
    } else {
        char a[ECTL_DATE_BUFSZ], b[ECTL_DATE_BUFSZ];
        ectl_date_format(io.from, a);
        ectl_date_format(io.to, b);
        if (run.fmt == FMT_JSON) {
            rc = cli_print_json(json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:O, s:O}", "regime",
                                          regime, "from", a, "to", b, "data_version",
                                          ectl_regime_data_version(r), "orders",
                                          (json_int_t)st.orders, "changed",
                                          (json_int_t)st.changed, "changes", run.changes,
                                          "reasons", run.reasons));
        } else {
            printf("%s impact %s -> %s: %llu orders, %llu changed\n", regime, a, b,
                   (unsigned long long)st.orders, (unsigned long long)st.changed);
            size_t i, k;
            json_t *ch, *x;
            json_array_foreach(run.changes, i, ch)
            {
                printf("  %s (line %lld): %s to %s\n",
                       json_string_value(json_object_get(ch, "order_id")),
                       (long long)json_integer_value(json_object_get(ch, "line")),
                       json_string_value(json_object_get(ch, "item")),
                       json_string_value(json_object_get(ch, "destination")));
                const char *when[2] = {"before", "after"};
                for (int w = 0; w < 2; w++) {
                    json_t *ans = json_object_get(ch, when[w]);
                    printf("    %-7s %s", when[w], json_string_value(json_object_get(ans, "outcome")));
                    json_t *opt;
                    json_array_foreach(json_object_get(ans, "licence_options"), k, opt)
                        printf("%s%s", k ? ", " : ": ", json_string_value(opt));
                    printf(" (%s)\n", json_string_value(json_object_get(ans, "rule")));
                }
                json_array_foreach(json_object_get(ch, "because"), k, x)
                    printf("    %c %s: %s\n",
                           strcmp(json_string_value(json_object_get(x, "change")), "added") ? '-' : '+',
                           json_string_value(json_object_get(x, "rule")),
                           json_string_value(json_object_get(
                               json_object_get(run.reasons,
                                               json_string_value(json_object_get(x, "rule"))),
                               "text")));
            }
        }
    }
    free(csvbuf);
    json_decref(run.changes);
    json_decref(run.reasons);
    ectl_regime_unref(r);
    return rc;
}
