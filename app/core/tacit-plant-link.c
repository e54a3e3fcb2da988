/* tacit-plant-link.c: a kiosk's link to the plant.
 *
 * Threads: libmosquitto's network thread runs the callbacks, which only
 * note what happened (acknowledged message ids, the latest library
 * message, the connection state) under the lock and wake the worker. The
 * worker owns the store connection and the mid → outbox row map: it
 * deletes acknowledged rows, applies library revisions and publishes the
 * next rows, at most WINDOW unacknowledged at a time. Acknowledgements are
 * handled at the start of an iteration, after every publish of the
 * previous one was mapped, so an early PUBACK can't miss its row.
 *
 * libmosquitto keeps QoS 1 messages it has not seen acknowledged and sends
 * them again after a reconnection (clean session off); after a restart of
 * the process the worker starts again from the first row of the outbox.
 * Either way a message may reach the hub twice; the hub keeps it once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-plant-link.h"

#include <errno.h>
#include <mosquitto.h>
#include <string.h>

#include "tacit-library-xml.h"
#include "tacit-outbox.h"
#include "tacit-store-private.h"

#define KEEPALIVE_S 30
/* Unacknowledged messages at most (memory and mid space stay bounded while
 * a reconnect is pending). */
#define WINDOW 256
/* The worker looks for new outbox rows at least this often. */
#define POLL_MS 100

struct _TacitPlantLink
{
  GObject           parent_instance;

  char             *db_path;
  char             *url;
  char             *host;
  int               port;
  char             *client_id;
  char             *plant;
  char             *kiosk;
  char             *library_topic;
  char             *hub_topic;
  TacitStore       *store;          /* the worker's connection */
  struct mosquitto *mosq;
  GThread          *worker;
  gboolean          running;

  GMutex            lock;           /* guards everything below */
  GCond             wake;
  gboolean          stopping;
  gboolean          connected;
  gboolean          hub_seen;       /* the hub's retained presence arrived */
  GArray           *acked_mids;     /* int */
  char             *library_payload; /* the latest library message not applied yet */
  guint64           published;
  guint64           acknowledged;
  gint64            pending;
  guint             library_revision;
  guint             libraries_applied;
  char             *last_error;

  /* worker only */
  GHashTable       *inflight;       /* mid → seq */
  gint64            last_seq;       /* the last row handed to libmosquitto */
};

G_DEFINE_FINAL_TYPE (TacitPlantLink, tacit_plant_link, G_TYPE_OBJECT)

static gpointer
init_library (gpointer data)
{
  mosquitto_lib_init ();
  return NULL;
}

/* ---- URL and options (shared with the hub) ---- */

gboolean
tacit_plant_mqtt_check_url (const char *url,
                            GError    **error)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_HAS_PASSWORD, NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      (g_strcmp0 (g_uri_get_scheme (uri), "mqtt") != 0 &&
       g_strcmp0 (g_uri_get_scheme (uri), "mqtts") != 0))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s: not an MQTT URL (mqtt://HOST[:PORT] or mqtts://HOST[:PORT])", url);
      return FALSE;
    }
  return TRUE;
}

static gboolean
mosquitto_failed (int          rc,
                  const char  *url,
                  const char  *doing,
                  GError     **error)
{
  if (rc == MOSQ_ERR_SUCCESS)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s: %s: %s", url, doing,
               rc == MOSQ_ERR_ERRNO ? g_strerror (errno) : mosquitto_strerror (rc));
  return FALSE;
}

gboolean
tacit_plant_mqtt_setup (struct mosquitto            *mosq,
                        const char                  *url,
                        const TacitPlantMqttOptions *options,
                        char                       **host,
                        int                         *port,
                        GError                     **error)
{
  static const TacitPlantMqttOptions none = { NULL };
  g_autoptr(GUri) uri = NULL;
  const char *username, *password;
  gboolean tls;

  if (!tacit_plant_mqtt_check_url (url, error))
    return FALSE;
  if (options == NULL)
    options = &none;
  uri = g_uri_parse (url, G_URI_FLAGS_HAS_PASSWORD, NULL);
  tls = g_strcmp0 (g_uri_get_scheme (uri), "mqtts") == 0;
  mosquitto_int_option (mosq, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
  /* A PUBACK per message: without TCP_NODELAY each waits for a delayed ACK
   * (docs/live-data.md). */
  mosquitto_int_option (mosq, MOSQ_OPT_TCP_NODELAY, 1);
  username = options->username != NULL ? options->username : g_uri_get_user (uri);
  password = options->username != NULL ? options->password : g_uri_get_password (uri);
  if (username != NULL &&
      !mosquitto_failed (mosquitto_username_pw_set (mosq, username, password), url,
                         "setting the credentials", error))
    return FALSE;
  if (!tls && (options->cafile != NULL || options->certfile != NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s: certificates need an mqtts:// URL", url);
      return FALSE;
    }
  if ((options->certfile == NULL) != (options->keyfile == NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "%s: a client certificate needs its key, and a key its certificate", url);
      return FALSE;
    }
  if (tls)
    {
      const char *capath = options->capath;

      if (options->cafile == NULL && capath == NULL)
        capath = "/etc/ssl/certs";
      if (!mosquitto_failed (mosquitto_tls_set (mosq, options->cafile, capath, options->certfile,
                                                options->keyfile, NULL),
                             url, "setting up TLS", error))
        return FALSE;
    }
  *host = g_strdup (g_uri_get_host (uri));
  *port = g_uri_get_port (uri) > 0 ? g_uri_get_port (uri) : (tls ? 8883 : 1883);
  return TRUE;
}

struct mosquitto *
tacit_plant_mqtt_new (const char                  *client_id,
                      gpointer                     obj,
                      const char                  *url,
                      const TacitPlantMqttOptions *options,
                      void (*on_connect)    (struct mosquitto *, void *, int),
                      void (*on_disconnect) (struct mosquitto *, void *, int),
                      void (*on_message)    (struct mosquitto *, void *, const struct mosquitto_message *),
                      char                       **host,
                      int                         *port,
                      GError                     **error)
{
  struct mosquitto *mosq = mosquitto_new (client_id, false, obj);

  if (mosq == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: cannot create an MQTT client: %s",
                   url, g_strerror (errno));
      return NULL;
    }
  if (!tacit_plant_mqtt_setup (mosq, url, options, host, port, error))
    {
      mosquitto_destroy (mosq);
      return NULL;
    }
  mosquitto_connect_callback_set (mosq, on_connect);
  mosquitto_disconnect_callback_set (mosq, on_disconnect);
  mosquitto_message_callback_set (mosq, on_message);
  mosquitto_reconnect_delay_set (mosq, 1, 30, true);
  return mosq;
}

gboolean
tacit_plant_mqtt_start (struct mosquitto *mosq,
                        const char       *url,
                        const char       *host,
                        int               port,
                        int               keepalive,
                        char            **connect_error,
                        GError          **error)
{
  int rc = mosquitto_connect_async (mosq, host, port, keepalive);

  /* A broker that is down now is retried by the network thread. */
  if (rc != MOSQ_ERR_SUCCESS)
    *connect_error = g_strdup_printf ("%s: %s", url, rc == MOSQ_ERR_ERRNO ? g_strerror (errno)
                                                                          : mosquitto_strerror (rc));
  rc = mosquitto_loop_start (mosq);
  if (rc != MOSQ_ERR_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: cannot start the MQTT thread: %s",
                   url, mosquitto_strerror (rc));
      return FALSE;
    }
  return TRUE;
}

/* ---- object ---- */

static void
tacit_plant_link_finalize (GObject *object)
{
  TacitPlantLink *self = TACIT_PLANT_LINK (object);

  tacit_plant_link_stop (self);
  g_clear_pointer (&self->mosq, mosquitto_destroy);
  g_clear_object (&self->store);
  g_clear_pointer (&self->inflight, g_hash_table_unref);
  g_clear_pointer (&self->acked_mids, g_array_unref);
  g_free (self->db_path);
  g_free (self->url);
  g_free (self->host);
  g_free (self->client_id);
  g_free (self->plant);
  g_free (self->kiosk);
  g_free (self->library_topic);
  g_free (self->hub_topic);
  g_free (self->library_payload);
  g_free (self->last_error);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->wake);
  G_OBJECT_CLASS (tacit_plant_link_parent_class)->finalize (object);
}

static void
tacit_plant_link_class_init (TacitPlantLinkClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tacit_plant_link_finalize;
}

static void
tacit_plant_link_init (TacitPlantLink *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->wake);
  self->acked_mids = g_array_new (FALSE, FALSE, sizeof (int));
  self->inflight = g_hash_table_new (NULL, NULL);
}

static void
set_error (TacitPlantLink *self,
           const char     *message)
{
  g_mutex_lock (&self->lock);
  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_mutex_unlock (&self->lock);
}

/* ---- network thread ---- */

static void
on_connect (struct mosquitto *mosq,
            void             *data,
            int               rc)
{
  TacitPlantLink *self = data;

  if (rc != 0)
    {
      g_autofree char *message = g_strdup_printf ("%s: %s", self->url, mosquitto_connack_string (rc));

      set_error (self, message);
      return;
    }
  /* The presence is looked for again on every connection: a broker that
   * lost its persistence has lost the hub's session too, and the retained
   * presence with it, until the hub comes back. */
  g_mutex_lock (&self->lock);
  self->hub_seen = FALSE;
  g_mutex_unlock (&self->lock);
  mosquitto_subscribe (mosq, NULL, self->library_topic, 1);
  mosquitto_subscribe (mosq, NULL, self->hub_topic, 1);
  g_mutex_lock (&self->lock);
  self->connected = TRUE;
  g_cond_signal (&self->wake);
  g_mutex_unlock (&self->lock);
}

static void
on_disconnect (struct mosquitto *mosq,
               void             *data,
               int               rc)
{
  TacitPlantLink *self = data;

  g_mutex_lock (&self->lock);
  self->connected = FALSE;
  g_mutex_unlock (&self->lock);
}

static void
on_publish (struct mosquitto *mosq,
            void             *data,
            int               mid)
{
  TacitPlantLink *self = data;

  g_mutex_lock (&self->lock);
  g_array_append_val (self->acked_mids, mid);
  g_cond_signal (&self->wake);
  g_mutex_unlock (&self->lock);
}

static void
on_message (struct mosquitto                *mosq,
            void                            *data,
            const struct mosquitto_message *message)
{
  TacitPlantLink *self = data;

  if (g_strcmp0 (message->topic, self->hub_topic) == 0 && message->payloadlen > 0)
    {
      g_mutex_lock (&self->lock);
      self->hub_seen = TRUE;
      g_cond_signal (&self->wake);
      g_mutex_unlock (&self->lock);
      return;
    }
  if (g_strcmp0 (message->topic, self->library_topic) != 0 || message->payloadlen <= 0)
    return;
  g_mutex_lock (&self->lock);
  g_free (self->library_payload);
  self->library_payload = g_strndup (message->payload, message->payloadlen);
  g_cond_signal (&self->wake);
  g_mutex_unlock (&self->lock);
}

/* ---- worker ---- */

/* A library message (docs/architecture.md): {"schema":1,"type":"library",
 * "revision":N,"xml":"<library …>"}. Read with SQLite's JSON functions on
 * the worker's connection. */
static gboolean
apply_library (TacitPlantLink *self,
               const char     *payload,
               guint          *applied,
               GError        **error)
{
  g_autoptr(TacitOperator) hub = tacit_plant_hub_actor_new ();
  g_autoptr(TacitLibrary) library = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *display = NULL;
  sqlite3_stmt *stmt;
  gint64 schema = 0, revision = 0;
  guint current = 0;
  gboolean ok = FALSE;

  *applied = 0;
  stmt = _tacit_store_prepare (self->store,
                               "SELECT json_valid (?1),"
                               " CASE WHEN json_valid (?1) THEN json_extract (?1, '$.schema') END,"
                               " CASE WHEN json_valid (?1) THEN json_extract (?1, '$.type') END,"
                               " CASE WHEN json_valid (?1) THEN json_extract (?1, '$.revision') END,"
                               " CASE WHEN json_valid (?1) THEN json_extract (?1, '$.xml') END", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, payload, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0) == 1)
    {
      schema = sqlite3_column_int64 (stmt, 1);
      revision = sqlite3_column_int64 (stmt, 3);
      ok = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 2), "library") == 0 &&
           sqlite3_column_type (stmt, 4) == SQLITE_TEXT && revision > 0;
      xml = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
    }
  sqlite3_finalize (stmt);
  if (!ok)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: not a library message", self->library_topic);
      return FALSE;
    }
  if (schema != TACIT_PLANT_MESSAGE_SCHEMA)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "%s: library message schema %" G_GINT64_FORMAT " is not supported (this kiosk reads %d)",
                   self->library_topic, schema, TACIT_PLANT_MESSAGE_SCHEMA);
      return FALSE;
    }
  if (!tacit_outbox_get_config (self->store, NULL, NULL, &current, error) && error != NULL && *error != NULL)
    return FALSE;
  if ((guint) revision <= current)
    return TRUE;
  display = g_strdup_printf ("%s (revision %" G_GINT64_FORMAT ")", self->library_topic, revision);
  library = tacit_library_load_data (xml, strlen (xml), display, error);
  if (library == NULL)
    return FALSE;
  /* The library first, then the revision mark: a crash between the two
   * imports the same revision again on the next retained delivery, which
   * changes nothing. */
  if (!tacit_store_import_library (self->store, library, hub, error) ||
      !tacit_outbox_set_library_revision (self->store, (guint) revision, error))
    return FALSE;
  *applied = (guint) revision;
  return TRUE;
}

static void
remove_acked (TacitPlantLink *self,
              GArray         *mids)
{
  g_autoptr(GArray) seqs = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < mids->len; i++)
    {
      gpointer key = GINT_TO_POINTER (g_array_index (mids, int, i));
      gpointer seq;

      if (g_hash_table_lookup_extended (self->inflight, key, NULL, &seq))
        {
          gint64 s = (gint64) GPOINTER_TO_SIZE (seq);

          g_array_append_val (seqs, s);
          g_hash_table_remove (self->inflight, key);
        }
    }
  if (seqs->len == 0)
    return;
  if (!tacit_outbox_remove (self->store, (gint64 *) seqs->data, seqs->len, &error))
    {
      /* The rows stay; they go out again after the next restart of the
       * link, and the hub keeps them once. */
      set_error (self, error->message);
      return;
    }
  g_mutex_lock (&self->lock);
  self->acknowledged += seqs->len;
  g_mutex_unlock (&self->lock);
}

static void
publish_next (TacitPlantLink *self)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  guint room = WINDOW - MIN (WINDOW, g_hash_table_size (self->inflight));
  guint sent = 0;

  if (room == 0)
    return;
  rows = tacit_outbox_list (self->store, self->last_seq, room, &error);
  if (rows == NULL)
    {
      set_error (self, error->message);
      return;
    }
  for (guint i = 0; i < rows->len; i++)
    {
      TacitOutboxMessage *row = g_ptr_array_index (rows, i);
      g_autofree char *topic = tacit_plant_kiosk_topic (self->plant, self->kiosk, row->type);
      int mid = 0;
      int rc = mosquitto_publish (self->mosq, &mid, topic, (int) strlen (row->payload),
                                  row->payload, 1, false);

      if (rc != MOSQ_ERR_SUCCESS)
        break;    /* not connected any more: the row is published after the reconnect */
      g_hash_table_insert (self->inflight, GINT_TO_POINTER (mid), GSIZE_TO_POINTER ((gsize) row->seq));
      self->last_seq = row->seq;
      sent++;
    }
  g_mutex_lock (&self->lock);
  self->published += sent;
  g_mutex_unlock (&self->lock);
}

static gpointer
worker_main (gpointer data)
{
  TacitPlantLink *self = data;
  gboolean last_round = FALSE;
  gint64 drain_deadline = 0;

  for (;;)
    {
      g_autoptr(GArray) mids = g_array_new (FALSE, FALSE, sizeof (int));
      g_autofree char *library = NULL;
      gboolean connected, hub_seen;
      gint64 pending;

      g_mutex_lock (&self->lock);
      if (self->acked_mids->len == 0 && self->library_payload == NULL && !self->stopping)
        g_cond_wait_until (&self->wake, &self->lock,
                           g_get_monotonic_time () + POLL_MS * G_TIME_SPAN_MILLISECOND);
      g_array_append_vals (mids, self->acked_mids->data, self->acked_mids->len);
      g_array_set_size (self->acked_mids, 0);
      library = g_steal_pointer (&self->library_payload);
      connected = self->connected;
      hub_seen = self->hub_seen;
      if (self->stopping && drain_deadline == 0)
        drain_deadline = g_get_monotonic_time () + G_USEC_PER_SEC;
      g_mutex_unlock (&self->lock);

      remove_acked (self, mids);
      if (library != NULL)
        {
          g_autoptr(GError) error = NULL;
          guint applied = 0;

          if (!apply_library (self, library, &applied, &error))
            set_error (self, error->message);
          else if (applied > 0)
            {
              g_mutex_lock (&self->lock);
              self->library_revision = applied;
              self->libraries_applied++;
              g_mutex_unlock (&self->lock);
            }
        }
      if (last_round)
        break;
      if (drain_deadline != 0)
        {
          /* Stopping: publish nothing new, wait a little for the
           * acknowledgements of what is out. */
          last_round = g_hash_table_size (self->inflight) == 0 || !connected ||
                       g_get_monotonic_time () >= drain_deadline;
          continue;
        }
      /* Only once the hub's session is known to exist: the broker keeps
       * messages for subscriptions it knows, and drops the others after
       * acknowledging them. */
      if (connected && hub_seen)
        publish_next (self);
      pending = tacit_outbox_count (self->store, NULL);
      g_mutex_lock (&self->lock);
      self->pending = pending;
      g_mutex_unlock (&self->lock);
    }
  return NULL;
}

/* ---- public ---- */

TacitPlantLink *
tacit_plant_link_new (const char                  *db_path,
                      const char                  *url,
                      const TacitPlantMqttOptions *options,
                      GError                     **error)
{
  static GOnce once = G_ONCE_INIT;
  g_autoptr(TacitPlantLink) self = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *key = NULL;
  guint revision = 0;

  g_return_val_if_fail (db_path != NULL && url != NULL, NULL);

  g_once (&once, init_library, NULL);
  if (!tacit_plant_mqtt_check_url (url, error))
    return NULL;
  self = g_object_new (TACIT_TYPE_PLANT_LINK, NULL);
  self->db_path = g_strdup (db_path);
  self->url = g_strdup (url);
  self->store = tacit_store_open (db_path, error);
  if (self->store == NULL)
    return NULL;
  if (!tacit_outbox_get_config (self->store, &self->plant, &self->kiosk, &revision, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                     "%s: not a kiosk of a plant (no plant and kiosk name configured)", db_path);
      return NULL;
    }
  self->library_revision = revision;
  self->library_topic = tacit_plant_library_topic (self->plant);
  self->hub_topic = tacit_plant_hub_topic (self->plant);
  key = g_strconcat (self->plant, "/", self->kiosk, NULL);
  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
  /* Stable across runs: the broker keeps the session (and what it
   * queued) for exactly this client id. */
  self->client_id = options != NULL && options->client_id != NULL
                      ? g_strdup (options->client_id)
                      : g_strdup_printf ("tacit-kiosk-%.40s-%.8s", self->kiosk, hash);
  self->mosq = tacit_plant_mqtt_new (self->client_id, self, url, options, on_connect, on_disconnect,
                                     on_message, &self->host, &self->port, error);
  if (self->mosq == NULL)
    return NULL;
  mosquitto_publish_callback_set (self->mosq, on_publish);
  return g_steal_pointer (&self);
}

gboolean
tacit_plant_link_start (TacitPlantLink *self,
                        GError        **error)
{
  g_autofree char *connect_error = NULL;

  g_return_val_if_fail (TACIT_IS_PLANT_LINK (self), FALSE);

  if (self->running)
    return TRUE;
  self->stopping = FALSE;
  self->last_seq = 0;
  g_hash_table_remove_all (self->inflight);
  if (!tacit_plant_mqtt_start (self->mosq, self->url, self->host, self->port, KEEPALIVE_S,
                               &connect_error, error))
    return FALSE;
  if (connect_error != NULL)
    set_error (self, connect_error);
  self->running = TRUE;
  self->worker = g_thread_new ("tacit-plant-link", worker_main, self);
  return TRUE;
}

void
tacit_plant_link_stop (TacitPlantLink *self)
{
  g_return_if_fail (TACIT_IS_PLANT_LINK (self));

  if (!self->running)
    return;
  g_mutex_lock (&self->lock);
  self->stopping = TRUE;
  g_cond_signal (&self->wake);
  g_mutex_unlock (&self->lock);
  g_thread_join (g_steal_pointer (&self->worker));
  mosquitto_disconnect (self->mosq);
  mosquitto_loop_stop (self->mosq, false);
  self->running = FALSE;
  self->connected = FALSE;
}

void
tacit_plant_link_get_status (TacitPlantLink       *self,
                             TacitPlantLinkStatus *status)
{
  g_return_if_fail (TACIT_IS_PLANT_LINK (self));
  g_return_if_fail (status != NULL);

  g_mutex_lock (&self->lock);
  status->connected = self->connected;
  status->hub_seen = self->hub_seen;
  status->published = self->published;
  status->acknowledged = self->acknowledged;
  status->pending = self->pending;
  status->library_revision = self->library_revision;
  status->libraries_applied = self->libraries_applied;
  status->last_error = g_strdup (self->last_error);
  g_mutex_unlock (&self->lock);
}

const char *
tacit_plant_link_get_client_id (TacitPlantLink *self)
{
  g_return_val_if_fail (TACIT_IS_PLANT_LINK (self), NULL);
  return self->client_id;
}
