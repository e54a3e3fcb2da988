/* crash-kill.c: crash-safety harness. Kills tacit-cli (and a process
 * recording operator responses through the core) with SIGKILL at random
 * points of its work, hundreds of times, and after every kill checks:
 *
 *   - PRAGMA integrity_check is "ok" and foreign keys hold;
 *   - no import is half-present: events, rule libraries and recorded
 *     suggestions are either all there or not at all (count before + 0 or
 *     + the whole file), and the bookkeeping (imports, audit) agrees;
 *   - an export file is either the old one or the complete new one, and a
 *     dataset export's card is only there with every file it describes;
 *   - every response acknowledged before the kill is stored.
 *
 * Kill points are random, mostly between the measured start-up time (open
 * the database) and 1.2 × the duration of an uninterrupted run, so they
 * land before, inside and after the commit.
 * Each scenario runs until its number of kills is reached (the delays
 * shrink when runs end before the kill point). TACIT_CRASH_ROUNDS
 * multiplies the number of kills (default 1: 220 kills, about a minute on
 * an idle machine); TACIT_CRASH_SEED fixes the random points.
 *
 * Run as "crash-kill --responder DB TAG" it is the responder process.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "tacit-library-xml.h"
#include "tacit-store.h"
#include "tacit-test-utils.h"

#define N_EVENTS        20000
#define N_RULES         300
#define N_REPLAY_EVENTS 3000

static guint rounds = 1;
static char *self_exe;

/* ---- running tacit-cli ----------------------------------------------- */

static const char *
cli_path (void)
{
  const char *cli = g_getenv ("TACIT_CLI");

  g_assert_nonnull (cli);
  return cli;
}

static GSubprocess *
spawn (const char *const *argv,
       GSubprocessFlags   flags)
{
  g_autoptr(GError) error = NULL;
  GSubprocess *proc = g_subprocess_newv (argv, flags, &error);

  g_assert_no_error (error);
  return proc;
}

/* Runs tacit-cli to the end; asserts success; returns the seconds taken. */
static double
run_cli (const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  g_ptr_array_add (argv, (gpointer) cli_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  proc = spawn ((const char *const *) argv->pdata,
                G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_wait_check (proc, NULL, &error);
  g_assert_no_error (error);
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

typedef struct {
  guint kills;          /* SIGKILL delivered while running */
  guint finished;       /* it had finished before the kill point */
  guint landed_none;    /* killed, nothing of the work stored */
  guint landed_all;     /* killed after the commit, everything stored */
  guint mid_write;      /* killed with WAL frames written but nothing stored */
  guint in_work;        /* killed between start-up and the end of a full run */
  double startup;       /* measured start-up, seconds */
  double full;          /* measured full run, seconds */
} Tally;

/* Size of the WAL a killed process left: frames written but, when nothing
 * is stored, never committed. Read before anything opens the database
 * (closing the last connection checkpoints and removes the WAL). */
static goffset
wal_size (const char *db_path)
{
  g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);
  GStatBuf st;

  return g_stat (wal, &st) == 0 ? st.st_size : 0;
}

/* Starts tacit-cli, kills it with SIGKILL after delay_us (unless it has
 * ended by then) and reaps it. Returns TRUE when the kill hit it. */
static gboolean
run_cli_killed (const char *const *args,
                gint64             delay_us)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) proc = NULL;

  g_ptr_array_add (argv, (gpointer) cli_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  proc = spawn ((const char *const *) argv->pdata,
                G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_usleep (delay_us);
  g_subprocess_force_exit (proc);
  g_assert_true (g_subprocess_wait (proc, NULL, NULL));
  if (g_subprocess_get_if_signaled (proc))
    {
      g_assert_cmpint (g_subprocess_get_term_sig (proc), ==, SIGKILL);
      return TRUE;
    }
  /* It ended first: then it must have succeeded. */
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  return FALSE;
}

/* run_cli_killed(), tallying where the kill point was. */
static gboolean
kill_run (Tally             *t,
          const char *const *args,
          gint64             delay_us)
{
  gboolean killed = run_cli_killed (args, delay_us);

  if (killed && delay_us >= t->startup * G_USEC_PER_SEC && delay_us <= t->full * G_USEC_PER_SEC)
    t->in_work++;
  return killed;
}

/* Seconds a run of tacit-cli takes to start and open the database
 * (`init` on an existing one): before that, a kill proves little. */
static double startup;

static double
measure_startup (const char *db)
{
  const char *init[] = { "--db", db, "init", NULL };
  double best = G_MAXDOUBLE;

  for (int i = 0; i < 3; i++)
    best = MIN (best, run_cli (init));
  return best;
}

/* Three kills in four land between the start-up and 1.2 × a full run (in
 * the work and its commit); the rest anywhere from 0 to 1.3 × a full run. */
static gint64
random_delay (double full_seconds)
{
  double from = 0, to = full_seconds * 1.3;

  if (g_random_int_range (0, 4) != 0 && startup < full_seconds)
    {
      from = startup;
      to = full_seconds * 1.2;
    }
  return (gint64) (g_random_double_range (from, to) * G_USEC_PER_SEC);
}

/* ---- checking the database ------------------------------------------- */

static sqlite3 *
db_open (const char *path)
{
  sqlite3 *db = NULL;

  /* Read-write: opening recovers the WAL a killed writer left behind. */
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  return db;
}

static gint64
db_int (sqlite3    *db,
        const char *sql,
        const char *text_arg)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (text_arg != NULL)
    sqlite3_bind_text (stmt, 1, text_arg, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

/* integrity_check answers one row "ok", else one row per problem. */
static void
db_assert_sound (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA foreign_key_check", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
}

static gint64
count_events (const char *path)
{
  sqlite3 *db = db_open (path);
  gint64 n;

  db_assert_sound (db);
  n = db_int (db, "SELECT count(*) FROM events", NULL);
  /* The import records and the audit log land with the events or not at
   * all: their sums agree after every kill. */
  g_assert_cmpint (db_int (db, "SELECT coalesce(sum(events), 0) FROM imports", NULL), ==, n);
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM imports", NULL), ==,
                   db_int (db, "SELECT count(*) FROM audit WHERE action = 'events.import'", NULL));
  sqlite3_close (db);
  return n;
}

static void
report (const char  *what,
        const Tally *t,
        guint        target)
{
  g_print ("# %s: %u kills (%u between start-up at %.3f s and the end of a full run "
           "at %.3f s; %u with nothing stored, %u of them while committing; %u after "
           "the commit), %u runs finished before the kill point\n",
           what, t->kills, t->in_work, t->startup, t->full, t->landed_none, t->mid_write,
           t->landed_all, t->finished);
  /* The kill points must reach into the work itself, or this proves nothing. */
  g_assert_cmpuint (t->landed_none, >, 0);
  g_assert_cmpuint (t->kills, >=, target);
}

/* ---- generated input ---------------------------------------------------- */

static char *
write_events_csv (const char *dir,
                  const char *name,
                  guint       n,
                  gboolean    mode_changes)
{
  g_autoptr(GString) csv = g_string_new ("time,machine,kind,item,value\n");
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, name, NULL);
  GDateTime *base = g_date_time_new_utc (2026, 11, 2, 6, 0, 0);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GDateTime) t = g_date_time_add_seconds (base, i);
      g_autofree char *stamp = g_date_time_format (t, "%Y-%m-%dT%H:%M:%SZ");

      if (mode_changes)
        g_string_append_printf (csv, "%s,press-%u,event,mode,m%u\n", stamp, i % 2, i % 3);
      else
        g_string_append_printf (csv, "%s,press-%u,sample,oil_temp,%u.5\n", stamp, i % 4, i % 97);
    }
  g_date_time_unref (base);
  g_file_set_contents (path, csv->str, csv->len, &error);
  g_assert_no_error (error);
  return path;
}

static char *
write_library (const char *dir,
               const char *prefix,
               guint       n_rules)
{
  g_autoptr(GString) xml = g_string_new ("<library xmlns=\"urn:tacit:rules:1\" name=\"Crash\">\n");
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("%s.xml", prefix);
  char *path = g_build_filename (dir, name, NULL);

  for (guint i = 0; i < n_rules; i++)
    g_string_append_printf (xml,
                            "  <rule id=\"%s-r%03u\" kind=\"process-hack\" status=\"approved\">\n"
                            "    <title>Rule %u of %s</title>\n"
                            "    <on kind=\"event\" item=\"mode\"/>\n"
                            "    <advise><text>Mode changed (%u).</text></advise>\n"
                            "  </rule>\n", prefix, i, i, prefix, i);
  g_string_append (xml, "</library>\n");
  g_file_set_contents (path, xml->str, xml->len, &error);
  g_assert_no_error (error);
  return path;
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *wal = g_strconcat (to, "-wal", NULL);
  g_autofree char *shm = g_strconcat (to, "-shm", NULL);
  gsize len;

  g_file_get_contents (from, &data, &len, &error);
  g_assert_no_error (error);
  g_unlink (wal);
  g_unlink (shm);
  g_file_set_contents (to, data, len, &error);
  g_assert_no_error (error);
}

/* ---- scenarios ---------------------------------------------------------- */

static void
test_events_import (void)
{
  g_autofree char *dir = tacit_test_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "events.db", NULL);
  g_autofree char *scratch = g_build_filename (dir, "scratch.db", NULL);
  g_autofree char *csv = write_events_csv (dir, "big.csv", N_EVENTS, FALSE);
  const char *calibrate[] = { "--db", scratch, "events", "import", csv, NULL };
  const char *import[] = { "--db", db, "events", "import", csv, NULL };
  const char *init[] = { "--db", db, "init", NULL };
  Tally t = { 0 };

  run_cli (init);
  t.startup = startup = measure_startup (db);
  t.full = run_cli (calibrate);
  /* Kills accumulate in one database: every run also recovers the WAL
   * the previous kill left behind. */
  for (guint k = 0; t.kills < 75 * rounds && k < 300 * rounds; k++)
    {
      gint64 before = count_events (db), after;
      gboolean killed = kill_run (&t, import, random_delay (t.full));
      goffset wal = wal_size (db);

      after = count_events (db);
      g_assert_true (after == before || after == before + N_EVENTS);
      if (!killed)
        {
          /* The machine got faster: aim earlier. */
          t.finished++;
          t.full *= 0.85;
        }
      else
        {
          t.kills++;
          if (after == before)
            {
              t.landed_none++;
              t.mid_write += wal > 0;
            }
          else
            t.landed_all++;
        }
    }
  report ("events import", &t, 75 * rounds);
}

static gint64
count_prefixed_rules (const char *db_path,
                      const char *prefix)
{
  sqlite3 *db = db_open (db_path);
  g_autofree char *like = g_strconcat (prefix, "-%", NULL);
  gint64 n;

  db_assert_sound (db);
  n = db_int (db, "SELECT count(*) FROM rules WHERE id LIKE ?1", like);
  /* Every stored rule revision has its audit entry, in the same
   * transaction. */
  g_assert_cmpint (db_int (db, "SELECT count(*) FROM audit WHERE subject LIKE ?1 "
                           "AND action != 'library.import'", like), ==, n);
  sqlite3_close (db);
  return n;
}

static void
test_rules_import (void)
{
  g_autofree char *dir = tacit_test_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "rules.db", NULL);
  g_autofree char *scratch = g_build_filename (dir, "scratch.db", NULL);
  g_autofree char *lib0 = write_library (dir, "calibrate", N_RULES);
  const char *init[] = { "--db", db, "init", NULL };
  const char *calibrate[] = { "--db", scratch, "rules", "import", lib0, NULL };
  Tally t = { 0 };

  run_cli (init);
  t.startup = startup = measure_startup (db);
  /* Two runs: one alone is at the mercy of the machine's load. */
  t.full = (run_cli (calibrate) + run_cli (calibrate)) / 2;
  for (guint k = 0; t.kills < 45 * rounds && k < 200 * rounds; k++)
    {
      g_autofree char *prefix = g_strdup_printf ("k%u", k);
      g_autofree char *lib = write_library (dir, prefix, N_RULES);
      const char *import[] = { "--db", db, "rules", "import", lib, NULL };
      gboolean killed = kill_run (&t, import, random_delay (t.full));
      goffset wal = wal_size (db);
      gint64 after = count_prefixed_rules (db, prefix);

      /* Each library has new rule ids: all of them or none. */
      g_assert_true (after == 0 || after == N_RULES);
      if (!killed)
        {
          /* The machine got faster: aim earlier. */
          t.finished++;
          t.full *= 0.85;
        }
      else
        {
          t.kills++;
          if (after == 0)
            {
              t.landed_none++;
              t.mid_write += wal > 0;
            }
          else
            t.landed_all++;
        }
    }
  report ("rules import", &t, 45 * rounds);
}

/* A database with events whose every other event changes mode, and a rule
 * firing on each change: replay --record has thousands to store. */
static char *
make_replay_template (const char *dir,
                      gint64     *n_suggestions)
{
  char *template_db = g_build_filename (dir, "template.db", NULL);
  g_autofree char *scratch = g_build_filename (dir, "scratch.db", NULL);
  g_autofree char *csv = write_events_csv (dir, "modes.csv", N_REPLAY_EVENTS, TRUE);
  g_autofree char *lib = write_library (dir, "replay", 1);
  const char *import_events[] = { "--db", template_db, "events", "import", csv, NULL };
  const char *import_rules[] = { "--db", template_db, "rules", "import", lib, NULL };
  const char *record[] = { "--db", scratch, "replay", "--record", NULL };
  sqlite3 *db;

  run_cli (import_events);
  run_cli (import_rules);
  copy_file (template_db, scratch);
  run_cli (record);
  db = db_open (scratch);
  *n_suggestions = db_int (db, "SELECT count(*) FROM suggestions", NULL);
  sqlite3_close (db);
  g_assert_cmpint (*n_suggestions, >, 1000);
  return template_db;
}

static void
test_replay_record (void)
{
  g_autofree char *dir = tacit_test_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "replay.db", NULL);
  g_autofree char *template_db = NULL;
  const char *record[] = { "--db", db, "replay", "--record", "--format", "jsonl", NULL };
  Tally t = { 0 };
  gint64 n_suggestions = 0;

  template_db = make_replay_template (dir, &n_suggestions);
  copy_file (template_db, db);
  t.startup = startup = measure_startup (db);
  t.full = run_cli (record);
  for (guint k = 0; t.kills < 40 * rounds && k < 200 * rounds; k++)
    {
      gboolean killed;
      sqlite3 *sql;
      gint64 after;
      goffset wal;

      copy_file (template_db, db);
      killed = kill_run (&t, record, random_delay (t.full));
      wal = wal_size (db);
      sql = db_open (db);
      db_assert_sound (sql);
      after = db_int (sql, "SELECT count(*) FROM suggestions", NULL);
      g_assert_cmpint (db_int (sql, "SELECT count(*) FROM events", NULL), ==, N_REPLAY_EVENTS);
      sqlite3_close (sql);
      g_assert_true (after == 0 || after == n_suggestions);
      if (!killed)
        {
          /* The machine got faster: aim earlier. */
          t.finished++;
          t.full *= 0.85;
        }
      else
        {
          t.kills++;
          if (after == 0)
            {
              t.landed_none++;
              t.mid_write += wal > 0;
            }
          else
            t.landed_all++;
        }
    }
  report ("replay --record", &t, 40 * rounds);
}

static void
test_rules_export (void)
{
  g_autofree char *dir = tacit_test_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "export.db", NULL);
  g_autofree char *out = g_build_filename (dir, "out.xml", NULL);
  g_autofree char *lib = write_library (dir, "export", 1500);
  g_autofree char *small = write_library (dir, "small", 1);
  g_autofree char *small_xml = NULL, *full_xml = NULL;
  const char *import[] = { "--db", db, "rules", "import", lib, NULL };
  const char *export[] = { "--db", db, "rules", "export", "-o", out, NULL };
  g_autoptr(GError) error = NULL;
  Tally t = { 0 };

  run_cli (import);
  t.startup = startup = measure_startup (db);
  t.full = run_cli (export);
  g_file_get_contents (out, &full_xml, NULL, &error);
  g_assert_no_error (error);
  g_file_get_contents (small, &small_xml, NULL, &error);
  g_assert_no_error (error);
  for (guint k = 0; t.kills < 15 * rounds && k < 100 * rounds; k++)
    {
      g_autofree char *now = NULL;
      gboolean killed;

      g_file_set_contents (out, small_xml, -1, &error);
      g_assert_no_error (error);
      killed = kill_run (&t, export, random_delay (t.full));
      g_file_get_contents (out, &now, NULL, &error);
      g_assert_no_error (error);
      /* The old file or the whole new one: never a torn export. */
      g_assert_true (g_str_equal (now, small_xml) || g_str_equal (now, full_xml));
      if (!killed)
        {
          /* The machine got faster: aim earlier. */
          t.finished++;
          t.full *= 0.85;
        }
      else
        {
          t.kills++;
          if (g_str_equal (now, small_xml))
            t.landed_none++;
          else
            t.landed_all++;
        }
    }
  report ("rules export", &t, 15 * rounds);
}

/* An export directory after a kill: a card (dataset.json, renamed into
 * place last) means a complete export, every data file there with the
 * checksum the card gives it; without a card, whatever data files were
 * renamed into place are whole (they are written to a temporary file
 * first), and the export is simply not there yet. */
static gboolean
export_is_complete (const char *dir)
{
  static const char *const files[] = { "suggestions.jsonl", "events.jsonl", "rules.xml" };
  g_autofree char *card_path = g_build_filename (dir, "dataset.json", NULL);
  g_autofree char *card = NULL;

  if (!g_file_get_contents (card_path, &card, NULL, NULL))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i], NULL);
      g_autofree char *data = NULL;
      g_autofree char *sum = NULL;
      g_autoptr(GError) error = NULL;
      gsize len = 0;

      g_file_get_contents (path, &data, &len, &error);
      g_assert_no_error (error);
      sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, len);
      g_assert_nonnull (strstr (card, sum));
    }
  return TRUE;
}

static void
test_dataset_export (void)
{
  g_autofree char *dir = tacit_test_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "dataset.db", NULL);
  g_autofree char *template_db = NULL;
  g_autofree char *first = g_build_filename (dir, "export-first", NULL);
  const char *record[] = { "--db", db, "replay", "--record", NULL };
  const char *calibrate[] = { "--db", db, "export", "dataset", "--out", first, NULL };
  gint64 n_suggestions = 0;
  Tally t = { 0 };

  template_db = make_replay_template (dir, &n_suggestions);
  copy_file (template_db, db);
  run_cli (record);
  t.startup = startup = measure_startup (db);
  t.full = run_cli (calibrate);
  g_assert_true (export_is_complete (first));
  for (guint k = 0; t.kills < 15 * rounds && k < 100 * rounds; k++)
    {
      g_autofree char *name = g_strdup_printf ("export-%u", k);
      g_autofree char *out = g_build_filename (dir, name, NULL);
      const char *export[] = { "--db", db, "export", "dataset", "--out", out, NULL };
      gboolean killed = kill_run (&t, export, random_delay (t.full));
      gboolean complete = export_is_complete (out);

      if (!killed)
        {
          g_assert_true (complete);
          t.finished++;
          t.full *= 0.85;
        }
      else
        {
          t.kills++;
          if (complete)
            t.landed_all++;
          else
            t.landed_none++;
        }
    }
  report ("export dataset", &t, 15 * rounds);
}

/* The responder: records responses one by one through the core and
 * acknowledges each on stdout once tacit_store_record_response returned,
 * as the kiosk tells the operator "saved". */
static int
responder_main (const char *path,
                const char *tag)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitStore) store = tacit_store_open (path, &error);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db;
  sqlite3_stmt *stmt = NULL;

  if (store == NULL)
    g_error ("%s", error->message);
  db = db_open (path);
  sqlite3_prepare_v2 (db, "SELECT id FROM suggestions ORDER BY id LIMIT 500", -1, &stmt, NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_assert_cmpuint (ids->len, >, 0);

  for (guint i = 0; i < 100000; i++)
    {
      g_autofree char *reason = g_strdup_printf ("%s-%u", tag, i);

      if (!tacit_store_record_response (store, ids->pdata[i % ids->len],
                                        TACIT_RESPONSE_DISMISSED, reason, "op-crash",
                                        1793599200000000 + i, &error))
        g_error ("%s", error->message);
      printf ("%s\n", reason);
      fflush (stdout);
    }
  return 0;
}

static void
test_responses (void)
{
  g_autofree char *dir = tacit_test_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "responses.db", NULL);
  g_autofree char *template_db = NULL;
  const char *record[] = { "--db", db, "replay", "--record", NULL };
  gint64 n_suggestions = 0;
  guint64 acked_total = 0;
  Tally t = { 0 };

  template_db = make_replay_template (dir, &n_suggestions);
  copy_file (template_db, db);
  run_cli (record);
  for (guint k = 0; k < 30 * rounds; k++)
    {
      g_autofree char *tag = g_strdup_printf ("k%u", k);
      const char *argv[] = { self_exe, "--responder", db, tag, NULL };
      g_autoptr(GSubprocess) proc = spawn (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE);
      g_autoptr(GDataInputStream) lines =
        g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
      g_autoptr(GPtrArray) acked = g_ptr_array_new_with_free_func (g_free);
      char *line;
      sqlite3 *sql;

      /* Kill while it writes (its pipe holds thousands of lines before it
       * blocks); then every line it managed to write counts as shown to
       * the operator. */
      g_usleep (g_random_int_range (20000, 250000));
      g_subprocess_force_exit (proc);
      while ((line = g_data_input_stream_read_line (lines, NULL, NULL, NULL)) != NULL)
        g_ptr_array_add (acked, line);
      g_assert_true (g_subprocess_wait (proc, NULL, NULL));
      g_assert_true (g_subprocess_get_if_signaled (proc));
      t.kills++;

      sql = db_open (db);
      db_assert_sound (sql);
      for (guint i = 0; i < acked->len; i++)
        g_assert_cmpint (db_int (sql, "SELECT count(*) FROM responses WHERE reason = ?1",
                                 acked->pdata[i]), ==, 1);
      /* At most one response beyond the acknowledged ones: the one whose
       * commit finished as the kill came, before its acknowledgement. */
      g_assert_cmpint (db_int (sql, "SELECT count(*) FROM responses WHERE reason LIKE ?1 || '-%'",
                               tag), <=, acked->len + 1);
      sqlite3_close (sql);
      if (acked->len == 0)
        t.landed_none++;
      acked_total += acked->len;
    }
  g_print ("# responses: %u kills, %" G_GUINT64_FORMAT " acknowledged responses all stored\n",
           t.kills, acked_total);
  g_assert_cmpuint (acked_total, >, 0);
}

int
main (int argc, char **argv)
{
  const char *env;

  if (argc == 4 && g_str_equal (argv[1], "--responder"))
    return responder_main (argv[2], argv[3]);

  self_exe = g_canonicalize_filename (argv[0], NULL);
  /* SIGKILL ends the process, not the kernel: what was written stays in
   * the page cache, so fsync adds nothing to this test but time. Work on
   * tmpfs where there is one (power loss is another matter: see
   * docs/reliability.md). */
  if (g_getenv ("TMPDIR") == NULL && g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) &&
      access ("/dev/shm", W_OK) == 0)
    g_setenv ("TMPDIR", "/dev/shm", TRUE);
  g_test_init (&argc, &argv, NULL);
  if ((env = g_getenv ("TACIT_CRASH_ROUNDS")) != NULL)
    rounds = MAX (1, atoi (env));
  if ((env = g_getenv ("TACIT_CRASH_SEED")) != NULL)
    g_random_set_seed (atoi (env));
  g_test_add_func ("/crash-kill/events-import", test_events_import);
  g_test_add_func ("/crash-kill/rules-import", test_rules_import);
  g_test_add_func ("/crash-kill/replay-record", test_replay_record);
  g_test_add_func ("/crash-kill/rules-export", test_rules_export);
  g_test_add_func ("/crash-kill/dataset-export", test_dataset_export);
  g_test_add_func ("/crash-kill/responses", test_responses);
  return g_test_run ();
}
