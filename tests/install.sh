#!/bin/bash
# Installs parkstat under a temporary prefix and checks it as an
# administrator and a department programmer meet it: every installed file,
# the man pages rendered, the pkg-config file, the installed binary finding
# its plugins and configuration with no environment, and the out-of-tree
# plugin skeleton built against the installed SDK alone, installed into the
# installed plugin directory and run.
#
# Usage: tests/install.sh [BUILDDIR]   (default: the source tree, configured
# in place). CI runs it directly; it is not part of `make check`.
#
# The package is built from its distribution tree (`make distdir`) and
# configured with --prefix, as a packager would: a prefix given to
# `make install` alone does not reach the paths compiled into the binary, so
# such an install is for staging (DESTDIR), which is checked too.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
builddir=$(cd "${1:-$top}" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/parkstat-install.XXXXXX")
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
export LC_ALL=C.UTF-8 MANWIDTH=80
unset PARKSTAT_PLUGIN_DIR PKG_CONFIG_PATH CPATH C_INCLUDE_PATH

passed=0 failed=0
pass() { passed=$((passed + 1)); printf 'PASS: %s\n' "$1"; }
fail() { failed=$((failed + 1)); printf 'FAIL: %s\n' "$1"; }
finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit
}
# check NAME COMMAND...: passes when COMMAND succeeds; shows its output if not.
check() {
    local name=$1; shift
    if "$@" >"$tmp/out" 2>&1; then pass "$name"; else fail "$name"; sed 's/^/    /' "$tmp/out" | tail -20; fi
}
# must NAME COMMAND...: a step the rest depends on; stops the test if it fails.
must() {
    check "$@" || true
    [ "$failed" -eq 0 ] || finish
}
contains() { grep -qF -- "$2" "$1" || { echo "$1 lacks: $2"; return 1; }; }
same() { [ "$1" = "$2" ] || { echo "got '$1', expected '$2'"; return 1; }; }

# --- tools: man, groff and pkg-config (Debian's packages) -------------------
need=
command -v man >/dev/null || need="$need man-db"
command -v groff >/dev/null || need="$need groff-base"
command -v pkg-config >/dev/null || need="$need pkg-config"
if [ -n "$need" ]; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
        echo "install.sh: installing$need"
        { apt-get update -q && DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -q --no-install-recommends $need; } >"$tmp/apt.log" 2>&1 ||
            { tail -20 "$tmp/apt.log"; }
    fi
fi
must "man, groff and pkg-config are available" \
    sh -c 'command -v man && command -v groff && command -v pkg-config'

# --- build from the distribution tree and install ---------------------------
prefix=$tmp/prefix
make_log() { local log=$1; shift; "$@" >"$tmp/$log.log" 2>&1 || { tail -40 "$tmp/$log.log"; return 1; }; }
must "make distdir" make_log distdir make -C "$builddir" distdir \
    distdir="$tmp/src" top_distdir="$tmp/src"
src=$tmp/src # what was built and installed: the comparisons below use it
mkdir "$tmp/build"
must "configure --prefix (VPATH build)" make_log configure \
    sh -c 'cd "$1/build" && "$1/src/configure" -q --prefix="$2"' _ "$tmp" "$prefix"
must "make" make_log make make -C "$tmp/build" -j2
must "make install" make_log install make -C "$tmp/build" install
check "make install DESTDIR" make_log destdir make -C "$tmp/build" install DESTDIR="$tmp/stage"
(cd "$prefix" && find . ! -type d | sort) >"$tmp/prefix.list"
(cd "$tmp/stage$prefix" 2>/dev/null && find . ! -type d | sort) >"$tmp/stage.list"
check "DESTDIR installs the same files as the prefix install" \
    diff "$tmp/prefix.list" "$tmp/stage.list"

# --- the installed files -----------------------------------------------------
plugindir=$prefix/lib/parkstat
check "binary" test -x "$prefix/bin/parkstat"
for c in "$src"/plugins/*.c; do
    p=$(basename "$c" .c)
    check "plugin $p (.so and .la)" test -f "$plugindir/$p.so" -a -f "$plugindir/$p.la"
done
for h in "$src"/include/parkstat/*.h; do
    check "header $(basename "$h")" test -f "$prefix/include/parkstat/$(basename "$h")"
done
check "header version.h" test -f "$prefix/include/parkstat/version.h"
check "parkstat.pc" test -f "$prefix/lib/pkgconfig/parkstat.pc"
check "sample parkstat.ini" cmp "$src/conf/parkstat.ini" "$prefix/etc/parkstat/parkstat.ini"
for l in "$src"/conf/ledgers/*.csv; do
    check "sample ledger $(basename "$l")" cmp "$l" "$prefix/etc/parkstat/ledgers/$(basename "$l")"
done
# The documentation a packager ships: named here, not read from Makefile.am,
# so that a file dropped from the install is noticed.
for f in README.md doc/json-schema.md doc/parkstat-report.schema.json doc/csv-columns.md; do
    check "$(basename "$f") in docdir" cmp "$src/$f" "$prefix/share/doc/parkstat/$(basename "$f")"
done
for f in README.md Makefile skeleton.c; do
    check "skeleton $f in docdir" cmp "$src/examples/plugin-skeleton/$f" \
        "$prefix/share/doc/parkstat/examples/plugin-skeleton/$f"
done
pages="man1/parkstat.1 man5/parkstat.ini.5 man5/parkstat-ledger.5 man7/parkstat-plugin.7"
for m in $pages; do
    check "man page $m" test -f "$prefix/share/man/$m"
done

# --- the man pages render without a warning ----------------------------------
for m in $pages; do
    page=$prefix/share/man/$m
    txt=$tmp/$(basename "$m").txt
    check "man -l $m renders without warnings" sh -c \
        'man -l --warnings "$1" >"$2" 2>"$2.err" && test ! -s "$2.err" &&
         grep -q "^NAME" "$2" || { cat "$2.err"; false; }' _ "$page" "$txt"
    check "groff -ww $m: no warning" sh -c \
        'groff -man -Tutf8 -ww -z "$1" 2>&1 | { ! grep .; }' _ "$page"
    check "$m: every @WORD@ substituted" sh -c '! grep -n "@[A-Za-z_]*@" "$1"' _ "$page"
done
# The pages' paths, without the roff escapes (\- and the \: break points).
unroff() { sed 's/\\://g; s/\\-/-/g' "$prefix/share/man/$1" >"$tmp/$(basename "$1").src"; }
unroff man1/parkstat.1 && unroff man5/parkstat-ledger.5 && unroff man7/parkstat-plugin.7
check "parkstat(1) names the installed configuration" \
    contains "$tmp/parkstat.1.src" "$prefix/etc/parkstat/parkstat.ini"
check "parkstat(1) names the installed plugin directory" \
    contains "$tmp/parkstat.1.src" "$plugindir"
check "parkstat-ledger(5) names the installed sample ledgers" \
    contains "$tmp/parkstat-ledger.5.src" "$prefix/etc/parkstat/ledgers/"
check "parkstat-plugin(7) names the installed skeleton" \
    contains "$tmp/parkstat-plugin.7.src" "$prefix/share/doc/parkstat/examples/plugin-skeleton/"
for c in "$src"/plugins/*.c; do
    p=$(basename "$c" .c)
    check "parkstat.ini(5) documents the keys of $p" \
        contains "$prefix/share/man/man5/parkstat.ini.5" ".SS \"module = $p\""
done
for section in parkstat source.NAME indicator.CODE plugin.NAME derived.NAME audit.NAME; do
    check "parkstat.ini(5) documents the keys of [$section]" \
        contains "$prefix/share/man/man5/parkstat.ini.5" ".SS \"[$section]\""
done

# --- pkg-config --------------------------------------------------------------
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
version=$("$prefix/bin/parkstat" --version | sed -n 's/^parkstat \([^ ]*\) (plugin ABI \([0-9.]*\))$/\1 \2/p')
check "pkg-config finds the installed parkstat" pkg-config --exists parkstat
check "pkg-config --cflags: the installed headers" \
    same "$(pkg-config --cflags parkstat | sed 's/ *$//')" "-I$prefix/include"
check "pkg-config plugindir: the installed plugin directory" \
    same "$(pkg-config --variable=plugindir parkstat)" "$plugindir"
check "pkg-config abi_version: the installed binary's ABI" \
    same "$(pkg-config --variable=abi_version parkstat)" "${version#* }"
check "pkg-config --modversion: the installed binary's version" \
    same "$(pkg-config --modversion parkstat)" "${version% *}"

# --- the installed binary, with no PARKSTAT_PLUGIN_DIR -----------------------
check "installed binary lists the bundled plugins from its own plugin dir" sh -c \
    '"$1/bin/parkstat" --list-plugins >"$2/list" && for c in "$3"/plugins/*.c; do
         grep -q "^$(basename "$c" .c) " "$2/list" || { cat "$2/list"; exit 1; }; done' \
    _ "$prefix" "$tmp" "$src"
check "installed binary checks its installed configuration" "$prefix/bin/parkstat" --check
check "installed binary writes the sample report (tests/golden/sample.txt)" sh -c \
    '"$1/bin/parkstat" >"$2/report" && diff -u "$3/tests/golden/sample.txt" "$2/report"' \
    _ "$prefix" "$tmp" "$src"

# --- the plugin skeleton, built against the installed SDK only ---------------
skel=$tmp/skeleton
cp -R "$prefix/share/doc/parkstat/examples/plugin-skeleton" "$skel"
must "skeleton builds with pkg-config's flags (-Werror)" \
    make_log skeleton make -C "$skel" CFLAGS="-O2 -Werror"
check "skeleton compiled with the installed headers only" sh -c \
    'test "$(grep -o -- " -I[^ ]*" "$2" | sort -u | tr -d " ")" = "-I$1/include" ||
     { cat "$2"; false; }' _ "$prefix" "$tmp/skeleton.log"
exported=$(nm -D --defined-only "$skel/skeleton.so" 2>&1 |
    awk '$2 ~ /^[A-VX-Z]$/ && $3 !~ /^_/ { print $3 }')
check "skeleton.so exports only its descriptor" same "$exported" skeleton_LTX_ps_plugin
check "skeleton make install DESTDIR" sh -c \
    'make -C "$1" install DESTDIR="$2/skelstage" && test -f "$2/skelstage$3/skeleton.so"' \
    _ "$skel" "$tmp" "$plugindir"
check "skeleton make install without the SDK says so" sh -c \
    'PKG_CONFIG_PATH=/nonexistent PKG_CONFIG_LIBDIR=/nonexistent make -C "$1" install \
        >"$2" 2>&1; test $? -ne 0 && grep -qF "skeleton: pkg-config cannot find parkstat; set PKG_CONFIG_PATH to the lib/pkgconfig of its prefix" "$2" || { cat "$2"; false; }' \
    _ "$skel" "$tmp/nosdk.log"
must "skeleton make install into the installed plugindir" make -C "$skel" install
check "skeleton.so is in the installed plugindir" test -f "$plugindir/skeleton.so"

conf=$tmp/conf
cp -R "$prefix/etc/parkstat" "$conf"
cat >>"$conf/parkstat.ini" <<'EOF'

[plugin.skeleton]
module = skeleton
title = 示例部门
indicator = fai
by = industry
order = 新能源, 装备制造
target.2023 = 55亿
rate.of = hazards_rectified
rate.per = hazards_found
rate.label = 隐患整改率
EOF
check "installed binary runs the skeleton from the installed plugindir" sh -c \
    '"$1/bin/parkstat" -c "$2/parkstat.ini" >"$3/skel.txt"' _ "$prefix" "$conf" "$tmp"
check "report has the skeleton's section" contains "$tmp/skel.txt" "、示例部门"
# The skeleton computes what the investment plugin does, in its own words;
# the breakdown follows `order`, then the rest largest first.
fai=$(sed -n 's/.*共完成固定资产投资\([^，]*\)，占年度目标任务\([^的]*\)的\([0-9.]*%\).*/\1 \2 \3/p' "$tmp/skel.txt")
read -r fai_value fai_target fai_rate <<<"$fai"
check "report has the skeleton's figure, target and rate (as investment's)" \
    contains "$tmp/skel.txt" "固定资产投资本年累计完成${fai_value:-?}，占年度目标${fai_target:-?}的${fai_rate:-?}，同比增长12.3%。"
check "report has the skeleton's breakdown, in the configured order" \
    grep -Eq "。其中新能源[0-9.]+[万亿]?元，装备制造[0-9.]+[万亿]?元，" "$tmp/skel.txt"
# Its ratio, through api->emit_ratio: the sample's 524 of 550 hazards
# rectified (465 of 495 a year before), a rate whose change is in points.
check "report has the skeleton's ratio and its change in points" \
    contains "$tmp/skel.txt" "隐患整改率95.27%，同比提高1.33个百分点。"
# The installed schema describes the installed binary's JSON, an
# out-of-tree plugin's section included (tests/schema.py needs
# python3-jsonschema; CI has it, PS_REQUIRE_JSONSCHEMA=1).
schema_py=
for p in python3 /usr/bin/python3; do
    if "$p" -c 'from jsonschema import Draft202012Validator' >/dev/null 2>&1; then schema_py=$p; break; fi
done
if [ -n "$schema_py" ] || [ "${PS_REQUIRE_JSONSCHEMA:-}" = 1 ]; then
    check "the JSON report matches the installed schema" sh -c \
        '"$1/bin/parkstat" -c "$2/parkstat.ini" -f json >"$3/skel.json" &&
         "$4" "$5/tests/schema.py" "$1/share/doc/parkstat/parkstat-report.schema.json" "$3/skel.json"' \
        _ "$prefix" "$conf" "$tmp" "${schema_py:-python3}" "$src"
else
    echo "SKIP: the JSON report matches the installed schema (no python3 with jsonschema)"
fi
"$prefix/bin/parkstat" --describe skeleton >"$tmp/describe" 2>&1
check "parkstat --describe skeleton exits 0" test $? -eq 0
for k in title indicator by order target.YYYY rate.of rate.per rate.scale rate.unit \
    rate.label template.body template.parts template.ratio; do
    check "parkstat --describe skeleton prints key $k" contains "$tmp/describe" "  $k "
done

# --- reinstall and uninstall keep what the administrator changed ------------
echo '; edited by the administrator' >>"$prefix/etc/parkstat/parkstat.ini"
check "make install again" make_log reinstall make -C "$tmp/build" install
check "reinstall keeps the edited parkstat.ini" \
    contains "$prefix/etc/parkstat/parkstat.ini" "; edited by the administrator"
check "make uninstall" make_log uninstall make -C "$tmp/build" uninstall
check "uninstall keeps the edited parkstat.ini and the department's plugin only" sh -c \
    'cd "$1" && test "$(find . ! -type d | sort | tr "\n" " ")" = \
        "./etc/parkstat/parkstat.ini ./lib/parkstat/skeleton.so " ||
     { find . ! -type d; false; }' _ "$prefix"

finish
