#include "config.h"

#include "ledger_impl.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <parkstat/error.h>

/*
 * A large ledger is read by two threads: the first from the header to a
 * line break near the middle, the second from there to the end, each into
 * its own scratch cube, then the second's cells are merged after the
 * first's. The split point is a guess (a line break may sit inside a quoted
 * field): it stands only if the first part's reader, which knows the
 * quoting, ends its last record exactly there. Anything the split cannot
 * reproduce exactly (a wrong guess, any row error or skipped row, a
 * duplicate or a possible overflow across the parts) sends the whole file
 * back to the single-threaded reader, whose first error by line is the one
 * reported. Each part maps the file privately: "" escapes are undone in
 * place, and the threads (and a fallback) must not see each other's edits.
 */

#define SPLIT_MIN_BYTES_DEFAULT (8u << 20)

typedef struct part {
    ps__mapfile_t map;
    ps__cube_t *cube;
    ps__csv_t *csv;
    reader_t r;
    ps__ledger_stats_t stats;
    ps__buf_t err;
    int rc;
} part_t;

/* Files smaller than this are read by one thread. PARKSTAT_SPLIT_MIN_BYTES
   overrides it, for tests that split small files. */
static size_t split_min_bytes(void)
{
    const char *env = getenv("PARKSTAT_SPLIT_MIN_BYTES");
    char *end;
    unsigned long long v = env && *env ? strtoull(env, &end, 10) : 0;
    return env && *env && !*end ? (size_t)v : SPLIT_MIN_BYTES_DEFAULT;
}

static int worth_splitting(int fd)
{
    struct stat st;
    if (sysconf(_SC_NPROCESSORS_ONLN) < 2 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
        return 0;
    size_t min = split_min_bytes();
    return st.st_size > 0 && (size_t)st.st_size >= (min ? min : 1);
}

static int part_open(part_t *p, int fd, const char *name, const ps__ledger_opts_t *opts)
{
    *p = (part_t){ .err = PS_BUF_INIT };
    if (ps__mapfile_open(&p->map, fd) <= 0)
        return PS_EIO;
    p->cube = ps__cube_new();
    p->csv = ps__csv_new_mem(p->map.data, p->map.len, name);
    ps__ledger_reader_init(&p->r, p->cube, name, opts, &p->stats, &p->err);
    p->r.map = &p->map;
    return p->cube && p->csv ? 0 : PS_ENOMEM;
}

static void part_close(part_t *p)
{
    ps__ledger_reader_free(&p->r);
    ps__csv_free(p->csv);
    ps__cube_free(p->cube);
    ps__mapfile_close(&p->map);
    ps__ledger_stats_free(&p->stats);
    ps__buf_free(&p->err);
}

/* The start of the line after the first line break at or after the middle
   of [from, len); 0 when there is none. */
static size_t middle_line(const ps__mapfile_t *m, size_t from)
{
    size_t mid = from + (m->len - from) / 2;
    const char *nl = memchr(m->data + mid, '\n', m->len - mid);
    return nl && (size_t)(nl - m->data) + 1 < m->len ? (size_t)(nl - m->data) + 1 : 0;
}

static void *read_body_thread(void *arg)
{
    part_t *p = arg;
    p->rc = ps__ledger_read_body(&p->r, p->csv);
    return NULL;
}

/* Both parts read cleanly, and the first ended where the second began. */
static int parts_agree(part_t *a, part_t *b, size_t split)
{
    return a->rc >= 0 && b->rc >= 0 && a->stats.skipped == 0 && b->stats.skipped == 0 &&
           ps__csv_offset(a->csv) == split;
}

static void add_stats(ps__ledger_stats_t *into, const ps__ledger_stats_t *a,
                      const ps__ledger_stats_t *b)
{
    into->rows += a->rows + b->rows;
    into->empty_values += a->empty_values + b->empty_values;
    ps_period_t last = a->last_period > b->last_period ? a->last_period : b->last_period;
    if (last > into->last_period)
        into->last_period = last;
}

/* Reads both parts; 1 when they agree, 0 to fall back, or PS_ENOMEM. */
static int read_parts(part_t *a, part_t *b)
{
    size_t body = ps__csv_offset(a->csv), split = middle_line(&a->map, body);
    if (!split || split <= body)
        return 0;
    ps__csv_restrict(a->csv, body, split, ps__csv_line(a->csv));
    ps__csv_restrict(b->csv, split, SIZE_MAX, 1);
    pthread_t second;
    if (pthread_create(&second, NULL, read_body_thread, b) != 0)
        return 0;
    a->rc = ps__ledger_read_body(&a->r, a->csv);
    pthread_join(second, NULL);
    if (a->rc == PS_ENOMEM || b->rc == PS_ENOMEM)
        return PS_ENOMEM;
    return parts_agree(a, b, split);
}

static int split_and_merge(ps__cube_t *cube, part_t *a, part_t *b,
                           const ps__ledger_opts_t *opts, ps__ledger_stats_t *stats)
{
    if (ps__ledger_read_header(&a->r, a->csv) < 0)
        return 0; /* the single-threaded reader says what is wrong */
    int rc = ps__ledger_copy_header(&b->r, &a->r);
    if (rc == 0)
        rc = read_parts(a, b);
    if (rc <= 0)
        return rc;
    /* the second part's lines count from the line its first record is on */
    rc = ps__cube_merge(a->cube, b->cube, (uint32_t)(ps__csv_line(a->csv) - 1));
    if (rc == PS_ENOMEM)
        return rc;
    if (rc < 0 || !ps__cube_can_merge(cube, a->cube, opts->source))
        return 0;
    if ((rc = ps__cube_merge(cube, a->cube, 0)) < 0)
        return rc == PS_ENOMEM ? rc : PS_EINVAL; /* can_merge said it could not fail */
    add_stats(stats, &a->stats, &b->stats);
    return 1;
}

int ps__ledger_read_split(ps__cube_t *cube, int fd, const char *name,
                          const ps__ledger_opts_t *opts, ps__ledger_stats_t *stats)
{
    if (!worth_splitting(fd))
        return 0;
    part_t a, b;
    int rc = part_open(&a, fd, name, opts);
    int rc_b = part_open(&b, fd, name, opts);
    if (rc == 0 && rc_b == 0)
        rc = split_and_merge(cube, &a, &b, opts, stats);
    else
        rc = rc == PS_ENOMEM || rc_b == PS_ENOMEM ? PS_ENOMEM : 0;
    part_close(&a);
    part_close(&b);
    return rc;
}
