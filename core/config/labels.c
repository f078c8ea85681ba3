/*
 * [labels.TAG] sections: the office's names for a tag's values, so that a
 * ledger may carry its own codes (roads) while every output says 道路建设工程.
 * Each key is a value of the tag, each value its label.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/conf.h"
#include "config/settings.h"

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

/* What read_label reads a key of [labels.TAG] into. */
struct labels_of {
    ps__config_t *cfg;
    const char *section, *tag;
    ps__diag_t *diag;
};

/* One key: a value of the tag, and its label. */
static int read_label(void *ctx, const char *value, const char *label)
{
    const struct labels_of *l = ctx;
    if (!label || !*label) {
        ps__buf_t at = PS_BUF_INIT;
        ps__config_where(l->cfg, l->section, value, &at);
        ps__diag_add(l->diag, "%s: [%s] %s has no label (expected %s = the name the "
                     "report gives this value of '%s')", ps__buf_str(&at), l->section,
                     value, value, l->tag);
        ps__buf_free(&at);
        return 1;
    }
    if (add_label(l->cfg, l->tag, value, label) < 0) {
        ps__diag_add(l->diag, "%s: [%s] out of memory", l->cfg->path, l->section);
        return 1;
    }
    return 0;
}

int ps__config_read_labels(ps__config_t *cfg, const char *section, const char *tag,
                           ps__diag_t *diag)
{
    struct labels_of l = { cfg, section, tag, diag };
    ps__ini_file_t ini = ps__config_ini(cfg);
    return ps__ini_each_key(&ini, section, read_label, &l, diag);
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
