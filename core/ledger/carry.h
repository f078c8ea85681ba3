/*
 * carry_forward = yes: stocks an entity reported last month and not in the
 * report month are taken at last month's value, before any plugin asks.
 */
#ifndef PS_LEDGER_CARRY_H
#define PS_LEDGER_CARRY_H

#include <parkstat/types.h>

#include "base/buf.h"
#include "config/conf.h"
#include "cube/cube.h"

/* The tag pair a carried row holds beyond its own tags. A ledger's column
   names are trimmed of spaces, so no column can be this tag. */
#define PS_CARRIED_TAG " carried"
#define PS_CARRIED_VALUE "yes"

/* Carries every stock indicator ([indicator.CODE] kind = stock) of every
   source with carry_forward into its due month (`period` less the source's
   lag), and logs how many entities each source carried. 0, or PS_ENOMEM
   with `err` saying so. */
int ps__ledger_carry_forward(ps__cube_t *cube, const ps__config_t *cfg, ps_period_t period,
                             ps__buf_t *err);

#endif
