// ui.js - browser walk through the cablekit web UI with Debian chromium
// driven by playwright-core.  Usage: node ui.js BASE_URL SCREENSHOT_DIR
// Prints one line per check: "ok NAME" or "FAIL NAME: why"; exits 1 on
// any failure.  The archive behind BASE_URL is the one built from examples/.
"use strict";
const { chromium } = require("playwright-core");

const base = process.argv[2];
const shots = process.argv[3];
let failures = 0;
const ok = (n) => console.log("ok " + n);
const fail = (n, why) => { failures++; console.log("FAIL " + n + ": " + why); };
async function check(name, fn) {
	try {
		const r = await fn();
		if (r === false) fail(name, "condition false");
		else ok(name);
	} catch (e) {
		fail(name, String(e && e.message ? e.message : e).split("\n")[0]);
	}
}

(async () => {
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
		headless: true,
		args: ["--no-sandbox", "--disable-background-networking", "--disable-gpu",
			"--disable-component-update", "--disable-sync", "--no-first-run"],
	});
	const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
	const page = await context.newPage();
	const errors = [];
	const dialogs = [];
	page.on("pageerror", (e) => errors.push(String(e)));
	page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
	page.on("dialog", async (d) => { dialogs.push(d.message()); await d.dismiss(); });
	page.setDefaultTimeout(10000);

	try {
		await check("landing page explains the query syntax", async () => {
			await page.goto(base + "/");
			const t = await page.textContent("details.syntax");
			return /from:/.test(t) && /date:2007-07/.test(t) && /citedby:/.test(t);
		});

		await check("landing page shows how to ingest your own cables", async () => {
			const own = page.locator("details.own");
			if (!(await own.getAttribute("open") !== null)) throw new Error("section folded on the demo archive");
			const t = await own.textContent();
			return /cablekit ingest --db/.test(t) && /cablekit serve --db/.test(t) && /PlusD/.test(t) && /cables\.csv/.test(t);
		});

		await check("type a query and submit the form", async () => {
			await page.fill("#q", "envoy");
			await Promise.all([page.waitForNavigation(), page.press("#q", "Enter")]);
			const n = await page.locator("li.hit").count();
			if (n < 2) throw new Error("expected at least 2 hits, got " + n);
			return new URL(page.url()).searchParams.get("q") === "envoy";
		});

		await check("snippets highlight the match", async () => {
			return (await page.locator(".snippet mark").count()) > 0;
		});

		await check("histogram bars are links narrowing the date", async () => {
			const hrefs = await page.$$eval("figure.hist a", (as) => as.map((a) => a.getAttribute("href")));
			if (!hrefs.length) throw new Error("no bars");
			return hrefs.every((h) => /date%3A\d{4}/.test(h));
		});

		await check("the total and facet counts carry ≈ exactly when the API says they are estimates", async () => {
			// the same search through the JSON API: absent fields mean exact
			const j = await page.evaluate(async () => (await fetch("/api/search?q=envoy")).json());
			const total = await page.locator(".summary strong.total").innerText();
			const counts = await page.$$eval("aside.facets .n", (es) => es.map((e) => e.textContent));
			if (!counts.length) throw new Error("no facet counts");
			const totalApprox = total.startsWith("\u2248"), facetsApprox = counts.every((c) => c.startsWith("\u2248"));
			const noneApprox = counts.every((c) => !c.startsWith("\u2248"));
			if (totalApprox !== (j.total_exact === false)) throw new Error("total '" + total + "', total_exact " + j.total_exact);
			if (j.facets_sampled === true ? !facetsApprox : !noneApprox) throw new Error("counts " + counts + ", facets_sampled " + j.facets_sampled);
			return total.replace("\u2248", "") === String(j.total);
		});

		await page.screenshot({ path: shots + "/search.png", fullPage: true });

		let before = 0;
		await check("click a facet refines the query", async () => {
			before = await page.locator("li.hit").count();
			const link = page.locator("aside.facets a", { hasText: "Embassy Rome" }).first();
			await Promise.all([page.waitForNavigation(), link.click()]);
			const q = new URL(page.url()).searchParams.get("q");
			if (!/from:"Embassy Rome"/.test(q)) throw new Error("q is " + q);
			const after = await page.locator("li.hit").count();
			const origins = await page.$$eval("li.hit .origin", (es) => es.map((e) => e.textContent));
			if (!origins.every((o) => o === "Embassy Rome")) throw new Error("origins " + origins);
			return after >= 1 && after <= before;
		});

		await check("sort newest first orders by date", async () => {
			const link = page.locator(".sort a", { hasText: "newest first" });
			await Promise.all([page.waitForNavigation(), link.click()]);
			const dates = await page.$$eval("li.hit time", (es) => es.map((e) => e.getAttribute("datetime")));
			const sorted = [...dates].sort().reverse();
			return dates.length > 0 && JSON.stringify(dates) === JSON.stringify(sorted);
		});

		await check("open a cable from the results", async () => {
			await page.goto(base + "/?q=" + encodeURIComponent("subject:guidance"));
			const link = page.locator("li.hit a.id").first();
			const id = (await link.textContent()).trim();
			await Promise.all([page.waitForNavigation(), link.click()]);
			if (!page.url().endsWith("/cable/" + id)) throw new Error("at " + page.url());
			return (await page.textContent("h1 .cid")).trim() === id;
		});

		await check("cable page: header table decodes TAGS and routing indicators", async () => {
			const t = await page.textContent("section.head");
			return /PREL/.test(t) && /RUEHRO/.test(t) && /Addressees/.test(t);
		});

		await check("cable page: paragraphs anchored and marked", async () => {
			const ids = await page.$$eval("div.para", (es) => es.map((e) => e.id));
			const badges = await page.locator("div.para .pm").count();
			return ids.includes("p1") && ids.includes("p2") && badges >= 2;
		});

		await page.screenshot({ path: shots + "/cable.png", fullPage: true });

		await check("follow a reference and come back", async () => {
			const from = page.url();
			const link = page.locator("section.refs ul.reflist a").first();
			const target = await link.getAttribute("href");
			await Promise.all([page.waitForNavigation(), link.click()]);
			if (!page.url().endsWith(target)) throw new Error("at " + page.url());
			const cid = (await page.textContent("h1 .cid")).trim();
			if (!target.endsWith(cid)) throw new Error("page shows " + cid);
			await Promise.all([page.waitForNavigation(), page.goBack()]);
			return page.url() === from;
		});

		await check("cited-by list links back", async () => {
			await page.goto(base + "/cable/07ROME1497");
			const hrefs = await page.$$eval("section.refs a", (as) => as.map((a) => a.getAttribute("href")));
			return hrefs.some((h) => h === "/cable/07ROME1612") && hrefs.some((h) => h === "/cable/07STATE98765");
		});

		await check("paragraph anchor #p3 targets a paragraph", async () => {
			await page.goto(base + "/cable/07ROME1497#p3");
			return await page.$eval("#p3", (e) => e.matches(":target"));
		});

		await check("versions show a diff", async () => {
			await page.goto(base + "/cable/07ROME1612");
			const n = await page.locator("ol.vlist li").count();
			if (n < 2) throw new Error(n + " versions listed");
			return (await page.locator("pre.diff .add").count()) > 0 && (await page.locator("pre.diff .del").count()) > 0;
		});
		await page.screenshot({ path: shots + "/versions.png", fullPage: true });

		await check("markup in a cable stays text (no dialog, visible as text)", async () => {
			await page.goto(base + "/cable/08PARIS4242?raw=1");
			await page.waitForTimeout(300);
			const t = await page.textContent("section.text");
			const scripts = await page.$$eval("script", (s) => s.map((x) => x.getAttribute("src")));
			if (dialogs.length) throw new Error("a dialog opened: " + dialogs.join(", "));
			if (!scripts.every((s) => s === "/static/app.js")) throw new Error("scripts " + scripts);
			return t.includes("<script>alert(1)</script>") && (await page.textContent("h1")).includes("<SCRIPT>");
		});
		await page.screenshot({ path: shots + "/markup.png", fullPage: true });

		await check("browse origins links to searches", async () => {
			await page.goto(base + "/browse/origin");
			const link = page.locator("table.browse a", { hasText: "Embassy Rome" });
			await Promise.all([page.waitForNavigation(), link.click()]);
			return (await page.locator("li.hit").count()) >= 2;
		});
		await page.goto(base + "/browse/tag");
		await page.screenshot({ path: shots + "/browse.png", fullPage: true });

		await check("works without JavaScript", async () => {
			const ctx = await browser.newContext({ javaScriptEnabled: false });
			const p = await ctx.newPage();
			await p.goto(base + "/");
			await p.fill("#q", "tag:PREL");
			await Promise.all([p.waitForNavigation(), p.press("#q", "Enter")]);
			const n = await p.locator("li.hit").count();
			await ctx.close();
			return n >= 3;
		});

		await check("bad query shows the parser's message", async () => {
			const resp = await page.goto(base + "/?q=" + encodeURIComponent("from:"));
			const t = await page.textContent("p.error");
			return resp.status() === 400 && /query:1:/.test(t);
		});

		await check("phone width: no page scrolls sideways", async () => {
			const ctx = await browser.newContext({ viewport: { width: 390, height: 800 } });
			const p = await ctx.newPage();
			const wide = [];
			for (const path of ["/", "/?q=envoy", "/cable/07ROME1612", "/cable/08PARIS4242?raw=1", "/browse/tag"]) {
				await p.goto(base + path);
				const w = await p.evaluate(() => document.documentElement.scrollWidth);
				if (w > 390) wide.push(path + " is " + w + "px");
			}
			await p.screenshot({ path: shots + "/phone-cable.png", fullPage: false });
			await ctx.close();
			if (wide.length) throw new Error(wide.join(", "));
			return true;
		});

		await check("no script errors and no CSP violations", async () => {
			const bad = errors.filter((e) => !/status of 400|status of 404/.test(e));
			if (bad.length) throw new Error(bad.join(" | "));
			return true;
		});
	} finally {
		await browser.close();
	}
	process.exit(failures ? 1 : 0);
})().catch((e) => { console.log("FAIL browser: " + e.message.split("\n")[0]); process.exit(1); });
