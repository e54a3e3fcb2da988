/* tacit-event-import-window.h: importing machine history on the desktop —
 * files read as SPEC events, through an import profile, or as SHDR logs;
 * a preview of the first rows as they would be stored before anything is
 * written; the import itself off the main thread with progress and cancel,
 * all or nothing, and what it read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tacit-store.h"

G_BEGIN_DECLS

#define TACIT_TYPE_EVENT_IMPORT_WINDOW (tacit_event_import_window_get_type ())
G_DECLARE_FINAL_TYPE (TacitEventImportWindow, tacit_event_import_window, TACIT, EVENT_IMPORT_WINDOW, AdwWindow)

/* Emits "imported" (no arguments) after an import landed. */
TacitEventImportWindow *tacit_event_import_window_new (GtkWindow           *parent,
                                                       TacitStore          *store,
                                                       const TacitOperator *actor);

G_END_DECLS
