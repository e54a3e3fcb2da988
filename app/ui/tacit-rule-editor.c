/* tacit-rule-editor.c: the rule form.
 *
 * The form is serialised to a <rule> element on every change and read
 * back with tacit_rule_from_xml(), which runs the same checks as a
 * library import (RELAX NG schema, durations, predicates): what the form
 * shows as valid is exactly what the store and the engine accept, and
 * the rule that is saved is the one that was validated.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-rule-editor.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tacit-error.h"
#include "tacit-library-xml.h"
#include "tacit-rule-diff.h"
#include "tacit-rule-history.h"
#include "tacit-time.h"

/* Display order of the combo rows: the enums' order. */
static const char *const rule_kinds[] = {
  "process-hack", "material-note", "override", "alarm-response", "quality-check", NULL
};
static const char *const rule_statuses[] = { "draft", "proposed", "approved", "retired", NULL };
static const char *const severities[] = { "info", "warning", "critical", NULL };
static const char *const event_kinds[] = { "sample", "event", "condition", NULL };
/* Optional kind (count, outcome): position 0 is "any". */
static const char *const any_event_kinds[] = { "any kind", "sample", "event", "condition", NULL };
/* TacitOp order; position 0 is TACIT_OP_NONE. */
static const char *const op_labels[] = { "any value", "=", "≠", "<", "≤", ">", "≥", "in", "between", NULL };
static const char *const edges[] = { "when it becomes true (or changes)", "on every matching event", NULL };
static const char *const condition_types[] = { "state", "count", NULL };

typedef struct {
  GtkWidget   *row;
  GtkDropDown *type;
  GtkDropDown *kind;
  GtkEntry    *item;
  GtkDropDown *op;
  GtkEntry    *value;
  GtkEntry    *code;
  GtkEntry    *duration;
  GtkEntry    *min;
  GtkEntry    *max;
} ConditionRow;

typedef struct {
  GtkWidget *row;
  GtkEntry  *first;    /* language / parameter */
  GtkEntry  *second;   /* text / change */
} PairRow;

struct _TacitRuleEditor
{
  GtkWidget         parent_instance;

  TacitStore       *store;
  TacitOperator    *actor;
  TacitRule        *loaded;        /* the revision opened, NULL for a new rule */
  char             *loaded_xml;    /* its canonical XML */
  guint             base_revision; /* 0 for a new rule */
  TacitRule        *valid;         /* the form as a rule, NULL while invalid */
  char             *problem;
  gboolean          filling;
  GPtrArray        *conditions;    /* ConditionRow* */
  GPtrArray        *texts;         /* PairRow* */
  GPtrArray        *actions;       /* PairRow* */

  GtkWidget        *main_box;
  GtkLabel         *heading_label;
  GtkLabel         *subtitle_label;
  GtkWidget        *save_button;
  GtkLabel         *validation_label;
  GtkWidget        *conflict_box;
  GtkLabel         *conflict_label;
  GtkTextView      *conflict_view;
  AdwEntryRow      *id_row;
  AdwEntryRow      *title_row;
  AdwComboRow      *kind_row;
  AdwComboRow      *status_row;
  AdwComboRow      *severity_row;
  AdwEntryRow      *tags_row;
  AdwEntryRow      *machines_row;
  AdwEntryRow      *classes_row;
  AdwEntryRow      *cells_row;
  AdwComboRow      *trigger_kind_row;
  AdwEntryRow      *trigger_item_row;
  AdwComboRow      *trigger_op_row;
  AdwEntryRow      *trigger_value_row;
  AdwEntryRow      *trigger_code_row;
  AdwComboRow      *trigger_edge_row;
  AdwEntryRow      *trigger_delay_row;
  GtkListBox       *conditions_list;
  GtkListBox       *texts_list;
  GtkListBox       *actions_list;
  AdwEntryRow      *cooldown_row;
  AdwEntryRow      *holdout_row;
  AdwExpanderRow   *outcome_row;
  AdwComboRow      *outcome_kind_row;
  AdwEntryRow      *outcome_item_row;
  AdwComboRow      *outcome_op_row;
  AdwEntryRow      *outcome_value_row;
  AdwEntryRow      *outcome_code_row;
  AdwEntryRow      *outcome_within_row;
  GtkTextView      *rationale_view;
  AdwEntryRow      *author_row;
  AdwEntryRow      *created_row;
  AdwEntryRow      *reviewer_row;
  AdwEntryRow      *reviewed_row;
  AdwEntryRow      *source_event_row;
};

G_DEFINE_FINAL_TYPE (TacitRuleEditor, tacit_rule_editor, GTK_TYPE_WIDGET)

enum {
  SIGNAL_SAVED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static void validate (TacitRuleEditor *self);

/* ---- small helpers ---- */

static void
changed_cb (TacitRuleEditor *self)
{
  if (!self->filling)
    validate (self);
}

static void
watch (TacitRuleEditor *self,
       gpointer         widget)
{
  if (GTK_IS_EDITABLE (widget))
    g_signal_connect_object (widget, "changed", G_CALLBACK (changed_cb), self, G_CONNECT_SWAPPED);
  else if (ADW_IS_COMBO_ROW (widget) || GTK_IS_DROP_DOWN (widget))
    g_signal_connect_object (widget, "notify::selected", G_CALLBACK (changed_cb), self, G_CONNECT_SWAPPED);
}

static const char *
text_of (gpointer editable)
{
  return gtk_editable_get_text (GTK_EDITABLE (editable));
}

static void
set_text (gpointer    editable,
          const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (editable), text != NULL ? text : "");
}

static GtkStringList *
string_list (const char *const *strings)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  for (guint i = 0; strings[i] != NULL; i++)
    gtk_string_list_append (list, _(strings[i]));
  return list;
}

static void
setup_combo (TacitRuleEditor   *self,
             AdwComboRow       *row,
             const char *const *strings)
{
  g_autoptr(GtkStringList) model = string_list (strings);

  adw_combo_row_set_model (row, G_LIST_MODEL (model));
  watch (self, row);
}

static GtkDropDown *
new_drop_down (const char *const *strings)
{
  g_autoptr(GtkStringList) model = string_list (strings);

  return GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&model)), NULL));
}

static GtkEntry *
new_entry (const char *placeholder,
           int         width_chars)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), placeholder);
  gtk_editable_set_width_chars (GTK_EDITABLE (entry), width_chars);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, placeholder, -1);
  return GTK_ENTRY (entry);
}

static char *
duration_text (TacitTime duration)
{
  return duration > 0 ? tacit_duration_format (duration) : g_strdup ("");
}

/* ---- XML out of the form ---- */

static void
attr (GString    *xml,
      const char *name,
      const char *value)
{
  g_autofree char *escaped = NULL;
  g_autofree char *stripped = NULL;

  if (value == NULL)
    return;
  stripped = g_strstrip (g_strdup (value));
  if (*stripped == '\0')
    return;
  escaped = g_markup_escape_text (stripped, -1);
  g_string_append_printf (xml, " %s=\"%s\"", name, escaped);
}

static void
element_text (GString    *xml,
              const char *name,
              const char *lang,
              const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  g_string_append_printf (xml, "<%s", name);
  attr (xml, "xml:lang", lang);
  g_string_append_printf (xml, ">%s</%s>\n", escaped, name);
}

/* op + value: no op with a value means eq (as in the XML). */
static void
predicate_attrs (GString    *xml,
                 guint       op,
                 const char *value)
{
  if (op != TACIT_OP_NONE)
    attr (xml, "op", tacit_op_to_string ((TacitOp) op));
  if (op != TACIT_OP_NONE || (value != NULL && *value != '\0'))
    {
      /* An empty value with an op is kept, so the schema names it. */
      g_autofree char *escaped = g_markup_escape_text (value != NULL ? value : "", -1);

      g_string_append_printf (xml, " value=\"%s\"", escaped);
    }
}

static void
scope_elements (GString    *xml,
                const char *attribute,
                const char *list)
{
  g_auto(GStrv) words = g_strsplit_set (list, " ,", -1);

  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      {
        g_string_append (xml, "<scope");
        attr (xml, attribute, words[i]);
        g_string_append (xml, "/>\n");
      }
}

static void
condition_xml (GString            *xml,
               const ConditionRow *c)
{
  gboolean count = gtk_drop_down_get_selected (c->type) == 1;
  guint kind = gtk_drop_down_get_selected (c->kind);

  g_string_append (xml, count ? "<count" : "<state");
  if (count && kind > 0)
    attr (xml, "kind", event_kinds[kind - 1]);
  /* state needs its item: an empty one is written so the schema names it. */
  if (!count && *text_of (c->item) == '\0')
    g_string_append (xml, " item=\"\"");
  attr (xml, "item", text_of (c->item));
  if (count)
    attr (xml, "code", text_of (c->code));
  predicate_attrs (xml, gtk_drop_down_get_selected (c->op), text_of (c->value));
  if (count)
    {
      attr (xml, "min", text_of (c->min));
      attr (xml, "max", text_of (c->max));
      if (*text_of (c->duration) == '\0')
        g_string_append (xml, " within=\"\"");
      attr (xml, "within", text_of (c->duration));
    }
  else
    attr (xml, "for", text_of (c->duration));
  g_string_append (xml, "/>\n");
}

static char *
rationale_text (TacitRuleEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->rationale_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
trigger_xml (TacitRuleEditor *self,
             GString         *xml)
{
  g_string_append (xml, "<on");
  attr (xml, "kind", event_kinds[adw_combo_row_get_selected (self->trigger_kind_row)]);
  attr (xml, "item", text_of (self->trigger_item_row));
  attr (xml, "code", text_of (self->trigger_code_row));
  predicate_attrs (xml, adw_combo_row_get_selected (self->trigger_op_row), text_of (self->trigger_value_row));
  if (adw_combo_row_get_selected (self->trigger_edge_row) == 1)
    attr (xml, "edge", "every");
  attr (xml, "for", text_of (self->trigger_delay_row));
  g_string_append (xml, "/>\n");
}

static void
advise_xml (TacitRuleEditor *self,
            GString         *xml)
{
  g_string_append (xml, "<advise");
  attr (xml, "severity", severities[adw_combo_row_get_selected (self->severity_row)]);
  attr (xml, "cooldown", text_of (self->cooldown_row));
  attr (xml, "holdout", text_of (self->holdout_row));
  g_string_append (xml, ">\n");
  for (guint i = 0; i < self->texts->len; i++)
    {
      const PairRow *t = g_ptr_array_index (self->texts, i);

      element_text (xml, "text", text_of (t->first), text_of (t->second));
    }
  for (guint i = 0; i < self->actions->len; i++)
    {
      const PairRow *a = g_ptr_array_index (self->actions, i);

      g_string_append (xml, "<action");
      if (*text_of (a->first) == '\0')
        g_string_append (xml, " parameter=\"\"");
      attr (xml, "parameter", text_of (a->first));
      if (*text_of (a->second) == '\0')
        g_string_append (xml, " change=\"\"");
      attr (xml, "change", text_of (a->second));
      g_string_append (xml, "/>\n");
    }
  g_string_append (xml, "</advise>\n");
}

static void
outcome_xml (TacitRuleEditor *self,
             GString         *xml)
{
  guint kind = adw_combo_row_get_selected (self->outcome_kind_row);

  if (!adw_expander_row_get_enable_expansion (self->outcome_row))
    return;
  g_string_append (xml, "<outcome");
  if (kind > 0)
    attr (xml, "kind", event_kinds[kind - 1]);
  attr (xml, "item", text_of (self->outcome_item_row));
  attr (xml, "code", text_of (self->outcome_code_row));
  predicate_attrs (xml, adw_combo_row_get_selected (self->outcome_op_row), text_of (self->outcome_value_row));
  if (*text_of (self->outcome_within_row) == '\0')
    g_string_append (xml, " within=\"\"");
  attr (xml, "within", text_of (self->outcome_within_row));
  g_string_append (xml, "/>\n");
}

static char *
form_to_xml (TacitRuleEditor *self)
{
  GString *xml = g_string_new ("<rule xmlns=\"" TACIT_RULES_NS "\"");
  g_autofree char *rationale = rationale_text (self);
  g_auto(GStrv) tags = g_strsplit_set (text_of (self->tags_row), " ,", -1);

  if (*text_of (self->id_row) == '\0')
    g_string_append (xml, " id=\"\"");
  attr (xml, "id", text_of (self->id_row));
  attr (xml, "kind", rule_kinds[adw_combo_row_get_selected (self->kind_row)]);
  attr (xml, "status", rule_statuses[adw_combo_row_get_selected (self->status_row)]);
  g_string_append (xml, ">\n");
  element_text (xml, "title", NULL, text_of (self->title_row));
  scope_elements (xml, "machine", text_of (self->machines_row));
  scope_elements (xml, "class", text_of (self->classes_row));
  scope_elements (xml, "cell", text_of (self->cells_row));
  trigger_xml (self, xml);
  if (self->conditions->len > 0)
    {
      g_string_append (xml, "<if>\n");
      for (guint i = 0; i < self->conditions->len; i++)
        condition_xml (xml, g_ptr_array_index (self->conditions, i));
      g_string_append (xml, "</if>\n");
    }
  advise_xml (self, xml);
  outcome_xml (self, xml);
  if (*g_strstrip (rationale) != '\0')
    element_text (xml, "rationale", NULL, rationale);
  g_string_append (xml, "<provenance");
  attr (xml, "author", text_of (self->author_row));
  attr (xml, "created", text_of (self->created_row));
  attr (xml, "reviewer", text_of (self->reviewer_row));
  attr (xml, "reviewed", text_of (self->reviewed_row));
  attr (xml, "source-event", text_of (self->source_event_row));
  g_string_append (xml, "/>\n");
  for (guint i = 0; tags[i] != NULL; i++)
    if (*tags[i] != '\0')
      element_text (xml, "tag", NULL, tags[i]);
  g_string_append (xml, "</rule>\n");
  return g_string_free (xml, FALSE);
}

/* ---- validation ---- */

/* "rule.xml:12: problem" → "problem": the form has no lines. */
static char *
line_free (const char *message)
{
  const char *p = message;

  if (g_str_has_prefix (p, "rule.xml:"))
    {
      p += strlen ("rule.xml:");
      while (g_ascii_isdigit (*p))
        p++;
      if (*p == ':')
        p++;
      while (*p == ' ')
        p++;
    }
  return g_strdup (p);
}

static void
update_heading (TacitRuleEditor *self)
{
  g_autofree char *subtitle = NULL;
  const char *title = text_of (self->title_row);

  gtk_label_set_label (self->heading_label, *title != '\0' ? title : _("New rule"));
  if (self->loaded != NULL)
    subtitle = g_strdup_printf (_("%s · revision %u%s"), self->loaded->id, self->base_revision,
                                tacit_rule_editor_is_modified (self) ? _(" · edited") : "");
  else
    subtitle = g_strdup (_("Not saved yet"));
  gtk_label_set_label (self->subtitle_label, subtitle);
}

static void
show_problem (TacitRuleEditor *self,
              const char      *message)
{
  gtk_label_set_label (self->validation_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->validation_label), message != NULL);
}

static void
validate (TacitRuleEditor *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = form_to_xml (self);

  g_clear_pointer (&self->valid, tacit_rule_unref);
  g_clear_pointer (&self->problem, g_free);
  self->valid = tacit_rule_from_xml (xml, -1, &error);
  if (self->valid == NULL)
    self->problem = line_free (error->message);
  show_problem (self, self->problem);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save",
                                 self->valid != NULL && tacit_rule_editor_is_modified (self));
  update_heading (self);
}

/* ---- dynamic rows ---- */

static void
remove_row (TacitRuleEditor *self,
            GPtrArray       *rows,
            GtkListBox      *list,
            GtkWidget       *row)
{
  for (guint i = 0; i < rows->len; i++)
    if (*(GtkWidget **) g_ptr_array_index (rows, i) == row)
      {
        g_ptr_array_remove_index (rows, i);
        break;
      }
  gtk_list_box_remove (list, row);
  validate (self);
}

static void
remove_clicked_cb (GtkButton       *button,
                   TacitRuleEditor *self)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_LIST_BOX_ROW);
  GtkListBox *list = GTK_LIST_BOX (gtk_widget_get_parent (row));
  GPtrArray *rows = list == self->conditions_list ? self->conditions
                  : list == self->texts_list ? self->texts : self->actions;

  remove_row (self, rows, list, row);
}

static GtkWidget *
row_box (TacitRuleEditor *self,
         GtkListBox      *list,
         GtkWidget      **row_out)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *lines = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");

  gtk_widget_set_margin_start (lines, 8);
  gtk_widget_set_margin_end (lines, 8);
  gtk_widget_set_margin_top (lines, 6);
  gtk_widget_set_margin_bottom (lines, 6);
  gtk_box_append (GTK_BOX (lines), box);
  gtk_widget_set_tooltip_text (remove, _("Remove"));
  gtk_widget_add_css_class (remove, "flat");
  g_signal_connect_object (remove, "clicked", G_CALLBACK (remove_clicked_cb), self, 0);
  gtk_box_append (GTK_BOX (box), remove);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), lines);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_append (list, row);
  *row_out = row;
  return box;
}

static void
append_child (GtkWidget *box,
              gpointer   child,
              gboolean   expand)
{
  gtk_widget_set_hexpand (GTK_WIDGET (child), expand);
  /* Before the remove button, which stays last. */
  gtk_widget_insert_before (GTK_WIDGET (child), box, gtk_widget_get_last_child (box));
}

static void
condition_type_cb (TacitRuleEditor *self)
{
  for (guint i = 0; i < self->conditions->len; i++)
    {
      ConditionRow *c = g_ptr_array_index (self->conditions, i);
      gboolean count = gtk_drop_down_get_selected (c->type) == 1;

      gtk_widget_set_visible (GTK_WIDGET (c->kind), count);
      gtk_widget_set_visible (GTK_WIDGET (c->code), count);
      gtk_widget_set_visible (GTK_WIDGET (c->min), count);
      gtk_widget_set_visible (GTK_WIDGET (c->max), count);
      gtk_entry_set_placeholder_text (c->duration, count ? _("within") : _("for"));
    }
}

static ConditionRow *
add_condition_row (TacitRuleEditor *self)
{
  ConditionRow *c = g_new0 (ConditionRow, 1);
  GtkWidget *box = row_box (self, self->conditions_list, &c->row);
  /* Two lines, so that the pane stays narrow enough beside the library. */
  GtkWidget *line2 = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  c->type = new_drop_down (condition_types);
  c->kind = new_drop_down (any_event_kinds);
  c->item = new_entry (_("item"), 10);
  c->op = new_drop_down (op_labels);
  c->value = new_entry (_("value"), 6);
  c->code = new_entry (_("code"), 5);
  c->duration = new_entry (_("for"), 4);
  c->min = new_entry (_("min"), 3);
  c->max = new_entry (_("max"), 3);
  append_child (box, c->type, FALSE);
  append_child (box, c->kind, FALSE);
  append_child (box, c->item, TRUE);
  append_child (box, c->code, FALSE);
  gtk_box_append (GTK_BOX (gtk_widget_get_parent (box)), line2);
  gtk_box_append (GTK_BOX (line2), GTK_WIDGET (c->op));
  gtk_box_append (GTK_BOX (line2), GTK_WIDGET (c->value));
  gtk_widget_set_hexpand (GTK_WIDGET (c->value), TRUE);
  gtk_box_append (GTK_BOX (line2), GTK_WIDGET (c->duration));
  gtk_box_append (GTK_BOX (line2), GTK_WIDGET (c->min));
  gtk_box_append (GTK_BOX (line2), GTK_WIDGET (c->max));
  g_ptr_array_add (self->conditions, c);
  g_signal_connect_object (c->type, "notify::selected", G_CALLBACK (condition_type_cb), self, G_CONNECT_SWAPPED);
  watch (self, c->type);
  watch (self, c->kind);
  watch (self, c->item);
  watch (self, c->op);
  watch (self, c->value);
  watch (self, c->code);
  watch (self, c->duration);
  watch (self, c->min);
  watch (self, c->max);
  condition_type_cb (self);
  return c;
}

static PairRow *
add_pair_row (TacitRuleEditor *self,
              GtkListBox      *list,
              GPtrArray       *rows,
              const char      *first_placeholder,
              int              first_width,
              const char      *second_placeholder)
{
  PairRow *p = g_new0 (PairRow, 1);
  GtkWidget *box = row_box (self, list, &p->row);

  p->first = new_entry (first_placeholder, first_width);
  p->second = new_entry (second_placeholder, 12);
  append_child (box, p->first, FALSE);
  append_child (box, p->second, TRUE);
  watch (self, p->first);
  watch (self, p->second);
  g_ptr_array_add (rows, p);
  return p;
}

static PairRow *
add_text_row (TacitRuleEditor *self)
{
  return add_pair_row (self, self->texts_list, self->texts, _("language"), 6, _("advice"));
}

static PairRow *
add_action_row (TacitRuleEditor *self)
{
  return add_pair_row (self, self->actions_list, self->actions, _("parameter"), 14,
                       _("change (-5%, +2, set:40, check)"));
}

static void
clear_rows (GPtrArray  *rows,
            GtkListBox *list)
{
  for (guint i = 0; i < rows->len; i++)
    gtk_list_box_remove (list, *(GtkWidget **) g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

/* ---- the form from a rule ---- */

static void
fill_selector (const TacitSelector *sel,
               AdwComboRow         *kind_row,
               gboolean             kind_optional,
               AdwEntryRow         *item_row,
               AdwComboRow         *op_row,
               AdwEntryRow         *value_row,
               AdwEntryRow         *code_row)
{
  if (kind_row != NULL)
    adw_combo_row_set_selected (kind_row, kind_optional ? (sel->has_kind ? sel->kind + 1 : 0) : sel->kind);
  set_text (item_row, sel->item);
  adw_combo_row_set_selected (op_row, sel->predicate.op);
  set_text (value_row, sel->predicate.value);
  set_text (code_row, sel->code);
}

static void
fill_condition (TacitRuleEditor      *self,
                const TacitCondition *cond)
{
  ConditionRow *c = add_condition_row (self);
  g_autofree char *duration = NULL;
  g_autofree char *min = NULL;
  g_autofree char *max = NULL;
  gboolean count = cond->type == TACIT_CONDITION_COUNT;

  gtk_drop_down_set_selected (c->type, count ? 1 : 0);
  gtk_drop_down_set_selected (c->kind, cond->selector.has_kind ? cond->selector.kind + 1 : 0);
  set_text (c->item, cond->selector.item);
  gtk_drop_down_set_selected (c->op, cond->selector.predicate.op);
  set_text (c->value, cond->selector.predicate.value);
  set_text (c->code, cond->selector.code);
  duration = duration_text (count ? cond->within : cond->duration);
  set_text (c->duration, duration);
  if (count)
    {
      min = g_strdup_printf ("%u", cond->min);
      max = cond->has_max ? g_strdup_printf ("%u", cond->max) : NULL;
      set_text (c->min, min);
      set_text (c->max, max);
    }
}

static char *
join_scopes (const TacitRule *rule,
             TacitScopeType   type)
{
  g_autoptr(GPtrArray) words = g_ptr_array_new ();

  for (guint i = 0; i < rule->scopes->len; i++)
    {
      const TacitScope *scope = g_ptr_array_index (rule->scopes, i);

      if (scope->type == type)
        g_ptr_array_add (words, scope->value);
    }
  g_ptr_array_add (words, NULL);
  return g_strjoinv (" ", (char **) words->pdata);
}

static void
fill_form (TacitRuleEditor *self,
           const TacitRule *rule)
{
  g_autofree char *machines = join_scopes (rule, TACIT_SCOPE_MACHINE);
  g_autofree char *classes = join_scopes (rule, TACIT_SCOPE_CLASS);
  g_autofree char *cells = join_scopes (rule, TACIT_SCOPE_CELL);
  g_autofree char *delay = duration_text (rule->trigger.on_delay);
  g_autofree char *cooldown = duration_text (rule->cooldown);
  g_autofree char *within = duration_text (rule->outcome_within);
  g_autofree char *holdout = NULL;
  g_autoptr(GPtrArray) tags = g_ptr_array_new ();

  self->filling = TRUE;
  set_text (self->id_row, rule->id);
  set_text (self->title_row, rule->title);
  adw_combo_row_set_selected (self->kind_row, rule->kind);
  adw_combo_row_set_selected (self->status_row, rule->status);
  adw_combo_row_set_selected (self->severity_row, rule->severity);
  for (guint i = 0; i < rule->tags->len; i++)
    g_ptr_array_add (tags, g_ptr_array_index (rule->tags, i));
  g_ptr_array_add (tags, NULL);
  {
    g_autofree char *joined = g_strjoinv (" ", (char **) tags->pdata);

    set_text (self->tags_row, joined);
  }
  set_text (self->machines_row, machines);
  set_text (self->classes_row, classes);
  set_text (self->cells_row, cells);
  fill_selector (&rule->trigger.selector, self->trigger_kind_row, FALSE, self->trigger_item_row,
                 self->trigger_op_row, self->trigger_value_row, self->trigger_code_row);
  adw_combo_row_set_selected (self->trigger_edge_row, rule->trigger.edge == TACIT_EDGE_EVERY);
  set_text (self->trigger_delay_row, delay);
  clear_rows (self->conditions, self->conditions_list);
  for (guint i = 0; i < rule->conditions->len; i++)
    fill_condition (self, g_ptr_array_index (rule->conditions, i));
  clear_rows (self->texts, self->texts_list);
  for (guint i = 0; i < rule->texts->len; i++)
    {
      const TacitAdviceText *t = g_ptr_array_index (rule->texts, i);
      PairRow *p = add_text_row (self);

      set_text (p->first, t->lang);
      set_text (p->second, t->text);
    }
  if (rule->texts->len == 0)
    add_text_row (self);
  clear_rows (self->actions, self->actions_list);
  for (guint i = 0; i < rule->actions->len; i++)
    {
      const TacitAction *a = g_ptr_array_index (rule->actions, i);
      PairRow *p = add_action_row (self);

      set_text (p->first, a->parameter);
      set_text (p->second, a->change);
    }
  set_text (self->cooldown_row, cooldown);
  if (rule->holdout > 0)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      holdout = g_strdup (g_ascii_formatd (buf, sizeof buf, "%g", rule->holdout));
    }
  set_text (self->holdout_row, holdout);
  adw_expander_row_set_enable_expansion (self->outcome_row, rule->has_outcome);
  fill_selector (&rule->outcome, self->outcome_kind_row, TRUE, self->outcome_item_row,
                 self->outcome_op_row, self->outcome_value_row, self->outcome_code_row);
  set_text (self->outcome_within_row, within);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->rationale_view),
                            rule->rationale != NULL ? rule->rationale : "", -1);
  set_text (self->author_row, rule->provenance.author);
  set_text (self->created_row, rule->provenance.created);
  set_text (self->reviewer_row, rule->provenance.reviewer);
  set_text (self->reviewed_row, rule->provenance.reviewed);
  set_text (self->source_event_row, rule->provenance.source_event);
  self->filling = FALSE;
  gtk_editable_set_editable (GTK_EDITABLE (self->id_row), self->base_revision == 0);
  gtk_widget_set_visible (self->conflict_box, FALSE);
  validate (self);
}

/* ---- public ---- */

gboolean
tacit_rule_editor_is_modified (TacitRuleEditor *self)
{
  g_autofree char *xml = NULL;
  g_autoptr(TacitRule) copy = NULL;

  g_return_val_if_fail (TACIT_IS_RULE_EDITOR (self), FALSE);

  if (self->valid == NULL || self->loaded_xml == NULL)
    return TRUE;
  copy = tacit_rule_copy (self->valid);
  copy->revision = self->base_revision;
  xml = tacit_rule_to_xml (copy);
  return g_strcmp0 (xml, self->loaded_xml) != 0;
}

static void
set_loaded (TacitRuleEditor *self,
            TacitRule       *rule)
{
  g_clear_pointer (&self->loaded, tacit_rule_unref);
  g_clear_pointer (&self->loaded_xml, g_free);
  self->base_revision = 0;
  if (rule != NULL)
    {
      self->loaded = tacit_rule_ref (rule);
      self->loaded_xml = tacit_rule_to_xml (rule);
      self->base_revision = rule->revision;
    }
}

static TacitRule *
read_head (TacitRuleEditor *self,
           const char      *rule_id,
           GError         **error)
{
  g_autoptr(GPtrArray) revisions = tacit_store_list_rule_revisions (self->store, rule_id, error);

  if (revisions == NULL)
    return NULL;
  if (revisions->len == 0)
    {
      g_set_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_NOT_FOUND,
                   _("There is no rule “%s”"), rule_id);
      return NULL;
    }
  return tacit_rule_ref (g_ptr_array_index (revisions, revisions->len - 1));
}

gboolean
tacit_rule_editor_load (TacitRuleEditor *self,
                        const char      *rule_id,
                        GError         **error)
{
  g_autoptr(TacitRule) head = NULL;

  g_return_val_if_fail (TACIT_IS_RULE_EDITOR (self), FALSE);
  g_return_val_if_fail (rule_id != NULL, FALSE);

  if ((head = read_head (self, rule_id, error)) == NULL)
    return FALSE;
  set_loaded (self, head);
  fill_form (self, head);
  return TRUE;
}

void
tacit_rule_editor_new_rule (TacitRuleEditor *self)
{
  g_autoptr(TacitRule) rule = tacit_rule_new ();

  g_return_if_fail (TACIT_IS_RULE_EDITOR (self));

  rule->id = g_strdup ("");
  rule->title = g_strdup ("");
  rule->status = TACIT_RULE_STATUS_DRAFT;
  rule->trigger.selector.has_kind = TRUE;
  rule->trigger.selector.kind = TACIT_KIND_EVENT;
  rule->provenance.author = tacit_operator_dup_actor_id (self->actor);
  set_loaded (self, NULL);
  fill_form (self, rule);
  gtk_widget_grab_focus (GTK_WIDGET (self->id_row));
}

const char *
tacit_rule_editor_get_rule_id (TacitRuleEditor *self)
{
  g_return_val_if_fail (TACIT_IS_RULE_EDITOR (self), NULL);
  return self->loaded != NULL ? self->loaded->id : NULL;
}

const char *
tacit_rule_editor_get_problem (TacitRuleEditor *self)
{
  g_return_val_if_fail (TACIT_IS_RULE_EDITOR (self), NULL);
  return self->problem;
}

/* ---- saving ---- */

/* "- " / "+ " lines on red / green, as in the history. */
static void
show_diff (GtkTextBuffer *buffer,
           const GArray  *diff)
{
  static const char *const marks[] = { "  ", "- ", "+ " };
  static const char *const tags[] = { NULL, "removed", "added" };
  GtkTextIter end;

  gtk_text_buffer_set_text (buffer, "", -1);
  for (guint i = 0; i < diff->len; i++)
    {
      const TacitDiffLine *line = &g_array_index (diff, TacitDiffLine, i);
      g_autofree char *text = g_strconcat (marks[line->op], line->line, "\n", NULL);

      gtk_text_buffer_get_end_iter (buffer, &end);
      if (tags[line->op] != NULL)
        gtk_text_buffer_insert_with_tags_by_name (buffer, &end, text, -1, tags[line->op], NULL);
      else
        gtk_text_buffer_insert (buffer, &end, text, -1);
    }
}

static void
show_conflict (TacitRuleEditor *self,
               const char      *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitRule) theirs = read_head (self, self->valid->id, &error);
  g_autoptr(TacitRule) mine = tacit_rule_copy (self->valid);
  g_autofree char *their_xml = NULL;
  g_autofree char *my_xml = NULL;
  g_autofree char *label = NULL;
  g_autoptr(GArray) diff = NULL;

  if (theirs == NULL)
    {
      show_problem (self, error->message);
      return;
    }
  mine->revision = theirs->revision;
  their_xml = tacit_rule_to_xml (theirs);
  my_xml = tacit_rule_to_xml (mine);
  diff = tacit_line_diff (their_xml, my_xml);
  label = g_strdup_printf (_("Not saved: %s\nBelow, “-” lines are revision %u as stored, “+” lines your version. "
                             "Nothing was overwritten."), message, theirs->revision);
  gtk_label_set_label (self->conflict_label, label);
  show_diff (gtk_text_view_get_buffer (self->conflict_view), diff);
  gtk_widget_set_visible (self->conflict_box, TRUE);
}

static void
save_cb (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  TacitRuleEditor *self = TACIT_RULE_EDITOR (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitRule) rule = NULL;
  g_autofree char *id = NULL;

  if (self->valid == NULL)
    return;
  rule = tacit_rule_copy (self->valid);
  if (!tacit_store_save_rule (self->store, rule, self->base_revision, self->actor, &error))
    {
      if (g_error_matches (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_CONFLICT))
        show_conflict (self, error->message);
      else
        {
          g_autofree char *message = g_strdup_printf (_("Not saved: %s"), error->message);

          show_problem (self, message);
        }
      return;
    }
  id = g_strdup (rule->id);
  set_loaded (self, rule);
  fill_form (self, rule);
  g_signal_emit (self, signals[SIGNAL_SAVED], 0, id, rule->revision);
}

static void
revert_cb (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  TacitRuleEditor *self = TACIT_RULE_EDITOR (widget);
  g_autoptr(GError) error = NULL;

  if (self->loaded == NULL)
    tacit_rule_editor_new_rule (self);
  else if (!tacit_rule_editor_load (self, self->loaded->id, &error))
    show_problem (self, error->message);
}

static void
take_theirs_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  revert_cb (widget, action_name, parameter);
}

/* The engineer saw both versions and chose theirs as the base of this
 * edit: the next save is the revision after theirs. */
static void
keep_mine_cb (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  TacitRuleEditor *self = TACIT_RULE_EDITOR (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitRule) theirs = NULL;

  if (self->valid == NULL || (theirs = read_head (self, self->valid->id, &error)) == NULL)
    return;
  g_clear_pointer (&self->loaded, tacit_rule_unref);
  g_clear_pointer (&self->loaded_xml, g_free);
  self->loaded = g_steal_pointer (&theirs);
  self->loaded_xml = tacit_rule_to_xml (self->loaded);
  self->base_revision = self->loaded->revision;
  gtk_widget_set_visible (self->conflict_box, FALSE);
  save_cb (widget, "editor.save", NULL);
}

static void
history_cb (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  TacitRuleEditor *self = TACIT_RULE_EDITOR (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWindow *history;

  if (self->loaded == NULL)
    return;
  history = tacit_rule_history_new (self->store, self->loaded->id,
                                    GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL);
  gtk_window_present (history);
}

static void
add_condition_cb (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  TacitRuleEditor *self = TACIT_RULE_EDITOR (widget);
  ConditionRow *c = add_condition_row (self);

  gtk_widget_grab_focus (GTK_WIDGET (c->item));
  validate (self);
}

static void
add_text_cb (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TacitRuleEditor *self = TACIT_RULE_EDITOR (widget);

  gtk_widget_grab_focus (GTK_WIDGET (add_text_row (self)->first));
  validate (self);
}

static void
add_action_cb (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TacitRuleEditor *self = TACIT_RULE_EDITOR (widget);

  gtk_widget_grab_focus (GTK_WIDGET (add_action_row (self)->first));
  validate (self);
}

/* ---- class ---- */

static void
tacit_rule_editor_dispose (GObject *object)
{
  TacitRuleEditor *self = TACIT_RULE_EDITOR (object);

  g_clear_pointer (&self->main_box, gtk_widget_unparent);
  G_OBJECT_CLASS (tacit_rule_editor_parent_class)->dispose (object);
}

static void
tacit_rule_editor_finalize (GObject *object)
{
  TacitRuleEditor *self = TACIT_RULE_EDITOR (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->actor, tacit_operator_free);
  g_clear_pointer (&self->loaded, tacit_rule_unref);
  g_clear_pointer (&self->valid, tacit_rule_unref);
  g_clear_pointer (&self->loaded_xml, g_free);
  g_clear_pointer (&self->problem, g_free);
  g_clear_pointer (&self->conditions, g_ptr_array_unref);
  g_clear_pointer (&self->texts, g_ptr_array_unref);
  g_clear_pointer (&self->actions, g_ptr_array_unref);
  G_OBJECT_CLASS (tacit_rule_editor_parent_class)->finalize (object);
}

#define BIND(name) gtk_widget_class_bind_template_child (widget_class, TacitRuleEditor, name)

static void
tacit_rule_editor_class_init (TacitRuleEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tacit_rule_editor_dispose;
  object_class->finalize = tacit_rule_editor_finalize;

  /* (rule id, new revision) after every successful save. */
  signals[SIGNAL_SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                        G_TYPE_STRING, G_TYPE_UINT);

  gtk_widget_class_set_template_from_resource (widget_class, "/dev/tacit/Tacit/ui/tacit-rule-editor.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  BIND (main_box);
  BIND (heading_label);
  BIND (subtitle_label);
  BIND (save_button);
  BIND (validation_label);
  BIND (conflict_box);
  BIND (conflict_label);
  BIND (conflict_view);
  BIND (id_row);
  BIND (title_row);
  BIND (kind_row);
  BIND (status_row);
  BIND (severity_row);
  BIND (tags_row);
  BIND (machines_row);
  BIND (classes_row);
  BIND (cells_row);
  BIND (trigger_kind_row);
  BIND (trigger_item_row);
  BIND (trigger_op_row);
  BIND (trigger_value_row);
  BIND (trigger_code_row);
  BIND (trigger_edge_row);
  BIND (trigger_delay_row);
  BIND (conditions_list);
  BIND (texts_list);
  BIND (actions_list);
  BIND (cooldown_row);
  BIND (holdout_row);
  BIND (outcome_row);
  BIND (outcome_kind_row);
  BIND (outcome_item_row);
  BIND (outcome_op_row);
  BIND (outcome_value_row);
  BIND (outcome_code_row);
  BIND (outcome_within_row);
  BIND (rationale_view);
  BIND (author_row);
  BIND (created_row);
  BIND (reviewer_row);
  BIND (reviewed_row);
  BIND (source_event_row);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_cb);
  gtk_widget_class_install_action (widget_class, "editor.revert", NULL, revert_cb);
  gtk_widget_class_install_action (widget_class, "editor.take-theirs", NULL, take_theirs_cb);
  gtk_widget_class_install_action (widget_class, "editor.keep-mine", NULL, keep_mine_cb);
  gtk_widget_class_install_action (widget_class, "editor.history", NULL, history_cb);
  gtk_widget_class_install_action (widget_class, "editor.add-condition", NULL, add_condition_cb);
  gtk_widget_class_install_action (widget_class, "editor.add-text", NULL, add_text_cb);
  gtk_widget_class_install_action (widget_class, "editor.add-action", NULL, add_action_cb);
}

static void
watch_rows (TacitRuleEditor *self)
{
  gpointer watched[] = {
    self->id_row, self->title_row, self->tags_row, self->machines_row, self->classes_row,
    self->cells_row, self->trigger_item_row, self->trigger_value_row, self->trigger_code_row,
    self->trigger_delay_row, self->cooldown_row, self->holdout_row, self->outcome_item_row,
    self->outcome_value_row, self->outcome_code_row, self->outcome_within_row,
    self->author_row, self->created_row, self->reviewer_row, self->reviewed_row,
    self->source_event_row,
  };

  for (guint i = 0; i < G_N_ELEMENTS (watched); i++)
    watch (self, watched[i]);
}

static void
tacit_rule_editor_init (TacitRuleEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->conditions = g_ptr_array_new_with_free_func (g_free);
  self->texts = g_ptr_array_new_with_free_func (g_free);
  self->actions = g_ptr_array_new_with_free_func (g_free);
  setup_combo (self, self->kind_row, rule_kinds);
  setup_combo (self, self->status_row, rule_statuses);
  setup_combo (self, self->severity_row, severities);
  setup_combo (self, self->trigger_kind_row, event_kinds);
  setup_combo (self, self->trigger_op_row, op_labels);
  setup_combo (self, self->trigger_edge_row, edges);
  setup_combo (self, self->outcome_kind_row, any_event_kinds);
  setup_combo (self, self->outcome_op_row, op_labels);
  watch_rows (self);
  gtk_text_buffer_create_tag (gtk_text_view_get_buffer (self->conflict_view), "added",
                              "paragraph-background", "#d7f5dd", NULL);
  gtk_text_buffer_create_tag (gtk_text_view_get_buffer (self->conflict_view), "removed",
                              "paragraph-background", "#fbd9d9", NULL);
  g_signal_connect_object (gtk_text_view_get_buffer (self->rationale_view), "changed",
                           G_CALLBACK (changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->outcome_row, "notify::enable-expansion",
                           G_CALLBACK (changed_cb), self, G_CONNECT_SWAPPED);
}

GtkWidget *
tacit_rule_editor_new (TacitStore          *store,
                       const TacitOperator *actor)
{
  TacitRuleEditor *self;

  g_return_val_if_fail (TACIT_IS_STORE (store), NULL);

  self = g_object_new (TACIT_TYPE_RULE_EDITOR, NULL);
  self->store = g_object_ref (store);
  self->actor = tacit_operator_copy (actor);
  tacit_rule_editor_new_rule (self);
  return GTK_WIDGET (self);
}
