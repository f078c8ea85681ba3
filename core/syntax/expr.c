#include "config.h"

#include "syntax/expr.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <parkstat/error.h>
#include <parkstat/types.h>

#include "num/decimal.h"

typedef enum { NODE_NUM, NODE_REF, NODE_NEG, NODE_ADD, NODE_SUB, NODE_MUL, NODE_DIV } kind_t;

struct ps__expr {
    kind_t kind;
    int64_t num;         /* NODE_NUM: value * PS_SCALE */
    char *ref;           /* NODE_REF */
    ps__expr_t *l, *r;
};

typedef struct parser {
    const char *text, *p;
    ps__buf_t *why;
    int depth;
} parser_t;

#define MAX_DEPTH 64

static ps__expr_t *node(kind_t kind, ps__expr_t *l, ps__expr_t *r)
{
    ps__expr_t *e = calloc(1, sizeof *e);
    if (e) {
        e->kind = kind;
        e->l = l;
        e->r = r;
    }
    return e;
}

void ps__expr_free(ps__expr_t *e)
{
    if (!e)
        return;
    ps__expr_free(e->l);
    ps__expr_free(e->r);
    free(e->ref);
    free(e);
}

static void skip_space(parser_t *ps)
{
    while (*ps->p == ' ' || *ps->p == '\t')
        ps->p++;
}

static ps__expr_t *syntax_error(parser_t *ps, const char *expected)
{
    if (!ps->why->len)
        ps__buf_printf(ps->why, "expected %s at column %d of '%s'", expected,
                       (int)(ps->p - ps->text) + 1, ps->text);
    return NULL;
}

static int ref_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '.' || (unsigned char)c >= 0x80;
}

static ps__expr_t *parse_sum(parser_t *ps);

static ps__expr_t *parse_number(parser_t *ps)
{
    const char *start = ps->p, *why = "";
    while (isdigit((unsigned char)*ps->p) || *ps->p == '.')
        ps->p++;
    ps__expr_t *e = node(NODE_NUM, NULL, NULL);
    if (e && ps__decimal_parse(start, (size_t)(ps->p - start), &e->num, &why) < 0) {
        ps->p = start;
        ps__expr_free(e);
        return syntax_error(ps, "a number of at most 4 decimals");
    }
    return e;
}

static ps__expr_t *parse_ref(parser_t *ps)
{
    const char *start = ps->p;
    while (ref_char(*ps->p))
        ps->p++;
    const char *dot = memchr(start, '.', (size_t)(ps->p - start));
    if (!dot || dot == start || dot + 1 == ps->p) {
        ps->p = start;
        return syntax_error(ps, "a reference SECTION.KEY");
    }
    ps__expr_t *e = node(NODE_REF, NULL, NULL);
    if (e && !(e->ref = strndup(start, (size_t)(ps->p - start)))) {
        ps__expr_free(e);
        return NULL;
    }
    return e;
}

static ps__expr_t *parse_primary(parser_t *ps)
{
    skip_space(ps);
    if (++ps->depth > MAX_DEPTH)
        return syntax_error(ps, "fewer nested parentheses");
    ps__expr_t *e = NULL;
    if (*ps->p == '(') {
        ps->p++;
        e = parse_sum(ps);
        skip_space(ps);
        if (e && *ps->p != ')') {
            ps__expr_free(e);
            e = syntax_error(ps, "')'");
        } else if (e) {
            ps->p++;
        }
    } else if (*ps->p == '-') {
        ps->p++;
        ps__expr_t *operand = parse_primary(ps);
        e = operand ? node(NODE_NEG, operand, NULL) : NULL;
        if (operand && !e)
            ps__expr_free(operand);
    } else if (isdigit((unsigned char)*ps->p)) {
        e = parse_number(ps);
    } else if (ref_char(*ps->p)) {
        e = parse_ref(ps);
    } else {
        e = syntax_error(ps, "a number, a reference or '('");
    }
    ps->depth--;
    return e;
}

/* Left-associative chains: term (op term)*, for both precedence levels. */
static ps__expr_t *parse_chain(parser_t *ps, ps__expr_t *(*operand)(parser_t *),
                               char op1, kind_t kind1, char op2, kind_t kind2)
{
    ps__expr_t *left = operand(ps);
    for (;;) {
        skip_space(ps);
        if (!left || (*ps->p != op1 && *ps->p != op2))
            return left;
        kind_t kind = *ps->p++ == op1 ? kind1 : kind2;
        ps__expr_t *right = operand(ps);
        ps__expr_t *joined = right ? node(kind, left, right) : NULL;
        if (!joined) {
            ps__expr_free(left);
            ps__expr_free(right);
            return NULL;
        }
        left = joined;
    }
}

static ps__expr_t *parse_product(parser_t *ps)
{
    return parse_chain(ps, parse_primary, '*', NODE_MUL, '/', NODE_DIV);
}

static ps__expr_t *parse_sum(parser_t *ps)
{
    return parse_chain(ps, parse_product, '+', NODE_ADD, '-', NODE_SUB);
}

int ps__expr_parse(const char *text, ps__expr_t **out, ps__buf_t *why)
{
    parser_t ps = { .text = text, .p = text, .why = why };
    ps__expr_t *e = parse_sum(&ps);
    skip_space(&ps);
    if (e && *ps.p) {
        ps__expr_free(e);
        e = syntax_error(&ps, "an operator (+ - * /) or the end");
    }
    if (!e && !why->len)
        ps__buf_puts(why, "out of memory");
    *out = e;
    return e ? 0 : PS_EPARSE;
}

/* ---- exact evaluation on rationals -------------------------------------- */

typedef struct { __int128 num, den; } ratio_t; /* den > 0 */

#define RATIO_LIMIT ((__int128)1 << 100) /* reduced terms above it cannot combine */

static __int128 gcd(__int128 a, __int128 b)
{
    if (a < 0)
        a = -a;
    while (b) {
        __int128 t = a % b;
        a = b;
        b = t;
    }
    return a ? a : 1;
}

static int ratio_make(__int128 num, __int128 den, ratio_t *out)
{
    if (den < 0) {
        num = -num;
        den = -den;
    }
    __int128 g = gcd(num, den);
    num /= g;
    den /= g;
    if (num > RATIO_LIMIT || num < -RATIO_LIMIT || den > RATIO_LIMIT)
        return PS_EOVERFLOW;
    *out = (ratio_t){ num, den };
    return 0;
}

/* Products of two factors below 2^63 fit in 127 bits, and so do sums of
   two such products: anything larger is refused as an overflow. */
static int mul_fits(__int128 a, __int128 b)
{
    const __int128 limit = (__int128)1 << 63;
    return (a < limit && a > -limit && b < limit && b > -limit);
}

static int combine(kind_t kind, ratio_t a, ratio_t b, ratio_t *out)
{
    if (!mul_fits(a.num, b.den) || !mul_fits(b.num, a.den) || !mul_fits(a.den, b.den) ||
        !mul_fits(a.num, b.num))
        return PS_EOVERFLOW;
    switch (kind) {
    case NODE_ADD: return ratio_make(a.num * b.den + b.num * a.den, a.den * b.den, out);
    case NODE_SUB: return ratio_make(a.num * b.den - b.num * a.den, a.den * b.den, out);
    case NODE_MUL: return ratio_make(a.num * b.num, a.den * b.den, out);
    case NODE_DIV:
        if (b.num == 0)
            return PS_ERANGE;
        return ratio_make(a.num * b.den, a.den * b.num, out);
    default: return PS_EINVAL;
    }
}

typedef struct evaluation {
    ps__expr_lookup_t lookup;
    void *arg;
    ps__buf_t *why;
} evaluation_t;

static int eval(const evaluation_t *ev, const ps__expr_t *e, ratio_t *out)
{
    ratio_t a, b;
    int64_t raw;
    int rc;
    switch (e->kind) {
    case NODE_NUM:
        return ratio_make(e->num, PS_SCALE, out);
    case NODE_REF:
        rc = ev->lookup(ev->arg, e->ref, &raw, ev->why);
        return rc != 0 ? rc : ratio_make(raw, PS_SCALE, out);
    case NODE_NEG:
        rc = eval(ev, e->l, &a);
        return rc != 0 ? rc : ratio_make(-a.num, a.den, out);
    default:
        if ((rc = eval(ev, e->l, &a)) < 0)
            return rc;
        int right = eval(ev, e->r, &b);
        if (right < 0 || rc == PS__EXPR_MISSING || right == PS__EXPR_MISSING)
            return right < 0 ? right : PS__EXPR_MISSING;
        rc = combine(e->kind, a, b, out);
        if (rc == PS_ERANGE && !ev->why->len)
            ps__buf_puts(ev->why, "division by zero");
        return rc;
    }
}

int ps__expr_eval(const ps__expr_t *e, ps__expr_lookup_t lookup, void *arg,
                  int64_t *raw, ps__buf_t *why)
{
    evaluation_t ev = { lookup, arg, why };
    ratio_t r;
    int rc = eval(&ev, e, &r);
    if (rc == 0) {
        __int128 scaled;
        if (!mul_fits(r.num, PS_SCALE))
            rc = PS_EOVERFLOW;
        else {
            __int128 n = r.num * PS_SCALE, q = n / r.den, rem = n % r.den;
            if (2 * (rem < 0 ? -rem : rem) >= r.den)
                q += n < 0 ? -1 : 1;
            scaled = q;
            if (scaled > INT64_MAX || scaled < INT64_MIN)
                rc = PS_EOVERFLOW;
            else
                *raw = (int64_t)scaled;
        }
    }
    if (rc == PS_EOVERFLOW && !why->len)
        ps__buf_puts(why, "the result overflows");
    return rc;
}
