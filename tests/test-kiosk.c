/* test-kiosk.c: the operator kiosk, driven through its actions under Xvfb.
 *
 * Signs in (a wrong PIN first), injects machine events so that suggestions
 * appear through the real worker thread and engine, accepts one, dismisses
 * one with a reason, undoes a dismissal, checks the budget holds a
 * suggestion (and never drops it) while a critical one still shows, and
 * checks every result in the store. Writes a 1280×800 PNG of each screen
 * into the build directory, and prints event → card latencies.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <sqlite3.h>

#include "tacit-application.h"
#include "tacit-demo.h"
#include "tacit-event-item.h"
#include "tacit-kiosk-window.h"
#include "tacit-machine-card.h"
#include "tacit-suggestion-card.h"
#include "tacit-test-utils.h"

#define T0 G_GINT64_CONSTANT (1793599200000000)   /* 2026-11-02T06:00:00Z */

typedef struct {
  char             *dir;
  char             *db_path;
  TacitStore       *store;
  TacitLibrary     *library;
  TacitSimulator   *simulator;
  TacitKioskWindow *window;
  sqlite3          *db;          /* the test's own connection, for checks */
} Fixture;

/* ---- helpers ---- */

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

typedef gboolean (*Condition) (Fixture *fixture, gconstpointer data);

static void
wait_for (Fixture      *fixture,
          Condition     condition,
          gconstpointer data,
          const char   *what)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!condition (fixture, data))
    {
      if (g_get_monotonic_time () > end)
        g_error ("Timed out waiting for %s", what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
page_is (Fixture      *fixture,
         gconstpointer page)
{
  return g_strcmp0 (tacit_kiosk_window_get_page (fixture->window), page) == 0;
}

static gboolean
n_cards_is (Fixture      *fixture,
            gconstpointer n)
{
  return tacit_kiosk_window_get_n_cards (fixture->window) == GPOINTER_TO_UINT (n);
}

static gboolean
n_held_is (Fixture      *fixture,
           gconstpointer n)
{
  return tacit_kiosk_window_get_n_held (fixture->window) == GPOINTER_TO_UINT (n);
}

static gboolean
n_events_is (Fixture      *fixture,
             gconstpointer n)
{
  return g_list_model_get_n_items (tacit_kiosk_window_get_events (fixture->window)) == GPOINTER_TO_UINT (n);
}

static gboolean
mapped (Fixture      *fixture,
        gconstpointer widget)
{
  return gtk_widget_get_mapped ((GtkWidget *) widget);
}

static gboolean
laid_out (Fixture      *fixture,
          gconstpointer data)
{
  return gtk_widget_get_width (GTK_WIDGET (fixture->window)) > 0;
}

static gint64
query_int (Fixture    *fixture,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (fixture->db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static char *
query_text (Fixture    *fixture,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value;

  g_assert_cmpint (sqlite3_prepare_v2 (fixture->db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

static void
inject (Fixture    *fixture,
        double      seconds,
        const char *machine,
        TacitKind   kind,
        const char *item,
        const char *value,
        const char *code)
{
  TacitEvent event = {
    .time = T0 + (TacitTime) (seconds * G_USEC_PER_SEC),
    .machine = machine, .kind = kind, .item = item, .value = value, .code = code,
  };

  tacit_simulator_inject (fixture->simulator, &event);
}

static void
type_digits (Fixture    *fixture,
             const char *digits)
{
  for (const char *p = digits; *p != '\0'; p++)
    {
      char digit[2] = { *p, '\0' };

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.digit", "s", digit));
    }
}

static void
sign_in (Fixture    *fixture,
         const char *badge,
         const char *pin)
{
  type_digits (fixture, badge);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.enter", NULL);
  type_digits (fixture, pin);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.enter", NULL);
}

/* A PNG of widget as drawn, into the build directory. */
static void
screenshot (GtkWidget  *widget,
            const char *name)
{
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "screenshots", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  int width = 0, height = 0;

  spin (300);   /* layout and a few frames */
  /* On a busy machine the first frame may not be drawn yet: no node. */
  while (node == NULL && g_get_monotonic_time () < end)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();

      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (snapshot);
      if (node == NULL)
        spin (100);
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_mkdir_with_parents (dir, 0755);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot %s (%d×%d)", path, width, height);
}

/* ---- fixture ---- */

/* The demo store, seeded once: six Argon2 hashes per test would make the
 * suite slow, and every test gets a fresh copy anyway. */
static char *template_db;

static void
copy_template (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  if (template_db == NULL)
    {
      g_autofree char *dir = tacit_test_tmpdir ();
      g_autoptr(TacitStore) store = NULL;

      template_db = g_build_filename (dir, "template.db", NULL);
      store = tacit_store_open (template_db, &error);
      g_assert_no_error (error);
      g_assert_true (tacit_demo_seed (store, &error));
      g_assert_no_error (error);
    }
  /* The template's connection is closed: its WAL is checkpointed. */
  g_file_get_contents (template_db, &contents, &len, &error);
  g_assert_no_error (error);
  g_file_set_contents (path, contents, len, &error);
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture      *fixture,
               gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = tacit_test_tmpdir ();
  fixture->db_path = g_build_filename (fixture->dir, "kiosk.db", NULL);
  copy_template (fixture->db_path);
  fixture->store = tacit_store_open (fixture->db_path, &error);
  g_assert_no_error (error);
  /* Already seeded: this must leave the store alone. */
  g_assert_true (tacit_demo_seed (fixture->store, &error));
  g_assert_no_error (error);
  fixture->library = tacit_store_load_library (fixture->store, &error);
  g_assert_no_error (error);
  fixture->simulator = tacit_simulator_new (fixture->library, fixture->db_path);
  /* data: an event file to play (the demo shift), else injected events only. */
  g_assert_true (tacit_simulator_start (fixture->simulator, data, &error));
  g_assert_no_error (error);
  fixture->window = tacit_kiosk_window_new (NULL, fixture->store, fixture->library,
                                            fixture->simulator, NULL);
  g_object_ref_sink (fixture->window);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1280, 800);
  /* As on the kiosk: no client-side frame around the 1280×800. */
  gtk_window_set_decorated (GTK_WINDOW (fixture->window), FALSE);
  gtk_window_present (GTK_WINDOW (fixture->window));
  wait_for (fixture, mapped, fixture->window, "the window");
  wait_for (fixture, laid_out, NULL, "the first layout");
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (fixture->window)), ==, 1280);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (fixture->window)), ==, 800);
  g_assert_cmpint (sqlite3_open (fixture->db_path, &fixture->db), ==, SQLITE_OK);
  sqlite3_busy_timeout (fixture->db, 5000);
}

static void
fixture_teardown (Fixture      *fixture,
                  gconstpointer data)
{
  tacit_simulator_stop (fixture->simulator);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->window);
  g_clear_object (&fixture->simulator);
  g_clear_object (&fixture->library);
  g_clear_object (&fixture->store);
  sqlite3_close (fixture->db);
  g_free (fixture->db_path);
  g_free (fixture->dir);
}

/* ---- tests ---- */

static void
test_pin_never_plain (Fixture      *fixture,
                      gconstpointer data)
{
  g_autofree char *hash = query_text (fixture, "SELECT pin_hash FROM operators WHERE badge = '117'");

  g_assert_true (g_str_has_prefix (hash, "$argon2id$"));
  g_assert_null (strstr (hash, "1234"));
  g_assert_cmpint (query_int (fixture, "SELECT count (*) FROM operators WHERE role = 'engineer'"), >=, 1);
}

static void
test_sign_in (Fixture      *fixture,
              gconstpointer data)
{
  screenshot (GTK_WIDGET (fixture->window), "kiosk-signin-empty.png");

  /* A wrong PIN: still on the sign-in page, and the attempt is recorded. */
  sign_in (fixture, "117", "9999");
  wait_for (fixture, page_is, "signin", "the sign-in page");
  spin (50);
  while (query_int (fixture, "SELECT count (*) FROM sign_ins") < 1)
    spin (20);
  g_assert_cmpint (query_int (fixture, "SELECT count (*) FROM sign_ins WHERE badge = '117' AND ok = 0"), ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT failed FROM operators WHERE badge = '117'"), ==, 1);
  g_assert_null (tacit_kiosk_window_get_operator (fixture->window));

  /* Spanish, then the right PIN (with the line `make run` shows). */
  tacit_kiosk_window_set_hint (fixture->window, "Demo plant: operator badge 117, PIN 1234 · "
                                                "engineer badge 4, PIN 4321");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.language", "s", "es");
  type_digits (fixture, "117");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.enter", NULL);
  type_digits (fixture, "12");
  screenshot (GTK_WIDGET (fixture->window), "kiosk-signin.png");
  type_digits (fixture, "34");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.enter", NULL);
  wait_for (fixture, page_is, "live", "the live page");
  g_assert_cmpstr (tacit_kiosk_window_get_operator (fixture->window)->name, ==, "Ana R.");
  {
    g_autofree char *language = NULL;

    g_object_get (fixture->window, "language", &language, NULL);
    g_assert_cmpstr (language, ==, "es");
  }
  g_assert_cmpint (query_int (fixture, "SELECT failed FROM operators WHERE badge = '117'"), ==, 0);
  g_assert_cmpint (query_int (fixture, "SELECT count (*) FROM sign_ins WHERE ok = 1"), ==, 1);
}

static void
test_lockout (Fixture      *fixture,
              gconstpointer data)
{
  for (guint i = 0; i < 5; i++)
    {
      sign_in (fixture, "204", "0000");
      while (query_int (fixture, "SELECT count (*) FROM sign_ins") < i + 1)
        spin (20);
    }
  g_assert_cmpint (query_int (fixture, "SELECT locked_until > 0 FROM operators WHERE badge = '204'"), ==, 1);
  /* Now even the right PIN is refused, before any hash is checked. */
  sign_in (fixture, "204", "2040");
  spin (200);
  g_assert_true (page_is (fixture, "signin"));
  g_assert_cmpint (query_int (fixture, "SELECT count (*) FROM sign_ins"), ==, 5);
}

static const char *
card_rule (Fixture *fixture,
           guint    index)
{
  GtkWidget *card = tacit_kiosk_window_get_card (fixture->window, index);

  return tacit_suggestion_card_get_suggestion (TACIT_SUGGESTION_CARD (card))->rule->id;
}

static void
report_latencies (Fixture *fixture)
{
  GArray *latencies = tacit_kiosk_window_get_card_latencies (fixture->window);
  gint64 max = 0;

  g_assert_cmpuint (latencies->len, >, 0);
  for (guint i = 0; i < latencies->len; i++)
    max = MAX (max, g_array_index (latencies, gint64, i));
  g_test_message ("event → card mapped: %u cards, max %.1f ms (target 100 ms)",
                  latencies->len, max / 1000.0);
  g_assert_cmpint (max, <, 1000 * 1000);
}

static void
test_suggestions (Fixture      *fixture,
                  gconstpointer data)
{
  GtkWidget *press3;
  gint64 dismissed_id;
  g_autofree char *actor = NULL;

  g_object_set (fixture->window, "budget", 2u, NULL);
  sign_in (fixture, "117", "1234");
  wait_for (fixture, page_is, "live", "the live page");

  /* Cold oil on press 3, lot 4471 arrives, then E1234: two live cards. */
  inject (fixture, 0, "press-3", TACIT_KIND_CONDITION, "hydraulic", "normal", NULL);
  inject (fixture, 0, "press-3", TACIT_KIND_SAMPLE, "oil_temp", "25.5", NULL);
  inject (fixture, 1, "press-3", TACIT_KIND_EVENT, "material_lot", "4471", NULL);
  inject (fixture, 2, "press-3", TACIT_KIND_CONDITION, "hydraulic", "fault", "E1234");
  wait_for (fixture, n_cards_is, GUINT_TO_POINTER (2), "two cards");
  g_assert_cmpstr (card_rule (fixture, 0), ==, "e1234-cold-oil-false-alarm");
  g_assert_cmpstr (card_rule (fixture, 1), ==, "lot-4471-runs-hard");
  /* The feed shows the newest first. */
  {
    GListModel *events = tacit_kiosk_window_get_events (fixture->window);
    g_autoptr(TacitEventItem) first = g_list_model_get_item (events, 0);
    g_autoptr(TacitEventItem) last = g_list_model_get_item (events, 3);

    g_assert_cmpstr (tacit_event_item_get_event (first)->value, ==, "fault");
    g_assert_cmpstr (tacit_event_item_get_event (last)->value, ==, "normal");
  }
  press3 = tacit_kiosk_window_get_machine_card (fixture->window, "press-3");
  g_assert_cmpstr (tacit_machine_card_get_state (TACIT_MACHINE_CARD (press3)), ==, "fault");

  /* Supplier C is a proposed rule: shadow, stored, never shown. */
  inject (fixture, 3, "press-2", TACIT_KIND_EVENT, "material_supplier", "C", NULL);
  wait_for (fixture, n_events_is, GUINT_TO_POINTER (5), "five events");
  spin (50);
  g_assert_cmpuint (tacit_kiosk_window_get_n_cards (fixture->window), ==, 2);
  g_assert_cmpint (query_int (fixture, "SELECT count (*) FROM suggestions WHERE mode = 'shadow'"
                                       " AND rule_id = 'supplier-c-dry-coil'"), ==, 1);

  /* Over the budget of 2: an info suggestion is held, not dropped… */
  inject (fixture, 3.5, "cnc-1", TACIT_KIND_EVENT, "program", "O1001", NULL);
  inject (fixture, 4, "cnc-1", TACIT_KIND_EVENT, "tool_change", "12", NULL);
  wait_for (fixture, n_held_is, GUINT_TO_POINTER (1), "a held suggestion");
  g_assert_cmpint (query_int (fixture, "SELECT count (*) FROM held_suggestions"
                                       " WHERE released_at IS NULL"), ==, 1);
  /* …while a critical one still shows. */
  inject (fixture, 5, "press-2", TACIT_KIND_SAMPLE, "tonnage", "391", NULL);
  inject (fixture, 11, "press-2", TACIT_KIND_SAMPLE, "tonnage", "392", NULL);
  wait_for (fixture, n_cards_is, GUINT_TO_POINTER (3), "the critical card");
  g_assert_cmpstr (card_rule (fixture, 0), ==, "tonnage-overload");
  report_latencies (fixture);
  screenshot (GTK_WIDGET (fixture->window), "kiosk-live.png");

  /* Accept the critical one. */
  spin (100);
  gtk_widget_activate_action (tacit_kiosk_window_get_card (fixture->window, 0), "card.accept", NULL);
  g_assert_cmpuint (tacit_kiosk_window_get_n_cards (fixture->window), ==, 2);
  g_assert_cmpint (query_int (fixture, "SELECT count (*) FROM responses AS r JOIN suggestions AS s"
                                       " ON s.id = r.suggestion_id WHERE s.rule_id = 'tonnage-overload'"
                                       " AND r.response = 'accepted' AND r.actor = 'op-117'"
                                       " AND r.latency_ms >= 100"), ==, 1);

  /* Dismiss the E1234 card: the reason chips, then "wrong"; undo; "not relevant". */
  gtk_widget_activate_action (tacit_kiosk_window_get_card (fixture->window, 0), "card.dismiss", NULL);
  screenshot (GTK_WIDGET (fixture->window), "kiosk-dismiss-reasons.png");
  gtk_widget_activate_action (tacit_kiosk_window_get_card (fixture->window, 0), "card.reason", "s", "wrong");
  g_assert_cmpuint (tacit_kiosk_window_get_n_cards (fixture->window), ==, 1);
  dismissed_id = query_int (fixture, "SELECT max (id) FROM responses");
  g_assert_cmpint (query_int (fixture, "SELECT count (*) FROM responses WHERE reason = 'wrong'"), ==, 1);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.undo", "x", dismissed_id);
  g_assert_cmpuint (tacit_kiosk_window_get_n_cards (fixture->window), ==, 2);
  g_assert_cmpint (query_int (fixture, "SELECT count (*) FROM responses WHERE reason = 'wrong'"), ==, 0);
  g_assert_cmpint (query_int (fixture, "SELECT count (*) FROM audit WHERE action = 'suggestion.respond.undo'"), ==, 1);
  g_assert_cmpstr (card_rule (fixture, 0), ==, "e1234-cold-oil-false-alarm");
  gtk_widget_activate_action (tacit_kiosk_window_get_card (fixture->window, 0), "card.dismiss", NULL);
  gtk_widget_activate_action (tacit_kiosk_window_get_card (fixture->window, 0), "card.reason", "s", "not-relevant");
  actor = query_text (fixture, "SELECT actor FROM responses WHERE response = 'dismissed'"
                               " AND reason = 'not-relevant' AND station IS NULL");
  g_assert_cmpstr (actor, ==, "op-117");

  /* The held one comes back from behind its counter. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.show-held", NULL);
  g_assert_cmpuint (tacit_kiosk_window_get_n_held (fixture->window), ==, 0);
  g_assert_cmpstr (card_rule (fixture, 0), ==, "first-article-after-tool-change");
  g_assert_cmpint (query_int (fixture, "SELECT count (*) FROM held_suggestions"
                                       " WHERE released_at IS NOT NULL"), ==, 1);
}

/* A label under widget whose text contains text. */
static gboolean
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_label (GTK_LABEL (widget)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (find_label (child, text))
      return TRUE;
  return FALSE;
}

static void
test_why (Fixture      *fixture,
          gconstpointer data)
{
  GtkWidget *dialog = NULL;
  GListModel *toplevels;

  sign_in (fixture, "117", "1234");
  wait_for (fixture, page_is, "live", "the live page");
  inject (fixture, 0, "press-3", TACIT_KIND_SAMPLE, "oil_temp", "25.5", NULL);
  inject (fixture, 2, "press-3", TACIT_KIND_CONDITION, "hydraulic", "fault", "E1234");
  wait_for (fixture, n_cards_is, GUINT_TO_POINTER (1), "a card");
  gtk_widget_activate_action (tacit_kiosk_window_get_card (fixture->window, 0), "card.why", NULL);
  toplevels = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window))
        dialog = GTK_WIDGET (window);
    }
  g_assert_nonnull (dialog);
  g_assert_true (find_label (adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (dialog)),
                             "oil_temp < 30 — it was 25.5"));
  wait_for (fixture, mapped, dialog, "the Why? dialog");
  screenshot (dialog, "kiosk-why.png");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static GtkWidget *
find_toggle (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_TOGGLE_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_toggle (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_entry (GtkWidget *widget)
{
  if (GTK_IS_ENTRY (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_entry (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Tap an event, tap a state chip, pick the kind, a quick phrase, save:
 * a proposed rule with the operator's credit lands in the store. */
static void
test_capture (Fixture      *fixture,
              gconstpointer data)
{
  GtkWidget *page = tacit_kiosk_window_get_capture_page (fixture->window);
  GtkWidget *chip;
  g_autofree char *xml = NULL;

  sign_in (fixture, "117", "1234");
  wait_for (fixture, page_is, "live", "the live page");
  inject (fixture, 0, "press-3", TACIT_KIND_EVENT, "material_lot", "4472", NULL);
  inject (fixture, 0, "press-3", TACIT_KIND_EVENT, "material_supplier", "B", NULL);
  inject (fixture, 1, "press-3", TACIT_KIND_SAMPLE, "oil_temp", "57.2", NULL);
  inject (fixture, 2, "press-3", TACIT_KIND_CONDITION, "hydraulic", "fault", "E1234");
  wait_for (fixture, n_events_is, GUINT_TO_POINTER (4), "four events");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.capture", "u", 0));
  g_assert_true (page_is (fixture, "capture"));
  chip = find_toggle (page, "material supplier = B");
  g_assert_nonnull (chip);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (chip), TRUE);
  gtk_widget_activate_action (page, "capture.kind", "s", "process-hack");
  gtk_widget_activate_action (page, "capture.phrase", "s", "Slow the ram 5 %");
  gtk_editable_set_text (GTK_EDITABLE (find_entry (page)), "Slow the ram 5 % until the oil is below 50 °C");
  screenshot (GTK_WIDGET (fixture->window), "kiosk-capture.png");
  g_assert_true (gtk_widget_activate_action (page, "capture.save", NULL));
  g_assert_true (page_is (fixture, "live"));

  g_assert_cmpint (query_int (fixture, "SELECT count (*) FROM rules WHERE status = 'proposed'"
                                       " AND kind = 'process-hack' AND saved_by = 'op-117'"
                                       " AND id LIKE 'capture-op-117-%'"), ==, 1);
  xml = query_text (fixture, "SELECT xml FROM rules WHERE id LIKE 'capture-%'");
  g_assert_nonnull (strstr (xml, "author=\"op-117\""));
  g_assert_nonnull (strstr (xml, "code=\"E1234\""));
  g_assert_nonnull (strstr (xml, "item=\"material_supplier\""));
  g_assert_nonnull (strstr (xml, "press-3/hydraulic@"));
  g_assert_nonnull (strstr (xml, "Slow the ram 5 % until the oil is below 50 °C"));

  /* A material note on the running lot: tap the machine card, write, save. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.material-note", "s", "press-3"));
  g_assert_true (page_is (fixture, "capture"));
  gtk_editable_set_text (GTK_EDITABLE (find_entry (page)), "Lot 4472 has scale on the edges: wipe the die");
  g_assert_true (gtk_widget_activate_action (page, "capture.save", NULL));
  g_assert_cmpint (query_int (fixture, "SELECT count (*) FROM rules WHERE kind = 'material-note'"
                                       " AND status = 'proposed' AND xml LIKE '%item=\"material_lot\" value=\"4472\"%'"), ==, 1);
}

static gboolean
window_gone (Fixture      *fixture,
             gconstpointer data)
{
  return !gtk_widget_get_visible (GTK_WIDGET (fixture->window));
}

/* Locked: closing is refused, an operator can't leave, an engineer can. */
static void
test_kiosk_lock (Fixture      *fixture,
                 gconstpointer data)
{
  tacit_kiosk_window_set_locked (fixture->window, TRUE);
  sign_in (fixture, "117", "1234");
  wait_for (fixture, page_is, "live", "the live page");

  gtk_window_close (GTK_WINDOW (fixture->window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fixture->window)));
  g_assert_true (page_is (fixture, "signin"));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.cancel-unlock", NULL);
  g_assert_true (page_is (fixture, "live"));

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.leave", NULL);
  g_assert_true (page_is (fixture, "signin"));
  sign_in (fixture, "117", "1234");
  while (query_int (fixture, "SELECT count (*) FROM sign_ins") < 2)
    spin (20);
  spin (50);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (fixture->window)));
  sign_in (fixture, "4", "4321");
  wait_for (fixture, window_gone, NULL, "the engineer to leave the kiosk");
}

static gboolean
n_cards_at_least (Fixture      *fixture,
                  gconstpointer n)
{
  return tacit_kiosk_window_get_n_cards (fixture->window) >= GPOINTER_TO_UINT (n);
}

/* What `make run` shows: the demo shift at 60×. The second live suggestion
 * of the shift comes at 06:06:57 event time, about 7 s in. */
static void
test_demo_shift (Fixture      *fixture,
                 gconstpointer data)
{
  gint64 start = g_get_monotonic_time ();

  sign_in (fixture, "117", "1234");
  wait_for (fixture, page_is, "live", "the live page");
  wait_for (fixture, n_cards_at_least, GUINT_TO_POINTER (2), "two suggestions from the demo shift");
  g_test_message ("demo shift: 2 live suggestions after %.1f s",
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 30 * G_USEC_PER_SEC);
  g_assert_cmpstr (tacit_machine_card_get_state (TACIT_MACHINE_CARD (
                     tacit_kiosk_window_get_machine_card (fixture->window, "press-1"))), ==, "running");
  spin (1500);
  screenshot (GTK_WIDGET (fixture->window), "kiosk-demo-shift.png");
  g_assert_cmpint (query_int (fixture, "SELECT count (*) FROM suggestions WHERE mode = 'shadow'"), >=, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *demo_shift = NULL;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* Screenshots of finished screens, not of a crossfade. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  tacit_application_load_style ();
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);

  g_test_add ("/kiosk/pin-never-plain", Fixture, NULL, fixture_setup, test_pin_never_plain, fixture_teardown);
  g_test_add ("/kiosk/sign-in", Fixture, NULL, fixture_setup, test_sign_in, fixture_teardown);
  g_test_add ("/kiosk/lockout", Fixture, NULL, fixture_setup, test_lockout, fixture_teardown);
  g_test_add ("/kiosk/suggestions", Fixture, NULL, fixture_setup, test_suggestions, fixture_teardown);
  g_test_add ("/kiosk/why", Fixture, NULL, fixture_setup, test_why, fixture_teardown);
  g_test_add ("/kiosk/capture", Fixture, NULL, fixture_setup, test_capture, fixture_teardown);
  g_test_add ("/kiosk/lock", Fixture, NULL, fixture_setup, test_kiosk_lock, fixture_teardown);
  demo_shift = tacit_demo_find_file ("shift.csv");
  g_test_add ("/kiosk/demo-shift", Fixture, demo_shift, fixture_setup, test_demo_shift, fixture_teardown);
  return g_test_run ();
}
