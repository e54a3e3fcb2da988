/* tacit-suggestion.h: what the engine produces (SPEC "Suggestions and responses").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "tacit-rule.h"

G_BEGIN_DECLS

typedef enum {
  TACIT_MODE_LIVE,
  TACIT_MODE_SHADOW,
  TACIT_MODE_HELD_OUT,
} TacitMode;

typedef struct {
  char *item;
  char *value;
} TacitContextItem;

typedef struct _TacitSuggestion TacitSuggestion;
struct _TacitSuggestion {
  /*< private >*/
  gatomicrefcount ref_count;
  /*< public >*/
  char        id[33];          /* 32 hex digits from rule id, revision, machine, time */
  TacitTime   time;            /* firing time */
  char       *machine;
  TacitRule  *rule;            /* the revision that fired (id, revision, kind, severity, texts, actions) */
  TacitMode   mode;
  double      propensity;      /* probability of being shown: 1 - holdout live, 0 shadow */
  TacitEvent *trigger;         /* copy of the trigger event */
  GPtrArray  *context;         /* TacitContextItem*, sorted by item: latest values at firing */
  gboolean    has_outcome;     /* the rule has an <outcome> */
  gboolean    outcome_closed;  /* the outcome window was closed */
  guint       outcome;         /* matching events in (time, time + within] when closed */
  /*< private >*/
  gpointer    context_block;   /* one allocation behind set_context's items */
};

#define TACIT_TYPE_SUGGESTION (tacit_suggestion_get_type ())
GType            tacit_suggestion_get_type (void) G_GNUC_CONST;

TacitSuggestion *tacit_suggestion_new      (void);
TacitSuggestion *tacit_suggestion_ref      (TacitSuggestion *self);
void             tacit_suggestion_unref    (TacitSuggestion *self);

/* The stable id: hex of SHA-256 over rule id, revision, machine and time. */
void             tacit_suggestion_compute_id (const char    *rule_id,
                                              guint          revision,
                                              const char    *machine,
                                              TacitTime      time,
                                              char           out[33]);
/* Uniform in [0, 1) from the id: decides held-out suggestions reproducibly. */
double           tacit_suggestion_id_draw  (const char      *id);

const char      *tacit_mode_to_string      (TacitMode        mode);
gboolean         tacit_mode_from_string    (const char      *text,
                                            TacitMode       *out);
/* Replaces the context with n items (items sorted by strcmp), copied
 * into one allocation: the engine makes a suggestion per firing and the
 * context is most of its size. */
void             tacit_suggestion_set_context (TacitSuggestion    *self,
                                               const char * const *items,
                                               const char * const *values,
                                               guint               n);
/* The value of item in the context, or NULL. */
const char      *tacit_suggestion_lookup_context (TacitSuggestion *self,
                                                  const char      *item);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TacitSuggestion, tacit_suggestion_unref)

G_END_DECLS
