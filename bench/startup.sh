#!/usr/bin/env bash
# bench/startup.sh — start-up, end to end (process start, load, query, print), beside sqlite3
# importing the same CSV and counting, in one hyperfine run: projq with its cache of CSV tables
# (a private cache folder under /tmp, filled by the warm-up runs) and without it. Also: opening
# a 1M-row snapshot and answering Q1. Run by hand after `make release`; see bench/README.md.
#   RUNS=N  timed runs per command (default 40)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
RUNS="${RUNS:-40}"
command -v hyperfine >/dev/null || { echo "startup.sh: hyperfine not found: apt-get install hyperfine" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "startup.sh: sqlite3 not found: apt-get install sqlite3" >&2; exit 1; }
[ -x .build/release/projq ] || { echo "startup.sh: build first: make release" >&2; exit 1; }

data=bench/data/1000000
if [ ! -f "$data/projects.csv" ]; then
    python3 bench/generate.py --rows 1000000 --out "$data" >&2
fi
# Its own snapshot: queries.sh keeps ledger.projqdb with more tables.
snapshot="$data/startup.projqdb"
if [ ! -f "$snapshot" ] || [ "$data/projects.csv" -nt "$snapshot" ] || [ .build/release/projq -nt "$snapshot" ]; then
    .build/release/projq "$data/projects.csv" --no-cache -c ".load $data/units.csv" -c ".save $snapshot" >/dev/null
fi

q1='projects where sector = machinery and stage = signed sum investment by unit'
cache=$(mktemp -d /tmp/projq-startup-cache.XXXXXX)
trap 'rm -rf "$cache"' EXIT
XDG_CACHE_HOME="$cache" hyperfine -N -w 5 -r "$RUNS" --export-markdown /tmp/projq-startup.md \
    ".build/release/projq examples/county -c 'projects count'" \
    ".build/release/projq examples/county --no-cache -c 'projects count'" \
    "sqlite3 :memory: -cmd '.import --csv examples/county/projects.csv projects' 'select count(*) from projects'" \
    ".build/release/projq $snapshot -c '$q1'"
cat /tmp/projq-startup.md
# What the dynamic loader maps before main(): the release build links the Swift runtime, libstdc++
# and libgcc in and loads the rest on first use (Makefile, CLazyLibraries), so libc and libm only.
echo "projq's libraries at start-up: $(readelf -d .build/release/projq | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')"
