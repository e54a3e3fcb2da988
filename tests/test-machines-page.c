/* test-machines-page.c: mapping devices to class and cell on the desktop.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "tacit-machines-page.h"
#include "tacit-test-utils.h"
#include "tacit-ui-test-utils.h"

typedef struct {
  char       *dir;
  TacitStore *store;
  GtkWindow  *window;
  GtkWidget  *page;
} Fixture;

static void
put (TacitStore *store,
     const char *id)
{
  g_autoptr(GError) error = NULL;
  TacitMachine machine = { (char *) id, NULL, NULL, NULL };

  g_assert_true (tacit_store_put_machine (store, &machine, &error));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  actor_id)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  f->dir = tacit_test_tmpdir ();
  path = g_build_filename (f->dir, "machines.db", NULL);
  f->store = tacit_store_open (path, &error);
  g_assert_no_error (error);
  /* As probe documents and MQTT events register them: ids only. */
  put (f->store, "Mazak-VTC-200");
  put (f->store, "press-7");
  put (f->store, "press-8");
  f->page = tacit_machines_page_new (f->store, tacit_test_actor (actor_id));
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1440, 900);
  gtk_window_set_child (f->window, f->page);
  gtk_window_present (f->window);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (f->window);
  g_clear_object (&f->store);
  g_free (f->dir);
}

static GtkSingleSelection *
selection (Fixture *f)
{
  GtkListView *view = GTK_LIST_VIEW (tacit_ui_test_find (f->page, GTK_TYPE_LIST_VIEW, NULL));

  return GTK_SINGLE_SELECTION (gtk_list_view_get_model (view));
}

static void
set_row (Fixture    *f,
         const char *title,
         const char *text)
{
  GtkWidget *row = f->page;

  for (GtkWidget *w = tacit_ui_test_find (f->page, ADW_TYPE_ENTRY_ROW, NULL); w != NULL;
       w = gtk_widget_get_next_sibling (w))
    if (ADW_IS_ENTRY_ROW (w) && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (w)), title) == 0)
      row = w;
  g_assert_true (ADW_IS_ENTRY_ROW (row));
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static char *
stored_cell (Fixture    *f,
             const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) machines = tacit_store_list_machines (f->store, &error);

  for (guint i = 0; i < machines->len; i++)
    {
      const TacitMachine *m = g_ptr_array_index (machines, i);

      if (g_strcmp0 (m->id, id) == 0)
        return g_strdup_printf ("%s/%s", m->class_name ? m->class_name : "-", m->cell ? m->cell : "-");
    }
  return NULL;
}

static gboolean
two_rows (gpointer sel)
{
  return g_list_model_get_n_items (G_LIST_MODEL (sel)) == 2;
}

static gboolean
three_rows (gpointer sel)
{
  return g_list_model_get_n_items (G_LIST_MODEL (sel)) == 3;
}

static void
test_map_device (Fixture       *f,
                 gconstpointer  data)
{
  GtkSingleSelection *sel = selection (f);
  GtkSearchEntry *search = GTK_SEARCH_ENTRY (tacit_ui_test_find (f->page, GTK_TYPE_SEARCH_ENTRY, NULL));
  g_autofree char *cell = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sel)), ==, 3);
  gtk_editable_set_text (GTK_EDITABLE (search), "press");
  tacit_ui_test_wait_for (two_rows, sel, "the filter to keep the two presses");   /* search-changed is delayed */
  gtk_editable_set_text (GTK_EDITABLE (search), "");
  tacit_ui_test_wait_for (three_rows, sel, "the filter to be cleared");

  gtk_single_selection_set_selected (sel, 0);   /* Mazak-VTC-200: sorted by id */
  set_row (f, "Class", "vmc");
  set_row (f, "Cell (station)", "machining");
  g_assert_true (gtk_widget_activate_action (f->page, "machines.save", NULL));
  cell = stored_cell (f, "Mazak-VTC-200");
  g_assert_cmpstr (cell, ==, "vmc/machining");
  g_assert_nonnull (tacit_ui_test_find (f->page, GTK_TYPE_LABEL, "Saved Mazak-VTC-200."));
  /* The list shows the new mapping and keeps the machine selected. */
  g_assert_nonnull (tacit_ui_test_find (f->page, GTK_TYPE_LABEL, "Class vmc · cell machining"));
  g_assert_cmpuint (gtk_single_selection_get_selected (sel), ==, 0);
  tacit_ui_test_screenshot (GTK_WIDGET (f->window), "desktop-machines.png");
}

static void
test_operator_refused (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *cell = NULL;

  gtk_single_selection_set_selected (selection (f), 1);
  set_row (f, "Cell (station)", "somewhere");
  gtk_widget_activate_action (f->page, "machines.save", NULL);
  cell = stored_cell (f, "press-7");
  g_assert_cmpstr (cell, ==, "-/-");
  g_assert_nonnull (tacit_ui_test_find (f->page, GTK_TYPE_LABEL,
                                        "Person 117 (badge 117) is an operator: only an engineer may edit rules"));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add ("/machines-page/map-device", Fixture, "eng-4", fixture_set_up, test_map_device, fixture_tear_down);
  g_test_add ("/machines-page/operator-refused", Fixture, "op-117", fixture_set_up, test_operator_refused,
              fixture_tear_down);
  return g_test_run ();
}
