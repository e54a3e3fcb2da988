/* tacit-library.h: a rule library (machines registry + rules).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "tacit-rule.h"

G_BEGIN_DECLS

typedef struct {
  char *id;
  char *name;        /* NULL when absent */
  char *class_name;  /* NULL when absent */
  char *cell;        /* NULL when absent */
} TacitMachine;

#define TACIT_TYPE_LIBRARY (tacit_library_get_type ())
G_DECLARE_FINAL_TYPE (TacitLibrary, tacit_library, TACIT, LIBRARY, GObject)

TacitLibrary       *tacit_library_new            (void);

const char         *tacit_library_get_name       (TacitLibrary *self);
void                tacit_library_set_name       (TacitLibrary *self,
                                                  const char   *name);
guint               tacit_library_get_revision   (TacitLibrary *self);
void                tacit_library_set_revision   (TacitLibrary *self,
                                                  guint         revision);

/* Adds or replaces the machine with that id. */
void                tacit_library_add_machine    (TacitLibrary *self,
                                                  const char   *id,
                                                  const char   *name,
                                                  const char   *class_name,
                                                  const char   *cell);
const TacitMachine *tacit_library_lookup_machine (TacitLibrary *self,
                                                  const char   *id);
/* TacitMachine*, in insertion order. */
GPtrArray          *tacit_library_get_machines   (TacitLibrary *self);

/* Takes a reference. FALSE (TACIT_INPUT_ERROR_INVALID) on a duplicate id. */
gboolean            tacit_library_add_rule       (TacitLibrary *self,
                                                  TacitRule    *rule,
                                                  GError      **error);
/* Replaces the rule with the same id, or adds it. */
void                tacit_library_put_rule       (TacitLibrary *self,
                                                  TacitRule    *rule);
TacitRule          *tacit_library_lookup_rule    (TacitLibrary *self,
                                                  const char   *id);
/* TacitRule*, in insertion order. */
GPtrArray          *tacit_library_get_rules      (TacitLibrary *self);
/* A new array of the rules sorted by id, byte by byte (strcmp). */
GPtrArray          *tacit_library_dup_rules_sorted (TacitLibrary *self);

G_END_DECLS
