#!/usr/bin/env python3
"""Checks Tests/QueryTests/Golden/totals-ranks-shares.test against DuckDB.

Each case of the golden file is paired here with the SQL a DuckDB user would write for it
(GROUP BY ROLLUP with GROUPING() for the labels, RANK() and SUM() OVER () window functions),
run on the same CSV files; the expected table in the golden file must equal DuckDB's answer,
cell by cell (numbers within half a unit of the last digit projq prints, which rounds half away
from zero). Run: bench/.venv/bin/python Tests/crosscheck/totals_ranks_shares.py
"""
import os, sys
import duckdb
import golden

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GOLDEN = os.path.join(ROOT, "Tests/QueryTests/Golden/totals-ranks-shares.test")

con = duckdb.connect()
con.execute(f"""CREATE TABLE projects AS SELECT * REPLACE (CAST(investment AS DECIMAL(18,1)) AS investment)
                FROM read_csv('{ROOT}/examples/county/projects.csv', header=true)""")
con.execute(f"CREATE TABLE units AS SELECT * FROM read_csv('{ROOT}/examples/county/units.csv', header=true)")
# The funnel order of the stage column (schema.toml), as DuckDB's ENUM.
con.execute("CREATE TYPE stage_t AS ENUM ('lead', 'negotiating', 'signed', 'started', 'operating')")
con.execute("ALTER TABLE projects ALTER stage TYPE stage_t")

LABEL = "CASE WHEN GROUPING({k}) = 1 THEN {label} ELSE CAST({k} AS VARCHAR) END"

SQL = [
    # 1 total over avg, median, count distinct: computed over the rows
    """SELECT COALESCE(CAST(stage AS VARCHAR), '合计'), SUM(investment), AVG(investment), MEDIAN(investment),
              COUNT(DISTINCT unit), COUNT(*)
       FROM projects GROUP BY ROLLUP (stage) ORDER BY GROUPING(stage), stage""",
    # 2 subtotals: ROLLUP (zone, sector), 小计 in the sector column, 合计 in the zone column
    f"""SELECT CASE WHEN GROUPING(zone) = 1 THEN '合计' ELSE zone END,
              CASE WHEN GROUPING(zone) = 1 THEN NULL WHEN GROUPING(sector) = 1 THEN '小计' ELSE sector END,
              COUNT(*), SUM(investment)
       FROM projects WHERE stage >= 'signed'::stage_t GROUP BY ROLLUP (zone, sector)
       ORDER BY GROUPING(zone), zone, GROUPING(sector), sector""",
    # 3 a label of one's own
    """SELECT COALESCE(zone, 'Total'), SUM(investment) FROM projects GROUP BY ROLLUP (zone) ORDER BY GROUPING(zone), zone""",
    # 4 top 2 of each zone, its subtotal after them, the total last
    """WITH g AS (SELECT zone, sector, COUNT(*) AS c, GROUPING(zone) AS gz, GROUPING(sector) AS gs
                 FROM projects GROUP BY ROLLUP (zone, sector)),
            r AS (SELECT *, ROW_NUMBER() OVER (PARTITION BY zone, gs ORDER BY c DESC, sector) AS k FROM g)
       SELECT CASE WHEN gz = 1 THEN '合计' ELSE zone END, CASE WHEN gz = 1 THEN NULL WHEN gs = 1 THEN '小计' ELSE sector END, c
       FROM r WHERE gs = 1 OR k <= 2 ORDER BY gz, zone, gs, c DESC""",
    # 5 sort | limit keeps the total last
    """(SELECT unit, SUM(investment) AS inv FROM projects GROUP BY unit ORDER BY inv DESC LIMIT 3)
       UNION ALL SELECT '合计', SUM(investment) FROM projects""",
    # 6 where after total treats the total as a row
    """SELECT * FROM (SELECT COALESCE(CAST(stage AS VARCHAR), '合计') AS s, COUNT(*) AS c FROM projects
       GROUP BY ROLLUP (stage) ORDER BY GROUPING(stage), stage) WHERE c > 100""",
    # 7 competition ranks with ties
    """SELECT unit, COUNT(*) AS n, RANK() OVER (ORDER BY COUNT(*) DESC) AS r FROM projects GROUP BY unit
       ORDER BY r, unit LIMIT 12""",
    # 8 nulls unranked, last
    """SELECT unit, m, CASE WHEN m IS NULL THEN NULL ELSE RANK() OVER (ORDER BY m DESC NULLS LAST) END AS r
       FROM (SELECT unit, MAX(signed_on) AS m FROM projects WHERE sector = 'machinery' GROUP BY unit)
       ORDER BY r NULLS LAST, unit""",
    # 9 ranks within a group
    """SELECT zone, sector, n, r FROM (SELECT zone, sector, COUNT(*) AS n,
              RANK() OVER (PARTITION BY zone ORDER BY COUNT(*) DESC) AS r FROM projects GROUP BY zone, sector)
       WHERE r <= 2 ORDER BY zone, sector""",
    # 10 shares of the column's total (the total row's share is 100%)
    """SELECT COALESCE(zone, '合计'), SUM(investment),
              ROUND(SUM(investment) / (SELECT SUM(investment) FROM projects), 3),
              ROUND(SUM(investment) / (SELECT SUM(investment) FROM projects), 5)
       FROM projects GROUP BY ROLLUP (zone) ORDER BY GROUPING(zone), zone""",
    # 11 completion rate as a percentage, ranked
    """SELECT p.unit, s, quota, ROUND(s / quota, 3) AS rate, RANK() OVER (ORDER BY ROUND(s / quota, 3) DESC) AS r
       FROM (SELECT unit, SUM(investment) AS s FROM projects WHERE stage >= 'signed'::stage_t GROUP BY unit) p
       JOIN units u ON p.unit = u.unit ORDER BY rate DESC LIMIT 5""",
    # 12 running totals and row numbers in the result's order
    """SELECT stage, COUNT(*) AS n, SUM(COUNT(*)) OVER (ORDER BY stage), ROW_NUMBER() OVER (ORDER BY stage)
       FROM projects GROUP BY stage ORDER BY stage""",
    # 13 the same with a total row: none for it, and its share 100%
    """SELECT COALESCE(CAST(stage AS VARCHAR), '合计'), COUNT(*),
              CASE WHEN GROUPING(stage) = 0 THEN SUM(COUNT(*)) FILTER (WHERE GROUPING(stage) = 0) OVER (ORDER BY GROUPING(stage), stage) END,
              CASE WHEN GROUPING(stage) = 0 THEN ROW_NUMBER() OVER (ORDER BY GROUPING(stage), stage) END,
              ROUND(COUNT(*) / 600, 3)
       FROM projects GROUP BY ROLLUP (stage) ORDER BY GROUPING(stage), stage""",
    # 14 ascending ranks, rows in the aggregation's order
    """SELECT stage, COUNT(*) AS n, RANK() OVER (ORDER BY COUNT(*)) FROM projects GROUP BY stage ORDER BY stage""",
    # 15 totals from the groups: sums, means, extremes, conditional counts, by zone and overall
    """SELECT CASE WHEN GROUPING(zone) = 1 THEN '合计' ELSE zone END,
              CASE WHEN GROUPING(zone) = 1 THEN NULL WHEN GROUPING(stage) = 1 THEN '小计' ELSE CAST(stage AS VARCHAR) END,
              SUM(investment), ROUND(AVG(investment), 7), MIN(investment), MAX(signed_on), COUNT(*) FILTER (WHERE filed)
       FROM projects GROUP BY ROLLUP (zone, stage) ORDER BY GROUPING(zone), zone, GROUPING(stage), stage""",
    # 16 across with a total column and a total row
    """SELECT COALESCE(zone, '合计'), COUNT(*) FILTER (WHERE stage = 'lead'), COUNT(*) FILTER (WHERE stage = 'negotiating'), COUNT(*) FILTER (WHERE stage = 'signed'), COUNT(*) FILTER (WHERE stage = 'started'), COUNT(*) FILTER (WHERE stage = 'operating'), COUNT(*) FROM projects GROUP BY ROLLUP (zone) ORDER BY GROUPING(zone), zone""",
    # 17 subtotals with across
    """SELECT CASE WHEN GROUPING(zone) = 1 THEN '合计' ELSE zone END,
              CASE WHEN GROUPING(zone) = 1 THEN NULL WHEN GROUPING(sector) = 1 THEN '小计' ELSE sector END,
              SUM(investment) FILTER (WHERE stage = 'lead'), SUM(investment) FILTER (WHERE stage = 'negotiating'), SUM(investment) FILTER (WHERE stage = 'signed'), SUM(investment) FILTER (WHERE stage = 'started'), SUM(investment) FILTER (WHERE stage = 'operating'), SUM(investment)
       FROM projects WHERE zone <> 'township' GROUP BY ROLLUP (zone, sector) ORDER BY GROUPING(zone), zone, GROUPING(sector), sector""",
    # 18 means across: of the rows
    """SELECT COALESCE(zone, '合计'), ROUND(AVG(investment) FILTER (WHERE stage = 'lead'), 7), ROUND(AVG(investment) FILTER (WHERE stage = 'negotiating'), 7), ROUND(AVG(investment) FILTER (WHERE stage = 'signed'), 7), ROUND(AVG(investment) FILTER (WHERE stage = 'started'), 7), ROUND(AVG(investment) FILTER (WHERE stage = 'operating'), 7), ROUND(AVG(investment), 7) FROM projects GROUP BY ROLLUP (zone) ORDER BY GROUPING(zone), zone""",
]

sys.exit(golden.check(con, GOLDEN, SQL, duckdb.__version__))
