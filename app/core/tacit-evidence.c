/* tacit-evidence.c: per-rule evidence (see tacit-evidence.h for the
 * definitions). One aggregate query over the suggestions in the range;
 * SQLite does the counting, so memory does not grow with the store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-evidence.h"
#include "tacit-store-private.h"

#include <math.h>

#include "tacit-error.h"
#include "tacit-json.h"

/* The 0.975 quantile of the standard normal distribution. */
#define Z95 1.959963984540054

void
tacit_proportion_init (TacitProportion *p,
                       guint64          k,
                       guint64          n)
{
  double phat, z2n, centre, half;

  g_return_if_fail (p != NULL);
  g_return_if_fail (k <= n);

  p->k = k;
  p->n = n;
  if (n == 0)
    {
      p->rate = p->low = p->high = NAN;
      return;
    }
  phat = (double) k / (double) n;
  z2n = Z95 * Z95 / (double) n;
  centre = (phat + z2n / 2) / (1 + z2n);
  half = Z95 * sqrt (phat * (1 - phat) / (double) n + z2n / (4.0 * (double) n)) / (1 + z2n);
  p->rate = phat;
  /* Clamped: rounding can push the bounds a hair past 0 or 1 at k = 0, n. */
  p->low = CLAMP (centre - half, 0.0, 1.0);
  p->high = CLAMP (centre + half, 0.0, 1.0);
}

void
tacit_proportion_diff (const TacitProportion *a,
                       const TacitProportion *b,
                       double                *diff,
                       double                *low,
                       double                *high)
{
  double d;

  if (a->n == 0 || b->n == 0)
    {
      *diff = *low = *high = NAN;
      return;
    }
  d = a->rate - b->rate;
  *diff = d;
  *low = d - sqrt ((a->rate - a->low) * (a->rate - a->low) +
                   (b->high - b->rate) * (b->high - b->rate));
  *high = d + sqrt ((a->high - a->rate) * (a->high - a->rate) +
                    (b->rate - b->low) * (b->rate - b->low));
}

void
tacit_rule_evidence_free (TacitRuleEvidence *evidence)
{
  if (evidence == NULL)
    return;
  g_free (evidence->rule);
  g_free (evidence);
}

/* Columns 3.. of the query, in this order. */
enum {
  COL_RULE,
  COL_REVISION,
  COL_FIRINGS,
  COL_LIVE,
  COL_SHADOW,
  COL_HELD_OUT,
  COL_ACCEPTED,
  COL_DISMISSED,
  COL_EXPIRED,
  COL_UNANSWERED,
  COL_ACCEPTED_N,
  COL_ACCEPTED_K,
  COL_DISMISSED_N,
  COL_DISMISSED_K,
  COL_SHOWN_N,
  COL_SHOWN_K,
  COL_HELD_N,
  COL_HELD_K,
};

static const char evidence_sql[] =
  "SELECT rule_id, max (revision), count (*),"
  " sum (mode = 'live'), sum (mode = 'shadow'), sum (mode = 'held-out'),"
  " sum (resp = 'accepted'), sum (resp = 'dismissed'), sum (resp = 'expired'),"
  " sum (mode = 'live' AND resp IS NULL),"
  " sum (resp = 'accepted' AND closed), sum (resp = 'accepted' AND closed AND outcome > 0),"
  " sum (resp = 'dismissed' AND closed), sum (resp = 'dismissed' AND closed AND outcome > 0),"
  " sum (mode = 'live' AND closed), sum (mode = 'live' AND closed AND outcome > 0),"
  " sum (mode = 'held-out' AND closed), sum (mode = 'held-out' AND closed AND outcome > 0) "
  "FROM (SELECT s.rule_id, s.revision, s.mode, s.outcome,"
  "        (s.has_outcome AND s.outcome_closed AND s.outcome IS NOT NULL) AS closed,"
  "        (SELECT r.response FROM responses AS r WHERE r.suggestion_id = s.id"
  "         ORDER BY r.responded_at DESC, r.id DESC LIMIT 1) AS resp"
  "      FROM suggestions AS s"
  "      WHERE s.time >= ?1 AND (?2 IS NULL OR s.time < ?2)) "
  "GROUP BY rule_id ORDER BY rule_id";

static guint64
column_count (sqlite3_stmt *stmt,
              int           col)
{
  sqlite3_int64 v = sqlite3_column_int64 (stmt, col);   /* NULL sum → 0 */

  return v > 0 ? (guint64) v : 0;
}

static TacitRuleEvidence *
evidence_from_row (sqlite3_stmt *stmt)
{
  TacitRuleEvidence *e = g_new0 (TacitRuleEvidence, 1);
  sqlite3_int64 revision = sqlite3_column_int64 (stmt, COL_REVISION);

  e->rule = g_strdup ((const char *) sqlite3_column_text (stmt, COL_RULE));
  e->revision = (guint) CLAMP (revision, 0, G_MAXUINT);
  e->firings = column_count (stmt, COL_FIRINGS);
  e->live = column_count (stmt, COL_LIVE);
  e->shadow = column_count (stmt, COL_SHADOW);
  e->held_out = column_count (stmt, COL_HELD_OUT);
  e->accepted = column_count (stmt, COL_ACCEPTED);
  e->dismissed = column_count (stmt, COL_DISMISSED);
  e->expired = column_count (stmt, COL_EXPIRED);
  e->unanswered = column_count (stmt, COL_UNANSWERED);
  tacit_proportion_init (&e->acceptance, e->accepted, e->accepted + e->dismissed);
  tacit_proportion_init (&e->outcome_accepted, column_count (stmt, COL_ACCEPTED_K),
                         column_count (stmt, COL_ACCEPTED_N));
  tacit_proportion_init (&e->outcome_dismissed, column_count (stmt, COL_DISMISSED_K),
                         column_count (stmt, COL_DISMISSED_N));
  tacit_proportion_init (&e->outcome_shown, column_count (stmt, COL_SHOWN_K),
                         column_count (stmt, COL_SHOWN_N));
  tacit_proportion_init (&e->outcome_held_out, column_count (stmt, COL_HELD_K),
                         column_count (stmt, COL_HELD_N));
  tacit_proportion_diff (&e->outcome_shown, &e->outcome_held_out,
                         &e->lift, &e->lift_low, &e->lift_high);
  e->relative_lift = NAN;
  if (e->outcome_held_out.n > 0 && e->outcome_shown.n > 0 && e->outcome_held_out.rate > 0)
    e->relative_lift = e->outcome_shown.rate / e->outcome_held_out.rate - 1;
  return e;
}

static gboolean
sqlite_error (TacitStore *store,
              GError    **error,
              const char *doing)
{
  sqlite3 *db = _tacit_store_get_db (store);

  g_set_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_SQL, "%s: %s: %s",
               tacit_store_get_path (store), doing, sqlite3_errmsg (db));
  return FALSE;
}

GPtrArray *
tacit_evidence_compute (TacitStore *store,
                        TacitTime   from,
                        TacitTime   to,
                        GError    **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (TACIT_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (sqlite3_prepare_v2 (_tacit_store_get_db (store), evidence_sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      sqlite_error (store, error, "computing rule evidence");
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, from);
  if (to != TACIT_TIME_MAX)
    sqlite3_bind_int64 (stmt, 2, to);
  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) tacit_rule_evidence_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, evidence_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      sqlite_error (store, error, "computing rule evidence");
      sqlite3_finalize (stmt);
      return NULL;
    }
  sqlite3_finalize (stmt);
  return g_steal_pointer (&rows);
}

/* ---- JSON ---- */

static void
append_uint (GString    *out,
             const char *key,
             guint64     value)
{
  tacit_json_append_key (out, key, FALSE);
  g_string_append_printf (out, "%" G_GUINT64_FORMAT, value);
}

static void
append_number (GString    *out,
               const char *key,
               double      value)
{
  tacit_json_append_key (out, key, FALSE);
  tacit_json_append_double (out, value);   /* NAN → null */
}

static void
append_proportion (GString               *out,
                   const char            *key,
                   const TacitProportion *p)
{
  tacit_json_append_key (out, key, FALSE);
  g_string_append_c (out, '{');
  tacit_json_append_key (out, "k", TRUE);
  g_string_append_printf (out, "%" G_GUINT64_FORMAT, p->k);
  append_uint (out, "n", p->n);
  append_number (out, "rate", p->rate);
  append_number (out, "low", p->low);
  append_number (out, "high", p->high);
  g_string_append_c (out, '}');
}

void
tacit_rule_evidence_to_json (const TacitRuleEvidence *e,
                             GString                 *out)
{
  g_return_if_fail (e != NULL && out != NULL);

  g_string_append_c (out, '{');
  tacit_json_append_key (out, "rule", TRUE);
  tacit_json_append_string (out, e->rule);
  append_uint (out, "revision", e->revision);
  append_uint (out, "firings", e->firings);
  append_uint (out, "live", e->live);
  append_uint (out, "shadow", e->shadow);
  append_uint (out, "held_out", e->held_out);
  append_uint (out, "accepted", e->accepted);
  append_uint (out, "dismissed", e->dismissed);
  append_uint (out, "expired", e->expired);
  append_uint (out, "unanswered", e->unanswered);
  append_proportion (out, "acceptance", &e->acceptance);
  append_proportion (out, "outcome_accepted", &e->outcome_accepted);
  append_proportion (out, "outcome_dismissed", &e->outcome_dismissed);
  append_proportion (out, "outcome_shown", &e->outcome_shown);
  append_proportion (out, "outcome_held_out", &e->outcome_held_out);
  tacit_json_append_key (out, "lift", FALSE);
  g_string_append_c (out, '{');
  tacit_json_append_key (out, "diff", TRUE);
  tacit_json_append_double (out, e->lift);
  append_number (out, "low", e->lift_low);
  append_number (out, "high", e->lift_high);
  append_number (out, "relative", e->relative_lift);
  g_string_append_c (out, '}');
  g_string_append_c (out, '}');
}
