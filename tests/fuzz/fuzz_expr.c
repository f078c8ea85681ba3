/*
 * Fuzzes the expressions of derived indicators (core/syntax/expr.h).
 *
 * The input is an expression's text; references are looked up in a fixed
 * table (0, ±1, ±0.0001, large and extreme values; refs beginning with
 * "missing." fail, those beginning with "null." have no value). Checks: no
 * crash, no leak, no undefined behaviour (the rational arithmetic must
 * refuse, not wrap); a failure always says why; evaluation is deterministic
 * and symmetric: -(E) evaluates to exactly minus E.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <parkstat/types.h>

#include "base/buf.h"
#include "syntax/expr.h"

static const int64_t values[] = {
    0, PS_SCALE, -PS_SCALE, 1, -1, 3 * PS_SCALE, 1234567890, INT64_MAX, INT64_MIN,
    INT64_MAX / PS_SCALE, (int64_t)1 << 62, 7,
};

static int lookup(void *arg, const char *ref, int64_t *raw, ps__buf_t *why)
{
    (void)arg;
    if (strncmp(ref, "missing.", 8) == 0) {
        ps__buf_printf(why, "unknown reference '%s'", ref);
        return -2;
    }
    if (strncmp(ref, "null.", 5) == 0)
        return PS__EXPR_MISSING;
    size_t h = 0;
    for (const char *p = ref; *p; p++)
        h = h * 31 + (unsigned char)*p;
    *raw = values[h % (sizeof values / sizeof values[0])];
    return 0;
}

/* Evaluates `text`: 1 when it parsed, with rc and *raw set. */
static int evaluate(const char *text, int *rc, int64_t *raw)
{
    ps__buf_t why = PS_BUF_INIT;
    ps__expr_t *e = NULL;
    if (ps__expr_parse(text, &e, &why) < 0) {
        if (e || !why.len)
            abort(); /* refused without saying why */
        ps__buf_free(&why);
        return 0;
    }
    *rc = ps__expr_eval(e, lookup, NULL, raw, &why);
    if (*rc < 0 && !why.len)
        abort();
    ps__buf_reset(&why);
    int64_t again = 0;
    if (ps__expr_eval(e, lookup, NULL, &again, &why) != *rc || (*rc == 0 && again != *raw))
        abort(); /* not deterministic */
    ps__expr_free(e);
    ps__buf_free(&why);
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 4);
    if (!text)
        return 0;
    memcpy(text + 2, data, size);
    text[size + 2] = '\0';
    size_t len = strlen(text + 2); /* up to a NUL byte of the input */
    int rc = 0, rc_neg = 0;
    int64_t raw = 0, neg = 0;
    if (evaluate(text + 2, &rc, &raw)) {
        memcpy(text, "-(", 2);
        memcpy(text + len + 2, ")", 2);
        /* -(E) may nest one level too deep: compare only when it parses */
        if (evaluate(text, &rc_neg, &neg) && rc == 0 && raw != INT64_MIN &&
            (rc_neg != 0 || neg != -raw))
            abort();
    }
    free(text);
    return 0;
}
