/* tacit-rule-diff.c: line diff by longest common subsequence.
 *
 * Rule revisions are a few dozen lines, so the plain O(n·m) table is
 * fine; common leading and trailing lines are taken off first, which
 * leaves only the edited middle for the table in the usual case.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-rule-diff.h"

#include <string.h>

static char **
split_lines (const char *text,
             guint      *n)
{
  g_autofree char *copy = g_strdup (text != NULL ? text : "");
  gsize len = strlen (copy);
  char **lines;

  if (len > 0 && copy[len - 1] == '\n')
    copy[len - 1] = '\0';
  lines = len > 0 ? g_strsplit (copy, "\n", -1) : g_new0 (char *, 1);
  *n = g_strv_length (lines);
  return lines;
}

static void
diff_line_clear (gpointer data)
{
  g_free (((TacitDiffLine *) data)->line);
}

static void
push (GArray      *diff,
      TacitDiffOp  op,
      const char  *line)
{
  TacitDiffLine entry = { op, g_strdup (line) };

  g_array_append_val (diff, entry);
}

GArray *
tacit_line_diff (const char *old_text,
                 const char *new_text)
{
  g_auto(GStrv) a = NULL;
  g_auto(GStrv) b = NULL;
  g_autofree guint *lcs = NULL;
  GArray *diff = g_array_new (FALSE, FALSE, sizeof (TacitDiffLine));
  guint n, m, head = 0, tail = 0, rows, cols, i, j;

  g_array_set_clear_func (diff, diff_line_clear);
  a = split_lines (old_text, &n);
  b = split_lines (new_text, &m);
  while (head < n && head < m && strcmp (a[head], b[head]) == 0)
    head++;
  while (tail < n - head && tail < m - head && strcmp (a[n - 1 - tail], b[m - 1 - tail]) == 0)
    tail++;
  rows = n - head - tail;
  cols = m - head - tail;
  /* lcs[i][j]: LCS length of a[head+i..] and b[head+j..] within the middle. */
  lcs = g_new0 (guint, (gsize) (rows + 1) * (cols + 1));
#define LCS(r, c) lcs[(gsize) (r) * (cols + 1) + (c)]
  for (i = rows; i-- > 0;)
    for (j = cols; j-- > 0;)
      LCS (i, j) = strcmp (a[head + i], b[head + j]) == 0 ? LCS (i + 1, j + 1) + 1
                 : MAX (LCS (i + 1, j), LCS (i, j + 1));
  for (i = 0; i < head; i++)
    push (diff, TACIT_DIFF_SAME, a[i]);
  i = j = 0;
  while (i < rows || j < cols)
    {
      if (i < rows && j < cols && strcmp (a[head + i], b[head + j]) == 0)
        {
          push (diff, TACIT_DIFF_SAME, a[head + i]);
          i++, j++;
        }
      else if (i < rows && (j == cols || LCS (i + 1, j) >= LCS (i, j + 1)))
        push (diff, TACIT_DIFF_REMOVED, a[head + i++]);
      else
        push (diff, TACIT_DIFF_ADDED, b[head + j++]);
    }
#undef LCS
  for (i = n - tail; i < n; i++)
    push (diff, TACIT_DIFF_SAME, a[i]);
  return diff;
}

char *
tacit_line_diff_format (const GArray *diff)
{
  static const char *const marks[] = { "  ", "- ", "+ " };
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < diff->len; i++)
    {
      const TacitDiffLine *line = &g_array_index (diff, TacitDiffLine, i);

      g_string_append (text, marks[line->op]);
      g_string_append (text, line->line);
      g_string_append_c (text, '\n');
    }
  return g_string_free (text, FALSE);
}

void
tacit_line_diff_count (const GArray *diff,
                       guint        *added,
                       guint        *removed)
{
  *added = *removed = 0;
  for (guint i = 0; i < diff->len; i++)
    {
      TacitDiffOp op = g_array_index (diff, TacitDiffLine, i).op;

      *added += op == TACIT_DIFF_ADDED;
      *removed += op == TACIT_DIFF_REMOVED;
    }
}
