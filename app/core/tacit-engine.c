/* tacit-engine.c: the deterministic rule engine.
 *
 * Shape of the data (all built once, or lazily on first sight):
 *
 *  - CompiledRule: an evaluated rule (proposed → shadow, approved → live),
 *    numbered in id order so that "order by rule id" is an integer compare.
 *  - Index: per kind, item → rules whose trigger names that item, plus the
 *    rules whose trigger names no item.
 *  - MachineState: per machine, its item slots, cooldown/flood records and
 *    open outcome windows.
 *  - ItemSlot: per machine and item, the latest value (for `state`), the
 *    previous event per kind (for trigger edges), the trigger rules in scope
 *    for that machine (merged in id order, computed when the slot is made)
 *    and the trackers fed by that item.
 *  - Tracker: shared by every condition with the same selector: `state for`
 *    keeps when the predicate started to hold without a break, `count`
 *    keeps the times of matching events within its window.
 *
 * So an event costs a hash lookup for its machine and item plus the rules
 * and trackers that could match it there — never the size of the library.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-engine.h"
#include "tacit-error.h"

#include <math.h>
#include <string.h>

#define FLOOD_COUNT      11
#define FLOOD_WINDOW     (G_GINT64_CONSTANT (600) * TACIT_USEC_PER_SEC)
#define CHATTER_COUNT    3
#define CHATTER_WINDOW   (G_GINT64_CONSTANT (60) * TACIT_USEC_PER_SEC)
#define NO_TIME          TACIT_TIME_MIN

typedef struct _Tracker Tracker;
typedef struct _CompiledRule CompiledRule;
typedef struct _MachineState MachineState;

typedef enum {
  TRACKER_STATE_FOR,
  TRACKER_COUNT,
} TrackerType;

struct _Tracker {
  TrackerType          type;
  guint                index;
  const TacitSelector *selector;   /* borrowed from the first condition */
  TacitTime            within;     /* count */
  GPtrArray           *rules;      /* CompiledRule* using it (for scope) */
};

/* Per machine state of a tracker. */
typedef struct {
  TacitTime  since;                /* state for: start of the run that holds */
  GArray    *times;                /* count: matching times, oldest first */
  guint      head;                 /* count: first live entry in times */
} TrackerState;

typedef struct {
  const TacitCondition *condition;
  Tracker              *tracker;   /* NULL for a plain `state` */
} CompiledCondition;

struct _CompiledRule {
  /* The trigger's hot fields, copied here so matching stays in this array
   * instead of chasing each rule's heap blocks. */
  const TacitPredicate *predicate;
  const char        *code;
  TacitOp            op;
  gboolean           numeric;
  double             number;
  gboolean           every;
  TacitRule         *rule;
  guint              index;        /* position in id order */
  TacitMode          mode;         /* live or shadow */
  gboolean           rise;         /* trigger has a predicate or a code */
  CompiledCondition *conditions;
  guint              n_conditions;
  TacitRuleStats     stats;
};

/* Per rule and machine: cooldown and the recent firings for flags. */
typedef struct {
  TacitTime last_fire;
  TacitTime recent[FLOOD_COUNT];   /* ring of the latest firing times */
  guint     n_recent;
} RuleMachineState;

typedef struct {
  gboolean  seen;
  gboolean  unavailable;
  gboolean  is_number;
  double    number;
  GString  *value;                 /* NULL (and code) until the kind's first event */
  GString  *code;                  /* len 0 and has_code FALSE when absent */
  gboolean  has_code;
} PreviousEvent;

typedef struct {
  char          *item;
  gboolean       has_latest;
  GString       *latest;
  gboolean       latest_is_number;
  double         latest_number;
  PreviousEvent  prev[TACIT_N_KINDS];
  GPtrArray     *rules[TACIT_N_KINDS];   /* CompiledRule*, id order; NULL when none */
  guint8        *matched[TACIT_N_KINDS]; /* per rule: did the previous event match it */
  GPtrArray     *trackers[TACIT_N_KINDS]; /* Tracker* keyed on this item that an event of
                                          * that kind can feed; NULL when none */
  GQueue         pending[TACIT_N_KINDS]; /* PendingDelay* waiting on this slot */
} ItemSlot;

typedef struct {
  TacitTime      due;
  guint64        seq;
  CompiledRule  *rule;
  MachineState  *machine;
  ItemSlot      *slot;
  TacitKind      kind;
  TacitEvent    *trigger;
  GList         *link;             /* in slot->pending[kind] */
  gboolean       cancelled;
} PendingDelay;

typedef struct {
  TacitSuggestion *suggestion;
  CompiledRule    *rule;
  MachineState    *machine;
  TacitTime        end;
  guint64          seq;
  GList           *link;           /* in machine->open_windows */
} OutcomeWindow;

struct _MachineState {
  char               *id;
  const TacitMachine *info;
  GHashTable         *slots;       /* item → ItemSlot */
  GPtrArray          *sorted_slots; /* ItemSlot*, by item: the context */
  GPtrArray          *wildcard[TACIT_N_KINDS]; /* in-scope rules with no item */
  GPtrArray          *wildcard_trackers[TACIT_N_KINDS]; /* in-scope count trackers with no item */
  TrackerState      **tracker_states;          /* by tracker index, lazily */
  GHashTable         *rule_states; /* CompiledRule* → RuleMachineState */
  GQueue              open_windows;
};

/* A binary min-heap of pointers; order by a compare function. */
typedef struct {
  GPtrArray   *items;
  GCompareFunc compare;
} Heap;

struct _TacitEngine {
  GObject              parent_instance;

  TacitLibrary        *library;
  CompiledRule        *rules;
  guint                n_rules;
  TacitRuleStats      *stats_out;
  GHashTable          *trigger_index[TACIT_N_KINDS]; /* item → GPtrArray<CompiledRule*> */
  /* Rules scoped to machines only (most rules), by machine then item, so
   * a new slot does not walk every rule of its item across the plant. */
  GHashTable          *machine_trigger_index[TACIT_N_KINDS]; /* machine → item → GPtrArray */
  GPtrArray           *trigger_wildcard[TACIT_N_KINDS];
  GPtrArray           *trackers;                     /* Tracker* */
  GHashTable          *tracker_by_key;               /* signature → Tracker* */
  GHashTable          *trackers_by_item;             /* item → GPtrArray<Tracker*> */
  GPtrArray           *wildcard_trackers;            /* count trackers with no item */

  GHashTable          *machines;                     /* id → MachineState */
  MachineState        *last_machine;                 /* of the previous event */

  TacitTime            now;
  TacitTime            first_time;
  guint64              n_events;
  guint64              seq;
  Heap                 pending;                      /* PendingDelay*, by due */
  Heap                 windows;                      /* OutcomeWindow*, by end */
  GQueue               fifo;                         /* TacitSuggestion*, firing order */
  GHashTable          *window_of;                    /* TacitSuggestion* → OutcomeWindow* */

  TacitSuggestionFunc  fired_func;
  gpointer             fired_data;
  TacitSuggestionFunc  ready_func;
  gpointer             ready_data;
};

G_DEFINE_FINAL_TYPE (TacitEngine, tacit_engine, G_TYPE_OBJECT)

/* ------------------------------------------------------------------ heap */

static void
heap_init (Heap *heap, GCompareFunc compare)
{
  heap->items = g_ptr_array_new ();
  heap->compare = compare;
}

static void
heap_swap (Heap *heap, guint a, guint b)
{
  gpointer tmp = heap->items->pdata[a];
  heap->items->pdata[a] = heap->items->pdata[b];
  heap->items->pdata[b] = tmp;
}

static void
heap_push (Heap *heap, gpointer item)
{
  guint i;

  g_ptr_array_add (heap->items, item);
  for (i = heap->items->len - 1; i > 0; i = (i - 1) / 2)
    {
      guint parent = (i - 1) / 2;
      if (heap->compare (heap->items->pdata[parent], heap->items->pdata[i]) <= 0)
        break;
      heap_swap (heap, parent, i);
    }
}

static gpointer
heap_peek (Heap *heap)
{
  return heap->items->len ? heap->items->pdata[0] : NULL;
}

static gpointer
heap_pop (Heap *heap)
{
  gpointer top;
  guint i = 0, n;

  if (heap->items->len == 0)
    return NULL;
  top = heap->items->pdata[0];
  heap->items->pdata[0] = heap->items->pdata[heap->items->len - 1];
  g_ptr_array_set_size (heap->items, heap->items->len - 1);
  n = heap->items->len;
  for (;;)
    {
      guint l = 2 * i + 1, r = l + 1, min = i;
      if (l < n && heap->compare (heap->items->pdata[l], heap->items->pdata[min]) < 0)
        min = l;
      if (r < n && heap->compare (heap->items->pdata[r], heap->items->pdata[min]) < 0)
        min = r;
      if (min == i)
        break;
      heap_swap (heap, i, min);
      i = min;
    }
  return top;
}

static int
compare_time_seq (TacitTime ta, guint64 sa, TacitTime tb, guint64 sb)
{
  if (ta != tb)
    return ta < tb ? -1 : 1;
  return sa < sb ? -1 : sa > sb;
}

static int
pending_compare (gconstpointer a, gconstpointer b)
{
  const PendingDelay *pa = a, *pb = b;
  return compare_time_seq (pa->due, pa->seq, pb->due, pb->seq);
}

static int
window_compare (gconstpointer a, gconstpointer b)
{
  const OutcomeWindow *wa = a, *wb = b;
  return compare_time_seq (wa->end, wa->seq, wb->end, wb->seq);
}

/* ------------------------------------------------------------ compiling */

static int
rule_id_compare (gconstpointer a, gconstpointer b)
{
  const TacitRule *ra = *(TacitRule * const *) a;
  const TacitRule *rb = *(TacitRule * const *) b;
  return strcmp (ra->id, rb->id);
}

/* Conditions with the same selector (and window) share one tracker. */
static char *
tracker_key (TrackerType type, const TacitCondition *c)
{
  const TacitSelector *s = &c->selector;
  return g_strdup_printf ("%d\x1f%d%d\x1f%s\x1f%s\x1f%d\x1f%s\x1f%" G_GINT64_FORMAT,
                          type, s->has_kind, s->has_kind ? (int) s->kind : -1,
                          s->item ? s->item : "\x1e", s->code ? s->code : "\x1e",
                          s->predicate.op, s->predicate.value ? s->predicate.value : "",
                          type == TRACKER_COUNT ? c->within : 0);
}

static void
tracker_free (Tracker *tracker)
{
  g_ptr_array_unref (tracker->rules);
  g_free (tracker);
}

static void
index_tracker_item (TacitEngine *self, Tracker *tracker)
{
  const char *item = tracker->selector->item;
  GPtrArray *list;

  if (item == NULL)
    {
      g_ptr_array_add (self->wildcard_trackers, tracker);
      return;
    }
  list = g_hash_table_lookup (self->trackers_by_item, item);
  if (list == NULL)
    {
      list = g_ptr_array_new ();
      g_hash_table_insert (self->trackers_by_item, (gpointer) item, list);
    }
  g_ptr_array_add (list, tracker);
}

static Tracker *
ensure_tracker (TacitEngine *self, TrackerType type, const TacitCondition *c)
{
  g_autofree char *key = tracker_key (type, c);
  Tracker *tracker = g_hash_table_lookup (self->tracker_by_key, key);

  if (tracker != NULL)
    return tracker;
  tracker = g_new0 (Tracker, 1);
  tracker->type = type;
  tracker->index = self->trackers->len;
  tracker->selector = &c->selector;
  tracker->within = c->within;
  tracker->rules = g_ptr_array_new ();
  g_ptr_array_add (self->trackers, tracker);
  g_hash_table_insert (self->tracker_by_key, g_steal_pointer (&key), tracker);
  index_tracker_item (self, tracker);
  return tracker;
}

static void
compile_conditions (TacitEngine *self, CompiledRule *cr)
{
  GPtrArray *conditions = cr->rule->conditions;

  cr->n_conditions = conditions ? conditions->len : 0;
  cr->conditions = g_new0 (CompiledCondition, MAX (cr->n_conditions, 1));
  for (guint i = 0; i < cr->n_conditions; i++)
    {
      const TacitCondition *c = g_ptr_array_index (conditions, i);
      Tracker *tracker = NULL;

      if (c->type == TACIT_CONDITION_COUNT)
        tracker = ensure_tracker (self, TRACKER_COUNT, c);
      else if (c->duration > 0)
        tracker = ensure_tracker (self, TRACKER_STATE_FOR, c);
      if (tracker != NULL && (tracker->rules->len == 0 ||
                              g_ptr_array_index (tracker->rules, tracker->rules->len - 1) != cr))
        g_ptr_array_add (tracker->rules, cr);
      cr->conditions[i].condition = c;
      cr->conditions[i].tracker = tracker;
    }
}

static gboolean
scoped_to_machines_only (const TacitRule *rule)
{
  if (rule->scopes == NULL || rule->scopes->len == 0)
    return FALSE;
  for (guint i = 0; i < rule->scopes->len; i++)
    if (((const TacitScope *) g_ptr_array_index (rule->scopes, i))->type != TACIT_SCOPE_MACHINE)
      return FALSE;
  return TRUE;
}

static void
index_machine_trigger (TacitEngine *self, CompiledRule *cr)
{
  const TacitSelector *s = &cr->rule->trigger.selector;
  GPtrArray *scopes = cr->rule->scopes;

  for (guint i = 0; i < scopes->len; i++)
    {
      const char *machine = ((const TacitScope *) g_ptr_array_index (scopes, i))->value;
      GHashTable *items = g_hash_table_lookup (self->machine_trigger_index[s->kind], machine);
      GPtrArray *list;

      if (items == NULL)
        {
          items = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) g_ptr_array_unref);
          g_hash_table_insert (self->machine_trigger_index[s->kind], (gpointer) machine, items);
        }
      list = g_hash_table_lookup (items, s->item);
      if (list == NULL)
        {
          list = g_ptr_array_new ();
          g_hash_table_insert (items, s->item, list);
        }
      /* Rules come in id order; a machine named twice counts once. */
      if (list->len == 0 || g_ptr_array_index (list, list->len - 1) != cr)
        g_ptr_array_add (list, cr);
    }
}

static void
index_trigger (TacitEngine *self, CompiledRule *cr)
{
  const TacitSelector *s = &cr->rule->trigger.selector;
  GPtrArray *list;

  if (s->item == NULL)
    {
      g_ptr_array_add (self->trigger_wildcard[s->kind], cr);
      return;
    }
  if (scoped_to_machines_only (cr->rule))
    {
      index_machine_trigger (self, cr);
      return;
    }
  list = g_hash_table_lookup (self->trigger_index[s->kind], s->item);
  if (list == NULL)
    {
      list = g_ptr_array_new ();
      g_hash_table_insert (self->trigger_index[s->kind], s->item, list);
    }
  g_ptr_array_add (list, cr);
}

static void
compile_library (TacitEngine *self)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  GPtrArray *all = tacit_library_get_rules (self->library);

  for (guint i = 0; i < all->len; i++)
    {
      TacitRule *rule = g_ptr_array_index (all, i);
      if (rule->status == TACIT_RULE_STATUS_PROPOSED || rule->status == TACIT_RULE_STATUS_APPROVED)
        g_ptr_array_add (sorted, rule);
    }
  g_ptr_array_sort (sorted, rule_id_compare);

  self->n_rules = sorted->len;
  self->rules = g_new0 (CompiledRule, MAX (self->n_rules, 1));
  for (guint i = 0; i < self->n_rules; i++)
    {
      CompiledRule *cr = &self->rules[i];
      const TacitTrigger *trigger;

      cr->rule = tacit_rule_ref (g_ptr_array_index (sorted, i));
      trigger = &cr->rule->trigger;
      cr->index = i;
      cr->mode = cr->rule->status == TACIT_RULE_STATUS_APPROVED ? TACIT_MODE_LIVE : TACIT_MODE_SHADOW;
      cr->rise = trigger->selector.predicate.op != TACIT_OP_NONE || trigger->selector.code != NULL;
      cr->predicate = &trigger->selector.predicate;
      cr->code = trigger->selector.code;
      cr->op = cr->predicate->op;
      cr->numeric = cr->predicate->numeric;
      cr->number = cr->predicate->number;
      cr->every = trigger->edge == TACIT_EDGE_EVERY;
      cr->stats.rule = cr->rule;
      compile_conditions (self, cr);
      index_trigger (self, cr);
    }
}

/* ---------------------------------------------------------------- scope */

static gboolean
rule_in_scope (const CompiledRule *cr, const MachineState *machine)
{
  GPtrArray *scopes = cr->rule->scopes;

  if (scopes == NULL || scopes->len == 0)
    return TRUE;
  for (guint i = 0; i < scopes->len; i++)
    {
      const TacitScope *scope = g_ptr_array_index (scopes, i);
      const char *have = NULL;

      switch (scope->type)
        {
        case TACIT_SCOPE_MACHINE:
          have = machine->id;
          break;
        case TACIT_SCOPE_CLASS:
          have = machine->info ? machine->info->class_name : NULL;
          break;
        case TACIT_SCOPE_CELL:
          have = machine->info ? machine->info->cell : NULL;
          break;
        default:
          g_assert_not_reached ();
        }
      if (have != NULL && strcmp (have, scope->value) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
tracker_in_scope (const Tracker *tracker, const MachineState *machine)
{
  for (guint i = 0; i < tracker->rules->len; i++)
    if (rule_in_scope (g_ptr_array_index (tracker->rules, i), machine))
      return TRUE;
  return FALSE;
}

static GPtrArray *
filter_rules_in_scope (GPtrArray *rules, const MachineState *machine)
{
  GPtrArray *out = NULL;

  for (guint i = 0; rules != NULL && i < rules->len; i++)
    {
      CompiledRule *cr = g_ptr_array_index (rules, i);
      if (!rule_in_scope (cr, machine))
        continue;
      if (out == NULL)
        out = g_ptr_array_new ();
      g_ptr_array_add (out, cr);
    }
  return out;
}

/* The trackers an event of kind on machine can feed. A `state for`
 * tracker follows its item whatever the kind, like the latest value. */
static GPtrArray *
filter_trackers_in_scope (GPtrArray *trackers, const MachineState *machine, TacitKind kind)
{
  GPtrArray *out = NULL;

  for (guint i = 0; trackers != NULL && i < trackers->len; i++)
    {
      Tracker *tracker = g_ptr_array_index (trackers, i);
      const TacitSelector *sel = tracker->selector;
      if (tracker->type == TRACKER_COUNT && sel->has_kind && sel->kind != kind)
        continue;
      if (!tracker_in_scope (tracker, machine))
        continue;
      if (out == NULL)
        out = g_ptr_array_new ();
      g_ptr_array_add (out, tracker);
    }
  return out;
}

/* Both inputs are in id order; so is the result. */
static GPtrArray *
merge_by_index (GPtrArray *a, GPtrArray *b)
{
  GPtrArray *out;
  guint i = 0, j = 0;

  if (a == NULL || a->len == 0)
    return b ? g_ptr_array_copy (b, NULL, NULL) : NULL;
  if (b == NULL || b->len == 0)
    return g_ptr_array_copy (a, NULL, NULL);
  out = g_ptr_array_sized_new (a->len + b->len);
  while (i < a->len || j < b->len)
    {
      CompiledRule *ra = i < a->len ? g_ptr_array_index (a, i) : NULL;
      CompiledRule *rb = j < b->len ? g_ptr_array_index (b, j) : NULL;
      if (rb == NULL || (ra != NULL && ra->index < rb->index))
        g_ptr_array_add (out, ra), i++;
      else
        g_ptr_array_add (out, rb), j++;
    }
  return out;
}

/* ------------------------------------------------------ machines, slots */

static void
item_slot_free (ItemSlot *slot)
{
  for (guint k = 0; k < TACIT_N_KINDS; k++)
    {
      if (slot->prev[k].value != NULL)
        {
          g_string_free (slot->prev[k].value, TRUE);
          g_string_free (slot->prev[k].code, TRUE);
        }
      g_clear_pointer (&slot->rules[k], g_ptr_array_unref);
      g_free (slot->matched[k]);
      g_assert (slot->pending[k].length == 0);
    }
  for (guint k = 0; k < TACIT_N_KINDS; k++)
    g_clear_pointer (&slot->trackers[k], g_ptr_array_unref);
  g_string_free (slot->latest, TRUE);
  g_free (slot->item);
  g_free (slot);
}

static void
tracker_state_free (TrackerState *state)
{
  if (state != NULL && state->times != NULL)
    g_array_unref (state->times);
  g_free (state);
}

static void
machine_state_free (gpointer data)
{
  MachineState *machine = data;

  for (guint k = 0; k < TACIT_N_KINDS; k++)
    g_clear_pointer (&machine->wildcard[k], g_ptr_array_unref);
  for (guint k = 0; k < TACIT_N_KINDS; k++)
    g_clear_pointer (&machine->wildcard_trackers[k], g_ptr_array_unref);
  g_hash_table_unref (machine->rule_states);
  g_ptr_array_unref (machine->sorted_slots);
  g_hash_table_unref (machine->slots);
  g_queue_clear (&machine->open_windows);
  g_free (machine->tracker_states);
  g_free (machine->id);
  g_free (machine);
}

static MachineState *
ensure_machine (TacitEngine *self, const char *id)
{
  MachineState *machine;

  /* Agents and historians send runs of one machine: skip the hash then. */
  if (self->last_machine != NULL && strcmp (self->last_machine->id, id) == 0)
    return self->last_machine;
  machine = g_hash_table_lookup (self->machines, id);
  if (G_LIKELY (machine != NULL))
    return self->last_machine = machine;
  machine = g_new0 (MachineState, 1);
  machine->id = g_strdup (id);
  machine->info = tacit_library_lookup_machine (self->library, id);
  machine->slots = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                          (GDestroyNotify) item_slot_free);
  machine->sorted_slots = g_ptr_array_new ();
  machine->rule_states = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  machine->tracker_states = g_new0 (TrackerState *, MAX (self->trackers->len, 1));
  for (guint k = 0; k < TACIT_N_KINDS; k++)
    machine->wildcard[k] = filter_rules_in_scope (self->trigger_wildcard[k], machine);
  for (guint k = 0; k < TACIT_N_KINDS; k++)
    machine->wildcard_trackers[k] = filter_trackers_in_scope (self->wildcard_trackers, machine, k);
  g_hash_table_insert (self->machines, machine->id, machine);
  return self->last_machine = machine;
}

static void
insert_sorted_slot (MachineState *machine, ItemSlot *slot)
{
  guint lo = 0, hi = machine->sorted_slots->len;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      ItemSlot *other = g_ptr_array_index (machine->sorted_slots, mid);
      if (strcmp (other->item, slot->item) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  g_ptr_array_insert (machine->sorted_slots, (int) lo, slot);
}

static ItemSlot *
ensure_slot (TacitEngine *self, MachineState *machine, const char *item)
{
  ItemSlot *slot = g_hash_table_lookup (machine->slots, item);

  if (G_LIKELY (slot != NULL))
    return slot;
  slot = g_new0 (ItemSlot, 1);
  slot->item = g_strdup (item);
  slot->latest = g_string_sized_new (16);
  for (guint k = 0; k < TACIT_N_KINDS; k++)
    {
      g_autoptr(GPtrArray) specific =
        filter_rules_in_scope (g_hash_table_lookup (self->trigger_index[k], item), machine);
      GHashTable *scoped_items = g_hash_table_lookup (self->machine_trigger_index[k], machine->id);
      GPtrArray *scoped = scoped_items ? g_hash_table_lookup (scoped_items, item) : NULL;
      g_autoptr(GPtrArray) item_rules = merge_by_index (specific, scoped);

      slot->rules[k] = merge_by_index (item_rules, machine->wildcard[k]);
      slot->matched[k] = slot->rules[k] ? g_new0 (guint8, slot->rules[k]->len) : NULL;
      g_queue_init (&slot->pending[k]);
    }
  for (guint k = 0; k < TACIT_N_KINDS; k++)
    slot->trackers[k] = filter_trackers_in_scope (g_hash_table_lookup (self->trackers_by_item, item),
                                                  machine, k);
  g_hash_table_insert (machine->slots, slot->item, slot);
  insert_sorted_slot (machine, slot);
  return slot;
}

static TrackerState *
ensure_tracker_state (MachineState *machine, const Tracker *tracker)
{
  TrackerState *state = machine->tracker_states[tracker->index];

  if (state == NULL)
    {
      state = g_new0 (TrackerState, 1);
      state->since = NO_TIME;
      if (tracker->type == TRACKER_COUNT)
        state->times = g_array_new (FALSE, FALSE, sizeof (TacitTime));
      machine->tracker_states[tracker->index] = state;
    }
  return state;
}

/* --------------------------------------------------------------- events */

/* The event being processed, with its value parsed once. */
typedef struct {
  const TacitEvent *event;
  gboolean          unavailable;
  gboolean          is_number;
  double            number;
} Observation;

/* An unknown value matches no selector, with or without a predicate. */
static gboolean
selector_matches (const TacitSelector *s, const Observation *obs)
{
  if (obs->unavailable)
    return FALSE;
  return tacit_selector_matches (s, obs->event, obs->is_number, obs->number);
}

/* Trigger match for an event already known to have the trigger's kind
 * and item. An unknown (unavailable) value matches no trigger. Numeric
 * thresholds, most triggers, are compared inline. */
static inline gboolean
trigger_matches (const CompiledRule *cr, const char *value, const char *code,
                 gboolean unavailable, gboolean is_number, double number)
{
  if (unavailable)
    return FALSE;
  if (cr->code != NULL && (code == NULL || strcmp (cr->code, code) != 0))
    return FALSE;
  if (cr->numeric && is_number)
    switch (cr->op)
      {
      case TACIT_OP_LT: return number < cr->number;
      case TACIT_OP_LE: return number <= cr->number;
      case TACIT_OP_GT: return number > cr->number;
      case TACIT_OP_GE: return number >= cr->number;
      case TACIT_OP_NONE:
      case TACIT_OP_EQ:
      case TACIT_OP_NE:
      case TACIT_OP_IN:
      case TACIT_OP_BETWEEN:
      default:
        break;
      }
  if (cr->op == TACIT_OP_NONE)
    return TRUE;
  return tacit_predicate_test (cr->predicate, value, is_number, number);
}

static gboolean
values_equal (const PreviousEvent *prev, const Observation *obs)
{
  if (prev->is_number && obs->is_number)
    return prev->number == obs->number;
  return strcmp (prev->value->str, obs->event->value) == 0;
}

/* Would cr fire on this event, given the previous event of the slot?
 * *matched holds whether the previous event matched cr's trigger and
 * gets whether this one does: each event is matched once per rule. */
static gboolean
trigger_fires (const CompiledRule *cr, const PreviousEvent *prev, const Observation *obs,
               guint8 *matched)
{
  const TacitEvent *ev = obs->event;
  gboolean before = prev->seen && *matched;
  gboolean now = trigger_matches (cr, ev->value, ev->code, obs->unavailable,
                                  obs->is_number, obs->number);

  *matched = now;
  if (!now)
    return FALSE;
  if (cr->every || !prev->seen)
    return TRUE;
  if (cr->rise)
    return !before;
  /* A change from an unknown value counts as a change, like the first event. */
  return prev->unavailable || !values_equal (prev, obs);
}

static void
remember_previous (PreviousEvent *prev, const Observation *obs)
{
  const TacitEvent *ev = obs->event;

  /* Allocated on the kind's first event: most items see one kind, and a
   * large plant has hundreds of thousands of slots. */
  if (prev->value == NULL)
    {
      prev->value = g_string_sized_new (16);
      prev->code = g_string_new (NULL);
    }
  prev->seen = TRUE;
  prev->unavailable = obs->unavailable;
  prev->is_number = obs->is_number;
  prev->number = obs->number;
  g_string_assign (prev->value, ev->value);
  prev->has_code = ev->code != NULL;
  g_string_assign (prev->code, ev->code ? ev->code : "");
}

static void
update_latest (ItemSlot *slot, const Observation *obs)
{
  slot->has_latest = TRUE;
  g_string_assign (slot->latest, obs->event->value);
  slot->latest_is_number = obs->is_number;
  slot->latest_number = obs->number;
}

static void
count_trim (TrackerState *state, TacitTime after)
{
  TacitTime *times = (TacitTime *) (void *) state->times->data;

  while (state->head < state->times->len && times[state->head] <= after)
    state->head++;
  /* Compact once the dead prefix dominates, so memory stays bounded. */
  if (state->head > 64 && state->head * 2 > state->times->len)
    {
      g_array_remove_range (state->times, 0, state->head);
      state->head = 0;
    }
}

static void
feed_tracker (MachineState *machine, const Tracker *tracker, const Observation *obs)
{
  TrackerState *state = ensure_tracker_state (machine, tracker);
  gboolean holds = selector_matches (tracker->selector, obs);
  TacitTime t = obs->event->time;

  if (tracker->type == TRACKER_STATE_FOR)
    {
      if (!holds)
        state->since = NO_TIME;
      else if (state->since == NO_TIME)
        state->since = t;
      return;
    }
  if (holds)
    g_array_append_val (state->times, t);
  count_trim (state, t - tracker->within);
}

static void
feed_trackers (MachineState *machine, GPtrArray *trackers, const Observation *obs)
{
  for (guint i = 0; trackers != NULL && i < trackers->len; i++)
    feed_tracker (machine, g_ptr_array_index (trackers, i), obs);
}

/* ------------------------------------------------------------ conditions */

static gboolean
state_holds (MachineState *machine, const CompiledCondition *cc, TacitTime fire_time)
{
  const TacitCondition *c = cc->condition;
  ItemSlot *slot = g_hash_table_lookup (machine->slots, c->selector.item);
  TrackerState *state;

  if (slot == NULL || !slot->has_latest)
    return FALSE;
  if (!tacit_predicate_test (&c->selector.predicate, slot->latest->str,
                             slot->latest_is_number, slot->latest_number))
    return FALSE;
  if (cc->tracker == NULL)
    return TRUE;
  state = machine->tracker_states[cc->tracker->index];
  return state != NULL && state->since != NO_TIME && state->since <= fire_time - c->duration;
}

static gboolean
count_holds (MachineState *machine, const CompiledCondition *cc, TacitTime fire_time)
{
  const TacitCondition *c = cc->condition;
  TrackerState *state = machine->tracker_states[cc->tracker->index];
  guint n = 0;

  if (state != NULL)
    {
      count_trim (state, fire_time - c->within);
      n = state->times->len - state->head;
    }
  return n >= c->min && (!c->has_max || n <= c->max);
}

static gboolean
conditions_hold (MachineState *machine, const CompiledRule *cr, TacitTime fire_time)
{
  for (guint i = 0; i < cr->n_conditions; i++)
    {
      const CompiledCondition *cc = &cr->conditions[i];
      gboolean ok = cc->condition->type == TACIT_CONDITION_COUNT
                    ? count_holds (machine, cc, fire_time)
                    : state_holds (machine, cc, fire_time);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

/* --------------------------------------------------------------- firing */

static RuleMachineState *
ensure_rule_state (MachineState *machine, CompiledRule *cr)
{
  RuleMachineState *rs = g_hash_table_lookup (machine->rule_states, cr);

  if (rs == NULL)
    {
      rs = g_new0 (RuleMachineState, 1);
      rs->last_fire = NO_TIME;
      g_hash_table_insert (machine->rule_states, cr, rs);
    }
  return rs;
}

/* Cooldown: FALSE (and counted) when the firing is suppressed. Suppressed
 * firings do not move last_fire, so they never extend the cooldown. */
static gboolean
pass_cooldown (CompiledRule *cr, RuleMachineState *rs, TacitTime fire_time)
{
  if (rs->last_fire != NO_TIME && fire_time < rs->last_fire + cr->rule->cooldown)
    {
      cr->stats.suppressed++;
      return FALSE;
    }
  rs->last_fire = fire_time;
  return TRUE;
}

static void
note_firing (CompiledRule *cr, RuleMachineState *rs, TacitTime fire_time)
{
  guint n;

  rs->recent[rs->n_recent % FLOOD_COUNT] = fire_time;
  rs->n_recent++;
  n = rs->n_recent;
  cr->stats.firings++;
  /* Half-open windows: N firings within (t - W, t]. */
  if (n >= FLOOD_COUNT && fire_time - rs->recent[n % FLOOD_COUNT] < FLOOD_WINDOW)
    cr->stats.flood = TRUE;
  if (n >= CHATTER_COUNT &&
      fire_time - rs->recent[(n - CHATTER_COUNT) % FLOOD_COUNT] < CHATTER_WINDOW)
    cr->stats.chattering = TRUE;
}

/* The machine's latest value of every item, sorted by item. */
static void
snapshot_context (MachineState *machine, TacitSuggestion *s)
{
  guint n = machine->sorted_slots->len, k = 0;
  g_autofree const char **items = g_new (const char *, n + 1);
  g_autofree const char **values = g_new (const char *, n + 1);

  for (guint i = 0; i < n; i++)
    {
      ItemSlot *slot = g_ptr_array_index (machine->sorted_slots, i);

      if (!slot->has_latest)
        continue;
      items[k] = slot->item;
      values[k] = slot->latest->str;
      k++;
    }
  tacit_suggestion_set_context (s, items, values, k);
}

static TacitSuggestion *
make_suggestion (CompiledRule *cr, MachineState *machine, const TacitEvent *trigger,
                 TacitTime fire_time)
{
  TacitSuggestion *s = tacit_suggestion_new ();
  TacitRule *rule = cr->rule;

  tacit_suggestion_compute_id (rule->id, rule->revision, machine->id, fire_time, s->id);
  s->time = fire_time;
  s->machine = g_strdup (machine->id);
  s->rule = tacit_rule_ref (rule);
  s->mode = cr->mode;
  s->propensity = 0.0;
  if (cr->mode == TACIT_MODE_LIVE)
    {
      s->propensity = 1.0 - rule->holdout;
      if (rule->holdout > 0 && tacit_suggestion_id_draw (s->id) < rule->holdout)
        s->mode = TACIT_MODE_HELD_OUT;
    }
  s->trigger = tacit_event_copy (trigger);
  snapshot_context (machine, s);
  s->has_outcome = rule->has_outcome;
  return s;
}

static void
open_window (TacitEngine *self, CompiledRule *cr, MachineState *machine, TacitSuggestion *s)
{
  OutcomeWindow *w = g_new0 (OutcomeWindow, 1);

  w->suggestion = s;
  w->rule = cr;
  w->machine = machine;
  w->end = s->time + cr->rule->outcome_within;
  w->seq = self->seq++;
  g_queue_push_tail (&machine->open_windows, w);
  w->link = machine->open_windows.tail;
  heap_push (&self->windows, w);
}

static void
fire (TacitEngine *self, CompiledRule *cr, MachineState *machine, const TacitEvent *trigger,
      TacitTime fire_time)
{
  RuleMachineState *rs;
  TacitSuggestion *s;

  if (!conditions_hold (machine, cr, fire_time))
    return;
  rs = ensure_rule_state (machine, cr);
  if (!pass_cooldown (cr, rs, fire_time))
    return;
  note_firing (cr, rs, fire_time);

  s = make_suggestion (cr, machine, trigger, fire_time);
  g_queue_push_tail (&self->fifo, s);
  if (s->has_outcome)
    open_window (self, cr, machine, s);
  if (self->fired_func != NULL)
    self->fired_func (s, self->fired_data);
}

static void
schedule_delay (TacitEngine *self, CompiledRule *cr, MachineState *machine, ItemSlot *slot,
                const TacitEvent *trigger)
{
  PendingDelay *p = g_new0 (PendingDelay, 1);
  TacitKind kind = trigger->kind;

  p->due = trigger->time + cr->rule->trigger.on_delay;
  p->seq = self->seq++;
  p->rule = cr;
  p->machine = machine;
  p->slot = slot;
  p->kind = kind;
  p->trigger = tacit_event_copy (trigger);
  g_queue_push_tail (&slot->pending[kind], p);
  p->link = slot->pending[kind].tail;
  heap_push (&self->pending, p);
}

static void
pending_free (PendingDelay *p)
{
  g_free (p->trigger);
  g_free (p);
}

/* An event that fails a pending trigger's match cancels that on-delay. */
static void
cancel_broken_delays (ItemSlot *slot, const Observation *obs)
{
  GQueue *queue = &slot->pending[obs->event->kind];
  GList *l = queue->head;

  while (l != NULL)
    {
      GList *next = l->next;
      PendingDelay *p = l->data;
      const TacitEvent *ev = obs->event;

      if (!trigger_matches (p->rule, ev->value, ev->code, obs->unavailable,
                            obs->is_number, obs->number))
        {
          p->cancelled = TRUE;
          g_queue_delete_link (queue, l);
          p->link = NULL;
        }
      l = next;
    }
}

static int
due_group_compare (gconstpointer a, gconstpointer b)
{
  const PendingDelay *pa = *(PendingDelay * const *) a;
  const PendingDelay *pb = *(PendingDelay * const *) b;

  if (pa->rule->index != pb->rule->index)
    return pa->rule->index < pb->rule->index ? -1 : 1;
  return strcmp (pa->machine->id, pb->machine->id);
}

static void
pop_due_group (TacitEngine *self, TacitTime due, GPtrArray *group)
{
  PendingDelay *p;

  while ((p = heap_peek (&self->pending)) != NULL && p->due == due)
    {
      heap_pop (&self->pending);
      if (p->cancelled)
        {
          pending_free (p);
          continue;
        }
      g_queue_delete_link (&p->slot->pending[p->kind], p->link);
      p->link = NULL;
      g_ptr_array_add (group, p);
    }
}

static void emit_ready (TacitEngine *self, gboolean flush);

/* Every on-delay due at or before t fires, one step per due time. */
static void
fire_due_delays (TacitEngine *self, TacitTime t)
{
  PendingDelay *p;

  while ((p = heap_peek (&self->pending)) != NULL && p->due <= t)
    {
      g_autoptr(GPtrArray) group = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_free);
      TacitTime due = p->due;

      pop_due_group (self, due, group);
      g_ptr_array_sort (group, due_group_compare);
      for (guint i = 0; i < group->len; i++)
        {
          PendingDelay *d = g_ptr_array_index (group, i);
          fire (self, d->rule, d->machine, d->trigger, due);
        }
      emit_ready (self, FALSE);
    }
}

/* --------------------------------------------------------------- outcome */

static void
count_outcomes (MachineState *machine, const Observation *obs)
{
  TacitTime t = obs->event->time;

  for (GList *l = machine->open_windows.head; l != NULL; l = l->next)
    {
      OutcomeWindow *w = l->data;
      if (t > w->suggestion->time && t <= w->end &&
          selector_matches (&w->rule->rule->outcome, obs))
        w->suggestion->outcome++;
    }
}

static void
close_windows (TacitEngine *self, TacitTime t)
{
  OutcomeWindow *w;

  while ((w = heap_peek (&self->windows)) != NULL && w->end <= t)
    {
      heap_pop (&self->windows);
      w->suggestion->outcome_closed = TRUE;
      g_queue_delete_link (&w->machine->open_windows, w->link);
      g_free (w);
    }
}

static gboolean
suggestion_resolved (const TacitSuggestion *s)
{
  return !s->has_outcome || s->outcome_closed;
}

/* Hands suggestions to `ready` in firing order, as far as resolved. */
static void
emit_ready (TacitEngine *self, gboolean flush)
{
  TacitSuggestion *s;

  while ((s = g_queue_peek_head (&self->fifo)) != NULL && (flush || suggestion_resolved (s)))
    {
      g_queue_pop_head (&self->fifo);
      if (self->ready_func != NULL)
        self->ready_func (s, self->ready_data);
      tacit_suggestion_unref (s);
    }
}

/* ------------------------------------------------------------------ API */

static void
process_event (TacitEngine *self, const TacitEvent *ev)
{
  MachineState *machine = ensure_machine (self, ev->machine);
  ItemSlot *slot = ensure_slot (self, machine, ev->item);
  PreviousEvent *prev = &slot->prev[ev->kind];
  GPtrArray *rules = slot->rules[ev->kind];
  Observation obs = { ev, tacit_value_is_unavailable (ev->value), FALSE, 0.0 };

  if (!obs.unavailable)
    obs.is_number = tacit_value_parse_number (ev->value, &obs.number);

  cancel_broken_delays (slot, &obs);
  /* Conditions see every event processed so far, the trigger included. */
  update_latest (slot, &obs);
  feed_trackers (machine, slot->trackers[ev->kind], &obs);
  feed_trackers (machine, machine->wildcard_trackers[ev->kind], &obs);

  for (guint i = 0; rules != NULL && i < rules->len; i++)
    {
      CompiledRule *cr = g_ptr_array_index (rules, i);

      if (!trigger_fires (cr, prev, &obs, &slot->matched[ev->kind][i]))
        continue;
      if (cr->rule->trigger.on_delay > 0)
        schedule_delay (self, cr, machine, slot, ev);
      else
        fire (self, cr, machine, ev, ev->time);
    }
  remember_previous (prev, &obs);

  count_outcomes (machine, &obs);
  close_windows (self, ev->time);
  emit_ready (self, FALSE);
}

gboolean
tacit_engine_push (TacitEngine      *self,
                   const TacitEvent *event,
                   GError          **error)
{
  g_return_val_if_fail (TACIT_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (event != NULL && event->machine != NULL && event->item != NULL &&
                        event->value != NULL && (guint) event->kind < TACIT_N_KINDS, FALSE);

  if (event->time < self->now)
    {
      char have[TACIT_TIME_FORMAT_LEN], now[TACIT_TIME_FORMAT_LEN];
      g_set_error (error, TACIT_INPUT_ERROR, TACIT_INPUT_ERROR_UNSORTED,
                   "event at %s is older than the engine's time %s",
                   tacit_time_format_us_buf (event->time, have),
                   tacit_time_format_us_buf (self->now, now));
      return FALSE;
    }
  fire_due_delays (self, event->time);
  if (self->n_events == 0)
    self->first_time = event->time;
  self->now = event->time;
  self->n_events++;
  process_event (self, event);
  return TRUE;
}

static void
drop_pending (TacitEngine *self)
{
  PendingDelay *p;

  while ((p = heap_pop (&self->pending)) != NULL)
    {
      if (!p->cancelled)
        g_queue_delete_link (&p->slot->pending[p->kind], p->link);
      pending_free (p);
    }
}

static void
drop_windows (TacitEngine *self)
{
  OutcomeWindow *w;

  while ((w = heap_pop (&self->windows)) != NULL)
    {
      g_queue_delete_link (&w->machine->open_windows, w->link);
      g_free (w);
    }
}

void
tacit_engine_finish (TacitEngine *self)
{
  g_return_if_fail (TACIT_IS_ENGINE (self));

  /* On-delays still pending after the last event never fire; windows
   * that never closed keep a null outcome. */
  drop_pending (self);
  drop_windows (self);
  emit_ready (self, TRUE);
}

void
tacit_engine_set_fired_func (TacitEngine         *self,
                             TacitSuggestionFunc  func,
                             gpointer             user_data)
{
  g_return_if_fail (TACIT_IS_ENGINE (self));
  self->fired_func = func;
  self->fired_data = user_data;
}

void
tacit_engine_set_ready_func (TacitEngine         *self,
                             TacitSuggestionFunc  func,
                             gpointer             user_data)
{
  g_return_if_fail (TACIT_IS_ENGINE (self));
  self->ready_func = func;
  self->ready_data = user_data;
}

guint64
tacit_engine_get_n_events (TacitEngine *self)
{
  g_return_val_if_fail (TACIT_IS_ENGINE (self), 0);
  return self->n_events;
}

TacitTime
tacit_engine_get_first_time (TacitEngine *self)
{
  g_return_val_if_fail (TACIT_IS_ENGINE (self), 0);
  return self->first_time;
}

TacitTime
tacit_engine_get_last_time (TacitEngine *self)
{
  g_return_val_if_fail (TACIT_IS_ENGINE (self), 0);
  return self->now;
}

const TacitRuleStats *
tacit_engine_get_stats (TacitEngine *self,
                        guint       *n_stats)
{
  g_return_val_if_fail (TACIT_IS_ENGINE (self), NULL);

  for (guint i = 0; i < self->n_rules; i++)
    self->stats_out[i] = self->rules[i].stats;
  *n_stats = self->n_rules;
  return self->stats_out;
}

const char *
tacit_engine_lookup_value (TacitEngine *self,
                           const char  *machine_id,
                           const char  *item)
{
  MachineState *machine;
  ItemSlot *slot;

  g_return_val_if_fail (TACIT_IS_ENGINE (self), NULL);
  machine = g_hash_table_lookup (self->machines, machine_id);
  slot = machine ? g_hash_table_lookup (machine->slots, item) : NULL;
  return slot && slot->has_latest ? slot->latest->str : NULL;
}

static void
free_machine_tracker_states (TacitEngine *self, MachineState *machine)
{
  for (guint i = 0; i < self->trackers->len; i++)
    tracker_state_free (machine->tracker_states[i]);
}

static void
tacit_engine_finalize (GObject *object)
{
  TacitEngine *self = (TacitEngine *) object;
  GHashTableIter iter;
  gpointer value;

  drop_pending (self);
  drop_windows (self);
  g_queue_clear_full (&self->fifo, (GDestroyNotify) tacit_suggestion_unref);
  g_hash_table_iter_init (&iter, self->machines);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    free_machine_tracker_states (self, value);
  g_hash_table_unref (self->machines);
  g_ptr_array_unref (self->pending.items);
  g_ptr_array_unref (self->windows.items);
  for (guint k = 0; k < TACIT_N_KINDS; k++)
    {
      g_hash_table_unref (self->trigger_index[k]);
      g_hash_table_unref (self->machine_trigger_index[k]);
      g_ptr_array_unref (self->trigger_wildcard[k]);
    }
  g_hash_table_unref (self->trackers_by_item);
  g_ptr_array_unref (self->wildcard_trackers);
  g_hash_table_unref (self->tracker_by_key);
  g_ptr_array_unref (self->trackers);
  for (guint i = 0; i < self->n_rules; i++)
    {
      g_free (self->rules[i].conditions);
      tacit_rule_unref (self->rules[i].rule);
    }
  g_free (self->rules);
  g_free (self->stats_out);
  g_clear_object (&self->library);

  G_OBJECT_CLASS (tacit_engine_parent_class)->finalize (object);
}

static void
tacit_engine_class_init (TacitEngineClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tacit_engine_finalize;
}

static void
tacit_engine_init (TacitEngine *self)
{
  for (guint k = 0; k < TACIT_N_KINDS; k++)
    {
      self->trigger_index[k] = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                      (GDestroyNotify) g_ptr_array_unref);
      self->machine_trigger_index[k] = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                              (GDestroyNotify) g_hash_table_unref);
      self->trigger_wildcard[k] = g_ptr_array_new ();
    }
  self->trackers = g_ptr_array_new_with_free_func ((GDestroyNotify) tracker_free);
  self->tracker_by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->trackers_by_item = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                  (GDestroyNotify) g_ptr_array_unref);
  self->wildcard_trackers = g_ptr_array_new ();
  self->machines = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, machine_state_free);
  heap_init (&self->pending, pending_compare);
  heap_init (&self->windows, window_compare);
  g_queue_init (&self->fifo);
  self->now = TACIT_TIME_MIN;
  self->first_time = TACIT_TIME_MIN;
}

TacitEngine *
tacit_engine_new (TacitLibrary *library)
{
  TacitEngine *self;

  g_return_val_if_fail (TACIT_IS_LIBRARY (library), NULL);

  self = g_object_new (TACIT_TYPE_ENGINE, NULL);
  self->library = g_object_ref (library);
  compile_library (self);
  self->stats_out = g_new0 (TacitRuleStats, MAX (self->n_rules, 1));
  return self;
}
