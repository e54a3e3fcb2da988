/* tacit-review.h: review decisions on proposed rules (schema v4 table
 * reviews), duplicate detection and retirement proposals.
 *
 * Every decision is a new rule revision (status approved, retired, or back
 * to draft when sent back / rejected) plus a reviews row plus an audit row,
 * in one transaction, and needs an engineer (tacit-access.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tacit-store.h"

G_BEGIN_DECLS

#define TACIT_REVIEW_ERROR (tacit_review_error_quark ())
GQuark tacit_review_error_quark (void);

typedef enum {
  TACIT_REVIEW_ERROR_COMMENT_REQUIRED = 1, /* send back and reject need one */
  TACIT_REVIEW_ERROR_INVALID,              /* nothing to decide: same status, merge into itself */
} TacitReviewError;

typedef enum {
  TACIT_REVIEW_APPROVED,
  TACIT_REVIEW_SENT_BACK,
  TACIT_REVIEW_REJECTED,
  TACIT_REVIEW_RETIRED,
  TACIT_REVIEW_MERGED,
} TacitReviewDecision;

typedef struct {
  gint64              id;
  char               *rule_id;
  guint               revision;      /* the revision decided on */
  TacitReviewDecision decision;
  char               *comment;       /* may be NULL */
  char               *actor;         /* "eng-4" */
  gint64              at;            /* wall clock, µs */
  gint64              seen_at;       /* 0 until the author saw it */
} TacitReview;

const char  *tacit_review_decision_to_string (TacitReviewDecision decision);
gboolean     tacit_review_decision_from_string (const char         *text,
                                          TacitReviewDecision *out);

/* Decides on the current revision of rule_id (base_revision must be it,
 * else TACIT_STORE_ERROR_CONFLICT). comment is required for SENT_BACK and
 * REJECTED. */
gboolean     tacit_review_decide         (TacitStore          *store,
                                          const char          *rule_id,
                                          guint                base_revision,
                                          TacitReviewDecision  decision,
                                          const char          *comment,
                                          const TacitOperator *actor,
                                          GError             **error);

/* Sent-back (and rejected: the author should know why too) decisions on
 * rules whose author is author (an actor id such as "op-117"; a merged
 * rule's credit lists several), newest first, that the author has not
 * seen yet: the kiosk shows them after sign-in. TacitReview*. */
GPtrArray   *tacit_review_list_unseen_for (TacitStore         *store,
                                          const char          *author,
                                          GError             **error);
/* Every decision on rule_id, oldest first. TacitReview*. */
GPtrArray   *tacit_review_list_for_rule  (TacitStore          *store,
                                          const char          *rule_id,
                                          GError             **error);
gboolean     tacit_review_mark_seen      (TacitStore          *store,
                                          gint64               review_id,
                                          GError             **error);

/* Merges duplicate into keep: keep gets a new revision whose credit
 * (provenance author) lists both authors, space-separated ("op-117
 * op-204"), and the rationale of both when they differ; duplicate is
 * retired with a 'merged' review naming keep. Both base revisions must be
 * current. One transaction; engineer only. */
gboolean     tacit_review_merge          (TacitStore          *store,
                                          const char          *keep_id,
                                          guint                keep_base_revision,
                                          const char          *duplicate_id,
                                          guint                duplicate_base_revision,
                                          const TacitOperator *actor,
                                          GError             **error);

/* The stored event a kiosk capture started from, in one readable line
 * ("press-3 · condition hydraulic = fault, code E1234 · “Pressure low” ·
 * 2026-11-02T06:01:00.000Z"), from the rule's provenance source-event
 * ("MACHINE/ITEM@TIME"). When it is not stored (a live event the kiosk
 * did not keep), the reference itself; NULL for NULL. */
char        *tacit_review_describe_source_event (TacitStore   *store,
                                          const char          *source_event);

void         tacit_review_free           (TacitReview         *review);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TacitReview, tacit_review_free)

G_END_DECLS
