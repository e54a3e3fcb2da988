/* tacit-rule.h: the rule model (SPEC "Rule library XML").
 *
 * Rules are plain reference-counted structs with public fields: the XML
 * reader and the store fill them, the engine compiles them into its own
 * indexes. Treat a rule as immutable once it is shared; an edit is a new
 * rule with a new revision.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "tacit-event.h"

G_BEGIN_DECLS

typedef enum {
  TACIT_OP_NONE,         /* no value predicate */
  TACIT_OP_EQ,
  TACIT_OP_NE,
  TACIT_OP_LT,
  TACIT_OP_LE,
  TACIT_OP_GT,
  TACIT_OP_GE,
  TACIT_OP_IN,           /* value="B|C" */
  TACIT_OP_BETWEEN,      /* value="50..60", inclusive, numeric */
} TacitOp;

/* A value predicate, compiled once from op + value. */
typedef struct {
  TacitOp  op;
  char    *value;          /* as written in the library */
  /* compiled */
  gboolean numeric;        /* value parses as a finite number */
  double   number;
  double   upper;          /* between: upper bound (number is the lower) */
  char   **alternatives;   /* in: the strings between '|' */
  double  *alt_numbers;    /* in: their numbers (NAN when not numeric) */
  guint    n_alternatives;
} TacitPredicate;

/* kind / item / code / value predicate, as used by on, state, count and outcome. */
typedef struct {
  gboolean       has_kind;
  TacitKind      kind;
  char          *item;     /* NULL: any item */
  char          *code;     /* NULL: any code */
  TacitPredicate predicate;
} TacitSelector;

typedef enum {
  TACIT_EDGE_AUTO,         /* rise with a predicate or code, else change */
  TACIT_EDGE_EVERY,
} TacitEdge;

typedef struct {
  TacitSelector selector;  /* has_kind is always TRUE for a trigger */
  TacitEdge     edge;
  TacitTime     on_delay;  /* for="D"; 0 when absent */
} TacitTrigger;

typedef enum {
  TACIT_CONDITION_STATE,
  TACIT_CONDITION_COUNT,
} TacitConditionType;

typedef struct {
  TacitConditionType type;
  TacitSelector      selector;  /* state: item + predicate; count: kind/item/code/predicate */
  TacitTime          duration;  /* state for="D"; 0 when absent */
  TacitTime          within;    /* count */
  guint              min;       /* count */
  guint              max;       /* count; valid when has_max */
  gboolean           has_max;
} TacitCondition;

typedef enum {
  TACIT_SCOPE_MACHINE,
  TACIT_SCOPE_CLASS,
  TACIT_SCOPE_CELL,
} TacitScopeType;

typedef struct {
  TacitScopeType type;
  char          *value;
} TacitScope;

typedef struct {
  char *lang;              /* NULL: no xml:lang */
  char *text;
} TacitAdviceText;

typedef struct {
  char *parameter;
  char *change;            /* as written: "-5%", "+2", "set:40" */
} TacitAction;

typedef enum {
  TACIT_RULE_KIND_PROCESS_HACK,
  TACIT_RULE_KIND_MATERIAL_NOTE,
  TACIT_RULE_KIND_OVERRIDE,
  TACIT_RULE_KIND_ALARM_RESPONSE,
  TACIT_RULE_KIND_QUALITY_CHECK,
} TacitRuleKind;

typedef enum {
  TACIT_RULE_STATUS_DRAFT,
  TACIT_RULE_STATUS_PROPOSED,
  TACIT_RULE_STATUS_APPROVED,
  TACIT_RULE_STATUS_RETIRED,
} TacitRuleStatus;

typedef enum {
  TACIT_SEVERITY_INFO,
  TACIT_SEVERITY_WARNING,
  TACIT_SEVERITY_CRITICAL,
} TacitSeverity;

typedef struct {
  char     *author;
  char     *created;       /* RFC 3339 as written, or NULL */
  char     *reviewer;
  char     *reviewed;
  char     *source_event;  /* id of the event a kiosk capture started from */
} TacitProvenance;

typedef struct _TacitRule TacitRule;
struct _TacitRule {
  /*< private >*/
  gatomicrefcount ref_count;
  /*< public >*/
  char            *id;
  TacitRuleKind    kind;
  TacitRuleStatus  status;
  guint            revision;        /* 1 when absent */
  char            *title;
  GPtrArray       *scopes;          /* TacitScope*; empty: every machine */
  TacitTrigger     trigger;
  GPtrArray       *conditions;      /* TacitCondition* */
  TacitSeverity    severity;
  TacitTime        cooldown;
  double           holdout;         /* 0 .. 0.5 */
  GPtrArray       *texts;           /* TacitAdviceText*, at least one */
  GPtrArray       *actions;         /* TacitAction* */
  gboolean         has_outcome;
  TacitSelector    outcome;
  TacitTime        outcome_within;
  char            *rationale;
  TacitProvenance  provenance;
  GPtrArray       *tags;            /* char* */
  int              line;            /* line in the library file, 0 if none */
};

#define TACIT_TYPE_RULE (tacit_rule_get_type ())
GType           tacit_rule_get_type          (void) G_GNUC_CONST;

TacitRule      *tacit_rule_new               (void);
TacitRule      *tacit_rule_ref               (TacitRule            *rule);
void            tacit_rule_unref             (TacitRule            *rule);
/* A deep copy with refcount 1, e.g. to make the next revision. */
TacitRule      *tacit_rule_copy              (const TacitRule      *rule);

/* The advice in lang (exact, then its primary subtag: "es-MX" → "es"),
 * else the first text. */
const char     *tacit_rule_get_text          (const TacitRule      *rule,
                                              const char           *lang);

TacitCondition *tacit_condition_new          (TacitConditionType    type);
void            tacit_condition_free         (TacitCondition       *condition);

/* Compiles op + value; FALSE with *problem (static string) when the value
 * does not fit the op (between needs "A..B" with numbers, A <= B). */
gboolean        tacit_predicate_set          (TacitPredicate       *predicate,
                                              TacitOp               op,
                                              const char           *value,
                                              const char          **problem);
void            tacit_predicate_clear        (TacitPredicate       *predicate);
/* SPEC "Predicates": numeric when both sides are finite numbers, else only
 * eq/ne/in on strings; nothing holds on an unavailable value. value_number
 * is used when value_is_number (callers parse once). op NONE holds for any
 * available value. */
gboolean        tacit_predicate_test         (const TacitPredicate *predicate,
                                              const char           *value,
                                              gboolean              value_is_number,
                                              double                value_number);
void            tacit_selector_clear         (TacitSelector        *selector);
/* kind (if has_kind), item (if set), code (if set) and predicate. */
gboolean        tacit_selector_matches       (const TacitSelector  *selector,
                                              const TacitEvent     *event,
                                              gboolean              value_is_number,
                                              double                value_number);

const char     *tacit_op_to_string           (TacitOp               op);
gboolean        tacit_op_from_string         (const char           *text,
                                              TacitOp              *out);
const char     *tacit_rule_kind_to_string    (TacitRuleKind         kind);
gboolean        tacit_rule_kind_from_string  (const char           *text,
                                              TacitRuleKind        *out);
const char     *tacit_rule_status_to_string  (TacitRuleStatus       status);
gboolean        tacit_rule_status_from_string (const char          *text,
                                              TacitRuleStatus      *out);
const char     *tacit_severity_to_string     (TacitSeverity         severity);
gboolean        tacit_severity_from_string   (const char           *text,
                                              TacitSeverity        *out);
const char     *tacit_scope_type_to_string   (TacitScopeType        type);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TacitRule, tacit_rule_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TacitCondition, tacit_condition_free)

G_END_DECLS
