/* tacit-rule-list-model.h: the library view's GListModel over rule_index.
 *
 * Holds every rule's compact summary (one allocation each, read once from
 * rule_index, no XML) and the positions the current filter and sort
 * leave; items (TacitRuleItem) are made only for the rows a view asks
 * for. Typing that extends the search text filters the rows already
 * shown instead of the whole library.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tacit-rule-index.h"

G_BEGIN_DECLS

typedef enum {
  TACIT_RULE_COLUMN_TITLE,
  TACIT_RULE_COLUMN_ID,
  TACIT_RULE_COLUMN_STATUS,
  TACIT_RULE_COLUMN_KIND,
  TACIT_RULE_COLUMN_SEVERITY,
  TACIT_RULE_COLUMN_SCOPE,
  TACIT_RULE_COLUMN_TRIGGER,
  TACIT_RULE_COLUMN_AUTHOR,
  TACIT_RULE_COLUMN_TAGS,
  TACIT_RULE_COLUMN_REVISION,
  TACIT_RULE_COLUMN_SAVED,
  TACIT_RULE_N_COLUMNS
} TacitRuleColumn;

#define TACIT_TYPE_RULE_ITEM (tacit_rule_item_get_type ())
G_DECLARE_FINAL_TYPE (TacitRuleItem, tacit_rule_item, TACIT, RULE_ITEM, GObject)

const TacitRuleSummary *tacit_rule_item_get_summary (TacitRuleItem *self);
/* The text a column shows for this rule ("class press · cell stamping"). */
char                   *tacit_rule_item_dup_column  (TacitRuleItem *self,
                                                     TacitRuleColumn column);

#define TACIT_TYPE_RULE_LIST_MODEL (tacit_rule_list_model_get_type ())
G_DECLARE_FINAL_TYPE (TacitRuleListModel, tacit_rule_list_model, TACIT, RULE_LIST_MODEL, GObject)

TacitRuleListModel *tacit_rule_list_model_new        (void);
/* (Re)reads every summary from the store and applies filter and sort. */
gboolean            tacit_rule_list_model_load       (TacitRuleListModel    *self,
                                                      TacitStore            *store,
                                                      GError               **error);
/* Copies filter (NULL: everything). */
void                tacit_rule_list_model_set_filter (TacitRuleListModel    *self,
                                                      const TacitRuleFilter *filter);
void                tacit_rule_list_model_set_sort   (TacitRuleListModel    *self,
                                                      TacitRuleColumn        column,
                                                      gboolean               descending);
guint               tacit_rule_list_model_get_n_total (TacitRuleListModel   *self);
/* Position of a rule among the rows shown, or G_MAXUINT. */
guint               tacit_rule_list_model_find       (TacitRuleListModel    *self,
                                                      const char            *rule_id);
/* Sorted distinct values of a column over the whole library (authors,
 * tags, "machine:press-3"/"class:press"/"cell:stamping" for the scope). */
GStrv               tacit_rule_list_model_dup_values (TacitRuleListModel    *self,
                                                      TacitRuleColumn        column);

int                 tacit_rule_column_compare        (TacitRuleColumn         column,
                                                      const TacitRuleSummary *a,
                                                      const TacitRuleSummary *b);

G_END_DECLS
