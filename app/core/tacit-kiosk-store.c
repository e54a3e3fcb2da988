/* tacit-kiosk-store.c: kiosk tables of the store (schema version 2).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-kiosk-store.h"

#include "tacit-error.h"
#include "tacit-store-private.h"

typedef sqlite3_stmt TacitKioskStmt;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TacitKioskStmt, sqlite3_finalize)


static gboolean
exec (TacitStore *store,
      const char *sql,
      GError    **error)
{
  if (sqlite3_exec (_tacit_store_get_db (store), sql, NULL, NULL, NULL) != SQLITE_OK)
    return _tacit_store_sql_error (store, error, sql);
  return TRUE;
}

static gint64
latest_response_id (TacitStore *store,
                    const char *suggestion_id,
                    GError    **error)
{
  g_autoptr(TacitKioskStmt) stmt =
    _tacit_store_prepare (store, "SELECT max (id) FROM responses WHERE suggestion_id = ?", error);

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, suggestion_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return _tacit_store_sql_error (store, error, "finding a response");
  return sqlite3_column_int64 (stmt, 0);
}

static gboolean
set_latency (TacitStore *store,
             gint64      response_id,
             const char *station,
             gint64      latency_ms,
             GError    **error)
{
  g_autoptr(TacitKioskStmt) stmt =
    _tacit_store_prepare (store, "UPDATE responses SET latency_ms = ?, station = ? WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  if (latency_ms >= 0)
    sqlite3_bind_int64 (stmt, 1, latency_ms);
  sqlite3_bind_text (stmt, 2, station, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, response_id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _tacit_store_sql_error (store, error, "storing a response's latency");
  return TRUE;
}

/* tacit_store_record_response() runs its own transaction, so the latency
 * is a second step; if it fails the response is taken back, so that a
 * kiosk response never lands without its latency. */
gint64
tacit_kiosk_record_response (TacitStore        *store,
                             const char        *suggestion_id,
                             TacitResponseKind  response,
                             const char        *reason,
                             const char        *actor,
                             const char        *station,
                             TacitTime          responded_at,
                             gint64             latency_ms,
                             GError           **error)
{
  gint64 id = 0;

  g_return_val_if_fail (TACIT_IS_STORE (store), 0);
  g_return_val_if_fail (suggestion_id != NULL, 0);

  if (!tacit_store_record_response (store, suggestion_id, response, reason, actor,
                                    responded_at, error))
    return 0;
  if ((id = latest_response_id (store, suggestion_id, error)) <= 0 ||
      !set_latency (store, id, station, latency_ms, error))
    {
      /* Don't leave a response without its latency behind. */
      tacit_kiosk_undo_response (store, id, actor, NULL);
      return 0;
    }
  return id;
}

gboolean
tacit_kiosk_undo_response (TacitStore *store,
                           gint64      response_id,
                           const char *actor,
                           GError    **error)
{
  g_autoptr(TacitKioskStmt) find = NULL;
  g_autoptr(TacitKioskStmt) del = NULL;
  g_autofree char *suggestion_id = NULL;

  g_return_val_if_fail (TACIT_IS_STORE (store), FALSE);

  find = _tacit_store_prepare (store, "SELECT suggestion_id FROM responses WHERE id = ?", error);
  if (find == NULL)
    return FALSE;
  sqlite3_bind_int64 (find, 1, response_id);
  if (sqlite3_step (find) != SQLITE_ROW)
    {
      g_set_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_NOT_FOUND,
                   "%s: no response %" G_GINT64_FORMAT, tacit_store_get_path (store),
                   response_id);
      return FALSE;
    }
  suggestion_id = g_strdup ((const char *) sqlite3_column_text (find, 0));
  del = _tacit_store_prepare (store, "DELETE FROM responses WHERE id = ?", error);
  if (del == NULL)
    return FALSE;
  sqlite3_bind_int64 (del, 1, response_id);
  if (!exec (store, "SAVEPOINT undo_response", error))
    return FALSE;
  if (sqlite3_step (del) != SQLITE_DONE)
    {
      _tacit_store_sql_error (store, error, "taking a response back");
      exec (store, "ROLLBACK TO undo_response; RELEASE undo_response", NULL);
      return FALSE;
    }
  if (!tacit_store_audit (store, actor, "suggestion.respond.undo", suggestion_id, NULL, error))
    {
      exec (store, "ROLLBACK TO undo_response; RELEASE undo_response", NULL);
      return FALSE;
    }
  return exec (store, "RELEASE undo_response", error);
}

gboolean
tacit_kiosk_hold_suggestion (TacitStore *store,
                             const char *suggestion_id,
                             const char *station,
                             gint64      now,
                             GError    **error)
{
  g_autoptr(TacitKioskStmt) stmt =
    _tacit_store_prepare (store,
             "INSERT OR IGNORE INTO held_suggestions (suggestion_id, station, held_at)"
             " VALUES (?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, suggestion_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, station, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, now);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _tacit_store_sql_error (store, error, "holding a suggestion");
  return TRUE;
}

gboolean
tacit_kiosk_release_held (TacitStore *store,
                          const char *suggestion_id,
                          gint64      now,
                          GError    **error)
{
  g_autoptr(TacitKioskStmt) stmt =
    _tacit_store_prepare (store,
             "UPDATE held_suggestions SET released_at = ?"
             " WHERE suggestion_id = ? AND released_at IS NULL", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_text (stmt, 2, suggestion_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _tacit_store_sql_error (store, error, "releasing a held suggestion");
  return TRUE;
}

guint64
tacit_kiosk_count_held (TacitStore *store,
                        const char *station,
                        GError    **error)
{
  g_autoptr(TacitKioskStmt) stmt =
    _tacit_store_prepare (store,
             "SELECT count (*) FROM held_suggestions"
             " WHERE station = ? AND released_at IS NULL", error);

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, station, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return _tacit_store_sql_error (store, error, "counting held suggestions");
  return (guint64) sqlite3_column_int64 (stmt, 0);
}

gboolean
tacit_kiosk_rule_record (TacitStore      *store,
                         const char      *rule_id,
                         TacitRuleRecord *out,
                         GError         **error)
{
  static const char sql[] =
    "SELECT count (*),"
    "  coalesce (sum (r.response = 'accepted'), 0),"
    "  coalesce (sum (r.response = 'dismissed'), 0),"
    "  coalesce (sum (s.outcome_closed AND s.outcome > 0), 0),"
    "  coalesce (sum (s.outcome_closed), 0)"
    " FROM suggestions AS s"
    " LEFT JOIN responses AS r ON r.id = (SELECT l.id FROM responses AS l"
    "   WHERE l.suggestion_id = s.id ORDER BY l.responded_at DESC, l.id DESC LIMIT 1)"
    " WHERE s.rule_id = ?";
  g_autoptr(TacitKioskStmt) stmt = _tacit_store_prepare (store, sql, error);

  g_return_val_if_fail (out != NULL, FALSE);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, rule_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return _tacit_store_sql_error (store, error, "reading a rule's record");
  out->fired = (guint64) sqlite3_column_int64 (stmt, 0);
  out->accepted = (guint64) sqlite3_column_int64 (stmt, 1);
  out->dismissed = (guint64) sqlite3_column_int64 (stmt, 2);
  out->followed = (guint64) sqlite3_column_int64 (stmt, 3);
  out->closed = (guint64) sqlite3_column_int64 (stmt, 4);
  return TRUE;
}
