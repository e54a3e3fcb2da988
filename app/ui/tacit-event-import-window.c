/* tacit-event-import-window.c: importing machine history on the desktop.
 *
 * Readers are opened and read in a worker thread (an MTConnect document is
 * parsed whole on the first read; a profile may be slow), the import runs
 * there on its own store connection, and the main thread only polls its
 * progress. Cancel rolls the import back: all or nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-event-import-window.h"

#include <glib/gi18n.h>

#include "tacit-import-profile.h"

#define PREVIEW_ROWS 20

typedef enum {
  READ_BY_NAME,
  READ_CSV,
  READ_JSONL,
  READ_MTCONNECT,
  READ_PROFILE,
  READ_SHDR,
} ReadAs;

/* ---- one previewed event, for the column view ---- */

#define TACIT_TYPE_PREVIEW_ROW (tacit_preview_row_get_type ())
G_DECLARE_FINAL_TYPE (TacitPreviewRow, tacit_preview_row, TACIT, PREVIEW_ROW, GObject)

struct _TacitPreviewRow
{
  GObject     parent_instance;
  char       *where;    /* FILE:LINE */
  TacitEvent *event;
};

G_DEFINE_FINAL_TYPE (TacitPreviewRow, tacit_preview_row, G_TYPE_OBJECT)

static void
tacit_preview_row_finalize (GObject *object)
{
  TacitPreviewRow *self = TACIT_PREVIEW_ROW (object);

  g_free (self->where);
  g_free (self->event);
  G_OBJECT_CLASS (tacit_preview_row_parent_class)->finalize (object);
}

static void
tacit_preview_row_class_init (TacitPreviewRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tacit_preview_row_finalize;
}

static void
tacit_preview_row_init (TacitPreviewRow *self)
{
}

/* ---- a request to the worker ---- */

typedef struct {
  char         **paths;
  ReadAs         read_as;
  char          *profile;
  char          *device;
  char          *probe;
  char          *db_path;
  GCancellable  *cancellable;
  GMutex         lock;     /* over done and total: the worker writes them */
  guint64        done;     /* bytes read */
  guint64        total;
} Request;

static void
request_free (Request *request)
{
  g_strfreev (request->paths);
  g_free (request->profile);
  g_free (request->device);
  g_free (request->probe);
  g_free (request->db_path);
  g_clear_object (&request->cancellable);
  g_mutex_clear (&request->lock);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

typedef struct {
  TacitImportStats stats;
  char            *reports;
} ImportResult;

static void
import_result_free (ImportResult *result)
{
  g_free (result->reports);
  g_free (result);
}

struct _TacitEventImportWindow
{
  AdwWindow        parent_instance;

  AdwEntryRow     *files_row;
  AdwComboRow     *format_row;
  AdwEntryRow     *profile_row;
  AdwEntryRow     *device_row;
  AdwEntryRow     *probe_row;
  GtkProgressBar  *progress_bar;
  GtkLabel        *status_label;
  GtkStack        *result_stack;
  GtkColumnView   *preview_view;
  GtkLabel        *report_label;

  TacitStore      *store;
  TacitOperator   *actor;
  GListStore      *preview_rows;
  Request         *running;       /* borrowed from the task, while one runs */
  guint            progress_id;
};

G_DEFINE_FINAL_TYPE (TacitEventImportWindow, tacit_event_import_window, ADW_TYPE_WINDOW)

enum { SIGNAL_IMPORTED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* ---- worker side ---- */

static TacitEventReader *
open_reader (const Request      *request,
             const char         *path,
             TacitImportProfile *profile,
             TacitMtconnectProbe *probe,
             GError            **error)
{
  static const TacitEventFormat formats[] = {
    [READ_BY_NAME] = TACIT_EVENT_FORMAT_AUTO,
    [READ_CSV] = TACIT_EVENT_FORMAT_CSV,
    [READ_JSONL] = TACIT_EVENT_FORMAT_JSONL,
    [READ_MTCONNECT] = TACIT_EVENT_FORMAT_MTCONNECT,
  };

  if (request->read_as == READ_PROFILE)
    return tacit_event_reader_new_with_profile (path, profile, error);
  if (request->read_as == READ_SHDR)
    return tacit_event_reader_new_shdr (path, request->device, probe, error);
  return tacit_event_reader_new_for_path (path, formats[request->read_as],
                                          TACIT_EVENT_READER_NONE, error);
}

static GPtrArray *
open_readers (const Request *request,
              GError       **error)
{
  g_autoptr(GPtrArray) readers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(TacitImportProfile) profile = NULL;
  g_autoptr(TacitMtconnectProbe) probe = NULL;

  if (request->read_as == READ_PROFILE &&
      (profile = tacit_import_profile_load_file (request->profile, error)) == NULL)
    return NULL;
  if (request->read_as == READ_SHDR && request->probe != NULL &&
      (probe = tacit_mtconnect_probe_load_file (request->probe, error)) == NULL)
    return NULL;
  for (guint i = 0; request->paths[i] != NULL; i++)
    {
      TacitEventReader *reader = open_reader (request, request->paths[i], profile, probe, error);

      if (reader == NULL)
        return NULL;
      g_ptr_array_add (readers, reader);
    }
  return g_steal_pointer (&readers);
}

/* The first rows of each file, as they would be stored. */
static void
preview_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  const Request *request = task_data;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) readers = NULL;
  GError *error = NULL;

  if ((readers = open_readers (request, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  for (guint i = 0; i < readers->len; i++)
    {
      TacitEventReader *reader = g_ptr_array_index (readers, i);
      TacitEvent event;

      for (guint n = 0; n < PREVIEW_ROWS && tacit_event_reader_next (reader, &event, &error); n++)
        {
          TacitPreviewRow *row = g_object_new (TACIT_TYPE_PREVIEW_ROW, NULL);

          row->where = g_strdup_printf ("%s:%" G_GUINT64_FORMAT, tacit_event_reader_get_display_name (reader),
                                        tacit_event_reader_get_line (reader));
          row->event = tacit_event_copy (&event);
          g_ptr_array_add (rows, row);
        }
      if (error != NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }
  g_task_return_pointer (task, g_steal_pointer (&rows), (GDestroyNotify) g_ptr_array_unref);
}

static gboolean
import_progress_cb (guint64  done,
                    guint64  total,
                    gpointer user_data)
{
  Request *request = user_data;

  g_mutex_lock (&request->lock);
  request->done = done;
  request->total = total;
  g_mutex_unlock (&request->lock);
  return !g_cancellable_is_cancelled (request->cancellable);
}

static char *
format_reports (GPtrArray *readers)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < readers->len; i++)
    {
      TacitEventReader *reader = g_ptr_array_index (readers, i);
      const TacitImportReport *report = tacit_event_reader_get_import_report (reader);
      g_autofree char *lines = NULL;

      if (report == NULL)
        continue;
      lines = tacit_import_report_format (report, tacit_event_reader_get_display_name (reader));
      g_string_append (text, lines);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
import_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Request *request = task_data;
  g_autoptr(GPtrArray) readers = NULL;
  g_autoptr(TacitStore) store = NULL;
  ImportResult *result = g_new0 (ImportResult, 1);
  GError *error = NULL;

  if ((readers = open_readers (request, &error)) == NULL ||
      (store = tacit_store_open (request->db_path, &error)) == NULL ||
      !tacit_store_import_events (store, (TacitEventReader **) readers->pdata, readers->len,
                                  &result->stats, import_progress_cb, request, &error))
    {
      import_result_free (result);
      g_task_return_error (task, error);
      return;
    }
  result->reports = format_reports (readers);
  g_task_return_pointer (task, result, (GDestroyNotify) import_result_free);
}

/* ---- main thread ---- */

static void
set_busy (TacitEventImportWindow *self,
          Request                *running)
{
  gboolean busy = running != NULL;

  self->running = running;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.preview", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.run", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "import.cancel", busy);
  if (!busy)
    g_clear_handle_id (&self->progress_id, g_source_remove);
}

static void
show_error (TacitEventImportWindow *self,
            const GError           *error)
{
  gtk_label_set_label (self->status_label, error->message);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
}

static void
clear_status (TacitEventImportWindow *self,
              const char             *text)
{
  gtk_label_set_label (self->status_label, text);
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

static char *
row_text (AdwEntryRow *row)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  return *text != '\0' ? g_steal_pointer (&text) : NULL;
}

/* What the form asks for, or NULL with the reason shown. */
static Request *
build_request (TacitEventImportWindow *self)
{
  g_autoptr(Request) request = g_new0 (Request, 1);
  g_autofree char *files = row_text (self->files_row);
  g_autoptr(GStrvBuilder) paths = g_strv_builder_new ();
  g_auto(GStrv) parts = NULL;

  request->read_as = (ReadAs) adw_combo_row_get_selected (self->format_row);
  request->profile = row_text (self->profile_row);
  request->device = row_text (self->device_row);
  request->probe = row_text (self->probe_row);
  request->db_path = g_strdup (tacit_store_get_path (self->store));
  request->cancellable = g_cancellable_new ();
  g_mutex_init (&request->lock);
  parts = g_strsplit (files != NULL ? files : "", ";", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (*g_strstrip (parts[i]) != '\0')
      g_strv_builder_add (paths, parts[i]);
  request->paths = g_strv_builder_end (paths);
  if (request->paths[0] == NULL)
    clear_status (self, _("Name at least one file."));
  else if (request->read_as == READ_PROFILE && request->profile == NULL)
    clear_status (self, _("Name the import profile to read the files with."));
  else if (request->read_as == READ_SHDR && request->device == NULL)
    clear_status (self, _("Name the machine the SHDR log is from."));
  else
    return g_steal_pointer (&request);
  return NULL;
}

static void
preview_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  TacitEventImportWindow *self = TACIT_EVENT_IMPORT_WINDOW (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *text = NULL;

  set_busy (self, NULL);
  if (rows == NULL)
    {
      show_error (self, error);
      return;
    }
  g_list_store_splice (self->preview_rows, 0, g_list_model_get_n_items (G_LIST_MODEL (self->preview_rows)),
                       rows->pdata, rows->len);
  text = g_strdup_printf (ngettext ("The first %u event as it would be stored. Nothing is stored yet.",
                                    "The first %u events as they would be stored. Nothing is stored yet.",
                                    rows->len), rows->len);
  clear_status (self, text);
  gtk_stack_set_visible_child_name (self->result_stack, "preview");
}

static void
preview_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  TacitEventImportWindow *self = TACIT_EVENT_IMPORT_WINDOW (widget);
  Request *request = build_request (self);
  g_autoptr(GTask) task = NULL;

  if (request == NULL)
    return;
  task = g_task_new (self, request->cancellable, preview_done_cb, NULL);
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  set_busy (self, request);
  clear_status (self, _("Reading…"));
  g_task_run_in_thread (task, preview_thread);
}

static gboolean
progress_tick_cb (gpointer user_data)
{
  TacitEventImportWindow *self = user_data;
  guint64 done, total;

  if (self->running == NULL)
    return G_SOURCE_CONTINUE;
  g_mutex_lock (&self->running->lock);
  done = self->running->done;
  total = self->running->total;
  g_mutex_unlock (&self->running->lock);
  if (total > 0)
    gtk_progress_bar_set_fraction (self->progress_bar, CLAMP ((double) done / (double) total, 0.0, 1.0));
  else
    gtk_progress_bar_pulse (self->progress_bar);
  return G_SOURCE_CONTINUE;
}

static void
import_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  TacitEventImportWindow *self = TACIT_EVENT_IMPORT_WINDOW (source);
  g_autoptr(GError) error = NULL;
  ImportResult *imported = g_task_propagate_pointer (G_TASK (result), &error);
  g_autofree char *summary = NULL;
  char first[TACIT_TIME_FORMAT_LEN], last[TACIT_TIME_FORMAT_LEN];

  set_busy (self, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);
  if (imported == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        clear_status (self, _("Cancelled: nothing was stored."));
      else
        show_error (self, error);
      return;
    }
  if (imported->stats.events == 0)
    summary = g_strdup (_("The files held no events: nothing was stored."));
  else
    summary = g_strdup_printf (_("Imported %lu events from %lu file(s), %s to %s; %lu new machine(s)."),
                               (gulong) imported->stats.events, (gulong) imported->stats.files,
                               tacit_time_format_ms_buf (imported->stats.first_time, first),
                               tacit_time_format_ms_buf (imported->stats.last_time, last),
                               (gulong) imported->stats.machines_added);
  clear_status (self, summary);
  gtk_label_set_label (self->report_label, imported->reports != NULL && *imported->reports != '\0'
                                           ? imported->reports : summary);
  gtk_stack_set_visible_child_name (self->result_stack, "report");
  import_result_free (imported);
  g_signal_emit (self, signals[SIGNAL_IMPORTED], 0);
}

static void
import_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TacitEventImportWindow *self = TACIT_EVENT_IMPORT_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  Request *request;

  if (!tacit_store_check_access (self->store, self->actor, TACIT_PERMISSION_IMPORT, "events", &error))
    {
      show_error (self, error);
      return;
    }
  if ((request = build_request (self)) == NULL)
    return;
  task = g_task_new (self, request->cancellable, import_done_cb, NULL);
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  set_busy (self, request);
  clear_status (self, _("Importing…"));
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), TRUE);
  self->progress_id = g_timeout_add (100, progress_tick_cb, self);
  g_task_run_in_thread (task, import_thread);
}

static void
cancel_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TacitEventImportWindow *self = TACIT_EVENT_IMPORT_WINDOW (widget);

  if (self->running != NULL)
    g_cancellable_cancel (self->running->cancellable);
}

static void
format_changed_cb (TacitEventImportWindow *self)
{
  ReadAs read_as = (ReadAs) adw_combo_row_get_selected (self->format_row);

  gtk_widget_set_visible (GTK_WIDGET (self->profile_row), read_as == READ_PROFILE);
  gtk_widget_set_visible (GTK_WIDGET (self->device_row), read_as == READ_SHDR);
  gtk_widget_set_visible (GTK_WIDGET (self->probe_row), read_as == READ_SHDR);
}

/* Dropped files join the list of files. */
static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         gpointer       user_data)
{
  TacitEventImportWindow *self = user_data;
  g_autoptr(GString) files = g_string_new (gtk_editable_get_text (GTK_EDITABLE (self->files_row)));

  for (GSList *l = g_value_get_boxed (value); l != NULL; l = l->next)
    {
      g_autofree char *path = g_file_get_path (l->data);

      if (path == NULL)
        continue;
      if (files->len > 0)
        g_string_append (files, "; ");
      g_string_append (files, path);
    }
  gtk_editable_set_text (GTK_EDITABLE (self->files_row), files->str);
  return TRUE;
}

/* ---- the preview's columns ---- */

typedef enum {
  COLUMN_WHERE, COLUMN_TIME, COLUMN_MACHINE, COLUMN_KIND, COLUMN_ITEM, COLUMN_VALUE,
  COLUMN_CODE, COLUMN_TEXT, N_COLUMNS
} Column;

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  TacitPreviewRow *row = gtk_list_item_get_item (item);
  const TacitEvent *e = row->event;
  char time[TACIT_TIME_FORMAT_LEN];
  const char *text = NULL;

  switch ((Column) GPOINTER_TO_INT (user_data))
    {
    case COLUMN_WHERE:   text = row->where; break;
    case COLUMN_TIME:    text = tacit_time_format_ms_buf (e->time, time); break;
    case COLUMN_MACHINE: text = e->machine; break;
    case COLUMN_KIND:    text = tacit_kind_to_string (e->kind); break;
    case COLUMN_ITEM:    text = e->item; break;
    case COLUMN_VALUE:   text = e->value; break;
    case COLUMN_CODE:    text = e->code; break;
    case COLUMN_TEXT:    text = e->text; break;
    case N_COLUMNS:
    default:             break;
    }
  gtk_label_set_label (GTK_LABEL (gtk_list_item_get_child (item)), text != NULL ? text : "");
}

static void
add_columns (TacitEventImportWindow *self)
{
  const char *titles[N_COLUMNS] = {
    N_("Where"), N_("Time"), N_("Machine"), N_("Kind"), N_("Item"), N_("Value"), N_("Code"), N_("Text"),
  };

  for (int c = 0; c < N_COLUMNS; c++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;

      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), NULL);
      g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), GINT_TO_POINTER (c));
      column = gtk_column_view_column_new (_(titles[c]), factory);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_expand (column, c == COLUMN_TEXT);
      gtk_column_view_append_column (self->preview_view, column);
    }
}

static void
tacit_event_import_window_dispose (GObject *object)
{
  TacitEventImportWindow *self = TACIT_EVENT_IMPORT_WINDOW (object);

  if (self->running != NULL)
    g_cancellable_cancel (self->running->cancellable);
  g_clear_handle_id (&self->progress_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), TACIT_TYPE_EVENT_IMPORT_WINDOW);
  g_clear_object (&self->store);
  g_clear_pointer (&self->actor, tacit_operator_free);
  G_OBJECT_CLASS (tacit_event_import_window_parent_class)->dispose (object);
}

static void
tacit_event_import_window_class_init (TacitEventImportWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tacit_event_import_window_dispose;
  signals[SIGNAL_IMPORTED] = g_signal_new ("imported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_template_from_resource (widget_class, "/dev/tacit/Tacit/ui/tacit-event-import-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TacitEventImportWindow, files_row);
  gtk_widget_class_bind_template_child (widget_class, TacitEventImportWindow, format_row);
  gtk_widget_class_bind_template_child (widget_class, TacitEventImportWindow, profile_row);
  gtk_widget_class_bind_template_child (widget_class, TacitEventImportWindow, device_row);
  gtk_widget_class_bind_template_child (widget_class, TacitEventImportWindow, probe_row);
  gtk_widget_class_bind_template_child (widget_class, TacitEventImportWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, TacitEventImportWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, TacitEventImportWindow, result_stack);
  gtk_widget_class_bind_template_child (widget_class, TacitEventImportWindow, preview_view);
  gtk_widget_class_bind_template_child (widget_class, TacitEventImportWindow, report_label);
  gtk_widget_class_install_action (widget_class, "import.preview", NULL, preview_activated);
  gtk_widget_class_install_action (widget_class, "import.run", NULL, import_activated);
  gtk_widget_class_install_action (widget_class, "import.cancel", NULL, cancel_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tacit_event_import_window_init (TacitEventImportWindow *self)
{
  GtkDropTarget *drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->preview_rows = g_list_store_new (TACIT_TYPE_PREVIEW_ROW);
  gtk_column_view_set_model (self->preview_view,
                             GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (self->preview_rows))));
  add_columns (self);
  g_signal_connect_swapped (self->format_row, "notify::selected", G_CALLBACK (format_changed_cb), self);
  g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
  set_busy (self, NULL);
}

TacitEventImportWindow *
tacit_event_import_window_new (GtkWindow           *parent,
                               TacitStore          *store,
                               const TacitOperator *actor)
{
  TacitEventImportWindow *self = g_object_new (TACIT_TYPE_EVENT_IMPORT_WINDOW,
                                               "transient-for", parent, NULL);

  self->store = g_object_ref (store);
  self->actor = actor != NULL ? tacit_operator_copy (actor) : NULL;
  return self;
}
