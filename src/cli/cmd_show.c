/* cmd_show.c - `cablekit show`: not built yet (see the open issues). */
#include "cli/cli.h"

CK_CMD(show)
{
	(void)argc;
	(void)argv;
	return ck_cli_error("show: not implemented yet");
}
