/* tacit-review-page.h: the desktop's review queue — proposed rules from
 * kiosks with the event they were captured from and their shadow
 * evidence; approve, send back with a comment, reject, retire; duplicate
 * rules flagged and merged; retirement proposals.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tacit-store.h"

G_BEGIN_DECLS

#define TACIT_TYPE_REVIEW_PAGE (tacit_review_page_get_type ())
G_DECLARE_FINAL_TYPE (TacitReviewPage, tacit_review_page, TACIT, REVIEW_PAGE, GtkWidget)

/* actor is the signed-in engineer (copied). */
GtkWidget *tacit_review_page_new    (TacitStore          *store,
                                     const TacitOperator *actor);
/* Re-reads the queue (after the library changed elsewhere). */
void       tacit_review_page_reload (TacitReviewPage     *self);

/* The state a test (or the window) reads: loading in the background, the
 * number of proposed rules and of retirement proposals listed. */
gboolean   tacit_review_page_is_loading       (TacitReviewPage *self);
guint      tacit_review_page_get_n_proposed   (TacitReviewPage *self);
guint      tacit_review_page_get_n_retirement (TacitReviewPage *self);
/* Selects rule_id in the list that holds it and shows it; FALSE when
 * neither does. The page's actions (review.approve, review.send-back,
 * review.reject, review.retire, review.merge) act on the rule shown. */
gboolean   tacit_review_page_select_rule      (TacitReviewPage *self,
                                               const char      *rule_id);

G_END_DECLS
