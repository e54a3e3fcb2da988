/* tacit-test-utils.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-test-utils.h"

#include <glib/gstdio.h>

static GPtrArray *tmpdirs;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);
        if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
          remove_tree (child);
        else
          g_unlink (child);
      }
  g_rmdir (path);
}

static void
remove_tmpdirs (void)
{
  for (guint i = 0; tmpdirs != NULL && i < tmpdirs->len; i++)
    remove_tree (g_ptr_array_index (tmpdirs, i));
  g_clear_pointer (&tmpdirs, g_ptr_array_unref);
}

char *
tacit_test_data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", name, NULL);
}

char *
tacit_test_shared_path (const char *name)
{
  const char *root = g_getenv ("TACIT_SHARED_DATA");
  g_autofree char *path = NULL;

  if (root == NULL)
    {
      g_test_skip ("TACIT_SHARED_DATA is not set");
      return NULL;
    }
  path = g_build_filename (root, name, NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_test_skip_printf ("%s is not there", path);
      return NULL;
    }
  return g_steal_pointer (&path);
}

char *
tacit_test_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("tacit-test-XXXXXX", &error);

  g_assert_no_error (error);
  if (tmpdirs == NULL)
    {
      tmpdirs = g_ptr_array_new_with_free_func (g_free);
      atexit (remove_tmpdirs);
    }
  g_ptr_array_add (tmpdirs, g_strdup (dir));
  return dir;
}

char *
tacit_test_write_file (const char *basename, const char *contents, gssize len)
{
  g_autofree char *dir = tacit_test_tmpdir ();
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (dir, basename, NULL);

  g_file_set_contents (path, contents, len, &error);
  g_assert_no_error (error);
  return path;
}

TacitOperator *
tacit_test_person (TacitRole   role,
                   const char *badge)
{
  TacitOperator *op = g_new0 (TacitOperator, 1);

  op->badge = g_strdup (badge);
  op->name = g_strdup_printf ("Person %s", badge);
  op->role = role;
  return op;
}

const TacitOperator *
tacit_test_actor (const char *actor_id)
{
  static GHashTable *actors;
  static GMutex lock;
  TacitOperator *actor;

  g_mutex_lock (&lock);
  if (actors == NULL)
    actors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                    (GDestroyNotify) tacit_operator_free);
  actor = g_hash_table_lookup (actors, actor_id);
  if (actor == NULL)
    {
      if (g_str_has_prefix (actor_id, "eng-"))
        actor = tacit_test_person (TACIT_ROLE_ENGINEER, actor_id + 4);
      else if (g_str_has_prefix (actor_id, "op-"))
        actor = tacit_test_person (TACIT_ROLE_OPERATOR, actor_id + 3);
      else
        actor = tacit_operator_new_local (actor_id);
      g_hash_table_insert (actors, g_strdup (actor_id), actor);
    }
  g_mutex_unlock (&lock);
  return actor;
}
