#!/bin/sh
# Install what cablekit needs on Debian, when missing. Idempotent; quiet
# when everything is there.  Browser-test packages (chromium, playwright-core
# from npm) are installed too unless CK_NO_BROWSER=1.
set -e
pkgs="build-essential pkg-config clang libsqlite3-dev sqlite3 libarchive-dev libmicrohttpd-dev
libjansson-dev libzstd-dev nettle-dev libxml2-dev libxml2-utils libcriterion-dev p7zip-full wrk curl jq time python3 git"
[ "${CK_NO_BROWSER:-0}" = 1 ] || pkgs="$pkgs chromium nodejs npm"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
# nodejs/npm and python3 may come from elsewhere on this machine (not dpkg): keep them
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
	missing=$(echo "$missing" | tr ' ' '\n' | grep -v -x -e nodejs -e npm | tr '\n' ' ')
fi
if command -v python3 >/dev/null 2>&1; then
	missing=$(echo "$missing" | tr ' ' '\n' | grep -v -x -e python3 | tr '\n' ' ')
fi
missing=$(echo $missing)
if [ -n "$missing" ]; then
	echo "deps: installing $missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq >/dev/null
	$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq $missing >/dev/null
fi
if [ "${CK_NO_BROWSER:-0}" != 1 ]; then
	here=$(cd "$(dirname "$0")/.." && pwd)
	# missing, or a version package.json does not allow (npm ls says so)
	if [ ! -d "$here/tests/browser/node_modules/playwright-core" ] ||
	   ! (cd "$here/tests/browser" && npm ls playwright-core >/dev/null 2>&1); then
		echo "deps: installing playwright-core (npm)" >&2
		(cd "$here/tests/browser" && npm install --no-audit --no-fund --silent >/dev/null 2>&1) ||
			echo "deps: npm install playwright-core failed; browser tests will skip" >&2
	fi
fi
exit 0
