/* test-operators.c: kiosk operators (PIN hashes, sign-in, lock-out) and
 * the kiosk's store tables (responses with latency, undo, held
 * suggestions, a rule's record).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "tacit-engine.h"
#include "tacit-error.h"
#include "tacit-kiosk-store.h"
#include "tacit-library-xml.h"
#include "tacit-operators.h"
#include "tacit-store-private.h"
#include "tacit-test-utils.h"

#define NOW G_GINT64_CONSTANT (1790000000000000)

static TacitStore *
new_store (void)
{
  g_autofree char *dir = tacit_test_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "kiosk.db", NULL);
  g_autoptr(GError) error = NULL;
  TacitStore *store = tacit_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

static gint64
query_int (TacitStore *store,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (_tacit_store_get_db (store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static void
test_pin_hash (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = tacit_pin_hash ("1234", &error);
  g_autofree char *again = tacit_pin_hash ("1234", NULL);

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (hash, "$argon2id$"));
  g_assert_cmpstr (hash, !=, again);   /* salted */
  g_assert_true (tacit_pin_verify (hash, "1234"));
  g_assert_false (tacit_pin_verify (hash, "1235"));
  g_assert_false (tacit_pin_verify (hash, ""));
  g_assert_null (tacit_pin_hash ("12a4", &error));
  g_assert_error (error, TACIT_OPERATOR_ERROR, TACIT_OPERATOR_ERROR_BAD_PIN);
  g_clear_error (&error);
  g_assert_null (tacit_pin_hash ("123", &error));
  g_assert_error (error, TACIT_OPERATOR_ERROR, TACIT_OPERATOR_ERROR_BAD_PIN);
}

static void
test_plain_pin_refused_by_store (void)
{
  g_autoptr(TacitStore) store = new_store ();
  char *message = NULL;
  int rc = sqlite3_exec (_tacit_store_get_db (store),
                         "INSERT INTO operators (badge, name, role, pin_hash, created)"
                         " VALUES ('1', 'X', 'operator', '1234', 0)", NULL, NULL, &message);

  g_assert_cmpint (rc & 0xff, ==, SQLITE_CONSTRAINT);
  sqlite3_free (message);
}

static void
test_sign_in_and_lockout (void)
{
  g_autoptr(TacitStore) store = new_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitOperator) op = NULL;

  g_assert_true (tacit_operators_put (store, "117", "Ana R.", TACIT_ROLE_OPERATOR, "1234", tacit_test_actor ("test"), &error));
  g_assert_no_error (error);
  g_assert_false (tacit_operators_put (store, "op-1", "X", TACIT_ROLE_OPERATOR, "1234", tacit_test_actor ("test"), &error));
  g_assert_error (error, TACIT_OPERATOR_ERROR, TACIT_OPERATOR_ERROR_BAD_BADGE);
  g_clear_error (&error);
  g_assert_cmpuint (tacit_operators_count (store, NULL), ==, 1);

  g_assert_null (tacit_operators_sign_in (store, "999", "1234", "s1", NOW, &error));
  g_assert_error (error, TACIT_OPERATOR_ERROR, TACIT_OPERATOR_ERROR_UNKNOWN);
  g_clear_error (&error);

  op = tacit_operators_sign_in (store, "117", "1234", "s1", NOW, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (op->name, ==, "Ana R.");
  g_assert_cmpint (op->role, ==, TACIT_ROLE_OPERATOR);

  for (guint i = 0; i < TACIT_OPERATORS_MAX_FAILURES; i++)
    {
      g_assert_null (tacit_operators_sign_in (store, "117", "0000", "s1", NOW + i, &error));
      g_assert_error (error, TACIT_OPERATOR_ERROR, TACIT_OPERATOR_ERROR_WRONG_PIN);
      g_clear_error (&error);
    }
  /* Locked: the right PIN is refused until the lock-out has passed. */
  g_assert_null (tacit_operators_sign_in (store, "117", "1234", "s1", NOW + 10, &error));
  g_assert_error (error, TACIT_OPERATOR_ERROR, TACIT_OPERATOR_ERROR_LOCKED);
  g_clear_error (&error);
  g_clear_pointer (&op, tacit_operator_free);
  op = tacit_operators_sign_in (store, "117", "1234", "s1", NOW + 4 + TACIT_OPERATORS_LOCKOUT, &error);
  g_assert_no_error (error);
  g_assert_nonnull (op);
  g_assert_cmpint (query_int (store, "SELECT count (*) FROM sign_ins WHERE ok = 0"), ==, 5);
  g_assert_cmpint (query_int (store, "SELECT count (*) FROM sign_ins WHERE ok = 1"), ==, 2);
  /* The audit log never sees a PIN or its hash. */
  g_assert_cmpint (query_int (store, "SELECT count (*) FROM audit WHERE detail LIKE '%argon%'"
                                     " OR detail LIKE '%1234%'"), ==, 0);
}

static void
collect_cb (TacitSuggestion *suggestion,
            gpointer         user_data)
{
  g_ptr_array_add (user_data, tacit_suggestion_ref (suggestion));
}

/* Two live suggestions of the demo library, stored. */
static GPtrArray *
store_demo_suggestions (TacitStore *store)
{
  g_autofree char *path = g_build_filename (TACIT_SOURCE_DATADIR, "demo", "stamping-line.xml", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitLibrary) library = tacit_library_load_file (path, &error);
  g_autoptr(TacitEngine) engine = NULL;
  GPtrArray *fired = g_ptr_array_new_with_free_func ((GDestroyNotify) tacit_suggestion_unref);
  TacitEvent events[] = {
    { NOW, "press-3", TACIT_KIND_SAMPLE, "oil_temp", "25", NULL, NULL },
    { NOW + 1000000, "press-3", TACIT_KIND_EVENT, "material_lot", "4471", NULL, NULL },
    { NOW + 2000000, "press-3", TACIT_KIND_CONDITION, "hydraulic", "fault", "E1234", NULL },
  };

  g_assert_no_error (error);
  engine = tacit_engine_new (library);
  tacit_engine_set_fired_func (engine, collect_cb, fired);
  for (guint i = 0; i < G_N_ELEMENTS (events); i++)
    g_assert_true (tacit_engine_push (engine, &events[i], NULL));
  g_assert_cmpuint (fired->len, ==, 2);
  g_assert_true (tacit_store_record_suggestions (store, (TacitSuggestion **) fired->pdata, fired->len, &error));
  g_assert_no_error (error);
  return fired;
}

static void
test_responses (void)
{
  g_autoptr(TacitStore) store = new_store ();
  g_autoptr(GPtrArray) fired = store_demo_suggestions (store);
  TacitSuggestion *first = g_ptr_array_index (fired, 0);
  TacitSuggestion *second = g_ptr_array_index (fired, 1);
  g_autoptr(GError) error = NULL;
  TacitRuleRecord record;
  gint64 id;

  id = tacit_kiosk_record_response (store, first->id, TACIT_RESPONSE_ACCEPTED, NULL, "op-117",
                                    "stamping", NOW, 2300, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (query_int (store, "SELECT latency_ms FROM responses"), ==, 2300);
  g_assert_true (tacit_kiosk_rule_record (store, first->rule->id, &record, &error));
  g_assert_cmpuint (record.fired, ==, 1);
  g_assert_cmpuint (record.accepted, ==, 1);

  /* Undo: the row goes, the audit keeps both. */
  g_assert_true (tacit_kiosk_undo_response (store, id, "op-117", &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (store, "SELECT count (*) FROM responses"), ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count (*) FROM audit WHERE action LIKE 'suggestion.respond%'"), ==, 2);
  g_assert_false (tacit_kiosk_undo_response (store, id, "op-117", &error));
  g_assert_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* An unknown suggestion: nothing lands. */
  g_assert_cmpint (tacit_kiosk_record_response (store, "nope", TACIT_RESPONSE_DISMISSED, "wrong",
                                                "op-117", NULL, NOW, 10, &error), ==, 0);
  g_assert_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Held, counted per station, released. */
  g_assert_true (tacit_kiosk_hold_suggestion (store, second->id, "stamping", NOW, &error));
  g_assert_true (tacit_kiosk_hold_suggestion (store, second->id, "stamping", NOW, &error));
  g_assert_cmpuint (tacit_kiosk_count_held (store, "stamping", NULL), ==, 1);
  g_assert_cmpuint (tacit_kiosk_count_held (store, "machining", NULL), ==, 0);
  g_assert_true (tacit_kiosk_release_held (store, second->id, NOW + 1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tacit_kiosk_count_held (store, "stamping", NULL), ==, 0);
  g_assert_false (tacit_kiosk_hold_suggestion (store, "nope", "stamping", NOW, &error));
  g_assert_nonnull (error);
}

#define MINUTE (G_GINT64_CONSTANT (60) * G_USEC_PER_SEC)

/* Unanswered suggestions expire after the timeout or at the next shift. */
static void
test_expiry (void)
{
  g_autoptr(TacitStore) store = new_store ();
  g_autoptr(GPtrArray) fired = store_demo_suggestions (store);
  TacitSuggestion *first = g_ptr_array_index (fired, 0);
  TacitSuggestion *second = g_ptr_array_index (fired, 1);
  const char *const press3[] = { "press-3", NULL };
  const char *const press1[] = { "press-1", NULL };
  /* 2026-11-02 13:50 and 14:10 UTC: a shift begins at 14:00. */
  TacitTime before_shift = G_GINT64_CONSTANT (1794145800000000);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GPtrArray) both = NULL;
  g_autoptr(GPtrArray) one = NULL;
  g_autoptr(GPtrArray) held = NULL;
  g_autoptr(GPtrArray) elsewhere = NULL;
  g_autoptr(GPtrArray) older = NULL;

  g_assert_false (tacit_kiosk_suggestion_expired (NOW, NOW + 29 * MINUTE, 30 * MINUTE));
  g_assert_true (tacit_kiosk_suggestion_expired (NOW, NOW + 30 * MINUTE, 30 * MINUTE));
  g_assert_false (tacit_kiosk_suggestion_expired (before_shift, before_shift + 9 * MINUTE, 30 * MINUTE));
  g_assert_true (tacit_kiosk_suggestion_expired (before_shift, before_shift + 10 * MINUTE, 30 * MINUTE));
  g_assert_true (tacit_kiosk_suggestion_expired (before_shift, before_shift + 20 * MINUTE, 30 * MINUTE));

  none = tacit_kiosk_list_expired (store, press3, NOW - 60 * MINUTE, NOW + 10 * MINUTE, 30 * MINUTE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);
  both = tacit_kiosk_list_expired (store, press3, NOW - 60 * MINUTE, NOW + 31 * MINUTE, 30 * MINUTE, &error);
  g_assert_cmpuint (both->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (both, 0), ==, first->id);   /* oldest first */
  elsewhere = tacit_kiosk_list_expired (store, press1, NOW - 60 * MINUTE, NOW + 31 * MINUTE, 30 * MINUTE, &error);
  g_assert_cmpuint (elsewhere->len, ==, 0);
  older = tacit_kiosk_list_expired (store, NULL, NOW + 10 * MINUTE, NOW + 31 * MINUTE, 30 * MINUTE, &error);
  g_assert_cmpuint (older->len, ==, 0);

  /* Answered ones are not open; held ones wait behind their counter. */
  g_assert_cmpint (tacit_kiosk_record_response (store, first->id, TACIT_RESPONSE_EXPIRED, NULL, NULL,
                                                "stamping", NOW + 31 * MINUTE, -1, &error), >, 0);
  g_assert_no_error (error);
  one = tacit_kiosk_list_expired (store, NULL, NOW - 60 * MINUTE, NOW + 31 * MINUTE, 30 * MINUTE, &error);
  g_assert_cmpuint (one->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (one, 0), ==, second->id);
  g_assert_true (tacit_kiosk_hold_suggestion (store, second->id, "stamping", NOW, &error));
  held = tacit_kiosk_list_expired (store, NULL, NOW - 60 * MINUTE, NOW + 31 * MINUTE, 30 * MINUTE, &error);
  g_assert_cmpuint (held->len, ==, 0);
  g_assert_cmpint (query_int (store, "SELECT count (*) FROM responses WHERE response = 'expired'"
                                     " AND actor IS NULL"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/operators/pin-hash", test_pin_hash);
  g_test_add_func ("/operators/plain-pin-refused", test_plain_pin_refused_by_store);
  g_test_add_func ("/operators/sign-in-and-lockout", test_sign_in_and_lockout);
  g_test_add_func ("/kiosk-store/responses", test_responses);
  g_test_add_func ("/kiosk-store/expiry", test_expiry);
  return g_test_run ();
}
