/*
 * Fuzzes the wire form of a computed section (core/plugin/wire.h): the bytes a
 * plugin's child process sends back, which the core must not trust.
 *
 * The input is decoded into a fresh section of a fresh report. Checks: no
 * crash, no leak, no undefined behaviour; a refused input leaves the section
 * empty and says why; an accepted one round-trips (decode -> encode ->
 * decode gives the same encoding) and renders: every template of it expands
 * and every field of every indicator formats, as the renderers would do.
 *
 * PS_FUZZ_WIRE_SEEDS=DIR ./fuzz_wire writes valid blobs into DIR and exits
 * (the seeds of tests/fuzz/corpus/fuzz_wire were made so).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "report/fields.h"
#include "report/report.h"
#include "report/template.h"
#include "plugin/wire.h"

static void render(const ps__report_t *r, const ps__section_t *s)
{
    ps__buf_t out = PS_BUF_INIT;
    for (size_t i = 0; i < s->n_sentences; i++)
        ps__template_expand(&out, r, s, s->sentences[i].tmpl, NULL);
    for (size_t i = 0; i < s->n_inds; i++)
        for (size_t f = 0; f < PS_N_FIELDS; f++)
            ps__field_put(&out, r, s, &s->inds[i], f);
    ps__buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ps__report_t r = { .period = 2023 * 12 + 9, .progress_tolerance = 100 };
    ps__buf_t why = PS_BUF_INIT, once = PS_BUF_INIT, twice = PS_BUF_INIT;
    if (!ps__report_add_section(&r, "fuzz", "fuzz", "Fuzz") ||
        !ps__report_add_section(&r, "again", "fuzz", "Again"))
        abort();
    ps__section_t *s = &r.sections[0], *copy = &r.sections[1];
    if (ps__wire_decode((const char *)data, size, &r, s, &why) < 0) {
        if (!why.len || s->n_inds || s->n_sentences || s->n_warnings || s->error) {
            fprintf(stderr, "refused (\"%s\") but left %zu indicators, %zu sentences, "
                    "%zu warnings and %s error\n", ps__buf_str(&why), s->n_inds,
                    s->n_sentences, s->n_warnings, s->error ? "an" : "no");
            abort(); /* refused without a word, or not left empty */
        }
    } else {
        render(&r, s);
        ps__wire_encode(&once, s);
        ps__buf_reset(&why);
        if (ps__wire_decode(once.data, once.len, &r, copy, &why) < 0) {
            fprintf(stderr, "re-decoding its own encoding failed: %s\n", ps__buf_str(&why));
            abort();
        }
        ps__wire_encode(&twice, copy);
        if (once.len != twice.len || memcmp(once.data, twice.data, once.len) != 0)
            abort(); /* decode -> encode -> decode changed the section */
    }
    ps__buf_free(&why);
    ps__buf_free(&once);
    ps__buf_free(&twice);
    ps__report_free(&r);
    return 0;
}

/* ---- seed generator ------------------------------------------------------ */

static void add(ps__report_t *r, ps__section_t *s, const char *key, const char *label,
                const char *parent, ps_relation_t rel, int64_t raw, const char *unit,
                int64_t target)
{
    ps__ind_t d = { .key = (char *)key, .label = (char *)label, .parent = (char *)parent,
                    .relation = rel, .asof = 2023 * 12 + 8, .rate_decimals = 2 };
    d.value = (ps_value_t){ raw, ps__report_own(r, unit) };
    if (target)
        d.target = (ps_value_t){ target, d.value.unit };
    if (ps__section_add_ind(s, &d) < 0)
        abort();
}

static void write_seed(const char *dir, const char *name, const ps__section_t *s)
{
    char path[4096];
    ps__buf_t b = PS_BUF_INIT;
    ps__wire_encode(&b, s);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(b.data, 1, b.len, f) != b.len || fclose(f) != 0)
        abort();
    ps__buf_free(&b);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *dir = getenv("PS_FUZZ_WIRE_SEEDS");
    if (!dir)
        return 0;
    ps__report_t r = { 0 };
    ps__section_t *s = ps__report_add_section(&r, "tax", "tax", "税收");
    add(&r, s, "tax", "税收", NULL, PS_REL_NONE, 2636200000000, "元", 4000000000000);
    add(&r, s, "国税", "国税", "tax", PS_REL_PART, 1500000000000, "元", 0);
    add(&r, s, "地税", "地税", "tax", PS_REL_PART, 1136200000000, "元", 0);
    for (int i = 0; i < 3; i++) { /* last year's figures, 5% lower */
        s->inds[i].year_ago = s->inds[i].value;
        s->inds[i].year_ago.raw -= s->inds[i].value.raw / 20;
    }
    s->inds[0].has_growth_target = 1;
    s->inds[0].growth_target = 80;
    s->inds[0].n_months = 9;
    for (int m = 0; m < 9; m++)
        s->inds[0].months[m] = s->inds[0].value.raw / 9 * (m + 1);
    ps__section_add_sentence(s, PS_SENTENCE_SUMMARY, "税收{tax}，完成{tax.rate}");
    ps__section_add_sentence(s, PS_SENTENCE_BODY, "其中{tax.parts}；{tax.status}，{tax.change}，"
                                "{tax.growth_gap}，国税占比{国税.share_change}");
    write_seed(dir, "tax", s);
    add(&r, s, "trees", "栽植各类苗木", NULL, PS_REL_NONE, 123450000, "株", 0);
    s->inds[3].fixed = 1;
    s->inds[3].decimals = 1;
    ps__section_add_sentence(s, PS_SENTENCE_PLAN, "{trees.label}{trees.value}{trees.asof}");
    write_seed(dir, "tax-trees", s);
    ps__section_clear(s);
    s->error = strdup("the plugin crashed");
    write_seed(dir, "error", s);
    ps__report_free(&r);
    exit(0);
}
