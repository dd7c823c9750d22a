#!/usr/bin/env bash
# bench/load.sh [ROWS] — load-time benchmark of projq against DuckDB, Polars and sqlite3.
# Builds projq (make release), generates bench/data/ROWS/ if missing, then prints one table.
# Run by hand (not part of CI), after bench/setup.sh. See bench/README.md.
#   RUNS=N        timed runs per tool (default 5)
#   SKIP_PROJQ=1  do not build or time projq; time only the other tools
set -euo pipefail
# projq's cache of CSV tables off: the loads are what is timed, and no copies go into ~/.cache.
export PROJQ_NO_CACHE=1

# The projq command lines. {file} is the file to load (the CSV, or the snapshot for the snapshot
# row); {snapshot} is where the save command writes the snapshot.
PROJQ_LOAD=".build/release/projq {file} -c 'projects count'"
PROJQ_SAVE=".build/release/projq {file} -c '.save {snapshot}'"

ROWS="${1:-1000000}"
RUNS="${RUNS:-5}"
SKIP_PROJQ="${SKIP_PROJQ:-0}"

die() { echo "load.sh: $*" >&2; exit 1; }

[[ "$ROWS" =~ ^[1-9][0-9]*$ ]] || die "usage: bench/load.sh [ROWS]  (a positive integer; default 1000000)"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer (got '$RUNS')"

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
command -v hyperfine >/dev/null || die "hyperfine not found: apt-get install hyperfine"

skip=()
if [ "$SKIP_PROJQ" = 1 ]; then
    skip=(--skip-projq)
else
    command -v make >/dev/null || die "make not found: apt-get install make"
    [ -f Makefile ] || die "no Makefile in $root"
    echo "building projq: make release" >&2
    make release >&2 || die "make release failed"
    bin="${PROJQ_LOAD%% *}"
    [ -x "$bin" ] || die "$bin was not built (the first word of PROJQ_LOAD)"
fi

data="bench/data/$ROWS"
if [ ! -f "$data/projects.csv" ]; then
    echo "generating $data (lang en, $ROWS rows)" >&2
    rm -rf "$data.tmp"
    "$py" bench/generate.py --rows "$ROWS" --out "$data.tmp"
    rm -rf "$data"
    mv "$data.tmp" "$data"
fi

"$py" bench/load_bench.py --csv "$data/projects.csv" --rows "$ROWS" --runs "$RUNS" \
    --projq-load "$PROJQ_LOAD" --projq-save "$PROJQ_SAVE" ${skip[@]+"${skip[@]}"}
