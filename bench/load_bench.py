#!/usr/bin/env python3
"""Load-time benchmark: projq against DuckDB, Polars and sqlite3 on one generated CSV.

Normally run through bench/load.sh, which builds projq, generates the data and calls:

    bench/.venv/bin/python bench/load_bench.py --csv bench/data/1000000/projects.csv \
        --rows 1000000 --runs 5 --projq-load '.build/release/projq {file}' \
        --projq-save ".build/release/projq {file} -c '.save {snapshot}'" [--skip-projq]

What is measured (medians of --runs runs, after one warm-up that fills the page cache):
- projq, sqlite3 and the projq snapshot: the whole process, with hyperfine (no shell);
- DuckDB and Polars: the load alone, inside a fresh Python process per run, so the import and
  process start are not counted; memory is VmRSS after the load minus VmRSS before it;
- projq peak memory: maximum resident set of the whole process (/usr/bin/time -f %M, or
  os.wait4's rusage where GNU time is missing).

The same file is also the worker: `load_bench.py --worker duckdb|polars FILE` loads FILE once
and prints one JSON line {"ms": ..., "rss_growth_mb": ..., "rows": ...}.
"""

import argparse
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

THREADS = 2


# ---------------------------------------------------------------------------------------------
# Worker: runs in its own process, one load.

from benchlib import vm_rss_kb  # noqa: E402 (the scripts run from bench/ or the root)


def worker(engine, path):
    if engine == "duckdb":
        import duckdb
        con = duckdb.connect()
        con.execute(f"SET threads={THREADS}")
        before = vm_rss_kb()
        t0 = time.perf_counter()
        con.execute("CREATE TABLE projects AS SELECT * FROM read_csv(?)", [path])
        t1 = time.perf_counter()
        after = vm_rss_kb()
        rows = con.execute("SELECT count(*) FROM projects").fetchone()[0]
    elif engine == "polars":
        # Must be set before polars is imported: its thread pool is sized once, at import.
        os.environ["POLARS_MAX_THREADS"] = str(THREADS)
        import polars as pl
        assert pl.thread_pool_size() == THREADS, pl.thread_pool_size()
        before = vm_rss_kb()
        t0 = time.perf_counter()
        # investment has integer-looking values first; 10,000 rows of inference sees decimals.
        df = pl.read_csv(path, infer_schema_length=10_000)
        t1 = time.perf_counter()
        after = vm_rss_kb()
        rows = df.height
    else:
        raise SystemExit(f"unknown engine {engine}")
    print(json.dumps({"ms": (t1 - t0) * 1000.0, "rss_growth_mb": (after - before) / 1024.0,
                      "rows": rows}))


# ---------------------------------------------------------------------------------------------
# Driver.

class Result:
    def __init__(self, label, times_ms=None, memory_mb=None, note=""):
        self.label = label
        self.times_ms = times_ms or []
        self.memory_mb = memory_mb
        self.note = note

    @property
    def median(self):
        return statistics.median(self.times_ms) if self.times_ms else None


def say(msg):
    print(msg, file=sys.stderr, flush=True)


def hyperfine(command, runs):
    """Median-able wall times (ms) of a whole process, run without a shell."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        done = subprocess.run(["hyperfine", "--shell=none", "--warmup", "1", "--runs", str(runs),
                               "--style", "none", "--export-json", out.name, command],
                              stdout=subprocess.DEVNULL)
        if done.returncode != 0:
            raise SystemExit(f"load_bench: hyperfine failed on: {command}\n"
                             f"(run the command by hand to see why)")
        with open(out.name) as f:
            data = json.load(f)
    return [t * 1000.0 for t in data["results"][0]["times"]]


def peak_rss_mb(command):
    """Maximum resident set (MB) of one run of `command` (a shell-style string, run directly)."""
    argv = shlex.split(command)
    if os.access("/usr/bin/time", os.X_OK):
        with tempfile.NamedTemporaryFile(suffix=".txt") as out:
            subprocess.run(["/usr/bin/time", "-f", "%M", "-o", out.name, "--", *argv],
                           check=True, stdout=subprocess.DEVNULL)
            with open(out.name) as f:
                return int(f.read().split()[-1]) / 1024.0
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise subprocess.CalledProcessError(proc.returncode, argv)
    return usage.ru_maxrss / 1024.0  # ru_maxrss is in KB on Linux


def in_process(engine, path, runs, rows):
    """Load times (ms) and median RSS growth (MB), each run in a fresh process."""
    times, growth = [], []
    env = dict(os.environ, POLARS_MAX_THREADS=str(THREADS))
    for i in range(runs + 1):
        out = subprocess.run([sys.executable, os.path.abspath(__file__), "--worker", engine, path],
                             capture_output=True, text=True, env=env)
        if out.returncode != 0:
            raise SystemExit(f"load_bench: the {engine} load failed:\n{out.stderr}")
        r = json.loads(out.stdout.strip().splitlines()[-1])
        if r["rows"] != rows:
            raise SystemExit(f"{engine} loaded {r['rows']} rows, expected {rows}")
        if i == 0:
            continue  # warm-up: page cache, lazy library loading
        times.append(r["ms"])
        growth.append(r["rss_growth_mb"])
    return times, statistics.median(growth)


def version(argv, word):
    try:
        return subprocess.run(argv, capture_output=True, text=True, check=True).stdout.split()[word]
    except (OSError, subprocess.CalledProcessError, IndexError):
        return "?"


def fmt_ms(x):
    if x is None:
        return "n/a"
    return f"{x:,.1f}" if x < 100 else f"{x:,.0f}"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--worker", nargs=2, metavar=("ENGINE", "FILE"), help=argparse.SUPPRESS)
    ap.add_argument("--csv", help="the projects.csv to load")
    ap.add_argument("--rows", type=int, help="rows in the CSV (checked against each load)")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per tool (default 5)")
    ap.add_argument("--projq-load", default=".build/release/projq {file}",
                    help="projq command line; {file} is replaced by the file to load")
    ap.add_argument("--projq-save", default=".build/release/projq {file} -c '.save {snapshot}'",
                    help="projq command line that writes the snapshot {snapshot}")
    ap.add_argument("--skip-projq", action="store_true", help="time only the other tools")
    args = ap.parse_args(argv)

    if args.worker:
        worker(*args.worker)
        return 0
    if not args.csv or not args.rows:
        ap.error("--csv and --rows are required")
    for tool in ("hyperfine", "sqlite3"):
        if shutil.which(tool) is None:
            raise SystemExit(f"load_bench: {tool} not found (apt-get install {tool})")

    csv_path = args.csv
    snapshot = os.path.splitext(csv_path)[0] + ".projqdb"
    size_mb = os.path.getsize(csv_path) / 1e6
    results = []
    projq, snap = None, None

    if not args.skip_projq:
        load_cmd = args.projq_load.format(file=csv_path)
        say(f"projq load: {load_cmd}")
        projq = Result("projq load (whole process)", hyperfine(load_cmd, args.runs))
        say("projq peak memory")
        projq.memory_mb = statistics.median(peak_rss_mb(load_cmd) for _ in range(3))
        projq.note = "peak RSS"
        results.append(projq)

        save_cmd = args.projq_save.format(file=csv_path, snapshot=snapshot)
        say(f"projq snapshot: {save_cmd}")
        if os.path.exists(snapshot):
            os.remove(snapshot)
        saved = subprocess.run(shlex.split(save_cmd), stdout=subprocess.DEVNULL)
        if saved.returncode != 0 or not os.path.exists(snapshot):
            snap = Result("projq snapshot load (whole process)",
                          note=f"n/a: the save command failed (exit {saved.returncode})")
        else:
            snap_cmd = args.projq_load.format(file=snapshot)
            snap = Result("projq snapshot load (whole process)", hyperfine(snap_cmd, args.runs))
            snap.memory_mb = peak_rss_mb(snap_cmd)
            snap.note = f"peak RSS; snapshot {os.path.getsize(snapshot) / 1e6:,.0f} MB"
        results.append(snap)

    say("DuckDB read_csv")
    times, growth = in_process("duckdb", csv_path, args.runs, args.rows)
    duck = Result(f"DuckDB read_csv, {THREADS} threads (load alone)", times, growth, "RSS growth")
    results.append(duck)

    say("Polars read_csv")
    times, growth = in_process("polars", csv_path, args.runs, args.rows)
    polars = Result(f"Polars read_csv, {THREADS} threads (load alone)", times, growth,
                    "RSS growth")
    results.append(polars)

    say("sqlite3 .import")
    sqlite_cmd = f"sqlite3 :memory: '.import --csv {csv_path} projects'"
    sqlite = Result("sqlite3 .import --csv, :memory: (whole process)",
                    hyperfine(sqlite_cmd, args.runs))
    sqlite.memory_mb = peak_rss_mb(sqlite_cmd)
    sqlite.note = "peak RSS"
    results.append(sqlite)

    import duckdb
    import polars as pl
    print()
    print(f"Load of {csv_path}: {args.rows:,} rows, {size_mb:,.1f} MB "
          f"({size_mb * 1e6 / args.rows:.1f} bytes/row); median of {args.runs} runs after a "
          f"warm-up; {os.cpu_count()} CPUs.")
    print(f"DuckDB {duckdb.__version__}, Polars {pl.__version__}, "
          f"sqlite3 {version(['sqlite3', '--version'], 0)}, "
          f"hyperfine {version(['hyperfine', '--version'], 1)}.")
    print()
    print("| what | median ms | min–max ms | memory MB | memory is |")
    print("|---|---:|---:|---:|---|")
    for r in results:
        span = f"{fmt_ms(min(r.times_ms))}–{fmt_ms(max(r.times_ms))}" if r.times_ms else ""
        mem = "" if r.memory_mb is None else (
            f"{r.memory_mb:.1f}" if r.memory_mb < 10 else f"{r.memory_mb:,.0f}")
        print(f"| {r.label} | {fmt_ms(r.median)} | {span} | {mem} | {r.note} |")
    print()
    if projq is not None:
        best = min(duck.median, polars.median)
        print(f"projq load / min(DuckDB, Polars) load = {projq.median / best:.2f}  "
              f"({fmt_ms(projq.median)} ms / {fmt_ms(best)} ms)")
        if snap is not None and snap.median is not None:
            print(f"projq snapshot load / min(DuckDB, Polars) load = {snap.median / best:.3f}")
        print(f"projq peak RSS / DuckDB RSS growth = {projq.memory_mb / duck.memory_mb:.2f}  "
              f"({projq.memory_mb:,.0f} MB / {duck.memory_mb:,.0f} MB)")
    else:
        print("projq skipped (--skip-projq): no ratios.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
