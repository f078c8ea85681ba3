#include "config.h"

#include "describe.h"

#include "conf.h"
#include "settings.h"

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
                 k->flags & PS_KEY_PER_YEAR ? ".YYYY" : "");
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
