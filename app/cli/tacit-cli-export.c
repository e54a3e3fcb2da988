/* tacit-cli-export.c: `tacit-cli export dataset`.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-cli.h"
#include "tacit-dataset.h"

#include <string.h>

typedef struct {
  char *out;
  char *from;
  char *to;
  char *layout;
} ExportArgs;

static void
export_args_clear (ExportArgs *args)
{
  g_free (args->out);
  g_free (args->from);
  g_free (args->to);
  g_free (args->layout);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ExportArgs, export_args_clear)

static int
run_export (const TacitCliGlobals *globals, const char *dir, const TacitDatasetOptions *options)
{
  g_autoptr(TacitStore) store = NULL;
  g_autoptr(TacitCliProgress) progress = NULL;
  g_autoptr(GError) error = NULL;
  TacitDatasetStats stats = { 0 };
  gboolean ok;

  store = tacit_cli_open_store (globals, &error);
  if (store == NULL)
    return tacit_cli_fail (error);
  progress = tacit_cli_progress_new ("Exporting");
  ok = tacit_dataset_export (store, dir, options, &stats, tacit_cli_progress_cb, progress, &error);
  g_clear_pointer (&progress, tacit_cli_progress_free);
  if (!ok)
    return tacit_cli_fail (error);
  g_print ("Exported %" G_GUINT64_FORMAT " suggestions and %" G_GUINT64_FORMAT " events to %s\n",
           stats.suggestions, stats.events, dir);
  return TACIT_EXIT_OK;
}

static int
export_dataset (const TacitCliGlobals *globals, int argc, char **argv)
{
  g_auto(ExportArgs) args = { 0 };
  const GOptionEntry entries[] = {
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &args.out, "Directory to write the dataset to (required)", "DIR" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &args.from, "Suggestions and events at or after T (RFC 3339)", "T" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &args.to, "Suggestions and events before T (RFC 3339)", "T" },
    { "layout", 0, 0, G_OPTION_ARG_STRING, &args.layout,
      "Also write episodes.jsonl (offline RL, one episode per machine and shift) "
      "or bandit.jsonl (logged bandit feedback)", "episodes|bandit" },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new ("- write suggestions, events and rules as a documented dataset");
  TacitDatasetOptions options;
  g_autoptr(TacitOperator) local = NULL;
  int status = TACIT_EXIT_OK;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
    "Writes suggestions.jsonl, events.jsonl, rules.xml and dataset.json (the card: JSON\n"
    "Schemas, counts, checksums) into DIR; docs/dataset.md describes every field.\n"
    "Episodes are per machine and 8-hour shift starting 06:00, 14:00 and 22:00 UTC.");
  if (!tacit_cli_parse (context, "export dataset", &argc, &argv, &status))
    return status;
  if (argc > 1)
    return tacit_cli_usage_error ("export dataset", "unexpected argument '%s'", argv[1]);
  if (args.out == NULL || args.out[0] == '\0')
    return tacit_cli_usage_error ("export dataset", "--out DIR is required");
  tacit_dataset_options_init (&options);
  local = tacit_operator_new_local (NULL);
  options.actor = local;
  if (args.layout != NULL && !tacit_dataset_layout_from_string (args.layout, &options.layout))
    return tacit_cli_usage_error ("export dataset", "unknown --layout '%s' (episodes, bandit)",
                                  args.layout);
  if (!tacit_cli_parse_time ("--from", args.from, &options.from, &status) ||
      !tacit_cli_parse_time ("--to", args.to, &options.to, &status))
    return status;
  if (options.from >= options.to)
    return tacit_cli_usage_error ("export dataset", "--from must be before --to");
  return run_export (globals, args.out, &options);
}

int
tacit_cli_export_command (const TacitCliGlobals *globals, int argc, char **argv)
{
  if (argc >= 2 && strcmp (argv[1], "dataset") == 0)
    return export_dataset (globals, argc - 1, argv + 1);
  if (argc >= 2 && (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0))
    {
      g_print ("Usage: tacit-cli [--db PATH] export dataset --out DIR [--from T] [--to T] "
               "[--layout episodes|bandit]\n");
      return TACIT_EXIT_OK;
    }
  if (argc < 2)
    return tacit_cli_usage_error ("export", "what to export? (dataset)");
  return tacit_cli_usage_error ("export", "unknown export '%s' (dataset)", argv[1]);
}
