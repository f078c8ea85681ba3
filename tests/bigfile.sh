#!/bin/sh
# A ledger larger than the memory the run may use still works. In a memory
# cgroup limited to 40 MiB: tests/gen/ledger-gen writes 3,000,000 rows of
# fixed keys (158 MB, whose page cache the cgroup is charged for); python3
# reading the file into memory is killed, which shows the limit
# binds; parkstat's whole run, which maps the file and gives its pages back
# as it reads, succeeds, with the report it gives without the limit.
#
# Skips (exit 77) where no memory cgroup can be made (cgroup v1 or v2; it
# needs root), without python3, and under valgrind or a sanitizer build,
# whose own memory would not fit.
set -u
. "${PARKSTAT_SRCDIR:?run through make check}/tests/testlib.sh"

command -v python3 >/dev/null || { echo "skip: no python3"; exit 77; }
if [ -n "${PARKSTAT_VALGRIND:-}" ] || [ -n "${ASAN_OPTIONS:-}" ]; then
    echo "skip: valgrind's or a sanitizer's own memory would not fit the limit"
    exit 77
fi

limit=$((40 * 1024 * 1024))
# A memory cgroup of our own: v1's memory hierarchy, else v2's.
cg= limit_file=
if [ -w /sys/fs/cgroup/memory ]; then
    cg=/sys/fs/cgroup/memory/parkstat-test-$$ limit_file=memory.limit_in_bytes
elif grep -qw memory /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null; then
    cg=/sys/fs/cgroup/parkstat-test-$$ limit_file=memory.max
fi
if [ -n "$cg" ] && mkdir "$cg" 2>/dev/null; then
    if echo "$limit" >"$cg/$limit_file" 2>/dev/null; then
        # no swap either (v2), or python3 could swap rather than be killed
        [ ! -f "$cg/memory.swap.max" ] || echo 0 >"$cg/memory.swap.max" 2>/dev/null || true
    else
        rmdir "$cg"
        cg=
    fi
else
    cg=
fi
if [ -z "$cg" ]; then
    echo "skip: cannot make a memory cgroup here (needs root and a memory controller)"
    exit 77
fi
# The ledger goes where its pages can be written back and dropped, which a
# tmpfs's cannot: beside the build.
data=$(mktemp -d -p "$builddir" bigfile.XXXXXX)
trap 'rmdir "$cg" 2>/dev/null; rm -rf "$tmp" "$data"' EXIT

# limited CMD...: runs CMD in the cgroup.
limited() { sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$cg" "$@"; }

ledger="$data/ledger.csv"
expect "tests/gen/ledger-gen writes 3M rows within the limit" 0 \
    limited sh -c "exec '$builddir/tests/gen/ledger-gen' 3000000 --no-entity >'$ledger'"
size=$(wc -c <"$ledger")
[ "$size" -gt $((3 * limit)) ] && pass "the ledger ($size bytes) is over three times the limit" ||
    fail "the ledger is only $size bytes"

expect "python3 reading the ledger into memory is killed" 137 \
    limited python3 -c "import sys; sys.stdout.write(str(len(open('$ledger', 'rb').read())))"

sed "s|^module = benchq\$|module = $builddir/bench/benchq.la|; s|^path = .*|path = $ledger|" \
    "$srcdir/bench/parkstat.ini" >"$tmp/bench.ini"
expect "parkstat's whole run within the limit" 0 \
    limited "$bin" -c "$tmp/bench.ini" -f json
mv "$tmp/out" "$tmp/limited.json"
expect "parkstat's whole run without the limit" 0 run_bin -c "$tmp/bench.ini" -f json
same_file "the same report, with and without the limit" "$tmp/out" "$tmp/limited.json"
contains "the report holds the year to date" "$tmp/out" '"key": "fai"'

finish
