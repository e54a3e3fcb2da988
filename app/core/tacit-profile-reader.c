/* tacit-profile-reader.c: events from a plant's own table through an
 * import profile (docs/import-profiles.md).
 *
 * One row at a time: a record is one line, or several when a quoted cell
 * holds a line break. A long table gives one event per row; a wide table
 * one event per non-empty cell of its item columns, all pointing into the
 * row, which lives until the row's last event has been handed out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-event-reader-private.h"
#include "tacit-import-profile-private.h"

#include <string.h>

#define SHORT_LEN 40

typedef struct {
  int        col;      /* 0-based cell */
  char      *item;
  TacitKind  kind;
} WideTarget;

typedef struct {
  TacitImportProfile *profile;
  char               *name;          /* of the data file */
  LineReader          lr;
  TacitImportReport   report;
  gboolean            header_done;
  int                 cols[PF_N];    /* 0-based cell, -1: none or constant */
  char               *col_names[PF_N];
  int                 clock_col;     /* -1: the time column holds the clock too */
  GArray             *wide;          /* WideTarget */
  /* the current row */
  GPtrArray          *cells;         /* char* */
  GPtrArray          *scratch;       /* char*, values rewritten for this row */
  GString            *record;
  guint64             row_line;
  guint               wide_next;
  TacitTime           row_time;
  const char         *row_machine;
} ProfileSource;

static void
wide_target_clear (gpointer data)
{
  g_free (((WideTarget *) data)->item);
}

static void
profile_source_free (gpointer data)
{
  ProfileSource *src = data;

  g_clear_object (&src->profile);
  g_free (src->name);
  _tacit_line_reader_clear (&src->lr);
  _tacit_import_report_clear (&src->report);
  for (guint i = 0; i < PF_N; i++)
    g_free (src->col_names[i]);
  g_clear_pointer (&src->wide, g_array_unref);
  g_clear_pointer (&src->cells, g_ptr_array_unref);
  g_clear_pointer (&src->scratch, g_ptr_array_unref);
  if (src->record != NULL)
    g_string_free (src->record, TRUE);
  g_free (src);
}

static GError * G_GNUC_PRINTF (4, 5)
row_error (ProfileSource *src, guint64 line, TacitInputError code, const char *format, ...)
{
  g_autofree char *problem = NULL;
  va_list args;

  va_start (args, format);
  problem = g_strdup_vprintf (format, args);
  va_end (args);
  return _tacit_import_error (src->name, line, code, "%s", problem);
}

static const char *
shorten (const char *s, char *buf)
{
  gsize n = strlen (s);

  if (n <= SHORT_LEN)
    return s;
  n = SHORT_LEN;
  while (n > 0 && ((guchar) s[n] & 0xC0) == 0x80)
    n--;
  memcpy (buf, s, n);
  memcpy (buf + n, "…", sizeof "…");
  return buf;
}

/* ---- records --------------------------------------------------------- */

/* Splits src->record into trimmed cells. FALSE when a quote is still open
 * at its end: the record goes on on the next line. */
static gboolean
split_record (ProfileSource *src)
{
  char delim = src->profile->delimiter, quote = src->profile->quote;
  const char *p = src->record->str;
  g_autoptr(GString) cell = g_string_new (NULL);
  gboolean quoted = FALSE, at_start = TRUE;

  g_ptr_array_set_size (src->cells, 0);
  for (;; p++)
    {
      if (quoted)
        {
          if (*p == '\0')
            return FALSE;
          if (*p == quote && p[1] == quote)
            {
              g_string_append_c (cell, quote);
              p++;
            }
          else if (*p == quote)
            quoted = FALSE;
          else
            g_string_append_c (cell, *p);
          continue;
        }
      if (*p == '\0' || *p == delim)
        {
          g_ptr_array_add (src->cells, g_strstrip (g_strdup (cell->str)));
          g_string_truncate (cell, 0);
          at_start = TRUE;
          if (*p == '\0')
            return TRUE;
          continue;
        }
      /* A quote opens a quoted cell only at its start (spaces allowed
       * before it); anywhere else it is a character like any other. */
      if (quote != '\0' && *p == quote && at_start)
        {
          g_string_truncate (cell, 0);
          quoted = TRUE;
          continue;
        }
      if (*p != ' ' && *p != '\t')
        at_start = FALSE;
      g_string_append_c (cell, *p);
    }
}

/* The next record's cells; FALSE at the end (error unset) or on error. */
static gboolean
read_record (ProfileSource *src, GInputStream *stream, GError **error)
{
  if (!_tacit_line_reader_next (&src->lr, stream, src->name, error))
    return FALSE;
  src->row_line = src->lr.number;
  g_string_assign (src->record, src->lr.line);
  while (!split_record (src))
    {
      if (src->record->len > 16 * 1024 * 1024)
        {
          g_propagate_error (error, row_error (src, src->row_line, TACIT_INPUT_ERROR_TOO_LARGE,
                                               "a quoted cell is longer than 16 MiB"));
          return FALSE;
        }
      GError *local_error = NULL;

      if (!_tacit_line_reader_next (&src->lr, stream, src->name, &local_error))
        {
          if (local_error == NULL)
            local_error = row_error (src, src->row_line, TACIT_INPUT_ERROR_SYNTAX,
                                     "a quoted cell is never closed");
          g_propagate_error (error, local_error);
          return FALSE;
        }
      g_string_append_c (src->record, '\n');
      g_string_append (src->record, src->lr.line);
    }
  return TRUE;
}

static const char *
cell (ProfileSource *src, int col)
{
  if (col < 0 || (guint) col >= src->cells->len)
    return "";
  return g_ptr_array_index (src->cells, col);
}

/* ---- the header ------------------------------------------------------ */

static char *
describe_ref (const ColumnRef *ref)
{
  if (ref->column != NULL)
    return g_strdup_printf ("column \"%s\"", ref->column);
  return g_strdup_printf ("column %u", ref->index);
}

static int
find_column (ProfileSource *src, const char *name)
{
  for (guint i = 0; i < src->cells->len; i++)
    if (strcmp (g_ptr_array_index (src->cells, i), name) == 0)
      return (int) i;
  return -1;
}

static gboolean
resolve_ref (ProfileSource *src, const ColumnRef *ref, int *col, GError **error)
{
  *col = -1;
  if (!ref->set || ref->constant != NULL)
    return TRUE;
  if (ref->column == NULL)
    {
      *col = (int) ref->index - 1;
      return TRUE;
    }
  *col = find_column (src, ref->column);
  if (*col >= 0)
    return TRUE;
  {
    g_autoptr(GString) names = g_string_new (NULL);
    for (guint i = 0; i < src->cells->len; i++)
      g_string_append_printf (names, "%s\"%s\"", i > 0 ? ", " : "",
                              (const char *) g_ptr_array_index (src->cells, i));
    g_propagate_error (error, row_error (src, src->row_line, TACIT_INPUT_ERROR_INVALID,
                                         "the header has no column \"%s\" (it has %s)",
                                         ref->column, names->str));
  }
  return FALSE;
}

static gboolean
column_is_mapped (ProfileSource *src, int col)
{
  for (guint i = 0; i < PF_N; i++)
    if (src->cols[i] == col)
      return TRUE;
  return src->clock_col == col;
}

/* Skips the preamble, reads the header and resolves every column. */
static gboolean
read_header (ProfileSource *src, GInputStream *stream, GError **error)
{
  TacitImportProfile *profile = src->profile;

  src->header_done = TRUE;
  for (guint i = 0; i < profile->skip_rows; i++)
    if (!read_record (src, stream, error))
      return FALSE;
  if (profile->header && !read_record (src, stream, error))
    return FALSE;
  for (guint i = 0; i < PF_N; i++)
    {
      if (!resolve_ref (src, &profile->fields[i], &src->cols[i], error))
        return FALSE;
      src->col_names[i] = describe_ref (&profile->fields[i]);
    }
  if (!resolve_ref (src, &profile->clock, &src->clock_col, error))
    return FALSE;
  if (src->clock_col >= 0)
    {
      /* Date and clock are one time: errors name both columns. */
      g_autofree char *clock = describe_ref (&profile->clock);
      char *both = g_strdup_printf ("%s and %s", src->col_names[PF_TIME], clock);
      g_free (src->col_names[PF_TIME]);
      src->col_names[PF_TIME] = both;
    }
  if (!profile->wide)
    return TRUE;
  if (profile->wide_columns->len == 0)
    {
      /* Every other named column is an item. */
      for (guint i = 0; i < src->cells->len; i++)
        {
          const char *name = g_ptr_array_index (src->cells, i);
          WideTarget t = { (int) i, NULL, profile->wide_kind };

          if (*name == '\0' || column_is_mapped (src, (int) i))
            continue;
          t.item = g_strdup (name);
          g_array_append_val (src->wide, t);
        }
      return TRUE;
    }
  for (guint i = 0; i < profile->wide_columns->len; i++)
    {
      WideColumn *wc = g_ptr_array_index (profile->wide_columns, i);
      WideTarget t = { -1, NULL, wc->kind };

      if (!resolve_ref (src, &wc->ref, &t.col, error))
        return FALSE;
      t.item = g_strdup (wc->item != NULL ? wc->item : cell (src, t.col));
      g_array_append_val (src->wide, t);
    }
  return TRUE;
}

/* ---- rows ------------------------------------------------------------ */

static const char *
field_text (ProfileSource *src, ProfileField f)
{
  const ColumnRef *ref = &src->profile->fields[f];

  if (ref->constant != NULL)
    return ref->constant;
  if (!ref->set)
    return NULL;
  return cell (src, src->cols[f]);
}

/* "1.234,5" → "1234.5" when that is a number; anything else unchanged. */
static const char *
decimal_comma (ProfileSource *src, const char *value)
{
  g_autoptr(GString) copy = NULL;
  double number;

  if (!src->profile->decimal_comma || strchr (value, ',') == NULL)
    return value;
  copy = g_string_new (NULL);
  for (const char *p = value; *p != '\0'; p++)
    if (*p != '.')
      g_string_append_c (copy, *p == ',' ? '.' : *p);
  if (!tacit_value_parse_number (copy->str, &number))
    return value;
  g_ptr_array_add (src->scratch, g_string_free (g_steal_pointer (&copy), FALSE));
  return g_ptr_array_index (src->scratch, src->scratch->len - 1);
}

static gboolean
row_is_blank (ProfileSource *src)
{
  for (guint i = 0; i < src->cells->len; i++)
    if (*(const char *) g_ptr_array_index (src->cells, i) != '\0')
      return FALSE;
  return TRUE;
}

static gboolean
need (ProfileSource *src, ProfileField f, const char **out, GError **error)
{
  *out = field_text (src, f);
  if (*out != NULL && **out != '\0')
    return TRUE;
  g_propagate_error (error, row_error (src, src->row_line, TACIT_INPUT_ERROR_INVALID,
                                       "%s is empty", src->col_names[f]));
  return FALSE;
}

static gboolean
row_time_and_machine (ProfileSource *src, GError **error)
{
  TacitImportProfile *profile = src->profile;
  g_autofree char *problem = NULL;
  const char *text;

  if (!need (src, PF_TIME, &text, error))
    return FALSE;
  if (src->clock_col >= 0 && *cell (src, src->clock_col) != '\0')
    {
      g_ptr_array_add (src->scratch, g_strconcat (text, profile->time_format == TIME_ISO8601 ? "T" : " ",
                                                  cell (src, src->clock_col), NULL));
      text = g_ptr_array_index (src->scratch, src->scratch->len - 1);
    }
  if (!_tacit_import_parse_time (text, profile->time_format, profile->zone, profile->zone_name,
                                 profile->repeated, profile->decimal_comma, &src->row_time, &problem))
    {
      g_propagate_error (error, row_error (src, src->row_line, TACIT_INPUT_ERROR_INVALID,
                                           "%s: %s", src->col_names[PF_TIME], problem));
      return FALSE;
    }
  return need (src, PF_MACHINE, &src->row_machine, error);
}

static gboolean
check_condition (ProfileSource *src, TacitEvent *event, const char *where, GError **error)
{
  const char *canonical;
  char buf[SHORT_LEN + 4];

  if (event->kind != TACIT_KIND_CONDITION)
    return TRUE;
  canonical = tacit_condition_value_canonical (event->value);
  if (canonical != NULL)
    {
      event->value = canonical;
      return TRUE;
    }
  g_propagate_error (error, row_error (src, src->row_line, TACIT_INPUT_ERROR_INVALID,
                                       "%s: a condition is normal, warning, fault or unavailable, "
                                       "not \"%s\" (map it with <map>)",
                                       where, shorten (event->value, buf)));
  return FALSE;
}

typedef enum {
  ROW_EVENT,
  ROW_SKIPPED,
  ROW_ERROR,
} RowResult;

static RowResult
long_row (ProfileSource *src, TacitEvent *event, GError **error)
{
  TacitImportProfile *profile = src->profile;
  const char *value, *kind, *mapped;
  char buf[SHORT_LEN + 4];

  if (!row_time_and_machine (src, error))
    return ROW_ERROR;
  event->time = src->row_time;
  event->machine = src->row_machine;
  value = field_text (src, PF_VALUE);
  if (value == NULL || *value == '\0')
    {
      _tacit_import_report_skip (&src->report, src->row_line, "empty value");
      return ROW_SKIPPED;
    }
  mapped = g_hash_table_lookup (profile->value_map, value);
  if (mapped == NULL && g_hash_table_size (profile->value_map) > 0 &&
      profile->unmapped != UNMAPPED_KEEP)
    {
      g_autofree char *reason = NULL;

      if (profile->unmapped == UNMAPPED_ERROR)
        {
          g_propagate_error (error, row_error (src, src->row_line, TACIT_INPUT_ERROR_INVALID,
                                               "%s: \"%s\" is not in the profile's <map>",
                                               src->col_names[PF_VALUE], shorten (value, buf)));
          return ROW_ERROR;
        }
      reason = g_strdup_printf ("value \"%s\" not in the map", shorten (value, buf));
      _tacit_import_report_skip (&src->report, src->row_line, reason);
      return ROW_SKIPPED;
    }
  event->value = mapped != NULL ? mapped : decimal_comma (src, value);
  if (!need (src, PF_KIND, &kind, error) || !need (src, PF_ITEM, &event->item, error))
    return ROW_ERROR;
  if (profile->fields[PF_KIND].constant != NULL)
    event->kind = profile->kind;
  else if (!tacit_kind_from_string (kind, &event->kind))
    {
      g_propagate_error (error, row_error (src, src->row_line, TACIT_INPUT_ERROR_INVALID,
                                           "%s: \"%s\" is not sample, event or condition",
                                           src->col_names[PF_KIND], shorten (kind, buf)));
      return ROW_ERROR;
    }
  if (!check_condition (src, event, src->col_names[PF_VALUE], error))
    return ROW_ERROR;
  event->code = field_text (src, PF_CODE);
  event->text = field_text (src, PF_TEXT);
  if (event->code != NULL && *event->code == '\0')
    event->code = NULL;
  if (event->text != NULL && *event->text == '\0')
    event->text = NULL;
  return ROW_EVENT;
}

/* The next non-empty cell of a wide row. */
static RowResult
wide_cell (ProfileSource *src, TacitEvent *event, GError **error)
{
  while (src->wide_next < src->wide->len)
    {
      const WideTarget *t = &g_array_index (src->wide, WideTarget, src->wide_next++);
      const char *value = cell (src, t->col);
      const char *mapped;
      g_autofree char *where = NULL;

      if (*value == '\0')
        continue;
      mapped = g_hash_table_lookup (src->profile->value_map, value);
      event->time = src->row_time;
      event->machine = src->row_machine;
      event->kind = t->kind;
      event->item = t->item;
      event->value = mapped != NULL ? mapped : decimal_comma (src, value);
      event->code = NULL;
      event->text = NULL;
      where = g_strdup_printf ("column \"%s\"", t->item);
      if (!check_condition (src, event, where, error))
        return ROW_ERROR;
      return ROW_EVENT;
    }
  return ROW_SKIPPED;
}

static gboolean
profile_next (gpointer          data,
              TacitEventReader *reader,
              GInputStream     *stream,
              TacitEvent       *event,
              guint64          *line,
              GError          **error)
{
  ProfileSource *src = data;

  if (!src->header_done && !read_header (src, stream, error))
    return FALSE;
  for (;;)
    {
      RowResult result;

      if (src->profile->wide && src->wide_next < src->wide->len)
        {
          result = wide_cell (src, event, error);
          if (result == ROW_ERROR)
            return FALSE;
          if (result == ROW_EVENT)
            break;
        }
      g_ptr_array_set_size (src->scratch, 0);
      if (!read_record (src, stream, error))
        return FALSE;
      src->report.rows++;
      if (row_is_blank (src))
        {
          _tacit_import_report_skip (&src->report, src->row_line, "blank row");
          continue;
        }
      if (src->profile->wide)
        {
          if (!row_time_and_machine (src, error))
            return FALSE;
          src->wide_next = 0;
          result = wide_cell (src, event, error);
          if (result == ROW_ERROR)
            return FALSE;
          if (result == ROW_EVENT)
            break;
          _tacit_import_report_skip (&src->report, src->row_line, "no value in any item column");
          continue;
        }
      result = long_row (src, event, error);
      if (result == ROW_ERROR)
        return FALSE;
      if (result == ROW_EVENT)
        break;
    }
  *line = src->row_line;
  _tacit_import_report_event (&src->report, event);
  return TRUE;
}

static const TacitEventSourceFuncs profile_funcs = {
  profile_next,
  profile_source_free,
};

TacitEventReader *
tacit_event_reader_new_with_profile (const char          *path,
                                     TacitImportProfile  *profile,
                                     GError             **error)
{
  ProfileSource *src;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (TACIT_IS_IMPORT_PROFILE (profile), NULL);

  src = g_new0 (ProfileSource, 1);
  src->profile = g_object_ref (profile);
  src->name = strcmp (path, "-") == 0 ? g_strdup ("<stdin>") : g_filename_display_name (path);
  _tacit_line_reader_init (&src->lr, profile->encoding);
  _tacit_import_report_init (&src->report);
  for (guint i = 0; i < PF_N; i++)
    src->cols[i] = -1;
  src->clock_col = -1;
  src->wide = g_array_new (FALSE, TRUE, sizeof (WideTarget));
  g_array_set_clear_func (src->wide, wide_target_clear);
  src->cells = g_ptr_array_new_with_free_func (g_free);
  src->scratch = g_ptr_array_new_with_free_func (g_free);
  src->record = g_string_new (NULL);
  src->wide_next = G_MAXUINT;   /* no row yet */
  return _tacit_event_reader_new_for_source (path, &profile_funcs, src, error);
}

/* The report of a profile reader or an SHDR one. */
const TacitImportReport *
tacit_event_reader_get_import_report (TacitEventReader *reader)
{
  ProfileSource *src;

  g_return_val_if_fail (TACIT_IS_EVENT_READER (reader), NULL);

  src = _tacit_event_reader_get_source (reader, &profile_funcs);
  if (src != NULL)
    return &src->report;
  return _tacit_shdr_source_report (reader);
}
