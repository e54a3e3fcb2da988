/* tacit-shelves.c: the shelves table of the store (schema version 4).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-shelves.h"

#include "tacit-error.h"
#include "tacit-store-private.h"

typedef sqlite3_stmt TacitShelfStmt;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TacitShelfStmt, sqlite3_finalize)

/* Who clears a shelf that expires by itself, in the audit log. */
#define EXPIRY_ACTOR "kiosk"

static const char *const kind_names[] = { "one-shot", "timed", "lot", "tool" };

#define SHELF_COLUMNS \
  "id, rule_id, station, machine, kind, item, value, comment, actor, shelved_at," \
  " expires_at, cleared_at, cleared_reason"

const char *
tacit_shelf_kind_to_string (TacitShelfKind kind)
{
  g_return_val_if_fail (kind <= TACIT_SHELF_TOOL, NULL);
  return kind_names[kind];
}

gboolean
tacit_shelf_kind_from_string (const char     *text,
                              TacitShelfKind *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (g_strcmp0 (text, kind_names[i]) == 0)
      {
        *out = (TacitShelfKind) i;
        return TRUE;
      }
  return FALSE;
}

TacitShelf *
tacit_shelf_copy (const TacitShelf *shelf)
{
  TacitShelf *copy = g_new (TacitShelf, 1);

  *copy = *shelf;
  copy->rule_id = g_strdup (shelf->rule_id);
  copy->station = g_strdup (shelf->station);
  copy->machine = g_strdup (shelf->machine);
  copy->item = g_strdup (shelf->item);
  copy->value = g_strdup (shelf->value);
  copy->comment = g_strdup (shelf->comment);
  copy->actor = g_strdup (shelf->actor);
  copy->cleared_reason = g_strdup (shelf->cleared_reason);
  return copy;
}

void
tacit_shelf_free (TacitShelf *shelf)
{
  if (shelf == NULL)
    return;
  g_free (shelf->rule_id);
  g_free (shelf->station);
  g_free (shelf->machine);
  g_free (shelf->item);
  g_free (shelf->value);
  g_free (shelf->comment);
  g_free (shelf->actor);
  g_free (shelf->cleared_reason);
  g_free (shelf);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static TacitShelf *
shelf_from_row (sqlite3_stmt *stmt)
{
  TacitShelf *shelf = g_new0 (TacitShelf, 1);
  g_autofree char *kind = column_dup (stmt, 4);

  shelf->id = sqlite3_column_int64 (stmt, 0);
  shelf->rule_id = column_dup (stmt, 1);
  shelf->station = column_dup (stmt, 2);
  shelf->machine = column_dup (stmt, 3);
  /* The table's CHECK admits only the four kinds. */
  tacit_shelf_kind_from_string (kind, &shelf->kind);
  shelf->item = column_dup (stmt, 5);
  shelf->value = column_dup (stmt, 6);
  shelf->comment = column_dup (stmt, 7);
  shelf->actor = column_dup (stmt, 8);
  shelf->shelved_at = sqlite3_column_int64 (stmt, 9);
  shelf->expires_at = sqlite3_column_int64 (stmt, 10);
  shelf->cleared_at = sqlite3_column_int64 (stmt, 11);
  shelf->cleared_reason = column_dup (stmt, 12);
  return shelf;
}

static gboolean
fail_invalid (GError    **error,
              const char *message)
{
  g_set_error_literal (error, TACIT_INPUT_ERROR, TACIT_INPUT_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
insert_shelf (TacitStore  *store,
              const char  *actor_id,
              const char  *rule_id,
              const char  *station,
              const char  *machine,
              TacitShelfKind kind,
              const char  *item,
              const char  *value,
              TacitTime    expires_at,
              const char  *comment,
              TacitTime    now,
              gint64      *id,
              GError     **error)
{
  g_autoptr(TacitShelfStmt) stmt =
    _tacit_store_prepare (store,
      "INSERT INTO shelves (rule_id, station, machine, kind, item, value, comment, actor,"
      " shelved_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, rule_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, station, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, machine, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, kind_names[kind], -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, item, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, value, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, comment != NULL ? comment : "", -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, actor_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 9, now);
  if (kind == TACIT_SHELF_TIMED)
    sqlite3_bind_int64 (stmt, 10, expires_at);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _tacit_store_sql_error (store, error, "shelving a rule");
  *id = sqlite3_last_insert_rowid (_tacit_store_get_db (store));
  return TRUE;
}

gint64
tacit_shelves_shelve (TacitStore          *store,
                      const TacitOperator *actor,
                      const char          *rule_id,
                      const char          *station,
                      const char          *machine,
                      TacitShelfKind       kind,
                      const char          *item,
                      const char          *value,
                      TacitTime            duration,
                      const char          *comment,
                      TacitTime            now,
                      GError             **error)
{
  g_autofree char *actor_id = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *id_text = NULL;
  gint64 id = 0;

  g_return_val_if_fail (TACIT_IS_STORE (store), 0);
  g_return_val_if_fail (kind <= TACIT_SHELF_TOOL, 0);

  if (rule_id == NULL || rule_id[0] == '\0')
    return fail_invalid (error, "shelving: no rule given");
  if ((kind == TACIT_SHELF_LOT || kind == TACIT_SHELF_TOOL) &&
      (machine == NULL || item == NULL || value == NULL))
    return fail_invalid (error, kind == TACIT_SHELF_LOT
                                ? "shelving for this lot: the machine runs no known lot"
                                : "shelving for this tool: the machine has no known tool");
  if (kind == TACIT_SHELF_TIMED && duration <= 0)
    return fail_invalid (error, "shelving for a time: the duration must be above 0");
  if (!tacit_store_check_access (store, actor, TACIT_PERMISSION_RESPOND, rule_id, error))
    return 0;

  actor_id = tacit_operator_dup_actor_id (actor);
  {
    GString *text = g_string_new (kind_names[kind]);

    g_string_append_printf (text, " at %s", station != NULL && station[0] != '\0' ? station : "every station");
    if (machine != NULL)
      g_string_append_printf (text, " on %s", machine);
    if (kind == TACIT_SHELF_LOT || kind == TACIT_SHELF_TOOL)
      g_string_append_printf (text, " while %s = %s", item, value);
    if (kind == TACIT_SHELF_TIMED)
      g_string_append_printf (text, " for %" G_GINT64_FORMAT " min", duration / (60 * G_USEC_PER_SEC));
    if (comment != NULL && comment[0] != '\0')
      g_string_append_printf (text, ": %s", comment);
    detail = g_string_free (text, FALSE);
  }
  if (!_tacit_store_begin (store, error))
    return 0;
  if (!insert_shelf (store, actor_id, rule_id, station != NULL ? station : "", machine, kind,
                     kind == TACIT_SHELF_LOT || kind == TACIT_SHELF_TOOL ? item : NULL,
                     kind == TACIT_SHELF_LOT || kind == TACIT_SHELF_TOOL ? value : NULL,
                     now + duration, comment, now, &id, error) ||
      !tacit_store_audit (store, actor_id, "shelf.create", rule_id, detail, error) ||
      !_tacit_store_commit (store, error))
    {
      _tacit_store_rollback (store);
      return 0;
    }
  return id;
}

/* Inside a transaction. */
static gboolean
clear_shelf (TacitStore *store,
             gint64      id,
             const char *rule_id,
             const char *reason,
             const char *actor_id,
             TacitTime   now,
             GError    **error)
{
  g_autoptr(TacitShelfStmt) stmt =
    _tacit_store_prepare (store,
      "UPDATE shelves SET cleared_at = ?1, cleared_reason = ?2"
      " WHERE id = ?3 AND cleared_at IS NULL", error);
  g_autofree char *detail = NULL;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_text (stmt, 2, reason, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, id);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _tacit_store_sql_error (store, error, "clearing a shelf");
  if (sqlite3_changes (_tacit_store_get_db (store)) == 0)
    return TRUE;
  detail = g_strdup_printf ("shelf %" G_GINT64_FORMAT ": %s", id, reason);
  return tacit_store_audit (store, actor_id,
                            g_str_equal (reason, "unshelved") ? "shelf.clear" : "shelf.expire",
                            rule_id, detail, error);
}

static TacitShelf *
find_shelf (TacitStore *store,
            gint64      id,
            GError    **error)
{
  g_autoptr(TacitShelfStmt) stmt =
    _tacit_store_prepare (store, "SELECT " SHELF_COLUMNS " FROM shelves WHERE id = ?", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_NOT_FOUND,
                   "%s: no shelf %" G_GINT64_FORMAT, tacit_store_get_path (store), id);
      return NULL;
    }
  return shelf_from_row (stmt);
}

gboolean
tacit_shelves_clear (TacitStore          *store,
                     const TacitOperator *actor,
                     gint64               shelf_id,
                     TacitTime            now,
                     GError             **error)
{
  g_autoptr(TacitShelf) shelf = NULL;
  g_autofree char *actor_id = NULL;

  g_return_val_if_fail (TACIT_IS_STORE (store), FALSE);

  if ((shelf = find_shelf (store, shelf_id, error)) == NULL)
    return FALSE;
  if (!tacit_store_check_access (store, actor, TACIT_PERMISSION_RESPOND, shelf->rule_id, error))
    return FALSE;
  actor_id = tacit_operator_dup_actor_id (actor);
  if (!_tacit_store_begin (store, error))
    return FALSE;
  if (!clear_shelf (store, shelf_id, shelf->rule_id, "unshelved", actor_id, now, error) ||
      !_tacit_store_commit (store, error))
    {
      _tacit_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
tacit_shelves_list (TacitStore *store,
                    const char *station,
                    gboolean    include_cleared,
                    GError    **error)
{
  g_autoptr(TacitShelfStmt) stmt =
    _tacit_store_prepare (store,
      "SELECT " SHELF_COLUMNS " FROM shelves"
      " WHERE (?1 IS NULL OR station = ?1) AND (?2 OR cleared_at IS NULL)"
      " ORDER BY shelved_at DESC, id DESC", error);
  g_autoptr(GPtrArray) shelves = NULL;
  int rc;

  g_return_val_if_fail (TACIT_IS_STORE (store), NULL);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, station, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, include_cleared);
  shelves = g_ptr_array_new_with_free_func ((GDestroyNotify) tacit_shelf_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (shelves, shelf_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      _tacit_store_sql_error (store, error, "listing shelves");
      return NULL;
    }
  return g_steal_pointer (&shelves);
}

/* Why a standing shelf no longer holds, or NULL. */
static const char *
expiry_reason (const TacitShelf *shelf,
               GHashTable       *values,
               TacitTime         now)
{
  const char *current;

  switch (shelf->kind)
    {
    case TACIT_SHELF_TIMED:
      return now >= shelf->expires_at ? "expired" : NULL;
    case TACIT_SHELF_LOT:
    case TACIT_SHELF_TOOL:
      /* An unknown value (the kiosk restarted) is no change. */
      current = values != NULL ? g_hash_table_lookup (values, shelf->item) : NULL;
      if (current == NULL || g_strcmp0 (current, shelf->value) == 0)
        return NULL;
      return shelf->kind == TACIT_SHELF_LOT ? "lot-changed" : "tool-changed";
    case TACIT_SHELF_ONE_SHOT:
    default:
      return NULL;
    }
}

static GPtrArray *
standing_for_rule (TacitStore *store,
                   const char *rule_id,
                   const char *station,
                   const char *machine,
                   GError    **error)
{
  g_autoptr(TacitShelfStmt) stmt =
    _tacit_store_prepare (store,
      "SELECT " SHELF_COLUMNS " FROM shelves"
      " WHERE station = ?1 AND rule_id = ?2 AND cleared_at IS NULL"
      " AND (machine IS NULL OR machine = ?3) ORDER BY id", error);
  g_autoptr(GPtrArray) shelves = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, station, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, rule_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, machine, -1, SQLITE_STATIC);
  shelves = g_ptr_array_new_with_free_func ((GDestroyNotify) tacit_shelf_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (shelves, shelf_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      _tacit_store_sql_error (store, error, "reading shelves");
      return NULL;
    }
  return g_steal_pointer (&shelves);
}

gboolean
tacit_shelves_check (TacitStore  *store,
                     const char  *rule_id,
                     const char  *station,
                     const char  *machine,
                     GHashTable  *values,
                     TacitTime    now,
                     TacitShelf **shelf,
                     GError     **error)
{
  g_autoptr(GPtrArray) standing = NULL;
  TacitShelf *holding = NULL;
  gboolean changed = FALSE;

  g_return_val_if_fail (TACIT_IS_STORE (store), FALSE);
  g_return_val_if_fail (shelf != NULL, FALSE);

  *shelf = NULL;
  standing = standing_for_rule (store, rule_id, station != NULL ? station : "", machine, error);
  if (standing == NULL)
    return FALSE;
  if (standing->len == 0)
    return TRUE;   /* the common case: no transaction */

  if (!_tacit_store_begin (store, error))
    return FALSE;
  for (guint i = 0; i < standing->len; i++)
    {
      TacitShelf *s = g_ptr_array_index (standing, i);
      const char *reason = expiry_reason (s, values, now);

      if (reason != NULL)
        {
          if (!clear_shelf (store, s->id, s->rule_id, reason, EXPIRY_ACTOR, now, error))
            goto failed;
          changed = TRUE;
          continue;
        }
      /* A standing timed, lot or tool shelf holds without being used up;
       * prefer it over a one-shot that this firing would spend. */
      if (holding == NULL || (holding->kind == TACIT_SHELF_ONE_SHOT && s->kind != TACIT_SHELF_ONE_SHOT))
        holding = s;
    }
  if (holding != NULL && holding->kind == TACIT_SHELF_ONE_SHOT)
    {
      if (!clear_shelf (store, holding->id, holding->rule_id, "fired-once", EXPIRY_ACTOR, now, error))
        goto failed;
      changed = TRUE;
    }
  if (changed && !_tacit_store_commit (store, error))
    goto failed;
  if (!changed)
    _tacit_store_rollback (store);
  if (holding != NULL)
    *shelf = tacit_shelf_copy (holding);
  return TRUE;

failed:
  _tacit_store_rollback (store);
  return FALSE;
}

gint64
tacit_shelves_expire (TacitStore *store,
                      TacitTime   now,
                      const char *machine,
                      const char *item,
                      const char *value,
                      GError    **error)
{
  g_autoptr(TacitShelfStmt) stmt =
    _tacit_store_prepare (store,
      "SELECT " SHELF_COLUMNS " FROM shelves WHERE cleared_at IS NULL AND"
      " ((kind = 'timed' AND expires_at <= ?1) OR"
      "  (kind IN ('lot', 'tool') AND machine = ?2 AND item = ?3 AND value IS NOT ?4))"
      " ORDER BY id", error);
  g_autoptr(GPtrArray) due = NULL;
  int rc;

  g_return_val_if_fail (TACIT_IS_STORE (store), -1);

  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_text (stmt, 2, machine, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, item, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, value, -1, SQLITE_STATIC);
  due = g_ptr_array_new_with_free_func ((GDestroyNotify) tacit_shelf_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (due, shelf_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      _tacit_store_sql_error (store, error, "finding expired shelves");
      return -1;
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (due->len == 0)
    return 0;
  if (!_tacit_store_begin (store, error))
    return -1;
  for (guint i = 0; i < due->len; i++)
    {
      TacitShelf *s = g_ptr_array_index (due, i);
      const char *reason = s->kind == TACIT_SHELF_TIMED ? "expired"
                         : s->kind == TACIT_SHELF_LOT ? "lot-changed" : "tool-changed";

      if (!clear_shelf (store, s->id, s->rule_id, reason, EXPIRY_ACTOR, now, error))
        {
          _tacit_store_rollback (store);
          return -1;
        }
    }
  if (!_tacit_store_commit (store, error))
    {
      _tacit_store_rollback (store);
      return -1;
    }
  return due->len;
}
