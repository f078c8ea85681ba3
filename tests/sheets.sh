#!/bin/sh
# End-to-end tests of the CSV, Prometheus and Excel outputs on the sample:
# golden files, the byte-order mark, and a failed section in each.
set -u
. "${PARKSTAT_SRCDIR:?run through make check}/tests/testlib.sh"

expect "sample csv" 0 run_bin -c "$srcdir/conf/parkstat.ini" -f csv
same_file "sample csv matches golden" "$golden/sample.csv" "$tmp/out"
if [ "$(head -c 3 "$tmp/out" | od -An -tx1 | tr -d ' ')" != efbbbf ]; then
    pass "no byte-order mark unless asked"
else
    fail "a byte-order mark without csv_bom"
fi
if [ "$(head -1 "$tmp/out" | od -An -c | tr -d ' \n' | tail -c 4)" = '\r\n' ]; then
    pass "csv lines end in CRLF"
else
    fail "csv line end" "$(head -1 "$tmp/out" | od -c | tail -3)"
fi

sample_copy
sed -i 's/^formats = text$/formats = csv\ncsv_bom = yes/' "$tmp/conf/parkstat.ini"
expect "csv_bom = yes" 0 run_bin -c "$tmp/conf/parkstat.ini"
printf '\357\273\277' | cat - "$golden/sample.csv" >"$tmp/bom.csv"
same_file "csv_bom = yes puts the UTF-8 byte-order mark first" "$tmp/bom.csv" "$tmp/out"

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

expect "an unknown format lists the known ones" 2 run_bin -c "$srcdir/conf/parkstat.ini" -f pdf
contains "the message lists every format" "$tmp/err" "unknown format 'pdf' (expected text, json, html, csv, prom or xlsx)"

finish
