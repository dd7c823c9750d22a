#!/usr/bin/env python3
"""Check the example ledgers in examples/ (stdlib only; run from the repository root).

    python3 bench/check_examples.py [--no-regenerate]

- every CSV parses (RFC 4180) with the expected header, row count and units;
- the Chinese ledger is the English one translated, row for row;
- the GB18030 ledger decodes to exactly the text of its UTF-8 twin;
- schema.toml parses;
- unless --no-regenerate: bench/generate.py (needs numpy) still writes these exact bytes.
Prints what it checked and exits non-zero on the first failure.
"""

import csv
import datetime
import io
import os
import subprocess
import sys
import tempfile
import tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EX = os.path.join(ROOT, "examples")

EXAMPLES = [  # (folder, generate.py arguments)
    ("county", ["--rows", "600", "--seed", "2015", "--lang", "en"]),
    ("county-zh", ["--rows", "600", "--seed", "2015", "--lang", "zh"]),
    ("county-zh-gb18030", ["--rows", "600", "--seed", "2015", "--lang", "zh",
                           "--encoding", "gb18030"]),
]

SECTOR_ZH = {"machinery": "机械加工", "tourism": "旅游", "agriculture": "农业", "logistics": "物流",
             "textiles": "纺织", "food": "食品", "energy": "新能源", "chemicals": "化工",
             "electronics": "电子信息", "building_materials": "建材", "trade": "商贸",
             "medicine": "医药"}
STAGE_ZH = {"lead": "线索", "negotiating": "在谈", "signed": "签约", "started": "开工",
            "operating": "投产"}
BOOL_ZH = {"true": "是", "false": "否"}
KIND_ZH = {"department": "部门", "township": "乡镇"}


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def assert_eq(got, want, what):
    if got != want:
        fail(f"{what}: {got!r} != {want!r}")


def read(path, encoding="utf-8"):
    with open(path, "rb") as f:
        data = f.read()
    if data.startswith(b"\xef\xbb\xbf"):
        fail(f"{path}: has a BOM")
    if b"\r" in data:
        fail(f"{path}: has CR line ends")
    rows = list(csv.reader(io.StringIO(data.decode(encoding), newline="")))
    return rows[0], rows[1:]


def zh_date(iso, got):
    if iso == "":
        return got == ""
    d = datetime.date.fromisoformat(iso)
    return got in (f"{d.year}/{d.month}/{d.day}", f"{d.year}年{d.month}月{d.day}日")


def main():
    regenerate = "--no-regenerate" not in sys.argv[1:]

    h, projects = read(os.path.join(EX, "county", "projects.csv"))
    assert_eq(h, ["id", "name", "unit", "sector", "stage", "investment", "signed_on", "filed",
                  "reviewed", "town", "origin", "zone"], "county header")
    assert_eq(len(projects), 600, "county rows")
    hu, units = read(os.path.join(EX, "county", "units.csv"))
    assert_eq(hu, ["unit", "kind", "quota", "leader"], "county units header")
    unit_names = [u[0] for u in units]
    assert_eq(sorted(unit_names), sorted({p[2] for p in projects}), "units used == units listed")
    assert_eq(len(units), 40, "county units")
    for u in units:
        int(u[2])
    quoted = 0
    for i, p in enumerate(projects):
        assert_eq(len(p), 12, f"row {i + 1} width")
        assert_eq(p[0], str(i + 1), "id")
        if p[5]:
            float(p[5])
        assert_eq(p[6] == "", p[4] in ("lead", "negotiating"), f"row {i + 1} signed_on null")
        if p[6]:
            d = datetime.date.fromisoformat(p[6])
            if not datetime.date(2014, 1, 1) <= d <= datetime.date(2015, 12, 31):
                fail(f"row {i + 1}: date {p[6]} out of range")
        quoted += any(c in p[1] for c in ',"')
    if quoted < 3:
        fail("fewer than 3 project names need CSV quoting")
    print(f"ok  county: 600 projects, {len(units)} units, {quoted} names that need quoting")

    hz, zh = read(os.path.join(EX, "county-zh", "项目.csv"))
    assert_eq(hz, ["编号", "项目名称", "责任单位", "行业", "阶段", "投资额", "签约日期", "备案", "评审",
                   "落户乡镇", "客商来源"], "county-zh header")
    assert_eq(len(zh), 600, "county-zh rows")
    styles = set()
    for p, z in zip(projects, zh):
        want = p[:3] + [SECTOR_ZH[p[3]], STAGE_ZH[p[4]], p[5]]
        assert_eq(z[:6], want, f"county-zh row {p[0]}")
        if not zh_date(p[6], z[6]):
            fail(f"county-zh row {p[0]}: date {z[6]!r} is not {p[6]!r}")
        styles.add("年" in z[6])
        assert_eq(z[7:], [BOOL_ZH[p[7]], BOOL_ZH[p[8]], p[9], p[10]], f"county-zh row {p[0]}")
    assert_eq(styles, {True, False}, "both Chinese date styles")
    hzu, zunits = read(os.path.join(EX, "county-zh", "单位.csv"))
    assert_eq(hzu, ["单位", "类别", "任务额", "负责人"], "county-zh units header")
    assert_eq(zunits, [[u[0], KIND_ZH[u[1]], u[2], u[3]] for u in units], "county-zh units")
    print("ok  county-zh: the same 600 projects and units, in Chinese")

    for name in ("项目.csv", "单位.csv", "schema.toml"):
        with open(os.path.join(EX, "county-zh", name), "rb") as f:
            utf8 = f.read().decode("utf-8")
        with open(os.path.join(EX, "county-zh-gb18030", name), "rb") as f:
            raw = f.read()
        text = raw.decode("utf-8" if name == "schema.toml" else "gb18030")
        assert_eq(text, utf8, f"county-zh-gb18030/{name} decoded")
        if name != "schema.toml" and raw == utf8.encode("utf-8"):
            fail(f"county-zh-gb18030/{name} is not GB18030-encoded")
    print("ok  county-zh-gb18030: decodes to the UTF-8 twin")

    for folder, _ in EXAMPLES:
        with open(os.path.join(EX, folder, "schema.toml"), "rb") as f:
            tomllib.load(f)
    print("ok  schema.toml files parse")

    if regenerate:
        with tempfile.TemporaryDirectory() as tmp:
            for folder, args in EXAMPLES:
                out = os.path.join(tmp, folder)
                subprocess.run([sys.executable, os.path.join(ROOT, "bench", "generate.py"),
                                *args, "--out", out], check=True)
                for name in sorted(os.listdir(out)):
                    with open(os.path.join(out, name), "rb") as a, \
                            open(os.path.join(EX, folder, name), "rb") as b:
                        if a.read() != b.read():
                            fail(f"examples/{folder}/{name} differs from what generate.py writes")
        print("ok  generate.py regenerates examples/ byte for byte")


if __name__ == "__main__":
    main()
