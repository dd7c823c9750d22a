#!/usr/bin/env python3
"""Checks Tests/QueryTests/Golden/changes.test against DuckDB.

The golden file compares examples/county-zh (this meeting's ledger) with examples/county-zh-last
(the last meeting's) by `changes from 上月.项目 on 编号`. Here the same comparison is a FULL
OUTER JOIN on 编号 in DuckDB: a row with no earlier match is added, one with no current match
removed, one whose columns are DISTINCT FROM the earlier ones changed; each case's SQL must give
the golden file's table. Run: bench/.venv/bin/python Tests/crosscheck/changes.py
"""
import os, sys
import duckdb
import golden

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GOLDEN = os.path.join(ROOT, "Tests/QueryTests/Golden/changes.test")

con = duckdb.connect()
con.execute("CREATE TYPE stage_t AS ENUM ('线索', '在谈', '签约', '开工', '投产')")
for name, folder in (("now", "county-zh"), ("last", "county-zh-last")):
    con.execute(f"""CREATE TABLE {name} AS SELECT 编号, 项目名称, 责任单位, 行业, CAST(阶段 AS stage_t) AS 阶段,
                        CAST(投资额 AS DECIMAL(18,1)) AS 投资额,
                        CAST(COALESCE(TRY_STRPTIME(签约日期, '%Y/%-m/%-d'), TRY_STRPTIME(签约日期, '%Y年%-m月%-d日')) AS DATE) AS 签约日期,
                        备案, 评审, 落户乡镇, 客商来源
                    FROM read_csv('{ROOT}/examples/{folder}/项目.csv', header=true, all_varchar=true)""")
con.execute(f"CREATE TABLE units AS SELECT 单位, row_number() OVER () AS k FROM read_csv('{ROOT}/examples/county-zh/单位.csv', header=true)")
COLUMNS = ["项目名称", "责任单位", "行业", "阶段", "投资额", "签约日期", "备案", "评审", "落户乡镇", "客商来源"]
DIFFERS = " OR ".join(f"n.{c} IS DISTINCT FROM l.{c}" for c in COLUMNS)
con.execute(f"""CREATE VIEW changes AS
    SELECT CASE WHEN l.编号 IS NULL THEN 'added' WHEN n.编号 IS NULL THEN 'removed' ELSE 'changed' END AS change,
           COALESCE(n.编号, l.编号) AS 编号,
           {", ".join(f"CASE WHEN n.编号 IS NULL THEN l.{c} ELSE n.{c} END AS {c}" for c in COLUMNS)},
           {", ".join(f"CASE WHEN n.编号 IS NOT NULL AND l.编号 IS NOT NULL AND n.{c} IS DISTINCT FROM l.{c} THEN l.{c} END AS {c}_before" for c in COLUMNS)},
           n.编号 IS NULL AS gone, COALESCE(TRY_CAST(n.编号 AS INT), 100000 + TRY_CAST(l.编号 AS INT)) AS pos
    FROM now n FULL OUTER JOIN last l ON n.编号 = l.编号
    WHERE n.编号 IS NULL OR l.编号 IS NULL OR {DIFFERS}""")

SQL = [
    "SELECT change, COUNT(*) FROM changes GROUP BY change ORDER BY change",
    """SELECT 编号, 项目名称, 责任单位, 阶段_before, 阶段, 签约日期 FROM changes
       WHERE change = 'changed' AND 阶段_before < '签约'::stage_t AND 阶段 >= '签约'::stage_t ORDER BY pos""",
    """SELECT * FROM (SELECT c.责任单位, COUNT(*) FROM changes c JOIN units u ON c.责任单位 = u.单位
       WHERE change = 'changed' AND 阶段_before < '签约'::stage_t AND 阶段 >= '签约'::stage_t GROUP BY c.责任单位, u.k ORDER BY u.k)
       UNION ALL SELECT '合计', COUNT(*) FROM changes WHERE change = 'changed' AND 阶段_before < '签约'::stage_t AND 阶段 >= '签约'::stage_t""",
    """SELECT 编号, 投资额_before, 投资额, 投资额 - 投资额_before FROM changes
       WHERE change = 'changed' AND 投资额_before IS NOT NULL ORDER BY pos""",
    "SELECT 编号, 项目名称, 阶段, 落户乡镇 FROM changes WHERE change = 'removed' ORDER BY pos",
    "SELECT 阶段, COUNT(*) FROM changes WHERE change = 'added' GROUP BY 阶段 ORDER BY 阶段",
    """SELECT 阶段_before, 阶段, COUNT(*) FROM changes WHERE change = 'changed' AND 阶段_before IS NOT NULL
       GROUP BY 阶段_before, 阶段 ORDER BY 阶段_before, 阶段""",
]

sys.exit(golden.check(con, GOLDEN, SQL, duckdb.__version__))
