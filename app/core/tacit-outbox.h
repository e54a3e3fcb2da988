/* tacit-outbox.h: a kiosk's store-and-forward queue (schema version 5).
 *
 * Once a store is configured as a kiosk of a plant, every captured rule,
 * response (and its later latency, station or undo), held suggestion and
 * sign-in is queued in the outbox by triggers, in the transaction of the
 * change itself. The plant link (tacit-plant-link.h) publishes the rows
 * and deletes each one when the broker has acknowledged it. Message
 * schema and topics: docs/architecture.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tacit-store.h"

G_BEGIN_DECLS

/* The "schema" field of every plant message. */
#define TACIT_PLANT_MESSAGE_SCHEMA 1

/* The actor a kiosk writes library revisions from the hub as (badge
 * "plant-hub", role engineer: audit rows read "eng-plant-hub"). Rules
 * saved by it are not sent back to the hub. */
#define TACIT_PLANT_HUB_BADGE "plant-hub"

typedef struct {
  gint64  seq;          /* creation order */
  char   *message_id;
  char   *type;         /* rule, response, response-update, response-undo, held, held-release, sign-in */
  char   *payload;      /* the JSON message */
} TacitOutboxMessage;

void           tacit_outbox_message_free     (TacitOutboxMessage *message);

/* A plant or kiosk name is one MQTT topic level: not empty, no '/', '+',
 * '#' or NUL, at most 64 bytes of UTF-8. */
gboolean       tacit_plant_name_is_valid      (const char    *name);

/* tacit/PLANT/kiosk/KIOSK/TYPE, tacit/PLANT/library, tacit/PLANT/hub. */
char          *tacit_plant_kiosk_topic        (const char    *plant,
                                               const char    *kiosk,
                                               const char    *type);
char          *tacit_plant_library_topic      (const char    *plant);
char          *tacit_plant_hub_topic          (const char    *plant);

/* The hub's actor on a kiosk (free with tacit_operator_free). */
TacitOperator *tacit_plant_hub_actor_new      (void);

/* Makes store a kiosk of plant: from now on, changes are queued. Changing
 * the names later only affects messages queued afterwards. */
gboolean       tacit_outbox_configure         (TacitStore    *store,
                                               const char    *plant,
                                               const char    *kiosk,
                                               GError       **error);
/* FALSE (no error) when the store is not a kiosk. Out parameters may be
 * NULL; strings are newly allocated. */
gboolean       tacit_outbox_get_config        (TacitStore    *store,
                                               char         **plant,
                                               char         **kiosk,
                                               guint         *library_revision,
                                               GError       **error);
/* The hub's library revision applied last (0 when none). */
gboolean       tacit_outbox_set_library_revision (TacitStore *store,
                                               guint          revision,
                                               GError       **error);

/* Queued messages, oldest first, with seq > after_seq; at most limit.
 * TacitOutboxMessage*, NULL on error. */
GPtrArray     *tacit_outbox_list              (TacitStore    *store,
                                               gint64         after_seq,
                                               guint          limit,
                                               GError       **error);
/* Removes acknowledged messages in one transaction; missing ones are
 * ignored. */
gboolean       tacit_outbox_remove            (TacitStore    *store,
                                               const gint64  *seqs,
                                               guint          n_seqs,
                                               GError       **error);
/* -1 on error. */
gint64         tacit_outbox_count             (TacitStore    *store,
                                               GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TacitOutboxMessage, tacit_outbox_message_free)

G_END_DECLS
