#!/bin/sh
# End-to-end tests of the CSV, Prometheus and Excel outputs on the sample:
# golden files, the byte-order mark, and a failed section in each.
set -u
. "${PARKSTAT_SRCDIR:?run through make check}/tests/testlib.sh"

# The golden file is the CSV without its byte-order mark, which Excel on
# Chinese Windows needs and every run writes unless csv_bom = no.
expect "sample csv" 0 run_bin -c "$srcdir/conf/parkstat.ini" -f csv
printf '\357\273\277' | cat - "$golden/sample.csv" >"$tmp/bom.csv"
same_file "sample csv is the golden file after a UTF-8 byte-order mark" "$tmp/bom.csv" "$tmp/out"
if [ "$(head -1 "$tmp/out" | od -An -c | tr -d ' \n' | tail -c 4)" = '\r\n' ]; then
    pass "csv lines end in CRLF"
else
    fail "csv line end" "$(head -1 "$tmp/out" | od -c | tail -3)"
fi

sample_copy
sed -i 's/^formats = text$/formats = csv\ncsv_bom = no/' "$tmp/conf/parkstat.ini"
expect "csv_bom = no" 0 run_bin -c "$tmp/conf/parkstat.ini"
same_file "csv_bom = no leaves the mark out" "$golden/sample.csv" "$tmp/out"
sed -i 's/^csv_bom = no$/csv_bom = no\ncsv_headers = zh/' "$tmp/conf/parkstat.ini"
expect "csv_headers = zh" 0 run_bin -c "$tmp/conf/parkstat.ini"
equals "the headers in the office's words" \
    "部分,代码,指标,上级,关系,截止月份,数值,单位,显示值,目标,完成率(%),序时进度(%),与序时进度差(百分点),进度状态,上年同期,同比(%),占比(%),上年同期为可比口径,增长目标(%),与增长目标差(百分点),占比变化(百分点),同比变化(百分点),上月结转数" \
    "$(head -1 "$tmp/out" | tr -d '\r')"
equals "and nothing else changed" "$(tail -n +2 "$golden/sample.csv")" "$(tail -n +2 "$tmp/out")"

expect "sample prom" 0 run_bin -c "$srcdir/conf/parkstat.ini" -f prom
same_file "sample prom matches golden" "$golden/sample.prom" "$tmp/out"

expect "sample xlsx to standard output" 0 run_bin -c "$srcdir/conf/parkstat.ini" -f xlsx
if [ "$(head -c 4 "$tmp/out" | od -An -c | tr -d ' ')" = 'PK003004' ]; then
    pass "xlsx is a zip archive"
else
    fail "xlsx does not start as a zip" "$(head -c 16 "$tmp/out" | od -c)"
fi

# a failed section: no figures, and each format says it failed
sample_copy
head -1 "$srcdir/conf/ledgers/investment.csv" >"$tmp/conf/ledgers/investment.csv"
mkdir "$tmp/failed"
expect "a failed section" 1 run_bin -c "$tmp/conf/parkstat.ini" -f csv,prom,xlsx -o "$tmp/failed"
contains "prom flags the failed section" "$tmp/failed/report-2023-10.prom" \
    'parkstat_section_failed{zone="经济技术开发区",period="2023-10",section="investment"} 1'
contains "prom flags the late source" "$tmp/failed/report-2023-10.prom" \
    'parkstat_source_late{zone="经济技术开发区",period="2023-10",source="investment",department="经济发展局"} 1'
if grep -q '^investment,' "$tmp/failed/report-2023-10.csv"; then
    fail "csv has rows of the failed section"
else
    pass "csv has no rows of the failed section"
fi
if [ -s "$tmp/failed/report-2023-10.xlsx" ]; then pass "xlsx written despite the failure"; else fail "no xlsx"; fi

# --- a tag that looks like a formula never becomes one ----------------------
# Tax rows whose collector is a formula, split by collector: each becomes a
# part whose key and label are that text (the tax total no longer balances,
# which the audit reports: exit 1).
sample_copy
printf '%s\r\n' '2023-10,注入一,tax,1.5,万元,"=HYPERLINK(""http://evil.example/"",""点击"")",新能源' \
    "2023-10,注入二,tax,2.5,万元,@SUM(1+1)*cmd|' /C calc'!A0,新能源" \
    '2023-10,注入三,tax,3,万元,-地税,新能源' '2023-10,注入四,tax,4,万元,+国税,新能源' \
    "2023-10,注入五,tax,1,万元,\"$(printf '\r')cmd\",新能源" >>"$tmp/conf/ledgers/tax.csv"
mkdir "$tmp/formulas"
expect "tags that look like formulas" 1 run_bin -c "$tmp/conf/parkstat.ini" -f csv,xlsx -o "$tmp/formulas"
tr -d '\r' <"$tmp/formulas/report-2023-10.csv" >"$tmp/formulas.csv"
for line in \
    "tax,\"'=HYPERLINK(\"\"http://evil_example/\"\",\"\"点击\"\")\",\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"点击\"\")\",tax,part,2023-10,15000,元,1.5万元,,,,,,,,0.01,,,,,," \
    "tax,'@SUM(1+1)*cmd|'_/C_calc'!A0,'@SUM(1+1)*cmd|' /C calc'!A0,tax,part,2023-10,25000,元,2.5万元,,,,,,,,0.01,,,,,," \
    "tax,'-地税,'-地税,tax,part,2023-10,30000,元,3万元,,,,,,,,0.01,,,,,," \
    "tax,'+国税,'+国税,tax,part,2023-10,40000,元,4万元,,,,,,,,0.02,,,,,," \
    "tax,_cmd,\"'cmd\",tax,part,2023-10,10000,元,1万元,,,,,,,,0.00,,,,,," \
    "tax,地税,地税,tax,part,2023-10,62260000,元,6226万元,,,,,,57870000,7.6,23.61,no,,,-0.39,,"; do
    if grep -qxF -- "$line" "$tmp/formulas.csv"; then
        pass "csv line as text: $(echo "$line" | cut -c1-40)"
    else
        fail "csv line missing: $line" "$(grep '^tax,' "$tmp/formulas.csv")"
    fi
done
# The workbook writes every text as a shared string: no cell holds a formula.
expect "the workbook's cells" 0 python3 - "$tmp/formulas/report-2023-10.xlsx" <<'EOF'
import re, sys, zipfile
book = zipfile.ZipFile(sys.argv[1])
sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/sheet")]
formulas = sum(len(re.findall(r"<f[ >]", book.read(n).decode())) for n in sheets)
strings = book.read("xl/sharedStrings.xml").decode()
print(len(sheets), "sheets,", formulas, "formulas")
sys.exit(0 if sheets and formulas == 0 and "=HYPERLINK(" in strings else 1)
EOF
contains "no cell of the workbook is a formula" "$tmp/out" " sheets, 0 formulas"
python=
for p in python3 /usr/bin/python3; do
    if "$p" -c 'import openpyxl' >/dev/null 2>&1; then python=$p; break; fi
done
if [ -n "$python" ]; then
    expect "openpyxl reads them as text" 0 "$python" - "$tmp/formulas/report-2023-10.xlsx" <<'EOF'
import sys, openpyxl
seen = {}
for ws in openpyxl.load_workbook(sys.argv[1]).worksheets:
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str) and c.value[:1] in "=@+-":
                seen[c.value] = c.data_type
print(sorted(seen.items()))
want = {'=HYPERLINK("http://evil.example/","点击")', "@SUM(1+1)*cmd|' /C calc'!A0", "-地税", "+国税"}
sys.exit(0 if want <= set(seen) and set(seen.values()) == {"s"} else 1)
EOF
    # One row per indicator: 供应土地 is 31宗 and 1122亩 in one row, and
    # no row names its own label as its parent (a stage's 宗 under its 亩).
    expect "the sample's workbook" 0 run_bin -c "$srcdir/conf/parkstat.ini" -f xlsx -o "$tmp/sample"
    expect "one row per indicator in the workbook" 0 "$python" - "$tmp/sample/report-2023-10.xlsx" <<'EOF'
import sys, openpyxl
book = openpyxl.load_workbook(sys.argv[1])
rows = {ws.title: [[c.value for c in r] for r in ws.iter_rows(min_row=3)] for ws in book}
land = rows["土地管理"]
labels = [r[0] for r in land]
main = {r[0]: r for r in rows[book.sheetnames[0]]}
checks = {
    "no row is its own parent": all(r[0] != r[1] for rs in list(rows.values())[1:] for r in rs),
    "each label once": len(labels) == len(set(labels)),
    "供应土地 31宗 另计 1122亩": main["供应土地"][1:4] == ["宗", 31, "1122亩"],
    "a stage 913亩 另计 8宗": ["正在办理开工手续", "闲置土地", 913, "亩", "8宗"] in [r[:5] for r in land],
}
for name, ok in checks.items():
    print(("ok" if ok else "FAILED"), name)
sys.exit(0 if all(checks.values()) else 1)
EOF
    contains "the workbook's rows, checked" "$tmp/out" "ok 供应土地 31宗 另计 1122亩"
else
    echo "# no python3 with openpyxl: the workbook is checked from its XML only"
fi

expect "an unknown format lists the known ones" 2 run_bin -c "$srcdir/conf/parkstat.ini" -f pdf
contains "the message lists every format" "$tmp/err" "unknown format 'pdf' (expected text, json, html, csv, prom or xlsx)"

finish
