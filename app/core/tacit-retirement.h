/* tacit-retirement.h: rules proposed for retirement, with their evidence,
 * so that the library stays lean instead of becoming the next ignored
 * alarm list.
 *
 * A rule that is evaluated (proposed or approved) is proposed when
 *   - mostly dismissed: at least TACIT_RETIREMENT_MIN_ANSWERED answers
 *     (accepted + dismissed) and a dismissed share of at least
 *     TACIT_RETIREMENT_DISMISSED_SHARE;
 *   - chattering: the engine flagged it (3 or more firings on one machine
 *     within a minute) over the replayed history;
 *   - never firing: no firing over the replayed history (which must hold
 *     events);
 *   - no outcome effect: its lift's 95 % interval contains 0 with at least
 *     TACIT_RETIREMENT_MIN_LIFT_N suggestions on each side. The causal lift
 *     (shown vs held out) is used when the rule has a holdout, else the
 *     observational one (outcome when accepted vs when dismissed).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tacit-engine.h"
#include "tacit-evidence.h"

G_BEGIN_DECLS

#define TACIT_RETIREMENT_MIN_ANSWERED     10
#define TACIT_RETIREMENT_DISMISSED_SHARE  0.8
#define TACIT_RETIREMENT_MIN_LIFT_N       10

typedef enum {
  TACIT_RETIREMENT_MOSTLY_DISMISSED = 1 << 0,
  TACIT_RETIREMENT_CHATTERING       = 1 << 1,
  TACIT_RETIREMENT_NEVER_FIRES      = 1 << 2,
  TACIT_RETIREMENT_NO_EFFECT        = 1 << 3,
} TacitRetirementReason;

typedef struct {
  char                  *rule;        /* rule id */
  guint                  revision;
  TacitRetirementReason  reasons;
  guint64                firings;     /* over the replayed history */
  guint64                accepted;
  guint64                dismissed;
  double                 lift;        /* NAN when not computed */
  double                 lift_low;
  double                 lift_high;
  guint64                lift_n_a;    /* n of the two sides of the lift */
  guint64                lift_n_b;
  char                  *evidence;    /* one readable line per reason */
} TacitRetirementProposal;

/* stats: the engine's figures of a replay of the stored history with
 * library (n_stats entries; NULL when there was no replay); evidence:
 * tacit_evidence_compute over the same range (TacitRuleEvidence*, may be
 * NULL); n_events: events replayed. Sorted by rule id.
 * TacitRetirementProposal*. */
GPtrArray *tacit_retirement_propose       (TacitLibrary          *library,
                                           const TacitRuleStats  *stats,
                                           guint                  n_stats,
                                           guint64                n_events,
                                           GPtrArray             *evidence);
char      *tacit_retirement_reasons_to_string (TacitRetirementReason reasons);
void       tacit_retirement_proposal_free (TacitRetirementProposal *proposal);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TacitRetirementProposal, tacit_retirement_proposal_free)

G_END_DECLS
