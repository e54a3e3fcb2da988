/* tacit-kiosk-window-private.h: shared by the kiosk window's files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tacit-capture-page.h"
#include "tacit-kiosk-window.h"

G_BEGIN_DECLS

typedef enum {
  SIGNIN_BADGE,
  SIGNIN_PIN,
  SIGNIN_CHECKING,
} SigninStage;

struct _TacitKioskWindow
{
  AdwApplicationWindow parent_instance;

  TacitStore          *store;
  TacitLibrary        *library;
  TacitSimulator      *simulator;
  char                *station;
  char                *language;
  guint                budget;
  gboolean             locked;
  gboolean             unlocking;     /* the sign-in page asks for an engineer */
  TacitOperator       *operator;

  SigninStage          stage;
  GString             *badge;
  GString             *pin;
  GCancellable        *checking;

  GHashTable          *machine_cards; /* machine id → TacitMachineCard */
  GListStore          *events;        /* TacitEventItem, newest first */
  GArray              *shown_times;   /* TacitTime of live cards shown, for the budget */
  GPtrArray           *held;          /* TacitSuggestion* over budget, oldest first */
  GHashTable          *answered;      /* response id (gint64*) → card, for undo */
  GArray              *latencies;     /* gint64 usec event → card mapped */
  TacitTime            last_event_time;

  /* template */
  AdwToastOverlay     *toast_overlay;
  GtkStack            *main_stack;
  GtkLabel            *signin_plant_label;
  GtkLabel            *signin_station_label;
  GtkLabel            *prompt_label;
  GtkLabel            *entry_label;
  GtkLabel            *error_label;
  GtkWidget           *cancel_unlock_button;
  GtkLabel            *hint_label;
  GtkGrid             *keypad;
  GtkLabel            *title_label;
  GtkLabel            *connection_label;
  GtkWidget           *held_button;
  AdwButtonContent    *held_content;
  GtkLabel            *operator_label;
  GtkLabel            *language_label;
  GtkBox              *machines_box;
  GtkStack            *suggestions_stack;
  GtkBox              *suggestions_box;
  GtkListView         *events_view;
  TacitCapturePage    *capture_page;
};

/* tacit-kiosk-window-signin.c */
void _tacit_kiosk_window_signin_class_init (GtkWidgetClass   *widget_class);
void _tacit_kiosk_window_signin_init       (TacitKioskWindow *self);
void _tacit_kiosk_window_show_signin       (TacitKioskWindow *self,
                                            gboolean          unlocking);

/* tacit-kiosk-window.c */
void _tacit_kiosk_window_signed_in         (TacitKioskWindow *self,
                                            TacitOperator    *op);
void _tacit_kiosk_window_toast             (TacitKioskWindow *self,
                                            const char       *title,
                                            gint64            undo_response);
char *_tacit_kiosk_window_actor            (const TacitOperator *op);

G_END_DECLS
