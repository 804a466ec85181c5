#!/usr/bin/env python3
"""load.py BASE PID - keep 4 clients asking the server at BASE for searches,
facets, cables and their references while process PID (an ingest writing
the same archive) runs; then print "requests errors malformed" and exit 0.
An error is any status but 200 or a failed connection; malformed is a 200
whose body is not one JSON value of the expected shape."""
import json, os, sys, threading, urllib.request

base, pid = sys.argv[1], int(sys.argv[2])
paths = ["/api/search?q=nuclear", "/api/search?q=human+rights",
         "/api/search?q=iran+OR+iraq&sort=-date&limit=5", "/api/stats",
         "/api/search?q=tag:PREL&limit=3", "/api/cable/07ROME1497",
         "/api/cable/07ROME1497/refs"]
lock = threading.Lock()
counts = [0, 0, 0]


def running():
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


def client(k):
    i = k
    while running():
        p = paths[i % len(paths)]
        i += 1
        err = bad = 0
        try:
            with urllib.request.urlopen(base + p, timeout=10) as r:
                body = r.read()
            try:
                v = json.loads(body)
                bad = not isinstance(v, dict)
            except ValueError:
                bad = 1
        except urllib.error.HTTPError as e:
            # a cable not stored yet is an honest 404
            err = not (e.code == 404 and p.startswith("/api/cable/"))
        except Exception:
            err = 1
        with lock:
            counts[0] += 1
            counts[1] += err
            counts[2] += bad


ts = [threading.Thread(target=client, args=(k,)) for k in range(4)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(*counts)
