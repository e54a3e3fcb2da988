/* tacit-rule.c: the rule model and value predicates (SPEC "Predicates").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-rule.h"

#include <math.h>
#include <string.h>

G_DEFINE_BOXED_TYPE (TacitRule, tacit_rule, tacit_rule_ref, tacit_rule_unref)

/* Small owned structs of a rule. */

static void
scope_free (gpointer data)
{
  TacitScope *scope = data;

  g_free (scope->value);
  g_free (scope);
}

static void
text_free (gpointer data)
{
  TacitAdviceText *text = data;

  g_free (text->lang);
  g_free (text->text);
  g_free (text);
}

static void
action_free (gpointer data)
{
  TacitAction *action = data;

  g_free (action->parameter);
  g_free (action->change);
  g_free (action);
}

static void
condition_free_func (gpointer data)
{
  tacit_condition_free (data);
}

static void
provenance_clear (TacitProvenance *provenance)
{
  g_clear_pointer (&provenance->author, g_free);
  g_clear_pointer (&provenance->created, g_free);
  g_clear_pointer (&provenance->reviewer, g_free);
  g_clear_pointer (&provenance->reviewed, g_free);
  g_clear_pointer (&provenance->source_event, g_free);
}

TacitRule *
tacit_rule_new (void)
{
  TacitRule *rule = g_new0 (TacitRule, 1);

  g_atomic_ref_count_init (&rule->ref_count);
  rule->kind = TACIT_RULE_KIND_PROCESS_HACK;
  rule->status = TACIT_RULE_STATUS_DRAFT;
  rule->revision = 1;
  rule->scopes = g_ptr_array_new_with_free_func (scope_free);
  rule->trigger.selector.has_kind = TRUE;
  rule->trigger.selector.kind = TACIT_KIND_EVENT;
  rule->trigger.edge = TACIT_EDGE_AUTO;
  rule->conditions = g_ptr_array_new_with_free_func (condition_free_func);
  rule->severity = TACIT_SEVERITY_INFO;
  rule->texts = g_ptr_array_new_with_free_func (text_free);
  rule->actions = g_ptr_array_new_with_free_func (action_free);
  rule->tags = g_ptr_array_new_with_free_func (g_free);
  return rule;
}

TacitRule *
tacit_rule_ref (TacitRule *rule)
{
  g_return_val_if_fail (rule != NULL, NULL);

  g_atomic_ref_count_inc (&rule->ref_count);
  return rule;
}

static void
rule_free (TacitRule *rule)
{
  g_free (rule->id);
  g_free (rule->title);
  g_ptr_array_unref (rule->scopes);
  tacit_selector_clear (&rule->trigger.selector);
  g_ptr_array_unref (rule->conditions);
  g_ptr_array_unref (rule->texts);
  g_ptr_array_unref (rule->actions);
  tacit_selector_clear (&rule->outcome);
  g_free (rule->rationale);
  provenance_clear (&rule->provenance);
  g_ptr_array_unref (rule->tags);
  g_free (rule);
}

void
tacit_rule_unref (TacitRule *rule)
{
  g_return_if_fail (rule != NULL);

  if (g_atomic_ref_count_dec (&rule->ref_count))
    rule_free (rule);
}

/* Deep copies. A predicate is recompiled from op + value: it compiled
 * once, so it compiles again. */

static void
selector_copy (TacitSelector *dest, const TacitSelector *src)
{
  gboolean ok;

  dest->has_kind = src->has_kind;
  dest->kind = src->kind;
  dest->item = g_strdup (src->item);
  dest->code = g_strdup (src->code);
  ok = tacit_predicate_set (&dest->predicate, src->predicate.op, src->predicate.value, NULL);
  g_warn_if_fail (ok);
}

static TacitCondition *
condition_copy (const TacitCondition *src)
{
  TacitCondition *copy = tacit_condition_new (src->type);

  selector_copy (&copy->selector, &src->selector);
  copy->duration = src->duration;
  copy->within = src->within;
  copy->min = src->min;
  copy->max = src->max;
  copy->has_max = src->has_max;
  return copy;
}

TacitRule *
tacit_rule_copy (const TacitRule *rule)
{
  TacitRule *copy;

  g_return_val_if_fail (rule != NULL, NULL);

  copy = tacit_rule_new ();
  copy->id = g_strdup (rule->id);
  copy->kind = rule->kind;
  copy->status = rule->status;
  copy->revision = rule->revision;
  copy->title = g_strdup (rule->title);
  for (guint i = 0; i < rule->scopes->len; i++)
    {
      const TacitScope *scope = g_ptr_array_index (rule->scopes, i);
      TacitScope *s = g_new0 (TacitScope, 1);

      s->type = scope->type;
      s->value = g_strdup (scope->value);
      g_ptr_array_add (copy->scopes, s);
    }
  tacit_selector_clear (&copy->trigger.selector);
  selector_copy (&copy->trigger.selector, &rule->trigger.selector);
  copy->trigger.edge = rule->trigger.edge;
  copy->trigger.on_delay = rule->trigger.on_delay;
  for (guint i = 0; i < rule->conditions->len; i++)
    g_ptr_array_add (copy->conditions, condition_copy (g_ptr_array_index (rule->conditions, i)));
  copy->severity = rule->severity;
  copy->cooldown = rule->cooldown;
  copy->holdout = rule->holdout;
  for (guint i = 0; i < rule->texts->len; i++)
    {
      const TacitAdviceText *text = g_ptr_array_index (rule->texts, i);
      TacitAdviceText *t = g_new0 (TacitAdviceText, 1);

      t->lang = g_strdup (text->lang);
      t->text = g_strdup (text->text);
      g_ptr_array_add (copy->texts, t);
    }
  for (guint i = 0; i < rule->actions->len; i++)
    {
      const TacitAction *action = g_ptr_array_index (rule->actions, i);
      TacitAction *a = g_new0 (TacitAction, 1);

      a->parameter = g_strdup (action->parameter);
      a->change = g_strdup (action->change);
      g_ptr_array_add (copy->actions, a);
    }
  copy->has_outcome = rule->has_outcome;
  selector_copy (&copy->outcome, &rule->outcome);
  copy->outcome_within = rule->outcome_within;
  copy->rationale = g_strdup (rule->rationale);
  copy->provenance.author = g_strdup (rule->provenance.author);
  copy->provenance.created = g_strdup (rule->provenance.created);
  copy->provenance.reviewer = g_strdup (rule->provenance.reviewer);
  copy->provenance.reviewed = g_strdup (rule->provenance.reviewed);
  copy->provenance.source_event = g_strdup (rule->provenance.source_event);
  for (guint i = 0; i < rule->tags->len; i++)
    g_ptr_array_add (copy->tags, g_strdup (g_ptr_array_index (rule->tags, i)));
  copy->line = rule->line;
  return copy;
}

/* Length of the primary language subtag: "es" of "es-MX", and of the
 * locale spellings "es_MX.UTF-8" and "es@euro" that LANG gives. */
static gsize
primary_subtag_len (const char *lang)
{
  return strcspn (lang, "-_.@");
}

static gboolean
same_primary_subtag (const char *a, const char *b)
{
  gsize la = primary_subtag_len (a);

  return la > 0 && la == primary_subtag_len (b) && g_ascii_strncasecmp (a, b, la) == 0;
}

const char *
tacit_rule_get_text (const TacitRule *rule,
                     const char      *lang)
{
  const TacitAdviceText *first;

  g_return_val_if_fail (rule != NULL, NULL);

  if (rule->texts->len == 0)
    return NULL;
  first = g_ptr_array_index (rule->texts, 0);
  if (lang == NULL || *lang == '\0')
    return first->text;

  /* Language tags are case-insensitive (BCP 47). */
  for (guint i = 0; i < rule->texts->len; i++)
    {
      const TacitAdviceText *t = g_ptr_array_index (rule->texts, i);
      if (t->lang != NULL && g_ascii_strcasecmp (t->lang, lang) == 0)
        return t->text;
    }
  /* "es-MX" asked: an "es" text is the best fallback. */
  for (guint i = 0; i < rule->texts->len; i++)
    {
      const TacitAdviceText *t = g_ptr_array_index (rule->texts, i);
      if (t->lang != NULL && primary_subtag_len (t->lang) == strlen (t->lang) &&
          same_primary_subtag (t->lang, lang))
        return t->text;
    }
  /* Then a sibling: "es" asked, only "es-MX" written. */
  for (guint i = 0; i < rule->texts->len; i++)
    {
      const TacitAdviceText *t = g_ptr_array_index (rule->texts, i);
      if (t->lang != NULL && same_primary_subtag (t->lang, lang))
        return t->text;
    }
  return first->text;
}

TacitCondition *
tacit_condition_new (TacitConditionType type)
{
  TacitCondition *condition = g_new0 (TacitCondition, 1);

  condition->type = type;
  return condition;
}

void
tacit_condition_free (TacitCondition *condition)
{
  if (condition == NULL)
    return;
  tacit_selector_clear (&condition->selector);
  g_free (condition);
}

/* Predicates */

static gboolean
predicate_fail (TacitPredicate *predicate, const char **problem, const char *message)
{
  tacit_predicate_clear (predicate);
  if (problem != NULL)
    *problem = message;
  return FALSE;
}

static gboolean
compile_in (TacitPredicate *predicate, const char **problem)
{
  predicate->alternatives = g_strsplit (predicate->value, "|", -1);
  predicate->n_alternatives = g_strv_length (predicate->alternatives);
  predicate->alt_numbers = g_new (double, MAX (predicate->n_alternatives, 1));
  for (guint i = 0; i < predicate->n_alternatives; i++)
    {
      const char *alt = predicate->alternatives[i];

      if (*alt == '\0')
        return predicate_fail (predicate, problem,
                               "'in' needs alternatives separated by '|' (like B|C), none of them empty");
      if (!tacit_value_parse_number (alt, &predicate->alt_numbers[i]))
        predicate->alt_numbers[i] = NAN;
    }
  return TRUE;
}

static gboolean
compile_between (TacitPredicate *predicate, const char **problem)
{
  const char *dots = strstr (predicate->value, "..");
  g_autofree char *lower = NULL;
  double lo, hi;

  if (dots == NULL)
    return predicate_fail (predicate, problem,
                           "'between' needs two numbers A..B (like 50..60)");
  lower = g_strndup (predicate->value, (gsize) (dots - predicate->value));
  if (!tacit_value_parse_number (lower, &lo) || !tacit_value_parse_number (dots + 2, &hi))
    return predicate_fail (predicate, problem,
                           "'between' needs two numbers A..B (like 50..60)");
  if (lo > hi)
    return predicate_fail (predicate, problem,
                           "'between' needs A <= B in A..B");
  predicate->numeric = TRUE;
  predicate->number = lo;
  predicate->upper = hi;
  return TRUE;
}

gboolean
tacit_predicate_set (TacitPredicate  *predicate,
                     TacitOp          op,
                     const char      *value,
                     const char     **problem)
{
  g_return_val_if_fail (predicate != NULL, FALSE);

  /* Overwrites without freeing: callers clear a predicate that held a
   * value, so that an uninitialised stack predicate is fine here. */
  memset (predicate, 0, sizeof *predicate);

  /* The loader turns a value without op into eq; do the same here so
   * that a predicate never holds a value it ignores. */
  if (op == TACIT_OP_NONE && value != NULL)
    op = TACIT_OP_EQ;
  if (op == TACIT_OP_NONE)
    return TRUE;
  if (value == NULL)
    return predicate_fail (predicate, problem, "an op needs a value");

  predicate->op = op;
  predicate->value = g_strdup (value);
  switch (op)
    {
    case TACIT_OP_IN:
      return compile_in (predicate, problem);
    case TACIT_OP_BETWEEN:
      return compile_between (predicate, problem);
    case TACIT_OP_LT:
    case TACIT_OP_LE:
    case TACIT_OP_GT:
    case TACIT_OP_GE:
      predicate->numeric = tacit_value_parse_number (value, &predicate->number);
      /* It could never hold on a string (SPEC "Predicates"): a rule
       * that cannot fire is a mistake worth reporting. */
      if (!predicate->numeric)
        return predicate_fail (predicate, problem,
                               "'lt', 'le', 'gt' and 'ge' need a number");
      return TRUE;
    case TACIT_OP_EQ:
    case TACIT_OP_NE:
      predicate->numeric = tacit_value_parse_number (value, &predicate->number);
      return TRUE;
    case TACIT_OP_NONE:
    default:
      g_assert_not_reached ();
    }
}

void
tacit_predicate_clear (TacitPredicate *predicate)
{
  if (predicate == NULL)
    return;
  g_free (predicate->value);
  g_strfreev (predicate->alternatives);
  g_free (predicate->alt_numbers);
  memset (predicate, 0, sizeof *predicate);
}

static gboolean
values_equal (gboolean    pred_numeric,
              double      pred_number,
              const char *pred_value,
              const char *value,
              gboolean    value_is_number,
              double      value_number)
{
  /* "55" equals "55.0" when both are numbers; strings are compared as
   * they are, case-sensitive. */
  if (pred_numeric && value_is_number)
    return pred_number == value_number;
  return strcmp (pred_value, value) == 0;
}

gboolean
tacit_predicate_test (const TacitPredicate *predicate,
                      const char           *value,
                      gboolean              value_is_number,
                      double                value_number)
{
  gboolean both_numeric;

  g_return_val_if_fail (predicate != NULL, FALSE);

  /* Nothing holds on an unknown value, not even ne or "any value". */
  if (value == NULL || tacit_value_is_unavailable (value))
    return FALSE;
  if (value_is_number && !isfinite (value_number))
    value_is_number = FALSE;
  both_numeric = predicate->numeric && value_is_number;

  switch (predicate->op)
    {
    case TACIT_OP_NONE:
      return TRUE;
    case TACIT_OP_EQ:
      return values_equal (predicate->numeric, predicate->number, predicate->value,
                           value, value_is_number, value_number);
    case TACIT_OP_NE:
      return !values_equal (predicate->numeric, predicate->number, predicate->value,
                            value, value_is_number, value_number);
    case TACIT_OP_LT:
      return both_numeric && value_number < predicate->number;
    case TACIT_OP_LE:
      return both_numeric && value_number <= predicate->number;
    case TACIT_OP_GT:
      return both_numeric && value_number > predicate->number;
    case TACIT_OP_GE:
      return both_numeric && value_number >= predicate->number;
    case TACIT_OP_BETWEEN:
      return both_numeric && value_number >= predicate->number && value_number <= predicate->upper;
    case TACIT_OP_IN:
      for (guint i = 0; i < predicate->n_alternatives; i++)
        if (values_equal (!isnan (predicate->alt_numbers[i]), predicate->alt_numbers[i],
                          predicate->alternatives[i], value, value_is_number, value_number))
          return TRUE;
      return FALSE;
    default:
      return FALSE;
    }
}

void
tacit_selector_clear (TacitSelector *selector)
{
  if (selector == NULL)
    return;
  g_clear_pointer (&selector->item, g_free);
  g_clear_pointer (&selector->code, g_free);
  tacit_predicate_clear (&selector->predicate);
}

gboolean
tacit_selector_matches (const TacitSelector *selector,
                        const TacitEvent    *event,
                        gboolean             value_is_number,
                        double               value_number)
{
  g_return_val_if_fail (selector != NULL, FALSE);
  g_return_val_if_fail (event != NULL, FALSE);

  if (selector->has_kind && event->kind != selector->kind)
    return FALSE;
  if (selector->item != NULL && g_strcmp0 (selector->item, event->item) != 0)
    return FALSE;
  /* An event without a code never matches a selector that names one. */
  if (selector->code != NULL && (event->code == NULL || strcmp (selector->code, event->code) != 0))
    return FALSE;
  if (selector->predicate.op == TACIT_OP_NONE)
    return TRUE;
  return tacit_predicate_test (&selector->predicate, event->value, value_is_number, value_number);
}

/* Enumerations and their XML spellings */

static const char *op_names[] = {
  [TACIT_OP_NONE] = "none",
  [TACIT_OP_EQ] = "eq",
  [TACIT_OP_NE] = "ne",
  [TACIT_OP_LT] = "lt",
  [TACIT_OP_LE] = "le",
  [TACIT_OP_GT] = "gt",
  [TACIT_OP_GE] = "ge",
  [TACIT_OP_IN] = "in",
  [TACIT_OP_BETWEEN] = "between",
};

static const char *rule_kind_names[] = {
  [TACIT_RULE_KIND_PROCESS_HACK] = "process-hack",
  [TACIT_RULE_KIND_MATERIAL_NOTE] = "material-note",
  [TACIT_RULE_KIND_OVERRIDE] = "override",
  [TACIT_RULE_KIND_ALARM_RESPONSE] = "alarm-response",
  [TACIT_RULE_KIND_QUALITY_CHECK] = "quality-check",
};

static const char *rule_status_names[] = {
  [TACIT_RULE_STATUS_DRAFT] = "draft",
  [TACIT_RULE_STATUS_PROPOSED] = "proposed",
  [TACIT_RULE_STATUS_APPROVED] = "approved",
  [TACIT_RULE_STATUS_RETIRED] = "retired",
};

static const char *severity_names[] = {
  [TACIT_SEVERITY_INFO] = "info",
  [TACIT_SEVERITY_WARNING] = "warning",
  [TACIT_SEVERITY_CRITICAL] = "critical",
};

static const char *scope_type_names[] = {
  [TACIT_SCOPE_MACHINE] = "machine",
  [TACIT_SCOPE_CLASS] = "class",
  [TACIT_SCOPE_CELL] = "cell",
};

static const char *
name_of (const char *const *names, guint n, guint value)
{
  g_return_val_if_fail (value < n, NULL);
  return names[value];
}

static gboolean
value_of (const char *const *names, guint n, const char *text, guint *out)
{
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (text, names[i]) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

#define DEFINE_ENUM_STRINGS(Type, prefix, names)                            \
  const char *                                                              \
  prefix##_to_string (Type value)                                           \
  {                                                                         \
    return name_of (names, G_N_ELEMENTS (names), (guint) value);            \
  }                                                                         \
  gboolean                                                                  \
  prefix##_from_string (const char *text, Type *out)                        \
  {                                                                         \
    guint v;                                                                \
    if (!value_of (names, G_N_ELEMENTS (names), text, &v))                  \
      return FALSE;                                                         \
    *out = (Type) v;                                                        \
    return TRUE;                                                            \
  }

DEFINE_ENUM_STRINGS (TacitOp, tacit_op, op_names)
DEFINE_ENUM_STRINGS (TacitRuleKind, tacit_rule_kind, rule_kind_names)
DEFINE_ENUM_STRINGS (TacitRuleStatus, tacit_rule_status, rule_status_names)
DEFINE_ENUM_STRINGS (TacitSeverity, tacit_severity, severity_names)

const char *
tacit_scope_type_to_string (TacitScopeType type)
{
  return name_of (scope_type_names, G_N_ELEMENTS (scope_type_names), (guint) type);
}
