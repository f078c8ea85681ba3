#!/bin/sh
# End-to-end tests of the history of figures ([parkstat] history): the real
# binary on a copy of the sample, the database read with Python's sqlite3
# module (python3 is a build dependency already; no sqlite3 CLI needed).
#
# Run by `make check`; PARKSTAT_VALGRIND, when set, prefixes every run;
# KEEP=1 keeps the temporary directory, its reports and its history.
set -u

. "${PARKSTAT_SRCDIR:?run through make check}/tests/testlib.sh"
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
# sql QUERY: the rows of a query of the history, fields joined by '|'.
sql() {
    python3 -c 'import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for row in db.execute(sys.argv[2]):
    print("|".join("" if v is None else str(v) for v in row))' "$conf/history.sqlite" "$1"
}
# wan RAW: a raw money value (元 x 10^4) as the text writes it in 万元.
wan() {
    python3 -c 'import sys
from decimal import Decimal, ROUND_HALF_UP
v = (Decimal(sys.argv[1]) / 10**8).quantize(Decimal("0.01"), ROUND_HALF_UP)
print(format(v.normalize(), "f") + "万元")' "$1"
}

# A copy of the sample that keeps its history beside its INI, and a
# September configuration writing to the same history (the sample's
# [audit.idle_land] names a breakdown that September's land data lacks).
conf=$tmp/conf
cp -R "$srcdir/conf" "$conf"
chmod -R u+w "$conf"
sed -i 's/^formats = text$/formats = text\nhistory = history.sqlite/' "$conf/parkstat.ini"
awk '/^\[audit\.idle_land\]/ { skip = 1; next } /^\[/ { skip = 0 } !skip' \
    "$conf/parkstat.ini" >"$conf/september.ini"
# The sample's report with the revision check counted among the audit rules.
sed 's/^6条审核规则全部通过。$/7条审核规则全部通过。/' "$golden/sample.txt" >"$tmp/expected.txt"

# --- every run recorded; a re-run replaces its period ----------------------
expect "September recorded" 0 run_bin -c "$conf/september.ini" -p 2023-09
mkdir "$tmp/first" "$tmp/second"
expect "October recorded" 0 run_bin -c "$conf/parkstat.ini" -f text,json -o "$tmp/first"
same_file "the report is the sample's, with one more audit rule" "$tmp/expected.txt" \
    "$tmp/first/report-2023-10.txt"
first_rows=$(sql "SELECT count(*) FROM figures WHERE period = '2023-10'")
indicators=$(grep -c '"key": ' "$golden/sample.json")
equals "one row per indicator" "$indicators" "$first_rows"
expect "October again" 0 run_bin -c "$conf/parkstat.ini" -f text,json -o "$tmp/second"
same_file "the same text again" "$tmp/first/report-2023-10.txt" "$tmp/second/report-2023-10.txt"
same_file "the same JSON again" "$tmp/first/report-2023-10.json" "$tmp/second/report-2023-10.json"
lacks "an identical re-run finds no revision" "$tmp/second/report-2023-10.txt" "修订为"
equals "one set of rows for 2023-10" "$first_rows" \
    "$(sql "SELECT count(*) FROM figures WHERE period = '2023-10'")"
equals "two runs, no time of day" "2023-09|2023-10|0" \
    "$(sql "SELECT group_concat(period, '|'), count(generated_at) FROM runs ORDER BY period")"
equals "exact integers, not floating point" "integer|2636200000000" \
    "$(sql "SELECT typeof(value), value FROM figures WHERE period = '2023-10' AND section = 'tax' AND key = 'tax'")"
equals "asof and target kept" "2023-09|260000000000000" \
    "$(sql "SELECT asof, target FROM figures WHERE period = '2023-10' AND key = 'output'")"
expect "--check records nothing" 0 run_bin -c "$conf/parkstat.ini" --check -p 2023-08
equals "no 2023-08 run" "0" "$(sql "SELECT count(*) FROM runs WHERE period = '2023-08'")"

# --- a history it cannot use stops the run: exit 2, nothing written --------
for case in "missing|nowhere/history.sqlite|unable to open database file" \
    "corrupt|corrupt.sqlite|file is not a database"; do
    what=${case%%|*} rest=${case#*|}
    path=${rest%%|*} why=${rest#*|}
    head -c 4096 /dev/urandom >"$conf/corrupt.sqlite"
    sed "s|^history = history.sqlite$|history = $path|" "$conf/parkstat.ini" >"$conf/$what.ini"
    mkdir "$tmp/$what"
    expect "a $what history" 2 run_bin -c "$conf/$what.ini" -o "$tmp/$what"
    contains "the $what history named" "$tmp/err" "parkstat: history $conf/$path: "
    contains "the $what history's reason" "$tmp/err" "$why"
    equals "nothing written for a $what history" "" "$(ls -A "$tmp/$what")"
done

# --- revisions and months from history ---------------------------------------
# Every check below reads recorded months: a history without them is a
# failure, not a reason to check nothing.
if [ "$(sql "SELECT count(*) FROM months")" -eq 0 ]; then
    fail "the history records the months of the report" "the months table is empty"
else
    # One 2023-08 tax row grows by 100万元: August's cumulative figure with it.
    was=$(sql "SELECT value FROM months WHERE section = 'tax' AND key = 'tax' AND month = '2023-08' AND period = '2023-09'")
    sed -i '0,/^2023-08,三木储能科技有限公司,tax,6.02,万元,/s//2023-08,三木储能科技有限公司,tax,106.02,万元,/' \
        "$conf/ledgers/tax.csv"
    revision="税收（tax）2023年8月累计数由$(wan "$was")修订为$(wan $((was + 10000000000)))"
    expect "October after a revision" 0 run_bin -c "$conf/parkstat.ini"
    contains "a revised month named" "$tmp/out" "【核实性错误】$revision（需说明）"
    lacks "named once, where it begins" "$tmp/out" "2023年9月累计数由"
    cp "$tmp/out" "$tmp/revised.txt"
    expect "October after a revision, as HTML" 0 run_bin -c "$conf/parkstat.ini" -f html
    contains "the HTML names the revision too" "$tmp/out" "$revision"
    expect "October after a revision, again" 0 run_bin -c "$conf/parkstat.ini"
    same_file "a re-run names it again" "$tmp/revised.txt" "$tmp/out"
    printf 'period,rule,indicator,entity,explanation\n2023-08,revision,tax,,企业补缴\n' \
        >"$conf/explanations.csv"
    sed -i 's/^history = history.sqlite$/history = history.sqlite\nexplanations = explanations.csv/' \
        "$conf/parkstat.ini"
    expect "an explained revision" 0 run_bin -c "$conf/parkstat.ini"
    contains "an explained revision" "$tmp/out" "$revision（已说明：企业补缴）"

    # The output ledger loses January to March (cumulative rows: later
    # months keep their figures).
    recorded=$(sql "SELECT group_concat(value) FROM (SELECT value FROM months WHERE key = 'output' AND month <= '2023-03' AND period = '2023-09' ORDER BY month)")
    sed -i '/^2023-0[123],/d' "$conf/ledgers/output.csv"
    expect "October without the first quarter's output" 0 run_bin -c "$conf/parkstat.ini"
    equals "months from history" "$recorded" \
        "$(sql "SELECT group_concat(value) FROM (SELECT value FROM months WHERE key = 'output' AND month <= '2023-03' AND period = '2023-10' ORDER BY month)")"
    lacks "months from history are no revision" "$tmp/out" "各业总产值（output）"
fi

finish
