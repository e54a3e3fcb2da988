/* tacit-cli-replay.c: `tacit-cli replay`.
 *
 * Output goes to a temporary file first and reaches standard output only
 * when the whole replay succeeded: bad input at the last line prints an
 * error and nothing else, never half a result.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-cli.h"
#include "tacit-alarm-load.h"
#include "tacit-cli-output.h"
#include "tacit-error.h"
#include "tacit-library-xml.h"
#include "tacit-replay.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

typedef struct {
  TacitOutputFormat format;
  gboolean          stats_only;
  const char       *lang;
  FILE             *spool;
  GString          *line;
  GPtrArray        *recorded;     /* TacitSuggestion*, with --record */
  TacitAlarmLoad   *load;         /* with --stats */
  TacitLibrary     *library;      /* borrowed, for the stations */
  TacitStore       *store;        /* borrowed; NULL when replaying files only */
  TacitCliProgress *progress;
  gboolean          write_failed;
} ReplayOutput;

static void
write_line (ReplayOutput *out)
{
  if (fwrite (out->line->str, 1, out->line->len, out->spool) != out->line->len)
    out->write_failed = TRUE;
}

static void
write_header (ReplayOutput *out)
{
  if (out->stats_only || out->format != TACIT_OUTPUT_TABLE)
    return;
  g_string_truncate (out->line, 0);
  tacit_output_table_header (out->line);
  write_line (out);
}

static void
ready_cb (TacitSuggestion *s, gpointer data)
{
  ReplayOutput *out = data;

  if (out->recorded != NULL)
    g_ptr_array_add (out->recorded, tacit_suggestion_ref (s));
  if (out->load != NULL)
    tacit_alarm_load_add (out->load, s);
  if (out->stats_only)
    return;
  g_string_truncate (out->line, 0);
  if (out->format == TACIT_OUTPUT_JSONL)
    tacit_output_suggestion_jsonl (out->line, s, out->lang);
  else
    tacit_output_suggestion_table (out->line, s, out->lang);
  write_line (out);
}

static void
restart_cb (gpointer data)
{
  ReplayOutput *out = data;

  rewind (out->spool);
  if (ftruncate (fileno (out->spool), 0) != 0)
    out->write_failed = TRUE;
  if (out->recorded != NULL)
    g_ptr_array_set_size (out->recorded, 0);
  if (out->load != NULL)
    {
      TacitLibrary *library = out->library;
      tacit_alarm_load_free (out->load);
      out->load = tacit_alarm_load_new (library);
    }
  write_header (out);
}

static gboolean
progress_cb (guint64 done, guint64 total, gpointer data)
{
  ReplayOutput *out = data;
  return tacit_cli_progress_cb (done, total, out->progress);
}

static gboolean
copy_spool (FILE *spool)
{
  char buf[65536];
  size_t n;

  if (fflush (spool) != 0)
    return FALSE;
  rewind (spool);
  while ((n = fread (buf, 1, sizeof buf, spool)) > 0)
    if (fwrite (buf, 1, n, stdout) != n)
      return FALSE;
  return !ferror (spool) && fflush (stdout) == 0;
}

/* The replayed span: the asked range when both ends are given, else the
 * span of the events seen. FALSE when there is none. */
static gboolean
replayed_span (TacitEngine *engine, const TacitReplayOptions *options,
               TacitTime *from, TacitTime *to)
{
  *from = options->from;
  *to = options->to;
  if (*from != TACIT_TIME_MIN && *to != TACIT_TIME_MAX)
    return TRUE;
  if (tacit_engine_get_n_events (engine) == 0)
    return FALSE;
  *from = tacit_engine_get_first_time (engine);
  *to = tacit_engine_get_last_time (engine);
  return TRUE;
}

static double
replayed_hours (TacitEngine *engine, const TacitReplayOptions *options)
{
  TacitTime from, to;

  if (!replayed_span (engine, options, &from, &to))
    return 0;
  return (double) (to - from) / (3600.0 * TACIT_USEC_PER_SEC);
}

static gboolean
write_stats (ReplayOutput *out, TacitEngine *engine, const TacitReplayOptions *options,
             GError **error)
{
  guint n_stats = 0;
  const TacitRuleStats *stats = tacit_engine_get_stats (engine, &n_stats);
  g_autoptr(GArray) stations = NULL;
  TacitTime from, to;

  g_string_truncate (out->line, 0);
  tacit_output_stats (out->line, out->format, stats, n_stats, replayed_hours (engine, options));
  if (replayed_span (engine, options, &from, &to))
    {
      /* Stale shelves are a property of the plant now, not of the
       * replayed range: counted whenever there is a database. */
      if (out->store != NULL &&
          !tacit_alarm_load_add_shelves (out->load, out->store, g_get_real_time (), error))
        return FALSE;
      stations = tacit_alarm_load_compute (out->load, from, to);
      tacit_output_station_loads (out->line, out->format, stations);
    }
  write_line (out);
  return TRUE;
}

typedef struct {
  char    **rules;
  char    **events;
  char     *from;
  char     *to;
  char     *format;
  char     *events_format;
  char     *lang;
  gboolean  stats;
  gboolean  record;
  gboolean  ignore_unknown;
} ReplayArgs;

static void
replay_args_clear (ReplayArgs *args)
{
  g_strfreev (args->rules);
  g_strfreev (args->events);
  g_free (args->from);
  g_free (args->to);
  g_free (args->format);
  g_free (args->events_format);
  g_free (args->lang);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ReplayArgs, replay_args_clear)

/* --events takes one file per option; files left after the options belong
 * to it too, so `--events a.csv b.csv` works as SPEC writes it. */
static char **
collect_event_files (char **events, int argc, char **argv)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (events != NULL)
    g_strv_builder_addv (builder, (const char **) events);
  for (int i = 1; i < argc; i++)
    g_strv_builder_add (builder, argv[i]);
  return g_strv_builder_end (builder);
}

static TacitLibrary *
load_library (ReplayArgs *args, TacitStore *store, GError **error)
{
  if (args->rules != NULL)
    return tacit_library_load_file (args->rules[0], error);
  return tacit_store_load_library (store, error);
}

static int
run_replay (const TacitCliGlobals *globals, ReplayArgs *args, char **event_files,
            TacitReplayOptions *options, ReplayOutput *out)
{
  g_autoptr(TacitStore) store = NULL;
  g_autoptr(TacitLibrary) library = NULL;
  g_autoptr(TacitEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  TacitReplaySink sink = { ready_cb, restart_cb, progress_cb, out };

  if (args->rules == NULL || event_files == NULL || args->record)
    {
      store = tacit_cli_open_store (globals, &error);
      if (store == NULL)
        return tacit_cli_fail (error);
    }
  library = load_library (args, store, &error);
  if (library == NULL)
    return tacit_cli_fail (error);
  out->library = library;
  if (out->stats_only)
    out->load = tacit_alarm_load_new (library);

  out->progress = tacit_cli_progress_new ("Replaying");
  if (event_files != NULL)
    engine = tacit_replay_files (library, (const char * const *) event_files, options, &sink, &error);
  else
    engine = tacit_replay_store (library, store, options, &sink, &error);
  g_clear_pointer (&out->progress, tacit_cli_progress_free);
  if (engine == NULL)
    return tacit_cli_fail (error);

  if (out->recorded != NULL &&
      !tacit_store_record_suggestions (store, (TacitSuggestion **) out->recorded->pdata,
                                       out->recorded->len, &error))
    return tacit_cli_fail (error);

  out->store = store;
  if (out->stats_only && !write_stats (out, engine, options, &error))
    return tacit_cli_fail (error);
  if (out->write_failed || !copy_spool (out->spool))
    {
      g_printerr ("tacit-cli: cannot write the output: %s\n", g_strerror (errno));
      return TACIT_EXIT_IO;
    }
  return TACIT_EXIT_OK;
}

int
tacit_cli_replay_command (const TacitCliGlobals *globals, int argc, char **argv)
{
  g_auto(ReplayArgs) args = { 0 };
  const GOptionEntry entries[] = {
    { "rules", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args.rules,
      "Rule library to use instead of the database's", "LIBRARY.xml" },
    { "events", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args.events,
      "Event file(s) to replay instead of the database's history", "FILE" },
    { "events-format", 0, 0, G_OPTION_ARG_STRING, &args.events_format,
      "Format of the event files: csv, jsonl, mtconnect (default: by name; needed for '-')", "FORMAT" },
    { "ignore-unknown-columns", 0, 0, G_OPTION_ARG_NONE, &args.ignore_unknown,
      "Skip columns or keys of event files that are not event fields", NULL },
    { "from", 0, 0, G_OPTION_ARG_STRING, &args.from, "Replay events at or after T (RFC 3339)", "T" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &args.to, "Replay events before T (RFC 3339)", "T" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &args.format, "Output: jsonl (default) or table", "FORMAT" },
    { "stats", 0, 0, G_OPTION_ARG_NONE, &args.stats,
      "Print per-rule figures (firings, suppressed, per hour, flood, chattering) instead of suggestions", NULL },
    { "lang", 0, 0, G_OPTION_ARG_STRING, &args.lang, "Language of the advice texts", "LANG" },
    { "record", 0, 0, G_OPTION_ARG_NONE, &args.record,
      "Store the suggestions in the database (replaying again adds no duplicates)", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- run the rules over event history");
  g_auto(GStrv) event_files = NULL;
  TacitReplayOptions options;
  ReplayOutput out = { TACIT_OUTPUT_JSONL, FALSE, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, FALSE };
  int status = TACIT_EXIT_OK;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!tacit_cli_parse (context, "replay", &argc, &argv, &status))
    return status;
  tacit_replay_options_init (&options);
  if (argc > 1 && args.events == NULL)
    return tacit_cli_usage_error ("replay", "unexpected argument '%s'", argv[1]);
  if (args.rules != NULL && g_strv_length (args.rules) > 1)
    return tacit_cli_usage_error ("replay", "give --rules once");
  if (args.format != NULL && !tacit_output_format_from_string (args.format, &out.format))
    return tacit_cli_usage_error ("replay", "unknown --format '%s' (jsonl, table)", args.format);
  if (args.events_format != NULL && !tacit_event_format_from_string (args.events_format, &options.format))
    return tacit_cli_usage_error ("replay", "unknown --events-format '%s'", args.events_format);
  if (!tacit_cli_parse_time ("--from", args.from, &options.from, &status) ||
      !tacit_cli_parse_time ("--to", args.to, &options.to, &status))
    return status;
  if (args.events != NULL)
    event_files = collect_event_files (args.events, argc, argv);
  if (event_files != NULL && options.format == TACIT_EVENT_FORMAT_AUTO &&
      g_strv_contains ((const char * const *) event_files, "-"))
    return tacit_cli_usage_error ("replay", "reading events from '-' needs --events-format");
  if (args.ignore_unknown)
    options.reader_flags |= TACIT_EVENT_READER_IGNORE_UNKNOWN_COLUMNS;

  out.stats_only = args.stats;
  out.lang = args.lang;
  out.line = g_string_sized_new (512);
  out.spool = tmpfile ();
  if (out.spool == NULL)
    {
      g_printerr ("tacit-cli: cannot create a temporary file: %s\n", g_strerror (errno));
      g_string_free (out.line, TRUE);
      return TACIT_EXIT_IO;
    }
  if (args.record)
    out.recorded = g_ptr_array_new_with_free_func ((GDestroyNotify) tacit_suggestion_unref);
  write_header (&out);

  status = run_replay (globals, &args, event_files, &options, &out);
  fclose (out.spool);
  g_string_free (out.line, TRUE);
  g_clear_pointer (&out.recorded, g_ptr_array_unref);
  g_clear_pointer (&out.load, tacit_alarm_load_free);
  return status;
}
