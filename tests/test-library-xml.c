/* test-library-xml.c: reading, validating and writing rule library XML.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libxml/parser.h>

#include "tacit-error.h"
#include "tacit-library-xml.h"
#include "tacit-test-utils.h"

#define HOUR (G_GINT64_CONSTANT (3600) * TACIT_USEC_PER_SEC)
#define MINUTE (G_GINT64_CONSTANT (60) * TACIT_USEC_PER_SEC)

static char *
rules_path (const char *name)
{
  g_autofree char *rel = g_build_filename ("rules", name, NULL);

  return tacit_test_data_path (rel);
}

static char *
demo_path (void)
{
  return g_test_build_filename (G_TEST_DIST, "..", "data", "demo", "stamping-line.xml", NULL);
}

static TacitLibrary *
load (const char *path)
{
  g_autoptr(GError) error = NULL;
  TacitLibrary *library = tacit_library_load_file (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (library);
  return library;
}

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static void
test_spec_example (void)
{
  g_autofree char *path = rules_path ("spec-example.xml");
  g_autoptr(TacitLibrary) library = load (path);
  GPtrArray *machines = tacit_library_get_machines (library);
  const TacitMachine *machine;
  TacitRule *rule;
  const TacitCondition *c;
  const TacitAdviceText *text;
  const TacitAction *action;
  const TacitScope *scope;

  g_assert_cmpstr (tacit_library_get_name (library), ==, "Stamping line");
  g_assert_cmpuint (tacit_library_get_revision (library), ==, 12);

  g_assert_cmpuint (machines->len, ==, 1);
  machine = tacit_library_lookup_machine (library, "press-3");
  g_assert_nonnull (machine);
  g_assert_cmpstr (machine->name, ==, "Press 3");
  g_assert_cmpstr (machine->class_name, ==, "press");
  g_assert_cmpstr (machine->cell, ==, "stamping");

  g_assert_cmpuint (tacit_library_get_rules (library)->len, ==, 1);
  rule = tacit_library_lookup_rule (library, "coil-b-hot-oil");
  g_assert_nonnull (rule);
  g_assert_cmpint (rule->line, ==, 5);
  g_assert_cmpint (rule->kind, ==, TACIT_RULE_KIND_PROCESS_HACK);
  g_assert_cmpint (rule->status, ==, TACIT_RULE_STATUS_APPROVED);
  g_assert_cmpuint (rule->revision, ==, 3);
  g_assert_cmpstr (rule->title, ==, "Slow the ram on supplier-B coil when the oil runs hot");

  g_assert_cmpuint (rule->scopes->len, ==, 1);
  scope = g_ptr_array_index (rule->scopes, 0);
  g_assert_cmpint (scope->type, ==, TACIT_SCOPE_CLASS);
  g_assert_cmpstr (scope->value, ==, "press");

  g_assert_true (rule->trigger.selector.has_kind);
  g_assert_cmpint (rule->trigger.selector.kind, ==, TACIT_KIND_CONDITION);
  g_assert_cmpstr (rule->trigger.selector.item, ==, "hydraulic");
  g_assert_cmpstr (rule->trigger.selector.code, ==, "E1234");
  g_assert_cmpint (rule->trigger.selector.predicate.op, ==, TACIT_OP_EQ);
  g_assert_cmpstr (rule->trigger.selector.predicate.value, ==, "fault");
  g_assert_false (rule->trigger.selector.predicate.numeric);
  g_assert_cmpint (rule->trigger.edge, ==, TACIT_EDGE_AUTO);
  g_assert_cmpint (rule->trigger.on_delay, ==, 0);

  g_assert_cmpuint (rule->conditions->len, ==, 3);
  c = g_ptr_array_index (rule->conditions, 0);
  g_assert_cmpint (c->type, ==, TACIT_CONDITION_STATE);
  g_assert_false (c->selector.has_kind);
  g_assert_cmpstr (c->selector.item, ==, "material_supplier");
  g_assert_null (c->selector.code);
  g_assert_cmpint (c->selector.predicate.op, ==, TACIT_OP_EQ);
  g_assert_cmpstr (c->selector.predicate.value, ==, "B");
  g_assert_cmpint (c->duration, ==, 0);
  c = g_ptr_array_index (rule->conditions, 1);
  g_assert_cmpint (c->type, ==, TACIT_CONDITION_STATE);
  g_assert_cmpstr (c->selector.item, ==, "oil_temp");
  g_assert_cmpint (c->selector.predicate.op, ==, TACIT_OP_GT);
  g_assert_true (c->selector.predicate.numeric);
  g_assert_cmpfloat (c->selector.predicate.number, ==, 55);
  g_assert_cmpint (c->duration, ==, 2 * MINUTE);
  c = g_ptr_array_index (rule->conditions, 2);
  g_assert_cmpint (c->type, ==, TACIT_CONDITION_COUNT);
  g_assert_true (c->selector.has_kind);
  g_assert_cmpint (c->selector.kind, ==, TACIT_KIND_CONDITION);
  g_assert_cmpstr (c->selector.item, ==, "hydraulic");
  g_assert_cmpint (c->selector.predicate.op, ==, TACIT_OP_EQ);
  g_assert_cmpstr (c->selector.predicate.value, ==, "fault");
  g_assert_cmpuint (c->min, ==, 3);
  g_assert_false (c->has_max);
  g_assert_cmpint (c->within, ==, 10 * MINUTE);

  g_assert_cmpint (rule->severity, ==, TACIT_SEVERITY_WARNING);
  g_assert_cmpint (rule->cooldown, ==, 15 * MINUTE);
  g_assert_cmpfloat (rule->holdout, ==, 0);
  g_assert_cmpuint (rule->texts->len, ==, 2);
  text = g_ptr_array_index (rule->texts, 0);
  g_assert_null (text->lang);
  g_assert_cmpstr (text->text, ==, "Drop ram speed 5% until the oil is back under 50 °C.");
  text = g_ptr_array_index (rule->texts, 1);
  g_assert_cmpstr (text->lang, ==, "es");
  g_assert_cmpstr (text->text, ==, "Baje la velocidad del pisón un 5 % hasta que el aceite baje de 50 °C.");
  g_assert_cmpstr (tacit_rule_get_text (rule, "es-MX"), ==, text->text);
  g_assert_cmpuint (rule->actions->len, ==, 1);
  action = g_ptr_array_index (rule->actions, 0);
  g_assert_cmpstr (action->parameter, ==, "ram_speed");
  g_assert_cmpstr (action->change, ==, "-5%");

  g_assert_true (rule->has_outcome);
  g_assert_true (rule->outcome.has_kind);
  g_assert_cmpint (rule->outcome.kind, ==, TACIT_KIND_EVENT);
  g_assert_cmpstr (rule->outcome.item, ==, "scrap_count");
  g_assert_cmpint (rule->outcome.predicate.op, ==, TACIT_OP_NONE);
  g_assert_cmpint (rule->outcome_within, ==, 30 * MINUTE);

  g_assert_cmpstr (rule->rationale, ==, "B coil is harder; with hot oil the die cracks.");
  g_assert_cmpstr (rule->provenance.author, ==, "op-117");
  g_assert_cmpstr (rule->provenance.created, ==, "2026-10-01T06:12:00Z");
  g_assert_cmpstr (rule->provenance.reviewer, ==, "eng-4");
  g_assert_cmpstr (rule->provenance.reviewed, ==, "2026-10-02T09:00:00Z");
  g_assert_null (rule->provenance.source_event);
  g_assert_cmpuint (rule->tags->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (rule->tags, 0), ==, "die-cracking");
}

static void
assert_stable (const char *path)
{
  g_autoptr(TacitLibrary) first = load (path);
  g_autoptr(TacitLibrary) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml1 = NULL;
  g_autofree char *xml2 = NULL;
  gsize len1 = 0;
  gsize len2 = 0;

  xml1 = tacit_library_to_xml (first, &len1);
  g_assert_cmpuint (len1, ==, strlen (xml1));
  g_assert_true (g_str_has_suffix (xml1, "\n"));
  second = tacit_library_load_data (xml1, len1, "canonical.xml", &error);
  g_assert_no_error (error);
  xml2 = tacit_library_to_xml (second, &len2);
  g_assert_cmpuint (len1, ==, len2);
  g_assert_cmpstr (xml1, ==, xml2);
}

static void
test_canonical_stable (void)
{
  const char *names[] = { "spec-example.xml", "spec-example.canonical.xml", "messy.xml", "messy.canonical.xml" };
  g_autofree char *demo = demo_path ();

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = rules_path (names[i]);
      assert_stable (path);
    }
  assert_stable (demo);
}

static void
assert_canonical (const char *input, const char *expected_name)
{
  g_autofree char *path = rules_path (input);
  g_autofree char *expected_path = rules_path (expected_name);
  g_autoptr(TacitLibrary) library = load (path);
  g_autoptr(TacitLibrary) again = load (expected_path);
  g_autofree char *expected = read_text (expected_path);
  g_autofree char *xml = tacit_library_to_xml (library, NULL);
  g_autofree char *xml_again = tacit_library_to_xml (again, NULL);

  g_assert_cmpstr (xml, ==, expected);
  /* The canonical form is a fixed point. */
  g_assert_cmpstr (xml_again, ==, expected);
}

static void
test_canonical_expected (void)
{
  assert_canonical ("spec-example.xml", "spec-example.canonical.xml");
  /* Defaults dropped, durations normalised, elements and attributes in
   * their fixed order, machines and rules sorted byte-wise, escapes. */
  assert_canonical ("messy.xml", "messy.canonical.xml");
}

static void
test_messy_values (void)
{
  g_autofree char *path = rules_path ("messy.xml");
  g_autoptr(TacitLibrary) library = load (path);
  TacitRule *zeta = tacit_library_lookup_rule (library, "zeta");
  TacitRule *alpha = tacit_library_lookup_rule (library, "Alpha");
  TacitRule *alpha2 = tacit_library_lookup_rule (library, "alpha-2");
  const TacitAdviceText *text;
  const TacitCondition *c;

  g_assert_cmpstr (tacit_library_get_name (library), ==, "Messy & co");
  g_assert_cmpuint (tacit_library_get_revision (library), ==, 1);
  /* Insertion order is the file's. */
  g_assert_true (g_ptr_array_index (tacit_library_get_rules (library), 0) == zeta);

  g_assert_cmpstr (zeta->title, ==, "Zeta rule");
  g_assert_cmpfloat (zeta->holdout, ==, 0.1);
  g_assert_cmpint (zeta->cooldown, ==, 0);
  g_assert_cmpint (zeta->trigger.on_delay, ==, 2 * MINUTE);
  g_assert_cmpint (zeta->trigger.selector.predicate.op, ==, TACIT_OP_BETWEEN);
  g_assert_cmpfloat (zeta->trigger.selector.predicate.number, ==, 50);
  g_assert_cmpfloat (zeta->trigger.selector.predicate.upper, ==, 60);
  text = g_ptr_array_index (zeta->texts, 0);
  g_assert_cmpstr (text->lang, ==, "de");
  g_assert_cmpstr (text->text, ==, "Prüfen");
  text = g_ptr_array_index (zeta->texts, 1);
  g_assert_cmpstr (text->text, ==, "Check <this> & \"that\"");
  /* A scope may name a machine the registry doesn't know. */
  g_assert_cmpstr (((TacitScope *) g_ptr_array_index (zeta->scopes, 0))->value, ==, "not-in-registry");

  g_assert_cmpstr (alpha->title, ==, "Tabs\tand \"quotes\" & newline\nin title");
  g_assert_null (alpha->rationale);
  g_assert_cmpint (alpha->severity, ==, TACIT_SEVERITY_CRITICAL);
  g_assert_cmpint (alpha->cooldown, ==, 24 * HOUR);
  g_assert_cmpint (alpha->trigger.edge, ==, TACIT_EDGE_EVERY);
  g_assert_cmpint (alpha->trigger.selector.predicate.op, ==, TACIT_OP_IN);
  c = g_ptr_array_index (alpha->conditions, 0);
  g_assert_false (c->selector.has_kind == FALSE);
  g_assert_null (c->selector.item);
  g_assert_cmpstr (c->selector.code, ==, "E7");
  g_assert_cmpuint (c->min, ==, 2);
  g_assert_true (c->has_max);
  g_assert_cmpuint (c->max, ==, 10);
  g_assert_cmpint (c->within, ==, 90 * TACIT_USEC_PER_SEC);
  c = g_ptr_array_index (alpha->conditions, 2);
  g_assert_cmpstr (c->selector.item, ==, "door");
  g_assert_cmpint (c->selector.predicate.op, ==, TACIT_OP_NONE);
  g_assert_false (alpha->outcome.has_kind);
  g_assert_cmpint (alpha->outcome_within, ==, HOUR);

  g_assert_cmpuint (alpha2->revision, ==, 27);
  g_assert_cmpint (alpha2->trigger.on_delay, ==, TACIT_USEC_PER_SEC);
  g_assert_cmpint (alpha2->trigger.selector.predicate.op, ==, TACIT_OP_NONE);
  g_assert_cmpstr (alpha2->provenance.source_event, ==, "ev-1\n2");
}

static void
test_demo (void)
{
  g_autofree char *path = demo_path ();
  g_autoptr(TacitLibrary) library = load (path);
  GPtrArray *rules = tacit_library_get_rules (library);
  guint kinds[5] = { 0 };
  guint statuses[4] = { 0 };
  gboolean holdout = FALSE, on_delay = FALSE, state_for = FALSE, count = FALSE, outcome = FALSE;
  guint es = 0, de = 0;

  g_assert_cmpuint (tacit_library_get_machines (library)->len, ==, 5);
  g_assert_cmpstr (tacit_library_lookup_machine (library, "cnc-2")->cell, ==, "machining");
  g_assert_cmpuint (rules->len, >=, 15);
  for (guint i = 0; i < rules->len; i++)
    {
      TacitRule *rule = g_ptr_array_index (rules, i);

      kinds[rule->kind]++;
      statuses[rule->status]++;
      holdout |= rule->holdout > 0;
      on_delay |= rule->trigger.on_delay > 0;
      outcome |= rule->has_outcome;
      for (guint j = 0; j < rule->conditions->len; j++)
        {
          TacitCondition *c = g_ptr_array_index (rule->conditions, j);
          state_for |= c->type == TACIT_CONDITION_STATE && c->duration > 0;
          count |= c->type == TACIT_CONDITION_COUNT;
        }
      for (guint j = 0; j < rule->texts->len; j++)
        {
          TacitAdviceText *t = g_ptr_array_index (rule->texts, j);
          es += g_strcmp0 (t->lang, "es") == 0;
          de += g_strcmp0 (t->lang, "de") == 0;
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    g_assert_cmpuint (kinds[i], >, 0);
  g_assert_cmpuint (statuses[TACIT_RULE_STATUS_DRAFT], ==, 1);
  g_assert_cmpuint (statuses[TACIT_RULE_STATUS_RETIRED], ==, 1);
  g_assert_cmpuint (statuses[TACIT_RULE_STATUS_PROPOSED], >=, 2);
  g_assert_cmpuint (statuses[TACIT_RULE_STATUS_APPROVED], >, statuses[TACIT_RULE_STATUS_PROPOSED]);
  g_assert_true (holdout && on_delay && state_for && count && outcome);
  g_assert_cmpuint (es, >=, 3);
  g_assert_cmpuint (de, >=, 3);
  g_assert_cmpfloat (tacit_library_lookup_rule (library, "spindle-load-worn-tool")->holdout, ==, 0.1);
}

static void
test_rule_xml (void)
{
  g_autofree char *path = demo_path ();
  g_autoptr(TacitLibrary) library = load (path);
  GPtrArray *rules = tacit_library_get_rules (library);

  for (guint i = 0; i < rules->len; i++)
    {
      TacitRule *rule = g_ptr_array_index (rules, i);
      g_autoptr(GError) error = NULL;
      g_autofree char *xml = tacit_rule_to_xml (rule);
      g_autofree char *again = NULL;
      g_autoptr(TacitRule) parsed = NULL;
      g_autofree char *prefix = g_strdup_printf ("<rule xmlns=\"urn:tacit:rules:1\" id=\"%s\" ", rule->id);

      g_assert_true (g_str_has_prefix (xml, prefix));
      g_assert_true (g_str_has_suffix (xml, "</rule>\n"));
      parsed = tacit_rule_from_xml (xml, -1, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (parsed->id, ==, rule->id);
      g_assert_cmpuint (parsed->revision, ==, rule->revision);
      again = tacit_rule_to_xml (parsed);
      g_assert_cmpstr (again, ==, xml);
    }
}

static void
assert_rule_error (const char *xml, TacitInputError code, const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitRule) rule = tacit_rule_from_xml (xml, -1, &error);

  g_assert_null (rule);
  g_assert_error (error, TACIT_INPUT_ERROR, (int) code);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_rule_xml_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitRule) rule = NULL;
  const char *good =
    "<?xml version=\"1.0\"?>\n"
    "<r:rule xmlns:r=\"urn:tacit:rules:1\" id=\"x\" kind=\"override\" status=\"draft\">"
    "<r:title>T</r:title><r:on kind=\"event\"/><r:advise><r:text>A</r:text></r:advise></r:rule>";
  const char *xml;

  rule = tacit_rule_from_xml (good, (gssize) strlen (good), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rule->id, ==, "x");
  g_assert_cmpint (rule->line, ==, 2);

  assert_rule_error ("<library xmlns=\"urn:tacit:rules:1\"/>", TACIT_INPUT_ERROR_INVALID,
                     "rule.xml:1: the root element must be <rule xmlns=\"urn:tacit:rules:1\">");
  assert_rule_error ("<rule id=\"x\" kind=\"override\" status=\"draft\"/>", TACIT_INPUT_ERROR_INVALID,
                     "rule.xml:1: the root element must be <rule xmlns=\"urn:tacit:rules:1\">");
  xml = "<rule xmlns=\"urn:tacit:rules:1\" id=\"x\" kind=\"override\" status=\"draft\">\n"
        "  <title>T</title>\n"
        "  <on kind=\"event\" item=\"program\" for=\"2m\"/>\n"
        "  <advise><text>A</text></advise>\n"
        "</rule>\n";
  assert_rule_error (xml, TACIT_INPUT_ERROR_INVALID,
                     "rule.xml:3: <on> for= needs a value predicate or a code "
                     "(it delays the moment the trigger becomes true)");
  assert_rule_error ("<!DOCTYPE rule [<!ENTITY a \"b\">]>\n<rule/>", TACIT_INPUT_ERROR_FORBIDDEN,
                     "rule.xml:1: documents with a DOCTYPE are refused");
  assert_rule_error ("<rule", TACIT_INPUT_ERROR_SYNTAX,
                     "rule.xml:1: not well-formed XML: Couldn't find end of Start Tag rule line 1");
}

typedef struct {
  const char      *file;
  TacitInputError  code;
  const char      *message;   /* after "PATH:" */
} Malformed;

static const Malformed malformed[] = {
  { "bad-no-on.xml", TACIT_INPUT_ERROR_INVALID, "2: rule 'r1' has no <on>" },
  { "bad-two-on.xml", TACIT_INPUT_ERROR_INVALID, "5: rule 'r1' has more than one <on>" },
  { "bad-duration.xml", TACIT_INPUT_ERROR_INVALID,
    "4: <on> for=\"2 min\" is not a duration (an integer with a unit ms, s, m, h or d, like 90s or 15m)" },
  { "bad-op.xml", TACIT_INPUT_ERROR_INVALID,
    "4: <on> op=\"greater\" is not one of eq, ne, lt, le, gt, ge, in or between" },
  { "bad-between-text.xml", TACIT_INPUT_ERROR_INVALID,
    "4: <on> value=\"warm..hot\" does not fit op=\"between\": 'between' needs two numbers A..B (like 50..60)" },
  { "bad-kind.xml", TACIT_INPUT_ERROR_INVALID,
    "2: <rule> kind=\"hack\" is not one of process-hack, material-note, override, alarm-response or quality-check" },
  { "bad-event-kind.xml", TACIT_INPUT_ERROR_INVALID,
    "4: <on> kind=\"alarm\" is not one of sample, event or condition" },
  { "bad-status.xml", TACIT_INPUT_ERROR_INVALID,
    "2: <rule> status=\"live\" is not one of draft, proposed, approved or retired" },
  { "bad-duplicate-id.xml", TACIT_INPUT_ERROR_INVALID, "7: duplicate rule id 'same' (first used at line 2)" },
  { "bad-holdout.xml", TACIT_INPUT_ERROR_INVALID, "5: <advise> holdout=\"0.7\" is not a share from 0 to 0.5" },
  { "bad-for-every.xml", TACIT_INPUT_ERROR_INVALID, "4: <on> for= cannot be combined with edge=\"every\"" },
  { "bad-for-change.xml", TACIT_INPUT_ERROR_INVALID,
    "4: <on> for= needs a value predicate or a code (it delays the moment the trigger becomes true)" },
  { "bad-min-max.xml", TACIT_INPUT_ERROR_INVALID, "6: <count> min=\"5\" is greater than max=\"2\"" },
  { "bad-doctype-xxe.xml", TACIT_INPUT_ERROR_FORBIDDEN, "2: documents with a DOCTYPE are refused" },
  { "bad-billion-laughs.xml", TACIT_INPUT_ERROR_FORBIDDEN, "3: documents with a DOCTYPE are refused" },
  { "bad-truncated.xml", TACIT_INPUT_ERROR_SYNTAX,
    "5: not well-formed XML: Premature end of data in tag rule line 2" },
  { "bad-not-well-formed.xml", TACIT_INPUT_ERROR_SYNTAX,
    "6: not well-formed XML: Opening and ending tag mismatch: on line 4 and rule" },
  { "bad-several.xml", TACIT_INPUT_ERROR_INVALID, "2: <library> revision=\"0\" is not a positive integer" },
};

static void
assert_load_error (const char *path, TacitInputError code, const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitLibrary) library = tacit_library_load_file (path, &error);
  g_autofree char *expected = g_strdup_printf ("%s:%s", path, message);
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) io_error = NULL;

  g_assert_null (library);
  g_assert_error (error, TACIT_INPUT_ERROR, (int) code);
  g_assert_cmpstr (error->message, ==, expected);

  /* validate_file agrees on the first problem. */
  g_assert_false (tacit_library_validate_file (path, &problems, &io_error));
  g_assert_no_error (io_error);
  g_assert_cmpuint (problems->len, >=, 1);
  g_assert_cmpstr (g_ptr_array_index (problems, 0), ==, expected);
}

static void
test_malformed (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      g_autofree char *path = rules_path (malformed[i].file);
      assert_load_error (path, malformed[i].code, malformed[i].message);
    }
}

static void
test_deep_nesting (void)
{
  GString *xml = g_string_new ("<library xmlns=\"urn:tacit:rules:1\">\n");
  g_autofree char *path = NULL;

  for (int i = 0; i < 10000; i++)
    g_string_append (xml, "<rule>\n");
  for (int i = 0; i < 10000; i++)
    g_string_append (xml, "</rule>\n");
  g_string_append (xml, "</library>\n");
  path = tacit_test_write_file ("deep.xml", xml->str, (gssize) xml->len);
  /* The 65th element opens on line 65. */
  assert_load_error (path, TACIT_INPUT_ERROR_TOO_LARGE, "65: elements are nested more than 64 deep");
  g_string_free (xml, TRUE);
}

static void
test_encoding (void)
{
  static const char utf8[] =
    "<library xmlns=\"urn:tacit:rules:1\">\n  <machines>\n    <machine id=\"press-\xff\"/>\n"
    "  </machines>\n</library>\n";
  static const char nul[] =
    "<library xmlns=\"urn:tacit:rules:1\">\n\n  <machines>\0</machines>\n</library>\n";
  /* An overlong encoding of '/' is not UTF-8 either. */
  static const char overlong[] = "<library xmlns=\"urn:tacit:rules:1\" name=\"\xc0\xaf\"/>\n";
  g_autofree char *utf8_path = tacit_test_write_file ("utf8.xml", utf8, sizeof utf8 - 1);
  g_autofree char *nul_path = tacit_test_write_file ("nul.xml", nul, sizeof nul - 1);
  g_autofree char *overlong_path = tacit_test_write_file ("overlong.xml", overlong, sizeof overlong - 1);

  assert_load_error (utf8_path, TACIT_INPUT_ERROR_ENCODING, "3: invalid UTF-8 (libraries are UTF-8)");
  assert_load_error (nul_path, TACIT_INPUT_ERROR_ENCODING, "3: NUL byte");
  assert_load_error (overlong_path, TACIT_INPUT_ERROR_ENCODING, "1: invalid UTF-8 (libraries are UTF-8)");
}

static void
test_other_refusals (void)
{
  static const struct {
    const char      *name;
    const char      *contents;
    TacitInputError  code;
    const char      *message;
  } cases[] = {
    { "empty.xml", "", TACIT_INPUT_ERROR_SYNTAX, "1: the document is empty" },
    { "root.xml", "<?xml version=\"1.0\"?>\n<rules xmlns=\"urn:tacit:rules:1\"/>\n", TACIT_INPUT_ERROR_INVALID,
      "2: the root element must be <library xmlns=\"urn:tacit:rules:1\">" },
    { "nons.xml", "<library/>", TACIT_INPUT_ERROR_INVALID,
      "1: the root element must be <library xmlns=\"urn:tacit:rules:1\">" },
    { "entity.xml", "<library xmlns=\"urn:tacit:rules:1\" name=\"&ent;\"/>", TACIT_INPUT_ERROR_SYNTAX,
      "1: not well-formed XML: Entity 'ent' not defined" },
    { "doctype-after-comment.xml",
      "<?xml version=\"1.0\"?>\n<!-- hello -->\n<?pi x?>\n\n<!DOCTYPE library SYSTEM \"http://example.com/x.dtd\">\n<library/>",
      TACIT_INPUT_ERROR_FORBIDDEN, "5: documents with a DOCTYPE are refused" },
    { "foreign.xml",
      "<library xmlns=\"urn:tacit:rules:1\" xmlns:x=\"urn:other\" x:a=\"1\">\n<x:thing/>\n</library>",
      TACIT_INPUT_ERROR_INVALID, "1: <library> has an unknown attribute x:a=" },
    { "text.xml", "<library xmlns=\"urn:tacit:rules:1\">\n  hello\n</library>",
      TACIT_INPUT_ERROR_INVALID, "2: unexpected text in <library>" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = tacit_test_write_file (cases[i].name, cases[i].contents, -1);
      assert_load_error (path, cases[i].code, cases[i].message);
    }
}

static void
test_too_large (void)
{
  g_autofree char *dir = tacit_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "huge.xml", NULL);
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitLibrary) library = NULL;
  char *big;
  int fd;

  /* A sparse file: refused by its size before anything is read. */
  fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t) TACIT_LIBRARY_MAX_BYTES + 1), ==, 0);
  close (fd);
  assert_load_error (path, TACIT_INPUT_ERROR_TOO_LARGE, "1: the library is larger than 256 MiB");

  /* load_data checks the length too (the bytes are never looked at). */
  big = g_malloc0 (1);
  library = tacit_library_load_data (big, (gsize) TACIT_LIBRARY_MAX_BYTES + 1, "big.xml", &error);
  g_assert_null (library);
  g_assert_error (error, TACIT_INPUT_ERROR, TACIT_INPUT_ERROR_TOO_LARGE);
  g_assert_cmpstr (error->message, ==, "big.xml:1: the library is larger than 256 MiB");
  g_free (big);
}

static void
test_validate_several (void)
{
  g_autofree char *path = rules_path ("bad-several.xml");
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  const char *expected[] = {
    "2: <library> revision=\"0\" is not a positive integer",
    "5: duplicate machine id 'press-1' (first used at line 4)",
    "7: rule 'no-trigger' has no <on>",
    "9: <advise> cooldown=\"15 minutes\" is not a duration (an integer with a unit ms, s, m, h or d, like 90s or 15m)",
    "13: <scope> needs exactly one of machine=, class= or cell=",
    "14: <on> op=\"gt\" needs a value= attribute",
    "16: <state> value=\"cold\" does not fit op=\"lt\": 'lt', 'le', 'gt' and 'ge' need a number",
    "17: <count> within=\"1w\" is not a duration (an integer with a unit ms, s, m, h or d, like 90s or 15m)",
    "19: <advise> severity=\"urgent\" is not one of info, warning or critical",
    "19: <advise> holdout=\"0.7\" is not a share from 0 to 0.5",
    "20: <text> xml:lang=\"Spanish!\" is not a language tag (like es or es-MX)",
    "21: <text> is empty",
    "22: unexpected element <hint> in <advise>",
    "24: <provenance> created=\"yesterday\" is not an RFC 3339 time with a zone (like 2026-10-01T06:12:00Z)",
    "24: <provenance> has an unknown attribute colour=",
    "26: duplicate rule id 'bad-values' (first used at line 11)",
  };

  g_assert_false (tacit_library_validate_file (path, &problems, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < MIN (problems->len, G_N_ELEMENTS (expected)); i++)
    {
      g_autofree char *line = g_strdup_printf ("%s:%s", path, expected[i]);
      g_assert_cmpstr (g_ptr_array_index (problems, i), ==, line);
    }
  g_assert_cmpuint (problems->len, ==, G_N_ELEMENTS (expected));
}

static void
test_validate_good (void)
{
  g_autofree char *path = demo_path ();
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (tacit_library_validate_file (path, &problems, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);
}

static void
test_io_error (void)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitLibrary) library = NULL;

  g_assert_false (tacit_library_validate_file ("/nonexistent/library.xml", &problems, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_clear_error (&error);
  library = tacit_library_load_file ("/nonexistent/library.xml", &error);
  g_assert_null (library);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
}

static void
test_save (void)
{
  g_autofree char *path = rules_path ("messy.xml");
  g_autofree char *dir = tacit_test_tmpdir ();
  g_autofree char *out = g_build_filename (dir, "saved.xml", NULL);
  g_autoptr(TacitLibrary) library = load (path);
  g_autoptr(TacitLibrary) saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) listing = NULL;
  g_autofree char *xml = tacit_library_to_xml (library, NULL);
  g_autofree char *contents = NULL;

  g_assert_true (tacit_library_save_file (library, out, &error));
  g_assert_no_error (error);
  /* Saving again replaces the file atomically. */
  g_assert_true (tacit_library_save_file (library, out, &error));
  g_assert_no_error (error);
  contents = read_text (out);
  g_assert_cmpstr (contents, ==, xml);
  saved = load (out);
  g_assert_cmpuint (tacit_library_get_rules (saved)->len, ==, 3);
  listing = g_dir_open (dir, 0, NULL);
  g_assert_cmpstr (g_dir_read_name (listing), ==, "saved.xml");
  g_assert_null (g_dir_read_name (listing));

  g_assert_false (tacit_library_save_file (library, "/nonexistent/dir/x.xml", &error));
  g_assert_nonnull (error);
}

static void
test_empty_library (void)
{
  g_autoptr(TacitLibrary) library = tacit_library_new ();
  g_autoptr(TacitLibrary) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = tacit_library_to_xml (library, NULL);
  const char *input = "<library xmlns='urn:tacit:rules:1'>\n  <machines/>\n</library>";
  g_autofree char *xml2 = NULL;

  g_assert_cmpstr (xml, ==, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<library xmlns=\"urn:tacit:rules:1\"/>\n");
  loaded = tacit_library_load_data (input, strlen (input), NULL, &error);
  g_assert_no_error (error);
  xml2 = tacit_library_to_xml (loaded, NULL);
  g_assert_cmpstr (xml2, ==, xml);
}

/* Strings from elsewhere (a kiosk, the store) may hold what XML cannot
 * carry; the writer still produces a document that reads back. */
static void
test_write_unusual_strings (void)
{
  g_autoptr(TacitLibrary) library = tacit_library_new ();
  g_autoptr(TacitLibrary) loaded = NULL;
  g_autoptr(TacitRule) rule = tacit_rule_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  TacitAdviceText *text = g_new0 (TacitAdviceText, 1);
  TacitRule *back;

  rule->id = g_strdup ("odd");
  rule->title = g_strdup ("Bell\a and \"quotes\" & <tags> ]]>");
  rule->trigger.selector.kind = TACIT_KIND_EVENT;
  rule->trigger.selector.item = g_strdup ("program");
  g_assert_true (tacit_predicate_set (&rule->trigger.selector.predicate, TACIT_OP_EQ, "a\"b'c\td\ne\rf", NULL));
  text->text = g_strdup ("Line\r\nbreak");
  g_ptr_array_add (rule->texts, text);
  g_assert_true (tacit_library_add_rule (library, rule, NULL));
  tacit_library_set_name (library, "Name \xff broken UTF-8");

  xml = tacit_library_to_xml (library, NULL);
  loaded = tacit_library_load_data (xml, strlen (xml), "odd.xml", &error);
  g_assert_no_error (error);
  back = tacit_library_lookup_rule (loaded, "odd");
  g_assert_cmpstr (back->title, ==, "Bell\xef\xbf\xbd and \"quotes\" & <tags> ]]>");
  g_assert_cmpstr (back->trigger.selector.predicate.value, ==, "a\"b'c\td\ne\rf");
  g_assert_cmpstr (((TacitAdviceText *) g_ptr_array_index (back->texts, 0))->text, ==, "Line\r\nbreak");
  g_assert_true (g_utf8_validate (tacit_library_get_name (loaded), -1, NULL));
}

static void
counting_generic_error (void *ctx, const char *msg, ...)
{
  (*(int *) ctx)++;
}

/* libxml2 never writes to stderr, and its global handlers are the
 * caller's again afterwards. */
static void
test_quiet (void)
{
  if (g_test_subprocess ())
    {
      int calls = 0;

      xmlSetGenericErrorFunc (&calls, counting_generic_error);
      for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
        {
          g_autofree char *path = rules_path (malformed[i].file);
          g_autoptr(GError) error = NULL;
          g_autoptr(TacitLibrary) library = tacit_library_load_file (path, &error);
          g_autoptr(GPtrArray) problems = NULL;

          g_assert_null (library);
          tacit_library_validate_file (path, &problems, NULL);
        }
      g_assert_true (xmlGenericError == counting_generic_error);
      g_assert_true (xmlGenericErrorContext == &calls);
      g_assert_cmpint (calls, ==, 0);
      g_assert_null (xmlStructuredError);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("");
  g_test_trap_assert_stdout ("");
}

static void
test_load_data_name (void)
{
  const char *xml = "<library xmlns=\"urn:tacit:rules:1\">\n<rule/>\n</library>";
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitLibrary) library = tacit_library_load_data (xml, strlen (xml), "upload.xml", &error);

  g_assert_null (library);
  g_assert_error (error, TACIT_INPUT_ERROR, TACIT_INPUT_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "upload.xml:2: <rule> needs the attribute id=");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/library-xml/spec-example", test_spec_example);
  g_test_add_func ("/library-xml/canonical/expected", test_canonical_expected);
  g_test_add_func ("/library-xml/canonical/stable", test_canonical_stable);
  g_test_add_func ("/library-xml/canonical/values", test_messy_values);
  g_test_add_func ("/library-xml/canonical/empty", test_empty_library);
  g_test_add_func ("/library-xml/canonical/unusual-strings", test_write_unusual_strings);
  g_test_add_func ("/library-xml/demo", test_demo);
  g_test_add_func ("/library-xml/rule-xml/round-trip", test_rule_xml);
  g_test_add_func ("/library-xml/rule-xml/errors", test_rule_xml_errors);
  g_test_add_func ("/library-xml/malformed/files", test_malformed);
  g_test_add_func ("/library-xml/malformed/deep-nesting", test_deep_nesting);
  g_test_add_func ("/library-xml/malformed/encoding", test_encoding);
  g_test_add_func ("/library-xml/malformed/other", test_other_refusals);
  g_test_add_func ("/library-xml/malformed/too-large", test_too_large);
  g_test_add_func ("/library-xml/malformed/quiet", test_quiet);
  g_test_add_func ("/library-xml/malformed/display-name", test_load_data_name);
  g_test_add_func ("/library-xml/validate/several", test_validate_several);
  g_test_add_func ("/library-xml/validate/good", test_validate_good);
  g_test_add_func ("/library-xml/validate/io-error", test_io_error);
  g_test_add_func ("/library-xml/save", test_save);

  return g_test_run ();
}
