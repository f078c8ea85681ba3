/*
 * Arithmetic expressions of derived indicators: decimals, references to
 * other indicators (SECTION.KEY, or derived.NAME), + - * / and parentheses.
 * Evaluation is exact, on rationals; the result is rounded once, to the
 * fixed-point scale of every value.
 */
#ifndef PS_EXPR_H
#define PS_EXPR_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

typedef struct ps__expr ps__expr_t;

/* Parses `text`; on a syntax error returns PS_EPARSE and says where in why. */
int ps__expr_parse(const char *text, ps__expr_t **out, ps__buf_t *why);
void ps__expr_free(ps__expr_t *e);

/*
 * Looks a reference up: sets *raw (value * PS_SCALE) and returns 0; returns
 * PS__EXPR_MISSING when the reference names a figure that has no value (its
 * section failed, or its ledger had no rows); or returns a negative code
 * after saying why in `why`.
 */
#define PS__EXPR_MISSING 1
typedef int (*ps__expr_lookup_t)(void *arg, const char *ref, int64_t *raw,
                                 ps__buf_t *why);

/* Evaluates to value * PS_SCALE, rounded half away from zero. Division by
   zero and overflow are errors (PS_ERANGE, PS_EOVERFLOW) said in `why`.
   A missing operand makes the result missing (PS__EXPR_MISSING, *raw
   untouched), never a zero: every reference is still looked up, so that a
   mistake in one is found even when another is missing. */
int ps__expr_eval(const ps__expr_t *e, ps__expr_lookup_t lookup, void *arg,
                  int64_t *raw, ps__buf_t *why);

#endif
