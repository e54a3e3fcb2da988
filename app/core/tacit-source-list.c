/* tacit-source-list.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-source-list.h"
#include "tacit-store-private.h"

void
tacit_source_info_free (TacitSourceInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->url);
  g_free (info->kind);
  g_free (info->state);
  g_free (info->message);
  g_free (info);
}

GPtrArray *
tacit_source_list (TacitStore *store,
                   GError    **error)
{
  g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func ((GDestroyNotify) tacit_source_info_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TACIT_IS_STORE (store), NULL);

  stmt = _tacit_store_prepare (store, "SELECT url, kind, state, message, updated FROM sources ORDER BY url", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TacitSourceInfo *info = g_new0 (TacitSourceInfo, 1);

      info->url = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      info->kind = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      info->state = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      info->message = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      info->updated = sqlite3_column_int64 (stmt, 4);
      g_ptr_array_add (sources, info);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      _tacit_store_sql_error (store, error, "reading the sources");
      return NULL;
    }
  return g_steal_pointer (&sources);
}
