/* cmd_format.c - `cablekit format`: not built yet (see the open issues). */
#include "cli/cli.h"

CK_CMD(format)
{
	(void)argc;
	(void)argv;
	return ck_cli_error("format: not implemented yet");
}
