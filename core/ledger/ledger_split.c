/*
 * A large ledger is read by two threads: the first from the header to a
 * line break near the middle, into the source's cube; the second from
 * there to the end, into a cube of its own, whose rows are then moved
 * after the first's (with its strings' ids translated). Rows are only
 * appended, so the halves cost the same whatever order their rows come in.
 *
 * The split point is a guess (a line break may sit inside a quoted field):
 * it stands only if the first half's reader, which knows the quoting, ends
 * its last record exactly there. Anything the split cannot reproduce
 * exactly (a wrong guess, any row error or skipped row, a unit that
 * differs between the halves) drops the first half's rows and sends the
 * whole file back to the single-threaded reader, whose first error by line
 * is the one reported. Each half maps the file privately: "" escapes are
 * undone in place, and the threads (and a fallback) must not see each
 * other's edits.
 */
#include "config.h"

#include "ledger/reader.h"

#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <parkstat/error.h>

#define SPLIT_MIN_BYTES_DEFAULT (8u << 20)

typedef struct half {
    size_t split;  /* the first half's: where the second begins */
    ps__mapfile_t map;
    ps__cube_t *cube;
    ps__csv_t *csv;
    reader_t r;
    ps__ledger_stats_t stats;
    ps__buf_t err;
    int rc;
} half_t;

/* PARKSTAT_SPLIT_MIN_BYTES overrides the size from which a file is split,
   for tests with small files. */
static size_t split_min_bytes(void)
{
    const char *env = getenv("PARKSTAT_SPLIT_MIN_BYTES");
    char *end;
    unsigned long long v = env && *env ? strtoull(env, &end, 10) : 0;
    return env && *env && !*end ? (size_t)(v ? v : 1) : SPLIT_MIN_BYTES_DEFAULT;
}

static int worth_splitting(int fd)
{
    struct stat st;
    if (sysconf(_SC_NPROCESSORS_ONLN) < 2 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
        return 0;
    return st.st_size > 0 && (size_t)st.st_size >= split_min_bytes();
}

/* A half reading into `cube`, or into a cube of its own when NULL. */
static int half_open(half_t *h, int fd, ps__cube_t *cube, const char *name,
                     const ps__ledger_opts_t *opts)
{
    *h = (half_t){ .err = PS_BUF_INIT };
    if (ps__mapfile_open(&h->map, fd) <= 0)
        return -1;
    h->cube = cube ? cube : ps__cube_new();
    h->csv = ps__csv_new_mem(h->map.data, h->map.len, name);
    ps__ledger_reader_init(&h->r, h->cube, name, opts, &h->stats, &h->err);
    h->r.map = &h->map;
    h->r.fd = fd;
    return h->cube && h->csv ? 0 : -1;
}

static void half_close(half_t *h, const ps__cube_t *shared)
{
    ps__ledger_reader_free(&h->r);
    ps__csv_free(h->csv);
    if (h->cube != shared)
        ps__cube_free(h->cube);
    ps__mapfile_close(&h->map);
    ps__ledger_stats_free(&h->stats);
    ps__buf_free(&h->err);
}

/* The start of the line after the first line break at or after `at`,
   before `end`; 0 when there is none. */
static size_t line_after(const ps__mapfile_t *m, size_t at, size_t end)
{
    const char *nl = memchr(m->data + at, '\n', end - at);
    return nl && (size_t)(nl - m->data) + 1 < end ? (size_t)(nl - m->data) + 1 : 0;
}

/* The first half's header, and a line break near the middle of the rest
   for the split; both read the mapping, so the reader's guard covers them
   (the half is found from its reader). */
static int read_header_and_split(reader_t *r, ps__csv_t *csv)
{
    half_t *a = (half_t *)(void *)((char *)r - offsetof(half_t, r));
    int rc = ps__ledger_read_header(r, csv);
    if (rc < 0)
        return rc;
    size_t body = ps__csv_offset(csv);
    a->split = line_after(&a->map, body + (a->map.len - body) / 2, a->map.len);
    return a->split > body ? 0 : 1; /* none: read in one part */
}

/* Reads a half's body and gives its pages of the file back: its rows hold
   what they need. */
static void *read_half(void *arg)
{
    half_t *h = arg;
    h->rc = ps__ledger_read_guarded(&h->r, h->csv, ps__ledger_read_body);
    ps__mapfile_release_all(&h->map);
    return NULL;
}

static void add_stats(ps__ledger_stats_t *into, const ps__ledger_stats_t *half)
{
    into->rows += half->rows;
    into->empty_values += half->empty_values;
    if (half->last_period > into->last_period)
        into->last_period = half->last_period;
}

/* Both halves read cleanly and met at the split: the second's rows after
   the first's. 1, 0 to fall back, PS_EIO when the file shrank under a
   half (read again, it would only be read shorter), or PS_ENOMEM. */
static int join(half_t *a, half_t *b, size_t split)
{
    for (half_t *h = a; h; h = h == a ? b : NULL)
        if (h->rc == PS_ENOMEM || h->r.lost_pages)
            return h->rc;
    if (a->rc < 0 || b->rc < 0 || a->stats.skipped || b->stats.skipped ||
        ps__csv_offset(a->csv) != split)
        return 0;
    uint32_t base = a->r.line_base + (uint32_t)(ps__csv_line(a->csv) - 1);
    int rc = ps__cube_merge(a->cube, b->cube, base);
    return rc == 0 ? 1 : rc == PS_ENOMEM ? rc : 0;
}

/* Reads the halves in two threads, a's header read. */
static int read_halves(half_t *a, half_t *b, int fd, const char *name,
                       const ps__ledger_opts_t *opts, unsigned long *lines)
{
    size_t body = ps__csv_offset(a->csv), split = a->split;
    if (half_open(b, fd, NULL, name, opts) < 0 || ps__ledger_copy_header(&b->r, &a->r) < 0)
        return 0;
    if (b->map.len != a->map.len) /* cut or grown since a mapped it */
        return PS_EIO;
    ps__csv_restrict(a->csv, body, split, ps__csv_line(a->csv));
    ps__csv_restrict(b->csv, split, b->map.len, 1);
    pthread_t second;
    if (pthread_create(&second, NULL, read_half, b) != 0)
        return 0;
    read_half(a);
    pthread_join(second, NULL);
    int rc = join(a, b, split);
    *lines = ps__csv_line(a->csv) - 1 + ps__csv_line(b->csv) - 1;
    return rc;
}

int ps__ledger_read_split(ps__cube_t *cube, int fd, const char *name,
                          const ps__ledger_opts_t *opts, uint32_t line_base,
                          ps__ledger_stats_t *stats, unsigned long *lines)
{
    if (!worth_splitting(fd))
        return 0;
    size_t before = ps__cube_checkpoint(cube);
    half_t a, b = { .err = PS_BUF_INIT };
    int rc = half_open(&a, fd, cube, name, opts);
    a.r.line_base = line_base;
    if (rc == 0 && ps__ledger_read_guarded(&a.r, a.csv, read_header_and_split) == 0)
        rc = read_halves(&a, &b, fd, name, opts, lines);
    else /* the single-threaded reader says what is wrong */
        rc = a.r.lost_pages ? PS_EIO : 0;
    if (rc == 1) {
        add_stats(stats, &a.stats);
        add_stats(stats, &b.stats);
        stats->parts = 2;
    } else {
        ps__cube_truncate(cube, before);
    }
    half_close(&b, cube);
    half_close(&a, cube);
    return rc;
}
