#!/usr/bin/env bash
# The workbook load benchmark (bench/workbook_bench.py): builds projq in release, makes the
# sheets if missing (bench/data/xlsx/, ignored by git), times projq, Polars' read_excel
# (calamine) and openpyxl read-only in one run. Needs bench/.venv (bench/setup.sh).
#   bench/workbook.sh [--rows 100000 1000000] [--runs 3]
set -euo pipefail
cd "$(dirname "$0")/.."
flock /tmp/projq-build.lock make release >/dev/null
bench/.venv/bin/python bench/workbook_bench.py "$@"
