/* tacit-library-diff.h: what importing a library file would change in the
 * store, computed before anything is written — the preview an engineer
 * sees, and the guard that keeps a stale or conflicting file from
 * overwriting newer work.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tacit-store.h"

G_BEGIN_DECLS

typedef enum {
  TACIT_CHANGE_ADDED,       /* not in the store */
  TACIT_CHANGE_CHANGED,     /* an edit of the stored current revision */
  TACIT_CHANGE_RETIRED,     /* changed, and its status becomes retired */
  TACIT_CHANGE_UNCHANGED,   /* same content as the stored current revision */
  TACIT_CHANGE_STALE,       /* an older stored revision, unchanged: skipped */
  TACIT_CHANGE_CONFLICT,    /* changed in the file and in the store since the
                             * file's revision: refused */
} TacitChangeKind;

typedef struct {
  TacitChangeKind kind;
  TacitRule      *rule;              /* from the file */
  guint           stored_revision;   /* current revision in the store; 0 if none */
} TacitRuleChange;

typedef struct {
  GArray *changes;                   /* TacitRuleChange, by rule id */
  guint   counts[TACIT_CHANGE_CONFLICT + 1];
  guint   only_in_store;             /* stored rules the file does not name: kept */
} TacitLibraryDiff;

const char       *tacit_change_kind_to_string (TacitChangeKind   kind);

TacitLibraryDiff *tacit_library_diff          (TacitStore       *store,
                                               TacitLibrary     *library,
                                               GError          **error);
void              tacit_library_diff_free     (TacitLibraryDiff *diff);

/* A library with the file's name, revision and machines and only the
 * rules that change something (added, changed, retired): what to hand to
 * tacit_store_import_library once there is no conflict. */
TacitLibrary     *tacit_library_diff_to_import (TacitLibraryDiff *diff,
                                                TacitLibrary     *library);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TacitLibraryDiff, tacit_library_diff_free)

G_END_DECLS
