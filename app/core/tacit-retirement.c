/* tacit-retirement.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-retirement.h"

#include <math.h>
#include <string.h>

void
tacit_retirement_proposal_free (TacitRetirementProposal *proposal)
{
  if (proposal == NULL)
    return;
  g_free (proposal->rule);
  g_free (proposal->evidence);
  g_free (proposal);
}

char *
tacit_retirement_reasons_to_string (TacitRetirementReason reasons)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) names = NULL;

  if (reasons & TACIT_RETIREMENT_MOSTLY_DISMISSED)
    g_strv_builder_add (builder, "mostly-dismissed");
  if (reasons & TACIT_RETIREMENT_CHATTERING)
    g_strv_builder_add (builder, "chattering");
  if (reasons & TACIT_RETIREMENT_NEVER_FIRES)
    g_strv_builder_add (builder, "never-fires");
  if (reasons & TACIT_RETIREMENT_NO_EFFECT)
    g_strv_builder_add (builder, "no-effect");
  names = g_strv_builder_end (builder);
  return g_strjoinv (",", names);
}

static const TacitRuleStats *
find_stats (const TacitRuleStats *stats,
            guint                 n_stats,
            const char           *id)
{
  for (guint i = 0; stats != NULL && i < n_stats; i++)
    if (strcmp (stats[i].rule->id, id) == 0)
      return &stats[i];
  return NULL;
}

static const TacitRuleEvidence *
find_evidence (GPtrArray  *evidence,
               const char *id)
{
  for (guint i = 0; evidence != NULL && i < evidence->len; i++)
    {
      const TacitRuleEvidence *e = g_ptr_array_index (evidence, i);

      if (strcmp (e->rule, id) == 0)
        return e;
    }
  return NULL;
}

/* The lift the rule's data supports: causal (shown − held out) with a
 * holdout, else observational (accepted − dismissed). */
static void
pick_lift (const TacitRuleEvidence *e,
           TacitRetirementProposal *p,
           gboolean                *causal)
{
  const TacitProportion *a = &e->outcome_shown, *b = &e->outcome_held_out;

  *causal = e->held_out > 0;
  if (!*causal)
    {
      a = &e->outcome_accepted;
      b = &e->outcome_dismissed;
    }
  p->lift_n_a = a->n;
  p->lift_n_b = b->n;
  tacit_proportion_diff (a, b, &p->lift, &p->lift_low, &p->lift_high);
}

static void
check_evidence (const TacitRuleEvidence *e,
                TacitRetirementProposal *p,
                GString                 *text)
{
  guint64 answered = e->accepted + e->dismissed;
  gboolean causal;

  p->accepted = e->accepted;
  p->dismissed = e->dismissed;
  if (answered >= TACIT_RETIREMENT_MIN_ANSWERED &&
      e->dismissed >= TACIT_RETIREMENT_DISMISSED_SHARE * answered)
    {
      p->reasons |= TACIT_RETIREMENT_MOSTLY_DISMISSED;
      g_string_append_printf (text, "dismissed %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
                              " answers (%.0f %%)\n", e->dismissed, answered,
                              100.0 * e->dismissed / answered);
    }
  pick_lift (e, p, &causal);
  if (p->lift_n_a >= TACIT_RETIREMENT_MIN_LIFT_N && p->lift_n_b >= TACIT_RETIREMENT_MIN_LIFT_N &&
      !isnan (p->lift_low) && p->lift_low <= 0 && p->lift_high >= 0)
    {
      p->reasons |= TACIT_RETIREMENT_NO_EFFECT;
      g_string_append_printf (text, "no outcome effect: lift %+.2f, 95 %% interval %+.2f … %+.2f "
                              "(%s, n %" G_GUINT64_FORMAT " / %" G_GUINT64_FORMAT ")\n",
                              p->lift, p->lift_low, p->lift_high,
                              causal ? "shown vs held out" : "accepted vs dismissed",
                              p->lift_n_a, p->lift_n_b);
    }
}

static TacitRetirementProposal *
propose_rule (const TacitRule       *rule,
              const TacitRuleStats  *st,
              gboolean               replayed,
              const TacitRuleEvidence *e)
{
  TacitRetirementProposal *p = g_new0 (TacitRetirementProposal, 1);
  GString *text = g_string_new (NULL);

  p->rule = g_strdup (rule->id);
  p->revision = rule->revision;
  p->lift = p->lift_low = p->lift_high = NAN;
  p->firings = st != NULL ? st->firings : 0;
  if (st != NULL && st->chattering)
    {
      p->reasons |= TACIT_RETIREMENT_CHATTERING;
      g_string_append_printf (text, "chattering: 3 or more firings on one machine within a minute "
                              "(%" G_GUINT64_FORMAT " firings)\n", st->firings);
    }
  if (replayed && (st == NULL || st->firings == 0))
    {
      p->reasons |= TACIT_RETIREMENT_NEVER_FIRES;
      g_string_append (text, "never fired over the stored history\n");
    }
  if (e != NULL)
    check_evidence (e, p, text);
  if (text->len > 0)
    g_string_truncate (text, text->len - 1);
  p->evidence = g_string_free (text, FALSE);
  return p;
}

GPtrArray *
tacit_retirement_propose (TacitLibrary         *library,
                          const TacitRuleStats *stats,
                          guint                 n_stats,
                          guint64               n_events,
                          GPtrArray            *evidence)
{
  g_autoptr(GPtrArray) rules = NULL;
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) tacit_retirement_proposal_free);
  gboolean replayed = stats != NULL && n_events > 0;

  g_return_val_if_fail (TACIT_IS_LIBRARY (library), out);

  rules = tacit_library_dup_rules_sorted (library);
  for (guint i = 0; i < rules->len; i++)
    {
      const TacitRule *rule = g_ptr_array_index (rules, i);
      TacitRetirementProposal *p;

      if (rule->status != TACIT_RULE_STATUS_PROPOSED && rule->status != TACIT_RULE_STATUS_APPROVED)
        continue;
      p = propose_rule (rule, find_stats (stats, n_stats, rule->id), replayed,
                        find_evidence (evidence, rule->id));
      if (p->reasons != 0)
        g_ptr_array_add (out, p);
      else
        tacit_retirement_proposal_free (p);
    }
  return out;
}
