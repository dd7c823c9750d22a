#!/usr/bin/python3
"""Makes the test workbooks of this folder with real writers, and beside each sheet the CSV
projq must read from it (`NAME.SHEET.expected.csv`, as `projq --format csv` prints it).

    /usr/bin/python3 Tests/StorageTests/Data/workbooks/make_workbooks.py

Run once; the outputs are committed. Writers:
- openpyxl (Debian's python3-openpyxl) writes types.xlsx, ledger.xlsx, date1904.xlsx and the
  sources of formulas.xlsx. It has no rich text in this version, so the rich-text and phonetic
  shared string is patched into the XML it wrote.
- LibreOffice recalculates formulas.xlsx (openpyxl writes formulas without cached values;
  `soffice --convert-to xlsx` of its file computes and stores them), and converts the example
  county's CSV files to .xlsx and .xls (lo_项目 and lo_单位: see README.md).
"""
import csv, datetime, os, re, shutil, subprocess, sys, tempfile, zipfile
import openpyxl
from openpyxl.styles import Alignment
from openpyxl.utils.datetime import CALENDAR_MAC_1904

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))


def expect(name, header, rows):
    with open(os.path.join(HERE, name + ".expected.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow(["" if v is None else v for v in r])


def types_workbook():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "类型"
    header = ["名称", "数量", "金额", "日期", "中文日期", "时间", "时刻", "比例", "完成", "指标"]
    ws.append(header)
    rows = [
        # name, int, exact money, date, date (custom format), time, timestamp, percent, bool, error or number
        ["RICH", 12, 1234.56, datetime.date(2015, 3, 1), datetime.date(2015, 3, 1), datetime.time(14, 30), datetime.datetime(2015, 3, 1, 9, 15, 30), 0.125, True, 3.5],
        ["东城镇", -7, 0.1, datetime.date(1900, 1, 1), datetime.date(1999, 12, 31), datetime.time(0, 0, 5), datetime.datetime(2020, 2, 29, 23, 59, 59), 1.0, False, "#N/A"],
        ["a, \"quoted\" name", 0, 2024418.17, datetime.date(1900, 3, 1), datetime.date(2024, 2, 29), datetime.time(23, 59), datetime.datetime(1970, 1, 1, 0, 0), 0.0005, True, "#DIV/0!"],
        ["sparse", None, None, None, datetime.date(2015, 10, 8), None, None, None, None, 7],
        ["多行\n文本", 1000000, 99999999.99, datetime.date(2099, 12, 31), datetime.date(2015, 1, 2), datetime.time(12, 0), datetime.datetime(2015, 6, 30, 12, 0), -0.25, False, "#N/A"],
    ]
    for r in rows:
        ws.append(r)
    for row in ws.iter_rows(min_row=2):
        row[3].number_format = "yyyy-mm-dd"
        row[4].number_format = 'yyyy"年"m"月"d"日"'
        row[5].number_format = "h:mm:ss"
        row[6].number_format = "yyyy-mm-dd hh:mm:ss"
        row[7].number_format = "0.00%"
    # The sparse row: only its first, fifth and last cells are written at all.
    path = os.path.join(HERE, "types.xlsx")
    wb.save(path)
    # Rich text: RICH becomes two runs, 重点 and 项目, with a phonetic guide that is not text
    # (openpyxl writes its strings inline, so the runs go into the sheet's <is>).
    patch(path, "xl/worksheets/sheet1.xml",
          lambda x: x.replace("<is><t>RICH</t></is>",
                              '<is><r><rPr><b/><sz val="11"/></rPr><t>重点</t></r><r><t xml:space="preserve">项目</t></r>'
                              '<rPh sb="0" eb="2"><t>zhongdian</t></rPh></is>'))
    def shown(v, kind):
        if v is None:
            return None
        if kind == "date":
            return v.isoformat()
        if kind == "time":
            return v.strftime("%H:%M:%S")
        if kind == "timestamp":
            return v.strftime("%Y-%m-%d %H:%M:%S")
        if kind == "bool":
            return "true" if v else "false"
        return v
    kinds = ["text", "int", "money", "date", "date", "time", "timestamp", "percent", "bool", "number"]
    out = []
    for r in rows:
        row = []
        for v, k in zip(r, kinds):
            if isinstance(v, str) and v.startswith("#"):
                v = None
            row.append(shown(v, k))
        row[0] = "重点项目" if row[0] == "RICH" else row[0]
        out.append(row)
    # Percentages print as their ratio in CSV; money and decimals as their exact text.
    for row in out:
        if row[7] is not None:
            row[7] = fmt(row[7])
        if row[2] is not None:
            row[2] = fmt(row[2])
        if row[9] is not None:
            row[9] = fmt(row[9])
    expect("types.类型", header, out)


def fmt(v):
    s = repr(float(v)) if not isinstance(v, int) else str(v)
    if s.endswith(".0"):
        s = s[:-2]
    if "e" in s:
        s = "%.10f" % v
        s = s.rstrip("0").rstrip(".")
    return s


def ledger_workbook():
    """A government ledger: a title merged across the columns, a blank row and a note line
    above the header, a totals row at the bottom; a second sheet with a two-row header."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "项目"
    header = ["编号", "项目名称", "阶段", "投资额", "签约日期"]
    ws.append(["2015年招商引资项目台账"])
    ws.merge_cells("A1:E1")
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([])
    ws.append(["填报单位：县招商局", None, None, None, "单位：万元"])
    ws.append(header)
    data = [
        [1, "西河镇铸件项目", "签约", 1709, datetime.date(2015, 3, 1)],
        [2, "南塘镇陶瓷项目", "在谈", 2900.5, None],
        [3, "城关镇物流园", "线索", 12000, None],
        [4, "清水乡光伏电站", "签约", 14000, datetime.date(2015, 9, 30)],
    ]
    for r in data:
        ws.append(r)
    ws.append(["合计", None, None, sum(r[3] for r in data), None])
    for row in ws.iter_rows(min_row=5):
        row[4].number_format = "yyyy/m/d"
    expect("ledger.项目", header, [[r[0], r[1], r[2], fmt(r[3]), r[4].isoformat() if r[4] else None] for r in data])

    ws2 = wb.create_sheet("两行表头")
    ws2.append(["单位", "投资额", None, "项目数"])
    ws2.append([None, "万元", "占比", None])
    ws2.merge_cells("A1:A2")
    ws2.merge_cells("B1:C1")
    ws2.merge_cells("D1:D2")
    data2 = [["县发改局", 1200, 0.25, 3], ["城关镇", 3600, 0.75, 5]]
    for r in data2:
        ws2.append(r)
    for row in ws2.iter_rows(min_row=3):
        row[2].number_format = "0%"
    expect("ledger.两行表头", ["单位", "投资额_万元", "投资额_占比", "项目数"], [[a, b, fmt(c), d] for a, b, c, d in data2])
    wb.save(os.path.join(HERE, "ledger.xlsx"))


def date1904_workbook():
    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "日期"
    ws.append(["事项", "日期", "时刻"])
    data = [["一", datetime.date(2015, 3, 1), datetime.datetime(2015, 3, 1, 8, 0)],
            ["二", datetime.date(1904, 1, 2), datetime.datetime(1999, 12, 31, 23, 59, 59)]]
    for r in data:
        ws.append(r)
    for row in ws.iter_rows(min_row=2):
        row[1].number_format = "yyyy-mm-dd"
        row[2].number_format = "yyyy-mm-dd hh:mm:ss"
    wb.save(os.path.join(HERE, "date1904.xlsx"))
    with zipfile.ZipFile(os.path.join(HERE, "date1904.xlsx")) as z:
        assert b'date1904="1"' in z.read("xl/workbook.xml") or b"date1904=\"true\"" in z.read("xl/workbook.xml"), "openpyxl did not write a 1904 workbook"
    expect("date1904.日期", ["事项", "日期", "时刻"], [[a, b.isoformat(), c.strftime("%Y-%m-%d %H:%M:%S")] for a, b, c in data])


def formulas_workbook(tmp):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "公式"
    ws.append(["项目", "投资额", "已到位", "到位率", "说明"])
    data = [["甲", 1200, 300], ["乙", 800.5, 800.5], ["丙", 0, 0]]
    for i, (name, a, b) in enumerate(data, start=2):
        ws.append([name, a, b, f"=C{i}/B{i}", f'=IF(C{i}>=B{i},"到齐","未齐")'])
    src = os.path.join(tmp, "formulas.xlsx")
    wb.save(src)
    out = os.path.join(tmp, "out")
    soffice("xlsx", src, out)
    shutil.copy(os.path.join(out, "formulas.xlsx"), os.path.join(HERE, "formulas.xlsx"))
    rows = []
    for name, a, b in data:
        rate = None if a == 0 else fmt(b / a)
        rows.append([name, fmt(a), fmt(b), rate, "到齐" if b >= a else "未齐"])
    expect("formulas.公式", ["项目", "投资额", "已到位", "到位率", "说明"], rows)


def soffice(fmt_, src, outdir, infilter=None):
    cmd = ["soffice", "--headless", "--norestore", "-env:UserInstallation=file:///tmp/projq-lo-profile"]
    if infilter:
        cmd.append("--infilter=" + infilter)
    cmd += ["--convert-to", fmt_, "--outdir", outdir, src]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def county_libreoffice(tmp):
    # UTF-8 CSV (filter options: comma, double quote, UTF-8 = 76, from line 1).
    for table in ["项目", "单位"]:
        src = os.path.join(tmp, table + ".csv")
        shutil.copy(os.path.join(ROOT, "examples", "county-zh", table + ".csv"), src)
        for ext in ["xlsx", "xls"]:
            out = os.path.join(tmp, "lo-" + ext)
            soffice(ext, src, out, infilter="CSV:44,34,76,1")
            shutil.copy(os.path.join(out, table + "." + ext), os.path.join(HERE, "lo_" + table + "." + ext))


def patch(path, part, change):
    tmp = path + ".tmp"
    with zipfile.ZipFile(path) as zin:
        assert part in zin.namelist(), part + " is not in " + path
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == part:
                new = change(data.decode("utf-8"))
                assert new != data.decode("utf-8"), "nothing patched in " + part
                data = new.encode("utf-8")
            zout.writestr(item, data)
    os.replace(tmp, path)


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        types_workbook()
        ledger_workbook()
        date1904_workbook()
        formulas_workbook(tmp)
        county_libreoffice(tmp)
    print("workbooks written to", HERE)
