/*
 * A source's ledgers: each file its path matches opened, converted to UTF-8
 * when its encoding says so, and read whole or, when large, in two parts
 * by two threads (ledger_split.c); then the source is sealed, which finds
 * an entity's duplicate rows and sums that overflow, across all its files.
 */
#include "config.h"

#include "ledger/ledger.h"

#include <glob.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <parkstat/error.h>

#include "base/infile.h"
#include "ledger/csv.h"
#include "base/errors.h"
#include "ledger/reader.h"
#include "base/mapfile.h"

/* A source being read: its files so far, to name a line counted across
   them, and the first row its sealing left out. */
typedef struct source_read {
    ps__cube_t *cube;
    const ps__ledger_opts_t *opts;
    ps__ledger_stats_t *stats;
    ps__buf_t *err;
    struct ledger_file {
        const char *name;
        uint32_t base;        /* the lines of the files before it */
    } *files;
    size_t nfiles;
    uint32_t lines;           /* the lines of every file read */
    uint32_t error_line;      /* the line of the reader's error; 0: none */
    int fault;                /* the first row left out, unless skipped */
    uint32_t fault_line, fault_first;
    ps__cell_key_t fault_key;
    int fault_rc;             /* PS_ENOMEM while keeping a skipped row */
    int lost_pages;           /* the file shrank under the reader (SIGBUS) */
} source_read_t;

static int read_header_and_body(reader_t *r, ps__csv_t *csv)
{
    int rc = ps__ledger_read_header(r, csv);
    return rc < 0 ? rc : ps__ledger_read_body(r, csv);
}

static int read_whole(reader_t *r, int fd)
{
    ps__mapfile_t map;
    int mapped = ps__mapfile_open(&map, fd);
    ps__csv_t *csv = mapped > 0 ? ps__csv_new_mem(map.data, map.len, r->name)
                                : ps__csv_new(fd, r->name);
    r->map = mapped > 0 ? &map : NULL;
    int rc = csv ? ps__ledger_read_guarded(r, csv, read_header_and_body) : PS_ENOMEM;
    ps__csv_free(csv);
    ps__mapfile_close(&map);
    return rc < 0 ? rc : 0;
}

/* Reads one file into the source's rows, unsealed. */
static int read_one(source_read_t *sr, int fd, const char *name)
{
    struct ledger_file *files = realloc(sr->files, (sr->nfiles + 1) * sizeof *files);
    if (!files)
        return PS_ENOMEM;
    sr->files = files;
    files[sr->nfiles++] = (struct ledger_file){ name, sr->lines };
    unsigned long lines = 0;
    int rc = ps__ledger_read_split(sr->cube, fd, name, sr->opts, sr->lines, sr->stats, &lines);
    sr->lost_pages = rc == PS_EIO;
    if (rc < 0) {
        ps__buf_printf(sr->err, "%s: %s", name, ps_strerror(rc));
        return rc;
    }
    if (rc == 1) {
        rc = 0;
    } else {
        reader_t r;
        ps__ledger_reader_init(&r, sr->cube, name, sr->opts, sr->stats, sr->err);
        r.line_base = sr->lines;
        r.fd = fd;
        rc = read_whole(&r, fd);
        lines = r.line;
        sr->lost_pages = r.lost_pages;
        if (rc < 0)
            sr->error_line = sr->lines + (uint32_t)r.line;
        ps__ledger_reader_free(&r);
    }
    sr->lines += (uint32_t)lines;
    return rc;
}

/* The file of a line counted across the source's files, and its line
   there; NULL for a row of an earlier read into the cube. */
static const char *file_of(const source_read_t *sr, uint32_t line, uint32_t *local)
{
    size_t k = sr->nfiles;
    while (k > 0 && sr->files[k - 1].base >= line)
        k--;
    if (k == 0)
        return NULL;
    *local = line - sr->files[k - 1].base;
    return sr->files[k - 1].name;
}

/* Where the earlier row on `first` is, seen from the row in file `name`:
   AT "line 2", AT "a.csv:2", or "in a ledger read before". */
static void earlier_row(const source_read_t *sr, ps__buf_t *b, const char *name,
                        uint32_t first, const char *at)
{
    uint32_t first_at;
    const char *first_name = file_of(sr, first, &first_at);
    if (!first_name)
        ps__buf_puts(b, "in a ledger read before");
    else if (first_name != name)
        ps__buf_printf(b, "%s%s:%u", at, first_name, first_at);
    else
        ps__buf_printf(b, "%sline %u", at, first_at);
}

/* The sum of a key's rows without entity went past what a figure holds:
   the source, and the rows, are named, as one of them is mistyped. */
static void overflow_message(const source_read_t *sr, ps__buf_t *b, const char *name,
                             const char *indicator, const ps__cell_key_t *key,
                             uint32_t first)
{
    const char *unit = ps__cube_unit(sr->cube, key->indicator);
    ps__buf_printf(b, "the sum of indicator '%s' for %04d-%02d in [%s] overflows: this "
                   "row and the earlier rows without entity of that month and tags (the "
                   "first ", indicator, ps_period_year(key->period),
                   ps_period_month(key->period),
                   sr->opts->section ? sr->opts->section : "source.NAME");
    earlier_row(sr, b, name, first, "at ");
    ps__buf_printf(b, ") add up past %" PRId64 ".%04" PRId64 "%s%s", INT64_MAX / PS_SCALE,
                   INT64_MAX % PS_SCALE, unit ? " " : "", unit ? unit : "");
}

static void fault_message(const source_read_t *sr, ps__buf_t *b, int code,
                          const ps__cell_key_t *key, uint32_t line, uint32_t first)
{
    const ps__intern_t *strings = ps__cube_strings(sr->cube);
    const char *indicator = ps__intern_str(strings, key->indicator);
    uint32_t at;
    const char *name = file_of(sr, line, &at); /* a left-out row is a new one */
    ps__buf_printf(b, "%s:%u: ", name ? name : "?", name ? at : line);
    if (code == PS_EOVERFLOW) {
        overflow_message(sr, b, name, indicator, key, first);
        return;
    }
    ps__buf_printf(b, "entity '%s' already reported indicator '%s' for %04d-%02d with "
                   "the same tags (", ps__intern_str(strings, key->entity), indicator,
                   ps_period_year(key->period), ps_period_month(key->period));
    earlier_row(sr, b, name, first, "");
    ps__buf_puts(b, ")");
}

/* A row the seal left out: skipped, or the first by line kept as the error. */
static void on_fault(void *arg, int code, const ps__cell_key_t *key, uint32_t line,
                     uint32_t first)
{
    source_read_t *sr = arg;
    if (sr->opts->skip_bad_rows) {
        ps__buf_t msg = PS_BUF_INIT;
        fault_message(sr, &msg, code, key, line, first);
        if (ps__ledger_keep_skip(sr->stats, line, ps__buf_str(&msg)) < 0)
            sr->fault_rc = PS_ENOMEM;
        ps__buf_free(&msg);
        sr->stats->rows--;
        return;
    }
    if (!sr->fault || line < sr->fault_line) {
        sr->fault = code;
        sr->fault_line = line;
        sr->fault_first = first;
        sr->fault_key = *key;
    }
}

/* Seals the source's rows. A row the seal leaves out before the reader's
   error, or without one, is the source's error: rows are refused in the
   order of their lines. */
static int seal_source(source_read_t *sr, int rc)
{
    if (rc == PS_ENOMEM)
        return rc;
    ps__cube_seal(sr->cube, on_fault, sr);
    if (sr->fault_rc < 0)
        return sr->fault_rc;
    if (sr->fault && (rc == 0 || sr->fault_line < sr->error_line)) {
        ps__buf_reset(sr->err);
        fault_message(sr, sr->err, sr->fault, &sr->fault_key, sr->fault_line,
                      sr->fault_first);
        return sr->fault;
    }
    if (rc == 0 && sr->opts->cumulative)
        rc = ps__cube_cumulative_to_flow(sr->cube, sr->opts->source);
    return rc;
}

static source_read_t source_read(ps__cube_t *cube, const ps__ledger_opts_t *opts,
                                 ps__ledger_stats_t *stats, ps__buf_t *err)
{
    return (source_read_t){ .cube = cube, .opts = opts, .stats = stats, .err = err,
                            .lines = ps__cube_max_line(cube) };
}

static void source_read_free(source_read_t *sr)
{
    free(sr->files);
}

/*
 * The file open on fd, read (as `read_fd`, converted or not), is refused
 * if it changed meanwhile: whatever its rows said, they may be cut or half
 * old, and the error, if any, replaces theirs. A mapped file that lost
 * pages without changing had them taken by an I/O error.
 */
static int refuse_changed(source_read_t *sr, int rc, const ps__infile_stamp_t *was,
                          int fd, const char *path, const char *name)
{
    if (rc == PS_ENOMEM)
        return rc;
    ps__buf_t why = PS_BUF_INIT;
    int changed = ps__infile_unchanged(was, fd, path, name, &why) < 0;
    if (changed || sr->lost_pages) {
        ps__buf_reset(sr->err);
        if (changed)
            ps__buf_puts(sr->err, ps__buf_str(&why));
        else
            ps__buf_printf(sr->err, "%s: cannot be read: %s", name, ps_strerror(PS_EIO));
        sr->error_line = 0; /* before any row the seal would name */
        rc = PS_EIO;
    }
    ps__buf_free(&why);
    return rc;
}

/* Reads the file open on fd (a path's, when `path` is set) into the source. */
static int read_stamped(source_read_t *sr, int fd, const char *path, const char *name,
                        const char *encoding)
{
    ps__infile_stamp_t was;
    if (ps__infile_check(fd, name, sr->err) < 0 || ps__infile_stamp(fd, &was) < 0)
        return PS_EIO;
    int rc, converted = -1;
    if (encoding && !ps__is_utf8(encoding)) {
        converted = ps__ledger_to_utf8(fd, encoding, name, sr->err);
        rc = converted < 0 ? PS_EPARSE : read_one(sr, converted, name);
    } else {
        rc = read_one(sr, fd, name);
    }
    if (converted >= 0)
        close(converted);
    return refuse_changed(sr, rc, &was, fd, path, name);
}

int ps__ledger_read_fd(ps__cube_t *cube, int fd, const char *name,
                       const ps__ledger_opts_t *opts, ps__ledger_stats_t *stats,
                       ps__buf_t *err)
{
    source_read_t sr = source_read(cube, opts, stats, err);
    int rc = read_stamped(&sr, fd, NULL, name, NULL);
    if (sr.nfiles) /* a file refused before reading has no rows */
        rc = seal_source(&sr, rc);
    source_read_free(&sr);
    return rc;
}

static int read_file(source_read_t *sr, const char *path, const char *encoding)
{
    int fd = ps__infile_open(path, sr->err);
    if (fd < 0)
        return PS_EIO;
    int rc = read_stamped(sr, fd, path, path, encoding);
    close(fd);
    return rc;
}

int ps__ledger_read_source(ps__cube_t *cube, const ps__source_t *src,
                           const ps__ledger_opts_t *opts, ps__ledger_stats_t *stats,
                           ps__buf_t *err)
{
    glob_t g;
    int grc = glob(src->pattern, GLOB_ERR, NULL, &g);
    if (grc != 0) {
        ps__buf_printf(err, "[source.%s] path '%s' matches no file", src->name,
                       src->pattern);
        if (grc != GLOB_NOMATCH)
            globfree(&g);
        return PS_ENOENT;
    }
    source_read_t sr = source_read(cube, opts, stats, err);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < g.gl_pathc; i++)
        rc = read_file(&sr, g.gl_pathv[i], src->encoding);
    if (sr.nfiles) /* a file that could not be opened has no rows */
        rc = seal_source(&sr, rc);
    source_read_free(&sr);
    globfree(&g);
    return rc;
}
