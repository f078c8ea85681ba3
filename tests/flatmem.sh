#!/bin/sh
# Flat memory: peak memory follows the number of distinct keys, not
# the number of rows. Two ledgers from tests/gen/ledger-gen with the entity
# column left empty, so that every row adds into the same fixed set of keys
# (indicator x month x tags): 500,000 rows (26 MB) and 5,000,000 rows
# (263 MB). The whole run on the larger one must peak within 10% of the
# smaller one, both with the default (two-thread) read and with one thread.
#
# Peak memory is the parkstat process's ru_maxrss, taken by python3. Skips
# (exit 77) without python3, and under valgrind or a sanitizer build, whose
# own memory would drown what is measured.
set -u

srcdir=${PARKSTAT_SRCDIR:?run through make check}
builddir=${PARKSTAT_BUILDDIR:?run through make check}
command -v python3 >/dev/null || { echo "skip: no python3"; exit 77; }
if [ -n "${PARKSTAT_VALGRIND:-}" ] || [ -n "${ASAN_OPTIONS:-}" ]; then
    echo "skip: memory is not measurable under valgrind or a sanitizer"
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
TMPDIR=$tmp
export TMPDIR

sed "s|^module = benchq\$|module = $builddir/bench/benchq.la|" \
    "$srcdir/bench/parkstat.ini" >"$tmp/base.ini"

. "$srcdir/tests/schemalib.sh"

# peak_kb ROWS: the peak resident memory, in KiB, of a whole run on ROWS
# rows; its report is kept for the schema check, as the next run replaces it.
peak_kb() {
    mkdir -p "$tmp/out" && "$builddir/tests/gen/ledger-gen" "$1" --no-entity >"$tmp/ledger.csv" || return 1
    python3 - "$builddir/parkstat" "$tmp/base.ini" "$tmp/out" <<'EOF' && keep_report "$tmp/out"/*.json
import resource, subprocess, sys
parkstat, ini, out = sys.argv[1:]
done = subprocess.run([parkstat, "-q", "-c", ini, "-f", "json", "-o", out])
if done.returncode != 0:
    sys.exit("parkstat exited with %d" % done.returncode)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
EOF
}

failed=0
# check_flat MODE: compares the two sizes under the read MODE names.
check_flat() {
    small=$(peak_kb 500000) && large=$(peak_kb 5000000) ||
        { echo "not ok - $1: parkstat failed"; failed=1; return; }
    if [ $((large * 10)) -le $((small * 11)) ]; then
        echo "ok - $1: peak $small KiB at 500,000 rows, $large KiB at 5,000,000"
    else
        echo "not ok - $1: peak $small KiB at 500,000 rows but $large KiB at 5,000,000 (more than 10% apart)"
        failed=1
    fi
}

check_flat "two threads (default)"
PARKSTAT_SPLIT_MIN_BYTES=99999999999
export PARKSTAT_SPLIT_MIN_BYTES
check_flat "one thread"
schema_line "every run's JSON report matches the schema" "$reports_kept" || failed=1
exit $failed
