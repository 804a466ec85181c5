/* cmd_stats.c - `cablekit stats`: not built yet (see the open issues). */
#include "cli/cli.h"

CK_CMD(stats)
{
	(void)argc;
	(void)argv;
	return ck_cli_error("stats: not implemented yet");
}
