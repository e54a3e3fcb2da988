/* tacit-cli-events.c: `tacit-cli events import FILE…`.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-cli.h"

#include <string.h>

static int
import_events (const TacitCliGlobals *globals, int argc, char **argv)
{
  g_autofree char *format_name = NULL;
  gboolean ignore_unknown = FALSE;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name,
      "Input format: csv, jsonl or mtconnect (default: from the file name; needed for '-')", "FORMAT" },
    { "ignore-unknown-columns", 0, 0, G_OPTION_ARG_NONE, &ignore_unknown,
      "Skip columns (CSV) or keys (JSONL) that are not event fields", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE… - import machine events");
  g_autoptr(GPtrArray) readers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(TacitStore) store = NULL;
  g_autoptr(TacitCliProgress) progress = NULL;
  g_autoptr(GError) error = NULL;
  TacitEventFormat format = TACIT_EVENT_FORMAT_AUTO;
  TacitImportStats stats = { 0 };
  int status = TACIT_EXIT_OK;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!tacit_cli_parse (context, "events import", &argc, &argv, &status))
    return status;
  if (argc < 2)
    return tacit_cli_usage_error ("events import", "name at least one FILE");
  if (format_name != NULL && !tacit_event_format_from_string (format_name, &format))
    return tacit_cli_usage_error ("events import", "unknown format '%s' (csv, jsonl, mtconnect)",
                                  format_name);

  for (int i = 1; i < argc; i++)
    {
      TacitEventReader *reader;

      if (strcmp (argv[i], "-") == 0 && format == TACIT_EVENT_FORMAT_AUTO)
        return tacit_cli_usage_error ("events import", "reading '-' needs --format");
      reader = tacit_event_reader_new_for_path (argv[i], format,
                                                ignore_unknown ? TACIT_EVENT_READER_IGNORE_UNKNOWN_COLUMNS
                                                               : TACIT_EVENT_READER_NONE,
                                                &error);
      if (reader == NULL)
        return tacit_cli_fail (error);
      g_ptr_array_add (readers, reader);
    }

  store = tacit_cli_open_store (globals, &error);
  if (store == NULL)
    return tacit_cli_fail (error);
  progress = tacit_cli_progress_new ("Importing");
  if (!tacit_store_import_events (store, (TacitEventReader **) readers->pdata, readers->len,
                                  &stats, tacit_cli_progress_cb, progress, &error))
    {
      g_clear_pointer (&progress, tacit_cli_progress_free);
      return tacit_cli_fail (error);
    }
  g_clear_pointer (&progress, tacit_cli_progress_free);

  if (stats.events == 0)
    g_print ("Imported 0 events from %" G_GUINT64_FORMAT " file(s).\n", stats.files);
  else
    {
      char first[TACIT_TIME_FORMAT_LEN], last[TACIT_TIME_FORMAT_LEN];
      g_print ("Imported %" G_GUINT64_FORMAT " events from %" G_GUINT64_FORMAT
               " file(s), %s to %s; %" G_GUINT64_FORMAT " new machine(s).\n",
               stats.events, stats.files, tacit_time_format_ms_buf (stats.first_time, first),
               tacit_time_format_ms_buf (stats.last_time, last), stats.machines_added);
    }
  return TACIT_EXIT_OK;
}

int
tacit_cli_events_command (const TacitCliGlobals *globals, int argc, char **argv)
{
  if (argc >= 2 && strcmp (argv[1], "import") == 0)
    return import_events (globals, argc - 1, argv + 1);
  if (argc >= 2 && (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0))
    {
      g_print ("Usage: tacit-cli [--db PATH] events import [--format FORMAT] "
               "[--ignore-unknown-columns] FILE…\n");
      return TACIT_EXIT_OK;
    }
  return tacit_cli_usage_error ("events", "expected 'events import FILE…'");
}
