#!/bin/sh
# The sample's HTML report in a real browser: headless Chromium loads it
# with nothing on the network and must report no error; the DOM it built
# must hold the whole page. On a phone (400 pixels wide) as on a desktop
# (1280), nothing may stick out of the viewport sideways and every column
# header must be aligned as its column: a screenshot at each width, and a
# measure of every element, run of text and table cell as laid out
# (tests/measure.js, run beside the report, never in it).
#
# Skips (exit 77) where chromium is not installed, unless
# PS_REQUIRE_CHROMIUM=1 (CI), where that is a failure. PS_SCREENSHOT=FILE
# keeps the 1280-pixel screenshot (doc/report-screenshot.png is made so),
# PS_SCREENSHOT_PHONE=FILE the 400-pixel one.
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
report=$tmp/report-2023-10.html

# Its own profile and home, so that a run touches nothing of the user's.
browse() {
    HOME=$tmp/home timeout 120 chromium --headless --no-sandbox --disable-gpu \
        --user-data-dir="$tmp/profile" --enable-logging=stderr --v=0 "$@"
}

# The DOM as Chromium built it: the whole page was parsed, table and charts.
browse --dump-dom "file://$report" >"$tmp/dom" 2>"$tmp/dom.err"
equals "chromium dumped the DOM (exit status)" 0 "$?"
# The page logs nothing to the console: no script error (Uncaught), no load
# the Content-Security-Policy blocked, no other message.
lacks "no console message while loading the DOM" "$tmp/dom.err" 'CONSOLE|Uncaught'
rows=$(tr '\n' ' ' <"$tmp/dom" | sed 's/.*<table class="main">//; s#</table>.*##' |
    grep -o '<tr><th scope="row">' | wc -l)
equals "DOM: 19 rows in the main-indicator table, one per indicator" 19 "$rows"
charts=$(grep -o '<svg class="chart"' "$tmp/dom" | wc -l)
equals "DOM: 12 charts (completion, four months' courses, a rate's course, six breakdowns)" 12 "$charts"
contains "DOM: the sources table, at the end" "$tmp/dom" '<th scope="row">应急管理局</th>'

# framed WIDTH HEIGHT: a page of the test's own holding the report, as it
# ships and under its own policy, in a frame of WIDTH x HEIGHT pixels (a
# headless window is never narrower than 500), and the script that
# measures it once loaded. The frame is at the top left, so a screenshot
# of WIDTH x HEIGHT shows the report alone.
framed() {
    {
        printf '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
        printf '<style>html{overflow:hidden}body{margin:0}iframe{display:block;border:0}</style>\n'
        printf '</head>\n<body>\n<iframe id="report" width="%s" height="%s" srcdoc="' "$1" "$2"
        sed -e 's/&/\&amp;/g' -e 's/"/\&quot;/g' "$report"
        printf '"></iframe>\n<script>\n'
        cat "$srcdir/tests/measure.js"
        printf '</script>\n</body>\n</html>\n'
    } >"$tmp/framed-$1.html"
}

verdict() { # ID: what tests/measure.js wrote into the element ID
    grep -o "<pre id=\"$1\">[^<]*" "$tmp/measured" | sed 's/^[^>]*>//'
}

png_size() { # FILE: WIDTHxHEIGHT of a PNG, or "not a PNG"
    python3 - "$1" <<'PY'
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
}

for size in 400x3000 1280x2400; do
    width=${size%x*} height=${size#*x}
    framed "$width" "$height"
    browse --screenshot="$tmp/shot-$width.png" --window-size="$width,$height" \
        "file://$tmp/framed-$width.html" >"$tmp/shot.out" 2>"$tmp/shot.err"
    equals "$width px: chromium took the screenshot (exit status)" 0 "$?"
    lacks "$width px: no console message" "$tmp/shot.err" 'CONSOLE|Uncaught'
    equals "$width px: screenshot is a $size PNG" "$size" "$(png_size "$tmp/shot-$width.png")"
    bytes=$(wc -c <"$tmp/shot-$width.png" 2>/dev/null || echo 0)
    if [ "$bytes" -gt 100000 ]; then
        pass "$width px: screenshot is not blank ($bytes bytes)"
    else
        fail "$width px: screenshot of $bytes bytes: blank?"
    fi

    browse --dump-dom --window-size="$width,$height" "file://$tmp/framed-$width.html" \
        >"$tmp/measured" 2>"$tmp/measured.err"
    equals "$width px: chromium measured the report (exit status)" 0 "$?"
    lacks "$width px: no console message while measuring" "$tmp/measured.err" 'CONSOLE|Uncaught'
    equals "$width px: nothing wider than the viewport" "width $width: overflow: none" \
        "$(verdict overflow)"
    equals "$width px: column headers aligned as their columns" "headers out of line: none" \
        "$(verdict headers)"
done
[ -z "${PS_SCREENSHOT:-}" ] || cp "$tmp/shot-1280.png" "$PS_SCREENSHOT"
[ -z "${PS_SCREENSHOT_PHONE:-}" ] || cp "$tmp/shot-400.png" "$PS_SCREENSHOT_PHONE"

finish
