#!/bin/sh
# Cross-format agreement on the sample: every figure is the same in the
# json, csv, prom and xlsx outputs and the text says what the JSON says
# (tests/agree.py, with openpyxl); a second run writes the same bytes in
# every format. Skipped without openpyxl unless PS_REQUIRE_OPENPYXL=1.
set -u
. "${PARKSTAT_SRCDIR:?run through make check}/tests/testlib.sh"

# Debian's python3-openpyxl serves the system python3, which may not be
# the first python3 on PATH.
python=
for p in python3 /usr/bin/python3; do
    if "$p" -c 'import openpyxl' >/dev/null 2>&1; then python=$p; break; fi
done
[ -n "$python" ] ||
    skip_unless_required PS_REQUIRE_OPENPYXL "no python3 with openpyxl (Debian package python3-openpyxl)"

all=text,json,csv,prom,xlsx
mkdir "$tmp/one" "$tmp/two"
expect "every format" 0 run_bin -c "$srcdir/conf/parkstat.ini" -f $all -o "$tmp/one"
sleep 2 # past the two-second steps of zip times
expect "every format again" 0 run_bin -c "$srcdir/conf/parkstat.ini" -f $all -o "$tmp/two"
for ext in txt json csv prom xlsx; do
    same_file "a second run writes the same $ext" "$tmp/one/report-2023-10.$ext" \
        "$tmp/two/report-2023-10.$ext"
done

# agree.py prints its own "N passed, N failed"; fold it into ours
agree() { # NAME DIR
    "$python" "$srcdir/tests/agree.py" "$2" >"$tmp/agree.log" 2>&1
    status=$?
    grep -v ' passed, .* failed$' "$tmp/agree.log" | grep -v '^ok - '
    counts=$(tail -1 "$tmp/agree.log")
    case $counts in
        *' passed, '*' failed') passed=$((passed + ${counts%% *})) ;;
    esac
    if [ "$status" -eq 0 ]; then pass "$1: ${counts}"; else fail "$1" "$(tail -5 "$tmp/agree.log")"; fi
}
agree "the sample agrees across formats" "$tmp/one"

sample_copy
head -1 "$srcdir/conf/ledgers/investment.csv" >"$tmp/conf/ledgers/investment.csv"
mkdir "$tmp/failed"
expect "every format with a failed section" 1 run_bin -c "$tmp/conf/parkstat.ini" -f $all -o "$tmp/failed"
agree "a report with a failed section agrees across formats" "$tmp/failed"

finish
