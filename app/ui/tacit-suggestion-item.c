/* tacit-suggestion-item.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-suggestion-item.h"

struct _TacitSuggestionItem
{
  GObject          parent_instance;

  TacitSuggestion *suggestion;
};

G_DEFINE_FINAL_TYPE (TacitSuggestionItem, tacit_suggestion_item, G_TYPE_OBJECT)

static void
tacit_suggestion_item_finalize (GObject *object)
{
  TacitSuggestionItem *self = TACIT_SUGGESTION_ITEM (object);

  g_clear_pointer (&self->suggestion, tacit_suggestion_unref);
  G_OBJECT_CLASS (tacit_suggestion_item_parent_class)->finalize (object);
}

static void
tacit_suggestion_item_class_init (TacitSuggestionItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tacit_suggestion_item_finalize;
}

static void
tacit_suggestion_item_init (TacitSuggestionItem *self)
{
}

TacitSuggestionItem *
tacit_suggestion_item_new (TacitSuggestion *suggestion)
{
  TacitSuggestionItem *self;

  g_return_val_if_fail (suggestion != NULL, NULL);

  self = g_object_new (TACIT_TYPE_SUGGESTION_ITEM, NULL);
  self->suggestion = tacit_suggestion_ref (suggestion);
  return self;
}

TacitSuggestion *
tacit_suggestion_item_get_suggestion (TacitSuggestionItem *self)
{
  g_return_val_if_fail (TACIT_IS_SUGGESTION_ITEM (self), NULL);
  return self->suggestion;
}
