/* test-environments.c: tacit-cli in bad environments: a read-only
 * database, one locked by another process, a corrupt or foreign file, a
 * full disk (RLIMIT_FSIZE, as `ulimit -f` does), missing files. Each gives
 * a clear message and exit status 3 (I/O or database error), never a
 * crash, and leaves what was already stored intact.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "tacit-test-utils.h"

#define EXIT_IO 3

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

static rlim_t file_size_limit;

/* In the child, between fork and exec: a file size limit as `ulimit -f`
 * sets it, with SIGXFSZ ignored (as a shell does not, but a service
 * manager's LimitFSIZE= with a handled signal would) so that writes fail
 * with EFBIG instead of killing the process outright. Both are inherited
 * across exec. */
static void
limit_file_size (gpointer data)
{
  struct rlimit limit = { file_size_limit, file_size_limit };

  signal (SIGXFSZ, SIG_IGN);
  setrlimit (RLIMIT_FSIZE, &limit);
}

static char *
bytes_to_string (GBytes *bytes)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);

  return len ? g_strndup (data, len) : g_strdup ("");
}

static GSubprocess *
spawn_cli (const char *const *args,
           gboolean           limited)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocess *proc;

  g_ptr_array_add (argv, (gpointer) g_getenv ("TACIT_CLI"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (limited)
    g_subprocess_launcher_set_child_setup (launcher, limit_file_size, NULL, NULL);
  proc = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  return proc;
}

static void
finish (Run         *run,
        GSubprocess *proc)
{
  g_autoptr(GBytes) out = NULL, err = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate (proc, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  run->out = bytes_to_string (out);
  run->err = bytes_to_string (err);
  /* Never a crash: it must exit, not die of a signal. */
  g_assert_true (g_subprocess_get_if_exited (proc));
  run->status = g_subprocess_get_exit_status (proc);
  g_test_message ("exit %d, stderr: %s", run->status, run->err);
}

static void
run_cli_v (Run               *run,
           gboolean           limited,
           const char *const *args)
{
  g_autoptr(GSubprocess) proc = spawn_cli (args, limited);

  finish (run, proc);
}

#define RUN(run, ...) G_STMT_START { \
    const char *args_[] = { __VA_ARGS__, NULL }; \
    run_cli_v (run, FALSE, args_); \
  } G_STMT_END

#define RUN_LIMITED(run, ...) G_STMT_START { \
    const char *args_[] = { __VA_ARGS__, NULL }; \
    run_cli_v (run, TRUE, args_); \
  } G_STMT_END

static char *
fixture (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", "cli", name, NULL);
}

/* ---- the database as stored --------------------------------------------- */

/* integrity_check, and the counts a failed command must not change. */
typedef struct {
  gint64 events;
  gint64 rules;
  gint64 audit;
} Counts;

static gint64
db_int (sqlite3    *db,
        const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static Counts
db_counts (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  Counts c;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
  c.events = db_int (db, "SELECT count(*) FROM events");
  c.rules = db_int (db, "SELECT count(*) FROM rules");
  c.audit = db_int (db, "SELECT count(*) FROM audit");
  sqlite3_close (db);
  return c;
}

static void
assert_counts_equal (const Counts *a,
                     const Counts *b)
{
  g_assert_cmpint (a->events, ==, b->events);
  g_assert_cmpint (a->rules, ==, b->rules);
  g_assert_cmpint (a->audit, ==, b->audit);
}

/* A database holding the CLI fixtures' events and library. */
static char *
make_db (const char *dir)
{
  g_autofree char *csv = fixture ("shift.csv");
  g_autofree char *lib = fixture ("library.xml");
  char *db = g_build_filename (dir, "tacit.db", NULL);
  g_auto(Run) r1 = { 0 };
  g_auto(Run) r2 = { 0 };

  RUN (&r1, "--db", db, "events", "import", csv);
  g_assert_cmpint (r1.status, ==, 0);
  RUN (&r2, "--db", db, "rules", "import", lib);
  g_assert_cmpint (r2.status, ==, 0);
  return db;
}

static char *
write_big_csv (const char *dir,
               guint       n)
{
  g_autoptr(GString) csv = g_string_new ("time,machine,kind,item,value\n");
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, "big.csv", NULL);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (csv, "2026-11-03T%02u:%02u:%02uZ,press-%u,sample,oil_temp,%u\n",
                            i / 3600 % 24, i / 60 % 60, i % 60, i % 4, i % 90);
  g_file_set_contents (path, csv->str, csv->len, &error);
  g_assert_no_error (error);
  return path;
}

/* ---- the environments ---------------------------------------------------- */

static void
test_read_only (void)
{
  g_autofree char *dir = tacit_test_tmpdir ();
  g_autofree char *db = make_db (dir);
  g_autofree char *csv = write_big_csv (dir, 100);
  g_autofree char *lib = fixture ("nist-library.xml");
  g_auto(Run) imp = { 0 };
  g_auto(Run) rules = { 0 };
  g_auto(Run) replay = { 0 };
  Counts before = db_counts (db), after;

  g_assert_cmpint (g_chmod (db, 0444), ==, 0);
  RUN (&imp, "--db", db, "events", "import", csv);
  g_assert_cmpint (imp.status, ==, EXIT_IO);
  g_assert_true (g_str_has_prefix (imp.err, "tacit-cli: "));
  g_assert_nonnull (strstr (imp.err, db));
  g_assert_true (strstr (imp.err, "read-only") != NULL || strstr (imp.err, "readonly") != NULL);
  RUN (&rules, "--db", db, "rules", "import", lib);
  g_assert_cmpint (rules.status, ==, EXIT_IO);
  g_assert_true (strstr (rules.err, "read-only") != NULL || strstr (rules.err, "readonly") != NULL);
  /* Reading still works. */
  RUN (&replay, "--db", db, "replay", "--format", "jsonl");
  g_assert_cmpint (replay.status, ==, 0);
  g_assert_cmpstr (replay.out, !=, "");
  after = db_counts (db);
  assert_counts_equal (&before, &after);
}

/* Holds the write lock (BEGIN IMMEDIATE) on another connection, as another
 * Tacit process in the middle of an import would. */
static sqlite3 *
lock_db (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE; INSERT INTO counters (name, value) "
                                 "VALUES ('lock-test', 1)", NULL, NULL, NULL), ==, SQLITE_OK);
  return db;
}

static void
test_locked (void)
{
  g_autofree char *dir = tacit_test_tmpdir ();
  g_autofree char *db = make_db (dir);
  g_autofree char *csv = write_big_csv (dir, 100);
  g_auto(Run) imp = { 0 };
  g_auto(Run) later = { 0 };
  Counts before = db_counts (db), after;
  sqlite3 *holder = lock_db (db);
  gint64 start = g_get_monotonic_time ();
  double waited;

  RUN (&imp, "--db", db, "events", "import", csv);
  waited = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  /* It waited for the busy timeout (5 s), then said why it gave up. */
  g_assert_cmpfloat (waited, >=, 4.5);
  g_assert_cmpfloat (waited, <, 30);
  g_assert_cmpint (imp.status, ==, EXIT_IO);
  g_assert_nonnull (strstr (imp.err, db));
  g_assert_nonnull (strstr (imp.err, "database is locked (another connection is writing"));
  g_assert_cmpint (sqlite3_exec (holder, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (holder);
  after = db_counts (db);
  assert_counts_equal (&before, &after);

  /* Once the other process is done, the same import goes through. */
  RUN (&later, "--db", db, "events", "import", csv);
  g_assert_cmpint (later.status, ==, 0);
  after = db_counts (db);
  g_assert_cmpint (after.events, ==, before.events + 100);
}

/* A lock held for less than the busy timeout is simply waited out. */
static void
test_locked_briefly (void)
{
  g_autofree char *dir = tacit_test_tmpdir ();
  g_autofree char *db = make_db (dir);
  g_autofree char *csv = write_big_csv (dir, 100);
  const char *args[] = { "--db", db, "events", "import", csv, NULL };
  g_autoptr(GSubprocess) proc = NULL;
  g_auto(Run) imp = { 0 };
  Counts before = db_counts (db), after;
  sqlite3 *holder = lock_db (db);

  proc = spawn_cli (args, FALSE);
  g_usleep (G_USEC_PER_SEC);
  g_assert_cmpint (sqlite3_exec (holder, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (holder);
  finish (&imp, proc);
  g_assert_cmpint (imp.status, ==, 0);
  after = db_counts (db);
  g_assert_cmpint (after.events, ==, before.events + 100);
}

static void
overwrite (const char *path,
           goffset     offset,
           gsize       len,
           char        byte)
{
  g_autofree char *junk = g_malloc (len);
  FILE *f = fopen (path, "r+b");

  g_assert_nonnull (f);
  memset (junk, byte, len);
  g_assert_cmpint (fseek (f, offset, SEEK_SET), ==, 0);
  g_assert_cmpuint (fwrite (junk, 1, len, f), ==, len);
  fclose (f);
}

static void
assert_io_error (const Run  *run,
                 const char *db,
                 const char *words)
{
  g_assert_cmpint (run->status, ==, EXIT_IO);
  g_assert_true (g_str_has_prefix (run->err, "tacit-cli: "));
  g_assert_nonnull (strstr (run->err, db));
  if (words != NULL)
    g_assert_nonnull (strstr (run->err, words));
}

static void
test_corrupt (void)
{
  g_autofree char *dir = tacit_test_tmpdir ();
  g_autofree char *db = make_db (dir);
  g_autofree char *csv = write_big_csv (dir, 100);
  g_autofree char *before = NULL, *after = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Run) imp = { 0 };
  g_auto(Run) replay = { 0 };
  gsize before_len = 0, after_len = 0;

  /* Garbage over every page after the first: the header still says
   * SQLite, the schema and the tables do not parse. */
  g_file_get_contents (db, &before, &before_len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (before_len, >, 16384 * 2);
  overwrite (db, 16384, before_len - 16384, '\x5a');
  g_clear_pointer (&before, g_free);
  g_file_get_contents (db, &before, &before_len, &error);

  RUN (&imp, "--db", db, "events", "import", csv);
  assert_io_error (&imp, db, NULL);
  RUN (&replay, "--db", db, "replay");
  assert_io_error (&replay, db, NULL);
  /* Refused, not "repaired": the file is exactly as it was. */
  g_file_get_contents (db, &after, &after_len, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (before, before_len, after, after_len);
}

static void
test_not_a_database (void)
{
  g_autofree char *dir = tacit_test_tmpdir ();
  g_autofree char *text = g_build_filename (dir, "notes.db", NULL);
  g_autofree char *other = g_build_filename (dir, "other.db", NULL);
  g_autofree char *truncated = g_build_filename (dir, "truncated.db", NULL);
  g_autofree char *db = make_db (dir);
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Run) r1 = { 0 };
  g_auto(Run) r2 = { 0 };
  g_auto(Run) r3 = { 0 };
  sqlite3 *sql = NULL;
  gsize len = 0;

  g_file_set_contents (text, "shift notes: press 3 ran hot\n", -1, &error);
  g_assert_no_error (error);
  RUN (&r1, "--db", text, "init");
  assert_io_error (&r1, text, "not a Tacit database");

  /* Another application's SQLite database is refused and left alone. */
  g_assert_cmpint (sqlite3_open (other, &sql), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (sql, "CREATE TABLE t (x); INSERT INTO t VALUES (1)",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (sql);
  RUN (&r2, "--db", other, "init");
  assert_io_error (&r2, other, "not a Tacit database");

  /* A database cut short (a copy that stopped half-way). */
  g_file_get_contents (db, &data, &len, &error);
  g_assert_no_error (error);
  g_file_set_contents (truncated, data, len / 3, &error);
  g_assert_no_error (error);
  RUN (&r3, "--db", truncated, "replay");
  assert_io_error (&r3, truncated, NULL);
}

static void
test_disk_full (void)
{
  g_autofree char *dir = tacit_test_tmpdir ();
  g_autofree char *db = make_db (dir);
  g_autofree char *csv = write_big_csv (dir, 20000);
  g_auto(Run) imp = { 0 };
  g_auto(Run) later = { 0 };
  Counts before = db_counts (db), after;
  GStatBuf st;

  /* Room for the database as it is and a few pages more: the import's
   * WAL (or the database growing) hits the limit. */
  g_assert_cmpint (g_stat (db, &st), ==, 0);
  file_size_limit = st.st_size + 64 * 1024;
  RUN_LIMITED (&imp, "--db", db, "events", "import", csv);
  assert_io_error (&imp, db, NULL);
  /* SQLite reports a write refused with EFBIG as an I/O error (ENOSPC,
   * a really full disk, as "full": see test_disk_full_tmpfs). */
  g_assert_nonnull (strstr (imp.err, "disk I/O error"));
  after = db_counts (db);
  assert_counts_equal (&before, &after);

  /* With room again, nothing is in the way. */
  RUN (&later, "--db", db, "events", "import", csv);
  g_assert_cmpint (later.status, ==, 0);
  after = db_counts (db);
  g_assert_cmpint (after.events, ==, before.events + 20000);
}

/* A really full file system: a 2 MiB tmpfs mounted over a directory of
 * the test's own (root only; skipped where mounting is not allowed). */
static void
test_disk_full_tmpfs (void)
{
  g_autofree char *dir = tacit_test_tmpdir ();
  g_autofree char *mnt = g_build_filename (dir, "small", NULL);
  g_autofree char *db = NULL;
  g_autofree char *csv = write_big_csv (dir, 60000);
  g_autofree char *mount_cmd = NULL, *umount_cmd = NULL;
  g_auto(Run) imp = { 0 };
  Counts before, after;
  int status = -1;

  g_assert_cmpint (g_mkdir (mnt, 0700), ==, 0);
  mount_cmd = g_strdup_printf ("mount -t tmpfs -o size=2m tacit-test %s", mnt);
  if (getuid () != 0 ||
      !g_spawn_command_line_sync (mount_cmd, NULL, NULL, &status, NULL) ||
      !g_spawn_check_wait_status (status, NULL))
    {
      g_test_skip ("cannot mount a small tmpfs here (needs root)");
      return;
    }
  db = make_db (mnt);
  before = db_counts (db);
  RUN (&imp, "--db", db, "events", "import", csv);
  assert_io_error (&imp, db, "database or disk is full");
  after = db_counts (db);
  assert_counts_equal (&before, &after);
  umount_cmd = g_strdup_printf ("umount %s", mnt);
  g_assert_true (g_spawn_command_line_sync (umount_cmd, NULL, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

static void
test_missing (void)
{
  g_autofree char *dir = tacit_test_tmpdir ();
  g_autofree char *db = make_db (dir);
  g_autofree char *missing = g_build_filename (dir, "no-such.csv", NULL);
  g_autofree char *missing_lib = g_build_filename (dir, "no-such.xml", NULL);
  g_autofree char *nowhere = g_build_filename (db, "sub", "tacit.db", NULL);
  g_auto(Run) r1 = { 0 };
  g_auto(Run) r2 = { 0 };
  g_auto(Run) r3 = { 0 };
  Counts before = db_counts (db), after;

  RUN (&r1, "--db", db, "events", "import", missing);
  g_assert_cmpint (r1.status, ==, EXIT_IO);
  g_assert_nonnull (strstr (r1.err, missing));
  RUN (&r2, "--db", db, "rules", "import", missing_lib);
  g_assert_cmpint (r2.status, ==, EXIT_IO);
  g_assert_nonnull (strstr (r2.err, missing_lib));
  /* A database under a path whose parent is a file. */
  RUN (&r3, "--db", nowhere, "init");
  assert_io_error (&r3, nowhere, NULL);
  after = db_counts (db);
  assert_counts_equal (&before, &after);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/environments/read-only", test_read_only);
  g_test_add_func ("/environments/locked", test_locked);
  g_test_add_func ("/environments/locked-briefly", test_locked_briefly);
  g_test_add_func ("/environments/corrupt", test_corrupt);
  g_test_add_func ("/environments/not-a-database", test_not_a_database);
  g_test_add_func ("/environments/disk-full", test_disk_full);
  g_test_add_func ("/environments/disk-full-tmpfs", test_disk_full_tmpfs);
  g_test_add_func ("/environments/missing", test_missing);
  return g_test_run ();
}
