/* tacit-kiosk-store.h: what a kiosk keeps in the store besides operators:
 * responses with their latency and station, undo, held suggestions, and a
 * rule's record for "Why?".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tacit-store.h"

G_BEGIN_DECLS

typedef struct {
  guint64 fired;       /* stored suggestions of the rule (every mode) */
  guint64 accepted;    /* suggestions whose latest response is accepted */
  guint64 dismissed;
  guint64 followed;    /* with a closed outcome window and outcome > 0 */
  guint64 closed;      /* with a closed outcome window */
} TacitRuleRecord;

/* Stores a response like tacit_store_record_response() plus the latency
 * (wall clock from the card being shown to the tap, in ms) and station,
 * in one transaction. Returns the response's row id (> 0), 0 on error. */
gint64   tacit_kiosk_record_response (TacitStore        *store,
                                      const char        *suggestion_id,
                                      TacitResponseKind  response,
                                      const char        *reason,
                                      const char        *actor,
                                      const char        *station,
                                      TacitTime          responded_at,
                                      gint64             latency_ms,
                                      GError           **error);
/* Takes a response back (the toast's Undo): the row goes, the audit log
 * keeps both the response and its undoing. */
gboolean tacit_kiosk_undo_response   (TacitStore        *store,
                                      gint64             response_id,
                                      const char        *actor,
                                      GError           **error);

/* A live suggestion over the station's budget: kept, listed, never lost.
 * The suggestion must be stored already. Holding it twice is harmless. */
gboolean tacit_kiosk_hold_suggestion (TacitStore        *store,
                                      const char        *suggestion_id,
                                      const char        *station,
                                      gint64             now,
                                      GError           **error);
/* Marks a held suggestion as shown after all. */
gboolean tacit_kiosk_release_held    (TacitStore        *store,
                                      const char        *suggestion_id,
                                      gint64             now,
                                      GError           **error);
/* Held and not released, for station. */
guint64  tacit_kiosk_count_held      (TacitStore        *store,
                                      const char        *station,
                                      GError           **error);

gboolean tacit_kiosk_rule_record     (TacitStore        *store,
                                      const char        *rule_id,
                                      TacitRuleRecord   *out,
                                      GError           **error);

G_END_DECLS
