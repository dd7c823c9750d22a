#!/bin/bash
# Out-of-memory sweep: each query under each address-space limit (ulimit -v), through the
# release binary. Every line must be exit 0, or 1/2 with a message; a signal or a timeout is
# printed as SIGNAL/TIMEOUT. RELIABILITY.md has the figures.
#   bench/memory_sweep.sh bench/data/1000000/ledger.projqdb 200 250 300 350 400 500 700 1000
# (the ledger from bench/setup.sh; `make release` first)
BIN="${PROJQ:-$(dirname "$0")/../.build/release/projq}"
DATA=$1; shift
ERR=$(mktemp)
trap 'rm -f "$ERR"' EXIT
QUERIES=(
 "projects count by name"
 "projects count by name, contact"
 "projects sort name | limit 2"
 "projects sort contact, name"
 "projects sort investment desc, id"
 "projects count distinct name by unit"
 "projects median investment by unit, sector"
 "projects count by name across stage"
 "projects join projects on stage | count"
 "projects join projects on id | count"
 "projects join investors on investor_id | sum capital by province"
 "projects count by contact, unit across zone"
 "projects select upper(name) as u, lower(contact) as l, id+1 as a, id+2 as b"
 "projects where name contains '1' | sort name"
 "projects top 100000 by investment"
 "projects min name by contact"
 "projects sum investment by investor_id | top 10 by sum_investment"
 "projects where signed_on > 2014-01-01 | sort signed_on, name | limit 5"
)
for L in "$@"; do
 for q in "${QUERIES[@]}"; do
  out=$( (ulimit -v $((L*1024)); timeout 60 $BIN "$DATA" --format csv -c "$q" >/dev/null 2>"$ERR") ; echo $?)
  rc=$out
  if [ "$rc" -ge 124 ]; then echo "LIMIT=$L rc=$rc SIGNAL/TIMEOUT: $q :: $(head -c 300 "$ERR")"; else echo "LIMIT=$L rc=$rc: $q :: $(head -c 150 "$ERR"|tr '\n' ' ')"; fi
 done
done
