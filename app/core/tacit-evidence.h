/* tacit-evidence.h: per-rule evidence from the store's suggestions,
 * responses and outcomes (shared by tacit-cli report and the desktop).
 *
 * Definitions (docs/dataset.md says the same for users):
 *   - a suggestion "had the outcome" when its outcome window closed with
 *     at least one matching event (outcome >= 1); suggestions whose window
 *     is open, or whose rule has no <outcome>, count in no outcome rate;
 *   - a suggestion's response is its latest (responded_at, then record
 *     order), as in the export;
 *   - acceptance = accepted / (accepted + dismissed);
 *   - lift = outcome rate when shown (mode live) − outcome rate when held
 *     out (mode held-out): the holdout is random, so this difference is the
 *     rule's causal effect on the outcome. Its 95 % interval is Newcombe's
 *     hybrid score interval (method 10), built from the two Wilson
 *     intervals. relative_lift = shown / held-out − 1.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tacit-store.h"

G_BEGIN_DECLS

/* k of n, with the 95 % Wilson score interval. rate, low and high are NAN
 * when n is 0. */
typedef struct {
  guint64 k;
  guint64 n;
  double  rate;
  double  low;
  double  high;
} TacitProportion;

typedef struct {
  char            *rule;             /* rule id */
  guint            revision;         /* highest revision that fired */
  guint64          firings;          /* suggestions of every mode */
  guint64          live;
  guint64          shadow;
  guint64          held_out;
  guint64          accepted;
  guint64          dismissed;
  guint64          expired;
  guint64          unanswered;       /* live suggestions with no response */
  TacitProportion  acceptance;       /* accepted of accepted + dismissed */
  TacitProportion  outcome_accepted; /* outcome rate when accepted */
  TacitProportion  outcome_dismissed;
  TacitProportion  outcome_shown;    /* live */
  TacitProportion  outcome_held_out;
  double           lift;             /* shown − held out; NAN when either n is 0 */
  double           lift_low;
  double           lift_high;
  double           relative_lift;    /* shown / held out − 1; NAN when held-out rate is 0 */
} TacitRuleEvidence;

/* The 95 % Wilson score interval of k successes in n trials. */
void       tacit_proportion_init     (TacitProportion         *p,
                                      guint64                  k,
                                      guint64                  n);
/* Newcombe's interval for a.rate − b.rate; NAN bounds when either n is 0. */
void       tacit_proportion_diff     (const TacitProportion   *a,
                                      const TacitProportion   *b,
                                      double                  *diff,
                                      double                  *low,
                                      double                  *high);

/* TacitRuleEvidence* (free with tacit_rule_evidence_free), one per rule
 * that fired in [from, to) (suggestion time), sorted by rule id byte by
 * byte. */
GPtrArray *tacit_evidence_compute    (TacitStore              *store,
                                      TacitTime                from,
                                      TacitTime                to,
                                      GError                 **error);
void       tacit_rule_evidence_free  (TacitRuleEvidence       *evidence);

/* One JSON object (fixed key order, no newline); NAN prints as null. */
void       tacit_rule_evidence_to_json (const TacitRuleEvidence *evidence,
                                        GString                 *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TacitRuleEvidence, tacit_rule_evidence_free)

G_END_DECLS
