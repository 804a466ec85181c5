/*
 * main.c - the cablekit program: a table of commands, each in its own
 * cmd_<name>.c, all thin clients of libcablekit; the helpers they share
 * are in util.c.  A command is called with its own table entry.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct ck_cli_cmd commands[] = {
	{"parse", "print one JSON object per cable (JSON Lines)",
	 "parse [--year YYYY] [--pretty] SOURCE...", ck_cmd_parse},
	{"check", "print the problems found, one per line",
	 "check [--year YYYY] SOURCE...", ck_cmd_check},
	{"ingest", "parse and store cables into the archive",
	 "ingest [--db PATH] [--quiet] SOURCE...", ck_cmd_ingest},
	{"search", "query the archive",
	 "search [--db PATH] QUERY [--limit N] [--offset N] [--sort date|-date|relevance] [--json] [--facets]",
	 ck_cmd_search},
	{"show", "one cable", "show [--db PATH] ID [--json|--text|--telegram]", ck_cmd_show},
	{"refs", "what a cable cites and what cites it", "refs [--db PATH] ID", ck_cmd_refs},
	{"diff", "differences between stored versions of a cable", "diff [--db PATH] ID", ck_cmd_diff},
	{"stats", "counts by year, origin, marking, tag", "stats [--db PATH] [--json]", ck_cmd_stats},
	{"export", "write the archive (or a query's hits) to stdout",
	 "export [--db PATH] --format jsonl|csv|graphml|bulk [--people] [--mapping] [QUERY]", ck_cmd_export},
	{"format", "write a cable back as telegram text", "format FILE.json|- [--out DIR]", ck_cmd_format},
	{"serve", "web pages and JSON API over the archive",
	 "serve [--db PATH] [--bind 127.0.0.1] [--port 8080] [--threads N] [--cache-mb N] [--page-cache-mb N] [--quiet]", ck_cmd_serve},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage_all(FILE *f)
{
	fprintf(f, "usage: cablekit <command> [options]\n\ncommands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'cablekit <command> --help' tells more. Version %s.\n", CK_VERSION);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage_all(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage_all(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("cablekit %s\n", CK_VERSION);
		return 0;
	}
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i].name, argv[1])) {
			if (ck_cli_wants_help(argc - 1, argv + 1))
				return ck_cli_usage(&commands[i], 1);
			int rc = commands[i].run(&commands[i], argc - 1, argv + 1);
			if (fflush(stdout) != 0 && rc == 0)
				rc = ck_cli_error("write error on standard output");
			return rc;
		}
	ck_cli_error("unknown command \"%s\"", argv[1]);
	usage_all(stderr);
	return 2;
}
