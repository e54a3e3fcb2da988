/* test-store.c: the SQLite store and suggestions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>

#include "tacit-error.h"
#include "tacit-library-xml.h"
#include "tacit-store.h"
#include "tacit-suggestion.h"
#include "tacit-test-utils.h"

#define T0 G_GINT64_CONSTANT (1793599200000000)   /* 2026-11-02T06:00:00Z */
#define SEC TACIT_USEC_PER_SEC

typedef sqlite3 TestDb;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestDb, sqlite3_close)

static char *
new_db_path (void)
{
  g_autofree char *dir = tacit_test_tmpdir ();

  return g_build_filename (dir, "tacit.db", NULL);
}

static TacitStore *
open_new_store (char **path_out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = new_db_path ();
  TacitStore *store = tacit_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  if (path_out != NULL)
    *path_out = g_steal_pointer (&path);
  return store;
}

/* A second, plain connection: what sqlite3 or an ML script would see. */
static TestDb *
raw_open (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  return db;
}

static gint64
raw_int (sqlite3    *db,
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

static char *
raw_text (sqlite3    *db,
          const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

static gint64
raw_count (const char *path,
           const char *sql)
{
  g_autoptr(TestDb) db = raw_open (path);

  return raw_int (db, sql);
}

static TacitEventReader *
csv_reader (const char *name,
            const char *contents)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = tacit_test_write_file (name, contents, -1);
  TacitEventReader *reader = tacit_event_reader_new_for_path (path, TACIT_EVENT_FORMAT_CSV,
                                                             TACIT_EVENT_READER_NONE, &error);

  g_assert_no_error (error);
  return reader;
}

static const char csv_a[] =
  "time,machine,kind,item,value,code,text\n"
  "2026-11-02T06:00:01Z,press-3,sample,oil_temp,57.2,,\n"
  "2026-11-02T06:00:02Z,press-3,condition,hydraulic,fault,E1234,Pressure low\n"
  "2026-11-02T06:00:03Z,press-1,event,material_lot,4471,,\n";

static const char csv_b[] =
  "time,machine,kind,item,value\n"
  "2026-11-02T06:00:04Z,cnc-1,sample,spindle_load,81\n"
  "2026-11-02T06:00:05Z,press-3,sample,oil_temp,58.0\n";

static const char csv_bad[] =
  "time,machine,kind,item,value\n"
  "2026-11-02T06:00:06Z,new-machine,sample,oil_temp,60\n"
  "2026-11-02T06:00:07Z,new-machine,bogus-kind,oil_temp,61\n";

static gboolean
import_csvs (TacitStore        *store,
             const char *const *contents,
             guint              n,
             TacitImportStats  *stats,
             TacitProgressFunc  progress,
             GError           **error)
{
  g_autoptr(GPtrArray) readers = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("file-%u.csv", i);

      g_ptr_array_add (readers, csv_reader (name, contents[i]));
    }
  return tacit_store_import_events (store, (TacitEventReader **) readers->pdata, n,
                                    stats, progress, NULL, error);
}

/* ---- opening ---- */

static void
test_open_fresh (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = tacit_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "nested", "deeper", "tacit.db", NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr(TacitStore) store = tacit_store_open (path, &error);
  g_autoptr(TestDb) db = NULL;
  g_autofree char *mode = NULL;
  GStatBuf st;

  g_assert_no_error (error);
  g_assert_cmpstr (tacit_store_get_path (store), ==, path);
  g_assert_cmpint (g_stat (parent, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  db = raw_open (path);
  g_assert_cmpint (raw_int (db, "PRAGMA user_version"), ==, TACIT_STORE_SCHEMA_VERSION);
  g_assert_cmpint (raw_int (db, "PRAGMA application_id"), !=, 0);
  mode = raw_text (db, "PRAGMA journal_mode");
  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpint (tacit_store_count_events (store, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpint (tacit_store_count_suggestions (store, &error), ==, 0);
  g_assert_no_error (error);
}

static void
test_default_path (void)
{
  g_autofree char *path = tacit_store_default_path ();
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "tacit", "tacit.db", NULL);

  g_assert_cmpstr (path, ==, expected);
}

static void
test_open_reopen (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(TacitStore) first = open_new_store (&path);
  g_autoptr(TacitStore) second = NULL;
  const char *files[] = { csv_a };

  g_assert_true (import_csvs (first, files, 1, NULL, NULL, &error));
  g_assert_no_error (error);
  /* A second connection while the first is open, then a reopen. */
  second = tacit_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tacit_store_count_events (second, &error), ==, 3);
  g_clear_object (&first);
  g_clear_object (&second);
  second = tacit_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tacit_store_count_events (second, &error), ==, 3);
  g_assert_cmpint (raw_count (path, "PRAGMA user_version"), ==, TACIT_STORE_SCHEMA_VERSION);
}

static void
test_open_newer_version (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(TacitStore) store = open_new_store (&path);
  g_autoptr(TestDb) db = NULL;

  g_clear_object (&store);
  db = raw_open (path);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  g_clear_pointer (&db, sqlite3_close);

  store = tacit_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_VERSION);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "99"));
}

static void
test_open_garbage (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strnfill (4096, 'x');
  g_autofree char *path = tacit_test_write_file ("garbage.db", text, -1);
  g_autoptr(TacitStore) store = tacit_store_open (path, &error);
  g_autofree char *contents = NULL;

  g_assert_null (store);
  g_assert_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "not a Tacit database"));
  /* Refusing it must not have touched it. */
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, text);
}

static void
test_open_foreign_sqlite (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = new_db_path ();
  g_autoptr(TestDb) db = NULL;
  g_autoptr(TacitStore) store = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE contacts (name TEXT)", NULL, NULL, NULL), ==, SQLITE_OK);
  g_clear_pointer (&db, sqlite3_close);

  store = tacit_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_OPEN);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "not a Tacit database"));
}

static void
test_open_readonly (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(TacitStore) store = open_new_store (&path);
  const char *files[] = { csv_a };
  const TacitEvent live = { T0, "press-9", TACIT_KIND_SAMPLE, "oil_temp", "50", NULL, NULL };
  TacitEvent event;
  g_autoptr(TacitEventCursor) cursor = NULL;
  guint n = 0;

  g_assert_true (import_csvs (store, files, 1, NULL, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&store);
  g_assert_cmpint (g_chmod (path, 0444), ==, 0);

  store = tacit_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tacit_store_count_events (store, &error), ==, 3);
  cursor = tacit_store_query_events (store, TACIT_TIME_MIN, TACIT_TIME_MAX, &error);
  g_assert_no_error (error);
  while (tacit_event_cursor_next (cursor, &event, &error))
    n++;
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 3);

  g_assert_false (tacit_store_insert_events (store, &live, 1, NULL, &error));
  g_assert_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_READONLY);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);
  g_assert_false (import_csvs (store, files, 1, NULL, NULL, &error));
  g_assert_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_READONLY);
  g_clear_error (&error);
  g_assert_false (tacit_store_audit (store, "op-1", "test", NULL, NULL, &error));
  g_assert_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_READONLY);
  g_assert_cmpint (tacit_store_count_events (store, NULL), ==, 3);
}

/* ---- events ---- */

static void
test_import_two_files (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(TacitStore) store = open_new_store (&path);
  const char *files[] = { csv_a, csv_b };
  TacitImportStats stats;
  g_autoptr(TestDb) db = NULL;
  g_autoptr(GPtrArray) machines = NULL;
  g_autoptr(TacitEventCursor) cursor = NULL;
  TacitEvent event;
  g_autofree char *code = NULL;
  g_autofree char *files_json = NULL;

  g_assert_true (import_csvs (store, files, 2, &stats, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.files, ==, 2);
  g_assert_cmpuint (stats.events, ==, 5);
  g_assert_cmpuint (stats.machines_added, ==, 3);
  g_assert_cmpint (stats.first_time, ==, T0 + 1 * SEC);
  g_assert_cmpint (stats.last_time, ==, T0 + 5 * SEC);
  g_assert_cmpint (tacit_store_count_events (store, &error), ==, 5);

  db = raw_open (path);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM events"), ==, 5);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM event_rows WHERE machine = 'press-3'"), ==, 3);
  code = raw_text (db, "SELECT code FROM event_rows WHERE item = 'hydraulic'");
  g_assert_cmpstr (code, ==, "E1234");
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM events WHERE code IS NULL"), ==, 4);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM imports WHERE events = 5 AND finished IS NOT NULL"), ==, 1);
  files_json = raw_text (db, "SELECT json_array_length (files) FROM imports");
  g_assert_cmpstr (files_json, ==, "2");
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM audit WHERE action = 'events.import'"), ==, 1);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);

  machines = tacit_store_list_machines (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (machines->len, ==, 3);
  g_assert_cmpstr (((TacitMachine *) machines->pdata[0])->id, ==, "cnc-1");
  g_assert_cmpstr (((TacitMachine *) machines->pdata[2])->id, ==, "press-3");

  cursor = tacit_store_query_events (store, TACIT_TIME_MIN, TACIT_TIME_MAX, &error);
  g_assert_no_error (error);
  g_assert_true (tacit_event_cursor_next (cursor, &event, &error));
  g_assert_cmpint (event.time, ==, T0 + SEC);
  g_assert_cmpstr (event.machine, ==, "press-3");
  g_assert_cmpint (event.kind, ==, TACIT_KIND_SAMPLE);
  g_assert_cmpstr (event.item, ==, "oil_temp");
  g_assert_cmpstr (event.value, ==, "57.2");
  g_assert_null (event.code);
  g_assert_null (event.text);
  g_assert_true (tacit_event_cursor_next (cursor, &event, &error));
  g_assert_cmpint (event.kind, ==, TACIT_KIND_CONDITION);
  g_assert_cmpstr (event.code, ==, "E1234");
  g_assert_cmpstr (event.text, ==, "Pressure low");
}

static void
test_import_bad_line (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(TacitStore) store = open_new_store (&path);
  const char *good[] = { csv_a };
  const char *files[] = { csv_b, csv_bad };
  g_autoptr(TacitEventReader) probe = csv_reader ("probe.csv", csv_bad);
  g_autoptr(GError) reader_error = NULL;
  TacitImportStats stats;
  TacitEvent event;
  guint64 before;

  /* What the reader says about the bad line on its own. */
  while (tacit_event_reader_next (probe, &event, &reader_error))
    ;
  g_assert_nonnull (reader_error);

  g_assert_true (import_csvs (store, good, 1, NULL, NULL, &error));
  g_assert_no_error (error);
  before = tacit_store_count_events (store, NULL);

  g_assert_false (import_csvs (store, files, 2, &stats, NULL, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == reader_error->domain);
  g_assert_cmpint (error->code, ==, reader_error->code);
  g_assert_nonnull (strstr (error->message, ":3:"));
  g_assert_nonnull (strstr (error->message, "file-1.csv"));
  g_assert_cmpuint (stats.events, ==, 0);

  g_assert_cmpuint (tacit_store_count_events (store, NULL), ==, before);
  g_assert_cmpint (raw_count (path, "SELECT count(*) FROM events"), ==, (gint64) before);
  g_assert_cmpint (raw_count (path, "SELECT count(*) FROM machines WHERE id IN ('cnc-1', 'new-machine')"), ==, 0);
  g_assert_cmpint (raw_count (path, "SELECT count(*) FROM imports"), ==, 1);

  /* The machine registered by the failed import is gone; registering it
   * again must work (the store forgets what a rollback undid). */
  g_clear_error (&error);
  g_assert_true (import_csvs (store, files, 1, &stats, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.machines_added, ==, 1);
  g_assert_cmpint (raw_count (path, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);
}

static gboolean
refuse_progress (guint64  done,
                 guint64  total,
                 gpointer data)
{
  return FALSE;
}

static void
test_import_cancel (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(TacitStore) store = open_new_store (&path);
  const char *files[] = { csv_a, csv_b };

  g_assert_false (import_csvs (store, files, 2, NULL, refuse_progress, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_nonnull (strstr (error->message, "cancelled"));
  g_assert_cmpuint (tacit_store_count_events (store, NULL), ==, 0);
  g_assert_cmpint (raw_count (path, "SELECT count(*) FROM events"), ==, 0);
  g_assert_cmpint (raw_count (path, "SELECT count(*) FROM machines"), ==, 0);
  g_assert_cmpint (raw_count (path, "SELECT count(*) FROM imports"), ==, 0);
}

typedef struct {
  guint   calls;
  guint64 last_done;
  guint64 total;
} ProgressLog;

static gboolean
log_progress (guint64  done,
              guint64  total,
              gpointer data)
{
  ProgressLog *log = data;

  g_assert_cmpuint (done, >=, log->last_done);
  log->calls++;
  log->last_done = done;
  log->total = total;
  return TRUE;
}

/* Enough events for several batches and progress calls. */
static void
test_import_large (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(TacitStore) store = open_new_store (&path);
  g_autoptr(GString) csv = g_string_new ("time,machine,kind,item,value\n");
  g_autoptr(TacitEventReader) reader = NULL;
  g_autoptr(TacitEventCursor) cursor = NULL;
  g_autofree char *long_value = g_strnfill (300000, 'v');
  ProgressLog log = { 0 };
  TacitImportStats stats;
  TacitEvent event;
  guint n = 0, n_events = 50000;
  TacitTime last = TACIT_TIME_MIN;

  for (guint i = 0; i < n_events; i++)
    {
      char time[TACIT_TIME_FORMAT_LEN];

      /* A value larger than a batch's string space, once. */
      tacit_time_format_ms_buf (T0 + (TacitTime) (i / 3) * 1000, time);
      g_string_append_printf (csv, "%s,m%u,sample,i%u,%s\n", time, i % 7, i % 11,
                              i == 20000 ? long_value : "1.5");
    }
  reader = csv_reader ("large.csv", csv->str);
  g_assert_true (tacit_store_import_events (store, &reader, 1, &stats, log_progress, &log, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.events, ==, n_events);
  g_assert_cmpuint (stats.machines_added, ==, 7);
  g_assert_cmpuint (log.calls, >=, 2);
  g_assert_cmpuint (log.total, ==, csv->len);
  g_assert_cmpuint (log.last_done, ==, csv->len);

  cursor = tacit_store_query_events (store, TACIT_TIME_MIN, TACIT_TIME_MAX, &error);
  while (tacit_event_cursor_next (cursor, &event, &error))
    {
      g_assert_cmpint (event.time, >=, last);
      last = event.time;
      if (n == 20000)
        g_assert_cmpstr (event.value, ==, long_value);
      n++;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, n_events);
}

static gboolean
cancel_second_call (guint64  done,
                    guint64  total,
                    gpointer data)
{
  guint *calls = data;

  return ++*calls < 2;
}

/* Failing halfway through a long import, in the reader or in the progress
 * callback, stops the reading thread and stores nothing. */
static void
test_import_large_failures (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(TacitStore) store = open_new_store (&path);
  g_autoptr(GString) csv = g_string_new ("time,machine,kind,item,value\n");
  g_autoptr(TacitEventReader) reader = NULL;
  g_autoptr(TacitEventReader) bad_reader = NULL;
  TacitImportStats stats;
  guint calls = 0;

  for (guint i = 0; i < 100000; i++)
    g_string_append_printf (csv, "2026-11-02T06:00:%02u.%03uZ,m%u,sample,i,%u\n",
                            i / 2000, i % 1000, i % 5, i);
  reader = csv_reader ("cancel.csv", csv->str);
  g_assert_false (tacit_store_import_events (store, &reader, 1, &stats, cancel_second_call, &calls, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (calls, ==, 2);
  g_assert_cmpuint (stats.events, ==, 0);
  g_clear_error (&error);

  g_string_append (csv, "2026-11-02T07:00:00Z,m1,sample\n");
  bad_reader = csv_reader ("bad-end.csv", csv->str);
  g_assert_false (tacit_store_import_events (store, &bad_reader, 1, &stats, NULL, NULL, &error));
  g_assert_error (error, TACIT_INPUT_ERROR, TACIT_INPUT_ERROR_SYNTAX);
  g_assert_nonnull (strstr (error->message, ":100002:"));

  g_assert_cmpuint (tacit_store_count_events (store, NULL), ==, 0);
  g_assert_cmpint (raw_count (path, "SELECT count(*) FROM events"), ==, 0);
  g_assert_cmpint (raw_count (path, "SELECT count(*) FROM machines"), ==, 0);
}

static void
test_events_immutable (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(TacitStore) store = open_new_store (&path);
  const char *files[] = { csv_a };
  g_autoptr(TestDb) db = NULL;

  g_assert_true (import_csvs (store, files, 1, NULL, NULL, &error));
  g_assert_no_error (error);
  db = raw_open (path);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE events SET value = '0'", NULL, NULL, NULL), ==, SQLITE_CONSTRAINT);
  g_assert_cmpstr (sqlite3_errmsg (db), ==, "events are immutable");
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM events", NULL, NULL, NULL), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM events WHERE value = '0'"), ==, 0);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM events"), ==, 3);
}

static void
test_audit_append_only (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(TacitStore) store = open_new_store (&path);
  g_autoptr(TestDb) db = NULL;
  g_autofree char *detail = NULL;

  g_assert_true (tacit_store_audit (store, "eng-4", "rule.approve", "coil-b", "revision 3", &error));
  g_assert_no_error (error);
  db = raw_open (path);
  detail = raw_text (db, "SELECT detail FROM audit WHERE actor = 'eng-4' AND action = 'rule.approve'");
  g_assert_cmpstr (detail, ==, "revision 3");
  g_assert_cmpint (sqlite3_exec (db, "UPDATE audit SET actor = 'someone'", NULL, NULL, NULL), ==, SQLITE_CONSTRAINT);
  g_assert_cmpstr (sqlite3_errmsg (db), ==, "the audit log is append-only");
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM audit", NULL, NULL, NULL), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM audit WHERE actor = 'eng-4'"), ==, 1);
}

/* Events inserted in this order; equal times must come back in it. */
static const TacitEvent order_events[] = {
  { T0 + 2 * SEC, "m1", TACIT_KIND_SAMPLE, "a", "first-at-2", NULL, NULL },
  { T0 + 1 * SEC, "m2", TACIT_KIND_SAMPLE, "a", "at-1", NULL, NULL },
  { T0 + 2 * SEC, "m2", TACIT_KIND_EVENT, "b", "second-at-2", "C1", "t" },
  { T0 + 3 * SEC, "m1", TACIT_KIND_CONDITION, "c", "fault", NULL, NULL },
  { T0 + 2 * SEC, "m1", TACIT_KIND_SAMPLE, "a", "third-at-2", NULL, NULL },
};

static GStrv
query_values (TacitStore *store,
              TacitTime   from,
              TacitTime   to)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitEventCursor) cursor = tacit_store_query_events (store, from, to, &error);
  g_autoptr(GStrvBuilder) values = g_strv_builder_new ();
  TacitEvent event;

  g_assert_no_error (error);
  while (tacit_event_cursor_next (cursor, &event, &error))
    g_strv_builder_add (values, event.value);
  g_assert_no_error (error);
  /* Stays finished. */
  g_assert_false (tacit_event_cursor_next (cursor, &event, &error));
  g_assert_no_error (error);
  return g_strv_builder_end (values);
}

static void
test_query_order (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitStore) store = open_new_store (NULL);
  const char *all[] = { "at-1", "first-at-2", "second-at-2", "third-at-2", "fault", NULL };
  const char *at_2[] = { "first-at-2", "second-at-2", "third-at-2", NULL };
  const char *none[] = { NULL };
  TacitImportStats stats;
  g_auto(GStrv) got = NULL;

  /* Two transactions: ids continue across them. */
  g_assert_true (tacit_store_insert_events (store, order_events, 3, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.events, ==, 3);
  g_assert_cmpuint (stats.machines_added, ==, 2);
  g_assert_true (tacit_store_insert_events (store, order_events + 3, 2, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.machines_added, ==, 0);
  g_assert_cmpuint (tacit_store_count_events (store, NULL), ==, 5);

  got = query_values (store, TACIT_TIME_MIN, TACIT_TIME_MAX);
  g_assert_cmpstrv (got, all);
  g_clear_pointer (&got, g_strfreev);
  got = query_values (store, T0 + 2 * SEC, T0 + 3 * SEC);
  g_assert_cmpstrv (got, at_2);
  g_clear_pointer (&got, g_strfreev);
  got = query_values (store, T0 + 3 * SEC, T0 + 3 * SEC);
  g_assert_cmpstrv (got, none);
  g_clear_pointer (&got, g_strfreev);
  got = query_values (store, T0 + 4 * SEC, TACIT_TIME_MAX);
  g_assert_cmpstrv (got, none);
}

static void
test_query_while_importing (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitStore) store = open_new_store (NULL);
  g_autoptr(TacitEventCursor) cursor = NULL;
  TacitEvent late = { T0 + 9 * SEC, "late-machine", TACIT_KIND_SAMPLE, "a", "late", NULL, NULL };
  const char *files[] = { csv_b };
  TacitEvent event;
  guint n = 0;

  g_assert_true (tacit_store_insert_events (store, order_events, 2, NULL, &error));
  cursor = tacit_store_query_events (store, TACIT_TIME_MIN, TACIT_TIME_MAX, &error);
  g_assert_no_error (error);
  g_assert_true (tacit_event_cursor_next (cursor, &event, &error));
  /* The same connection writes while the cursor is open (live operation
   * records while it replays); a new machine must still resolve. */
  g_assert_true (tacit_store_insert_events (store, &late, 1, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (import_csvs (store, files, 1, NULL, NULL, &error));
  g_assert_no_error (error);
  n = 1;
  while (tacit_event_cursor_next (cursor, &event, &error))
    {
      if (event.time == late.time)
        g_assert_cmpstr (event.machine, ==, "late-machine");
      n++;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (n, >=, 2);
  g_assert_cmpuint (tacit_store_count_events (store, NULL), ==, 5);
}

static void
test_machines (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitStore) store = open_new_store (NULL);
  TacitMachine press = { "press-3", "Press 3", "press", "stamping" };
  TacitMachine renamed = { "press-3", "Press 3 (630 t)", "press", NULL };
  g_autoptr(GPtrArray) machines = NULL;
  const TacitMachine *m;

  g_assert_true (tacit_store_put_machine (store, &press, &error));
  g_assert_true (tacit_store_put_machine (store, &renamed, &error));
  g_assert_true (tacit_store_insert_events (store, order_events, 1, NULL, &error));
  g_assert_no_error (error);
  machines = tacit_store_list_machines (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (machines->len, ==, 2);
  m = machines->pdata[0];
  g_assert_cmpstr (m->id, ==, "m1");
  g_assert_null (m->name);
  m = machines->pdata[1];
  g_assert_cmpstr (m->id, ==, "press-3");
  g_assert_cmpstr (m->name, ==, "Press 3 (630 t)");
  g_assert_cmpstr (m->class_name, ==, "press");
  g_assert_null (m->cell);
}

/* ---- rules ---- */

static const char library_v1[] =
  "<library xmlns='urn:tacit:rules:1' name='Stamping line' revision='12'>"
  "  <machines>"
  "    <machine id='press-3' name='Press 3' class='press' cell='stamping'/>"
  "  </machines>"
  "  <rule id='coil-b-hot-oil' kind='process-hack' status='approved' revision='3'>"
  "    <title>Slow the ram on supplier-B coil when the oil runs hot</title>"
  "    <scope class='press'/>"
  "    <on kind='condition' item='hydraulic' value='fault' code='E1234'/>"
  "    <advise severity='warning' cooldown='15m'>"
  "      <text>Drop ram speed 5%.</text>"
  "      <action parameter='ram_speed' change='-5%'/>"
  "    </advise>"
  "    <outcome kind='event' item='scrap_count' within='30m'/>"
  "  </rule>"
  "  <rule id='lot-4471' kind='material-note' status='proposed'>"
  "    <title>Lot 4471 runs hard</title>"
  "    <on kind='event' item='material_lot' value='4471'/>"
  "    <advise><text>Check die clearance.</text></advise>"
  "  </rule>"
  "</library>";

static TacitLibrary *
load_library_text (const char *xml)
{
  g_autoptr(GError) error = NULL;
  TacitLibrary *library = tacit_library_load_data (xml, strlen (xml), "test.xml", &error);

  g_assert_no_error (error);
  return library;
}

static char *
replace (const char *text,
         const char *from,
         const char *to)
{
  g_auto(GStrv) parts = g_strsplit (text, from, -1);

  return g_strjoinv (to, parts);
}

static void
test_rules_import (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(TacitStore) store = open_new_store (&path);
  g_autoptr(TacitLibrary) library = load_library_text (library_v1);
  g_autoptr(TacitLibrary) loaded = NULL;
  g_autoptr(TacitLibrary) changed = NULL;
  g_autoptr(GPtrArray) revisions = NULL;
  g_autofree char *xml_changed = NULL;
  g_autofree char *original = NULL;
  g_autofree char *roundtrip = NULL;
  TacitRule *rule;

  g_assert_true (tacit_store_import_library (store, library, tacit_test_actor ("eng-4"), &error));
  g_assert_no_error (error);
  loaded = tacit_store_load_library (store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tacit_library_get_name (loaded), ==, "Stamping line");
  g_assert_cmpuint (tacit_library_get_revision (loaded), ==, 12);
  g_assert_cmpuint (tacit_library_get_rules (loaded)->len, ==, 2);
  g_assert_nonnull (tacit_library_lookup_machine (loaded, "press-3"));
  g_assert_cmpstr (tacit_library_lookup_machine (loaded, "press-3")->cell, ==, "stamping");
  rule = tacit_library_lookup_rule (loaded, "coil-b-hot-oil");
  g_assert_nonnull (rule);
  g_assert_cmpuint (rule->revision, ==, 3);
  g_assert_cmpuint (tacit_library_lookup_rule (loaded, "lot-4471")->revision, ==, 1);
  original = tacit_rule_to_xml (tacit_library_lookup_rule (library, "coil-b-hot-oil"));
  roundtrip = tacit_rule_to_xml (rule);
  g_assert_cmpstr (roundtrip, ==, original);
  g_assert_cmpint (raw_count (path, "SELECT count(*) FROM audit WHERE action = 'rule.import'"), ==, 2);
  g_assert_cmpint (raw_count (path, "SELECT count(*) FROM audit WHERE action = 'library.import' AND actor = 'eng-4'"), ==, 1);

  /* The same file again: nothing new. */
  g_assert_true (tacit_store_import_library (store, library, tacit_test_actor ("eng-4"), &error));
  g_assert_no_error (error);
  g_assert_cmpint (raw_count (path, "SELECT count(*) FROM rules"), ==, 2);
  g_assert_cmpint (raw_count (path, "SELECT revision FROM library"), ==, 12);

  /* An edited rule with its old revision number becomes revision 4; an
   * older file revision of the unchanged one changes nothing. */
  xml_changed = replace (library_v1, "Drop ram speed 5%.", "Drop ram speed 6%.");
  changed = load_library_text (xml_changed);
  g_assert_true (tacit_store_import_library (store, changed, tacit_test_actor ("eng-5"), &error));
  g_assert_no_error (error);
  g_assert_cmpint (raw_count (path, "SELECT count(*) FROM rules"), ==, 3);
  g_assert_cmpint (raw_count (path, "SELECT revision FROM library"), ==, 13);
  g_assert_cmpint (raw_count (path, "SELECT count(*) FROM audit WHERE action = 'rule.import' AND actor = 'eng-5' AND subject = 'coil-b-hot-oil' AND detail = 'revision 4'"), ==, 1);
  revisions = tacit_store_list_rule_revisions (store, "coil-b-hot-oil", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (revisions->len, ==, 2);
  g_assert_cmpuint (((TacitRule *) revisions->pdata[0])->revision, ==, 3);
  g_assert_cmpuint (((TacitRule *) revisions->pdata[1])->revision, ==, 4);
  g_assert_cmpstr (tacit_rule_get_text (revisions->pdata[1], NULL), ==, "Drop ram speed 6%.");
  g_clear_object (&loaded);
  loaded = tacit_store_load_library (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tacit_library_lookup_rule (loaded, "coil-b-hot-oil")->revision, ==, 4);
  g_assert_cmpuint (tacit_library_lookup_rule (loaded, "lot-4471")->revision, ==, 1);
  g_clear_pointer (&revisions, g_ptr_array_unref);

  /* A file revision above the stored one is taken as it is. */
  g_clear_pointer (&xml_changed, g_free);
  g_clear_object (&changed);
  xml_changed = replace (library_v1, "revision='3'", "revision='9'");
  changed = load_library_text (xml_changed);
  g_assert_true (tacit_store_import_library (store, changed, tacit_test_actor ("eng-5"), &error));
  g_assert_no_error (error);
  revisions = tacit_store_list_rule_revisions (store, "coil-b-hot-oil", &error);
  g_assert_cmpuint (revisions->len, ==, 3);
  g_assert_cmpuint (((TacitRule *) revisions->pdata[2])->revision, ==, 9);
  g_clear_pointer (&revisions, g_ptr_array_unref);
  revisions = tacit_store_list_rule_revisions (store, "no-such-rule", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (revisions->len, ==, 0);
}

static void
test_rules_save (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(TacitStore) store = open_new_store (&path);
  g_autoptr(TacitLibrary) library = load_library_text (library_v1);
  g_autoptr(TacitRule) edit = NULL;
  g_autoptr(TacitRule) stale = NULL;
  g_autoptr(TacitRule) fresh = NULL;
  g_autoptr(TacitLibrary) loaded = NULL;

  g_assert_true (tacit_store_import_library (store, library, tacit_test_actor ("eng-4"), &error));
  g_assert_no_error (error);

  edit = tacit_rule_copy (tacit_library_lookup_rule (library, "lot-4471"));
  stale = tacit_rule_copy (edit);
  edit->status = TACIT_RULE_STATUS_APPROVED;
  g_assert_true (tacit_store_save_rule (store, edit, 1, tacit_test_actor ("eng-4"), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (edit->revision, ==, 2);

  /* Someone else's edit, based on revision 1, comes too late. */
  stale->status = TACIT_RULE_STATUS_RETIRED;
  g_assert_false (tacit_store_save_rule (store, stale, 1, tacit_test_actor ("eng-5"), &error));
  g_assert_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "revision 1"));
  g_assert_nonnull (strstr (error->message, "revision is 2"));
  g_assert_nonnull (strstr (error->message, "lot-4471"));
  g_assert_cmpuint (stale->revision, ==, 1);
  g_clear_error (&error);

  /* A new rule: base revision 0. */
  fresh = tacit_rule_copy (edit);
  g_free (fresh->id);
  fresh->id = g_strdup ("brand-new");
  fresh->status = TACIT_RULE_STATUS_PROPOSED;
  g_assert_true (tacit_store_save_rule (store, fresh, 0, tacit_test_actor ("op-117"), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fresh->revision, ==, 1);

  loaded = tacit_store_load_library (store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tacit_library_lookup_rule (loaded, "lot-4471")->status, ==, TACIT_RULE_STATUS_APPROVED);
  g_assert_cmpuint (tacit_library_lookup_rule (loaded, "lot-4471")->revision, ==, 2);
  g_assert_nonnull (tacit_library_lookup_rule (loaded, "brand-new"));
  g_assert_cmpuint (tacit_library_get_revision (loaded), ==, 14);
  g_assert_cmpint (raw_count (path, "SELECT count(*) FROM audit WHERE action = 'rule.save'"), ==, 2);
  g_assert_cmpint (raw_count (path, "SELECT count(*) FROM rules WHERE saved_by = 'eng-5'"), ==, 0);
}

/* ---- suggestions ---- */

static TacitSuggestion *
make_suggestion (TacitRule  *rule,
                 TacitTime   time,
                 const char *machine)
{
  TacitSuggestion *s = tacit_suggestion_new ();
  TacitEvent trigger = { time, machine, TACIT_KIND_CONDITION, "hydraulic", "fault", "E1234", NULL };
  TacitContextItem *item;

  s->time = time;
  s->machine = g_strdup (machine);
  s->rule = tacit_rule_ref (rule);
  s->mode = TACIT_MODE_LIVE;
  s->propensity = 1.0;
  s->trigger = tacit_event_copy (&trigger);
  s->has_outcome = rule->has_outcome;
  tacit_suggestion_compute_id (rule->id, rule->revision, machine, time, s->id);
  item = g_new0 (TacitContextItem, 1);
  item->item = g_strdup ("hydraulic");
  item->value = g_strdup ("fault");
  g_ptr_array_add (s->context, item);
  item = g_new0 (TacitContextItem, 1);
  item->item = g_strdup ("oil_temp");
  item->value = g_strdup ("57.2 \"hot\"");
  g_ptr_array_add (s->context, item);
  return s;
}

static void
test_suggestions_idempotent (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(TacitStore) store = open_new_store (&path);
  g_autoptr(TacitLibrary) library = load_library_text (library_v1);
  TacitRule *rule = tacit_library_lookup_rule (library, "coil-b-hot-oil");
  TacitSuggestion *batch[3];
  g_autoptr(TestDb) db = NULL;
  g_autofree char *context = NULL;
  g_autofree char *actions = NULL;
  g_autofree char *text = NULL;

  batch[0] = make_suggestion (rule, T0 + 10 * SEC, "press-3");
  batch[1] = make_suggestion (rule, T0 + 20 * SEC, "press-3");
  batch[2] = make_suggestion (rule, T0 + 10 * SEC, "press-1");
  g_assert_true (tacit_store_record_suggestions (store, batch, 3, &error));
  g_assert_no_error (error);
  g_assert_true (tacit_store_record_suggestions (store, batch, 3, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tacit_store_count_suggestions (store, &error), ==, 3);

  db = raw_open (path);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM suggestions WHERE outcome IS NULL AND outcome_closed = 0"), ==, 3);
  context = raw_text (db, "SELECT context FROM suggestions LIMIT 1");
  g_assert_cmpstr (context, ==, "{\"hydraulic\":\"fault\",\"oil_temp\":\"57.2 \\\"hot\\\"\"}");
  actions = raw_text (db, "SELECT actions FROM suggestions LIMIT 1");
  g_assert_cmpstr (actions, ==, "[{\"parameter\":\"ram_speed\",\"change\":\"-5%\"}]");
  text = raw_text (db, "SELECT text FROM suggestions LIMIT 1");
  g_assert_cmpstr (text, ==, "Drop ram speed 5%.");
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM suggestions WHERE mode = 'live' AND severity = 'warning' AND kind = 'process-hack' AND revision = 3 AND trigger_code = 'E1234'"), ==, 3);

  /* The replay got further: one outcome is known now. */
  batch[0]->outcome_closed = TRUE;
  batch[0]->outcome = 2;
  g_assert_true (tacit_store_record_suggestions (store, batch, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM suggestions"), ==, 3);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM suggestions WHERE outcome = 2 AND outcome_closed = 1"), ==, 1);

  /* A replay of a shorter range (outcome open again) keeps it. */
  batch[0]->outcome_closed = FALSE;
  batch[0]->outcome = 0;
  g_assert_true (tacit_store_record_suggestions (store, batch, 3, &error));
  g_assert_no_error (error);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM suggestions WHERE outcome = 2 AND outcome_closed = 1"), ==, 1);

  for (guint i = 0; i < G_N_ELEMENTS (batch); i++)
    tacit_suggestion_unref (batch[i]);
}

static void
test_responses (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(TacitStore) store = open_new_store (&path);
  g_autoptr(TacitLibrary) library = load_library_text (library_v1);
  g_autoptr(TacitSuggestion) s = make_suggestion (tacit_library_lookup_rule (library, "coil-b-hot-oil"),
                                                  T0, "press-3");
  g_autoptr(TestDb) db = NULL;
  g_autofree char *detail = NULL;

  g_assert_true (tacit_store_record_suggestions (store, &s, 1, &error));
  g_assert_no_error (error);
  g_assert_true (tacit_store_record_response (store, s->id, TACIT_RESPONSE_DISMISSED, "false alarm",
                                              "op-117", T0 + 30 * SEC, &error));
  g_assert_no_error (error);
  g_assert_true (tacit_store_record_response (store, s->id, TACIT_RESPONSE_ACCEPTED, NULL,
                                              "op-118", T0 + 40 * SEC, &error));
  g_assert_no_error (error);

  db = raw_open (path);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM responses"), ==, 2);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM responses WHERE response = 'dismissed' AND reason = 'false alarm' AND actor = 'op-117' AND responded_at = 1793599230000000"), ==, 1);
  detail = raw_text (db, "SELECT detail FROM audit WHERE action = 'suggestion.respond' AND actor = 'op-117'");
  g_assert_cmpstr (detail, ==, "dismissed: false alarm");

  g_assert_false (tacit_store_record_response (store, "0123456789abcdef0123456789abcdef",
                                               TACIT_RESPONSE_EXPIRED, NULL, NULL, T0, &error));
  g_assert_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_NOT_FOUND);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM responses"), ==, 2);
}

/* ---- TacitSuggestion ---- */

static void
test_suggestion_id (void)
{
  char id[33], again[33], other[33];

  /* sha256 (b"coil-b-hot-oil\0" b"3\0" b"press-3\0" b"1793599201250000")[:32] */
  tacit_suggestion_compute_id ("coil-b-hot-oil", 3, "press-3", T0 + 1250000, id);
  g_assert_cmpstr (id, ==, "db30465476f564f01be6fb92368881aa");
  g_assert_cmpuint (strlen (id), ==, 32);
  tacit_suggestion_compute_id ("coil-b-hot-oil", 3, "press-3", T0 + 1250000, again);
  g_assert_cmpstr (id, ==, again);
  /* The separators keep fields apart. */
  tacit_suggestion_compute_id ("a", 12, "b", 0, id);
  tacit_suggestion_compute_id ("a1", 2, "b", 0, other);
  g_assert_cmpstr (id, !=, other);
  tacit_suggestion_compute_id ("a", 1, "b", -5, id);
  g_assert_cmpuint (strlen (id), ==, 32);
}

static void
test_suggestion_draw (void)
{
  double sum = 0;
  guint below = 0, n = 4000;

  /* sha256 (b"abc")[:16] = ba7816bf8f01cfea */
  g_assert_cmpfloat (tacit_suggestion_id_draw ("abc"), ==, (double) 0xba7816bf8f01cfeaull / 0x1p64);
  for (guint i = 0; i < n; i++)
    {
      char id[33];
      double draw;

      tacit_suggestion_compute_id ("rule", 1, "m", (TacitTime) i, id);
      draw = tacit_suggestion_id_draw (id);
      g_assert_cmpfloat (draw, >=, 0.0);
      g_assert_cmpfloat (draw, <, 1.0);
      g_assert_cmpfloat (draw, ==, tacit_suggestion_id_draw (id));
      below += draw < 0.25;
      sum += draw;
    }
  /* Roughly uniform. */
  g_assert_cmpfloat (sum / n, >, 0.45);
  g_assert_cmpfloat (sum / n, <, 0.55);
  g_assert_cmpuint (below, >, n / 4 - n / 20);
  g_assert_cmpuint (below, <, n / 4 + n / 20);
}

static void
test_suggestion_modes (void)
{
  TacitMode mode;

  g_assert_cmpstr (tacit_mode_to_string (TACIT_MODE_LIVE), ==, "live");
  g_assert_cmpstr (tacit_mode_to_string (TACIT_MODE_SHADOW), ==, "shadow");
  g_assert_cmpstr (tacit_mode_to_string (TACIT_MODE_HELD_OUT), ==, "held-out");
  g_assert_true (tacit_mode_from_string ("held-out", &mode));
  g_assert_cmpint (mode, ==, TACIT_MODE_HELD_OUT);
  g_assert_true (tacit_mode_from_string ("shadow", &mode));
  g_assert_cmpint (mode, ==, TACIT_MODE_SHADOW);
  g_assert_false (tacit_mode_from_string ("Live", &mode));
  g_assert_false (tacit_mode_from_string (NULL, &mode));
}

static void
test_suggestion_context (void)
{
  g_autoptr(TacitSuggestion) s = tacit_suggestion_new ();
  g_autoptr(TacitSuggestion) ref = NULL;
  const char *items[] = { "a", "b", "m", "oil_temp", "z" };

  g_assert_null (tacit_suggestion_lookup_context (s, "a"));
  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      TacitContextItem *item = g_new0 (TacitContextItem, 1);

      item->item = g_strdup (items[i]);
      item->value = g_strdup_printf ("v-%s", items[i]);
      g_ptr_array_add (s->context, item);
    }
  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      g_autofree char *expected = g_strdup_printf ("v-%s", items[i]);

      g_assert_cmpstr (tacit_suggestion_lookup_context (s, items[i]), ==, expected);
    }
  g_assert_null (tacit_suggestion_lookup_context (s, ""));
  g_assert_null (tacit_suggestion_lookup_context (s, "c"));
  g_assert_null (tacit_suggestion_lookup_context (s, "zz"));

  ref = tacit_suggestion_ref (s);
  g_assert_true (ref == s);
  g_assert_true (G_TYPE_IS_BOXED (TACIT_TYPE_SUGGESTION));
}

int
main (int argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/open/fresh", test_open_fresh);
  g_test_add_func ("/store/open/default-path", test_default_path);
  g_test_add_func ("/store/open/reopen", test_open_reopen);
  g_test_add_func ("/store/open/newer-version", test_open_newer_version);
  g_test_add_func ("/store/open/garbage", test_open_garbage);
  g_test_add_func ("/store/open/foreign-sqlite", test_open_foreign_sqlite);
  g_test_add_func ("/store/open/readonly", test_open_readonly);
  g_test_add_func ("/store/events/import-two-files", test_import_two_files);
  g_test_add_func ("/store/events/bad-line", test_import_bad_line);
  g_test_add_func ("/store/events/cancel", test_import_cancel);
  g_test_add_func ("/store/events/large", test_import_large);
  g_test_add_func ("/store/events/large-failures", test_import_large_failures);
  g_test_add_func ("/store/events/immutable", test_events_immutable);
  g_test_add_func ("/store/events/query-order", test_query_order);
  g_test_add_func ("/store/events/query-while-importing", test_query_while_importing);
  g_test_add_func ("/store/audit/append-only", test_audit_append_only);
  g_test_add_func ("/store/machines", test_machines);
  g_test_add_func ("/store/rules/import", test_rules_import);
  g_test_add_func ("/store/rules/save", test_rules_save);
  g_test_add_func ("/store/suggestions/idempotent", test_suggestions_idempotent);
  g_test_add_func ("/store/suggestions/responses", test_responses);
  g_test_add_func ("/suggestion/id", test_suggestion_id);
  g_test_add_func ("/suggestion/draw", test_suggestion_draw);
  g_test_add_func ("/suggestion/modes", test_suggestion_modes);
  g_test_add_func ("/suggestion/context", test_suggestion_context);

  return g_test_run ();
}
