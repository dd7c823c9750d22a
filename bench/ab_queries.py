#!/usr/bin/env python3
"""Before and after: queries of the one-run harness on two projq binaries (or one binary in two
environments), interleaved run by run, so that the machine's drift (this one is shared and
noisy) falls on both alike.

    [QUERIES=Q6,Q10] python3 bench/ab_queries.py ROWS[,ROWS...] [RUNS] [--in-process]

QUERIES: which of Q1-Q14 (default Q1-Q7); their text is query_bench.py's. BEFORE and
BEFORE_SNAPSHOT (with %d for ROWS) name the old binary and a snapshot it wrote; AFTER and
AFTER_SNAPSHOT the new ones (defaults below: the worktree of the commit before, and
bench/data/ROWS/ledger.projqdb with .build/release/projq). BEFORE_ENV and AFTER_ENV add
variables ('NAME=VALUE ...') to a side's environment: the same binary without and with the
huge-page heaps of large data is BEFORE=.build/release/projq
BEFORE_SNAPSHOT=bench/data/%d/ledger.projqdb BEFORE_ENV=PROJQ_HUGE_PAGE_DATA=999999999999.
End to end: one process per run (start, open, run, CSV to /dev/null), the median of RUNS after
a warm-up. --in-process: RUNS processes each running the query nine times with .timer on, the
first run of each left out, the median of the rest.
"""
import os
import re
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import query_bench  # noqa: E402  (the queries, as the one-run harness has them)

ALL = {q["id"]: q["projq"] for q in query_bench.QUERIES}
QUERIES = {q: ALL[q] for q in os.environ.get("QUERIES", "Q1,Q2,Q3,Q4,Q5,Q6,Q7").split(",")}


def side(name, binary, snapshot):
    env = dict(os.environ)
    for pair in os.environ.get(name + "_ENV", "").split():
        key, _, value = pair.partition("=")
        env[key] = value
    return os.environ.get(name, binary), os.environ.get(name + "_SNAPSHOT", snapshot), env


BEFORE = side("BEFORE", "/tmp/before/.build/release/projq", "/tmp/before-ledger-%d.projqdb")
AFTER = side("AFTER", ".build/release/projq", "bench/data/%d/ledger.projqdb")


def end_to_end(binary, snapshot, query, env):
    start = time.perf_counter()
    subprocess.run([binary, snapshot, "--format", "csv", "-c", query], env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return [(time.perf_counter() - start) * 1000]


def in_process(binary, snapshot, query, env):
    args = [binary, snapshot, "--format", "csv", "-c", ".timer on"] + ["-c", query] * 9
    out = subprocess.run(args, env=env, capture_output=True, text=True, check=True)
    return [float(t) for t in re.findall(r"time: ([0-9.]+) ms", out.stdout + out.stderr)][1:]


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if not args:
        sys.exit(__doc__)
    sizes = [int(n) for n in args[0].split(",")]
    runs = int(args[1]) if len(args) > 1 else 7
    measure = in_process if "--in-process" in sys.argv else end_to_end
    for n in sizes:
        print(f"== {n} rows, {'in process' if measure is in_process else 'end to end'}, ms")
        for name, query in QUERIES.items():
            times = {"before": [], "after": []}
            for run in range(runs + (measure is end_to_end)):
                for label, (binary, snapshot, env) in (("before", BEFORE), ("after", AFTER)):
                    t = measure(binary, snapshot % n, query, env)
                    if measure is in_process or run > 0:   # end to end: the first is the warm-up
                        times[label] += t
            b, a = statistics.median(times["before"]), statistics.median(times["after"])
            print(f"{name} {b:.2f} -> {a:.2f} ({a / b:.2f}x)", flush=True)


if __name__ == "__main__":
    main()
