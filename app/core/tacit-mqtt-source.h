/* tacit-mqtt-source.h: events from an MQTT broker (libmosquitto), one topic
 * filter per source (docs/live-data.md).
 *
 * Each message's payload is one event in SPEC's JSON shape (or several, one
 * per line). QoS 1, a persistent session (clean session off, a fixed client
 * id) so the broker keeps what arrives while Tacit is away, and automatic
 * reconnection with exponential backoff. libmosquitto runs its own network
 * thread; events go to the ingest's bounded queue (a full queue holds the
 * network thread back, and the broker with it). A malformed payload is
 * counted and reported, never fatal. State changes and reports are
 * signalled in the GMainContext that was thread-default at creation.
 *
 * Call tacit_ingest_close() before stopping sources at shutdown, so that
 * a network thread waiting on a full queue can finish.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tacit-ingest.h"

G_BEGIN_DECLS

#define TACIT_TYPE_MQTT_SOURCE (tacit_mqtt_source_get_type ())
G_DECLARE_FINAL_TYPE (TacitMqttSource, tacit_mqtt_source, TACIT, MQTT_SOURCE, GObject)

/* url: mqtt://HOST[:PORT] (1883 by default). topic: a subscription filter
 * ("plant/+/events"). Fails (G_IO_ERROR_INVALID_ARGUMENT) on a bad URL. */
TacitMqttSource  *tacit_mqtt_source_new            (TacitIngest     *ingest,
                                                    const char      *url,
                                                    const char      *topic,
                                                    GError         **error);
/* Default: "tacit-HOSTNAME-" and a hash of url and topic: stable across
 * runs, which is what keeps the session (and its queued messages). */
void              tacit_mqtt_source_set_client_id  (TacitMqttSource *self,
                                                    const char      *client_id);
const char       *tacit_mqtt_source_get_client_id  (TacitMqttSource *self);
/* Reconnect delay, doubling from min_s up to max_s (default 1 .. 30 s). */
void              tacit_mqtt_source_set_reconnect_delay (TacitMqttSource *self,
                                                         guint            min_s,
                                                         guint            max_s);
const char       *tacit_mqtt_source_get_url        (TacitMqttSource *self);

gboolean          tacit_mqtt_source_start          (TacitMqttSource *self,
                                                    GError         **error);
void              tacit_mqtt_source_stop           (TacitMqttSource *self);

TacitSourceState  tacit_mqtt_source_get_state      (TacitMqttSource *self);
guint64           tacit_mqtt_source_get_n_received (TacitMqttSource *self);
guint64           tacit_mqtt_source_get_n_malformed (TacitMqttSource *self);
/* The last malformed payload's error ("mqtt:TOPIC:LINE: problem"), or NULL. */
char             *tacit_mqtt_source_dup_last_malformed (TacitMqttSource *self);

G_END_DECLS
