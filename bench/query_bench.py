#!/usr/bin/env python3
"""Query benchmark: projq against DuckDB, Polars and sqlite3, fourteen queries on loaded data.

Normally run through bench/queries.sh, which builds projq, generates the data and calls:

    bench/.venv/bin/python bench/query_bench.py --data bench/data/1000000 --rows 1000000 \
        --runs 5 --projq .build/release/projq [--skip-projq] [--queries Q8,Q9] \
        [--command 'bench/queries.sh ...']

Every engine answers the same questions (QUERIES below; Q8-Q14 need the data of
`generate.py --dimension`: investor_id, contact, file_no and investors.csv). DuckDB, Polars and
sqlite3 are timed on tables they have already loaded; only the query is timed, never the load.
projq is timed twice: in process and end to end. Each time is the median of --runs runs after one
warm-up run.
- projq: a snapshot holding projects, units and investors, bench/data/ROWS/ledger.projqdb, is
  written once (again when a CSV file or the projq binary is newer than it, or another binary
  wrote it), then dropped from the page cache and read once (`recache`). In process: one
  process per query, `projq ledger.projqdb --format csv -c '.timer on' -c Q -c Q ...`
  (warm-up + runs), standard output to /dev/null; projq prints `time: 12.345 ms`
  per query on standard error (the engine's run, not the printing). End to end: one process per
  run, `projq ledger.projqdb -c Q --format csv > /dev/null` (start, open the snapshot, run,
  print), time.perf_counter around it; the run that reads the result is the warm-up.
- DuckDB (SET threads=2) and Polars (POLARS_MAX_THREADS=2 before import): one fresh Python
  process per engine loads the CSV files, then times each query with time.perf_counter. DuckDB
  fetches the whole result (fetchall). Polars is timed twice per query, eager DataFrame API and
  lazy + collect, and the faster is reported (the table says which).
- A query with "output": "csv" (Q12) writes its whole result as CSV to /dev/null in every engine:
  DuckDB COPY ... TO '/dev/null', Polars write_csv / sink_csv, sqlite3 .output /dev/null, projq
  --format csv.
- sqlite3: one `sqlite3 :memory:` process imports the CSV files into typed tables (empty cells
  of investment, signed_on and investor_id made NULL), turns `.timer on` and runs each query
  warm-up + runs times; the `Run Time: real X` lines are parsed.

Results are checked: every engine's result (projq's through `projq ledger.projqdb -c Q
--format csv`, Polars' eager and lazy) must equal DuckDB's row for row, in order, numbers to a
relative 1e-9 (floating-point sums differ in the last digits with the order of addition). For
"output": "csv" the row count and the first and last ENDS rows are compared (fetched untimed).

Memory, per query: projq's peak resident set of the end-to-end process (/usr/bin/time -f %M);
DuckDB's load RSS growth plus the query's VmHWM above the RSS after the load, in a second DuckDB
process (the duckdb-memory worker, jemalloc told to return freed pages at once). Over the whole
run: projq's peak RSS for all the queries in one process, DuckDB's and Polars' VmRSS growth over
the load and over the load and all the timed queries, sqlite3's peak RSS.

Exit status: 0 when every engine ran every query and all results agree; 3 when some engine
failed a query or results differ (the table is printed anyway, with the details below it).

The same file is also the worker: `query_bench.py --worker duckdb|duckdb-memory|polars --data DIR
--runs N --out FILE --queries Q1,...` loads, times (or measures) and writes one JSON file.
"""

import argparse
import collections
import csv
import io
import json
import math
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

THREADS = 2
STAGES = ["lead", "negotiating", "signed", "started", "operating"]
STAGE_ORDER = "CASE stage " + " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(STAGES)) + " END"

# ---------------------------------------------------------------------------------------------
# The queries. `sql` is DuckDB's; `sqlite` is sqlite3's where it differs. Orders follow
# projq's: groups by key (text in code-point order, stage in its declared order), top and sort
# stable (ties keep file order, i.e. id order, or group order), nulls last.

QUERIES = [
    {
        "id": "Q1",
        "what": "filter two categories, sum by unit",
        "projq": "projects where sector = machinery and stage = signed sum investment by unit",
        "sql": "SELECT unit, sum(investment) AS sum_investment FROM projects "
               "WHERE sector = 'machinery' AND stage = 'signed' GROUP BY unit ORDER BY unit",
    },
    {
        "id": "Q2",
        "what": "count, sum by stage",
        "projq": "projects count, sum investment by stage",
        "sql": "SELECT stage, count(*) AS count, sum(investment) AS sum_investment FROM projects "
               f"GROUP BY stage ORDER BY {STAGE_ORDER}",
    },
    {
        "id": "Q3",
        "what": "count, sum, avg, max by unit, sector",
        "projq": "projects count, sum investment, avg investment, max investment by unit, sector",
        "sql": "SELECT unit, sector, count(*) AS count, sum(investment) AS sum_investment, "
               "avg(investment) AS avg_investment, max(investment) AS max_investment "
               "FROM projects GROUP BY unit, sector ORDER BY unit, sector",
    },
    {
        "id": "Q4",
        "what": "top 10 by investment where ≥ 1亿",
        "projq": "projects where investment >= 1亿 top 10 by investment | select name, unit, investment",
        "sql": "SELECT name, unit, investment FROM projects WHERE investment >= 10000 "
               "ORDER BY investment DESC NULLS LAST, id LIMIT 10",
    },
    {
        "id": "Q5",
        "what": "conditional sums by unit, join units, rate, sort",
        "projq": "projects sum investment if stage = signed as signed, count if stage = negotiating "
                 "as talks by unit | join units on unit | select unit, signed, talks, "
                 "signed / quota as rate | sort rate desc",
        "sql": "SELECT p.unit, p.signed, p.talks, p.signed / u.quota AS rate FROM ("
               "SELECT unit, sum(investment) FILTER (WHERE stage = 'signed') AS signed, "
               "count(*) FILTER (WHERE stage = 'negotiating') AS talks "
               "FROM projects GROUP BY unit) p LEFT JOIN units u ON p.unit = u.unit "
               "ORDER BY rate DESC NULLS LAST, p.unit",
    },
    {
        "id": "Q6",
        "what": "count by month(signed_on)",
        "projq": "projects where signed_on is not null count by month(signed_on) as month",
        "sql": "SELECT strftime(m, '%Y-%m') AS month, count FROM ("
               "SELECT date_trunc('month', signed_on) AS m, count(*) AS count FROM projects "
               "WHERE signed_on IS NOT NULL GROUP BY m) ORDER BY m",
        # sqlite3 keeps dates as ISO text: the month is its first seven characters.
        "sqlite": "SELECT substr(signed_on, 1, 7) AS month, count(*) AS count FROM projects "
                  "WHERE signed_on IS NOT NULL GROUP BY month ORDER BY month",
    },
    {
        "id": "Q7",
        "what": "name contains '机械', count",
        "projq": 'projects where name contains "机械" count',
        "sql": "SELECT count(*) AS count FROM projects WHERE contains(name, '机械')",
        "sqlite": "SELECT count(*) AS count FROM projects WHERE instr(name, '机械') > 0",
    },
    # Q8-Q14 need the --dimension columns (investor_id, contact, file_no) and investors.csv.
    {
        "id": "Q8",
        "what": "left join investors (100k), sum by province",
        "projq": "projects join investors on investor_id | sum investment by province",
        "sql": "SELECT i.province, sum(p.investment) AS sum_investment FROM projects p "
               "LEFT JOIN investors i ON p.investor_id = i.investor_id "
               "GROUP BY i.province ORDER BY i.province NULLS LAST",
    },
    {
        "id": "Q9",
        "what": "count, sum by file_no (632k groups at 1M), top 10",
        "projq": "projects count, sum investment by file_no | top 10 by sum_investment",
        "sql": "SELECT file_no, count(*) AS count, sum(investment) AS sum_investment FROM projects "
               "GROUP BY file_no ORDER BY sum_investment DESC NULLS LAST, file_no LIMIT 10",
    },
    {
        "id": "Q10",
        "what": "sum by contact (58% distinct), stage, top 20",
        "projq": "projects sum investment by contact, stage | top 20 by sum_investment",
        "sql": "SELECT contact, stage, sum(investment) AS sum_investment FROM projects "
               "GROUP BY contact, stage "
               f"ORDER BY sum_investment DESC NULLS LAST, contact, {STAGE_ORDER} LIMIT 20",
    },
    {
        "id": "Q11",
        "what": "sort by name (text), first 20 rows",
        "projq": "projects sort name | limit 20",
        "sql": "SELECT * FROM projects ORDER BY name LIMIT 20",
    },
    {
        "id": "Q12",
        "what": "sort all rows, 4 columns as CSV to /dev/null",
        "projq": "projects sort investment desc, id | select id, unit, stage, investment",
        "sql": "SELECT id, unit, stage, investment FROM projects "
               "ORDER BY investment DESC NULLS LAST, id",
        # The whole result is written as CSV to /dev/null (DuckDB: COPY ... TO '/dev/null';
        # Polars: write_csv / sink_csv; sqlite3: .output /dev/null; projq: --format csv). The
        # check compares the row count and the first and last ENDS rows.
        "output": "csv",
    },
    {
        "id": "Q13",
        "what": "count distinct contact by unit",
        "projq": "projects count distinct contact by unit",
        "sql": "SELECT unit, count(DISTINCT contact) AS count_distinct_contact FROM projects "
               "GROUP BY unit ORDER BY unit",
    },
    {
        "id": "Q14",
        "what": "median by unit, sector",
        "projq": "projects median investment by unit, sector",
        "sql": "SELECT unit, sector, median(investment) AS median_investment FROM projects "
               "GROUP BY unit, sector ORDER BY unit, sector",
        # sqlite3 has no median: the middle row (or the mean of the two middle rows) of each
        # group, by row_number over the group's values in order.
        "sqlite": "SELECT unit, sector, avg(investment) AS median_investment FROM ("
                  "SELECT unit, sector, investment, row_number() OVER w AS r, count(*) OVER "
                  "(PARTITION BY unit, sector) AS n FROM projects WHERE investment IS NOT NULL "
                  "WINDOW w AS (PARTITION BY unit, sector ORDER BY investment)) "
                  "WHERE r IN ((n + 1) / 2, (n + 2) / 2) GROUP BY unit, sector ORDER BY unit, sector",
        "sqlite_max_rows": 2_000_000,
        "sqlite_why": "its window-function median takes 5-7 s a run at 1M rows; at 10M, where "
                      "Q13 takes 27 times its 1M time, several runs would take minutes",
    },
]

QUERY_IDS = [q["id"] for q in QUERIES]
ENDS = 1000  # a query with "output": "csv" is checked on its row count and first and last ENDS rows


def polars_queries(pl, df, units, investors):
    """({id: (eager function, lazy function)}, {id: lazy check}). Each function returns a polars
    DataFrame, except the lazy one of a query that writes its result (sink_csv), which returns
    None; its lazy check collects the same plan, untimed, for the result check."""
    inv = pl.col("investment")
    stage = pl.col("stage")
    stage_rank = stage.replace_strict({s: i for i, s in enumerate(STAGES)}, default=len(STAGES),
                                      return_dtype=pl.Int32)
    q1_filter = (pl.col("sector") == "machinery") & (stage == "signed")
    q3_aggs = [pl.len().alias("count"), inv.sum().alias("sum_investment"),
               inv.mean().alias("avg_investment"), inv.max().alias("max_investment")]
    q5_aggs = [inv.filter(stage == "signed").sum().alias("signed"),
               (stage == "negotiating").sum().alias("talks")]
    q5_select = [pl.col("unit"), pl.col("signed"), pl.col("talks"),
                 (pl.col("signed") / pl.col("quota")).alias("rate")]
    month = pl.col("signed_on").dt.truncate("1mo").alias("m")
    q6_final = [pl.col("m").dt.strftime("%Y-%m").alias("month"), pl.col("count")]
    machinery = pl.col("name").str.contains("机械", literal=True)

    def q1e():
        return df.filter(q1_filter).group_by("unit").agg(inv.sum().alias("sum_investment")).sort("unit")

    def q1l():
        return (df.lazy().filter(q1_filter).group_by("unit")
                .agg(inv.sum().alias("sum_investment")).sort("unit").collect())

    def q2e():
        return (df.group_by("stage").agg(pl.len().alias("count"), inv.sum().alias("sum_investment"))
                .sort(stage_rank))

    def q2l():
        return (df.lazy().group_by("stage")
                .agg(pl.len().alias("count"), inv.sum().alias("sum_investment"))
                .sort(stage_rank).collect())

    def q3e():
        return df.group_by("unit", "sector").agg(q3_aggs).sort("unit", "sector")

    def q3l():
        return df.lazy().group_by("unit", "sector").agg(q3_aggs).sort("unit", "sector").collect()

    def q4e():
        # top_k leaves its k rows unordered: sort those ten.
        return (df.filter(inv >= 10000)
                .top_k(10, by=["investment", "id"], reverse=[False, True])
                .sort(["investment", "id"], descending=[True, False])
                .select("name", "unit", "investment"))

    def q4l():
        return (df.lazy().filter(inv >= 10000)
                .sort(["investment", "id"], descending=[True, False], nulls_last=True).head(10)
                .select("name", "unit", "investment").collect())

    def q5e():
        return (df.group_by("unit").agg(q5_aggs).join(units, on="unit", how="left")
                .select(q5_select)
                .sort(["rate", "unit"], descending=[True, False], nulls_last=True))

    def q5l():
        return (df.lazy().group_by("unit").agg(q5_aggs)
                .join(units.lazy(), on="unit", how="left").select(q5_select)
                .sort(["rate", "unit"], descending=[True, False], nulls_last=True).collect())

    def q6e():
        return (df.filter(pl.col("signed_on").is_not_null()).group_by(month)
                .agg(pl.len().alias("count")).sort("m").select(q6_final))

    def q6l():
        return (df.lazy().filter(pl.col("signed_on").is_not_null()).group_by(month)
                .agg(pl.len().alias("count")).sort("m").select(q6_final).collect())

    def q7e():
        return df.select(machinery.sum().cast(pl.Int64).alias("count"))

    def q7l():
        return df.lazy().filter(machinery).select(pl.len().alias("count")).collect()

    # Q8-Q14 (the --dimension columns). investors is None without investors.csv.
    q8_agg = inv.sum().alias("sum_investment")

    def q8e():
        return (df.join(investors, on="investor_id", how="left").group_by("province")
                .agg(q8_agg).sort("province", nulls_last=True))

    def q8l():
        return (df.lazy().join(investors.lazy(), on="investor_id", how="left")
                .group_by("province").agg(q8_agg).sort("province", nulls_last=True).collect())

    q9_aggs = [pl.len().alias("count"), inv.sum().alias("sum_investment")]
    q9_order = ["sum_investment", "file_no"]

    def q9e():
        return (df.group_by("file_no").agg(q9_aggs)
                .top_k(10, by=q9_order, reverse=[False, True])
                .sort(q9_order, descending=[True, False]))

    def q9l():
        return (df.lazy().group_by("file_no").agg(q9_aggs)
                .sort(q9_order, descending=[True, False], nulls_last=True).head(10).collect())

    q10_order = ["sum_investment", "contact", "stage_rank"]

    def q10e():
        return (df.group_by("contact", "stage").agg(inv.sum().alias("sum_investment"))
                .with_columns(stage_rank.alias("stage_rank"))
                .top_k(20, by=q10_order, reverse=[False, True, True])
                .sort(q10_order, descending=[True, False, False]).drop("stage_rank"))

    def q10l():
        return (df.lazy().group_by("contact", "stage").agg(inv.sum().alias("sum_investment"))
                .sort([pl.col("sum_investment"), pl.col("contact"), stage_rank],
                      descending=[True, False, False], nulls_last=True).head(20).collect())

    def q11e():
        return df.top_k(20, by="name", reverse=True).sort("name")

    def q11l():
        return df.lazy().sort("name").head(20).collect()

    q12_columns = ["id", "unit", "stage", "investment"]
    q12_order = dict(by=["investment", "id"], descending=[True, False], nulls_last=True)

    def q12e():
        result = df.select(q12_columns).sort(**q12_order)
        result.write_csv("/dev/null")
        return result

    def q12_plan():
        return df.lazy().sort(**q12_order).select(q12_columns)

    def q12l():
        q12_plan().sink_csv("/dev/null")

    q13_agg = pl.col("contact").drop_nulls().n_unique().alias("count_distinct_contact")

    def q13e():
        return df.group_by("unit").agg(q13_agg).sort("unit")

    def q13l():
        return df.lazy().group_by("unit").agg(q13_agg).sort("unit").collect()

    q14_agg = inv.median().alias("median_investment")

    def q14e():
        return df.group_by("unit", "sector").agg(q14_agg).sort("unit", "sector")

    def q14l():
        return df.lazy().group_by("unit", "sector").agg(q14_agg).sort("unit", "sector").collect()

    fns = {"Q1": (q1e, q1l), "Q2": (q2e, q2l), "Q3": (q3e, q3l), "Q4": (q4e, q4l),
           "Q5": (q5e, q5l), "Q6": (q6e, q6l), "Q7": (q7e, q7l), "Q8": (q8e, q8l),
           "Q9": (q9e, q9l), "Q10": (q10e, q10l), "Q11": (q11e, q11l), "Q12": (q12e, q12l),
           "Q13": (q13e, q13l), "Q14": (q14e, q14l)}
    return fns, {"Q12": lambda: q12_plan().collect()}


# ---------------------------------------------------------------------------------------------
# Workers: one fresh process per engine; load both tables, then time every query.

from benchlib import reset_vm_hwm, vm_hwm_kb, vm_rss_kb  # noqa: E402 (run from bench/ or the root)


def timed(fn, runs):
    """(result of the warm-up run, list of `runs` times in ms)."""
    result = fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000.0)
    return result, times


def plain(value):
    """A result cell as JSON: numbers stay numbers, the rest becomes text, None stays null."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def ends(rows, total):
    """The rows a query with "output": "csv" is checked on: all of them when there are at most
    2 * ENDS, else the first ENDS and the last ENDS."""
    return rows if total <= 2 * ENDS else rows[:ENDS] + rows[-ENDS:]


def selected(ids):
    return [q for q in QUERIES if q["id"] in ids]


def worker(engine, data, runs, out_path, ids):
    projects = os.path.join(data, "projects.csv")
    units_csv = os.path.join(data, "units.csv")
    investors_csv = os.path.join(data, "investors.csv")
    has_investors = os.path.isfile(investors_csv)
    out = {"engine": engine, "queries": {}}
    if engine in ("duckdb", "duckdb-memory"):
        import duckdb
        con = duckdb.connect()
        con.execute(f"SET threads={THREADS}")
        before = vm_rss_kb()
        t0 = time.perf_counter()
        con.execute("CREATE TABLE projects AS SELECT * FROM read_csv(?)", [projects])
        con.execute("CREATE TABLE units AS SELECT * FROM read_csv(?)", [units_csv])
        if has_investors:
            con.execute("CREATE TABLE investors AS SELECT * FROM read_csv(?)", [investors_csv])
        out["load_ms"] = (time.perf_counter() - t0) * 1000.0
        loaded = vm_rss_kb()
        out["rss_load_mb"] = (loaded - before) / 1024.0
        out["rows"] = con.execute("SELECT count(*) FROM projects").fetchone()[0]
        out["version"] = duckdb.__version__
        for q in selected(ids):
            cur = {}
            if q.get("output") == "csv":
                copy = f"COPY ({q['sql']}) TO '/dev/null' (FORMAT csv, HEADER, USE_TMP_FILE false)"

                def run(sql=copy):
                    con.execute(sql)
            else:
                def run(sql=q["sql"]):
                    c = con.execute(sql)
                    cur["columns"] = [d[0] for d in c.description]
                    return c.fetchall()

            if engine == "duckdb-memory":
                # The peak RSS while the query runs once: VmHWM, reset to the RSS just before.
                start = vm_rss_kb()
                reset_vm_hwm()
                run()
                peak = vm_hwm_kb()
                out["queries"][q["id"]] = {
                    # DuckDB's resident memory for the data and this query: the load's RSS
                    # growth plus the query's peak above the RSS after the load.
                    "mem_mb": (peak - loaded + (loaded - before)) / 1024.0,
                    "mem_query_mb": (peak - loaded) / 1024.0,
                    "rss_start_mb": (start - before) / 1024.0,
                }
                continue
            rows, times = timed(run, runs)
            if q.get("output") == "csv":  # the check's rows, untimed
                total = con.execute(f"SELECT count(*) FROM ({q['sql']})").fetchone()[0]
                c = con.execute(q["sql"] + ("" if total <= 2 * ENDS else f" LIMIT {ENDS}"))
                cur["columns"] = [d[0] for d in c.description]
                rows = c.fetchall()
                if total > 2 * ENDS:
                    rows += con.execute(f"{q['sql']} LIMIT {ENDS} OFFSET {total - ENDS}").fetchall()
            else:
                total = len(rows)
            out["queries"][q["id"]] = {"times": times, "columns": cur["columns"], "total": total,
                                       "rows": [[plain(v) for v in r] for r in rows]}
    elif engine == "polars":
        # Must be set before polars is imported: its thread pool is sized once, at import.
        os.environ["POLARS_MAX_THREADS"] = str(THREADS)
        import polars as pl
        assert pl.thread_pool_size() == THREADS, pl.thread_pool_size()
        before = vm_rss_kb()
        t0 = time.perf_counter()
        # investment has integer-looking values first; 10,000 rows of inference sees decimals.
        # try_parse_dates makes signed_on a Date.
        df = pl.read_csv(projects, infer_schema_length=10_000, try_parse_dates=True)
        units = pl.read_csv(units_csv)
        investors = pl.read_csv(investors_csv) if has_investors else None
        out["load_ms"] = (time.perf_counter() - t0) * 1000.0
        out["rss_load_mb"] = (vm_rss_kb() - before) / 1024.0
        out["rows"] = df.height
        out["version"] = pl.__version__
        if df.schema["signed_on"] != pl.Date:
            raise SystemExit(f"polars read signed_on as {df.schema['signed_on']}, not Date")
        fns, checks = polars_queries(pl, df, units, investors)
        for q in selected(ids):
            entry = {}
            for api, fn in zip(("eager", "lazy"), fns[q["id"]]):
                result, times = timed(fn, runs)
                if result is None:
                    result = checks[q["id"]]()
                total = result.height
                if q.get("output") == "csv" and total > 2 * ENDS:
                    result = pl.concat([result.head(ENDS), result.tail(ENDS)])
                entry[api] = {"times": times, "columns": result.columns, "total": total,
                              "rows": [[plain(v) for v in r] for r in result.rows()]}
            out["queries"][q["id"]] = entry
    else:
        raise SystemExit(f"unknown engine {engine}")
    out["rss_end_mb"] = (vm_rss_kb() - before) / 1024.0
    with open(out_path, "w") as f:
        json.dump(out, f, ensure_ascii=False)


# ---------------------------------------------------------------------------------------------
# Driver.

def say(msg):
    print(msg, file=sys.stderr, flush=True)


class Outcome:
    """One engine's answer to one query: times (ms), result (columns, rows) or an error."""

    def __init__(self, times=None, columns=None, rows=None, error=None, note="", total=None):
        self.times = times or []
        self.columns = columns
        self.rows = rows  # all rows, or for "output": "csv" the first and last ENDS (see ends)
        self.total = total if total is not None else (len(rows) if rows is not None else None)
        self.error = error
        self.note = note

    @property
    def median(self):
        return statistics.median(self.times) if self.times else None


# The DuckDB memory pass: jemalloc (DuckDB's allocator on Linux) returns freed pages at once, so
# the RSS is the live memory: a query does not inherit the load's transient buffers or an
# earlier query's freed pages (with the defaults they linger for seconds and blur the figures).
DUCKDB_MEMORY_MALLOC_CONF = "dirty_decay_ms:0,muzzy_decay_ms:0"


def run_worker(engine, data, runs, ids):
    env = dict(os.environ, POLARS_MAX_THREADS=str(THREADS))
    if engine == "duckdb-memory":
        env["DUCKDB_JE_MALLOC_CONF"] = DUCKDB_MEMORY_MALLOC_CONF
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        done = subprocess.run([sys.executable, os.path.abspath(__file__), "--worker", engine,
                               "--data", data, "--runs", str(runs), "--out", out.name,
                               "--queries", ",".join(ids)],
                              capture_output=True, text=True, env=env)
        if done.returncode != 0:
            raise SystemExit(f"query_bench: the {engine} worker failed:\n{done.stderr}")
        with open(out.name) as f:
            return json.load(f)


class LoadWatch:
    """Measures, per phase of the run, how much CPU other processes took (the machine is shared:
    a Swift build or another benchmark can double the times). other = all busy CPU time in
    /proc/stat minus this process's and its waited-for children's; a sampler thread notes the
    names of running processes outside this process tree, to say who it was."""

    def __init__(self):
        self.tick = os.sysconf("SC_CLK_TCK")
        self.phase = None
        self.busy = {}   # phase -> average CPUs used by other processes
        self.names = {}  # phase -> {process name: samples seen running}
        self._start = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _busy_s(self):
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        # user nice system idle iowait irq softirq steal ...: all but idle and iowait
        return (sum(v[:8]) - v[3] - v[4]) / self.tick

    @staticmethod
    def _own_s():
        t = os.times()
        return t.user + t.system + t.children_user + t.children_system

    def switch(self, name):
        now = (time.monotonic(), self._busy_s(), self._own_s())
        if self.phase is not None and self._start is not None:
            wall = now[0] - self._start[0]
            other = (now[1] - self._start[1]) - (now[2] - self._start[2])
            if wall > 0:
                self.busy[self.phase] = max(0.0, other / wall)
        self.phase, self._start = name, now

    def _running_others(self):
        procs = {}
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                with open(f"/proc/{pid}/stat") as f:
                    stat = f.read()
            except OSError:
                continue
            comm = stat[stat.index("(") + 1:stat.rindex(")")]
            fields = stat[stat.rindex(")") + 2:].split()
            procs[int(pid)] = (comm, fields[0], int(fields[1]))  # name, state, parent
        mine = {os.getpid()}
        grew = True
        while grew:
            grew = False
            for pid, (_, _, ppid) in procs.items():
                if ppid in mine and pid not in mine:
                    mine.add(pid)
                    grew = True
        return [comm for pid, (comm, state, ppid) in procs.items()
                if state == "R" and pid not in mine and ppid != 2 and pid != 2]

    def _run(self):
        while not self._stop.wait(0.5):
            phase = self.phase
            if phase is None:
                continue
            try:
                found = self._running_others()
            except OSError:
                continue
            counts = self.names.setdefault(phase, {})
            for name in found:
                counts[name] = counts.get(name, 0) + 1

    def stop(self):
        self.switch(None)
        self._stop.set()
        self._thread.join()

    def warnings(self, threshold=0.25):
        out = []
        for phase, cpus in self.busy.items():
            if cpus >= threshold:
                who = sorted(self.names.get(phase, {}).items(), key=lambda kv: -kv[1])[:5]
                names = ", ".join(n for n, _ in who) or "unknown"
                out.append(f"{phase}: other processes used {cpus:.1f} of {os.cpu_count()} CPUs "
                           f"on average ({names})")
        return out


# -- projq --

PROJQ_RETRIES = 5
PROJQ_WAIT_S = 60


def run_projq(argv, **kw):
    """subprocess.run for projq, waiting out a rebuild: when the binary is missing or busy, or it
    died of a signal and the binary changed meanwhile, wait a minute and try again (up to
    PROJQ_RETRIES times). A crash of an unchanged binary is returned like any failure."""
    for attempt in range(PROJQ_RETRIES + 1):
        problem = None
        if not os.access(argv[0], os.X_OK):
            problem = f"{argv[0]} is missing"
        else:
            stamp = os.stat(argv[0]).st_mtime_ns
            try:
                done = subprocess.run(argv, **kw)
            except OSError as e:  # ETXTBSY while the linker writes it, ENOENT between steps
                problem = f"{argv[0]} could not start ({e})"
            else:
                try:
                    changed = os.stat(argv[0]).st_mtime_ns != stamp
                except OSError:
                    changed = True
                if done.returncode >= 0 or not changed:
                    return done
                problem = f"{argv[0]} died of signal {-done.returncode} while it was being replaced"
        if attempt == PROJQ_RETRIES:
            raise SystemExit(f"query_bench: {problem}; gave up after {PROJQ_RETRIES} retries")
        say(f"  {problem}; waiting {PROJQ_WAIT_S} s (the binary may be being rebuilt)")
        time.sleep(PROJQ_WAIT_S)


def exit_text(returncode):
    return f"signal {-returncode}" if returncode < 0 else f"exit {returncode}"


def first_error(text):
    lines = [line for line in (text or "").splitlines() if line.strip()]
    return lines[0] if lines else "no message"


def ensure_snapshot(projq, data):
    """bench/data/ROWS/ledger.projqdb with projects, units and (if there) investors, rewritten
    when stale."""
    snapshot = os.path.join(data, "ledger.projqdb")
    tables = [os.path.join(data, f) for f in ("projects.csv", "units.csv", "investors.csv")]
    tables = [t for t in tables if os.path.exists(t)]
    sources = tables + [projq]
    # Which binary wrote it, beside it: switching to another (older) binary rewrites it too.
    stamp_path = snapshot + ".by"
    stamp = f"{os.path.realpath(projq)} {os.stat(projq).st_mtime_ns}\n" if os.path.exists(projq) else ""
    try:
        with open(stamp_path) as f:
            written_by = f.read()
    except OSError:
        written_by = None
    if os.path.exists(snapshot) and written_by == stamp and all(
            os.path.getmtime(snapshot) >= os.path.getmtime(s) for s in sources):
        say(f"projq snapshot {snapshot} is up to date")
        return snapshot, None
    argv = [projq, tables[0]]
    for t in tables[1:]:
        argv += ["-c", f".load {t}"]
    argv += ["-c", f".save {snapshot}"]
    say(f"projq snapshot: {shlex.join(argv)}")
    done = run_projq(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0 or not os.path.exists(snapshot):
        return None, (f"the snapshot save failed ({exit_text(done.returncode)}): "
                      f"{first_error(done.stderr)}")
    with open(stamp_path, "w") as f:
        f.write(stamp)
    return snapshot, None


TIME_LINE = re.compile(r"^time: ([0-9]+(?:\.[0-9]+)?) ms$")


def recache(path):
    """Drops `path` from the page cache and reads it once in 16 MiB pieces, so that every run
    finds the snapshot cached the same way: as after `.save` wrote it, in 2 MiB folios, which
    Linux maps one entry each. After memory pressure (another engine's load) part of it may be
    cached 4 KiB at a time; measured so, Q7 at 10M took 86 ms end to end instead of 70."""
    fd = os.open(path, os.O_RDONLY)
    try:
        # A snapshot just written is still partly dirty: written back first, or the kernel keeps
        # those pages and reads the rest around them in small pieces (Q7 at 10M: 95 ms).
        os.fsync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        while os.read(fd, 16 << 20):
            pass
    finally:
        os.close(fd)


def read_result(f, q):
    """(columns, rows, total) of a CSV result in the open text file f; for "output": "csv" only
    the rows ends() keeps, read as a stream (10M rows need not fit in memory)."""
    reader = csv.reader(f)
    header = next(reader, None)
    if header is None:
        return None, [], 0
    if q.get("output") != "csv":
        rows = list(reader)
        while rows and not rows[-1]:
            rows.pop()
        return header, rows, len(rows)
    head, tail, total = [], collections.deque(maxlen=ENDS), 0
    for row in reader:
        if len(head) < ENDS:
            head.append(row)
        else:
            tail.append(row)
        total += 1
    return header, head + list(tail), total


class ProjqResult(Outcome):
    """projq's answer: times in process (.timer), whole-process times (e2e), peak RSS."""

    def __init__(self, *args, e2e=None, rss=None, **kw):
        super().__init__(*args, **kw)
        self.e2e = e2e or []
        self.rss = rss

    @property
    def e2e_median(self):
        return statistics.median(self.e2e) if self.e2e else None


def projq_query(projq, snapshot, q, runs, tmp):
    """Times q in process (`.timer on`, warm-up + runs in one process), reads its result (which
    is the end-to-end warm-up), times it end to end (one process per run: start, open the
    snapshot, run, print CSV to /dev/null) and measures that process's peak RSS."""
    argv = [projq, snapshot, "--format", "csv", "-c", ".timer on"] + ["-c", q["projq"]] * (runs + 1)
    done = run_projq(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    times = [float(m.group(1)) for m in map(TIME_LINE.match, done.stderr.splitlines()) if m]
    if done.returncode != 0:
        return ProjqResult(error=f"{exit_text(done.returncode)}: {first_error(done.stderr)}")
    if len(times) != runs + 1:
        return ProjqResult(error=f"{len(times)} 'time: X ms' lines on stderr, expected {runs + 1}")
    one = [projq, snapshot, "-c", q["projq"], "--format", "csv"]
    out_path = os.path.join(tmp, f"projq-{q['id']}.csv")
    with open(out_path, "w") as out:
        result = run_projq(one, stdout=out, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        return ProjqResult(times[1:], error=f"--format csv: {exit_text(result.returncode)}: "
                                            f"{first_error(result.stderr)}")
    with open(out_path, newline="", encoding="utf-8") as f:
        columns, rows, total = read_result(f, q)
    os.remove(out_path)
    if columns is None:
        return ProjqResult(times[1:], error="--format csv printed nothing")
    e2e = []
    for _ in range(runs):
        t0 = time.perf_counter()
        done = run_projq(one, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        e2e.append((time.perf_counter() - t0) * 1000.0)
        if done.returncode != 0:
            return ProjqResult(times[1:], error=f"end to end: {exit_text(done.returncode)}")
    return ProjqResult(times[1:], columns, rows, total=total, e2e=e2e, rss=peak_rss_mb(one))


def peak_rss_mb(argv):
    """Maximum resident set (MB) of one run of argv; None when it fails."""
    if os.access("/usr/bin/time", os.X_OK):
        with tempfile.NamedTemporaryFile(suffix=".txt") as out:
            done = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", out.name, "--", *argv],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if done.returncode != 0:
                return None
            with open(out.name) as f:
                return int(f.read().split()[-1]) / 1024.0
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        return None
    return usage.ru_maxrss / 1024.0  # ru_maxrss is in KB on Linux


# -- sqlite3 --

SQLITE_TYPES = {"id": "INTEGER", "investment": "REAL", "quota": "INTEGER", "investor_id": "INTEGER",
                "file_no": "INTEGER", "capital": "REAL"}


def sqlite_table(path, name):
    """CREATE TABLE for a CSV file's header (typed where a query needs numbers) and its import."""
    with open(path, newline="", encoding="utf-8") as f:
        header = next(csv.reader(f))
    cols = ", ".join(f'"{c}" {SQLITE_TYPES.get(c, "TEXT")}' for c in header)
    return [f'CREATE TABLE {name} ({cols});', f".import --csv --skip 1 '{path}' {name}"], header


def sqlite_skipped(q, rows):
    """Why sqlite3 does not run q at this size, or None."""
    limit = q.get("sqlite_max_rows")
    if limit is not None and rows > limit:
        return f"skipped above {limit:,} rows ({q['sqlite_why']})"
    return None


def run_sqlite(data, runs, tmp, queries, rows):
    script, header = sqlite_table(os.path.join(data, "projects.csv"), "projects")
    script += sqlite_table(os.path.join(data, "units.csv"), "units")[0]
    investors = os.path.join(data, "investors.csv")
    if os.path.isfile(investors):
        script += sqlite_table(investors, "investors")[0]
    # .import keeps an empty cell as '' (text), which sum/avg would count as 0: make it NULL.
    for col in ("investment", "signed_on", "investor_id"):
        if col in header:
            script.append(f"UPDATE projects SET {col} = NULL WHERE {col} = '';")
    script += [".headers on", ".mode csv", ".timer on"]
    outs = {}
    results = {}
    timed_queries = []
    for q in queries:
        why = sqlite_skipped(q, rows)
        if why:
            results[q["id"]] = Outcome(note=why)
            continue
        timed_queries.append(q)
        outs[q["id"]] = os.path.join(tmp, f"sqlite-{q['id']}.csv")
        script.append(f".output '{outs[q['id']]}'")  # the warm-up run writes the result
        script.append(q.get("sqlite", q["sql"]) + ";")
        script.append(".output /dev/null")
        script += [q.get("sqlite", q["sql"]) + ";"] * runs
    script.append(".output stdout")
    argv = ["sqlite3", "-bail", ":memory:"]
    timing = os.access("/usr/bin/time", os.X_OK)
    rss_file = os.path.join(tmp, "sqlite-rss.txt")
    if timing:
        argv = ["/usr/bin/time", "-f", "%M", "-o", rss_file, "--"] + argv
    done = subprocess.run(argv, input="\n".join(script) + "\n", capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"query_bench: sqlite3 failed (exit {done.returncode}):\n{done.stderr}")
    secs = [float(x) for x in re.findall(r"^Run Time: real ([0-9.]+)", done.stdout, re.M)]
    if len(secs) != len(timed_queries) * (runs + 1):
        raise SystemExit(f"query_bench: sqlite3 printed {len(secs)} 'Run Time' lines, expected "
                         f"{len(timed_queries) * (runs + 1)}:\n{done.stdout[-2000:]}{done.stderr}")
    for i, q in enumerate(timed_queries):
        block = secs[i * (runs + 1):(i + 1) * (runs + 1)]
        with open(outs[q["id"]], newline="", encoding="utf-8") as f:
            columns, rows_, total = read_result(f, q)
        os.remove(outs[q["id"]])
        results[q["id"]] = Outcome([s * 1000.0 for s in block[1:]], columns, rows_, total=total)
    rss = None
    if timing:
        with open(rss_file) as f:
            rss = int(f.read().split()[-1]) / 1024.0
    return results, rss


# -- checking --

def cell_equal(a, b):
    if isinstance(a, bool):  # DuckDB's and Polars' booleans against projq's and sqlite3's text
        a = "true" if a else "false"
    if isinstance(b, bool):
        b = "true" if b else "false"
    if a in (None, "") or b in (None, ""):
        return a in (None, "") and b in (None, "")
    if isinstance(a, str) and isinstance(b, str) and a == b:
        return True
    try:
        x, y = float(a), float(b)
    except (TypeError, ValueError):
        return str(a) == str(b)
    # projq's decimals are exact at a stated number of digits (a quotient keeps six more than its
    # operands, at most nine): its text may be the other engine's double rounded to those digits.
    for text in (a, b):
        if isinstance(text, str) and "." in text and text.replace(".", "", 1).lstrip("-").isdigit():
            digits = len(text.split(".")[1])
            if abs(x - y) <= 0.5 * 10 ** -digits * (1 + 1e-9) + 1e-12:
                return True
    return math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9)


def compare(ref, other):
    """None when other's rows equal ref's, else a short description of the first difference."""
    if ref.total != other.total:
        return f"{other.total} rows, expected {ref.total}"
    if len(ref.rows) != len(other.rows):
        return f"{len(other.rows)} rows, expected {len(ref.rows)}"
    for i, (r, o) in enumerate(zip(ref.rows, other.rows)):
        # Row numbers in the result (for "output": "csv", rows past ENDS are its last ENDS).
        n = i + 1 if i < ENDS or ref.total <= 2 * ENDS else ref.total - len(ref.rows) + i + 1
        if len(r) != len(o):
            return f"row {n} has {len(o)} columns, expected {len(r)}"
        if not all(cell_equal(a, b) for a, b in zip(r, o)):
            return f"row {n} is {o}, expected {r}"
    return None


def fmt_ms(x):
    if x is None:
        return "n/a"
    if x < 10:
        return f"{x:.2f}"
    return f"{x:,.1f}" if x < 100 else f"{x:,.0f}"


def fmt_ratio(a, b):
    if a is None or b is None or b == 0:
        return "n/a"
    r = a / b
    return f"{r:.3f}" if r < 0.1 else f"{r:.2f}"


def fmt_mb(x):
    return "n/a" if x is None else f"{x:,.0f}"


def version(argv, word):
    try:
        return subprocess.run(argv, capture_output=True, text=True, check=True).stdout.split()[word]
    except (OSError, subprocess.CalledProcessError, IndexError):
        return "?"


def count_rows(path):
    """Data rows of a CSV file without quoted line breaks (units.csv, investors.csv)."""
    with open(path, "rb") as f:
        return max(0, sum(1 for _ in f) - 1)


def parse_ids(text):
    ids = [x.strip().upper() for x in (text or "").split(",") if x.strip()]
    if not ids:
        return list(QUERY_IDS)
    unknown = [x for x in ids if x not in QUERY_IDS]
    if unknown:
        raise SystemExit(f"query_bench: unknown queries {', '.join(unknown)} "
                         f"(known: {', '.join(QUERY_IDS)})")
    return [k for k in QUERY_IDS if k in ids]  # in the list's order


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--worker", choices=("duckdb", "duckdb-memory", "polars"),
                    help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    ap.add_argument("--data", required=True,
                    help="bench/data/ROWS (projects.csv, units.csv, investors.csv)")
    ap.add_argument("--rows", type=int, help="rows in projects.csv (checked against each load)")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per query (default 5)")
    ap.add_argument("--projq", default=".build/release/projq", help="the projq binary")
    ap.add_argument("--skip-projq", action="store_true", help="time only the other engines")
    ap.add_argument("--skip-sqlite", action="store_true", help="do not run sqlite3")
    ap.add_argument("--queries", help="comma-separated subset, e.g. Q8,Q9 (default: all, Q1-Q14)")
    ap.add_argument("--command", help="the command line to print under the table")
    args = ap.parse_args(argv)
    ids = parse_ids(args.queries)
    queries = selected(ids)

    if args.worker:
        worker(args.worker, args.data, args.runs, args.out, ids)
        return 0
    if not args.rows:
        ap.error("--rows is required")
    if args.runs < 1:
        ap.error("--runs must be at least 1")
    if not args.skip_sqlite and shutil.which("sqlite3") is None:
        raise SystemExit("query_bench: sqlite3 not found (apt-get install sqlite3)")
    need = ["projects.csv", "units.csv"]
    if any(int(k[1:]) >= 8 for k in ids):
        need.append("investors.csv")
    for f in need:
        if not os.path.isfile(os.path.join(args.data, f)):
            raise SystemExit(f"query_bench: {args.data}/{f} is missing (bench/queries.sh makes it "
                             f"with generate.py --dimension)")

    problems = []
    projq = {}
    projq_rss = None
    watch = LoadWatch() if os.path.exists("/proc/stat") else None

    def phase(name):
        if watch is not None:
            watch.switch(name)

    projq_built = projq_changed = None
    if not args.skip_projq:
        phase("projq")
        projq_built = os.stat(args.projq).st_mtime if os.path.exists(args.projq) else None
        snapshot, error = ensure_snapshot(args.projq, args.data)
        if snapshot:
            recache(snapshot)
        with tempfile.TemporaryDirectory() as tmp:
            for q in queries:
                if error:
                    projq[q["id"]] = ProjqResult(error=error)
                    continue
                say(f"projq {q['id']}: {q['projq']}")
                projq[q["id"]] = projq_query(args.projq, snapshot, q, args.runs, tmp)
                if projq[q["id"]].error:
                    say(f"  projq error: {projq[q['id']].error}")
        if snapshot:
            say(f"projq peak memory (open the snapshot, run {', '.join(ids)} once)")
            all_queries = [a for q in queries for a in ("-c", q["projq"])]
            projq_rss = peak_rss_mb([args.projq, snapshot, "--format", "csv", *all_queries])
        projq_changed = (os.stat(args.projq).st_mtime if os.path.exists(args.projq) else None) \
            != projq_built

    phase("DuckDB")
    say("DuckDB: load, then the queries")
    duck_raw = run_worker("duckdb", args.data, args.runs, ids)
    say("DuckDB memory: load again, then each query once, VmHWM "
        f"(DUCKDB_JE_MALLOC_CONF={DUCKDB_MEMORY_MALLOC_CONF})")
    duck_mem = run_worker("duckdb-memory", args.data, args.runs, ids)
    phase("Polars")
    say("Polars: load, then the queries (eager and lazy)")
    pol_raw = run_worker("polars", args.data, args.runs, ids)
    for raw in (duck_raw, pol_raw):
        if raw["rows"] != args.rows:
            raise SystemExit(f"{raw['engine']} loaded {raw['rows']} rows, expected {args.rows}")
    if args.skip_sqlite:
        sqlite = {q["id"]: Outcome(note="skipped (--skip-sqlite)") for q in queries}
        sqlite_rss = None
    else:
        phase("sqlite3")
        say("sqlite3: import, then the queries")
        with tempfile.TemporaryDirectory() as tmp:
            sqlite, sqlite_rss = run_sqlite(args.data, args.runs, tmp, queries, args.rows)
    phase(None)

    duck = {k: Outcome(v["times"], v["columns"], v["rows"], total=v["total"])
            for k, v in duck_raw["queries"].items()}
    polars, polars_other = {}, {}
    for k, v in pol_raw["queries"].items():
        e, l = (Outcome(v[a]["times"], v[a]["columns"], v[a]["rows"], note=a, total=v[a]["total"])
                for a in ("eager", "lazy"))
        polars[k], polars_other[k] = (e, l) if e.median <= l.median else (l, e)

    # Every engine against DuckDB.
    checks = {}
    for q in queries:
        k = q["id"]
        bad = []
        for name, o in (("Polars " + polars[k].note, polars[k]),
                        ("Polars " + polars_other[k].note, polars_other[k]),
                        ("sqlite3", sqlite[k]), ("projq", projq.get(k))):
            if o is None or (o.rows is None and not o.error):  # skipped
                continue
            if o.error:
                bad.append(name + " failed")
                problems.append(f"{k} {name}: {o.error}")
                continue
            diff = compare(duck[k], o)
            if diff:
                bad.append(name)
                problems.append(f"{k} {name} differs from DuckDB: {diff}")
        checks[k] = "✓" if not bad else "✗ " + ", ".join(bad)

    size_mb = os.path.getsize(os.path.join(args.data, "projects.csv")) / 1e6
    investors_csv = os.path.join(args.data, "investors.csv")
    investors = (f" and {count_rows(investors_csv):,} investors"
                 if os.path.isfile(investors_csv) else "")
    print()
    print(f"Queries on {args.data}: {args.rows:,} projects ({size_mb:,.0f} MB of CSV), "
          f"{count_rows(os.path.join(args.data, 'units.csv'))} units{investors}; median ms of "
          f"{args.runs} runs after a warm-up; DuckDB, Polars and sqlite3 on data they have "
          f"already loaded, projq end to end (one process per run: start, open the snapshot, "
          f"run, print CSV to /dev/null) and in process (.timer); {os.cpu_count()} CPUs.")
    print(f"DuckDB {duck_raw['version']} ({THREADS} threads), Polars {pol_raw['version']} "
          f"({THREADS} threads), sqlite3 {version(['sqlite3', '--version'], 0)}"
          + (f", projq {args.projq} built {time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(projq_built))}"
             if projq_built else "") + ".")
    print()
    print("| query | projq e2e | projq in-process | DuckDB | Polars | sqlite3 "
          "| e2e / min(DuckDB, Polars) | e2e / DuckDB | in-process / min(DuckDB, Polars) "
          "| in-process / DuckDB | rows | results agree |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for q in queries:
        k = q["id"]
        p = projq.get(k)
        ok = p is not None and not p.error
        pm = p.median if ok else None
        pe = p.e2e_median if ok else None
        best = min(duck[k].median, polars[k].median)
        if p is None:
            pcells = "skipped | skipped"
        elif p.error:
            pcells = "error | " + ("error" if not p.times else fmt_ms(p.median))
        else:
            pcells = f"{fmt_ms(pe)} | {fmt_ms(pm)}"
        scell = "skipped" if sqlite[k].rows is None else fmt_ms(sqlite[k].median)
        print(f"| {k} {q['what']} | {pcells} | {fmt_ms(duck[k].median)} | "
              f"{fmt_ms(polars[k].median)} ({polars[k].note}) | {scell} | "
              f"{fmt_ratio(pe, best)} | {fmt_ratio(pe, duck[k].median)} | "
              f"{fmt_ratio(pm, best)} | {fmt_ratio(pm, duck[k].median)} | "
              f"{duck[k].total:,} | {checks[k]} |")
    if "Q12" in ids:
        print()
        print("Q12 writes all its rows as CSV to /dev/null in every engine; projq's in-process "
              "time (.timer) is the engine's run without the writing, its e2e time includes it.")
    print()
    print("Memory per query, MB: projq's peak RSS of the whole process (open the snapshot, run "
          "the query, print CSV to /dev/null; /usr/bin/time -f %M); DuckDB's resident memory for "
          "the data and that query: the load's RSS growth "
          f"({fmt_mb(duck_mem['rss_load_mb'])} MB) plus the query's peak RSS above the RSS after "
          "the load (VmHWM reset before the query), in a second DuckDB process whose allocator "
          f"returns freed memory at once (DUCKDB_JE_MALLOC_CONF={DUCKDB_MEMORY_MALLOC_CONF}).")
    print()
    print("| query | projq peak RSS | DuckDB load + query | DuckDB query above load "
          "| projq / DuckDB |")
    print("|---|---:|---:|---:|---:|")
    for q in queries:
        k = q["id"]
        p = projq.get(k)
        prss = p.rss if p is not None and not p.error else None
        d = duck_mem["queries"][k]
        pcell = "skipped" if p is None else ("error" if p.error else fmt_mb(prss))
        print(f"| {k} | {pcell} | {fmt_mb(d['mem_mb'])} | {fmt_mb(d['mem_query_mb'])} | "
              f"{fmt_ratio(prss, d['mem_mb'])} |")
    print()
    print(f"Memory, all queries: projq peak RSS {fmt_mb(projq_rss)} MB (open ledger.projqdb, run "
          f"{'Q1-Q14' if ids == QUERY_IDS else ', '.join(ids)} once in one process); DuckDB RSS "
          f"growth {fmt_mb(duck_raw['rss_load_mb'])} MB after the load, "
          f"{fmt_mb(duck_raw['rss_end_mb'])} MB after the queries; Polars "
          f"{fmt_mb(pol_raw['rss_load_mb'])} MB after the load, "
          f"{fmt_mb(pol_raw['rss_end_mb'])} MB after the queries; "
          + ("sqlite3 not run." if args.skip_sqlite else
             f"sqlite3 peak RSS {fmt_mb(sqlite_rss)} MB (import and queries)."))
    if projq_rss is not None:
        print(f"projq peak RSS / DuckDB RSS growth after load = "
              f"{fmt_ratio(projq_rss, duck_raw['rss_load_mb'])}")
    polars_slower = ", ".join(f"{k} {fmt_ms(polars_other[k].median)} ({polars_other[k].note})"
                              for k in polars)
    print(f"Polars, the slower API: {polars_slower}.")
    skipped = [f"{q['id']} {sqlite[q['id']].note}" for q in queries if sqlite[q["id"]].rows is None]
    if args.skip_sqlite:
        print("sqlite3: skipped (SKIP_SQLITE=1).")
    elif skipped:
        print(f"sqlite3: {'; '.join(skipped)}.")
    if projq_changed:
        print(f"Warning: {args.projq} was rebuilt while projq was being timed: its rows mix "
              f"two builds; run again.")
    if watch is not None:
        watch.stop()
        busy = watch.warnings()
        if busy:
            print("Warning: the machine was busy during " + "; ".join(busy) + ". Those times "
                  "are unreliable (a build or another benchmark can double them); run again.")
    if args.command:
        print(f"Command: `{args.command}`")
    if problems:
        print()
        print("Problems:")
        for p in problems:
            print(f"- {p}")
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
