/*
 * exportctl: one binary, one table of commands.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct cli_cmd commands[] = {
    {"determine", cmd_determine, "does this item need a licence to this destination on this date"},
    {"groups", cmd_groups, "country-group memberships on a date"},
    {"diff", cmd_diff, "every rule change between two dates"},
    {"impact", cmd_impact, "orders of a CSV order book whose answer changes between two dates"},
    {"agreements", cmd_agreements, "status of self-renewing agreements (GSOMIA) on a date"},
    {"lists", cmd_lists, "compile sanctions lists into a screening index; describe one"},
    {"screen", cmd_screen, "screen names against the lists of an index"},
    {"users", cmd_users, "add, list, disable and enable the service's accounts"},
    {"audit", cmd_audit, "verify the hash-chained audit log; list its entries"},
    {"check", cmd_check, "check a shipment: every item determined, every party screened"},
    {"serve", cmd_serve, "the HTTP/JSON service"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: exportctl [--version] [--help] <command> [<args>]\n\n"
                 "Export-control licence determination as of any date.\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n'exportctl <command> --help' describes a command.\n"
                 "Exit status: 0 ok, 64 usage, 65 bad input or no confirmed rule, 66 missing "
                 "input,\n70 internal error, 74 I/O error, 78 invalid regime data.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    if (!strcmp(name, "--help") || !strcmp(name, "-h") || !strcmp(name, "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(name, "--version")) {
        printf("exportctl %s\n", ectl_version());
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (!strcmp(name, commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "exportctl: '%s' is not a command (see 'exportctl --help')\n", name);
    return EXIT_USAGE;
}
