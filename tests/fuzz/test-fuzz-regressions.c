/* test-fuzz-regressions.c: replays every kept fuzz input (the seed corpora
 * and tests/fuzz/regressions/) through the readers with the normal build.
 * Each input must end in success or a clean input error, never a crash, a
 * critical or a broken invariant (see fuzz-common.c).
 *
 * A file in regressions/ is named TARGET-WHAT (csv-, jsonl-, mtconnect-,
 * rules-): the prefix names the reader it crashed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "tacit-error.h"

typedef enum {
  TARGET_CSV,
  TARGET_JSONL,
  TARGET_MTCONNECT,
  TARGET_RULES,
} Target;

static const struct {
  const char *name;
  Target      target;
} targets[] = {
  { "csv", TARGET_CSV },
  { "jsonl", TARGET_JSONL },
  { "mtconnect", TARGET_MTCONNECT },
  { "rules", TARGET_RULES },
};

static void
replay_one (const char *path,
            Target      target)
{
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) input_error = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &data, &len, &error));
  g_assert_no_error (error);
  switch (target)
    {
    case TARGET_CSV:
      tacit_fuzz_events ((guint8 *) data, len, TACIT_EVENT_FORMAT_CSV, &input_error);
      break;
    case TARGET_JSONL:
      tacit_fuzz_events ((guint8 *) data, len, TACIT_EVENT_FORMAT_JSONL, &input_error);
      break;
    case TARGET_MTCONNECT:
      tacit_fuzz_events ((guint8 *) data, len, TACIT_EVENT_FORMAT_MTCONNECT, &input_error);
      break;
    case TARGET_RULES:
      tacit_fuzz_library ((guint8 *) data, len, &input_error);
      break;
    default:
      g_assert_not_reached ();
    }
  if (input_error != NULL)
    g_test_message ("%s: %s", path, input_error->message);
  else
    g_test_message ("%s: accepted", path);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* Replays every file of dir (sorted, for a stable log); returns how many. */
static guint
replay_dir (const char *dir,
            gboolean    by_prefix,
            Target      target)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (d == NULL)
    return 0;
  while ((name = g_dir_read_name (d)) != NULL)
    if (name[0] != '.' && strcmp (name, "README") != 0)
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      const char *n = names->pdata[i];
      g_autofree char *path = g_build_filename (dir, n, NULL);
      Target t = target;
      gboolean known = !by_prefix;

      for (guint k = 0; by_prefix && k < G_N_ELEMENTS (targets); k++)
        if (g_str_has_prefix (n, targets[k].name) && n[strlen (targets[k].name)] == '-')
          {
            t = targets[k].target;
            known = TRUE;
          }
      if (!known)
        g_error ("%s: a regression input must be named TARGET-WHAT", path);
      replay_one (path, t);
    }
  return names->len;
}

static void
test_corpora (void)
{
  guint n = 0;

  for (guint k = 0; k < G_N_ELEMENTS (targets); k++)
    {
      g_autofree char *sub = g_strdup_printf ("corpus-%s", targets[k].name);
      g_autofree char *dir = g_test_build_filename (G_TEST_DIST, sub, NULL);
      guint here = replay_dir (dir, FALSE, targets[k].target);

      /* Every target has seeds: an empty corpus means a broken checkout. */
      g_assert_cmpuint (here, >, 0);
      n += here;
    }
  g_test_message ("%u seed inputs replayed", n);
}

static void
test_regressions (void)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "regressions", NULL);
  guint n = replay_dir (dir, TRUE, TARGET_CSV);

  g_test_message ("%u regression inputs replayed", n);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  tacit_fuzz_init ();
  g_test_add_func ("/fuzz/corpora", test_corpora);
  g_test_add_func ("/fuzz/regressions", test_regressions);
  return g_test_run ();
}
