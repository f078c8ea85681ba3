#!/bin/sh
# End-to-end tests of what parkstat trusts and how it says no: a
# configuration, plugin directory or module others could have written is
# refused (and --no-strict-permissions, on the command line only, relaxes
# that); every configuration mistake is exit 2 with FILE:LINE and what was
# expected; only a lock another run holds is 75.
#
# Run by `make check`; PARKSTAT_VALGRIND, when set, prefixes every run.
set -u

. "${PARKSTAT_SRCDIR:?run through make check}/tests/testlib.sh"

ini=$tmp/conf/parkstat.ini
fix="or --no-strict-permissions for a development tree"

# line_of PATTERN: the number of the first line of the INI that matches.
line_of() { grep -a -n -m1 -- "$1" "$ini" | cut -d: -f1; }

# empty_dir NAME DIR: passes when DIR holds nothing.
empty_dir() {
    if [ -z "$(ls -A "$2")" ]; then pass "$1"; else fail "$1" "$(ls -A "$2")"; fi
}

# --- the configuration: nobody else may have written it ---------------------
sample_copy
chmod 700 "$tmp/conf"
chmod 644 "$ini"
mkdir -m 700 "$tmp/outdir"
expect "the sample's modes are trusted" 0 run_bin -c "$ini" --check

chmod 664 "$ini"
expect "a group-writable configuration is refused" 2 run_bin -c "$ini" -o "$tmp/outdir"
same_file "it is named, with what is wrong and the fix" /dev/stdin "$tmp/err" <<EOF
parkstat: refusing $ini: mode 0664: writable by group (fix: chmod go-w $ini, $fix)
EOF
empty_dir "nothing written" "$tmp/outdir"
expect "--check refuses it too" 2 run_bin -c "$ini" --check
contains "--check names it" "$tmp/err" "refusing $ini: mode 0664: writable by group"
expect "--list-plugins with -c refuses it too" 2 run_bin -c "$ini" --list-plugins
expect "--no-strict-permissions accepts it" 0 run_bin -c "$ini" -o "$tmp/outdir" --no-strict-permissions
same_file "and writes the report" "$golden/sample.txt" "$tmp/outdir/report-2023-10.txt"
rm -rf "$tmp/outdir" && mkdir -m 700 "$tmp/outdir" # the set and its link too
chmod 606 "$ini"
expect "a configuration others can write is refused" 2 run_bin -c "$ini"
contains "others named" "$tmp/err" "refusing $ini: mode 0606: writable by others (fix: chmod go-w $ini, $fix)"
chmod 644 "$ini"

# Its directory, and every directory up to '/': anyone who can write one
# can put another file in its place. A sticky one (as /tmp) is allowed.
chmod 777 "$tmp/conf"
expect "a configuration in a directory others can write is refused" 2 run_bin -c "$ini" --check
same_file "the directory is named" /dev/stdin "$tmp/err" <<EOF
parkstat: refusing $ini: directory $tmp/conf has mode 0777: writable by group and others (fix: chmod go-w $tmp/conf, $fix)
EOF
chmod 1777 "$tmp/conf"
expect "a sticky directory is allowed" 0 run_bin -c "$ini" --check
chmod 700 "$tmp/conf"
mkdir -m 755 "$tmp/deep" "$tmp/deep/er"
ln -s "$tmp/conf" "$tmp/deep/er/link"
chmod 775 "$tmp/deep"
expect "a directory further up is checked too" 2 run_bin -c "$tmp/deep/er/link/parkstat.ini" --check
contains "the far directory is named" "$tmp/err" "refusing $tmp/deep/er/link/parkstat.ini: directory $tmp/deep has mode 0775: writable by group (fix: chmod go-w $tmp/deep, $fix)"
chmod 755 "$tmp/deep"
expect "a link in trusted directories to a trusted one is followed" 0 run_bin -c "$tmp/deep/er/link/parkstat.ini" --check

# A relative -c is walked from the working directory.
expect "a relative configuration path" 0 sh -c 'cd "$1" && shift && "$@"' sh "$tmp/conf" \
    ${PARKSTAT_VALGRIND:-} "$bin" -c parkstat.ini --check

# The key that used to relax the checks lived in the very file they protect.
sample_copy
sed -i 's/^formats = text$/formats = text\nstrict_permissions = no/' "$ini"
expect "strict_permissions in the INI is refused" 2 run_bin -c "$ini" --check
same_file "the key is placed and its replacement named" /dev/stdin "$tmp/err" <<EOF
parkstat: $ini:$(line_of '^strict_permissions'): [parkstat] strict_permissions is no longer a key (use the command-line option --no-strict-permissions: the file the permission checks protect cannot be the one to relax them)
EOF
expect "even with the option" 2 run_bin -c "$ini" --check --no-strict-permissions

# --- plugins: the directory and each module -----------------------------------
sample_copy
mkdir -m 755 "$tmp/plugins"
cp "$builddir"/plugins/.libs/*.so "$tmp/plugins/"
chmod 755 "$tmp/plugins"/*.so
expect "trusted plugins load" 0 run_bin -c "$ini" --check --plugin-dir "$tmp/plugins"
chmod 775 "$tmp/plugins/land.so"
expect "a group-writable module is refused" 2 run_bin -c "$ini" --check --plugin-dir "$tmp/plugins"
same_file "the module is named" /dev/stdin "$tmp/err" <<EOF
parkstat: $ini: [plugin.land] refusing $tmp/plugins/land.so: mode 0775: writable by group (fix: chmod go-w $tmp/plugins/land.so, $fix)
EOF
expect "--no-strict-permissions loads it" 0 run_bin -c "$ini" --check --plugin-dir "$tmp/plugins" --no-strict-permissions
chmod 755 "$tmp/plugins/land.so"
chmod 775 "$tmp/plugins"
expect "a group-writable plugin directory is refused" 2 run_bin -c "$ini" --check --plugin-dir "$tmp/plugins"
contains "the directory is named" "$tmp/err" "parkstat: $ini: [plugin.investment] refusing $tmp/plugins: mode 0775: writable by group (fix: chmod go-w $tmp/plugins, $fix)"
expect "--list-plugins refuses it too" 2 run_bin --list-plugins --plugin-dir "$tmp/plugins"
chmod 755 "$tmp/plugins"
# A module named by its path is checked the same way.
cp "$builddir/plugins/.libs/land.so" "$tmp/land.so"
chmod 664 "$tmp/land.so"
sed -i "s|^module = land\$|module = $tmp/land.so|" "$ini"
expect "a group-writable module given by path is refused" 2 run_bin -c "$ini" --check
contains "it is named" "$tmp/err" "parkstat: $ini: [plugin.land] refusing $tmp/land.so: mode 0664: writable by group (fix: chmod go-w $tmp/land.so, $fix)"

# --- modules that are not parkstat plugins ----------------------------------
sample_copy
libc=$(ldd "$bin" | sed -n 's/.*libc\.so\.6 => \(\/[^ ]*\).*/\1/p')
cp "$libc" "$tmp/libc.so.6"
chmod 755 "$tmp/libc.so.6"
printf '\n[plugin.a]\nmodule = /etc/passwd\n[plugin.b]\nmodule = %s\n[plugin.c]\nmodule = libc.so.6\n' \
    "$tmp/libc.so.6" >>"$ini"
expect "files that are no plugins are refused" 2 run_bin -c "$ini" --check --plugin-dir "$tmp"
contains "a file that is no module" "$tmp/err" "parkstat: $ini: [plugin.a] /etc/passwd: not a parkstat plugin: it is not a module this system can load"
contains "a library without a descriptor" "$tmp/err" "parkstat: $ini: [plugin.b] $tmp/libc.so.6: not a parkstat plugin: it exports no descriptor"
contains "a library named bare, found in the plugin directory" "$tmp/err" "parkstat: $ini: [plugin.c] $tmp/libc.so.6: not a parkstat plugin: it exports no descriptor"
lacks "never 'file not found' of a file that is there" "$tmp/err" "file not found"
sample_copy
printf '\n[plugin.a]\nmodule = libc.so.6\n' >>"$ini"
expect "a module that is nowhere" 2 run_bin -c "$ini" --check --plugin-dir "$tmp/plugins"
contains "the directory's plugins are named" "$tmp/err" "parkstat: $ini: [plugin.a] no plugin 'libc.so.6' in the plugin directory ($tmp/plugins holds: infrastructure, investment, land, output, projects, safety, tax)"

# --- the lock: a configuration error unless another run holds it ------------
for case in "missing|$tmp/no/such/dir/x.lock|its directory $tmp/no/such/dir does not exist (expected a file in an existing directory of your own)" \
    "directory|$tmp|it is a directory (expected the path of a file, such as $tmp/parkstat.lock)" \
    "device|/dev/null|it is not a regular file (expected the path of a file parkstat may create)"; do
    what=${case%%|*} rest=${case#*|}
    lock=${rest%%|*} why=${rest#*|}
    sample_copy
    sed -i "s|^formats = text\$|formats = text\nlock_file = $lock|" "$ini"
    expect "lock_file at a $what: exit 2" 2 run_bin -c "$ini" -o "$tmp/outdir"
    same_file "lock_file at a $what: the key, the path and why" /dev/stdin "$tmp/err" <<EOF
parkstat: $ini:$(line_of '^lock_file'): [parkstat] lock_file = '$lock': $why
EOF
    expect "lock_file at a $what: --check finds it" 2 run_bin -c "$ini" --check
done
empty_dir "no lock refused wrote anything" "$tmp/outdir"

# --- the INI's own syntax, each mistake at its line ---------------------------
sample_copy
sed -i '1i zone = 前面' "$ini"
expect "a key before the first section is refused" 2 run_bin -c "$ini" --check
same_file "it is placed" /dev/stdin "$tmp/err" <<EOF
parkstat: $ini:1: key 'zone' comes before any [section] (expected it under [parkstat] or the section it belongs to)
EOF

sample_copy
sed -i 's/^formats = text$/formats = text\nthis line has no equals/' "$ini"
expect "a line iniparser cannot read is refused" 2 run_bin -c "$ini" --check
same_file "it is placed and quoted, iniparser's own words never shown" /dev/stdin "$tmp/err" <<EOF
parkstat: $ini:$(line_of '^this line'): 'this line has no equals' cannot be read (expected [section], KEY = VALUE, or a comment starting with ';' or '#')
EOF

# --- text that is not UTF-8 never reaches an output ---------------------------
for key in zone label template.title; do
    sample_copy
    case $key in
        zone) sed -i 's/^zone = .*/zone = \xff\xfe/' "$ini" ;;
        label) sed -i '0,/^label = /s/^label = .*/label = \xb9\xcc\xb6\xa8/' "$ini" ;;
        template.title) sed -i 's/^formats = text$/formats = text\ntemplate.title = {zone}\xd4\xc2/' "$ini" ;;
    esac
    expect "$key not UTF-8 is refused" 2 run_bin -c "$ini" -f json -o "$tmp/outdir"
    same_file "$key not UTF-8: placed and named" /dev/stdin "$tmp/err" <<EOF
parkstat: $ini:$(line_of "^$key ="): key '$key' is not valid UTF-8 (the configuration is read as UTF-8)
EOF
done
empty_dir "no JSON of bytes that are not UTF-8 was written" "$tmp/outdir"

# --- targets ------------------------------------------------------------------
sample_copy
sed -i 's/^target\.2023 = 55亿$/target.2023 = -5/' "$ini"
expect "a negative target is refused" 2 run_bin -c "$ini" --check
same_file "it is placed and the alternative named" /dev/stdin "$tmp/err" <<EOF
parkstat: $ini:$(line_of '^target.2023 = -5'): [plugin.investment] target.2023 = '-5' is negative (expected a target of zero or more; a planned fall is a growth_target such as -2.5%)
EOF
sample_copy
sed -i 's/^target\.2023 = 55亿$/target.2023 = 0/' "$ini"
expect "a target of zero is no error" 0 run_bin -c "$ini" --check
sample_copy
sed -i 's/^growth_target\.2023 = .*/growth_target.2023 = -2.5%/' "$ini"
expect "a negative growth target is a planned fall" 0 run_bin -c "$ini" --check

finish
