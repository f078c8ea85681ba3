#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "plugin/ctx.h"
#include "num/decimal.h"
#include "base/log.h"
#include "base/stopwatch.h"
#include "report/check.h"
#include "report/template.h"

/* Fails the call and the section when `rc` says a check refused, with
   what it wrote in `why`; passes PS_ENOMEM on. */
static int refuse_unless_ok(ps_ctx_t *ctx, int rc, ps__buf_t *why)
{
    if (rc < 0 && rc != PS_ENOMEM)
        rc = why->failed ? PS_ENOMEM : ps__ctx_refuse(ctx, rc, why);
    ps__buf_free(why);
    return rc;
}

/* Every string of the indicator as the plugin wrote it, checked before any
   of them is quoted in a message, and room for it in the section. */
static int check_strings(ps_ctx_t *ctx, const ps_indicator_t *in)
{
    ps__ind_t raw = { .key = (char *)in->key, .label = (char *)in->label,
                      .code = (char *)in->indicator, .parent = (char *)in->parent,
                      .value = in->value, .target = in->target,
                      .next_target = in->next_target };
    ps__buf_t why = PS_BUF_INIT;
    int rc = ps__check_room(ctx->section, &why);
    if (rc == 0)
        rc = ps__check_ind(&raw, ctx->section->n_inds + 1, &why);
    return refuse_unless_ok(ctx, rc, &why);
}

/* A quantity is shown in its parent's row: a target of its own, or a
   quantity of a quantity, would have no place there. It follows its
   parent (and the parent's other quantities) straight away, so that a
   table finds a row's quantities in one step each. */
static int check_quantity(ps_ctx_t *ctx, const ps_indicator_t *ind, const ps__ind_t *parent)
{
    const ps__section_t *s = ctx->section;
    const ps__ind_t *last = &s->inds[s->n_inds - 1];
    if (last != parent && !(last->relation == PS_REL_QUANTITY &&
                            strcmp(last->parent, parent->key) == 0))
        return ps__ctx_fail(ctx, PS_EINVAL, "indicator '%s': emit a QUANTITY right after "
                            "its parent '%s' (or the parent's other quantities), not after "
                            "'%s'", ind->key, parent->key, last->key);
    if (parent->relation == PS_REL_QUANTITY)
        return ps__ctx_fail(ctx, PS_EINVAL, "indicator '%s': parent '%s' is itself a "
                            "QUANTITY; make '%s' a quantity of '%s'", ind->key,
                            parent->key, ind->key, parent->parent);
    if (ps_value_present(ind->target) || ps_value_present(ind->next_target))
        return ps__ctx_fail(ctx, PS_EINVAL, "indicator '%s': a QUANTITY has no target "
                            "of its own; set it on '%s'", ind->key, parent->key);
    return 0;
}

static int check_relation(ps_ctx_t *ctx, const ps_indicator_t *ind)
{
    if (!ps__key_valid(ind->key))
        return ps__ctx_fail(ctx, PS_EINVAL, "indicator key '%s' is empty or holds "
                            "'{', '}', '.' or white space", ind->key ? ind->key : "");
    if (ps__section_find(ctx->section, ind->key))
        return ps__ctx_fail(ctx, PS_EEXISTS, "indicator '%s' is emitted twice", ind->key);
    if (!ind->parent != (ind->relation == PS_REL_NONE) ||
        (unsigned)ind->relation > PS_REL_QUANTITY)
        return ps__ctx_fail(ctx, PS_EINVAL, "indicator '%s': a parent goes with a "
                            "relation (PART, SUBSET, DETAIL or QUANTITY), and only with one",
                            ind->key);
    const ps__ind_t *parent = ind->parent ? ps__section_find(ctx->section, ind->parent) : NULL;
    if (ind->parent && !parent)
        return ps__ctx_fail(ctx, PS_ENOENT, "indicator '%s': parent '%s' has not been "
                            "emitted", ind->key, ind->parent);
    return ind->relation == PS_REL_QUANTITY ? check_quantity(ctx, ind, parent) : 0;
}

/* The amount setting of this section that holds exactly `v`, where the
   target the plugin emits came from; NULL when the plugin computed it. */
static const ps__setting_t *amount_setting(const ps_ctx_t *ctx, ps_value_t v)
{
    for (size_t i = 0; i < ctx->settings->n; i++) {
        const ps__setting_t *s = &ctx->settings->items[i];
        if (s->key->type == PS_KEY_AMOUNT && s->number == v.raw && s->unit &&
            strcmp(s->unit, v.unit) == 0)
            return s;
    }
    return NULL;
}

/*
 * A target written without a unit takes its indicator's (money must say
 * which of 元, 万元 or 亿元, unless it is zero); one written in
 * another dimension is a configuration mistake worth stopping for, named
 * with the key that holds it.
 */
static int resolve_target_unit(ps_ctx_t *ctx, const char *key, const char *what,
                               ps_value_t value, const char *declared,
                               ps_value_t *target)
{
    if (!ps_value_present(*target))
        return 0;
    const char *unit = value.unit ? value.unit : declared;
    if (!unit)
        unit = "";
    if (!*target->unit) { /* zero is zero in any unit */
        if (strcmp(unit, PS_UNIT_MONEY) == 0 && target->raw != 0)
            return ps__ctx_fail(ctx, PS_EUNIT, "the %s of '%s' is money: write it "
                                "with 元, 万元 or 亿元 (e.g. 55亿)", what, key);
        target->unit = unit;
        return 0;
    }
    if (!*unit || strcmp(unit, target->unit) == 0)
        return 0;
    const ps__setting_t *setting = amount_setting(ctx, *target);
    if (setting)
        return ps__ctx_setting_fail(ctx, setting, ": the %s of '%s' is in %s but its "
                                    "value is in %s", what, key, target->unit, unit);
    return ps__ctx_fail(ctx, PS_EUNIT, "the %s of '%s' is in %s but its value is in %s",
                        what, key, target->unit, unit);
}

/* Units may point into the plugin (a literal "个"): keep the core's copies. */
static int own_units(ps_ctx_t *ctx, ps_value_t *a, ps_value_t *b, ps_value_t *c)
{
    ps_value_t *values[] = { a, b, c };
    for (size_t i = 0; i < 3; i++)
        if (values[i]->unit && !(values[i]->unit = ps__ctx_own(ctx, values[i]->unit)))
            return PS_ENOMEM;
    return 0;
}

int ps__api_emit(ps_ctx_t *ctx, const ps_indicator_t *in)
{
    if (!in)
        return ps__ctx_fail(ctx, PS_EINVAL, "emit without an indicator");
    int rc = check_strings(ctx, in);
    if (rc == 0)
        rc = check_relation(ctx, in);
    if (rc < 0)
        return rc;
    const ps__indicator_def_t *def =
        in->indicator ? ps__config_indicator(ctx->run->cfg, in->indicator) : NULL;
    const char *declared = NULL;
    if (def && def->unit)
        declared = ps__money_factor(def->unit, 0) ? PS_UNIT_MONEY : def->unit;
    ps_value_t value = in->value, target = in->target, next = in->next_target;
    if (own_units(ctx, &value, &target, &next) < 0)
        return PS_ENOMEM;
    if ((rc = resolve_target_unit(ctx, in->key, "target", value, declared, &target)) < 0 ||
        (rc = resolve_target_unit(ctx, in->key, "next year's target", value,
                                  declared, &next)) < 0)
        return rc;
    const char *label = in->label ? in->label
                      : def && def->label ? def->label
                      : in->indicator ? in->indicator : in->key;
    ps__ind_t out = {
        .key = (char *)in->key, .label = (char *)label, .code = (char *)in->indicator,
        .parent = (char *)in->parent, .relation = in->relation, .value = value,
        .target = target, .next_target = next,
        .asof = in->asof ? in->asof : ctx->run->period,
        .display_unit = def ? def->display_unit : NULL,
        .rate_decimals = def ? def->rate_decimals : 2,
        .stock = def && def->stock,
    };
    return ps__section_add_ind(ctx->section, &out);
}

/* A template the INI wrote that names no indicator is the INI's mistake:
   say so as a configuration error, with the keys it could have named. */
static int template_config_error(ps_ctx_t *ctx, const ps__setting_t *setting,
                                 const char *problem)
{
    ps__buf_t keys = PS_BUF_INIT;
    for (size_t i = 0; i < ctx->section->n_inds; i++)
        ps__buf_printf(&keys, "%s%s", i ? ", " : "", ctx->section->inds[i].key);
    ps__ctx_setting_fail(ctx, setting, " %s (its indicators: %s)", problem,
                         keys.len ? ps__buf_str(&keys) : "none");
    ps__buf_free(&keys);
    return PS_ECONFIG;
}

int ps__api_sentence(ps_ctx_t *ctx, ps_sentence_kind_t kind, const char *tmpl)
{
    if (kind < PS_SENTENCE_SUMMARY || kind > PS_SENTENCE_PLAN || !tmpl)
        return ps__ctx_fail(ctx, PS_EINVAL, "sentence of unknown kind %d", (int)kind);
    ps__buf_t why = PS_BUF_INIT;
    int rc = refuse_unless_ok(ctx, ps__check_utf8(tmpl, "sentence template", &why), &why);
    if (rc < 0)
        return rc;
    rc = ps__template_problem(ctx->section, tmpl, &why);
    const ps__setting_t *setting =
        rc < 0 ? ps__ctx_setting_with(ctx, PS_KEY_TEMPLATE, tmpl, 1) : NULL;
    if (setting)
        rc = template_config_error(ctx, setting, ps__buf_str(&why));
    else if (rc < 0)
        ps__ctx_fail(ctx, rc, "template \"%s\" %s", tmpl, ps__buf_str(&why));
    ps__buf_free(&why);
    return rc < 0 ? rc : ps__section_add_sentence(ctx->section, kind, tmpl);
}

ps__section_t *ps__instance_section(ps__run_t *run, const ps__instance_t *inst,
                                    const ps__module_t *mod, const ps__settings_t *settings)
{
    const char *title = ps__settings_text(settings, "title");
    return ps__report_add_section(run->report, inst->name, mod->plugin->name,
                                  title ? title : inst->name);
}

/* Refuses a sentence that would show "—" outside an optional clause: a
   figure the month cannot give (no target, nothing a year ago) must not
   become a dash in the office's prose. Checked once compute has returned,
   when every figure of the section is final. */
static int sentences_complete(ps_ctx_t *ctx)
{
    const ps__section_t *s = ctx->section;
    int rc = 0;
    for (size_t j = 0; rc == 0 && j < s->n_sentences; j++) {
        const char *tmpl = s->sentences[j].tmpl;
        ps__buf_t text = PS_BUF_INIT, absent = PS_BUF_INIT;
        if (ps__template_expand(&text, ctx->run->report, s, tmpl, &absent)) {
            const ps__setting_t *setting =
                ps__ctx_setting_with(ctx, PS_KEY_TEMPLATE, tmpl, 0);
            const char *why = PS_TEMPLATE_ABSENT_WHY;
            rc = setting ? ps__ctx_setting_fail(ctx, setting, " cannot show %s, which %s",
                                                ps__buf_str(&absent), why)
                         : ps__ctx_fail(ctx, PS_EINVAL, "the sentence \"%s\" cannot show "
                                        "%s, which %s", tmpl, ps__buf_str(&absent), why);
        }
        ps__buf_free(&text);
        ps__buf_free(&absent);
    }
    return rc;
}

/* Runs compute into `section`, and marks the section failed with the
   reason when compute fails. */
static int compute_section(ps__run_t *run, const ps__instance_t *inst,
                           const ps__module_t *mod, const ps__settings_t *settings,
                           ps__section_t *section)
{
    ps_ctx_t ctx = { .run = run, .inst = inst, .settings = settings,
                     .section = section };
    int rc = mod->plugin->compute(&ctx, ps__api());
    if (ctx.refused && rc >= 0) /* it went on after a call was refused */
        rc = PS_EPLUGIN;
    if (rc >= 0)
        rc = sentences_complete(&ctx);
    if (rc < 0) {
        ps__buf_t why = PS_BUF_INIT;
        if (!ctx.config_error)
            ps__buf_printf(&why, "plugin %s: ", inst->name);
        ps__buf_puts(&why, ctx.error.len ? ps__buf_str(&ctx.error) : "compute failed");
        if (ps__section_fail(section, ps__buf_str(&why)) < 0)
            rc = PS_ENOMEM;
        section->config_error = ctx.config_error;
        ps__buf_free(&why);
    }
    for (size_t i = 0; i < ctx.n_lent; i++)
        free(ctx.lent[i]);
    free(ctx.lent);
    ps__buf_free(&ctx.error);
    return rc;
}

int ps__compute_instance(ps__run_t *run, const ps__instance_t *inst,
                         const ps__module_t *mod, const ps__settings_t *settings)
{
    ps__section_t *section = ps__instance_section(run, inst, mod, settings);
    return section ? compute_section(run, inst, mod, settings, section) : PS_ENOMEM;
}

void ps__log_computed(const ps__instance_t *inst, double seconds, int failed)
{
    ps__log(PS_LOG_INFO, "plugin %s computed in %.2f s%s", inst->name, seconds,
            failed ? ", and failed" : "");
}

int ps__run_instance(ps__run_t *run, const ps__instance_t *inst,
                     const ps__module_t *mod, const ps__settings_t *settings)
{
    ps__section_t *section = ps__instance_section(run, inst, mod, settings);
    if (!section)
        return PS_ENOMEM;
    double started = ps__seconds();
    int rc = compute_section(run, inst, mod, settings, section);
    ps__log_computed(inst, ps__seconds() - started, rc < 0);
    return rc;
}
