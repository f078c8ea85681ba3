#!/bin/sh
# The report workbook prints cleanly: its sheets' page setup (tests/print.py
# setup), then LibreOffice's PDF of the sample workbook and of one with a
# sheet too long for a page (tests/print.py pdf): A4 landscape, each
# sheet's table one page wide, its header row on every page, the title whole.
#
# The PDF part needs LibreOffice (Debian libreoffice-calc-nogui) and
# poppler-utils: without them the test skips (exit 77) once the page setup
# passed, unless PS_REQUIRE_LIBREOFFICE=1 (CI), where that is a failure.
set -u
. "${PARKSTAT_SRCDIR:?run through make check}/tests/testlib.sh"

# Folds print.py's "ok - …" / "not ok - …" lines into this script's counts.
checks() { # ARGS…
    python3 "$srcdir/tests/print.py" "$@" >"$tmp/checks" 2>&1
    status=$?
    while IFS= read -r line; do
        case $line in
            'ok - '*) pass "${line#ok - }" ;;
            'not ok - '*) fail "${line#not ok - }" ;;
            *) echo "$line" ;;
        esac
    done <"$tmp/checks"
    [ "$status" -le 1 ] || fail "print.py $1 ran to its end (exit $status)"
}

mkdir "$tmp/sample"
expect "sample xlsx" 0 run_bin -c "$srcdir/conf/parkstat.ini" -f xlsx -o "$tmp/sample"
book=$tmp/sample/report-2023-10.xlsx
checks setup "$book"

if ! command -v soffice >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1 ||
    ! command -v pdfinfo >/dev/null 2>&1; then
    if [ "$failed" -ne 0 ]; then finish; exit 1; fi # the page setup fails without them too
    skip_unless_required PS_REQUIRE_LIBREOFFICE \
        "no soffice, pdfinfo or pdftotext (Debian libreoffice-calc-nogui, poppler-utils)"
fi

# BOOK → BOOK's name with .pdf, in DIR; its own profile and home, so that
# a run touches nothing of the user's, and a time limit for a hung office.
to_pdf() { # BOOK DIR
    HOME=$tmp/home timeout 300 soffice -env:UserInstallation="file://$tmp/lo" --headless \
        --norestore --convert-to pdf --outdir "$2" "$1" >"$tmp/soffice.out" 2>&1
    status=$?
    pdf=$2/$(basename "$1" .xlsx).pdf
    if [ "$status" -eq 0 ] && [ -s "$pdf" ]; then
        pass "LibreOffice printed $(basename "$1") to PDF"
    else
        fail "LibreOffice printed no PDF (exit $status)" "$(cat "$tmp/soffice.out")"
    fi
}

to_pdf "$book" "$tmp/sample"
checks pdf "$book" "$tmp/sample/report-2023-10.pdf" --page-each

# Eighty more tax collectors, one of a long name, under a long title: the
# tax sheet runs over a page, and each of its pages must still hold the
# header row; the long name and the title widen the first column. The tax
# total no longer balances with 国税 and 地税, which the audit reports (exit 1).
sample_copy
i=0
while [ $i -lt 80 ]; do
    i=$((i + 1))
    printf '2023-10,企业%02d,tax,1,万元,征收点%02d,其他\r\n' $i $i
done >>"$tmp/conf/ledgers/tax.csv"
printf '2023-10,企业81,tax,1,万元,%s,其他\r\n' \
    国家税务总局经济技术开发区税务局第一税务所（办税服务厅） >>"$tmp/conf/ledgers/tax.csv"
sed -i 's/^split_by = collector$/&\ntitle = 经济技术开发区二〇二三年一至十月税收收入分征收机关完成情况明细表（单位：万元）/' \
    "$tmp/conf/parkstat.ini"
mkdir "$tmp/long"
expect "a workbook with a long sheet" 1 run_bin -c "$tmp/conf/parkstat.ini" -f xlsx -o "$tmp/long"
checks setup "$tmp/long/report-2023-10.xlsx"
to_pdf "$tmp/long/report-2023-10.xlsx" "$tmp/long"
checks pdf "$tmp/long/report-2023-10.xlsx" "$tmp/long/report-2023-10.pdf"
pages=$(pdfinfo "$tmp/long/report-2023-10.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
sheets=$(python3 -c 'import sys, zipfile
print(sum(n.startswith("xl/worksheets/sheet") for n in zipfile.ZipFile(sys.argv[1]).namelist()))' \
    "$tmp/long/report-2023-10.xlsx")
if [ "${pages:-0}" -gt "$sheets" ]; then
    pass "the long sheet runs over a page ($pages pages, $sheets sheets)"
else
    fail "the long sheet was to run over a page: $pages pages, $sheets sheets"
fi

finish
