#!/bin/sh
# End-to-end tests: run the real parkstat binary on real files, as a user
# would, and compare what it prints and writes with the golden outputs.
#
# Run by `make check` (which sets PARKSTAT_SRCDIR, PARKSTAT_BUILDDIR and
# PARKSTAT_PLUGIN_DIR); PARKSTAT_VALGRIND, when set, prefixes every run.
set -u

. "${PARKSTAT_SRCDIR:?run through make check}/tests/testlib.sh"

# --- the sample report ------------------------------------------------------
expect "sample text" 0 run_bin -c "$srcdir/conf/parkstat.ini"
same_file "sample text matches golden" "$golden/sample.txt" "$tmp/out"
expect "sample json" 0 run_bin -c "$srcdir/conf/parkstat.ini" -f json
same_file "sample json matches golden" "$golden/sample.json" "$tmp/out"

for figure in 22.32亿元 55亿元 40.58% '229.36亿元（至9月底）' 260亿元 88.2% 205.87亿元 \
    26362万元 20136万元 6226万元 87.87% 10500万元 1.4亿元 3771万元 3400万元 6000万元 \
    1.27亿元 349万元 520万元 14994株 13.2公里 10公里 23.28万平方米 3万平方米 6条 \
    10.2公里 6.8公里 3.5公里 256座 717.8平方米 70批次 1500人 47.24% \
    30亿元 250亿元 4亿元 3.5亿元 \
    谋划项目63个 签约项目33个 签约资金29.94亿元 20个项目正在洽谈对接 开工建设项目41个 \
    续建8个 新建33个 21个项目基本建成 20个项目正在建设中 年底37个项目 \
    供应土地31宗，1122亩 42户用地单位 融资2.1亿元 17宗1950亩 8宗913亩 3宗581亩 \
    6宗456亩 非法占地1宗 8宗389亩 企业7户 消防专项整治2次 职业病危害专项整治1次 \
    食品安全专项整治1次 检查企业78户 安全隐患550条 隐患整改率95.27% \
    新开工项目30个 签约项目20个 签约金额25亿元; do
    contains "text holds $figure" "$golden/sample.txt" "$figure"
done

# --- the sample is what its generator writes, byte for byte ----------------
expect "gen-sample" 0 python3 "$srcdir/scripts/gen-sample" --out "$tmp/ledgers"
for f in investment output tax infrastructure projects land safety; do
    same_file "gen-sample reproduces $f.csv" "$srcdir/conf/ledgers/$f.csv" "$tmp/ledgers/$f.csv"
done

# --- files in an output directory -------------------------------------------
mkdir "$tmp/outdir"
expect "write to -o DIR" 0 run_bin -c "$srcdir/conf/parkstat.ini" -f text,json -o "$tmp/outdir"
same_file "report-2023-10.txt matches golden" "$golden/sample.txt" "$tmp/outdir/report-2023-10.txt"
same_file "report-2023-10.json matches golden" "$golden/sample.json" "$tmp/outdir/report-2023-10.json"
leftover=$(ls -A "$tmp/outdir" | grep -v -e '^report-2023-10\.\(txt\|json\)$' \
    -e '^\.report-2023-10\.current$' -e '^\.report-2023-10\.set-[A-Za-z0-9]\{6\}$')
if [ -z "$leftover" ]; then pass "no temporary file left"; else fail "stray files: $leftover"; fi

# --- --check writes nothing -------------------------------------------------
mkdir "$tmp/checkdir"
expect "--check" 0 run_bin -c "$srcdir/conf/parkstat.ini" --check -o "$tmp/checkdir"
contains "--check says OK" "$tmp/out" "OK: 7 sources"
if [ -z "$(ls -A "$tmp/checkdir")" ]; then pass "--check wrote nothing"; else fail "--check wrote files"; fi

# --check runs every plugin as a run would, writing nothing: whatever would
# make a run refuse the configuration or lose a section fails it too.
check_refuses() { # NAME SED-SCRIPT EXPECTED-STDERR
    sample_copy
    sed -i "$2" "$tmp/conf/parkstat.ini"
    expect "--check: $1" 2 run_bin -c "$tmp/conf/parkstat.ini" --check -o "$tmp/checkdir"
    equals "--check: $1: named" "$3" "$(cat "$tmp/err")"
    equals "--check: $1: nothing written" "" "$(ls -A "$tmp/checkdir")"
}
ini=$tmp/conf/parkstat.ini
check_refuses "a breakdown by a tag no row carries" 's/^split_by = collector$/split_by = tax_kid/' \
    "parkstat: $ini: [plugin.tax] split_by = 'tax_kid': no row of indicator 'tax' carries the tag 'tax_kid' (its rows carry: collector, industry)"
check_refuses "a target in another dimension" 's/^target.2023 = 30000万$/target.2023 = 30000人/' \
    "parkstat: $ini: [plugin.tax] target.2023 = '30000人': the target of 'tax' is in 人 but its value is in 元"
check_refuses "a misspelt field in a plan template" \
    's/^target.2024 = 4亿$/target.2024 = 4亿\ntemplate.plan = 实现税收{tax.next_targt}/' \
    "parkstat: $ini:$(( $(grep -n -m1 '^target.2024 = 4亿$' "$srcdir/conf/parkstat.ini" | cut -d: -f1) + 1 )): [plugin.tax] template.plan = '实现税收{tax.next_targt}' has an unknown field 'next_targt' in {tax.next_targt} (expected value, label, target, next_target, rate, share, parts, asof, progress, gap, status, year_ago, change, growth_target, growth_gap or share_change)"
check_refuses "a section a run would lose" \
    "\$a [plugin.broken]\nmodule = investment\nindicator = no_such_indicator" \
    "parkstat: plugin broken: the ledgers hold no data for indicator 'no_such_indicator' up to the report period
parkstat: $ini: a run would not write the whole report: 1 of 8 sections failed"

# --- the figures live in the ledger -----------------------------------------
sample_copy
printf '2023-10,新建测试项目,fai,1000,万元,新能源\n' >>"$tmp/conf/ledgers/investment.csv"
expect "changed ledger" 0 run_bin -c "$tmp/conf/parkstat.ini"
contains "a new row raises investment to 22.42亿元" "$tmp/out" "共完成固定资产投资22.42亿元，占年度目标任务55亿元的40.76%"

sample_copy
sed -i 's/^target\.2023 = 55亿$/target.2023 = 50亿/' "$tmp/conf/parkstat.ini"
expect "changed target" 0 run_bin -c "$tmp/conf/parkstat.ini"
contains "a new target changes the rate" "$tmp/out" "占年度目标任务50亿元的44.64%"

# --- a plugin dropped in without rebuilding the core -----------------------
# Built as a department would: one .c, the SDK headers, a C compiler.
mkdir "$tmp/plugins"
cp "$builddir"/plugins/.libs/*.so "$tmp/plugins/"
expect "drop-in plugin builds against the SDK alone" 0 ${CC:-cc} -std=c11 -Wall -Wextra \
    -Werror -shared -fPIC -Wl,--no-undefined -I"$srcdir/include" -I"$builddir/include" \
    -o "$tmp/plugins/good.so" "$srcdir/tests/plugins/good.c"
sample_copy
printf '\n[plugin.good]\nmodule = good\ntitle = 新增部分\n' >>"$tmp/conf/parkstat.ini"
expect "drop-in plugin" 0 run_bin -c "$tmp/conf/parkstat.ini" --plugin-dir "$tmp/plugins"
contains "drop-in plugin's section is in the report" "$tmp/out" "新增部分"
contains "drop-in plugin's figure is in the report" "$tmp/out" "本年累计22.32亿元"
expect "--list-plugins with bare .so files" 0 run_bin --plugin-dir "$tmp/plugins" --list-plugins
contains "--list-plugins lists the drop-in plugin" "$tmp/out" "good             1.0"

# --- a plugin built against an older minor ABI still loads ----------------
# tests/abi/vX.Y holds the SDK headers as ABI X.Y shipped them.
for abi in 1.0 1.2 1.3 1.4 1.5; do
    rm -rf "$tmp/old_plugins"
    mkdir "$tmp/old_plugins"
    cp "$builddir"/plugins/.libs/*.so "$tmp/old_plugins/"
    expect "plugin builds against the ABI $abi headers" 0 ${CC:-cc} -std=c11 -Wall -Wextra \
        -Werror -shared -fPIC -Wl,--no-undefined -I"$srcdir/tests/abi/v$abi" \
        -o "$tmp/old_plugins/good.so" "$srcdir/tests/plugins/good.c"
    expect "ABI $abi plugin described" 0 run_bin --plugin-dir "$tmp/old_plugins" --describe good
    contains "ABI $abi plugin keeps its ABI" "$tmp/out" "ABI: $abi"
    sample_copy
    printf '\n[plugin.good]\nmodule = good\n' >>"$tmp/conf/parkstat.ini"
    expect "ABI $abi plugin runs in this core" 0 run_bin -c "$tmp/conf/parkstat.ini" --plugin-dir "$tmp/old_plugins"
    contains "ABI $abi plugin's figure is in the report" "$tmp/out" "本年累计22.32亿元"
done

# --- time progress (序时进度) in the office's words ---------------------------
sample_copy
sed -i 's/^target\.2024 = 30亿$/target.2024 = 30亿\ntemplate.summary = 共完成固定资产投资{fai}，占年度目标任务{fai.target}的{fai.rate}，{fai.status}/' "$tmp/conf/parkstat.ini"
sed -i 's/^target\.2024 = 4亿$/target.2024 = 4亿\ntemplate.summary = 完成税收{tax}，占全年任务的{tax.rate}，序时进度{tax.progress}，{tax.status}/' "$tmp/conf/parkstat.ini"
sed -i 's/^target\.2024 = 250亿$/target.2024 = 250亿\ntemplate.summary = 实现各业总产值{output}，完成{output.rate}，{output.status}/' "$tmp/conf/parkstat.ini"
expect "templates overridden in the INI" 0 run_bin -c "$tmp/conf/parkstat.ini" -f text,json
contains "investment behind time progress" "$tmp/out" "占年度目标任务55亿元的40.58%，滞后序时进度42.75个百分点"
contains "tax ahead of time progress" "$tmp/out" "占全年任务的87.87%，序时进度83.33%，超序时进度4.54个百分点"
contains "output's time progress runs to September" "$tmp/out" "完成88.2%，超序时进度13.22个百分点"
contains "time progress in the JSON" "$tmp/out" '"time_progress": "83.33", "progress_gap": "-42.75", "progress_status": "behind"'
sed -i 's/^formats = text$/formats = text\nprogress_tolerance = 5/' "$tmp/conf/parkstat.ini"
expect "a tolerance of 5 points" 0 run_bin -c "$tmp/conf/parkstat.ini"
contains "tax within 5 points is on time progress" "$tmp/out" "序时进度83.33%，与序时进度持平"
sed -i 's/{tax.status}$/{tax.bogus}/' "$tmp/conf/parkstat.ini"
expect "an unknown field in a template" 2 run_bin -c "$tmp/conf/parkstat.ini" --check
contains "unknown field named with its key" "$tmp/err" "parkstat.ini:$(grep -n -m1 '{tax.bogus}' "$tmp/conf/parkstat.ini" | cut -d: -f1): [plugin.tax] template.summary = '完成税收{tax}，占全年任务的{tax.rate}，序时进度{tax.progress}，{tax.bogus}' has an unknown field 'bogus' in {tax.bogus} (expected value, label,"
sed -i 's/{tax.bogus}$/{taxes}/' "$tmp/conf/parkstat.ini"
mkdir -p "$tmp/placeholder_out"
expect "a template naming no indicator" 2 run_bin -c "$tmp/conf/parkstat.ini" -o "$tmp/placeholder_out"
contains "the template and the placeholder named" "$tmp/err" "parkstat.ini: [plugin.tax] template.summary = '完成税收{tax}，占全年任务的{tax.rate}，序时进度{tax.progress}，{taxes}' names {taxes}, which is not an indicator of this section (its indicators: tax, 国税, 地税, new_energy)"
if [ -z "$(ls -A "$tmp/placeholder_out")" ]; then pass "a template's mistake: nothing written"; else fail "a template's mistake wrote files"; fi
sed -i 's/^formats = text$/formats = text\nisolate = no/' "$tmp/conf/parkstat.ini"
expect "the same mistake in-process" 2 run_bin -c "$tmp/conf/parkstat.ini" -o "$tmp/placeholder_out"
contains "in-process, the same message" "$tmp/err" "[plugin.tax] template.summary = '完成税收{tax}，占全年任务的{tax.rate}，序时进度{tax.progress}，{taxes}' names {taxes}"

# --- reproducible output ----------------------------------------------------
mkdir -p "$tmp/run1" "$tmp/run2"
expect "first of two runs" 0 run_bin -c "$srcdir/conf/parkstat.ini" -f text,json -o "$tmp/run1"
expect "second of two runs" 0 run_bin -c "$srcdir/conf/parkstat.ini" -f text,json -o "$tmp/run2"
if cmp -s "$tmp/run1/report-2023-10.txt" "$tmp/run2/report-2023-10.txt" &&
    cmp -s "$tmp/run1/report-2023-10.json" "$tmp/run2/report-2023-10.json"; then pass "two runs give byte-identical files"; else fail "two runs differ"; fi
sample_copy
sed -i 's/^formats = text$/formats = text\ngenerated_at = yes/' "$tmp/conf/parkstat.ini"
expect "generated_at = yes" 0 run_bin -c "$tmp/conf/parkstat.ini" -f text,json
if grep -qE '^生成时间：[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{4}$' "$tmp/out" &&
    grep -qE '"generated_at": "[0-9]{4}-' "$tmp/out"; then pass "generated_at stamps text and JSON"; else fail "no stamp" "$(tail -3 "$tmp/out")"; fi

# --- year-on-year (同比), growth targets and the report's own wording -------
expect "main indicators against time progress and last year" 0 run_bin -c "$srcdir/conf/parkstat.ini"
contains "investment behind time progress, with its gap" "$tmp/out" "固定资产投资22.32亿元，完成年度目标55亿元的40.58%，滞后序时进度42.75个百分点（序时进度83.33%），同比增长12.3%。"
contains "output against time progress to September, and its growth target" "$tmp/out" "各业总产值229.36亿元（至9月底），完成年度目标260亿元的88.2%，超序时进度13.22个百分点（序时进度75.00%），同比增长13.9%，低于目标1.1个百分点（目标增长15%）。"
contains "tax ahead of time progress" "$tmp/out" "税收26362万元，完成年度目标30000万元的87.87%，超序时进度4.54个百分点（序时进度83.33%），同比增长9.3%。"
sample_copy
# a department's comparable base (上年同期可比口径) wins over last year's rows
printf '2022-10,,tax.base,28000,万元,,\n' >>"$tmp/conf/ledgers/tax.csv"
sed -i 's/^target\.2024 = 4亿$/target.2024 = 4亿\ngrowth_target.2023 = 8%\ntemplate.summary = 完成税收{tax}，同比{tax.change}（上年同期可比口径{tax.year_ago}），{tax.growth_gap}；国税占比{国税.share}，{国税.share_change}/' "$tmp/conf/parkstat.ini"
# {国税.share_change} has nothing to compare with: never a dash in a sentence
expect "a field with no figure, outside an optional clause" 2 run_bin -c "$tmp/conf/parkstat.ini" --check
same_file "the field and the way out named" /dev/stdin "$tmp/err" <<EOF
parkstat: $tmp/conf/parkstat.ini: [plugin.tax] template.summary = '完成税收{tax}，同比{tax.change}（上年同期可比口径{tax.year_ago}），{tax.growth_gap}；国税占比{国税.share}，{国税.share_change}' cannot show {国税.share_change}, which has no figure this month (a target, a year-ago figure or a share it needs is missing): put its clause in [[ ]] to leave the clause out when so
EOF
sed -i 's/；国税占比{国税.share}，{国税.share_change}$/；国税占比{国税.share}[[，{国税.share_change}]][[，其中{外资.label}{外资}]]。/' "$tmp/conf/parkstat.ini"
expect "a comparable base" 0 run_bin -c "$tmp/conf/parkstat.ini" -f text,json
contains "the base wins, a fall is a fall; clauses without figures left out" "$tmp/out" "完成税收26362万元，同比下降5.9%（上年同期可比口径28000万元），低于目标13.9个百分点；国税占比76.38%。"
contains "the base is marked comparable in the JSON" "$tmp/out" '"year_ago": {"exact": "280000000", "unit": "元", "display": "28000万元"}, "year_ago_ratio": null, "comparable": true, "change": "-5.9", "change_points": null, "change_text": "下降5.9%"'
sed -i 's/^growth_target.2023 = 8%$/growth_target.2023 = 8亿/' "$tmp/conf/parkstat.ini"
expect "a growth target that is no per cent" 2 run_bin -c "$tmp/conf/parkstat.ini" --check
contains "growth target's form named" "$tmp/err" "parkstat.ini: [plugin.tax] growth_target.2023 = '8亿' is not a per cent (expected a growth rate such as 8% or -2.5%)"
sample_copy
sed -i 's/^formats = text$/formats = text\norder = tax, investment\ntemplate.title = {zone}{year}年{month}月经济运行简报\ntemplate.opening = 1-{month}月，/' "$tmp/conf/parkstat.ini"
expect "the report's own wording and order" 0 run_bin -c "$tmp/conf/parkstat.ini"
contains "report-level title" "$tmp/out" "经济技术开发区2023年10月经济运行简报"
contains "report-level opening, sections in order" "$tmp/out" "1-10月，完成税收26362万元（国税20136万元，地税6226万元），占全年任务的87.87%，其中新能源企业完成税收10500万元；共完成固定资产投资22.32亿元"
sed -i 's/^order = tax, investment$/order = tax, investmnet/; s/{month}月经济运行简报$/{mnth}月经济运行简报/' "$tmp/conf/parkstat.ini"
expect "report-level mistakes" 2 run_bin -c "$tmp/conf/parkstat.ini" --check
contains "an unknown section in order" "$tmp/err" "parkstat.ini: [parkstat] order names 'investmnet', which is no [plugin.NAME] section (did you mean 'investment'?)"
contains "an unknown report placeholder" "$tmp/err" "parkstat.ini: [parkstat] template.title: unknown placeholder {mnth} (expected zone, year, month or next_year)"

# --- indicators defined in the INI alone ----------------------------------
derived_ini() { # appends [derived.NAME] sections given as "name|expr|extra lines"
    sample_copy
    for spec in "$@"; do
        printf '\n[derived.%s]\nexpr = %s\nlabel = %s\n' "${spec%%|*}" \
            "$(echo "$spec" | cut -d'|' -f2)" "${spec%%|*}" >>"$tmp/conf/parkstat.ini"
        echo "$spec" | cut -d'|' -f3- | tr '|' '\n' >>"$tmp/conf/parkstat.ini"
    done
}
derived_ini "share|output.new_energy / output.output * 100|unit = %|section = output|template = 新能源产业产值占各业总产值的{share}。" \
    "tax_per_yi|tax.tax / (output.output / 100000000)|unit = 元|decimals = 0"
expect "derived indicators" 0 run_bin -c "$tmp/conf/parkstat.ini" -f text,json
contains "derived share in the text" "$tmp/out" "新能源产业产值占各业总产值的89.76%。"
contains "derived section lists its figure" "$tmp/out" "tax_per_yi：1149372元"
contains "derived share exact in the JSON" "$tmp/out" '"key": "share", "label": "share", "indicator": null'
contains "derived share's exact value" "$tmp/out" '{"exact": "89.7585", "unit": "%", "display": "89.76%"}'
# A derived indicator's sentence never shows 「—」 either: its change on last
# year has no figure (a derived value has no year-ago), so the clause must
# be optional, and --check says so before any run.
derived_ini "share|output.new_energy / output.output * 100|unit = %|section = output|template = 新能源产业产值占比{share}，同比{share.change}。"
expect "a derived sentence that would show a dash" 2 run_bin -c "$tmp/conf/parkstat.ini" --check
contains "the derived template's dash named" "$tmp/err" "[derived.share] template = '新能源产业产值占比{share}，同比{share.change}。' cannot show {share.change}, which has no figure this month (a target, a year-ago figure or a share it needs is missing): put its clause in [[ ]] to leave the clause out when so"
derived_ini "share|output.new_energy / output.output * 100|unit = %|section = output|template = 新能源产业产值占比{share}[[，同比{share.change}]]。"
expect "the derived clause made optional" 0 run_bin -c "$tmp/conf/parkstat.ini"
contains "the optional derived clause left out" "$tmp/out" "新能源产业产值占比89.76%。"

derived_ini "a|derived.b + 1" "b|derived.a * 2"
expect "derived cycle" 2 run_bin -c "$tmp/conf/parkstat.ini"
contains "cycle named" "$tmp/err" "[derived.a] a cycle: derived.a -> derived.b -> derived.a"
derived_ini "ratio|output.nope / 2"
expect "derived unknown key" 2 run_bin -c "$tmp/conf/parkstat.ini"
contains "unknown key named" "$tmp/err" "[derived.ratio] unknown reference 'output.nope': section output has output, new_energy"
derived_ini "ratio|tax.tax / (tax.tax - tax.tax)"
expect "derived division by zero" 2 run_bin -c "$tmp/conf/parkstat.ini"
contains "division by zero named" "$tmp/err" "[derived.ratio] division by zero"
derived_ini "ratio|tax.tax * / 2"
expect "derived syntax error found by --check" 2 run_bin -c "$tmp/conf/parkstat.ini" --check
contains "syntax error placed" "$tmp/err" "[derived.ratio] expr: expected a number, a reference or '(' at column 11 of 'tax.tax * / 2'"

# --- only trusted code is loaded ---------------------------------------------
mkdir "$tmp/open_plugins"
cp "$builddir"/plugins/.libs/*.so "$tmp/open_plugins/"
chmod 755 "$tmp/open_plugins" "$tmp/open_plugins"/*.so
chmod g+w "$tmp/open_plugins/tax.so"
sample_copy
expect "group-writable plugin refused" 2 run_bin -c "$tmp/conf/parkstat.ini" --plugin-dir "$tmp/open_plugins"
contains "refusal names the file and the fix" "$tmp/err" "refusing $tmp/open_plugins/tax.so: mode 0775: writable by group (fix: chmod go-w $tmp/open_plugins/tax.so, or --no-strict-permissions for a development tree)"
chmod g-w "$tmp/open_plugins/tax.so"
chmod o+w "$tmp/open_plugins"
expect "world-writable plugin directory refused" 2 run_bin -c "$tmp/conf/parkstat.ini" --plugin-dir "$tmp/open_plugins"
contains "directory refusal named" "$tmp/err" "refusing $tmp/open_plugins: mode 0757: writable by others"
expect "--no-strict-permissions relaxes it" 0 run_bin -c "$tmp/conf/parkstat.ini" --plugin-dir "$tmp/open_plugins" --no-strict-permissions
chmod o-w "$tmp/open_plugins"

# --- a plugin that crashes while loading ------------------------------------
# Each module is loaded first in a child process, where its constructors run
# and its key table is read: a crash there costs only that child. The plugin
# is then refused like any plugin that does not load, named with its file
# and its signal: --check and a run stop with exit 2 (never a SIGSEGV of
# their own), and --list-plugins lists the others and exits 2.
sample_copy
printf '\n[plugin.crash]\nmodule = %s\n' "$builddir/tests/plugins/ctor_segv.la" >>"$tmp/conf/parkstat.ini"
crashed="plugin 'ctor_segv' ($builddir/tests/plugins/.libs/ctor_segv.so): crashed while loading (signal 11, Segmentation fault)"
expect "a plugin that crashes while loading: --check" 2 run_bin -c "$tmp/conf/parkstat.ini" --check
contains "--check names the file and the signal" "$tmp/err" "parkstat: $tmp/conf/parkstat.ini: [plugin.crash] $crashed"
contains "--check passes on what it wrote to stderr" "$tmp/err" "parkstat: plugin 'ctor_segv': ctor_segv: initialising"
expect "a plugin that crashes while loading: a run" 2 run_bin -c "$tmp/conf/parkstat.ini"
contains "the run names the file and the signal" "$tmp/err" "parkstat: $tmp/conf/parkstat.ini: [plugin.crash] $crashed"
mkdir "$tmp/crashing_plugins"
cp "$builddir"/plugins/.libs/*.so "$builddir/tests/plugins/.libs/ctor_segv.so" \
    "$builddir/tests/plugins/.libs/keys_unterminated.so" "$tmp/crashing_plugins/"
expect "--list-plugins, the bundled plugins alone" 0 run_bin --plugin-dir "$builddir/plugins" --list-plugins
cp "$tmp/out" "$tmp/bundled.list"
expect "--list-plugins with plugins that crash while loading" 2 run_bin --plugin-dir "$tmp/crashing_plugins" --list-plugins
same_file "--list-plugins still lists every other plugin" "$tmp/bundled.list" "$tmp/out"
contains "--list-plugins names the crashing constructor" "$tmp/err" "parkstat: plugin 'ctor_segv' ($tmp/crashing_plugins/ctor_segv.so): crashed while loading (signal 11, Segmentation fault)"
contains "--list-plugins names the unterminated key table" "$tmp/err" "parkstat: plugin 'keys_unterminated' ($tmp/crashing_plugins/keys_unterminated.so): crashed while loading (signal 11, Segmentation fault)"

# --- a failing section costs only itself ------------------------------------
sample_copy
printf '\n[plugin.broken]\nmodule = investment\nindicator = no_such_indicator\n' >>"$tmp/conf/parkstat.ini"
expect "failed section" 1 run_bin -c "$tmp/conf/parkstat.ini"
contains "failed section is marked" "$tmp/out" "（本部分未能生成：plugin broken: the ledgers hold no data for indicator 'no_such_indicator' up to the report period）"
contains "healthy sections still computed" "$tmp/out" "完成税收26362万元"
contains "failure on stderr" "$tmp/err" "parkstat: plugin broken: the ledgers hold no data"

# --- a crashing, hanging or lying plugin loses only its own section --------
fault_run() { # FAULT EXTRA-LINE: runs the sample plus a faulty section
    sample_copy
    printf '\n[plugin.faulty]\nmodule = %s\nfault = %s\n%s\n' \
        "$builddir/tests/plugins/faulty.la" "$1" "$2" >>"$tmp/conf/parkstat.ini"
    started=$(date +%s%N)
    expect "faulty plugin: $1" 1 timeout 120 ${PARKSTAT_VALGRIND:-} "$bin" -c "$tmp/conf/parkstat.ini"
    elapsed_ms=$((($(date +%s%N) - started) / 1000000))
    contains "faulty plugin: $1: healthy sections complete" "$tmp/out" "完成税收26362万元"
}
for case in "segv|killed by SIGSEGV" "abort|killed by SIGABRT" \
    "exit|exited before returning its section" \
    "garbage|malformed result" "huge|sent a result larger than 16 MiB" \
    "fail|failed on purpose" "filters|a query has 17 filters; at most 16" \
    "parts|'total' has 257 parts; at most 256" \
    "key|'total': the tag value 'xxxxxxxxxxxxxxxxxxxx" \
    "text|a paragraph is longer than 16383 bytes" \
    "quantity_target|indicator 'area': a QUANTITY has no target of its own; set it on 'total'" \
    "quantity_of_quantity|indicator 'x': parent 'area' is itself a QUANTITY; make 'x' a quantity of 'total'" \
    "quantity_late|indicator 'area': emit a QUANTITY right after its parent 'total' (or the parent's other quantities), not after 'other'" \
    "ratio_scale|emit_ratio 'r': scale 0 is not positive (100 for a rate in per cent, 1 for an average)"; do
    fault_run "${case%%|*}" ""
    contains "faulty plugin: ${case%%|*}: marked" "$tmp/out" "（本部分未能生成：plugin faulty: ${case#*|}"
    contains "faulty plugin: ${case%%|*}: on stderr" "$tmp/err" "parkstat: plugin faulty: ${case#*|}"
done
# A bundled plugin meets an SDK limit: land's idle parcels in more stages
# than a breakdown may have. The section fails, naming the limit; it never
# reports the first 256 stages as if they were all.
sample_copy
for i in $(seq 1 257); do printf '2023-10,测试地块-%d,idle_land,1,亩,阶段%d\n' "$i" "$i"; done \
    >>"$tmp/conf/ledgers/land.csv"
expect "land: more stages than parts" 1 run_bin -c "$tmp/conf/parkstat.ini"
contains "land: the stage limit is named" "$tmp/err" "parkstat: plugin land: 'idle_area' has 26"
contains "land: the stage limit's number" "$tmp/err" "parts; at most 256"
# close_and_hang closes its pipes but never ends: no wait on a plugin's
# process may outlast its time limit.
for fault in hang trickle close_and_hang; do
    fault_run $fault "timeout = 1"
    contains "faulty plugin: $fault: marked" "$tmp/out" "（本部分未能生成：plugin faulty: timed out after 1 s）"
    if [ -n "${PARKSTAT_VALGRIND:-}" ] || [ "$elapsed_ms" -lt 2000 ]; then
        pass "a $fault plugin's run ends within its time limit plus a second (${elapsed_ms} ms)"
    else
        fail "a $fault plugin's run took ${elapsed_ms} ms"
    fi
done
# Whatever a plugin forks ends with it: the plugin's child leads a process
# group of its own, killed whole when the child ends. Descendants that keep
# the section's pipe open (linger), close it (daemon) or are still forking
# (bomb) neither hold the run up nor cost the section, and none is left.
# live_in_group PGID: how many processes of the group are alive (zombies,
# which only wait for init to reap them, aside).
live_in_group() {
    cat /proc/[0-9]*/stat 2>/dev/null | sed 's/.*) //' | awk -v g="$1" '$3 == g && $1 != "Z"' | wc -l
}
for spec in "linger|3" "daemon|3" "bomb|63"; do
    leave=${spec%|*} left=${spec#*|}
    sample_copy
    rm -f "$tmp/pids"
    printf '\n[plugin.forks]\nmodule = %s\nleave = %s\npidfile = %s\ntimeout = 5\n' \
        "$builddir/tests/plugins/forks.la" "$leave" "$tmp/pids" >>"$tmp/conf/parkstat.ini"
    started=$(date +%s%N)
    expect "a plugin that leaves processes ($leave)" 0 timeout 120 ${PARKSTAT_VALGRIND:-} "$bin" -c "$tmp/conf/parkstat.ini"
    elapsed_ms=$((($(date +%s%N) - started) / 1000000))
    contains "$leave: the section is whole" "$tmp/out" "留下的进程：${left}个"
    contains "$leave: the other sections too" "$tmp/out" "完成税收26362万元"
    if [ -n "${PARKSTAT_VALGRIND:-}" ] || [ "$elapsed_ms" -lt 5000 ]; then
        pass "$leave: the run did not wait for its descendants (${elapsed_ms} ms, timeout 5 s)"
    else
        fail "$leave: the run took ${elapsed_ms} ms"
    fi
    leader=$(head -1 "$tmp/pids") pgid=$(awk 'NR == 1 { print $2 }' "$tmp/pids")
    equals "$leave: the plugin's process leads its own group" "$pgid $pgid" "$leader"
    equals "$leave: every descendant in the plugin's group" "$pgid" "$(awk '{ print $2 }' "$tmp/pids" | sort -u)"
    for i in $(seq 1 20); do # SIGKILL is sent; dying may take a moment
        [ "$(live_in_group "$pgid")" -eq 0 ] && break
        sleep 0.1
    done
    equals "$leave: no process of the plugin's group is left" 0 "$(live_in_group "$pgid")"
done
# What a plugin prints never reaches the report, even a report on stdout;
# what it writes to stderr is passed on under its name, 4 KiB of it at most
# (of noisy's 5037 bytes, 4096 are kept, cut mid-line, and the rest counted),
# control characters shown, not obeyed.
quiet_or_noisy() { # FAULT: the sample plus faulty, as JSON on stdout
    sample_copy
    printf '\n[plugin.faulty]\nmodule = %s\nfault = %s\n' \
        "$builddir/tests/plugins/faulty.la" "$1" >>"$tmp/conf/parkstat.ini"
    expect "a plugin that prints: fault = $1, JSON on stdout" 0 run_bin -c "$tmp/conf/parkstat.ini" -f json
}
quiet_or_noisy none
cp "$tmp/out" "$tmp/quiet.json"
quiet_or_noisy noisy
same_file "the plugin's prints are not in the report" "$tmp/quiet.json" "$tmp/out"
lacks "nor its constructor's" "$tmp/out" "PRINTED BY THE PLUGIN"
python3 -c 'import json, sys; json.load(sys.stdin)' <"$tmp/out" &&
    pass "stdout is the JSON report alone" || fail "stdout is not JSON"
{
    printf "parkstat: plugin 'faulty': %s\n" "noisy: first line" 'noisy: \x1b[2Jcleared'
    for i in $(seq 0 80); do
        printf "parkstat: plugin 'faulty': noisy: line %03d %s\n" "$i" xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
    done
    printf "parkstat: plugin 'faulty': %s\n" "noisy: li" "… (941 more bytes)"
} >"$tmp/noisy.err"
same_file "the plugin's stderr, capped, line by line under its name" "$tmp/noisy.err" "$tmp/err"

# Two instances that each wait for the other to arrive: both finish only
# when plugins run side by side (one after another, the first times out).
sample_copy
for pair in "a b" "b a"; do
    set -- $pair
    printf '\n[plugin.meet_%s]\nmodule = %s\nfault = meet\nhere = %s\nawait = %s\ntimeout = 20\n' \
        "$1" "$builddir/tests/plugins/faulty.la" "$tmp/arrived_$1" "$tmp/arrived_$2" \
        >>"$tmp/conf/parkstat.ini"
done
expect "plugins run side by side" 0 run_bin -c "$tmp/conf/parkstat.ini"
same_file "side by side: the same report, sections in order" "$golden/sample.txt" "$tmp/out"
sample_copy
sed -i 's/^formats = text$/formats = text\nisolate = no/' "$tmp/conf/parkstat.ini"
expect "isolate = no runs in-process" 0 run_bin -c "$tmp/conf/parkstat.ini"
same_file "in-process report matches golden" "$golden/sample.txt" "$tmp/out"

# --- cron: quiet, locked, and the same from anywhere -----------------------
mkdir "$tmp/quiet"
expect "-q with an output directory" 0 run_bin -c "$srcdir/conf/parkstat.ini" -q -o "$tmp/quiet"
if [ ! -s "$tmp/out" ] && [ ! -s "$tmp/err" ]; then pass "-q prints nothing on success"; else fail "-q printed" "$(cat "$tmp/out" "$tmp/err")"; fi
same_file "-q still writes the report" "$golden/sample.txt" "$tmp/quiet/report-2023-10.txt"
expect "-q without an output directory" 2 run_bin -c "$srcdir/conf/parkstat.ini" -q
contains "-q without -o explained" "$tmp/err" "parkstat: -q needs an output directory (-o DIR or output_dir): the report would go to standard output"

mkdir "$tmp/cron"
(cd / && env -i PATH=/usr/bin:/bin ${PARKSTAT_VALGRIND:-} "$bin" -c "$srcdir/conf/parkstat.ini" \
    --plugin-dir "$builddir/plugins" -f text,json -o "$tmp/cron" -q \
    <&- >"$tmp/out" 2>"$tmp/err")
if [ $? -eq 0 ] && [ ! -s "$tmp/out" ] && [ ! -s "$tmp/err" ]; then pass "a run as cron makes it: exit 0, silent"; else fail "run as cron" "$(cat "$tmp/err")"; fi
same_file "as cron: same text" "$golden/sample.txt" "$tmp/cron/report-2023-10.txt"
same_file "as cron: same json" "$golden/sample.json" "$tmp/cron/report-2023-10.json"

sample_copy
# The first run holds the lock for its slow section's time limit, which
# must outlast the second's start: under valgrind, slow itself (every plugin
# is loaded in a child process first), the limit is longer.
slow_s=3
[ -n "${PARKSTAT_VALGRIND:-}" ] && slow_s=15
printf '\n[plugin.slow]\nmodule = %s\nfault = hang\ntimeout = %s\n' \
    "$builddir/tests/plugins/faulty.la" "$slow_s" >>"$tmp/conf/parkstat.ini"
"$bin" -c "$tmp/conf/parkstat.ini" -o "$tmp/quiet" >/dev/null 2>&1 &
first=$!
sleep 1
expect "a second run while the first holds the lock" 75 run_bin -c "$srcdir/conf/parkstat.ini" -o "$tmp/quiet"
contains "the lock's holder named" "$tmp/err" "parkstat: another run (pid $first) holds the lock $tmp/parkstat-$(id -u)/parkstat.lock"
wait "$first"
if [ $? -eq 1 ]; then pass "the first run finished (its slow section failed)"; else fail "first run's status"; fi
expect "the lock is free again" 0 run_bin -c "$srcdir/conf/parkstat.ini" -o "$tmp/quiet"

# Another user's planted lock: a symbolic link is refused, never followed
# (the file it names keeps its bytes); the default lock's directory is the
# user's own, mode 0700.
lockdir=$tmp/parkstat-$(id -u)
if [ "$(stat -c %a "$lockdir")" = 700 ]; then pass "the default lock's directory is 0700"; else fail "lock directory mode $(stat -c %a "$lockdir")"; fi
rm -f "$lockdir/parkstat.lock"
printf 'precious\n' >"$tmp/precious"
ln -s "$tmp/precious" "$lockdir/parkstat.lock"
expect "a symbolic link as the lock is refused" 2 run_bin -c "$srcdir/conf/parkstat.ini" -o "$tmp/quiet"
contains "the refused link is named" "$tmp/err" "parkstat: cannot use the lock file $lockdir/parkstat.lock: it is a symbolic link: refused (remove it, or set lock_file)"
if [ "$(cat "$tmp/precious")" = precious ]; then pass "the link's target is untouched"; else fail "the link's target was written"; fi
rm -f "$lockdir/parkstat.lock"
chmod 0777 "$lockdir"
expect "a lock directory others can write is refused" 2 run_bin -c "$srcdir/conf/parkstat.ini" -o "$tmp/quiet"
contains "the open directory is named" "$tmp/err" "parkstat: cannot use the lock file $lockdir/parkstat.lock: its directory is not safe: refusing $lockdir: mode 0777: writable by group and others (fix: chmod go-w $lockdir)"
chmod 0700 "$lockdir"

# A FIFO, a device or a directory where a file is expected is refused by
# name, at once: opening a FIFO for reading would wait for a writer forever.
sample_copy
rm "$tmp/conf/ledgers/tax.csv"
mkfifo "$tmp/conf/ledgers/tax.csv"
expect "a FIFO as a ledger is refused, not waited on" 2 timeout 60 ${PARKSTAT_VALGRIND:-} "$bin" -c "$tmp/conf/parkstat.ini"
contains "the FIFO ledger is named" "$tmp/err" "$tmp/conf/ledgers/tax.csv: is not a regular file (a FIFO): refused"
expect "--check refuses it too" 2 timeout 60 ${PARKSTAT_VALGRIND:-} "$bin" -c "$tmp/conf/parkstat.ini" --check
mkfifo -m 600 "$tmp/fifo.ini"
expect "a FIFO as the configuration is refused" 2 timeout 60 ${PARKSTAT_VALGRIND:-} "$bin" -c "$tmp/fifo.ini"
contains "the FIFO configuration is named" "$tmp/err" "parkstat: configuration $tmp/fifo.ini: is not a regular file (a FIFO): refused"
sample_copy
sed -i 's|^path = ledgers/tax.csv$|path = /dev/zero|' "$tmp/conf/parkstat.ini"
expect "a device as a ledger is refused" 2 timeout 60 ${PARKSTAT_VALGRIND:-} "$bin" -c "$tmp/conf/parkstat.ini"
contains "the device is named" "$tmp/err" "/dev/zero: is not a regular file (a character device): refused"

# --- a full disk: a clear error, the previous outputs intact ----------------
mkdir "$tmp/full"
expect "a first report" 0 run_bin -c "$srcdir/conf/parkstat.ini" -f text,json -o "$tmp/full"
cp "$tmp/full/report-2023-10.json" "$tmp/previous.json"
(trap '' XFSZ; ulimit -f 8; exec "$bin" -c "$srcdir/conf/parkstat.ini" -f text,json \
    -o "$tmp/full" >"$tmp/out" 2>"$tmp/err")
status=$?
if [ "$status" -eq 2 ]; then pass "a full disk: exit 2"; else fail "a full disk: exit $status"; fi
contains "a full disk named" "$tmp/err" "parkstat: cannot write $tmp/full/report-2023-10.json: File too large"
same_file "the previous JSON is intact" "$tmp/previous.json" "$tmp/full/report-2023-10.json"
leftover=$(ls -A "$tmp/full" | grep -c -v -e '^report-' -e '^\.report-2023-10\.current$' \
    -e '^\.report-2023-10\.set-[A-Za-z0-9]\{6\}$')
if [ "$leftover" -eq 0 ]; then pass "no temporary left by the failed write"; else fail "temporaries left"; fi

# a plugin file owned by someone else is refused (needs root to chown)
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
    mkdir -m 755 "$tmp/owned"
    cp "$builddir"/plugins/.libs/*.so "$tmp/owned/"
    chown nobody "$tmp/owned/tax.so"
    sample_copy
    expect "a plugin owned by another user refused" 2 run_bin -c "$tmp/conf/parkstat.ini" --plugin-dir "$tmp/owned"
    contains "owner refusal named" "$tmp/err" "refusing $tmp/owned/tax.so: owned by uid $(id -u nobody), neither root nor uid 0 that runs parkstat (fix: chown root $tmp/owned/tax.so, or --no-strict-permissions for a development tree)"
else
    skip "a plugin owned by another user refused" "needs root and a user nobody"
fi

# --- who has reported, what was skipped, and what encoding -----------------
sample_copy
sed -i '/^2023-10,/d' "$tmp/conf/ledgers/tax.csv"
expect "a late department" 0 run_bin -c "$tmp/conf/parkstat.ini"
contains "late department flagged" "$tmp/out" "财政局：数据截至2023年9月，共"
contains "late department's due month" "$tmp/out" "未按期报送（应报至2023年10月）"
contains "figures resting on it say their month" "$tmp/out" "（至9月底）（国税"

sample_copy
sed -i 's/^department = 经济发展局$/department = 财政局/' "$tmp/conf/parkstat.ini"
expect "one department, two ledgers" 0 run_bin -c "$tmp/conf/parkstat.ini"
contains "its first ledger is named" "$tmp/out" "财政局（investment）：数据截至2023年10月，共727行。"
contains "its second ledger is named" "$tmp/out" "财政局（tax）：数据截至2023年10月，共3890行。"
lacks "other departments are not" "$tmp/out" "（land）"

sample_copy
head -1 "$srcdir/conf/ledgers/investment.csv" >"$tmp/conf/ledgers/investment.csv"
expect "a header-only ledger" 1 run_bin -c "$tmp/conf/parkstat.ini"
contains "its department has no data" "$tmp/out" "经济发展局：没有数据，未按期报送（应报至2023年10月）"
contains "its section says why it failed" "$tmp/out" "plugin investment: the ledgers hold no data for indicator 'fai'"

sample_copy
sed -i '5s/,[^,]*,万元,/,12x,万元,/' "$tmp/conf/ledgers/investment.csv"
sed -i 's/^department = 经济发展局$/department = 经济发展局\non_bad_row = skip/' "$tmp/conf/parkstat.ini"
expect "on_bad_row = skip" 0 run_bin -c "$tmp/conf/parkstat.ini"
contains "skipped row counted and named" "$tmp/out" "；跳过不合格数据1行，如$tmp/conf/ledgers/investment.csv:5: column 'value': '12x' is not a number"
contains "skipped row on stderr" "$tmp/err" "parkstat: [source.investment] skipped a bad row: $tmp/conf/ledgers/investment.csv:5:"

# a skipped duplicate must not count: found by fuzzing, where the cube had
# summed the second row before the reader refused it
sample_copy
grep -m1 '^2023-10,' "$srcdir/conf/ledgers/investment.csv" |
    awk -F, -v OFS=, '{ $4 = 999999; print }' >>"$tmp/conf/ledgers/investment.csv"
sed -i 's/^department = 经济发展局$/department = 经济发展局\non_bad_row = skip/' "$tmp/conf/parkstat.ini"
expect "a skipped duplicate row" 0 run_bin -c "$tmp/conf/parkstat.ini"
contains "the duplicate is named" "$tmp/out" "；跳过不合格数据1行，如$tmp/conf/ledgers/investment.csv:$(wc -l <"$tmp/conf/ledgers/investment.csv"): entity '"
contains "the duplicate is left out of the sum" "$tmp/out" "共完成固定资产投资22.32亿元"

sample_copy
iconv -f UTF-8 -t GB18030 "$srcdir/conf/ledgers/investment.csv" >"$tmp/conf/ledgers/investment.csv"
expect "a GB18030 ledger without its encoding" 2 run_bin -c "$tmp/conf/parkstat.ini"
contains "the message suggests the encoding" "$tmp/err" "is not valid UTF-8 (a file saved as GBK/GB18030 needs encoding = gb18030 in [source.investment])"
sed -i 's/^department = 经济发展局$/department = 经济发展局\nencoding = gb18030/' "$tmp/conf/parkstat.ini"
expect "a GB18030 ledger with encoding = gb18030" 0 run_bin -c "$tmp/conf/parkstat.ini"
same_file "GB18030 ledger gives the same report" "$golden/sample.txt" "$tmp/out"
printf '2023-10,\377\377,fai,1,万元,\n' >>"$tmp/conf/ledgers/investment.csv"
expect "bytes that are not GB18030" 2 run_bin -c "$tmp/conf/parkstat.ini"
bad_line=$(($(wc -l <"$srcdir/conf/ledgers/investment.csv") + 1))
contains "bad GB18030 named with its line" "$tmp/err" "investment.csv:$bad_line: bytes that are not valid gb18030 (is the file's encoding right?)"
sed -i 's/^encoding = gb18030$/encoding = klingon/' "$tmp/conf/parkstat.ini"
expect "an unknown encoding" 2 run_bin -c "$tmp/conf/parkstat.ini" --check
contains "unknown encoding named" "$tmp/err" "[source.investment] encoding = 'klingon' is not an encoding this system converts"

# --- bad input: a clear error, exit 2, nothing written ---------------------
sample_copy
mkdir "$tmp/bad_out"
sed -i '5s/,[^,]*,万元,/,12x,万元,/' "$tmp/conf/ledgers/investment.csv"
bad_line=$(sed -n 5p "$tmp/conf/ledgers/investment.csv")
expect "bad ledger row" 2 run_bin -c "$tmp/conf/parkstat.ini" -o "$tmp/bad_out"
contains "bad row names file and line" "$tmp/err" "$tmp/conf/ledgers/investment.csv:5: column 'value': '12x' is not a number"
if [ -z "$(ls -A "$tmp/bad_out")" ]; then pass "bad ledger: nothing written"; else fail "bad ledger wrote files"; fi
case $bad_line in *12x*) pass "fixture row 5 was corrupted";; *) fail "fixture: row 5 is $bad_line";; esac

sample_copy
sed -i 's/^target\.2023 = 260亿$/taget.2023 = 260亿/' "$tmp/conf/parkstat.ini"
expect "misspelt key" 2 run_bin -c "$tmp/conf/parkstat.ini"
contains "misspelt key suggested" "$tmp/err" "parkstat: $tmp/conf/parkstat.ini:$(grep -n -m1 '^taget' "$tmp/conf/parkstat.ini" | cut -d: -f1): [plugin.output] unknown key 'taget.2023' (did you mean 'target.2023'?)"

sample_copy
sed -i 's/^module = tax$/module = taxx/' "$tmp/conf/parkstat.ini"
expect "missing plugin" 2 run_bin -c "$tmp/conf/parkstat.ini"
contains "missing plugin named" "$tmp/err" "[plugin.tax] no plugin 'taxx' in the plugin directory (did you mean 'tax'?"

expect "missing configuration" 2 run_bin -c "$tmp/nowhere.ini"
contains "missing configuration named" "$tmp/err" "parkstat: configuration $tmp/nowhere.ini: cannot open: No such file or directory"

# --- optional clauses: what a month cannot give is left out ----------------
sample_copy
sed -i '/^target.2023 = 55亿$/d' "$tmp/conf/parkstat.ini"
expect "no target this year" 0 run_bin -c "$tmp/conf/parkstat.ini"
contains "no target: the clause about it is left out" "$tmp/out" "截止10月底，共完成固定资产投资22.32亿元；实现各业总产值"
sample_copy
sed -i '/^2023-09,[^,]*,idle_land,/d' "$tmp/conf/ledgers/land.csv"
expect "a month whose ledgers lack idle land" 0 run_bin -c "$tmp/conf/parkstat.ini" -p 2023-09
contains "no area: the count alone" "$tmp/out" "重点做好0宗闲置土地的清收工作"
lacks "no dash in any sentence" "$tmp/out" "—"
sample_copy
sed -i 's/^split_by = collector$/split_by = collector\ntemplate.summary = 完成税收{tax}[[，其中{国税}/' "$tmp/conf/parkstat.ini"
expect "an optional clause left open" 2 run_bin -c "$tmp/conf/parkstat.ini" --check
contains "the open clause named" "$tmp/err" "[plugin.tax] template.summary = '完成税收{tax}[[，其中{国税}' has a '[[' without its ']]'"
sed -i 's/^template.summary = 完成税收{tax}\[\[，其中{国税}$/template.summary = 完成税收{tax}]]/' "$tmp/conf/parkstat.ini"
expect "a clause closed but never opened" 2 run_bin -c "$tmp/conf/parkstat.ini" --check
contains "the stray close named" "$tmp/err" "[plugin.tax] template.summary = '完成税收{tax}]]' has a ']]' without its '[['"

# --- stocks (时点数): month-end states, never summed across months ----------
# The sample's projects ledger is kept as a department keeps it: a status
# row for every project every month, projects negotiating and then signed,
# building and then built. Counted as sums over the year, 洽谈, 在建 and
# 基本建成 would hold every project that was ever in them.
ledger=$srcdir/conf/ledgers/projects.csv
ever() { grep -c "^2023-.*,project_status,1,个,,$1," "$ledger"; }
if [ "$(ever 洽谈)" -gt 100 ] && [ "$(ever 在建)" -gt 100 ]; then
    pass "the sample has status rows every month"
else
    fail "the sample has status rows every month"
fi
sample_copy
ledger=$tmp/conf/ledgers/projects.csv
# A project that negotiated in March and April and signed in May adds a
# signing, and no negotiation.
printf '%s\n' '2023-03,新洽谈后签约项目,project_status,1,个,,洽谈,' \
    '2023-04,新洽谈后签约项目,project_status,1,个,,洽谈,' \
    '2023-05,新洽谈后签约项目,project_signed,5000,万元,,,' >>"$ledger"
for m in 05 06 07 08 09 10; do
    echo "2023-$m,新洽谈后签约项目,project_status,1,个,,已签约," >>"$ledger"
done
expect "a project that negotiated, then signed" 0 run_bin -c "$tmp/conf/parkstat.ini"
contains "negotiating counts October's state only" "$tmp/out" "签约项目34个，签约资金30.44亿元，20个项目正在洽谈对接。"
contains "states at October's end, each project once" "$tmp/out" "21个项目基本建成或具备生产条件，20个项目正在建设中"
# One project's state changed in the report month changes exactly those figures.
building=$(grep -m1 '^2023-10,[^,]*,project_status,1,个,,在建,' "$ledger" | cut -d, -f2)
sed -i "s/^2023-10,$building,project_status,1,个,,在建,/2023-10,$building,project_status,1,个,,基本建成,/" "$ledger"
talking=$(grep -m1 '^2023-10,[^,]*,project_status,1,个,,洽谈,' "$ledger" | cut -d, -f2)
sed -i "s/^2023-10,$talking,project_status,1,个,,洽谈,/2023-10,$talking,project_status,1,个,,已签约,/" "$ledger"
expect "one project built, one signed in October" 0 run_bin -c "$tmp/conf/parkstat.ini"
contains "built +1, building -1, negotiating -1" "$tmp/out" "19个项目正在洽谈对接。共开工建设项目41个，其中续建8个，新建33个，22个项目基本建成或具备生产条件，19个项目正在建设中"
# Idle land is a stock too: a parcel moved to another stage in October moves
# its area between the stages, and the total stays.
sample_copy
ledger=$tmp/conf/ledgers/land.csv
row=$(grep -m1 '^2023-10,[^,]*,idle_land,[0-9.]*,亩,调查清收$' "$ledger")
sed -i "s/^$row\$/${row%,调查清收},清收程序/" "$ledger"
area=${row#*,idle_land,}
area=${area%%,*}
expect "one idle parcel further in October" 0 run_bin -c "$tmp/conf/parkstat.ini"
sum() { awk "BEGIN { printf \"%g\", $1 }"; }
contains "the stages move, the total stays" "$tmp/out" "重点做好17宗1950亩闲置土地的清收工作，目前8宗913亩土地正在办理开工手续，4宗$(sum "581 + $area")亩土地已进入清收程序，5宗$(sum "456 - $area")亩土地正在调查清收；"
# A project whose October status row is missing: counted without it, and the
# audit names it (未报送). With carry_forward = yes its September state stands,
# marked in every output, and the finding says it was carried.
sample_copy
ledger=$tmp/conf/ledgers/projects.csv
talking=$(grep -m1 '^2023-10,[^,]*,project_status,1,个,,洽谈,' "$ledger" | cut -d, -f2)
sed -i "/^2023-10,$talking,project_status,/d" "$ledger"
expect "a stock not reported in October" 0 run_bin -c "$tmp/conf/parkstat.ini"
contains "counted without it" "$tmp/out" "19个项目正在洽谈对接"
contains "the audit names it" "$tmp/out" "【核实性错误】${talking}的项目状态2023年10月未报送（上月已报送的时点数）（需说明）"
sed -i 's/^department = 招商和项目服务局$/department = 招商和项目服务局\ncarry_forward = yes/' "$tmp/conf/parkstat.ini"
expect "carried forward" 0 run_bin -c "$tmp/conf/parkstat.ini" -f text,json,html,csv,prom -o "$tmp/carried"
report=$tmp/carried/report-2023-10
contains "the text counts it, marked" "$report.txt" "20个（含上月结转1个）项目正在洽谈对接"
contains "the appendix marks it" "$report.txt" "洽谈对接项目20个（含上月结转1个），同比增长11.1%。"
contains "the finding says it was carried" "$report.txt" "【核实性错误】${talking}的项目状态2023年10月未报送（上月已报送的时点数），已按上月数结转（需说明）"
contains "the JSON counts what was carried" "$report.json" '"value": {"exact": "20", "unit": "个", "display": "20个"}, "ratio": null, "carried": {"exact": "1", "unit": "个", "display": "1个"}'
contains "the CSV counts what was carried" "$report.csv" "projects,negotiating,洽谈对接项目,,,2023-10,20,个,20个,,,,,,18,11.1,,no,,,,,1"
contains "the metrics count what was carried" "$report.prom" 'parkstat_indicator_carried_entities{zone="经济技术开发区",period="2023-10",section="projects",key="negotiating",indicator="project_status",label="洽谈对接项目",parent=""} 1'
contains "the HTML marks it" "$report.html" "20个（含上月结转1个）"
# Only the month before counts: a project gone since August is not carried.
sample_copy
ledger=$tmp/conf/ledgers/projects.csv
sed -i "/^2023-09,$talking,project_status,/d; /^2023-10,$talking,project_status,/d" "$ledger"
sed -i 's/^department = 招商和项目服务局$/department = 招商和项目服务局\ncarry_forward = yes/' "$tmp/conf/parkstat.ini"
expect "a stock gone for two months" 0 run_bin -c "$tmp/conf/parkstat.ini"
contains "not carried from August" "$tmp/out" "19个项目正在洽谈对接"
lacks "nor named as missing" "$tmp/out" "未报送"

# A stock over a range of months (ABI 1.6): the average of month-end
# headcounts, and the projects that entered a state this year. P1 was
# building in December and built in February, P2 negotiated and started in
# February, P3 was built before 2023: one started, one built this year, one
# built every month of it.
states=$tmp/states
rm -rf "$states"
mkdir -p "$states"
printf '%s\n' '[parkstat]' 'zone = 测试区' 'formats = text' \
    '[source.staff]' 'path = staff.csv' '[source.projects]' 'path = projects.csv' \
    '[indicator.staff]' 'label = 从业人员' 'unit = 人' 'kind = stock' \
    '[indicator.project_status]' 'unit = 个' 'kind = stock' \
    '[plugin.states]' "module = $builddir/tests/plugins/states.la" \
    'staff_target.2023 = 150人' >"$states/parkstat.ini"
printf '%s\n' 'period,entity,indicator,value,unit' \
    2022-01,甲,staff,90,人 2022-02,甲,staff,95,人 2022-03,甲,staff,100,人 \
    2023-01,甲,staff,100,人 2023-02,甲,staff,110,人 2023-03,甲,staff,120,人 \
    2023-01,乙,staff,10,人 2023-02,乙,staff,10,人 2023-03,乙,staff,11,人 >"$states/staff.csv"
printf '%s\n' 'period,entity,indicator,value,unit,status' \
    2022-11,P3,project_status,1,个,基本建成 2022-12,P3,project_status,1,个,基本建成 \
    2022-12,P1,project_status,1,个,在建 2023-01,P1,project_status,1,个,在建 \
    2023-02,P1,project_status,1,个,基本建成 2023-03,P1,project_status,1,个,基本建成 \
    2023-01,P2,project_status,1,个,洽谈 2023-02,P2,project_status,1,个,在建 \
    2023-03,P2,project_status,1,个,在建 2023-01,P3,project_status,1,个,基本建成 \
    2023-02,P3,project_status,1,个,基本建成 2023-03,P3,project_status,1,个,基本建成 \
    >"$states/projects.csv"
chmod -R go-w "$states"
expect "a stock's average and the states entered" 0 run_bin -c "$states/parkstat.ini" -p 2023-03 -f text,json
contains "the average of three month-ends, and one project entered each state" "$tmp/out" "期末从业人数131人，完成年度目标150人的87.33%，平均从业人数120.33人，新开工项目1个，新建成项目1个，各月均已建成项目1个"
contains "a level's 同比 is the same month a year before, without time progress" "$tmp/out" '"value": {"exact": "131", "unit": "人", "display": "131人"}, "ratio": null, "carried": null,
         "target": {"exact": "150", "unit": "人", "display": "150人"}, "completion": {"percent": "87.33", "display": "87.33%"},
         "next_target": null, "share": null,
         "time_progress": null, "progress_gap": null, "progress_status": null,
         "year_ago": {"exact": "100", "unit": "人", "display": "100人"}'

contains "the average exact to 4 decimals, month by month" "$tmp/out" '"months": ["110", "115", "120.3333"]'
contains "its 同比 on last year's average" "$tmp/out" '"year_ago": {"exact": "95", "unit": "人", "display": "95人"}, "year_ago_ratio": null, "comparable": false, "change": "26.7"'
equals "the projects built by each month's end" '"months": ["0", "1", "1"]},' \
    "$(grep -A8 '"key": "built"' "$tmp/out" | grep -m1 '"months"' | sed 's/^ *//')"
sed -i '/^2023-02,[^,]*,staff,/d' "$states/staff.csv"
expect "a month without a headcount" 0 run_bin -c "$states/parkstat.ini" -p 2023-03
contains "the states entered still" "$tmp/out" "新开工项目1个，新建成项目1个，各月均已建成项目1个"
lacks "but no average" "$tmp/out" "平均从业人数[0-9]"
contains "which the appendix says" "$tmp/out" "平均从业人数无数据。"

# A new stock added by configuration alone: 入驻企业, each firm's row every
# month it is in the zone, shown by the bundled investment plugin at the
# report month's end against a level to reach, with its 同比 (the same month
# a year before: 4 firms in October 2022, 6 in October 2023), in every format.
sample_copy
{
    echo 'period,entity,indicator,value,unit'
    for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
        for firm in 甲 乙 丙; do echo "2022-$m,$firm,enterprises,1,家"; done
        [ "$m" -lt 07 ] || echo "2022-$m,丁,enterprises,1,家"
    done
    for m in 01 02 03 04 05 06 07 08 09 10; do
        for firm in 甲 乙 丙 丁; do echo "2023-$m,$firm,enterprises,1,家"; done
        [ "$m" -lt 05 ] || echo "2023-$m,戊,enterprises,1,家"
        [ "$m" -lt 09 ] || echo "2023-$m,己,enterprises,1,家"
    done
} >"$tmp/conf/ledgers/enterprises.csv"
printf '%s\n' '' '[source.enterprises]' 'path = ledgers/enterprises.csv' 'department = 商务局' \
    '[indicator.enterprises]' 'label = 入驻企业' 'unit = 家' 'kind = stock' \
    '[plugin.enterprises]' 'module = investment' 'title = 入驻企业' 'indicator = enterprises' \
    'target.2023 = 10家' 'template.summary = 入驻企业{fai}[[，占年度目标{fai.target}的{fai.rate}]]' \
    >>"$tmp/conf/parkstat.ini"
expect "a stock by configuration alone" 0 run_bin -c "$tmp/conf/parkstat.ini" -f text,json,html,csv,prom,xlsx -o "$tmp/stock"
report=$tmp/stock/report-2023-10
contains "the text: October's firms against the level" "$report.txt" "入驻企业6家，占年度目标10家的60.00%。"
contains "the appendix: no time progress for a level, its 同比" "$report.txt" "入驻企业6家，完成年度目标10家的60.00%，同比增长50.0%。"
contains "the JSON: its 同比, no time progress" "$report.json" '"time_progress": null, "progress_gap": null, "progress_status": null,
         "year_ago": {"exact": "4", "unit": "家", "display": "4家"}, "year_ago_ratio": null, "comparable": false, "change": "50.0"'
contains "the JSON: its month-end course" "$report.json" '"months": ["4", "4", "4", "4", "5", "5", "5", "5", "6", "6"]'
contains "the CSV" "$report.csv" "enterprises,fai,入驻企业,,,2023-10,6,家,6家,10,60.00,,,,4,50.0,"
contains "the metrics" "$report.prom" 'parkstat_indicator_year_ago{zone="经济技术开发区",period="2023-10",section="enterprises",key="fai",indicator="enterprises",label="入驻企业",parent="",unit="家"} 4'
contains "the HTML" "$report.html" "入驻企业6家，占年度目标10家的60.00%。"
expect "the workbook" 0 python3 - "$report.xlsx" <<'EOF'
import sys, zipfile
strings = zipfile.ZipFile(sys.argv[1]).read("xl/sharedStrings.xml").decode()
sys.exit(0 if "入驻企业" in strings else 1)
EOF

# A stock in a cumulative source would be differenced as a year-to-date
# total: an error naming the source, its file and the indicator.
sample_copy
sed -i 's/^department = 招商和项目服务局$/department = 招商和项目服务局\ntype = cumulative/' "$tmp/conf/parkstat.ini"
expect "a stock in a cumulative source" 2 run_bin -c "$tmp/conf/parkstat.ini"
equals "the source, its file and the stock named" "parkstat: $tmp/conf/ledgers/projects.csv: [source.projects] type = cumulative takes its rows as year-to-date totals, but indicator 'project_status' is a stock (时点数: [indicator.project_status] kind = stock), a month-end value that is no total: read it from a flow source" "$(cat "$tmp/err")"
# A stock summed over months by mistake is an error naming the indicator.
sample_copy
sed -i 's/^display_unit = 万元$/display_unit = 万元\nkind = stock/' "$tmp/conf/parkstat.ini"
expect "a flow query on a stock" 1 run_bin -c "$tmp/conf/parkstat.ini"
contains "the stock and the months named" "$tmp/err" "indicator 'tax' is a stock (时点数: [indicator.tax] kind = stock), whose month-end values never add up across months, but a query asks for 2023-01 to 2023-10: ask for one month (from = to)"

# --- column.NAME: a department's sheet read with its own headers ------------
# The tax ledger as the finance office keeps it, every header in its words,
# gives exactly the golden report once [source.tax] maps them.
sample_copy
sed -i '1s/.*/月份,纳税人名称,指标,本月数,单位,征收机关,所属行业/' "$tmp/conf/ledgers/tax.csv"
expect "Chinese headers, unmapped" 2 run_bin -c "$tmp/conf/parkstat.ini"
contains "the missing column says how to map it" "$tmp/err" "tax.csv:1: missing required column 'period' (a ledger needs period, indicator and value; a header in the office's words is named in [source.tax], e.g. column.period = 月份)"
sed -i 's/^department = 财政局$/department = 财政局\ncolumn.period = 月份\ncolumn.entity = 纳税人名称\ncolumn.indicator = 指标\ncolumn.value = 本月数\ncolumn.unit = 单位\ncolumn.collector = 征收机关\ncolumn.industry = 所属行业/' "$tmp/conf/parkstat.ini"
expect "Chinese headers, mapped" 0 run_bin -c "$tmp/conf/parkstat.ini"
same_file "the mapped ledger gives the golden report" "$golden/sample.txt" "$tmp/out"
sed -i 's/^column.period = 月份$/column.period = 月度/' "$tmp/conf/parkstat.ini"
expect "a mapping to a header the file lacks" 2 run_bin -c "$tmp/conf/parkstat.ini"
contains "the unmatched mapping named with the file's headers" "$tmp/err" "tax.csv:1: [source.tax] column.period = '月度' names no column of the header (its columns: 月份, 纳税人名称, 指标, 本月数, 单位, 征收机关, 所属行业)"

# --- [labels.TAG]: tag values in the office's words ------------------------
# The sample's land ledger writes short stage codes, which [labels.stage]
# names (the golden report says 正在办理开工手续). Here the tax ledger writes
# codes for its collectors too, in capitals the INI's folding must not lose.
sample_copy
sed -i 's/,国税,/,GS,/; s/,地税,/,DS,/' "$tmp/conf/ledgers/tax.csv"
sed -i 's/^right = tax.国税 + tax.地税$/right = tax.GS + tax.DS/' "$tmp/conf/parkstat.ini"
expect "codes without labels" 0 run_bin -c "$tmp/conf/parkstat.ini"
contains "codes without labels are shown as written" "$tmp/out" "完成税收26362万元（GS20136万元，DS6226万元）"
printf '\n[labels.collector]\nGS = 国税\nds = 地税\n' >>"$tmp/conf/parkstat.ini"
expect "codes named by [labels.collector]" 0 run_bin -c "$tmp/conf/parkstat.ini"
same_file "labelled codes give the sample report" "$golden/sample.txt" "$tmp/out"
expect "codes named by [labels.collector]: JSON" 0 run_bin -c "$tmp/conf/parkstat.ini" -f json
contains "the JSON keeps the code as key, the label as label" "$tmp/out" '{"key": "GS", "label": "国税", "indicator": "tax", "parent": "tax", "relation": "part"'
sed -i 's/^\[labels.collector\]$/[labels.stage]\n其他阶段 =\n[labels.collector]/' "$tmp/conf/parkstat.ini"
expect "a label left empty" 2 run_bin -c "$tmp/conf/parkstat.ini" --check
same_file "an empty label named with its line" /dev/stdin "$tmp/err" <<EOF
parkstat: $tmp/conf/parkstat.ini:$(grep -n -m1 '^其他阶段 =$' "$tmp/conf/parkstat.ini" | cut -d: -f1): [labels.stage] 其他阶段 has no label (expected 其他阶段 = the name the report gives this value of 'stage')
EOF

# --- the statistical audit (数据审核) ----------------------------------------
contains "the sample passes every audit rule" "$golden/sample.txt" "6条审核规则全部通过。"
# a month without a parcel in one of the idle-land stages, which a balance
# rule cannot check, and says so, rather than refusing the report
sample_copy
sed -i '/^2023-09,[^,]*,idle_land,.*,开工手续$/d' "$tmp/conf/ledgers/land.csv"
expect "a month whose breakdown lacks a part" 0 run_bin -c "$tmp/conf/parkstat.ini" -p 2023-09
contains "the unverifiable balance is a warning" "$tmp/out" "【核实性错误】闲置土地分阶段无法核对：land.开工手续本期没有数据（需说明）"
sample_copy
printf '2023-10,某新入园企业,tax,1,万元,,\r\n' >>"$tmp/conf/ledgers/tax.csv"
expect "a broken balance is an error: exit 1" 1 run_bin -c "$tmp/conf/parkstat.ini"
contains "balance finding with its figures" "$tmp/out" "【强制性错误】税收分项不平衡：tax.tax为26363万元，tax.国税 + tax.地税为26362万元，相差1万元"
contains "balance finding on stderr" "$tmp/err" "parkstat: audit [tax_balance]: 税收分项不平衡"

sample_copy
firm_line=$(grep -n '^2023-09,' "$tmp/conf/ledgers/output.csv" | head -1 | cut -d: -f1)
firm=$(sed -n "${firm_line}p" "$tmp/conf/ledgers/output.csv" | cut -d, -f2)
sed -i "${firm_line}s/^\(2023-09,[^,]*,output,\)[^,]*,[^,]*,/\10,万元,/" "$tmp/conf/ledgers/output.csv"
expect "a falling cumulative series is an error" 1 run_bin -c "$tmp/conf/parkstat.ini"
contains "cumulative finding names the entity" "$tmp/out" "【强制性错误】${firm}的各业总产值2023年9月累计0万元，低于上月累计"

sample_copy
late_line=$(grep -n '^2023-05,' "$tmp/conf/ledgers/output.csv" | head -1 | cut -d: -f1)
late_firm=$(sed -n "${late_line}p" "$tmp/conf/ledgers/output.csv" | cut -d, -f2)
sed -i "${late_line}d" "$tmp/conf/ledgers/output.csv"
expect "a missing month is a warning: exit 0 when fail_on = error" 0 run_bin -c "$tmp/conf/parkstat.ini"
contains "late finding needs an explanation" "$tmp/out" "【核实性错误】${late_firm}的各业总产值缺报2023年5月数据（此前已按月报送）（需说明）"
sed -i 's/^formats = text$/formats = text\nfail_on = warning/' "$tmp/conf/parkstat.ini"
expect "an unexplained warning fails when fail_on = warning" 1 run_bin -c "$tmp/conf/parkstat.ini"
printf 'period,rule,indicator,entity,explanation\n2023-05,output_late,output,%s,企业5月停产检修，6月补报\n' \
    "$late_firm" >"$tmp/conf/explanations.csv"
sed -i 's/^fail_on = warning$/fail_on = warning\nexplanations = explanations.csv/' "$tmp/conf/parkstat.ini"
expect "an explained warning passes" 0 run_bin -c "$tmp/conf/parkstat.ini" -f text,json
contains "the explanation is in the report" "$tmp/out" "（已说明：企业5月停产检修，6月补报）"
contains "the finding is in the JSON" "$tmp/out" '"rule": "output_late", "severity": "warning", "period": "2023-05", "indicator": "output"'

# A plugin's warnings (api->warnf) are audit warnings of rule plugin.NAME:
# on stderr, in the report, explained like any other.
sample_copy
printf '\n[plugin.faulty]\nmodule = %s\nfault = warn\n' "$builddir/tests/plugins/faulty.la" \
    >>"$tmp/conf/parkstat.ini"
expect "a plugin's warnings do not fail the run" 0 run_bin -c "$tmp/conf/parkstat.ini"
contains "a plugin's warning on stderr" "$tmp/err" "parkstat: audit [plugin.faulty] needs an explanation: 阶段'待查'不在stage_order中"
contains "a plugin's warning in the report" "$tmp/out" "【核实性错误】本月3宗地块未报送（需说明）"
printf 'period,rule,indicator,entity,explanation\n2023-10,plugin.faulty,,,地块已核实\n' \
    >"$tmp/conf/explanations.csv"
sed -i 's/^formats = text$/formats = text\nexplanations = explanations.csv/' "$tmp/conf/parkstat.ini"
expect "a plugin's warnings explained" 0 run_bin -c "$tmp/conf/parkstat.ini" -f text,json
contains "a plugin's warning, explained" "$tmp/out" "【核实性错误】本月3宗地块未报送（已说明：地块已核实）"
contains "a plugin's warning in the JSON" "$tmp/out" '"rule": "plugin.faulty", "severity": "warning", "period": "2023-10"'

sample_copy
# Every month of the year is judged: a sample enterprise paid 0.17% of its
# median tax one month, so the factor is a thousand.
printf '\n[audit.tax_outlier]\nrule = outlier\nsource = tax\nfactor = 1000\nseverity = warning\n' >>"$tmp/conf/parkstat.ini"
expect "the sample has no outlier" 0 run_bin -c "$tmp/conf/parkstat.ini"
contains "outlier rule passes on the sample" "$tmp/out" "7条审核规则全部通过。"
out_line=$(grep -n '^2023-10,' "$tmp/conf/ledgers/tax.csv" | head -1 | cut -d: -f1)
sed -i "${out_line}s/^\(2023-10,[^,]*,tax,\)[^,]*,[^,]*,/\199999,万元,/" "$tmp/conf/ledgers/tax.csv"
expect "an outlying month is flagged" 0 run_bin -c "$tmp/conf/parkstat.ini"
contains "outlier finding" "$tmp/out" "2023年10月为99999万元，此前"

# A cumulative ledger read as flows is found, with its evidence.
sample_copy
sed -i '/^type = cumulative$/d' "$tmp/conf/parkstat.ini"
expect "a cumulative ledger read as flows" 0 run_bin -c "$tmp/conf/parkstat.ini"
contains "it is suspected, with an example" "$tmp/out" "【核实性错误】疑似累计数：工业和信息化局的台账中，120个按月报送的数据系列有120个在2023年逐月上升（如三木储能科技有限公司：1月5330.66万元、2月1.12亿元、"
contains "and the key to set" "$tmp/out" "应在[source.output]中设置type = cumulative（需说明）"
sed -i 's/^\[source.output\]$/[source.output]\ncheck_rising = no/' "$tmp/conf/parkstat.ini"
expect "check_rising = no" 0 run_bin -c "$tmp/conf/parkstat.ini"
lacks "turns it off" "$tmp/out" "疑似累计数"

# --- iniparser's weaknesses, read around -----------------------------------
sample_copy
ini=$tmp/conf/parkstat.ini
sed -i 's/^target\.2023 = 55亿$/target.2023 = 55亿\ntarget.2023 = 56亿/' "$ini"
first=$(grep -n '^target.2023 = 55亿$' "$ini" | cut -d: -f1)
expect "a repeated key" 2 run_bin -c "$ini" --check
contains "repeated key named with both lines" "$tmp/err" "$ini:$((first + 1)): [plugin.investment] key 'target.2023' is set again (first at line $first); remove one"
sample_copy
printf '\n[plugin.long]\nmodule = investment\ntitle = %s\n' "$(head -c 1100 /dev/zero | tr '\0' x)" >>"$ini"
long=$(wc -l <"$ini" | tr -d ' ')
expect "a line over 1024 bytes" 2 run_bin -c "$ini" --check
contains "long line named" "$tmp/err" "$ini:$long: line of 1109 bytes, longer than the 1022 the INI reader takes: shorten it"
sample_copy
sed -i 's/^module = tax$/module = tax\ntimeout = 12abc/; s/^rate_decimals = 1$/rate_decimals = 08/; s/^formats = text$/formats = text\nisolate = yesplease\nplugin.tax = 3/' "$ini"
expect "values iniparser would misread, all in one pass" 2 run_bin -c "$ini" --check
contains "12abc is not 12" "$tmp/err" "[plugin.tax] timeout = '12abc' is not a whole number"
contains "08 is eight, not zero" "$tmp/err" "[indicator.output] rate_decimals = '08' is out of range (expected 0 to 4)"
contains "yesplease is not yes" "$tmp/err" "[parkstat] isolate = 'yesplease' is not a yes/no value"
contains "a key named like a section is just unknown" "$tmp/err" "[parkstat] unknown key 'plugin.tax'"

# --- the command line -------------------------------------------------------
expect "--version" 0 run_bin --version
contains "--version names the ABI" "$tmp/out" "(plugin ABI 1.6)"
expect "--help" 0 run_bin --help
contains "--help shows usage" "$tmp/out" "Usage: parkstat"
expect "unknown option" 2 run_bin --frobnicate
contains "unknown option named" "$tmp/err" "parkstat: unknown option '--frobnicate'"
expect "bad period" 2 run_bin -c "$srcdir/conf/parkstat.ini" -p 2023-13
contains "bad period named" "$tmp/err" "parkstat: -p 2023-13: not a month (expected YYYY-MM)"
expect "--describe tax" 0 run_bin --describe tax
grep -v '^file:' "$tmp/out" >"$tmp/describe"
same_file "--describe prints tax's key table" "$golden/describe-tax.txt" "$tmp/describe"
expect "--list-plugins" 0 run_bin --list-plugins
contains "--list-plugins lists tax" "$tmp/out" "tax"

finish
