"""Cross-format agreement: every figure of the report is the same in the
JSON, the CSV, the Prometheus exposition and the Excel workbook, and the
text says what the JSON says.

Usage: agree.py DIR, where DIR holds report-YYYY-MM.{txt,json,csv,prom,xlsx}
of one run. Prints "ok - …" / "not ok - …" lines and "N passed, N failed";
exits 1 on any failure. Needs openpyxl (Debian python3-openpyxl).
"""
import csv
import glob
import json
import os
import re
import sys
from decimal import Decimal

import openpyxl

passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok - {name}")
    else:
        failed += 1
        print(f"not ok - {name}")
        if detail:
            print("\n".join("#   " + line for line in str(detail).splitlines()))


def dec(s):
    return None if s is None or s == "" else Decimal(s)


def indicators(report):
    for s in report["sections"]:
        for i in s["indicators"]:
            yield s, i


def exact(v):
    return Decimal(v["exact"]) if v else None


def percent(v):
    return Decimal(v["percent"]) if v else None


# ---------------------------------------------------------------- CSV --
def check_csv(report, path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    want = list(indicators(report))
    check("csv: a row per indicator", len(rows) == len(want), f"{len(rows)} != {len(want)}")
    for row, (s, i) in zip(rows, want):
        where = f"csv {s['name']}.{i['key']}"
        got = (row["section"], row["key"], row["label"], row["parent"] or None,
               row["relation"] or None, row["asof"], dec(row["value"]),
               row["unit"], row["display"], dec(row["target"]),
               dec(row["completion_percent"]), dec(row["share_percent"]),
               dec(row["time_progress_percent"]), dec(row["progress_gap_points"]),
               row["progress_status"] or None, dec(row["year_ago"]),
               dec(row["change_percent"]))
        exp = (s["name"], i["key"], i["label"], i["parent"], i["relation"], i["asof"],
               exact(i["value"]), i["value"]["unit"], i["value"]["display"],
               exact(i["target"]), percent(i["completion"]), percent(i["share"]),
               dec(i["time_progress"]), dec(i["progress_gap"]), i["progress_status"],
               exact(i["year_ago"]), dec(i["change"]))
        check(f"{where} agrees with json", got == exp, f"csv:  {got}\njson: {exp}")


# --------------------------------------------------------- Prometheus --
SAMPLE = re.compile(r'^(\w+)\{(.*)\} (\S+)$')
LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def prom_samples(path):
    samples = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = SAMPLE.match(line.rstrip("\n"))
            if not m:
                continue
            labels = dict(LABEL.findall(m.group(2)))
            key = (m.group(1), labels.get("section"), labels.get("key"))
            samples[key] = Decimal(m.group(3))
    return samples


def check_prom(report, path):
    samples = prom_samples(path)
    hundred = Decimal(100)
    for s, i in indicators(report):
        sec, key = s["name"], i["key"]
        got = {
            "value": samples.get(("parkstat_indicator_value", sec, key)),
            "target": samples.get(("parkstat_indicator_target", sec, key)),
            "completion": samples.get(("parkstat_indicator_completion_ratio", sec, key)),
            "share": samples.get(("parkstat_indicator_share_ratio", sec, key)),
            "progress": samples.get(("parkstat_time_progress_ratio", sec, key)),
            "year_ago": samples.get(("parkstat_indicator_year_ago", sec, key)),
            "change": samples.get(("parkstat_indicator_yoy_change_ratio", sec, key)),
        }
        got = {k: (v * hundred if v is not None and k in ("completion", "share", "progress", "change")
                   else v) for k, v in got.items()}
        exp = {"value": exact(i["value"]), "target": exact(i["target"]),
               "completion": percent(i["completion"]), "share": percent(i["share"]),
               "progress": dec(i["time_progress"]), "year_ago": exact(i["year_ago"]),
               "change": dec(i["change"])}
        check(f"prom {sec}.{key} agrees with json", got == exp, f"prom: {got}\njson: {exp}")
    for s in report["sections"]:
        failed_flag = samples.get(("parkstat_section_failed", s["name"], None))
        check(f"prom section {s['name']} status", failed_flag == (s["status"] == "failed"))


# --------------------------------------------------------------- Excel --
def table_factor(unit):
    """How many base units one table unit is: 万元 is 10^4 元."""
    return {"万元": Decimal(10) ** 4, "亿元": Decimal(10) ** 8}.get(
        unit, Decimal(10) ** 4 if unit.startswith("万") else Decimal(1))


def number_cell(name, cell):
    """The cell's exact stored value, after checking it is a formatted number."""
    ok = cell.data_type == "n" and isinstance(cell.value, (int, float)) \
        and cell.number_format != "General"
    check(f"{name} is a number with a display format", ok,
          f"{cell.coordinate}: {cell.value!r} type {cell.data_type} format {cell.number_format}")
    return Decimal(repr(cell.value)) if ok else None


def check_amount(name, cell, unit, value):
    if value is None:
        check(f"{name} is empty", cell.value is None, repr(cell.value))
        return
    got = number_cell(name, cell)
    want = exact(value) / table_factor(unit)
    check(f"{name} = {want} {unit}", got == want, f"xlsx {got}, json {want}")


def quantities(section, i):
    """What a row's 另计 cell holds: the displays of i's quantities (the
    same indicator in other units), joined by ，; None when it has none."""
    shown = [q["value"]["display"] for q in section["indicators"]
             if q["relation"] == "quantity" and q["parent"] == i["key"]]
    return "，".join(shown) or None


def check_main_sheet(report, ws):
    month = int(report["period"][5:])
    head = [c.value for c in ws[2]]
    check("xlsx: the table's header", head == [
        "指标", "单位", f"1-{month}月累计", "另计", "年度目标", "完成率%", "序时进度%",
        "与序时进度差(百分点)", "同比增长%", "状态"], head)
    check("xlsx: header rows frozen", ws.freeze_panes == "B3", ws.freeze_panes)
    # the rows of ps__main_rows: top-level indicators with a target, then
    # those without, each in report order; then a row per failed section
    top = [(s, i) for s, i in indicators(report) if i["relation"] is None]
    rows = [x for x in top if x[1]["target"]] + [x for x in top if not x[1]["target"]]
    row = 3
    for s, i in rows:
        name = f"xlsx table {s['name']}.{i['key']}"
        check(f"{name} label", str(ws.cell(row, 1).value).startswith(i["label"]),
              ws.cell(row, 1).value)
        unit = ws.cell(row, 2).value
        check_amount(f"{name} value", ws.cell(row, 3), unit, i["value"])
        also = ws.cell(row, 4).value
        check(f"{name} other quantities {quantities(s, i)}", also == quantities(s, i), also)
        check_amount(f"{name} target", ws.cell(row, 5), unit, i["target"])
        if i["completion"]:
            got = number_cell(f"{name} completion", ws.cell(row, 6))
            check(f"{name} completion = {i['completion']['percent']}",
                  got == percent(i["completion"]), got)
        if i["time_progress"]:
            got = (number_cell(f"{name} progress", ws.cell(row, 7)),
                   number_cell(f"{name} gap", ws.cell(row, 8)))
            want = (dec(i["time_progress"]), dec(i["progress_gap"]))
            check(f"{name} time progress and gap", got == want, f"{got} != {want}")
        if i["change"] is not None:
            got = number_cell(f"{name} change", ws.cell(row, 9))
            check(f"{name} change = {i['change']}", got == dec(i["change"]), got)
        row += 1
    for s in report["sections"]:
        if s["status"] == "failed":
            check(f"xlsx: failed {s['name']} has a row saying so",
                  ws.cell(row, 1).value == s["title"] and
                  str(ws.cell(row, 10).value).startswith("未能生成"),
                  (ws.cell(row, 1).value, ws.cell(row, 10).value))
            row += 1
    check("xlsx: no rows beyond the report's", ws.cell(row, 1).value is None,
          ws.cell(row, 1).value)


def check_section_sheets(report, wb):
    sheets = wb.worksheets[1:]
    ok_sections = [s for s in report["sections"] if s["status"] == "ok" and s["indicators"]]
    check("xlsx: a sheet per section", [ws.title for ws in sheets] ==
          [s["title"] for s in ok_sections], wb.sheetnames)
    for ws, s in zip(sheets, ok_sections):
        check(f"xlsx sheet {ws.title}: header frozen", ws.freeze_panes == "B3")
        # one row per indicator: a quantity is in its parent's row
        rows = [i for i in s["indicators"] if i["relation"] != "quantity"]
        for n, i in enumerate(rows, start=3):
            name = f"xlsx sheet {ws.title} {i['key']}"
            check_amount(f"{name} value", ws.cell(n, 3), ws.cell(n, 4).value, i["value"])
            also = ws.cell(n, 5).value
            check(f"{name} other quantities", also == quantities(s, i), also)
            if i["share"]:
                got = number_cell(f"{name} share", ws.cell(n, 6))
                check(f"{name} share = {i['share']['percent']}", got == percent(i["share"]))


# ---------------------------------------------------------------- text --
def check_text(report, text):
    for s in report["sections"]:
        for sentence in s["sentences"]:
            check(f"text holds {s['name']}'s {sentence['kind']} sentence",
                  sentence["text"] in text, sentence["text"])
    for s, i in indicators(report):
        if i["parent"] is None and i["target"]:
            for what in ("value", "completion"):  # not every summary names the target
                shown = i[what]["display"]
                check(f"text shows {s['name']}.{i['key']} {what} {shown}", shown in text)


def main(directory):
    def one(ext):
        found = glob.glob(os.path.join(directory, f"report-*.{ext}"))
        assert len(found) == 1, f"expected one report-*.{ext} in {directory}"
        return found[0]

    with open(one("json"), encoding="utf-8") as f:
        report = json.load(f)
    with open(one("txt"), encoding="utf-8") as f:
        text = f.read()
    check_csv(report, one("csv"))
    check_prom(report, one("prom"))
    wb = openpyxl.load_workbook(one("xlsx"))
    check_main_sheet(report, wb.worksheets[0])
    check_section_sheets(report, wb)
    check_text(report, text)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
