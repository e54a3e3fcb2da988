/* test-event-import.c: importing history on the desktop — a preview of
 * the rows as they would be stored, then an all-or-nothing import off the
 * main thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "tacit-event-import-window.h"
#include "tacit-test-utils.h"
#include "tacit-ui-test-utils.h"

typedef struct {
  char                   *dir;
  TacitStore             *store;
  TacitEventImportWindow *window;
  guint                   imported;
} Fixture;

static void
imported_cb (TacitEventImportWindow *window,
             Fixture                *f)
{
  f->imported++;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  actor_id)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  f->dir = tacit_test_tmpdir ();
  path = g_build_filename (f->dir, "history.db", NULL);
  f->store = tacit_store_open (path, &error);
  g_assert_no_error (error);
  f->window = tacit_event_import_window_new (NULL, f->store, tacit_test_actor (actor_id));
  g_signal_connect (f->window, "imported", G_CALLBACK (imported_cb), f);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1440, 900);
  gtk_window_present (GTK_WINDOW (f->window));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->store);
  g_free (f->dir);
}

static void
set_entry (Fixture    *f,
           const char *title,
           const char *text)
{
  GtkWidget *group = tacit_ui_test_find (GTK_WIDGET (f->window), ADW_TYPE_PREFERENCES_GROUP, NULL);

  for (GtkWidget *row = tacit_ui_test_find (group, ADW_TYPE_ENTRY_ROW, NULL); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ENTRY_ROW (row) && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), title) == 0)
      {
        gtk_editable_set_text (GTK_EDITABLE (row), text);
        return;
      }
  g_error ("no entry row “%s”", title);
}

static void
read_as (Fixture *f,
         guint    position)
{
  adw_combo_row_set_selected (ADW_COMBO_ROW (tacit_ui_test_find (GTK_WIDGET (f->window), ADW_TYPE_COMBO_ROW, NULL)),
                              position);
}

static GtkStack *
result_stack (Fixture *f)
{
  GtkWidget *progress = tacit_ui_test_find (GTK_WIDGET (f->window), GTK_TYPE_PROGRESS_BAR, NULL);
  GtkWidget *w = progress;

  /* The stack after the progress bar and the status label. */
  while (w != NULL && !GTK_IS_STACK (w))
    w = gtk_widget_get_next_sibling (w);
  g_assert_nonnull (w);
  return GTK_STACK (w);
}

static const char *
status_text (Fixture *f)
{
  GtkWidget *progress = tacit_ui_test_find (GTK_WIDGET (f->window), GTK_TYPE_PROGRESS_BAR, NULL);

  return gtk_label_get_label (GTK_LABEL (gtk_widget_get_next_sibling (progress)));
}

static gboolean
idle_again (gpointer data)
{
  Fixture *f = data;

  return gtk_widget_is_sensitive (tacit_ui_test_find (GTK_WIDGET (f->window), GTK_TYPE_BUTTON, "_Preview"));
}

static void
run_action (Fixture    *f,
            const char *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), action, NULL));
  tacit_ui_test_spin (50);
  tacit_ui_test_wait_for (idle_again, f, action);
}

static guint64
stored_events (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  guint64 n = tacit_store_count_events (f->store, &error);

  g_assert_no_error (error);
  return n;
}

static void
test_preview_then_import (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *csv = g_test_build_filename (G_TEST_DIST, "data", "profiles", "historian-wide.csv", NULL);
  g_autofree char *profile = g_test_build_filename (G_TEST_DIST, "data", "profiles", "historian-wide.xml", NULL);
  GtkColumnView *view;
  GListModel *rows;

  set_entry (f, "Files (separate several with ;)", csv);
  read_as (f, 4);   /* import profile */
  set_entry (f, "Import profile (.xml)", profile);
  run_action (f, "import.preview");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (result_stack (f)), ==, "preview");
  view = GTK_COLUMN_VIEW (tacit_ui_test_find (GTK_WIDGET (f->window), GTK_TYPE_COLUMN_VIEW, NULL));
  rows = G_LIST_MODEL (gtk_column_view_get_model (view));
  /* The wide table: one event per non-empty cell, as the CLI's --preview shows. */
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 9);
  g_assert_cmpstr (status_text (f), ==, "The first 9 events as they would be stored. Nothing is stored yet.");
  tacit_ui_test_spin (200);
  g_assert_nonnull (tacit_ui_test_find (GTK_WIDGET (view), GTK_TYPE_LABEL, "2024-03-31T00:30:00.000Z"));
  g_assert_nonnull (tacit_ui_test_find (GTK_WIDGET (view), GTK_TYPE_LABEL, "1020.5"));
  g_assert_cmpuint (stored_events (f), ==, 0);
  tacit_ui_test_screenshot (GTK_WIDGET (f->window), "desktop-events-preview.png");

  run_action (f, "import.run");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (result_stack (f)), ==, "report");
  g_assert_cmpuint (stored_events (f), ==, 9);
  g_assert_cmpuint (f->imported, ==, 1);
  g_assert_true (g_str_has_prefix (status_text (f), "Imported 9 events from 1 file(s), 2024-03-31T00:30:00.000Z"));
  tacit_ui_test_screenshot (GTK_WIDGET (f->window), "desktop-events-report.png");
}

static void
test_bad_file_stores_nothing (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *good = g_test_build_filename (G_TEST_DIST, "data", "events", "valid.csv", NULL);
  g_autofree char *bad = tacit_test_write_file ("bad.csv",
                                                "time,machine,kind,item,value\n"
                                                "2026-11-02T06:00:00Z,press-1,sample,oil_temp,40\n"
                                                "2026-11-02T06:00:01Z,press-1,gauge,oil_temp,41\n", -1);
  g_autofree char *both = g_strdup_printf ("%s; %s", good, bad);

  set_entry (f, "Files (separate several with ;)", both);
  run_action (f, "import.run");
  g_assert_nonnull (strstr (status_text (f), "bad.csv:3"));
  g_assert_cmpuint (stored_events (f), ==, 0);
  g_assert_cmpuint (f->imported, ==, 0);
}

static void
test_operator_refused (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *good = g_test_build_filename (G_TEST_DIST, "data", "events", "valid.csv", NULL);

  set_entry (f, "Files (separate several with ;)", good);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "import.run", NULL));
  g_assert_cmpstr (status_text (f), ==, "Person 117 (badge 117) is an operator: only an engineer may import");
  g_assert_cmpuint (stored_events (f), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add ("/event-import/preview-then-import", Fixture, "eng-4", fixture_set_up,
              test_preview_then_import, fixture_tear_down);
  g_test_add ("/event-import/bad-file-stores-nothing", Fixture, "eng-4", fixture_set_up,
              test_bad_file_stores_nothing, fixture_tear_down);
  g_test_add ("/event-import/operator-refused", Fixture, "op-117", fixture_set_up,
              test_operator_refused, fixture_tear_down);
  return g_test_run ();
}
