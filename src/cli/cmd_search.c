/* cmd_search.c - `cablekit search`: not built yet (see the open issues). */
#include "cli/cli.h"

CK_CMD(search)
{
	(void)argc;
	(void)argv;
	return ck_cli_error("search: not implemented yet");
}
