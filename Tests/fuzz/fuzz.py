#!/usr/bin/env python3
"""Crash fuzzing of the built projq: random statements (token soup and well-formed clause chains)
and corrupted CSV, snapshot and workbook (.xlsx, .xls) files. projq must answer every one with exit status 0, 1 or 2 —
a result or an error — never a crash or a hang. Deterministic for a seed.

usage: python3 Tests/fuzz/fuzz.py [BINARY] [--seed N] [--runs N]
Ends with the line `N passed, M failed` (M = crashes or hangs), exit status 1 if any.
"""
import argparse, zipfile, os, random, shutil, subprocess, sys, tempfile

VOCAB = ["projects", "units", "where", "by", "across", "select", "sort", "top", "limit", "join", "on", "as", "if",
         "count", "sum", "avg", "min", "max", "median", "distinct", "and", "or", "not", "in", "between", "contains",
         "is", "null", "asc", "desc", "true", "false", "sector", "stage", "unit", "investment", "signed_on", "name",
         "town", "filed", "quota", "=", "!=", "<", ">=", "(", ")", ",", "|", "+", "-", "*", "/", "1", "0", "2015-03-01",
         "1亿", "500万", "'x'", "\"机械\"", "machinery", "signed", "month(signed_on)", "year(", "round(investment, 1)",
         "coalesce(town, 'x')", "$p", "`a b`", "--c\n", ";", "lower(name)", "abs(-3)", "3.5", "2015-02-30", "，", "'", "`"]
COLUMNS = ["sector", "stage", "unit", "investment", "signed_on", "name", "town", "filed", "reviewed", "origin", "zone", "id"]
VALUES = ["machinery", "signed", "'城关镇'", "1亿", "500万", "2015-01-01", "null", "true", "0", "-5", "3.5", "'x'"]


def soup(r):
    return r.choice(["projects ", "units ", ""]) + " ".join(r.choice(VOCAB) for _ in range(r.randint(1, 12)))


def structured(r):
    def pred():
        c = r.choice(COLUMNS)
        k = r.random()
        if k < 0.5: return f"{c} {r.choice(['=', '!=', '<', '>=', '<=', '>'])} {r.choice(VALUES + COLUMNS)}"
        if k < 0.6: return f"{c} is {'not ' if r.random() < 0.5 else ''}null"
        if k < 0.7: return f"{c} in ({r.choice(VALUES)}, {r.choice(VALUES)})"
        if k < 0.8: return f"{c} between {r.choice(VALUES)} and {r.choice(VALUES)}"
        if k < 0.9: return f"{c} contains {r.choice(VALUES)}"
        return f"not ({c} = {r.choice(VALUES)})"

    def expr():
        c = r.choice(COLUMNS)
        return r.choice([c, f"{c} {r.choice('+-*/')} {r.choice(COLUMNS + ['2', '0', '1亿'])}", f"round({c}, 1)",
                         f"month({c})", "year(signed_on)", f"coalesce({c}, {r.choice(VALUES)})", f"length({c})"])

    def agg():
        a = r.choice(["count", "count " + r.choice(COLUMNS), "count distinct " + r.choice(COLUMNS), "sum " + expr(),
                      "avg " + expr(), "min " + expr(), "max " + expr(), "median " + expr()])
        return a + (" if " + pred() if r.random() < 0.3 else "")

    def clause():
        k = r.random()
        if k < 0.25: return "where " + pred() + (" and " + pred() if r.random() < 0.4 else "")
        if k < 0.5:
            s = ", ".join(agg() for _ in range(r.randint(1, 3)))
            if r.random() < 0.7: s += " by " + ", ".join(expr() for _ in range(r.randint(1, 2)))
            if r.random() < 0.2: s += " across " + r.choice(COLUMNS)
            return s
        if k < 0.6: return "select " + ", ".join(expr() for _ in range(r.randint(1, 3)))
        if k < 0.7: return "sort " + expr() + r.choice(["", " desc", " asc"])
        if k < 0.8: return f"top {r.randint(0, 20)} by " + expr() + r.choice(["", " asc"])
        if k < 0.9: return f"limit {r.randint(0, 50)}"
        return "join units on unit"

    return "projects " + " | ".join(clause() for _ in range(r.randint(1, 4)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary", nargs="?", default=".build/debug/projq")
    ap.add_argument("--seed", type=int, default=2015)
    ap.add_argument("--runs", type=int, default=60, help="runs of each of the four kinds")
    a = ap.parse_args()
    r = random.Random(a.seed)
    passed = failed = 0
    tmp = tempfile.mkdtemp(prefix="projq-fuzz-")
    # The cache of CSV tables in the scratch folder, never the real ~/.cache; the corrupted CSV
    # files, rewritten at one path moments apart, exercise it too.
    env = dict(os.environ, XDG_CACHE_HOME=os.path.join(tmp, "cache"))
    env.pop("PROJQ_NO_CACHE", None)

    def run(args, what):
        nonlocal passed, failed
        try:
            p = subprocess.run([a.binary] + args, capture_output=True, text=True, timeout=60, env=env)
            if p.returncode in (0, 1, 2):
                passed += 1
                return
            print(f"not ok - {what}: exit status {p.returncode}\n{p.stderr[-600:]}")
        except subprocess.TimeoutExpired:
            print(f"not ok - {what}: no answer in 60 s")
        failed += 1

    for _ in range(a.runs):
        q = soup(r)
        run(["examples/county", "-c", q, "--format", "csv"], f"statement {q!r}")
    for _ in range(a.runs):
        q = structured(r)
        run(["examples/county", "-c", q, "--format", "csv"], f"statement {q!r}")
    src = open("examples/county/projects.csv", "rb").read()
    for i in range(a.runs):
        b = bytearray(src)
        for _ in range(r.randint(1, 20)):
            k, p = r.random(), r.randrange(len(b))
            if k < 0.4: b[p] = r.choice(b'",\n\r\xff\xe6\x00ab1')
            elif k < 0.7: del b[p:p + r.randint(1, 50)]
            else: b[p:p] = bytes(r.choice(b'",\n\r\xe6\x9c1') for _ in range(r.randint(1, 5)))
        path = os.path.join(tmp, "projects.csv")
        open(path, "wb").write(b)
        run([path, "-c", "projects count by stage", "--format", "csv"], f"corrupted CSV #{i} (seed {a.seed})")
    snapshot = os.path.join(tmp, "base.projqdb")
    subprocess.run([a.binary, "examples/county", "-c", f".save {snapshot}"], check=True, capture_output=True, env=env)
    base = open(snapshot, "rb").read()
    for i in range(a.runs):
        b = bytearray(base)
        for _ in range(r.randint(1, 4)):
            p = r.randrange(len(b))
            b[p] ^= 1 << r.randrange(8)
        if r.random() < 0.3: b = b[:r.randrange(len(b))]
        path = os.path.join(tmp, "x.projqdb")
        open(path, "wb").write(b)
        run([path, "-c", "projects count by stage", "--format", "csv"], f"corrupted snapshot #{i} (seed {a.seed})")
    # Workbooks: a part's XML mutated and the package zipped again (so the mutation reaches the
    # XML reader and the sheet loader), or the file's bytes flipped or cut (the zip reader).
    books = ["Tests/StorageTests/Data/workbooks/ledger.xlsx", "Tests/StorageTests/Data/workbooks/types.xlsx",
             "Tests/StorageTests/Data/workbooks/lo_单位.xlsx"]
    for i in range(a.runs):
        src = books[i % len(books)]
        path = os.path.join(tmp, "book.xlsx")
        with zipfile.ZipFile(src) as z:
            parts = {n: z.read(n) for n in z.namelist()}
        if r.random() < 0.7:
            name = r.choice([n for n in parts if n.endswith(".xml") or n.endswith(".rels")])
            b = bytearray(parts[name])
            for _ in range(r.randint(1, 8)):
                k, p = r.random(), r.randrange(len(b))
                if k < 0.4: b[p] = r.choice(b'<>/"=&;x0123456789-.E \xff\xe6')
                elif k < 0.7: del b[p:p + r.randint(1, 40)]
                else: b[p:p] = r.choice([b'<c r="XFD1048576" t="s"><v>99999</v></c>', b'<row r="0">', b'</row>', b'<v>1e308</v>',
                                         b'<c t="n" s="999"><v>60</v></c>', b'&#0;', b'<rPh><t>x</t></rPh>', b'"'])
            parts[name] = bytes(b)
            with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
                for n, data in parts.items(): z.writestr(n, data)
        else:
            b = bytearray(open(src, "rb").read())
            for _ in range(r.randint(1, 6)):
                b[r.randrange(len(b))] ^= 1 << r.randrange(8)
            if r.random() < 0.5: b = b[:r.randrange(len(b))]
            open(path, "wb").write(b)
        run([path, "-c", ".tables"], f"corrupted workbook #{i} from {src} (seed {a.seed})")
    xls = open("Tests/StorageTests/Data/workbooks/lo_单位.xls", "rb").read()
    for i in range(a.runs // 2):
        b = bytearray(xls)
        for _ in range(r.randint(1, 6)):
            b[r.randrange(len(b))] ^= 1 << r.randrange(8)
        if r.random() < 0.3: b = b[:r.randrange(len(b))]
        path = os.path.join(tmp, "book.xls")
        open(path, "wb").write(b)
        run([path, "-c", ".tables"], f"corrupted .xls #{i} (seed {a.seed})")
    print(f"{passed} passed, {failed} failed")
    # The inputs of a failed run stay for a look; the seed makes them again.
    if failed:
        print(f"inputs kept in {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
