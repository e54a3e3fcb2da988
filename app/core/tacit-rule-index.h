/* tacit-rule-index.h: the library as the desktop lists it — one compact
 * summary per rule (its current revision), kept by the store in the
 * rule_index table in the same transaction as every revision, so that
 * listing and filtering 100,000 rules never parses XML. Also who saved
 * each revision and when, for the history view.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tacit-store.h"

G_BEGIN_DECLS

/* One row of rule_index. Lists are space-separated; search is the
 * casefolded text a filter's words are looked up in. One allocation:
 * free with g_free (the strings live in the same block). */
typedef struct {
  const char *id;
  guint       revision;
  const char *status;
  const char *kind;
  const char *severity;
  const char *title;
  const char *author;
  const char *machines;
  const char *classes;
  const char *cells;
  const char *trigger;
  const char *tags;
  gint64      saved_at;     /* wall clock, microseconds */
  const char *saved_by;     /* "" when unknown */
  const char *search;
} TacitRuleSummary;

typedef enum {
  TACIT_SCOPE_FILTER_ANY,
  TACIT_SCOPE_FILTER_MACHINE,
  TACIT_SCOPE_FILTER_CLASS,
  TACIT_SCOPE_FILTER_CELL,
} TacitScopeFilter;

/* NULL or "" fields match everything. text: every whitespace-separated
 * word must occur (casefolded) in the summary's search text. status,
 * kind, author: equal. tag: one of the tags. scope_value: one of the
 * machines / classes / cells (scope_type says which; ANY: any of them). */
typedef struct {
  const char      *text;
  const char      *status;
  const char      *kind;
  const char      *author;
  const char      *tag;
  TacitScopeFilter scope_type;
  const char      *scope_value;
} TacitRuleFilter;

/* Every summary the filter matches (TacitRuleSummary*, by id), or all of
 * them with a NULL filter. */
GPtrArray        *tacit_rule_index_query        (TacitStore             *store,
                                                 const TacitRuleFilter  *filter,
                                                 GError                **error);
/* The summary of one rule, or NULL (no error) when there is none. */
TacitRuleSummary *tacit_rule_index_lookup       (TacitStore             *store,
                                                 const char             *rule_id,
                                                 GError                **error);
/* The filter as tacit_rule_index_query applies it, for filtering
 * summaries already in memory (the library view, per keystroke). */
gboolean          tacit_rule_filter_matches     (const TacitRuleFilter  *filter,
                                                 const TacitRuleSummary *summary);
/* A filter prepared once (its text casefolded and split into words) for
 * testing many summaries. */
typedef struct _TacitRuleMatcher TacitRuleMatcher;
TacitRuleMatcher *tacit_rule_matcher_new        (const TacitRuleFilter  *filter);
gboolean          tacit_rule_matcher_matches    (const TacitRuleMatcher *matcher,
                                                 const TacitRuleSummary *summary);
void              tacit_rule_matcher_free       (TacitRuleMatcher       *matcher);

/* TRUE when word is one of list's space-separated words. */
gboolean          tacit_rule_index_has_word     (const char             *list,
                                                 const char             *word);

/* The summary a rule revision gets (saved_at, saved_by as given). */
TacitRuleSummary *tacit_rule_summary_new        (const TacitRule        *rule,
                                                 gint64                  saved_at,
                                                 const char             *saved_by);
/* "condition hydraulic = fault E1234 (every, after 2m)": the trigger in
 * one line, as the library view shows it. */
char             *tacit_rule_describe_trigger   (const TacitRule        *rule);

/* One stored revision, for the history view. */
typedef struct {
  guint   revision;
  char   *status;
  char   *title;
  gint64  saved_at;
  char   *saved_by;
  char   *xml;      /* canonical <rule> element */
} TacitRuleRevisionInfo;

/* Every revision of rule_id, oldest first (TacitRuleRevisionInfo*). */
GPtrArray        *tacit_rule_index_list_revisions (TacitStore           *store,
                                                   const char           *rule_id,
                                                   GError              **error);
void              tacit_rule_revision_info_free   (TacitRuleRevisionInfo *info);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TacitRuleRevisionInfo, tacit_rule_revision_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TacitRuleMatcher, tacit_rule_matcher_free)

G_END_DECLS
