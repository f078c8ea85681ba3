/*
 * ledger-gen: writes a deterministic ledger of N rows in the format parkstat
 * reads, for the tests at scale (tests/scale.sh, tests/flatmem.sh,
 * tests/bigfile.sh, tests/matrix.sh) and the benchmark (bench/run, whose
 * named shapes are in bench/shapes). The same arguments always give the
 * same bytes, and every ledger it writes is legal: no two rows share
 * (entity, indicator, month, industry, collector), which parkstat rejects.
 *
 *     tests/gen/ledger-gen ROWS [options] > ledger.csv
 *
 *     --crlf, --bom          CRLF line ends; a UTF-8 byte order mark
 *     --entities N           entities to draw from (default 50000; up to 100,000,000)
 *     --interleave           months take turns through the entities (below)
 *     --months N             months from 2023-01 (default 24; 1..600)
 *     --indicators N         money indicators, the first N of 8 (default 8)
 *     --industries N         industry tags (default 9, one of them empty;
 *                            above 9, N generated names 类别001, 类别002, ..)
 *     --tags entity|row      entity (default): an entity keeps one industry
 *                            and 2 collectors; row: industry and collector
 *                            (7 values) are drawn per row
 *     --order month|entity|random
 *                            month (default): month, then entity; entity:
 *                            entity, then month; random: a pseudo-random
 *                            permutation of the same rows
 *     --no-entity            the entity column is there, every cell empty
 *     --no-entity-column     no entity column at all
 *
 * Columns: period, entity, indicator, value, unit, industry, collector.
 * The rows are spread evenly over the months. Within a month they come in
 * slots of S = 2 × indicators rows, one slot per entity: with --tags entity
 * a slot holds every (indicator, collector) pair once, under the entity's
 * industry (entity mod 9 by default, else a hash of the entity); with --tags row the k-th row of a slot
 * takes combination (k + hash(entity, month)) mod (indicators × industries
 * × 7), so that an entity has hundreds of series over a year. The slots of
 * a month go to entities evenly spread over --entities, the same ones
 * every month; with --interleave month m takes every M-th of all the
 * ledger's slots instead, so that months name different entities and up to
 * ROWS / S distinct entities appear.
 *
 * Each row is a function of its index in month order (its value is a hash
 * of that index), so the three orders write the same rows, and the random
 * one needs no memory per row: a Feistel network with cycle walking maps
 * the output position to that index.
 *
 * Units mix 元, 万元 and 亿元; some entity names and values are quoted (a
 * comma inside); some tags and about 1% of values are empty. --no-entity
 * leaves the entity column empty, so that rows add up into a fixed set of
 * keys whatever N is (the flat-memory check).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIRST_YEAR 2023
#define MAX_MONTHS 600  /* periods stay four-digit years: 2023-01 .. 2072-12 */
#define MAX_INDUSTRIES 500
#define ROW_COLLECTORS 7 /* collectors drawn per row by --tags row */
#define NO_SLOT UINT64_MAX

static const char *const indicators[] = {
    "fai", "output", "tax", "infra_invest", "project_signed", "land_financing",
    "revenue", "export",
};
#define MAX_INDICATORS (int)(sizeof indicators / sizeof *indicators)
static const char *const industries[] = {
    "新能源", "装备制造", "新材料", "现代服务业", "农产品加工", "化工", "商贸物流",
    "电子信息", "", /* an empty tag: the row names no industry */
};
#define NAMED_INDUSTRIES (int)(sizeof industries / sizeof *industries)
/* --tags entity uses the first two, --tags row all seven */
static const char *const collectors[] = {
    "国税", "地税", "财政", "统计", "商务", "海关", "社保",
};
static const char *const name_heads[] = {
    "三木", "丝路", "中科", "恒泰", "瑞达", "嘉峪", "天成", "华源",
};
static const char *const name_trades[] = {
    "光伏科技", "储能电池", "新材料", "食品", "电力", "物流", "化工", "智能装备",
};

enum order { ORDER_MONTH, ORDER_ENTITY, ORDER_RANDOM };

typedef struct options {
    uint64_t rows;
    uint32_t entities;
    int months, indicators, industries;
    enum order order;
    int row_tags, interleave;
    int crlf, bom, no_entity, no_entity_column;
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

/* Where a row's tags come from: its indicator, industry and collector. */
typedef struct combo {
    int indicator, industry, collector;
} combo_t;

static void put_industry(out_t *o, const options_t *opt, int industry)
{
    if (opt->industries <= NAMED_INDUSTRIES) {
        put(o, industries[industry]);
    } else {
        put(o, "类别");
        put_uint(o, (uint64_t)industry + 1, 3);
    }
}

static void put_row(out_t *o, const options_t *opt, int month, uint32_t entity,
                    combo_t c, uint64_t r)
{
    put_uint(o, FIRST_YEAR + (uint64_t)month / 12, 4);
    *o->p++ = '-';
    put_uint(o, (uint64_t)(month % 12 + 1), 2);
    *o->p++ = ',';
    if (!opt->no_entity_column) {
        if (!opt->no_entity)
            put_entity(o, entity);
        *o->p++ = ',';
    }
    put(o, indicators[c.indicator]);
    *o->p++ = ',';
    if (r % 97 == 0)
        put(o, ",万元"); /* an empty value: missing, not zero */
    else
        put_value_and_unit(o, r);
    *o->p++ = ',';
    put_industry(o, opt, c.industry);
    *o->p++ = ',';
    put(o, collectors[c.collector]);
    put(o, opt->crlf ? "\r\n" : "\n");
}

/* ---- the layout: rows in month order, cut into months and slots ---- */

/* Rows in one slot: one entity's rows in one month. */
static uint64_t slot_rows(const options_t *opt)
{
    return 2 * (uint64_t)opt->indicators;
}

/* Index of month m's first row: the rows are spread evenly over the months. */
static uint64_t month_start(const options_t *opt, int m)
{
    return opt->rows * (uint64_t)m / (uint64_t)opt->months;
}

/* The month of row i, month_start's inverse: the last m with
   month_start(m) <= i, that is m < (i + 1) * months / rows. */
static int month_of(const options_t *opt, uint64_t i)
{
    uint64_t months = (uint64_t)opt->months;
    return (int)(((i + 1) * months + opt->rows - 1) / opt->rows - 1);
}

static uint64_t month_slots(const options_t *opt, int m)
{
    uint64_t n = month_start(opt, m + 1) - month_start(opt, m);
    return (n + slot_rows(opt) - 1) / slot_rows(opt);
}

/* Slots of the fullest month: every month gets at most one more row than
   another, so no month has more slots than this. */
static uint64_t max_slots(const options_t *opt)
{
    uint64_t per_month = (opt->rows + (uint64_t)opt->months - 1) / (uint64_t)opt->months;
    return (per_month + slot_rows(opt) - 1) / slot_rows(opt);
}

/* The entity of slot s of month m. Ascending in s, and distinct within a
   month as long as a month has no more slots than there are entities. */
static uint32_t entity_of(const options_t *opt, int m, uint64_t s)
{
    uint64_t e = opt->entities;
    if (opt->interleave) {
        uint64_t all = max_slots(opt) * (uint64_t)opt->months;
        return (uint32_t)((s * (uint64_t)opt->months + (uint64_t)m) * e / all);
    }
    return (uint32_t)(s * e / month_slots(opt, m));
}

/* The slot of entity e in month m, or NO_SLOT: entity_of's inverse, for
   writing the rows entity by entity. */
static uint64_t slot_of(const options_t *opt, int m, uint32_t entity)
{
    uint64_t e = opt->entities, slots = month_slots(opt, m), s;
    if (opt->interleave) {
        uint64_t months = (uint64_t)opt->months, all = max_slots(opt) * months;
        uint64_t g = ((uint64_t)entity * all + e - 1) / e; /* first slot of the entity */
        g += ((uint64_t)m + months - g % months) % months;  /* ... that falls in month m */
        if (g * e / all != entity)
            return NO_SLOT;
        s = (g - (uint64_t)m) / months;
    } else {
        s = ((uint64_t)entity * slots + e - 1) / e;
    }
    return s < slots && entity_of(opt, m, s) == entity ? s : NO_SLOT;
}

/* The tags of the k-th row of a slot, distinct within the slot. */
static combo_t combo_of(const options_t *opt, int m, uint32_t entity, uint64_t k)
{
    combo_t c;
    if (!opt->row_tags) {
        c.indicator = (int)(k / 2);
        c.collector = (int)(k % 2);
        c.industry = (int)(entity % (uint32_t)opt->industries);
        /* entity mod 9 is today's ledgers; another count could share a
           factor with the stride the entities are spread with and leave
           industries out, which a hash does not */
        if (opt->industries != NAMED_INDUSTRIES)
            c.industry = (int)(mix(entity) % (uint64_t)opt->industries);
        return c;
    }
    /* consecutive combinations: the indicator varies fastest, so that every
       slot covers each indicator twice; slot_rows <= all, so k's differ */
    uint64_t all = (uint64_t)opt->indicators * (uint64_t)opt->industries * ROW_COLLECTORS;
    uint64_t x = (k + mix(((uint64_t)entity << 16) ^ (uint64_t)m ^ 0x7A65ULL)) % all;
    c.indicator = (int)(x % (uint64_t)opt->indicators);
    x /= (uint64_t)opt->indicators;
    c.collector = (int)(x % ROW_COLLECTORS);
    c.industry = (int)(x / ROW_COLLECTORS);
    return c;
}

/* Writes row i of the month order. */
static void put_indexed_row(out_t *o, const options_t *opt, uint64_t i)
{
    int m = month_of(opt, i);
    uint64_t j = i - month_start(opt, m);
    uint64_t s = j / slot_rows(opt), k = j % slot_rows(opt);
    uint32_t entity = entity_of(opt, m, s);
    if (o->end - o->p < 512)
        out_flush(o);
    put_row(o, opt, m, entity, combo_of(opt, m, entity, k), mix(i));
}

/* ---- the orders ---- */

typedef struct feistel {
    int half;          /* bits of each half of the domain */
    uint64_t mask;
} feistel_t;

/* A bijection of [0, 4^half): four rounds of a Feistel network whose round
   function is mix(), keyed by the round. */
static uint64_t feistel(const feistel_t *f, uint64_t x)
{
    uint64_t l = x >> f->half, r = x & f->mask;
    for (uint64_t round = 1; round <= 4; round++) {
        uint64_t t = l ^ (mix(r ^ (round * 0xD1B54A32D192ED03ULL)) & f->mask);
        l = r;
        r = t;
    }
    return (l << f->half) | r;
}

/* The random order: position p holds row feistel(p), walked until it falls
   below rows (cycle walking keeps a bijection; the domain is under four
   times rows, so the walk is short). */
static void write_random(out_t *o, const options_t *opt)
{
    feistel_t f = { .half = 1 };
    while (f.half < 32 && (1ULL << (2 * f.half)) < opt->rows)
        f.half++;
    f.mask = (1ULL << f.half) - 1;
    for (uint64_t p = 0; p < opt->rows; p++) {
        uint64_t i = p;
        do
            i = feistel(&f, i);
        while (i >= opt->rows);
        put_indexed_row(o, opt, i);
    }
}

/* Entity by entity, each month's slot of that entity: O(entities × months)
   look-ups and no memory per row. */
static void write_by_entity(out_t *o, const options_t *opt)
{
    for (uint32_t e = 0; e < opt->entities; e++) {
        for (int m = 0; m < opt->months; m++) {
            uint64_t s = slot_of(opt, m, e);
            if (s == NO_SLOT)
                continue;
            uint64_t first = month_start(opt, m) + s * slot_rows(opt);
            uint64_t end = month_start(opt, m + 1);
            for (uint64_t i = first; i < end && i < first + slot_rows(opt); i++)
                put_indexed_row(o, opt, i);
        }
    }
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
    put(&o, opt->no_entity_column ? "period,indicator,value,unit,industry,collector"
                                  : "period,entity,indicator,value,unit,industry,collector");
    put(&o, opt->crlf ? "\r\n" : "\n");
    if (opt->order == ORDER_RANDOM)
        write_random(&o, opt);
    else if (opt->order == ORDER_ENTITY)
        write_by_entity(&o, opt);
    else
        for (uint64_t i = 0; i < opt->rows; i++)
            put_indexed_row(&o, opt, i);
    out_flush(&o);
    free(o.start);
    return ferror(stdout) || fflush(stdout) != 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: ledger-gen ROWS [--crlf] [--bom] [--entities N] [--interleave]\n"
            "         [--months N] [--indicators N] [--industries N] [--tags entity|row]\n"
            "         [--order month|entity|random] [--no-entity] [--no-entity-column]\n");
    return 2;
}

/* A number within [lo, hi] from argv[i + 1], or -1. */
static long long number_arg(int argc, char **argv, int i, long long lo, long long hi)
{
    char *end;
    if (i + 1 >= argc)
        return -1;
    long long v = strtoll(argv[i + 1], &end, 10);
    return *end || end == argv[i + 1] || v < lo || v > hi ? -1 : v;
}

/* Parses one option at argv[i]; returns how many arguments it took, 0 if
   it is not one. */
static int parse_option(options_t *opt, int argc, char **argv, int i)
{
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : "";
    long long n;
    if (strcmp(a, "--crlf") == 0)
        return opt->crlf = 1;
    if (strcmp(a, "--bom") == 0)
        return opt->bom = 1;
    if (strcmp(a, "--no-entity") == 0)
        return opt->no_entity = 1;
    if (strcmp(a, "--no-entity-column") == 0)
        return opt->no_entity_column = 1;
    if (strcmp(a, "--interleave") == 0)
        return opt->interleave = 1;
    if (strcmp(a, "--entities") == 0 && (n = number_arg(argc, argv, i, 1, 100000000)) > 0)
        return opt->entities = (uint32_t)n, 2;
    if (strcmp(a, "--months") == 0 && (n = number_arg(argc, argv, i, 1, MAX_MONTHS)) > 0)
        return opt->months = (int)n, 2;
    if (strcmp(a, "--indicators") == 0 && (n = number_arg(argc, argv, i, 1, MAX_INDICATORS)) > 0)
        return opt->indicators = (int)n, 2;
    if (strcmp(a, "--industries") == 0 && (n = number_arg(argc, argv, i, 1, MAX_INDUSTRIES)) > 0)
        return opt->industries = (int)n, 2;
    if (strcmp(a, "--tags") == 0 && (strcmp(v, "entity") == 0 || strcmp(v, "row") == 0))
        return opt->row_tags = strcmp(v, "row") == 0, 2;
    if (strcmp(a, "--order") == 0) {
        static const char *const names[] = { "month", "entity", "random" };
        for (int k = 0; k < 3; k++)
            if (strcmp(v, names[k]) == 0)
                return opt->order = (enum order)k, 2;
    }
    return 0;
}

int main(int argc, char **argv)
{
    options_t opt = { .entities = 50000, .months = 24, .indicators = MAX_INDICATORS,
                      .industries = NAMED_INDUSTRIES, .order = ORDER_MONTH };
    if (argc < 2)
        return usage();
    opt.rows = strtoull(argv[1], NULL, 10);
    for (int i = 2; i < argc;) {
        int took = parse_option(&opt, argc, argv, i);
        if (!took)
            return usage();
        i += took;
    }
    /* two slots of a month on one entity would repeat its series */
    if (max_slots(&opt) > opt.entities) {
        fprintf(stderr, "ledger-gen: at most %" PRIu64 " rows with %u entities (%" PRIu64
                " per entity and month, %d months)\n",
                (uint64_t)opt.entities * slot_rows(&opt) * (uint64_t)opt.months,
                opt.entities, slot_rows(&opt), opt.months);
        return 2;
    }
    return generate(&opt);
}
