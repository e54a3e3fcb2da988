/* tacit-kiosk-window-held.c: the held suggestions of the station.
 *
 * Over the budget, info and warning suggestions are held: kept in the
 * store and in a list model behind the "Held · N" button, never lost. The
 * held page lists them (a GtkListView), each with Show (onto the live
 * page as a card), Done and Not relevant — answered straight from the
 * list, with the same toast and Undo as a card.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-kiosk-window-private.h"

#include <glib/gi18n.h>

#include "tacit-kiosk-store.h"
#include "tacit-library.h"
#include "tacit-machine-card.h"
#include "tacit-suggestion-card.h"
#include "tacit-suggestion-item.h"

void
_tacit_kiosk_window_update_held (TacitKioskWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->held));
  g_autofree char *label = g_strdup_printf (_("Held · %u"), n);
  g_autofree char *title = g_strdup_printf (_("Held suggestions · %u"), n);

  adw_button_content_set_label (self->held_content, label);
  gtk_widget_set_visible (self->held_button, n > 0);
  if (self->held_title != NULL)
    gtk_label_set_label (self->held_title, title);
  if (self->held_stack != NULL)
    gtk_stack_set_visible_child_name (self->held_stack, n > 0 ? "list" : "empty");
}

void
_tacit_kiosk_window_hold (TacitKioskWindow *self,
                          TacitSuggestion  *suggestion)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitSuggestionItem) item = tacit_suggestion_item_new (suggestion);

  if (!tacit_kiosk_hold_suggestion (self->store, suggestion->id, self->station != NULL ? self->station : "",
                                    g_get_real_time (), &error))
    g_warning ("%s", error->message);
  g_list_store_append (self->held, item);
  _tacit_kiosk_window_update_held (self);
}

/* Takes the held suggestion off the list (released: it has been seen). */
static TacitSuggestion *
take_held (TacitKioskWindow *self,
           const char       *suggestion_id)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->held));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TacitSuggestionItem) item = g_list_model_get_item (G_LIST_MODEL (self->held), i);
      TacitSuggestion *suggestion = tacit_suggestion_item_get_suggestion (item);

      if (g_str_equal (suggestion->id, suggestion_id))
        {
          g_autoptr(GError) error = NULL;

          tacit_suggestion_ref (suggestion);
          g_list_store_remove (self->held, i);
          if (!tacit_kiosk_release_held (self->store, suggestion_id, g_get_real_time (), &error))
            g_warning ("%s", error->message);
          _tacit_kiosk_window_update_held (self);
          return suggestion;
        }
    }
  return NULL;
}

static void
held_show_cb (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  TacitKioskWindow *self = TACIT_KIOSK_WINDOW (widget);
  g_autoptr(TacitSuggestion) suggestion = take_held (self, g_variant_get_string (parameter, NULL));

  if (suggestion == NULL)
    return;
  _tacit_kiosk_window_show_card (self, suggestion, 0);
  gtk_stack_set_visible_child_name (self->main_stack, "live");
}

/* An answer from the list: a card that never reached the page carries it,
 * so that Undo puts the suggestion on the live page. */
static void
answer_held (TacitKioskWindow  *self,
             const char        *suggestion_id,
             TacitResponseKind  response,
             const char        *reason)
{
  g_autoptr(TacitSuggestion) suggestion = take_held (self, suggestion_id);
  GtkWidget *card;

  if (suggestion == NULL)
    return;
  card = _tacit_kiosk_window_new_card (self, suggestion);
  g_object_ref_sink (card);
  tacit_suggestion_card_set_shown_at (TACIT_SUGGESTION_CARD (card), self->held_opened_at);
  _tacit_kiosk_window_answer (self, TACIT_SUGGESTION_CARD (card), response, reason);
  g_object_unref (card);
}

static void
held_accept_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  answer_held (TACIT_KIOSK_WINDOW (widget), g_variant_get_string (parameter, NULL),
               TACIT_RESPONSE_ACCEPTED, NULL);
}

static void
held_dismiss_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  answer_held (TACIT_KIOSK_WINDOW (widget), g_variant_get_string (parameter, NULL),
               TACIT_RESPONSE_DISMISSED, "not-relevant");
}

static void
show_held_cb (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  TacitKioskWindow *self = TACIT_KIOSK_WINDOW (widget);

  if (self->operator == NULL)
    return;
  self->held_opened_at = g_get_monotonic_time ();
  _tacit_kiosk_window_update_held (self);
  gtk_stack_set_visible_child_name (self->main_stack, "held");
}

static void
held_back_cb (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  TacitKioskWindow *self = TACIT_KIOSK_WINDOW (widget);

  gtk_stack_set_visible_child_name (self->main_stack, self->operator != NULL ? "live" : "signin");
}

/* ---- rows ---- */

static GtkWidget *
row_button (const char *label,
            const char *icon,
            const char *action,
            const char *css_class)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *content = adw_button_content_new ();

  adw_button_content_set_label (ADW_BUTTON_CONTENT (content), label);
  adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (content), icon);
  gtk_button_set_child (GTK_BUTTON (button), content);
  /* The action is set with its target when the row is bound: an action
   * with a parameter and no target yet would be refused. */
  g_object_set_data (G_OBJECT (button), "tacit-action", (gpointer) action);
  gtk_widget_add_css_class (button, "kiosk-button");
  if (css_class != NULL)
    gtk_widget_add_css_class (button, css_class);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  return button;
}

static void
held_row_setup_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *list_item)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 14);
  GtkWidget *badge = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *where = gtk_label_new (NULL);
  GtkWidget *advice = gtk_label_new (NULL);

  gtk_widget_add_css_class (row, "held-row");
  gtk_widget_add_css_class (badge, "severity-badge");
  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (badge), gtk_image_new ());
  gtk_box_append (GTK_BOX (badge), gtk_label_new (NULL));
  gtk_box_append (GTK_BOX (row), badge);
  gtk_label_set_xalign (GTK_LABEL (where), 0.0);
  gtk_widget_add_css_class (where, "card-where");
  gtk_label_set_xalign (GTK_LABEL (advice), 0.0);
  gtk_label_set_wrap (GTK_LABEL (advice), TRUE);
  gtk_label_set_lines (GTK_LABEL (advice), 2);
  gtk_label_set_ellipsize (GTK_LABEL (advice), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (advice, "held-advice");
  gtk_box_append (GTK_BOX (text), where);
  gtk_box_append (GTK_BOX (text), advice);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_box_append (GTK_BOX (row), text);
  gtk_box_append (GTK_BOX (row), row_button (_("Show"), "view-reveal-symbolic", "kiosk.held-show", NULL));
  gtk_box_append (GTK_BOX (row), row_button (_("Done / will do"), "object-select-symbolic",
                                             "kiosk.held-accept", "suggested-action"));
  gtk_box_append (GTK_BOX (row), row_button (_("Not relevant"), "window-close-symbolic",
                                             "kiosk.held-dismiss", NULL));
  gtk_list_item_set_child (list_item, row);
  gtk_list_item_set_activatable (list_item, FALSE);
}

static void
held_row_bind_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  TacitKioskWindow         *self)
{
  static const char *const classes[] = { "severity-info", "severity-warning", "severity-critical" };
  TacitSuggestion *suggestion = tacit_suggestion_item_get_suggestion (gtk_list_item_get_item (list_item));
  TacitSeverity severity = suggestion->rule->severity;
  GtkWidget *row = gtk_list_item_get_child (list_item);
  GtkWidget *badge = gtk_widget_get_first_child (row);
  GtkWidget *text = gtk_widget_get_next_sibling (badge);
  const TacitMachine *machine = tacit_library_lookup_machine (self->library, suggestion->machine);
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (suggestion->time / G_USEC_PER_SEC);
  g_autofree char *clock = dt != NULL ? g_date_time_format (dt, "%H:%M:%S") : g_strdup ("");
  g_autofree char *where = g_strdup_printf ("%s · %s", machine != NULL ? tacit_machine_display_name (machine)
                                                                       : suggestion->machine, clock);
  g_autofree char *word = g_utf8_strup (tacit_severity_word (severity), -1);

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (row, classes[i]);
  gtk_widget_add_css_class (row, classes[MIN ((guint) severity, 2u)]);
  gtk_image_set_from_icon_name (GTK_IMAGE (gtk_widget_get_first_child (badge)), tacit_severity_icon_name (severity));
  gtk_label_set_label (GTK_LABEL (gtk_widget_get_last_child (badge)), word);
  gtk_label_set_label (GTK_LABEL (gtk_widget_get_first_child (text)), where);
  gtk_label_set_label (GTK_LABEL (gtk_widget_get_last_child (text)),
                       tacit_rule_get_text (suggestion->rule, self->language));
  for (GtkWidget *button = gtk_widget_get_next_sibling (text); button != NULL;
       button = gtk_widget_get_next_sibling (button))
    {
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", suggestion->id);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), g_object_get_data (G_OBJECT (button), "tacit-action"));
    }
}

static GtkWidget *
build_held_page (TacitKioskWindow *self)
{
  GtkWidget *page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 16);
  GtkWidget *back = gtk_button_new_from_icon_name ("go-previous-symbolic");
  GtkWidget *hint = gtk_label_new (_("Over the station’s budget: kept here, never lost. Answer them or show them on the live page."));
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *empty = gtk_label_new (_("Nothing held"));
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  gtk_widget_add_css_class (page, "held-page");
  gtk_widget_add_css_class (back, "kiosk-button");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (back), "kiosk.held-back");
  gtk_accessible_update_property (GTK_ACCESSIBLE (back), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Back"), -1);
  self->held_title = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->held_title), "capture-title");
  gtk_box_append (GTK_BOX (top), back);
  gtk_box_append (GTK_BOX (top), GTK_WIDGET (self->held_title));
  gtk_box_append (GTK_BOX (page), top);
  gtk_label_set_xalign (GTK_LABEL (hint), 0.0);
  gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
  gtk_widget_add_css_class (hint, "sheet-body");
  gtk_box_append (GTK_BOX (page), hint);

  g_signal_connect (factory, "setup", G_CALLBACK (held_row_setup_cb), NULL);
  g_signal_connect_object (factory, "bind", G_CALLBACK (held_row_bind_cb), self, 0);
  self->held_view = GTK_LIST_VIEW (gtk_list_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (
                                                        g_object_ref (G_LIST_MODEL (self->held)))),
                                                      factory));
  gtk_widget_add_css_class (GTK_WIDGET (self->held_view), "held-list");
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->held_view));
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_widget_add_css_class (empty, "sheet-body");
  self->held_stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_add_named (self->held_stack, scroller, "list");
  gtk_stack_add_named (self->held_stack, empty, "empty");
  gtk_widget_set_vexpand (GTK_WIDGET (self->held_stack), TRUE);
  gtk_box_append (GTK_BOX (page), GTK_WIDGET (self->held_stack));
  return page;
}

void
_tacit_kiosk_window_held_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "kiosk.show-held", NULL, show_held_cb);
  gtk_widget_class_install_action (widget_class, "kiosk.held-back", NULL, held_back_cb);
  gtk_widget_class_install_action (widget_class, "kiosk.held-show", "s", held_show_cb);
  gtk_widget_class_install_action (widget_class, "kiosk.held-accept", "s", held_accept_cb);
  gtk_widget_class_install_action (widget_class, "kiosk.held-dismiss", "s", held_dismiss_cb);
}

void
_tacit_kiosk_window_held_init (TacitKioskWindow *self)
{
  self->held = g_list_store_new (TACIT_TYPE_SUGGESTION_ITEM);
  gtk_stack_add_named (self->main_stack, build_held_page (self), "held");
  _tacit_kiosk_window_update_held (self);
}
