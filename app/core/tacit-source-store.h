/* tacit-source-store.h: the store's side of live sources (schema version 3:
 * the sources and late_events tables). Implemented at the end of
 * tacit-store.c; for core modules only (ingest, MTConnect, MQTT).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tacit-store.h"

G_BEGIN_DECLS

/* Where an MTConnect agent has been read up to: the next observation to
 * ask for is (instance_id, next_sequence). */
typedef struct {
  const char *url;
  guint64     instance_id;
  guint64     next_sequence;
} TacitSourcePosition;

/* Stores events live in one transaction together with, when position is
 * not NULL, the source's new position, and late flags: late_behind may be
 * NULL, else late_behind[i] != TACIT_TIME_MIN marks events[i] late, behind
 * that last time seen for its machine. All or nothing. */
gboolean _tacit_store_insert_live_batch     (TacitStore                *self,
                                             const TacitEvent          *events,
                                             guint                      n_events,
                                             const TacitTime           *late_behind,
                                             const TacitSourcePosition *position,
                                             GError                   **error);
/* FALSE with error unset when the source has no stored position. */
gboolean _tacit_store_get_source_position   (TacitStore                *self,
                                             const char                *url,
                                             guint64                   *instance_id,
                                             guint64                   *next_sequence,
                                             GError                   **error);
/* Creates the source row when missing; keeps its position. */
gboolean _tacit_store_set_source_state      (TacitStore                *self,
                                             const char                *url,
                                             const char                *kind,
                                             const char                *state,
                                             const char                *message,
                                             GError                   **error);
/* Registers a machine by id unless it is known: never overwrites the
 * name, class and cell someone set (probe runs on every connection). */
gboolean _tacit_store_add_machine_if_missing (TacitStore               *self,
                                             const char                *id,
                                             const char                *name,
                                             GError                   **error);

/* stored[i] = an event equal in every field (machine, time, kind, item,
 * value, code, text) is already stored: a redelivery. */
gboolean _tacit_store_find_stored_events    (TacitStore                *self,
                                             const TacitEvent          *events,
                                             guint                      n_events,
                                             gboolean                  *stored,
                                             GError                   **error);

G_END_DECLS
