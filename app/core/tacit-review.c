/* tacit-review.c
 *
 * A decision reads the rule's current revision, writes the next one with
 * the decided status through the store's own save (roles, conflicts,
 * audit), then the reviews row and a review.* audit entry, all inside one
 * transaction: a decision never lands half.
 *
 * Rejecting puts the rule back to draft like sending back does (the
 * header's contract): a draft is not evaluated, and the author may still
 * rework and propose it again; the reviews row tells the two apart, and
 * the kiosk shows the author the comment of either.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-review.h"

#include <string.h>

#include "tacit-error.h"
#include "tacit-store-private.h"

G_DEFINE_QUARK (tacit-review-error-quark, tacit_review_error)

static const char *const decision_names[] = {
  [TACIT_REVIEW_APPROVED] = "approved",
  [TACIT_REVIEW_SENT_BACK] = "sent-back",
  [TACIT_REVIEW_REJECTED] = "rejected",
  [TACIT_REVIEW_RETIRED] = "retired",
  [TACIT_REVIEW_MERGED] = "merged",
};

const char *
tacit_review_decision_to_string (TacitReviewDecision decision)
{
  g_return_val_if_fail (decision <= TACIT_REVIEW_MERGED, NULL);
  return decision_names[decision];
}

gboolean
tacit_review_decision_from_string (const char          *text,
                                   TacitReviewDecision *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (decision_names); i++)
    if (g_strcmp0 (text, decision_names[i]) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

void
tacit_review_free (TacitReview *review)
{
  if (review == NULL)
    return;
  g_free (review->rule_id);
  g_free (review->comment);
  g_free (review->actor);
  g_free (review);
}

/* ---- deciding ---- */

static TacitRuleStatus
status_after (TacitReviewDecision decision)
{
  switch (decision)
    {
    case TACIT_REVIEW_APPROVED:
      return TACIT_RULE_STATUS_APPROVED;
    case TACIT_REVIEW_SENT_BACK:
    case TACIT_REVIEW_REJECTED:
      return TACIT_RULE_STATUS_DRAFT;
    case TACIT_REVIEW_RETIRED:
    case TACIT_REVIEW_MERGED:
    default:
      return TACIT_RULE_STATUS_RETIRED;
    }
}

static TacitPermission
permission_for (TacitReviewDecision decision)
{
  return decision == TACIT_REVIEW_RETIRED ? TACIT_PERMISSION_RETIRE : TACIT_PERMISSION_REVIEW;
}

/* The current revision of rule_id, read inside the caller's transaction. */
static TacitRule *
load_head (TacitStore *store,
           const char *rule_id,
           GError    **error)
{
  g_autoptr(GPtrArray) revisions = tacit_store_list_rule_revisions (store, rule_id, error);

  if (revisions == NULL)
    return NULL;
  if (revisions->len == 0)
    {
      g_set_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_NOT_FOUND,
                   "%s: no rule “%s”", tacit_store_get_path (store), rule_id);
      return NULL;
    }
  return tacit_rule_ref (g_ptr_array_index (revisions, revisions->len - 1));
}

static gboolean
insert_review (TacitStore          *store,
               const char          *rule_id,
               guint                revision,
               TacitReviewDecision  decision,
               const char          *comment,
               const char          *actor_id,
               GError             **error)
{
  sqlite3_stmt *stmt = _tacit_store_prepare (store,
    "INSERT INTO reviews (rule_id, revision, decision, comment, actor, at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, rule_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, revision);
  sqlite3_bind_text (stmt, 3, tacit_review_decision_to_string (decision), -1, SQLITE_STATIC);
  if (comment != NULL)
    sqlite3_bind_text (stmt, 4, comment, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, actor_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 6, g_get_real_time ());
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return _tacit_store_sql_error (store, error, "storing a review");
  return TRUE;
}

static gboolean
audit_review (TacitStore          *store,
              const char          *actor_id,
              TacitReviewDecision  decision,
              const char          *rule_id,
              guint                revision,
              const char          *comment,
              GError             **error)
{
  g_autofree char *action = g_strconcat ("review.", tacit_review_decision_to_string (decision), NULL);
  g_autofree char *detail = comment != NULL && *comment != '\0'
                            ? g_strdup_printf ("revision %u: %s", revision, comment)
                            : g_strdup_printf ("revision %u", revision);

  return tacit_store_audit (store, actor_id, action, rule_id, detail, error);
}

static void
set_reviewer (TacitRule  *rule,
              const char *actor_id)
{
  g_free (rule->provenance.reviewer);
  rule->provenance.reviewer = g_strdup (actor_id);
  g_free (rule->provenance.reviewed);
  rule->provenance.reviewed = tacit_time_format_ms (g_get_real_time ());
}

static gboolean
check_decision (TacitStore         *store,
                const TacitRule    *head,
                TacitReviewDecision decision,
                GError            **error)
{
  TacitRuleStatus after = status_after (decision);

  if ((decision == TACIT_REVIEW_APPROVED || decision == TACIT_REVIEW_RETIRED) && head->status == after)
    {
      g_set_error (error, TACIT_REVIEW_ERROR, TACIT_REVIEW_ERROR_INVALID,
                   "%s: rule “%s” is already %s", tacit_store_get_path (store), head->id,
                   tacit_rule_status_to_string (after));
      return FALSE;
    }
  if ((decision == TACIT_REVIEW_SENT_BACK || decision == TACIT_REVIEW_REJECTED) &&
      head->status != TACIT_RULE_STATUS_PROPOSED && head->status != TACIT_RULE_STATUS_APPROVED)
    {
      g_set_error (error, TACIT_REVIEW_ERROR, TACIT_REVIEW_ERROR_INVALID,
                   "%s: rule “%s” is %s: only proposed or approved rules can be sent back or rejected",
                   tacit_store_get_path (store), head->id, tacit_rule_status_to_string (head->status));
      return FALSE;
    }
  return TRUE;
}

/* The decision on the current revision, inside a transaction. */
static gboolean
decide_in_transaction (TacitStore          *store,
                       const char          *rule_id,
                       guint                base_revision,
                       TacitReviewDecision  decision,
                       const char          *comment,
                       const TacitOperator *actor,
                       GError             **error)
{
  g_autoptr(TacitRule) head = load_head (store, rule_id, error);
  g_autoptr(TacitRule) next = NULL;
  g_autofree char *actor_id = tacit_operator_dup_actor_id (actor);

  if (head == NULL)
    return FALSE;
  if (head->revision != base_revision)
    {
      g_set_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_CONFLICT,
                   "%s: rule “%s” was changed meanwhile: the decision is on "
                   "revision %u, but the current revision is %u",
                   tacit_store_get_path (store), rule_id, base_revision, head->revision);
      return FALSE;
    }
  if (!check_decision (store, head, decision, error))
    return FALSE;
  next = tacit_rule_copy (head);
  next->status = status_after (decision);
  set_reviewer (next, actor_id);
  return _tacit_store_save_rule_in_transaction (store, next, base_revision, actor, error) &&
         insert_review (store, rule_id, base_revision, decision, comment, actor_id, error) &&
         audit_review (store, actor_id, decision, rule_id, base_revision, comment, error);
}

static gboolean
comment_given (const char *comment)
{
  if (comment == NULL)
    return FALSE;
  for (const char *p = comment; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

gboolean
tacit_review_decide (TacitStore          *store,
                     const char          *rule_id,
                     guint                base_revision,
                     TacitReviewDecision  decision,
                     const char          *comment,
                     const TacitOperator *actor,
                     GError             **error)
{
  g_return_val_if_fail (TACIT_IS_STORE (store), FALSE);
  g_return_val_if_fail (rule_id != NULL, FALSE);
  g_return_val_if_fail (decision <= TACIT_REVIEW_MERGED, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!tacit_store_check_access (store, actor, permission_for (decision), rule_id, error))
    return FALSE;
  if (decision == TACIT_REVIEW_MERGED)
    {
      g_set_error (error, TACIT_REVIEW_ERROR, TACIT_REVIEW_ERROR_INVALID,
                   "%s: merging “%s” needs the rule it merges into (tacit_review_merge)",
                   tacit_store_get_path (store), rule_id);
      return FALSE;
    }
  if ((decision == TACIT_REVIEW_SENT_BACK || decision == TACIT_REVIEW_REJECTED) && !comment_given (comment))
    {
      g_set_error (error, TACIT_REVIEW_ERROR, TACIT_REVIEW_ERROR_COMMENT_REQUIRED,
                   "%s: %s rule “%s” needs a comment for its author",
                   tacit_store_get_path (store),
                   decision == TACIT_REVIEW_SENT_BACK ? "sending back" : "rejecting", rule_id);
      return FALSE;
    }
  if (!_tacit_store_begin (store, error))
    return FALSE;
  if (!decide_in_transaction (store, rule_id, base_revision, decision, comment, actor, error) ||
      !_tacit_store_commit (store, error))
    {
      _tacit_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

/* ---- merging ---- */

/* "a b" + "b c" → "a b c": every author once, in order. */
static char *
merge_credit (const char *keep,
              const char *other)
{
  g_auto(GStrv) a = g_strsplit_set (keep != NULL ? keep : "", " ", -1);
  g_auto(GStrv) b = g_strsplit_set (other != NULL ? other : "", " ", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();
  g_auto(GStrv) all = NULL;

  for (char **list = a; list != NULL; list = list == a ? b : NULL)
    for (guint i = 0; list[i] != NULL; i++)
      if (*list[i] != '\0' && !g_ptr_array_find_with_equal_func (seen, list[i], g_str_equal, NULL))
        {
          g_ptr_array_add (seen, list[i]);
          g_strv_builder_add (builder, list[i]);
        }
  all = g_strv_builder_end (builder);
  return all[0] != NULL ? g_strjoinv (" ", all) : NULL;
}

static void
merge_into (TacitRule       *keep,
            const TacitRule *other)
{
  char *credit = merge_credit (keep->provenance.author, other->provenance.author);

  g_free (keep->provenance.author);
  keep->provenance.author = credit;
  if (other->rationale != NULL && *other->rationale != '\0' &&
      g_strcmp0 (keep->rationale, other->rationale) != 0)
    {
      char *both = keep->rationale != NULL && *keep->rationale != '\0'
                   ? g_strdup_printf ("%s\n%s", keep->rationale, other->rationale)
                   : g_strdup (other->rationale);
      g_free (keep->rationale);
      keep->rationale = both;
    }
  for (guint i = 0; other->tags != NULL && i < other->tags->len; i++)
    {
      const char *tag = g_ptr_array_index (other->tags, i);

      if (keep->tags == NULL)
        keep->tags = g_ptr_array_new_with_free_func (g_free);
      if (!g_ptr_array_find_with_equal_func (keep->tags, tag, g_str_equal, NULL))
        g_ptr_array_add (keep->tags, g_strdup (tag));
    }
}

static gboolean
merge_in_transaction (TacitStore          *store,
                      const char          *keep_id,
                      guint                keep_base,
                      const char          *dup_id,
                      guint                dup_base,
                      const TacitOperator *actor,
                      GError             **error)
{
  g_autoptr(TacitRule) keep = load_head (store, keep_id, error);
  g_autoptr(TacitRule) dup = keep != NULL ? load_head (store, dup_id, error) : NULL;
  g_autoptr(TacitRule) next_keep = NULL;
  g_autoptr(TacitRule) next_dup = NULL;
  g_autofree char *actor_id = tacit_operator_dup_actor_id (actor);
  g_autofree char *comment = NULL;

  if (dup == NULL)
    return FALSE;
  if (dup->status == TACIT_RULE_STATUS_RETIRED)
    {
      g_set_error (error, TACIT_REVIEW_ERROR, TACIT_REVIEW_ERROR_INVALID,
                   "%s: rule “%s” is already retired", tacit_store_get_path (store), dup_id);
      return FALSE;
    }
  next_keep = tacit_rule_copy (keep);
  merge_into (next_keep, dup);
  next_dup = tacit_rule_copy (dup);
  next_dup->status = TACIT_RULE_STATUS_RETIRED;
  set_reviewer (next_dup, actor_id);
  comment = g_strdup_printf ("merged into %s", keep_id);
  /* The store checks both base revisions (conflict) and the roles. */
  return _tacit_store_save_rule_in_transaction (store, next_keep, keep_base, actor, error) &&
         _tacit_store_save_rule_in_transaction (store, next_dup, dup_base, actor, error) &&
         insert_review (store, dup_id, dup_base, TACIT_REVIEW_MERGED, comment, actor_id, error) &&
         audit_review (store, actor_id, TACIT_REVIEW_MERGED, dup_id, dup_base, comment, error);
}

gboolean
tacit_review_merge (TacitStore          *store,
                    const char          *keep_id,
                    guint                keep_base_revision,
                    const char          *duplicate_id,
                    guint                duplicate_base_revision,
                    const TacitOperator *actor,
                    GError             **error)
{
  g_return_val_if_fail (TACIT_IS_STORE (store), FALSE);
  g_return_val_if_fail (keep_id != NULL && duplicate_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!tacit_store_check_access (store, actor, TACIT_PERMISSION_REVIEW, duplicate_id, error))
    return FALSE;
  if (strcmp (keep_id, duplicate_id) == 0)
    {
      g_set_error (error, TACIT_REVIEW_ERROR, TACIT_REVIEW_ERROR_INVALID,
                   "%s: rule “%s” cannot be merged into itself", tacit_store_get_path (store), keep_id);
      return FALSE;
    }
  if (!_tacit_store_begin (store, error))
    return FALSE;
  if (!merge_in_transaction (store, keep_id, keep_base_revision, duplicate_id,
                             duplicate_base_revision, actor, error) ||
      !_tacit_store_commit (store, error))
    {
      _tacit_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

/* ---- reading ---- */

#define REVIEW_COLUMNS "r.id, r.rule_id, r.revision, r.decision, r.comment, r.actor, r.at, r.seen_at"

static TacitReview *
review_from_row (sqlite3_stmt *stmt)
{
  TacitReview *review = g_new0 (TacitReview, 1);

  review->id = sqlite3_column_int64 (stmt, 0);
  review->rule_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  review->revision = sqlite3_column_int (stmt, 2);
  if (!tacit_review_decision_from_string ((const char *) sqlite3_column_text (stmt, 3), &review->decision))
    review->decision = TACIT_REVIEW_SENT_BACK;
  review->comment = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  review->actor = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
  review->at = sqlite3_column_int64 (stmt, 6);
  review->seen_at = sqlite3_column_int64 (stmt, 7);
  return review;
}

static GPtrArray *
collect_reviews (TacitStore   *store,
                 sqlite3_stmt *stmt,
                 GError      **error)
{
  g_autoptr(GPtrArray) reviews = g_ptr_array_new_with_free_func ((GDestroyNotify) tacit_review_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (reviews, review_from_row (stmt));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      _tacit_store_sql_error (store, error, "reading reviews");
      return NULL;
    }
  return g_steal_pointer (&reviews);
}

/* The author is the credit of the decided revision: instr() on its XML
 * narrows the candidates in SQL, the exact check on the parsed credit (one
 * author, or several space-separated after a merge) is in C. */
GPtrArray *
tacit_review_list_unseen_for (TacitStore *store,
                              const char *author,
                              GError    **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *pattern = NULL;
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GPtrArray) out = NULL;

  g_return_val_if_fail (TACIT_IS_STORE (store), NULL);
  g_return_val_if_fail (author != NULL, NULL);

  stmt = _tacit_store_prepare (store,
    "SELECT " REVIEW_COLUMNS " FROM reviews r JOIN rules u "
    "  ON u.id = r.rule_id AND u.revision = r.revision "
    "WHERE r.decision IN ('sent-back', 'rejected') AND r.seen_at IS NULL "
    "  AND instr(u.xml, ?1) > 0 "
    "ORDER BY r.at DESC, r.id DESC", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, author, -1, SQLITE_TRANSIENT);
  candidates = collect_reviews (store, stmt, error);
  if (candidates == NULL)
    return NULL;
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) tacit_review_free);
  for (guint i = 0; i < candidates->len; i++)
    {
      TacitReview *review = g_ptr_array_index (candidates, i);
      g_autoptr(GPtrArray) revisions = tacit_store_list_rule_revisions (store, review->rule_id, error);
      const TacitRule *decided = NULL;
      g_auto(GStrv) credit = NULL;

      if (revisions == NULL)
        return NULL;
      for (guint j = 0; j < revisions->len; j++)
        if (((TacitRule *) g_ptr_array_index (revisions, j))->revision == review->revision)
          decided = g_ptr_array_index (revisions, j);
      if (decided == NULL || decided->provenance.author == NULL)
        continue;
      credit = g_strsplit (decided->provenance.author, " ", -1);
      if (g_strv_contains ((const char * const *) credit, author))
        g_ptr_array_add (out, g_ptr_array_steal_index (candidates, i--));
    }
  return g_steal_pointer (&out);
}

GPtrArray *
tacit_review_list_for_rule (TacitStore *store,
                            const char *rule_id,
                            GError    **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TACIT_IS_STORE (store), NULL);
  g_return_val_if_fail (rule_id != NULL, NULL);

  stmt = _tacit_store_prepare (store,
    "SELECT " REVIEW_COLUMNS " FROM reviews r WHERE r.rule_id = ?1 ORDER BY r.at, r.id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, rule_id, -1, SQLITE_TRANSIENT);
  return collect_reviews (store, stmt, error);
}

gboolean
tacit_review_mark_seen (TacitStore *store,
                        gint64      review_id,
                        GError    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TACIT_IS_STORE (store), FALSE);

  stmt = _tacit_store_prepare (store,
    "UPDATE reviews SET seen_at = ?2 WHERE id = ?1 AND seen_at IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, review_id);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time ());
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return _tacit_store_sql_error (store, error, "marking a review seen");
  return TRUE;
}

/* ---- provenance ---- */

static char *
describe_event_row (sqlite3_stmt *stmt,
                    const char   *machine,
                    const char   *item,
                    TacitTime     time)
{
  GString *text = g_string_new (NULL);
  TacitKind kind = sqlite3_column_int (stmt, 0);
  const char *value = (const char *) sqlite3_column_text (stmt, 1);
  const char *code = (const char *) sqlite3_column_text (stmt, 2);
  const char *message = (const char *) sqlite3_column_text (stmt, 3);
  char when[TACIT_TIME_FORMAT_LEN];

  g_string_append_printf (text, "%s · %s %s", machine, tacit_kind_to_string (kind), item);
  if (value != NULL)
    g_string_append_printf (text, " = %s", value);
  if (code != NULL && *code != '\0')
    g_string_append_printf (text, ", code %s", code);
  if (message != NULL && *message != '\0')
    g_string_append_printf (text, " · “%s”", message);
  g_string_append_printf (text, " · %s", tacit_time_format_ms_buf (time, when));
  return g_string_free (text, FALSE);
}

char *
tacit_review_describe_source_event (TacitStore *store,
                                    const char *source_event)
{
  g_autofree char *machine = NULL;
  g_autofree char *item = NULL;
  const char *slash, *at;
  sqlite3_stmt *stmt;
  TacitTime time;
  char *text = NULL;

  g_return_val_if_fail (TACIT_IS_STORE (store), NULL);

  if (source_event == NULL)
    return NULL;
  slash = strchr (source_event, '/');
  at = slash != NULL ? strrchr (slash, '@') : NULL;
  if (at == NULL || !tacit_time_parse (at + 1, strlen (at + 1), FALSE, &time, NULL))
    return g_strdup (source_event);
  machine = g_strndup (source_event, slash - source_event);
  item = g_strndup (slash + 1, at - slash - 1);
  /* The kiosk names the time to the millisecond: match within it. */
  stmt = _tacit_store_prepare (store,
    "SELECT e.kind, e.value, e.code, e.text, e.time FROM events e JOIN machines m ON m.num = e.machine "
    "WHERE m.id = ?1 AND e.item = ?2 AND e.time >= ?3 AND e.time < ?3 + 1000 ORDER BY e.time, e.id LIMIT 1",
    NULL);
  if (stmt == NULL)
    return g_strdup (source_event);
  sqlite3_bind_text (stmt, 1, machine, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, item, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, time);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = describe_event_row (stmt, machine, item, sqlite3_column_int64 (stmt, 4));
  sqlite3_finalize (stmt);
  return text != NULL ? text : g_strdup (source_event);
}
