/* tacit-cli-listen.c: `tacit-cli listen`: follow MTConnect agents and MQTT
 * topics headless, storing events and suggestions until SIGINT/SIGTERM.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-cli.h"

#include <glib-unix.h>
#include <signal.h>

#include "tacit-ingest.h"
#include "tacit-mqtt-source.h"
#include "tacit-mtconnect-client.h"

typedef struct {
  char    **mtconnect;
  char    **mqtt;
  char    **topics;
  int       poll_ms;
  char     *client_id;
} ListenArgs;

typedef struct {
  GMainLoop *loop;
  int        signal;
} Stop;

static void
listen_args_clear (ListenArgs *args)
{
  g_strfreev (args->mtconnect);
  g_strfreev (args->mqtt);
  g_strfreev (args->topics);
  g_free (args->client_id);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ListenArgs, listen_args_clear)

static void
state_changed_cb (GObject    *source,
                  guint       state,
                  const char *message,
                  gpointer    url)
{
  if (message != NULL && g_strcmp0 (message, url) != 0)
    g_printerr ("tacit-cli listen: %s: %s: %s\n", (const char *) url,
                tacit_source_state_to_string (state), message);
  else
    g_printerr ("tacit-cli listen: %s: %s\n", (const char *) url,
                tacit_source_state_to_string (state));
}

static void
malformed_cb (GObject    *source,
              const char *message,
              gpointer    url)
{
  g_printerr ("tacit-cli listen: %s: malformed payload ignored: %s\n", (const char *) url, message);
}

static void
ingest_error_cb (const GError *error,
                 gpointer      user_data)
{
  g_printerr ("tacit-cli listen: storing failed (kept, retrying): %s\n", error->message);
}

static gboolean
stop_cb (gpointer data)
{
  Stop *stop = data;

  g_main_loop_quit (stop->loop);
  return G_SOURCE_CONTINUE;
}

static gboolean
check_args (const ListenArgs *args,
            int              *status)
{
  guint n_mqtt = args->mqtt ? g_strv_length (args->mqtt) : 0;
  guint n_topics = args->topics ? g_strv_length (args->topics) : 0;

  if (args->mtconnect == NULL && n_mqtt == 0)
    *status = tacit_cli_usage_error ("listen", "give at least one --mtconnect URL or --mqtt URL");
  else if (n_mqtt > 0 && n_topics == 0)
    *status = tacit_cli_usage_error ("listen", "--mqtt needs --topic FILTER");
  else if (n_topics > 0 && n_mqtt != 1 && n_mqtt != n_topics)
    *status = tacit_cli_usage_error ("listen", "give one --topic per --mqtt, or one --mqtt");
  else
    return TRUE;
  return FALSE;
}

static gboolean
add_mqtt_sources (const ListenArgs *args,
                  TacitIngest      *ingest,
                  GPtrArray        *sources,
                  GError          **error)
{
  guint n_topics = args->topics ? g_strv_length (args->topics) : 0;

  for (guint i = 0; i < n_topics; i++)
    {
      const char *url = g_strv_length (args->mqtt) == 1 ? args->mqtt[0] : args->mqtt[i];
      g_autoptr(TacitMqttSource) source = tacit_mqtt_source_new (ingest, url, args->topics[i], error);

      if (source == NULL)
        return FALSE;
      if (args->client_id != NULL)
        tacit_mqtt_source_set_client_id (source, args->client_id);
      g_signal_connect (source, "state-changed", G_CALLBACK (state_changed_cb),
                        (gpointer) tacit_mqtt_source_get_url (source));
      g_signal_connect (source, "malformed", G_CALLBACK (malformed_cb),
                        (gpointer) tacit_mqtt_source_get_url (source));
      if (!tacit_mqtt_source_start (source, error))
        return FALSE;
      g_ptr_array_add (sources, g_steal_pointer (&source));
    }
  return TRUE;
}

static void
add_mtconnect_clients (const ListenArgs *args,
                       TacitIngest      *ingest,
                       GPtrArray        *clients)
{
  for (guint i = 0; args->mtconnect != NULL && args->mtconnect[i] != NULL; i++)
    {
      TacitMtconnectClient *client = tacit_mtconnect_client_new (ingest, args->mtconnect[i]);

      if (args->poll_ms > 0)
        tacit_mtconnect_client_set_poll_interval (client, (guint) args->poll_ms);
      g_signal_connect (client, "state-changed", G_CALLBACK (state_changed_cb),
                        (gpointer) tacit_mtconnect_client_get_url (client));
      tacit_mtconnect_client_start (client);
      g_ptr_array_add (clients, client);
    }
}

/* Stops every source, then stores whatever is still queued. */
static gboolean
shut_down (TacitIngest *ingest,
           GPtrArray   *clients,
           GPtrArray   *sources,
           GError     **error)
{
  tacit_ingest_close (ingest);
  for (guint i = 0; i < sources->len; i++)
    tacit_mqtt_source_stop (g_ptr_array_index (sources, i));
  for (guint i = 0; i < clients->len; i++)
    tacit_mtconnect_client_stop (g_ptr_array_index (clients, i));
  return tacit_ingest_flush (ingest, error);
}

static int
run (const ListenArgs *args,
     TacitStore       *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitIngest) ingest = tacit_ingest_new (store, &error);
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Stop stop = { loop, 0 };
  guint sigint, sigterm;
  gboolean ok;

  if (ingest == NULL)
    return tacit_cli_fail (error);
  tacit_ingest_set_error_func (ingest, ingest_error_cb, NULL);
  sigint = g_unix_signal_add (SIGINT, stop_cb, &stop);
  sigterm = g_unix_signal_add (SIGTERM, stop_cb, &stop);
  add_mtconnect_clients (args, ingest, clients);
  ok = add_mqtt_sources (args, ingest, sources, &error);
  if (ok)
    g_main_loop_run (loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  if (!shut_down (ingest, clients, sources, ok ? &error : NULL) || !ok)
    return tacit_cli_fail (error);
  g_printerr ("tacit-cli listen: stopped; stored %" G_GUINT64_FORMAT " events (%" G_GUINT64_FORMAT
              " late), %" G_GUINT64_FORMAT " suggestions\n", tacit_ingest_get_n_stored (ingest),
              tacit_ingest_get_n_late (ingest), tacit_ingest_get_n_suggestions (ingest));
  return TACIT_EXIT_OK;
}

int
tacit_cli_listen_command (const TacitCliGlobals *globals,
                          int                    argc,
                          char                 **argv)
{
  g_auto(ListenArgs) args = { NULL, NULL, NULL, 0, NULL };
  GOptionEntry entries[] = {
    { "mtconnect", 0, 0, G_OPTION_ARG_STRING_ARRAY, &args.mtconnect,
      "Follow an MTConnect agent (repeatable)", "URL" },
    { "mqtt", 0, 0, G_OPTION_ARG_STRING_ARRAY, &args.mqtt,
      "Subscribe on an MQTT broker, mqtt://HOST[:PORT] (repeatable)", "URL" },
    { "topic", 0, 0, G_OPTION_ARG_STRING_ARRAY, &args.topics,
      "Topic filter for the matching --mqtt (repeatable)", "FILTER" },
    { "poll", 0, 0, G_OPTION_ARG_INT, &args.poll_ms,
      "Poll MTConnect agents this often when idle (default 1000)", "MS" },
    { "client-id", 0, 0, G_OPTION_ARG_STRING, &args.client_id,
      "MQTT client id (default: tacit-HOSTNAME-HASH, stable)", "ID" },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new ("- follow live sources, store events and suggestions until interrupted");
  g_autoptr(TacitStore) store = NULL;
  g_autoptr(GError) error = NULL;
  int status = TACIT_EXIT_OK;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!tacit_cli_parse (context, "listen", &argc, &argv, &status))
    return status;
  if (argc > 1)
    return tacit_cli_usage_error ("listen", "unexpected argument '%s'", argv[1]);
  if (!check_args (&args, &status))
    return status;
  store = tacit_cli_open_store (globals, &error);
  if (store == NULL)
    return tacit_cli_fail (error);
  return run (&args, store);
}
