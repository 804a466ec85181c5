/* cmd_export.c - `cablekit export`: not built yet (see the open issues). */
#include "cli/cli.h"

CK_CMD(export)
{
	(void)argc;
	(void)argv;
	return ck_cli_error("export: not implemented yet");
}
