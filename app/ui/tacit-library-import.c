/* tacit-library-import.c: library import with preview, and export.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-library-import.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tacit-library-diff.h"
#include "tacit-library-xml.h"

/* ---- preview rows ---- */

#define TACIT_TYPE_CHANGE_ITEM (tacit_change_item_get_type ())
G_DECLARE_FINAL_TYPE (TacitChangeItem, tacit_change_item, TACIT, CHANGE_ITEM, GObject)

struct _TacitChangeItem
{
  GObject         parent_instance;
  TacitChangeKind kind;
  TacitRule      *rule;
  guint           stored_revision;
};

G_DEFINE_FINAL_TYPE (TacitChangeItem, tacit_change_item, G_TYPE_OBJECT)

static void
tacit_change_item_finalize (GObject *object)
{
  g_clear_pointer (&TACIT_CHANGE_ITEM (object)->rule, tacit_rule_unref);
  G_OBJECT_CLASS (tacit_change_item_parent_class)->finalize (object);
}

static void
tacit_change_item_class_init (TacitChangeItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tacit_change_item_finalize;
}

static void
tacit_change_item_init (TacitChangeItem *self)
{
}

/* ---- the window ---- */

typedef enum { MODE_IMPORT, MODE_EXPORT } Mode;

typedef struct {
  char             *db_path;
  char             *file;
  TacitOperator    *actor;
  TacitLibrary     *library;   /* preview result / import input */
  TacitLibraryDiff *diff;
  guint             expected[TACIT_CHANGE_CONFLICT + 1];
} Job;

static void
job_free (Job *job)
{
  g_free (job->db_path);
  g_free (job->file);
  g_clear_pointer (&job->actor, tacit_operator_free);
  g_clear_object (&job->library);
  g_clear_pointer (&job->diff, tacit_library_diff_free);
  g_free (job);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Job, job_free)

struct _TacitLibraryImport
{
  AdwWindow         parent_instance;

  Mode              mode;
  char             *db_path;
  TacitOperator    *actor;
  char             *file;
  TacitLibrary     *library;     /* previewed */
  TacitLibraryDiff *diff;
  char             *message;
  GCancellable     *cancellable;
  guint             pulse_id;
  GListStore       *changes;

  AdwWindowTitle   *window_title;
  GtkWidget        *go_button;
  GtkStack         *stack;
  GtkFileChooser   *chooser;
  GtkLabel         *working_label;
  GtkProgressBar   *progress;
  GtkLabel         *preview_label;
  GtkLabel         *conflict_label;
  GtkColumnView    *changes_view;
  AdwStatusPage    *done_page;
  AdwStatusPage    *error_page;
};

G_DEFINE_FINAL_TYPE (TacitLibraryImport, tacit_library_import, ADW_TYPE_WINDOW)

enum {
  SIGNAL_DONE,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static void
set_message (TacitLibraryImport *self,
             const char         *message)
{
  g_free (self->message);
  self->message = g_strdup (message);
}

static gboolean
pulse_cb (gpointer data)
{
  gtk_progress_bar_pulse (TACIT_LIBRARY_IMPORT (data)->progress);
  return G_SOURCE_CONTINUE;
}

static void
set_stage (TacitLibraryImport *self,
           const char         *stage)
{
  gboolean working = g_str_equal (stage, "working");

  gtk_stack_set_visible_child_name (self->stack, stage);
  if (working && self->pulse_id == 0)
    self->pulse_id = g_timeout_add (100, pulse_cb, self);
  else if (!working)
    g_clear_handle_id (&self->pulse_id, g_source_remove);
  gtk_widget_set_visible (self->go_button, !working && !g_str_equal (stage, "done") &&
                                           !g_str_equal (stage, "error"));
  if (g_str_equal (stage, "preview"))
    gtk_button_set_label (GTK_BUTTON (self->go_button), _("_Import"));
  else
    gtk_button_set_label (GTK_BUTTON (self->go_button),
                          self->mode == MODE_IMPORT ? _("_Preview") : _("_Export"));
}

static void
show_error (TacitLibraryImport *self,
            const GError       *error)
{
  set_message (self, error->message);
  adw_status_page_set_description (self->error_page, error->message);
  set_stage (self, "error");
}

static Job *
job_new (TacitLibraryImport *self,
         const char         *file)
{
  Job *job = g_new0 (Job, 1);

  job->db_path = g_strdup (self->db_path);
  job->file = g_strdup (file);
  job->actor = tacit_operator_copy (self->actor);
  return job;
}

static void
run_job (TacitLibraryImport  *self,
         Job                 *job,
         const char          *doing,
         GTaskThreadFunc      thread_func,
         GAsyncReadyCallback  done)
{
  g_autoptr(GTask) task = NULL;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  gtk_label_set_label (self->working_label, doing);
  set_stage (self, "working");
  task = g_task_new (self, self->cancellable, done, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, thread_func);
}

/* ---- preview ---- */

static void
preview_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitStore) store = tacit_store_open (job->db_path, &error);

  if (store == NULL ||
      (job->library = tacit_library_load_file (job->file, &error)) == NULL ||
      (job->diff = tacit_library_diff (store, job->library, &error)) == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static const char *
change_label (TacitChangeKind kind)
{
  switch (kind)
    {
    case TACIT_CHANGE_ADDED: return _("added");
    case TACIT_CHANGE_CHANGED: return _("changed");
    case TACIT_CHANGE_RETIRED: return _("retired");
    case TACIT_CHANGE_UNCHANGED: return _("unchanged");
    case TACIT_CHANGE_STALE: return _("stale copy: skipped");
    case TACIT_CHANGE_CONFLICT: return _("CONFLICT");
    default: g_return_val_if_reached ("");
    }
}

static void
fill_changes (TacitLibraryImport *self)
{
  /* Conflicts first: they block the import. */
  static const TacitChangeKind order[] = {
    TACIT_CHANGE_CONFLICT, TACIT_CHANGE_ADDED, TACIT_CHANGE_CHANGED,
    TACIT_CHANGE_RETIRED, TACIT_CHANGE_STALE,
  };

  g_list_store_remove_all (self->changes);
  for (guint k = 0; k < G_N_ELEMENTS (order); k++)
    for (guint i = 0; i < self->diff->changes->len; i++)
      {
        const TacitRuleChange *change = &g_array_index (self->diff->changes, TacitRuleChange, i);
        TacitChangeItem *item;

        if (change->kind != order[k])
          continue;
        item = g_object_new (TACIT_TYPE_CHANGE_ITEM, NULL);
        item->kind = change->kind;
        item->rule = tacit_rule_ref (change->rule);
        item->stored_revision = change->stored_revision;
        g_list_store_append (self->changes, item);
        g_object_unref (item);
      }
}

static void
show_preview (TacitLibraryImport *self)
{
  const guint *c = self->diff->counts;
  g_autofree char *base = g_path_get_basename (self->file);
  g_autofree char *summary = NULL;
  gboolean conflicts = c[TACIT_CHANGE_CONFLICT] > 0;
  gboolean anything = c[TACIT_CHANGE_ADDED] + c[TACIT_CHANGE_CHANGED] + c[TACIT_CHANGE_RETIRED] > 0;

  summary = g_strdup_printf (_("%s: %u added, %u changed, %u retired, %u unchanged, "
                               "%u stale (skipped), %u conflicts. %u stored rules the file "
                               "does not name are kept."),
                             base, c[TACIT_CHANGE_ADDED], c[TACIT_CHANGE_CHANGED],
                             c[TACIT_CHANGE_RETIRED], c[TACIT_CHANGE_UNCHANGED],
                             c[TACIT_CHANGE_STALE], c[TACIT_CHANGE_CONFLICT],
                             self->diff->only_in_store);
  set_message (self, summary);
  gtk_label_set_label (self->preview_label, summary);
  gtk_label_set_label (self->conflict_label,
                       _("Rules marked CONFLICT were changed here and in the file since the "
                         "revision the file started from. Nothing can be imported until the "
                         "file is brought up to date: export the library, merge, import again."));
  gtk_widget_set_visible (GTK_WIDGET (self->conflict_label), conflicts);
  fill_changes (self);
  set_stage (self, "preview");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "transfer.go", !conflicts && anything);
}

static void
preview_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  TacitLibraryImport *self = TACIT_LIBRARY_IMPORT (source);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error);
      return;
    }
  g_clear_object (&self->library);
  g_clear_pointer (&self->diff, tacit_library_diff_free);
  self->library = g_steal_pointer (&job->library);
  self->diff = g_steal_pointer (&job->diff);
  show_preview (self);
}

/* ---- import ---- */

static void
import_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitStore) store = tacit_store_open (job->db_path, &error);
  g_autoptr(TacitLibraryDiff) diff = NULL;
  g_autoptr(TacitLibrary) changes = NULL;

  if (store == NULL || (diff = tacit_library_diff (store, job->library, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* The store may have changed since the preview: import only what was
   * shown. */
  if (memcmp (diff->counts, job->expected, sizeof job->expected) != 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               _("The library changed since the preview; nothing was imported. "
                                 "Preview the file again."));
      return;
    }
  changes = tacit_library_diff_to_import (diff, job->library);
  if (!tacit_store_import_library (store, changes, job->actor, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
import_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  TacitLibraryImport *self = TACIT_LIBRARY_IMPORT (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      show_error (self, error);
      return;
    }
  description = g_strdup_printf (_("%u added, %u changed, %u retired."),
                                 self->diff->counts[TACIT_CHANGE_ADDED],
                                 self->diff->counts[TACIT_CHANGE_CHANGED],
                                 self->diff->counts[TACIT_CHANGE_RETIRED]);
  set_message (self, description);
  adw_status_page_set_title (self->done_page, _("Library imported"));
  adw_status_page_set_description (self->done_page, description);
  set_stage (self, "done");
  g_signal_emit (self, signals[SIGNAL_DONE], 0);
}

static void
start_import (TacitLibraryImport *self)
{
  Job *job = job_new (self, self->file);

  job->library = g_object_ref (self->library);
  memcpy (job->expected, self->diff->counts, sizeof job->expected);
  run_job (self, job, _("Importing…"), import_thread, import_done_cb);
}

/* ---- export ---- */

static void
export_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitStore) store = tacit_store_open (job->db_path, &error);
  g_autoptr(TacitLibrary) library = NULL;

  if (store == NULL ||
      !tacit_store_check_access (store, job->actor, TACIT_PERMISSION_EXPORT, job->file, &error) ||
      (library = tacit_store_load_library (store, &error)) == NULL ||
      !tacit_library_save_file (library, job->file, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_int (task, tacit_library_get_rules (library)->len);
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  TacitLibraryImport *self = TACIT_LIBRARY_IMPORT (source);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  gssize n = g_task_propagate_int (G_TASK (result), &error);

  if (n < 0)
    {
      show_error (self, error);
      return;
    }
  description = g_strdup_printf (ngettext ("%zd rule written to %s", "%zd rules written to %s", n),
                                 n, job->file);
  set_message (self, description);
  adw_status_page_set_title (self->done_page, _("Library exported"));
  adw_status_page_set_description (self->done_page, description);
  set_stage (self, "done");
  g_signal_emit (self, signals[SIGNAL_DONE], 0);
}

/* ---- actions ---- */

void
tacit_library_import_run_path (TacitLibraryImport *self,
                               const char         *path)
{
  g_return_if_fail (TACIT_IS_LIBRARY_IMPORT (self));
  g_return_if_fail (path != NULL);

  g_free (self->file);
  self->file = g_strdup (path);
  if (self->mode == MODE_IMPORT)
    run_job (self, job_new (self, path), _("Checking the file…"), preview_thread, preview_done_cb);
  else
    run_job (self, job_new (self, path), _("Exporting…"), export_thread, export_done_cb);
}

static char *
chosen_path (TacitLibraryImport *self)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (self->chooser);
  g_autoptr(GFile) folder = NULL;
  const char *name;

  if (self->mode == MODE_IMPORT)
    return file != NULL ? g_file_get_path (file) : NULL;
  /* Saving: the folder and the typed name. */
  if (file != NULL)
    return g_file_get_path (file);
  folder = gtk_file_chooser_get_current_folder (self->chooser);
  name = gtk_file_chooser_get_current_name (self->chooser);
  if (folder == NULL || name == NULL || *name == '\0')
    return NULL;
  return g_build_filename (g_file_peek_path (folder), name, NULL);
}

static void
go_cb (GtkWidget  *widget,
       const char *action_name,
       GVariant   *parameter)
{
  TacitLibraryImport *self = TACIT_LIBRARY_IMPORT (widget);
  g_autofree char *path = NULL;

  if (g_str_equal (tacit_library_import_get_stage (self), "preview"))
    {
      start_import (self);
      return;
    }
  if ((path = chosen_path (self)) != NULL)
    tacit_library_import_run_path (self, path);
}

const char *
tacit_library_import_get_stage (TacitLibraryImport *self)
{
  g_return_val_if_fail (TACIT_IS_LIBRARY_IMPORT (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
tacit_library_import_get_message (TacitLibraryImport *self)
{
  g_return_val_if_fail (TACIT_IS_LIBRARY_IMPORT (self), NULL);
  return self->message;
}

guint
tacit_library_import_count (TacitLibraryImport *self,
                            guint               change_kind)
{
  g_return_val_if_fail (TACIT_IS_LIBRARY_IMPORT (self), 0);
  g_return_val_if_fail (change_kind <= TACIT_CHANGE_CONFLICT, 0);
  return self->diff != NULL ? self->diff->counts[change_kind] : 0;
}

/* ---- preview columns ---- */

enum { COL_CHANGE, COL_ID, COL_STORED, COL_FILE, COL_STATUS, COL_TITLE };

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  column)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *list_item,
         gpointer                  column)
{
  TacitChangeItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *label = gtk_list_item_get_child (list_item);
  g_autofree char *text = NULL;

  switch (GPOINTER_TO_UINT (column))
    {
    case COL_CHANGE: text = g_strdup (change_label (item->kind)); break;
    case COL_ID: text = g_strdup (item->rule->id); break;
    case COL_STORED: text = item->stored_revision > 0 ? g_strdup_printf ("%u", item->stored_revision) : g_strdup ("—"); break;
    case COL_FILE: text = g_strdup_printf ("%u", item->rule->revision); break;
    case COL_STATUS: text = g_strdup (tacit_rule_status_to_string (item->rule->status)); break;
    case COL_TITLE: text = g_strdup (item->rule->title); break;
    default: g_return_if_reached ();
    }
  gtk_label_set_label (GTK_LABEL (label), text);
  if (item->kind == TACIT_CHANGE_CONFLICT)
    gtk_widget_add_css_class (label, "error");
  else
    gtk_widget_remove_css_class (label, "error");
}

static void
add_column (TacitLibraryImport *self,
            const char         *title,
            guint               column,
            gboolean            expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) col = NULL;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), GUINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), GUINT_TO_POINTER (column));
  col = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (col, expand);
  gtk_column_view_append_column (self->changes_view, col);
}

/* ---- class ---- */

static void
tacit_library_import_dispose (GObject *object)
{
  TacitLibraryImport *self = TACIT_LIBRARY_IMPORT (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->pulse_id, g_source_remove);
  G_OBJECT_CLASS (tacit_library_import_parent_class)->dispose (object);
}

static void
tacit_library_import_finalize (GObject *object)
{
  TacitLibraryImport *self = TACIT_LIBRARY_IMPORT (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->changes);
  g_clear_object (&self->library);
  g_clear_pointer (&self->diff, tacit_library_diff_free);
  g_clear_pointer (&self->actor, tacit_operator_free);
  g_free (self->db_path);
  g_free (self->file);
  g_free (self->message);
  G_OBJECT_CLASS (tacit_library_import_parent_class)->finalize (object);
}

static void
tacit_library_import_class_init (TacitLibraryImportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tacit_library_import_dispose;
  object_class->finalize = tacit_library_import_finalize;
  /* After a successful import or export. */
  signals[SIGNAL_DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_template_from_resource (widget_class, "/dev/tacit/Tacit/ui/tacit-library-import.ui");
  gtk_widget_class_bind_template_child (widget_class, TacitLibraryImport, window_title);
  gtk_widget_class_bind_template_child (widget_class, TacitLibraryImport, go_button);
  gtk_widget_class_bind_template_child (widget_class, TacitLibraryImport, stack);
  gtk_widget_class_bind_template_child (widget_class, TacitLibraryImport, chooser);
  gtk_widget_class_bind_template_child (widget_class, TacitLibraryImport, working_label);
  gtk_widget_class_bind_template_child (widget_class, TacitLibraryImport, progress);
  gtk_widget_class_bind_template_child (widget_class, TacitLibraryImport, preview_label);
  gtk_widget_class_bind_template_child (widget_class, TacitLibraryImport, conflict_label);
  gtk_widget_class_bind_template_child (widget_class, TacitLibraryImport, changes_view);
  gtk_widget_class_bind_template_child (widget_class, TacitLibraryImport, done_page);
  gtk_widget_class_bind_template_child (widget_class, TacitLibraryImport, error_page);
  gtk_widget_class_install_action (widget_class, "transfer.go", NULL, go_cb);
}

static void
tacit_library_import_init (TacitLibraryImport *self)
{
  g_autoptr(GtkSingleSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->changes = g_list_store_new (TACIT_TYPE_CHANGE_ITEM);
  selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->changes)));
  gtk_column_view_set_model (self->changes_view, GTK_SELECTION_MODEL (selection));
  add_column (self, _("Change"), COL_CHANGE, FALSE);
  add_column (self, _("Id"), COL_ID, FALSE);
  add_column (self, _("Stored revision"), COL_STORED, FALSE);
  add_column (self, _("File revision"), COL_FILE, FALSE);
  add_column (self, _("Status"), COL_STATUS, FALSE);
  add_column (self, _("Title"), COL_TITLE, TRUE);
}

static TacitLibraryImport *
transfer_new (TacitStore          *store,
              const TacitOperator *actor,
              GtkWindow           *parent,
              Mode                 mode)
{
  TacitLibraryImport *self;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  g_return_val_if_fail (TACIT_IS_STORE (store), NULL);

  self = g_object_new (TACIT_TYPE_LIBRARY_IMPORT, "transient-for", parent, NULL);
  self->mode = mode;
  self->db_path = g_strdup (tacit_store_get_path (store));
  self->actor = tacit_operator_copy (actor);
  gtk_file_filter_set_name (filter, _("Rule libraries (*.xml)"));
  gtk_file_filter_add_pattern (filter, "*.xml");
  gtk_file_chooser_add_filter (self->chooser, filter);
  set_stage (self, "choose");
  return self;
}

GtkWindow *
tacit_library_import_new (TacitStore          *store,
                          const TacitOperator *actor,
                          GtkWindow           *parent)
{
  TacitLibraryImport *self = transfer_new (store, actor, parent, MODE_IMPORT);

  gtk_file_chooser_set_action (self->chooser, GTK_FILE_CHOOSER_ACTION_OPEN);
  adw_window_title_set_title (self->window_title, _("Import a rule library"));
  adw_window_title_set_subtitle (self->window_title, _("Nothing is written before you confirm the preview"));
  return GTK_WINDOW (self);
}

GtkWindow *
tacit_library_export_new (TacitStore          *store,
                          const TacitOperator *actor,
                          GtkWindow           *parent)
{
  TacitLibraryImport *self = transfer_new (store, actor, parent, MODE_EXPORT);

  gtk_file_chooser_set_action (self->chooser, GTK_FILE_CHOOSER_ACTION_SAVE);
  gtk_file_chooser_set_current_name (self->chooser, "library.xml");
  adw_window_title_set_title (self->window_title, _("Export the rule library"));
  adw_window_title_set_subtitle (self->window_title, _("Canonical XML, every rule's current revision"));
  return GTK_WINDOW (self);
}
