/* tacit-store-private.h: for core modules that keep their own tables in
 * the store (dataset export, kiosk, live sources). Not for the UI or CLI.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "tacit-store.h"

G_BEGIN_DECLS

/* The connection. Use prepared statements only; one thread at a time. */
sqlite3      *_tacit_store_get_db    (TacitStore  *self);

/* Sets a TACIT_STORE_ERROR_SQL naming the database, what was being done
 * and SQLite's message; returns FALSE. */
gboolean      _tacit_store_sql_error (TacitStore  *self,
                                      GError     **error,
                                      const char  *doing);
/* sqlite3_prepare_v2 with that error on failure. */
sqlite3_stmt *_tacit_store_prepare   (TacitStore  *self,
                                      const char  *sql,
                                      GError     **error);

/* One transaction over several changes (BEGIN IMMEDIATE; not nestable). */
gboolean      _tacit_store_begin     (TacitStore  *self,
                                      GError     **error);
gboolean      _tacit_store_commit    (TacitStore  *self,
                                      GError     **error);
void          _tacit_store_rollback  (TacitStore  *self);

/* tacit_store_save_rule (roles, conflict, audit) inside a transaction the
 * caller began with _tacit_store_begin; on failure the caller rolls back
 * (rule->revision is then left unchanged). */
gboolean      _tacit_store_save_rule_in_transaction (TacitStore          *self,
                                                     TacitRule           *rule,
                                                     guint                base_revision,
                                                     const TacitOperator *actor,
                                                     GError             **error);

G_END_DECLS
