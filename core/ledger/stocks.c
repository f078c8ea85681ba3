#include "config.h"

#include "ledger/stocks.h"

#include <string.h>

#include <parkstat/error.h>

#include "base/log.h"

/* The id of stock k's code, or UINT32_MAX when it is no stock or no row
   names it. */
static uint32_t stock_id(ps__cube_t *cube, const ps__config_t *cfg, size_t k)
{
    const ps__indicator_def_t *def = &cfg->indicators[k];
    return def->stock ? ps__intern_find(ps__cube_strings(cube), def->code, strlen(def->code))
                      : UINT32_MAX;
}

int ps__ledger_check_stocks(ps__cube_t *cube, const ps__config_t *cfg, ps__buf_t *err)
{
    for (size_t i = 0; i < cfg->n_sources; i++) {
        const ps__source_t *src = &cfg->sources[i];
        for (size_t k = 0; src->cumulative && k < cfg->n_indicators; k++) {
            uint32_t id = stock_id(cube, cfg, k);
            if (id == UINT32_MAX || !ps__cube_source_has(cube, (uint32_t)i, id))
                continue;
            const char *code = cfg->indicators[k].code;
            ps__buf_printf(err, "%s: [source.%s] type = cumulative takes its rows as "
                           "year-to-date totals, but indicator '%s' is a stock (时点数: "
                           "[indicator.%s] kind = stock), a month-end value that is no "
                           "total: read it from a flow source", src->pattern, src->name,
                           code, code);
            return PS_ECONFIG;
        }
    }
    return 0;
}

static int intern(ps__cube_t *cube, const char *s, uint32_t *id)
{
    return ps__intern_id(ps__cube_strings(cube), s, strlen(s), id);
}

/* Carries each stock indicator of source `i`; *entities counts them all. */
static int carry_source(ps__cube_t *cube, const ps__config_t *cfg, size_t i, ps_period_t due,
                        size_t *entities)
{
    uint32_t tag, value;
    int rc = intern(cube, PS_CARRIED_TAG, &tag);
    if (rc == 0)
        rc = intern(cube, PS_CARRIED_VALUE, &value);
    *entities = 0;
    for (size_t k = 0; rc == 0 && k < cfg->n_indicators; k++) {
        uint32_t id = stock_id(cube, cfg, k);
        size_t n = 0;
        if (id != UINT32_MAX)
            rc = ps__cube_carry_forward(cube, (uint32_t)i, id, due, tag, value, &n);
        *entities += n;
    }
    return rc;
}

int ps__ledger_carry_forward(ps__cube_t *cube, const ps__config_t *cfg, ps_period_t period,
                             ps__buf_t *err)
{
    for (size_t i = 0; i < cfg->n_sources; i++) {
        const ps__source_t *src = &cfg->sources[i];
        if (!src->carry_forward)
            continue;
        ps_period_t due = period - src->lag;
        size_t entities;
        if (carry_source(cube, cfg, i, due, &entities) < 0) {
            ps__buf_printf(err, "[source.%s] carry_forward: out of memory", src->name);
            return PS_ENOMEM;
        }
        if (entities)
            ps__log(PS_LOG_INFO, "[source.%s] %zu entities carried forward into %04d-%02d "
                    "(未报送, 按上月数结转)", src->name, entities, ps_period_year(due),
                    ps_period_month(due));
    }
    return 0;
}
