#!/usr/bin/env bash
# bench/queries.sh [ROWS...] — query benchmark of projq against DuckDB, Polars and sqlite3:
# fourteen queries (Q1-Q14) on data each engine has already loaded; projq also end to end.
# Builds projq (make release), generates bench/data/ROWS/ (with --dimension) if missing, then
# prints the tables per ROWS (default: 1000000 10000000). Run by hand (not part of CI), after
# bench/setup.sh. See bench/README.md.
#   RUNS=N          timed runs per query and engine, after one warm-up (default 5)
#   SKIP_BUILD=1    do not run make release; use the .build/release/projq that is there
#   SKIP_PROJQ=1    do not build or time projq; time only the other engines
#   SKIP_SQLITE=1   do not run sqlite3 (at 10M rows it takes most of the 20 minutes)
#   PROJQ=PATH      time this projq binary instead (no make release)
#   QUERIES=Q8,Q9   run only these queries (default: all)
set -euo pipefail
# projq's cache of CSV tables off: the loads are what is timed, and no copies go into ~/.cache.
export PROJQ_NO_CACHE=1

# The projq binary. The snapshot bench/data/ROWS/ledger.projqdb (projects, units, investors) is
# written by `$PROJQ bench/data/ROWS/projects.csv -c '.load .../units.csv' -c '.load
# .../investors.csv' -c '.save ...'`; each query is timed in process by `$PROJQ ledger.projqdb
# --format csv -c '.timer on' -c Q -c Q ...` and end to end by `$PROJQ ledger.projqdb -c Q
# --format csv > /dev/null`, one process per run.
PROJQ_SET="${PROJQ:+1}"
PROJQ="${PROJQ:-.build/release/projq}"
[ -n "$PROJQ_SET" ] && PROJQ="$(realpath -m -s -- "$PROJQ")"  # common.sh changes directory

RUNS="${RUNS:-5}"
SKIP_BUILD="${SKIP_BUILD:-0}"
SKIP_PROJQ="${SKIP_PROJQ:-0}"
SKIP_SQLITE="${SKIP_SQLITE:-0}"
QUERIES="${QUERIES:-}"

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
[[ "$SKIP_SQLITE" =~ ^[01]$ ]] || die "SKIP_SQLITE must be 0 or 1 (got '$SKIP_SQLITE')"
[[ "$QUERIES" =~ ^([Qq][0-9]+(,[Qq][0-9]+)*)?$ ]] \
    || die "QUERIES must be a comma-separated list such as Q8,Q9 (got '$QUERIES')"

# The command as typed, for the line under each table.
command="RUNS=$RUNS"
[ "$SKIP_BUILD" = 1 ] && command+=" SKIP_BUILD=1"
[ "$SKIP_PROJQ" = 1 ] && command+=" SKIP_PROJQ=1"
[ "$SKIP_SQLITE" = 1 ] && command+=" SKIP_SQLITE=1"
[ -n "$PROJQ_SET" ] && command+=" PROJQ=$PROJQ"
[ -n "$QUERIES" ] && command+=" QUERIES=$QUERIES"
command+=" bench/queries.sh $*"

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

skip=()
if [ "$SKIP_PROJQ" = 1 ]; then
    skip=(--skip-projq)
else
    if [ -n "$PROJQ_SET" ]; then
        echo "PROJQ=$PROJQ: not building; using that binary as it is" >&2
    elif [ "$SKIP_BUILD" = 1 ]; then
        echo "SKIP_BUILD=1: not building; using $PROJQ as it is" >&2
    else
        command -v make >/dev/null || die "make not found: apt-get install make"
        [ -f Makefile ] || die "no Makefile in $root"
        echo "building projq: make release" >&2
        make release >&2 || die "make release failed"
    fi
    [ -x "$PROJQ" ] || die "$PROJQ is missing: run make release (or drop SKIP_BUILD=1)"
fi
extra=()
[ -n "$QUERIES" ] && extra=(--queries "$QUERIES")
[ "$SKIP_SQLITE" = 1 ] && extra+=(--skip-sqlite)

status=0
for rows in "$@"; do
    data="bench/data/$rows"
    # Q8-Q14 need the --dimension columns and investors.csv: a folder without them (written
    # before Q8 existed, or by load.sh) is written again.
    if [ ! -f "$data/projects.csv" ] || [ ! -f "$data/units.csv" ] || [ ! -f "$data/investors.csv" ]; then
        echo "generating $data (lang en, $rows rows, --dimension)" >&2
        rm -rf "$data.tmp"
        "$py" bench/generate.py --rows "$rows" --dimension --out "$data.tmp"
        rm -rf "$data"
        mv "$data.tmp" "$data"
    fi
    echo "== $rows rows" >&2
    # Exit status 3: the table was printed, but an engine failed a query or results differ.
    rc=0
    "$py" bench/query_bench.py --data "$data" --rows "$rows" --runs "$RUNS" --projq "$PROJQ" \
        --command "$command" ${skip[@]+"${skip[@]}"} ${extra[@]+"${extra[@]}"} || rc=$?
    case $rc in
        0) ;;
        3) status=3 ;;
        *) die "query_bench.py failed on $data (exit $rc)" ;;
    esac
done
[ "$status" = 0 ] || echo "queries.sh: some results differ or some queries failed (see Problems above)" >&2
exit "$status"
