#!/usr/bin/env python3
"""The benchmark's questions, answered independently of parkstat, and the
comparison of every tool's answers to the last digit.

    check_totals.py ledger LEDGER.csv [--period 2024-10]  > totals.tsv
    check_totals.py json REPORT.json                     > totals.tsv
    check_totals.py compare A.tsv B.tsv …                (exit 1 on any difference)

The ledger may lack the entity column (no entity is then counted): every
indicator with a year to date has an `IND|entities` answer, 0 or more.

A totals file has one answer per line, `QUESTION<TAB>VALUE`, sorted:
VALUE is an integer, the exact amount in 元 times 10^4 (or a count).
Questions, for each indicator, over January to the report month (ytd) and
the same months of the previous year (prev):

    IND|ytd   IND|prev   IND|entities   IND|industry|VALUE   IND|collector|VALUE

The ledger mode uses integer arithmetic only (no float, no Decimal rounding):
it is the reference the test at scale (tests/scale.sh) checks parkstat with.
"""

import csv
import json
import sys

FACTORS = {"元": 1, "万元": 10000, "亿元": 100000000}
TAGS = ("industry", "collector")


def scaled(text):
    """'-1,234.5' -> -12345000: the value times 10^4, exactly."""
    text = text.replace(",", "")
    negative = text.startswith("-")
    text = text.lstrip("+-")
    whole, _, frac = text.partition(".")
    value = int(whole or "0") * 10000 + int((frac + "0000")[:4])
    return -value if negative else value


def period_number(text):
    return int(text[:4]) * 12 + int(text[5:7]) - 1


def ledger_totals(path, report):
    ytd_from = report - report % 12
    totals, entities = {}, {}

    def add(key, value):
        totals[key] = totals.get(key, 0) + value

    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = csv.reader(f)
        col = {name: i for i, name in enumerate(next(rows))}
        ip, ii, iv, iu = (col[c] for c in ("period", "indicator", "value", "unit"))
        ie = col.get("entity")  # a ledger may have no entity column at all
        it = [(tag, col[tag]) for tag in TAGS]
        for row in rows:
            if not row or not row[iv]:
                continue
            p = period_number(row[ip])
            ind = row[ii]
            value = scaled(row[iv]) * FACTORS[row[iu]]
            if ytd_from <= p <= report:
                add(ind + "|ytd", value)
                for tag, i in it:
                    add("%s|%s|%s" % (ind, tag, row[i]), value)
                # counted for every indicator with a year to date, even as 0
                names = entities.setdefault(ind, set())
                if ie is not None and row[ie]:
                    names.add(row[ie])
            elif ytd_from - 12 <= p <= report - 12:
                add(ind + "|prev", value)
    for ind, names in entities.items():
        totals[ind + "|entities"] = len(names)
    return totals


def json_totals(path):
    with open(path, encoding="utf-8") as f:
        report = json.load(f)
    totals = {}
    for section in report["sections"]:
        if section["module"] != "benchq":
            continue
        for ind in section["indicators"]:
            key, value = ind["key"], ind["value"]
            if value is None:
                continue
            if key.endswith("_prev"):
                question = key[:-5] + "|prev"
            elif key.endswith("_entities"):
                question = key[:-9] + "|entities"
            elif ":" in key:
                ind_code, tag, tag_value = key.split(":", 2)
                question = "%s|%s|%s" % (ind_code, tag, "" if tag_value == "_none" else tag_value)
            else:
                question = key + "|ytd"
            number = scaled(value["exact"])
            totals[question] = number // 10000 if question.endswith("|entities") else number
    return totals


def write(totals):
    for key in sorted(totals):
        print("%s\t%d" % (key, totals[key]))


def read(path):
    with open(path, encoding="utf-8") as f:
        return dict(line.rstrip("\n").split("\t") for line in f if line.strip())


def compare(paths):
    reference = read(paths[0])
    ok = True
    for path in paths[1:]:
        other = read(path)
        for key in sorted(set(reference) | set(other)):
            if reference.get(key) != other.get(key):
                print("%s differs from %s at %s: %s vs %s" % (path, paths[0], key,
                      other.get(key), reference.get(key)), file=sys.stderr)
                ok = False
    if ok:
        print("%d answers agree to the last digit across %d tools" % (len(reference), len(paths)))
    return 0 if ok else 1


def main(argv):
    if len(argv) >= 2 and argv[0] == "ledger":
        period = argv[3] if len(argv) >= 4 and argv[2] == "--period" else "2024-10"
        write(ledger_totals(argv[1], period_number(period)))
    elif len(argv) == 2 and argv[0] == "json":
        write(json_totals(argv[1]))
    elif len(argv) >= 3 and argv[0] == "compare":
        return compare(argv[1:])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
