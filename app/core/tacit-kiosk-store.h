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

/* Unanswered suggestions expire (SPEC: "when nobody answered before the
 * next shift or the configured timeout"): a suggestion fired at `fired`
 * has expired at `now` when timeout has passed or a shift began in
 * between (shifts as tacit-dataset's defaults: 06:00, 14:00 and 22:00
 * UTC). Times are event times (the kiosk's clock). */
gboolean   tacit_kiosk_suggestion_expired (TacitTime       fired,
                                           TacitTime       now,
                                           TacitTime       timeout);
/* The open suggestions expired at now, oldest first (suggestion ids):
 * live, not answered, not held, fired on one of machines (NULL: any) at
 * or after since (earlier ones, e.g. history replayed into the same
 * database, were never shown to anyone). */
GPtrArray *tacit_kiosk_list_expired       (TacitStore         *store,
                                           const char *const  *machines,
                                           TacitTime           since,
                                           TacitTime           now,
                                           TacitTime           timeout,
                                           GError            **error);

/* Library revisions arriving while a kiosk runs (the plant link imports
 * them through another connection). Cheap enough to ask before every
 * event: only when another connection committed since *data_version
 * (SQLite's PRAGMA data_version, updated here) is the library row read.
 * *changed tells whether the revision differs from *revision, which is
 * updated. */
gboolean tacit_kiosk_poll_library_revision (TacitStore   *store,
                                            gint64       *data_version,
                                            guint        *revision,
                                            gboolean     *changed,
                                            GError      **error);
/* Live events stored by another connection (tacit-cli listen, the
 * kiosk's sources through TacitIngest), after the position (time, id),
 * in time order, at most max per call; the position moves past them.
 * Events stored later with an older time than the position are not
 * returned (the engine could not take them either). Strings are valid
 * during func only. Returns the number read, -1 on error. */
typedef void (*TacitKioskEventFunc) (const TacitEvent *event,
                                     gpointer          user_data);
gint64   tacit_kiosk_read_live_events      (TacitStore          *store,
                                            TacitTime           *after_time,
                                            gint64              *after_id,
                                            guint                max,
                                            TacitKioskEventFunc  func,
                                            gpointer             user_data,
                                            GError             **error);
/* The position of the newest live event stored (TACIT_TIME_MIN, 0 when
 * none): reading from there skips what came before. */
gboolean tacit_kiosk_live_events_end       (TacitStore          *store,
                                            TacitTime           *time,
                                            gint64              *id,
                                            GError             **error);

/* Marks suggestions (stored already) with the library revision in force
 * when they fired (suggestions.library_revision), in one transaction. */
gboolean tacit_kiosk_set_library_revision  (TacitStore       *store,
                                            TacitSuggestion **suggestions,
                                            guint             n_suggestions,
                                            guint             revision,
                                            GError          **error);

G_END_DECLS
