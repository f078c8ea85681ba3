#include "config.h"

#include "render/publish.h"

#include <stdio.h>

#include <parkstat/error.h>

#include "config/conf.h"
#include "base/errors.h"
#include "base/output.h"

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

static int write_one(const ps__report_t *r, const struct renderer *how, const char *dir,
                     const ps__buf_t *data, ps__buf_t *err)
{
    if (!dir)
        return ps__output_stdout(data->data, data->len, err);
    char name[64];
    snprintf(name, sizeof name, "report-%04d-%02d.%s", ps_period_year(r->period),
             ps_period_month(r->period), how->extension);
    return ps__output_write(dir, name, data->data, data->len, err);
}

int ps__publish(const ps__report_t *r, unsigned formats, const char *dir,
                const ps__render_opts_t *opts, ps__buf_t *err)
{
    ps__buf_t out[N_RENDERERS];
    for (size_t i = 0; i < N_RENDERERS; i++)
        out[i] = (ps__buf_t)PS_BUF_INIT;
    int rc = render_all(r, formats, opts, out, err);
    for (size_t i = 0; rc == 0 && i < N_RENDERERS; i++)
        if (formats & renderers[i].format)
            rc = write_one(r, &renderers[i], dir, &out[i], err) < 0 ? -1 : 0;
    for (size_t i = 0; i < N_RENDERERS; i++)
        ps__buf_free(&out[i]);
    return rc;
}
