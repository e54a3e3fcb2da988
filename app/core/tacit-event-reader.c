/* tacit-event-reader.c: streaming readers for CSV, JSONL and MTConnect
 * Streams XML event files (SPEC "Event input formats").
 *
 * CSV and JSONL are parsed in place in a block buffer the reader owns: no
 * allocation per event, the returned strings point into the buffer and die
 * at the next call (the replay benchmark reads millions of events a
 * second). MTConnect documents are read with libxml2's streaming reader,
 * collected into one string arena and handed out in sequence order.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-event-reader.h"
#include "tacit-event-reader-private.h"
#include "tacit-decompress.h"
#include "tacit-error.h"

#include <string.h>

#include <libxml/xmlreader.h>

#define BLOCK_SIZE      (256 * 1024)
/* One CSV record or JSONL line; anything longer is not an event. */
#define MAX_RECORD      (16 * 1024 * 1024)
#define JSON_MAX_DEPTH  64
#define XML_MAX_DEPTH   64
#define XML_MAX_VALUE   (1024 * 1024)
#define SHORT_LEN       40

/* The event fields, in the order of columns / keys / error checks. */
typedef enum {
  F_TIME,
  F_MACHINE,
  F_KIND,
  F_ITEM,
  F_VALUE,
  F_CODE,
  F_TEXT,
} Field;
#define N_FIELDS       7
#define N_REQUIRED     5
#define COL_IGNORED    (-1)

static const char *field_names[N_FIELDS] = {
  "time", "machine", "kind", "item", "value", "code", "text"
};

/* The fields of one record before they become a TacitEvent; s[i] is
 * NUL-terminated, NULL when absent. */
typedef struct {
  const char *s[N_FIELDS];
  gsize       len[N_FIELDS];
} Fields;

typedef struct _XmlState XmlState;

struct _TacitEventReader
{
  GObject                parent_instance;

  GInputStream          *stream;
  GSeekable             *progress;     /* the file under a decompressor */
  char                  *display_name;
  TacitEventFormat       format;
  TacitEventReaderFlags  flags;
  GError                *error;        /* sticky: a failed reader stays failed */
  gboolean               done;
  guint64                line;         /* of the event returned last */
  guint64                bytes_read;
  guint64                size;

  /* CSV and JSONL: [pos, len) of buf is unparsed input. */
  char                  *buf;
  gsize                  cap;
  gsize                  len;
  gsize                  pos;
  gboolean               started;
  gboolean               eof;
  guint64                next_line;    /* physical line at pos */

  /* CSV: the header, then per record the cells of each column. */
  guint                  n_cols;
  gint8                 *col_field;
  char                 **col_names;
  char                 **cells;
  gsize                 *cell_lens;

  /* JSONL: keys skipped on this line (IGNORE_UNKNOWN_COLUMNS). */
  GPtrArray             *ignored_keys;

  XmlState              *xml;

  /* Readers of other modules (tacit-event-reader-private.h). */
  const TacitEventSourceFuncs *source_funcs;
  gpointer               source;
};

G_DEFINE_FINAL_TYPE (TacitEventReader, tacit_event_reader, G_TYPE_OBJECT)

static void xml_state_free (XmlState *x);

/* ---- errors ---------------------------------------------------------- */

static GError * G_GNUC_PRINTF (4, 0)
make_error_va (TacitEventReader *self,
               guint64           line,
               TacitInputError   code,
               const char       *format,
               va_list           args)
{
  g_autofree char *problem = g_strdup_vprintf (format, args);

  return g_error_new (TACIT_INPUT_ERROR, code, "%s:%" G_GUINT64_FORMAT ": %s",
                      self->display_name, line, problem);
}

static GError * G_GNUC_PRINTF (4, 5)
make_error (TacitEventReader *self,
            guint64           line,
            TacitInputError   code,
            const char       *format,
            ...)
{
  va_list args;
  GError *err;

  va_start (args, format);
  err = make_error_va (self, line, code, format, args);
  va_end (args);
  return err;
}

/* Makes err the reader's sticky error and reports a copy. */
static gboolean
fail_with (TacitEventReader *self,
           GError          **error,
           GError           *err)
{
  g_clear_error (&self->error);
  self->error = err;
  g_propagate_error (error, g_error_copy (err));
  return FALSE;
}

static gboolean G_GNUC_PRINTF (5, 6)
fail (TacitEventReader *self,
      GError          **error,
      guint64           line,
      TacitInputError   code,
      const char       *format,
      ...)
{
  va_list args;
  GError *err;

  va_start (args, format);
  err = make_error_va (self, line, code, format, args);
  va_end (args);
  return fail_with (self, error, err);
}

/* Read errors keep their domain (an I/O error is not bad input) but take
 * the FILE:LINE: form; corrupt compressed data is bad input. */
static GError *
make_read_error (TacitEventReader *self,
                 guint64           line,
                 const GError     *io_error)
{
  if (g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA) ||
      g_error_matches (io_error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
    return make_error (self, line, TACIT_INPUT_ERROR_SYNTAX,
                       "corrupt compressed data: %s", io_error->message);
  return g_error_new (io_error->domain, io_error->code, "%s:%" G_GUINT64_FORMAT ": %s",
                      self->display_name, line, io_error->message);
}

/* A user's value, cut to a readable length for an error message. buf
 * holds SHORT_LEN + 4 bytes; s is valid UTF-8. */
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

static gboolean
encoding_problem (const char *text,
                  gsize       len,
                  const char **problem)
{
  const char *bad = NULL;

  if (g_utf8_validate_len (text, len, &bad))
    return FALSE;
  *problem = *bad == '\0' ? "contains a NUL byte" : "invalid UTF-8";
  return TRUE;
}

/* ---- formats --------------------------------------------------------- */

gboolean
tacit_event_format_from_string (const char       *name,
                                TacitEventFormat *out)
{
  static const struct {
    const char       *name;
    TacitEventFormat  format;
  } names[] = {
    { "auto", TACIT_EVENT_FORMAT_AUTO },
    { "csv", TACIT_EVENT_FORMAT_CSV },
    { "jsonl", TACIT_EVENT_FORMAT_JSONL },
    { "ndjson", TACIT_EVENT_FORMAT_JSONL },
    { "json", TACIT_EVENT_FORMAT_JSONL },
    { "mtconnect", TACIT_EVENT_FORMAT_MTCONNECT },
    { "xml", TACIT_EVENT_FORMAT_MTCONNECT },
  };

  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (name, names[i].name) == 0)
      {
        *out = names[i].format;
        return TRUE;
      }
  return FALSE;
}

TacitEventFormat
tacit_event_format_for_path (const char *path)
{
  const char *dot;
  TacitEventFormat format;

  if (path == NULL || (dot = strrchr (path, '.')) == NULL || strchr (dot, '/') != NULL)
    return TACIT_EVENT_FORMAT_AUTO;
  if (tacit_decompress_suffix_len (path) > 0)
    {
      g_autofree char *inner = g_strndup (path, dot - path);
      return tacit_event_format_for_path (inner);
    }
  if (g_ascii_strcasecmp (dot, ".xml") == 0)
    return TACIT_EVENT_FORMAT_MTCONNECT;
  if (!tacit_event_format_from_string (dot + 1, &format) ||
      format == TACIT_EVENT_FORMAT_MTCONNECT)
    return TACIT_EVENT_FORMAT_AUTO;
  return format;
}

/* ---- the block buffer (CSV, JSONL) ----------------------------------- */

typedef enum {
  RECORD_OK,
  RECORD_END,
  RECORD_ERROR,
} RecordStatus;

typedef enum {
  SCAN_OK,
  SCAN_NEED_MORE,
} ScanStatus;

static gboolean
fail_too_long (TacitEventReader *self,
               GError          **error)
{
  return fail (self, error, self->next_line, TACIT_INPUT_ERROR_TOO_LARGE,
               "record is longer than %d MiB", MAX_RECORD / (1024 * 1024));
}

/* Moves the unparsed rest to the front and reads a block behind it. The
 * last event's strings die here, as the contract allows. */
static gboolean
buffer_fill (TacitEventReader *self,
             GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  gsize want, got = 0;

  if (self->pos > 0)
    {
      memmove (self->buf, self->buf + self->pos, self->len - self->pos);
      self->len -= self->pos;
      self->pos = 0;
    }
  if (self->cap - self->len <= BLOCK_SIZE / 2)
    {
      if (self->len > MAX_RECORD)
        return fail_too_long (self, error);
      self->cap = self->cap == 0 ? BLOCK_SIZE : self->cap * 2;
      self->buf = g_realloc (self->buf, self->cap);
    }
  /* One byte stays free: the last record of a file without a final
   * newline is NUL-terminated there. read_all fills the block, so a long
   * record is rescanned O(log n) times, not once per pipe read. */
  want = self->cap - self->len - 1;
  if (!g_input_stream_read_all (self->stream, self->buf + self->len, want, &got,
                                NULL, &local_error))
    return fail_with (self, error, make_read_error (self, self->next_line, local_error));
  if (got < want)
    self->eof = TRUE;
  self->len += got;
  self->bytes_read += got;
  return TRUE;
}

static guint
count_newlines (const char *p,
                const char *end)
{
  guint n = 0;

  while (p < end && (p = memchr (p, '\n', end - p)) != NULL)
    {
      n++;
      p++;
    }
  return n;
}

/* A CSV record that holds quotes: a newline ends it only outside a quoted
 * field. An unterminated quote at the end of the input makes the record
 * run to the end; csv_split reports it with the column's name. */
static ScanStatus
csv_scan_quoted (const char  *p,
                 const char  *end,
                 gboolean     eof,
                 const char **rec_end,
                 guint       *newlines)
{
  gboolean field_start = TRUE;
  guint nls = 0;

  while (p < end)
    {
      if (*p == '"' && field_start)
        {
          for (p++;;)
            {
              const char *q = memchr (p, '"', end - p);
              if (q == NULL)
                {
                  if (!eof)
                    return SCAN_NEED_MORE;
                  *rec_end = end;
                  *newlines = nls;
                  return SCAN_OK;
                }
              nls += count_newlines (p, q);
              p = q + 1;
              if (p == end && !eof)
                return SCAN_NEED_MORE;   /* a "" could straddle the block */
              if (p < end && *p == '"')
                {
                  p++;
                  continue;
                }
              break;
            }
          field_start = FALSE;
          continue;
        }
      if (*p == '\n')
        {
          *rec_end = p;
          *newlines = nls;
          return SCAN_OK;
        }
      field_start = *p == ',';
      p++;
    }
  if (!eof)
    return SCAN_NEED_MORE;
  *rec_end = end;
  *newlines = nls;
  return SCAN_OK;
}

static ScanStatus
scan_record (TacitEventReader *self,
             const char       *p,
             const char       *end,
             const char      **rec_end,
             guint            *newlines)
{
  const char *nl = memchr (p, '\n', end - p);
  const char *stop = nl != NULL ? nl : end;

  /* The common case: no quote before the newline. */
  if (self->format == TACIT_EVENT_FORMAT_JSONL || memchr (p, '"', stop - p) == NULL)
    {
      if (nl == NULL && !self->eof)
        return SCAN_NEED_MORE;
      *rec_end = stop;
      *newlines = 0;
      return SCAN_OK;
    }
  return csv_scan_quoted (p, end, self->eof, rec_end, newlines);
}

/* The next record (CSV) or line (JSONL), without its newline, writable in
 * place; the byte at *end may be overwritten. */
static RecordStatus
next_record (TacitEventReader *self,
             char            **start,
             char            **end,
             guint64          *line,
             GError          **error)
{
  for (;;)
    {
      const char *rec_end = NULL;
      guint newlines = 0;

      if (!self->started && self->len - self->pos < 3 && !self->eof)
        {
          if (!buffer_fill (self, error))
            return RECORD_ERROR;
          continue;
        }
      if (!self->started)
        {
          self->started = TRUE;
          if (self->len - self->pos >= 3 && memcmp (self->buf + self->pos, "\xEF\xBB\xBF", 3) == 0)
            self->pos += 3;   /* a UTF-8 byte order mark */
        }
      if (self->pos >= self->len && self->eof)
        return RECORD_END;
      if (self->pos >= self->len ||
          scan_record (self, self->buf + self->pos, self->buf + self->len,
                       &rec_end, &newlines) == SCAN_NEED_MORE)
        {
          if (!buffer_fill (self, error))
            return RECORD_ERROR;
          continue;
        }
      if ((gsize) (rec_end - (self->buf + self->pos)) > MAX_RECORD)
        {
          fail_too_long (self, error);
          return RECORD_ERROR;
        }
      *start = self->buf + self->pos;
      *end = (char *) rec_end;
      *line = self->next_line;
      self->next_line += 1 + newlines;
      self->pos = MIN ((gsize) (rec_end - self->buf) + 1, self->len);
      return RECORD_OK;
    }
}

/* ---- from fields to an event ----------------------------------------- */

static gboolean
fields_to_event (TacitEventReader *self,
                 Fields           *f,
                 guint64           line,
                 const char       *what,
                 TacitEvent       *event,
                 GError          **error)
{
  const char *problem = NULL;
  char buf[SHORT_LEN + 4];

  for (guint i = 0; i < N_REQUIRED; i++)
    {
      if (f->s[i] == NULL)
        return fail (self, error, line, TACIT_INPUT_ERROR_INVALID,
                     "missing %s \"%s\"", what, field_names[i]);
      if (f->len[i] == 0)
        return fail (self, error, line, TACIT_INPUT_ERROR_INVALID,
                     "%s \"%s\" is empty", what, field_names[i]);
    }
  if (!tacit_time_parse (f->s[F_TIME], f->len[F_TIME], FALSE, &event->time, &problem))
    return fail (self, error, line, TACIT_INPUT_ERROR_INVALID,
                 "%s \"time\": %s", what, problem);
  if (!tacit_kind_from_string (f->s[F_KIND], &event->kind))
    return fail (self, error, line, TACIT_INPUT_ERROR_INVALID,
                 "%s \"kind\": \"%s\" is not sample, event or condition",
                 what, shorten (f->s[F_KIND], buf));
  event->value = f->s[F_VALUE];
  if (event->kind == TACIT_KIND_CONDITION &&
      (event->value = tacit_condition_value_canonical (f->s[F_VALUE])) == NULL)
    return fail (self, error, line, TACIT_INPUT_ERROR_INVALID,
                 "%s \"value\": a condition is normal, warning, fault or unavailable, not \"%s\"",
                 what, shorten (f->s[F_VALUE], buf));
  event->machine = f->s[F_MACHINE];
  event->item = f->s[F_ITEM];
  /* An empty code or text is the same as none. */
  event->code = f->s[F_CODE] != NULL && f->len[F_CODE] > 0 ? f->s[F_CODE] : NULL;
  event->text = f->s[F_TEXT] != NULL && f->len[F_TEXT] > 0 ? f->s[F_TEXT] : NULL;
  self->line = line;
  return TRUE;
}

static int
field_for_name (const char *name,
                gsize       len)
{
  for (guint i = 0; i < N_FIELDS; i++)
    if (strlen (field_names[i]) == len && memcmp (field_names[i], name, len) == 0)
      return (int) i;
  return COL_IGNORED;
}

/* ---- CSV ------------------------------------------------------------- */

/* Splits the record [p, end) into cells in place: quoted cells are
 * unquoted by moving their text left over the opening quote, every cell is
 * NUL-terminated over its delimiter. Fills at most max cells and counts
 * all fields. On a quoting problem, *bad is the field it is in. */
static gboolean
csv_split (char        *p,
           char        *end,
           char       **cells,
           gsize       *lens,
           guint        max,
           guint       *n_fields,
           guint       *bad,
           const char **problem)
{
  guint n = 0;

  if (end > p && end[-1] == '\r')
    end--;
  for (;;)
    {
      char *cell = p;
      char *cell_end;
      gboolean more;

      if (p < end && *p == '"')
        {
          char *w = p;

          for (p++;;)
            {
              char *q = memchr (p, '"', end - p);
              if (q == NULL)
                {
                  *bad = n;
                  *problem = "the quoted field is not closed (a \" is missing)";
                  return FALSE;
                }
              memmove (w, p, q - p);
              w += q - p;
              p = q + 1;
              if (p < end && *p == '"')
                {
                  *w++ = '"';
                  p++;
                  continue;
                }
              break;
            }
          if (p < end && *p != ',')
            {
              *bad = n;
              *problem = "text after the closing quote (a quoted field ends at its closing quote)";
              return FALSE;
            }
          cell_end = w;
        }
      else
        {
          char *comma = memchr (p, ',', end - p);
          cell_end = comma != NULL ? comma : end;
          if (memchr (p, '"', cell_end - p) != NULL)
            {
              *bad = n;
              *problem = "a quote inside an unquoted field (quote the field and double its quotes)";
              return FALSE;
            }
          p = cell_end;
        }
      more = p < end;
      *cell_end = '\0';
      if (n < max)
        {
          cells[n] = cell;
          lens[n] = cell_end - cell;
        }
      n++;
      if (!more)
        break;
      p++;
    }
  *n_fields = n;
  return TRUE;
}

static gboolean
is_blank_csv (const char *start,
              const char *end)
{
  return end == start || (end - start == 1 && *start == '\r');
}

static const char *
column_name (TacitEventReader *self,
             guint             col,
             char             *buf,
             gsize             size)
{
  if (col < self->n_cols)
    g_snprintf (buf, size, "column \"%s\"", self->col_names[col]);
  else
    g_snprintf (buf, size, "field %u", col + 1);
  return buf;
}

static gboolean
csv_read_header (TacitEventReader *self,
                 GError          **error)
{
  char *start = NULL, *end = NULL;
  guint64 line = 1;
  guint max, n = 0, bad = 0;
  const char *problem = NULL;
  guint seen = 0;

  for (;;)
    {
      RecordStatus status = next_record (self, &start, &end, &line, error);

      if (status == RECORD_ERROR)
        return FALSE;
      if (status == RECORD_END)
        return fail (self, error, 1, TACIT_INPUT_ERROR_INVALID,
                     "the file is empty: a CSV file starts with a header row "
                     "(time,machine,kind,item,value)");
      if (!is_blank_csv (start, end))
        break;
    }
  if (encoding_problem (start, end - start, &problem))
    return fail (self, error, line, TACIT_INPUT_ERROR_ENCODING, "header: %s", problem);

  max = 1;   /* a field more than there are commas, quoted ones included */
  for (const char *c = start; (c = memchr (c, ',', end - c)) != NULL; c++)
    max++;
  self->cells = g_new (char *, max);
  self->cell_lens = g_new (gsize, max);
  if (!csv_split (start, end, self->cells, self->cell_lens, max, &n, &bad, &problem))
    return fail (self, error, line, TACIT_INPUT_ERROR_SYNTAX,
                 "header field %u: %s", bad + 1, problem);

  self->col_field = g_new (gint8, n);
  self->col_names = g_new0 (char *, n + 1);
  for (guint i = 0; i < n; i++)
    {
      int field = field_for_name (self->cells[i], self->cell_lens[i]);
      char buf[SHORT_LEN + 4];

      self->col_names[i] = g_strndup (self->cells[i], self->cell_lens[i]);
      self->col_field[i] = (gint8) field;
      if (field == COL_IGNORED)
        {
          if (self->flags & TACIT_EVENT_READER_IGNORE_UNKNOWN_COLUMNS)
            continue;
          return fail (self, error, line, TACIT_INPUT_ERROR_UNKNOWN_COLUMN,
                       "unknown column \"%s\" (the columns are time, machine, kind, "
                       "item, value, code and text)", shorten (self->col_names[i], buf));
        }
      if (seen & (1u << field))
        return fail (self, error, line, TACIT_INPUT_ERROR_INVALID,
                     "column \"%s\" appears twice", field_names[field]);
      seen |= 1u << field;
    }
  for (guint i = 0; i < N_REQUIRED; i++)
    if (!(seen & (1u << i)))
      return fail (self, error, line, TACIT_INPUT_ERROR_INVALID,
                   "missing column \"%s\"", field_names[i]);
  self->n_cols = n;
  return TRUE;
}

static gboolean
csv_encoding_error (TacitEventReader *self,
                    guint64           line,
                    gboolean          split,
                    GError          **error)
{
  const char *problem = "invalid UTF-8";
  char name[64];

  for (guint i = 0; split && i < self->n_cols; i++)
    if (encoding_problem (self->cells[i], self->cell_lens[i], &problem))
      return fail (self, error, line, TACIT_INPUT_ERROR_ENCODING, "%s: %s",
                   column_name (self, i, name, sizeof name), problem);
  return fail (self, error, line, TACIT_INPUT_ERROR_ENCODING, "%s", problem);
}

static gboolean
csv_parse_record (TacitEventReader *self,
                  char             *start,
                  char             *end,
                  guint64           line,
                  TacitEvent       *event,
                  GError          **error)
{
  Fields f = { { NULL } };
  const char *problem = NULL;
  gboolean valid;
  guint n = 0, bad = 0;
  char name[64];

  /* One validation per record; the column is looked for only on failure. */
  valid = g_utf8_validate_len (start, end - start, NULL);
  if (!csv_split (start, end, self->cells, self->cell_lens, self->n_cols, &n, &bad, &problem))
    {
      if (!valid)
        return csv_encoding_error (self, line, FALSE, error);
      return fail (self, error, line, TACIT_INPUT_ERROR_SYNTAX, "%s: %s",
                   column_name (self, bad, name, sizeof name), problem);
    }
  if (!valid)
    return csv_encoding_error (self, line, n == self->n_cols, error);
  if (n != self->n_cols)
    return fail (self, error, line, TACIT_INPUT_ERROR_SYNTAX,
                 "the record has %u field%s, the header has %u",
                 n, n == 1 ? "" : "s", self->n_cols);
  for (guint i = 0; i < self->n_cols; i++)
    {
      int field = self->col_field[i];
      if (field != COL_IGNORED)
        {
          f.s[field] = self->cells[i];
          f.len[field] = self->cell_lens[i];
        }
    }
  return fields_to_event (self, &f, line, "column", event, error);
}

/* The next record that is not blank by is_blank; FALSE at the end (done
 * set) or on error. */
static gboolean
next_filled_record (TacitEventReader *self,
                    gboolean        (*is_blank) (const char *start, const char *end),
                    char            **start,
                    char            **end,
                    guint64          *line,
                    GError          **error)
{
  for (;;)
    {
      switch (next_record (self, start, end, line, error))
        {
        case RECORD_ERROR:
          return FALSE;
        case RECORD_END:
          self->done = TRUE;
          return FALSE;
        case RECORD_OK:
        default:
          break;
        }
      if (!is_blank (*start, *end))
        return TRUE;
    }
}

static gboolean
csv_next (TacitEventReader *self,
          TacitEvent       *event,
          GError          **error)
{
  char *start = NULL, *end = NULL;
  guint64 line = 0;

  if (self->n_cols == 0 && !csv_read_header (self, error))
    return FALSE;
  /* Blank lines (a trailing one is common) hold no record. */
  if (!next_filled_record (self, is_blank_csv, &start, &end, &line, error))
    return FALSE;
  return csv_parse_record (self, start, end, line, event, error);
}

/* ---- JSONL ----------------------------------------------------------- */

/* A strict parser for one flat JSON object per line. Strings are decoded
 * in place (an escape is never shorter than what it stands for) and
 * numbers keep the text they were written with: "57.2" stays "57.2". */
typedef struct {
  char *p;
  char *end;
  char *line;
} Json;

typedef enum {
  JSON_STRING,
  JSON_NUMBER,
  JSON_NULL,
  JSON_BOOLEAN,
  JSON_OBJECT,
  JSON_ARRAY,
} JsonType;

static const char *json_type_names[] = {
  "a string", "a number", "null", "a boolean", "an object", "an array"
};

static void
json_skip_ws (Json *j)
{
  while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\r' || *j->p == '\n'))
    j->p++;
}

static int
json_peek (Json *j)
{
  return j->p < j->end ? (guchar) *j->p : -1;
}

static gboolean
json_hex4 (const char **p,
           const char  *end,
           gunichar    *out)
{
  gunichar u = 0;

  if (end - *p < 4)
    return FALSE;
  for (int i = 0; i < 4; i++)
    {
      int d = g_ascii_xdigit_value ((*p)[i]);
      if (d < 0)
        return FALSE;
      u = u * 16 + (gunichar) d;
    }
  *p += 4;
  *out = u;
  return TRUE;
}

/* A \u escape at r (after the "\u"), with a surrogate pair's second half. */
static const char *
json_unicode_escape (const char **r,
                     const char  *end,
                     gunichar    *out)
{
  gunichar u, lo;

  if (!json_hex4 (r, end, &u))
    return "\\u needs four hex digits";
  if (u >= 0xDC00 && u <= 0xDFFF)
    return "\\u escape is a lone low surrogate";
  if (u >= 0xD800 && u <= 0xDBFF)
    {
      if (end - *r < 2 || (*r)[0] != '\\' || (*r)[1] != 'u')
        return "\\u escape is a lone high surrogate";
      *r += 2;
      if (!json_hex4 (r, end, &lo))
        return "\\u needs four hex digits";
      if (lo < 0xDC00 || lo > 0xDFFF)
        return "\\u escape is a lone high surrogate";
      u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
    }
  if (u == 0)
    return "\\u0000 (a NUL character) is not allowed";
  *out = u;
  return NULL;
}

static const char *
json_string (Json   *j,
             char  **out,
             gsize  *out_len)
{
  char *w = j->p;
  const char *r = j->p + 1;
  char *start = w;

  for (;;)
    {
      guchar c;

      if (r >= j->end)
        return "unterminated string";
      c = (guchar) *r;
      if (c == '"')
        break;
      if (c < 0x20)
        return "control character in a string (write it as an escape such as \\n)";
      if (c != '\\')
        {
          *w++ = *r++;
          continue;
        }
      if (++r >= j->end)
        return "unterminated string";
      switch (*r++)
        {
        case '"': *w++ = '"'; break;
        case '\\': *w++ = '\\'; break;
        case '/': *w++ = '/'; break;
        case 'b': *w++ = '\b'; break;
        case 'f': *w++ = '\f'; break;
        case 'n': *w++ = '\n'; break;
        case 'r': *w++ = '\r'; break;
        case 't': *w++ = '\t'; break;
        case 'u':
          {
            gunichar u = 0;
            const char *problem = json_unicode_escape (&r, j->end, &u);
            if (problem != NULL)
              return problem;
            w += g_unichar_to_utf8 (u, w);
            break;
          }
        default:
          return "invalid escape in a string";
        }
    }
  /* w never passes r: the terminator lands at or before the closing quote. */
  *w = '\0';
  *out = start;
  *out_len = w - start;
  j->p = (char *) r + 1;
  return NULL;
}

static gboolean
is_digit (const char *p,
          const char *end)
{
  return p < end && *p >= '0' && *p <= '9';
}

static const char *
json_number (Json   *j,
             char  **out,
             gsize  *out_len)
{
  char *p = j->p;

  if (p < j->end && *p == '-')
    p++;
  if (p < j->end && *p == '0')
    p++;
  else if (is_digit (p, j->end))
    while (is_digit (p, j->end))
      p++;
  else
    return "invalid number";
  if (p < j->end && *p == '.')
    {
      if (!is_digit (++p, j->end))
        return "invalid number (no digit after '.')";
      while (is_digit (p, j->end))
        p++;
    }
  if (p < j->end && (*p == 'e' || *p == 'E'))
    {
      p++;
      if (p < j->end && (*p == '+' || *p == '-'))
        p++;
      if (!is_digit (p, j->end))
        return "invalid number (no digit in the exponent)";
      while (is_digit (p, j->end))
        p++;
    }
  *out = j->p;
  *out_len = p - j->p;
  j->p = p;
  return NULL;
}

static gboolean
json_literal (Json       *j,
              const char *word)
{
  gsize n = strlen (word);

  if ((gsize) (j->end - j->p) < n || memcmp (j->p, word, n) != 0)
    return FALSE;
  j->p += n;
  return TRUE;
}

static const char *json_skip_value (Json *j, guint depth);

static const char *
json_skip_container (Json *j,
                     guint depth)
{
  char close = *j->p == '{' ? '}' : ']';
  gboolean object = close == '}';
  const char *problem;
  char *s;
  gsize n;

  if (depth > JSON_MAX_DEPTH)
    return "nested deeper than 64 levels";
  j->p++;
  json_skip_ws (j);
  if (json_peek (j) == close)
    {
      j->p++;
      return NULL;
    }
  for (;;)
    {
      if (object)
        {
          if (json_peek (j) != '"')
            return "expected a key (a string)";
          if ((problem = json_string (j, &s, &n)) != NULL)
            return problem;
          json_skip_ws (j);
          if (json_peek (j) != ':')
            return "expected ':' after a key";
          j->p++;
          json_skip_ws (j);
        }
      if ((problem = json_skip_value (j, depth + 1)) != NULL)
        return problem;
      json_skip_ws (j);
      if (json_peek (j) == close)
        {
          j->p++;
          return NULL;
        }
      if (json_peek (j) != ',')
        return object ? "expected ',' or '}'" : "expected ',' or ']'";
      j->p++;
      json_skip_ws (j);
    }
}

/* Any JSON value (for keys read past with IGNORE_UNKNOWN_COLUMNS). */
static const char *
json_skip_value (Json *j,
                 guint depth)
{
  char *s;
  gsize n;

  switch (json_peek (j))
    {
    case '"':
      return json_string (j, &s, &n);
    case '{':
    case '[':
      return json_skip_container (j, depth);
    case 't':
    case 'f':
    case 'n':
      if (json_literal (j, "true") || json_literal (j, "false") || json_literal (j, "null"))
        return NULL;
      return "expected a value";
    default:
      if (json_peek (j) == '-' || is_digit (j->p, j->end))
        return json_number (j, &s, &n);
      return "expected a value";
    }
}

/* A known key's value: strings and numbers are read, the rest only named. */
static const char *
json_field_value (Json      *j,
                  JsonType  *type,
                  char     **s,
                  gsize     *n)
{
  switch (json_peek (j))
    {
    case '"':
      *type = JSON_STRING;
      return json_string (j, s, n);
    case '{':
      *type = JSON_OBJECT;
      return NULL;
    case '[':
      *type = JSON_ARRAY;
      return NULL;
    default:
      if (json_literal (j, "null"))
        *type = JSON_NULL;
      else if (json_literal (j, "true") || json_literal (j, "false"))
        *type = JSON_BOOLEAN;
      else if (json_peek (j) == '-' || is_digit (j->p, j->end))
        {
          *type = JSON_NUMBER;
          return json_number (j, s, n);
        }
      else
        return "expected a value";
      return NULL;
    }
}

static gboolean
json_type_allowed (Field    field,
                   JsonType type)
{
  switch (field)
    {
    case F_VALUE:
      return type == JSON_STRING || type == JSON_NUMBER;
    case F_CODE:
    case F_TEXT:
      /* Codes are often written as numbers (1234); null means none. */
      return type == JSON_STRING || type == JSON_NUMBER || type == JSON_NULL;
    case F_TIME:
    case F_MACHINE:
    case F_KIND:
    case F_ITEM:
    default:
      return type == JSON_STRING;
    }
}

static gboolean
json_fail (TacitEventReader *self,
           Json             *j,
           guint64           line,
           const char       *problem,
           GError          **error)
{
  return fail (self, error, line, TACIT_INPUT_ERROR_SYNTAX,
               "invalid JSON at column %u: %s", (guint) (j->p - j->line) + 1, problem);
}

/* A key that is no event field: an error, or read past when asked to. */
static gboolean
json_unknown_key (TacitEventReader *self,
                  Json             *j,
                  guint64           line,
                  const char       *key,
                  GError          **error)
{
  const char *problem;
  char buf[SHORT_LEN + 4];

  if (!(self->flags & TACIT_EVENT_READER_IGNORE_UNKNOWN_COLUMNS))
    return fail (self, error, line, TACIT_INPUT_ERROR_UNKNOWN_COLUMN,
                 "unknown key \"%s\" (the keys are time, machine, kind, item, value, "
                 "code and text)", shorten (key, buf));
  for (guint i = 0; i < self->ignored_keys->len; i++)
    if (strcmp (g_ptr_array_index (self->ignored_keys, i), key) == 0)
      return fail (self, error, line, TACIT_INPUT_ERROR_SYNTAX,
                   "key \"%s\" appears twice", shorten (key, buf));
  g_ptr_array_add (self->ignored_keys, (char *) key);
  if ((problem = json_skip_value (j, 1)) != NULL)
    return json_fail (self, j, line, problem, error);
  return TRUE;
}

static gboolean
json_member (TacitEventReader *self,
             Json             *j,
             guint64           line,
             Fields           *f,
             guint            *seen,
             GError          **error)
{
  const char *problem;
  char *key = NULL, *s = NULL;
  gsize key_len = 0, n = 0;
  JsonType type = JSON_NULL;
  int field;

  if (json_peek (j) != '"')
    return json_fail (self, j, line, "expected a key (a string)", error);
  if ((problem = json_string (j, &key, &key_len)) != NULL)
    return json_fail (self, j, line, problem, error);
  json_skip_ws (j);
  if (json_peek (j) != ':')
    return json_fail (self, j, line, "expected ':' after a key", error);
  j->p++;
  json_skip_ws (j);

  field = field_for_name (key, key_len);
  if (field == COL_IGNORED)
    return json_unknown_key (self, j, line, key, error);
  if (*seen & (1u << field))
    return fail (self, error, line, TACIT_INPUT_ERROR_SYNTAX,
                 "key \"%s\" appears twice", field_names[field]);
  *seen |= 1u << field;
  if ((problem = json_field_value (j, &type, &s, &n)) != NULL)
    return json_fail (self, j, line, problem, error);
  if (!json_type_allowed (field, type))
    return fail (self, error, line, TACIT_INPUT_ERROR_INVALID, "key \"%s\" must be %s, not %s",
                 field_names[field],
                 field == F_VALUE ? "a string or a number" :
                 field == F_CODE || field == F_TEXT ? "a string or null" : "a string",
                 json_type_names[type]);
  if (type != JSON_NULL)
    {
      f->s[field] = s;
      f->len[field] = n;
    }
  return TRUE;
}

static gboolean
is_blank_json (const char *p,
               const char *end)
{
  for (; p < end; p++)
    if (*p != ' ' && *p != '\t' && *p != '\r')
      return FALSE;
  return TRUE;
}

static gboolean
jsonl_parse_line (TacitEventReader *self,
                  char             *start,
                  char             *end,
                  guint64           line,
                  TacitEvent       *event,
                  GError          **error)
{
  Json j = { start, end, start };
  Fields f = { { NULL } };
  const char *bad = NULL;
  guint seen = 0;

  if (!g_utf8_validate_len (start, end - start, &bad))
    return fail (self, error, line, TACIT_INPUT_ERROR_ENCODING, "%s at column %u",
                 *bad == '\0' ? "NUL byte" : "invalid UTF-8", (guint) (bad - start) + 1);
  g_ptr_array_set_size (self->ignored_keys, 0);
  json_skip_ws (&j);
  if (json_peek (&j) != '{')
    return json_fail (self, &j, line, "a line must hold one JSON object", error);
  j.p++;
  json_skip_ws (&j);
  if (json_peek (&j) == '}')
    j.p++;
  else
    for (;;)
      {
        if (!json_member (self, &j, line, &f, &seen, error))
          return FALSE;
        json_skip_ws (&j);
        if (json_peek (&j) == '}')
          {
            j.p++;
            break;
          }
        if (json_peek (&j) != ',')
          return json_fail (self, &j, line, "expected ',' or '}'", error);
        j.p++;
        json_skip_ws (&j);
      }
  json_skip_ws (&j);
  if (j.p != j.end)
    return json_fail (self, &j, line, "text after the object", error);
  /* Numbers end on a delimiter that has been read by now: terminate them. */
  for (guint i = 0; i < N_FIELDS; i++)
    if (f.s[i] != NULL)
      ((char *) f.s[i])[f.len[i]] = '\0';
  return fields_to_event (self, &f, line, "key", event, error);
}

static gboolean
jsonl_next (TacitEventReader *self,
            TacitEvent       *event,
            GError          **error)
{
  char *start = NULL, *end = NULL;
  guint64 line = 0;

  if (!next_filled_record (self, is_blank_json, &start, &end, &line, error))
    return FALSE;
  return jsonl_parse_line (self, start, end, line, event, error);
}

/* ---- MTConnect Streams XML ------------------------------------------- */

/* An observation, compact: its strings are offsets into one arena. */
typedef struct {
  TacitTime time;
  guint64   sequence;
  guint32   index;           /* document position */
  guint32   line;
  guint32   machine;
  guint32   item;
  guint32   value;
  guint32   code;
  guint32   text;
  guint8    kind;
  guint8    has_sequence;
} Observation;

#define NO_STRING G_MAXUINT32

/* What an element is, from its name and its parent's role. */
typedef enum {
  ROLE_OTHER,
  ROLE_STREAMS_ROOT,
  ROLE_HEADER,
  ROLE_STREAMS,
  ROLE_DEVICE,
  ROLE_COMPONENT,
  ROLE_CONTAINER,
  ROLE_OBSERVATION,
  ROLE_ENTRY,
  ROLE_CELL,
  ROLE_ERROR_ROOT,
  ROLE_AGENT_ERROR,
} Role;

typedef enum {
  A_NAME,
  A_DATA_ITEM_ID,
  A_TIMESTAMP,
  A_SEQUENCE,
  A_NATIVE_CODE,
  A_KEY,
  A_REMOVED,
  A_ERROR_CODE,
  A_UUID,
  A_INSTANCE_ID,
  A_FIRST_SEQUENCE,
  A_LAST_SEQUENCE,
  A_NEXT_SEQUENCE,
  N_ATTRS,
} Attr;

static const char *attr_names[N_ATTRS] = {
  "name", "dataItemId", "timestamp", "sequence", "nativeCode", "key", "removed",
  "errorCode", "uuid", "instanceId", "firstSequence", "lastSequence", "nextSequence",
};

/* The prolog scanner's states: DOCTYPE is refused before libxml2 sees it
 * (with a DOCTYPE libxml2 may expand entities before the reader reports
 * the document type node). */
typedef enum {
  PROLOG_TOP,
  PROLOG_LT,
  PROLOG_PI,
  PROLOG_PI_QUESTION,
  PROLOG_BANG,
  PROLOG_COMMENT,
  PROLOG_COMMENT_DASH,
  PROLOG_COMMENT_DASHES,
  PROLOG_DONE,
} PrologState;

struct _XmlState
{
  xmlTextReaderPtr      reader;
  GError               *input_error;    /* read failure, NUL byte, DOCTYPE */
  PrologState           prolog;
  char                  bang[8];
  guint                 bang_len;
  guint64               raw_line;       /* line of the next byte handed to libxml2 */

  int                   xml_code;       /* libxml2's first error */
  int                   xml_line;
  char                 *xml_message;
  char                 *xml_str1;
  char                 *xml_open;       /* innermost open element then */
  gboolean              xml_has_root;

  guint8                roles[XML_MAX_DEPTH];
  GString              *attrs[N_ATTRS];
  guint                 attrs_set;
  guint32               machine;
  TacitKind             kind;
  guint32               condition_values[4];

  Observation           obs;            /* the one being read */
  const char           *condition;      /* its canonical condition value */
  char                 *obs_name;
  GString              *text;           /* its own text */
  GString              *value;          /* its entries, flattened */
  gboolean              has_entries;
  gboolean              entry_removed;
  GString              *entry_key;
  GString              *entry_text;
  GString              *cells;
  guint                 n_cells;
  GString              *cell_key;
  GString              *cell_text;

  GString              *agent_error;    /* an MTConnectError's text */
  guint64               agent_error_line;

  GString              *arena;
  GArray               *observations;
  guint                 emitted;
  gboolean              parsed;
  gboolean              has_header;
  TacitMtconnectHeader  header;
};

static XmlState *
xml_state_new (void)
{
  XmlState *x = g_new0 (XmlState, 1);

  x->raw_line = 1;
  for (guint i = 0; i < N_ATTRS; i++)
    x->attrs[i] = g_string_new (NULL);
  for (guint i = 0; i < G_N_ELEMENTS (x->condition_values); i++)
    x->condition_values[i] = NO_STRING;
  x->text = g_string_new (NULL);
  x->value = g_string_new (NULL);
  x->entry_key = g_string_new (NULL);
  x->entry_text = g_string_new (NULL);
  x->cells = g_string_new (NULL);
  x->cell_key = g_string_new (NULL);
  x->cell_text = g_string_new (NULL);
  x->arena = g_string_sized_new (64 * 1024);
  x->observations = g_array_new (FALSE, FALSE, sizeof (Observation));
  return x;
}

static void
xml_state_free (XmlState *x)
{
  if (x->reader != NULL)
    xmlFreeTextReader (x->reader);
  g_clear_error (&x->input_error);
  g_free (x->xml_message);
  g_free (x->xml_str1);
  g_free (x->xml_open);
  for (guint i = 0; i < N_ATTRS; i++)
    g_string_free (x->attrs[i], TRUE);
  g_free (x->obs_name);
  g_string_free (x->text, TRUE);
  g_string_free (x->value, TRUE);
  g_string_free (x->entry_key, TRUE);
  g_string_free (x->entry_text, TRUE);
  g_string_free (x->cells, TRUE);
  g_string_free (x->cell_key, TRUE);
  g_string_free (x->cell_text, TRUE);
  if (x->agent_error != NULL)
    g_string_free (x->agent_error, TRUE);
  g_string_free (x->arena, TRUE);
  g_array_unref (x->observations);
  g_free (x);
}

/* Tracks the prolog (XML declaration, processing instructions, comments)
 * up to the root element. Returns FALSE at a DOCTYPE. */
static gboolean
xml_scan_prolog (XmlState   *x,
                 const char *buf,
                 gsize       n,
                 gsize      *consumed)
{
  gsize i;

  for (i = 0; i < n && x->prolog != PROLOG_DONE; i++)
    {
      char c = buf[i];

      if (c == '\n')
        x->raw_line++;
      switch (x->prolog)
        {
        case PROLOG_TOP:
          if (c == '<')
            x->prolog = PROLOG_LT;
          else if (c != ' ' && c != '\t' && c != '\r' && c != '\n' &&
                   (guchar) c != 0xEF && (guchar) c != 0xBB && (guchar) c != 0xBF)
            x->prolog = PROLOG_DONE;   /* libxml2 says what is wrong */
          break;
        case PROLOG_LT:
          x->bang_len = 0;
          x->prolog = c == '?' ? PROLOG_PI : c == '!' ? PROLOG_BANG : PROLOG_DONE;
          break;
        case PROLOG_PI:
          if (c == '?')
            x->prolog = PROLOG_PI_QUESTION;
          break;
        case PROLOG_PI_QUESTION:
          x->prolog = c == '>' ? PROLOG_TOP : c == '?' ? PROLOG_PI_QUESTION : PROLOG_PI;
          break;
        case PROLOG_BANG:
          x->bang[x->bang_len++] = c;
          if (x->bang_len == 2 && memcmp (x->bang, "--", 2) == 0)
            x->prolog = PROLOG_COMMENT;
          else if (x->bang_len == 1 && c == '-')
            ;
          else if (strncmp (x->bang, "DOCTYPE", x->bang_len) == 0)
            {
              if (x->bang_len == 7)
                return FALSE;
            }
          else
            x->prolog = PROLOG_DONE;
          break;
        case PROLOG_COMMENT:
          if (c == '-')
            x->prolog = PROLOG_COMMENT_DASH;
          break;
        case PROLOG_COMMENT_DASH:
          x->prolog = c == '-' ? PROLOG_COMMENT_DASHES : PROLOG_COMMENT;
          break;
        case PROLOG_COMMENT_DASHES:
          x->prolog = c == '>' ? PROLOG_TOP : c == '-' ? PROLOG_COMMENT_DASHES : PROLOG_COMMENT;
          break;
        case PROLOG_DONE:
        default:
          break;
        }
    }
  *consumed = i;
  return TRUE;
}

/* libxml2's input callback: our own checks run on the raw bytes first. */
static int
xml_input_read (void *context,
                char *buffer,
                int   len)
{
  TacitEventReader *self = context;
  XmlState *x = self->xml;
  g_autoptr(GError) local_error = NULL;
  gssize n;
  gsize scan, done = 0;
  const char *nul;

  if (x->input_error != NULL)
    return -1;
  n = g_input_stream_read (self->stream, buffer, len, NULL, &local_error);
  if (n < 0)
    {
      x->input_error = make_read_error (self, x->raw_line, local_error);
      return -1;
    }
  self->bytes_read += n;
  nul = memchr (buffer, '\0', n);
  scan = nul != NULL ? (gsize) (nul - buffer) : (gsize) n;
  if (!xml_scan_prolog (x, buffer, scan, &done))
    {
      x->input_error = make_error (self, x->raw_line, TACIT_INPUT_ERROR_FORBIDDEN,
                                   "documents with a DOCTYPE are refused");
      return -1;
    }
  x->raw_line += count_newlines (buffer + done, buffer + scan);
  if (nul != NULL)
    {
      x->input_error = make_error (self, x->raw_line, TACIT_INPUT_ERROR_ENCODING,
                                   "contains a NUL byte");
      return -1;
    }
  return (int) n;
}

static void
xml_structured_error (void        *data,
                      xmlErrorPtr  err)
{
  XmlState *x = data;
  const char *msg;

  /* Namespace errors (an undeclared prefix such as x: on a vendor
   * element) do not stop the parser, and elements are read by local name:
   * real agents' documents must import. */
  if (err->level < XML_ERR_ERROR || err->domain == XML_FROM_NAMESPACE || x->xml_message != NULL)
    return;
  msg = err->message != NULL ? err->message : "unknown error";
  x->xml_code = err->code;
  x->xml_line = err->line;
  /* The first line only: encoding errors add a "Bytes: 0x.." line. */
  x->xml_message = g_strndup (msg, strcspn (msg, "\n"));
  g_strstrip (x->xml_message);
  x->xml_str1 = g_strdup (err->str1);
  /* The parser runs ahead of the reader: only its context knows which
   * elements were open when the input ended. */
  if (err->domain == XML_FROM_PARSER && err->ctxt != NULL)
    {
      xmlParserCtxtPtr ctxt = err->ctxt;

      if (ctxt->nameNr > 0 && ctxt->name != NULL)
        x->xml_open = g_strdup ((const char *) ctxt->name);
      x->xml_has_root = ctxt->myDoc != NULL && xmlDocGetRootElement (ctxt->myDoc) != NULL;
    }
}

/* libxml2 errors in Tacit's words and codes. */
static gboolean
xml_parser_error (TacitEventReader *self,
                  GError          **error)
{
  XmlState *x = self->xml;
  guint64 line = x->xml_line > 0 ? (guint64) x->xml_line : x->raw_line;
  const char *msg = x->xml_message != NULL ? x->xml_message : "unknown error";

  if (self->bytes_read == 0)
    return fail (self, error, 1, TACIT_INPUT_ERROR_SYNTAX, "the document is empty");
  switch (x->xml_code)
    {
    case XML_I18N_CONV_FAILED:
    case XML_IO_ENCODER:
      return fail (self, error, line, TACIT_INPUT_ERROR_ENCODING,
                   "the bytes do not match the declared encoding (%s)", msg);
    case XML_ERR_INVALID_CHAR:
      if (g_str_has_prefix (msg, "Input is not proper UTF-8"))
        return fail (self, error, line, TACIT_INPUT_ERROR_ENCODING, "invalid UTF-8");
      return fail (self, error, line, TACIT_INPUT_ERROR_ENCODING, "%s", msg);
    case XML_ERR_UNDECLARED_ENTITY:
    case XML_WAR_UNDECLARED_ENTITY:
    case XML_ERR_ENTITY_LOOP:
      return fail (self, error, line, TACIT_INPUT_ERROR_FORBIDDEN,
                   "entity references are refused (&%s;)",
                   x->xml_str1 != NULL ? x->xml_str1 : "…");
    case XML_ERR_DOCUMENT_END:
      /* The push parser says "Extra content" for a truncated document. */
      if (x->xml_open != NULL)
        return fail (self, error, line, TACIT_INPUT_ERROR_SYNTAX,
                     "the document ends inside <%s> (is it truncated?)", x->xml_open);
      if (!x->xml_has_root)
        return fail (self, error, line, TACIT_INPUT_ERROR_SYNTAX,
                     "the document has no root element");
      break;
    case XML_ERR_INTERNAL_ERROR:
      if (strstr (msg, "Huge") != NULL || strstr (msg, "depth") != NULL)
        return fail (self, error, line, TACIT_INPUT_ERROR_TOO_LARGE,
                     "the document exceeds the XML parser's limits (%s)", msg);
      break;
    default:
      break;
    }
  return fail (self, error, line, TACIT_INPUT_ERROR_SYNTAX, "malformed XML: %s", msg);
}

static guint64
xml_node_line (XmlState *x)
{
  xmlNodePtr node = xmlTextReaderCurrentNode (x->reader);
  long line = node != NULL ? xmlGetLineNo (node) : -1;

  /* Element nodes keep at most 65535; past that the parser's position is
   * the best there is (it reads ahead by at most a few kilobytes). */
  if (line <= 0 || line >= 65535)
    line = xmlTextReaderGetParserLineNumber (x->reader);
  return line > 0 ? (guint64) line : 1;
}

/* The local name, also of an element whose prefix is not declared (which
 * libxml2 leaves as "x:PalletNumber"). */
static const char *
xml_local_name (xmlTextReaderPtr r)
{
  const char *name = (const char *) xmlTextReaderConstLocalName (r);
  const char *colon = name != NULL ? strchr (name, ':') : NULL;

  return colon != NULL ? colon + 1 : name != NULL ? name : "";
}

static gboolean
xml_read_attributes (TacitEventReader *self,
                     const char       *element,
                     guint64           line,
                     GError          **error)
{
  XmlState *x = self->xml;
  xmlTextReaderPtr r = x->reader;

  x->attrs_set = 0;
  if (xmlTextReaderHasAttributes (r) != 1)
    return TRUE;
  for (int ok = xmlTextReaderMoveToFirstAttribute (r); ok == 1;
       ok = xmlTextReaderMoveToNextAttribute (r))
    {
      const char *name = (const char *) xmlTextReaderConstLocalName (r);
      const char *value = (const char *) xmlTextReaderConstValue (r);
      gsize len = value != NULL ? strlen (value) : 0;

      if (len > XML_MAX_VALUE)
        return fail (self, error, line, TACIT_INPUT_ERROR_TOO_LARGE,
                     "<%s> attribute \"%s\" is longer than 1 MiB", element, name);
      /* xmlns declarations, xsi: and vendor attributes are not ours. */
      if (value == NULL || xmlTextReaderConstNamespaceUri (r) != NULL)
        continue;
      for (guint i = 0; i < N_ATTRS; i++)
        if (strcmp (name, attr_names[i]) == 0)
          {
            g_string_assign (x->attrs[i], value);
            x->attrs_set |= 1u << i;
            break;
          }
    }
  xmlTextReaderMoveToElement (r);
  return TRUE;
}

static const char *
xml_attr (XmlState *x,
          Attr      attr)
{
  return x->attrs_set & (1u << attr) ? x->attrs[attr]->str : NULL;
}

static gboolean
xml_attr_u64 (TacitEventReader *self,
              const char       *element,
              Attr              attr,
              guint64           line,
              guint64          *out,
              gboolean         *present,
              GError          **error)
{
  const char *text = xml_attr (self->xml, attr);

  if (present != NULL)
    *present = text != NULL;
  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, out, NULL))
    return fail (self, error, line, TACIT_INPUT_ERROR_INVALID,
                 "<%s> attribute \"%s\" is not a whole number", element, attr_names[attr]);
  return TRUE;
}

static gboolean
arena_add (TacitEventReader *self,
           const char       *s,
           gsize             len,
           guint32          *out,
           GError          **error)
{
  GString *arena = self->xml->arena;

  if (arena->len + len + 1 >= NO_STRING)
    return fail (self, error, xml_node_line (self->xml), TACIT_INPUT_ERROR_TOO_LARGE,
                 "the document holds more than 4 GiB of text");
  *out = (guint32) arena->len;
  g_string_append_len (arena, s, len);
  g_string_append_c (arena, '\0');
  return TRUE;
}

/* XML whitespace is trimmed: pretty-printing is not part of a value. */
static const char *
trimmed (GString *s,
         gsize   *len)
{
  const char *p = s->str;
  const char *end = s->str + s->len;

  while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
    p++;
  while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n'))
    end--;
  *len = end - p;
  return p;
}

static gboolean
xml_read_header (TacitEventReader *self,
                 guint64           line,
                 GError          **error)
{
  XmlState *x = self->xml;
  TacitMtconnectHeader *h = &x->header;

  if (!xml_attr_u64 (self, "Header", A_INSTANCE_ID, line, &h->instance_id, NULL, error) ||
      !xml_attr_u64 (self, "Header", A_FIRST_SEQUENCE, line, &h->first_sequence, NULL, error) ||
      !xml_attr_u64 (self, "Header", A_LAST_SEQUENCE, line, &h->last_sequence, NULL, error) ||
      !xml_attr_u64 (self, "Header", A_NEXT_SEQUENCE, line, &h->next_sequence, NULL, error))
    return FALSE;
  x->has_header = TRUE;
  return TRUE;
}

static gboolean
xml_begin_device (TacitEventReader *self,
                  guint64           line,
                  GError          **error)
{
  XmlState *x = self->xml;
  const char *name = xml_attr (x, A_NAME);

  if (name == NULL || *name == '\0')
    name = xml_attr (x, A_UUID);
  if (name == NULL || *name == '\0')
    return fail (self, error, line, TACIT_INPUT_ERROR_INVALID,
                 "<DeviceStream> has no name attribute");
  return arena_add (self, name, strlen (name), &x->machine, error);
}

static gboolean
xml_begin_observation (TacitEventReader *self,
                       const char       *element,
                       guint64           line,
                       GError          **error)
{
  XmlState *x = self->xml;
  Observation *o = &x->obs;
  const char *timestamp = xml_attr (x, A_TIMESTAMP);
  const char *item = xml_attr (x, A_NAME);
  const char *code = xml_attr (x, A_NATIVE_CODE);
  const char *problem = NULL;
  gboolean has_sequence = FALSE;

  memset (o, 0, sizeof *o);
  o->kind = x->kind;
  o->line = (guint32) MIN (line, G_MAXUINT32);
  o->machine = x->machine;
  o->index = x->observations->len;
  o->code = o->text = NO_STRING;
  g_free (x->obs_name);
  x->obs_name = g_strdup (element);
  g_string_truncate (x->text, 0);
  g_string_truncate (x->value, 0);
  x->has_entries = FALSE;

  if (x->kind == TACIT_KIND_CONDITION &&
      (x->condition = tacit_condition_value_canonical (element)) == NULL)
    return fail (self, error, line, TACIT_INPUT_ERROR_INVALID,
                 "<%s> in <Condition> is not Normal, Warning, Fault or Unavailable", element);
  if (timestamp == NULL)
    return fail (self, error, line, TACIT_INPUT_ERROR_INVALID,
                 "<%s> has no timestamp attribute", element);
  if (!tacit_time_parse (timestamp, strlen (timestamp), TRUE, &o->time, &problem))
    return fail (self, error, line, TACIT_INPUT_ERROR_INVALID,
                 "<%s> attribute \"timestamp\": %s", element, problem);
  if (!xml_attr_u64 (self, element, A_SEQUENCE, line, &o->sequence, &has_sequence, error))
    return FALSE;
  o->has_sequence = has_sequence;
  if (item == NULL || *item == '\0')
    item = xml_attr (x, A_DATA_ITEM_ID);
  if (item == NULL || *item == '\0')
    return fail (self, error, line, TACIT_INPUT_ERROR_INVALID,
                 "<%s> has neither a name nor a dataItemId attribute", element);
  if (!arena_add (self, item, strlen (item), &o->item, error))
    return FALSE;
  if (code != NULL && *code != '\0' && !arena_add (self, code, strlen (code), &o->code, error))
    return FALSE;
  return TRUE;
}

static gboolean
xml_end_observation (TacitEventReader *self,
                     GError          **error)
{
  XmlState *x = self->xml;
  Observation *o = &x->obs;
  gsize len = 0;
  const char *text = trimmed (x->text, &len);

  if (o->kind == TACIT_KIND_CONDITION)
    {
      static const char *levels[] = { "normal", "warning", "fault", "unavailable" };
      guint slot = 0;

      /* The four condition values are stored once per document. */
      while (slot < G_N_ELEMENTS (levels) - 1 && strcmp (x->condition, levels[slot]) != 0)
        slot++;
      if (x->condition_values[slot] == NO_STRING &&
          !arena_add (self, x->condition, strlen (x->condition), &x->condition_values[slot], error))
        return FALSE;
      o->value = x->condition_values[slot];
      if (len > 0 && !arena_add (self, text, len, &o->text, error))
        return FALSE;
    }
  else if (x->has_entries)
    {
      if (x->value->len > XML_MAX_VALUE)
        return fail (self, error, o->line, TACIT_INPUT_ERROR_TOO_LARGE,
                     "<%s> has more than 1 MiB of entries", x->obs_name);
      if (!arena_add (self, x->value->str, x->value->len, &o->value, error))
        return FALSE;
    }
  else if (!arena_add (self, text, len, &o->value, error))
    return FALSE;
  g_array_append_val (x->observations, *o);
  return TRUE;
}

static gboolean
xml_begin_entry (TacitEventReader *self,
                 const char       *element,
                 gboolean          cell,
                 guint64           line,
                 GError          **error)
{
  XmlState *x = self->xml;
  const char *key = xml_attr (x, A_KEY);

  if (key == NULL)
    return fail (self, error, line, TACIT_INPUT_ERROR_INVALID,
                 "<%s> has no key attribute", element);
  if (cell)
    {
      g_string_assign (x->cell_key, key);
      g_string_truncate (x->cell_text, 0);
      return TRUE;
    }
  x->has_entries = TRUE;
  x->entry_removed = g_strcmp0 (xml_attr (x, A_REMOVED), "true") == 0;
  g_string_assign (x->entry_key, key);
  g_string_truncate (x->entry_text, 0);
  g_string_truncate (x->cells, 0);
  x->n_cells = 0;
  return TRUE;
}

/* DataSet and Table observations (MTConnect 2.x) flatten to one readable
 * value, entries in document order separated by spaces: a DataSet
 * <Entry key="a">1</Entry><Entry key="b">2</Entry> is "a=1 b=2", a Table
 * row of cells is "row={c1=1 c2=2}". Entries with removed="true" are left
 * out. Keys and values are not escaped: MTConnect keys are identifiers. */
static void
xml_end_cell (XmlState *x)
{
  gsize len = 0;
  const char *text = trimmed (x->cell_text, &len);

  if (x->n_cells++ > 0)
    g_string_append_c (x->cells, ' ');
  g_string_append_len (x->cells, x->cell_key->str, x->cell_key->len);
  g_string_append_c (x->cells, '=');
  g_string_append_len (x->cells, text, len);
}

static void
xml_end_entry (XmlState *x)
{
  gsize len = 0;
  const char *text = trimmed (x->entry_text, &len);

  if (x->entry_removed)
    return;
  if (x->value->len > 0)
    g_string_append_c (x->value, ' ');
  g_string_append_len (x->value, x->entry_key->str, x->entry_key->len);
  g_string_append_c (x->value, '=');
  if (x->n_cells > 0)
    {
      g_string_append_c (x->value, '{');
      g_string_append_len (x->value, x->cells->str, x->cells->len);
      g_string_append_c (x->value, '}');
    }
  else
    g_string_append_len (x->value, text, len);
}

static gboolean
xml_agent_error (TacitEventReader *self,
                 GError          **error)
{
  XmlState *x = self->xml;
  g_auto(GStrv) words = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  if (x->agent_error == NULL)
    return fail (self, error, xml_node_line (x), TACIT_INPUT_ERROR_INVALID,
                 "the agent returned an MTConnectError document");
  /* Collapse the pretty-printing whitespace of nested error elements. */
  words = g_strsplit_set (x->agent_error->str, " \t\r\n", -1);
  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      g_string_append_printf (text, "%s%s", text->len > 0 ? " " : "", words[i]);
  return fail (self, error, x->agent_error_line, TACIT_INPUT_ERROR_INVALID,
               "the agent returned an error: %s", text->str);
}

static Role
xml_root_role (TacitEventReader *self,
               const char       *name,
               guint64           line,
               GError          **error)
{
  if (strcmp (name, "MTConnectStreams") == 0)
    return ROLE_STREAMS_ROOT;
  if (strcmp (name, "MTConnectError") == 0)
    return ROLE_ERROR_ROOT;
  if (strcmp (name, "MTConnectDevices") == 0 || strcmp (name, "MTConnectAssets") == 0)
    fail (self, error, line, TACIT_INPUT_ERROR_INVALID,
          "this is an %s document; events come from MTConnectStreams documents "
          "(an agent's current or sample)", name);
  else
    fail (self, error, line, TACIT_INPUT_ERROR_INVALID,
          "the root element is <%s>, not <MTConnectStreams>", name);
  return ROLE_OTHER;
}

static Role
xml_child_role (XmlState   *x,
                Role        parent,
                const char *name)
{
  switch (parent)
    {
    case ROLE_STREAMS_ROOT:
      if (strcmp (name, "Header") == 0)
        return ROLE_HEADER;
      return strcmp (name, "Streams") == 0 ? ROLE_STREAMS : ROLE_OTHER;
    case ROLE_STREAMS:
      return strcmp (name, "DeviceStream") == 0 ? ROLE_DEVICE : ROLE_OTHER;
    case ROLE_DEVICE:
    case ROLE_COMPONENT:
      if (strcmp (name, "Samples") == 0)
        x->kind = TACIT_KIND_SAMPLE;
      else if (strcmp (name, "Events") == 0)
        x->kind = TACIT_KIND_EVENT;
      else if (strcmp (name, "Condition") == 0)
        x->kind = TACIT_KIND_CONDITION;
      else
        return ROLE_COMPONENT;
      return ROLE_CONTAINER;
    case ROLE_CONTAINER:
      return ROLE_OBSERVATION;
    case ROLE_OBSERVATION:
      return strcmp (name, "Entry") == 0 ? ROLE_ENTRY : ROLE_OTHER;
    case ROLE_ENTRY:
      return strcmp (name, "Cell") == 0 ? ROLE_CELL : ROLE_OTHER;
    case ROLE_ERROR_ROOT:
      /* The first element with an errorCode is the agent's error;
       * everything inside it is its text. */
      if (x->agent_error == NULL && (x->attrs_set & (1u << A_ERROR_CODE)))
        return ROLE_AGENT_ERROR;
      return ROLE_ERROR_ROOT;
    case ROLE_AGENT_ERROR:
      return ROLE_AGENT_ERROR;
    case ROLE_HEADER:
    case ROLE_CELL:
    case ROLE_OTHER:
    default:
      return ROLE_OTHER;
    }
}

static gboolean xml_end_element (TacitEventReader *self, int depth, GError **error);

static gboolean
xml_start_element (TacitEventReader *self,
                   int               depth,
                   GError          **error)
{
  XmlState *x = self->xml;
  const char *name = xml_local_name (x->reader);
  guint64 line = xml_node_line (x);
  Role role;

  if (depth >= XML_MAX_DEPTH)
    return fail (self, error, line, TACIT_INPUT_ERROR_TOO_LARGE,
                 "elements are nested deeper than %d levels", XML_MAX_DEPTH);
  if (!xml_read_attributes (self, name, line, error))
    return FALSE;
  if (depth == 0)
    {
      role = xml_root_role (self, name, line, error);
      if (role == ROLE_OTHER)
        return FALSE;
    }
  else
    role = xml_child_role (x, x->roles[depth - 1], name);
  x->roles[depth] = role;

  switch (role)
    {
    case ROLE_HEADER:
      if (!xml_read_header (self, line, error))
        return FALSE;
      break;
    case ROLE_DEVICE:
      if (!xml_begin_device (self, line, error))
        return FALSE;
      break;
    case ROLE_OBSERVATION:
      if (!xml_begin_observation (self, name, line, error))
        return FALSE;
      break;
    case ROLE_ENTRY:
    case ROLE_CELL:
      if (!xml_begin_entry (self, name, role == ROLE_CELL, line, error))
        return FALSE;
      break;
    case ROLE_AGENT_ERROR:
      if (x->agent_error == NULL)
        {
          x->agent_error = g_string_new (xml_attr (x, A_ERROR_CODE));
          g_string_append (x->agent_error, ": ");
          x->agent_error_line = line;
        }
      break;
    case ROLE_OTHER:
    case ROLE_STREAMS_ROOT:
    case ROLE_STREAMS:
    case ROLE_COMPONENT:
    case ROLE_CONTAINER:
    case ROLE_ERROR_ROOT:
    default:
      break;
    }
  if (xmlTextReaderIsEmptyElement (x->reader) == 1)
    return xml_end_element (self, depth, error);
  return TRUE;
}

static gboolean
xml_end_element (TacitEventReader *self,
                 int               depth,
                 GError          **error)
{
  XmlState *x = self->xml;

  if (depth < 0 || depth >= XML_MAX_DEPTH)
    return TRUE;
  switch ((Role) x->roles[depth])
    {
    case ROLE_OBSERVATION:
      return xml_end_observation (self, error);
    case ROLE_ENTRY:
      xml_end_entry (x);
      return TRUE;
    case ROLE_CELL:
      xml_end_cell (x);
      return TRUE;
    case ROLE_AGENT_ERROR:
      if (depth > 0 && x->roles[depth - 1] == ROLE_AGENT_ERROR)
        return TRUE;
      return xml_agent_error (self, error);
    case ROLE_ERROR_ROOT:
      if (depth == 0)
        return xml_agent_error (self, error);
      return TRUE;
    case ROLE_OTHER:
    case ROLE_STREAMS_ROOT:
    case ROLE_HEADER:
    case ROLE_STREAMS:
    case ROLE_DEVICE:
    case ROLE_COMPONENT:
    case ROLE_CONTAINER:
    default:
      return TRUE;
    }
}

static gboolean
xml_text (TacitEventReader *self,
          int               depth,
          GError          **error)
{
  XmlState *x = self->xml;
  const char *value = (const char *) xmlTextReaderConstValue (x->reader);
  GString *target;

  if (depth <= 0 || depth > XML_MAX_DEPTH || value == NULL)
    return TRUE;
  switch ((Role) x->roles[depth - 1])
    {
    case ROLE_OBSERVATION:
      target = x->text;
      break;
    case ROLE_ENTRY:
      target = x->entry_text;
      break;
    case ROLE_CELL:
      target = x->cell_text;
      break;
    case ROLE_AGENT_ERROR:
      target = x->agent_error;
      break;
    case ROLE_OTHER:
    case ROLE_STREAMS_ROOT:
    case ROLE_HEADER:
    case ROLE_STREAMS:
    case ROLE_DEVICE:
    case ROLE_COMPONENT:
    case ROLE_CONTAINER:
    case ROLE_ERROR_ROOT:
    default:
      return TRUE;
    }
  if (target->len + strlen (value) > XML_MAX_VALUE)
    return fail (self, error, xml_node_line (x), TACIT_INPUT_ERROR_TOO_LARGE,
                 "an element's text is longer than 1 MiB");
  g_string_append (target, value);
  if (target == x->agent_error)
    g_string_append_c (target, ' ');
  return TRUE;
}

/* Observations with a sequence come first, in sequence order; those
 * without one (hand-written documents) follow in document order. */
static gint
compare_observations (gconstpointer a,
                      gconstpointer b)
{
  const Observation *oa = a;
  const Observation *ob = b;

  if (oa->has_sequence != ob->has_sequence)
    return oa->has_sequence ? -1 : 1;
  if (oa->has_sequence && oa->sequence != ob->sequence)
    return oa->sequence < ob->sequence ? -1 : 1;
  return oa->index < ob->index ? -1 : oa->index > ob->index;
}

static gboolean
xml_handle_node (TacitEventReader *self,
                 GError          **error)
{
  XmlState *x = self->xml;
  int depth = xmlTextReaderDepth (x->reader);

  switch (xmlTextReaderNodeType (x->reader))
    {
    case XML_READER_TYPE_ELEMENT:
      return xml_start_element (self, depth, error);
    case XML_READER_TYPE_END_ELEMENT:
      return xml_end_element (self, depth, error);
    case XML_READER_TYPE_TEXT:
    case XML_READER_TYPE_CDATA:
    case XML_READER_TYPE_WHITESPACE:
    case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
      return xml_text (self, depth, error);
    case XML_READER_TYPE_DOCUMENT_TYPE:
      /* The prolog scanner refuses these first; this is a backstop. */
      return fail (self, error, xml_node_line (x), TACIT_INPUT_ERROR_FORBIDDEN,
                   "documents with a DOCTYPE are refused");
    case XML_READER_TYPE_ENTITY_REFERENCE:
    case XML_READER_TYPE_ENTITY:
      return fail (self, error, xml_node_line (x), TACIT_INPUT_ERROR_FORBIDDEN,
                   "entity references are refused (&%s;)",
                   (const char *) xmlTextReaderConstName (x->reader));
    default:
      return TRUE;
    }
}

/* The same problems again as unstructured text ("xmlParseChunk: encoder
 * error"): the structured handler has them already. */
static void
xml_generic_error_ignore (void       *ctx,
                          const char *msg,
                          ...)
{
}

/* Reads the whole document: its order is known only at its end. Never
 * XML_PARSE_NOENT (entity substitution), DTDLOAD, DTDATTR, DTDVALID or
 * HUGE (which lifts libxml2's own size limits). NOCDATA hands CDATA over
 * as text. */
static gboolean
xml_parse (TacitEventReader *self,
           GError          **error)
{
  XmlState *x = self->xml;
  xmlStructuredErrorFunc saved_handler;
  xmlGenericErrorFunc saved_generic;
  void *saved_context;
  void *saved_generic_context;
  int ret;

  x->parsed = TRUE;
  x->reader = xmlReaderForIO (xml_input_read, NULL, self, self->display_name, NULL,
                              XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_COMPACT |
                              XML_PARSE_BIG_LINES);
  if (x->reader == NULL)
    {
      if (x->input_error != NULL)
        return fail_with (self, error, g_steal_pointer (&x->input_error));
      return fail (self, error, 1, TACIT_INPUT_ERROR_SYNTAX, "cannot start the XML parser");
    }
  xmlTextReaderSetStructuredErrorHandler (x->reader, xml_structured_error, x);

  /* Encoding conversion errors (bytes invalid in a declared EUC-JP or
   * Shift_JIS) are raised without the reader's context: without this they
   * went to stderr and the error read "unknown error" (found by
   * tests/fuzz). The handler is per thread; the previous one is put back. */
  saved_handler = xmlStructuredError;
  saved_context = xmlStructuredErrorContext;
  saved_generic = xmlGenericError;
  saved_generic_context = xmlGenericErrorContext;
  xmlSetStructuredErrorFunc (x, xml_structured_error);
  xmlSetGenericErrorFunc (NULL, xml_generic_error_ignore);
  while ((ret = xmlTextReaderRead (x->reader)) == 1)
    if (!xml_handle_node (self, error))
      break;
  xmlSetStructuredErrorFunc (saved_context, saved_handler);
  xmlSetGenericErrorFunc (saved_generic_context, saved_generic);
  if (ret == 1)
    return FALSE;
  if (x->input_error != NULL)
    return fail_with (self, error, g_steal_pointer (&x->input_error));
  if (ret < 0 || x->xml_message != NULL)
    return xml_parser_error (self, error);

  g_array_sort (x->observations, compare_observations);
  /* The parser and its buffers are done with; the arena stays. */
  xmlFreeTextReader (x->reader);
  x->reader = NULL;
  return TRUE;
}

static gboolean
xml_next (TacitEventReader *self,
          TacitEvent       *event,
          GError          **error)
{
  XmlState *x = self->xml;
  const Observation *o;
  const char *a;

  if (!x->parsed && !xml_parse (self, error))
    return FALSE;
  if (x->emitted >= x->observations->len)
    {
      self->done = TRUE;
      return FALSE;
    }
  o = &g_array_index (x->observations, Observation, x->emitted++);
  a = x->arena->str;
  event->time = o->time;
  event->kind = o->kind;
  event->machine = a + o->machine;
  event->item = a + o->item;
  event->value = a + o->value;
  event->code = o->code != NO_STRING ? a + o->code : NULL;
  event->text = o->text != NO_STRING ? a + o->text : NULL;
  self->line = o->line;
  return TRUE;
}

/* ---- the object ------------------------------------------------------ */

static void
tacit_event_reader_finalize (GObject *object)
{
  TacitEventReader *self = TACIT_EVENT_READER (object);

  g_clear_object (&self->stream);
  g_clear_object (&self->progress);
  g_free (self->display_name);
  g_clear_error (&self->error);
  g_free (self->buf);
  g_free (self->col_field);
  g_strfreev (self->col_names);
  g_free (self->cells);
  g_free (self->cell_lens);
  g_clear_pointer (&self->ignored_keys, g_ptr_array_unref);
  g_clear_pointer (&self->xml, xml_state_free);
  if (self->source_funcs != NULL && self->source != NULL)
    self->source_funcs->free (self->source);

  G_OBJECT_CLASS (tacit_event_reader_parent_class)->finalize (object);
}

static void
tacit_event_reader_class_init (TacitEventReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tacit_event_reader_finalize;
  xmlInitParser ();
}

static void
tacit_event_reader_init (TacitEventReader *self)
{
  self->next_line = 1;
}

static guint64
stream_size (GInputStream *stream)
{
  g_autoptr(GFileInfo) info = NULL;

  if (!G_IS_FILE_INPUT_STREAM (stream))
    return 0;
  info = g_file_input_stream_query_info (G_FILE_INPUT_STREAM (stream),
                                         G_FILE_ATTRIBUTE_STANDARD_SIZE, NULL, NULL);
  if (info == NULL || !g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_STANDARD_SIZE))
    return 0;
  return (guint64) g_file_info_get_size (info);
}

TacitEventReader *
tacit_event_reader_new_for_stream (GInputStream          *stream,
                                   const char            *display_name,
                                   TacitEventFormat       format,
                                   TacitEventReaderFlags  flags)
{
  TacitEventReader *self;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  self = g_object_new (TACIT_TYPE_EVENT_READER, NULL);
  self->stream = g_object_ref (stream);
  self->display_name = g_strdup (display_name != NULL ? display_name : "<stream>");
  self->flags = flags;
  self->size = stream_size (stream);
  if (format == TACIT_EVENT_FORMAT_AUTO)
    format = tacit_event_format_for_path (display_name);
  self->format = format;
  switch (format)
    {
    case TACIT_EVENT_FORMAT_AUTO:
      /* Reported by the first tacit_event_reader_next(). */
      self->error = g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                                 "%s: cannot tell the event format from the name "
                                 "(use .csv, .jsonl or .xml, or give the format)",
                                 self->display_name);
      break;
    case TACIT_EVENT_FORMAT_JSONL:
      self->ignored_keys = g_ptr_array_new ();
      break;
    case TACIT_EVENT_FORMAT_MTCONNECT:
      self->xml = xml_state_new ();
      break;
    case TACIT_EVENT_FORMAT_CSV:
    default:
      break;
    }
  return self;
}

TacitEventReader *
tacit_event_reader_new_for_path (const char            *path,
                                 TacitEventFormat       format,
                                 TacitEventReaderFlags  flags,
                                 GError               **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) file_stream = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autofree char *display_name = NULL;
  gboolean is_stdin;
  TacitEventReader *self;

  g_return_val_if_fail (path != NULL, NULL);

  is_stdin = strcmp (path, "-") == 0;
  display_name = is_stdin ? g_strdup ("<stdin>") : g_filename_display_name (path);
  if (format == TACIT_EVENT_FORMAT_AUTO && !is_stdin)
    format = tacit_event_format_for_path (path);
  if (format == TACIT_EVENT_FORMAT_AUTO)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   is_stdin ? "%s: reading standard input needs a format (csv, jsonl or mtconnect)"
                            : "%s: cannot tell the event format from the name "
                              "(use .csv, .jsonl or .xml, or give the format)",
                   display_name);
      return NULL;
    }

  /* gio-unix is not among the core's dependencies: /dev/stdin serves. */
  file = g_file_new_for_path (is_stdin ? "/dev/stdin" : path);
  file_stream = g_file_read (file, NULL, error);
  if (file_stream == NULL)
    return NULL;
  /* .gz, .bz2 and .xz are decompressed as they are read. */
  stream = tacit_decompress_wrap (is_stdin ? NULL : path, G_INPUT_STREAM (file_stream));

  self = tacit_event_reader_new_for_stream (stream, display_name, format, flags);
  if (stream != G_INPUT_STREAM (file_stream))
    {
      /* Progress counts compressed bytes against the compressed size. */
      self->size = stream_size (G_INPUT_STREAM (file_stream));
      self->progress = G_SEEKABLE (g_object_ref (file_stream));
    }
  return self;
}

/* A reader of another module: the source parses, the reader keeps the
 * sticky error and the line. */
static gboolean
source_next (TacitEventReader *self,
             TacitEvent       *event,
             GError          **error)
{
  GError *local_error = NULL;
  guint64 line = self->line;

  if (self->source_funcs->next (self->source, self, self->stream, event, &line, &local_error))
    {
      self->line = line;
      return TRUE;
    }
  if (local_error == NULL)
    {
      self->done = TRUE;
      return FALSE;
    }
  return fail_with (self, error, local_error);
}

TacitEventReader *
_tacit_event_reader_new_for_source (const char                  *path,
                                    const TacitEventSourceFuncs *funcs,
                                    gpointer                     source,
                                    GError                     **error)
{
  g_autoptr(TacitEventReader) self = NULL;

  g_return_val_if_fail (path != NULL && funcs != NULL, NULL);

  /* CSV stands in for the format: only the stream is opened here. */
  self = tacit_event_reader_new_for_path (path, TACIT_EVENT_FORMAT_CSV,
                                          TACIT_EVENT_READER_NONE, error);
  if (self == NULL)
    {
      funcs->free (source);
      return NULL;
    }
  self->source_funcs = funcs;
  self->source = source;
  /* The source reads the stream itself: progress is where the file is. */
  if (self->progress == NULL && self->size > 0 && G_IS_SEEKABLE (self->stream))
    self->progress = G_SEEKABLE (g_object_ref (self->stream));
  return g_steal_pointer (&self);
}

gpointer
_tacit_event_reader_get_source (TacitEventReader            *self,
                                const TacitEventSourceFuncs *funcs)
{
  g_return_val_if_fail (TACIT_IS_EVENT_READER (self), NULL);
  return self->source_funcs == funcs ? self->source : NULL;
}

gboolean
tacit_event_reader_next (TacitEventReader *self,
                         TacitEvent       *event,
                         GError          **error)
{
  g_return_val_if_fail (TACIT_IS_EVENT_READER (self), FALSE);
  g_return_val_if_fail (event != NULL, FALSE);

  if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return FALSE;
    }
  if (self->done)
    return FALSE;
  if (self->source_funcs != NULL)
    return source_next (self, event, error);
  switch (self->format)
    {
    case TACIT_EVENT_FORMAT_CSV:
      return csv_next (self, event, error);
    case TACIT_EVENT_FORMAT_JSONL:
      return jsonl_next (self, event, error);
    case TACIT_EVENT_FORMAT_MTCONNECT:
      return xml_next (self, event, error);
    case TACIT_EVENT_FORMAT_AUTO:
    default:
      g_return_val_if_reached (FALSE);
    }
}

const char *
tacit_event_reader_get_display_name (TacitEventReader *self)
{
  g_return_val_if_fail (TACIT_IS_EVENT_READER (self), NULL);
  return self->display_name;
}

guint64
tacit_event_reader_get_line (TacitEventReader *self)
{
  g_return_val_if_fail (TACIT_IS_EVENT_READER (self), 0);
  return self->line;
}

guint64
tacit_event_reader_get_bytes_read (TacitEventReader *self)
{
  g_return_val_if_fail (TACIT_IS_EVENT_READER (self), 0);
  if (self->progress != NULL)
    return (guint64) g_seekable_tell (self->progress);
  return self->bytes_read;
}

guint64
tacit_event_reader_get_size (TacitEventReader *self)
{
  g_return_val_if_fail (TACIT_IS_EVENT_READER (self), 0);
  return self->size;
}

gboolean
tacit_event_reader_get_mtconnect_header (TacitEventReader     *self,
                                         TacitMtconnectHeader *out)
{
  g_return_val_if_fail (TACIT_IS_EVENT_READER (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (self->xml == NULL || !self->xml->has_header)
    return FALSE;
  *out = self->xml->header;
  return TRUE;
}
