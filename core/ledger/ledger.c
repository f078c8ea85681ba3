/*
 * A source's ledgers: each file its path matches opened, converted to UTF-8
 * when its encoding says so, and read whole or, when large, in two parts
 * by two threads (ledger_split.c); then the source is sealed, which finds
 * an entity's duplicate rows and sums that overflow, across all its files.
 */
#include "config.h"

#include "ledger/ledger.h"

#include <glob.h>
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
} source_read_t;

static int read_whole(reader_t *r, int fd)
{
    ps__mapfile_t map;
    int mapped = ps__mapfile_open(&map, fd);
    ps__csv_t *csv = mapped > 0 ? ps__csv_new_mem(map.data, map.len, r->name)
                                : ps__csv_new(fd, r->name);
    r->map = mapped > 0 ? &map : NULL;
    int rc = csv ? ps__ledger_read_header(r, csv) : PS_ENOMEM;
    if (rc >= 0)
        rc = ps__ledger_read_body(r, csv);
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
        rc = read_whole(&r, fd);
        lines = r.line;
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

static void fault_message(const source_read_t *sr, ps__buf_t *b, int code,
                          const ps__cell_key_t *key, uint32_t line, uint32_t first)
{
    const ps__intern_t *strings = ps__cube_strings(sr->cube);
    const char *indicator = ps__intern_str(strings, key->indicator);
    uint32_t at, first_at;
    const char *name = file_of(sr, line, &at); /* a left-out row is a new one */
    ps__buf_printf(b, "%s:%u: ", name ? name : "?", name ? at : line);
    if (code == PS_EOVERFLOW) {
        ps__buf_printf(b, "the sum of indicator '%s' overflows", indicator);
        return;
    }
    const char *first_name = file_of(sr, first, &first_at);
    ps__buf_printf(b, "entity '%s' already reported indicator '%s' for %04d-%02d with "
                   "the same tags (", ps__intern_str(strings, key->entity), indicator,
                   ps_period_year(key->period), ps_period_month(key->period));
    if (!first_name)
        ps__buf_puts(b, "in a ledger read before)");
    else if (first_name != name)
        ps__buf_printf(b, "%s:%u)", first_name, first_at);
    else
        ps__buf_printf(b, "line %u)", first_at);
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

int ps__ledger_read_fd(ps__cube_t *cube, int fd, const char *name,
                       const ps__ledger_opts_t *opts, ps__ledger_stats_t *stats,
                       ps__buf_t *err)
{
    source_read_t sr = source_read(cube, opts, stats, err);
    int rc = seal_source(&sr, read_one(&sr, fd, name));
    source_read_free(&sr);
    return rc;
}

static int read_file(source_read_t *sr, const char *path, const char *encoding)
{
    int fd = ps__infile_open(path, sr->err);
    if (fd < 0)
        return PS_EIO;
    if (encoding && !ps__is_utf8(encoding)) {
        int converted = ps__ledger_to_utf8(fd, encoding, path, sr->err);
        close(fd);
        if (converted < 0)
            return PS_EPARSE;
        fd = converted;
    }
    int rc = read_one(sr, fd, path);
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
