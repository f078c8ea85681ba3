#!/bin/sh
# End-to-end test of -f html: the sample report as one self-contained page,
# byte for byte the golden one, with nothing that runs or fetches.
set -u
. "${PARKSTAT_SRCDIR:?run through make check}/tests/testlib.sh"

page=$golden/sample.html
expect "sample html" 0 run_bin -c "$srcdir/conf/parkstat.ini" -f html
same_file "sample html matches golden" "$page" "$tmp/out"

mkdir "$tmp/outdir"
expect "html with text and json" 0 run_bin -c "$srcdir/conf/parkstat.ini" -f text,json,html \
    -o "$tmp/outdir"
same_file "report-2023-10.html matches golden" "$page" "$tmp/outdir/report-2023-10.html"
same_file "report-2023-10.txt unchanged beside it" "$golden/sample.txt" \
    "$tmp/outdir/report-2023-10.txt"

# Self-contained: no script, no URL, nothing to load.
lacks "no script" "$page" '<script|javascript:|on(load|error|click)='
lacks "no URL" "$page" 'https?://|url\(|@import|src=|href='
contains "a policy that forbids loading anything" "$page" "content=\"default-src 'none'; style-src 'unsafe-inline'\""

# The main-indicator table: every top-level indicator of the sample, those
# with a target first, worded as the text words them; one row each, with
# its figures in other units (31宗，1122亩) in that row.
rows=$(sed -n '/<table class="main">/,/<\/table>/p' "$page" | grep -c '^<tr><th scope="row">')
equals "main table has the sample's 19 top-level indicators" 19 "$rows"
contains "land supplied in one row" "$page" '<tr><th scope="row">供应土地</th><td>31宗，1122亩</td><td>—</td>'
equals "the text's appendix lists the table's rows" 19 \
    "$(sed -n '/^附：主要指标完成情况$/,/^$/p' "$golden/sample.txt" | grep -c '。$')"
contains "investment row" "$page" '<tr><th scope="row">固定资产投资</th><td>22.32亿元</td><td>55亿元</td><td>40.58%</td><td>83.33%</td><td>-42.75个百分点</td>'
contains "investment behind, in red" "$page" '<td class="behind">滞后序时进度42.75个百分点</td>'
contains "output ahead, as of September" "$page" '<td>229.36亿元（至9月底）</td><td>260亿元</td><td>88.2%</td><td>75.00%</td><td>+13.22个百分点</td>'
contains "tax ahead, in green" "$page" '<td class="ahead">超序时进度4.54个百分点</td>'
contains "output below its growth target" "$page" '<td>增长13.9%<br><span class="note">低于目标1.1个百分点</span></td>'
contains "infrastructure on last year" "$page" '<td>1.4亿元</td><td>—</td><td>—</td><td>—</td><td>—</td><td>增长45.5%</td><td>—</td>'

# On a phone: the page takes the screen's width, each table scrolls in its
# own box (charts shrink by the style sheet).
contains "viewport of the device's width" "$page" '<meta name="viewport" content="width=device-width, initial-scale=1">'
contains "main table in its scrolling box" "$page" '<div class="scroll" role="region" aria-label="主要指标完成情况" tabindex="0">'
contains "sources table in its scrolling box" "$page" '<div class="scroll" role="region" aria-label="数据报送情况" tabindex="0">'

# A column header stands above every column: no cell spans columns.
for table in main:8 sources:5; do
    cells=$(sed -n "/<table class=\"${table%:*}\">/,/<\/table>/p" "$page" | grep -E '^(<thead>)?<tr>' |
        while IFS= read -r row; do printf '%s\n' "$row" | grep -oE '<t[hd][ >]' | wc -l; done |
        sort -u | tr '\n' ' ')
    equals "${table%:*} table: ${table#*:} cells in every row, headers too" "${table#*:} " "$cells"
done

# The prose is the text report's, paragraph for paragraph.
sed -n '3,/^附：/p' "$golden/sample.txt" | grep -v '^$' | grep -v '^附：' |
    grep -v '^[一二三四五六七八九十]*、' | sed 's/^[0-9]*年目标任务：//' >"$tmp/paragraphs"
n=0
while IFS= read -r line; do
    n=$((n + 1))
    contains "text paragraph $n in the page" "$page" "$line"
done <"$tmp/paragraphs"
contains "sections numbered by the style sheet" "$page" 'content:counter(part,simp-chinese-informal)'

# Charts: completion against time progress, and every section's breakdown.
contains "completion chart" "$page" '<title>目标完成率与序时进度</title>'
for label in 固定资产投资 各业总产值 税收 公租房建设; do
    contains "months of $label" "$page" "<title>$label：逐月累计完成占年度目标</title>"
done
contains "investment's course ends at its completion" "$page" '>40.58%</text>'
for title in 项目建设 各业总产值 税收 基础设施建设 安全生产 土地管理; do
    contains "breakdown of $title" "$page" "<title>$title：分项构成</title>"
done
contains "audit" "$page" '<p>6条审核规则全部通过。</p>'
contains "sources: output lags by rule" "$page" '<td class="text">按规定滞后1个月</td>'

expect "unknown format" 2 run_bin -c "$srcdir/conf/parkstat.ini" -f pdf
contains "unknown format lists html" "$tmp/err" "unknown format 'pdf' (expected text, json, html, csv, prom or xlsx)"

finish
