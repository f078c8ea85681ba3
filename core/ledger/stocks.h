/*
 * What the ledgers owe a stock (时点数, [indicator.CODE] kind = stock) once
 * they are read, before any plugin asks: no year-to-date differencing, and
 * with carry_forward = yes, last month's value for an entity that did not
 * report the report month.
 */
#ifndef PS_LEDGER_STOCKS_H
#define PS_LEDGER_STOCKS_H

#include <parkstat/types.h>

#include "base/buf.h"
#include "config/conf.h"
#include "cube/cube.h"

/* The tag pair a carried row holds beyond its own tags. A ledger's column
   names are trimmed of spaces, so no column can be this tag. */
#define PS_CARRIED_TAG " carried"
#define PS_CARRIED_VALUE "yes"

/* Refuses a stock in a cumulative source, whose rows parkstat would take as
   year-to-date totals and difference: naming the source, its files and the
   indicator. 0, or PS_ECONFIG with `err` saying so. */
int ps__ledger_check_stocks(ps__cube_t *cube, const ps__config_t *cfg, ps__buf_t *err);

/* Carries every stock indicator ([indicator.CODE] kind = stock) of every
   source with carry_forward into its due month (`period` less the source's
   lag), and logs how many entities each source carried. 0, or PS_ENOMEM
   with `err` saying so. */
int ps__ledger_carry_forward(ps__cube_t *cube, const ps__config_t *cfg, ps_period_t period,
                             ps__buf_t *err);

#endif
