#!/usr/bin/env python3
"""What `total` adds to an aggregation: Q3 with and without `| total`, in one projq process
each run (the query timed by `.timer on`, nine times, the first left out), interleaved so that
the machine's drift falls on both alike.

    python3 bench/total_cost.py ROWS [RUNS]

Reads bench/data/ROWS/ledger.projqdb (bench/setup.sh and `make release` first).
"""
import re
import statistics
import subprocess
import sys

Q3 = "projects count, sum investment, avg investment, max investment by unit, sector"
QUERIES = {"Q3": Q3, "Q3 | total": Q3 + " | total", "Q3 | total by unit": Q3 + " | total by unit"}


def in_process(snapshot, query):
    args = [".build/release/projq", snapshot, "--format", "csv", "-c", ".timer on"] + ["-c", query] * 9
    err = subprocess.run(args, capture_output=True, text=True, check=True).stderr
    times = [float(t) for t in re.findall(r"time: ([0-9.]+) ms", err)]
    return statistics.median(times[1:])


def main():
    rows = int(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    snapshot = f"bench/data/{rows}/ledger.projqdb"
    samples = {name: [] for name in QUERIES}
    for _ in range(runs):
        for name, query in QUERIES.items():
            samples[name].append(in_process(snapshot, query))
    base = statistics.median(samples["Q3"])
    print(f"{rows} rows, median of {runs} processes (each the median of 8 runs):")
    for name in QUERIES:
        m = statistics.median(samples[name])
        print(f"  {name:20s} {m:8.2f} ms   {m / base:5.3f}x Q3")


if __name__ == "__main__":
    main()
