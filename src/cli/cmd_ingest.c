/* cmd_ingest.c - `cablekit ingest`: not built yet (see the open issues). */
#include "cli/cli.h"

CK_CMD(ingest)
{
	(void)argc;
	(void)argv;
	return ck_cli_error("ingest: not implemented yet");
}
