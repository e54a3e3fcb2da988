/* tacit-plant-link.h: a kiosk's link to the plant (docs/architecture.md).
 *
 * Publishes the outbox (tacit-outbox.h) to the plant's MQTT broker with
 * QoS 1 in a persistent session (clean session off, a stable client id)
 * and deletes each row only when the broker acknowledges it (PUBACK), so
 * nothing is lost while the broker or the network is down: rows wait in
 * the store and go out, in order, on reconnection. Nothing is published
 * before the hub's retained presence message has arrived (the hub has
 * subscribed, so the broker keeps what is published for it). Subscribes to the
 * retained library topic and writes each newer revision into the kiosk's
 * store in one transaction (tacit_store_import_library as the hub actor);
 * the kiosk's engine picks it up between events.
 *
 * The link runs in its own threads (libmosquitto's network thread and a
 * worker with its own TacitStore connection on the kiosk's database):
 * nothing of it runs in the caller's main loop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

struct mosquitto;
struct mosquitto_message;

/* How to reach the broker. URL: mqtt://[USER[:PASSWORD]@]HOST[:PORT]
 * (1883) or mqtts://…[:PORT] (8883, TLS). Every field may be NULL. */
typedef struct {
  const char *client_id;   /* default: derived from the plant and kiosk (or hub) names */
  const char *cafile;      /* TLS: CA certificate(s) to trust (PEM); default the system's */
  const char *capath;
  const char *certfile;    /* TLS client certificate (PEM) and its key, for brokers */
  const char *keyfile;     /*   with require_certificate */
  const char *username;    /* overrides the URL's user and password */
  const char *password;
} TacitPlantMqttOptions;

/* Applies the URL and options to a client made with mosquitto_new():
 * protocol 3.1.1, TCP_NODELAY, credentials, TLS. Sets *host and *port. */
gboolean       tacit_plant_mqtt_setup         (struct mosquitto            *mosq,
                                               const char                  *url,
                                               const TacitPlantMqttOptions *options,
                                               char                       **host,
                                               int                         *port,
                                               GError                     **error);
/* A client with a persistent session (clean_session false) for client_id,
 * set up by tacit_plant_mqtt_setup(), with the callbacks both ends of the
 * plant use and reconnects backing off from 1 to 30 s. NULL on error. */
struct mosquitto *tacit_plant_mqtt_new        (const char                  *client_id,
                                               gpointer                     obj,
                                               const char                  *url,
                                               const TacitPlantMqttOptions *options,
                                               void (*on_connect)    (struct mosquitto *, void *, int),
                                               void (*on_disconnect) (struct mosquitto *, void *, int),
                                               void (*on_message)    (struct mosquitto *, void *,
                                                                      const struct mosquitto_message *),
                                               char                       **host,
                                               int                         *port,
                                               GError                     **error);
/* Connects asynchronously and starts libmosquitto's network thread. A
 * broker that is down is not an error (the thread retries): its reason
 * comes back in *connect_error. FALSE only when the thread can't start. */
gboolean          tacit_plant_mqtt_start      (struct mosquitto            *mosq,
                                               const char                  *url,
                                               const char                  *host,
                                               int                          port,
                                               int                          keepalive,
                                               char                       **connect_error,
                                               GError                     **error);
/* FALSE with a message when url is not mqtt:// or mqtts://. */
gboolean       tacit_plant_mqtt_check_url     (const char                  *url,
                                               GError                     **error);

#define TACIT_TYPE_PLANT_LINK (tacit_plant_link_get_type ())
G_DECLARE_FINAL_TYPE (TacitPlantLink, tacit_plant_link, TACIT, PLANT_LINK, GObject)

typedef struct {
  gboolean connected;
  gboolean hub_seen;           /* the hub's presence arrived: publishing is safe */
  guint64  published;          /* PUBLISH packets sent (resends after a restart included) */
  guint64  acknowledged;       /* rows deleted on PUBACK */
  gint64   pending;            /* rows in the outbox at the last look */
  guint    library_revision;   /* the hub's revision applied last */
  guint    libraries_applied;  /* since start */
  char    *last_error;         /* NULL when none; free with g_free */
} TacitPlantLinkStatus;

/* db_path must be a kiosk store (tacit_outbox_configure). */
TacitPlantLink *tacit_plant_link_new          (const char                  *db_path,
                                               const char                  *url,
                                               const TacitPlantMqttOptions *options,
                                               GError                     **error);
/* Connects in the background; a broker that is down is retried with
 * backoff (1 s to 30 s), never an error. */
gboolean        tacit_plant_link_start        (TacitPlantLink  *self,
                                               GError         **error);
/* Waits up to 1 s for outstanding acknowledgements, then disconnects.
 * Unacknowledged rows stay in the outbox for the next start. */
void            tacit_plant_link_stop         (TacitPlantLink  *self);
void            tacit_plant_link_get_status   (TacitPlantLink       *self,
                                               TacitPlantLinkStatus *status);
const char     *tacit_plant_link_get_client_id (TacitPlantLink *self);

G_END_DECLS
