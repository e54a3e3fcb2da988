/* test-access.c: roles enforced by the core (issue: nothing let in).
 *
 * The store functions themselves refuse an operator what only an engineer
 * may do, whatever the UI shows; every refusal is in the audit log and
 * changes nothing; every sign-in attempt is audited.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "tacit-dataset.h"
#include "tacit-error.h"
#include "tacit-library-xml.h"
#include "tacit-operators.h"
#include "tacit-store-private.h"
#include "tacit-test-utils.h"

typedef struct {
  char         *dir;
  TacitStore   *store;
  TacitLibrary *library;
} Fixture;

static gint64
query_int (TacitStore *store,
           const char *sql)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = _tacit_store_prepare (store, sql, &error);
  gint64 value;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  f->dir = tacit_test_tmpdir ();
  path = g_build_filename (f->dir, "access.db", NULL);
  f->store = tacit_store_open (path, &error);
  g_assert_no_error (error);
  f->library = tacit_library_load_file (TACIT_SOURCE_DATADIR "/demo/stamping-line.xml", &error);
  g_assert_no_error (error);
  g_assert_true (tacit_store_import_library (f->store, f->library, tacit_test_actor ("eng-4"), &error));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  g_clear_object (&f->library);
  g_free (f->dir);
}

static TacitRule *
copy_rule (Fixture    *f,
           const char *id)
{
  const TacitRule *rule = tacit_library_lookup_rule (f->library, id);

  g_assert_nonnull (rule);
  return tacit_rule_copy (rule);
}

/* Saving rule as actor fails with PERMISSION, leaves the stored rule at
 * its revision, and leaves one more access.denied row. */
static void
assert_save_refused (Fixture             *f,
                     TacitRule           *rule,
                     guint                base,
                     const TacitOperator *actor,
                     const char          *what)
{
  g_autoptr(GError) error = NULL;
  gint64 denied = query_int (f->store, "SELECT count(*) FROM audit WHERE action = 'access.denied'");
  gint64 revisions = query_int (f->store, "SELECT count(*) FROM rules");

  g_assert_false (tacit_store_save_rule (f->store, rule, base, actor, &error));
  g_assert_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, what));
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM rules"), ==, revisions);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM audit WHERE action = 'access.denied'"), ==, denied + 1);
}

static void
test_operator_proposes (Fixture       *f,
                        gconstpointer  data)
{
  const TacitOperator *op = tacit_test_actor ("op-117");
  g_autoptr(TacitRule) rule = copy_rule (f, "coil-b-hot-oil");
  g_autoptr(GError) error = NULL;

  g_free (rule->id);
  rule->id = g_strdup ("op-117-new-idea");
  rule->status = TACIT_RULE_STATUS_PROPOSED;
  g_assert_true (tacit_store_save_rule (f->store, rule, 0, op, &error));
  g_assert_no_error (error);
  /* A proposal not yet decided can be revised by its author. */
  g_assert_true (tacit_store_save_rule (f->store, rule, 1, op, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM rules WHERE id = 'op-117-new-idea' AND saved_by = 'op-117'"), ==, 2);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM audit WHERE action = 'rule.save' AND actor = 'op-117'"), ==, 2);
}

static void
test_operator_cannot_approve_or_retire (Fixture       *f,
                                        gconstpointer  data)
{
  const TacitOperator *op = tacit_test_actor ("op-117");
  g_autoptr(TacitRule) proposed = copy_rule (f, "supplier-c-dry-coil");
  g_autoptr(TacitRule) approved = copy_rule (f, "coil-b-hot-oil");
  g_autoptr(TacitRule) fresh = copy_rule (f, "coil-b-hot-oil");
  guint head = 1;

  proposed->status = TACIT_RULE_STATUS_APPROVED;
  assert_save_refused (f, proposed, head, op, "only an engineer may review rules");
  proposed->status = TACIT_RULE_STATUS_RETIRED;
  assert_save_refused (f, proposed, head, op, "only an engineer may retire rules");
  approved->status = TACIT_RULE_STATUS_RETIRED;
  assert_save_refused (f, approved, 3, op, "only an engineer may retire rules");
  /* Editing an approved rule, even keeping its status, is an engineer's job. */
  approved->status = TACIT_RULE_STATUS_APPROVED;
  approved->cooldown = 1;
  assert_save_refused (f, approved, 3, op, "only an engineer may edit rules");
  /* So is a new rule that skips review. */
  g_free (fresh->id);
  fresh->id = g_strdup ("sneaked-in");
  assert_save_refused (f, fresh, 0, op, "only an engineer may review rules");
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM audit WHERE action = 'access.denied' AND actor = 'op-117'"), ==, 5);
}

static void
test_engineer_decides (Fixture       *f,
                       gconstpointer  data)
{
  const TacitOperator *eng = tacit_test_actor ("eng-4");
  g_autoptr(TacitRule) proposed = copy_rule (f, "supplier-c-dry-coil");
  g_autoptr(GError) error = NULL;

  proposed->status = TACIT_RULE_STATUS_APPROVED;
  g_assert_true (tacit_store_save_rule (f->store, proposed, 1, eng, &error));
  g_assert_no_error (error);
  proposed->status = TACIT_RULE_STATUS_RETIRED;
  g_assert_true (tacit_store_save_rule (f->store, proposed, 2, eng, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM audit WHERE action = 'access.denied'"), ==, 0);
}

static void
test_operator_cannot_import_export_or_manage (Fixture       *f,
                                              gconstpointer  data)
{
  const TacitOperator *op = tacit_test_actor ("op-117");
  g_autofree char *out = g_build_filename (f->dir, "dataset", NULL);
  g_autoptr(GError) error = NULL;
  TacitDatasetOptions options;
  gint64 rules = query_int (f->store, "SELECT count(*) FROM rules");

  g_assert_false (tacit_store_import_library (f->store, f->library, op, &error));
  g_assert_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_PERMISSION);
  g_assert_cmpstr (error->message, ==, "Person 117 (badge 117) is an operator: only an engineer may import");
  g_clear_error (&error);

  tacit_dataset_options_init (&options);
  options.actor = op;
  g_assert_false (tacit_dataset_export (f->store, out, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_PERMISSION);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  g_assert_false (tacit_operators_put (f->store, "118", "Mallory", TACIT_ROLE_ENGINEER, "1111", op, &error));
  g_assert_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_PERMISSION);
  g_clear_error (&error);

  /* Nobody at all may do anything. */
  options.actor = NULL;
  g_assert_false (tacit_dataset_export (f->store, out, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_PERMISSION);
  g_clear_error (&error);

  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM rules"), ==, rules);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM operators"), ==, 0);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM audit WHERE action = 'access.denied'"), ==, 4);

  /* The engineer may do all three. */
  options.actor = tacit_test_actor ("eng-4");
  g_assert_true (tacit_dataset_export (f->store, out, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (tacit_operators_put (f->store, "118", "Mia", TACIT_ROLE_OPERATOR, "1111",
                                      tacit_test_actor ("eng-4"), &error));
  g_assert_no_error (error);
}

static void
test_sign_ins_audited (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitOperator) op = NULL;
  gint64 now = g_get_real_time ();

  g_assert_true (tacit_operators_put (f->store, "117", "Ana R.", TACIT_ROLE_OPERATOR, "1234",
                                      tacit_test_actor ("eng-4"), &error));
  g_assert_null (tacit_operators_sign_in (f->store, "117", "9999", "press-line", now, &error));
  g_assert_error (error, TACIT_OPERATOR_ERROR, TACIT_OPERATOR_ERROR_WRONG_PIN);
  g_clear_error (&error);
  op = tacit_operators_sign_in (f->store, "117", "1234", "press-line", now + 1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (op);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM audit WHERE action = 'operator.sign-in.failed'"
                                        " AND subject = '117' AND detail = 'press-line'"), ==, 1);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM audit WHERE action = 'operator.sign-in'"
                                        " AND subject = '117'"), ==, 1);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM audit WHERE action = 'operator.put'"
                                        " AND actor = 'eng-4' AND subject = '117'"), ==, 1);
}

/* Callers that only want a yes or no pass no GError. */
static void
test_refusal_without_error (Fixture       *f,
                            gconstpointer  data)
{
  const TacitOperator *op = tacit_test_actor ("op-117");
  g_autoptr(TacitRule) approved = copy_rule (f, "coil-b-hot-oil");

  g_assert_false (tacit_store_check_access (f->store, op, TACIT_PERMISSION_LEAVE_KIOSK, "kiosk", NULL));
  approved->status = TACIT_RULE_STATUS_RETIRED;
  g_assert_false (tacit_store_save_rule (f->store, approved, 3, op, NULL));
  g_assert_true (tacit_store_check_access (f->store, tacit_test_actor ("eng-4"), TACIT_PERMISSION_LEAVE_KIOSK,
                                           "kiosk", NULL));
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM audit WHERE action = 'access.denied'"), ==, 2);
}

static void
test_roles_table (void)
{
  for (TacitPermission p = TACIT_PERMISSION_PROPOSE; p <= TACIT_PERMISSION_LEAVE_KIOSK; p++)
    {
      gboolean operator_may = p == TACIT_PERMISSION_PROPOSE || p == TACIT_PERMISSION_RESPOND;

      g_assert_cmpint (tacit_role_allows (TACIT_ROLE_OPERATOR, p), ==, operator_may);
      g_assert_true (tacit_role_allows (TACIT_ROLE_ENGINEER, p));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/access/roles-table", test_roles_table);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/access/operator-proposes", test_operator_proposes);
  ADD ("/access/operator-cannot-approve-or-retire", test_operator_cannot_approve_or_retire);
  ADD ("/access/engineer-decides", test_engineer_decides);
  ADD ("/access/operator-cannot-import-export-or-manage", test_operator_cannot_import_export_or_manage);
  ADD ("/access/sign-ins-audited", test_sign_ins_audited);
  ADD ("/access/refusal-without-error", test_refusal_without_error);
#undef ADD
  return g_test_run ();
}
