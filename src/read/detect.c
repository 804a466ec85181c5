/*
 * detect.c - tell what a file holds from its first bytes, never from its
 * name: archive magic numbers (zip, 7z, gzip, bzip2, xz, zstd, tar), a
 * viewer page, a PlusD record page, a cables.csv row, a JSON Lines record,
 * PlusD page text or
 * plain telegram text; binary data and images are "unknown".
 */
#include "read/read.h"

#include <string.h>
#include <strings.h>

static int has_prefix(const char *b, size_t n, const char *magic, size_t m)
{
	return n >= m && !memcmp(b, magic, m);
}

static int is_archive(const char *b, size_t n)
{
	if (has_prefix(b, n, "PK\3\4", 4) || has_prefix(b, n, "PK\5\6", 4) ||
	    has_prefix(b, n, "7z\xBC\xAF\x27\x1C", 6) ||
	    has_prefix(b, n, "\x1F\x8B", 2) ||            /* gzip */
	    (n >= 4 && !memcmp(b, "BZh", 3) && b[3] >= '1' && b[3] <= '9') ||
	    has_prefix(b, n, "\xFD" "7zXZ\0", 6) ||       /* xz */
	    has_prefix(b, n, "\x28\xB5\x2F\xFD", 4))      /* zstd */
		return 1;
	if (n >= 262 && !memcmp(b + 257, "ustar", 5))     /* tar */
		return 1;
	return 0;
}

static int is_binary(const char *b, size_t n)
{
	static const struct {
		const char *m;
		size_t n;
	} magic[] = {
		{"\x89PNG", 4}, {"\xFF\xD8\xFF", 3}, {"GIF8", 4}, {"%PDF", 4},
		{"\x7F" "ELF", 4}, {"II*\0", 4}, {"MM\0*", 4}, {"\0\0\1\0", 4},
	};
	for (size_t i = 0; i < sizeof magic / sizeof magic[0]; i++)
		if (has_prefix(b, n, magic[i].m, magic[i].n))
			return 1;
	if (memchr(b, 0, n))
		return 1;
	/* control bytes: the first 8 KB tell */
	if (n > 8192)
		n = 8192;
	size_t ctl = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)b[i];
		if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' &&
		    c != '\v' && c != 0x1A /* DOS EOF */)
			ctl++;
	}
	return ctl * 50 > n; /* over 2% control bytes */
}

static int is_csv_row(const char *b, size_t n)
{
	size_t i = 0;
	if (i >= n || b[i] != '"')
		return 0;
	i++;
	size_t d = i;
	while (i < n && b[i] >= '0' && b[i] <= '9')
		i++;
	if (i == d || i - d > 12)
		return 0;
	return n - i >= 3 && !memcmp(b + i, "\",\"", 3);
}

static int ci_find(const char *b, size_t n, const char *needle)
{
	size_t m = strlen(needle);
	for (size_t i = 0; i + m <= n; i++)
		if (!strncasecmp(b + i, needle, m))
			return 1;
	return 0;
}

static int is_plusd(const char *b, size_t n)
{
	/* markdown links "[PREL](#)", headings "#### Summary" */
	if (memmem(b, n, "](#)", 4))
		return 1;
	for (size_t i = 0; i + 5 < n; i++)
		if ((i == 0 || b[i - 1] == '\n') && !memcmp(b + i, "####", 4))
			return 1;
	return 0;
}

int ck_read_detect(const char *buf, size_t len)
{
	const char *b = buf;
	size_t n = len;
	if (is_archive(b, n))
		return CK_FMT_ARCHIVE;
	if (is_binary(b, n))
		return CK_FMT_UNKNOWN;
	if (has_prefix(b, n, "\xEF\xBB\xBF", 3)) { /* UTF-8 byte order mark */
		b += 3;
		n -= 3;
	}
	size_t i = 0;
	while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' ||
			 b[i] == '\n' || b[i] == '\f'))
		i++;
	if (i == n)
		return CK_FMT_EMPTY;
	b += i;
	n -= i;
	if (b[0] == '<') {
		size_t m = n < 4096 ? n : 4096;
		if (ci_find(b, m, "<html") || ci_find(b, m, "<!doctype") ||
		    ci_find(b, m, "<?xml") || ci_find(b, m, "<pre") ||
		    ci_find(b, m, "<head") || ci_find(b, m, "<body"))
			return ck_read_is_plusd_page(b, n) ? CK_FMT_PLUSD_PAGE : CK_FMT_HTML;
	}
	if (b[0] == '{') { /* {"id":... on one line, or the --pretty form */
		size_t j = 1;
		while (j < n && j < 64 && (b[j] == ' ' || b[j] == '\n' || b[j] == '\r' || b[j] == '\t'))
			j++;
		if (j < n && b[j] == '"')
			return CK_FMT_JSONL;
	}
	if (is_csv_row(b, n))
		return CK_FMT_CSV;
	return is_plusd(b, n) ? CK_FMT_PLUSD : CK_FMT_TEXT;
}

int ck_read_is_plusd_page(const char *b, size_t n)
{
	/* the synopsis table, or PlusD's panes; a viewer page has neither */
	static const char syn[] = "<table id=\"synopsis\"", raw[] = "class=\"pane-header\">Raw content<",
			  meta[] = "class=\"pane-header\">Metadata<";
	return memmem(b, n, syn, sizeof syn - 1) != NULL ||
	       (memmem(b, n, "/plusd/", 7) &&
		(memmem(b, n, raw, sizeof raw - 1) || memmem(b, n, meta, sizeof meta - 1)));
}

const char *ck_read_fmt_name(int fmt)
{
	switch (fmt) {
	case CK_FMT_HTML: return "html";
	case CK_FMT_CSV: return "csv";
	case CK_FMT_JSONL: return "jsonl";
	case CK_FMT_PLUSD: return "plusd";
	case CK_FMT_PLUSD_PAGE: return "plusd-record";
	case CK_FMT_TEXT: return "text";
	case CK_FMT_ARCHIVE: return "archive";
	case CK_FMT_EMPTY: return "empty";
	default: return "unknown";
	}
}
