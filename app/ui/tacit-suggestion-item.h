/* tacit-suggestion-item.h: one suggestion as a GObject, for list models
 * (the kiosk's held list).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "tacit-suggestion.h"

G_BEGIN_DECLS

#define TACIT_TYPE_SUGGESTION_ITEM (tacit_suggestion_item_get_type ())
G_DECLARE_FINAL_TYPE (TacitSuggestionItem, tacit_suggestion_item, TACIT, SUGGESTION_ITEM, GObject)

TacitSuggestionItem *tacit_suggestion_item_new            (TacitSuggestion     *suggestion);
TacitSuggestion     *tacit_suggestion_item_get_suggestion (TacitSuggestionItem *self);

G_END_DECLS
