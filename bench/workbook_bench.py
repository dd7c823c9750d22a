#!/usr/bin/env python3
"""Workbook load benchmark: projq against Polars' read_excel (calamine, through fastexcel) and
openpyxl in read-only mode, on one generated .xlsx sheet per size, in one run.

    bench/workbook.sh                 (builds projq, makes bench/data/xlsx/ledger_ROWS.xlsx if missing)
    bench/.venv/bin/python bench/workbook_bench.py --rows 100000 1000000 --runs 3

What is measured (medians of --runs runs, after one warm-up that fills the page cache; each run
times projq, Polars and openpyxl one after the other, so a shared machine's busy moments fall
on all alike):
- projq: the whole process, `projq FILE -c 'TABLE count'` (start-up, load, one query);
- Polars and openpyxl: the load alone, in a fresh Python process per run (import not counted);
  openpyxl iterates every cell of the sheet (values_only), as a loader must.
The sheets: a title row merged across 11 columns, the header, ROWS rows of a ledger (int,
text, category-like text, exact amounts with two decimals, dates with a date format,
是/否), written once by openpyxl in write-only mode (`--make`).
"""

import argparse, datetime, json, os, random, statistics, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DATA = os.path.join(HERE, "data", "xlsx")


def make(rows, path):
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    r = random.Random(2015)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("项目")
    ws.append(["2015年招商引资项目台账"])
    ws.append(["编号", "项目名称", "责任单位", "行业", "阶段", "投资额", "签约日期", "备案", "评审", "落户乡镇", "客商来源"])
    units = [f"单位{i}" for i in range(60)]
    sectors = ["机械加工", "旅游", "农业", "建材", "电子信息", "新能源", "物流", "食品", "纺织", "医药", "化工", "商贸"]
    stages = ["线索", "在谈", "签约", "开工", "投产"]
    towns = ["城关镇", "河口乡", "西河镇", "南塘镇", "石桥镇", "清水乡", "杨庄乡", "马集镇"]
    origins = ["本地", "浙江", "江苏", "广东", "上海", "北京", "福建"]
    start = datetime.date(2014, 1, 1)
    for i in range(1, rows + 1):
        day = WriteOnlyCell(ws, value=start + datetime.timedelta(days=r.randrange(730)) if r.random() < 0.65 else None)
        day.number_format = "yyyy-mm-dd"
        ws.append([i, f"{r.choice(towns)}{i}号{r.choice(sectors)}项目", r.choice(units), r.choice(sectors), r.choice(stages),
                   round(r.uniform(50, 50000), 2), day, r.choice(["是", "否"]), r.choice(["是", "否"]), r.choice(towns), r.choice(origins)])
    wb.save(path)


def worker(kind, path):
    if kind == "polars":
        import polars as pl
        t = time.perf_counter()
        df = pl.read_excel(path, engine="calamine", read_options={"header_row": 1})
        ms = (time.perf_counter() - t) * 1000
        rows = df.height
    else:
        import openpyxl
        t = time.perf_counter()
        wb = openpyxl.load_workbook(path, read_only=True)
        rows = 0
        for row in wb.worksheets[0].iter_rows(values_only=True):
            rows += 1
        ms = (time.perf_counter() - t) * 1000
        rows -= 2
    print(json.dumps({"ms": ms, "rows": rows}))


def timed(cmd):
    t = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    ms = (time.perf_counter() - t) * 1000
    if p.returncode != 0:
        sys.exit(f"{cmd[0]} failed: {p.stderr}")
    return ms, p.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--worker", nargs=2, metavar=("KIND", "FILE"))
    ap.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--projq", default=os.path.join(ROOT, ".build", "release", "projq"))
    ap.add_argument("--skip-openpyxl-above", type=int, default=1_000_000, help="openpyxl only up to this many rows")
    a = ap.parse_args()
    if a.worker:
        worker(*a.worker)
        return
    os.makedirs(DATA, exist_ok=True)
    print(f"{'rows':>9}  {'tool':<28} {'median ms':>10}  {'vs Polars':>9}")
    for rows in a.rows:
        path = os.path.join(DATA, f"ledger_{rows}.xlsx")
        if not os.path.exists(path):
            print(f"making {path} …", file=sys.stderr)
            make(rows, path)
        results = {}
        # The workbook has one sheet, so its table is named after the file.
        cmd = [a.projq, path, "-c", f"ledger_{rows} count", "--format", "csv"]
        kinds = ["polars"] + (["openpyxl"] if rows <= a.skip_openpyxl_above else [])
        runs = {"projq": [], "polars": [], "openpyxl": []}
        # Interleaved: each run times projq, then Polars, then openpyxl, so a busy moment of a
        # shared machine falls on all of them alike; run 0 is the warm-up (page cache).
        for k in range(a.runs + 1):
            ms, out = timed(cmd)
            assert out.strip().endswith(str(rows)), out
            if k > 0:
                runs["projq"].append(ms)
            for kind in kinds:
                if kind == "openpyxl" and k == 0:
                    continue   # 35 s a run at 100,000 rows: no warm-up of its own
                p = subprocess.run([sys.executable, __file__, "--worker", kind, path], capture_output=True, text=True, check=True)
                r = json.loads(p.stdout)
                assert r["rows"] == rows, (kind, r)
                if k > 0:
                    runs[kind].append(r["ms"])
        results["projq (process, load + count)"] = statistics.median(runs["projq"])
        results["Polars read_excel (calamine)"] = statistics.median(runs["polars"])
        if "openpyxl" in kinds:
            results["openpyxl read-only"] = statistics.median(runs["openpyxl"])
        print(f"{rows:>9,}  runs: projq {' '.join(f'{m:.0f}' for m in runs['projq'])}; "
              f"Polars {' '.join(f'{m:.0f}' for m in runs['polars'])} (ms); load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        polars = results["Polars read_excel (calamine)"]
        for tool, ms in results.items():
            print(f"{rows:>9,}  {tool:<28} {ms:>10.0f}  {ms / polars:>8.2f}×")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
