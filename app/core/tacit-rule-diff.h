/* tacit-rule-diff.h: a line diff (longest common subsequence) of two
 * texts — two revisions' canonical XML in the history view.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  TACIT_DIFF_SAME,
  TACIT_DIFF_REMOVED,    /* only in the old text */
  TACIT_DIFF_ADDED,      /* only in the new text */
} TacitDiffOp;

typedef struct {
  TacitDiffOp op;
  char       *line;      /* without its newline */
} TacitDiffLine;

/* The lines of old_text and new_text in order, each marked same, removed
 * or added; removals come before additions where both happen at one
 * place. A minimal diff (fewest added + removed lines). Texts are split
 * at '\n'; a final newline makes no empty line. */
GArray *tacit_line_diff        (const char   *old_text,
                                const char   *new_text);
/* The unified-style text: "  same", "- removed", "+ added", one a line. */
char   *tacit_line_diff_format (const GArray *diff);
/* Lines added and removed. */
void    tacit_line_diff_count  (const GArray *diff,
                                guint        *added,
                                guint        *removed);

G_END_DECLS
