#!/bin/sh
# log_level = info: the run says how long each source took to read, each
# plugin to compute and the whole run, so that an office sees where its
# run's time goes; at the default level it says none of it. The seconds
# vary from run to run: the lines are checked for their form, for the rows
# each source read, and for one line per source and per plugin, with the
# plugins run in child processes (isolate = yes, the sample's), in the run's
# own process (isolate = no), and with a plugin that fails.
. "${PARKSTAT_SRCDIR:?run through make check}/tests/testlib.sh"

seconds='[0-9]+\.[0-9]{2} s'
count() { grep -cE "$1" "$tmp/err"; }

sample_copy
ini="$tmp/conf/parkstat.ini"
sources=$(grep -c '^\[source\.' "$ini")
plugins=$(grep -c '^\[plugin\.' "$ini")

expect "the sample at the default log level" 0 run_bin -c "$ini"
lacks "no durations at level warning" "$tmp/err" " in $seconds"

sed -i 's/^formats = text$/formats = text\nlog_level = info/' "$ini"
expect "the sample at log_level = info" 0 run_bin -c "$ini"
equals "a line per source" "$sources" \
    "$(count "^parkstat: \[source\.[a-z]+\] [0-9]+ rows read in $seconds\$")"
contains "the rows the projects source read" "$tmp/err" "[source.projects] 1556 rows read in "
contains "the rows the tax source read" "$tmp/err" "[source.tax] 3890 rows read in "
equals "a line per plugin run in a child process" "$plugins" \
    "$(count "^parkstat: plugin [a-z]+ computed in $seconds\$")"
contains "the investment plugin's line" "$tmp/err" "parkstat: plugin investment computed in "
equals "the run's line" 1 "$(count "^parkstat: report for 2023-10 written in $seconds: \
$plugins sections, 0 failed, 0 audit findings\$")"

sed -i 's/^log_level = info$/log_level = info\nisolate = no/' "$ini"
expect "the sample at log_level = info, isolate = no" 0 run_bin -c "$ini"
equals "a line per plugin, from the run's process" "$plugins" \
    "$(count "^parkstat: plugin [a-z]+ computed in $seconds\$")"

printf '\n[plugin.faulty]\nmodule = %s\nfault = fail\n' \
    "$builddir/tests/plugins/faulty.la" >>"$ini"
expect "a failing plugin at log_level = info" 1 run_bin -c "$ini"
equals "the failing plugin's line says so" 1 \
    "$(count "^parkstat: plugin faulty computed in $seconds, and failed\$")"
equals "the run's line counts the failure" 1 "$(count "^parkstat: report for 2023-10 \
written in $seconds: $((plugins + 1)) sections, 1 failed, 0 audit findings\$")"

# A source read by two threads says in how many parts (a machine with one
# CPU reads every file in one thread, and says nothing of parts).
if [ "$(getconf _NPROCESSORS_ONLN)" -ge 2 ]; then
    PARKSTAT_SPLIT_MIN_BYTES=1 PARKSTAT_SHARE_MIN_BYTES=0 \
        expect "the sample read by two threads" 1 run_bin -c "$ini"
    contains "the tax source's rows, read in parts" "$tmp/err" "[source.tax] 3890 rows read in "
    equals "every source says its parts" "$sources" "$(count "^parkstat: \[source\.[a-z]+\] \
[0-9]+ rows read in $seconds \(in [0-9]+ parts, by two threads\)\$")"
fi

finish
