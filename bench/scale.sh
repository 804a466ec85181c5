#!/bin/sh
# bench/scale.sh N - search at scale: bench/synth makes N cables whose text
# is recombined from the real corpus (../shared/corpus/html; without it the
# built-in word list, said so), `cablekit ingest` stores them, `cablekit
# serve --cache-mb 0` (answer cache off) answers bench/scale-queries.txt
# (every kind of query the language has) once each over HTTP, with facets
# and the date histogram.  In the same run, as references: the same mix in
# process (bench/querybench.c) and on bare FTS5 on the same file (top 20 by
# bm25 and the count, nothing else).  Prints p50/p90/p99/max, errors,
# answers with estimated totals or sampled facets, overlap@20 of the
# relevance order with exact bm25 over every hit, the ingest's time,
# archive size, peak RSS and bytes written (/proc/PID/io write_bytes), and
# the load average beside the figures (the machine is shared: figures are
# noisy).  Prints figures, never pass/fail.
#
#   sh bench/scale.sh 250000            (data in $SCALE_DATA, default /work/scale-data)
#   KEEP=1 ... keeps the archive for another run; REUSE=1 ... queries the
#   kept archive again without ingesting; SCALE_SERVE_ARGS="--page-cache-mb 0"
#   ... passes more options to the server (to compare)
set -eu
N=${1:?usage: bench/scale.sh N}
TOP=$(cd "$(dirname "$0")/.." && pwd)
CK=$TOP/build/cablekit
DATA=${SCALE_DATA:-/work/scale-data}
CORPUS=${CORPUS:-$(cd "$TOP/.." && pwd)/shared/corpus/html}
mkdir -p "$DATA"
make -s -C "$TOP" build/cablekit build/libcablekit.a bench/synth >/dev/null
CC=${CC:-cc}
QB=$DATA/querybench
$CC -std=c11 -D_GNU_SOURCE -O2 -I"$TOP/include" -I"$TOP/src" -o "$QB" "$TOP/bench/querybench.c" \
	"$TOP/build/libcablekit.a" $(pkg-config --libs sqlite3 libarchive libmicrohttpd jansson libzstd nettle) -lpthread -lm
SRC=$DATA/synth-$N.tar.gz
DB=$DATA/scale-$N.db
echo "== bench/scale.sh $N  ($(date -u +%FT%TZ), load:$(uptime | sed 's/.*load average://'))"
if [ ! -s "$SRC" ]; then
	t0=$(date +%s)
	# the temporary name keeps the .tar.gz ending: synth picks the archive
	# format by it (a .tmp ending made a folder of 250k files)
	"$TOP/bench/synth" --count "$N" --seed 1 --corpus "$CORPUS" --out "$DATA/tmp-$N.tar.gz" && mv "$DATA/tmp-$N.tar.gz" "$SRC"
	echo "synth: $N cables in $(( $(date +%s) - t0 )) s, $(du -sh "$SRC" | cut -f1)"
else
	echo "synth: reusing $SRC"
fi
if [ -n "${REUSE:-}" ] && [ -s "$DB" ]; then
	echo "ingest: reusing $DB"
else
rm -f "$DB" "$DB-wal" "$DB-shm"
# ingest, measured by its parent: wall time, peak RSS (ru_maxrss) and
# bytes written (write_bytes of /proc/PID/io, read just before it exits)
python3 - "$CK" "$DB" "$SRC" <<'PY'
import os, subprocess, sys, time
ck, db, src = sys.argv[1:4]
t0 = time.time()
p = subprocess.Popen([ck, "ingest", "--db", db, "--quiet", src], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
wb = 0
while p.poll() is None:
    try:
        for l in open(f"/proc/{p.pid}/io"):
            if l.startswith("write_bytes:"):
                wb = int(l.split()[1])
    except OSError:
        pass
    time.sleep(0.2)
out = p.stdout.read().decode(errors="replace").strip().splitlines()
dt = time.time() - t0
import resource
r = resource.getrusage(resource.RUSAGE_CHILDREN)
# ru_oublock counts 512-byte blocks written, including the last moments
wb = max(wb, r.ru_oublock * 512)
size = sum(os.path.getsize(db + s) for s in ("", "-wal") if os.path.exists(db + s))
print(f"ingest: {dt:.0f} s, exit {p.returncode}; {out[-1] if out else ''}")
print(f"ingest: archive {size/1e9:.2f} GB, peak RSS {r.ru_maxrss/1024:.0f} MB, written {wb/1e9:.2f} GB "
      f"({wb/max(size,1):.1f}x the archive), cpu {r.ru_utime+r.ru_stime:.0f} s")
PY
fi
# the query mix with its placeholders filled from this archive
Q=$DATA/queries-$N.txt
CITED=$(sqlite3 "$DB" "SELECT dst FROM edge WHERE src > (SELECT max(rowid) FROM cable)/2 LIMIT 1")
CITING=$(sqlite3 "$DB" "SELECT c.id FROM cable c JOIN edge e ON e.src=c.rowid GROUP BY c.rowid HAVING count(*) > 2 LIMIT 1")
SIGNER=$(sqlite3 "$DB" "SELECT name FROM signer LIMIT 1")
sed -e "s/{CITED}/$CITED/" -e "s/{CITING}/$CITING/" -e "s/{SIGNER}/$SIGNER/" "$TOP/bench/scale-queries.txt" >"$Q"
echo "queries: $(grep -c -v '^#' "$Q") (bench/scale-queries.txt)"

echo "-- in process (querybench, 3 rounds; load:$(uptime | sed 's/.*load average://'))"
"$QB" "$DB" "$Q" 3
echo "-- bare FTS5 on the same file (3 rounds; load:$(uptime | sed 's/.*load average://'))"
"$QB" --bare "$DB" "$Q" 3
"$QB" --exact "$DB" "$Q" >"$DATA/exact-$N.tsv"

# The mix over HTTP twice, each time on a server just started:
# "first queries" sends it as soon as the index is ready (every page the
# mix reads is new to the process: its worker's SQLite cache and heap are
# empty); "after warm-up" first sends bench/scale-warmup.txt, other queries
# of every kind, on the same connection (so the same worker), as a server
# that has been answering for a while.  Either way each query of the mix
# is sent once, and the answer cache is off.
http_mix() { # LABEL WARMUP-FILE (or "")
echo "-- HTTP /api/search, answer cache off (--cache-mb 0), each query once: $1"
# shellcheck disable=SC2086 # SCALE_SERVE_ARGS: more options, e.g. "--page-cache-mb 0" to compare
"$CK" serve --db "$DB" --port 0 --quiet --cache-mb 0 ${SCALE_SERVE_ARGS:-} >"$DATA/serve.out" 2>"$DATA/serve.err" &
SPID=$!
trap 'kill $SPID 2>/dev/null' EXIT INT TERM
python3 - "$Q" "$DATA/exact-$N.tsv" "$DATA/serve.out" "$2" <<'PY'
import http.client, json, os, re, sys, time, urllib.parse
qfile, exfile, sout, warmfile = sys.argv[1:5]
for _ in range(300):
    m = re.search(r"http://127\.0\.0\.1:(\d+)/", open(sout).read())
    if m: break
    time.sleep(0.1)
port = int(m.group(1))
qs = []
for l in open(qfile):
    l = l.rstrip("\n")
    if not l or l.startswith("#"): continue
    parts = l.split("\t")
    opts = dict(p.split("=", 1) for p in parts[1:])
    qs.append((parts[0], opts))
exact = {}
for l in open(exfile):
    i, ids = l.rstrip("\n").split("\t")
    exact[int(i)] = [x for x in ids.split(",") if x]
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
def get(q, opts):
    u = "/api/search?q=" + urllib.parse.quote(q) + "".join(f"&{k}={urllib.parse.quote(v)}" for k, v in opts.items())
    t0 = time.perf_counter()
    conn.request("GET", u)
    r = conn.getresponse()
    body = r.read()
    return (time.perf_counter() - t0) * 1e3, r.status, body
# warm up: the server's first searches load its column cache and the pages
for q in ("warmup", "tag:PREL", "date:2007"):
    get(q, {})
# ... and its column cache and field index, built on a thread of their own
# (~4-10 s at 250k, minutes at 2.5M): /healthz says when they are ready
t_warm = time.time()
while time.time() - t_warm < float(os.environ.get("SCALE_WARM_MAX_S", "900")):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)  # the server shuts idle ones after 10 s
    conn.request("GET", "/healthz")
    if json.loads(conn.getresponse().read()).get("index") == "ready":
        break
    time.sleep(0.5)
print(f"server index ready after {time.time() - t_warm:.1f} s")
if warmfile:
    warm = [l.rstrip("\n") for l in open(warmfile) if l.strip() and not l.startswith("#")]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    tw = time.perf_counter()
    for q in warm:
        get(q, {})
    print(f"warm-up: {len(warm)} other queries in {(time.perf_counter() - tw) * 1e3:.0f} ms")
t, errors, inexact, sampled, overlaps = [], [], 0, 0, []
rows = []
for i, (q, opts) in enumerate(qs):
    ms, st, body = get(q, opts)
    t.append(ms)
    if st != 200:
        errors.append(f"{q}: {st} {body[:100]!r}")
        continue
    j = json.loads(body)
    inexact += j.get("total_exact") is False
    sampled += j.get("facets_sampled") is True
    ov = ""
    if i in exact and exact[i]:
        got = [h["id"] for h in j["hits"]]
        o = len(set(got) & set(exact[i])) / len(exact[i])
        overlaps.append(o)
        ov = f"{o:.2f}"
    rows.append((ms, q, opts, j.get("total"), j.get("total_exact"), j.get("facets_sampled"), ov))
t.sort()
n = len(t)
print(f"HTTP: {n} queries, {len(errors)} errors, {inexact} totals estimated, {sampled} facets sampled; load:{os.getloadavg()}")
print(f"HTTP latency ms: p50 {t[n//2]:.2f}  p90 {t[n*9//10]:.2f}  p99 {t[min(n-1, n*99//100)]:.2f}  max {t[-1]:.2f}")
if overlaps:
    full = sum(1 for o in overlaps if o == 1.0)
    print(f"overlap@20 with exact bm25: mean {sum(overlaps)/len(overlaps):.2f} over {len(overlaps)} ranked queries ({full} identical sets)")
for e in errors: print("error:", e)
if not warmfile:
    # the pages a reader clicks through: the browse lists, the tag and origin
    # searches they link to (the HTML search page), and cables
    pages = ["/browse/" + f for f in ("origin", "tag", "year", "marking")]
    pages += ["/?q=" + urllib.parse.quote(q) for q in ("tag:PREL", "from:baghdad", "tag:PGOV", "iraq")]
    hit_ids = []
    for q in ("iraq", "minister", "election"):
        ms, st, body = get(q, {})
        if st == 200:
            hit_ids += [h["id"] for h in json.loads(body)["hits"]]
    pages += ["/cable/" + urllib.parse.quote(i) for i in hit_ids[:30]]
    pt, perr = [], []
    for u in pages:
        t0 = time.perf_counter()
        conn.request("GET", u)
        r = conn.getresponse()
        r.read()
        pt.append((time.perf_counter() - t0) * 1e3)
        if r.status != 200:
            perr.append(f"{u}: {r.status}")
    pt.sort()
    print(f"HTML pages (browse x4, linked searches x4, /cable/ x{len(pages) - 8}): p50 {pt[len(pt)//2]:.2f}  max {pt[-1]:.2f} ms, {len(perr)} errors {perr[:3]}")
print("slowest:")
for ms, q, opts, tot, te, fs, ov in sorted(rows, key=lambda r: r[0], reverse=True)[:8]:
    print(f"  {ms:7.2f} ms  total {tot} exact {te} sampled {fs} overlap {ov or '-'}  {q} {opts or ''}")
PY
kill $SPID 2>/dev/null; wait $SPID 2>/dev/null || true
trap - EXIT INT TERM
}
http_mix "first queries" ""
http_mix "after warm-up" "$TOP/bench/scale-warmup.txt"
if [ -z "${KEEP:-}" ]; then rm -f "$DB" "$DB-wal" "$DB-shm"; else echo "kept $DB"; fi
echo "== done ($(date -u +%FT%TZ))"
