/*
 * A source's ledgers: each file its path matches opened, converted to UTF-8
 * when its encoding says so, and read whole or, when large, in parts by two
 * threads (ledger_split.c).
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

static int read_whole(ps__cube_t *cube, int fd, const char *name,
                      const ps__ledger_opts_t *opts, ps__ledger_stats_t *stats,
                      ps__buf_t *err)
{
    reader_t r;
    ps__ledger_reader_init(&r, cube, name, opts, stats, err);
    ps__mapfile_t map;
    int mapped = ps__mapfile_open(&map, fd);
    ps__csv_t *csv = mapped > 0 ? ps__csv_new_mem(map.data, map.len, name)
                                : ps__csv_new(fd, name);
    r.map = mapped > 0 ? &map : NULL;
    int rc = csv ? ps__ledger_read_header(&r, csv) : PS_ENOMEM;
    if (rc >= 0)
        rc = ps__ledger_read_body(&r, csv);
    ps__csv_free(csv);
    ps__mapfile_close(&map);
    ps__ledger_reader_free(&r);
    return rc < 0 ? rc : 0;
}

int ps__ledger_read_fd(ps__cube_t *cube, int fd, const char *name,
                       const ps__ledger_opts_t *opts, ps__ledger_stats_t *stats,
                       ps__buf_t *err)
{
    int rc = ps__ledger_read_split(cube, fd, name, opts, stats);
    if (rc == 1)
        return 0;
    if (rc < 0) {
        ps__buf_printf(err, "%s: %s", name, ps_strerror(rc));
        return rc;
    }
    return read_whole(cube, fd, name, opts, stats, err);
}

static int read_file(ps__cube_t *cube, const char *path, const char *encoding,
                     const ps__ledger_opts_t *opts, ps__ledger_stats_t *stats,
                     ps__buf_t *err)
{
    int fd = ps__infile_open(path, err);
    if (fd < 0)
        return PS_EIO;
    if (encoding && !ps__is_utf8(encoding)) {
        int converted = ps__ledger_to_utf8(fd, encoding, path, err);
        close(fd);
        if (converted < 0)
            return PS_EPARSE;
        fd = converted;
    }
    int rc = ps__ledger_read_fd(cube, fd, path, opts, stats, err);
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
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < g.gl_pathc; i++)
        rc = read_file(cube, g.gl_pathv[i], src->encoding, opts, stats, err);
    globfree(&g);
    if (rc == 0 && opts->cumulative)
        rc = ps__cube_cumulative_to_flow(cube, opts->source);
    return rc;
}
