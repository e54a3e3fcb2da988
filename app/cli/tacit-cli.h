/* tacit-cli.h: shared pieces of tacit-cli's subcommands.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tacit-store.h"

G_BEGIN_DECLS

/* SPEC "Command line": exit statuses. */
enum {
  TACIT_EXIT_OK = 0,
  TACIT_EXIT_INVALID = 1,
  TACIT_EXIT_USAGE = 2,
  TACIT_EXIT_IO = 3,
};

typedef struct {
  const char *db_path;    /* --db, or NULL for the default */
} TacitCliGlobals;

typedef int (*TacitCliCommandFunc) (const TacitCliGlobals *globals,
                                    int                    argc,
                                    char                 **argv);

/* Prints "tacit-cli: message" and returns the exit status for the error. */
int         tacit_cli_fail            (const GError *error);
int         tacit_cli_usage_error     (const char   *command,
                                       const char   *format,
                                       ...) G_GNUC_PRINTF (2, 3);
/* Parses argv with a context whose summary names the command; on error
 * prints it and sets *status to TACIT_EXIT_USAGE. */
gboolean    tacit_cli_parse           (GOptionContext *context,
                                       const char     *command,
                                       int            *argc,
                                       char         ***argv,
                                       int            *status);
TacitStore *tacit_cli_open_store      (const TacitCliGlobals *globals,
                                       GError               **error);
/* RFC 3339 option values. */
gboolean    tacit_cli_parse_time      (const char   *option,
                                       const char   *text,
                                       gint64       *out,
                                       int          *status);

/* Progress on a terminal (stderr is a tty), quiet otherwise. */
typedef struct _TacitCliProgress TacitCliProgress;
TacitCliProgress *tacit_cli_progress_new  (const char       *what);
gboolean          tacit_cli_progress_cb   (guint64           done,
                                           guint64           total,
                                           gpointer          progress);
void              tacit_cli_progress_free (TacitCliProgress *progress);

int tacit_cli_init_command    (const TacitCliGlobals *globals, int argc, char **argv);
int tacit_cli_events_command  (const TacitCliGlobals *globals, int argc, char **argv);
int tacit_cli_rules_command   (const TacitCliGlobals *globals, int argc, char **argv);
int tacit_cli_replay_command  (const TacitCliGlobals *globals, int argc, char **argv);
int tacit_cli_listen_command  (const TacitCliGlobals *globals, int argc, char **argv);
int tacit_cli_export_command  (const TacitCliGlobals *globals, int argc, char **argv);
int tacit_cli_report_command  (const TacitCliGlobals *globals, int argc, char **argv);
int tacit_cli_operators_command (const TacitCliGlobals *globals, int argc, char **argv);
int tacit_cli_machines_command  (const TacitCliGlobals *globals, int argc, char **argv);
int tacit_cli_hub_command       (const TacitCliGlobals *globals, int argc, char **argv);
int tacit_cli_kiosk_link_command (const TacitCliGlobals *globals, int argc, char **argv);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TacitCliProgress, tacit_cli_progress_free)

G_END_DECLS
