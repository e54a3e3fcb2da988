/* tacit-kiosk-store.c: kiosk tables of the store (schema version 2).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-kiosk-store.h"

#include "tacit-dataset.h"
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
  /* Done reading: a statement left open would keep its read snapshot into
   * the savepoint below, and a write by another connection meanwhile (the
   * plant link's) would then fail the delete at once with "database is
   * locked" instead of waiting its turn. */
  sqlite3_reset (find);
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

gboolean
tacit_kiosk_suggestion_expired (TacitTime fired,
                                TacitTime now,
                                TacitTime timeout)
{
  TacitDatasetOptions shifts;

  if (now - fired >= timeout)
    return TRUE;
  tacit_dataset_options_init (&shifts);
  return tacit_dataset_shift_start (&shifts, now) > fired;
}

GPtrArray *
tacit_kiosk_list_expired (TacitStore         *store,
                          const char *const  *machines,
                          TacitTime           since,
                          TacitTime           now,
                          TacitTime           timeout,
                          GError            **error)
{
  static const char sql[] =
    "SELECT s.id, s.time, s.machine FROM suggestions AS s"
    " WHERE s.time >= ?1 AND s.time <= ?2 AND s.mode = 'live'"
    " AND NOT EXISTS (SELECT 1 FROM responses AS r WHERE r.suggestion_id = s.id)"
    " AND NOT EXISTS (SELECT 1 FROM held_suggestions AS h"
    "                 WHERE h.suggestion_id = s.id AND h.released_at IS NULL)"
    " ORDER BY s.time, s.id";
  g_autoptr(TacitKioskStmt) stmt = _tacit_store_prepare (store, sql, error);
  g_autoptr(GPtrArray) ids = NULL;
  int rc;

  g_return_val_if_fail (TACIT_IS_STORE (store), NULL);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, since);
  sqlite3_bind_int64 (stmt, 2, now);
  ids = g_ptr_array_new_with_free_func (g_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TacitTime fired = sqlite3_column_int64 (stmt, 1);
      const char *machine = (const char *) sqlite3_column_text (stmt, 2);

      if (machines != NULL && !g_strv_contains (machines, machine))
        continue;
      if (tacit_kiosk_suggestion_expired (fired, now, timeout))
        g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
    }
  if (rc != SQLITE_DONE)
    {
      _tacit_store_sql_error (store, error, "finding expired suggestions");
      return NULL;
    }
  return g_steal_pointer (&ids);
}

gboolean
tacit_kiosk_poll_library_revision (TacitStore *store,
                                   gint64     *data_version,
                                   guint      *revision,
                                   gboolean   *changed,
                                   GError    **error)
{
  g_autoptr(TacitKioskStmt) version = NULL;
  g_autoptr(TacitKioskStmt) library = NULL;
  gint64 now;
  guint current = 0;

  g_return_val_if_fail (TACIT_IS_STORE (store), FALSE);

  *changed = FALSE;
  if ((version = _tacit_store_prepare (store, "PRAGMA data_version", error)) == NULL)
    return FALSE;
  if (sqlite3_step (version) != SQLITE_ROW)
    return _tacit_store_sql_error (store, error, "checking for changes");
  now = sqlite3_column_int64 (version, 0);
  if (now == *data_version)
    return TRUE;
  *data_version = now;
  if ((library = _tacit_store_prepare (store, "SELECT revision FROM library WHERE id = 1", error)) == NULL)
    return FALSE;
  switch (sqlite3_step (library))
    {
    case SQLITE_ROW:
      current = (guint) sqlite3_column_int64 (library, 0);
      break;
    case SQLITE_DONE:
      break;
    default:
      return _tacit_store_sql_error (store, error, "reading the library revision");
    }
  *changed = current != *revision;
  *revision = current;
  return TRUE;
}

gboolean
tacit_kiosk_set_library_revision (TacitStore       *store,
                                  TacitSuggestion **suggestions,
                                  guint             n_suggestions,
                                  guint             revision,
                                  GError          **error)
{
  g_autoptr(TacitKioskStmt) stmt = NULL;

  g_return_val_if_fail (TACIT_IS_STORE (store), FALSE);

  if (n_suggestions == 0)
    return TRUE;
  stmt = _tacit_store_prepare (store, "UPDATE suggestions SET library_revision = ?1 WHERE id = ?2", error);
  if (stmt == NULL || !_tacit_store_begin (store, error))
    return FALSE;
  for (guint i = 0; i < n_suggestions; i++)
    {
      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, revision);
      sqlite3_bind_text (stmt, 2, suggestions[i]->id, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          _tacit_store_sql_error (store, error, "marking suggestions with the library revision");
          _tacit_store_rollback (store);
          return FALSE;
        }
    }
  return _tacit_store_commit (store, error);
}

gint64
tacit_kiosk_read_live_events (TacitStore          *store,
                              TacitTime           *after_time,
                              gint64              *after_id,
                              guint                max,
                              TacitKioskEventFunc  func,
                              gpointer             user_data,
                              GError             **error)
{
  /* The primary key (time, id) bounds the scan. */
  g_autoptr(TacitKioskStmt) stmt =
    _tacit_store_prepare (store,
      "SELECT e.time, e.id, m.id, e.kind, e.item, e.value, e.code, e.text"
      " FROM events AS e JOIN machines AS m ON m.num = e.machine"
      " WHERE e.time >= ?1 AND (e.time > ?1 OR e.id > ?2) AND e.import_id IS NULL"
      " ORDER BY e.time, e.id LIMIT ?3", error);
  gint64 n = 0;
  int rc;

  g_return_val_if_fail (TACIT_IS_STORE (store), -1);

  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, *after_time);
  sqlite3_bind_int64 (stmt, 2, *after_id);
  sqlite3_bind_int64 (stmt, 3, max);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TacitEvent event = {
        .time = sqlite3_column_int64 (stmt, 0),
        .machine = (const char *) sqlite3_column_text (stmt, 2),
        .kind = (TacitKind) sqlite3_column_int (stmt, 3),
        .item = (const char *) sqlite3_column_text (stmt, 4),
        .value = (const char *) sqlite3_column_text (stmt, 5),
        .code = (const char *) sqlite3_column_text (stmt, 6),
        .text = (const char *) sqlite3_column_text (stmt, 7),
      };

      *after_time = event.time;
      *after_id = sqlite3_column_int64 (stmt, 1);
      func (&event, user_data);
      n++;
    }
  if (rc != SQLITE_DONE)
    {
      _tacit_store_sql_error (store, error, "reading live events");
      return -1;
    }
  return n;
}

gboolean
tacit_kiosk_live_events_end (TacitStore *store,
                             TacitTime  *time,
                             gint64     *id,
                             GError    **error)
{
  g_autoptr(TacitKioskStmt) stmt =
    _tacit_store_prepare (store,
      "SELECT time, id FROM events WHERE import_id IS NULL ORDER BY time DESC, id DESC LIMIT 1", error);

  g_return_val_if_fail (TACIT_IS_STORE (store), FALSE);

  if (stmt == NULL)
    return FALSE;
  *time = TACIT_TIME_MIN;
  *id = 0;
  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      *time = sqlite3_column_int64 (stmt, 0);
      *id = sqlite3_column_int64 (stmt, 1);
      return TRUE;
    case SQLITE_DONE:
      return TRUE;
    default:
      return _tacit_store_sql_error (store, error, "finding the newest live event");
    }
}
