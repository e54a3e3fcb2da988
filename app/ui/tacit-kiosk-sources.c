/* tacit-kiosk-sources.c: live sources on a thread of their own.
 *
 * The thread owns a GMainContext (thread-default there: libsoup and the
 * MQTT source attach to it), its own store connection, the TacitIngest and
 * the sources. State changes are posted to the creating context as
 * idles holding a reference; after stop nothing more is emitted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-kiosk-sources.h"

#include <string.h>

#include "tacit-mqtt-source.h"
#include "tacit-mtconnect-client.h"

typedef struct {
  char *url;      /* the agent's or broker's URL */
  char *topic;    /* MQTT: the subscription filter; NULL for MTConnect */
  char *label;
} Entry;

struct _TacitKioskSources
{
  GObject       parent_instance;

  char         *db_path;
  GArray       *entries;     /* Entry */
  GMainContext *context;     /* the creator's */
  GMainContext *thread_context;
  GMainLoop    *loop;
  GThread      *thread;
  gint          stopped;     /* atomic */
};

G_DEFINE_FINAL_TYPE (TacitKioskSources, tacit_kiosk_sources, G_TYPE_OBJECT)

enum {
  SIGNAL_STATE_CHANGED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static void
entry_clear (Entry *entry)
{
  g_free (entry->url);
  g_free (entry->topic);
  g_free (entry->label);
}

/* ---- to the main context ---- */

typedef struct {
  TacitKioskSources *self;
  guint              index;
  TacitSourceState   state;
  char              *message;
} StateChange;

static void
state_change_free (StateChange *change)
{
  g_object_unref (change->self);
  g_free (change->message);
  g_free (change);
}

static gboolean
state_change_deliver (gpointer data)
{
  StateChange *change = data;

  if (!g_atomic_int_get (&change->self->stopped))
    g_signal_emit (change->self, signals[SIGNAL_STATE_CHANGED], 0, change->index,
                   (guint) change->state, change->message);
  return G_SOURCE_REMOVE;
}

static void
post_state (TacitKioskSources *self,
            guint              index,
            TacitSourceState   state,
            const char        *message)
{
  g_autoptr(GSource) source = g_idle_source_new ();
  StateChange *change = g_new0 (StateChange, 1);

  change->self = g_object_ref (self);
  change->index = index;
  change->state = state;
  change->message = g_strdup (message);
  g_source_set_callback (source, state_change_deliver, change, (GDestroyNotify) state_change_free);
  g_source_set_static_name (source, "[tacit-kiosk-sources] state");
  g_source_attach (source, self->context);
}

/* ---- the thread ---- */

typedef struct {
  TacitKioskSources *self;
  guint              index;
} SourceTag;

static void
source_state_cb (GObject    *source,
                 guint       state,
                 const char *message,
                 SourceTag  *tag)
{
  post_state (tag->self, tag->index, (TacitSourceState) state, message);
}

static void
ingest_error_cb (const GError *error,
                 gpointer      user_data)
{
  g_warning ("Live events could not be stored (kept, retrying): %s", error->message);
}

static gpointer
sources_thread (gpointer data)
{
  TacitKioskSources *self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitStore) store = NULL;
  g_autoptr(TacitIngest) ingest = NULL;
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) mqtt = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) tags = g_ptr_array_new_with_free_func (g_free);

  g_main_context_push_thread_default (self->thread_context);
  if ((store = tacit_store_open (self->db_path, &error)) == NULL ||
      (ingest = tacit_ingest_new (store, &error)) == NULL)
    {
      for (guint i = 0; i < self->entries->len; i++)
        post_state (self, i, TACIT_SOURCE_STATE_ERROR, error->message);
      g_main_context_pop_thread_default (self->thread_context);
      return NULL;
    }
  tacit_ingest_set_error_func (ingest, ingest_error_cb, NULL);
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = &g_array_index (self->entries, Entry, i);
      SourceTag *tag = g_new0 (SourceTag, 1);

      tag->self = self;
      tag->index = i;
      g_ptr_array_add (tags, tag);
      if (entry->topic == NULL)
        {
          TacitMtconnectClient *client = tacit_mtconnect_client_new (ingest, entry->url);

          g_signal_connect (client, "state-changed", G_CALLBACK (source_state_cb), tag);
          tacit_mtconnect_client_start (client);
          g_ptr_array_add (clients, client);
        }
      else
        {
          g_autoptr(GError) local = NULL;
          TacitMqttSource *source = tacit_mqtt_source_new (ingest, entry->url, entry->topic, &local);

          if (source != NULL)
            {
              g_signal_connect (source, "state-changed", G_CALLBACK (source_state_cb), tag);
              if (tacit_mqtt_source_start (source, &local))
                {
                  g_ptr_array_add (mqtt, source);
                  continue;
                }
              g_object_unref (source);
            }
          post_state (self, i, TACIT_SOURCE_STATE_ERROR, local->message);
        }
    }
  if (!g_atomic_int_get (&self->stopped))
    g_main_loop_run (self->loop);

  /* As tacit-cli listen shuts down: stop the sources, store the rest. */
  tacit_ingest_close (ingest);
  for (guint i = 0; i < mqtt->len; i++)
    tacit_mqtt_source_stop (g_ptr_array_index (mqtt, i));
  for (guint i = 0; i < clients->len; i++)
    tacit_mtconnect_client_stop (g_ptr_array_index (clients, i));
  if (!tacit_ingest_flush (ingest, &error))
    g_warning ("Live events lost at shutdown: %s", error->message);
  g_ptr_array_set_size (mqtt, 0);
  g_ptr_array_set_size (clients, 0);
  g_clear_object (&ingest);
  /* Whatever the sources left in the context goes before it does. */
  while (g_main_context_iteration (self->thread_context, FALSE))
    ;
  g_main_context_pop_thread_default (self->thread_context);
  return NULL;
}

/* ---- public ---- */

static gboolean
parse_entry (const char *text,
             Entry      *entry,
             GError    **error)
{
  g_autofree char *spec = g_strstrip (g_strdup (text));
  g_autoptr(GUri) uri = NULL;
  char *space;

  memset (entry, 0, sizeof *entry);
  if ((space = strchr (spec, ' ')) != NULL)
    {
      *space = '\0';
      entry->topic = g_strstrip (g_strdup (space + 1));
    }
  uri = g_uri_parse (spec, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    goto invalid;
  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "mqtt") == 0 ||
      g_ascii_strcasecmp (g_uri_get_scheme (uri), "mqtts") == 0)
    {
      /* The topic as written: "#" and "+" are MQTT wildcards, not URI syntax. */
      const char *path = strchr (strstr (spec, "://") + 3, '/');

      if (entry->topic == NULL && path != NULL && path[1] != '\0')
        entry->topic = g_strdup (path + 1);
      if (entry->topic == NULL || entry->topic[0] == '\0')
        goto invalid;
      entry->url = g_uri_get_port (uri) > 0
                   ? g_strdup_printf ("%s://%s:%d", g_uri_get_scheme (uri), g_uri_get_host (uri), g_uri_get_port (uri))
                   : g_strdup_printf ("%s://%s", g_uri_get_scheme (uri), g_uri_get_host (uri));
      entry->label = g_strdup_printf ("%s %s", entry->url + strlen (g_uri_get_scheme (uri)) + 3, entry->topic);
      return TRUE;
    }
  if ((g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") == 0 ||
       g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0) && entry->topic == NULL)
    {
      entry->url = g_strdup (spec);
      entry->label = g_uri_get_port (uri) > 0
                     ? g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri))
                     : g_strdup (g_uri_get_host (uri));
      return TRUE;
    }

invalid:
  entry_clear (entry);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               "source “%s”: not an MTConnect agent URL (http://host:port) nor an MQTT broker and topic"
               " (mqtt://host:port topic)", text);
  return FALSE;
}

TacitKioskSources *
tacit_kiosk_sources_new (const char        *db_path,
                         const char *const *entries,
                         GError           **error)
{
  g_autoptr(TacitKioskSources) self = g_object_new (TACIT_TYPE_KIOSK_SOURCES, NULL);

  g_return_val_if_fail (db_path != NULL, NULL);

  self->db_path = g_strdup (db_path);
  for (guint i = 0; entries != NULL && entries[i] != NULL; i++)
    {
      Entry entry;

      if (entries[i][0] == '\0')
        continue;
      if (!parse_entry (entries[i], &entry, error))
        return NULL;
      g_array_append_val (self->entries, entry);
    }
  return g_steal_pointer (&self);
}

guint
tacit_kiosk_sources_get_n (TacitKioskSources *self)
{
  g_return_val_if_fail (TACIT_IS_KIOSK_SOURCES (self), 0);
  return self->entries->len;
}

const char *
tacit_kiosk_sources_get_label (TacitKioskSources *self,
                               guint              index)
{
  g_return_val_if_fail (TACIT_IS_KIOSK_SOURCES (self), NULL);
  g_return_val_if_fail (index < self->entries->len, NULL);
  return g_array_index (self->entries, Entry, index).label;
}

void
tacit_kiosk_sources_start (TacitKioskSources *self)
{
  g_return_if_fail (TACIT_IS_KIOSK_SOURCES (self));
  g_return_if_fail (self->thread == NULL);

  if (self->entries->len == 0)
    return;
  g_atomic_int_set (&self->stopped, FALSE);
  self->thread = g_thread_new ("[tacit-kiosk-sources]", sources_thread, self);
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

void
tacit_kiosk_sources_stop (TacitKioskSources *self)
{
  g_return_if_fail (TACIT_IS_KIOSK_SOURCES (self));

  if (self->thread == NULL)
    return;
  g_atomic_int_set (&self->stopped, TRUE);
  g_main_context_invoke_full (self->thread_context, G_PRIORITY_HIGH, quit_cb,
                              g_main_loop_ref (self->loop), (GDestroyNotify) g_main_loop_unref);
  g_thread_join (g_steal_pointer (&self->thread));
}

static void
tacit_kiosk_sources_dispose (GObject *object)
{
  tacit_kiosk_sources_stop (TACIT_KIOSK_SOURCES (object));
  G_OBJECT_CLASS (tacit_kiosk_sources_parent_class)->dispose (object);
}

static void
tacit_kiosk_sources_finalize (GObject *object)
{
  TacitKioskSources *self = TACIT_KIOSK_SOURCES (object);

  g_free (self->db_path);
  g_array_unref (self->entries);
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->thread_context);
  g_main_context_unref (self->context);
  G_OBJECT_CLASS (tacit_kiosk_sources_parent_class)->finalize (object);
}

static void
tacit_kiosk_sources_class_init (TacitKioskSourcesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tacit_kiosk_sources_dispose;
  object_class->finalize = tacit_kiosk_sources_finalize;

  /* state-changed: the entry's index, its TacitSourceState, why (or NULL). */
  signals[SIGNAL_STATE_CHANGED] =
    g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_STRING);
}

static void
tacit_kiosk_sources_init (TacitKioskSources *self)
{
  self->entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  g_array_set_clear_func (self->entries, (GDestroyNotify) entry_clear);
  self->context = g_main_context_ref_thread_default ();
  self->thread_context = g_main_context_new ();
  self->loop = g_main_loop_new (self->thread_context, FALSE);
}
