/* tacit-rule-editor.h: the desktop's rule form — every field of a rule
 * (SPEC "Rule library XML"), validated as you type by the core's own
 * reader and RELAX NG schema, saved as a new revision over the revision
 * it was opened at (a conflict shows both versions, never overwrites).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tacit-store.h"

G_BEGIN_DECLS

#define TACIT_TYPE_RULE_EDITOR (tacit_rule_editor_get_type ())
G_DECLARE_FINAL_TYPE (TacitRuleEditor, tacit_rule_editor, TACIT, RULE_EDITOR, GtkWidget)

/* actor (copied) saves every revision. */
GtkWidget  *tacit_rule_editor_new         (TacitStore          *store,
                                           const TacitOperator *actor);
/* Opens the current revision of rule_id. */
gboolean    tacit_rule_editor_load        (TacitRuleEditor     *self,
                                           const char          *rule_id,
                                           GError             **error);
/* A blank rule (draft, credited to the actor). */
void        tacit_rule_editor_new_rule    (TacitRuleEditor     *self);
/* NULL for a rule not saved yet. */
const char *tacit_rule_editor_get_rule_id (TacitRuleEditor     *self);
/* The validation problem shown beside the form, or NULL when valid. */
const char *tacit_rule_editor_get_problem (TacitRuleEditor     *self);
/* Whether the form differs from the revision it was opened at. */
gboolean    tacit_rule_editor_is_modified (TacitRuleEditor     *self);

G_END_DECLS
