/* tacit-mqtt-source.c: events from an MQTT broker (libmosquitto).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-mqtt-source.h"

#include <errno.h>
#include <mosquitto.h>
#include <string.h>

#include "tacit-error.h"
#include "tacit-event-reader.h"

#define KEEPALIVE_S 30

struct _TacitMqttSource
{
  GObject           parent_instance;

  TacitIngest      *ingest;
  GMainContext     *context;
  char             *url;
  char             *host;
  int               port;
  char             *topic;
  char             *client_id;
  char             *display;        /* "mqtt:TOPIC", for error messages */
  guint             delay_min_s;
  guint             delay_max_s;
  struct mosquitto *mosq;
  gboolean          running;

  /* Written by the network thread. */
  GMutex            lock;
  gboolean          stopping;
  char             *last_malformed;
  guint64           n_received;
  guint64           n_malformed;
  TacitSourceState  state;          /* in the main context */
};

G_DEFINE_FINAL_TYPE (TacitMqttSource, tacit_mqtt_source, G_TYPE_OBJECT)

enum {
  SIGNAL_STATE_CHANGED,
  SIGNAL_MALFORMED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static void
tacit_mqtt_source_dispose (GObject *object)
{
  TacitMqttSource *self = TACIT_MQTT_SOURCE (object);

  tacit_mqtt_source_stop (self);
  g_clear_object (&self->ingest);
  G_OBJECT_CLASS (tacit_mqtt_source_parent_class)->dispose (object);
}

static void
tacit_mqtt_source_finalize (GObject *object)
{
  TacitMqttSource *self = TACIT_MQTT_SOURCE (object);

  g_clear_pointer (&self->mosq, mosquitto_destroy);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->url);
  g_free (self->host);
  g_free (self->topic);
  g_free (self->client_id);
  g_free (self->display);
  g_free (self->last_malformed);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (tacit_mqtt_source_parent_class)->finalize (object);
}

static void
tacit_mqtt_source_class_init (TacitMqttSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tacit_mqtt_source_dispose;
  object_class->finalize = tacit_mqtt_source_finalize;

  /* (state as guint TacitSourceState, message or NULL) */
  signals[SIGNAL_STATE_CHANGED] =
    g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
  /* (message): a payload that is not an event */
  signals[SIGNAL_MALFORMED] =
    g_signal_new ("malformed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
tacit_mqtt_source_init (TacitMqttSource *self)
{
  g_mutex_init (&self->lock);
  self->delay_min_s = 1;
  self->delay_max_s = 30;
  self->state = TACIT_SOURCE_STATE_STOPPED;
}

static gpointer
init_library (gpointer data)
{
  mosquitto_lib_init ();
  return NULL;
}

static char *
default_client_id (const char *url,
                   const char *topic)
{
  g_autofree char *key = g_strconcat (url, "\n", topic, NULL);
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);

  /* MQTT 3.1.1 brokers must accept 23 characters; Mosquitto takes more. */
  return g_strdup_printf ("tacit-%.40s-%.8s", g_get_host_name (), hash);
}

TacitMqttSource *
tacit_mqtt_source_new (TacitIngest *ingest,
                       const char  *url,
                       const char  *topic,
                       GError     **error)
{
  static GOnce once = G_ONCE_INIT;
  g_autoptr(TacitMqttSource) self = NULL;
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (TACIT_IS_INGEST (ingest), NULL);
  g_return_val_if_fail (url != NULL && topic != NULL, NULL);

  g_once (&once, init_library, NULL);
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      (g_strcmp0 (g_uri_get_scheme (uri), "mqtt") != 0 &&
       g_strcmp0 (g_uri_get_scheme (uri), "tcp") != 0))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s: not an MQTT URL (mqtt://HOST[:PORT])", url);
      return NULL;
    }
  if (*topic == '\0' || mosquitto_sub_topic_check (topic) != MOSQ_ERR_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s: not a valid MQTT topic filter", topic);
      return NULL;
    }
  self = g_object_new (TACIT_TYPE_MQTT_SOURCE, NULL);
  self->ingest = g_object_ref (ingest);
  self->context = g_main_context_ref_thread_default ();
  self->url = g_strdup (url);
  self->host = g_strdup (g_uri_get_host (uri));
  self->port = g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : 1883;
  self->topic = g_strdup (topic);
  self->display = g_strconcat ("mqtt:", topic, NULL);
  self->client_id = default_client_id (url, topic);
  return g_steal_pointer (&self);
}

void
tacit_mqtt_source_set_client_id (TacitMqttSource *self,
                                 const char      *client_id)
{
  g_return_if_fail (TACIT_IS_MQTT_SOURCE (self));
  g_return_if_fail (client_id != NULL && !self->running);
  g_free (self->client_id);
  self->client_id = g_strdup (client_id);
}

const char *
tacit_mqtt_source_get_client_id (TacitMqttSource *self)
{
  g_return_val_if_fail (TACIT_IS_MQTT_SOURCE (self), NULL);
  return self->client_id;
}

void
tacit_mqtt_source_set_reconnect_delay (TacitMqttSource *self,
                                       guint            min_s,
                                       guint            max_s)
{
  g_return_if_fail (TACIT_IS_MQTT_SOURCE (self));
  self->delay_min_s = MAX (min_s, 1);
  self->delay_max_s = MAX (max_s, self->delay_min_s);
}

const char *
tacit_mqtt_source_get_url (TacitMqttSource *self)
{
  g_return_val_if_fail (TACIT_IS_MQTT_SOURCE (self), NULL);
  return self->url;
}

TacitSourceState
tacit_mqtt_source_get_state (TacitMqttSource *self)
{
  g_return_val_if_fail (TACIT_IS_MQTT_SOURCE (self), TACIT_SOURCE_STATE_STOPPED);
  return self->state;
}

guint64
tacit_mqtt_source_get_n_received (TacitMqttSource *self)
{
  guint64 n;

  g_return_val_if_fail (TACIT_IS_MQTT_SOURCE (self), 0);
  g_mutex_lock (&self->lock);
  n = self->n_received;
  g_mutex_unlock (&self->lock);
  return n;
}

guint64
tacit_mqtt_source_get_n_malformed (TacitMqttSource *self)
{
  guint64 n;

  g_return_val_if_fail (TACIT_IS_MQTT_SOURCE (self), 0);
  g_mutex_lock (&self->lock);
  n = self->n_malformed;
  g_mutex_unlock (&self->lock);
  return n;
}

char *
tacit_mqtt_source_dup_last_malformed (TacitMqttSource *self)
{
  char *message;

  g_return_val_if_fail (TACIT_IS_MQTT_SOURCE (self), NULL);
  g_mutex_lock (&self->lock);
  message = g_strdup (self->last_malformed);
  g_mutex_unlock (&self->lock);
  return message;
}

/* ---- from the network thread to the main context ---- */

typedef struct {
  TacitMqttSource  *self;
  gboolean          malformed;
  TacitSourceState  state;
  char             *message;
} Report;

static void
report_free (Report *report)
{
  g_object_unref (report->self);
  g_free (report->message);
  g_free (report);
}

static void
set_state (TacitMqttSource  *self,
           TacitSourceState  state,
           const char       *message)
{
  if (self->state == state)
    return;
  self->state = state;
  _tacit_store_set_source_state (tacit_ingest_get_store (self->ingest), self->url, "mqtt",
                                 tacit_source_state_to_string (state), message, NULL);
  g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0, (guint) state, message);
}

static gboolean
report_cb (gpointer data)
{
  Report *report = data;
  TacitMqttSource *self = report->self;

  if (report->malformed)
    g_signal_emit (self, signals[SIGNAL_MALFORMED], 0, report->message);
  else if (self->running)
    set_state (self, report->state, report->message);
  return G_SOURCE_REMOVE;
}

static void
post_report (TacitMqttSource  *self,
             gboolean          malformed,
             TacitSourceState  state,
             const char       *message)
{
  Report *report = g_new0 (Report, 1);

  report->self = g_object_ref (self);
  report->malformed = malformed;
  report->state = state;
  report->message = g_strdup (message);
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, report_cb, report,
                              (GDestroyNotify) report_free);
}

static void
on_connect (struct mosquitto *mosq,
            void             *data,
            int               rc)
{
  TacitMqttSource *self = data;

  if (rc != 0)
    {
      post_report (self, FALSE, TACIT_SOURCE_STATE_RECONNECTING, mosquitto_connack_string (rc));
      return;
    }
  /* The persistent session keeps the subscription; subscribing again is
   * harmless and covers a broker that lost its state. */
  mosquitto_subscribe (mosq, NULL, self->topic, 1);
  post_report (self, FALSE, TACIT_SOURCE_STATE_CONNECTED, NULL);
}

static void
on_disconnect (struct mosquitto *mosq,
               void             *data,
               int               rc)
{
  TacitMqttSource *self = data;
  gboolean stopping;

  g_mutex_lock (&self->lock);
  stopping = self->stopping;
  g_mutex_unlock (&self->lock);
  if (!stopping)
    post_report (self, FALSE, TACIT_SOURCE_STATE_RECONNECTING, "connection lost");
}

static void
count_malformed (TacitMqttSource *self,
                 const GError    *error)
{
  g_mutex_lock (&self->lock);
  self->n_malformed++;
  g_free (self->last_malformed);
  self->last_malformed = g_strdup (error->message);
  g_mutex_unlock (&self->lock);
  post_report (self, TRUE, TACIT_SOURCE_STATE_CONNECTED, error->message);
}

/* The payload's events, all or none. */
static gboolean
parse_payload (TacitMqttSource               *self,
               const struct mosquitto_message *message,
               GPtrArray                     *events,
               GError                       **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (message->payload, (gsize) MAX (message->payloadlen, 0));
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);
  g_autofree char *display = g_strconcat ("mqtt:", message->topic, NULL);
  g_autoptr(TacitEventReader) reader =
    tacit_event_reader_new_for_stream (stream, display, TACIT_EVENT_FORMAT_JSONL,
                                       TACIT_EVENT_READER_NONE);
  TacitEvent event;

  while (tacit_event_reader_next (reader, &event, error))
    g_ptr_array_add (events, tacit_event_copy (&event));
  if (error != NULL && *error != NULL)
    return FALSE;
  if (events->len == 0)
    {
      g_set_error (error, TACIT_INPUT_ERROR, TACIT_INPUT_ERROR_SYNTAX,
                   "%s:1: an empty payload", display);
      return FALSE;
    }
  return TRUE;
}

static void
on_message (struct mosquitto               *mosq,
            void                           *data,
            const struct mosquitto_message *message)
{
  TacitMqttSource *self = data;
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree TacitEvent *flat = NULL;

  g_mutex_lock (&self->lock);
  self->n_received++;
  g_mutex_unlock (&self->lock);
  if (!parse_payload (self, message, events, &error))
    {
      count_malformed (self, error);
      return;
    }
  flat = g_new (TacitEvent, events->len);
  for (guint i = 0; i < events->len; i++)
    flat[i] = *(TacitEvent *) g_ptr_array_index (events, i);
  tacit_ingest_queue_events (self->ingest, flat, events->len);
}

/* ---- start and stop ---- */

static gboolean
create_client (TacitMqttSource *self,
               GError         **error)
{
  if (self->mosq != NULL)
    return TRUE;
  self->mosq = mosquitto_new (self->client_id, false, self);
  if (self->mosq == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "%s: cannot create an MQTT client: %s", self->url, g_strerror (errno));
      return FALSE;
    }
  mosquitto_int_option (self->mosq, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
  /* Every QoS 1 message is acknowledged with a 4-byte PUBACK: with Nagle's
   * algorithm those wait for the broker's delayed ACK and throughput falls
   * to a few thousand messages per second (measured, docs/live-data.md). */
  mosquitto_int_option (self->mosq, MOSQ_OPT_TCP_NODELAY, 1);
  mosquitto_connect_callback_set (self->mosq, on_connect);
  mosquitto_disconnect_callback_set (self->mosq, on_disconnect);
  mosquitto_message_callback_set (self->mosq, on_message);
  mosquitto_reconnect_delay_set (self->mosq, self->delay_min_s, self->delay_max_s, true);
  return TRUE;
}

gboolean
tacit_mqtt_source_start (TacitMqttSource *self,
                         GError         **error)
{
  int rc;

  g_return_val_if_fail (TACIT_IS_MQTT_SOURCE (self), FALSE);

  if (self->running)
    return TRUE;
  if (!create_client (self, error))
    return FALSE;
  g_mutex_lock (&self->lock);
  self->stopping = FALSE;
  g_mutex_unlock (&self->lock);
  self->running = TRUE;
  set_state (self, TACIT_SOURCE_STATE_CONNECTING, self->url);
  /* A broker that is down now is not an error: the network thread keeps
   * trying with backoff. */
  rc = mosquitto_connect_async (self->mosq, self->host, self->port, KEEPALIVE_S);
  if (rc != MOSQ_ERR_SUCCESS)
    set_state (self, TACIT_SOURCE_STATE_RECONNECTING,
               rc == MOSQ_ERR_ERRNO ? g_strerror (errno) : mosquitto_strerror (rc));
  rc = mosquitto_loop_start (self->mosq);
  if (rc != MOSQ_ERR_SUCCESS)
    {
      self->running = FALSE;
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: cannot start the MQTT thread: %s",
                   self->url, mosquitto_strerror (rc));
      return FALSE;
    }
  return TRUE;
}

void
tacit_mqtt_source_stop (TacitMqttSource *self)
{
  g_return_if_fail (TACIT_IS_MQTT_SOURCE (self));

  if (!self->running)
    return;
  g_mutex_lock (&self->lock);
  self->stopping = TRUE;
  g_mutex_unlock (&self->lock);
  mosquitto_disconnect (self->mosq);
  mosquitto_loop_stop (self->mosq, false);
  self->running = FALSE;
  set_state (self, TACIT_SOURCE_STATE_STOPPED, NULL);
}
