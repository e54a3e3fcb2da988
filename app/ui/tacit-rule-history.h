/* tacit-rule-history.h: every revision of a rule with who saved it and
 * when; select two (or one: against the revision before it) to read a
 * line diff of their canonical XML.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tacit-store.h"

G_BEGIN_DECLS

#define TACIT_TYPE_RULE_HISTORY (tacit_rule_history_get_type ())
G_DECLARE_FINAL_TYPE (TacitRuleHistory, tacit_rule_history, TACIT, RULE_HISTORY, AdwWindow)

GtkWindow *tacit_rule_history_new           (TacitStore       *store,
                                             const char       *rule_id,
                                             GtkWindow        *parent);
guint      tacit_rule_history_get_n_revisions (TacitRuleHistory *self);
/* Shows the diff from revision old_revision to new_revision. */
gboolean   tacit_rule_history_compare       (TacitRuleHistory *self,
                                             guint             old_revision,
                                             guint             new_revision);
/* The diff as shown ("  same", "- removed", "+ added" lines). */
char      *tacit_rule_history_dup_diff_text (TacitRuleHistory *self);

G_END_DECLS
