/* tacit-cli-rules.c: `tacit-cli rules import|export|validate`.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-cli.h"
#include "tacit-error.h"
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

static int
import_rules (const TacitCliGlobals *globals, int argc, char **argv)
{
  g_autofree char *actor = NULL;
  const GOptionEntry entries[] = {
    { "actor", 0, 0, G_OPTION_ARG_STRING, &actor,
      "Who imports, for the audit log (default: the login name)", "NAME" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("LIBRARY.xml - store a rule library");
  g_autoptr(TacitLibrary) library = NULL;
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
  if (!tacit_store_import_library (store, library, actor ? actor : g_get_user_name (), &error))
    return tacit_cli_fail (error);
  g_print ("Imported %u rule(s) from %s.\n", tacit_library_get_rules (library)->len, argv[1]);
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
               "  tacit-cli [--db PATH] rules import LIBRARY.xml\n"
               "  tacit-cli [--db PATH] rules export [-o FILE]\n"
               "  tacit-cli rules validate LIBRARY.xml\n");
      return TACIT_EXIT_OK;
    }
  return tacit_cli_usage_error ("rules", "expected 'rules import', 'rules export' or 'rules validate'");
}
