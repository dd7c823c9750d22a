#!/usr/bin/python3
"""Writes examples/county-zh.xlsx: the example county (examples/county-zh) as the office keeps
it in Excel — one sheet per table, a title merged across the columns above the header, typed
cells (numbers, dates), and a 合计 row under each sheet's data. projq reads it as the CSV
dataset (the 合计 rows left out); tests check that both give the same answers.

    /usr/bin/python3 examples/county_xlsx.py      (make examples runs it; needs python3-openpyxl)
"""
import csv, datetime, os, re
import openpyxl
from openpyxl.styles import Alignment, Font

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "county-zh")
TITLES = {"单位": "2015年各单位招商引资任务", "项目": "2015年招商引资项目台账"}
SUMMED = {"单位": "任务额", "项目": "投资额"}


def cell(value):
    if value == "":
        return None
    try:
        return int(value)
    except ValueError:
        pass
    try:
        return float(value) if any(c.isdigit() for c in value) and value.replace(".", "", 1).lstrip("-").isdigit() else _date(value)
    except ValueError:
        return value


def _date(value):
    m = re.fullmatch(r"(\d{4})(?:年|-|/)(\d{1,2})(?:月|-|/)(\d{1,2})日?", value)
    return datetime.date(int(m[1]), int(m[2]), int(m[3])) if m else value


def main():
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for table in ["单位", "项目"]:
        with open(os.path.join(SOURCE, table + ".csv"), encoding="utf-8") as f:
            rows = list(csv.reader(f))
        header, data = rows[0], rows[1:]
        ws = wb.create_sheet(table)
        ws.append([TITLES[table]])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        ws["A1"].alignment = Alignment(horizontal="center")
        ws["A1"].font = Font(bold=True, size=14)
        ws.append(header)
        for r in data:
            ws.append([cell(v) for v in r])
        summed = header.index(SUMMED[table])
        total = [None] * len(header)
        total[0] = "合计"
        total[summed] = round(sum(float(r[summed]) for r in data if r[summed]), 2)
        ws.append(total)
        for row in ws.iter_rows(min_row=3):
            for c in row:
                if isinstance(c.value, datetime.date):
                    c.number_format = 'yyyy"年"m"月"d"日"'
    wb.save(os.path.join(HERE, "county-zh.xlsx"))


if __name__ == "__main__":
    main()
