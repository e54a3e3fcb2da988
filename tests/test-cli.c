/* test-cli.c: tacit-cli end to end, as a user runs it: the real
 * executable ($TACIT_CLI) on fixture files in tests/data/cli, comparing
 * standard output, standard error and exit status in full.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tacit-store.h"
#include "tacit-test-utils.h"

typedef struct {
  char *out;
  char *err;
  int   status;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static char *
bytes_to_string (GBytes *bytes)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);

  return len ? g_strndup (data, len) : g_strdup ("");
}

/* Runs tacit-cli with NULL-terminated arguments; stdin from in_data. */
static void
run_cli_v (Run *run, const char *in_data, const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GBytes) out = NULL, err = NULL;
  g_autoptr(GBytes) in = in_data ? g_bytes_new (in_data, strlen (in_data)) : NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, (gpointer) g_getenv ("TACIT_CLI"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE |
                                        (in != NULL ? G_SUBPROCESS_FLAGS_STDIN_PIPE
                                                    : G_SUBPROCESS_FLAGS_NONE));
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate (proc, in, NULL, &out, &err, &error);
  g_assert_no_error (error);
  run->out = bytes_to_string (out);
  run->err = bytes_to_string (err);
  run->status = g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc) : -1;
}

#define RUN(run, ...) G_STMT_START { \
    const char *args_[] = { __VA_ARGS__, NULL }; \
    run_cli_v (run, NULL, args_); \
  } G_STMT_END

static char *
fixture (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "cli", name, NULL);
}

static char *
read_fixture (const char *name)
{
  g_autofree char *path = fixture (name);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

/* Messages name the file as given; the tests run from the fixture folder's
 * absolute path, so strip it for comparisons. */
static char *
relative (const char *text)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "data", "cli", NULL);
  g_autofree char *prefix = g_strconcat (dir, G_DIR_SEPARATOR_S, NULL);
  g_autoptr(GString) s = g_string_new (text);

  g_string_replace (s, prefix, "", 0);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static char *
new_db (void)
{
  g_autofree char *dir = tacit_test_tmpdir ();
  return g_build_filename (dir, "tacit.db", NULL);
}

static guint64
count_events (const char *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitStore) store = tacit_store_open (db, &error);

  g_assert_no_error (error);
  return tacit_store_count_events (store, &error);
}

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p; p++)
    n += *p == '\n';
  return n;
}

/* -------------------------------------------------------------- tests */

static void
test_help_and_usage (void)
{
  g_auto(Run) help = { 0 };
  g_auto(Run) bad = { 0 };
  g_auto(Run) none = { 0 };

  RUN (&help, "--help");
  g_assert_cmpint (help.status, ==, 0);
  g_assert_true (g_str_has_prefix (help.out, "Usage: tacit-cli [--db PATH] COMMAND"));

  RUN (&bad, "frobnicate");
  g_assert_cmpint (bad.status, ==, 2);
  g_assert_true (g_str_has_prefix (bad.err, "tacit-cli: unknown command 'frobnicate'"));

  RUN (&none, "replay", "--format", "xml", "--rules", "x.xml", "--events", "y.csv");
  g_assert_cmpint (none.status, ==, 2);
  g_assert_cmpstr (none.err, ==, "tacit-cli replay: unknown --format 'xml' (jsonl, table)\n"
                                 "Try 'tacit-cli replay --help'.\n");
}

static void
test_rules_validate (void)
{
  g_autofree char *good = fixture ("library.xml");
  g_autofree char *bad = fixture ("library-bad.xml");
  g_auto(Run) ok = { 0 };
  g_auto(Run) fail = { 0 };
  g_autofree char *err = NULL;
  g_autofree char *expected = read_fixture ("library-bad.expected");

  RUN (&ok, "rules", "validate", good);
  g_assert_cmpint (ok.status, ==, 0);
  g_assert_true (g_str_has_suffix (ok.out, "library.xml: valid\n"));

  RUN (&fail, "rules", "validate", bad);
  g_assert_cmpint (fail.status, ==, 1);
  err = relative (fail.err);
  g_assert_cmpstr (err, ==, expected);
}

/* Files only: no database is touched. */
static void
check_replay_files (const char *events_name, const char *format, const char *expected_name)
{
  g_autofree char *lib = fixture ("library.xml");
  g_autofree char *events = fixture (events_name);
  g_autofree char *expected = read_fixture (expected_name);
  g_autofree char *db = new_db ();
  g_auto(Run) run = { 0 };

  RUN (&run, "--db", db, "replay", "--rules", lib, "--events", events, "--format", format);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, expected);
  g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));
}

static void
test_replay_files_csv_jsonl (void)
{
  check_replay_files ("shift.csv", "jsonl", "replay.jsonl");
}

static void
test_replay_files_jsonl_input (void)
{
  /* The same events as JSON lines give the same suggestions. */
  check_replay_files ("shift.jsonl", "jsonl", "replay.jsonl");
}

static void
test_replay_files_table (void)
{
  check_replay_files ("shift.csv", "table", "replay.table");
}

static void
test_replay_stats (void)
{
  g_autofree char *lib = fixture ("library.xml");
  g_autofree char *events = fixture ("shift.csv");
  g_autofree char *expected = read_fixture ("stats.table");
  g_autofree char *expected_jsonl = read_fixture ("stats.jsonl");
  g_auto(Run) table = { 0 };
  g_auto(Run) jsonl = { 0 };

  RUN (&table, "replay", "--rules", lib, "--events", events, "--stats", "--format", "table");
  g_assert_cmpint (table.status, ==, 0);
  g_assert_cmpstr (table.out, ==, expected);
  RUN (&jsonl, "replay", "--rules", lib, "--events", events, "--stats");
  g_assert_cmpint (jsonl.status, ==, 0);
  g_assert_cmpstr (jsonl.out, ==, expected_jsonl);
}

static void
test_replay_time_range (void)
{
  /* [from, to): the engine starts knowing nothing at from; the supplier
   * reported before it is unknown, so coil-b-hot-oil cannot fire. */
  g_autofree char *lib = fixture ("library.xml");
  g_autofree char *events = fixture ("shift.csv");
  g_auto(Run) run = { 0 };

  RUN (&run, "replay", "--rules", lib, "--events", events, "--from", "2026-11-02T06:00:05Z",
       "--to", "2026-11-02T06:05:00Z", "--format", "table");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==,
                   "TIME                      MACHINE       RULE                      REV  SEVERITY  MODE      ADVICE\n"
                   "2026-11-02T06:00:10.000Z  cnc-1         spindle-overload            2  critical  live      "
                   "Spindle load above 90 % for 5 s: reduce the feed override to 80 %.\n");
}

static void
test_replay_lang (void)
{
  g_autofree char *lib = fixture ("library.xml");
  g_autofree char *events = fixture ("shift.csv");
  g_auto(Run) run = { 0 };

  RUN (&run, "replay", "--rules", lib, "--events", events, "--lang", "es");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "\"text\":\"Baje la velocidad del pisón un 5 % hasta que el aceite baje de 50 °C.\""));
}

static void
test_replay_from_database (void)
{
  g_autofree char *lib = fixture ("library.xml");
  g_autofree char *events = fixture ("shift.csv");
  g_autofree char *expected = read_fixture ("replay.jsonl");
  g_autofree char *db = new_db ();
  g_auto(Run) init = { 0 };
  g_auto(Run) rules = { 0 };
  g_auto(Run) import = { 0 };
  g_auto(Run) replay = { 0 };
  g_auto(Run) record = { 0 };
  g_auto(Run) again = { 0 };
  g_autoptr(TacitStore) store = NULL;

  RUN (&init, "--db", db, "init");
  g_assert_cmpint (init.status, ==, 0);
  RUN (&rules, "--db", db, "rules", "import", lib);
  g_assert_cmpstr (rules.err, ==, "");
  g_assert_cmpint (rules.status, ==, 0);
  RUN (&import, "--db", db, "events", "import", events);
  g_assert_cmpint (import.status, ==, 0);
  g_assert_true (g_str_has_prefix (import.out, "Imported 15 events from 1 file(s)"));

  RUN (&replay, "--db", db, "replay");
  g_assert_cmpstr (replay.err, ==, "");
  g_assert_cmpint (replay.status, ==, 0);
  g_assert_cmpstr (replay.out, ==, expected);

  /* --record twice stores each suggestion once. */
  RUN (&record, "--db", db, "replay", "--record");
  g_assert_cmpint (record.status, ==, 0);
  RUN (&again, "--db", db, "replay", "--record");
  g_assert_cmpint (again.status, ==, 0);
  store = tacit_store_open (db, NULL);
  g_assert_cmpuint (tacit_store_count_suggestions (store, NULL), ==, count_lines (expected));
}

static void
test_rules_export_roundtrip (void)
{
  g_autofree char *lib = fixture ("library.xml");
  g_autofree char *db = new_db ();
  g_autofree char *dir = tacit_test_tmpdir ();
  g_autofree char *out_path = g_build_filename (dir, "out.xml", NULL);
  g_autofree char *written = NULL;
  g_auto(Run) import = { 0 };
  g_auto(Run) to_stdout = { 0 };
  g_auto(Run) to_file = { 0 };
  g_auto(Run) validate = { 0 };

  RUN (&import, "--db", db, "rules", "import", lib);
  g_assert_cmpint (import.status, ==, 0);
  RUN (&to_stdout, "--db", db, "rules", "export");
  g_assert_cmpint (to_stdout.status, ==, 0);
  g_assert_true (g_str_has_prefix (to_stdout.out, "<?xml"));
  RUN (&to_file, "--db", db, "rules", "export", "-o", out_path);
  g_assert_cmpint (to_file.status, ==, 0);
  g_assert_true (g_file_get_contents (out_path, &written, NULL, NULL));
  g_assert_cmpstr (written, ==, to_stdout.out);
  RUN (&validate, "rules", "validate", out_path);
  g_assert_cmpint (validate.status, ==, 0);
}

static char *
write_edited_library (const char *title)
{
  g_autofree char *original = read_fixture ("library.xml");
  g_autoptr(GString) edited = g_string_new (original);

  g_string_replace (edited, "Slow the ram on supplier-B coil when the oil runs hot", title, 1);
  return tacit_test_write_file ("edited.xml", edited->str, (gssize) edited->len);
}

/* Re-import, edit, stale copy, conflict: each shown before it is written. */
static void
test_rules_import_preview_and_conflicts (void)
{
  g_autofree char *lib = fixture ("library.xml");
  g_autofree char *db = new_db ();
  g_autofree char *edited = write_edited_library ("Slow the ram on B coil with hot oil");
  g_autofree char *rival = write_edited_library ("Stop the press on B coil with hot oil");
  g_auto(Run) first = { 0 };
  g_auto(Run) again = { 0 };
  g_auto(Run) edit = { 0 };
  g_auto(Run) stale = { 0 };
  g_auto(Run) preview = { 0 };
  g_auto(Run) conflict = { 0 };
  g_autofree char *conflict_err = NULL;
  g_autoptr(TacitStore) store = NULL;
  g_autoptr(TacitLibrary) library = NULL;

  RUN (&first, "--db", db, "rules", "import", lib);
  g_assert_cmpint (first.status, ==, 0);
  g_assert_true (g_str_has_suffix (first.out, ": 5 added, 0 changed, 0 retired, 0 unchanged, "
                                   "0 stale (skipped); 0 rule(s) only in the database are kept.\n"));
  RUN (&again, "--db", db, "rules", "import", lib);
  g_assert_true (g_str_has_suffix (again.out, ": 0 added, 0 changed, 0 retired, 5 unchanged, "
                                   "0 stale (skipped); 0 rule(s) only in the database are kept.\n"));
  /* An edit of revision 3, the current one: stored as revision 4. */
  RUN (&edit, "--db", db, "rules", "import", edited);
  g_assert_cmpint (edit.status, ==, 0);
  g_assert_true (g_str_has_suffix (edit.out, ": 0 added, 1 changed, 0 retired, 4 unchanged, "
                                   "0 stale (skipped); 0 rule(s) only in the database are kept.\n"));
  /* The original file again is an old copy of revision 3: skipped, the
   * edit stays. */
  RUN (&stale, "--db", db, "rules", "import", lib);
  g_assert_cmpint (stale.status, ==, 0);
  g_assert_true (g_str_has_suffix (stale.out, ": 0 added, 0 changed, 0 retired, 4 unchanged, "
                                   "1 stale (skipped); 0 rule(s) only in the database are kept.\n"));
  /* Another edit of revision 3 collides with revision 4: refused. */
  RUN (&preview, "--db", db, "rules", "import", "--dry-run", rival);
  g_assert_cmpint (preview.status, ==, 1);
  g_assert_nonnull (strstr (preview.out, "  conflict   coil-b-hot-oil (file revision 3, database revision 4)\n"));
  RUN (&conflict, "--db", db, "rules", "import", rival);
  g_assert_cmpint (conflict.status, ==, 1);
  g_assert_cmpstr (conflict.out, ==, "");
  conflict_err = g_strdup (conflict.err);
  g_assert_nonnull (strstr (conflict_err, "coil-b-hot-oil: the file is based on revision 3, "
                                          "the database is at revision 4\n"));

  store = tacit_store_open (db, NULL);
  library = tacit_store_load_library (store, NULL);
  g_assert_cmpstr (tacit_library_lookup_rule (library, "coil-b-hot-oil")->title, ==,
                   "Slow the ram on B coil with hot oil");
  g_assert_cmpuint (tacit_library_lookup_rule (library, "coil-b-hot-oil")->revision, ==, 4);
}

typedef struct {
  const char *file;
  const char *message;   /* the whole of stderr, paths relative */
} BadInput;

/* Each bad file: exit 1, a message naming file and line, nothing stored. */
static void
test_bad_inputs_change_nothing (void)
{
  static const BadInput cases[] = {
    { "bad-time.csv", "tacit-cli: bad-time.csv:3: column \"time\": time has an impossible date\n" },
    { "bad-kind.jsonl", "tacit-cli: bad-kind.jsonl:2: key \"kind\": \"alarm\" is not sample, event or condition\n" },
    { "wrong-type.jsonl", "tacit-cli: wrong-type.jsonl:1: key \"value\" must be a string or a number, not an object\n" },
    { "truncated.csv", "tacit-cli: truncated.csv:2: column \"text\": the quoted field is not closed (a \" is missing)\n" },
    { "nul.csv", "tacit-cli: nul.csv:2: column \"value\": contains a NUL byte\n" },
    { "bad-utf8.csv", "tacit-cli: bad-utf8.csv:2: column \"value\": invalid UTF-8\n" },
    { "unknown-column.csv", "tacit-cli: unknown-column.csv:1: unknown column \"operator\" (the columns are time, machine, kind, item, value, code and text)\n" },
    { "truncated.xml", "tacit-cli: truncated.xml:10: the document ends inside <Temperature> (is it truncated?)\n" },
    { "xxe.xml", "tacit-cli: xxe.xml:2: documents with a DOCTYPE are refused\n" },
    { "billion-laughs.xml", "tacit-cli: billion-laughs.xml:2: documents with a DOCTYPE are refused\n" },
  };
  g_autofree char *db = new_db ();
  g_autofree char *good = fixture ("shift.csv");
  g_auto(Run) first = { 0 };

  RUN (&first, "--db", db, "events", "import", good);
  g_assert_cmpint (first.status, ==, 0);
  g_assert_cmpuint (count_events (db), ==, 15);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *bad = fixture (cases[i].file);
      g_auto(Run) run = { 0 };
      g_autofree char *err = NULL;

      /* The good file first, the bad one second: the good one must not land either. */
      RUN (&run, "--db", db, "events", "import", good, bad);
      err = relative (run.err);
      g_test_message ("%s → %s", cases[i].file, err);
      g_assert_cmpint (run.status, ==, 1);
      g_assert_cmpstr (run.out, ==, "");
      if (cases[i].message != NULL)
        g_assert_cmpstr (err, ==, cases[i].message);
      else
        {
          g_autofree char *prefix = g_strdup_printf ("tacit-cli: %s:", cases[i].file);
          g_assert_true (g_str_has_prefix (err, prefix));
          /* "FILE:LINE: problem": a line number follows the name. */
          g_assert_true (g_ascii_isdigit (err[strlen (prefix)]));
        }
      g_assert_cmpuint (count_events (db), ==, 15);
    }
}

static void
test_replay_bad_input_prints_nothing (void)
{
  /* An error at the end of the input: no half output, exit 1. */
  g_autofree char *lib = fixture ("library.xml");
  g_autofree char *good = fixture ("shift.csv");
  g_autofree char *bad = fixture ("bad-time.csv");
  g_auto(Run) run = { 0 };

  RUN (&run, "replay", "--rules", lib, "--events", good, bad);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_true (g_str_has_suffix (run.err, "bad-time.csv:3: column \"time\": time has an impossible date\n"));
}

static void
test_missing_file_is_io_error (void)
{
  g_autofree char *lib = fixture ("library.xml");
  g_auto(Run) run = { 0 };

  RUN (&run, "replay", "--rules", lib, "--events", "/nonexistent/events.csv");
  g_assert_cmpint (run.status, ==, 3);
  g_assert_nonnull (strstr (run.err, "/nonexistent/events.csv"));
}

static void
test_stdin_needs_format (void)
{
  g_autofree char *lib = fixture ("library.xml");
  g_autofree char *csv = read_fixture ("shift.csv");
  g_autofree char *expected = read_fixture ("replay.jsonl");
  g_auto(Run) no_format = { 0 };
  g_auto(Run) with_format = { 0 };
  const char *args1[] = { "replay", "--rules", lib, "--events", "-", NULL };
  const char *args2[] = { "replay", "--rules", lib, "--events-format", "csv", "--events", "-", NULL };

  run_cli_v (&no_format, csv, args1);
  g_assert_cmpint (no_format.status, ==, 2);
  run_cli_v (&with_format, csv, args2);
  g_assert_cmpint (with_format.status, ==, 0);
  g_assert_cmpstr (with_format.out, ==, expected);
}

static void
test_replay_real_mtconnect (void)
{
  g_autofree char *path = tacit_test_shared_path ("mtconnect/nist-GFAgie01-sample.xml");
  g_autofree char *lib = fixture ("nist-library.xml");
  g_auto(Run) run = { 0 };
  g_auto(Run) stats = { 0 };

  if (path == NULL)
    return;
  RUN (&run, "replay", "--rules", lib, "--events", path);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);
  /* Every fault of the system condition with a native code rises once per
   * fault after a normal: the test bed's document has them. */
  g_assert_nonnull (strstr (run.out, "\"machine\":\"GFAgie01\""));
  RUN (&stats, "replay", "--rules", lib, "--events", path, "--stats", "--format", "table");
  g_assert_cmpint (stats.status, ==, 0);
  g_test_message ("%s", stats.out);
}

#define RUN_IN(run, input, ...) G_STMT_START { \
    const char *args_[] = { __VA_ARGS__, NULL }; \
    run_cli_v (run, input, args_); \
  } G_STMT_END

/* Plant IT adds people without a display; the PIN never appears on the
 * command line and never in the output. */
static void
test_operators_add_and_list (void)
{
  g_autofree char *db = new_db ();
  g_auto(Run) add = { 0 };
  g_auto(Run) eng = { 0 };
  g_auto(Run) bad_pin = { 0 };
  g_auto(Run) bad_role = { 0 };
  g_auto(Run) list = { 0 };

  RUN_IN (&add, "1234\n", "--db", db, "operators", "add", "117", "--name", "Ana R.");
  g_assert_cmpint (add.status, ==, 0);
  g_assert_cmpstr (add.out, ==, "Operator 117 (Ana R., operator) saved.\n");
  RUN_IN (&eng, "4321\n", "--db", db, "operators", "add", "4", "--name", "Sam K.", "--role", "engineer");
  g_assert_cmpint (eng.status, ==, 0);
  RUN_IN (&bad_pin, "12\n", "--db", db, "operators", "add", "118", "--name", "Mo");
  g_assert_cmpint (bad_pin.status, ==, 1);
  g_assert_cmpstr (bad_pin.err, ==, "tacit-cli: A PIN is 4 to 8 digits\n");
  RUN_IN (&bad_role, "1234\n", "--db", db, "operators", "add", "119", "--name", "Jo", "--role", "boss");
  g_assert_cmpint (bad_role.status, ==, 2);
  RUN (&list, "--db", db, "operators", "list");
  g_assert_cmpint (list.status, ==, 0);
  g_assert_cmpstr (list.out, ==,
                   "BADGE         ROLE       STATE     NAME\n"
                   "117           operator   ok        Ana R.\n"
                   "4             engineer   ok        Sam K.\n");
  g_assert_null (strstr (list.out, "1234"));
}

/* Devices from agents and brokers are mapped to class and cell (the
 * station) without touching the library. */
static void
test_machines_set_and_list (void)
{
  g_autofree char *db = new_db ();
  g_autofree char *csv = fixture ("shift.csv");
  g_auto(Run) import = { 0 };
  g_auto(Run) set = { 0 };
  g_auto(Run) list = { 0 };
  g_auto(Run) usage = { 0 };

  RUN (&import, "--db", db, "events", "import", csv);
  g_assert_cmpint (import.status, ==, 0);
  RUN (&set, "--db", db, "machines", "set", "press-3", "--class", "press", "--cell", "stamping");
  g_assert_cmpint (set.status, ==, 0);
  g_assert_cmpstr (set.out, ==, "Machine press-3: class press, cell stamping\n");
  RUN (&usage, "--db", db, "machines", "set", "press-3");
  g_assert_cmpint (usage.status, ==, 2);
  RUN (&list, "--db", db, "machines", "list");
  g_assert_cmpint (list.status, ==, 0);
  g_assert_nonnull (strstr (list.out, "press-3               press             stamping"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("TACIT_CLI") == NULL)
    {
      g_printerr ("TACIT_CLI must name the tacit-cli executable\n");
      return 1;
    }
  g_test_add_func ("/cli/help-and-usage", test_help_and_usage);
  g_test_add_func ("/cli/rules/validate", test_rules_validate);
  g_test_add_func ("/cli/rules/export-roundtrip", test_rules_export_roundtrip);
  g_test_add_func ("/cli/rules/import-preview-conflicts", test_rules_import_preview_and_conflicts);
  g_test_add_func ("/cli/replay/files-csv", test_replay_files_csv_jsonl);
  g_test_add_func ("/cli/replay/files-jsonl", test_replay_files_jsonl_input);
  g_test_add_func ("/cli/replay/table", test_replay_files_table);
  g_test_add_func ("/cli/replay/stats", test_replay_stats);
  g_test_add_func ("/cli/replay/lang", test_replay_lang);
  g_test_add_func ("/cli/replay/time-range", test_replay_time_range);
  g_test_add_func ("/cli/replay/database-and-record", test_replay_from_database);
  g_test_add_func ("/cli/replay/bad-input-prints-nothing", test_replay_bad_input_prints_nothing);
  g_test_add_func ("/cli/replay/stdin", test_stdin_needs_format);
  g_test_add_func ("/cli/replay/real-mtconnect", test_replay_real_mtconnect);
  g_test_add_func ("/cli/events/bad-inputs-change-nothing", test_bad_inputs_change_nothing);
  g_test_add_func ("/cli/missing-file", test_missing_file_is_io_error);
  g_test_add_func ("/cli/operators/add-and-list", test_operators_add_and_list);
  g_test_add_func ("/cli/machines/set-and-list", test_machines_set_and_list);

  return g_test_run ();
}
