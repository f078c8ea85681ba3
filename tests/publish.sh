#!/bin/sh
# A month's formats in an output directory are one set, switched at once:
# the layout a run leaves, a format not asked for kept, the upgrade from
# regular files, what killed runs left removed, a name in the way refused,
# and a full disk (a preloaded shim; also a small tmpfs when run as root
# where mount works) leaving the previous set whole. Kills at random
# instants are tests/crash.sh's.
set -u
. "${PARKSTAT_SRCDIR:?run through make check}/tests/testlib.sh"

shim=$builddir/tests/preload/.libs/enospc.so
# ASan wants its runtime first among the libraries; the shim comes first.
asan_options=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
run_full() { # BYTES [fsync] -- ARGS: parkstat on a disk full after BYTES
    after=$1 at=$2
    shift 3
    env LD_PRELOAD="$shim" ASAN_OPTIONS="$asan_options" PS_SHIM_ENOSPC_AFTER="$after" \
        PS_SHIM_ENOSPC_AT="$at" ${PARKSTAT_VALGRIND:-} "$bin" "$@"
}

# What a directory holds, hidden names included, set names made generic.
listing() { ls -A "$1" | sed 's/\.set-[A-Za-z0-9]\{6\}$/.set-XXXXXX/' | tr '\n' ' '; }
# The names and what each shows, as a reader following the links sees it.
same_set() { # NAME DIR REFERENCE_DIR EXT...
    name=$1 dir=$2 ref=$3
    shift 3
    bad=
    for ext in "$@"; do
        cmp -s "$dir/report-2023-10.$ext" "$ref/report-2023-10.$ext" || bad="$bad $ext"
    done
    if [ -z "$bad" ]; then pass "$name"; else fail "$name: differs in$bad"; fi
}

# Two versions of the report: the sample's, and one with another target.
sample_copy
sed 's/^target\.2023 = 55亿$/target.2023 = 50亿/' "$tmp/conf/parkstat.ini" >"$tmp/conf/other.ini"
old=$tmp/conf/parkstat.ini new=$tmp/conf/other.ini
mkdir "$tmp/old" "$tmp/new"
expect "the old version" 0 run_bin -c "$old" -f text,json,html,csv -o "$tmp/old"
expect "the new version" 0 run_bin -c "$new" -f text,json,html,csv -o "$tmp/new"
cmp -s "$tmp/old/report-2023-10.txt" "$tmp/new/report-2023-10.txt" &&
    fail "the two versions are the same"

# --- the layout -------------------------------------------------------------
d=$tmp/fresh
mkdir "$d"
expect "a first run" 0 run_bin -c "$old" -f text,json -o "$d"
equals "a set, its current link and a link per format" \
    ".report-2023-10.current .report-2023-10.set-XXXXXX report-2023-10.json report-2023-10.txt " \
    "$(listing "$d")"
equals "a format's name is a link through the current one" \
    ".report-2023-10.current/report-2023-10.txt" "$(readlink "$d/report-2023-10.txt")"
case $(readlink "$d/.report-2023-10.current") in
.report-2023-10.set-??????) pass "the current link names the set" ;;
*) fail "the current link: $(readlink "$d/.report-2023-10.current")" ;;
esac
same_set "every format reads as written" "$d" "$tmp/old" txt json
equals "the set can be read by others" "755 644" \
    "$(stat -c %a "$d/.report-2023-10.current/") $(stat -L -c %a "$d/report-2023-10.txt")"

expect "a run of one format" 0 run_bin -c "$new" -f text -o "$d"
same_set "its format is new" "$d" "$tmp/new" txt
same_set "a format not asked for keeps its version" "$d" "$tmp/old" json
equals "the previous set is gone" \
    ".report-2023-10.current .report-2023-10.set-XXXXXX report-2023-10.json report-2023-10.txt " \
    "$(listing "$d")"
expect "a format new to the month" 0 run_bin -c "$new" -f text,json,html -o "$d"
same_set "the new format comes with the others" "$d" "$tmp/new" txt json html

# --- the upgrade from an older parkstat's regular files ---------------------
d=$tmp/upgrade
mkdir "$d"
cp "$tmp/old/report-2023-10.txt" "$tmp/old/report-2023-10.json" "$tmp/old/report-2023-10.csv" "$d/"
echo half >"$d/.report-2023-10.txt.Ab12Cd"
expect "a run over regular files" 0 run_bin -c "$new" -f text,json -o "$d"
same_set "the formats asked for are new" "$d" "$tmp/new" txt json
same_set "a regular file not asked for keeps its bytes" "$d" "$tmp/old" csv
equals "every regular file became a link, the old temporary is gone" \
    ".report-2023-10.current .report-2023-10.set-XXXXXX report-2023-10.csv report-2023-10.json report-2023-10.txt " \
    "$(listing "$d")"

# --- what killed runs left ---------------------------------------------------
mkdir "$d/.report-2023-10.set-Zz9Zz9" "$d/.report-2023-09.set-Yy8Yy8" "$d/.other.set-Xx7Xx7"
echo half >"$d/.report-2023-10.set-Zz9Zz9/report-2023-10.txt"
echo half >"$d/.report-2023-09.set-Yy8Yy8/report-2023-09.txt"
ln -s .report-2023-10.set-Zz9Zz9 "$d/.report-2023-10.link-4242"
ln -s .report-2023-10.current/report-2023-10.prom "$d/report-2023-10.prom"
echo notes >"$d/notes.txt"
expect "a run after killed ones" 0 run_bin -c "$old" -f text -o "$d"
equals "their sets, links and dangling names are removed, nothing else" \
    ".other.set-XXXXXX .report-2023-10.current .report-2023-10.set-XXXXXX notes.txt report-2023-10.csv report-2023-10.json report-2023-10.txt " \
    "$(listing "$d")"

# --- a name in the way ------------------------------------------------------
d=$tmp/inway
mkdir "$d"
expect "a run before" 0 run_bin -c "$old" -f text,json -o "$d"
before=$(listing "$d")
rm "$d/report-2023-10.json"
mkdir "$d/report-2023-10.json"
expect "a directory at a format's name" 2 run_bin -c "$new" -f text,json -o "$d"
equals "it is named" "parkstat: $d/report-2023-10.json is in the way (a directory, not a report parkstat wrote): nothing was written" \
    "$(cat "$tmp/err")"
same_set "the other format is untouched" "$d" "$tmp/old" txt
rmdir "$d/report-2023-10.json"
ln -s /etc/hostname "$d/report-2023-10.json"
expect "a link not ours at a format's name" 2 run_bin -c "$new" -f text,json -o "$d"
contains "it is named, with its target" "$tmp/err" \
    "$d/report-2023-10.json is in the way (a symbolic link to /etc/hostname, not a report parkstat wrote)"
same_set "the set is untouched" "$d" "$tmp/old" txt
expect "a name in the way of a format not asked for is left alone" 0 \
    run_bin -c "$new" -f text -o "$d"
equals "and kept" /etc/hostname "$(readlink "$d/report-2023-10.json")"
rm "$d/report-2023-10.json"
mkdir "$tmp/curdir" "$tmp/curdir/.report-2023-10.current"
expect "the current link a directory" 2 run_bin -c "$new" -f text -o "$tmp/curdir"
contains "it is named" "$tmp/err" \
    "$tmp/curdir/.report-2023-10.current is in the way (a directory, not a report parkstat wrote)"

# --- the output directory itself ---------------------------------------------
expect "--check of a missing output directory" 0 run_bin -c "$new" --check -q -o "$tmp/missing/out"
equals "--check creates nothing" "no" "$([ -e "$tmp/missing" ] && echo yes || echo no)"
expect "a missing output directory is made, as mkdir -p would" 0 \
    run_bin -c "$new" -f text -o "$tmp/missing/out"
equals "with its report" "report-2023-10.txt" "$(ls "$tmp/missing/out")"
equals "mode 0755 less the umask" "drwxr-x---" "$(umask 027; rm -r "$tmp/missing"
    run_bin -c "$new" -f text -o "$tmp/missing/out"; ls -ld "$tmp/missing" | cut -c1-10)"
touch "$tmp/plain"
for check in --check ""; do
    expect "a file in the output directory's path ${check:-(run)}" 2 \
        run_bin -c "$new" $check -f text -o "$tmp/plain/out"
    equals "it is named before anything is computed" \
        "parkstat: the output directory $tmp/plain/out cannot be made: $tmp/plain is not a directory" \
        "$(cat "$tmp/err")"
done

# --- a full disk ------------------------------------------------------------
d=$tmp/full
mkdir "$d"
expect "a run before the disk fills" 0 run_bin -c "$old" -f text,json,html -o "$d"
before=$(listing "$d")
# The text (3.6 kB) fits, the JSON does not.
expect "writes fail: a full disk" 2 run_full 10000 write -- -c "$new" -f text,json,html -o "$d"
equals "the file is named" "parkstat: cannot write $d/report-2023-10.json: No space left on device (the reports in $d are unchanged)" \
    "$(cat "$tmp/err")"
same_set "the previous set is whole" "$d" "$tmp/old" txt json html
equals "the new set is gone" "$before" "$(listing "$d")"
expect "flushing fails: a full disk found late" 2 run_full 0 fsync -- -c "$new" -f text,json -o "$d"
equals "the file is named" "parkstat: cannot flush $d/report-2023-10.txt: No space left on device (the reports in $d are unchanged)" \
    "$(cat "$tmp/err")"
same_set "the previous set is still whole" "$d" "$tmp/old" txt json html
equals "the new set is gone again" "$before" "$(listing "$d")"
expect "a format new to the month on a full disk" 2 run_full 10000 write -- -c "$new" -f text,json,csv -o "$d"
equals "its link is not left behind" "$before" "$(listing "$d")"
expect "room again" 0 run_bin -c "$new" -f text,json,html -o "$d"
same_set "the next run switches" "$d" "$tmp/new" txt json html

# A real full disk: a 128 kB tmpfs holds one set and not two.
m=$tmp/tmpfs
mkdir "$m"
if [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o size=128k parkstat-test "$m" 2>/dev/null; then
    trap 'umount "$m"; rm -rf "$tmp"' EXIT
    expect "a set on a small tmpfs" 0 run_bin -c "$old" -f text,json -o "$m"
    before=$(listing "$m")
    expect "a larger set on a full tmpfs" 2 run_bin -c "$new" -f text,json,html,csv -o "$m"
    contains "the full disk is named" "$tmp/err" "No space left on device (the reports in $m are unchanged)"
    same_set "the previous set is whole on the tmpfs" "$m" "$tmp/old" txt json
    equals "nothing of the new set remains on the tmpfs" "$before" "$(listing "$m")"
else
    skip "a set on a full tmpfs" "no tmpfs (not root, or mount refused): the shim's full disk only"
fi

finish
