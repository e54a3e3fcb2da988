/* tacit-kiosk-window-signin.c: badge and PIN on a big keypad.
 *
 * The same page signs operators in and, when the kiosk is locked, lets an
 * engineer leave it. PIN hashes are checked on a worker thread (Argon2 is
 * slow on purpose); the lock-out bookkeeping stays on the main thread,
 * which owns the store connection.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-kiosk-window-private.h"
#include "tacit-pin-check.h"

#include <glib/gi18n.h>
#include <string.h>

static void
wipe (GString *text)
{
  memset (text->str, 0, text->len);
  g_string_truncate (text, 0);
}

static void
show_stage (TacitKioskWindow *self)
{
  g_autoptr(GString) bullets = NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->keypad), self->stage != SIGNIN_CHECKING);
  switch (self->stage)
    {
    case SIGNIN_BADGE:
      gtk_label_set_label (self->prompt_label,
                           !self->unlocking ? _("Badge number")
                           : self->unlock_for_station ? _("Engineer badge to change the station")
                           : _("Engineer badge to leave the kiosk"));
      gtk_label_set_label (self->entry_label, self->badge->len > 0 ? self->badge->str : "—");
      break;
    case SIGNIN_PIN:
    case SIGNIN_CHECKING:
      /* Bullets, not digits: the screen faces the hall. */
      bullets = g_string_new (self->pin->len > 0 ? NULL : "—");
      for (gsize i = 0; i < self->pin->len; i++)
        g_string_append (bullets, "●");
      gtk_label_set_label (self->prompt_label, self->stage == SIGNIN_PIN ? _("PIN") : _("Checking…"));
      gtk_label_set_label (self->entry_label, bullets->str);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
set_error (TacitKioskWindow *self,
           const char       *message)
{
  gtk_label_set_label (self->error_label, message != NULL ? message : "");
}

static void
back_to_badge (TacitKioskWindow *self)
{
  self->stage = SIGNIN_BADGE;
  wipe (self->badge);
  wipe (self->pin);
  show_stage (self);
}

static void
digit_cb (GtkWidget  *widget,
          const char *action_name,
          GVariant   *parameter)
{
  TacitKioskWindow *self = TACIT_KIOSK_WINDOW (widget);
  const char *digit = g_variant_get_string (parameter, NULL);
  GString *text = self->stage == SIGNIN_BADGE ? self->badge : self->pin;
  gsize max = self->stage == SIGNIN_BADGE ? 12 : TACIT_PIN_MAX_DIGITS;

  if (self->stage == SIGNIN_CHECKING || text->len >= max || !g_ascii_isdigit (digit[0]))
    return;
  g_string_append_c (text, digit[0]);
  set_error (self, NULL);
  show_stage (self);
}

static void
backspace_cb (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  TacitKioskWindow *self = TACIT_KIOSK_WINDOW (widget);

  if (self->stage == SIGNIN_CHECKING)
    return;
  if (self->stage == SIGNIN_PIN && self->pin->len == 0)
    self->stage = SIGNIN_BADGE;
  else if (self->stage == SIGNIN_PIN)
    g_string_truncate (self->pin, self->pin->len - 1);
  else if (self->badge->len > 0)
    g_string_truncate (self->badge, self->badge->len - 1);
  show_stage (self);
}

static void
leave_kiosk (TacitKioskWindow *self)
{
  self->locked = FALSE;
  gtk_window_destroy (GTK_WINDOW (self));
}

/* TRUE when the window is gone (an engineer left the kiosk). */
static gboolean
accepted (TacitKioskWindow *self,
          TacitOperator    *op)
{
  g_autoptr(GError) refusal = NULL;

  if (!self->unlocking)
    {
      _tacit_kiosk_window_signed_in (self, tacit_operator_copy (op));
      return FALSE;
    }
  /* The core decides (and audits a refusal), not the page. */
  if (tacit_store_check_access (self->store, op, TACIT_PERMISSION_LEAVE_KIOSK,
                                self->station != NULL ? self->station : "", &refusal))
    {
      if (self->unlock_for_station)
        {
          self->unlocking = FALSE;
          self->unlock_for_station = FALSE;
          gtk_widget_set_visible (self->cancel_unlock_button, FALSE);
          _tacit_kiosk_window_show_stations (self);
          return FALSE;
        }
      leave_kiosk (self);
      return TRUE;
    }
  set_error (self, self->unlock_for_station ? _("Only an engineer can change the station.")
                                            : _("Only an engineer can leave the kiosk."));
  return FALSE;
}

static void
verify_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  TacitKioskWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitOperator) op = tacit_pin_check_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->checking);
  if (op != NULL && accepted (self, op))
    return;
  if (op == NULL)
    set_error (self, error->message);
  back_to_badge (self);
}

static void
start_check (TacitKioskWindow *self)
{
  self->stage = SIGNIN_CHECKING;
  show_stage (self);
  self->checking = g_cancellable_new ();
  tacit_pin_check_async (self->store, self->badge->str, self->pin->str, self->station,
                         self->checking, verify_done_cb, self);
}

static void
enter_cb (GtkWidget  *widget,
          const char *action_name,
          GVariant   *parameter)
{
  TacitKioskWindow *self = TACIT_KIOSK_WINDOW (widget);

  if (self->stage == SIGNIN_BADGE && self->badge->len > 0)
    {
      self->stage = SIGNIN_PIN;
      show_stage (self);
    }
  else if (self->stage == SIGNIN_PIN && self->pin->len >= TACIT_PIN_MIN_DIGITS)
    start_check (self);
}

static void
cancel_unlock_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TacitKioskWindow *self = TACIT_KIOSK_WINDOW (widget);

  self->unlocking = FALSE;
  self->unlock_for_station = FALSE;
  back_to_badge (self);
  gtk_stack_set_visible_child_name (self->main_stack, self->operator != NULL ? "live" : "signin");
  gtk_widget_set_visible (self->cancel_unlock_button, FALSE);
}

void
_tacit_kiosk_window_show_signin (TacitKioskWindow *self,
                                 gboolean          unlocking)
{
  if (self->checking != NULL)
    {
      g_cancellable_cancel (self->checking);
      g_clear_object (&self->checking);
    }
  self->unlocking = unlocking;
  if (!unlocking)
    self->unlock_for_station = FALSE;
  set_error (self, NULL);
  back_to_badge (self);
  gtk_widget_set_visible (self->cancel_unlock_button, unlocking);
  gtk_stack_set_visible_child_name (self->main_stack, "signin");
}

static GtkWidget *
make_key (const char *label,
          const char *icon_name,
          const char *action_name,
          const char *target)
{
  GtkWidget *key = gtk_button_new ();

  if (icon_name != NULL)
    gtk_button_set_icon_name (GTK_BUTTON (key), icon_name);
  else
    gtk_button_set_label (GTK_BUTTON (key), label);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (key), action_name);
  if (target != NULL)
    gtk_actionable_set_action_target (GTK_ACTIONABLE (key), "s", target);
  gtk_widget_add_css_class (key, "key");
  if (label != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (key),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  return key;
}

void
_tacit_kiosk_window_signin_init (TacitKioskWindow *self)
{
  static const char *const digits = "123456789";
  GtkWidget *enter;

  for (guint i = 0; i < 9; i++)
    {
      char digit[2] = { digits[i], '\0' };

      gtk_grid_attach (self->keypad, make_key (digit, NULL, "kiosk.digit", digit), i % 3, i / 3, 1, 1);
    }
  gtk_grid_attach (self->keypad, make_key (_("Delete"), "edit-clear-symbolic", "kiosk.backspace", NULL), 0, 3, 1, 1);
  gtk_grid_attach (self->keypad, make_key ("0", NULL, "kiosk.digit", "0"), 1, 3, 1, 1);
  enter = make_key (_("OK"), "go-next-symbolic", "kiosk.enter", NULL);
  gtk_widget_add_css_class (enter, "suggested-action");
  gtk_grid_attach (self->keypad, enter, 2, 3, 1, 1);
  self->badge = g_string_new (NULL);
  self->pin = g_string_new (NULL);
  back_to_badge (self);
}

void
_tacit_kiosk_window_signin_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "kiosk.digit", "s", digit_cb);
  gtk_widget_class_install_action (widget_class, "kiosk.backspace", NULL, backspace_cb);
  gtk_widget_class_install_action (widget_class, "kiosk.enter", NULL, enter_cb);
  gtk_widget_class_install_action (widget_class, "kiosk.cancel-unlock", NULL, cancel_unlock_cb);
  /* Physical keyboards work too (a USB badge reader types digits). */
  for (guint i = 0; i < 10; i++)
    {
      char digit[2] = { (char) ('0' + i), '\0' };

      gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0 + i, 0, "kiosk.digit", "s", digit);
      gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0 + i, 0, "kiosk.digit", "s", digit);
    }
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_BackSpace, 0, "kiosk.backspace", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, 0, "kiosk.enter", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, 0, "kiosk.enter", NULL);
}
