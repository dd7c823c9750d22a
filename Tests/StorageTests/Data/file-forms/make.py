#!/usr/bin/env python3
"""Writes the file forms of issue 8 point 5 with Python's own codecs (a real encoder, not
projq's): the same six-row ledger as a TSV, a semicolon file, a '|' file, Excel's "Unicode text"
(UTF-16 LE with a byte-order mark, tab-separated) and UTF-16 BE with a mark, Big5 (traditional
characters), and a UTF-8 file whose rows from line 11 on were pasted from a GBK file.
Run from this folder: python3 make.py"""

HEADER = ["编号", "项目名称", "责任单位", "投资额", "签约日期"]
ROWS = [
    ["1", "西河镇31万套铸件项目", "县教育局", "1709", "2015-03-01"],
    ["2", "南塘镇6万吨陶瓷项目", "县财政局", "2900", ""],
    ["3", "精密机械配件项目，二期", "东关镇", "1200.5", "2015-11-20"],
    ["4", "年产5万吨饲料项目", "北山乡", "880", "2014-12-31"],
    ["5", "电子元器件项目", "县发改局", "45000", "2015-06-15"],
    ["6", "石材加工项目", "南塘镇", "330", "2015-01-05"],
]


def lines(sep, rows=ROWS, header=HEADER):
    return [sep.join(header)] + [sep.join(r) for r in rows]


def write(name, text, encoding):
    with open(name, "wb") as f:
        f.write(text.encode(encoding))


write("ledger.tsv", "\n".join(lines("\t")) + "\n", "utf-8")
write("semicolon.csv", "\r\n".join(lines(";")) + "\r\n", "utf-8")
write("pipe.txt", "\n".join(lines("|")) + "\n", "utf-8")
# Excel's "Unicode text": UTF-16 LE, a byte-order mark, tabs, CRLF.
write("unicode-text-le.txt", "\ufeff" + "\r\n".join(lines("\t")) + "\r\n", "utf-16-le")
write("unicode-text-be.txt", "\ufeff" + "\r\n".join(lines("\t")) + "\r\n", "utf-16-be")

# Big5: traditional characters (Big5 has no simplified ones).
BIG5_HEADER = ["編號", "項目名稱", "責任單位", "投資額"]
BIG5_ROWS = [
    ["1", "西河鎮鑄件項目", "縣教育局", "1709"],
    ["2", "南塘鎮陶瓷項目", "縣財政局", "2900"],
    ["3", "精密機械配件項目", "東關鎮", "1200"],
    ["4", "年產飼料項目", "北山鄉", "880"],
    ["5", "電子元器件項目", "縣發改局", "45000"],
    ["6", "石材加工項目", "南塘鎮", "330"],
]
write("big5.csv", "\r\n".join(lines(",", BIG5_ROWS, BIG5_HEADER)) + "\r\n", "big5")

# Ten lines of UTF-8 (the header and nine rows), then rows in GBK from line 11.
mixed_rows = [[str(i), f"项目{i}号", "县教育局", str(100 * i)] for i in range(1, 13)]
utf8_part = "\n".join(lines(",", mixed_rows[:9], HEADER[:4])) + "\n"
gbk_part = "\n".join(",".join(r) for r in mixed_rows[9:]) + "\n"
with open("gbk-under-utf8.csv", "wb") as f:
    f.write(utf8_part.encode("utf-8") + gbk_part.encode("gbk"))
