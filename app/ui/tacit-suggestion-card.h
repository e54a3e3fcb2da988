/* tacit-suggestion-card.h: one live suggestion on the kiosk.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tacit-store.h"
#include "tacit-suggestion.h"

G_BEGIN_DECLS

#define TACIT_TYPE_SUGGESTION_CARD (tacit_suggestion_card_get_type ())
G_DECLARE_FINAL_TYPE (TacitSuggestionCard, tacit_suggestion_card, TACIT, SUGGESTION_CARD, GtkBox)

/* machine_name and author_name: what the operator reads (the author's
 * name rather than "op-117" when known). */
GtkWidget       *tacit_suggestion_card_new            (TacitSuggestion     *suggestion,
                                                       const char          *machine_name,
                                                       const char          *author_name,
                                                       const char          *lang);
TacitSuggestion *tacit_suggestion_card_get_suggestion (TacitSuggestionCard *self);
void             tacit_suggestion_card_set_language   (TacitSuggestionCard *self,
                                                       const char          *lang);
/* g_get_monotonic_time() when the card was first mapped, 0 before. */
gint64           tacit_suggestion_card_get_shown_at   (TacitSuggestionCard *self);
/* For an answer given elsewhere (the held list): when it was seen there. */
void             tacit_suggestion_card_set_shown_at   (TacitSuggestionCard *self,
                                                       gint64               shown_at);
/* Back to the answer buttons (after an undo). */
void             tacit_suggestion_card_reset          (TacitSuggestionCard *self);

/* "ram_speed −5 %": a structured action as the operator reads it. */
char            *tacit_action_format                  (const TacitAction   *action);
const char      *tacit_severity_icon_name             (TacitSeverity        severity);
const char      *tacit_severity_word                  (TacitSeverity        severity);

G_END_DECLS
