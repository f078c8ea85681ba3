#!/bin/sh
# Crash safety: SIGKILL parkstat at random instants while it writes a large
# report, over and over, and check every time that each output file is a
# complete version (the one before or the one after), never torn; then that
# the next run cleans any temporary a killed run left behind.
set -u
srcdir=${PARKSTAT_SRCDIR:?run through make check}
builddir=${PARKSTAT_BUILDDIR:?run through make check}
kills=${PARKSTAT_CRASH_KILLS:-200}
bin="$builddir/parkstat"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
TMPDIR=$tmp
export TMPDIR

# Two configurations whose reports differ: the version before and after.
cp -R "$srcdir/conf" "$tmp/conf"
chmod -R u+w "$tmp/conf"
printf '\n[plugin.bulk]\nmodule = %s\nfault = bulk\n' "$builddir/tests/plugins/faulty.la" \
    >>"$tmp/conf/parkstat.ini"
sed 's/^target\.2023 = 55亿$/target.2023 = 50亿/' "$tmp/conf/parkstat.ini" >"$tmp/conf/other.ini"
mkdir "$tmp/a" "$tmp/b" "$tmp/out"
"$bin" -c "$tmp/conf/parkstat.ini" -f text,json -o "$tmp/a" -q || exit 1
"$bin" -c "$tmp/conf/other.ini" -f text,json -o "$tmp/b" -q || exit 1
cmp -s "$tmp/a/report-2023-10.json" "$tmp/b/report-2023-10.json" && { echo "versions equal"; exit 1; }

# How long a run takes, so that kills land anywhere in it, writing included.
start=$(date +%s%N)
"$bin" -c "$tmp/conf/parkstat.ini" -f text,json -o "$tmp/out" -q || exit 1
span_us=$((($(date +%s%N) - start) / 1000))

torn=0 stray=0 landed=0
for i in $(seq 1 "$kills"); do
    config=$tmp/conf/parkstat.ini
    [ $((i % 2)) -eq 0 ] && config=$tmp/conf/other.ini
    "$bin" -c "$config" -f text,json -o "$tmp/out" -q &
    pid=$!
    delay_us=$(( $(od -An -N4 -tu4 /dev/urandom) % (span_us + 1) ))
    sleep "$(printf '0.%06d' "$delay_us")"
    kill -KILL "$pid" 2>/dev/null && landed=$((landed + 1))
    wait "$pid" 2>/dev/null
    for f in report-2023-10.txt report-2023-10.json; do
        cmp -s "$tmp/out/$f" "$tmp/a/$f" || cmp -s "$tmp/out/$f" "$tmp/b/$f" || {
            torn=$((torn + 1))
            echo "not ok - kill $i: $f is neither complete version"
        }
    done
done
"$bin" -c "$tmp/conf/parkstat.ini" -f text,json -o "$tmp/out" -q || exit 1
stray=$(ls -A "$tmp/out" | grep -cv '^report-2023-10\.\(txt\|json\)$')

passed=0 failed=0
check() { if [ "$2" -eq 0 ]; then passed=$((passed + 1)); echo "ok - $1"; else failed=$((failed + 1)); echo "not ok - $1"; fi; }
echo "# $kills runs, $landed killed before they finished, run span ${span_us}us"
check "no torn output after $kills kills" "$torn"
check "no temporary left after the next run" "$stray"
[ "$landed" -gt $((kills / 4)) ]; check "most kills landed in a run ($landed of $kills)" $?
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
