/* tacit-cli-events.c: `tacit-cli events import FILE…`.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-cli.h"
#include "tacit-import-profile.h"

#include <string.h>

/* The first n events of each file as they would be stored, tab-separated
 * after FILE:LINE, and nothing written: to check a profile before an import. */
static int
preview_events (GPtrArray *readers, int n)
{
  for (guint i = 0; i < readers->len; i++)
    {
      TacitEventReader *reader = g_ptr_array_index (readers, i);
      g_autoptr(GError) error = NULL;
      TacitEvent ev;

      for (int k = 0; k < n && tacit_event_reader_next (reader, &ev, &error); k++)
        {
          char time[TACIT_TIME_FORMAT_LEN];
          g_print ("%s:%" G_GUINT64_FORMAT "\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
                   tacit_event_reader_get_display_name (reader), tacit_event_reader_get_line (reader),
                   tacit_time_format_us_buf (ev.time, time), ev.machine, tacit_kind_to_string (ev.kind),
                   ev.item, ev.value, ev.code != NULL ? ev.code : "", ev.text != NULL ? ev.text : "");
        }
      if (error != NULL)
        return tacit_cli_fail (error);
    }
  return TACIT_EXIT_OK;
}

static int
import_events (const TacitCliGlobals *globals, int argc, char **argv)
{
  g_autofree char *format_name = NULL;
  gboolean ignore_unknown = FALSE;
  g_autofree char *profile_path = NULL;
  g_autofree char *device = NULL;
  g_autofree char *probe_path = NULL;
  g_autoptr(TacitImportProfile) profile = NULL;
  g_autoptr(TacitMtconnectProbe) probe = NULL;
  gboolean shdr = FALSE;
  int preview = -1;
  const GOptionEntry entries[] = {
    { "preview", 0, 0, G_OPTION_ARG_INT, &preview,
      "Print the first N events of each file as they would be stored, and store nothing", "N" },
    { "profile", 'p', 0, G_OPTION_ARG_FILENAME, &profile_path,
      "Read the files through an import profile (docs/import-profiles.md)", "PROFILE.xml" },
    { "device", 0, 0, G_OPTION_ARG_STRING, &device,
      "--format shdr: the machine the log is from", "NAME" },
    { "probe", 0, 0, G_OPTION_ARG_FILENAME, &probe_path,
      "--format shdr: an MTConnectDevices document that says what each key is", "DEVICES.xml" },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name,
      "Input format: csv, jsonl, mtconnect or shdr (default: from the file name; needed for '-')", "FORMAT" },
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
  shdr = format_name != NULL && g_ascii_strcasecmp (format_name, "shdr") == 0;
  if (format_name != NULL && !shdr && !tacit_event_format_from_string (format_name, &format))
    return tacit_cli_usage_error ("events import", "unknown format '%s' (csv, jsonl, mtconnect, shdr)",
                                  format_name);
  if (profile_path != NULL && format_name != NULL)
    return tacit_cli_usage_error ("events import", "--profile and --format exclude each other");
  if (shdr && (device == NULL || *device == '\0'))
    return tacit_cli_usage_error ("events import", "--format shdr needs --device NAME");
  if (!shdr && (device != NULL || probe_path != NULL))
    return tacit_cli_usage_error ("events import", "--device and --probe go with --format shdr");
  if (profile_path != NULL && (profile = tacit_import_profile_load_file (profile_path, &error)) == NULL)
    return tacit_cli_fail (error);
  if (probe_path != NULL && (probe = tacit_mtconnect_probe_load_file (probe_path, &error)) == NULL)
    return tacit_cli_fail (error);

  for (int i = 1; i < argc; i++)
    {
      TacitEventReader *reader;

      if (strcmp (argv[i], "-") == 0 && format == TACIT_EVENT_FORMAT_AUTO && !shdr && profile == NULL)
        return tacit_cli_usage_error ("events import", "reading '-' needs --format");
      if (profile != NULL)
        reader = tacit_event_reader_new_with_profile (argv[i], profile, &error);
      else if (shdr)
        reader = tacit_event_reader_new_shdr (argv[i], device, probe, &error);
      else
        reader = tacit_event_reader_new_for_path (argv[i], format,
                                                ignore_unknown ? TACIT_EVENT_READER_IGNORE_UNKNOWN_COLUMNS
                                                               : TACIT_EVENT_READER_NONE,
                                                &error);
      if (reader == NULL)
        return tacit_cli_fail (error);
      g_ptr_array_add (readers, reader);
    }

  if (preview >= 0)
    return preview_events (readers, preview);
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
  /* Profile and SHDR imports say what they read and what they skipped. */
  for (guint i = 0; i < readers->len; i++)
    {
      TacitEventReader *reader = g_ptr_array_index (readers, i);
      const TacitImportReport *report = tacit_event_reader_get_import_report (reader);
      g_autofree char *text = NULL;

      if (report == NULL)
        continue;
      text = tacit_import_report_format (report, tacit_event_reader_get_display_name (reader));
      g_print ("%s", text);
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
               "[--ignore-unknown-columns] [--preview N] FILE…\n"
               "       tacit-cli [--db PATH] events import --profile PROFILE.xml FILE…\n"
               "       tacit-cli [--db PATH] events import --format shdr --device NAME "
               "[--probe DEVICES.xml] FILE…\n");
      return TACIT_EXIT_OK;
    }
  return tacit_cli_usage_error ("events", "expected 'events import FILE…'");
}
