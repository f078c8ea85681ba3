#!/bin/sh
# Correctness on every ledger shape of the benchmark's matrix (bench/shapes):
# for each, a ledger of 200,000 rows from tests/gen/ledger-gen, read by the
# real binary with bench/benchq's questions (bench/shapes ini fits the
# report month and the indicators to the shape), and every total of its
# JSON report checked to the last digit against bench/check_totals.py's
# independent computation (Python's csv module, integer arithmetic).
#
# And memory per row: each shape again at 1,000,000 rows, its peak (from
# /usr/bin/time -f %M) above the 200,000-row run's, over the 800,000 rows
# between them, must be at most 32 bytes: what a row costs, without the
# fixed cost of the process, which dominates at this size. Not under
# valgrind or a sanitizer, whose own memory would drown it.
#
# Under valgrind or a sanitizer build (PARKSTAT_VALGRIND, ASAN_OPTIONS) the
# ledgers shrink to 20,000 rows: the same code paths, in CI's time. Skips
# (exit 77) without python3.
set -u

. "${PARKSTAT_SRCDIR:?run through make check}/tests/testlib.sh"
command -v python3 >/dev/null || { echo "skip: no python3"; exit 77; }

rows=200000 big=1000000 row_bytes=32
if [ -n "${PARKSTAT_VALGRIND:-}" ] || [ -n "${ASAN_OPTIONS:-}" ]; then
    rows=20000 big=
fi
shapes=$srcdir/bench/shapes
totals=$srcdir/bench/check_totals.py
timer=
[ -x /usr/bin/time ] && timer="/usr/bin/time -f %M -o $tmp/peak_kb"
[ -n "$timer" ] || big=

# peak_kb N FLAGS: the peak KiB of a run on N rows of the shape (its
# configuration already in $tmp/parkstat.ini).
peak_kb() {
    # shellcheck disable=SC2086 # the flags are separate arguments
    "$builddir/tests/gen/ledger-gen" "$1" $2 >"$tmp/ledger.csv" &&
        $timer "$bin" -c "$tmp/parkstat.ini" -f json >/dev/null 2>"$tmp/err" &&
        tail -1 "$tmp/peak_kb"
}

# check_row_bytes NAME FLAGS SMALL_KB: the bytes a row adds, from $rows to $big.
check_row_bytes() {
    large_kb=$(peak_kb "$big" "$2") ||
        { fail "shape $1: parkstat failed on $big rows" "$(head -20 "$tmp/err")"; return; }
    per_row=$(( (large_kb - $3) * 1024 / (big - rows) ))
    if [ "$per_row" -le "$row_bytes" ]; then
        pass "shape $1: $per_row bytes a row (peak $3 KiB at $rows rows, $large_kb KiB at $big)"
    else
        fail "shape $1: $per_row bytes a row, more than $row_bytes" \
             "peak $3 KiB at $rows rows, $large_kb KiB at $big"
    fi
}

# check_shape NAME FLAGS: one ledger, one run, every total compared.
check_shape() {
    name=$1 flags=$2
    period=$(sh "$shapes" period "$name") &&
        sh "$shapes" ini "$name" "$builddir/bench/benchq.la" >"$tmp/parkstat.ini" ||
        { fail "shape $name: no configuration"; return; }
    # word splitting of $flags is meant: they are separate arguments
    # shellcheck disable=SC2086
    "$builddir/tests/gen/ledger-gen" "$rows" $flags >"$tmp/ledger.csv" ||
        { fail "shape $name: no ledger"; return; }
    rm -f "$tmp/peak_kb"
    # shellcheck disable=SC2086 # $timer is a command line or nothing
    if ! $timer ${PARKSTAT_VALGRIND:-} "$bin" -c "$tmp/parkstat.ini" -f json \
            >"$tmp/report.json" 2>"$tmp/err"; then
        fail "shape $name: parkstat failed on $rows rows" "$(head -20 "$tmp/err")"
        return
    fi
    keep_report "$tmp/report.json" # for finish's schema check: the next shape overwrites it
    python3 "$totals" ledger "$tmp/ledger.csv" --period "$period" >"$tmp/expected.tsv" &&
    python3 "$totals" json "$tmp/report.json" >"$tmp/got.tsv" ||
        { fail "shape $name: check_totals.py failed"; return; }
    # at least a year to date for every indicator asked about: no empty pass
    asked=$(sed -n 's/^indicators = //p' "$tmp/parkstat.ini" | tr ',' '\n' | grep -c .)
    if [ "$(grep -c '|ytd	' "$tmp/expected.tsv")" -ne "$asked" ]; then
        fail "shape $name: the ledger has no year to date for some of its $asked indicators"
    elif python3 "$totals" compare "$tmp/expected.tsv" "$tmp/got.tsv" >"$tmp/agree" 2>"$tmp/err"; then
        pass "shape $name: $rows rows, every total exact"
        echo "#   $(cat "$tmp/agree"), report month $period"
    else
        fail "shape $name: $rows rows, totals differ" "$(head -20 "$tmp/err")"
    fi
    [ -n "$big" ] && check_row_bytes "$name" "$flags" "$(tail -1 "$tmp/peak_kb")"
}

sh "$shapes" >"$tmp/shapes" || exit 1
while IFS='	' read -r name flags; do
    check_shape "$name" "$flags"
done <"$tmp/shapes"
finish
