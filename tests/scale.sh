#!/bin/sh
# Correctness at scale: a ledger of a million rows from tests/gen/ledger-gen
# (mixed units, quoted names and values, empty tags and values, CRLF), read by
# the real binary with the benchmark's plugins, and every total of its JSON
# report checked against an independent computation (bench/check_totals.py:
# Python's csv module and integer arithmetic) to the last digit; and the
# report against the installed JSON Schema (tests/schemalib.sh).
#
# Under valgrind or a sanitizer build (PARKSTAT_VALGRIND, ASAN_OPTIONS) the
# ledger shrinks to 20,000 rows: the same code paths, in CI's time. Skips
# (exit 77) without python3.
set -u

srcdir=${PARKSTAT_SRCDIR:?run through make check}
builddir=${PARKSTAT_BUILDDIR:?run through make check}
command -v python3 >/dev/null || { echo "skip: no python3"; exit 77; }

rows=1000000
if [ -n "${PARKSTAT_VALGRIND:-}" ] || [ -n "${ASAN_OPTIONS:-}" ]; then
    rows=20000
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
TMPDIR=$tmp
export TMPDIR

"$builddir/tests/gen/ledger-gen" "$rows" --crlf --bom >"$tmp/ledger.csv" || exit 1
sed "s|^module = benchq\$|module = $builddir/bench/benchq.la|" \
    "$srcdir/bench/parkstat.ini" >"$tmp/parkstat.ini"
${PARKSTAT_VALGRIND:-} "$builddir/parkstat" -c "$tmp/parkstat.ini" -f json >"$tmp/report.json" ||
    { echo "not ok - parkstat failed on $rows rows"; exit 1; }
python3 "$srcdir/bench/check_totals.py" ledger "$tmp/ledger.csv" --period 2024-10 >"$tmp/expected.tsv" &&
python3 "$srcdir/bench/check_totals.py" json "$tmp/report.json" >"$tmp/got.tsv" || exit 1
status=0
if python3 "$srcdir/bench/check_totals.py" compare "$tmp/expected.tsv" "$tmp/got.tsv"; then
    echo "ok - $rows rows: every total exact"
else
    echo "not ok - $rows rows: totals differ"
    status=1
fi
. "$srcdir/tests/schemalib.sh"
schema_line "the report matches the schema" "$tmp/report.json" || status=1
exit $status
