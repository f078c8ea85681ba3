#!/bin/sh
# The sample's HTML report in a real browser: headless Chromium loads it
# with nothing on the network, takes a screenshot, and must report no
# error; the DOM it built must hold the whole page.
#
# Skips (exit 77) where chromium is not installed, unless
# PS_REQUIRE_CHROMIUM=1 (CI), where that is a failure. PS_SCREENSHOT=FILE
# keeps the screenshot (doc/report-screenshot.png is made so).
set -u
. "${PARKSTAT_SRCDIR:?run through make check}/tests/testlib.sh"

if ! command -v chromium >/dev/null 2>&1; then
    if [ "${PS_REQUIRE_CHROMIUM:-0}" = 1 ]; then
        echo "not ok - chromium is required (PS_REQUIRE_CHROMIUM=1) but not installed"
        exit 1
    fi
    echo "skip: chromium is not installed"
    exit 77
fi

expect "sample html" 0 run_bin -c "$srcdir/conf/parkstat.ini" -f html -o "$tmp"
page="file://$tmp/report-2023-10.html"

# Its own profile and home, so that a run touches nothing of the user's.
browse() {
    HOME=$tmp/home timeout 120 chromium --headless --no-sandbox --disable-gpu \
        --user-data-dir="$tmp/profile" --enable-logging=stderr --v=0 "$@" "$page"
}

browse --screenshot="$tmp/shot.png" --window-size=1280,2400 >"$tmp/shot.out" 2>"$tmp/shot.err"
equals "chromium took the screenshot (exit status)" 0 "$?"
# The page logs nothing to the console: no script error (Uncaught), no load
# the Content-Security-Policy blocked, no other message.
lacks "no console message" "$tmp/shot.err" 'CONSOLE|Uncaught'

# A PNG of 1280 x 2400 pixels, large enough to hold more than a blank page.
dims=$(python3 - "$tmp/shot.png" <<'PY'
import struct, sys
try:
    data = open(sys.argv[1], "rb").read(24)
except OSError:
    data = b""
if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
    print("%dx%d" % struct.unpack(">II", data[16:24]))
else:
    print("not a PNG")
PY
)
equals "screenshot is a 1280x2400 PNG" 1280x2400 "$dims"
size=$(wc -c <"$tmp/shot.png" 2>/dev/null || echo 0)
if [ "$size" -gt 100000 ]; then pass "screenshot is not blank ($size bytes)"; else fail "screenshot of $size bytes: blank?"; fi
[ -z "${PS_SCREENSHOT:-}" ] || cp "$tmp/shot.png" "$PS_SCREENSHOT"

# The DOM as Chromium built it: the whole page was parsed, table and charts.
browse --dump-dom >"$tmp/dom" 2>"$tmp/dom.err"
equals "chromium dumped the DOM (exit status)" 0 "$?"
lacks "no console message while loading the DOM" "$tmp/dom.err" 'CONSOLE|Uncaught'
rows=$(tr '\n' ' ' <"$tmp/dom" | sed 's/.*<table class="main">//; s#</table>.*##' |
    grep -o '<tr><th scope="row">' | wc -l)
equals "DOM: 22 rows in the main-indicator table" 22 "$rows"
charts=$(grep -o '<svg class="chart"' "$tmp/dom" | wc -l)
equals "DOM: 11 charts (completion, four months' courses, six breakdowns)" 11 "$charts"
contains "DOM: the sources table, at the end" "$tmp/dom" '<th scope="row">应急管理局</th>'

finish
