/* tacit-kiosk-window.h: the operator kiosk (sign-in, machines, live
 * suggestions and events).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "tacit-operators.h"
#include "tacit-simulator.h"
#include "tacit-store.h"

G_BEGIN_DECLS

#define TACIT_KIOSK_MAX_EVENTS 200   /* the feed keeps the newest */
#define TACIT_KIOSK_MAX_CARDS  12    /* more unanswered cards: the oldest expires */

#define TACIT_TYPE_KIOSK_WINDOW (tacit_kiosk_window_get_type ())
G_DECLARE_FINAL_TYPE (TacitKioskWindow, tacit_kiosk_window, TACIT, KIOSK_WINDOW, AdwApplicationWindow)

/* station: a cell or a machine id; NULL or "" shows every machine. The
 * window listens to simulator and answers into store. */
TacitKioskWindow    *tacit_kiosk_window_new          (GtkApplication   *application,
                                                      TacitStore       *store,
                                                      TacitLibrary     *library,
                                                      TacitSimulator   *simulator,
                                                      const char       *station);
/* Fullscreen, no way out without an engineer PIN. */
void                 tacit_kiosk_window_set_locked   (TacitKioskWindow *self,
                                                      gboolean          locked);
/* A line under the sign-in (the demo's badges and PINs), or NULL. */
void                 tacit_kiosk_window_set_hint     (TacitKioskWindow *self,
                                                      const char       *hint);
/* "signin", "live" or "capture". */
const char          *tacit_kiosk_window_get_page     (TacitKioskWindow *self);
const TacitOperator *tacit_kiosk_window_get_operator (TacitKioskWindow *self);
/* The station shown ("" for every machine); set with the "station" property. */
const char          *tacit_kiosk_window_get_station  (TacitKioskWindow *self);

/* The status strip: live source index is label ("agent:5000") in state
 * (a TacitSourceState), message the reason (tooltip) or NULL. */
void                 tacit_kiosk_window_set_source_state (TacitKioskWindow *self,
                                                      guint             index,
                                                      const char       *label,
                                                      guint             state,
                                                      const char       *message);

/* For tests and the benchmark. */
guint                tacit_kiosk_window_get_n_cards  (TacitKioskWindow *self);
GtkWidget           *tacit_kiosk_window_get_card     (TacitKioskWindow *self,
                                                      guint             index);
guint                tacit_kiosk_window_get_n_held   (TacitKioskWindow *self);
GtkWidget           *tacit_kiosk_window_get_machine_card (TacitKioskWindow *self,
                                                      const char       *machine);
GListModel          *tacit_kiosk_window_get_events   (TacitKioskWindow *self);
GtkWidget           *tacit_kiosk_window_get_capture_page (TacitKioskWindow *self);
/* Microseconds from an event reaching the engine to its card being mapped,
 * one per card shown on the live page. */
GArray              *tacit_kiosk_window_get_card_latencies (TacitKioskWindow *self);

G_END_DECLS
