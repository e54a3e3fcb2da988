/* tacit-duplicates.h: rules that say the same thing twice — the same
 * trigger (kind, item, code and value predicate) over overlapping scopes
 * (a machine both would watch, or one of them unscoped).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tacit-library.h"

G_BEGIN_DECLS

typedef struct {
  char *rule_a;       /* byte order: rule_a < rule_b */
  char *rule_b;
  char *trigger;      /* the shared trigger, readable: "condition hydraulic code=E1234 eq fault" */
} TacitDuplicate;

/* Whether a and b have the same trigger. */
gboolean   tacit_duplicates_same_trigger   (const TacitRule *a,
                                            const TacitRule *b);
/* Whether some machine is in both scopes (an empty scope is every
 * machine); classes and cells resolve through library's registry, and the
 * same class, cell or machine named on both sides overlaps even when the
 * registry does not know it. */
gboolean   tacit_duplicates_scopes_overlap (TacitLibrary    *library,
                                            const TacitRule *a,
                                            const TacitRule *b);
/* Every pair of non-retired rules of library that duplicate each other,
 * sorted by rule_a then rule_b. TacitDuplicate*. */
GPtrArray *tacit_duplicates_find           (TacitLibrary    *library);
/* The readable trigger of rule, as in TacitDuplicate.trigger. */
char      *tacit_duplicates_describe_trigger (const TacitRule *rule);
void       tacit_duplicate_free            (TacitDuplicate  *duplicate);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TacitDuplicate, tacit_duplicate_free)

G_END_DECLS
