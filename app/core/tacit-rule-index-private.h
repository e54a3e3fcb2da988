/* tacit-rule-index-private.h: how the store keeps rule_index current.
 * For tacit-store.c only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "tacit-rule-index.h"

G_BEGIN_DECLS

/* Inserts or replaces one rule's row; bind with _tacit_rule_index_bind. */
#define TACIT_RULE_INDEX_PUT_SQL \
  "INSERT OR REPLACE INTO rule_index (id, revision, status, kind, severity, title, " \
  "author, machines, classes, cells, trigger, tags, saved_at, saved_by, search) " \
  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"

/* Binds summary's fields to a TACIT_RULE_INDEX_PUT_SQL statement
 * (SQLITE_TRANSIENT copies: the summary may be freed before the step). */
void      _tacit_rule_index_bind     (sqlite3_stmt           *stmt,
                                      const TacitRuleSummary *summary);

/* Fills rule_index for rules that have no row yet, parsing each current
 * revision once: a database that reached schema 4 before the store kept
 * the index. Cheap when the index is already filled. Call inside no
 * transaction; writes in one. */
gboolean  _tacit_rule_index_backfill (TacitStore             *store,
                                      GError                **error);

G_END_DECLS
