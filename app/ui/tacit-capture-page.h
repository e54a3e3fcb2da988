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
/* The proposed rule as it stands (NULL until there is advice text), with
 * provenance author and created (now); the caller saves it. */
TacitRule *tacit_capture_page_build  (TacitCapturePage *self,
                                      const char       *author,
                                      const char       *lang);
/* "When Press 3 reports hydraulic FAULT E1234 and supplier is B, suggest: …" */
char      *tacit_capture_page_review (TacitCapturePage *self);

G_END_DECLS
