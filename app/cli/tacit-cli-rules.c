/* tacit-cli-rules.c: `tacit-cli rules import|export|validate`.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-cli.h"
#include "tacit-error.h"
#include "tacit-library-diff.h"
#include "tacit-library-xml.h"

#include <stdio.h>
#include <string.h>

static int
validate_rules (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("LIBRARY.xml - check a rule library");
  int status = TACIT_EXIT_OK;

  if (!tacit_cli_parse (context, "rules validate", &argc, &argv, &status))
    return status;
  if (argc < 2)
    return tacit_cli_usage_error ("rules validate", "name a LIBRARY.xml");
  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GPtrArray) problems = NULL;
      g_autoptr(GError) error = NULL;

      if (!tacit_library_validate_file (argv[i], &problems, &error))
        {
          if (error != NULL)
            return tacit_cli_fail (error);
          for (guint p = 0; p < problems->len; p++)
            g_printerr ("%s\n", (const char *) g_ptr_array_index (problems, p));
          status = TACIT_EXIT_INVALID;
          continue;
        }
      g_print ("%s: valid\n", argv[i]);
    }
  return status;
}

static void
print_diff (const TacitLibraryDiff *diff, gboolean verbose)
{
  for (guint i = 0; verbose && i < diff->changes->len; i++)
    {
      const TacitRuleChange *c = &g_array_index (diff->changes, TacitRuleChange, i);
      if (c->kind != TACIT_CHANGE_UNCHANGED)
        g_print ("  %-9s  %s (file revision %u, database revision %u)\n",
                 tacit_change_kind_to_string (c->kind), c->rule->id, c->rule->revision,
                 c->stored_revision);
    }
  g_print ("%u added, %u changed, %u retired, %u unchanged, %u stale (skipped); "
           "%u rule(s) only in the database are kept.\n",
           diff->counts[TACIT_CHANGE_ADDED], diff->counts[TACIT_CHANGE_CHANGED],
           diff->counts[TACIT_CHANGE_RETIRED], diff->counts[TACIT_CHANGE_UNCHANGED],
           diff->counts[TACIT_CHANGE_STALE], diff->only_in_store);
}

/* A rule changed in the file and in the database since the file's
 * revision would silently undo someone's work: refuse, naming each. */
static int
refuse_conflicts (const char *path, const TacitLibraryDiff *diff)
{
  g_printerr ("tacit-cli: %s: %u rule(s) changed both in the file and in the database since "
              "the file's revision; nothing imported:\n", path, diff->counts[TACIT_CHANGE_CONFLICT]);
  for (guint i = 0; i < diff->changes->len; i++)
    {
      const TacitRuleChange *c = &g_array_index (diff->changes, TacitRuleChange, i);
      if (c->kind == TACIT_CHANGE_CONFLICT)
        g_printerr ("  %s: the file is based on revision %u, the database is at revision %u\n",
                    c->rule->id, c->rule->revision, c->stored_revision);
    }
  g_printerr ("Export the database's library (tacit-cli rules export), merge the edits into it, "
              "and import that.\n");
  return TACIT_EXIT_INVALID;
}

static int
import_rules (const TacitCliGlobals *globals, int argc, char **argv)
{
  g_autofree char *actor = NULL;
  g_autoptr(TacitOperator) local = NULL;
  gboolean dry_run = FALSE;
  const GOptionEntry entries[] = {
    { "actor", 0, 0, G_OPTION_ARG_STRING, &actor,
      "Who imports, for the audit log (default: the login name)", "NAME" },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run,
      "Show what would change (added, changed, retired, conflicts) and write nothing", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("LIBRARY.xml - store a rule library");
  g_autoptr(TacitLibrary) library = NULL;
  g_autoptr(TacitLibrary) to_import = NULL;
  g_autoptr(TacitLibraryDiff) diff = NULL;
  g_autoptr(TacitStore) store = NULL;
  g_autoptr(GError) error = NULL;
  int status = TACIT_EXIT_OK;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!tacit_cli_parse (context, "rules import", &argc, &argv, &status))
    return status;
  if (argc != 2)
    return tacit_cli_usage_error ("rules import", "name exactly one LIBRARY.xml");
  library = tacit_library_load_file (argv[1], &error);
  if (library == NULL)
    return tacit_cli_fail (error);
  store = tacit_cli_open_store (globals, &error);
  if (store == NULL)
    return tacit_cli_fail (error);
  diff = tacit_library_diff (store, library, &error);
  if (diff == NULL)
    return tacit_cli_fail (error);
  if (dry_run)
    {
      print_diff (diff, TRUE);
      return diff->counts[TACIT_CHANGE_CONFLICT] ? refuse_conflicts (argv[1], diff) : TACIT_EXIT_OK;
    }
  if (diff->counts[TACIT_CHANGE_CONFLICT] > 0)
    return refuse_conflicts (argv[1], diff);
  to_import = tacit_library_diff_to_import (diff, library);
  local = tacit_operator_new_local (actor);
  if (!tacit_store_import_library (store, to_import, local, &error))
    return tacit_cli_fail (error);
  g_print ("Imported %s: ", argv[1]);
  print_diff (diff, FALSE);
  return TACIT_EXIT_OK;
}

static int
export_rules (const TacitCliGlobals *globals, int argc, char **argv)
{
  g_autofree char *output = NULL;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write to FILE instead of standard output", "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- write the stored library as XML");
  g_autoptr(TacitLibrary) library = NULL;
  g_autoptr(TacitStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  gsize len = 0;
  int status = TACIT_EXIT_OK;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!tacit_cli_parse (context, "rules export", &argc, &argv, &status))
    return status;
  if (argc > 1)
    return tacit_cli_usage_error ("rules export", "unexpected argument '%s'", argv[1]);
  store = tacit_cli_open_store (globals, &error);
  if (store == NULL)
    return tacit_cli_fail (error);
  library = tacit_store_load_library (store, &error);
  if (library == NULL)
    return tacit_cli_fail (error);
  if (output != NULL)
    {
      if (!tacit_library_save_file (library, output, &error))
        return tacit_cli_fail (error);
      return TACIT_EXIT_OK;
    }
  xml = tacit_library_to_xml (library, &len);
  if (fwrite (xml, 1, len, stdout) != len || fflush (stdout) != 0)
    {
      g_printerr ("tacit-cli: cannot write to standard output\n");
      return TACIT_EXIT_IO;
    }
  return TACIT_EXIT_OK;
}

int
tacit_cli_rules_command (const TacitCliGlobals *globals, int argc, char **argv)
{
  if (argc >= 2 && strcmp (argv[1], "validate") == 0)
    return validate_rules (argc - 1, argv + 1);
  if (argc >= 2 && strcmp (argv[1], "import") == 0)
    return import_rules (globals, argc - 1, argv + 1);
  if (argc >= 2 && strcmp (argv[1], "export") == 0)
    return export_rules (globals, argc - 1, argv + 1);
  if (argc >= 2 && (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0))
    {
      g_print ("Usage:\n"
               "  tacit-cli [--db PATH] rules import [--dry-run] LIBRARY.xml\n"
               "  tacit-cli [--db PATH] rules export [-o FILE]\n"
               "  tacit-cli rules validate LIBRARY.xml\n");
      return TACIT_EXIT_OK;
    }
  return tacit_cli_usage_error ("rules", "expected 'rules import', 'rules export' or 'rules validate'");
}
