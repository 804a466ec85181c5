/* cmd_diff.c - `cablekit diff`: not built yet (see the open issues). */
#include "cli/cli.h"

CK_CMD(diff)
{
	(void)argc;
	(void)argv;
	return ck_cli_error("diff: not implemented yet");
}
