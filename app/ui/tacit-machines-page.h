/* tacit-machines-page.h: the machines registry on the desktop — map each
 * device that agents and brokers report to its name, class and cell (the
 * scope rules are written against and the station a kiosk shows).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tacit-store.h"

G_BEGIN_DECLS

#define TACIT_TYPE_MACHINES_PAGE (tacit_machines_page_get_type ())
G_DECLARE_FINAL_TYPE (TacitMachinesPage, tacit_machines_page, TACIT, MACHINES_PAGE, GtkWidget)

GtkWidget *tacit_machines_page_new    (TacitStore        *store,
                                       const TacitOperator *actor);
/* Re-reads the registry (new devices appear as sources probe them). */
void       tacit_machines_page_reload (TacitMachinesPage *self);

G_END_DECLS
