/* tacit-desktop-window.c: the engineer desktop.
 *
 * Nothing but the sign-in form shows until an engineer has signed in;
 * the TacitOperator it returns is the actor of every change made here
 * (the store enforces the role too). The library view is a GtkColumnView
 * over TacitRuleListModel, which filters compact rule_index summaries in
 * memory per keystroke; column header sorting is read back from the
 * column view's sorter and applied by the model (GTK 4.8 has no API for
 * the primary sort column, see sort_changed_cb).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-desktop-window.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tacit-backtest-page.h"
#include "tacit-event-import-window.h"
#include "tacit-library-import.h"
#include "tacit-machines-page.h"
#include "tacit-operators.h"
#include "tacit-pin-check.h"
#include "tacit-review-page.h"
#include "tacit-rule-list-model.h"
#include "tacit-sources-page.h"

#define STATION "desktop"

typedef enum {
  FILTER_STATUS,
  FILTER_KIND,
  FILTER_SCOPE,
  FILTER_AUTHOR,
  FILTER_TAG,
  N_FILTERS
} FilterId;

struct _TacitDesktopWindow
{
  AdwApplicationWindow parent_instance;

  TacitStore          *store;
  TacitOperator       *actor;
  TacitRuleListModel  *rules;
  GtkSingleSelection  *selection;
  GCancellable        *checking;
  GtkDropDown         *filters[N_FILTERS];
  GStrv                filter_values[N_FILTERS];   /* [0] is "any": NULL */
  GtkColumnViewColumn *columns[TACIT_RULE_N_COLUMNS];
  int                  probe[TACIT_RULE_N_COLUMNS]; /* see sort_changed_cb */
  GObject             *probe_a;
  GObject             *probe_b;
  TacitRuleEditor     *editor;
  GtkWidget           *review_page;
  GtkWidget           *machines_page;

  AdwToastOverlay     *toast_overlay;
  GtkStack            *main_stack;
  AdwEntryRow         *badge_row;
  AdwPasswordEntryRow *pin_row;
  GtkLabel            *signin_error;
  GtkWidget           *signin_button;
  GtkLabel            *hint_label;
  AdwViewStack        *view_stack;
  GtkLabel            *user_label;
  GtkSearchEntry      *search_entry;
  GtkLabel            *count_label;
  GtkBox              *filter_box;
  GtkColumnView       *rules_view;
  GtkStack            *editor_stack;
};

G_DEFINE_FINAL_TYPE (TacitDesktopWindow, tacit_desktop_window, ADW_TYPE_APPLICATION_WINDOW)

static void page_changed_cb (TacitDesktopWindow *self);

static void
toast (TacitDesktopWindow *self,
       const char         *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

/* ---- library view: filters ---- */

static const char *const statuses[] = { "draft", "proposed", "approved", "retired", NULL };
static const char *const kinds[] = {
  "process-hack", "material-note", "override", "alarm-response", "quality-check", NULL
};

static void
update_count (TacitDesktopWindow *self)
{
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->rules));
  guint total = tacit_rule_list_model_get_n_total (self->rules);
  g_autofree char *text = g_strdup_printf (_("%u of %u rules"), shown, total);

  gtk_label_set_label (self->count_label, text);
}

static const char *
filter_value (TacitDesktopWindow *self,
              FilterId            id)
{
  guint selected = gtk_drop_down_get_selected (self->filters[id]);

  if (selected == 0 || selected == GTK_INVALID_LIST_POSITION || self->filter_values[id] == NULL ||
      selected > g_strv_length (self->filter_values[id]))
    return NULL;
  return self->filter_values[id][selected - 1];
}

static void
apply_filter (TacitDesktopWindow *self)
{
  TacitRuleFilter filter = { 0 };
  const char *scope = filter_value (self, FILTER_SCOPE);

  filter.text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  filter.status = filter_value (self, FILTER_STATUS);
  filter.kind = filter_value (self, FILTER_KIND);
  filter.author = filter_value (self, FILTER_AUTHOR);
  filter.tag = filter_value (self, FILTER_TAG);
  if (scope != NULL)
    {
      const char *colon = strchr (scope, ':');

      filter.scope_type = g_str_has_prefix (scope, "machine:") ? TACIT_SCOPE_FILTER_MACHINE
                        : g_str_has_prefix (scope, "class:") ? TACIT_SCOPE_FILTER_CLASS
                        : TACIT_SCOPE_FILTER_CELL;
      filter.scope_value = colon + 1;
    }
  tacit_rule_list_model_set_filter (self->rules, &filter);
  update_count (self);
}

/* Replaces the choices of a filter, keeping the chosen value if it is
 * still there. */
static void
set_filter_values (TacitDesktopWindow *self,
                   FilterId            id,
                   const char         *any_label,
                   GStrv               values)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  g_autofree char *chosen = g_strdup (filter_value (self, id));
  guint selected = 0;

  gtk_string_list_append (labels, any_label);
  for (guint i = 0; values[i] != NULL; i++)
    {
      g_autofree char *label = g_strdup (values[i]);
      char *colon = strchr (label, ':');

      if (colon != NULL)
        *colon = ' ';
      gtk_string_list_append (labels, label);
      if (g_strcmp0 (values[i], chosen) == 0)
        selected = i + 1;
    }
  g_strfreev (self->filter_values[id]);
  self->filter_values[id] = values;
  g_signal_handlers_block_by_func (self->filters[id], apply_filter, self);
  gtk_drop_down_set_model (self->filters[id], G_LIST_MODEL (labels));
  gtk_drop_down_set_selected (self->filters[id], selected);
  g_signal_handlers_unblock_by_func (self->filters[id], apply_filter, self);
}

static void
refresh_filter_choices (TacitDesktopWindow *self)
{
  set_filter_values (self, FILTER_STATUS, _("Any status"), g_strdupv ((char **) statuses));
  set_filter_values (self, FILTER_KIND, _("Any kind"), g_strdupv ((char **) kinds));
  set_filter_values (self, FILTER_SCOPE, _("Any scope"),
                     tacit_rule_list_model_dup_values (self->rules, TACIT_RULE_COLUMN_SCOPE));
  set_filter_values (self, FILTER_AUTHOR, _("Any author"),
                     tacit_rule_list_model_dup_values (self->rules, TACIT_RULE_COLUMN_AUTHOR));
  set_filter_values (self, FILTER_TAG, _("Any tag"),
                     tacit_rule_list_model_dup_values (self->rules, TACIT_RULE_COLUMN_TAGS));
}

static void
create_filters (TacitDesktopWindow *self)
{
  static const char *const names[N_FILTERS] = {
    N_("Status"), N_("Kind"), N_("Machine, class or cell"), N_("Author"), N_("Tag")
  };

  for (guint i = 0; i < N_FILTERS; i++)
    {
      GtkDropDown *drop_down = GTK_DROP_DOWN (gtk_drop_down_new (NULL, NULL));

      gtk_accessible_update_property (GTK_ACCESSIBLE (drop_down), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _(names[i]), -1);
      gtk_widget_set_tooltip_text (GTK_WIDGET (drop_down), _(names[i]));
      gtk_drop_down_set_enable_search (drop_down, i >= FILTER_SCOPE);
      g_signal_connect_swapped (drop_down, "notify::selected", G_CALLBACK (apply_filter), self);
      gtk_box_append (self->filter_box, GTK_WIDGET (drop_down));
      self->filters[i] = drop_down;
    }
}

/* ---- library view: columns ---- */

static void
cell_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  column)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
cell_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  data)
{
  TacitRuleColumn column = GPOINTER_TO_UINT (data);
  TacitRuleItem *rule = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *text = tacit_rule_item_dup_column (rule, column);
  const char *old_class = g_object_get_data (G_OBJECT (label), "badge-class");

  gtk_label_set_label (GTK_LABEL (label), text);
  gtk_widget_set_tooltip_text (label, column == TACIT_RULE_COLUMN_TITLE ||
                                      column == TACIT_RULE_COLUMN_TRIGGER ||
                                      column == TACIT_RULE_COLUMN_SCOPE ? text : NULL);
  /* Status and severity as coloured badges (the word stays: colour is
   * never the only cue). */
  if (column == TACIT_RULE_COLUMN_STATUS || column == TACIT_RULE_COLUMN_SEVERITY)
    {
      g_autofree char *css = g_strdup_printf ("desk-badge-%s", text);

      if (old_class != NULL)
        gtk_widget_remove_css_class (label, old_class);
      gtk_widget_add_css_class (label, "desk-badge");
      gtk_widget_add_css_class (label, css);
      g_object_set_data_full (G_OBJECT (label), "badge-class", g_steal_pointer (&css), g_free);
      gtk_widget_set_halign (label, GTK_ALIGN_START);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_NONE);
    }
}

typedef struct {
  TacitDesktopWindow *self;
  TacitRuleColumn     column;
} ProbeData;

/* Column sorters are only ever asked by sort_changed_cb's probe. */
static int
probe_compare_cb (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  ProbeData *data = user_data;

  return data->self->probe[data->column];
}

static void
add_column (TacitDesktopWindow *self,
            TacitRuleColumn     column,
            const char         *title,
            int                 width)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) col = NULL;
  ProbeData *probe = g_new0 (ProbeData, 1);
  GtkSorter *sorter;

  probe->self = self;
  probe->column = column;
  g_signal_connect (factory, "setup", G_CALLBACK (cell_setup_cb), GUINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (cell_bind_cb), GUINT_TO_POINTER (column));
  col = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_resizable (col, TRUE);
  if (width > 0)
    gtk_column_view_column_set_fixed_width (col, width);
  else
    gtk_column_view_column_set_expand (col, TRUE);
  sorter = GTK_SORTER (gtk_custom_sorter_new (probe_compare_cb, probe, g_free));
  gtk_column_view_column_set_sorter (col, sorter);
  g_object_unref (sorter);
  gtk_column_view_append_column (self->rules_view, col);
  self->columns[column] = col;
}

static int
probe_sorter (TacitDesktopWindow *self)
{
  return gtk_sorter_compare (gtk_column_view_get_sorter (self->rules_view),
                             self->probe_a, self->probe_b);
}

/* GTK 4.8 cannot say which column the view is sorted by, but its sorter
 * can be asked: make one column's sorter answer "smaller" and the others
 * "equal" to learn whether (and which way) that column sorts; then make
 * it answer in its direction and the others against theirs to learn
 * whether it comes first. */
static void
sort_changed_cb (TacitDesktopWindow *self)
{
  int direction[TACIT_RULE_N_COLUMNS] = { 0 };
  TacitRuleColumn primary = TACIT_RULE_COLUMN_ID;
  gboolean descending = FALSE;
  guint n_sorted = 0;

  for (guint k = 0; k < TACIT_RULE_N_COLUMNS; k++)
    {
      for (guint j = 0; j < TACIT_RULE_N_COLUMNS; j++)
        self->probe[j] = j == k ? GTK_ORDERING_SMALLER : GTK_ORDERING_EQUAL;
      direction[k] = probe_sorter (self);   /* -1 ascending, 1 descending */
      n_sorted += direction[k] != 0;
    }
  for (guint k = 0; k < TACIT_RULE_N_COLUMNS && n_sorted > 0; k++)
    {
      if (direction[k] == 0)
        continue;
      for (guint j = 0; j < TACIT_RULE_N_COLUMNS; j++)
        self->probe[j] = j == k ? direction[k] : -direction[j];
      if (probe_sorter (self) == GTK_ORDERING_SMALLER)
        {
          primary = k;
          descending = direction[k] > 0;
          break;
        }
    }
  memset (self->probe, 0, sizeof self->probe);
  tacit_rule_list_model_set_sort (self->rules, primary, descending);
  update_count (self);
}

static void
create_columns (TacitDesktopWindow *self)
{
  add_column (self, TACIT_RULE_COLUMN_TITLE, _("Title"), 300);
  add_column (self, TACIT_RULE_COLUMN_ID, _("Id"), 180);
  add_column (self, TACIT_RULE_COLUMN_STATUS, _("Status"), 110);
  add_column (self, TACIT_RULE_COLUMN_KIND, _("Kind"), 124);
  add_column (self, TACIT_RULE_COLUMN_SEVERITY, _("Severity"), 100);
  add_column (self, TACIT_RULE_COLUMN_SCOPE, _("Scope"), 130);
  add_column (self, TACIT_RULE_COLUMN_TRIGGER, _("Trigger"), 190);
  add_column (self, TACIT_RULE_COLUMN_AUTHOR, _("Author"), 80);
  add_column (self, TACIT_RULE_COLUMN_TAGS, _("Tags"), 130);
  add_column (self, TACIT_RULE_COLUMN_REVISION, _("Rev."), 52);
  add_column (self, TACIT_RULE_COLUMN_SAVED, _("Saved"), 130);
  self->probe_a = g_object_new (G_TYPE_OBJECT, NULL);
  self->probe_b = g_object_new (G_TYPE_OBJECT, NULL);
  g_signal_connect_object (gtk_column_view_get_sorter (self->rules_view), "changed",
                           G_CALLBACK (sort_changed_cb), self, G_CONNECT_SWAPPED);
}

/* ---- library view: rows and editor ---- */

void
tacit_desktop_window_reload (TacitDesktopWindow *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (TACIT_IS_DESKTOP_WINDOW (self));

  if (!tacit_rule_list_model_load (self->rules, self->store, &error))
    {
      toast (self, error->message);
      return;
    }
  refresh_filter_choices (self);
  apply_filter (self);
}

gboolean
tacit_desktop_window_open_rule (TacitDesktopWindow *self,
                                const char         *rule_id)
{
  g_autoptr(GError) error = NULL;
  guint position;

  g_return_val_if_fail (TACIT_IS_DESKTOP_WINDOW (self), FALSE);

  if (self->editor == NULL)
    return FALSE;
  if (!tacit_rule_editor_load (self->editor, rule_id, &error))
    {
      toast (self, error->message);
      return FALSE;
    }
  gtk_stack_set_visible_child_name (self->editor_stack, "editor");
  position = tacit_rule_list_model_find (self->rules, rule_id);
  if (position != G_MAXUINT)
    gtk_single_selection_set_selected (self->selection, position);
  return TRUE;
}

static void
row_activated_cb (TacitDesktopWindow *self,
                  guint               position)
{
  g_autoptr(TacitRuleItem) item = g_list_model_get_item (G_LIST_MODEL (self->rules), position);

  if (item != NULL)
    tacit_desktop_window_open_rule (self, tacit_rule_item_get_summary (item)->id);
}

static void
rule_saved_cb (TacitDesktopWindow *self,
               const char         *rule_id,
               guint               revision)
{
  g_autofree char *text = g_strdup_printf (_("Saved %s as revision %u"), rule_id, revision);
  guint position;

  tacit_desktop_window_reload (self);
  tacit_review_page_reload (TACIT_REVIEW_PAGE (self->review_page));
  position = tacit_rule_list_model_find (self->rules, rule_id);
  if (position != G_MAXUINT)
    gtk_single_selection_set_selected (self->selection, position);
  toast (self, text);
}

/* ---- pages ---- */

/* A review decision made a new revision: the library shows it. */
static void
review_decided_cb (TacitDesktopWindow *self,
                   const char         *done)
{
  tacit_desktop_window_reload (self);
  if (done != NULL && *done != '\0')
    toast (self, done);
}

static void
add_pages (TacitDesktopWindow *self)
{
  AdwViewStackPage *page;

  self->review_page = tacit_review_page_new (self->store, self->actor);
  page = adw_view_stack_add_titled_with_icon (self->view_stack, self->review_page,
                                              "review", _("_Review"), "emblem-ok-symbolic");
  adw_view_stack_page_set_use_underline (page, TRUE);
  page = adw_view_stack_add_titled_with_icon (self->view_stack, tacit_backtest_page_new (self->store, self->actor),
                                              "backtest", _("_Backtest"), "media-playlist-repeat-symbolic");
  adw_view_stack_page_set_use_underline (page, TRUE);
  page = adw_view_stack_add_titled_with_icon (self->view_stack, tacit_sources_page_new (self->store),
                                              "sources", _("S_ources"), "network-wired-symbolic");
  adw_view_stack_page_set_use_underline (page, TRUE);
  self->machines_page = tacit_machines_page_new (self->store, self->actor);
  page = adw_view_stack_add_titled_with_icon (self->view_stack, self->machines_page,
                                              "machines", _("_Machines"), "network-server-symbolic");
  adw_view_stack_page_set_use_underline (page, TRUE);
  g_signal_connect_object (self->review_page, "decided", G_CALLBACK (review_decided_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
signed_in (TacitDesktopWindow *self,
           TacitOperator      *op)
{
  g_autofree char *actor_id = tacit_operator_dup_actor_id (op);
  g_autofree char *who = NULL;

  self->actor = op;
  who = g_strdup_printf ("%s (%s)", op->name, actor_id);
  gtk_label_set_label (self->user_label, who);
  self->editor = TACIT_RULE_EDITOR (tacit_rule_editor_new (self->store, self->actor));
  gtk_stack_add_named (self->editor_stack, GTK_WIDGET (self->editor), "editor");
  g_signal_connect_object (self->editor, "saved", G_CALLBACK (rule_saved_cb), self, G_CONNECT_SWAPPED);
  add_pages (self);
  tacit_desktop_window_reload (self);
  g_signal_connect_object (self->view_stack, "notify::visible-child-name",
                           G_CALLBACK (page_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_stack_set_visible_child_name (self->main_stack, "desk");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* ---- sign-in ---- */

static void
signin_error (TacitDesktopWindow *self,
              const char         *message)
{
  gtk_label_set_label (self->signin_error, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->signin_error), message != NULL);
}

static void
verify_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  TacitDesktopWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitOperator) op = tacit_pin_check_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->checking);
  gtk_widget_set_sensitive (self->signin_button, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->pin_row), "");
  if (op != NULL && op->role != TACIT_ROLE_ENGINEER)
    {
      signin_error (self, _("This desktop is for engineers. Operators sign in at a kiosk."));
      return;
    }
  if (op != NULL)
    {
      signin_error (self, NULL);
      signed_in (self, g_steal_pointer (&op));
      return;
    }
  signin_error (self, error->message);
  gtk_widget_grab_focus (GTK_WIDGET (self->pin_row));
}

static void
sign_in_cb (GSimpleAction *action,
            GVariant      *parameter,
            gpointer       user_data)
{
  TacitDesktopWindow *self = user_data;
  const char *badge = gtk_editable_get_text (GTK_EDITABLE (self->badge_row));
  const char *pin = gtk_editable_get_text (GTK_EDITABLE (self->pin_row));

  if (self->checking != NULL || self->actor != NULL)
    return;
  if (*badge == '\0')
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->badge_row));
      return;
    }
  if (*pin == '\0')
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->pin_row));
      return;
    }
  signin_error (self, NULL);
  gtk_widget_set_sensitive (self->signin_button, FALSE);
  self->checking = g_cancellable_new ();
  tacit_pin_check_async (self->store, badge, pin, STATION, self->checking, verify_done_cb, self);
}

static void
badge_activated_cb (TacitDesktopWindow *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->pin_row));
}

static void
pin_activated_cb (TacitDesktopWindow *self)
{
  g_action_group_activate_action (G_ACTION_GROUP (self), "sign-in", NULL);
}

/* ---- window actions ---- */

static gboolean
at_desk (TacitDesktopWindow *self)
{
  return self->actor != NULL;
}

static void
find_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  TacitDesktopWindow *self = user_data;

  if (!at_desk (self))
    return;
  adw_view_stack_set_visible_child_name (self->view_stack, "library");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
new_rule_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  TacitDesktopWindow *self = user_data;

  if (!at_desk (self))
    return;
  adw_view_stack_set_visible_child_name (self->view_stack, "library");
  gtk_stack_set_visible_child_name (self->editor_stack, "editor");
  tacit_rule_editor_new_rule (self->editor);
}

static void
save_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  TacitDesktopWindow *self = user_data;

  if (at_desk (self) && g_strcmp0 (gtk_stack_get_visible_child_name (self->editor_stack), "editor") == 0)
    gtk_widget_activate_action (GTK_WIDGET (self->editor), "editor.save", NULL);
}

static void
transfer_done_cb (TacitDesktopWindow *self)
{
  tacit_desktop_window_reload (self);
  tacit_review_page_reload (TACIT_REVIEW_PAGE (self->review_page));
}

/* Decisions on the review page change rules: the library shows them when
 * it comes back into view. */
static void
page_changed_cb (TacitDesktopWindow *self)
{
  if (self->actor != NULL &&
      g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "library") == 0)
    tacit_desktop_window_reload (self);
}

static void
import_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  TacitDesktopWindow *self = user_data;
  GtkWindow *window;

  if (!at_desk (self))
    return;
  window = tacit_library_import_new (self->store, self->actor, GTK_WINDOW (self));
  g_signal_connect_object (window, "done", G_CALLBACK (transfer_done_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (window);
}

static void
export_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  TacitDesktopWindow *self = user_data;

  if (at_desk (self))
    gtk_window_present (tacit_library_export_new (self->store, self->actor, GTK_WINDOW (self)));
}

/* New history: machines may have appeared; backtests read it when run. */
static void
events_imported_cb (TacitDesktopWindow *self)
{
  tacit_machines_page_reload (TACIT_MACHINES_PAGE (self->machines_page));
}

static void
import_events_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  TacitDesktopWindow *self = user_data;
  TacitEventImportWindow *window;

  if (!at_desk (self))
    return;
  window = tacit_event_import_window_new (GTK_WINDOW (self), self->store, self->actor);
  g_signal_connect_object (window, "imported", G_CALLBACK (events_imported_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (window));
}

static void
page_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  TacitDesktopWindow *self = user_data;
  const char *page = g_variant_get_string (parameter, NULL);

  if (at_desk (self) && adw_view_stack_get_child_by_name (self->view_stack, page) != NULL)
    adw_view_stack_set_visible_child_name (self->view_stack, page);
}

static void
sign_out_cb (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  TacitDesktopWindow *self = user_data;
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  TacitDesktopWindow *fresh;

  if (!at_desk (self))
    return;
  /* A fresh window: nothing of this engineer's session stays behind. */
  fresh = tacit_desktop_window_new (app, self->store);
  if (gtk_label_get_label (self->hint_label) != NULL)
    tacit_desktop_window_set_hint (fresh, gtk_label_get_label (self->hint_label));
  gtk_window_present (GTK_WINDOW (fresh));
  gtk_window_destroy (GTK_WINDOW (self));
}

static const GActionEntry win_actions[] = {
  { "sign-in", sign_in_cb },
  { "find", find_cb },
  { "new-rule", new_rule_cb },
  { "save", save_cb },
  { "import", import_cb },
  { "import-events", import_events_cb },
  { "export", export_cb },
  { "page", page_cb, "s" },
  { "sign-out", sign_out_cb },
};

static void
set_accels (GtkApplication *app)
{
  static const struct { const char *action; const char *accel; } accels[] = {
    { "win.find", "<Control>f" },
    { "win.new-rule", "<Control>n" },
    { "win.save", "<Control>s" },
    { "win.import", "<Control>i" },
    { "win.export", "<Control>e" },
    { "win.page::library", "<Control>1" },
    { "win.page::review", "<Control>2" },
    { "win.page::backtest", "<Control>3" },
    { "win.page::sources", "<Control>4" },
    { "win.page::machines", "<Control>5" },
    { "win.import-events", "<Control><Shift>i" },
    { "win.show-help-overlay", "<Control>question" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    {
      const char *list[] = { accels[i].accel, NULL };

      gtk_application_set_accels_for_action (app, accels[i].action, list);
    }
}

/* ---- public ---- */

void
tacit_desktop_window_set_hint (TacitDesktopWindow *self,
                               const char         *hint)
{
  g_return_if_fail (TACIT_IS_DESKTOP_WINDOW (self));
  gtk_label_set_label (self->hint_label, hint);
  gtk_widget_set_visible (GTK_WIDGET (self->hint_label), hint != NULL);
}

const TacitOperator *
tacit_desktop_window_get_actor (TacitDesktopWindow *self)
{
  g_return_val_if_fail (TACIT_IS_DESKTOP_WINDOW (self), NULL);
  return self->actor;
}

const char *
tacit_desktop_window_get_page (TacitDesktopWindow *self)
{
  g_return_val_if_fail (TACIT_IS_DESKTOP_WINDOW (self), NULL);
  if (self->actor == NULL)
    return "signin";
  return adw_view_stack_get_visible_child_name (self->view_stack);
}

GListModel *
tacit_desktop_window_get_rules (TacitDesktopWindow *self)
{
  g_return_val_if_fail (TACIT_IS_DESKTOP_WINDOW (self), NULL);
  return G_LIST_MODEL (self->rules);
}

TacitRuleEditor *
tacit_desktop_window_get_editor (TacitDesktopWindow *self)
{
  g_return_val_if_fail (TACIT_IS_DESKTOP_WINDOW (self), NULL);
  return self->editor;
}

/* ---- class ---- */

static void
tacit_desktop_window_dispose (GObject *object)
{
  TacitDesktopWindow *self = TACIT_DESKTOP_WINDOW (object);

  if (self->checking != NULL)
    g_cancellable_cancel (self->checking);
  g_clear_object (&self->checking);
  /* Tearing the column view down changes its sorter: not ours to follow. */
  if (self->rules_view != NULL)
    g_signal_handlers_disconnect_by_data (gtk_column_view_get_sorter (self->rules_view), self);
  G_OBJECT_CLASS (tacit_desktop_window_parent_class)->dispose (object);
}

static void
tacit_desktop_window_finalize (GObject *object)
{
  TacitDesktopWindow *self = TACIT_DESKTOP_WINDOW (object);

  g_clear_object (&self->store);
  g_clear_object (&self->rules);
  g_clear_object (&self->selection);
  g_clear_object (&self->probe_a);
  g_clear_object (&self->probe_b);
  g_clear_pointer (&self->actor, tacit_operator_free);
  for (guint i = 0; i < N_FILTERS; i++)
    g_strfreev (self->filter_values[i]);
  G_OBJECT_CLASS (tacit_desktop_window_parent_class)->finalize (object);
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, TacitDesktopWindow, name)

static void
tacit_desktop_window_class_init (TacitDesktopWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tacit_desktop_window_dispose;
  object_class->finalize = tacit_desktop_window_finalize;
  g_type_ensure (TACIT_TYPE_RULE_EDITOR);
  gtk_widget_class_set_template_from_resource (widget_class, "/dev/tacit/Tacit/ui/tacit-desktop-window.ui");
  BIND (toast_overlay);
  BIND (main_stack);
  BIND (badge_row);
  BIND (pin_row);
  BIND (signin_error);
  BIND (signin_button);
  BIND (hint_label);
  BIND (view_stack);
  BIND (user_label);
  BIND (search_entry);
  BIND (count_label);
  BIND (filter_box);
  BIND (rules_view);
  BIND (editor_stack);
}

static void
tacit_desktop_window_init (TacitDesktopWindow *self)
{
  g_autoptr(GtkBuilder) builder = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions, G_N_ELEMENTS (win_actions), self);
  gtk_widget_add_css_class (GTK_WIDGET (self), "desk");
  self->rules = tacit_rule_list_model_new ();
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->rules)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_column_view_set_model (self->rules_view, GTK_SELECTION_MODEL (self->selection));
  create_columns (self);
  create_filters (self);
  g_signal_connect_object (self->rules_view, "activate", G_CALLBACK (row_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "search-changed", G_CALLBACK (apply_filter), self, G_CONNECT_SWAPPED);
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self->rules_view));
  g_signal_connect_object (self->badge_row, "entry-activated", G_CALLBACK (badge_activated_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->pin_row, "entry-activated", G_CALLBACK (pin_activated_cb),
                           self, G_CONNECT_SWAPPED);
  builder = gtk_builder_new_from_resource ("/dev/tacit/Tacit/ui/tacit-shortcuts.ui");
  gtk_application_window_set_help_overlay (GTK_APPLICATION_WINDOW (self),
                                           GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
}

TacitDesktopWindow *
tacit_desktop_window_new (GtkApplication *app,
                          TacitStore     *store)
{
  TacitDesktopWindow *self;

  g_return_val_if_fail (TACIT_IS_STORE (store), NULL);

  self = g_object_new (TACIT_TYPE_DESKTOP_WINDOW, "application", app, NULL);
  self->store = g_object_ref (store);
  if (app != NULL)
    set_accels (app);
  gtk_widget_grab_focus (GTK_WIDGET (self->badge_row));
  return self;
}
