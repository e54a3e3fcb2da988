/* test-rule.c: the rule model, value predicates (SPEC "Predicates") and
 * the library container.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "tacit-error.h"
#include "tacit-library.h"
#include "tacit-library-xml.h"
#include "tacit-rule.h"

typedef struct {
  TacitOp     op;
  const char *predicate;
  const char *value;
  gboolean    holds;
} PredicateCase;

/* Every op on numbers, strings, unavailable values and mixes of them. */
static const PredicateCase predicate_cases[] = {
  /* no op: any available value */
  { TACIT_OP_NONE, NULL, "anything", TRUE },
  { TACIT_OP_NONE, NULL, "55", TRUE },
  { TACIT_OP_NONE, NULL, "", TRUE },
  { TACIT_OP_NONE, NULL, "UNAVAILABLE", FALSE },
  { TACIT_OP_NONE, NULL, "unavailable", FALSE },
  { TACIT_OP_NONE, NULL, "Unavailable", FALSE },

  /* eq */
  { TACIT_OP_EQ, "55", "55", TRUE },
  { TACIT_OP_EQ, "55", "55.0", TRUE },
  { TACIT_OP_EQ, "55.0", "55", TRUE },
  { TACIT_OP_EQ, "1e3", "1000", TRUE },
  { TACIT_OP_EQ, "-0", "0", TRUE },
  { TACIT_OP_EQ, "55", "56", FALSE },
  { TACIT_OP_EQ, "55", "abc", FALSE },
  { TACIT_OP_EQ, "55", " 55", FALSE },
  { TACIT_OP_EQ, "B", "B", TRUE },
  { TACIT_OP_EQ, "B", "b", FALSE },
  { TACIT_OP_EQ, "fault", "fault", TRUE },
  { TACIT_OP_EQ, "", "", TRUE },
  { TACIT_OP_EQ, "55", "UNAVAILABLE", FALSE },
  { TACIT_OP_EQ, "UNAVAILABLE", "UNAVAILABLE", FALSE },
  { TACIT_OP_EQ, "unavailable", "unavailable", FALSE },

  /* ne */
  { TACIT_OP_NE, "55", "55.0", FALSE },
  { TACIT_OP_NE, "55", "56", TRUE },
  { TACIT_OP_NE, "55", "abc", TRUE },
  { TACIT_OP_NE, "B", "C", TRUE },
  { TACIT_OP_NE, "B", "B", FALSE },
  { TACIT_OP_NE, "B", "b", TRUE },
  { TACIT_OP_NE, "B", "UNAVAILABLE", FALSE },
  { TACIT_OP_NE, "55", "unavailable", FALSE },

  /* lt, le, gt, ge: numeric only */
  { TACIT_OP_LT, "55", "54.9", TRUE },
  { TACIT_OP_LT, "55", "55", FALSE },
  { TACIT_OP_LT, "55", "55.0", FALSE },
  { TACIT_OP_LT, "10", "9", TRUE },          /* numbers, not strings */
  { TACIT_OP_LT, "-1", "-2", TRUE },
  { TACIT_OP_LT, "55", "abc", FALSE },
  { TACIT_OP_LT, "55", "", FALSE },
  { TACIT_OP_LT, "55", "UNAVAILABLE", FALSE },
  { TACIT_OP_LE, "55", "55.0", TRUE },
  { TACIT_OP_LE, "55", "54", TRUE },
  { TACIT_OP_LE, "55", "55.1", FALSE },
  { TACIT_OP_LE, "55", "abc", FALSE },
  { TACIT_OP_LE, "55", "UNAVAILABLE", FALSE },
  { TACIT_OP_GT, "55", "55.1", TRUE },
  { TACIT_OP_GT, "55", "55", FALSE },
  { TACIT_OP_GT, "9", "10", TRUE },
  { TACIT_OP_GT, "55", "zzz", FALSE },
  { TACIT_OP_GT, "55", "UNAVAILABLE", FALSE },
  { TACIT_OP_GE, "55", "55", TRUE },
  { TACIT_OP_GE, "55", "55.0", TRUE },
  { TACIT_OP_GE, "55", "54.99", FALSE },
  { TACIT_OP_GE, "55", "abc", FALSE },
  { TACIT_OP_GE, "55", "unavailable", FALSE },

  /* between: inclusive, numeric only */
  { TACIT_OP_BETWEEN, "50..60", "50", TRUE },
  { TACIT_OP_BETWEEN, "50..60", "60", TRUE },
  { TACIT_OP_BETWEEN, "50..60", "60.0", TRUE },
  { TACIT_OP_BETWEEN, "50..60", "55.5", TRUE },
  { TACIT_OP_BETWEEN, "50..60", "49.999", FALSE },
  { TACIT_OP_BETWEEN, "50..60", "60.001", FALSE },
  { TACIT_OP_BETWEEN, "50..60", "abc", FALSE },
  { TACIT_OP_BETWEEN, "50..60", "55x", FALSE },
  { TACIT_OP_BETWEEN, "50..60", "UNAVAILABLE", FALSE },
  { TACIT_OP_BETWEEN, "-5..5", "-5", TRUE },
  { TACIT_OP_BETWEEN, "-5..5", "-5.5", FALSE },
  { TACIT_OP_BETWEEN, "1.5..2.5", "2", TRUE },
  { TACIT_OP_BETWEEN, "50..50", "50.0", TRUE },

  /* in: any alternative, numeric per alternative */
  { TACIT_OP_IN, "B|C", "B", TRUE },
  { TACIT_OP_IN, "B|C", "C", TRUE },
  { TACIT_OP_IN, "B|C", "D", FALSE },
  { TACIT_OP_IN, "B|C", "b", FALSE },
  { TACIT_OP_IN, "B|C", "B|C", FALSE },
  { TACIT_OP_IN, "12|14", "14.0", TRUE },
  { TACIT_OP_IN, "12|14", "12", TRUE },
  { TACIT_OP_IN, "12|14", "13", FALSE },
  { TACIT_OP_IN, "12|B", "B", TRUE },
  { TACIT_OP_IN, "12|B", "12.0", TRUE },
  { TACIT_OP_IN, "12|B", "b", FALSE },
  { TACIT_OP_IN, "55", "55.0", TRUE },
  { TACIT_OP_IN, "B|C", "UNAVAILABLE", FALSE },
  { TACIT_OP_IN, "A|UNAVAILABLE", "UNAVAILABLE", FALSE },
  { TACIT_OP_IN, "A|UNAVAILABLE", "unavailable", FALSE },
};

static void
test_predicate_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (predicate_cases); i++)
    {
      const PredicateCase *c = &predicate_cases[i];
      TacitPredicate predicate;
      const char *problem = NULL;
      double number = NAN;
      gboolean is_number = tacit_value_parse_number (c->value, &number);
      gboolean holds;

      g_assert_true (tacit_predicate_set (&predicate, c->op, c->predicate, &problem));
      g_assert_null (problem);
      holds = tacit_predicate_test (&predicate, c->value, is_number, number);
      if (holds != c->holds)
        g_error ("case %u: %s \"%s\" on \"%s\" gave %s, expected %s", i,
                 tacit_op_to_string (c->op), c->predicate, c->value,
                 holds ? "TRUE" : "FALSE", c->holds ? "TRUE" : "FALSE");
      tacit_predicate_clear (&predicate);
    }
}

static void
test_predicate_compile (void)
{
  TacitPredicate p;
  const char *problem = NULL;

  /* A value without op means eq. */
  g_assert_true (tacit_predicate_set (&p, TACIT_OP_NONE, "B", NULL));
  g_assert_cmpint (p.op, ==, TACIT_OP_EQ);
  g_assert_cmpstr (p.value, ==, "B");
  g_assert_false (p.numeric);
  tacit_predicate_clear (&p);

  g_assert_true (tacit_predicate_set (&p, TACIT_OP_NONE, NULL, NULL));
  g_assert_cmpint (p.op, ==, TACIT_OP_NONE);
  g_assert_null (p.value);
  tacit_predicate_clear (&p);

  g_assert_true (tacit_predicate_set (&p, TACIT_OP_GT, "55.5", NULL));
  g_assert_true (p.numeric);
  g_assert_cmpfloat (p.number, ==, 55.5);
  tacit_predicate_clear (&p);

  g_assert_true (tacit_predicate_set (&p, TACIT_OP_BETWEEN, "-5..7.5", NULL));
  g_assert_true (p.numeric);
  g_assert_cmpfloat (p.number, ==, -5);
  g_assert_cmpfloat (p.upper, ==, 7.5);
  tacit_predicate_clear (&p);

  g_assert_true (tacit_predicate_set (&p, TACIT_OP_IN, "12|B|3.5", NULL));
  g_assert_cmpuint (p.n_alternatives, ==, 3);
  g_assert_cmpstr (p.alternatives[1], ==, "B");
  g_assert_cmpfloat (p.alt_numbers[0], ==, 12);
  g_assert_true (isnan (p.alt_numbers[1]));
  g_assert_cmpfloat (p.alt_numbers[2], ==, 3.5);
  tacit_predicate_clear (&p);

  /* Values that do not fit their op. */
  g_assert_false (tacit_predicate_set (&p, TACIT_OP_EQ, NULL, &problem));
  g_assert_cmpstr (problem, ==, "an op needs a value");
  g_assert_false (tacit_predicate_set (&p, TACIT_OP_BETWEEN, "a..b", &problem));
  g_assert_cmpstr (problem, ==, "'between' needs two numbers A..B (like 50..60)");
  g_assert_false (tacit_predicate_set (&p, TACIT_OP_BETWEEN, "50", &problem));
  g_assert_cmpstr (problem, ==, "'between' needs two numbers A..B (like 50..60)");
  g_assert_false (tacit_predicate_set (&p, TACIT_OP_BETWEEN, "50..", &problem));
  g_assert_cmpstr (problem, ==, "'between' needs two numbers A..B (like 50..60)");
  g_assert_false (tacit_predicate_set (&p, TACIT_OP_BETWEEN, "60..50", &problem));
  g_assert_cmpstr (problem, ==, "'between' needs A <= B in A..B");
  g_assert_false (tacit_predicate_set (&p, TACIT_OP_GT, "hot", &problem));
  g_assert_cmpstr (problem, ==, "'lt', 'le', 'gt' and 'ge' need a number");
  g_assert_false (tacit_predicate_set (&p, TACIT_OP_IN, "B||C", &problem));
  g_assert_cmpstr (problem, ==, "'in' needs alternatives separated by '|' (like B|C), none of them empty");
  /* A failed set leaves nothing to free. */
  g_assert_cmpint (p.op, ==, TACIT_OP_NONE);
  g_assert_null (p.value);
  tacit_predicate_clear (&p);
}

static gboolean
matches (const TacitSelector *selector, const TacitEvent *event)
{
  double number = 0;
  gboolean is_number = tacit_value_parse_number (event->value, &number);

  return tacit_selector_matches (selector, event, is_number, number);
}

static void
test_selector (void)
{
  TacitSelector selector = { 0 };
  TacitEvent event = {
    .time = 0, .machine = "press-3", .kind = TACIT_KIND_CONDITION,
    .item = "hydraulic", .value = "fault", .code = "E1234",
  };

  /* Empty: everything. */
  g_assert_true (matches (&selector, &event));

  selector.has_kind = TRUE;
  selector.kind = TACIT_KIND_CONDITION;
  selector.item = g_strdup ("hydraulic");
  selector.code = g_strdup ("E1234");
  g_assert_true (tacit_predicate_set (&selector.predicate, TACIT_OP_EQ, "fault", NULL));
  g_assert_true (matches (&selector, &event));

  event.kind = TACIT_KIND_EVENT;
  g_assert_false (matches (&selector, &event));
  event.kind = TACIT_KIND_CONDITION;

  event.item = "Hydraulic";
  g_assert_false (matches (&selector, &event));
  event.item = "hydraulic";

  event.code = "E1235";
  g_assert_false (matches (&selector, &event));
  /* An event without a code never matches a selector with one. */
  event.code = NULL;
  g_assert_false (matches (&selector, &event));
  event.code = "E1234";

  event.value = "normal";
  g_assert_false (matches (&selector, &event));
  event.value = "UNAVAILABLE";
  g_assert_false (matches (&selector, &event));

  /* No value predicate: the value is not looked at (SPEC: "satisfies the
   * value predicate (if given)"), so an unavailable one matches too; the
   * predicate itself (op NONE) never holds on it. */
  tacit_predicate_clear (&selector.predicate);
  g_assert_true (matches (&selector, &event));
  g_assert_false (tacit_predicate_test (&selector.predicate, event.value, FALSE, 0));
  event.value = "warning";
  g_assert_true (matches (&selector, &event));

  /* No code in the selector: any code, or none. */
  g_clear_pointer (&selector.code, g_free);
  event.code = NULL;
  g_assert_true (matches (&selector, &event));

  tacit_selector_clear (&selector);
  g_assert_null (selector.item);
}

static TacitRule *
make_rule (const char *id)
{
  TacitRule *rule = tacit_rule_new ();
  TacitAdviceText *text;
  TacitCondition *condition;
  TacitScope *scope;
  TacitAction *action;

  rule->id = g_strdup (id);
  rule->kind = TACIT_RULE_KIND_OVERRIDE;
  rule->status = TACIT_RULE_STATUS_APPROVED;
  rule->revision = 7;
  rule->title = g_strdup ("A title");
  scope = g_new0 (TacitScope, 1);
  scope->type = TACIT_SCOPE_CLASS;
  scope->value = g_strdup ("press");
  g_ptr_array_add (rule->scopes, scope);
  rule->trigger.selector.kind = TACIT_KIND_SAMPLE;
  rule->trigger.selector.item = g_strdup ("oil_temp");
  g_assert_true (tacit_predicate_set (&rule->trigger.selector.predicate, TACIT_OP_GT, "55", NULL));
  rule->trigger.on_delay = 2 * 60 * TACIT_USEC_PER_SEC;
  condition = tacit_condition_new (TACIT_CONDITION_STATE);
  condition->selector.item = g_strdup ("material_supplier");
  g_assert_true (tacit_predicate_set (&condition->selector.predicate, TACIT_OP_IN, "B|C", NULL));
  g_ptr_array_add (rule->conditions, condition);
  rule->severity = TACIT_SEVERITY_CRITICAL;
  rule->cooldown = 15 * 60 * TACIT_USEC_PER_SEC;
  rule->holdout = 0.25;
  const char *langs[][2] = {
    { NULL, "Default" }, { "es", "Español" }, { "de-AT", "Österreichisch" }, { "pt-BR", "Brasileiro" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (langs); i++)
    {
      text = g_new0 (TacitAdviceText, 1);
      text->lang = g_strdup (langs[i][0]);
      text->text = g_strdup (langs[i][1]);
      g_ptr_array_add (rule->texts, text);
    }
  action = g_new0 (TacitAction, 1);
  action->parameter = g_strdup ("ram_speed");
  action->change = g_strdup ("-5%");
  g_ptr_array_add (rule->actions, action);
  rule->has_outcome = TRUE;
  rule->outcome.has_kind = TRUE;
  rule->outcome.kind = TACIT_KIND_EVENT;
  rule->outcome.item = g_strdup ("scrap_count");
  rule->outcome_within = 30 * 60 * TACIT_USEC_PER_SEC;
  rule->rationale = g_strdup ("Because.");
  rule->provenance.author = g_strdup ("op-117");
  rule->provenance.source_event = g_strdup ("ev-1");
  g_ptr_array_add (rule->tags, g_strdup ("tag-1"));
  rule->line = 12;
  return rule;
}

static void
test_rule_text (void)
{
  g_autoptr(TacitRule) rule = make_rule ("r");
  g_autoptr(TacitRule) empty = tacit_rule_new ();

  g_assert_cmpstr (tacit_rule_get_text (rule, NULL), ==, "Default");
  g_assert_cmpstr (tacit_rule_get_text (rule, ""), ==, "Default");
  g_assert_cmpstr (tacit_rule_get_text (rule, "es"), ==, "Español");
  g_assert_cmpstr (tacit_rule_get_text (rule, "ES"), ==, "Español");
  g_assert_cmpstr (tacit_rule_get_text (rule, "es-MX"), ==, "Español");
  g_assert_cmpstr (tacit_rule_get_text (rule, "es_MX.UTF-8"), ==, "Español");
  g_assert_cmpstr (tacit_rule_get_text (rule, "de-AT"), ==, "Österreichisch");
  /* Only a regional text: a speaker of the language gets it. */
  g_assert_cmpstr (tacit_rule_get_text (rule, "de"), ==, "Österreichisch");
  g_assert_cmpstr (tacit_rule_get_text (rule, "pt-PT"), ==, "Brasileiro");
  g_assert_cmpstr (tacit_rule_get_text (rule, "fr"), ==, "Default");
  g_assert_cmpstr (tacit_rule_get_text (rule, "e"), ==, "Default");
  g_assert_null (tacit_rule_get_text (empty, "es"));
}

static void
test_rule_copy (void)
{
  g_autoptr(TacitRule) rule = make_rule ("coil-b");
  g_autoptr(TacitRule) copy = tacit_rule_copy (rule);
  g_autofree char *xml = tacit_rule_to_xml (rule);
  g_autofree char *copy_xml = NULL;
  TacitCondition *condition;

  g_assert_true (copy != rule);
  g_assert_true (copy->id != rule->id);
  g_assert_true (copy->texts != rule->texts);
  g_assert_cmpint (copy->line, ==, 12);
  g_assert_cmpfloat (copy->holdout, ==, 0.25);
  g_assert_cmpint (copy->trigger.on_delay, ==, rule->trigger.on_delay);
  g_assert_true (copy->trigger.selector.predicate.numeric);
  g_assert_cmpfloat (copy->trigger.selector.predicate.number, ==, 55);
  condition = g_ptr_array_index (copy->conditions, 0);
  g_assert_cmpuint (condition->selector.predicate.n_alternatives, ==, 2);
  g_assert_true (condition->selector.predicate.alternatives !=
                 ((TacitCondition *) g_ptr_array_index (rule->conditions, 0))->selector.predicate.alternatives);
  copy_xml = tacit_rule_to_xml (copy);
  g_assert_cmpstr (xml, ==, copy_xml);

  /* Editing the copy leaves the original alone. */
  g_free (copy->title);
  copy->title = g_strdup ("Changed");
  g_assert_cmpstr (rule->title, ==, "A title");
}

static void
test_rule_refcount (void)
{
  TacitRule *rule = tacit_rule_new ();
  TacitRule *boxed;

  g_assert_cmpuint (rule->revision, ==, 1);
  g_assert_cmpint (rule->severity, ==, TACIT_SEVERITY_INFO);
  g_assert_true (rule->trigger.selector.has_kind);
  g_assert_true (tacit_rule_ref (rule) == rule);
  tacit_rule_unref (rule);
  boxed = g_boxed_copy (TACIT_TYPE_RULE, rule);
  g_assert_true (boxed == rule);
  g_boxed_free (TACIT_TYPE_RULE, boxed);
  g_assert_true (G_TYPE_IS_BOXED (TACIT_TYPE_RULE));
  tacit_rule_unref (rule);
}

static void
test_enums (void)
{
  static const char *ops[] = { "eq", "ne", "lt", "le", "gt", "ge", "in", "between" };
  static const char *kinds[] = { "process-hack", "material-note", "override", "alarm-response", "quality-check" };
  static const char *statuses[] = { "draft", "proposed", "approved", "retired" };
  static const char *severities[] = { "info", "warning", "critical" };
  TacitOp op;
  TacitRuleKind kind;
  TacitRuleStatus status;
  TacitSeverity severity;

  for (guint i = 0; i < G_N_ELEMENTS (ops); i++)
    {
      g_assert_true (tacit_op_from_string (ops[i], &op));
      g_assert_cmpint (op, ==, TACIT_OP_EQ + (int) i);
      g_assert_cmpstr (tacit_op_to_string (op), ==, ops[i]);
    }
  g_assert_cmpstr (tacit_op_to_string (TACIT_OP_NONE), ==, "none");
  g_assert_false (tacit_op_from_string ("EQ", &op));
  g_assert_false (tacit_op_from_string (NULL, &op));
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_assert_true (tacit_rule_kind_from_string (kinds[i], &kind));
      g_assert_cmpint (kind, ==, (int) i);
      g_assert_cmpstr (tacit_rule_kind_to_string (kind), ==, kinds[i]);
    }
  g_assert_false (tacit_rule_kind_from_string ("hack", &kind));
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_assert_true (tacit_rule_status_from_string (statuses[i], &status));
      g_assert_cmpint (status, ==, (int) i);
      g_assert_cmpstr (tacit_rule_status_to_string (status), ==, statuses[i]);
    }
  g_assert_false (tacit_rule_status_from_string ("live", &status));
  for (guint i = 0; i < G_N_ELEMENTS (severities); i++)
    {
      g_assert_true (tacit_severity_from_string (severities[i], &severity));
      g_assert_cmpint (severity, ==, (int) i);
      g_assert_cmpstr (tacit_severity_to_string (severity), ==, severities[i]);
    }
  g_assert_false (tacit_severity_from_string ("error", &severity));
  g_assert_cmpstr (tacit_scope_type_to_string (TACIT_SCOPE_MACHINE), ==, "machine");
  g_assert_cmpstr (tacit_scope_type_to_string (TACIT_SCOPE_CLASS), ==, "class");
  g_assert_cmpstr (tacit_scope_type_to_string (TACIT_SCOPE_CELL), ==, "cell");
}

static void
test_library (void)
{
  g_autoptr(TacitLibrary) library = tacit_library_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sorted = NULL;
  g_autoptr(TacitRule) replacement = make_rule ("b");
  const TacitMachine *machine;
  /* Byte order: upper case before lower case, '-' before '_', UTF-8 last. */
  const char *ids[] = { "b", "a_b", "Z", "a-b", "\xc3\xa9t\xc3\xa9", "a" };
  const char *expected[] = { "Z", "a", "a-b", "a_b", "b", "\xc3\xa9t\xc3\xa9" };

  g_assert_null (tacit_library_get_name (library));
  g_assert_cmpuint (tacit_library_get_revision (library), ==, 1);
  tacit_library_set_name (library, "Stamping line");
  tacit_library_set_revision (library, 12);
  g_assert_cmpstr (tacit_library_get_name (library), ==, "Stamping line");
  g_assert_cmpuint (tacit_library_get_revision (library), ==, 12);

  tacit_library_add_machine (library, "press-3", "Press 3", "press", "stamping");
  tacit_library_add_machine (library, "cnc-1", NULL, "cnc", NULL);
  tacit_library_add_machine (library, "press-3", "Press three", "press", "stamping-2");
  g_assert_cmpuint (tacit_library_get_machines (library)->len, ==, 2);
  machine = tacit_library_lookup_machine (library, "press-3");
  g_assert_cmpstr (machine->name, ==, "Press three");
  g_assert_cmpstr (machine->cell, ==, "stamping-2");
  machine = tacit_library_lookup_machine (library, "cnc-1");
  g_assert_null (machine->name);
  g_assert_cmpstr (machine->class_name, ==, "cnc");
  g_assert_null (tacit_library_lookup_machine (library, "cnc-2"));

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(TacitRule) rule = make_rule (ids[i]);
      g_assert_true (tacit_library_add_rule (library, rule, &error));
      g_assert_no_error (error);
    }
  {
    g_autoptr(TacitRule) duplicate = make_rule ("a-b");
    g_assert_false (tacit_library_add_rule (library, duplicate, &error));
    g_assert_error (error, TACIT_INPUT_ERROR, TACIT_INPUT_ERROR_INVALID);
    g_assert_cmpstr (error->message, ==, "rule id 'a-b' is used twice");
    g_clear_error (&error);
  }
  g_assert_cmpuint (tacit_library_get_rules (library)->len, ==, G_N_ELEMENTS (ids));

  sorted = tacit_library_dup_rules_sorted (library);
  for (guint i = 0; i < sorted->len; i++)
    g_assert_cmpstr (((TacitRule *) g_ptr_array_index (sorted, i))->id, ==, expected[i]);
  /* Insertion order is kept. */
  g_assert_cmpstr (((TacitRule *) g_ptr_array_index (tacit_library_get_rules (library), 0))->id, ==, "b");

  /* put replaces in place. */
  replacement->revision = 8;
  tacit_library_put_rule (library, replacement);
  g_assert_true (tacit_library_lookup_rule (library, "b") == replacement);
  g_assert_true (g_ptr_array_index (tacit_library_get_rules (library), 0) == replacement);
  g_assert_cmpuint (tacit_library_get_rules (library)->len, ==, G_N_ELEMENTS (ids));
  {
    g_autoptr(TacitRule) added = make_rule ("new");
    tacit_library_put_rule (library, added);
    g_assert_true (tacit_library_lookup_rule (library, "new") == added);
    g_assert_cmpuint (tacit_library_get_rules (library)->len, ==, G_N_ELEMENTS (ids) + 1);
  }
  g_assert_null (tacit_library_lookup_rule (library, "missing"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rule/predicate/table", test_predicate_table);
  g_test_add_func ("/rule/predicate/compile", test_predicate_compile);
  g_test_add_func ("/rule/selector", test_selector);
  g_test_add_func ("/rule/text", test_rule_text);
  g_test_add_func ("/rule/copy", test_rule_copy);
  g_test_add_func ("/rule/refcount", test_rule_refcount);
  g_test_add_func ("/rule/enums", test_enums);
  g_test_add_func ("/rule/library", test_library);

  return g_test_run ();
}
