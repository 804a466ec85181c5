/* cmd_serve.c - `cablekit serve`: not built yet (see the open issues). */
#include "cli/cli.h"

CK_CMD(serve)
{
	(void)argc;
	(void)argv;
	return ck_cli_error("serve: not implemented yet");
}
