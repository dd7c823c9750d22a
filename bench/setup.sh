#!/usr/bin/env bash
# Creates bench/.venv with DuckDB and Polars (and fastexcel, openpyxl for the workbook bench), for bench/load.sh and bench/workbook.sh. Run by hand; not part of CI.
#   bench/setup.sh            (from anywhere; safe to run again)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"

if ! command -v python3 >/dev/null 2>&1; then
    echo "setup.sh: python3 not found; install it (apt-get install python3 python3-venv)" >&2
    exit 1
fi
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
    echo "setup.sh: python3 cannot create virtual environments; apt-get install python3-venv" >&2
    exit 1
fi

if [ ! -x "$venv/bin/python" ]; then
    echo "creating $venv"
    python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet duckdb polars numpy fastexcel openpyxl
"$venv/bin/python" - <<'PY'
import duckdb, polars, numpy, fastexcel, openpyxl
print(f"bench/.venv ready: duckdb {duckdb.__version__}, polars {polars.__version__}, numpy {numpy.__version__}")
PY

# `make examples` runs bench/generate.py on the system python3, which needs numpy too.
if ! python3 -c 'import numpy' >/dev/null 2>&1; then
    echo "note: the system python3 has no numpy, which \`make examples\` needs:" >&2
    echo "      apt-get install python3-numpy   (or: python3 -m pip install numpy)" >&2
fi
