/*
 * exportctl lists build -o FILE [--format F] SOURCE...
 * exportctl lists info --index FILE [--json]
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static const char usage_text[] =
    "usage: exportctl lists build -o FILE [--format F] SOURCE...\n"
    "       exportctl lists info --index FILE [--json]\n\n"
    "build reads every SOURCE (a sanctions or export-control list in its official format,\n"
    "or a company list CSV with the header id,type,name,aliases,countries) and compiles\n"
    "them into one index FILE for 'exportctl screen'.  The format of each source is\n"
    "detected from its content unless --format names it: ofac-csv, ofac-cons-csv,\n"
    "csl-csv, un-xml, dpl-txt, simple-csv.  An OFAC legacy set is named by its sdn.csv\n"
    "(or cons_prim.csv); the alt, add and comments files beside it are read with it.\n"
    "A report per source follows: its list, format, date and counts, and the first\n"
    "malformed records, which are skipped.  FILE is replaced only when the build\n"
    "succeeds.\n\n"
    "info describes an index: when it was built, and per list its format, date and\n"
    "entities by type.\n";

/* ---- build -------------------------------------------------------------- */

struct progress {
    bool tty;
    bool shown;
};

static void on_progress(void *ctx, const char *stage, uint64_t done, uint64_t total)
{
    struct progress *p = ctx;
    if (!p->tty)
        return;
    if (!strcmp(stage, "reading"))
        fprintf(stderr, "\r\033[Klists build: %llu entities read", (unsigned long long)done);
    else if (!strcmp(stage, "writing"))
        fprintf(stderr, "\r\033[Klists build: compiling the index");
    else
        fprintf(stderr, "\r\033[Klists build: source %llu of %llu: %s",
                (unsigned long long)done + 1, (unsigned long long)total, stage);
    p->shown = true;
}

static void print_report(const struct ectl_build_report *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct ectl_source_report *s = &r->sources[i];
        printf("%s\n  list %s, format %s, date %s\n", s->path, *s->list ? s->list : "-",
               *s->format ? s->format : "-", *s->list_date ? s->list_date : "unknown");
        printf("  %llu records, %llu entities, %llu names, %llu malformed\n",
               (unsigned long long)s->records, (unsigned long long)s->entities,
               (unsigned long long)s->names, (unsigned long long)s->malformed);
        for (size_t k = 0; k < s->n_problems; k++)
            printf("    %s\n", s->problems[k]);
        if (s->malformed > s->n_problems && s->n_problems)
            printf("    (%llu more)\n", (unsigned long long)(s->malformed - s->n_problems));
    }
}

static int lists_build(int argc, char **argv)
{
    static const struct option opts[] = {{"output", required_argument, NULL, 'o'},
                                         {"format", required_argument, NULL, 'f'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *out = NULL, *format = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'f': format = optarg; break;
        case 'h': fputs(usage_text, stdout); return 0;
        default:
            return cli_usage_error("lists build", "unknown or incomplete option '%s'",
                                   argv[optind - 1]);
        }
    }
    if (!out)
        return cli_usage_error("lists build", "-o FILE is required");
    if (optind >= argc)
        return cli_usage_error("lists build", "give at least one list file");
    size_t n = (size_t)(argc - optind);
    if (n > ECTL_BUILD_MAX_SOURCES)
        return cli_usage_error("lists build", "at most %d list files", ECTL_BUILD_MAX_SOURCES);
    /* The index is written beside FILE and renamed over it: that must not
     * replace a device or a directory. */
    struct stat st;
    if (stat(out, &st) == 0 && !S_ISREG(st.st_mode))
        return cli_fail(EXIT_CANTCREAT, "%s: not a regular file; give a file name for the index",
                        out);
    struct ectl_build_report *rep = calloc(1, sizeof *rep);
    if (!rep)
        return cli_fail(EXIT_SOFTWARE, "out of memory");
    struct progress pr = {isatty(STDERR_FILENO) != 0, false};
    struct ectl_error err = {0};
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = ectl_lists_build((const char *const *)argv + optind, n, format, out, rep,
                              on_progress, &pr, &err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (pr.shown)
        fputs("\r\033[K", stderr);
    int status = 0;
    if (rc) {
        /* The sources read before the one that failed are still worth
         * seeing; the error says what is wrong with that one. */
        print_report(rep, rep->n_sources ? rep->n_sources - 1 : 0);
        fflush(stdout);
        if (!err.msg[0])
            ectl_error_set(&err, rc, "%s", ectl_strerror(rc));
        err.code = rc;
        status = cli_fail_err(&err);
    } else {
        print_report(rep, rep->n_sources);
        printf("index %s: %llu entities, %llu distinct names, %llu bytes\n", out,
               (unsigned long long)rep->entities, (unsigned long long)rep->names,
               (unsigned long long)rep->bytes);
        if (pr.tty)
            fprintf(stderr, "built in %.2f s\n",
                    (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
        if (fflush(stdout) != 0)
            status = cli_fail(EXIT_IOERR, "cannot write to standard output");
    }
    free(rep);
    return status;
}

/* ---- info --------------------------------------------------------------- */

static int lists_info(int argc, char **argv)
{
    static const struct option opts[] = {{"index", required_argument, NULL, 'i'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *path = NULL;
    bool json = false;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'i': path = optarg; break;
        case 'j': json = true; break;
        case 'h': fputs(usage_text, stdout); return 0;
        default:
            return cli_usage_error("lists info", "unknown or incomplete option '%s'",
                                   argv[optind - 1]);
        }
    }
    if (!path)
        return cli_usage_error("lists info", "--index FILE is required");
    if (optind < argc)
        return cli_usage_error("lists info", "unexpected argument '%s'", argv[optind]);
    struct ectl_index *ix;
    struct ectl_error err = {0};
    if (ectl_index_open(path, &ix, &err))
        return cli_fail_err(&err);
    size_t n = ectl_index_list_count(ix);
    uint64_t ent = 0, names = 0, by_type[ECTL_TYPE_COUNT] = {0};
    struct ectl_list_info li;
    int status = 0;
    if (json) {
        json_t *lists = json_array();
        for (size_t i = 0; i < n; i++) {
            ectl_index_list_info(ix, i, &li);
            json_t *types = json_object();
            for (int t = ECTL_TYPE_PERSON; t < ECTL_TYPE_COUNT; t++)
                json_object_set_new(types, ectl_entity_type_name((enum ectl_entity_type)t),
                                    json_integer((json_int_t)li.by_type[t]));
            if (li.by_type[ECTL_TYPE_UNKNOWN])
                json_object_set_new(types, "unknown",
                                    json_integer((json_int_t)li.by_type[ECTL_TYPE_UNKNOWN]));
            json_array_append_new(
                lists, json_pack("{s:s, s:s, s:o, s:I, s:I, s:o}", "list", li.list, "format",
                                 li.format, "date", *li.list_date ? json_string(li.list_date)
                                                                  : json_null(),
                                 "entities", (json_int_t)li.entities, "names",
                                 (json_int_t)li.names, "by_type", types));
            ent += li.entities;
            names += li.names;
        }
        status = cli_print_json(json_pack("{s:s, s:s, s:I, s:I, s:o}", "index", path,
                                          "built_at", ectl_index_built_at(ix), "entities",
                                          (json_int_t)ent, "names", (json_int_t)names, "lists",
                                          lists));
    } else {
        printf("index %s, built %s\n\n", path, ectl_index_built_at(ix));
        printf("%-24s %-14s %-10s %9s %9s %8s %8s %7s %8s\n", "list", "format", "date",
               "entities", "names", "person", "entity", "vessel", "aircraft");
        for (size_t i = 0; i < n; i++) {
            ectl_index_list_info(ix, i, &li);
            printf("%-24s %-14s %-10s %9llu %9llu %8llu %8llu %7llu %8llu\n", li.list,
                   li.format, *li.list_date ? li.list_date : "-",
                   (unsigned long long)li.entities, (unsigned long long)li.names,
                   (unsigned long long)li.by_type[1], (unsigned long long)li.by_type[2],
                   (unsigned long long)li.by_type[3], (unsigned long long)li.by_type[4]);
            ent += li.entities;
            names += li.names;
            for (int t = 0; t < ECTL_TYPE_COUNT; t++)
                by_type[t] += li.by_type[t];
        }
        printf("%-24s %-14s %-10s %9llu %9llu %8llu %8llu %7llu %8llu\n", "total", "", "",
               (unsigned long long)ent, (unsigned long long)names,
               (unsigned long long)by_type[1], (unsigned long long)by_type[2],
               (unsigned long long)by_type[3], (unsigned long long)by_type[4]);
        if (by_type[0])
            printf("(%llu entities of no stated type)\n", (unsigned long long)by_type[0]);
        if (fflush(stdout) != 0)
            status = cli_fail(EXIT_IOERR, "cannot write to standard output");
    }
    ectl_index_close(ix);
    return status;
}

int cmd_lists(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage_error("lists", "give a subcommand: build or info");
    const char *sub = argv[1];
    if (!strcmp(sub, "--help") || !strcmp(sub, "-h") || !strcmp(sub, "help")) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (!strcmp(sub, "build"))
        return lists_build(argc - 1, argv + 1);
    if (!strcmp(sub, "info"))
        return lists_info(argc - 1, argv + 1);
    return cli_usage_error("lists", "'%s' is not a subcommand (build, info)", sub);
}
