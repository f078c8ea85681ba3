#!/bin/sh
# The ledger reader's guards, as a user meets them: a ledger that changes
# while it is read (cut short or grown by a department still writing it;
# tests/preload/change_on_map.c changes it right after parkstat maps it),
# the rules of a ledger's values, and errors in their right class. Each
# refused run exits 2 and writes nothing.
set -u

. "${PARKSTAT_SRCDIR:?run through make check}/tests/testlib.sh"

shim=$builddir/tests/preload/.libs/change_on_map.so
tax=$tmp/conf/ledgers/tax.csv
out=$tmp/out_dir

# run_changing VAR=VALUE...: parkstat on the sample copy into $out, with
# the shim preloaded and the given variables set; ASan must let it come
# first.
run_changing() {
    env LD_PRELOAD="$shim" PARKSTAT_TEST_CHANGE="$tax" \
        ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" "$@" \
        ${PARKSTAT_VALGRIND:-} "$bin" -c "$tmp/conf/parkstat.ini" -o "$out"
}

# nothing_written NAME: the output directory is empty.
nothing_written() {
    if [ -z "$(ls -A "$out")" ]; then pass "$1: nothing written"; else fail "$1: written" "$(ls "$out")"; fi
}

fresh() {
    sample_copy
    rm -rf "$out"
    mkdir "$out"
}

# --- a ledger cut short while it is read ------------------------------------
fresh
size=$(wc -c <"$tax")
expect "the sample reads with the shim loaded" 0 run_changing
fresh
expect "a ledger cut short after mapping is refused" 2 run_changing PARKSTAT_TEST_CUT_TO=100000
contains "the cut ledger is named, with both sizes" "$tmp/err" \
    "parkstat: $tax: changed while being read (was $size bytes, now 100000): try again when it is complete"
lacks "no crash" "$tmp/err" "bus error|sanitizer"
nothing_written "cut ledger"

fresh
expect "cut short under the two-thread reader" 2 run_changing PARKSTAT_TEST_CUT_TO=100000 \
    PARKSTAT_SPLIT_MIN_BYTES=1
contains "the cut ledger is named by the two-thread reader" "$tmp/err" \
    "parkstat: $tax: changed while being read (was $size bytes, now 100000): try again when it is complete"
nothing_written "cut ledger, two threads"

fresh
expect "cut inside its last page" 2 run_changing PARKSTAT_TEST_CUT_TO=$((size - 10))
contains "a cut that faults nothing is found too" "$tmp/err" \
    "parkstat: $tax: changed while being read (was $size bytes, now $((size - 10))): try again when it is complete"

# --- a ledger that grows while it is read -----------------------------------
fresh
row='2023-10,某新公司,tax,1,万元,国税,其他
'
expect "a ledger grown while read is refused" 2 run_changing PARKSTAT_TEST_APPEND="$row"
grown=$((size + $(printf '%s' "$row" | wc -c)))
contains "the grown ledger is named" "$tmp/err" \
    "parkstat: $tax: changed while being read (was $size bytes, now $grown): try again when it is complete"
nothing_written "grown ledger"

# --- the rules of values ----------------------------------------------------
expected='(expected a decimal with at most 4 decimal places, e.g. 1234.5 or "1,234.5")'
bom=$(printf '\357\273\277')
lines=$(($(wc -l <"$srcdir/conf/ledgers/tax.csv") + 1))

# refused NAME ROW MESSAGE: the row appended to the tax ledger stops the run.
refused() {
    fresh
    printf '%s\n' "$2" >>"$tax"
    expect "$1" 2 run_bin -c "$tmp/conf/parkstat.ini" -o "$out"
    contains "$1: the message" "$tmp/err" "parkstat: $tax:$lines: $3"
    nothing_written "$1"
}
refused "a value ending in a decimal point" "2023-10,某新公司,tax,5.,万元,国税,其他" \
    "column 'value': '5.' has no digit after the decimal point $expected"
refused "a value starting with a decimal point" "2023-10,某新公司,tax,.5,万元,国税,其他" \
    "column 'value': '.5' has no digit before the decimal point $expected"
refused "a fifth decimal" "2023-10,某新公司,tax,1.23451,万元,国税,其他" \
    "column 'value': '1.23451' has more than 4 decimal places $expected"
refused "a month far ahead" "9999-12,某新公司,tax,1,万元,国税,其他" \
    "column 'period': '9999-12' is too far ahead (expected a month no later than"
refused "a byte-order mark in an entity" "2023-10,${bom}某新公司,tax,1,万元,国税,其他" \
    "column 'entity' holds a byte-order mark (U+FEFF), an invisible character (from text pasted into this file?): remove it"

fresh
printf '%s\n' "2023-10,某新公司,tax,1.23450,万元,国税,其他" >>"$tax"
expect "zeros past the fourth decimal are the same number" 0 \
    run_bin -c "$tmp/conf/parkstat.ini" -o "$out" -f json

# --- errors in their right class --------------------------------------------
fresh
rm "$tax"
mkdir "$tax"
expect "a directory as a ledger" 2 run_bin -c "$tmp/conf/parkstat.ini" -o "$out"
equals "the directory is said to be one, without a line" \
    "parkstat: $tax: is a directory, not a file: refused" "$(cat "$tmp/err")"

fresh
printf '%s\n' "2023-10,,tax,5000000,亿元,国税,其他" "2023-10,,tax,5000000,亿元,国税,其他" >>"$tax"
expect "a sum past the largest figure" 2 run_bin -c "$tmp/conf/parkstat.ini" -o "$out"
contains "the source and both rows are named" "$tmp/err" \
    "parkstat: $tax:$((lines + 1)): the sum of indicator 'tax' for 2023-10 in [source.tax] overflows: this row and the earlier rows without entity of that month and tags (the first at line $lines) add up past 922337203685477.5807 元"
nothing_written "sum overflow"

finish
