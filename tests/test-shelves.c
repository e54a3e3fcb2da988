/* test-shelves.c: shelving a rule at a station, and every way a shelf
 * expires by itself (timed, lot, tool, one-shot), with the audit trail.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>

#include "tacit-error.h"
#include "tacit-shelves.h"
#include "tacit-store-private.h"
#include "tacit-test-utils.h"

#define NOW    G_GINT64_CONSTANT (1794117600000000)   /* 2026-11-08T06:00:00Z */
#define MINUTE (G_GINT64_CONSTANT (60) * G_USEC_PER_SEC)
#define HOUR   (60 * MINUTE)

typedef struct {
  TacitStore    *store;
  TacitOperator *ana;
  GHashTable    *values;   /* press-3's current items */
} Fixture;

static void
fixture_setup (Fixture      *fixture,
               gconstpointer data)
{
  g_autofree char *dir = tacit_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "shelves.db", NULL);
  g_autoptr(GError) error = NULL;

  fixture->store = tacit_store_open (path, &error);
  g_assert_no_error (error);
  fixture->ana = tacit_test_person (TACIT_ROLE_OPERATOR, "117");
  fixture->values = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (fixture->values, "material_lot", "4471");
  g_hash_table_insert (fixture->values, "tool_number", "12");
}

static void
fixture_teardown (Fixture      *fixture,
                  gconstpointer data)
{
  g_clear_object (&fixture->store);
  g_clear_pointer (&fixture->ana, tacit_operator_free);
  g_clear_pointer (&fixture->values, g_hash_table_unref);
}

static gint64
query_int (Fixture    *fixture,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (_tacit_store_get_db (fixture->store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

/* Whether the rule firing on press-3 at station "stamping" is shelved;
 * the id of the shelf holding it in *id. */
static gboolean
shelved (Fixture    *fixture,
         const char *rule,
         TacitTime   now,
         gint64     *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitShelf) shelf = NULL;

  g_assert_true (tacit_shelves_check (fixture->store, rule, "stamping", "press-3",
                                      fixture->values, now, &shelf, &error));
  g_assert_no_error (error);
  if (id != NULL)
    *id = shelf != NULL ? shelf->id : 0;
  return shelf != NULL;
}

static char *
cleared_reason (Fixture *fixture,
                gint64   id)
{
  g_autoptr(GPtrArray) all = tacit_shelves_list (fixture->store, NULL, TRUE, NULL);

  for (guint i = 0; i < all->len; i++)
    {
      TacitShelf *shelf = g_ptr_array_index (all, i);

      if (shelf->id == id)
        return g_strdup (shelf->cleared_reason);
    }
  g_assert_not_reached ();
}

static void
test_timed (Fixture      *fixture,
            gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) open = NULL;
  g_autoptr(GPtrArray) elsewhere = NULL;
  g_autofree char *reason = NULL;
  TacitShelf *shelf;
  gint64 id;

  id = tacit_shelves_shelve (fixture->store, fixture->ana, "hot-oil", "stamping", "press-3",
                             TACIT_SHELF_TIMED, NULL, NULL, 2 * HOUR, "Sensor being replaced", NOW, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  /* Engineers see it, with who, why and until when. */
  open = tacit_shelves_list (fixture->store, "stamping", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (open->len, ==, 1);
  shelf = g_ptr_array_index (open, 0);
  g_assert_cmpstr (shelf->rule_id, ==, "hot-oil");
  g_assert_cmpstr (shelf->actor, ==, "op-117");
  g_assert_cmpstr (shelf->comment, ==, "Sensor being replaced");
  g_assert_cmpint (shelf->kind, ==, TACIT_SHELF_TIMED);
  g_assert_cmpint (shelf->expires_at, ==, NOW + 2 * HOUR);
  g_assert_cmpint (shelf->cleared_at, ==, 0);
  elsewhere = tacit_shelves_list (fixture->store, "machining", FALSE, &error);
  g_assert_cmpuint (elsewhere->len, ==, 0);

  /* Held for two hours, on press-3 only, for this rule only. */
  g_assert_true (shelved (fixture, "hot-oil", NOW + HOUR, NULL));
  g_assert_true (shelved (fixture, "hot-oil", NOW + 2 * HOUR - 1, NULL));
  g_assert_false (shelved (fixture, "other-rule", NOW + HOUR, NULL));
  {
    g_autoptr(TacitShelf) other = NULL;

    g_assert_true (tacit_shelves_check (fixture->store, "hot-oil", "stamping", "press-1",
                                        fixture->values, NOW + HOUR, &other, &error));
    g_assert_null (other);
  }
  /* Then it expires by itself, on the next firing. */
  g_assert_false (shelved (fixture, "hot-oil", NOW + 2 * HOUR, NULL));
  reason = cleared_reason (fixture, id);
  g_assert_cmpstr (reason, ==, "expired");
  g_assert_cmpint (query_int (fixture, "SELECT count (*) FROM audit WHERE action = 'shelf.create'"
                                       " AND actor = 'op-117' AND subject = 'hot-oil'"
                                       " AND detail LIKE '%Sensor being replaced%'"), ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT count (*) FROM audit WHERE action = 'shelf.expire'"
                                       " AND detail LIKE '%expired'"), ==, 1);
}

/* A timed shelf expires without its rule firing at all. */
static void
test_timed_without_firing (Fixture      *fixture,
                           gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  gint64 id;

  id = tacit_shelves_shelve (fixture->store, fixture->ana, "hot-oil", "stamping", NULL,
                             TACIT_SHELF_TIMED, NULL, NULL, HOUR, NULL, NOW, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tacit_shelves_expire (fixture->store, NOW + HOUR - 1, NULL, NULL, NULL, &error), ==, 0);
  g_assert_cmpint (tacit_shelves_expire (fixture->store, NOW + HOUR, NULL, NULL, NULL, &error), ==, 1);
  g_assert_no_error (error);
  reason = cleared_reason (fixture, id);
  g_assert_cmpstr (reason, ==, "expired");
  g_assert_cmpint (query_int (fixture, "SELECT count (*) FROM shelves WHERE cleared_at IS NULL"), ==, 0);
}

static void
test_lot (Fixture      *fixture,
          gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *reason2 = NULL;
  gint64 id, id2;

  id = tacit_shelves_shelve (fixture->store, fixture->ana, "lot-runs-hard", "stamping", "press-3",
                             TACIT_SHELF_LOT, "material_lot", "4471", 0, "Known, die adjusted", NOW, &error);
  g_assert_no_error (error);
  g_assert_true (shelved (fixture, "lot-runs-hard", NOW + 5 * HOUR, NULL));
  /* The next coil: the shelf clears on the next firing. */
  g_hash_table_insert (fixture->values, "material_lot", "4472");
  g_assert_false (shelved (fixture, "lot-runs-hard", NOW + 6 * HOUR, NULL));
  reason = cleared_reason (fixture, id);
  g_assert_cmpstr (reason, ==, "lot-changed");

  /* Or when the lot event arrives, without a firing. */
  id2 = tacit_shelves_shelve (fixture->store, fixture->ana, "lot-runs-hard", "stamping", "press-3",
                              TACIT_SHELF_LOT, "material_lot", "4472", 0, NULL, NOW + 7 * HOUR, &error);
  g_assert_cmpint (tacit_shelves_expire (fixture->store, NOW + 7 * HOUR, "press-1", "material_lot", "9", &error), ==, 0);
  g_assert_cmpint (tacit_shelves_expire (fixture->store, NOW + 7 * HOUR, "press-3", "material_lot", "4472", &error), ==, 0);
  g_assert_cmpint (tacit_shelves_expire (fixture->store, NOW + 7 * HOUR, "press-3", "material_lot", "4473", &error), ==, 1);
  reason2 = cleared_reason (fixture, id2);
  g_assert_cmpstr (reason2, ==, "lot-changed");

  /* No known lot: refused, nothing stored. */
  g_assert_cmpint (tacit_shelves_shelve (fixture->store, fixture->ana, "lot-runs-hard", "stamping", "press-3",
                                         TACIT_SHELF_LOT, "material_lot", NULL, 0, NULL, NOW, &error), ==, 0);
  g_assert_error (error, TACIT_INPUT_ERROR, TACIT_INPUT_ERROR_INVALID);
  g_assert_cmpint (query_int (fixture, "SELECT count (*) FROM shelves"), ==, 2);
}

static void
test_tool (Fixture      *fixture,
           gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  gint64 id;

  id = tacit_shelves_shelve (fixture->store, fixture->ana, "first-article", "stamping", "press-3",
                             TACIT_SHELF_TOOL, "tool_number", "12", 0, NULL, NOW, &error);
  g_assert_no_error (error);
  /* A lot change does not touch a tool shelf. */
  g_hash_table_insert (fixture->values, "material_lot", "4472");
  g_assert_true (shelved (fixture, "first-article", NOW + HOUR, NULL));
  g_hash_table_insert (fixture->values, "tool_number", "14");
  g_assert_false (shelved (fixture, "first-article", NOW + 2 * HOUR, NULL));
  reason = cleared_reason (fixture, id);
  g_assert_cmpstr (reason, ==, "tool-changed");
}

/* "Just this once": the next firing is suppressed, the one after shows. */
static void
test_one_shot (Fixture      *fixture,
               gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  gint64 id, holding = 0;

  id = tacit_shelves_shelve (fixture->store, fixture->ana, "e1234-cold-oil", "stamping", "press-3",
                             TACIT_SHELF_ONE_SHOT, NULL, NULL, 0, "Warm-up", NOW, &error);
  g_assert_no_error (error);
  g_assert_true (shelved (fixture, "e1234-cold-oil", NOW + MINUTE, &holding));
  g_assert_cmpint (holding, ==, id);
  reason = cleared_reason (fixture, id);
  g_assert_cmpstr (reason, ==, "fired-once");
  g_assert_false (shelved (fixture, "e1234-cold-oil", NOW + 2 * MINUTE, NULL));

  /* A standing timed shelf is used before a one-shot is spent. */
  id = tacit_shelves_shelve (fixture->store, fixture->ana, "e1234-cold-oil", "stamping", "press-3",
                             TACIT_SHELF_ONE_SHOT, NULL, NULL, 0, NULL, NOW + 3 * MINUTE, &error);
  tacit_shelves_shelve (fixture->store, fixture->ana, "e1234-cold-oil", "stamping", NULL,
                        TACIT_SHELF_TIMED, NULL, NULL, HOUR, NULL, NOW + 3 * MINUTE, &error);
  g_assert_true (shelved (fixture, "e1234-cold-oil", NOW + 4 * MINUTE, &holding));
  g_assert_cmpint (holding, !=, id);
  g_assert_cmpint (query_int (fixture, "SELECT count (*) FROM shelves WHERE cleared_at IS NULL"), ==, 2);
}

static void
test_clear_and_roles (Fixture      *fixture,
                      gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) open = NULL;
  g_autoptr(GPtrArray) all = NULL;
  gint64 id;

  /* Nobody signed in: refused and audited. */
  g_assert_cmpint (tacit_shelves_shelve (fixture->store, NULL, "hot-oil", "stamping", NULL,
                                         TACIT_SHELF_ONE_SHOT, NULL, NULL, 0, NULL, NOW, &error), ==, 0);
  g_assert_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_cmpint (query_int (fixture, "SELECT count (*) FROM shelves"), ==, 0);

  id = tacit_shelves_shelve (fixture->store, fixture->ana, "hot-oil", "stamping", NULL,
                             TACIT_SHELF_TIMED, NULL, NULL, 8 * HOUR, NULL, NOW, &error);
  g_assert_true (tacit_shelves_clear (fixture->store, fixture->ana, id, NOW + MINUTE, &error));
  g_assert_no_error (error);
  g_assert_false (shelved (fixture, "hot-oil", NOW + 2 * MINUTE, NULL));
  open = tacit_shelves_list (fixture->store, NULL, FALSE, &error);
  g_assert_cmpuint (open->len, ==, 0);
  all = tacit_shelves_list (fixture->store, NULL, TRUE, &error);
  g_assert_cmpuint (all->len, ==, 1);
  g_assert_cmpstr (((TacitShelf *) g_ptr_array_index (all, 0))->cleared_reason, ==, "unshelved");
  g_assert_cmpint (((TacitShelf *) g_ptr_array_index (all, 0))->cleared_at, ==, NOW + MINUTE);
  g_assert_cmpint (query_int (fixture, "SELECT count (*) FROM audit WHERE action = 'shelf.clear'"
                                       " AND actor = 'op-117'"), ==, 1);
  g_assert_false (tacit_shelves_clear (fixture->store, fixture->ana, 999, NOW, &error));
  g_assert_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_NOT_FOUND);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/shelves/timed", test_timed);
  ADD ("/shelves/timed-without-firing", test_timed_without_firing);
  ADD ("/shelves/lot", test_lot);
  ADD ("/shelves/tool", test_tool);
  ADD ("/shelves/one-shot", test_one_shot);
  ADD ("/shelves/clear-and-roles", test_clear_and_roles);
#undef ADD
  return g_test_run ();
}
