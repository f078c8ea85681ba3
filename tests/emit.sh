#!/bin/sh
# End-to-end tests of the plugin emit boundary: emitting stays linear in
# the number of indicators.
set -u
. "${PARKSTAT_SRCDIR:?run through make check}/tests/testlib.sh"

# Emitting is linear: ten times the indicators take about ten times as
# long, nowhere near the hundred times of a scan per emit (which made
# 200,000 take many minutes). A ratio of whole runs, so that it holds on a
# slow or busy machine; not under valgrind, where it means nothing.
if [ -n "${PARKSTAT_VALGRIND:-}" ]; then
    echo "skipped: emit timings under valgrind"
    finish
    exit $?
fi
# run_ms MODE COUNT: the quickest of two runs of the sample plus `many`.
run_ms() {
    sample_copy
    sed -i "s/^formats = text\$/formats = text\\nisolate = $1/" "$tmp/conf/parkstat.ini"
    printf '\n[plugin.many]\nmodule = %s\ncount = %s\n' \
        "$builddir/tests/plugins/many.la" "$2" >>"$tmp/conf/parkstat.ini"
    best=
    for i in 1 2; do
        started=$(date +%s%N)
        timeout 300 "$bin" -c "$tmp/conf/parkstat.ini" >"$tmp/out" 2>"$tmp/err" ||
            { echo "many ($2 indicators) failed: $(head -3 "$tmp/err")" >&2; echo 999999; return; }
        ms=$((($(date +%s%N) - started) / 1000000 + 1))
        [ -z "$best" ] || [ "$ms" -lt "$best" ] && best=$ms
    done
    echo "$best"
}
# In the core's process 200,000 fit; a child's result (at most 16 MiB)
# holds 100,000 of these.
for spec in "no|20000|200000" "yes|10000|100000"; do
    mode=${spec%%|*} counts=${spec#*|}
    small=${counts%|*} large=${counts#*|}
    small_ms=$(run_ms "$mode" "$small")
    large_ms=$(run_ms "$mode" "$large")
    contains "many: the sentence names the last of $large (isolate = $mode)" "$tmp/out" "末项$large个"
    if [ "$large_ms" -le $((small_ms * 40)) ]; then
        pass "$large emits in ${large_ms} ms, $small in ${small_ms} ms (isolate = $mode)"
    else
        fail "$large emits took ${large_ms} ms, $small ${small_ms} ms: more than 40 times (isolate = $mode)"
    fi
done

finish
