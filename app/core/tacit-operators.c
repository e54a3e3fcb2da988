/* tacit-operators.c: kiosk operators, their PINs and sign-in.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-operators.h"

#include <sodium.h>
#include <string.h>

#include "tacit-error.h"
#include "tacit-store-private.h"

G_DEFINE_QUARK (tacit-operator-error-quark, tacit_operator_error)

typedef sqlite3_stmt TacitOpStmt;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TacitOpStmt, sqlite3_finalize)

static gboolean
sodium_ready (GError **error)
{
  /* sodium_init() is thread-safe and idempotent: < 0 only on failure. */
  if (sodium_init () < 0)
    {
      g_set_error_literal (error, TACIT_OPERATOR_ERROR, TACIT_OPERATOR_ERROR_CRYPTO,
                           "libsodium could not be initialised");
      return FALSE;
    }
  return TRUE;
}


static gboolean
all_digits (const char *text,
            gsize       min,
            gsize       max)
{
  gsize len = text != NULL ? strlen (text) : 0;

  if (len < min || len > max)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;
  return TRUE;
}

char *
tacit_pin_hash (const char *pin,
                GError    **error)
{
  char hash[crypto_pwhash_STRBYTES];

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!all_digits (pin, TACIT_PIN_MIN_DIGITS, TACIT_PIN_MAX_DIGITS))
    {
      g_set_error (error, TACIT_OPERATOR_ERROR, TACIT_OPERATOR_ERROR_BAD_PIN,
                   "A PIN is %d to %d digits", TACIT_PIN_MIN_DIGITS, TACIT_PIN_MAX_DIGITS);
      return NULL;
    }
  if (!sodium_ready (error))
    return NULL;
  if (crypto_pwhash_str (hash, pin, strlen (pin),
                         crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    {
      g_set_error_literal (error, TACIT_OPERATOR_ERROR, TACIT_OPERATOR_ERROR_CRYPTO,
                           "Out of memory while hashing a PIN");
      return NULL;
    }
  return g_strdup (hash);
}

gboolean
tacit_pin_verify (const char *hash,
                  const char *pin)
{
  if (hash == NULL || pin == NULL || sodium_init () < 0)
    return FALSE;
  return crypto_pwhash_str_verify (hash, pin, strlen (pin)) == 0;
}

gboolean
tacit_operators_put (TacitStore *store,
                     const char *badge,
                     const char *name,
                     TacitRole   role,
                     const char *pin,
                     const TacitOperator *actor,
                     GError    **error)
{
  g_autoptr(TacitOpStmt) stmt = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *actor_id = NULL;

  g_return_val_if_fail (TACIT_IS_STORE (store), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (!tacit_store_check_access (store, actor, TACIT_PERMISSION_MANAGE_OPERATORS, badge, error))
    return FALSE;
  if (!all_digits (badge, 1, 12))
    {
      g_set_error (error, TACIT_OPERATOR_ERROR, TACIT_OPERATOR_ERROR_BAD_BADGE,
                   "A badge is 1 to 12 digits, not “%s”", badge != NULL ? badge : "");
      return FALSE;
    }
  if ((hash = tacit_pin_hash (pin, error)) == NULL)
    return FALSE;
  stmt = _tacit_store_prepare (store,
                  "INSERT OR REPLACE INTO operators (badge, name, role, pin_hash, created)"
                  " VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, badge, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, tacit_role_to_string (role), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, hash, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, g_get_real_time ());
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _tacit_store_sql_error (store, error, "storing an operator");
  /* The audit never sees the PIN or its hash. */
  actor_id = tacit_operator_dup_actor_id (actor);
  return tacit_store_audit (store, actor_id, "operator.put", badge,
                            tacit_role_to_string (role), error);
}

guint
tacit_operators_count (TacitStore *store,
                       GError    **error)
{
  g_autoptr(TacitOpStmt) stmt = _tacit_store_prepare (store, "SELECT count(*) FROM operators", error);

  if (stmt == NULL)
    return 0;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return _tacit_store_sql_error (store, error, "counting operators");
  return (guint) sqlite3_column_int64 (stmt, 0);
}

TacitOperator *
tacit_operators_lookup (TacitStore *store,
                        const char *badge,
                        char      **pin_hash,
                        GError    **error)
{
  g_autoptr(TacitOpStmt) stmt = NULL;
  g_autoptr(TacitOperator) op = NULL;
  int rc;

  g_return_val_if_fail (TACIT_IS_STORE (store), NULL);
  g_return_val_if_fail (badge != NULL, NULL);

  stmt = _tacit_store_prepare (store,
                  "SELECT name, role, pin_hash, failed, locked_until FROM operators"
                  " WHERE badge = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, badge, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, TACIT_OPERATOR_ERROR, TACIT_OPERATOR_ERROR_UNKNOWN,
                   "No operator with badge %s", badge);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      _tacit_store_sql_error (store, error, "looking up an operator");
      return NULL;
    }
  op = g_new0 (TacitOperator, 1);
  op->badge = g_strdup (badge);
  op->name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  tacit_role_from_string ((const char *) sqlite3_column_text (stmt, 1), &op->role);
  op->failed = (guint) sqlite3_column_int64 (stmt, 3);
  op->locked_until = sqlite3_column_int64 (stmt, 4);
  if (pin_hash != NULL)
    *pin_hash = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  return g_steal_pointer (&op);
}

gboolean
tacit_operator_check_lock (const TacitOperator *op,
                           gint64               now,
                           GError             **error)
{
  gint64 minutes;

  if (op->locked_until <= now)
    return TRUE;
  minutes = (op->locked_until - now + 60 * G_USEC_PER_SEC - 1) / (60 * G_USEC_PER_SEC);
  g_set_error (error, TACIT_OPERATOR_ERROR, TACIT_OPERATOR_ERROR_LOCKED,
               "Badge %s is locked after %d wrong PINs; try again in %d min",
               op->badge, TACIT_OPERATORS_MAX_FAILURES, (int) minutes);
  return FALSE;
}

/* The failure count and lock live in the operators row so that every
 * kiosk on the same store sees them. */
static gboolean note_attempt_in_transaction (TacitStore *store,
                                             const char *badge,
                                             const char *station,
                                             gboolean    ok,
                                             gint64      now,
                                             GError    **error);

gboolean
tacit_operators_note_attempt (TacitStore *store,
                              const char *badge,
                              const char *station,
                              gboolean    ok,
                              gint64      now,
                              GError    **error)
{
  if (!_tacit_store_begin (store, error))
    return FALSE;
  if (!note_attempt_in_transaction (store, badge, station, ok, now, error) ||
      !_tacit_store_commit (store, error))
    {
      _tacit_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

static gboolean
note_attempt_in_transaction (TacitStore *store,
                             const char *badge,
                             const char *station,
                             gboolean    ok,
                             gint64      now,
                             GError    **error)
{
  static const char update_ok[] =
    "UPDATE operators SET failed = 0, locked_until = 0 WHERE badge = ?1";
  static const char update_failed[] =
    "UPDATE operators SET"
    "  locked_until = CASE WHEN failed + 1 >= ?3 THEN ?2 + ?4 ELSE locked_until END,"
    "  failed = CASE WHEN failed + 1 >= ?3 THEN 0 ELSE failed + 1 END"
    " WHERE badge = ?1";
  g_autoptr(TacitOpStmt) update = _tacit_store_prepare (store, ok ? update_ok : update_failed, error);
  g_autoptr(TacitOpStmt) insert = NULL;

  if (update == NULL)
    return FALSE;
  sqlite3_bind_text (update, 1, badge, -1, SQLITE_STATIC);
  if (!ok)
    {
      sqlite3_bind_int64 (update, 2, now);
      sqlite3_bind_int (update, 3, TACIT_OPERATORS_MAX_FAILURES);
      sqlite3_bind_int64 (update, 4, TACIT_OPERATORS_LOCKOUT);
    }
  if (sqlite3_step (update) != SQLITE_DONE)
    return _tacit_store_sql_error (store, error, "updating an operator");
  insert = _tacit_store_prepare (store, "INSERT INTO sign_ins (badge, station, at, ok) VALUES (?, ?, ?, ?)",
                    error);
  if (insert == NULL)
    return FALSE;
  sqlite3_bind_text (insert, 1, badge, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 2, station, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (insert, 3, now);
  sqlite3_bind_int (insert, 4, ok ? 1 : 0);
  if (sqlite3_step (insert) != SQLITE_DONE)
    return _tacit_store_sql_error (store, error, "recording a sign-in");
  return tacit_store_audit (store, NULL, ok ? "operator.sign-in" : "operator.sign-in.failed",
                            badge, station, error);
}

TacitOperator *
tacit_operators_sign_in (TacitStore *store,
                         const char *badge,
                         const char *pin,
                         const char *station,
                         gint64      now,
                         GError    **error)
{
  g_autofree char *hash = NULL;
  g_autoptr(TacitOperator) op = tacit_operators_lookup (store, badge, &hash, error);
  gboolean ok;

  if (op == NULL || !tacit_operator_check_lock (op, now, error))
    return NULL;
  ok = tacit_pin_verify (hash, pin);
  if (!tacit_operators_note_attempt (store, badge, station, ok, now, error))
    return NULL;
  if (!ok)
    {
      g_set_error_literal (error, TACIT_OPERATOR_ERROR, TACIT_OPERATOR_ERROR_WRONG_PIN,
                           "Wrong PIN");
      return NULL;
    }
  op->failed = 0;
  op->locked_until = 0;
  return g_steal_pointer (&op);
}

GPtrArray *
tacit_operators_list (TacitStore *store,
                      GError    **error)
{
  g_autoptr(TacitOpStmt) stmt = _tacit_store_prepare (store,
                  "SELECT badge, name, role, failed, locked_until FROM operators ORDER BY badge", error);
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) tacit_operator_free);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TacitOperator *op = g_new0 (TacitOperator, 1);

      op->badge = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      op->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      tacit_role_from_string ((const char *) sqlite3_column_text (stmt, 2), &op->role);
      op->failed = (guint) sqlite3_column_int64 (stmt, 3);
      op->locked_until = sqlite3_column_int64 (stmt, 4);
      g_ptr_array_add (list, op);
    }
  if (rc != SQLITE_DONE)
    {
      _tacit_store_sql_error (store, error, "listing operators");
      return NULL;
    }
  return g_steal_pointer (&list);
}
