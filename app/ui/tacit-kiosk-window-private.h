/* tacit-kiosk-window-private.h: shared by the kiosk window's files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tacit-capture-page.h"
#include "tacit-kiosk-window.h"
#include "tacit-suggestion-card.h"

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
  gboolean             unlock_for_station; /* …to change the station, not to leave */
  GtkBox              *stations_box;
  GtkBox              *sources_strip; /* one label per live source */
  GPtrArray           *reviews;       /* TacitReview*: unseen notes of the operator */
  GtkWidget           *review_banner;
  GtkLabel            *review_label;
  GtkWidget           *review_edit_button;
  TacitOperator       *operator;

  SigninStage          stage;
  GString             *badge;
  GString             *pin;
  GCancellable        *checking;

  GHashTable          *machine_cards; /* machine id → TacitMachineCard */
  GListStore          *events;        /* TacitEventItem, newest first */
  GArray              *shown_times;   /* TacitTime of live cards shown, for the budget */
  GListStore          *held;          /* TacitSuggestionItem over budget, oldest first */
  GtkLabel            *held_title;
  GtkStack            *held_stack;
  GtkListView         *held_view;
  gint64               held_opened_at; /* monotonic: latency of answers from the list */
  GHashTable          *answered;      /* response id (gint64*) → card, for undo */
  GHashTable          *shelved_by_response; /* response id (gint64*) → shelf id (gint64*) */
  guint                suggestion_timeout;  /* minutes */
  TacitTime            first_event_time;
  TacitTime            last_expiry_sweep;   /* event time */
  GArray              *latencies;     /* gint64 usec event → card mapped */
  TacitTime            last_event_time;
  gint64               last_batch_at; /* monotonic */
  guint                silence_timer;

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
/* Stores the answer to card and takes the card off the page; the
 * response's id, 0 on error (toasted). */
gint64 _tacit_kiosk_window_answer          (TacitKioskWindow    *self,
                                            TacitSuggestionCard *card,
                                            TacitResponseKind    response,
                                            const char          *reason);

/* A card for suggestion (not yet on the page) / shown on the live page. */
GtkWidget *_tacit_kiosk_window_new_card    (TacitKioskWindow    *self,
                                            TacitSuggestion     *suggestion);
void     _tacit_kiosk_window_show_card     (TacitKioskWindow    *self,
                                            TacitSuggestion     *suggestion,
                                            gint64               arrived);

/* tacit-kiosk-window-station.c */
void     _tacit_kiosk_window_station_class_init (GtkWidgetClass *widget_class);
void     _tacit_kiosk_window_station_init  (TacitKioskWindow    *self);
/* An engineer signed in to change the station: the station page. */
void     _tacit_kiosk_window_show_stations (TacitKioskWindow    *self);
/* tacit-kiosk-window.c: the machine cards and titles of self->station. */
void     _tacit_kiosk_window_setup_station (TacitKioskWindow    *self);

/* tacit-kiosk-window-review.c */
void     _tacit_kiosk_window_review_class_init (GtkWidgetClass  *widget_class);
void     _tacit_kiosk_window_review_init   (TacitKioskWindow    *self);
void     _tacit_kiosk_window_show_review_notes (TacitKioskWindow *self);

/* tacit-kiosk-window-held.c */
void     _tacit_kiosk_window_held_class_init (GtkWidgetClass    *widget_class);
void     _tacit_kiosk_window_held_init     (TacitKioskWindow    *self);
void     _tacit_kiosk_window_update_held   (TacitKioskWindow    *self);
void     _tacit_kiosk_window_hold          (TacitKioskWindow    *self,
                                            TacitSuggestion     *suggestion);

/* tacit-kiosk-window-shelve.c */
/* The kiosk's clock: the latest event time, else the wall clock. */
TacitTime _tacit_kiosk_window_now          (TacitKioskWindow    *self);
void     _tacit_kiosk_window_open_shelve   (TacitKioskWindow    *self,
                                            TacitSuggestionCard *card);
/* choice: "lot", "tool", "one-shot" or hours ("1" … "24"). */
gboolean _tacit_kiosk_window_shelve_card   (TacitKioskWindow    *self,
                                            TacitSuggestionCard *card,
                                            const char          *choice,
                                            const char          *comment);
void     _tacit_kiosk_window_unshelve      (TacitKioskWindow    *self,
                                            gint64               response_id);

G_END_DECLS
