/* tacit-ingest.h: where live events land (docs/live-data.md).
 *
 * Sources hand events to a TacitIngest; it stores them, then feeds them to
 * the rule engine in event-time order per machine (one engine per machine),
 * flags late events (older than the last one fed for their machine: stored
 * and flagged, never fed), and records the suggestions the engine makes.
 *
 * It lives in the GMainContext that is thread-default when it is created
 * and uses the store from there only. Producers on other threads (MQTT)
 * queue events into a bounded queue that is drained in batches from that
 * context; a full queue blocks the producer (backpressure) so a burst
 * never grows memory without bound.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tacit-engine.h"
#include "tacit-source-store.h"
#include "tacit-store.h"

G_BEGIN_DECLS

/* A source's state, as the kiosk and `listen` show it. */
typedef enum {
  TACIT_SOURCE_STATE_STOPPED,
  TACIT_SOURCE_STATE_CONNECTING,
  TACIT_SOURCE_STATE_CONNECTED,
  TACIT_SOURCE_STATE_RECONNECTING,  /* the connection failed; retrying with backoff */
  TACIT_SOURCE_STATE_GAP,           /* observations were lost; recorded as a gap event */
  TACIT_SOURCE_STATE_ERROR,         /* bad data from the source; retrying with backoff */
} TacitSourceState;

const char  *tacit_source_state_to_string     (TacitSourceState      state);

/* Jittered exponential backoff: about base_ms * 2^attempt, at most max_ms,
 * drawn uniformly from its upper half so that many kiosks reconnecting to
 * one agent after an outage spread out. */
guint        tacit_backoff_delay_ms           (guint                 attempt,
                                               guint                 base_ms,
                                               guint                 max_ms);

/* Events queued from other threads at most (default). */
#define TACIT_INGEST_DEFAULT_CAPACITY 20000

typedef void (*TacitIngestErrorFunc) (const GError *error,
                                      gpointer      user_data);

#define TACIT_TYPE_INGEST (tacit_ingest_get_type ())
G_DECLARE_FINAL_TYPE (TacitIngest, tacit_ingest, TACIT, INGEST, GObject)

/* Loads the library from the store (approved rules live, proposed in
 * shadow). */
TacitIngest *tacit_ingest_new                 (TacitStore           *store,
                                               GError              **error);
TacitStore  *tacit_ingest_get_store           (TacitIngest          *self);
void         tacit_ingest_set_capacity        (TacitIngest          *self,
                                               guint                 capacity);
/* Called in the ingest's context for every new suggestion, once stored. */
void         tacit_ingest_set_suggestion_func (TacitIngest          *self,
                                               TacitSuggestionFunc   func,
                                               gpointer              user_data);
/* Called when a queued batch could not be stored (it is kept and retried). */
void         tacit_ingest_set_error_func      (TacitIngest          *self,
                                               TacitIngestErrorFunc  func,
                                               gpointer              user_data);

/* From the ingest's context: stores the events (with the source's new
 * position when not NULL, in the same transaction) and runs the engine.
 * On error nothing is stored and the position is unchanged. */
gboolean     tacit_ingest_add_events          (TacitIngest               *self,
                                               const TacitEvent          *events,
                                               guint                      n_events,
                                               const TacitSourcePosition *position,
                                               GError                   **error);
/* From any thread: copies the events into the queue, waiting while it is
 * full (unless the ingest is closing). Queued events equal in every field
 * to one already stored are dropped as redeliveries (MQTT QoS 1 delivers
 * at least once). */
void         tacit_ingest_queue_events        (TacitIngest          *self,
                                               const TacitEvent     *events,
                                               guint                 n_events);
/* From the ingest's context: stores and processes everything queued. */
gboolean     tacit_ingest_flush               (TacitIngest          *self,
                                               GError              **error);
/* Producers stop waiting from now on (so that their threads can be
 * joined); call tacit_ingest_flush() after they stopped. */
void         tacit_ingest_close               (TacitIngest          *self);

guint64      tacit_ingest_get_n_stored        (TacitIngest          *self);
guint64      tacit_ingest_get_n_late          (TacitIngest          *self);
guint64      tacit_ingest_get_n_suggestions   (TacitIngest          *self);
/* Queued events dropped as redeliveries (equal in every field to one
 * already stored). */
guint64      tacit_ingest_get_n_duplicates    (TacitIngest          *self);
/* The most events ever waiting in the queue (to check the bound). */
guint        tacit_ingest_get_max_queued      (TacitIngest          *self);

G_END_DECLS
