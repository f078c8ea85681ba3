#include "config.h"

#include "render/publish.h"

#include <stdio.h>

#include <parkstat/error.h>

#include "config/conf.h"
#include "base/errors.h"
#include "base/output.h"
#include "base/output_set.h"

static const struct renderer {
    unsigned format;
    const char *extension;
    ps__render_fn *render;
} renderers[] = {
    { PS_FORMAT_TEXT, "txt", ps__render_text },
    { PS_FORMAT_JSON, "json", ps__render_json },
    { PS_FORMAT_HTML, "html", ps__render_html },
    { PS_FORMAT_CSV, "csv", ps__render_csv },
    { PS_FORMAT_PROM, "prom", ps__render_prom },
    { PS_FORMAT_XLSX, "xlsx", ps__render_xlsx },
};

#define N_RENDERERS (sizeof renderers / sizeof renderers[0])

static int render_all(const ps__report_t *r, unsigned formats,
                      const ps__render_opts_t *opts, ps__buf_t *out, ps__buf_t *err)
{
    for (size_t i = 0; i < N_RENDERERS; i++) {
        if (!(formats & renderers[i].format))
            continue;
        ps__buf_t why = PS_BUF_INIT;
        int rc = renderers[i].render(&out[i], r, opts, &why);
        if (rc == 0 && out[i].failed)
            rc = PS_ENOMEM;
        if (rc < 0)
            ps__buf_printf(err, "rendering %s: %s", renderers[i].extension,
                           why.len ? ps__buf_str(&why) : ps_strerror(rc));
        ps__buf_free(&why);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* Standard output: every format, one after another. */
static int write_stdout(unsigned formats, const ps__buf_t *out, ps__buf_t *err)
{
    for (size_t i = 0; i < N_RENDERERS; i++)
        if ((formats & renderers[i].format) && ps__output_stdout(out[i].data, out[i].len, err) < 0)
            return -1;
    return 0;
}

/* A directory: the month's formats as one set, switched at once. Every
   format is named, so that one this run does not write keeps its current
   version. */
static int write_set(const ps__report_t *r, unsigned formats, const char *dir,
                     const ps__buf_t *out, ps__buf_t *err)
{
    char stem[32], names[N_RENDERERS][48];
    ps__output_file_t files[N_RENDERERS];
    snprintf(stem, sizeof stem, "report-%04d-%02d", ps_period_year(r->period),
             ps_period_month(r->period));
    for (size_t i = 0; i < N_RENDERERS; i++) {
        snprintf(names[i], sizeof names[i], "%s.%s", stem, renderers[i].extension);
        int wanted = (formats & renderers[i].format) != 0;
        files[i] = (ps__output_file_t){ names[i], wanted ? out[i].data : NULL,
                                        wanted ? out[i].len : 0 };
        if (wanted && !files[i].data) /* an empty rendering is still a file */
            files[i].data = "";
    }
    ps__output_set_t set = { dir, stem, "report-", files, N_RENDERERS };
    return ps__output_set_publish(&set, err) < 0 ? -1 : 0;
}

enum destination { TO_NOWHERE, TO_STDOUT, TO_DIR };

static int render_to(const ps__report_t *r, unsigned formats, enum destination to,
                     const char *dir, const ps__render_opts_t *opts, ps__buf_t *err)
{
    ps__buf_t out[N_RENDERERS];
    for (size_t i = 0; i < N_RENDERERS; i++)
        out[i] = (ps__buf_t)PS_BUF_INIT;
    int rc = render_all(r, formats, opts, out, err);
    if (rc == 0 && to == TO_DIR)
        rc = write_set(r, formats, dir, out, err);
    else if (rc == 0 && to == TO_STDOUT)
        rc = write_stdout(formats, out, err);
    for (size_t i = 0; i < N_RENDERERS; i++)
        ps__buf_free(&out[i]);
    return rc;
}

int ps__publish(const ps__report_t *r, unsigned formats, const char *dir,
                const ps__render_opts_t *opts, ps__buf_t *err)
{
    return render_to(r, formats, dir ? TO_DIR : TO_STDOUT, dir, opts, err);
}

int ps__render_only(const ps__report_t *r, unsigned formats,
                    const ps__render_opts_t *opts, ps__buf_t *err)
{
    return render_to(r, formats, TO_NOWHERE, NULL, opts, err);
}
