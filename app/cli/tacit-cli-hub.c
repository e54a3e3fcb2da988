/* tacit-cli-hub.c: `tacit-cli hub` (the plant hub, headless) and
 * `tacit-cli kiosk-link` (a kiosk's store-and-forward link, headless),
 * both until SIGINT/SIGTERM. docs/architecture.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-cli.h"

#include <glib-unix.h>
#include <signal.h>

#include "tacit-hub.h"
#include "tacit-outbox.h"
#include "tacit-plant-link.h"

typedef struct {
  char *mqtt;
  char *plant;
  char *kiosk;
  char *client_id;
  char *cafile;
  char *cert;
  char *key;
  char *username;
  char *password;
  int   status_s;
} PlantArgs;

static void
plant_args_clear (PlantArgs *args)
{
  g_free (args->mqtt);
  g_free (args->plant);
  g_free (args->kiosk);
  g_free (args->client_id);
  g_free (args->cafile);
  g_free (args->cert);
  g_free (args->key);
  g_free (args->username);
  g_free (args->password);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PlantArgs, plant_args_clear)

static void
add_connection_entries (GOptionContext *context,
                        PlantArgs      *args)
{
  GOptionEntry entries[] = {
    { "mqtt", 0, 0, G_OPTION_ARG_STRING, &args->mqtt,
      "The plant's broker: mqtt://[USER[:PASSWORD]@]HOST[:PORT] or mqtts://…", "URL" },
    { "client-id", 0, 0, G_OPTION_ARG_STRING, &args->client_id,
      "MQTT client id (default: stable, from the plant and kiosk names)", "ID" },
    { "cafile", 0, 0, G_OPTION_ARG_FILENAME, &args->cafile,
      "TLS: CA certificate to trust (PEM; default: the system's)", "FILE" },
    { "cert", 0, 0, G_OPTION_ARG_FILENAME, &args->cert,
      "TLS: client certificate (PEM)", "FILE" },
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &args->key,
      "TLS: the client certificate's key (PEM)", "FILE" },
    { "username", 0, 0, G_OPTION_ARG_STRING, &args->username,
      "Broker user name (password_file of mosquitto)", "NAME" },
    { "password", 0, 0, G_OPTION_ARG_STRING, &args->password,
      "Broker password (or in the URL; or TACIT_MQTT_PASSWORD)", "PASSWORD" },
    { "status", 0, 0, G_OPTION_ARG_INT, &args->status_s,
      "Print the counts every N seconds (default: only at the end)", "N" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
}

static TacitPlantMqttOptions
mqtt_options (const PlantArgs *args)
{
  TacitPlantMqttOptions options = {
    .client_id = args->client_id,
    .cafile = args->cafile,
    .certfile = args->cert,
    .keyfile = args->key,
    .username = args->username,
    .password = args->password != NULL ? args->password : g_getenv ("TACIT_MQTT_PASSWORD"),
  };
  return options;
}

typedef struct {
  GMainLoop *loop;
  gpointer   object;
  char      *last_error;
  gboolean   hub;
} Run;

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (((Run *) data)->loop);
  return G_SOURCE_CONTINUE;
}

static void
print_status (Run     *run,
              gboolean always)
{
  g_autofree char *error = NULL;

  if (run->hub)
    {
      TacitHubStatus s;

      tacit_hub_get_status (run->object, &s);
      error = s.last_error;
      if (always)
        g_printerr ("tacit-cli hub: %s; received %" G_GUINT64_FORMAT ", stored %" G_GUINT64_FORMAT
                    ", duplicates %" G_GUINT64_FORMAT ", conflicts %" G_GUINT64_FORMAT
                    ", refused %" G_GUINT64_FORMAT "; library revision %u published\n",
                    s.connected ? "connected" : "not connected", s.received, s.stored,
                    s.duplicates, s.conflicts, s.refused, s.library_revision);
    }
  else
    {
      TacitPlantLinkStatus s;

      tacit_plant_link_get_status (run->object, &s);
      error = s.last_error;
      if (always)
        g_printerr ("tacit-cli kiosk-link: %s; published %" G_GUINT64_FORMAT ", acknowledged %"
                    G_GUINT64_FORMAT ", waiting %" G_GINT64_FORMAT "; library revision %u\n",
                    s.connected ? "connected" : "not connected", s.published, s.acknowledged,
                    s.pending, s.library_revision);
    }
  if (error != NULL && g_strcmp0 (error, run->last_error) != 0)
    {
      g_printerr ("tacit-cli %s: %s\n", run->hub ? "hub" : "kiosk-link", error);
      g_free (run->last_error);
      run->last_error = g_strdup (error);
    }
}

static gboolean
errors_cb (gpointer data)
{
  print_status (data, FALSE);
  return G_SOURCE_CONTINUE;
}

static gboolean
status_cb (gpointer data)
{
  print_status (data, TRUE);
  return G_SOURCE_CONTINUE;
}

static void
run_until_signal (Run             *run,
                  const PlantArgs *args)
{
  guint sigint = g_unix_signal_add (SIGINT, quit_cb, run);
  guint sigterm = g_unix_signal_add (SIGTERM, quit_cb, run);
  guint errors = g_timeout_add_seconds (1, errors_cb, run);
  guint status = args->status_s > 0 ? g_timeout_add_seconds (args->status_s, status_cb, run) : 0;

  g_main_loop_run (run->loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  g_source_remove (errors);
  if (status != 0)
    g_source_remove (status);
}

static char *
db_path (const TacitCliGlobals *globals)
{
  return globals->db_path != NULL ? g_strdup (globals->db_path) : tacit_store_default_path ();
}

int
tacit_cli_hub_command (const TacitCliGlobals *globals, int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new ("- the plant hub: store every kiosk's messages, publish the library");
  g_auto(PlantArgs) args = { NULL };
  g_autoptr(TacitHub) hub = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *path = db_path (globals);
  TacitPlantMqttOptions options;
  GOptionEntry entries[] = {
    { "plant", 0, 0, G_OPTION_ARG_STRING, &args.plant,
      "The plant's name in topics (default: plant)", "NAME" },
    { NULL }
  };
  Run run = { NULL };
  int status = TACIT_EXIT_OK;

  add_connection_entries (context, &args);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!tacit_cli_parse (context, "hub", &argc, &argv, &status))
    return status;
  if (argc > 1)
    return tacit_cli_usage_error ("hub", "unexpected argument '%s'", argv[1]);
  if (args.mqtt == NULL)
    return tacit_cli_usage_error ("hub", "--mqtt URL is required");
  options = mqtt_options (&args);
  hub = tacit_hub_new (path, args.mqtt, args.plant != NULL ? args.plant : "plant", &options, &error);
  if (hub == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT))
        return tacit_cli_usage_error ("hub", "%s", error->message);
      return tacit_cli_fail (error);
    }
  if (!tacit_hub_start (hub, &error))
    return tacit_cli_fail (error);
  g_printerr ("tacit-cli hub: %s: plant %s, database %s\n", args.mqtt,
              args.plant != NULL ? args.plant : "plant", path);
  loop = g_main_loop_new (NULL, FALSE);
  run.loop = loop;
  run.object = hub;
  run.hub = TRUE;
  run_until_signal (&run, &args);
  tacit_hub_stop (hub);
  g_printerr ("tacit-cli hub: stopped\n");
  print_status (&run, TRUE);
  g_free (run.last_error);
  return TACIT_EXIT_OK;
}

int
tacit_cli_kiosk_link_command (const TacitCliGlobals *globals, int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new ("- a kiosk's link to the plant: send the outbox, receive the library");
  g_auto(PlantArgs) args = { NULL };
  g_autoptr(TacitPlantLink) link = NULL;
  g_autoptr(TacitStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *path = db_path (globals);
  TacitPlantMqttOptions options;
  GOptionEntry entries[] = {
    { "plant", 0, 0, G_OPTION_ARG_STRING, &args.plant,
      "Make the database a kiosk of this plant (with --kiosk)", "NAME" },
    { "kiosk", 0, 0, G_OPTION_ARG_STRING, &args.kiosk,
      "This kiosk's name in topics", "NAME" },
    { NULL }
  };
  Run run = { NULL };
  int status = TACIT_EXIT_OK;

  add_connection_entries (context, &args);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!tacit_cli_parse (context, "kiosk-link", &argc, &argv, &status))
    return status;
  if (argc > 1)
    return tacit_cli_usage_error ("kiosk-link", "unexpected argument '%s'", argv[1]);
  if ((args.plant == NULL) != (args.kiosk == NULL))
    return tacit_cli_usage_error ("kiosk-link", "--plant and --kiosk go together");
  if (args.plant != NULL)
    {
      store = tacit_store_open (path, &error);
      if (store == NULL)
        return tacit_cli_fail (error);
      if (!tacit_outbox_configure (store, args.plant, args.kiosk, &error))
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT))
            return tacit_cli_usage_error ("kiosk-link", "%s", error->message);
          return tacit_cli_fail (error);
        }
      g_clear_object (&store);
    }
  if (args.mqtt == NULL)
    {
      if (args.plant != NULL)
        {
          g_print ("%s is kiosk %s of plant %s\n", path, args.kiosk, args.plant);
          return TACIT_EXIT_OK;
        }
      return tacit_cli_usage_error ("kiosk-link", "--mqtt URL is required");
    }
  options = mqtt_options (&args);
  link = tacit_plant_link_new (path, args.mqtt, &options, &error);
  if (link == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT))
        return tacit_cli_usage_error ("kiosk-link", "%s", error->message);
      return tacit_cli_fail (error);
    }
  if (!tacit_plant_link_start (link, &error))
    return tacit_cli_fail (error);
  loop = g_main_loop_new (NULL, FALSE);
  run.loop = loop;
  run.object = link;
  run_until_signal (&run, &args);
  tacit_plant_link_stop (link);
  print_status (&run, TRUE);
  g_free (run.last_error);
  return TACIT_EXIT_OK;
}
