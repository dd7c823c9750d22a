"""What the cross-checks share: a golden file's query cases, and their comparison with the rows
DuckDB gives for the SQL paired with each."""
import csv, io
from decimal import Decimal, InvalidOperation


def cases(path):
    """The golden file's query blocks, in order: (query, expected rows with the header first)."""
    lines = open(path, encoding="utf-8").read().split("\n")
    out, i = [], 0
    while i < len(lines):
        if lines[i] == "query":
            j = lines.index("----", i)
            k = j + 1
            while k < len(lines) and lines[k] != "":
                k += 1
            out.append((lines[i + 1], list(csv.reader(io.StringIO("\n".join(lines[j + 1:k]))))))
            i = k
        i += 1
    return out


def same(ours, theirs):
    """A cell of the golden file against DuckDB's value: numbers within half a unit of the last
    digit projq prints (it rounds half away from zero), text equal, empty for NULL."""
    if theirs is None:
        return ours == ""
    try:
        a, b = Decimal(ours), Decimal(str(theirs))
    except (InvalidOperation, ValueError):
        return ours == str(theirs)
    digits = -a.as_tuple().exponent if a.as_tuple().exponent < 0 else 0
    return abs(a - b) <= Decimal(1).scaleb(-digits) / 2


def check(con, path, sql, version):
    """Runs each case's SQL and compares; prints the differences and a summary; the exit status."""
    golden = cases(path)
    assert len(golden) == len(sql), f"{len(golden)} cases in the golden file, {len(sql)} here"
    failed = 0
    for n, ((query, expected), statement) in enumerate(zip(golden, sql), 1):
        rows = con.execute(statement).fetchall()
        body = expected[1:]
        ok = len(rows) == len(body) and all(len(r) == len(e) and all(same(x, y) for x, y in zip(e, r)) for r, e in zip(rows, body))
        if not ok:
            failed += 1
            print(f"case {n} differs: {query}\n  golden: {body}\n  duckdb: {rows}")
    print(f"{len(sql) - failed} of {len(sql)} cases agree with DuckDB {version}")
    return 1 if failed else 0
