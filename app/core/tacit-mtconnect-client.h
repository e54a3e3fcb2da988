/* tacit-mtconnect-client.h: follows an MTConnect agent over HTTP
 * (libsoup 3), asynchronously, in the GMainContext that is thread-default
 * when it is created (docs/live-data.md).
 *
 * probe (every Device becomes a machine; its name is the machine id), then
 * current, then sample?from=N&count=M tracking nextSequence. The position
 * (instanceId, nextSequence) is stored with the events it covers, so a
 * reconnect continues where the store is and never stores an observation
 * twice. When the agent's buffer has dropped observations Tacit had not
 * read, or the agent restarted, a gap event (item "tacit:gap") is stored
 * for every device of the agent. Failures retry with jittered exponential
 * backoff, forever, until tacit_mtconnect_client_stop().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tacit-ingest.h"

G_BEGIN_DECLS

/* The item of gap events. */
#define TACIT_GAP_ITEM "tacit:gap"

#define TACIT_TYPE_MTCONNECT_CLIENT (tacit_mtconnect_client_get_type ())
G_DECLARE_FINAL_TYPE (TacitMtconnectClient, tacit_mtconnect_client, TACIT, MTCONNECT_CLIENT, GObject)

/* url: the agent's base URL ("http://agent:5000" or with a device path
 * "http://agent:5000/Mazak"); probe, current and sample are appended. */
TacitMtconnectClient *tacit_mtconnect_client_new          (TacitIngest          *ingest,
                                                           const char           *url);
const char           *tacit_mtconnect_client_get_url      (TacitMtconnectClient *self);
/* Polling when the agent has nothing new (default 1000 ms), observations
 * per sample request (default 1000), backoff (default 500 ms .. 60 s). */
void                  tacit_mtconnect_client_set_poll_interval (TacitMtconnectClient *self,
                                                                guint                 ms);
void                  tacit_mtconnect_client_set_count    (TacitMtconnectClient *self,
                                                           guint                 count);
void                  tacit_mtconnect_client_set_backoff  (TacitMtconnectClient *self,
                                                           guint                 base_ms,
                                                           guint                 max_ms);

void                  tacit_mtconnect_client_start        (TacitMtconnectClient *self);
void                  tacit_mtconnect_client_stop         (TacitMtconnectClient *self);

TacitSourceState      tacit_mtconnect_client_get_state    (TacitMtconnectClient *self);
/* Why the state is what it is ("connection refused", the parse error…). */
const char           *tacit_mtconnect_client_get_message  (TacitMtconnectClient *self);
guint64               tacit_mtconnect_client_get_n_gaps   (TacitMtconnectClient *self);
guint64               tacit_mtconnect_client_get_n_errors (TacitMtconnectClient *self);
/* The next sequence to ask for (0 before the first current). */
guint64               tacit_mtconnect_client_get_next_sequence (TacitMtconnectClient *self);

G_END_DECLS
