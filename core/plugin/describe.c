#include "config.h"

#include "plugin/describe.h"

#include "config/conf.h"
#include "config/instance.h"
#include "config/settings.h"

void ps__describe_line(FILE *out, const ps__module_t *mod)
{
    const ps_plugin_t *p = mod->plugin;
    fprintf(out, "%-16s %-8s %s\n", p->name, p->version ? p->version : "",
            p->description ? p->description : "");
}

void ps__describe_keys(FILE *out, const ps_key_t *keys)
{
    for (const ps_key_t *k = keys; k->name; k++) {
        char name[96];
        snprintf(name, sizeof name, "%s%s", k->name,
                 k->flags & PS_KEY_PER_YEAR ? ".YYYY"
                 : k->flags & PS_KEY_PER_NAME ? ".NAME" : "");
        fprintf(out, "  %-20s %-9s ", name, ps__key_type_name(k->type));
        if (k->default_value)
            fprintf(out, "default: %s\n", *k->default_value ? k->default_value : "(empty)");
        else
            fprintf(out, "%s\n", k->flags & PS_KEY_REQUIRED ? "required" : "optional");
        if (k->type == PS_KEY_CHOICE)
            fprintf(out, "  %-20s %-9s one of: %s\n", "", "", k->choices);
        if (k->type == PS_KEY_INT && k->min < k->max)
            fprintf(out, "  %-20s %-9s from %lld to %lld\n", "", "",
                    (long long)k->min, (long long)k->max);
        fprintf(out, "  %-20s %-9s %s\n", "", "", k->help ? k->help : "");
    }
}

void ps__describe_plugin(FILE *out, const ps__module_t *mod)
{
    const ps_plugin_t *p = mod->plugin;
    fprintf(out, "%s %s: %s\n", p->name, p->version ? p->version : "",
            p->description ? p->description : "");
    fprintf(out, "file: %s\nABI: %u.%u\n\n", mod->file, p->abi_major, p->abi_minor);
    fprintf(out, "Keys of a [plugin.NAME] section with module = %s:\n", p->name);
    ps__describe_keys(out, ps__instance_keys);
    ps__describe_keys(out, p->keys);
}

/* Writes text for roff: backslashes escaped, no line starting a request. */
static void put_roff(FILE *out, const char *text)
{
    if (*text == '.' || *text == '\'')
        fputs("\\&", out);
    for (const char *p = text; *p; p++) {
        if (*p == '\\')
            fputs("\\e", out);
        else if (*p == '-')
            fputs("\\-", out);
        else
            fputc(*p, out);
    }
}

void ps__describe_keys_man(FILE *out, const ps_key_t *keys)
{
    for (const ps_key_t *k = keys; k->name; k++) {
        fputs(".TP\n.B ", out);
        put_roff(out, k->name);
        fputs(k->flags & PS_KEY_PER_YEAR ? ".\\fIYYYY\\fR"
              : k->flags & PS_KEY_PER_NAME ? ".\\fINAME\\fR" : "", out);
        fprintf(out, " (%s", ps__key_type_name(k->type));
        if (k->default_value) {
            fputs(", default: ", out);
            put_roff(out, *k->default_value ? k->default_value : "(empty)");
        } else if (k->flags & PS_KEY_REQUIRED) {
            fputs(", required", out);
        }
        fputs(")\n", out);
        put_roff(out, k->help ? k->help : "");
        if (k->type == PS_KEY_CHOICE) {
            fputs("; one of: ", out);
            for (const char *c = k->choices; *c; c++) /* ", " lets lines break */
                if (*c == '|')
                    fputs(", ", out);
                else
                    fputc(*c, out);
        }
        if (k->type == PS_KEY_INT && k->min < k->max)
            fprintf(out, "; from %lld to %lld", (long long)k->min, (long long)k->max);
        fputs("\n", out);
    }
}

void ps__describe_core_man(FILE *out)
{
    static const struct { const char *section; const ps_key_t *keys; } sections[] = {
        { "[parkstat]", ps__core_keys },
        { "[source.NAME]", ps__source_keys },
        { "[indicator.CODE]", ps__indicator_keys },
        { "[plugin.NAME]", ps__instance_keys },
        { "[derived.NAME]", ps__derived_keys },
        { "[audit.NAME]", ps__audit_keys },
    };
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
        fprintf(out, ".SS \"%s\"\n", sections[i].section);
        ps__describe_keys_man(out, sections[i].keys);
    }
}

void ps__describe_plugin_man(FILE *out, const ps__module_t *mod)
{
    const ps_plugin_t *p = mod->plugin;
    fprintf(out, ".SS \"module = %s\"\n", p->name);
    put_roff(out, p->description ? p->description : "");
    fprintf(out, " (version %s)\n", p->version ? p->version : "");
    ps__describe_keys_man(out, p->keys);
}
