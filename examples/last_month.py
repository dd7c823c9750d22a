#!/usr/bin/env python3
"""Writes examples/county-zh-last/: the ledger of the last meeting (end of November 2015), from
which examples/county-zh (end of December) has moved on the way a month moves a real ledger.

    python3 examples/last_month.py

Deterministic (stdlib only, a fixed seed): running it again writes the same bytes. What happened
in December, undone here:
- the 11 projects signed in December were still in negotiation (在谈, no date, not filed);
- 12 projects started (开工) in December were signed (签约); 6 that went into production (投产)
  had started (开工);
- 10 projects in negotiation were leads (线索); 15 leads are new in December (absent here);
- 12 projects had another planned investment (renegotiated in December);
- 6 projects of November's ledger were dropped in December (ids 601-606, absent now).
"""
import csv, io, os, random, shutil

ROOT = os.path.dirname(os.path.abspath(__file__))
NOW = os.path.join(ROOT, "county-zh")
LAST = os.path.join(ROOT, "county-zh-last")


def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def main():
    rng = random.Random(201511)
    header, rows = read(os.path.join(NOW, "项目.csv"))
    col = {name: i for i, name in enumerate(header)}
    stage, date, filed, reviewed, inv = col["阶段"], col["签约日期"], col["备案"], col["评审"], col["投资额"]

    def signed_in_december(r):
        d = r[date].replace("年", "/").replace("月", "/").replace("日", "")
        return d.startswith("2015/12/")

    last = [list(r) for r in rows]
    by_id = {r[0]: r for r in last}
    december = [r for r in last if signed_in_december(r)]
    for r in december:
        r[stage], r[date], r[filed], r[reviewed] = "在谈", "", "否", "否"
    started = [r for r in last if r[stage] == "开工" and r not in december]
    for r in rng.sample(started, 12):
        r[stage] = "签约"
    for r in rng.sample([r for r in last if r[stage] == "投产"], 6):
        r[stage] = "开工"
    for r in rng.sample([r for r in last if r[stage] == "在谈" and r not in december], 10):
        r[stage] = "线索"
    new_leads = {r[0] for r in rng.sample([r for r in last if r[stage] == "线索"], 15)}
    for r in rng.sample([r for r in last if r[inv] and r[0] not in new_leads], 12):
        old = float(r[inv]) * rng.choice([0.8, 0.9, 1.1, 1.25])
        r[inv] = f"{old:.1f}".rstrip("0").rstrip(".")
    last = [r for r in last if r[0] not in new_leads]
    # Dropped in December: six more rows of November, named like the others.
    names = {r[col["项目名称"]] for r in rows}
    towns = sorted({r[col["落户乡镇"]] for r in rows if r[col["落户乡镇"]]})
    for k, template in enumerate(rng.sample([r for r in rows if r[stage] in ("线索", "在谈")], 6)):
        r = list(template)
        r[0] = str(max(int(x[0]) for x in rows) + 1 + k)
        name = template[col["项目名称"]]
        for town in rng.sample(towns, len(towns)):
            candidate = town + name[3:] if name[:3] in towns else town + name
            if candidate not in names:
                break
        names.add(candidate)
        r[col["项目名称"]], r[col["落户乡镇"]] = candidate, town
        r[stage], r[date], r[filed], r[reviewed] = rng.choice(["线索", "在谈"]), "", "否", "否"
        last.append(r)

    os.makedirs(LAST, exist_ok=True)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    w.writerows(last)
    with open(os.path.join(LAST, "项目.csv"), "w", encoding="utf-8", newline="") as f:
        f.write(out.getvalue())
    for name in ("单位.csv", "schema.toml"):
        shutil.copyfile(os.path.join(NOW, name), os.path.join(LAST, name))
    print(f"wrote {LAST}: {len(last)} projects ({len(december)} signed in December undone, "
          f"{len(new_leads)} new leads left out, 6 dropped added)")


if __name__ == "__main__":
    main()
