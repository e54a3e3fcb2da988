/* test-review.c: review decisions (roles, conflicts, one transaction,
 * what the author sees), duplicate detection and merging with both
 * authors' credit, and retirement proposals against hand-computed
 * evidence.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "tacit-duplicates.h"
#include "tacit-error.h"
#include "tacit-library-xml.h"
#include "tacit-retirement.h"
#include "tacit-review.h"
#include "tacit-test-utils.h"

#define RULE(id, status, scope, on, author) \
  "  <rule id=\"" id "\" kind=\"override\" status=\"" status "\">\n" \
  "    <title>" id "</title>\n" scope \
  "    " on "\n" \
  "    <advise><text>Advice of " id "</text></advise>\n" \
  "    <rationale>Why " id "</rationale>\n" \
  "    <provenance author=\"" author "\"/>\n" \
  "  </rule>\n"

#define HYD "<on kind=\"condition\" item=\"hydraulic\" value=\"fault\" code=\"E1234\"/>"

static const char library_xml[] =
  "<library xmlns=\"urn:tacit:rules:1\" name=\"Review\" revision=\"1\">\n"
  "  <machines>\n"
  "    <machine id=\"press-1\" class=\"press\" cell=\"stamping\"/>\n"
  "    <machine id=\"press-2\" class=\"press\" cell=\"stamping\"/>\n"
  "    <machine id=\"cnc-1\" class=\"cnc\" cell=\"machining\"/>\n"
  "  </machines>\n"
  RULE ("a-hyd", "proposed", "    <scope machine=\"press-1\"/>\n", HYD, "op-117")
  RULE ("b-hyd", "proposed", "    <scope class=\"press\"/>\n", HYD, "op-204")
  RULE ("c-hyd", "approved", "    <scope cell=\"machining\"/>\n", HYD, "op-311")
  RULE ("d-hyd", "approved", "",
        "<on kind=\"condition\" item=\"hydraulic\" value=\"fault\" code=\"E99\"/>", "op-311")
  RULE ("e-lot", "proposed", "", "<on kind=\"event\" item=\"material_lot\"/>", "op-117")
  RULE ("f-lot", "retired", "", "<on kind=\"event\" item=\"material_lot\"/>", "op-522")
  "</library>\n";

typedef struct {
  char       *path;
  TacitStore *store;
  sqlite3    *db;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = tacit_test_tmpdir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitLibrary) library = tacit_library_load_data (library_xml, strlen (library_xml), "review.xml", &error);

  g_assert_no_error (error);
  f->path = g_build_filename (dir, "review.db", NULL);
  f->store = tacit_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (tacit_store_import_library (f->store, library, tacit_test_actor ("tacit-test"), &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open (f->path, &f->db), ==, SQLITE_OK);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  sqlite3_close (f->db);
  g_clear_object (&f->store);
  g_free (f->path);
}

static gint64
query_int (Fixture *f, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (f->db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static char *
query_text (Fixture *f, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (f->db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

static TacitRule *
head (Fixture *f, const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) revisions = tacit_store_list_rule_revisions (f->store, id, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (revisions->len, >, 0);
  return tacit_rule_ref (g_ptr_array_index (revisions, revisions->len - 1));
}

/* ---- decisions ---- */

static void
test_operator_refused (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitRule) rule = NULL;

  g_assert_false (tacit_review_decide (f->store, "a-hyd", 1, TACIT_REVIEW_APPROVED, NULL,
                                       tacit_test_actor ("op-117"), &error));
  g_assert_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (tacit_review_decide (f->store, "c-hyd", 1, TACIT_REVIEW_RETIRED, NULL,
                                       tacit_test_actor ("op-117"), &error));
  g_assert_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (tacit_review_merge (f->store, "a-hyd", 1, "b-hyd", 1, tacit_test_actor ("op-204"), &error));
  g_assert_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_PERMISSION);

  /* Nothing changed, no review; the refusals are audited. */
  rule = head (f, "a-hyd");
  g_assert_cmpuint (rule->revision, ==, 1);
  g_assert_cmpint (rule->status, ==, TACIT_RULE_STATUS_PROPOSED);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM reviews"), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM audit WHERE action = 'access.denied' "
                                 "AND actor IN ('op-117', 'op-204')"), ==, 3);
}

static void
test_approve (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitRule) rule = NULL;
  g_autoptr(GPtrArray) reviews = NULL;
  g_autofree char *detail = NULL;
  TacitReview *review;

  g_assert_true (tacit_review_decide (f->store, "a-hyd", 1, TACIT_REVIEW_APPROVED, NULL,
                                      tacit_test_actor ("eng-4"), &error));
  g_assert_no_error (error);
  rule = head (f, "a-hyd");
  g_assert_cmpuint (rule->revision, ==, 2);
  g_assert_cmpint (rule->status, ==, TACIT_RULE_STATUS_APPROVED);
  g_assert_cmpstr (rule->provenance.author, ==, "op-117");
  g_assert_cmpstr (rule->provenance.reviewer, ==, "eng-4");
  g_assert_nonnull (rule->provenance.reviewed);

  reviews = tacit_review_list_for_rule (f->store, "a-hyd", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reviews->len, ==, 1);
  review = g_ptr_array_index (reviews, 0);
  g_assert_cmpint (review->decision, ==, TACIT_REVIEW_APPROVED);
  g_assert_cmpuint (review->revision, ==, 1);
  g_assert_cmpstr (review->actor, ==, "eng-4");
  g_assert_null (review->comment);
  g_assert_cmpint (review->seen_at, ==, 0);
  detail = query_text (f, "SELECT detail FROM audit WHERE action = 'review.approved' AND subject = 'a-hyd'");
  g_assert_cmpstr (detail, ==, "revision 1");
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM rules WHERE id = 'a-hyd' AND revision = 2 "
                                 "AND status = 'approved' AND saved_by = 'eng-4'"), ==, 1);

  /* Approving again is nothing to decide. */
  g_assert_false (tacit_review_decide (f->store, "a-hyd", 2, TACIT_REVIEW_APPROVED, NULL,
                                       tacit_test_actor ("eng-4"), &error));
  g_assert_error (error, TACIT_REVIEW_ERROR, TACIT_REVIEW_ERROR_INVALID);
}

static void
test_conflict_and_missing (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tacit_review_decide (f->store, "e-lot", 1, TACIT_REVIEW_APPROVED, NULL,
                                      tacit_test_actor ("eng-4"), &error));
  /* A second engineer decided on the revision the first already changed. */
  g_assert_false (tacit_review_decide (f->store, "e-lot", 1, TACIT_REVIEW_RETIRED, NULL,
                                       tacit_test_actor ("eng-9"), &error));
  g_assert_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_false (tacit_review_decide (f->store, "no-such", 1, TACIT_REVIEW_APPROVED, NULL,
                                       tacit_test_actor ("eng-4"), &error));
  g_assert_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_NOT_FOUND);
  /* The failed decisions left no review and no revision behind. */
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM reviews"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT max(revision) FROM rules WHERE id = 'e-lot'"), ==, 2);
}

static void
test_send_back_seen (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) unseen = NULL;
  g_autoptr(GPtrArray) other = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(TacitRule) rule = NULL;
  TacitReview *review;

  g_assert_false (tacit_review_decide (f->store, "e-lot", 1, TACIT_REVIEW_SENT_BACK, "  ",
                                       tacit_test_actor ("eng-4"), &error));
  g_assert_error (error, TACIT_REVIEW_ERROR, TACIT_REVIEW_ERROR_COMMENT_REQUIRED);
  g_clear_error (&error);
  g_assert_false (tacit_review_decide (f->store, "a-hyd", 1, TACIT_REVIEW_REJECTED, NULL,
                                       tacit_test_actor ("eng-4"), &error));
  g_assert_error (error, TACIT_REVIEW_ERROR, TACIT_REVIEW_ERROR_COMMENT_REQUIRED);
  g_clear_error (&error);

  g_assert_true (tacit_review_decide (f->store, "e-lot", 1, TACIT_REVIEW_SENT_BACK,
                                      "Which lot? Name it in the trigger.", tacit_test_actor ("eng-4"), &error));
  g_assert_no_error (error);
  g_assert_true (tacit_review_decide (f->store, "a-hyd", 1, TACIT_REVIEW_REJECTED,
                                      "E1234 on press 1 is real: the pump is worn.", tacit_test_actor ("eng-4"),
                                      &error));
  g_assert_no_error (error);
  rule = head (f, "e-lot");
  g_assert_cmpint (rule->status, ==, TACIT_RULE_STATUS_DRAFT);
  g_clear_pointer (&rule, tacit_rule_unref);
  rule = head (f, "a-hyd");
  g_assert_cmpint (rule->status, ==, TACIT_RULE_STATUS_DRAFT);

  /* op-117 authored both: newest first. op-204 has nothing. */
  unseen = tacit_review_list_unseen_for (f->store, "op-117", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (unseen->len, ==, 2);
  review = g_ptr_array_index (unseen, 0);
  g_assert_cmpstr (review->rule_id, ==, "a-hyd");
  g_assert_cmpint (review->decision, ==, TACIT_REVIEW_REJECTED);
  review = g_ptr_array_index (unseen, 1);
  g_assert_cmpstr (review->rule_id, ==, "e-lot");
  g_assert_cmpint (review->decision, ==, TACIT_REVIEW_SENT_BACK);
  g_assert_cmpstr (review->comment, ==, "Which lot? Name it in the trigger.");
  other = tacit_review_list_unseen_for (f->store, "op-11", &error);
  g_assert_cmpuint (other->len, ==, 0);

  g_assert_true (tacit_review_mark_seen (f->store, review->id, &error));
  after = tacit_review_list_unseen_for (f->store, "op-117", &error);
  g_assert_cmpuint (after->len, ==, 1);
  g_assert_cmpstr (((TacitReview *) g_ptr_array_index (after, 0))->rule_id, ==, "a-hyd");
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM reviews WHERE seen_at IS NOT NULL"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM audit WHERE action = 'review.sent-back'"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM audit WHERE action = 'review.rejected'"), ==, 1);
}

static void
test_retire (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitRule) rule = NULL;

  g_assert_true (tacit_review_decide (f->store, "c-hyd", 1, TACIT_REVIEW_RETIRED, "Cell rebuilt",
                                      tacit_test_actor ("eng-4"), &error));
  g_assert_no_error (error);
  rule = head (f, "c-hyd");
  g_assert_cmpint (rule->status, ==, TACIT_RULE_STATUS_RETIRED);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM reviews WHERE rule_id = 'c-hyd' "
                                 "AND decision = 'retired' AND comment = 'Cell rebuilt'"), ==, 1);
}

static void
test_source_event (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *unknown = NULL;
  g_autofree char *odd = NULL;
  TacitEvent event = { 0 };

  /* 2026-11-02T06:01:00.250Z, as the kiosk names it (milliseconds). */
  event.time = G_GINT64_CONSTANT (1793599260250000) + 999;
  event.machine = "press-1";
  event.kind = TACIT_KIND_CONDITION;
  event.item = "hydraulic";
  event.value = "fault";
  event.code = "E1234";
  event.text = "Pressure low";
  g_assert_true (tacit_store_insert_events (f->store, &event, 1, NULL, &error));
  g_assert_no_error (error);

  stored = tacit_review_describe_source_event (f->store, "press-1/hydraulic@2026-11-02T06:01:00.250Z");
  g_assert_cmpstr (stored, ==, "press-1 · condition hydraulic = fault, code E1234 · “Pressure low” · "
                               "2026-11-02T06:01:00.250Z");
  /* Not stored (a live event): the reference as the kiosk wrote it. */
  unknown = tacit_review_describe_source_event (f->store, "press-2/hydraulic@2026-11-02T06:01:00.250Z");
  g_assert_cmpstr (unknown, ==, "press-2/hydraulic@2026-11-02T06:01:00.250Z");
  odd = tacit_review_describe_source_event (f->store, "no time here");
  g_assert_cmpstr (odd, ==, "no time here");
  g_assert_null (tacit_review_describe_source_event (f->store, NULL));
}

/* ---- duplicates ---- */

static void
test_duplicates_find (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitLibrary) library = tacit_store_load_library (f->store, &error);
  g_autoptr(GPtrArray) dups = NULL;
  TacitDuplicate *dup;

  g_assert_no_error (error);
  /* a (press-1) and b (class press) share E1234 on press-1; c (cell
   * machining) shares the trigger but no machine; d has another code;
   * e and f share a trigger but f is retired. */
  dups = tacit_duplicates_find (library);
  g_assert_cmpuint (dups->len, ==, 1);
  dup = g_ptr_array_index (dups, 0);
  g_assert_cmpstr (dup->rule_a, ==, "a-hyd");
  g_assert_cmpstr (dup->rule_b, ==, "b-hyd");
  g_assert_cmpstr (dup->trigger, ==, "condition hydraulic code=E1234 eq fault");
}

static void
test_scopes_overlap (void)
{
  g_autoptr(TacitLibrary) library = tacit_library_new ();
  g_autoptr(TacitRule) a = tacit_rule_new ();
  g_autoptr(TacitRule) b = tacit_rule_new ();
  TacitScope sa = { TACIT_SCOPE_CLASS, (char *) "lathe" };
  TacitScope sb = { TACIT_SCOPE_CELL, (char *) "turning" };
  TacitScope sc = { TACIT_SCOPE_CLASS, (char *) "lathe" };
  g_autoptr(TacitLibrary) empty = tacit_library_new ();

  /* The scopes live on the stack. */
  g_ptr_array_set_free_func (a->scopes, NULL);
  g_ptr_array_set_free_func (b->scopes, NULL);
  /* Unscoped overlaps anything. */
  g_assert_true (tacit_duplicates_scopes_overlap (library, a, b));
  g_ptr_array_add (a->scopes, &sa);
  g_assert_true (tacit_duplicates_scopes_overlap (library, a, b));
  /* Class lathe vs cell turning: unknown machines, no overlap... */
  g_ptr_array_add (b->scopes, &sb);
  g_assert_false (tacit_duplicates_scopes_overlap (library, a, b));
  /* ...until the registry puts a lathe into the turning cell. */
  tacit_library_add_machine (library, "lathe-2", NULL, "lathe", "turning");
  g_assert_true (tacit_duplicates_scopes_overlap (library, a, b));
  /* The same class named on both sides overlaps without a registry. */
  g_ptr_array_set_size (b->scopes, 0);
  g_ptr_array_add (b->scopes, &sc);
  g_assert_true (tacit_duplicates_scopes_overlap (empty, a, b));
  g_ptr_array_set_size (a->scopes, 0);
  g_ptr_array_set_size (b->scopes, 0);
}

static void
test_merge (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitRule) keep = NULL;
  g_autoptr(TacitRule) gone = NULL;
  g_autoptr(GPtrArray) reviews = NULL;
  g_autoptr(TacitLibrary) library = NULL;
  g_autoptr(GPtrArray) dups = NULL;
  TacitReview *review;

  g_assert_false (tacit_review_merge (f->store, "a-hyd", 1, "a-hyd", 1, tacit_test_actor ("eng-4"), &error));
  g_assert_error (error, TACIT_REVIEW_ERROR, TACIT_REVIEW_ERROR_INVALID);
  g_clear_error (&error);
  /* A stale base revision of the duplicate rolls back the kept rule too. */
  g_assert_false (tacit_review_merge (f->store, "a-hyd", 1, "b-hyd", 7, tacit_test_actor ("eng-4"), &error));
  g_assert_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_cmpint (query_int (f, "SELECT max(revision) FROM rules WHERE id = 'a-hyd'"), ==, 1);

  g_assert_true (tacit_review_merge (f->store, "a-hyd", 1, "b-hyd", 1, tacit_test_actor ("eng-4"), &error));
  g_assert_no_error (error);
  keep = head (f, "a-hyd");
  g_assert_cmpuint (keep->revision, ==, 2);
  g_assert_cmpint (keep->status, ==, TACIT_RULE_STATUS_PROPOSED);
  g_assert_cmpstr (keep->provenance.author, ==, "op-117 op-204");
  g_assert_cmpstr (keep->rationale, ==, "Why a-hyd\nWhy b-hyd");
  gone = head (f, "b-hyd");
  g_assert_cmpuint (gone->revision, ==, 2);
  g_assert_cmpint (gone->status, ==, TACIT_RULE_STATUS_RETIRED);
  g_assert_cmpstr (gone->provenance.author, ==, "op-204");

  reviews = tacit_review_list_for_rule (f->store, "b-hyd", &error);
  g_assert_cmpuint (reviews->len, ==, 1);
  review = g_ptr_array_index (reviews, 0);
  g_assert_cmpint (review->decision, ==, TACIT_REVIEW_MERGED);
  g_assert_cmpstr (review->comment, ==, "merged into a-hyd");
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM audit WHERE action = 'review.merged' "
                                 "AND subject = 'b-hyd' AND actor = 'eng-4'"), ==, 1);

  library = tacit_store_load_library (f->store, &error);
  dups = tacit_duplicates_find (library);
  g_assert_cmpuint (dups->len, ==, 0);

  /* A later send-back of the merged rule reaches both authors. */
  g_assert_true (tacit_review_decide (f->store, "a-hyd", 2, TACIT_REVIEW_SENT_BACK, "Add the oil condition",
                                      tacit_test_actor ("eng-4"), &error));
  g_clear_pointer (&reviews, g_ptr_array_unref);
  reviews = tacit_review_list_unseen_for (f->store, "op-204", &error);
  g_assert_cmpuint (reviews->len, ==, 1);
  g_clear_pointer (&reviews, g_ptr_array_unref);
  reviews = tacit_review_list_unseen_for (f->store, "op-117", &error);
  g_assert_cmpuint (reviews->len, ==, 1);
}

/* ---- retirement ---- */

static TacitRule *
bare_rule (TacitLibrary *library, const char *id, TacitRuleStatus status)
{
  TacitRule *rule = tacit_rule_new ();

  rule->id = g_strdup (id);
  rule->status = status;
  tacit_library_put_rule (library, rule);
  return rule;
}

static TacitRuleEvidence *
evidence (const char *id, guint64 acc, guint64 dis, guint64 out_acc, guint64 n_acc,
          guint64 out_dis, guint64 n_dis)
{
  TacitRuleEvidence *e = g_new0 (TacitRuleEvidence, 1);

  e->rule = g_strdup (id);
  e->accepted = acc;
  e->dismissed = dis;
  tacit_proportion_init (&e->acceptance, acc, acc + dis);
  tacit_proportion_init (&e->outcome_accepted, out_acc, n_acc);
  tacit_proportion_init (&e->outcome_dismissed, out_dis, n_dis);
  tacit_proportion_init (&e->outcome_shown, 0, 0);
  tacit_proportion_init (&e->outcome_held_out, 0, 0);
  return e;
}

static void
test_retirement (void)
{
  g_autoptr(TacitLibrary) library = tacit_library_new ();
  g_autoptr(GPtrArray) rules = g_ptr_array_new_with_free_func ((GDestroyNotify) tacit_rule_unref);
  g_autoptr(GPtrArray) ev = g_ptr_array_new_with_free_func ((GDestroyNotify) tacit_rule_evidence_free);
  g_autoptr(GPtrArray) proposals = NULL;
  g_autofree char *reasons = NULL;
  TacitRuleStats stats[8] = { 0 };
  const char *ids[] = { "r-chatter", "r-dismissed", "r-draft", "r-effect", "r-few", "r-noeffect", "r-ok", "r-silent" };
  TacitRetirementProposal *p;

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      TacitRule *rule = bare_rule (library, ids[i],
                                   g_str_equal (ids[i], "r-draft") ? TACIT_RULE_STATUS_DRAFT
                                   : g_str_equal (ids[i], "r-silent") ? TACIT_RULE_STATUS_PROPOSED
                                   : TACIT_RULE_STATUS_APPROVED);
      g_ptr_array_add (rules, rule);
      stats[i].rule = rule;
      stats[i].firings = g_str_equal (ids[i], "r-silent") ? 0 : 20;
    }
  stats[0].chattering = TRUE;
  /* 8 of 10 dismissed: exactly the 80 % line. */
  g_ptr_array_add (ev, evidence ("r-dismissed", 2, 8, 0, 0, 0, 0));
  /* 7 of 10: under it. 9 of 9: too few answers. */
  g_ptr_array_add (ev, evidence ("r-ok", 3, 7, 0, 0, 0, 0));
  g_ptr_array_add (ev, evidence ("r-few", 0, 9, 0, 0, 0, 0));
  /* 6/12 vs 5/10: lift 0.0455, Newcombe interval about −0.35 … +0.43. */
  g_ptr_array_add (ev, evidence ("r-noeffect", 12, 10, 6, 12, 5, 10));
  /* 18/20 vs 2/20: lift 0.8, interval well above 0. */
  g_ptr_array_add (ev, evidence ("r-effect", 20, 20, 18, 20, 2, 20));

  /* r-draft never fires either, but is not evaluated: no proposal. */
  stats[2].firings = 0;
  proposals = tacit_retirement_propose (library, stats, G_N_ELEMENTS (stats), 1000, ev);
  g_assert_cmpuint (proposals->len, ==, 4);

  p = g_ptr_array_index (proposals, 0);
  g_assert_cmpstr (p->rule, ==, "r-chatter");
  g_assert_cmpint (p->reasons, ==, TACIT_RETIREMENT_CHATTERING);

  p = g_ptr_array_index (proposals, 1);
  g_assert_cmpstr (p->rule, ==, "r-dismissed");
  g_assert_cmpint (p->reasons, ==, TACIT_RETIREMENT_MOSTLY_DISMISSED);
  g_assert_cmpuint (p->dismissed, ==, 8);
  g_assert_cmpstr (p->evidence, ==, "dismissed 8 of 10 answers (80 %)");

  p = g_ptr_array_index (proposals, 2);
  g_assert_cmpstr (p->rule, ==, "r-noeffect");
  g_assert_cmpint (p->reasons, ==, TACIT_RETIREMENT_NO_EFFECT);
  g_assert_cmpfloat_with_epsilon (p->lift, 6.0 / 12 - 5.0 / 10, 1e-12);
  g_assert_cmpfloat (p->lift_low, <, 0);
  g_assert_cmpfloat (p->lift_high, >, 0);
  g_assert_cmpuint (p->lift_n_a, ==, 12);
  g_assert_cmpuint (p->lift_n_b, ==, 10);

  p = g_ptr_array_index (proposals, 3);
  g_assert_cmpstr (p->rule, ==, "r-silent");
  g_assert_cmpint (p->reasons, ==, TACIT_RETIREMENT_NEVER_FIRES);
  g_assert_cmpstr (p->evidence, ==, "never fired over the stored history");

  reasons = tacit_retirement_reasons_to_string (TACIT_RETIREMENT_CHATTERING | TACIT_RETIREMENT_NO_EFFECT);
  g_assert_cmpstr (reasons, ==, "chattering,no-effect");

  /* Without a replay (no events), nothing counts as never firing. */
  g_clear_pointer (&proposals, g_ptr_array_unref);
  proposals = tacit_retirement_propose (library, stats, G_N_ELEMENTS (stats), 0, NULL);
  g_assert_cmpuint (proposals->len, ==, 1);
  g_assert_cmpstr (((TacitRetirementProposal *) g_ptr_array_index (proposals, 0))->rule, ==, "r-chatter");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/review/operator-refused", Fixture, NULL, fixture_setup, test_operator_refused, fixture_teardown);
  g_test_add ("/review/approve", Fixture, NULL, fixture_setup, test_approve, fixture_teardown);
  g_test_add ("/review/conflict", Fixture, NULL, fixture_setup, test_conflict_and_missing, fixture_teardown);
  g_test_add ("/review/send-back-seen", Fixture, NULL, fixture_setup, test_send_back_seen, fixture_teardown);
  g_test_add ("/review/retire", Fixture, NULL, fixture_setup, test_retire, fixture_teardown);
  g_test_add ("/review/source-event", Fixture, NULL, fixture_setup, test_source_event, fixture_teardown);
  g_test_add ("/review/duplicates", Fixture, NULL, fixture_setup, test_duplicates_find, fixture_teardown);
  g_test_add_func ("/review/scopes-overlap", test_scopes_overlap);
  g_test_add ("/review/merge", Fixture, NULL, fixture_setup, test_merge, fixture_teardown);
  g_test_add_func ("/review/retirement", test_retirement);
  return g_test_run ();
}
