#!/bin/sh
# The Prometheus output passes `promtool check metrics` (Debian prometheus).
# Skipped without promtool, unless PS_REQUIRE_PROMTOOL=1 (as in CI).
set -u
. "${PARKSTAT_SRCDIR:?run through make check}/tests/testlib.sh"

command -v promtool >/dev/null 2>&1 ||
    skip_unless_required PS_REQUIRE_PROMTOOL "promtool not found (Debian package prometheus)"

expect "sample prom" 0 run_bin -c "$srcdir/conf/parkstat.ini" -f prom
mv "$tmp/out" "$tmp/sample.prom"
expect "promtool check metrics accepts the sample" 0 promtool check metrics <"$tmp/sample.prom"
if [ -s "$tmp/out" ] || [ -s "$tmp/err" ]; then
    fail "promtool has remarks" "$(cat "$tmp/out" "$tmp/err")"
else
    pass "promtool has no remarks"
fi

# label values that need escaping still parse
sample_copy
sed -i 's/^zone = 经济技术开发区$/zone = 经济\\技术"开发区/' "$tmp/conf/parkstat.ini"
expect "a zone name with a backslash and a quote" 0 run_bin -c "$tmp/conf/parkstat.ini" -f prom
contains "the zone's label escaped" "$tmp/out" 'zone="经济\\技术\"开发区"'
mv "$tmp/out" "$tmp/odd.prom"
expect "promtool accepts escaped labels" 0 promtool check metrics <"$tmp/odd.prom"

finish
