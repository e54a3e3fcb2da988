/* tacit-hub.h: the plant hub (docs/architecture.md).
 *
 * Subscribes to every kiosk's messages (tacit/PLANT/kiosk/+/+, QoS 1,
 * persistent session) and stores each one idempotently into the hub's
 * database: the message id goes into received_messages in the same
 * transaction as the row it describes, so a redelivered message is
 * recognised and never makes a second row. Publishes the approved library
 * (approved and retired rules) as a retained message on tacit/PLANT/library
 * at start and whenever the hub database's library changes. Engineer
 * desktops work on the hub's database file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tacit-plant-link.h"
#include "tacit-store.h"

G_BEGIN_DECLS

#define TACIT_TYPE_HUB (tacit_hub_get_type ())
G_DECLARE_FINAL_TYPE (TacitHub, tacit_hub, TACIT, HUB, GObject)

typedef struct {
  gboolean connected;
  guint64  received;          /* messages taken off the network */
  guint64  stored;            /* stored for the first time */
  guint64  duplicates;        /* redeliveries recognised by their id */
  guint64  conflicts;         /* rule revisions refused: the hub's rule changed meanwhile */
  guint64  refused;           /* malformed, not allowed, or not storable */
  guint    library_revision;  /* revision published last (0: none yet) */
  guint    libraries_published;
  char    *last_error;        /* free with g_free */
} TacitHubStatus;

TacitHub *tacit_hub_new        (const char                  *db_path,
                                const char                  *url,
                                const char                  *plant,
                                const TacitPlantMqttOptions *options,
                                GError                     **error);
gboolean  tacit_hub_start      (TacitHub        *self,
                                GError         **error);
/* Stores what has arrived, then disconnects. */
void      tacit_hub_stop       (TacitHub        *self);
void      tacit_hub_get_status (TacitHub        *self,
                                TacitHubStatus  *status);

/* Stores one kiosk message (payload of a message on topic) into store,
 * idempotently; what tacit_hub does for each message. Sets *outcome to
 * "stored", "duplicate", "conflict", "refused" or "orphan". */
gboolean  tacit_hub_store_message (TacitStore   *store,
                                   const char   *topic,
                                   const char   *payload,
                                   gsize         len,
                                   const char  **outcome,
                                   GError      **error);

/* The library the hub distributes: its approved and retired rules, and
 * the machines; NULL (no error) when it has no such rule. */
TacitLibrary *tacit_hub_dup_published_library (TacitStore *store,
                                               GError    **error);

/* ---- conflicts (engineer desktops sharing the hub database) ---- */

/* tacit_store_save_rule(); when the rule was changed meanwhile
 * (TACIT_STORE_ERROR_CONFLICT), *current is set to the revision now in
 * the store, so that both versions can be shown: the edit (rule, left as
 * it was) and the stored one. */
gboolean  tacit_hub_save_rule  (TacitStore          *store,
                                TacitRule           *rule,
                                guint                base_revision,
                                const TacitOperator *actor,
                                TacitRule          **current,
                                GError             **error);

G_END_DECLS
