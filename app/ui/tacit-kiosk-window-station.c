/* tacit-kiosk-window-station.c: changing the kiosk's station.
 *
 * Changing station takes an engineer: the sign-in page asks for an
 * engineer badge and PIN, the core checks TACIT_PERMISSION_LEAVE_KIOSK
 * (an operator badge is refused, and the refusal audited), then this page
 * lists the stations — the cells of the machines registry — as big
 * buttons. The choice becomes the window's "station" (the application
 * keeps it in GSettings).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-kiosk-window-private.h"

#include <glib/gi18n.h>

static void
change_station_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  TacitKioskWindow *self = TACIT_KIOSK_WINDOW (widget);

  self->unlock_for_station = TRUE;
  _tacit_kiosk_window_show_signin (self, TRUE);
}

static void
set_station_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TacitKioskWindow *self = TACIT_KIOSK_WINDOW (widget);
  const char *station = g_variant_get_string (parameter, NULL);
  g_autofree char *toast = NULL;

  /* Only reachable from the station page, after an engineer signed in. */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "stations") != 0)
    return;
  g_object_set (self, "station", station, NULL);
  toast = g_strdup_printf (_("This kiosk now shows %s"), station[0] != '\0' ? station : _("every machine"));
  _tacit_kiosk_window_toast (self, toast, 0);
  gtk_stack_set_visible_child_name (self->main_stack, self->operator != NULL ? "live" : "signin");
}

static void
stations_back_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TacitKioskWindow *self = TACIT_KIOSK_WINDOW (widget);

  gtk_stack_set_visible_child_name (self->main_stack, self->operator != NULL ? "live" : "signin");
}

static GtkWidget *
station_button (const char *label,
                const char *detail,
                const char *station,
                gboolean    current)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (label);
  GtkWidget *sub = gtk_label_new (detail);

  gtk_widget_add_css_class (title, "station-name");
  gtk_widget_add_css_class (sub, "station-detail");
  gtk_label_set_xalign (GTK_LABEL (title), 0.0);
  gtk_label_set_xalign (GTK_LABEL (sub), 0.0);
  gtk_label_set_wrap (GTK_LABEL (sub), TRUE);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), sub);
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "kiosk.set-station");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", station);
  gtk_widget_add_css_class (button, "kiosk-button");
  gtk_widget_add_css_class (button, "station-button");
  if (current)
    gtk_widget_add_css_class (button, "suggested-action");
  return button;
}

void
_tacit_kiosk_window_show_stations (TacitKioskWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) machines = tacit_store_list_machines (self->store, &error);
  g_autoptr(GHashTable) cells = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                       (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GList) names = NULL;
  GtkWidget *child;
  const char *current = self->station != NULL ? self->station : "";
  g_autofree char *all_detail = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->stations_box))) != NULL)
    gtk_box_remove (self->stations_box, child);
  if (machines == NULL)
    {
      _tacit_kiosk_window_toast (self, error->message, 0);
      return;
    }
  for (guint i = 0; i < machines->len; i++)
    {
      TacitMachine *machine = g_ptr_array_index (machines, i);
      GPtrArray *members;

      if (machine->cell == NULL || machine->cell[0] == '\0')
        continue;
      if ((members = g_hash_table_lookup (cells, machine->cell)) == NULL)
        {
          members = g_ptr_array_new ();
          g_hash_table_insert (cells, machine->cell, members);
        }
      g_ptr_array_add (members, (gpointer) (machine->name != NULL ? machine->name : machine->id));
    }
  names = g_list_sort (g_hash_table_get_keys (cells), (GCompareFunc) g_strcmp0);
  for (GList *l = names; l != NULL; l = l->next)
    {
      GPtrArray *members = g_hash_table_lookup (cells, l->data);
      g_autofree char *detail = NULL;

      g_ptr_array_add (members, NULL);
      detail = g_strjoinv (" · ", (char **) members->pdata);
      gtk_box_append (self->stations_box,
                      station_button (l->data, detail, l->data, g_str_equal (current, l->data)));
    }
  all_detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u machine", "%u machines", machines->len),
                                machines->len);
  gtk_box_append (self->stations_box,
                  station_button (_("All machines"), all_detail, "", current[0] == '\0'));
  gtk_stack_set_visible_child_name (self->main_stack, "stations");
}

static GtkWidget *
build_page (TacitKioskWindow *self)
{
  GtkWidget *page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 16);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 16);
  GtkWidget *back = gtk_button_new_from_icon_name ("go-previous-symbolic");
  GtkWidget *title = gtk_label_new (_("Which station is this kiosk?"));
  GtkWidget *scroller = gtk_scrolled_window_new ();

  gtk_widget_add_css_class (page, "held-page");
  gtk_widget_add_css_class (back, "kiosk-button");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (back), "kiosk.stations-back");
  gtk_accessible_update_property (GTK_ACCESSIBLE (back), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Back"), -1);
  gtk_widget_add_css_class (title, "capture-title");
  gtk_box_append (GTK_BOX (top), back);
  gtk_box_append (GTK_BOX (top), title);
  gtk_box_append (GTK_BOX (page), top);
  self->stations_box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 12));
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->stations_box));
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (page), scroller);
  return page;
}

void
_tacit_kiosk_window_station_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "kiosk.change-station", NULL, change_station_cb);
  gtk_widget_class_install_action (widget_class, "kiosk.set-station", "s", set_station_cb);
  gtk_widget_class_install_action (widget_class, "kiosk.stations-back", NULL, stations_back_cb);
}

void
_tacit_kiosk_window_station_init (TacitKioskWindow *self)
{
  gtk_stack_add_named (self->main_stack, build_page (self), "stations");
}
