/* test-review-ui.c: the desktop's review queue, backtest and sources pages,
 * each built on its own in a 1440×900 window on the demo plant with its
 * shift stored as history, suggestions recorded and some answered.
 *
 * Approves a captured rule from the queue (new revision, reviews row and
 * audit row in the store), is refused as an operator, runs a backtest and
 * checks every figure shown against `tacit-cli replay --stats` over the
 * same database and range, and shows the sources table refreshing.
 * Screenshots of each page go to the build directory's screenshots/.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <sqlite3.h>
#include <string.h>

#include "tacit-application.h"
#include "tacit-backtest-page.h"
#include "tacit-demo.h"
#include "tacit-review-page.h"
#include "tacit-rule-index.h"
#include "tacit-source-store.h"
#include "tacit-sources-page.h"
#include "tacit-library-xml.h"
#include "tacit-test-utils.h"
#include "tacit-ui-test-utils.h"

#define CAPTURED "press-3-e1234-strainer"

static const char captured_xml[] =
  "<rule xmlns=\"urn:tacit:rules:1\" id=\"" CAPTURED "\" kind=\"alarm-response\" status=\"proposed\">"
  "<title>E1234 on press 3: check the pump strainer first</title>"
  "<scope machine=\"press-3\"/>"
  "<on kind=\"condition\" item=\"hydraulic\" value=\"fault\" code=\"E1234\"/>"
  "<advise severity=\"warning\"><text>Check the pump inlet strainer before resetting E1234.</text></advise>"
  "<provenance author=\"op-204\" created=\"2026-11-02T06:07:30Z\" "
  "source-event=\"press-3/hydraulic@2026-11-02T06:06:57.372Z\"/>"
  "</rule>";

static char *template_db;

static const char *
cli_path (void)
{
  const char *cli = g_getenv ("TACIT_CLI");

  g_assert_nonnull (cli);
  return cli;
}

static char *
run_cli (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", argv[0], err);
  return out;
}

/* Every third live suggestion dismissed, the others accepted. */
static void
answer_suggestions (TacitStore *store)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open (tacit_store_get_path (store), &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT id, time FROM suggestions WHERE mode = 'live' ORDER BY time, id",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup_printf ("%s %" G_GINT64_FORMAT, sqlite3_column_text (stmt, 0),
                                           (gint64) sqlite3_column_int64 (stmt, 1)));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_assert_cmpuint (ids->len, >, 10);
  for (guint i = 0; i < ids->len; i++)
    {
      g_auto(GStrv) parts = g_strsplit (g_ptr_array_index (ids, i), " ", 2);

      g_assert_true (tacit_store_record_response (store, parts[0],
                                                  i % 3 == 0 ? TACIT_RESPONSE_DISMISSED : TACIT_RESPONSE_ACCEPTED,
                                                  i % 3 == 0 ? "not-relevant" : NULL, "op-117",
                                                  g_ascii_strtoll (parts[1], NULL, 10) + 30 * G_USEC_PER_SEC,
                                                  &error));
      g_assert_no_error (error);
    }
}

/* The demo plant, its shift as stored history, a rule captured on a
 * kiosk, the suggestions recorded by `tacit-cli replay --record`, and
 * answers to the live ones. Built once; each test gets a copy. */
static void
build_template (void)
{
  g_autofree char *dir = tacit_test_tmpdir ();
  g_autofree char *shift = tacit_demo_find_file ("shift.csv");
  g_autoptr(TacitStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitEventReader) reader = NULL;
  g_autoptr(TacitRule) captured = NULL;
  g_autofree char *out = NULL;

  template_db = g_build_filename (dir, "template.db", NULL);
  store = tacit_store_open (template_db, &error);
  g_assert_no_error (error);
  g_assert_true (tacit_demo_seed (store, &error));
  g_assert_no_error (error);
  reader = tacit_event_reader_new_for_path (shift, TACIT_EVENT_FORMAT_AUTO, 0, &error);
  g_assert_no_error (error);
  g_assert_true (tacit_store_import_events (store, &reader, 1, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  captured = tacit_rule_from_xml (captured_xml, -1, &error);
  g_assert_no_error (error);
  g_assert_true (tacit_store_save_rule (store, captured, 0, tacit_test_actor ("op-204"), &error));
  g_assert_no_error (error);
  out = run_cli ((const char *[]) { cli_path (), "--db", template_db, "replay", "--record", "--stats", NULL });
  answer_suggestions (store);
}

typedef struct {
  char       *db_path;
  TacitStore *store;
  sqlite3    *db;
  GtkWidget  *window;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = tacit_test_tmpdir ();
  g_autofree char *contents = NULL;
  gsize len;

  if (template_db == NULL)
    build_template ();
  g_file_get_contents (template_db, &contents, &len, &error);
  g_assert_no_error (error);
  f->db_path = g_build_filename (dir, "desktop.db", NULL);
  g_file_set_contents (f->db_path, contents, len, &error);
  g_assert_no_error (error);
  f->store = tacit_store_open (f->db_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open (f->db_path, &f->db), ==, SQLITE_OK);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  tacit_ui_test_spin (50);
  sqlite3_close (f->db);
  g_clear_object (&f->store);
  g_free (f->db_path);
}

static void
show_page (Fixture *f, GtkWidget *page)
{
  f->window = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (f->window), "Tacit");
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1440, 900);
  gtk_window_set_child (GTK_WINDOW (f->window), page);
  gtk_window_present (GTK_WINDOW (f->window));
}

static gint64
query_int (Fixture *f, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (f->db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

/* Every label named name under root, depth first. */
static void
collect_labels (GtkWidget *root, const char *name, GPtrArray *out)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child) && g_strcmp0 (gtk_widget_get_name (child), name) == 0)
        g_ptr_array_add (out, (gpointer) gtk_label_get_label (GTK_LABEL (child)));
      collect_labels (child, name, out);
    }
}

static GtkWidget *
find_named (GtkWidget *root, const char *name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (g_strcmp0 (gtk_widget_get_name (child), name) == 0)
        return child;
      if ((found = find_named (child, name)) != NULL)
        return found;
    }
  return NULL;
}

static const char *
label_named (GtkWidget *root, const char *name)
{
  GtkWidget *label = find_named (root, name);

  g_assert_nonnull (label);
  return gtk_label_get_label (GTK_LABEL (label));
}

/* ---- review ---- */

static gboolean
queue_loaded (gpointer data)
{
  return !tacit_review_page_is_loading (data) && tacit_review_page_get_n_proposed (data) > 0;
}

static void
test_approve (Fixture *f, gconstpointer data)
{
  g_autoptr(TacitOperator) engineer = tacit_test_person (TACIT_ROLE_ENGINEER, "4");
  TacitReviewPage *page = TACIT_REVIEW_PAGE (tacit_review_page_new (f->store, engineer));
  guint n_proposed;

  show_page (f, GTK_WIDGET (page));
  tacit_ui_test_wait_for (queue_loaded, page, "the review queue");
  /* The demo's three proposals and the captured rule. */
  n_proposed = tacit_review_page_get_n_proposed (page);
  g_assert_cmpuint (n_proposed, ==, 4);
  g_assert_cmpuint (tacit_review_page_get_n_retirement (page), >, 0);
  g_assert_true (tacit_review_page_select_rule (page, CAPTURED));

  /* The event it was captured from, read back from the stored history. */
  g_assert_cmpstr (label_named (GTK_WIDGET (page), "source"), ==,
                   "press-3 · condition hydraulic = fault, code E1234 · “Hydraulic pressure low” · "
                   "2026-11-02T06:06:57.372Z");
  /* The demo's approved E1234 rules share its trigger on press 3. */
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_parent (find_named (GTK_WIDGET (page), "duplicate"))));
  g_assert_true (g_str_has_prefix (label_named (GTK_WIDGET (page), "evidence"), "Would have fired "));
  g_assert_nonnull (strstr (label_named (GTK_WIDGET (page), "evidence"), "on press-3 ×"));
  tacit_ui_test_screenshot (f->window, "desktop-review.png");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "review.approve", NULL));
  tacit_ui_test_spin (50);
  tacit_ui_test_wait_for (queue_loaded, page, "the queue reloaded");
  g_assert_cmpuint (tacit_review_page_get_n_proposed (page), ==, n_proposed - 1);
  g_assert_false (tacit_review_page_select_rule (page, CAPTURED));

  g_assert_cmpint (query_int (f, "SELECT count(*) FROM rules WHERE id = '" CAPTURED "' AND revision = 2 "
                                 "AND status = 'approved' AND saved_by = 'eng-4'"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM reviews WHERE rule_id = '" CAPTURED "' "
                                 "AND revision = 1 AND decision = 'approved' AND actor = 'eng-4'"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM audit WHERE subject = '" CAPTURED "' "
                                 "AND action = 'review.approved' AND actor = 'eng-4'"), ==, 1);

  /* An approved rule that never fired over the shift is proposed for
   * retirement, with its evidence. */
  g_assert_true (tacit_review_page_select_rule (page, "part-count-tool-life"));
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_parent (find_named (GTK_WIDGET (page), "retire-evidence"))));
  g_assert_cmpstr (label_named (GTK_WIDGET (page), "retire-evidence"), ==, "never fired over the stored history");
  g_assert_false (gtk_widget_get_sensitive (tacit_ui_test_find (GTK_WIDGET (page), GTK_TYPE_BUTTON, "_Approve")));
  tacit_ui_test_screenshot (f->window, "desktop-review-retire.png");
}

static void
test_operator_refused (Fixture *f, gconstpointer data)
{
  g_autoptr(TacitOperator) op = tacit_test_person (TACIT_ROLE_OPERATOR, "117");
  TacitReviewPage *page = TACIT_REVIEW_PAGE (tacit_review_page_new (f->store, op));
  GtkWidget *status;

  show_page (f, GTK_WIDGET (page));
  tacit_ui_test_wait_for (queue_loaded, page, "the review queue");
  g_assert_true (tacit_review_page_select_rule (page, CAPTURED));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "review.approve", NULL));
  status = find_named (GTK_WIDGET (page), "decision-status");
  g_assert_true (gtk_widget_get_visible (status));
  g_assert_true (gtk_widget_has_css_class (status, "error"));
  g_assert_cmpint (query_int (f, "SELECT max(revision) FROM rules WHERE id = '" CAPTURED "'"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM reviews"), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM audit WHERE action = 'access.denied' "
                                 "AND actor = 'op-117' AND subject = '" CAPTURED "'"), ==, 1);

  /* Sending back needs a comment, whoever asks. */
  g_assert_cmpuint (tacit_review_page_get_n_proposed (page), ==, 4);
}

/* Merge from the duplicate notice: the captured proposal duplicates the
 * live coil-b-hot-oil, which stays, takes both authors' credit, and the
 * proposal is retired as merged and leaves the queue. */
static void
test_merge (Fixture *f, gconstpointer data)
{
  g_autoptr(TacitOperator) engineer = tacit_test_person (TACIT_ROLE_ENGINEER, "9");
  TacitReviewPage *page = TACIT_REVIEW_PAGE (tacit_review_page_new (f->store, engineer));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) kept = NULL;
  g_autoptr(GPtrArray) merged = NULL;
  TacitRule *head;

  show_page (f, GTK_WIDGET (page));
  tacit_ui_test_wait_for (queue_loaded, page, "the review queue");
  g_assert_true (tacit_review_page_select_rule (page, CAPTURED));
  g_assert_nonnull (tacit_ui_test_find (GTK_WIDGET (page), GTK_TYPE_BUTTON, "Merge into coil-b-hot-oil (live)"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "review.merge", NULL));
  tacit_ui_test_spin (50);
  tacit_ui_test_wait_for (queue_loaded, page, "the queue reloaded");

  kept = tacit_store_list_rule_revisions (f->store, "coil-b-hot-oil", &error);
  head = g_ptr_array_index (kept, kept->len - 1);
  g_assert_cmpint (head->status, ==, TACIT_RULE_STATUS_APPROVED);
  g_assert_cmpstr (head->provenance.author, ==, "op-117 op-204");
  merged = tacit_store_list_rule_revisions (f->store, CAPTURED, &error);
  g_assert_cmpuint (merged->len, ==, 2);
  g_assert_cmpint (((TacitRule *) g_ptr_array_index (merged, 1))->status, ==, TACIT_RULE_STATUS_RETIRED);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM reviews WHERE rule_id = '" CAPTURED "' "
                                 "AND decision = 'merged' AND actor = 'eng-9' "
                                 "AND comment = 'merged into coil-b-hot-oil'"), ==, 1);
  g_assert_cmpuint (tacit_review_page_get_n_proposed (page), ==, 3);
  g_assert_false (tacit_review_page_select_rule (page, CAPTURED));
}

/* ---- backtest ---- */

static gboolean
backtest_done (gpointer data)
{
  return !tacit_backtest_page_is_running (data) && tacit_backtest_page_get_n_rules (data) > 0;
}

static gboolean
backtest_stopped (gpointer data)
{
  return !tacit_backtest_page_is_running (data);
}

static gboolean
range_filled (gpointer data)
{
  return *gtk_editable_get_text (GTK_EDITABLE (find_named (data, "from"))) != '\0';
}

static char *
squeeze (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    if (*p != ' ')
      g_string_append_c (out, *p);
  /* The page writes "none" as an en dash, the CLI as a hyphen. */
  if (g_str_equal (out->str, "–"))
    g_string_assign (out, "-");
  return g_string_free (out, FALSE);
}

/* The CLI's table: rule lines, a blank line, the station header, station lines. */
static void
parse_cli_stats (const char *out, GPtrArray *rules, GPtrArray *stations)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  gboolean in_stations = FALSE;

  for (guint i = 1; lines[i] != NULL; i++)
    {
      if (*lines[i] == '\0')
        {
          in_stations = TRUE;
          i++;   /* the station header */
          continue;
        }
      g_ptr_array_add (in_stations ? stations : rules, g_strsplit_set (lines[i], " ", -1));
    }
}

/* A CLI line's fields without the empty strings between spaces. */
static GPtrArray *
fields (char **words)
{
  GPtrArray *out = g_ptr_array_new ();

  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      g_ptr_array_add (out, words[i]);
  return out;
}

static void
assert_column (GPtrArray *shown, guint row, char **cli_words, guint field, const char *what)
{
  g_autoptr(GPtrArray) f = fields (cli_words);
  g_autofree char *ui = squeeze (g_ptr_array_index (shown, row));

  g_test_message ("%s row %u: shown %s, cli %s", what, row, ui, (char *) g_ptr_array_index (f, field));
  g_assert_cmpstr (ui, ==, g_ptr_array_index (f, field));
}

static void
test_backtest (Fixture *f, gconstpointer data)
{
  g_autoptr(TacitOperator) engineer = tacit_test_person (TACIT_ROLE_ENGINEER, "4");
  GtkWidget *page = tacit_backtest_page_new (f->store, engineer);
  g_autoptr(GPtrArray) cli_rules = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GPtrArray) cli_stations = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  const char *names[] = { "rule", "firings", "suppressed", "per-hour", "flags" };
  const guint cli_field[] = { 0, 2, 3, 4, 5 };
  const char *station_names[] = { "station", "suggestions", "per-10min-avg", "per-10min-peak", "flood", "top10",
                                  "stale-shelves" };
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *out = NULL;
  GPtrArray *shown[G_N_ELEMENTS (station_names)];
  guint n_rows;

  /* A shelf left open for two days at the stamping station: stale, shown
   * by both (a property of the plant now, not of the replayed range). */
  {
    g_autofree char *sql = g_strdup_printf ("INSERT INTO shelves (rule_id, station, kind, actor, shelved_at) "
                                            "VALUES ('scrap-burst', 'stamping', 'one-shot', 'op-117', %" G_GINT64_FORMAT ")",
                                            g_get_real_time () - 48 * G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC);
    g_assert_cmpint (sqlite3_exec (f->db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  }
  show_page (f, page);
  tacit_ui_test_wait_for (range_filled, page, "the history's range");
  from = g_strdup (gtk_editable_get_text (GTK_EDITABLE (find_named (page, "from"))));
  to = g_strdup (gtk_editable_get_text (GTK_EDITABLE (find_named (page, "to"))));
  g_assert_cmpstr (from, ==, "2026-11-02T06:00:00Z");
  g_assert_cmpstr (to, ==, "2026-11-02T09:59:59Z");

  /* Cancel: the run ends as cancelled, with nothing shown. */
  g_assert_true (gtk_widget_activate_action (page, "backtest.run", NULL));
  g_assert_true (tacit_backtest_page_is_running (TACIT_BACKTEST_PAGE (page)));
  g_assert_true (gtk_widget_get_visible (tacit_ui_test_find (page, GTK_TYPE_PROGRESS_BAR, NULL)));
  g_assert_true (gtk_widget_activate_action (page, "backtest.cancel", NULL));
  tacit_ui_test_wait_for (backtest_stopped, page, "the cancelled backtest");
  g_assert_cmpstr (label_named (page, "summary"), ==, "Backtest cancelled.");
  g_assert_cmpuint (tacit_backtest_page_get_n_rules (TACIT_BACKTEST_PAGE (page)), ==, 0);
  g_assert_false (gtk_widget_get_visible (tacit_ui_test_find (page, GTK_TYPE_PROGRESS_BAR, NULL)));

  g_assert_true (gtk_widget_activate_action (page, "backtest.run", NULL));
  g_assert_true (tacit_backtest_page_is_running (TACIT_BACKTEST_PAGE (page)));
  tacit_ui_test_wait_for (backtest_done, page, "the backtest");
  tacit_ui_test_spin (300);
  tacit_ui_test_screenshot (f->window, "desktop-backtest.png");

  out = run_cli ((const char *[]) { cli_path (), "--db", f->db_path, "replay", "--stats", "--format", "table",
                                    "--from", from, "--to", to, NULL });
  g_test_message ("%s", out);
  parse_cli_stats (out, cli_rules, cli_stations);
  g_assert_cmpuint (cli_rules->len, ==, tacit_backtest_page_get_n_rules (TACIT_BACKTEST_PAGE (page)));

  /* Every rule row shown (the list may not bind rows scrolled far out of
   * view) against the CLI's line for the same rule, in the same order. */
  for (guint c = 0; c < G_N_ELEMENTS (names); c++)
    {
      shown[c] = g_ptr_array_new ();
      collect_labels (page, names[c], shown[c]);
    }
  n_rows = shown[0]->len;
  g_assert_cmpuint (n_rows, >=, 8);
  for (guint c = 0; c < G_N_ELEMENTS (names); c++)
    {
      g_assert_cmpuint (shown[c]->len, ==, n_rows);
      for (guint r = 0; r < n_rows; r++)
        assert_column (shown[c], r, g_ptr_array_index (cli_rules, r), cli_field[c], names[c]);
      g_ptr_array_unref (shown[c]);
    }
  /* Stations: the same columns in the same order. */
  g_assert_cmpuint (cli_stations->len, >, 0);
  for (guint c = 0; c < G_N_ELEMENTS (station_names); c++)
    {
      shown[c] = g_ptr_array_new ();
      collect_labels (page, station_names[c], shown[c]);
      g_assert_cmpuint (shown[c]->len, ==, cli_stations->len);
      for (guint r = 0; r < shown[c]->len; r++)
        assert_column (shown[c], r, g_ptr_array_index (cli_stations, r), c, station_names[c]);
      g_ptr_array_unref (shown[c]);
    }
  {
    g_autoptr(GPtrArray) stale = g_ptr_array_new ();

    collect_labels (page, "stale-shelves", stale);
    g_assert_cmpstr (g_ptr_array_index (stale, 1), ==, "1");
  }
  /* Answers were stored: acceptance is shown for the live rules. */
  {
    g_autoptr(GPtrArray) acceptance = g_ptr_array_new ();
    gboolean some = FALSE;

    collect_labels (page, "acceptance", acceptance);
    for (guint r = 0; r < acceptance->len; r++)
      some |= strstr (g_ptr_array_index (acceptance, r), " of ") != NULL;
    g_assert_true (some);
  }
}

/* ---- sources ---- */

static gboolean
two_sources (gpointer data)
{
  return tacit_sources_page_get_n_sources (data) == 2;
}

static void
test_sources (Fixture *f, gconstpointer data)
{
  GtkWidget *page = tacit_sources_page_new (f->store);
  g_autoptr(GError) error = NULL;
  GtkWidget *empty;

  show_page (f, page);
  tacit_ui_test_spin (200);
  g_assert_cmpuint (tacit_sources_page_get_n_sources (TACIT_SOURCES_PAGE (page)), ==, 0);
  empty = tacit_ui_test_find (page, ADW_TYPE_STATUS_PAGE, NULL);
  g_assert_true (gtk_widget_get_mapped (empty));
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (empty)), ==, "No live sources");
  tacit_ui_test_screenshot (f->window, "desktop-sources-empty.png");

  /* A listener elsewhere writes its state: the page shows it within 2 s. */
  g_assert_true (_tacit_store_set_source_state (f->store, "http://agent.plant.local:5000/press-3", "mtconnect",
                                                "connected", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (_tacit_store_set_source_state (f->store, "mqtt://broker.plant.local:1883", "mqtt",
                                                "reconnecting", "connection refused; next try in 8 s", &error));
  g_assert_no_error (error);
  tacit_ui_test_wait_for (two_sources, page, "the source rows");
  /* Sorted by address. */
  g_assert_cmpstr (label_named (page, "state"), ==, "connected");
  g_assert_cmpstr (label_named (page, "url"), ==, "http://agent.plant.local:5000/press-3");
  {
    g_autoptr(GPtrArray) messages = g_ptr_array_new ();

    collect_labels (page, "message", messages);
    g_assert_cmpuint (messages->len, ==, 2);
    g_assert_cmpstr (g_ptr_array_index (messages, 1), ==, "connection refused; next try in 8 s");
  }
  g_assert_false (gtk_widget_get_mapped (empty));
  tacit_ui_test_screenshot (f->window, "desktop-sources.png");
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  tacit_application_load_style ();
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);

  g_test_add ("/review-ui/approve", Fixture, NULL, fixture_setup, test_approve, fixture_teardown);
  g_test_add ("/review-ui/operator-refused", Fixture, NULL, fixture_setup, test_operator_refused, fixture_teardown);
  g_test_add ("/review-ui/merge", Fixture, NULL, fixture_setup, test_merge, fixture_teardown);
  g_test_add ("/review-ui/backtest", Fixture, NULL, fixture_setup, test_backtest, fixture_teardown);
  g_test_add ("/review-ui/sources", Fixture, NULL, fixture_setup, test_sources, fixture_teardown);
  return g_test_run ();
}
