#!/usr/bin/env bash
# bench/queries.sh [ROWS...] — query benchmark of projq against DuckDB, Polars and sqlite3:
# seven queries (Q1-Q7) timed inside each engine on data it has already loaded.
# Builds projq (make release), generates bench/data/ROWS/ if missing, then prints one table per
# ROWS (default: 1000000 10000000). Run by hand (not part of CI), after bench/setup.sh.
# See bench/README.md.
#   RUNS=N        timed runs per query and engine, after one warm-up (default 5)
#   SKIP_BUILD=1  do not run make release; use the .build/release/projq that is there
#   SKIP_PROJQ=1  do not build or time projq; time only the other engines
set -euo pipefail
# projq's cache of CSV tables off: the loads are what is timed, and no copies go into ~/.cache.
export PROJQ_NO_CACHE=1

# The projq binary. The snapshot bench/data/ROWS/ledger.projqdb (projects and units) is written
# by `$PROJQ bench/data/ROWS/projects.csv -c '.load bench/data/ROWS/units.csv' -c '.save ...'`
# and each query is timed by `$PROJQ ledger.projqdb -c '.timer on' -c Q -c Q ...`.
PROJQ=".build/release/projq"

RUNS="${RUNS:-5}"
SKIP_BUILD="${SKIP_BUILD:-0}"
SKIP_PROJQ="${SKIP_PROJQ:-0}"

die() { echo "queries.sh: $*" >&2; exit 1; }

if [ $# -eq 0 ]; then
    set -- 1000000 10000000
fi
for rows in "$@"; do
    [[ "$rows" =~ ^[1-9][0-9]*$ ]] \
        || die "usage: bench/queries.sh [ROWS...]  (positive integers; default 1000000 10000000; got '$rows')"
done
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer (got '$RUNS')"
[[ "$SKIP_BUILD" =~ ^[01]$ ]] || die "SKIP_BUILD must be 0 or 1 (got '$SKIP_BUILD')"
[[ "$SKIP_PROJQ" =~ ^[01]$ ]] || die "SKIP_PROJQ must be 0 or 1 (got '$SKIP_PROJQ')"

# The command as typed, for the line under each table.
command="RUNS=$RUNS"
[ "$SKIP_BUILD" = 1 ] && command+=" SKIP_BUILD=1"
[ "$SKIP_PROJQ" = 1 ] && command+=" SKIP_PROJQ=1"
command+=" bench/queries.sh $*"

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

skip=()
if [ "$SKIP_PROJQ" = 1 ]; then
    skip=(--skip-projq)
else
    if [ "$SKIP_BUILD" = 1 ]; then
        echo "SKIP_BUILD=1: not building; using $PROJQ as it is" >&2
    else
        command -v make >/dev/null || die "make not found: apt-get install make"
        [ -f Makefile ] || die "no Makefile in $root"
        echo "building projq: make release" >&2
        make release >&2 || die "make release failed"
    fi
    [ -x "$PROJQ" ] || die "$PROJQ is missing: run make release (or drop SKIP_BUILD=1)"
fi

status=0
for rows in "$@"; do
    data="bench/data/$rows"
    if [ ! -f "$data/projects.csv" ] || [ ! -f "$data/units.csv" ]; then
        echo "generating $data (lang en, $rows rows)" >&2
        rm -rf "$data.tmp"
        "$py" bench/generate.py --rows "$rows" --out "$data.tmp"
        rm -rf "$data"
        mv "$data.tmp" "$data"
    fi
    echo "== $rows rows" >&2
    # Exit status 3: the table was printed, but an engine failed a query or results differ.
    rc=0
    "$py" bench/query_bench.py --data "$data" --rows "$rows" --runs "$RUNS" --projq "$PROJQ" \
        --command "$command" ${skip[@]+"${skip[@]}"} || rc=$?
    case $rc in
        0) ;;
        3) status=3 ;;
        *) die "query_bench.py failed on $data (exit $rc)" ;;
    esac
done
[ "$status" = 0 ] || echo "queries.sh: some results differ or some queries failed (see Problems above)" >&2
exit "$status"
