/* tacit-capture-page.c: "Add what you know", started from an event.
 *
 * The event is the trigger; the machine's current state is offered as
 * chips, each a condition; the kind is one tap; the advice is free text
 * with quick phrases; an optional structured action (parameter, lower /
 * raise / set to, an amount typed on the page's own numeric keypad, unit)
 * — no system keyboard for numbers. The result is a proposed rule (shadow) scoped to
 * the machine, with provenance: author, time, source event. The page only
 * builds the rule: signal "save" asks the window to store it, "back"
 * leaves.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-capture-page.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

struct _TacitCapturePage
{
  GtkBox         parent_instance;

  TacitEvent    *event;
  char          *machine_name;
  TacitRuleKind  kind;

  GtkWidget     *trigger_label;
  GtkWidget     *chips_box;
  GtkWidget     *kinds_box;
  GtkWidget     *advice_entry;
  GtkWidget     *review_label;

  /* the structured action */
  char          *parameter;      /* NULL: no action */
  char          *direction;      /* "lower", "raise", "set" */
  char          *unit;           /* "%" or "" */
  GString       *amount;         /* as typed on the keypad */
  GtkWidget     *parameters_box;
  GtkWidget     *directions_box;
  GtkWidget     *units_box;
  GtkWidget     *amount_label;

  TacitRule     *editing;        /* a sent-back rule being reworked, or NULL */
};

G_DEFINE_FINAL_TYPE (TacitCapturePage, tacit_capture_page, GTK_TYPE_BOX)

enum {
  SIGNAL_SAVE,
  SIGNAL_BACK,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static const struct {
  TacitRuleKind kind;
  const char   *label;
} kinds[] = {
  { TACIT_RULE_KIND_PROCESS_HACK, N_("Process hack") },
  { TACIT_RULE_KIND_MATERIAL_NOTE, N_("Material note") },
  { TACIT_RULE_KIND_OVERRIDE, N_("Nuisance alarm") },
  { TACIT_RULE_KIND_ALARM_RESPONSE, N_("Alarm response") },
  { TACIT_RULE_KIND_QUALITY_CHECK, N_("Quality check") },
};

/* Parameters an operator most often turns (SPEC's action examples). */
static const struct {
  const char *id;       /* as the rule writes it */
  const char *label;
} parameters[] = {
  { "ram_speed", N_("ram speed") },
  { "feed_override", N_("feed override") },
  { "spindle_speed", N_("spindle speed") },
  { "shut_height", N_("shut height") },
  { "lubricator", N_("lubricator") },
};

static const struct {
  const char *id;
  const char *label;
} directions[] = {
  { "lower", N_("Lower by") },
  { "raise", N_("Raise by") },
  { "set", N_("Set to") },
};

static const char *const phrases[] = {
  N_("Slow the ram 5 %"), N_("Call the setter"), N_("Check the first part"),
  N_("False alarm: acknowledge and keep running"),
};

/* Chips wrap onto a second line rather than widen the page. */
static GtkWidget *
flow_box (GtkWidget *parent)
{
  GtkWidget *box = gtk_flow_box_new ();

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (box), GTK_SELECTION_NONE);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (box), 10);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (box), 10);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (box), 8);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (box), FALSE);
  if (parent != NULL)
    gtk_box_append (GTK_BOX (parent), box);
  return box;
}

/* The chip inside a flow box child. */
static GtkWidget *
chip_of (GtkWidget *child)
{
  return gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child));
}

static char *
event_words (const TacitEvent *event,
             const char       *machine_name)
{
  g_autofree char *item = g_strdelimit (g_strdup (event->item), "_", ' ');
  const char *condition = tacit_condition_value_canonical (event->value);
  double number;

  if (event->kind == TACIT_KIND_CONDITION && condition != NULL)
    {
      g_autofree char *upper = g_ascii_strup (condition, -1);

      return g_strdup_printf (_("%s reports %s %s%s%s"), machine_name, item, upper,
                              event->code != NULL ? " " : "", event->code != NULL ? event->code : "");
    }
  if (event->kind == TACIT_KIND_SAMPLE && tacit_value_parse_number (event->value, &number))
    return g_strdup_printf (_("%s: %s reaches %g"), machine_name, item, floor (number));
  return g_strdup_printf (_("%s: %s becomes %s"), machine_name, item, event->value);
}

static void
update_review (TacitCapturePage *self)
{
  g_autofree char *review = tacit_capture_page_review (self);

  gtk_label_set_label (GTK_LABEL (self->review_label), review);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "capture.save",
                                 gtk_entry_get_text_length (GTK_ENTRY (self->advice_entry)) > 0);
}

char *
tacit_capture_page_review (TacitCapturePage *self)
{
  g_autoptr(GString) text = NULL;
  g_autofree char *when = NULL;
  const char *advice;

  g_return_val_if_fail (TACIT_IS_CAPTURE_PAGE (self), NULL);

  if (self->event == NULL)
    return g_strdup ("");
  when = event_words (self->event, self->machine_name);
  text = g_string_new (NULL);
  g_string_append_printf (text, _("When %s"), when);
  for (GtkWidget *chip = gtk_widget_get_first_child (self->chips_box); chip != NULL;
       chip = gtk_widget_get_next_sibling (chip))
    if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (chip_of (chip))))
      g_string_append_printf (text, _(" and %s"), gtk_button_get_label (GTK_BUTTON (chip_of (chip))));
  advice = gtk_editable_get_text (GTK_EDITABLE (self->advice_entry));
  g_string_append_printf (text, _(", suggest: %s"), advice[0] != '\0' ? advice : "…");
  {
    g_autofree char *action = tacit_capture_page_dup_action (self);

    if (action != NULL)
      g_string_append_printf (text, " (%s)", action);
  }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
chip_toggled_cb (TacitCapturePage *self)
{
  update_review (self);
}

static GtkWidget *
make_chip (const char *label,
           const char *item,
           const char *value)
{
  GtkWidget *chip = gtk_toggle_button_new_with_label (label);

  gtk_widget_add_css_class (chip, "kiosk-button");
  gtk_widget_add_css_class (chip, "capture-chip");
  g_object_set_data_full (G_OBJECT (chip), "item", g_strdup (item), g_free);
  g_object_set_data_full (G_OBJECT (chip), "value", g_strdup (value), g_free);
  return chip;
}

static void
add_state_chips (TacitCapturePage *self,
                 GHashTable       *state)
{
  g_autoptr(GList) items = g_hash_table_get_keys (state);
  guint n = 0;

  items = g_list_sort (items, (GCompareFunc) g_strcmp0);
  for (GList *l = items; l != NULL && n < 6; l = l->next)
    {
      const char *item = l->data;
      const char *value = g_hash_table_lookup (state, item);
      g_autofree char *words = g_strdelimit (g_strdup (item), "_", ' ');
      g_autofree char *label = NULL;
      GtkWidget *chip;

      if (g_strcmp0 (item, self->event->item) == 0 || tacit_value_is_unavailable (value))
        continue;
      label = g_strdup_printf ("%s = %s", words, value);
      chip = make_chip (label, item, value);
      g_signal_connect_object (chip, "toggled", G_CALLBACK (chip_toggled_cb), self, G_CONNECT_SWAPPED);
      gtk_flow_box_insert (GTK_FLOW_BOX (self->chips_box), chip, -1);
      n++;
    }
}

static void reset_action (TacitCapturePage *self);
static void show_amount  (TacitCapturePage *self);
static void check_chips  (GtkWidget        *box,
                          const char       *value);

/* "-5%" → lower 5 %, "+2" → raise 2, "set:85%" → set to 85 %. */
static void
load_action (TacitCapturePage  *self,
             const TacitAction *action)
{
  const char *change = action->change;
  double number;

  g_free (self->direction);
  if (g_str_has_prefix (change, "set:"))
    {
      self->direction = g_strdup ("set");
      change += 4;
    }
  else
    {
      self->direction = g_strdup (change[0] == '-' ? "lower" : "raise");
      if (change[0] == '-' || change[0] == '+')
        change++;
    }
  g_free (self->unit);
  self->unit = g_strdup (g_str_has_suffix (change, "%") ? "%" : "");
  g_string_assign (self->amount, change);
  if (self->unit[0] != '\0')
    g_string_truncate (self->amount, self->amount->len - 1);
  if (!tacit_value_parse_number (self->amount->str, &number))
    {
      /* "check", "top-up": not a number the keypad can show. */
      g_string_truncate (self->amount, 0);
      return;
    }
  self->parameter = g_strdup (action->parameter);
}

void
tacit_capture_page_start_edit (TacitCapturePage *self,
                               const TacitRule  *rule,
                               const char       *machine_name,
                               const char       *lang)
{
  const TacitSelector *trigger;
  TacitEvent event = { 0 };
  GtkWidget *child;

  g_return_if_fail (TACIT_IS_CAPTURE_PAGE (self));

  g_clear_pointer (&self->editing, tacit_rule_unref);
  self->editing = tacit_rule_copy (rule);
  trigger = &self->editing->trigger.selector;
  /* The trigger as words, through the same path as an event's. */
  event.time = g_get_real_time ();
  event.machine = "";
  event.kind = trigger->has_kind ? trigger->kind : TACIT_KIND_EVENT;
  event.item = trigger->item != NULL ? trigger->item : "";
  event.value = trigger->predicate.value != NULL ? trigger->predicate.value : "";
  event.code = trigger->code;
  g_clear_pointer (&self->event, g_free);
  g_free (self->machine_name);
  self->event = tacit_event_copy (&event);
  self->machine_name = g_strdup (machine_name);
  {
    g_autofree char *when = event_words (&event, machine_name);

    gtk_label_set_label (GTK_LABEL (self->trigger_label), when);
  }
  while ((child = gtk_widget_get_first_child (self->chips_box)) != NULL)
    gtk_flow_box_remove (GTK_FLOW_BOX (self->chips_box), child);
  gtk_widget_set_visible (self->chips_box, FALSE);
  reset_action (self);
  if (self->editing->actions->len > 0)
    load_action (self, g_ptr_array_index (self->editing->actions, 0));
  check_chips (self->parameters_box, self->parameter);
  check_chips (self->directions_box, self->direction);
  check_chips (self->units_box, self->unit);
  show_amount (self);
  gtk_editable_set_text (GTK_EDITABLE (self->advice_entry), tacit_rule_get_text (self->editing, lang));
  gtk_widget_activate_action (GTK_WIDGET (self), "capture.kind", "s",
                              tacit_rule_kind_to_string (self->editing->kind));
  update_review (self);
}

guint
tacit_capture_page_get_base_revision (TacitCapturePage *self)
{
  g_return_val_if_fail (TACIT_IS_CAPTURE_PAGE (self), 0);
  return self->editing != NULL ? self->editing->revision : 0;
}

void
tacit_capture_page_start (TacitCapturePage *self,
                          const TacitEvent *event,
                          const char       *machine_name,
                          GHashTable       *state)
{
  g_autofree char *when = NULL;
  GtkWidget *child;

  g_return_if_fail (TACIT_IS_CAPTURE_PAGE (self));

  g_clear_pointer (&self->editing, tacit_rule_unref);
  g_clear_pointer (&self->event, g_free);
  g_free (self->machine_name);
  self->event = tacit_event_copy (event);
  self->machine_name = g_strdup (machine_name);
  when = event_words (event, machine_name);
  gtk_label_set_label (GTK_LABEL (self->trigger_label), when);
  while ((child = gtk_widget_get_first_child (self->chips_box)) != NULL)
    gtk_flow_box_remove (GTK_FLOW_BOX (self->chips_box), child);
  if (state != NULL)
    add_state_chips (self, state);
  gtk_widget_set_visible (self->chips_box, gtk_widget_get_first_child (self->chips_box) != NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->advice_entry), "");
  reset_action (self);
  gtk_widget_activate_action (GTK_WIDGET (self), "capture.kind", "s",
                              tacit_rule_kind_to_string (event->kind == TACIT_KIND_CONDITION
                                                         ? TACIT_RULE_KIND_ALARM_RESPONSE
                                                         : TACIT_RULE_KIND_PROCESS_HACK));
  update_review (self);
}

/* ---- the structured action ---- */

/* "-5%", "+2", "set:85%": the change as a rule writes it, or NULL while
 * the action is incomplete. Lower and raise take the amount's size; Set
 * to takes it as typed, sign and all. */
static char *
action_change (TacitCapturePage *self)
{
  const char *amount = self->amount->str;
  double number;

  if (self->parameter == NULL || self->direction == NULL)
    return NULL;
  if (amount[0] == '-' && !g_str_equal (self->direction, "set"))
    amount++;
  if (!tacit_value_parse_number (amount, &number))
    return NULL;
  if (g_str_equal (self->direction, "set"))
    return g_strdup_printf ("set:%s%s", amount, self->unit);
  return g_strdup_printf ("%s%s%s", g_str_equal (self->direction, "lower") ? "-" : "+", amount, self->unit);
}

char *
tacit_capture_page_dup_action (TacitCapturePage *self)
{
  g_autofree char *change = NULL;
  g_autofree char *parameter = NULL;
  g_autoptr(GString) text = NULL;

  g_return_val_if_fail (TACIT_IS_CAPTURE_PAGE (self), NULL);

  if ((change = action_change (self)) == NULL)
    return NULL;
  parameter = g_strdelimit (g_strdup (self->parameter), "_", ' ');
  text = g_string_new (parameter);
  if (g_str_has_prefix (change, "set:"))
    g_string_append_printf (text, " → %s", change + 4);
  else
    g_string_append_printf (text, " %s%s", change[0] == '-' ? "−" : "+", change + 1);
  if (g_str_has_suffix (text->str, "%"))
    g_string_insert (text, text->len - 1, " ");
  return g_string_free (g_steal_pointer (&text), FALSE);
}

const char *
tacit_capture_page_get_amount (TacitCapturePage *self)
{
  g_return_val_if_fail (TACIT_IS_CAPTURE_PAGE (self), NULL);
  return self->amount->str;
}

static void
show_amount (TacitCapturePage *self)
{
  g_autofree char *text = g_strdup_printf ("%s %s", self->amount->len > 0 ? self->amount->str : "–",
                                           self->unit);

  gtk_label_set_label (GTK_LABEL (self->amount_label), text);
  update_review (self);
}

/* Stateful-looking chips without a stateful action: the chip whose
 * "target" is value is the checked one. */
static void
check_chips (GtkWidget  *box,
             const char *value)
{
  for (GtkWidget *child = gtk_widget_get_first_child (box); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (chip_of (child)),
                                  g_strcmp0 (g_object_get_data (G_OBJECT (chip_of (child)), "target"), value) == 0);
}

static void
reset_action (TacitCapturePage *self)
{
  g_clear_pointer (&self->parameter, g_free);
  g_free (self->direction);
  self->direction = g_strdup ("lower");
  g_free (self->unit);
  self->unit = g_strdup ("%");
  g_string_truncate (self->amount, 0);
  check_chips (self->parameters_box, NULL);
  check_chips (self->directions_box, self->direction);
  check_chips (self->units_box, self->unit);
  show_amount (self);
}

/* ---- building the rule ---- */

static void
set_trigger (TacitRule        *rule,
             const TacitEvent *event)
{
  const char *condition = tacit_condition_value_canonical (event->value);
  double number;

  rule->trigger.selector.has_kind = TRUE;
  rule->trigger.selector.kind = event->kind;
  rule->trigger.selector.item = g_strdup (event->item);
  if (event->kind == TACIT_KIND_CONDITION)
    {
      rule->trigger.selector.code = g_strdup (event->code);
      tacit_predicate_set (&rule->trigger.selector.predicate, TACIT_OP_EQ,
                           condition != NULL ? condition : event->value, NULL);
    }
  else if (event->kind == TACIT_KIND_SAMPLE && tacit_value_parse_number (event->value, &number))
    {
      g_autofree char *bound = g_strdup_printf ("%g", floor (number));

      tacit_predicate_set (&rule->trigger.selector.predicate, TACIT_OP_GE, bound, NULL);
    }
  else
    tacit_predicate_set (&rule->trigger.selector.predicate, TACIT_OP_EQ, event->value, NULL);
}

static void
add_conditions (TacitCapturePage *self,
                TacitRule        *rule)
{
  for (GtkWidget *chip = gtk_widget_get_first_child (self->chips_box); chip != NULL;
       chip = gtk_widget_get_next_sibling (chip))
    {
      GtkWidget *button = chip_of (chip);
      TacitCondition *condition;

      if (!gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button)))
        continue;
      condition = tacit_condition_new (TACIT_CONDITION_STATE);
      condition->selector.item = g_strdup (g_object_get_data (G_OBJECT (button), "item"));
      tacit_predicate_set (&condition->selector.predicate, TACIT_OP_EQ,
                           g_object_get_data (G_OBJECT (button), "value"), NULL);
      g_ptr_array_add (rule->conditions, condition);
    }
}

static void
set_provenance (TacitCapturePage *self,
                TacitRule        *rule,
                const char       *author)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  char when[TACIT_TIME_FORMAT_LEN];

  rule->provenance.author = g_strdup (author);
  rule->provenance.created = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  /* Events shown live are not stored with an id: name the event. */
  rule->provenance.source_event = g_strdup_printf ("%s/%s@%s", self->event->machine, self->event->item,
                                                   tacit_time_format_ms_buf (self->event->time, when));
}

/* A new revision of the sent-back rule: its trigger and conditions stay,
 * the kind, the advice in lang and the action are the operator's. */
static TacitRule *
build_edit (TacitCapturePage *self,
            const char       *advice,
            const char       *lang)
{
  TacitRule *rule = tacit_rule_copy (self->editing);
  const char *want = lang != NULL && g_strcmp0 (lang, "en") != 0 ? lang : NULL;
  g_autofree char *change = action_change (self);
  gboolean found = FALSE;

  rule->kind = self->kind;
  rule->status = TACIT_RULE_STATUS_PROPOSED;
  for (guint i = 0; i < rule->texts->len; i++)
    {
      TacitAdviceText *text = g_ptr_array_index (rule->texts, i);

      if (g_strcmp0 (text->lang, want) == 0)
        {
          g_free (text->text);
          text->text = g_strdup (advice);
          found = TRUE;
        }
    }
  if (!found)
    {
      TacitAdviceText *text = g_new0 (TacitAdviceText, 1);

      text->lang = g_strdup (want);
      text->text = g_strdup (advice);
      g_ptr_array_add (rule->texts, text);
    }
  g_ptr_array_set_size (rule->actions, 0);
  if (change != NULL)
    {
      TacitAction *action = g_new0 (TacitAction, 1);

      action->parameter = g_strdup (self->parameter);
      action->change = g_steal_pointer (&change);
      g_ptr_array_add (rule->actions, action);
    }
  return rule;
}

TacitRule *
tacit_capture_page_build (TacitCapturePage *self,
                          const char       *author,
                          const char       *lang)
{
  const char *advice;
  TacitRule *rule;
  TacitAdviceText *text;
  TacitScope *scope;

  g_return_val_if_fail (TACIT_IS_CAPTURE_PAGE (self), NULL);

  advice = gtk_editable_get_text (GTK_EDITABLE (self->advice_entry));
  if (self->event == NULL || advice[0] == '\0')
    return NULL;
  if (self->editing != NULL)
    return build_edit (self, advice, lang);
  rule = tacit_rule_new ();
  /* Unique per author and microsecond: two captures never collide. */
  rule->id = g_strdup_printf ("capture-%s-%" G_GINT64_FORMAT, author != NULL ? author : "kiosk",
                              g_get_real_time ());
  rule->kind = self->kind;
  rule->status = TACIT_RULE_STATUS_PROPOSED;
  rule->title = g_strdup (advice);
  scope = g_new0 (TacitScope, 1);
  scope->type = TACIT_SCOPE_MACHINE;
  scope->value = g_strdup (self->event->machine);
  g_ptr_array_add (rule->scopes, scope);
  set_trigger (rule, self->event);
  add_conditions (self, rule);
  text = g_new0 (TacitAdviceText, 1);
  text->lang = lang != NULL && g_strcmp0 (lang, "en") != 0 ? g_strdup (lang) : NULL;
  text->text = g_strdup (advice);
  g_ptr_array_add (rule->texts, text);
  {
    g_autofree char *change = action_change (self);

    if (change != NULL)
      {
        TacitAction *action = g_new0 (TacitAction, 1);

        action->parameter = g_strdup (self->parameter);
        action->change = g_steal_pointer (&change);
        g_ptr_array_add (rule->actions, action);
      }
  }
  set_provenance (self, rule, author);
  return rule;
}

/* ---- actions ---- */

static void
kind_cb (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  TacitCapturePage *self = TACIT_CAPTURE_PAGE (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  tacit_rule_kind_from_string (name, &self->kind);
  for (GtkWidget *chip = gtk_widget_get_first_child (self->kinds_box); chip != NULL;
       chip = gtk_widget_get_next_sibling (chip))
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (chip_of (chip)),
                                  g_strcmp0 (g_object_get_data (G_OBJECT (chip_of (chip)), "kind"), name) == 0);
}

static void
phrase_cb (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  TacitCapturePage *self = TACIT_CAPTURE_PAGE (widget);
  const char *old = gtk_editable_get_text (GTK_EDITABLE (self->advice_entry));
  g_autofree char *text = old[0] != '\0'
                          ? g_strdup_printf ("%s. %s", old, g_variant_get_string (parameter, NULL))
                          : g_strdup (g_variant_get_string (parameter, NULL));

  gtk_editable_set_text (GTK_EDITABLE (self->advice_entry), text);
}

static void
parameter_cb (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  TacitCapturePage *self = TACIT_CAPTURE_PAGE (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  /* Tapping the chosen parameter again: no action after all. */
  gboolean again = g_strcmp0 (self->parameter, name) == 0;

  g_free (self->parameter);
  self->parameter = again ? NULL : g_strdup (name);
  check_chips (self->parameters_box, self->parameter);
  update_review (self);
}

static void
direction_cb (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  TacitCapturePage *self = TACIT_CAPTURE_PAGE (widget);

  g_free (self->direction);
  self->direction = g_variant_dup_string (parameter, NULL);
  check_chips (self->directions_box, self->direction);
  update_review (self);
}

static void
unit_cb (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  TacitCapturePage *self = TACIT_CAPTURE_PAGE (widget);

  g_free (self->unit);
  self->unit = g_variant_dup_string (parameter, NULL);
  check_chips (self->units_box, self->unit);
  show_amount (self);
}

/* The numeric keypad: digits, one decimal point, a leading minus (it
 * flips the sign), backspace. At most 8 characters. */
static void
key_cb (GtkWidget  *widget,
        const char *action_name,
        GVariant   *parameter)
{
  TacitCapturePage *self = TACIT_CAPTURE_PAGE (widget);
  const char *key = g_variant_get_string (parameter, NULL);

  if (g_str_equal (key, "back"))
    {
      if (self->amount->len > 0)
        g_string_truncate (self->amount, self->amount->len - 1);
    }
  else if (g_str_equal (key, "-"))
    {
      if (self->amount->str[0] == '-')
        g_string_erase (self->amount, 0, 1);
      else
        g_string_prepend_c (self->amount, '-');
    }
  else if (g_str_equal (key, "."))
    {
      if (strchr (self->amount->str, '.') == NULL && self->amount->len < 8)
        g_string_append (self->amount, self->amount->len == 0 || g_str_equal (self->amount->str, "-")
                                        ? "0." : ".");
    }
  else if (strlen (key) == 1 && g_ascii_isdigit (key[0]) && self->amount->len < 8)
    g_string_append (self->amount, key);
  show_amount (self);
}

static void
save_cb (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_SAVE], 0);
}

static void
back_cb (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_BACK], 0);
}

/* ---- construction ---- */

static GtkWidget *
heading (GtkWidget  *box,
         const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_add_css_class (label, "capture-heading");
  gtk_box_append (GTK_BOX (box), label);
  return label;
}


static void
build_kinds (TacitCapturePage *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      GtkWidget *chip = gtk_toggle_button_new_with_label (_(kinds[i].label));

      gtk_widget_add_css_class (chip, "kiosk-button");
      gtk_widget_add_css_class (chip, "capture-chip");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (chip), "capture.kind");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (chip), "s", tacit_rule_kind_to_string (kinds[i].kind));
      g_object_set_data (G_OBJECT (chip), "kind", (gpointer) tacit_rule_kind_to_string (kinds[i].kind));
      gtk_flow_box_insert (GTK_FLOW_BOX (self->kinds_box), chip, -1);
    }
}

static GtkWidget *
build_phrases (void)
{
  GtkWidget *box = flow_box (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (phrases); i++)
    {
      GtkWidget *button = gtk_button_new_with_label (_(phrases[i]));

      gtk_widget_add_css_class (button, "kiosk-button");
      gtk_widget_add_css_class (button, "phrase-chip");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "capture.phrase");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", _(phrases[i]));
      gtk_flow_box_insert (GTK_FLOW_BOX (box), button, -1);
    }
  return box;
}

static GtkWidget *
toggle_chip (const char *label,
             const char *action,
             const char *target)
{
  GtkWidget *chip = gtk_toggle_button_new_with_label (label);

  gtk_widget_add_css_class (chip, "kiosk-button");
  gtk_widget_add_css_class (chip, "capture-chip");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (chip), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (chip), "s", target);
  g_object_set_data_full (G_OBJECT (chip), "target", g_strdup (target), g_free);
  return chip;
}

static GtkWidget *
key_button (const char *label,
            const char *key)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  gtk_widget_add_css_class (button, "kiosk-button");
  gtk_widget_add_css_class (button, "key");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "capture.key");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", key);
  return button;
}

/* parameter chips | lower / raise / set, unit | amount + keypad */
static GtkWidget *
build_action (TacitCapturePage *self)
{
  static const char *const keys[][2] = {
    { "7", "7" }, { "8", "8" }, { "9", "9" },
    { "4", "4" }, { "5", "5" }, { "6", "6" },
    { "1", "1" }, { "2", "2" }, { "3", "3" },
    { "−", "-" }, { "0", "0" }, { ".", "." },
  };
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 24);
  GtkWidget *left = gtk_box_new (GTK_ORIENTATION_VERTICAL, 10);
  GtkWidget *right = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *keypad = gtk_grid_new ();
  GtkWidget *back;

  self->parameters_box = flow_box (left);
  for (guint i = 0; i < G_N_ELEMENTS (parameters); i++)
    gtk_flow_box_insert (GTK_FLOW_BOX (self->parameters_box),
                         toggle_chip (_(parameters[i].label), "capture.parameter", parameters[i].id), -1);
  self->directions_box = flow_box (left);
  for (guint i = 0; i < G_N_ELEMENTS (directions); i++)
    gtk_flow_box_insert (GTK_FLOW_BOX (self->directions_box),
                         toggle_chip (_(directions[i].label), "capture.direction", directions[i].id), -1);
  self->units_box = flow_box (left);
  gtk_flow_box_insert (GTK_FLOW_BOX (self->units_box), toggle_chip ("%", "capture.unit", "%"), -1);
  gtk_flow_box_insert (GTK_FLOW_BOX (self->units_box), toggle_chip (_("units"), "capture.unit", ""), -1);
  gtk_widget_set_hexpand (left, TRUE);

  self->amount_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->amount_label), 1.0);
  gtk_widget_add_css_class (self->amount_label, "capture-amount");
  gtk_box_append (GTK_BOX (right), self->amount_label);
  gtk_grid_set_row_spacing (GTK_GRID (keypad), 8);
  gtk_grid_set_column_spacing (GTK_GRID (keypad), 8);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_grid_attach (GTK_GRID (keypad), key_button (keys[i][0], keys[i][1]), i % 3, i / 3, 1, 1);
  back = gtk_button_new_from_icon_name ("edit-clear-symbolic");
  gtk_widget_add_css_class (back, "kiosk-button");
  gtk_widget_add_css_class (back, "key");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (back), "capture.key");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (back), "s", "back");
  gtk_accessible_update_property (GTK_ACCESSIBLE (back), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Delete"), -1);
  gtk_grid_attach (GTK_GRID (keypad), back, 3, 0, 1, 4);
  gtk_widget_add_css_class (keypad, "capture-keypad");
  gtk_box_append (GTK_BOX (right), keypad);

  gtk_box_append (GTK_BOX (row), left);
  gtk_box_append (GTK_BOX (row), right);
  return row;
}

static GtkWidget *
build_top (void)
{
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 16);
  GtkWidget *back = gtk_button_new_from_icon_name ("go-previous-symbolic");
  GtkWidget *title = gtk_label_new (_("Add what you know"));
  GtkWidget *save = gtk_button_new_with_label (_("Save — an engineer will review it"));

  gtk_widget_add_css_class (save, "kiosk-button");
  gtk_widget_add_css_class (save, "suggested-action");
  gtk_widget_set_halign (save, GTK_ALIGN_END);
  gtk_widget_set_hexpand (save, TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (save), "capture.save");

  gtk_widget_add_css_class (back, "kiosk-button");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (back), "capture.back");
  gtk_accessible_update_property (GTK_ACCESSIBLE (back), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Back"), -1);
  gtk_widget_add_css_class (title, "capture-title");
  gtk_box_append (GTK_BOX (top), back);
  gtk_box_append (GTK_BOX (top), title);
  gtk_box_append (GTK_BOX (top), save);
  return top;
}

static void
tacit_capture_page_init (TacitCapturePage *self)
{
  GtkWidget *box = GTK_WIDGET (self);

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 12);
  gtk_widget_add_css_class (box, "capture");
  gtk_box_append (GTK_BOX (box), build_top ());
  heading (box, _("When"));
  self->trigger_label = heading (box, "");
  gtk_widget_add_css_class (self->trigger_label, "capture-trigger");
  heading (box, _("And only when (tap what matters)"));
  self->chips_box = flow_box (box);
  heading (box, _("What kind of know-how"));
  self->kinds_box = flow_box (box);
  build_kinds (self);
  heading (box, _("What to do"));
  self->advice_entry = gtk_entry_new ();
  gtk_widget_add_css_class (self->advice_entry, "capture-entry");
  g_signal_connect_object (self->advice_entry, "changed", G_CALLBACK (update_review), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (box), self->advice_entry);
  gtk_box_append (GTK_BOX (box), build_phrases ());
  heading (box, _("Change a setting (optional)"));
  self->amount = g_string_new (NULL);
  self->direction = g_strdup ("lower");
  self->unit = g_strdup ("%");
  gtk_box_append (GTK_BOX (box), build_action (self));
  self->review_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->review_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->review_label), 0.0);
  gtk_widget_add_css_class (self->review_label, "capture-review");
  gtk_box_append (GTK_BOX (box), self->review_label);
}

static void
tacit_capture_page_finalize (GObject *object)
{
  TacitCapturePage *self = TACIT_CAPTURE_PAGE (object);

  g_clear_pointer (&self->event, g_free);
  g_clear_pointer (&self->machine_name, g_free);
  g_clear_pointer (&self->parameter, g_free);
  g_clear_pointer (&self->editing, tacit_rule_unref);
  g_clear_pointer (&self->direction, g_free);
  g_clear_pointer (&self->unit, g_free);
  g_string_free (self->amount, TRUE);
  G_OBJECT_CLASS (tacit_capture_page_parent_class)->finalize (object);
}

static void
tacit_capture_page_class_init (TacitCapturePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = tacit_capture_page_finalize;
  signals[SIGNAL_SAVE] = g_signal_new ("save", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                       NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_BACK] = g_signal_new ("back", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                       NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_install_action (widget_class, "capture.kind", "s", kind_cb);
  gtk_widget_class_install_action (widget_class, "capture.phrase", "s", phrase_cb);
  gtk_widget_class_install_action (widget_class, "capture.save", NULL, save_cb);
  gtk_widget_class_install_action (widget_class, "capture.parameter", "s", parameter_cb);
  gtk_widget_class_install_action (widget_class, "capture.direction", "s", direction_cb);
  gtk_widget_class_install_action (widget_class, "capture.unit", "s", unit_cb);
  gtk_widget_class_install_action (widget_class, "capture.key", "s", key_cb);
  gtk_widget_class_install_action (widget_class, "capture.back", NULL, back_cb);
}

GtkWidget *
tacit_capture_page_new (void)
{
  return g_object_new (TACIT_TYPE_CAPTURE_PAGE, NULL);
}
