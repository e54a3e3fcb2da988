/* tacit-suggestion-card.c: one live suggestion on the kiosk.
 *
 * Signals: "respond" (TacitResponseKind, reason or NULL) when the operator
 * accepts or picks a reason chip; "why" for the rationale; "shelve" to put
 * the rule away for a while. The card only
 * asks; the window stores the answer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-suggestion-card.h"

#include <adwaita.h>
#include <glib/gi18n.h>

struct _TacitSuggestionCard
{
  GtkBox           parent_instance;

  TacitSuggestion *suggestion;
  gint64           shown_at;

  GtkWidget       *severity_icon;
  GtkWidget       *severity_label;
  GtkWidget       *where_label;
  GtkWidget       *advice_label;
  GtkWidget       *action_chip;
  GtkWidget       *action_label;
  GtkWidget       *credit_label;
  GtkWidget       *button_stack;
};

G_DEFINE_FINAL_TYPE (TacitSuggestionCard, tacit_suggestion_card, GTK_TYPE_BOX)

enum {
  SIGNAL_RESPOND,
  SIGNAL_WHY,
  SIGNAL_SHELVE,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

const char *
tacit_severity_icon_name (TacitSeverity severity)
{
  switch (severity)
    {
    case TACIT_SEVERITY_CRITICAL:
      return "dialog-error-symbolic";
    case TACIT_SEVERITY_WARNING:
      return "dialog-warning-symbolic";
    case TACIT_SEVERITY_INFO:
    default:
      return "dialog-information-symbolic";
    }
}

const char *
tacit_severity_word (TacitSeverity severity)
{
  switch (severity)
    {
    case TACIT_SEVERITY_CRITICAL:
      return _("Critical");
    case TACIT_SEVERITY_WARNING:
      return _("Warning");
    case TACIT_SEVERITY_INFO:
    default:
      return _("Info");
    }
}

/* "-5%" → "−5 %", "set:35" → "→ 35": typographic, not engineering. */
char *
tacit_action_format (const TacitAction *action)
{
  g_autofree char *parameter = g_strdelimit (g_strdup (action->parameter), "_", ' ');
  g_autoptr(GString) change = g_string_new (action->change);

  if (g_str_has_prefix (change->str, "set:"))
    {
      g_string_erase (change, 0, 4);
      g_string_prepend (change, "→ ");
    }
  else if (change->str[0] == '-')
    {
      g_string_erase (change, 0, 1);
      g_string_prepend (change, "−");
    }
  if (g_str_has_suffix (change->str, "%"))
    g_string_insert (change, change->len - 1, " ");
  return g_strdup_printf ("%s %s", parameter, change->str);
}

static char *
format_clock (TacitTime time)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (time / G_USEC_PER_SEC);

  return dt != NULL ? g_date_time_format (dt, "%H:%M:%S") : g_strdup ("");
}

static void
show_severity (TacitSuggestionCard *self)
{
  static const char *const classes[] = { "severity-info", "severity-warning", "severity-critical" };
  TacitSeverity severity = self->suggestion->rule->severity;
  g_autofree char *word = g_utf8_strup (tacit_severity_word (severity), -1);

  gtk_image_set_from_icon_name (GTK_IMAGE (self->severity_icon), tacit_severity_icon_name (severity));
  gtk_label_set_label (GTK_LABEL (self->severity_label), word);
  gtk_widget_add_css_class (GTK_WIDGET (self), classes[MIN ((guint) severity, 2u)]);
}

static void
show_action (TacitSuggestionCard *self)
{
  GPtrArray *actions = self->suggestion->rule->actions;
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; actions != NULL && i < actions->len; i++)
    {
      g_autofree char *one = tacit_action_format (g_ptr_array_index (actions, i));

      if (text->len > 0)
        g_string_append (text, " · ");
      g_string_append (text, one);
    }
  gtk_label_set_label (GTK_LABEL (self->action_label), text->str);
  gtk_widget_set_visible (self->action_chip, text->len > 0);
}

void
tacit_suggestion_card_set_language (TacitSuggestionCard *self,
                                    const char          *lang)
{
  g_return_if_fail (TACIT_IS_SUGGESTION_CARD (self));

  gtk_label_set_label (GTK_LABEL (self->advice_label),
                       tacit_rule_get_text (self->suggestion->rule, lang));
}

static void
card_accept_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_RESPOND], 0, TACIT_RESPONSE_ACCEPTED, NULL);
}

static void
card_dismiss_cb (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  TacitSuggestionCard *self = TACIT_SUGGESTION_CARD (widget);

  gtk_stack_set_visible_child_name (GTK_STACK (self->button_stack), "reasons");
}

static void
card_back_cb (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  tacit_suggestion_card_reset (TACIT_SUGGESTION_CARD (widget));
}

static void
card_reason_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_RESPOND], 0, TACIT_RESPONSE_DISMISSED,
                 g_variant_get_string (parameter, NULL));
}

static void
card_why_cb (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_WHY], 0);
}

static void
card_shelve_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_SHELVE], 0);
}

static void
card_map_cb (TacitSuggestionCard *self)
{
  if (self->shown_at == 0)
    self->shown_at = g_get_monotonic_time ();
}

static void
tacit_suggestion_card_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TACIT_TYPE_SUGGESTION_CARD);
  G_OBJECT_CLASS (tacit_suggestion_card_parent_class)->dispose (object);
}

static void
tacit_suggestion_card_finalize (GObject *object)
{
  TacitSuggestionCard *self = TACIT_SUGGESTION_CARD (object);

  g_clear_pointer (&self->suggestion, tacit_suggestion_unref);
  G_OBJECT_CLASS (tacit_suggestion_card_parent_class)->finalize (object);
}

static void
tacit_suggestion_card_class_init (TacitSuggestionCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tacit_suggestion_card_dispose;
  object_class->finalize = tacit_suggestion_card_finalize;

  signals[SIGNAL_RESPOND] =
    g_signal_new ("respond", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_STRING);
  signals[SIGNAL_WHY] =
    g_signal_new ("why", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_SHELVE] =
    g_signal_new ("shelve", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (ADW_TYPE_BUTTON_CONTENT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/dev/tacit/Tacit/ui/tacit-suggestion-card.ui");
  gtk_widget_class_bind_template_child (widget_class, TacitSuggestionCard, severity_icon);
  gtk_widget_class_bind_template_child (widget_class, TacitSuggestionCard, severity_label);
  gtk_widget_class_bind_template_child (widget_class, TacitSuggestionCard, where_label);
  gtk_widget_class_bind_template_child (widget_class, TacitSuggestionCard, advice_label);
  gtk_widget_class_bind_template_child (widget_class, TacitSuggestionCard, action_chip);
  gtk_widget_class_bind_template_child (widget_class, TacitSuggestionCard, action_label);
  gtk_widget_class_bind_template_child (widget_class, TacitSuggestionCard, credit_label);
  gtk_widget_class_bind_template_child (widget_class, TacitSuggestionCard, button_stack);

  gtk_widget_class_install_action (widget_class, "card.accept", NULL, card_accept_cb);
  gtk_widget_class_install_action (widget_class, "card.dismiss", NULL, card_dismiss_cb);
  gtk_widget_class_install_action (widget_class, "card.back", NULL, card_back_cb);
  gtk_widget_class_install_action (widget_class, "card.reason", "s", card_reason_cb);
  gtk_widget_class_install_action (widget_class, "card.why", NULL, card_why_cb);
  gtk_widget_class_install_action (widget_class, "card.shelve", NULL, card_shelve_cb);
}

static void
tacit_suggestion_card_init (TacitSuggestionCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self, "map", G_CALLBACK (card_map_cb), NULL);
}

GtkWidget *
tacit_suggestion_card_new (TacitSuggestion *suggestion,
                           const char      *machine_name,
                           const char      *author_name,
                           const char      *lang)
{
  TacitSuggestionCard *self;
  g_autofree char *clock = NULL;
  g_autofree char *where = NULL;

  g_return_val_if_fail (suggestion != NULL, NULL);

  self = g_object_new (TACIT_TYPE_SUGGESTION_CARD, NULL);
  self->suggestion = tacit_suggestion_ref (suggestion);
  clock = format_clock (suggestion->time);
  where = g_strdup_printf ("%s · %s", machine_name, clock);
  gtk_label_set_label (GTK_LABEL (self->where_label), where);
  show_severity (self);
  show_action (self);
  tacit_suggestion_card_set_language (self, lang);
  if (author_name != NULL)
    {
      g_autofree char *credit = g_strdup_printf (_("From %s’s know-how"), author_name);

      gtk_label_set_label (GTK_LABEL (self->credit_label), credit);
    }
  return GTK_WIDGET (self);
}

TacitSuggestion *
tacit_suggestion_card_get_suggestion (TacitSuggestionCard *self)
{
  g_return_val_if_fail (TACIT_IS_SUGGESTION_CARD (self), NULL);
  return self->suggestion;
}

gint64
tacit_suggestion_card_get_shown_at (TacitSuggestionCard *self)
{
  g_return_val_if_fail (TACIT_IS_SUGGESTION_CARD (self), 0);
  return self->shown_at;
}

void
tacit_suggestion_card_set_shown_at (TacitSuggestionCard *self,
                                    gint64               shown_at)
{
  g_return_if_fail (TACIT_IS_SUGGESTION_CARD (self));
  self->shown_at = shown_at;
}

void
tacit_suggestion_card_reset (TacitSuggestionCard *self)
{
  g_return_if_fail (TACIT_IS_SUGGESTION_CARD (self));
  gtk_stack_set_visible_child_name (GTK_STACK (self->button_stack), "answer");
}
