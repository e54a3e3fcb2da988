/* tacit-kiosk-window-review.c: what the engineers said about my rules.
 *
 * After an operator signs in, their sent-back (and rejected) rules they
 * have not seen yet show in a note above the suggestions, one at a time,
 * newest first, with the engineer's comment: "Got it" marks it seen,
 * "Edit" marks it seen and opens the capture page on the rule, prefilled,
 * to propose it again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-kiosk-window-private.h"

#include <glib/gi18n.h>

#include <string.h>

#include "tacit-machine-card.h"
#include "tacit-review.h"

static TacitReview *
current_review (TacitKioskWindow *self)
{
  return self->reviews != NULL && self->reviews->len > 0 ? g_ptr_array_index (self->reviews, 0) : NULL;
}

static char *
engineer_name (TacitKioskWindow *self,
               const char       *actor)
{
  const char *dash = actor != NULL ? strchr (actor, '-') : NULL;
  g_autoptr(TacitOperator) op = tacit_operators_lookup (self->store, dash != NULL ? dash + 1 : actor, NULL, NULL);

  return g_strdup (op != NULL ? op->name : actor);
}

static void
show_current (TacitKioskWindow *self)
{
  TacitReview *review = current_review (self);
  g_autoptr(GPtrArray) revisions = NULL;
  g_autofree char *who = NULL;
  g_autofree char *text = NULL;
  const char *title;

  gtk_widget_set_visible (self->review_banner, review != NULL);
  if (review == NULL)
    return;
  revisions = tacit_store_list_rule_revisions (self->store, review->rule_id, NULL);
  title = revisions != NULL && revisions->len > 0
          ? ((TacitRule *) g_ptr_array_index (revisions, revisions->len - 1))->title : review->rule_id;
  who = engineer_name (self, review->actor);
  text = review->decision == TACIT_REVIEW_REJECTED
         ? g_strdup_printf (_("%s did not take your rule “%s”: %s"), who, title,
                            review->comment != NULL ? review->comment : "")
         : g_strdup_printf (_("%s sent your rule “%s” back: %s"), who, title,
                            review->comment != NULL ? review->comment : "");
  gtk_label_set_label (self->review_label, text);
  /* A rejected rule is not for rework. */
  gtk_widget_set_visible (self->review_edit_button, review->decision == TACIT_REVIEW_SENT_BACK);
}

void
_tacit_kiosk_window_show_review_notes (TacitKioskWindow *self)
{
  g_autofree char *actor = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->reviews, g_ptr_array_unref);
  if (self->operator != NULL)
    {
      actor = _tacit_kiosk_window_actor (self->operator);
      if ((self->reviews = tacit_review_list_unseen_for (self->store, actor, &error)) == NULL)
        g_warning ("%s", error->message);
    }
  show_current (self);
}

/* Marks the note seen and moves on; the rule as it stands now, or NULL. */
static TacitRule *
take_current (TacitKioskWindow *self)
{
  TacitReview *review = current_review (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) revisions = NULL;
  TacitRule *rule = NULL;

  if (review == NULL)
    return NULL;
  if (!tacit_review_mark_seen (self->store, review->id, &error))
    {
      _tacit_kiosk_window_toast (self, error->message, 0);
      return NULL;
    }
  revisions = tacit_store_list_rule_revisions (self->store, review->rule_id, NULL);
  if (revisions != NULL && revisions->len > 0)
    rule = tacit_rule_ref (g_ptr_array_index (revisions, revisions->len - 1));
  g_ptr_array_remove_index (self->reviews, 0);
  show_current (self);
  return rule;
}

static void
review_seen_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  g_autoptr(TacitRule) rule = take_current (TACIT_KIOSK_WINDOW (widget));
}

static void
review_edit_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TacitKioskWindow *self = TACIT_KIOSK_WINDOW (widget);
  g_autoptr(TacitRule) rule = take_current (self);
  const char *machine = NULL;

  if (rule == NULL)
    return;
  for (guint i = 0; i < rule->scopes->len; i++)
    {
      TacitScope *scope = g_ptr_array_index (rule->scopes, i);

      if (scope->type == TACIT_SCOPE_MACHINE)
        machine = scope->value;
    }
  if (machine != NULL)
    {
      const TacitMachine *known = tacit_library_lookup_machine (self->library, machine);

      machine = known != NULL ? tacit_machine_display_name (known) : machine;
    }
  tacit_capture_page_start_edit (self->capture_page, rule, machine != NULL ? machine : _("The machine"),
                                 self->language);
  gtk_stack_set_visible_child_name (self->main_stack, "capture");
}

static GtkWidget *
note_button (const char *label,
             const char *action,
             gboolean    suggested)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_widget_add_css_class (button, "kiosk-button");
  if (suggested)
    gtk_widget_add_css_class (button, "suggested-action");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  return button;
}

void
_tacit_kiosk_window_review_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "kiosk.review-seen", NULL, review_seen_cb);
  gtk_widget_class_install_action (widget_class, "kiosk.review-edit", NULL, review_edit_cb);
}

void
_tacit_kiosk_window_review_init (TacitKioskWindow *self)
{
  GtkWidget *banner = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 14);
  GtkWidget *icon = gtk_image_new_from_icon_name ("mail-unread-symbolic");
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_add_css_class (banner, "review-note");
  gtk_image_set_pixel_size (GTK_IMAGE (icon), 32);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (banner), icon);
  gtk_box_append (GTK_BOX (banner), label);
  self->review_edit_button = note_button (_("Edit"), "kiosk.review-edit", FALSE);
  gtk_box_append (GTK_BOX (banner), self->review_edit_button);
  gtk_box_append (GTK_BOX (banner), note_button (_("Got it"), "kiosk.review-seen", TRUE));
  gtk_widget_set_visible (banner, FALSE);
  self->review_banner = banner;
  self->review_label = GTK_LABEL (label);
  gtk_box_prepend (GTK_BOX (gtk_widget_get_parent (GTK_WIDGET (self->suggestions_stack))), banner);
}
