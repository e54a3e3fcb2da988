/* tacit-capture-page.h: "Add what you know", started from an event.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tacit-rule.h"

G_BEGIN_DECLS

#define TACIT_TYPE_CAPTURE_PAGE (tacit_capture_page_get_type ())
G_DECLARE_FINAL_TYPE (TacitCapturePage, tacit_capture_page, TACIT, CAPTURE_PAGE, GtkBox)

GtkWidget *tacit_capture_page_new    (void);
/* Starts over from event on machine_name, offering state (item → value,
 * the machine's latest values) as condition chips. */
void       tacit_capture_page_start  (TacitCapturePage *self,
                                      const TacitEvent *event,
                                      const char       *machine_name,
                                      GHashTable       *state);
/* Reworking a sent-back rule: its trigger and conditions as they are,
 * the kind, advice (in lang) and action prefilled; the build is a new
 * revision of it, proposed again. */
void       tacit_capture_page_start_edit (TacitCapturePage *self,
                                      const TacitRule  *rule,
                                      const char       *machine_name,
                                      const char       *lang);
/* The revision being reworked (0 for a new rule). */
guint      tacit_capture_page_get_base_revision (TacitCapturePage *self);
/* The proposed rule as it stands (NULL until there is advice text), with
 * provenance author and created (now); the caller saves it. */
TacitRule *tacit_capture_page_build  (TacitCapturePage *self,
                                      const char       *author,
                                      const char       *lang);
/* "When Press 3 reports hydraulic FAULT E1234 and supplier is B, suggest: …" */
char      *tacit_capture_page_review (TacitCapturePage *self);
/* The structured action as the card will show it ("ram speed → 85 %"),
 * or NULL when none is complete. */
char      *tacit_capture_page_dup_action (TacitCapturePage *self);
/* What the numeric keypad has typed so far ("85", "-2.5"). */
const char *tacit_capture_page_get_amount (TacitCapturePage *self);

G_END_DECLS
