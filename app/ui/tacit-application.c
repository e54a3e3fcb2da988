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
#include "tacit-event-reader.h"
#include "tacit-kiosk-window.h"
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
    {
      g_settings_bind (self->settings, "language", window, "language", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "suggestion-budget", window, "budget", G_SETTINGS_BIND_GET);
    }
  if (self->db_path == NULL)
    tacit_kiosk_window_set_hint (window, _("Demo plant: operator badge 117, PIN 1234 · "
                                           "engineer badge 4, PIN 4321"));
  tacit_kiosk_window_set_locked (window, self->kiosk);
  return window;
}

static void
tacit_application_activate (GApplication *app)
{
  TacitApplication *self = TACIT_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_autoptr(GError) error = NULL;

  if (window == NULL && (window = GTK_WINDOW (open_kiosk (self, &error))) == NULL)
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
  G_APPLICATION_CLASS (tacit_application_parent_class)->shutdown (app);
}

static void
tacit_application_finalize (GObject *object)
{
  TacitApplication *self = TACIT_APPLICATION (object);

  g_clear_object (&self->simulator);
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
