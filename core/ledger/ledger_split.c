#include "config.h"

#include "ledger/reader.h"

#include "ledger/handover.h"
#include "ledger/merge_order.h"

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
 *
 * The halves seldom take the same time (handover.h says why): the thread
 * that finishes first takes over the second half of what the other has
 * left, as a part of its own, while that is worth it. The parts are then
 * merged, each after the ones before it, in the order merge_order.h gives.
 */

#define SPLIT_MIN_BYTES_DEFAULT (8u << 20)
/* At most this many parts: the two halves, and the rests handed over. */
#define MAX_PARTS 8
/* A rest is shared only when the reader has at least this much left: a
   part costs a cube of its own (every series in it created again) and a
   merge, worth it only for a few tenths of a second of reading. */
#define SHARE_MIN_BYTES_DEFAULT (64u << 20)

typedef struct part {
    ps__mapfile_t map;
    ps__cube_t *cube;
    ps__csv_t *csv;
    reader_t r;
    ps__ledger_stats_t stats;
    ps__buf_t err;
    int rc;
    size_t from;              /* its first record's offset */
    ps__handover_t handover;  /* its end, which an idle thread may share */
} part_t;

/* The parts of one file and the two threads reading them. */
typedef struct split {
    int fd;
    const char *name;
    const ps__ledger_opts_t *opts;
    const reader_t *header;       /* the first part's reader, which read it */
    pthread_mutex_t lock;         /* guards parts, n and reading */
    part_t *parts[MAX_PARTS];     /* in the order they were made */
    size_t n;
    part_t *reading[2];           /* each thread's part */
} split_t;

/* The environment variable `name` overrides a threshold in bytes, for tests
   with small files: PARKSTAT_SPLIT_MIN_BYTES, PARKSTAT_SHARE_MIN_BYTES. */
static size_t bytes_setting(const char *name, size_t fallback)
{
    const char *env = getenv(name);
    char *end;
    unsigned long long v = env && *env ? strtoull(env, &end, 10) : 0;
    return env && *env && !*end ? (size_t)v : fallback;
}

static int worth_splitting(int fd)
{
    struct stat st;
    if (sysconf(_SC_NPROCESSORS_ONLN) < 2 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
        return 0;
    size_t min = bytes_setting("PARKSTAT_SPLIT_MIN_BYTES", SPLIT_MIN_BYTES_DEFAULT);
    return st.st_size > 0 && (size_t)st.st_size >= (min ? min : 1);
}

static void part_checkpoint(reader_t *r, ps__csv_t *csv);

static part_t *part_open(const split_t *s)
{
    part_t *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->err = (ps__buf_t)PS_BUF_INIT;
    if (ps__mapfile_open(&p->map, s->fd) <= 0) {
        free(p);
        return NULL;
    }
    p->cube = ps__cube_new();
    p->csv = ps__csv_new_mem(p->map.data, p->map.len, s->name);
    ps__ledger_reader_init(&p->r, p->cube, s->name, s->opts, &p->stats, &p->err);
    p->r.map = &p->map;
    p->r.checkpoint = part_checkpoint;
    p->r.checkpoint_arg = p;
    return p;
}

static void part_close(part_t *p)
{
    if (!p)
        return;
    ps__ledger_reader_free(&p->r);
    ps__csv_free(p->csv);
    ps__cube_free(p->cube);
    ps__mapfile_close(&p->map);
    ps__ledger_stats_free(&p->stats);
    ps__buf_free(&p->err);
    free(p);
}

/* A part with the header's columns, its range still to set; NULL when it
   cannot be made (the whole part is then read by its first reader). */
static part_t *part_with_header(const split_t *s)
{
    part_t *p = part_open(s);
    if (!p || !p->cube || !p->csv || ps__ledger_copy_header(&p->r, s->header) < 0) {
        part_close(p);
        return NULL;
    }
    return p;
}

/* p reads [from, end), its lines counted from `line`. */
static void part_range(part_t *p, size_t from, size_t end, unsigned long line)
{
    p->from = from;
    ps__csv_restrict(p->csv, from, end, line);
    ps__handover_init(&p->handover, from, end);
}

/* The start of the line after the first line break at or after `at`,
   before `end`; 0 when there is none. */
static size_t line_after(const ps__mapfile_t *m, size_t at, size_t end)
{
    const char *nl = memchr(m->data + at, '\n', end - at);
    return nl && (size_t)(nl - m->data) + 1 < end ? (size_t)(nl - m->data) + 1 : 0;
}

/* The reader of a part, every few thousand records: it may hand the rest
   over, and then stops where the asker's part begins. */
static void part_checkpoint(reader_t *r, ps__csv_t *csv)
{
    part_t *p = r->checkpoint_arg;
    size_t at = ps__csv_offset(csv), end;
    if (ps__handover_checkpoint(&p->handover, at, &end))
        ps__csv_restrict(csv, at, end, ps__csv_line(csv));
}

/* A thread done with its part asks the other thread for the second half of
   what it has left, when that is worth a part; the new part, or NULL. */
static part_t *share_rest(split_t *s, int self)
{
    pthread_mutex_lock(&s->lock);
    part_t *other = s->n < MAX_PARTS ? s->reading[!self] : NULL;
    pthread_mutex_unlock(&s->lock);
    if (!other)
        return NULL;
    size_t reached = ps__handover_reached(&other->handover);
    size_t end = ps__handover_end(&other->handover);
    if (end <= reached ||
        end - reached < bytes_setting("PARKSTAT_SHARE_MIN_BYTES", SHARE_MIN_BYTES_DEFAULT))
        return NULL;
    /* the cut is looked for in the new part's own mapping: the other
       thread may be undoing escapes in place in its own */
    part_t *p = part_with_header(s);
    size_t cut = p ? line_after(&p->map, reached + (end - reached) / 2, end) : 0, rest_end;
    if (!cut || !ps__handover_ask(&other->handover, cut, &rest_end)) {
        part_close(p);
        return NULL;
    }
    part_range(p, cut, rest_end, 1);
    pthread_mutex_lock(&s->lock);
    s->parts[s->n++] = p;
    s->reading[self] = p;
    pthread_mutex_unlock(&s->lock);
    return p;
}

/* A thread's work: its part, then shares of the other's while worth it.
   A part read gives its pages of the file back at once: the cube holds
   what it needs, and a share's part maps its own while this one waits to
   be merged, which would otherwise add a window of pages to the peak. */
static void read_and_share(split_t *s, int self, part_t *p)
{
    for (; p; p = p->rc < 0 ? NULL : share_rest(s, self)) {
        p->rc = ps__ledger_read_body(&p->r, p->csv);
        ps__handover_finish(&p->handover);
        ps__mapfile_release_all(&p->map);
    }
}

typedef struct second {
    split_t *s;
    part_t *p;
} second_t;

static void *second_thread(void *arg)
{
    second_t *t = arg;
    read_and_share(t->s, 1, t->p);
    return NULL;
}

static int by_offset(const void *a, const void *b)
{
    const part_t *x = *(part_t *const *)a, *y = *(part_t *const *)b;
    return x->from < y->from ? -1 : x->from > y->from;
}

/* Every part read cleanly, each but the last ended where the next begins. */
static int parts_agree(part_t **parts, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        const part_t *p = parts[k];
        if (p->rc < 0 || p->stats.skipped ||
            (k + 1 < n && ps__csv_offset(p->csv) != parts[k + 1]->from))
            return 0;
    }
    return 1;
}

/* Reads the halves in two threads; 1 when every part agrees (parts in file
   order), 0 to fall back, or PS_ENOMEM. */
static int read_parts(split_t *s, part_t *a)
{
    size_t body = ps__csv_offset(a->csv);
    size_t split = line_after(&a->map, body + (a->map.len - body) / 2, a->map.len);
    part_t *b = split > body ? part_with_header(s) : NULL;
    if (!b)
        return 0;
    part_range(a, body, split, ps__csv_line(a->csv));
    part_range(b, split, a->map.len, 1);
    s->parts[s->n++] = b;
    s->reading[0] = a;
    s->reading[1] = b;
    pthread_t second;
    second_t arg = { s, b };
    if (pthread_create(&second, NULL, second_thread, &arg) != 0)
        return 0;
    read_and_share(s, 0, a);
    pthread_join(second, NULL);
    qsort(s->parts, s->n, sizeof *s->parts, by_offset);
    for (size_t k = 0; k < s->n; k++)
        if (s->parts[k]->rc == PS_ENOMEM)
            return PS_ENOMEM;
    return parts_agree(s->parts, s->n);
}

/* Each part's cells after the ones before it, into the first part's cube,
   in the order merge_order.h gives. A part's lines count from its first:
   a merge's line base is the number of lines from the start of the part
   merged into to the start of the part merged. */
static int merge_parts(part_t **parts, size_t n)
{
    unsigned long base[MAX_PARTS] = { 0 }; /* the file's line before each */
    size_t bytes[MAX_PARTS];
    ps__merge_step_t steps[MAX_PARTS];
    for (size_t k = 0; k < n; k++) {
        base[k] = k ? base[k - 1] + ps__csv_line(parts[k - 1]->csv) - 1 : 0;
        bytes[k] = ps__csv_offset(parts[k]->csv) - parts[k]->from;
    }
    ps__merge_order(bytes, n, steps);
    for (size_t i = 0; i + 1 < n; i++) {
        size_t from = steps[i].from, into = steps[i].into;
        int rc = ps__cube_merge(parts[into]->cube, parts[from]->cube,
                                (uint32_t)(base[from] - base[into]));
        if (rc < 0)
            return rc;
    }
    return 0;
}

static void add_stats(ps__ledger_stats_t *into, const ps__ledger_stats_t *part)
{
    into->rows += part->rows;
    into->empty_values += part->empty_values;
    if (part->last_period > into->last_period)
        into->last_period = part->last_period;
}

static int split_and_merge(ps__cube_t *cube, split_t *s, part_t *a,
                           ps__ledger_stats_t *stats)
{
    if (ps__ledger_read_header(&a->r, a->csv) < 0)
        return 0; /* the single-threaded reader says what is wrong */
    s->header = &a->r;
    s->parts[s->n++] = a;
    int rc = read_parts(s, a);
    if (rc <= 0)
        return rc;
    if ((rc = merge_parts(s->parts, s->n)) == PS_ENOMEM)
        return rc;
    part_t *first = s->parts[0];
    if (rc < 0 || !ps__cube_can_merge(cube, first->cube, s->opts->source))
        return 0;
    if ((rc = ps__cube_merge(cube, first->cube, 0)) < 0)
        return rc == PS_ENOMEM ? rc : PS_EINVAL; /* can_merge said it could not fail */
    for (size_t k = 0; k < s->n; k++)
        add_stats(stats, &s->parts[k]->stats);
    if (s->n > stats->parts)
        stats->parts = s->n;
    return 1;
}

int ps__ledger_read_split(ps__cube_t *cube, int fd, const char *name,
                          const ps__ledger_opts_t *opts, ps__ledger_stats_t *stats)
{
    if (!worth_splitting(fd))
        return 0;
    split_t s = { .fd = fd, .name = name, .opts = opts };
    part_t *a = part_open(&s);
    if (!a)
        return 0; /* the single-threaded reader says what is wrong */
    pthread_mutex_init(&s.lock, NULL);
    int rc = a->cube && a->csv ? split_and_merge(cube, &s, a, stats) : PS_ENOMEM;
    if (!s.n) /* a is listed once it has read the header */
        part_close(a);
    for (size_t k = 0; k < s.n; k++)
        part_close(s.parts[k]);
    pthread_mutex_destroy(&s.lock);
    return rc;
}
