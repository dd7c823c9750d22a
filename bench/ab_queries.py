#!/usr/bin/env python3
"""Before and after: Q1-Q7 on two projq binaries, interleaved run by run, so that the machine's
drift (this one is shared and noisy) falls on both alike.

    python3 bench/ab_queries.py ROWS[,ROWS...] [RUNS] [--in-process]

BEFORE and BEFORE_SNAPSHOT (with %d for ROWS) name the old binary and a snapshot it wrote;
AFTER and AFTER_SNAPSHOT the new ones (defaults below: the worktree of the commit before, and
bench/data/ROWS/ledger.projqdb with .build/release/projq). End to end: one process per run
(start, open, run, CSV to /dev/null), the median of RUNS. --in-process: RUNS processes each
running the query nine times with .timer on, the first run of each left out, the median of the
rest.
"""
import os
import re
import statistics
import subprocess
import sys
import time

QUERIES = {
    "Q1": "projects where sector = machinery and stage = signed sum investment by unit",
    "Q2": "projects count, sum investment by stage",
    "Q3": "projects count, sum investment, avg investment, max investment by unit, sector",
    "Q4": "projects where investment >= 1亿 top 10 by investment | select name, unit, investment",
    "Q5": "projects sum investment if stage = signed as signed, count if stage = negotiating as talks by unit"
          " | join units on unit | select unit, signed, talks, signed / quota as rate | sort rate desc",
    "Q6": "projects where signed_on is not null count by month(signed_on) as month",
    "Q7": 'projects where name contains "机械" count',
}

BEFORE = (os.environ.get("BEFORE", "/tmp/before/.build/release/projq"),
          os.environ.get("BEFORE_SNAPSHOT", "/tmp/before-ledger-%d.projqdb"))
AFTER = (os.environ.get("AFTER", ".build/release/projq"),
         os.environ.get("AFTER_SNAPSHOT", "bench/data/%d/ledger.projqdb"))


def end_to_end(binary, snapshot, query):
    start = time.perf_counter()
    subprocess.run([binary, snapshot, "--format", "csv", "-c", query],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return [(time.perf_counter() - start) * 1000]


def in_process(binary, snapshot, query):
    args = [binary, snapshot, "--format", "csv", "-c", ".timer on"] + ["-c", query] * 9
    out = subprocess.run(args, capture_output=True, text=True, check=True)
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
            for _ in range(runs):
                for label, (binary, snapshot) in (("before", BEFORE), ("after", AFTER)):
                    times[label] += measure(binary, snapshot % n, query)
            b, a = statistics.median(times["before"]), statistics.median(times["after"])
            print(f"{name} {b:.2f} -> {a:.2f} ({a / b:.2f}x)", flush=True)


if __name__ == "__main__":
    main()
