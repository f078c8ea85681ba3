#include "config.h"

#include "render/html.h"

#include "report/template.h"

void ps__html_escape(ps__buf_t *out, const char *s)
{
    const char *plain = s;
    for (; *s; s++) {
        const char *entity = NULL;
        switch (*s) {
        case '&': entity = "&amp;"; break;
        case '<': entity = "&lt;"; break;
        case '>': entity = "&gt;"; break;
        case '"': entity = "&quot;"; break;
        case '\'': entity = "&#39;"; break;
        default: continue;
        }
        ps__buf_append(out, plain, (size_t)(s - plain));
        ps__buf_puts(out, entity);
        plain = s + 1;
    }
    ps__buf_append(out, plain, (size_t)(s - plain));
}

void ps__html_field(ps__buf_t *out, const ps__report_t *r, const ps__section_t *s,
                    const ps__ind_t *ind, const char *field)
{
    ps__buf_t text = PS_BUF_INIT;
    ps__template_field(&text, r, s, ind, field);
    ps__html_escape(out, ps__buf_str(&text));
    out->failed |= text.failed;
    ps__buf_free(&text);
}

const char *ps__html_status_class(int status)
{
    return status < 0 ? "behind" : status > 0 ? "ahead" : "on";
}
