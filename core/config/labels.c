/*
 * [labels.TAG] sections: the office's names for a tag's values, so that a
 * ledger may carry its own codes (roads) while every output says 道路建设工程.
 * Each key is a value of the tag, each value its label.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <iniparser/iniparser.h>

#include "config/conf.h"

static int add_label(ps__config_t *cfg, const char *tag, const char *value,
                     const char *label)
{
    ps__tag_label_t *grown = realloc(cfg->labels, (cfg->n_labels + 1) * sizeof *grown);
    if (!grown)
        return -1;
    cfg->labels = grown;
    ps__tag_label_t *l = &cfg->labels[cfg->n_labels++];
    *l = (ps__tag_label_t){ .tag = strdup(tag), .value = strdup(value),
                            .label = strdup(label) };
    return l->tag && l->value && l->label ? 0 : -1;
}

int ps__config_read_labels(ps__config_t *cfg, const char *section, const char *tag,
                           ps__diag_t *diag)
{
    int nkeys = iniparser_getsecnkeys(cfg->ini, section), errors = 0;
    const char **keys = nkeys > 0 ? calloc((size_t)nkeys, sizeof *keys) : NULL;
    if (nkeys > 0 && (!keys || !iniparser_getseckeys(cfg->ini, section, keys))) {
        free(keys);
        ps__diag_add(diag, "%s: [%s] out of memory", cfg->path, section);
        return 1;
    }
    size_t prefix = strlen(section) + 1;
    for (int i = 0; i < nkeys; i++) {
        const char *value = keys[i] + prefix;
        const char *label = iniparser_getstring(cfg->ini, keys[i], NULL);
        if (!label || !*label) {
            ps__buf_t at = PS_BUF_INIT;
            ps__config_where(cfg, section, value, &at);
            ps__diag_add(diag, "%s: [%s] %s has no label (expected %s = the name the "
                         "report gives this value of '%s')", ps__buf_str(&at), section,
                         value, value, tag);
            ps__buf_free(&at);
            errors++;
        } else if (add_label(cfg, tag, value, label) < 0) {
            ps__diag_add(diag, "%s: [%s] out of memory", cfg->path, section);
            errors++;
        }
    }
    free(keys);
    return errors;
}

const char *ps__config_tag_label(const ps__config_t *cfg, const char *tag,
                                 const char *value)
{
    for (size_t i = 0; i < cfg->n_labels; i++)
        if (strcasecmp(cfg->labels[i].tag, tag) == 0 &&
            strcasecmp(cfg->labels[i].value, value) == 0)
            return cfg->labels[i].label;
    return NULL;
}

void ps__config_free_labels(ps__config_t *cfg)
{
    for (size_t i = 0; i < cfg->n_labels; i++) {
        free(cfg->labels[i].tag);
        free(cfg->labels[i].value);
        free(cfg->labels[i].label);
    }
    free(cfg->labels);
    cfg->labels = NULL;
    cfg->n_labels = 0;
}
