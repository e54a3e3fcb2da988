/* tacit-sources-page.c
 *
 * The sources table is small (one row per agent or broker): re-read every
 * 2 s while the page is mapped, never while it is hidden.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tacit-sources-page.h"
#include "tacit-source-list.h"
#include "tacit-text-column.h"

#define REFRESH_SECONDS 2

struct _TacitSourcesPage
{
  GtkWidget      parent_instance;

  TacitStore    *store;
  GListStore    *rows;
  guint          refresh_id;

  GtkWidget     *stack;
  AdwStatusPage *empty_status;
  GtkLabel      *summary_label;
  GtkColumnView *view;
};

G_DEFINE_FINAL_TYPE (TacitSourcesPage, tacit_sources_page, GTK_TYPE_WIDGET)

static char *url_text (gpointer d) { return g_strdup (((TacitSourceInfo *) d)->url); }
static char *kind_text (gpointer d) { return g_strdup (g_str_equal (((TacitSourceInfo *) d)->kind, "mqtt") ? "MQTT" : "MTConnect"); }
static char *state_text (gpointer d) { return g_strdup (((TacitSourceInfo *) d)->state); }
static char *message_text (gpointer d) { const char *m = ((TacitSourceInfo *) d)->message; return g_strdup (m != NULL ? m : ""); }

static char *
updated_text (gpointer data)
{
  TacitSourceInfo *info = data;
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (info->updated / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = g_date_time_to_local (utc);
  gint64 ago = (g_get_real_time () - info->updated) / G_USEC_PER_SEC;
  g_autofree char *when = g_date_time_format (local, "%x %X");

  if (ago < 0)
    return g_steal_pointer (&when);
  if (ago < 120)
    return g_strdup_printf (_("%s (%ld s ago)"), when, (glong) ago);
  if (ago < 7200)
    return g_strdup_printf (_("%s (%ld min ago)"), when, (glong) (ago / 60));
  return g_strdup_printf (_("%s (%ld h ago)"), when, (glong) (ago / 3600));
}

static void
refresh (TacitSourcesPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sources = tacit_source_list (self->store, &error);
  g_autofree char *summary = NULL;
  guint connected = 0;

  if (sources == NULL)
    {
      adw_status_page_set_title (self->empty_status, _("The sources cannot be read"));
      adw_status_page_set_description (self->empty_status, error->message);
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "empty");
      return;
    }
  g_list_store_remove_all (self->rows);
  for (guint i = 0; i < sources->len; i++)
    {
      TacitSourceInfo *info = g_ptr_array_steal_index (sources, i--);
      g_autoptr(TacitRowItem) row = tacit_row_item_new (info, (GDestroyNotify) tacit_source_info_free);

      connected += g_strcmp0 (info->state, "connected") == 0;
      g_list_store_append (self->rows, row);
    }
  summary = g_strdup_printf (g_dngettext (NULL, "%u source, %u connected", "%u sources, %u connected",
                                          g_list_model_get_n_items (G_LIST_MODEL (self->rows))),
                             g_list_model_get_n_items (G_LIST_MODEL (self->rows)), connected);
  gtk_label_set_label (self->summary_label, summary);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack),
                                    g_list_model_get_n_items (G_LIST_MODEL (self->rows)) > 0 ? "list" : "empty");
}

static gboolean
refresh_cb (gpointer data)
{
  refresh (data);
  return G_SOURCE_CONTINUE;
}

static void
tacit_sources_page_map (GtkWidget *widget)
{
  TacitSourcesPage *self = TACIT_SOURCES_PAGE (widget);

  GTK_WIDGET_CLASS (tacit_sources_page_parent_class)->map (widget);
  refresh (self);
  if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add_seconds (REFRESH_SECONDS, refresh_cb, self);
}

static void
tacit_sources_page_unmap (GtkWidget *widget)
{
  TacitSourcesPage *self = TACIT_SOURCES_PAGE (widget);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  GTK_WIDGET_CLASS (tacit_sources_page_parent_class)->unmap (widget);
}

static void
tacit_sources_page_dispose (GObject *object)
{
  TacitSourcesPage *self = TACIT_SOURCES_PAGE (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), TACIT_TYPE_SOURCES_PAGE);
  g_clear_object (&self->rows);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (tacit_sources_page_parent_class)->dispose (object);
}

static void
tacit_sources_page_class_init (TacitSourcesPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tacit_sources_page_dispose;
  widget_class->map = tacit_sources_page_map;
  widget_class->unmap = tacit_sources_page_unmap;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/dev/tacit/Tacit/ui/tacit-sources-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TacitSourcesPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TacitSourcesPage, empty_status);
  gtk_widget_class_bind_template_child (widget_class, TacitSourcesPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, TacitSourcesPage, view);
}

static void
tacit_sources_page_init (TacitSourcesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_list_store_new (TACIT_TYPE_ROW_ITEM);
  gtk_column_view_set_model (self->view, GTK_SELECTION_MODEL (gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->rows)))));
  tacit_text_column_append (self->view, "url", _("Address"), url_text, FALSE, TRUE);
  tacit_text_column_append (self->view, "kind", _("Kind"), kind_text, FALSE, FALSE);
  tacit_text_column_append (self->view, "state", _("State"), state_text, FALSE, FALSE);
  tacit_text_column_append (self->view, "message", _("Message"), message_text, FALSE, TRUE);
  tacit_text_column_append (self->view, "updated", _("Updated"), updated_text, FALSE, FALSE);
}

GtkWidget *
tacit_sources_page_new (TacitStore *store)
{
  TacitSourcesPage *self;

  g_return_val_if_fail (TACIT_IS_STORE (store), NULL);

  self = g_object_new (TACIT_TYPE_SOURCES_PAGE, NULL);
  self->store = g_object_ref (store);
  return GTK_WIDGET (self);
}

guint
tacit_sources_page_get_n_sources (TacitSourcesPage *self)
{
  g_return_val_if_fail (TACIT_IS_SOURCES_PAGE (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->rows));
}
