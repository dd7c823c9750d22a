#!/usr/bin/env python3
"""The meeting pack of a 10,000-row ledger, written in each format: examples/meeting-zh.pq on a
ledger generated like examples/county-zh (bench/generate.py --lang zh), with last month's made
from it by the rules of examples/last_month.py, end to end (start, load, run, write), median of
RUNS.

    python3 bench/report_bench.py [ROWS] [RUNS]      (default 10000 5; make release first)
"""
import os, shutil, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    data = os.path.join(ROOT, "bench", "data", f"report-{rows}")
    now, last = os.path.join(data, "county-zh"), os.path.join(data, "county-zh-last")
    if not os.path.exists(os.path.join(last, "项目.csv")):
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "generate.py"), "--rows", str(rows), "--seed", "2015",
                        "--lang", "zh", "--out", now], check=True, stdout=subprocess.DEVNULL)
        # Last month: examples/last_month.py's rules, run on this ledger.
        script = open(os.path.join(ROOT, "examples", "last_month.py"), encoding="utf-8").read()
        script = script.replace('NOW = os.path.join(ROOT, "county-zh")', f"NOW = {now!r}").replace(
            'LAST = os.path.join(ROOT, "county-zh-last")', f"LAST = {last!r}")
        exec(compile(script, "last_month.py", "exec"), {"__name__": "__main__", "__file__": os.path.join(ROOT, "examples", "last_month.py")})
    binary = os.path.join(ROOT, ".build", "release", "projq")
    out = os.path.join(data, "out")
    os.makedirs(out, exist_ok=True)
    print(f"meeting pack of {rows} projects, end to end, median of {runs} (ms):")
    for ext in ("html", "xlsx", "md"):
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([binary, now, "--no-cache", "--set", "会议日期=2015-12-31", "--attach", f"上月={last}",
                            "-f", os.path.join(ROOT, "examples", "meeting-zh.pq"), "--report", os.path.join(out, "meeting." + ext)],
                           check=True, stdout=subprocess.DEVNULL)
            times.append((time.perf_counter() - start) * 1000)
        size = os.path.getsize(os.path.join(out, "meeting." + ext))
        print(f"  .{ext:5s} {statistics.median(times):8.1f} ms   ({size} bytes)")


if __name__ == "__main__":
    main()
