/* tacit-engine.h: the deterministic rule engine (SPEC "Engine semantics").
 *
 * Feed events in time order with tacit_engine_push(); call
 * tacit_engine_finish() at the end of a replay. Time is event time only.
 *
 * Two callbacks: `fired` as soon as a suggestion exists (the kiosk shows it
 * at once; its outcome is still open), and `ready` when its outcome window
 * has closed or the replay ended — always in firing order, so a replay can
 * print complete suggestions as a stream.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "tacit-library.h"
#include "tacit-suggestion.h"

G_BEGIN_DECLS

typedef void (*TacitSuggestionFunc) (TacitSuggestion *suggestion,
                                     gpointer         user_data);

/* Per rule figures of one run. */
typedef struct {
  TacitRule *rule;
  guint64    firings;            /* emitted suggestions (live, shadow, held-out) */
  guint64    suppressed;         /* firings swallowed by cooldown */
  gboolean   flood;              /* > 10 firings on one machine within 10 minutes */
  gboolean   chattering;         /* >= 3 firings on one machine within 1 minute */
} TacitRuleStats;

#define TACIT_TYPE_ENGINE (tacit_engine_get_type ())
G_DECLARE_FINAL_TYPE (TacitEngine, tacit_engine, TACIT, ENGINE, GObject)

/* Compiles the library: draft and retired rules are not evaluated,
 * proposed ones run in shadow, approved ones live. Scopes by class and
 * cell use the library's machines registry. */
TacitEngine    *tacit_engine_new              (TacitLibrary        *library);

void            tacit_engine_set_fired_func   (TacitEngine         *self,
                                               TacitSuggestionFunc  func,
                                               gpointer             user_data);
void            tacit_engine_set_ready_func   (TacitEngine         *self,
                                               TacitSuggestionFunc  func,
                                               gpointer             user_data);

/* Processes one event. Events must come in non-decreasing time; an older
 * one is refused with TACIT_INPUT_ERROR_UNSORTED and changes nothing. */
gboolean        tacit_engine_push             (TacitEngine         *self,
                                               const TacitEvent    *event,
                                               GError             **error);
/* End of input: pending on-delays never fire, open outcome windows stay
 * null, every remaining suggestion is handed to `ready`. */
void            tacit_engine_finish           (TacitEngine         *self);

guint64         tacit_engine_get_n_events     (TacitEngine         *self);
TacitTime       tacit_engine_get_first_time   (TacitEngine         *self);
TacitTime       tacit_engine_get_last_time    (TacitEngine         *self);
/* One entry per evaluated rule, sorted by rule id. */
const TacitRuleStats *tacit_engine_get_stats  (TacitEngine         *self,
                                               guint               *n_stats);

/* The latest value of item on machine, or NULL. */
const char     *tacit_engine_lookup_value     (TacitEngine         *self,
                                               const char          *machine,
                                               const char          *item);

G_END_DECLS
