/* tacit-machine-card.h: one machine's state at a glance (kiosk sidebar).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "tacit-library.h"

G_BEGIN_DECLS

#define TACIT_MACHINE_SILENCE (G_GINT64_CONSTANT (5) * 60 * G_USEC_PER_SEC)

#define TACIT_TYPE_MACHINE_CARD (tacit_machine_card_get_type ())
G_DECLARE_FINAL_TYPE (TacitMachineCard, tacit_machine_card, TACIT, MACHINE_CARD, GtkBox)

GtkWidget  *tacit_machine_card_new       (const TacitMachine *machine);
const char *tacit_machine_card_get_id    (TacitMachineCard   *self);
/* Updates the state from a condition event and the details (lot,
 * supplier, program, tool) from events of this machine. */
void        tacit_machine_card_update    (TacitMachineCard   *self,
                                          const TacitEvent   *event);
/* item → latest value of the machine's discrete events (lot, supplier,
 * program, tool …): what a capture offers as conditions. */
GHashTable *tacit_machine_card_get_values (TacitMachineCard   *self);
/* "running", "warning", "fault" or "unavailable" (no data: nothing yet,
 * UNAVAILABLE, or silent for TACIT_MACHINE_SILENCE). */
const char *tacit_machine_card_get_state (TacitMachineCard   *self);
/* now: the latest event time the kiosk knows (any machine). A machine
 * that sent nothing for TACIT_MACHINE_SILENCE before now reads "No data". */
void        tacit_machine_card_check_silence (TacitMachineCard *self,
                                          TacitTime           now);

/* A machine's display name: its name, else its id. */
const char *tacit_machine_display_name   (const TacitMachine *machine);

G_END_DECLS
