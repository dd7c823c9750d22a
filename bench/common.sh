# Sourced by the bench scripts: go to the repository root and check the benchmark venv.
# Needs `die` defined by the caller.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
py="bench/.venv/bin/python"
[ -x "$py" ] || die "bench/.venv is missing: run bench/setup.sh first"
"$py" -c 'import duckdb, polars, numpy' 2>/dev/null \
    || die "bench/.venv lacks duckdb, polars or numpy: run bench/setup.sh again"
command -v sqlite3 >/dev/null || die "sqlite3 not found: apt-get install sqlite3"
