/* tacit-outbox.c: a kiosk's store-and-forward queue.
 *
 * The queueing itself is done by triggers of schema version 5
 * (tacit-store.c): whichever code path changes a kiosk table, the message
 * lands in the same transaction. This file configures the kiosk and reads
 * and trims the queue for the plant link.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-outbox.h"

#include <string.h>

#include "tacit-error.h"
#include "tacit-store-private.h"

typedef sqlite3_stmt TacitOutboxStmt;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TacitOutboxStmt, sqlite3_finalize)

void
tacit_outbox_message_free (TacitOutboxMessage *message)
{
  if (message == NULL)
    return;
  g_free (message->message_id);
  g_free (message->type);
  g_free (message->payload);
  g_free (message);
}

gboolean
tacit_plant_name_is_valid (const char *name)
{
  gsize len;

  if (name == NULL || (len = strlen (name)) == 0 || len > 64)
    return FALSE;
  if (!g_utf8_validate (name, -1, NULL))
    return FALSE;
  return strpbrk (name, "/+#") == NULL;
}

char *
tacit_plant_kiosk_topic (const char *plant,
                         const char *kiosk,
                         const char *type)
{
  return g_strdup_printf ("tacit/%s/kiosk/%s/%s", plant, kiosk, type);
}

char *
tacit_plant_library_topic (const char *plant)
{
  return g_strdup_printf ("tacit/%s/library", plant);
}

char *
tacit_plant_hub_topic (const char *plant)
{
  return g_strdup_printf ("tacit/%s/hub", plant);
}

TacitOperator *
tacit_plant_hub_actor_new (void)
{
  TacitOperator *op = g_new0 (TacitOperator, 1);

  op->badge = g_strdup (TACIT_PLANT_HUB_BADGE);
  op->name = g_strdup ("Plant hub");
  op->role = TACIT_ROLE_ENGINEER;
  return op;
}

gboolean
tacit_outbox_configure (TacitStore *store,
                        const char *plant,
                        const char *kiosk,
                        GError    **error)
{
  g_autoptr(TacitOutboxStmt) stmt = NULL;

  g_return_val_if_fail (TACIT_IS_STORE (store), FALSE);

  if (!tacit_plant_name_is_valid (plant) || !tacit_plant_name_is_valid (kiosk))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” / “%s”: a plant or kiosk name must be 1 to 64 bytes without '/', '+' or '#'",
                   plant != NULL ? plant : "", kiosk != NULL ? kiosk : "");
      return FALSE;
    }
  stmt = _tacit_store_prepare (store,
                               "INSERT INTO plant_kiosk (id, plant, kiosk, configured_at)"
                               " VALUES (1, ?1, ?2, ?3) ON CONFLICT (id) DO UPDATE SET"
                               " plant = excluded.plant, kiosk = excluded.kiosk", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, plant, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, kiosk, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time ());
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _tacit_store_sql_error (store, error, "configuring the kiosk's plant link");
  return tacit_store_audit (store, NULL, "plant.configure", kiosk, plant, error);
}

gboolean
tacit_outbox_get_config (TacitStore *store,
                         char      **plant,
                         char      **kiosk,
                         guint      *library_revision,
                         GError    **error)
{
  g_autoptr(TacitOutboxStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (TACIT_IS_STORE (store), FALSE);

  stmt = _tacit_store_prepare (store, "SELECT plant, kiosk, library_revision FROM plant_kiosk", error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return FALSE;
  if (rc != SQLITE_ROW)
    return _tacit_store_sql_error (store, error, "reading the kiosk's plant link");
  if (plant != NULL)
    *plant = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  if (kiosk != NULL)
    *kiosk = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  if (library_revision != NULL)
    *library_revision = (guint) sqlite3_column_int64 (stmt, 2);
  return TRUE;
}

gboolean
tacit_outbox_set_library_revision (TacitStore *store,
                                   guint       revision,
                                   GError    **error)
{
  g_autoptr(TacitOutboxStmt) stmt =
    _tacit_store_prepare (store, "UPDATE plant_kiosk SET library_revision = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, revision);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _tacit_store_sql_error (store, error, "recording the hub's library revision");
  return TRUE;
}

GPtrArray *
tacit_outbox_list (TacitStore *store,
                   gint64      after_seq,
                   guint       limit,
                   GError    **error)
{
  g_autoptr(TacitOutboxStmt) stmt = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  int rc;

  g_return_val_if_fail (TACIT_IS_STORE (store), NULL);

  stmt = _tacit_store_prepare (store,
                               "SELECT seq, message_id, type, payload FROM outbox"
                               " WHERE seq > ?1 ORDER BY seq LIMIT ?2", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, after_seq);
  sqlite3_bind_int64 (stmt, 2, limit);
  messages = g_ptr_array_new_with_free_func ((GDestroyNotify) tacit_outbox_message_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TacitOutboxMessage *message = g_new0 (TacitOutboxMessage, 1);

      message->seq = sqlite3_column_int64 (stmt, 0);
      message->message_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      message->type = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      message->payload = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      g_ptr_array_add (messages, message);
    }
  if (rc != SQLITE_DONE)
    {
      _tacit_store_sql_error (store, error, "reading the outbox");
      return NULL;
    }
  return g_steal_pointer (&messages);
}

gboolean
tacit_outbox_remove (TacitStore   *store,
                     const gint64 *seqs,
                     guint         n_seqs,
                     GError      **error)
{
  g_autoptr(TacitOutboxStmt) stmt = NULL;

  g_return_val_if_fail (TACIT_IS_STORE (store), FALSE);

  if (n_seqs == 0)
    return TRUE;
  stmt = _tacit_store_prepare (store, "DELETE FROM outbox WHERE seq = ?1", error);
  if (stmt == NULL || !_tacit_store_begin (store, error))
    return FALSE;
  for (guint i = 0; i < n_seqs; i++)
    {
      sqlite3_bind_int64 (stmt, 1, seqs[i]);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          _tacit_store_sql_error (store, error, "removing acknowledged messages from the outbox");
          sqlite3_reset (stmt);
          _tacit_store_rollback (store);
          return FALSE;
        }
      sqlite3_reset (stmt);
    }
  if (!_tacit_store_commit (store, error))
    {
      _tacit_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

gint64
tacit_outbox_count (TacitStore *store,
                    GError    **error)
{
  g_autoptr(TacitOutboxStmt) stmt =
    _tacit_store_prepare (store, "SELECT count (*) FROM outbox", error);

  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      _tacit_store_sql_error (store, error, "counting the outbox");
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}
