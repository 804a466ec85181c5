/* cablekit: small conveniences only; every page works without this file.
 * "/" focuses the search box; sort and page links keep working as plain links. */
(function () {
	"use strict";
	document.addEventListener("keydown", function (e) {
		var t = e.target;
		if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
		if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable)) return;
		var q = document.getElementById("q");
		if (q) { e.preventDefault(); q.focus(); q.select(); }
	});
})();
