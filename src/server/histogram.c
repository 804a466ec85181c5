/*
 * histogram.c - the date histogram of a search: an inline SVG of the whole
 * result set's counts by month (or by year when they span more than eight
 * years, or when only years are known), each bar a link that narrows the
 * query to its date ("date:2007-07").  Pure: counts in, markup out; the
 * unit tests check the bins, the links and the labels.
 */
#include "server/server.h"

#include <stdio.h>
#include <stdlib.h>

/* The figure's drawing units: width, bar height, space above, labels. */
#define HIST_W 1000.0
#define HIST_H 84.0
#define HIST_TOP 4.0
#define HIST_LAB 18.0
#define HIST_MAX_MONTHS 96 /* eight years of months; more are drawn by year */

/* One bin. */
struct bin {
	int y, m; /* m = 0 for a year bin */
	long long n;
};

/* "2007" or "2007-07" -> y, m (0 for a year); -1 when not a date. */
static int parse_ym(const char *s, int *y, int *m)
{
	if (!s)
		return -1;
	char *end;
	long yy = strtol(s, &end, 10);
	if (end - s != 4 || yy < 1900 || yy > 2100)
		return -1;
	*y = (int)yy;
	*m = 0;
	if (*end == '-') {
		long mm = strtol(end + 1, &end, 10);
		if (mm < 1 || mm > 12)
			return -1;
		*m = (int)mm;
	}
	return *end ? -1 : 0;
}

/* The range of the data in months since year 0: [*lo, *hi]; 0 when empty. */
static int month_range(const ck_srv_count *src, size_t n, int *lo, int *hi)
{
	*lo = 1 << 30;
	*hi = -1;
	for (size_t i = 0; i < n; i++) {
		int y, m;
		if (parse_ym(src[i].key, &y, &m) < 0)
			continue;
		int k0 = y * 12 + (m ? m - 1 : 0), k1 = y * 12 + (m ? m - 1 : 11);
		if (k0 < *lo)
			*lo = k0;
		if (k1 > *hi)
			*hi = k1;
	}
	return *hi >= *lo;
}

/* One bar: a link to the refined search, the bar, and a full-height hit
 * zone (so that short bars are easy to click). */
static void bar(ck_buf *b, const struct bin *bn, double x, double w, double h,
		const char *q, const char *sort, int exact)
{
	char v[16], label[80];
	ck_buf nq = CK_BUF_INIT, url = CK_BUF_INIT;
	if (bn->m)
		snprintf(v, sizeof v, "%04d-%02d", bn->y, bn->m);
	else
		snprintf(v, sizeof v, "%04d", bn->y);
	ck_srv_q_refine(&nq, q, "date", v);
	ck_srv_search_url(&url, nq.ptr, sort, 0, 0);
	snprintf(label, sizeof label, "%s: %s%lld cable%s", v, exact ? "" : "about ",
		 bn->n, bn->n == 1 ? "" : "s");
	ck_buf_puts(b, "<a ");
	ck_html_href(b, url.ptr);
	ck_buf_printf(b, " aria-label=\"%s\"><rect class=\"bar\" x=\"%.2f\" "
		      "y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"><title>%s</title>"
		      "</rect><rect class=\"hz\" x=\"%.2f\" y=\"%.0f\" "
		      "width=\"%.2f\" height=\"%.0f\" /></a>\n",
		      label, x, HIST_TOP + HIST_H - h, w, h, label, x, HIST_TOP, w, HIST_H);
	ck_buf_free(&nq);
	ck_buf_free(&url);
}

/* Year labels under the axis, spaced so they do not overlap. */
static void labels(ck_buf *b, const struct bin *bins, int nb, int by_year, double bw)
{
	int years = by_year ? nb : bins[nb - 1].y - bins[0].y + 1;
	int step = 1;
	while (years / step > (int)(HIST_W / 48))
		step++;
	for (int i = 0; i < nb; i++) {
		int first = by_year || bins[i].m == 1 || i == 0;
		if (!first || (bins[i].y - bins[0].y) % step)
			continue;
		double x = i * bw + (by_year ? bw / 2 : 0);
		ck_buf_printf(b, "<text class=\"lab\" x=\"%.1f\" y=\"%.0f\"%s>%d</text>\n",
			      x, HIST_TOP + HIST_H + HIST_LAB - 4,
			      by_year ? " text-anchor=\"middle\"" : "", bins[i].y);
	}
}

void ck_srv_histogram(ck_buf *b, const ck_srv_count *months, size_t nmonths,
		      const ck_srv_count *years, size_t nyears, const char *q,
		      const char *sort, int exact)
{
	const ck_srv_count *src = nmonths ? months : years;
	size_t n = nmonths ? nmonths : nyears;
	int lo, hi;
	if (!n || !month_range(src, n, &lo, &hi))
		return;
	int by_year = !nmonths || hi - lo + 1 > HIST_MAX_MONTHS;
	if (!by_year) { /* whole years, January to December */
		lo -= lo % 12;
		hi += 11 - hi % 12;
	}
	int nb = by_year ? hi / 12 - lo / 12 + 1 : hi - lo + 1;
	struct bin *bins = calloc((size_t)nb, sizeof *bins);
	if (!bins)
		return;
	for (int i = 0; i < nb; i++) {
		bins[i].y = by_year ? lo / 12 + i : (lo + i) / 12;
		bins[i].m = by_year ? 0 : (lo + i) % 12 + 1;
	}
	long long max = 1, total = 0;
	for (size_t i = 0; i < n; i++) {
		int y, m;
		if (parse_ym(src[i].key, &y, &m) < 0 || src[i].n <= 0)
			continue;
		int k = by_year ? y - lo / 12 : y * 12 + m - 1 - lo;
		if (k < 0 || k >= nb)
			continue;
		bins[k].n += src[i].n;
		total += src[i].n;
		if (bins[k].n > max)
			max = bins[k].n;
	}
	double bw = HIST_W / nb;
	ck_buf_printf(b,
		      "<figure class=\"hist\"><svg xmlns=\"http://www.w3.org/2000/svg\" "
		      "viewBox=\"0 0 %.0f %.0f\" role=\"group\" aria-label=\"Cables by %s\">\n",
		      HIST_W, HIST_H + HIST_TOP + HIST_LAB, by_year ? "year" : "month");
	for (int i = 0; i < nb; i++) {
		if (!bins[i].n)
			continue;
		double h = (double)bins[i].n * HIST_H / (double)max;
		bar(b, &bins[i], i * bw, bw > 3 ? bw - 1 : bw, h < 2 ? 2 : h, q, sort, exact);
	}
	ck_buf_printf(b, "<line class=\"axis\" x1=\"0\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" />\n",
		      HIST_TOP + HIST_H + 0.5, HIST_W, HIST_TOP + HIST_H + 0.5);
	labels(b, bins, nb, by_year, bw);
	ck_buf_puts(b, "</svg><figcaption>");
	ck_html_approx(b, exact);
	ck_buf_printf(b, "%lld cable%s by %s; click a bar to narrow the dates</figcaption>"
		      "</figure>\n", total, total == 1 ? "" : "s", by_year ? "year" : "month");
	free(bins);
}
