#!/bin/sh
# log = syslog: messages reach the system log with the configured facility
# and level, and standard error still gets them. A small listener (python3)
# binds /dev/log, where glibc's syslog(3) sends its datagrams, for the
# duration of one run of the sample with a plugin that fails on purpose.
#
# Skips (exit 77) when /dev/log exists already (a real syslog daemon: the
# test leaves it alone), when /dev/log cannot be bound (not root), or
# without python3.
. "${PARKSTAT_SRCDIR:?run through make check}/tests/testlib.sh"

command -v python3 >/dev/null || { echo "skip: no python3"; exit 77; }
if [ -e /dev/log ] || [ -L /dev/log ]; then
    echo "skip: /dev/log exists (a syslog daemon runs here)"
    exit 77
fi

# The listener writes each datagram on a line of $tmp/syslog, and "ready"
# to $tmp/ready once it is bound; it stops at our own last message, or
# after 20 s of silence.
python3 - "$tmp/syslog" "$tmp/ready" <<'EOF' &
import os, socket, sys
out, ready = sys.argv[1:]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
try:
    s.bind("/dev/log")
except OSError as e:
    open(ready, "w").write("cannot bind /dev/log: %s\n" % e)
    sys.exit(0)
try:
    open(ready, "w").write("ready\n")
    s.settimeout(20)
    with open(out, "w") as f:
        while True:
            try:
                data = s.recv(65536)
            except socket.timeout:
                break
            f.write(data.decode("utf-8", "replace").rstrip("\n") + "\n")
            f.flush()
            if b"stop listening" in data:
                break
finally:
    os.unlink("/dev/log")
EOF
listener=$!
for _ in $(seq 1 100); do [ -s "$tmp/ready" ] && break; sleep 0.05; done
if ! grep -qx ready "$tmp/ready" 2>/dev/null; then
    echo "skip: $(cat "$tmp/ready" 2>/dev/null || echo "the listener did not start")"
    wait "$listener"
    exit 77
fi

sample_copy
sed -i 's/^formats = text$/formats = text\nlog = syslog\nlog_facility = local3/' \
    "$tmp/conf/parkstat.ini"
printf '\n[plugin.faulty]\nmodule = %s\nfault = fail\n' \
    "$builddir/tests/plugins/faulty.la" >>"$tmp/conf/parkstat.ini"
expect "a run with log = syslog and a failing plugin" 1 run_bin -c "$tmp/conf/parkstat.ini"
contains "the error still on stderr" "$tmp/err" "parkstat: plugin faulty: failed on purpose"

# Ends the listener: a datagram of our own, as logger(1) would send it.
python3 -c 'import socket; s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.connect("/dev/log"); s.send(b"<14>test: stop listening")'
wait "$listener"

# <155>: facility local3 (19) * 8 + LOG_ERR (3); the tag is parkstat[PID].
if grep -qE '^<155>.*parkstat\[[0-9]+\]: plugin faulty: failed on purpose$' "$tmp/syslog"; then
    pass "the error reached syslog as local3.err, tagged parkstat[PID]"
else
    fail "no local3.err message from parkstat in the system log" "$(cat "$tmp/syslog")"
fi
lacks "nothing logged below the warning level" "$tmp/syslog" '^<15[7-9]>'
if [ -e /dev/log ]; then fail "the listener left /dev/log behind"; else pass "/dev/log removed"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
