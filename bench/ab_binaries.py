#!/usr/bin/env python3
"""Any of Q1-Q14, end to end, on two commands interleaved run by run (so that this shared
machine's drift falls on both alike): one process per run (start, open the snapshot, run, CSV
to /dev/null), the median of RUNS after a warm-up.

    A=PATH A_ENV='NAME=VALUE ...' B=PATH B_ENV='...' python3 bench/ab_binaries.py ROWS RUNS Q10,Q12

A and B default to .build/release/projq; A_ENV and B_ENV add variables to its environment. The
huge-page heaps of large data, for instance: A_ENV=PROJQ_HUGE_PAGE_DATA=999999999999 (never a
second start) against B with none. The snapshot is bench/data/ROWS/ledger.projqdb (queries.sh
writes it).
"""
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import query_bench  # noqa: E402  (the queries, as the one-run harness has them)

QUERIES = {q["id"]: q["projq"] for q in query_bench.QUERIES}


def command(side):
    binary = os.environ.get(side, ".build/release/projq")
    env = dict(os.environ)
    for pair in os.environ.get(side + "_ENV", "").split():
        name, _, value = pair.partition("=")
        env[name] = value
    return binary, env


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    rows, runs, ids = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(",")
    snapshot = f"bench/data/{rows}/ledger.projqdb"
    sides = [command("A"), command("B")]
    for q in ids:
        times = ([], [])
        for r in range(runs + 1):
            for (binary, env), t in zip(sides, times):
                start = time.perf_counter()
                subprocess.run([binary, snapshot, "--format", "csv", "-c", QUERIES[q]], env=env,
                               stdout=subprocess.DEVNULL, check=True)
                if r:
                    t.append((time.perf_counter() - start) * 1000)
        a, b = statistics.median(times[0]), statistics.median(times[1])
        print(f"{rows} {q}: A {a:.1f} ms, B {b:.1f} ms, B/A {b / a:.2f}", flush=True)


if __name__ == "__main__":
    main()
