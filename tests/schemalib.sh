# Every JSON report a test script's runs write is checked against the
# schema the package installs (doc/parkstat-report.schema.json), by
# tests/schema.py. Sourced (not run) by tests/testlib.sh and by the scripts
# that do without it; expects $srcdir and the script's private $tmp.
#
# Without python3-jsonschema the check is skipped, unless
# PS_REQUIRE_JSONSCHEMA=1 (as in CI) makes that a failure.

schema=$srcdir/doc/parkstat-report.schema.json
# Copies of outputs that the next run overwrites ($tmp/out above all):
# hidden, beside what the script itself lays out in $tmp.
reports_kept=$tmp/.reports-kept

# Debian's python3-jsonschema serves the system python3, which may not be
# the first python3 on PATH; without either, python3 says it is missing.
schema_python() {
    for p in python3 /usr/bin/python3; do
        if "$p" -c 'from jsonschema import Draft202012Validator' >/dev/null 2>&1; then
            echo "$p"
            return
        fi
    done
    echo python3
}

# keep_report FILE...: a copy, for schema_check, of each FILE that holds a
# report, before the next run overwrites it or the script removes it.
keep_report() {
    for f in "$@"; do
        grep -qF '"parkstat-report/1"' "$f" 2>/dev/null || continue
        mkdir -p "$reports_kept" && cp "$f" "$(mktemp "$reports_kept/report.XXXXXX")"
    done
}

# keep_run_reports ARG...: given a run's command line, keeps what it wrote
# to $tmp/out and the reports it published in its output directory.
keep_run_reports() {
    keep_report "$tmp/out"
    while [ $# -gt 0 ]; do
        case $1 in
            -o|--output-dir) [ $# -lt 2 ] || keep_report "$2"/*.json ;;
            --output-dir=*) keep_report "${1#*=}"/*.json ;;
        esac
        shift
    done
}

# schema_check PATH...: checks every report in the files and directories
# PATH. Sets schema_result to none (no report there), pass, fail or skip,
# and schema_says to the validator's count of what it checked, its
# errors, or why it could not run.
schema_check() {
    schema_says=$("$(schema_python)" "$srcdir/tests/schema.py" --find "$schema" "$@" 2>&1)
    case $? in
        0) case $schema_says in
               *"reports checked: 0,"*) schema_result=none ;;
               *) schema_result=pass ;;
           esac ;;
        77|127)
            schema_says="no python3 with jsonschema (Debian package python3-jsonschema)"
            if [ "${PS_REQUIRE_JSONSCHEMA:-}" = 1 ]; then
                schema_result=fail
                schema_says="$schema_says, and PS_REQUIRE_JSONSCHEMA=1 requires it"
            else
                schema_result=skip
            fi ;;
        *) schema_result=fail ;;
    esac
}

# schema_line NAME PATH...: for the scripts that do without testlib.sh:
# checks the reports in PATH and prints "ok - NAME", "ok - NAME # SKIP"
# or "not ok - NAME" with the errors, and fails on the last. Named files
# must hold a report.
schema_line() {
    name=$1
    shift
    schema_check "$@"
    case $schema_result in
        pass) echo "ok - $name: $(printf '%s\n' "$schema_says" | tail -1)" ;;
        skip) echo "ok - $name # SKIP $schema_says" ;;
        none) schema_result=fail
              echo "not ok - $name: no report in $*" ;;
        fail) echo "not ok - $name"
              printf '%s\n' "$schema_says" | sed 's/^/#   /' ;;
    esac
    [ "$schema_result" != fail ]
}
