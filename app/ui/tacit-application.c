/* tacit-application.c: the tacit GUI application.
 *
 *   tacit --kiosk [--station NAME] [--db PATH] [--simulate FILE] [--speed N]
 *
 * Without --db the default database is used, filled with the demo plant
 * on first run, and the demo shift plays in accelerated time. --simulate
 * plays any event file (CSV, JSONL, MTConnect) instead.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-application.h"

#include <glib/gi18n.h>

#include "tacit-demo.h"
#include "tacit-demo-history.h"
#include "tacit-desktop-window.h"
#include "tacit-event-reader.h"
#include "tacit-kiosk-sources.h"
#include "tacit-kiosk-window.h"
#include "tacit-outbox.h"
#include "tacit-plant-link.h"
#include "tacit-simulator.h"

struct _TacitApplication
{
  AdwApplication  parent_instance;

  gboolean        kiosk;
  char           *station;
  char           *db_path;
  char           *simulate;
  double          speed;

  TacitStore     *store;
  TacitSimulator *simulator;
  GSettings      *settings;
  TacitPlantLink *plant_link;
  TacitKioskSources *sources;
};

G_DEFINE_FINAL_TYPE (TacitApplication, tacit_application, ADW_TYPE_APPLICATION)

GSettings *
tacit_application_dup_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source == NULL || (schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE)) == NULL)
    return NULL;
  return g_settings_new_full (schema, NULL, NULL);
}

void
tacit_application_bind_kiosk (GSettings *settings,
                              GtkWidget *window)
{
  static const struct {
    const char         *key;
    const char         *property;
    GSettingsBindFlags  flags;
  } bindings[] = {
    { "language", "language", G_SETTINGS_BIND_DEFAULT },
    { "suggestion-budget", "budget", G_SETTINGS_BIND_GET },
    { "suggestion-timeout", "suggestion-timeout", G_SETTINGS_BIND_GET },
    /* An engineer re-stationing the kiosk: remembered for the next start
     * (--station still overrides it then). */
    { "station", "station", G_SETTINGS_BIND_SET },
  };
  g_autoptr(GSettingsSchema) schema = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (bindings); i++)
    /* An older compiled schema without the key: the default stays. */
    if (g_settings_schema_has_key (schema, bindings[i].key))
      g_settings_bind (settings, bindings[i].key, window, bindings[i].property, bindings[i].flags);
}

void
tacit_application_load_style (void)
{
  static gboolean loaded;
  g_autoptr(GtkCssProvider) provider = NULL;

  if (loaded)
    return;
  loaded = TRUE;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/dev/tacit/Tacit/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

/* Bad options and unreadable files fail here, with exit status 1 or 2,
 * before any window opens. */
static int
tacit_application_handle_local_options (GApplication *app,
                                        GVariantDict *options)
{
  TacitApplication *self = TACIT_APPLICATION (app);
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitEventReader) reader = NULL;

  if (self->speed <= 0)
    {
      g_printerr ("tacit: --speed must be above 0\n");
      return 2;
    }
  if (self->simulate != NULL &&
      (reader = tacit_event_reader_new_for_path (self->simulate, TACIT_EVENT_FORMAT_AUTO,
                                                 TACIT_EVENT_READER_IGNORE_UNKNOWN_COLUMNS,
                                                 &error)) == NULL)
    {
      g_printerr ("tacit: %s\n", error->message);
      return 1;
    }
  return -1;
}

static gboolean
open_store (TacitApplication *self,
            GError          **error)
{
  g_autofree char *path = self->db_path != NULL ? g_strdup (self->db_path) : tacit_store_default_path ();

  if ((self->store = tacit_store_open (path, error)) == NULL)
    return FALSE;
  /* Once, on the first run: under a second even on a loaded machine
   * (tests/test-demo-history.c prints it), before any window exists. */
  return self->db_path != NULL ||
         (tacit_demo_seed (self->store, error) && tacit_demo_seed_history (self->store, error));
}

static const char *
event_file (TacitApplication *self)
{
  static char *demo_shift;

  if (self->simulate != NULL)
    return self->simulate;
  if (self->db_path != NULL)
    return NULL;
  if (demo_shift == NULL)
    demo_shift = tacit_demo_find_file ("shift.csv");
  return demo_shift;
}

static void start_plant_link (TacitApplication *self);
static void start_sources    (TacitApplication *self,
                              TacitKioskWindow *window);

static TacitKioskWindow *
open_kiosk (TacitApplication *self,
            GError          **error)
{
  g_autoptr(TacitLibrary) library = NULL;
  g_autofree char *station = NULL;
  TacitKioskWindow *window;

  if (!open_store (self, error) || (library = tacit_store_load_library (self->store, error)) == NULL)
    return NULL;
  self->simulator = tacit_simulator_new (library, tacit_store_get_path (self->store));
  tacit_simulator_set_speed (self->simulator, self->speed);
  if (!tacit_simulator_start (self->simulator, event_file (self), error))
    return NULL;
  station = self->station != NULL ? g_strdup (self->station)
          : self->settings != NULL ? g_settings_get_string (self->settings, "station") : NULL;
  window = tacit_kiosk_window_new (GTK_APPLICATION (self), self->store, library,
                                   self->simulator, station);
  if (self->settings != NULL)
    tacit_application_bind_kiosk (self->settings, GTK_WIDGET (window));
  if (self->db_path == NULL)
    tacit_kiosk_window_set_hint (window, _("Demo plant: operator badge 117, PIN 1234 · "
                                           "engineer badge 4, PIN 4321"));
  tacit_kiosk_window_set_locked (window, self->kiosk);
  start_plant_link (self);
  start_sources (self, window);
  return window;
}

static void
source_state_cb (TacitKioskSources *sources,
                 guint              index,
                 guint              state,
                 const char        *message,
                 TacitKioskWindow  *window)
{
  tacit_kiosk_window_set_source_state (window, index, tacit_kiosk_sources_get_label (sources, index),
                                       state, message);
}

/* GSettings sources: the station's live data, stored by their own thread
 * and played through the kiosk's engine by the simulator's worker. A bad
 * entry leaves the kiosk without live sources, with the reason on stderr. */
static void
start_sources (TacitApplication *self,
               TacitKioskWindow *window)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) entries = NULL;
  g_autoptr(GError) error = NULL;

  if (self->settings == NULL)
    return;
  g_object_get (self->settings, "settings-schema", &schema, NULL);
  if (!g_settings_schema_has_key (schema, "sources"))
    return;
  entries = g_settings_get_strv (self->settings, "sources");
  if (entries[0] == NULL)
    return;
  if ((self->sources = tacit_kiosk_sources_new (tacit_store_get_path (self->store),
                                                (const char *const *) entries, &error)) == NULL)
    {
      g_printerr ("tacit: %s\n", error->message);
      return;
    }
  for (guint i = 0; i < tacit_kiosk_sources_get_n (self->sources); i++)
    tacit_kiosk_window_set_source_state (window, i, tacit_kiosk_sources_get_label (self->sources, i),
                                         TACIT_SOURCE_STATE_CONNECTING, NULL);
  g_signal_connect_object (self->sources, "state-changed", G_CALLBACK (source_state_cb), window, 0);
  tacit_kiosk_sources_start (self->sources);
}

/* GSettings hub = a broker URL: this kiosk's store becomes a kiosk of the
 * plant (its changes are queued in the outbox from now on) and the plant
 * link sends them and takes library revisions in, in its own threads
 * (docs/architecture.md). A link that cannot start leaves the kiosk
 * working alone, with the reason on stderr. */
static void
start_plant_link (TacitApplication *self)
{
  g_autofree char *url = NULL;
  g_autofree char *plant = NULL;
  g_autofree char *kiosk = NULL;
  g_auto(GStrv) certificates = NULL;
  g_autoptr(GError) error = NULL;
  TacitPlantMqttOptions options = { NULL };
  guint n;

  if (self->settings == NULL)
    return;
  url = g_settings_get_string (self->settings, "hub");
  if (*url == '\0')
    return;
  plant = g_settings_get_string (self->settings, "plant");
  kiosk = g_settings_get_string (self->settings, "kiosk-name");
  if (*kiosk == '\0')
    {
      g_free (kiosk);
      kiosk = g_strdup (g_get_host_name ());
    }
  certificates = g_settings_get_strv (self->settings, "hub-certificates");
  n = g_strv_length (certificates);
  options.cafile = n > 0 && *certificates[0] != '\0' ? certificates[0] : NULL;
  options.certfile = n > 1 ? certificates[1] : NULL;
  options.keyfile = n > 2 ? certificates[2] : NULL;
  if (!tacit_outbox_configure (self->store, plant, kiosk, &error) ||
      (self->plant_link = tacit_plant_link_new (tacit_store_get_path (self->store), url,
                                                &options, &error)) == NULL ||
      !tacit_plant_link_start (self->plant_link, &error))
    {
      g_printerr ("tacit: plant link to %s: %s\n", url, error->message);
      g_clear_object (&self->plant_link);
    }
}

/* Without --kiosk: the engineer desktop, on the same store. */
static TacitDesktopWindow *
open_desktop (TacitApplication *self,
              GError          **error)
{
  TacitDesktopWindow *window;

  if (!open_store (self, error))
    return NULL;
  window = tacit_desktop_window_new (GTK_APPLICATION (self), self->store);
  if (self->db_path == NULL)
    tacit_desktop_window_set_hint (window, _("Demo plant: engineer badge 4, PIN 4321"));
  return window;
}

static void
tacit_application_activate (GApplication *app)
{
  TacitApplication *self = TACIT_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_autoptr(GError) error = NULL;

  if (window == NULL && !self->kiosk)
    window = GTK_WINDOW (open_desktop (self, &error));
  else if (window == NULL)
    window = GTK_WINDOW (open_kiosk (self, &error));
  if (window == NULL)
    {
      g_printerr ("tacit: %s\n", error->message);
      g_application_quit (app);
      return;
    }
  gtk_window_present (window);
}

static void
tacit_application_startup (GApplication *app)
{
  TacitApplication *self = TACIT_APPLICATION (app);

  G_APPLICATION_CLASS (tacit_application_parent_class)->startup (app);
  /* A bright hall: the light palette holds its contrast best. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);
  self->settings = tacit_application_dup_settings ();
}

static void
tacit_application_shutdown (GApplication *app)
{
  TacitApplication *self = TACIT_APPLICATION (app);

  if (self->simulator != NULL)
    tacit_simulator_stop (self->simulator);
  if (self->plant_link != NULL)
    tacit_plant_link_stop (self->plant_link);
  if (self->sources != NULL)
    tacit_kiosk_sources_stop (self->sources);
  G_APPLICATION_CLASS (tacit_application_parent_class)->shutdown (app);
}

static void
tacit_application_finalize (GObject *object)
{
  TacitApplication *self = TACIT_APPLICATION (object);

  g_clear_object (&self->simulator);
  g_clear_object (&self->plant_link);
  g_clear_object (&self->sources);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->station, g_free);
  g_clear_pointer (&self->db_path, g_free);
  g_clear_pointer (&self->simulate, g_free);
  G_OBJECT_CLASS (tacit_application_parent_class)->finalize (object);
}

static void
tacit_application_class_init (TacitApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = tacit_application_finalize;
  app_class->handle_local_options = tacit_application_handle_local_options;
  app_class->startup = tacit_application_startup;
  app_class->activate = tacit_application_activate;
  app_class->shutdown = tacit_application_shutdown;
}

static void
tacit_application_init (TacitApplication *self)
{
  const GOptionEntry entries[] = {
    { "kiosk", 'k', 0, G_OPTION_ARG_NONE, &self->kiosk,
      N_("Operator kiosk: fullscreen, leaving needs an engineer PIN"), NULL },
    { "station", 's', 0, G_OPTION_ARG_STRING, &self->station,
      N_("The cell or machine this kiosk shows (default: every machine)"), N_("NAME") },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &self->db_path,
      N_("Database (default: the demo plant in the user data directory)"), N_("PATH") },
    { "simulate", 0, 0, G_OPTION_ARG_FILENAME, &self->simulate,
      N_("Play an event file (CSV, JSONL, MTConnect) in accelerated time"), N_("FILE") },
    { "speed", 0, 0, G_OPTION_ARG_DOUBLE, &self->speed,
      N_("Event-time seconds per second when simulating (default 60)"), N_("N") },
    { NULL }
  };

  self->speed = 60.0;
  g_application_add_main_option_entries (G_APPLICATION (self), entries);
}

TacitApplication *
tacit_application_new (void)
{
  return g_object_new (TACIT_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_NON_UNIQUE,
                       NULL);
}
