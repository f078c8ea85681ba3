/*
 * ledger-gen: writes a deterministic ledger of N rows in the format parkstat
 * reads, for the tests at scale (tests/scale.sh, tests/flatmem.sh,
 * tests/bigfile.sh) and the benchmark (bench/run). The same arguments
 * always give the same bytes.
 *
 *     tests/gen/ledger-gen ROWS [--crlf] [--bom] [--entities N] [--no-entity] > ledger.csv
 *
 * Columns: period, entity, indicator, value, unit, industry, collector.
 * Rows run month by month over two years (2023-01 .. 2024-12); within a
 * month each entity reports up to 16 combinations of 8 money indicators and
 * 2 collectors, so that no (entity, indicator, month, tags) repeats. Units
 * mix 元, 万元 and 亿元; some entity names and values are quoted (a comma
 * inside); some tags and about 1% of values are empty. --no-entity leaves
 * the entity column empty, so that rows add up into a fixed set of keys
 * whatever N is (the flat-memory check).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MONTHS 24
#define FIRST_YEAR 2023
#define COMBOS 16

static const char *const indicators[] = {
    "fai", "output", "tax", "infra_invest", "project_signed", "land_financing",
    "revenue", "export",
};
static const char *const industries[] = {
    "新能源", "装备制造", "新材料", "现代服务业", "农产品加工", "化工", "商贸物流",
    "电子信息", "", /* an empty tag: the row names no industry */
};
static const char *const collectors[] = { "国税", "地税" };
static const char *const name_heads[] = {
    "三木", "丝路", "中科", "恒泰", "瑞达", "嘉峪", "天成", "华源",
};
static const char *const name_trades[] = {
    "光伏科技", "储能电池", "新材料", "食品", "电力", "物流", "化工", "智能装备",
};

typedef struct options {
    uint64_t rows;
    uint32_t entities;
    int crlf, bom, no_entity;
} options_t;

/* splitmix64: a stateless mix of the row number, so that any row can be
   produced on its own and the output never depends on the platform. */
static uint64_t mix(uint64_t x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

typedef struct out {
    char *p, *start, *end;
} out_t;

static void out_flush(out_t *o)
{
    fwrite(o->start, 1, (size_t)(o->p - o->start), stdout);
    o->p = o->start;
}

static void put(out_t *o, const char *s)
{
    size_t n = strlen(s);
    memcpy(o->p, s, n);
    o->p += n;
}

static void put_uint(out_t *o, uint64_t v, int min_digits)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v || n < min_digits);
    while (n)
        *o->p++ = tmp[--n];
}

/* The integer part with thousands separators: 1234567 -> 1,234,567. */
static void put_grouped(out_t *o, uint64_t v)
{
    if (v >= 1000) {
        put_grouped(o, v / 1000);
        *o->p++ = ',';
        put_uint(o, v % 1000, 3);
    } else {
        put_uint(o, v, 1);
    }
}

/* A value of `scaled` ten-thousandths, written plainly or as "1,234.5". */
static void put_value(out_t *o, int64_t scaled, int grouped)
{
    uint64_t mag = scaled < 0 ? (uint64_t)-scaled : (uint64_t)scaled;
    uint64_t frac = mag % 10000;
    int digits = 4;
    while (digits > 0 && frac % 10 == 0) {
        frac /= 10;
        digits--;
    }
    if (grouped)
        *o->p++ = '"';
    if (scaled < 0)
        *o->p++ = '-';
    if (grouped)
        put_grouped(o, mag / 10000);
    else
        put_uint(o, mag / 10000, 1);
    if (digits) {
        *o->p++ = '.';
        put_uint(o, frac, digits);
    }
    if (grouped)
        *o->p++ = '"';
}

static void put_entity(out_t *o, uint32_t e)
{
    int quoted = e % 7 == 0; /* a name with a comma must be quoted */
    if (quoted)
        *o->p++ = '"';
    put(o, name_heads[e % 8]);
    put(o, name_trades[(e / 8) % 8]);
    if (quoted)
        put(o, ",扩建");
    put(o, "项目");
    put_uint(o, e, 5);
    if (quoted)
        *o->p++ = '"';
}

/* The value and its unit: each unit's magnitude keeps two years of sums far
   from int64's limit while every written value stays exact (4 decimals). */
static void put_value_and_unit(out_t *o, uint64_t r)
{
    static const char *const units[] = { "元", "万元", "亿元" };
    static const uint64_t spans[] = { 100000000000ULL, 100000000ULL, 10000ULL };
    int unit = (int)(r % 10 < 5 ? 1 : r % 10 < 8 ? 0 : 2);
    int64_t scaled = (int64_t)((r >> 8) % spans[unit]);
    if ((r >> 60) == 0)
        scaled = -scaled; /* a correction: about one row in 16 */
    put_value(o, scaled, ((r >> 4) & 7) == 0);
    *o->p++ = ',';
    put(o, units[unit]);
}

static void put_row(out_t *o, const options_t *opt, int month, uint32_t entity,
                    int combo, uint64_t r)
{
    put_uint(o, FIRST_YEAR + month / 12, 4);
    *o->p++ = '-';
    put_uint(o, (uint64_t)(month % 12 + 1), 2);
    *o->p++ = ',';
    if (!opt->no_entity)
        put_entity(o, entity);
    *o->p++ = ',';
    put(o, indicators[combo / 2]);
    *o->p++ = ',';
    if (r % 97 == 0)
        put(o, ",万元"); /* an empty value: missing, not zero */
    else
        put_value_and_unit(o, r);
    *o->p++ = ',';
    put(o, industries[entity % 9]);
    *o->p++ = ',';
    put(o, collectors[combo % 2]);
    put(o, opt->crlf ? "\r\n" : "\n");
}

/* Rows of month m: the rows are spread evenly over the months. */
static uint64_t month_start(const options_t *opt, int m)
{
    return opt->rows * (uint64_t)m / MONTHS;
}

static int generate(const options_t *opt)
{
    out_t o;
    size_t cap = 1 << 20;
    o.start = o.p = malloc(cap);
    if (!o.start)
        return 1;
    o.end = o.start + cap;
    if (opt->bom)
        put(&o, "\xEF\xBB\xBF");
    put(&o, "period,entity,indicator,value,unit,industry,collector");
    put(&o, opt->crlf ? "\r\n" : "\n");
    for (int m = 0; m < MONTHS; m++) {
        uint64_t n = month_start(opt, m + 1) - month_start(opt, m);
        uint64_t slots = (n + COMBOS - 1) / COMBOS; /* entities this month */
        for (uint64_t j = 0; j < n; j++) {
            /* distinct (entity, combo) pairs within the month */
            uint32_t entity = (uint32_t)(j / COMBOS * opt->entities / slots);
            if (o.end - o.p < 512)
                out_flush(&o);
            put_row(&o, opt, m, entity, (int)(j % COMBOS), mix(month_start(opt, m) + j));
        }
    }
    out_flush(&o);
    free(o.start);
    return ferror(stdout) || fflush(stdout) != 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: ledger-gen ROWS [--crlf] [--bom] [--entities N] [--no-entity]\n");
    return 2;
}

int main(int argc, char **argv)
{
    options_t opt = { .entities = 50000 };
    if (argc < 2)
        return usage();
    opt.rows = strtoull(argv[1], NULL, 10);
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--crlf") == 0)
            opt.crlf = 1;
        else if (strcmp(argv[i], "--bom") == 0)
            opt.bom = 1;
        else if (strcmp(argv[i], "--no-entity") == 0)
            opt.no_entity = 1;
        else if (strcmp(argv[i], "--entities") == 0 && i + 1 < argc)
            opt.entities = (uint32_t)strtoul(argv[++i], NULL, 10);
        else
            return usage();
    }
    if (opt.entities == 0 || opt.rows / MONTHS > (uint64_t)opt.entities * COMBOS) {
        fprintf(stderr, "ledger-gen: at most %u rows with %u entities (16 per entity and "
                "month, 24 months)\n", opt.entities * COMBOS * MONTHS, opt.entities);
        return 2;
    }
    return generate(&opt);
}
