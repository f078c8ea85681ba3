#!/usr/bin/env python3
"""Validates parkstat's JSON reports against the JSON Schema it installs.

Usage: schema.py SCHEMA FILE...          each FILE is one report
       schema.py --find SCHEMA PATH...  every report in each PATH, a file
                                        or a directory searched throughout

--find is for what the tests' runs leave behind: a run's standard output
may hold the text report before the JSON one, and a file that holds no
report at all is passed over, as are all but regular files. A report is
found where an object opens with its "schema": "parkstat-report/1"
member, as the renderer writes it.

Prints "FILE: PATH: MESSAGE" for each error, PATH being the member's
place in the document ("sections.0.indicators.3.value.exact"), then a
count of the reports checked. Exits 0 when every report is valid, 1 when
one is not, 2 on a usage error, 77 when this python3 has no jsonschema
with Draft 2020-12 (Debian package python3-jsonschema) and there is a
report to check.

Format checking stays off: the schema says everything with patterns, and
would have to, since generated_at's "+0800" offset is not RFC 3339's.
"""

import json
import os
import re
import stat
import sys

try:
    from jsonschema import Draft202012Validator
except ImportError:  # said once there is a report to check
    Draft202012Validator = None

MARK = b'"parkstat-report/1"'
REPORT_START = re.compile(r'\{\s*"schema"\s*:\s*"parkstat-report/1"')
# Bytes that are not UTF-8, as surrogateescape carries them through.
NOT_UTF8 = re.compile('[\udc80-\udcff]')


def shorten(message, most=300):
    """A message that quotes a whole array or object is cut short."""
    return message if len(message) <= most else message[:most] + "…"


def holds_mark(path):
    """Whether the regular file at path holds the mark, read a piece at a
    time: the tests' directories hold ledgers of hundreds of MB."""
    piece = 1 << 20
    try:
        with open(path, "rb") as f:
            tail = b""
            while True:
                block = f.read(piece)
                if not block:
                    return False
                if MARK in tail + block:
                    return True
                tail = block[-len(MARK):]
    except OSError:  # not ours to read: no report of the test's runs
        return False


def files_under(paths):
    """The regular files of paths, directories searched throughout without
    following links (a published report is a link to the set's file, which
    is found in the set's directory)."""
    for path in paths:
        if not os.path.isdir(path) or os.path.islink(path):
            yield path
            continue
        for top, dirs, names in os.walk(path):
            dirs.sort()
            for name in sorted(names):
                full = os.path.join(top, name)
                try:
                    if stat.S_ISREG(os.lstat(full).st_mode):
                        yield full
                except OSError:
                    pass


def place(error):
    """Where the error is: the members and indices from the document's top."""
    path = ".".join(str(p) for p in error.absolute_path)
    return path or "(top)"


def sort_key(error):
    # Indices are ints and members strs: keep them apart so they compare.
    return [(0, p, "") if isinstance(p, int) else (1, 0, p) for p in error.absolute_path]


def branch(error):
    """Which alternative of an anyOf the error comes from (0 for the first)."""
    first = error.relative_schema_path[0] if error.relative_schema_path else 0
    return first if isinstance(first, int) else 0


def deepest(error):
    """The error that says what is wrong.

    A figure that may be null fails both of its alternatives ("not valid
    under any of the given schemas"): the error worth printing is the one
    deepest inside the document, and among equals the first alternative's,
    never the null one's. Chosen here rather than by jsonschema's
    best_match, whose choice differs between the versions in use."""
    while error.context:
        error = max(error.context, key=lambda e: (len(e.absolute_path), -branch(e)))
    return error


def check(validator, name, report):
    """Prints the report's errors; returns how many."""
    errors = sorted((deepest(e) for e in validator.iter_errors(report)), key=sort_key)
    for e in errors:
        print("%s: %s: %s" % (name, place(e), shorten(e.message)))
    return len(errors)


def reports_in(name, data, find):
    """(label, document) for each report in the file; (label, None), after
    printing why, for one that cannot be read."""
    text = data.decode("utf-8", "surrogateescape")
    if find:
        starts = [m.start() for m in REPORT_START.finditer(text)]
    else:
        starts = [None]
    decoder = json.JSONDecoder()
    for n, start in enumerate(starts):
        label = name if len(starts) < 2 else "%s (report %d)" % (name, n + 1)
        try:
            if start is None:  # the whole file, white space around it aside
                start, end = 0, len(text)
                doc = json.loads(text)
            else:  # from where it starts to where the object closes
                doc, end = decoder.raw_decode(text, start)
        except ValueError as e:
            print("%s: (top): not JSON: %s" % (label, e))
            yield label, None
            continue
        bad = NOT_UTF8.search(text, start, end)
        if bad:
            print("%s: (top): not UTF-8 at character %d" % (label, bad.start() - start))
            yield label, None
            continue
        yield label, doc


def main(argv):
    find = bool(argv) and argv[0] == "--find"
    if find:
        argv = argv[1:]
    if len(argv) < 2:
        sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
        return 2
    names = argv[1:]
    if find:
        names = [n for n in files_under(names) if holds_mark(n)]
    if names and Draft202012Validator is None:
        sys.stderr.write("schema.py: no jsonschema with Draft 2020-12 "
                         "(Debian package python3-jsonschema)\n")
        return 77
    validator = None
    if names:
        with open(argv[0], encoding="utf-8") as f:
            schema = json.load(f)
        Draft202012Validator.check_schema(schema)
        validator = Draft202012Validator(schema)

    # A report is checked once: a test's runs mostly write the same one
    # again and again.
    checked = {}
    reports = invalid = 0
    for name in names:
        with open(name, "rb") as f:
            data = f.read()
        for label, doc in reports_in(name, data, find):
            reports += 1
            if doc is None:
                invalid += 1
                continue
            key = json.dumps(doc, sort_keys=True, ensure_ascii=False)
            if key not in checked:
                checked[key] = check(validator, label, doc)
            invalid += checked[key] > 0
    print("reports checked: %d, different: %d, invalid: %d" % (reports, len(checked), invalid))
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
