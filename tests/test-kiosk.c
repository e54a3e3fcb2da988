/* test-kiosk.c: the operator kiosk, driven through its actions under Xvfb.
 *
 * Signs in (a wrong PIN first), injects machine events so that suggestions
 * appear through the real worker thread and engine, accepts one, dismisses
 * one with a reason, undoes a dismissal, checks the budget holds a
 * suggestion (and never drops it) while a critical one still shows, and
 * checks every result in the store. Also: machine states from samples,
 * conditions, UNAVAILABLE and silence; shelving (lot, timed, one-shot,
 * undo) with expiry by itself; expiry of unanswered cards by timeout and
 * at the shift change; the capture's numeric keypad and structured
 * action; the held list; changing station behind an engineer PIN; notes
 * on sent-back rules (Got it, Edit); a new library revision mid-run. Writes a 1280×800 PNG of each screen
 * into the build directory, and prints event → card latencies.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <libsoup/soup.h>
#include <sqlite3.h>

#include "tacit-application.h"
#include "tacit-capture-page.h"
#include "tacit-demo.h"
#include "tacit-event-item.h"
#include "tacit-kiosk-sources.h"
#include "tacit-kiosk-window.h"
#include "tacit-library-xml.h"
#include "tacit-review.h"
#include "tacit-machine-card.h"
#include "tacit-suggestion-card.h"
#include "tacit-test-utils.h"
#include "tacit-ui-test-utils.h"

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
  tacit_ui_test_screenshot (GTK_WIDGET (fixture->window), "kiosk-signin-empty.png");

  /* A wrong PIN: still on the sign-in page, and the attempt is recorded. */
  sign_in (fixture, "117", "9999");
  wait_for (fixture, page_is, "signin", "the sign-in page");
  tacit_ui_test_spin (50);
  while (query_int (fixture, "SELECT count (*) FROM sign_ins") < 1)
    tacit_ui_test_spin (20);
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
  tacit_ui_test_screenshot (GTK_WIDGET (fixture->window), "kiosk-signin.png");
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
        tacit_ui_test_spin (20);
    }
  g_assert_cmpint (query_int (fixture, "SELECT locked_until > 0 FROM operators WHERE badge = '204'"), ==, 1);
  /* Now even the right PIN is refused, before any hash is checked. */
  sign_in (fixture, "204", "2040");
  tacit_ui_test_spin (200);
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
  tacit_ui_test_spin (50);
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
  tacit_ui_test_screenshot (GTK_WIDGET (fixture->window), "kiosk-live.png");

  /* Accept the critical one. */
  tacit_ui_test_spin (100);
  gtk_widget_activate_action (tacit_kiosk_window_get_card (fixture->window, 0), "card.accept", NULL);
  g_assert_cmpuint (tacit_kiosk_window_get_n_cards (fixture->window), ==, 2);
  g_assert_cmpint (query_int (fixture, "SELECT count (*) FROM responses AS r JOIN suggestions AS s"
                                       " ON s.id = r.suggestion_id WHERE s.rule_id = 'tonnage-overload'"
                                       " AND r.response = 'accepted' AND r.actor = 'op-117'"
                                       " AND r.latency_ms >= 100"), ==, 1);

  /* Dismiss the E1234 card: the reason chips, then "wrong"; undo; "not relevant". */
  gtk_widget_activate_action (tacit_kiosk_window_get_card (fixture->window, 0), "card.dismiss", NULL);
  tacit_ui_test_screenshot (GTK_WIDGET (fixture->window), "kiosk-dismiss-reasons.png");
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

  /* The held one comes back from behind its counter: the list, Show. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.show-held", NULL);
  g_assert_true (page_is (fixture, "held"));
  {
    g_autofree char *held_id = query_text (fixture, "SELECT suggestion_id FROM held_suggestions");

    gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.held-show", "s", held_id);
  }
  g_assert_true (page_is (fixture, "live"));
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
  tacit_ui_test_screenshot (dialog, "kiosk-why.png");
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
  tacit_ui_test_screenshot (GTK_WIDGET (fixture->window), "kiosk-capture.png");
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
    tacit_ui_test_spin (20);
  tacit_ui_test_spin (50);
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
  tacit_ui_test_spin (1500);
  tacit_ui_test_screenshot (GTK_WIDGET (fixture->window), "kiosk-demo-shift.png");
  g_assert_cmpint (query_int (fixture, "SELECT count (*) FROM suggestions WHERE mode = 'shadow'"), >=, 1);
}

/* Samples alone make a machine read as running; conditions make it
 * warn or fault; UNAVAILABLE or a long silence make it "No data". */
static void
test_machine_state (Fixture      *fixture,
                    gconstpointer data)
{
  TacitMachineCard *press1 = TACIT_MACHINE_CARD (tacit_kiosk_window_get_machine_card (fixture->window, "press-1"));
  TacitMachineCard *press2 = TACIT_MACHINE_CARD (tacit_kiosk_window_get_machine_card (fixture->window, "press-2"));

  g_assert_cmpstr (tacit_machine_card_get_state (press1), ==, "unavailable");
  g_assert_true (find_label (GTK_WIDGET (press1), "No data"));
  inject (fixture, 0, "press-1", TACIT_KIND_SAMPLE, "oil_temp", "41.5", NULL);
  wait_for (fixture, n_events_is, GUINT_TO_POINTER (1), "a sample");
  g_assert_cmpstr (tacit_machine_card_get_state (press1), ==, "running");
  g_assert_true (find_label (GTK_WIDGET (press1), "Running"));
  g_assert_cmpstr (tacit_machine_card_get_state (press2), ==, "unavailable");

  inject (fixture, 1, "press-1", TACIT_KIND_CONDITION, "hydraulic", "warning", "W210");
  wait_for (fixture, n_events_is, GUINT_TO_POINTER (2), "a warning");
  g_assert_cmpstr (tacit_machine_card_get_state (press1), ==, "warning");
  g_assert_true (find_label (GTK_WIDGET (press1), "hydraulic W210"));
  inject (fixture, 2, "press-1", TACIT_KIND_CONDITION, "hydraulic", "normal", NULL);
  wait_for (fixture, n_events_is, GUINT_TO_POINTER (3), "back to normal");
  g_assert_cmpstr (tacit_machine_card_get_state (press1), ==, "running");

  /* The agent says the machine is gone, then back. */
  inject (fixture, 3, "press-1", TACIT_KIND_EVENT, "availability", "UNAVAILABLE", NULL);
  wait_for (fixture, n_events_is, GUINT_TO_POINTER (4), "unavailable");
  g_assert_cmpstr (tacit_machine_card_get_state (press1), ==, "unavailable");
  inject (fixture, 4, "press-1", TACIT_KIND_EVENT, "availability", "AVAILABLE", NULL);
  wait_for (fixture, n_events_is, GUINT_TO_POINTER (5), "available");
  g_assert_cmpstr (tacit_machine_card_get_state (press1), ==, "running");

  /* Press 2 talks for six minutes while press 1 says nothing. */
  inject (fixture, 10, "press-2", TACIT_KIND_SAMPLE, "tonnage", "250", NULL);
  wait_for (fixture, n_events_is, GUINT_TO_POINTER (6), "press 2");
  g_assert_cmpstr (tacit_machine_card_get_state (press1), ==, "running");
  inject (fixture, 4 + 6 * 60, "press-2", TACIT_KIND_SAMPLE, "tonnage", "251", NULL);
  wait_for (fixture, n_events_is, GUINT_TO_POINTER (7), "six minutes later");
  g_assert_cmpstr (tacit_machine_card_get_state (press1), ==, "unavailable");
  g_assert_cmpstr (tacit_machine_card_get_state (press2), ==, "running");
  /* A fault stands even when the machine falls silent. */
  inject (fixture, 400, "press-1", TACIT_KIND_CONDITION, "hydraulic", "fault", "E1234");
  inject (fixture, 400 + 6 * 60, "press-2", TACIT_KIND_SAMPLE, "tonnage", "252", NULL);
  wait_for (fixture, n_events_is, GUINT_TO_POINTER (9), "a silent fault");
  g_assert_cmpstr (tacit_machine_card_get_state (press1), ==, "fault");
}

static GtkWidget *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return GTK_WIDGET (window);
    }
  return NULL;
}

static GtkWidget *
card_of_rule (Fixture    *fixture,
              const char *rule)
{
  for (guint i = 0; i < tacit_kiosk_window_get_n_cards (fixture->window); i++)
    if (g_strcmp0 (card_rule (fixture, i), rule) == 0)
      return tacit_kiosk_window_get_card (fixture->window, i);
  return NULL;
}

static GtkWidget *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Shelve from the card: the sheet, a duration chip, a phrase, Shelve. */
static void
shelve (Fixture    *fixture,
        const char *rule,
        const char *choice,
        const char *phrase,
        const char *screenshot_name)
{
  GtkWidget *card = card_of_rule (fixture, rule);
  GtkWidget *sheet;
  GtkWidget *shelve_button;

  g_assert_nonnull (card);
  g_assert_true (gtk_widget_activate_action (card, "card.shelve", NULL));
  sheet = find_toplevel (ADW_TYPE_WINDOW);
  g_assert_nonnull (sheet);
  shelve_button = find_button (sheet, "Shelve");
  g_assert_nonnull (shelve_button);
  /* Nothing chosen yet: Shelve can't be tapped. */
  g_assert_false (gtk_widget_is_sensitive (shelve_button));
  g_assert_true (gtk_widget_activate_action (sheet, "shelf.kind", "s", choice));
  g_assert_true (gtk_widget_is_sensitive (shelve_button));
  if (phrase != NULL)
    g_assert_true (gtk_widget_activate_action (sheet, "shelf.phrase", "s", phrase));
  if (screenshot_name != NULL)
    {
      wait_for (fixture, mapped, sheet, "the shelve sheet");
      tacit_ui_test_screenshot (sheet, screenshot_name);
    }
  g_signal_emit_by_name (shelve_button, "clicked");
  g_assert_null (find_toplevel (ADW_TYPE_WINDOW));
}

static void
test_shelve (Fixture      *fixture,
             gconstpointer data)
{
  g_autofree char *comment = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *one_shot = NULL;
  g_autofree char *timed = NULL;
  g_autofree char *undone = NULL;

  sign_in (fixture, "117", "1234");
  wait_for (fixture, page_is, "live", "the live page");
  inject (fixture, 0, "press-3", TACIT_KIND_CONDITION, "hydraulic", "normal", NULL);
  inject (fixture, 0, "press-3", TACIT_KIND_SAMPLE, "oil_temp", "25.5", NULL);
  inject (fixture, 1, "press-3", TACIT_KIND_EVENT, "material_lot", "4471", NULL);
  inject (fixture, 2, "press-3", TACIT_KIND_CONDITION, "hydraulic", "fault", "E1234");
  wait_for (fixture, n_cards_is, GUINT_TO_POINTER (2), "two cards");

  /* This lot: the card goes, the shelf is stored with who and why. */
  shelve (fixture, "lot-4471-runs-hard", "lot", "Known issue", "kiosk-shelve.png");
  g_assert_null (card_of_rule (fixture, "lot-4471-runs-hard"));
  comment = query_text (fixture, "SELECT comment FROM shelves WHERE kind = 'lot' AND rule_id = 'lot-4471-runs-hard'"
                                 " AND machine = 'press-3' AND item = 'material_lot' AND value = '4471'"
                                 " AND actor = 'op-117' AND cleared_at IS NULL");
  g_assert_cmpstr (comment, ==, "Known issue");
  g_assert_cmpint (query_int (fixture, "SELECT count (*) FROM responses WHERE response = 'dismissed'"
                                       " AND reason = 'shelved' AND actor = 'op-117'"), ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT count (*) FROM audit WHERE action = 'shelf.create'"), ==, 1);

  /* The next coil ends the shelf by itself. */
  inject (fixture, 120, "press-3", TACIT_KIND_EVENT, "material_lot", "4472", NULL);
  wait_for (fixture, n_events_is, GUINT_TO_POINTER (5), "the next lot");
  reason = query_text (fixture, "SELECT cleared_reason FROM shelves WHERE kind = 'lot'");
  g_assert_cmpstr (reason, ==, "lot-changed");

  /* For 2 hours: the next E1234 (after the rule's hour of cooldown) is
   * recorded and answered by the shelf, not shown; after 2 hours the shelf
   * has expired by itself and E1234 shows again. */
  shelve (fixture, "e1234-cold-oil-false-alarm", "2", "Sensor fault", NULL);
  g_assert_cmpuint (tacit_kiosk_window_get_n_cards (fixture->window), ==, 0);
  g_assert_cmpint (query_int (fixture, "SELECT expires_at - shelved_at FROM shelves WHERE kind = 'timed'"),
                   ==, G_GINT64_CONSTANT (2) * 3600 * G_USEC_PER_SEC);
  inject (fixture, 3700, "press-3", TACIT_KIND_CONDITION, "hydraulic", "normal", NULL);
  inject (fixture, 3702, "press-3", TACIT_KIND_CONDITION, "hydraulic", "fault", "E1234");
  wait_for (fixture, n_events_is, GUINT_TO_POINTER (7), "E1234 again");
  tacit_ui_test_spin (100);
  g_assert_cmpuint (tacit_kiosk_window_get_n_cards (fixture->window), ==, 0);
  g_assert_cmpint (query_int (fixture, "SELECT count (*) FROM suggestions WHERE rule_id = 'e1234-cold-oil-false-alarm'"), ==, 2);
  g_assert_cmpint (query_int (fixture, "SELECT count (*) FROM responses WHERE reason = 'shelved'"
                                       " AND actor = 'op-117'"), ==, 3);
  g_assert_cmpuint (tacit_kiosk_window_get_n_held (fixture->window), ==, 0);
  inject (fixture, 7400, "press-3", TACIT_KIND_CONDITION, "hydraulic", "normal", NULL);
  inject (fixture, 7402, "press-3", TACIT_KIND_CONDITION, "hydraulic", "fault", "E1234");
  wait_for (fixture, n_cards_is, GUINT_TO_POINTER (1), "E1234 shown again");
  timed = query_text (fixture, "SELECT cleared_reason FROM shelves WHERE kind = 'timed'");
  g_assert_cmpstr (timed, ==, "expired");

  /* Just this once: the next E1234 is swallowed, the one after shows. */
  shelve (fixture, "e1234-cold-oil-false-alarm", "one-shot", NULL, NULL);
  g_assert_cmpuint (tacit_kiosk_window_get_n_cards (fixture->window), ==, 0);
  inject (fixture, 11100, "press-3", TACIT_KIND_CONDITION, "hydraulic", "normal", NULL);
  inject (fixture, 11102, "press-3", TACIT_KIND_CONDITION, "hydraulic", "fault", "E1234");
  wait_for (fixture, n_events_is, GUINT_TO_POINTER (11), "E1234 once more");
  tacit_ui_test_spin (100);
  g_assert_cmpuint (tacit_kiosk_window_get_n_cards (fixture->window), ==, 0);
  one_shot = query_text (fixture, "SELECT cleared_reason FROM shelves WHERE kind = 'one-shot'");
  g_assert_cmpstr (one_shot, ==, "fired-once");
  inject (fixture, 14800, "press-3", TACIT_KIND_CONDITION, "hydraulic", "normal", NULL);
  inject (fixture, 14802, "press-3", TACIT_KIND_CONDITION, "hydraulic", "fault", "E1234");
  wait_for (fixture, n_cards_is, GUINT_TO_POINTER (1), "E1234 after the one-shot");

  /* Shelved, then Undo: the card is back and the shelf is down. */
  shelve (fixture, "e1234-cold-oil-false-alarm", "4", NULL, NULL);
  g_assert_cmpuint (tacit_kiosk_window_get_n_cards (fixture->window), ==, 0);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.undo", "x",
                              query_int (fixture, "SELECT max (id) FROM responses"));
  g_assert_cmpuint (tacit_kiosk_window_get_n_cards (fixture->window), ==, 1);
  undone = query_text (fixture, "SELECT cleared_reason FROM shelves WHERE expires_at - shelved_at"
                                " = 4 * 3600 * 1000000");
  g_assert_cmpstr (undone, ==, "unshelved");
  g_assert_cmpint (query_int (fixture, "SELECT count (*) FROM audit WHERE action = 'shelf.clear'"), ==, 1);
}

/* Nobody answers: the card expires after the timeout, or at the shift. */
static void
test_expiry (Fixture      *fixture,
             gconstpointer data)
{
  const gint64 minute = 60;

  g_object_set (fixture->window, "suggestion-timeout", 30u, NULL);
  sign_in (fixture, "117", "1234");
  wait_for (fixture, page_is, "live", "the live page");
  inject (fixture, 0, "press-3", TACIT_KIND_EVENT, "material_lot", "4471", NULL);
  wait_for (fixture, n_cards_is, GUINT_TO_POINTER (1), "a card");
  inject (fixture, 29 * minute, "press-3", TACIT_KIND_SAMPLE, "oil_temp", "40", NULL);
  wait_for (fixture, n_events_is, GUINT_TO_POINTER (2), "29 minutes on");
  g_assert_cmpuint (tacit_kiosk_window_get_n_cards (fixture->window), ==, 1);
  inject (fixture, 31 * minute, "press-3", TACIT_KIND_SAMPLE, "oil_temp", "41", NULL);
  wait_for (fixture, n_cards_is, GUINT_TO_POINTER (0), "the card to expire");
  g_assert_cmpint (query_int (fixture, "SELECT count (*) FROM responses WHERE response = 'expired'"
                                       " AND actor IS NULL AND latency_ms IS NULL"), ==, 1);

  /* 13:50, then 14:01: a new shift, well within the timeout. */
  inject (fixture, 469 * minute, "press-3", TACIT_KIND_EVENT, "material_lot", "4470", NULL);
  inject (fixture, 470 * minute, "press-3", TACIT_KIND_EVENT, "material_lot", "4471", NULL);
  wait_for (fixture, n_cards_is, GUINT_TO_POINTER (1), "a card before the shift change");
  inject (fixture, 479 * minute, "press-3", TACIT_KIND_SAMPLE, "oil_temp", "42", NULL);
  wait_for (fixture, n_events_is, GUINT_TO_POINTER (6), "13:59");
  g_assert_cmpuint (tacit_kiosk_window_get_n_cards (fixture->window), ==, 1);
  inject (fixture, 481 * minute, "press-3", TACIT_KIND_SAMPLE, "oil_temp", "43", NULL);
  wait_for (fixture, n_cards_is, GUINT_TO_POINTER (0), "the shift change");
  g_assert_cmpint (query_int (fixture, "SELECT count (*) FROM responses WHERE response = 'expired'"), ==, 2);
  g_assert_cmpint (query_int (fixture, "SELECT count (*) FROM suggestions AS s WHERE s.mode = 'live' AND NOT EXISTS"
                                       " (SELECT 1 FROM responses AS r WHERE r.suggestion_id = s.id)"), ==, 0);
}

/* The numeric keypad fills the structured action; the rule carries it. */
static void
test_capture_action (Fixture      *fixture,
                     gconstpointer data)
{
  TacitCapturePage *page = TACIT_CAPTURE_PAGE (tacit_kiosk_window_get_capture_page (fixture->window));
  GtkWidget *widget = GTK_WIDGET (page);
  g_autofree char *action = NULL;
  g_autofree char *xml = NULL;
  GtkWidget *key;

  sign_in (fixture, "117", "1234");
  wait_for (fixture, page_is, "live", "the live page");
  inject (fixture, 0, "press-3", TACIT_KIND_SAMPLE, "oil_temp", "57.2", NULL);
  wait_for (fixture, n_events_is, GUINT_TO_POINTER (1), "an event");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.capture", "u", 0));
  g_assert_null (tacit_capture_page_dup_action (page));

  /* Tap the keys as a finger would: 8, 6, backspace, 5, then . and 5. */
  key = find_button (widget, "8");
  g_assert_nonnull (key);
  wait_for (fixture, mapped, key, "the keypad");
  tacit_ui_test_spin (200);
  g_assert_cmpint (gtk_widget_get_height (key), >=, 64);
  g_assert_cmpint (gtk_widget_get_width (key), >=, 64);
  g_signal_emit_by_name (key, "clicked");
  g_signal_emit_by_name (find_button (widget, "6"), "clicked");
  g_assert_cmpstr (tacit_capture_page_get_amount (page), ==, "86");
  gtk_widget_activate_action (widget, "capture.key", "s", "back");
  g_signal_emit_by_name (find_button (widget, "5"), "clicked");
  g_assert_cmpstr (tacit_capture_page_get_amount (page), ==, "85");
  g_signal_emit_by_name (find_button (widget, "."), "clicked");
  g_signal_emit_by_name (find_button (widget, "."), "clicked");   /* one point only */
  g_signal_emit_by_name (find_button (widget, "5"), "clicked");
  g_assert_cmpstr (tacit_capture_page_get_amount (page), ==, "85.5");
  g_signal_emit_by_name (find_button (widget, "−"), "clicked");
  g_assert_cmpstr (tacit_capture_page_get_amount (page), ==, "-85.5");
  g_signal_emit_by_name (find_button (widget, "−"), "clicked");
  gtk_widget_activate_action (widget, "capture.key", "s", "back");
  gtk_widget_activate_action (widget, "capture.key", "s", "back");
  g_assert_cmpstr (tacit_capture_page_get_amount (page), ==, "85");

  /* ram speed, set to, 85 % */
  gtk_widget_activate_action (widget, "capture.parameter", "s", "ram_speed");
  gtk_widget_activate_action (widget, "capture.direction", "s", "set");
  action = tacit_capture_page_dup_action (page);
  g_assert_cmpstr (action, ==, "ram speed → 85 %");
  gtk_editable_set_text (GTK_EDITABLE (find_entry (widget)), "Run the ram at 85 % while the oil is hot");
  {
    g_autofree char *review = tacit_capture_page_review (page);

    g_assert_nonnull (strstr (review, "(ram speed → 85 %)"));
  }
  /* The keypad is below the fold of the 800 px: scroll to it, as a finger would. */
  gtk_widget_grab_focus (find_button (widget, "0"));
  tacit_ui_test_screenshot (GTK_WIDGET (fixture->window), "kiosk-capture-action.png");
  g_assert_true (gtk_widget_activate_action (widget, "capture.save", NULL));
  xml = query_text (fixture, "SELECT xml FROM rules WHERE id LIKE 'capture-%'");
  g_assert_nonnull (strstr (xml, "<action parameter=\"ram_speed\" change=\"set:85%\"/>"));

  /* Lower by 5 %: the sign comes from the direction. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.capture", "u", 0));
  g_assert_cmpstr (tacit_capture_page_get_amount (page), ==, "");
  gtk_widget_activate_action (widget, "capture.parameter", "s", "ram_speed");
  gtk_widget_activate_action (widget, "capture.key", "s", "5");
  g_clear_pointer (&action, g_free);
  action = tacit_capture_page_dup_action (page);
  g_assert_cmpstr (action, ==, "ram speed −5 %");
}

/* Held suggestions in a list: Done and Not relevant from the list. */
static void
test_held_list (Fixture      *fixture,
                gconstpointer data)
{
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  g_object_set (fixture->window, "budget", 1u, NULL);
  sign_in (fixture, "117", "1234");
  wait_for (fixture, page_is, "live", "the live page");
  inject (fixture, 0, "press-3", TACIT_KIND_EVENT, "material_lot", "4471", NULL);
  inject (fixture, 1, "cnc-1", TACIT_KIND_EVENT, "program", "O1001", NULL);
  inject (fixture, 2, "cnc-1", TACIT_KIND_EVENT, "tool_change", "12", NULL);
  inject (fixture, 3, "press-1", TACIT_KIND_EVENT, "material_lot", "4471", NULL);
  wait_for (fixture, n_held_is, GUINT_TO_POINTER (2), "two held suggestions");
  g_assert_cmpuint (tacit_kiosk_window_get_n_cards (fixture->window), ==, 1);
  g_assert_true (find_label (GTK_WIDGET (fixture->window), "Held · 2"));

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.show-held", NULL);
  g_assert_true (page_is (fixture, "held"));
  tacit_ui_test_screenshot (GTK_WIDGET (fixture->window), "kiosk-held.png");
  first = query_text (fixture, "SELECT suggestion_id FROM held_suggestions ORDER BY held_at LIMIT 1");
  second = query_text (fixture, "SELECT suggestion_id FROM held_suggestions ORDER BY held_at LIMIT 1 OFFSET 1");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.held-accept", "s", first);
  g_assert_cmpuint (tacit_kiosk_window_get_n_held (fixture->window), ==, 1);
  g_assert_true (page_is (fixture, "held"));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.held-dismiss", "s", second);
  g_assert_cmpuint (tacit_kiosk_window_get_n_held (fixture->window), ==, 0);
  g_assert_cmpint (query_int (fixture, "SELECT count (*) FROM held_suggestions WHERE released_at IS NOT NULL"), ==, 2);
  g_assert_cmpint (query_int (fixture, "SELECT count (*) FROM responses WHERE response = 'accepted'"
                                       " AND actor = 'op-117' AND latency_ms >= 0"), ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT count (*) FROM responses WHERE response = 'dismissed'"
                                       " AND reason = 'not-relevant'"), ==, 1);
  /* Undo puts the dismissed one on the live page. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.undo", "x",
                              query_int (fixture, "SELECT max (id) FROM responses"));
  g_assert_cmpuint (tacit_kiosk_window_get_n_cards (fixture->window), ==, 2);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.held-back", NULL);
  g_assert_true (page_is (fixture, "live"));
}

/* Changing station takes an engineer: an operator badge is refused (and
 * audited); the engineer picks a cell; the setting remembers it. */
static void
test_station (Fixture      *fixture,
              gconstpointer data)
{
  g_autoptr(GSettings) settings = tacit_application_dup_settings ();
  g_autofree char *stored = NULL;

  g_assert_nonnull (settings);
  tacit_application_bind_kiosk (settings, GTK_WIDGET (fixture->window));
  sign_in (fixture, "117", "1234");
  wait_for (fixture, page_is, "live", "the live page");
  g_assert_nonnull (tacit_kiosk_window_get_machine_card (fixture->window, "cnc-1"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.change-station", NULL));
  g_assert_true (page_is (fixture, "signin"));
  g_assert_true (find_label (GTK_WIDGET (fixture->window), "Engineer badge to change the station"));
  sign_in (fixture, "117", "1234");
  while (query_int (fixture, "SELECT count (*) FROM audit WHERE action = 'access.denied'") < 1)
    tacit_ui_test_spin (20);
  g_assert_true (page_is (fixture, "signin"));
  g_assert_true (find_label (GTK_WIDGET (fixture->window), "Only an engineer can change the station."));
  /* Not from the sign-in page either. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.set-station", "s", "machining");
  g_assert_cmpstr (tacit_kiosk_window_get_station (fixture->window), ==, "");

  sign_in (fixture, "4", "4321");
  wait_for (fixture, page_is, "stations", "the station page");
  g_assert_true (find_label (GTK_WIDGET (fixture->window), "stamping"));
  tacit_ui_test_screenshot (GTK_WIDGET (fixture->window), "kiosk-stations.png");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.set-station", "s", "stamping");
  g_assert_cmpstr (tacit_kiosk_window_get_station (fixture->window), ==, "stamping");
  g_assert_true (page_is (fixture, "live"));
  g_assert_cmpstr (tacit_kiosk_window_get_operator (fixture->window)->badge, ==, "117");
  g_assert_null (tacit_kiosk_window_get_machine_card (fixture->window, "cnc-1"));
  g_assert_nonnull (tacit_kiosk_window_get_machine_card (fixture->window, "press-3"));
  stored = g_settings_get_string (settings, "station");
  g_assert_cmpstr (stored, ==, "stamping");
  g_assert_true (find_label (GTK_WIDGET (fixture->window), "Stamping line · stamping"));
}

static void
capture_one (Fixture    *fixture,
             const char *advice)
{
  GtkWidget *page = tacit_kiosk_window_get_capture_page (fixture->window);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.capture", "u", 0));
  gtk_editable_set_text (GTK_EDITABLE (find_entry (page)), advice);
  g_assert_true (gtk_widget_activate_action (page, "capture.save", NULL));
  g_assert_true (page_is (fixture, "live"));
}

static void
send_back (Fixture    *fixture,
           const char *advice_like,
           const char *comment)
{
  g_autoptr(TacitOperator) kim = tacit_operators_lookup (fixture->store, "4", NULL, NULL);
  g_autofree char *sql = g_strdup_printf ("SELECT id FROM rules WHERE xml LIKE '%%%s%%'", advice_like);
  g_autofree char *id = query_text (fixture, sql);
  g_autoptr(GError) error = NULL;

  g_assert_true (tacit_review_decide (fixture->store, id, 1, TACIT_REVIEW_SENT_BACK, comment, kim, &error));
  g_assert_no_error (error);
}

/* Sent back by an engineer: the author sees the comment after signing
 * in; Got it marks it seen; Edit reworks the rule and proposes it again. */
static void
test_sent_back (Fixture      *fixture,
                gconstpointer data)
{
  GtkWidget *page = tacit_kiosk_window_get_capture_page (fixture->window);

  sign_in (fixture, "117", "1234");
  wait_for (fixture, page_is, "live", "the live page");
  inject (fixture, 0, "press-3", TACIT_KIND_CONDITION, "hydraulic", "fault", "E1234");
  wait_for (fixture, n_events_is, GUINT_TO_POINTER (1), "an event");
  capture_one (fixture, "Wipe the sensor");
  capture_one (fixture, "Call maintenance");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.sign-out", NULL);
  send_back (fixture, "Wipe the sensor", "Which sensor? Say where it is.");
  g_usleep (2000);
  send_back (fixture, "Call maintenance", "Add the extension number, please.");

  sign_in (fixture, "117", "1234");
  wait_for (fixture, page_is, "live", "the live page");
  /* Newest first, with the engineer's name and comment. */
  g_assert_true (find_label (GTK_WIDGET (fixture->window), "Eng. Kim sent your rule “Call maintenance” back: "
                                                           "Add the extension number, please."));
  tacit_ui_test_screenshot (GTK_WIDGET (fixture->window), "kiosk-sent-back.png");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.review-seen", NULL));
  g_assert_cmpint (query_int (fixture, "SELECT count (*) FROM reviews WHERE seen_at IS NOT NULL"), ==, 1);
  g_assert_true (find_label (GTK_WIDGET (fixture->window), "Which sensor? Say where it is."));

  /* Edit: the capture page on the rule, prefilled; saved as revision 3, proposed. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "kiosk.review-edit", NULL));
  g_assert_true (page_is (fixture, "capture"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_entry (page))), ==, "Wipe the sensor");
  g_assert_true (find_label (page, "hydraulic FAULT E1234"));
  gtk_editable_set_text (GTK_EDITABLE (find_entry (page)), "Wipe the pressure sensor under the left guard");
  g_assert_true (gtk_widget_activate_action (page, "capture.save", NULL));
  g_assert_true (page_is (fixture, "live"));
  g_assert_cmpint (query_int (fixture, "SELECT count (*) FROM reviews WHERE seen_at IS NOT NULL"), ==, 2);
  g_assert_cmpint (query_int (fixture, "SELECT count (*) FROM rules WHERE status = 'proposed' AND revision = 3"
                                       " AND saved_by = 'op-117'"
                                       " AND xml LIKE '%Wipe the pressure sensor under the left guard%'"), ==, 1);
}

/* A new library revision lands in the kiosk's database (as the plant link
 * writes it, through another connection) while events play: later
 * suggestions come from it and carry its revision; none mixes the two. */
static void
test_library_revision (Fixture      *fixture,
                       gconstpointer data)
{
  g_autofree char *path = tacit_demo_find_file ("stamping-line.xml");
  g_autofree char *xml = NULL;
  g_autoptr(GString) next = NULL;
  g_autoptr(TacitLibrary) library = NULL;
  g_autoptr(TacitStore) plant_link = NULL;
  g_autoptr(TacitOperator) admin = tacit_operator_new_local ("test");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  sign_in (fixture, "117", "1234");
  wait_for (fixture, page_is, "live", "the live page");
  inject (fixture, 0, "press-3", TACIT_KIND_EVENT, "material_lot", "4471", NULL);
  wait_for (fixture, n_cards_is, GUINT_TO_POINTER (1), "a card from revision 14");
  g_assert_cmpint (query_int (fixture, "SELECT library_revision FROM suggestions"), ==, 14);

  g_assert_true (g_file_get_contents (path, &xml, NULL, &error));
  next = g_string_new (xml);
  g_assert_cmpuint (g_string_replace (next, "name=\"Stamping line\" revision=\"14\"",
                                      "name=\"Stamping line\" revision=\"15\"", 1), ==, 1);
  g_assert_cmpuint (g_string_replace (next, "<text>Lot 4471 runs hard: tonnage reads about 8% higher.",
                                      "<text>Lot 4471 runs hard (library 15): tonnage reads about 9% higher.", 1), ==, 1);
  library = tacit_library_load_data (next->str, next->len, "revision 15", &error);
  g_assert_no_error (error);
  plant_link = tacit_store_open (fixture->db_path, &error);
  g_assert_no_error (error);
  g_assert_true (tacit_store_import_library (plant_link, library, admin, &error));
  g_assert_no_error (error);

  inject (fixture, 60, "press-3", TACIT_KIND_EVENT, "material_lot", "4470", NULL);
  inject (fixture, 61, "press-3", TACIT_KIND_EVENT, "material_lot", "4471", NULL);
  wait_for (fixture, n_cards_is, GUINT_TO_POINTER (2), "a card from revision 15");
  g_assert_cmpint (query_int (fixture, "SELECT count (*) FROM suggestions"), ==, 2);
  g_assert_cmpint (query_int (fixture, "SELECT library_revision FROM suggestions ORDER BY time DESC LIMIT 1"), ==, 15);
  g_assert_cmpint (query_int (fixture, "SELECT library_revision FROM suggestions ORDER BY time LIMIT 1"), ==, 14);
  /* The text and the revision of each suggestion belong together. */
  g_assert_cmpint (query_int (fixture, "SELECT count (*) FROM suggestions WHERE library_revision = 15"
                                       " AND text LIKE '%(library 15)%' AND revision = 3"), ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT count (*) FROM suggestions WHERE library_revision = 14"
                                       " AND text NOT LIKE '%(library 15)%' AND revision = 2"), ==, 1);
  g_assert_true (find_label (tacit_kiosk_window_get_card (fixture->window, 0), "(library 15)"));
}

/* Live events stored by another connection (as tacit-cli listen or the
 * kiosk's sources store them) reach the kiosk's engine and feed. */
static void
test_live_events (Fixture      *fixture,
                  gconstpointer data)
{
  g_autoptr(TacitStore) listen = NULL;
  g_autoptr(GError) error = NULL;
  TacitEvent events[] = {
    { T0, "press-3", TACIT_KIND_SAMPLE, "oil_temp", "25.5", NULL, NULL },
    { T0 + G_USEC_PER_SEC, "press-3", TACIT_KIND_EVENT, "material_lot", "4471", NULL, NULL },
  };

  sign_in (fixture, "117", "1234");
  wait_for (fixture, page_is, "live", "the live page");
  listen = tacit_store_open (fixture->db_path, &error);
  g_assert_no_error (error);
  g_assert_true (tacit_store_insert_events (listen, events, G_N_ELEMENTS (events), NULL, &error));
  g_assert_no_error (error);
  wait_for (fixture, n_cards_is, GUINT_TO_POINTER (1), "a card from a live event");
  g_assert_cmpstr (card_rule (fixture, 0), ==, "lot-4471-runs-hard");
  g_assert_cmpuint (g_list_model_get_n_items (tacit_kiosk_window_get_events (fixture->window)), ==, 2);
  g_assert_cmpstr (tacit_machine_card_get_state (TACIT_MACHINE_CARD (
                     tacit_kiosk_window_get_machine_card (fixture->window, "press-3"))), ==, "running");
  /* Injected and live events share one engine: the lot's state holds. */
  inject (fixture, 2, "press-3", TACIT_KIND_CONDITION, "hydraulic", "fault", "E1234");
  wait_for (fixture, n_cards_is, GUINT_TO_POINTER (2), "E1234 with the live oil temperature");
  g_assert_cmpstr (card_rule (fixture, 0), ==, "e1234-cold-oil-false-alarm");
}

static void
sources_state_cb (TacitKioskSources *sources,
                  guint              index,
                  guint              state,
                  const char        *message,
                  TacitKioskWindow  *window)
{
  tacit_kiosk_window_set_source_state (window, index, tacit_kiosk_sources_get_label (sources, index),
                                       state, message);
}

static gboolean
agent_reconnecting (Fixture      *fixture,
                    gconstpointer data)
{
  return find_label (GTK_WIDGET (fixture->window), "127.0.0.1:9 · reconnecting");
}

/* GSettings sources: entries checked, each source's state in the strip
 * (nobody listens on port 9 of this machine: the agent is retried). */
static void
test_sources (Fixture      *fixture,
              gconstpointer data)
{
  const char *const bad[] = { "http://127.0.0.1:9", "ftp://files.example.com/shift.csv", NULL };
  const char *const entries[] = { "http://127.0.0.1:9", "mqtt://127.0.0.1:9 plant/+/events",
                                  "mqtt://127.0.0.1:9/line-2/#", NULL };
  g_autoptr(TacitKioskSources) sources = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_null (tacit_kiosk_sources_new (fixture->db_path, bad, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "ftp://files.example.com/shift.csv"));
  g_clear_error (&error);
  sources = tacit_kiosk_sources_new (fixture->db_path, entries, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tacit_kiosk_sources_get_n (sources), ==, 3);
  g_assert_cmpstr (tacit_kiosk_sources_get_label (sources, 0), ==, "127.0.0.1:9");
  g_assert_cmpstr (tacit_kiosk_sources_get_label (sources, 1), ==, "127.0.0.1:9 plant/+/events");
  g_assert_cmpstr (tacit_kiosk_sources_get_label (sources, 2), ==, "127.0.0.1:9 line-2/#");

  sign_in (fixture, "117", "1234");
  wait_for (fixture, page_is, "live", "the live page");
  g_signal_connect_object (sources, "state-changed", G_CALLBACK (sources_state_cb), fixture->window, 0);
  tacit_kiosk_sources_start (sources);
  wait_for (fixture, agent_reconnecting, NULL, "the agent to be retried");
  tacit_ui_test_screenshot (GTK_WIDGET (fixture->window), "kiosk-sources.png");
  tacit_kiosk_sources_stop (sources);
}

/* ---- a live MTConnect agent on loopback ---- */

/* Streams as an agent answers current (oil temperature and the hydraulic
 * condition of press-1) and, with nothing new, sample?from=3. */
static char *
live_agent_streams (gboolean with_observations)
{
  return g_strdup_printf (
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<MTConnectStreams xmlns=\"urn:mtconnect.org:MTConnectStreams:1.3\">\n"
    "<Header creationTime=\"2026-11-02T06:00:05Z\" sender=\"test\" instanceId=\"7\" version=\"1.3.0\""
    " bufferSize=\"8\" nextSequence=\"3\" firstSequence=\"1\" lastSequence=\"2\"/>\n"
    "<Streams><DeviceStream name=\"press-1\" uuid=\"press-1\">"
    "<ComponentStream component=\"Device\" name=\"press-1\" componentId=\"p1\">\n%s"
    "</ComponentStream></DeviceStream></Streams></MTConnectStreams>\n",
    with_observations
      ? "<Samples><Temperature dataItemId=\"p1-oil\" name=\"oil_temp\" timestamp=\"2026-11-02T06:00:01Z\""
        " sequence=\"1\">41.5</Temperature></Samples>\n"
        "<Condition><Normal dataItemId=\"p1-cond\" name=\"hydraulic\" type=\"HYDRAULIC\""
        " timestamp=\"2026-11-02T06:00:02Z\" sequence=\"2\"/></Condition>\n"
      : "");
}

static void
live_agent_handler (SoupServer        *server,
                    SoupServerMessage *msg,
                    const char        *path,
                    GHashTable        *query,
                    gpointer           data)
{
  g_autofree char *body = NULL;

  if (g_str_has_suffix (path, "/probe"))
    {
      g_autofree char *probe_path = tacit_test_data_path ("live/probe.xml");
      g_autofree char *text = NULL;
      g_auto(GStrv) parts = NULL;
      g_autofree char *with_instance = NULL;
      g_auto(GStrv) parts2 = NULL;

      g_assert_true (g_file_get_contents (probe_path, &text, NULL, NULL));
      parts = g_strsplit (text, "@INSTANCE@", -1);
      with_instance = g_strjoinv ("7", parts);
      parts2 = g_strsplit (with_instance, "@BUFFER@", -1);
      body = g_strjoinv ("8", parts2);
    }
  else
    body = live_agent_streams (g_str_has_suffix (path, "/current"));
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "text/xml", SOUP_MEMORY_COPY, body, strlen (body));
}

static gboolean
label_found (Fixture      *fixture,
             gconstpointer text)
{
  return find_label (GTK_WIDGET (fixture->window), text);
}

/* What issue 5 asks the kiosk to show: a live MTConnect source, connected,
 * its observations in the feed and on the machine's card. */
static void
test_live_agent (Fixture      *fixture,
                 gconstpointer data)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(TacitKioskSources) sources = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *connected = NULL;
  const char *entries[2] = { NULL, NULL };
  GSList *uris;

  soup_server_add_handler (server, NULL, live_agent_handler, NULL, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("http://127.0.0.1:%d/", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  entries[0] = url;
  sources = tacit_kiosk_sources_new (fixture->db_path, entries, &error);
  g_assert_no_error (error);

  sign_in (fixture, "117", "1234");
  wait_for (fixture, page_is, "live", "the live page");
  g_signal_connect_object (sources, "state-changed", G_CALLBACK (sources_state_cb), fixture->window, 0);
  tacit_kiosk_sources_start (sources);
  connected = g_strdup_printf ("%s · connected", tacit_kiosk_sources_get_label (sources, 0));
  wait_for (fixture, label_found, connected, "the agent connected in the strip");
  wait_for (fixture, n_events_is, GUINT_TO_POINTER (2), "the agent's two observations in the feed");
  g_assert_cmpstr (tacit_machine_card_get_state (TACIT_MACHINE_CARD (
                     tacit_kiosk_window_get_machine_card (fixture->window, "press-1"))), ==, "running");
  g_assert_cmpint (query_int (fixture, "SELECT count (*) FROM events e JOIN machines m ON m.num = e.machine"
                                       " WHERE m.id = 'press-1' AND e.item = 'oil_temp' AND e.value = '41.5'"), ==, 1);
  tacit_ui_test_screenshot (GTK_WIDGET (fixture->window), "kiosk-live-agent.png");
  tacit_kiosk_sources_stop (sources);
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
  g_test_add ("/kiosk/machine-state", Fixture, NULL, fixture_setup, test_machine_state, fixture_teardown);
  g_test_add ("/kiosk/shelve", Fixture, NULL, fixture_setup, test_shelve, fixture_teardown);
  g_test_add ("/kiosk/expiry", Fixture, NULL, fixture_setup, test_expiry, fixture_teardown);
  g_test_add ("/kiosk/capture-action", Fixture, NULL, fixture_setup, test_capture_action, fixture_teardown);
  g_test_add ("/kiosk/held-list", Fixture, NULL, fixture_setup, test_held_list, fixture_teardown);
  g_test_add ("/kiosk/station", Fixture, NULL, fixture_setup, test_station, fixture_teardown);
  g_test_add ("/kiosk/sent-back", Fixture, NULL, fixture_setup, test_sent_back, fixture_teardown);
  g_test_add ("/kiosk/library-revision", Fixture, NULL, fixture_setup, test_library_revision, fixture_teardown);
  g_test_add ("/kiosk/live-events", Fixture, NULL, fixture_setup, test_live_events, fixture_teardown);
  g_test_add ("/kiosk/sources", Fixture, NULL, fixture_setup, test_sources, fixture_teardown);
  g_test_add ("/kiosk/live-agent", Fixture, NULL, fixture_setup, test_live_agent, fixture_teardown);
  demo_shift = tacit_demo_find_file ("shift.csv");
  g_test_add ("/kiosk/demo-shift", Fixture, demo_shift, fixture_setup, test_demo_shift, fixture_teardown);
  return g_test_run ();
}
