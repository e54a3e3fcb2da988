/* tacit-cli-people.c: `tacit-cli operators add|list` and
 * `tacit-cli machines list|set`: what plant IT sets up on a kiosk or hub
 * without a display.
 *
 * PINs are read from standard input (never from the command line, where
 * `ps` and shell history would keep them), without echo on a terminal.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-cli.h"
#include "tacit-operators.h"

#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* One line of standard input, without its newline; no echo on a tty. */
static char *
read_pin (const char *prompt)
{
  struct termios saved, quiet;
  gboolean tty = isatty (STDIN_FILENO);
  char line[64];
  char *end;

  if (tty)
    {
      fprintf (stderr, "%s", prompt);
      tcgetattr (STDIN_FILENO, &saved);
      quiet = saved;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
    }
  end = fgets (line, sizeof line, stdin);
  if (tty)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      fputc ('\n', stderr);
    }
  if (end == NULL)
    return NULL;
  line[strcspn (line, "\r\n")] = '\0';
  return g_strdup (line);
}

static int
operator_error (const GError *error)
{
  /* A bad badge or PIN is bad input, like a bad file. */
  if (error->domain == TACIT_OPERATOR_ERROR)
    {
      g_printerr ("tacit-cli: %s\n", error->message);
      return TACIT_EXIT_INVALID;
    }
  return tacit_cli_fail (error);
}

static int
add_operator (const TacitCliGlobals *globals, int argc, char **argv)
{
  g_autofree char *name = NULL;
  g_autofree char *role_text = NULL;
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "The person's name as the kiosk shows it", "NAME" },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role_text, "operator (default) or engineer", "ROLE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new ("BADGE - add an operator, or set a new PIN (read from standard input)");
  g_autoptr(TacitOperator) admin = tacit_operator_new_local (NULL);
  g_autoptr(TacitStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pin = NULL;
  TacitRole role = TACIT_ROLE_OPERATOR;
  int status = TACIT_EXIT_OK;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!tacit_cli_parse (context, "operators add", &argc, &argv, &status))
    return status;
  if (argc != 2)
    return tacit_cli_usage_error ("operators add", "name exactly one BADGE");
  if (name == NULL || *name == '\0')
    return tacit_cli_usage_error ("operators add", "--name is required");
  if (role_text != NULL && !tacit_role_from_string (role_text, &role))
    return tacit_cli_usage_error ("operators add", "--role is operator or engineer, not '%s'", role_text);
  if ((pin = read_pin ("PIN (4 to 8 digits): ")) == NULL)
    return tacit_cli_usage_error ("operators add", "no PIN on standard input");
  if ((store = tacit_cli_open_store (globals, &error)) == NULL)
    return tacit_cli_fail (error);
  if (!tacit_operators_put (store, argv[1], name, role, pin, admin, &error))
    return operator_error (error);
  g_print ("Operator %s (%s, %s) saved.\n", argv[1], name, tacit_role_to_string (role));
  return TACIT_EXIT_OK;
}

static int
list_operators (const TacitCliGlobals *globals, int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- list operators (never their PINs)");
  g_autoptr(TacitStore) store = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time ();
  int status = TACIT_EXIT_OK;

  if (!tacit_cli_parse (context, "operators list", &argc, &argv, &status))
    return status;
  if (argc > 1)
    return tacit_cli_usage_error ("operators list", "unexpected argument '%s'", argv[1]);
  if ((store = tacit_cli_open_store (globals, &error)) == NULL ||
      (list = tacit_operators_list (store, &error)) == NULL)
    return tacit_cli_fail (error);
  g_print ("%-12s  %-9s  %-8s  %s\n", "BADGE", "ROLE", "STATE", "NAME");
  for (guint i = 0; i < list->len; i++)
    {
      const TacitOperator *op = g_ptr_array_index (list, i);

      g_print ("%-12s  %-9s  %-8s  %s\n", op->badge, tacit_role_to_string (op->role),
               op->locked_until > now ? "locked" : "ok", op->name);
    }
  return TACIT_EXIT_OK;
}

int
tacit_cli_operators_command (const TacitCliGlobals *globals, int argc, char **argv)
{
  if (argc >= 2 && strcmp (argv[1], "add") == 0)
    return add_operator (globals, argc - 1, argv + 1);
  if (argc >= 2 && strcmp (argv[1], "list") == 0)
    return list_operators (globals, argc - 1, argv + 1);
  if (argc >= 2 && (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0))
    {
      g_print ("Usage:\n"
               "  tacit-cli [--db PATH] operators add BADGE --name NAME [--role operator|engineer] < PIN\n"
               "  tacit-cli [--db PATH] operators list\n");
      return TACIT_EXIT_OK;
    }
  return tacit_cli_usage_error ("operators", "expected 'operators add' or 'operators list'");
}

/* ---------------------------------------------------------- machines */

static int
list_machines (const TacitCliGlobals *globals, int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("- list the machines registry");
  g_autoptr(TacitStore) store = NULL;
  g_autoptr(GPtrArray) machines = NULL;
  g_autoptr(GError) error = NULL;
  int status = TACIT_EXIT_OK;

  if (!tacit_cli_parse (context, "machines list", &argc, &argv, &status))
    return status;
  if (argc > 1)
    return tacit_cli_usage_error ("machines list", "unexpected argument '%s'", argv[1]);
  if ((store = tacit_cli_open_store (globals, &error)) == NULL ||
      (machines = tacit_store_list_machines (store, &error)) == NULL)
    return tacit_cli_fail (error);
  g_print ("%-20s  %-16s  %-16s  %s\n", "MACHINE", "CLASS", "CELL", "NAME");
  for (guint i = 0; i < machines->len; i++)
    {
      const TacitMachine *m = g_ptr_array_index (machines, i);

      g_print ("%-20s  %-16s  %-16s  %s\n", m->id, m->class_name ? m->class_name : "-",
               m->cell ? m->cell : "-", m->name ? m->name : "");
    }
  return TACIT_EXIT_OK;
}

/* Maps a device (an MTConnect Device name, an MQTT machine id) to its
 * class and cell: the scope rules and stations are written against. */
static int
set_machine (const TacitCliGlobals *globals, int argc, char **argv)
{
  g_autofree char *name = NULL;
  g_autofree char *class_name = NULL;
  g_autofree char *cell = NULL;
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "Display name", "NAME" },
    { "class", 0, 0, G_OPTION_ARG_STRING, &class_name, "Machine class (e.g. press)", "CLASS" },
    { "cell", 0, 0, G_OPTION_ARG_STRING, &cell, "Cell, which is the kiosk station", "CELL" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("MACHINE - set a machine's name, class or cell");
  g_autoptr(TacitStore) store = NULL;
  g_autoptr(GPtrArray) machines = NULL;
  g_autoptr(GError) error = NULL;
  TacitMachine machine = { 0 };
  int status = TACIT_EXIT_OK;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!tacit_cli_parse (context, "machines set", &argc, &argv, &status))
    return status;
  if (argc != 2)
    return tacit_cli_usage_error ("machines set", "name exactly one MACHINE");
  if (name == NULL && class_name == NULL && cell == NULL)
    return tacit_cli_usage_error ("machines set", "give --name, --class or --cell");
  if ((store = tacit_cli_open_store (globals, &error)) == NULL ||
      (machines = tacit_store_list_machines (store, &error)) == NULL)
    return tacit_cli_fail (error);
  machine.id = argv[1];
  /* Unchanged fields keep what the registry has. */
  for (guint i = 0; i < machines->len; i++)
    {
      const TacitMachine *m = g_ptr_array_index (machines, i);

      if (strcmp (m->id, argv[1]) == 0)
        machine = *m;
    }
  if (name != NULL)
    machine.name = name;
  if (class_name != NULL)
    machine.class_name = class_name;
  if (cell != NULL)
    machine.cell = cell;
  if (!tacit_store_put_machine (store, &machine, &error))
    return tacit_cli_fail (error);
  g_print ("Machine %s: class %s, cell %s\n", machine.id,
           machine.class_name ? machine.class_name : "-", machine.cell ? machine.cell : "-");
  return TACIT_EXIT_OK;
}

int
tacit_cli_machines_command (const TacitCliGlobals *globals, int argc, char **argv)
{
  if (argc >= 2 && strcmp (argv[1], "list") == 0)
    return list_machines (globals, argc - 1, argv + 1);
  if (argc >= 2 && strcmp (argv[1], "set") == 0)
    return set_machine (globals, argc - 1, argv + 1);
  if (argc >= 2 && (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0))
    {
      g_print ("Usage:\n"
               "  tacit-cli [--db PATH] machines list\n"
               "  tacit-cli [--db PATH] machines set MACHINE [--name N] [--class C] [--cell CELL]\n");
      return TACIT_EXIT_OK;
    }
  return tacit_cli_usage_error ("machines", "expected 'machines list' or 'machines set'");
}
