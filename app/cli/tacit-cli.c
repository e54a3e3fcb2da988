/* tacit-cli.c: tacit-cli's entry point, global options and shared helpers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-cli.h"
#include "tacit-error.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
  "Usage: tacit-cli [--db PATH] COMMAND [ARGS…]\n"
  "\n"
  "Commands:\n"
  "  init                              create (or migrate) the database\n"
  "  events import FILE…               import .csv, .jsonl or MTConnect .xml events\n"
  "  rules import LIBRARY.xml          validate, then store a rule library (all or nothing)\n"
  "  rules export [-o FILE]            write the stored library as XML\n"
  "  rules validate LIBRARY.xml        check a library, listing every problem with its line\n"
  "  replay [--rules F] [--events F…]  run the engine over history, print suggestions\n"
  "  listen [--mtconnect URL]… [--mqtt URL --topic FILTER]…\n"
  "                                    follow live sources until interrupted (SIGINT/SIGTERM)\n"
  "  export dataset --out DIR          write the ML dataset (suggestions, events, rules, card)\n"
  "  report --rules [--format json]    per-rule evidence: acceptance, outcome rates, lift\n"
  "  operators add BADGE --name N [--role R]  add an operator; the PIN is read from stdin\n"
  "  operators list                    badges, roles, lock state (never PINs)\n"
  "  machines list                     the machines registry\n"
  "  machines set ID [--class C] [--cell X]  map a device to its class and cell (station)\n"
  "  hub --mqtt URL [--plant NAME]     the plant hub: store kiosks' messages, publish the library\n"
  "  kiosk-link --mqtt URL [--plant P --kiosk K]  a kiosk's store-and-forward link (headless)\n"
  "\n"
  "Global options:\n"
  "  --db PATH      database file (default: $XDG_DATA_HOME/tacit/tacit.db)\n"
  "  --version      print the version\n"
  "  -h, --help     this help; COMMAND --help for a command's options\n"
  "\n"
  "Exit status: 0 success, 1 invalid input, 2 usage, 3 I/O or database error.\n";

int
tacit_cli_fail (const GError *error)
{
  g_printerr ("tacit-cli: %s\n", error->message);
  if (error->domain == TACIT_INPUT_ERROR)
    return TACIT_EXIT_INVALID;
  return TACIT_EXIT_IO;
}

int
tacit_cli_usage_error (const char *command, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("tacit-cli %s: %s\nTry 'tacit-cli %s --help'.\n", command, message, command);
  return TACIT_EXIT_USAGE;
}

gboolean
tacit_cli_parse (GOptionContext *context, const char *command, int *argc, char ***argv,
                 int *status)
{
  g_autoptr(GError) error = NULL;

  if (g_option_context_parse (context, argc, argv, &error))
    return TRUE;
  *status = tacit_cli_usage_error (command, "%s", error->message);
  return FALSE;
}

TacitStore *
tacit_cli_open_store (const TacitCliGlobals *globals, GError **error)
{
  g_autofree char *path = globals->db_path ? g_strdup (globals->db_path)
                                           : tacit_store_default_path ();
  return tacit_store_open (path, error);
}

gboolean
tacit_cli_parse_time (const char *option, const char *text, gint64 *out, int *status)
{
  const char *problem = NULL;

  if (text == NULL)
    return TRUE;
  if (tacit_time_parse (text, strlen (text), FALSE, out, &problem))
    return TRUE;
  g_printerr ("tacit-cli: %s %s: %s\n", option, text, problem);
  *status = TACIT_EXIT_USAGE;
  return FALSE;
}

/* ---------------------------------------------------------- progress */

struct _TacitCliProgress {
  char    *what;
  gboolean tty;
  gint64   last_draw;
  gboolean drawn;
};

TacitCliProgress *
tacit_cli_progress_new (const char *what)
{
  TacitCliProgress *progress = g_new0 (TacitCliProgress, 1);

  progress->what = g_strdup (what);
  progress->tty = isatty (STDERR_FILENO) && g_getenv ("CI") == NULL;
  return progress;
}

gboolean
tacit_cli_progress_cb (guint64 done, guint64 total, gpointer data)
{
  TacitCliProgress *progress = data;
  gint64 now;

  if (!progress->tty)
    return TRUE;
  now = g_get_monotonic_time ();
  if (now - progress->last_draw < G_USEC_PER_SEC / 5)
    return TRUE;
  progress->last_draw = now;
  progress->drawn = TRUE;
  if (total > 0)
    g_printerr ("\r%s… %3d%%", progress->what, (int) MIN (100, done * 100 / total));
  else
    g_printerr ("\r%s… %" G_GUINT64_FORMAT, progress->what, done);
  return TRUE;
}

void
tacit_cli_progress_free (TacitCliProgress *progress)
{
  if (progress->drawn)
    g_printerr ("\r\033[K");
  g_free (progress->what);
  g_free (progress);
}

/* -------------------------------------------------------------- init */

int
tacit_cli_init_command (const TacitCliGlobals *globals, int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- create or migrate the database");
  g_autoptr(TacitStore) store = NULL;
  g_autoptr(GError) error = NULL;
  int status = TACIT_EXIT_OK;

  if (!tacit_cli_parse (context, "init", &argc, &argv, &status))
    return status;
  if (argc > 1)
    return tacit_cli_usage_error ("init", "unexpected argument '%s'", argv[1]);
  store = tacit_cli_open_store (globals, &error);
  if (store == NULL)
    return tacit_cli_fail (error);
  g_print ("Database ready: %s (schema %d)\n", tacit_store_get_path (store),
           TACIT_STORE_SCHEMA_VERSION);
  return TACIT_EXIT_OK;
}

/* -------------------------------------------------------------- main */

static const struct {
  const char         *name;
  TacitCliCommandFunc func;
} commands[] = {
  { "init", tacit_cli_init_command },
  { "events", tacit_cli_events_command },
  { "rules", tacit_cli_rules_command },
  { "replay", tacit_cli_replay_command },
  { "listen", tacit_cli_listen_command },
  { "export", tacit_cli_export_command },
  { "report", tacit_cli_report_command },
  { "operators", tacit_cli_operators_command },
  { "machines", tacit_cli_machines_command },
  { "hub", tacit_cli_hub_command },
  { "kiosk-link", tacit_cli_kiosk_link_command },
};

int
main (int argc, char **argv)
{
  TacitCliGlobals globals = { NULL };
  int i = 1;

  setlocale (LC_ALL, "");
  g_set_prgname ("tacit-cli");

  /* Global options come before the command. */
  for (; i < argc && argv[i][0] == '-'; i++)
    {
      if (strcmp (argv[i], "--db") == 0 && i + 1 < argc)
        globals.db_path = argv[++i];
      else if (g_str_has_prefix (argv[i], "--db="))
        globals.db_path = argv[i] + strlen ("--db=");
      else if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0)
        {
          g_print ("%s", usage_text);
          return TACIT_EXIT_OK;
        }
      else if (strcmp (argv[i], "--version") == 0)
        {
          g_print ("tacit-cli %s\n", PACKAGE_VERSION);
          return TACIT_EXIT_OK;
        }
      else
        {
          g_printerr ("tacit-cli: unknown option '%s'\n\n%s", argv[i], usage_text);
          return TACIT_EXIT_USAGE;
        }
    }
  if (i >= argc)
    {
      g_printerr ("%s", usage_text);
      return TACIT_EXIT_USAGE;
    }
  for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
    if (strcmp (argv[i], commands[c].name) == 0)
      return commands[c].func (&globals, argc - i, argv + i);
  g_printerr ("tacit-cli: unknown command '%s'\n\n%s", argv[i], usage_text);
  return TACIT_EXIT_USAGE;
}
