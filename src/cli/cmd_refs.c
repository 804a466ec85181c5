/* cmd_refs.c - `cablekit refs`: not built yet (see the open issues). */
#include "cli/cli.h"

CK_CMD(refs)
{
	(void)argc;
	(void)argv;
	return ck_cli_error("refs: not implemented yet");
}
