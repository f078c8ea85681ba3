#!/bin/sh
# The JSON report's schema (doc/parkstat-report.schema.json): the golden
# reports match it, the validator every test's `finish` runs
# (tests/schema.py) rejects what breaks it with a message that says where
# and why, and the schema and doc/json-schema.md name the same fields.
# Skipped without python3-jsonschema unless PS_REQUIRE_JSONSCHEMA=1.
set -u
. "${PARKSTAT_SRCDIR:?run through make check}/tests/testlib.sh"

python=$(schema_python)
"$python" -c 'from jsonschema import Draft202012Validator' >/dev/null 2>&1 ||
    skip_unless_required PS_REQUIRE_JSONSCHEMA "no python3 with jsonschema (Debian package python3-jsonschema)"
validate() { "$python" "$srcdir/tests/schema.py" "$@"; }

# --- the golden reports ------------------------------------------------------
goldens=$(find "$golden" -name '*.json' | sort)
if [ -n "$goldens" ]; then pass "there are golden JSON reports"; else fail "no golden JSON report"; fi
for g in $goldens; do
    expect "golden ${g#"$golden"/} matches the schema" 0 validate "$schema" "$g"
done

# --- what the validator rejects, and how it says so ----------------------------
# corrupt NAME PYTHON-STATEMENT EXPECTED-ERROR: the sample report changed by
# the statement (on `r`, the report) fails, with exactly the error given.
mkdir "$tmp/bad"
corrupt() {
    "$python" - "$golden/sample.json" "$tmp/bad/r.json" "$2" <<'EOF' || { fail "$1: cannot corrupt"; return; }
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    r = json.load(f)
exec(sys.argv[3])
with open(sys.argv[2], "w", encoding="utf-8") as f:
    json.dump(r, f, ensure_ascii=False, indent=1)
EOF
    expect "$1: rejected" 1 validate "$schema" "$tmp/bad/r.json"
    equals "$1: said" "$tmp/bad/r.json: $3
reports checked: 1, different: 1, invalid: 1" "$(cat "$tmp/out")"
}
corrupt "an exact value as a JSON number" \
    'r["sections"][1]["indicators"][0]["value"]["exact"] = 2232000000' \
    "sections.1.indicators.0.value.exact: 2232000000 is not of type 'string'"
corrupt "a field the schema does not know" \
    'r["sections"][0]["indicators"][2]["currency"] = "CNY"' \
    "sections.0.indicators.2: Additional properties are not allowed ('currency' was unexpected)"
corrupt "an exact value with a trailing zero" \
    'r["sections"][0]["indicators"][0]["months"][9] = "63.0"' \
    "sections.0.indicators.0.months.9: '63.0' does not match '^(?!-0\$)-?(0|[1-9][0-9]*)(\\\\.[0-9]{0,3}[1-9])?\$'"
corrupt "a thirteenth month" \
    'r["period"] = "2023-13"' \
    "period: '2023-13' does not match '^[0-9]{4}-(0[1-9]|1[0-2])\$'"
corrupt "a relation without a parent" \
    'r["sections"][0]["indicators"][5]["parent"] = None' \
    "sections.0.indicators.5.parent: None is not of type 'string'"
corrupt "a failed section without its reason" \
    'r["sections"][2]["status"] = "failed"; r["sections"][2]["indicators"] = []; r["sections"][2]["sentences"] = []' \
    "sections.2.error: None is not of type 'string'"
corrupt "a severity of its own" \
    'r["audit"]["findings"] = [{"rule": "r", "severity": "notice", "period": "2023-10", "indicator": None, "entity": None, "text": "t", "explanation": None}]' \
    "audit.findings.0.severity: 'notice' is not one of ['error', 'warning']"
rm -r "$tmp/bad" # not a report of a run, for finish to check

# --find: a report among other output is found and checked; a torn one is
# an error, not passed over; a file without one is no report.
{ cat "$golden/sample.txt"; cat "$golden/sample.json"; } >"$tmp/both"
expect "--find: the report after the text" 0 validate --find "$schema" "$tmp/both"
equals "--find: one report" "reports checked: 1, different: 1, invalid: 0" "$(cat "$tmp/out")"
head -c 3000 "$golden/sample.json" >"$tmp/torn"
expect "--find: a torn report" 1 validate --find "$schema" "$tmp/torn"
contains "--find: a torn report is named" "$tmp/out" "$tmp/torn: (top): not JSON: "
rm "$tmp/torn"
expect "--find: no report in the text" 0 validate --find "$schema" "$golden/sample.txt"
equals "--find: nothing checked" "reports checked: 0, different: 0, invalid: 0" "$(cat "$tmp/out")"

# --- strings the JSON must escape --------------------------------------------
sample_copy
sed -i 's/^zone = 经济技术开发区$/zone = 经济\\技术"开发区/' "$tmp/conf/parkstat.ini"
expect "a zone with a backslash and a quote" 0 run_bin -c "$tmp/conf/parkstat.ini" -f json
contains "the zone escaped" "$tmp/out" '"zone": "经济\\技术\"开发区"'
mv "$tmp/out" "$tmp/escaped.json"
expect "that report matches the schema" 0 validate "$schema" "$tmp/escaped.json"

# --- the schema and its description name the same fields --------------------
# Every property of every object of the schema is a `field` of
# doc/json-schema.md, and every field its tables list is in the schema.
expect "the schema's fields are the ones doc/json-schema.md describes" 0 \
    "$python" - "$schema" "$srcdir/doc/json-schema.md" <<'EOF'
import json, re, sys
with open(sys.argv[1], encoding="utf-8") as f:
    schema = json.load(f)
with open(sys.argv[2], encoding="utf-8") as f:
    doc = f.read()
in_schema = set()
def walk(node):
    if isinstance(node, dict):
        if isinstance(node.get("properties"), dict):
            in_schema.update(node["properties"])
        for v in node.values():
            walk(v)
    elif isinstance(node, list):
        for v in node:
            walk(v)
walk(schema)
# the first column of each table row: | `name` | or | `a`, `b` |
in_doc = set()
for line in doc.splitlines():
    m = re.match(r"\|([^|]*)\|", line)
    if m:
        in_doc.update(re.findall(r"`([a-z_]+)`", m.group(1)))
missing = sorted(in_schema - in_doc)
unknown = sorted(in_doc - in_schema)
if missing or unknown:
    sys.exit("not described: %s; not in the schema: %s" % (missing, unknown))
EOF

finish
