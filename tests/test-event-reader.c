/* test-event-reader.c: CSV, JSONL and MTConnect readers, good and bad input.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tacit-error.h"
#include "tacit-event-reader.h"
#include "tacit-test-utils.h"

/* ---- helpers --------------------------------------------------------- */

static TacitEventReader *
reader_for_data (const char            *name,
                 const char            *data,
                 gssize                 len,
                 TacitEventFormat       format,
                 TacitEventReaderFlags  flags)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, len < 0 ? strlen (data) : (gsize) len);
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);

  return tacit_event_reader_new_for_stream (stream, name, format, flags);
}

static TacitEventReader *
reader_for_fixture (const char *name)
{
  g_autofree char *path = tacit_test_data_path (name);
  g_autoptr(GError) error = NULL;
  TacitEventReader *reader;

  reader = tacit_event_reader_new_for_path (path, TACIT_EVENT_FORMAT_AUTO,
                                            TACIT_EVENT_READER_NONE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (reader);
  return reader;
}

/* Reads to the end; returns the error (NULL at a clean end) and counts
 * the events before it. A failed reader must keep failing the same way. */
static GError *
read_to_end (TacitEventReader *reader,
             guint            *n_events)
{
  TacitEvent event;
  GError *error = NULL;
  g_autoptr(GError) again = NULL;
  guint n = 0;

  while (tacit_event_reader_next (reader, &event, &error))
    n++;
  if (n_events != NULL)
    *n_events = n;
  g_assert_false (tacit_event_reader_next (reader, &event, &again));
  if (error == NULL)
    g_assert_no_error (again);
  else
    {
      g_assert_nonnull (again);
      g_assert_cmpstr (again->message, ==, error->message);
    }
  return error;
}

static void
assert_error_flags (const char            *name,
                    const char            *data,
                    gssize                 len,
                    TacitEventReaderFlags  flags,
                    TacitInputError        code,
                    const char            *message)
{
  g_autoptr(TacitEventReader) reader = reader_for_data (name, data, len, TACIT_EVENT_FORMAT_AUTO, flags);
  g_autoptr(GError) error = read_to_end (reader, NULL);

  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, ==, message);
  g_assert_error (error, TACIT_INPUT_ERROR, (int) code);
}

static void
assert_error (const char      *name,
              const char      *data,
              TacitInputError  code,
              const char      *message)
{
  assert_error_flags (name, data, -1, TACIT_EVENT_READER_NONE, code, message);
}

static void
assert_event (const TacitEvent *e,
              const char       *time,
              const char       *machine,
              TacitKind         kind,
              const char       *item,
              const char       *value,
              const char       *code,
              const char       *text)
{
  g_autofree char *t = tacit_time_format_us (e->time);

  g_assert_cmpstr (t, ==, time);
  g_assert_cmpstr (e->machine, ==, machine);
  g_assert_cmpint (e->kind, ==, kind);
  g_assert_cmpstr (e->item, ==, item);
  g_assert_cmpstr (e->value, ==, value);
  g_assert_cmpstr (e->code, ==, code);
  g_assert_cmpstr (e->text, ==, text);
}

static void
next_ok (TacitEventReader *reader,
         TacitEvent       *event)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tacit_event_reader_next (reader, event, &error));
  g_assert_no_error (error);
}

static void
assert_end (TacitEventReader *reader)
{
  g_autoptr(GError) error = NULL;
  TacitEvent event;

  g_assert_false (tacit_event_reader_next (reader, &event, &error));
  g_assert_no_error (error);
  g_assert_false (tacit_event_reader_next (reader, &event, &error));
  g_assert_no_error (error);
}

/* ---- formats --------------------------------------------------------- */

static void
test_format_for_path (void)
{
  TacitEventFormat format = TACIT_EVENT_FORMAT_AUTO;

  g_assert_cmpint (tacit_event_format_for_path ("shift.csv"), ==, TACIT_EVENT_FORMAT_CSV);
  g_assert_cmpint (tacit_event_format_for_path ("a/b/shift.CSV"), ==, TACIT_EVENT_FORMAT_CSV);
  g_assert_cmpint (tacit_event_format_for_path ("x.jsonl"), ==, TACIT_EVENT_FORMAT_JSONL);
  g_assert_cmpint (tacit_event_format_for_path ("x.ndjson"), ==, TACIT_EVENT_FORMAT_JSONL);
  g_assert_cmpint (tacit_event_format_for_path ("x.json"), ==, TACIT_EVENT_FORMAT_JSONL);
  g_assert_cmpint (tacit_event_format_for_path ("sample.xml"), ==, TACIT_EVENT_FORMAT_MTCONNECT);
  g_assert_cmpint (tacit_event_format_for_path ("shift.csv.gz"), ==, TACIT_EVENT_FORMAT_CSV);
  g_assert_cmpint (tacit_event_format_for_path ("sample.xml.gz"), ==, TACIT_EVENT_FORMAT_MTCONNECT);
  g_assert_cmpint (tacit_event_format_for_path ("x.gz"), ==, TACIT_EVENT_FORMAT_AUTO);
  g_assert_cmpint (tacit_event_format_for_path ("x.txt"), ==, TACIT_EVENT_FORMAT_AUTO);
  g_assert_cmpint (tacit_event_format_for_path ("x.mtconnect"), ==, TACIT_EVENT_FORMAT_AUTO);
  g_assert_cmpint (tacit_event_format_for_path ("dir.csv/file"), ==, TACIT_EVENT_FORMAT_AUTO);
  g_assert_cmpint (tacit_event_format_for_path ("-"), ==, TACIT_EVENT_FORMAT_AUTO);
  g_assert_cmpint (tacit_event_format_for_path (NULL), ==, TACIT_EVENT_FORMAT_AUTO);

  g_assert_true (tacit_event_format_from_string ("csv", &format));
  g_assert_cmpint (format, ==, TACIT_EVENT_FORMAT_CSV);
  g_assert_true (tacit_event_format_from_string ("JSONL", &format));
  g_assert_cmpint (format, ==, TACIT_EVENT_FORMAT_JSONL);
  g_assert_true (tacit_event_format_from_string ("mtconnect", &format));
  g_assert_cmpint (format, ==, TACIT_EVENT_FORMAT_MTCONNECT);
  g_assert_true (tacit_event_format_from_string ("xml", &format));
  g_assert_cmpint (format, ==, TACIT_EVENT_FORMAT_MTCONNECT);
  g_assert_false (tacit_event_format_from_string ("yaml", &format));
  g_assert_false (tacit_event_format_from_string (NULL, &format));
}

static void
test_open_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitEventReader) reader = NULL;
  g_autofree char *missing = g_build_filename (g_get_tmp_dir (), "tacit-no-such-file.csv", NULL);
  TacitEvent event;

  reader = tacit_event_reader_new_for_path ("-", TACIT_EVENT_FORMAT_AUTO, 0, &error);
  g_assert_null (reader);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==,
                   "<stdin>: reading standard input needs a format (csv, jsonl or mtconnect)");
  g_clear_error (&error);

  reader = tacit_event_reader_new_for_path ("shift.txt", TACIT_EVENT_FORMAT_AUTO, 0, &error);
  g_assert_null (reader);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpstr (error->message, ==,
                   "shift.txt: cannot tell the event format from the name "
                   "(use .csv, .jsonl or .xml, or give the format)");
  g_clear_error (&error);

  reader = tacit_event_reader_new_for_path (missing, TACIT_EVENT_FORMAT_AUTO, 0, &error);
  g_assert_null (reader);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A stream whose name says nothing fails at the first read. */
  reader = reader_for_data ("pipe", "x", -1, TACIT_EVENT_FORMAT_AUTO, 0);
  g_assert_false (tacit_event_reader_next (reader, &event, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_cmpstr (error->message, ==,
                   "pipe: cannot tell the event format from the name "
                   "(use .csv, .jsonl or .xml, or give the format)");
}

/* ---- CSV ------------------------------------------------------------- */

static void
check_valid_csv (TacitEventReader *reader)
{
  TacitEvent e;

  next_ok (reader, &e);
  assert_event (&e, "2026-11-02T06:00:01.250000Z", "press-3", TACIT_KIND_SAMPLE,
                "oil_temp", "57.2", NULL, NULL);
  g_assert_cmpuint (tacit_event_reader_get_line (reader), ==, 2);
  next_ok (reader, &e);
  assert_event (&e, "2026-11-02T06:00:02.000000Z", "press-3", TACIT_KIND_EVENT,
                "material_lot", "lot 4471, coil B", NULL, NULL);
  g_assert_cmpuint (tacit_event_reader_get_line (reader), ==, 3);
  next_ok (reader, &e);
  assert_event (&e, "2026-11-02T06:00:03.123456Z", "press-3", TACIT_KIND_CONDITION,
                "hydraulic", "fault", "E1234", "Pressure \"low\"\ncheck pump");
  g_assert_cmpuint (tacit_event_reader_get_line (reader), ==, 4);
  next_ok (reader, &e);
  assert_event (&e, "2026-11-02T06:30:04.000000Z", "press 4", TACIT_KIND_CONDITION,
                "hydraulic", "normal", NULL, NULL);
  g_assert_cmpuint (tacit_event_reader_get_line (reader), ==, 6);
  next_ok (reader, &e);
  assert_event (&e, "2026-11-02T06:00:05.000001Z", "press-4", TACIT_KIND_EVENT,
                "operator_note", "ünïcødé ✓", NULL, NULL);
  g_assert_cmpuint (tacit_event_reader_get_line (reader), ==, 8);
  next_ok (reader, &e);
  assert_event (&e, "2026-11-02T23:59:59.999999Z", "press-4", TACIT_KIND_SAMPLE,
                "oil_temp", "-1e3", NULL, NULL);
  g_assert_cmpuint (tacit_event_reader_get_line (reader), ==, 9);
  next_ok (reader, &e);
  assert_event (&e, "2026-11-02T06:00:06.000000Z", "press-4", TACIT_KIND_EVENT,
                "program", "UNAVAILABLE", NULL, "text only");
  g_assert_cmpuint (tacit_event_reader_get_line (reader), ==, 10);
  assert_end (reader);
}

static void
test_csv_valid (void)
{
  g_autoptr(TacitEventReader) reader = reader_for_fixture ("events/valid.csv");
  g_autofree char *path = tacit_test_data_path ("events/valid.csv");
  g_autofree char *display = g_filename_display_name (path);

  g_assert_cmpstr (tacit_event_reader_get_display_name (reader), ==, display);
  g_assert_cmpuint (tacit_event_reader_get_bytes_read (reader), ==, 0);
  check_valid_csv (reader);
  g_assert_cmpuint (tacit_event_reader_get_size (reader), >, 0);
  g_assert_cmpuint (tacit_event_reader_get_bytes_read (reader), ==,
                    tacit_event_reader_get_size (reader));
}

/* The same file with a byte order mark and CRLF line ends. */
static void
test_csv_bom_crlf (void)
{
  g_autofree char *path = tacit_test_data_path ("events/valid.csv");
  g_autofree char *contents = NULL;
  g_autoptr(GString) crlf = g_string_new ("\xEF\xBB\xBF");
  g_autoptr(TacitEventReader) reader = NULL;
  gboolean in_quotes = FALSE;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  /* Newlines inside quotes are data and stay as they are. */
  for (const char *p = contents; *p != '\0'; p++)
    {
      if (*p == '"')
        in_quotes = !in_quotes;
      if (*p == '\n' && !in_quotes)
        g_string_append_c (crlf, '\r');
      g_string_append_c (crlf, *p);
    }
  reader = reader_for_data ("valid.csv", crlf->str, crlf->len, TACIT_EVENT_FORMAT_AUTO, 0);
  check_valid_csv (reader);
}

static void
test_csv_optional_columns (void)
{
  g_autoptr(TacitEventReader) reader = NULL;
  TacitEvent e;

  /* No code or text column at all; a trailing newline, then another. */
  reader = reader_for_data ("min.csv",
                            "time,machine,kind,item,value\n"
                            "2026-11-02T06:00:00Z,m,sample,t,1\n"
                            "\n", -1, TACIT_EVENT_FORMAT_AUTO, 0);
  next_ok (reader, &e);
  assert_event (&e, "2026-11-02T06:00:00.000000Z", "m", TACIT_KIND_SAMPLE, "t", "1", NULL, NULL);
  assert_end (reader);
  g_clear_object (&reader);

  /* The format given explicitly wins over the name. */
  reader = reader_for_data ("data.txt",
                            "value,item,kind,machine,time,code\r\n"
                            "Warning,hyd,condition,m,2026-11-02T06:00:00.5+00:00,\"E,1\"",
                            -1, TACIT_EVENT_FORMAT_CSV, 0);
  next_ok (reader, &e);
  assert_event (&e, "2026-11-02T06:00:00.500000Z", "m", TACIT_KIND_CONDITION,
                "hyd", "warning", "E,1", NULL);
  assert_end (reader);
}

static void
test_csv_ignore_unknown (void)
{
  const char *data =
    "time,shift,machine,kind,item,value,note\n"
    "2026-11-02T06:00:00Z,A,m,event,lot,4471,\"x,\"\"y\"\"\"\n";
  g_autoptr(TacitEventReader) reader = NULL;
  TacitEvent e;

  assert_error ("bad.csv", data, TACIT_INPUT_ERROR_UNKNOWN_COLUMN,
                "bad.csv:1: unknown column \"shift\" (the columns are time, machine, "
                "kind, item, value, code and text)");

  reader = reader_for_data ("ok.csv", data, -1, TACIT_EVENT_FORMAT_AUTO,
                            TACIT_EVENT_READER_IGNORE_UNKNOWN_COLUMNS);
  next_ok (reader, &e);
  assert_event (&e, "2026-11-02T06:00:00.000000Z", "m", TACIT_KIND_EVENT, "lot", "4471", NULL, NULL);
  assert_end (reader);
}

static void
test_csv_errors (void)
{
  const char *header = "time,machine,kind,item,value,code,text\n";
  const char *good = "2026-11-02T06:00:00Z,m,sample,t,1,,\n";
  struct {
    const char      *data;
    TacitInputError  code;
    const char      *message;
  } cases[] = {
    { "", TACIT_INPUT_ERROR_INVALID,
      "bad.csv:1: the file is empty: a CSV file starts with a header row (time,machine,kind,item,value)" },
    { "\n\n", TACIT_INPUT_ERROR_INVALID,
      "bad.csv:1: the file is empty: a CSV file starts with a header row (time,machine,kind,item,value)" },
    { "time,machine,kind,value\n", TACIT_INPUT_ERROR_INVALID,
      "bad.csv:1: missing column \"item\"" },
    { "time,machine,kind,item,value,time\n", TACIT_INPUT_ERROR_INVALID,
      "bad.csv:1: column \"time\" appears twice" },
    { "Time,machine,kind,item,value\n", TACIT_INPUT_ERROR_UNKNOWN_COLUMN,
      "bad.csv:1: unknown column \"Time\" (the columns are time, machine, kind, item, value, code and text)" },
    { "time,machine,kind,item,\"value\n", TACIT_INPUT_ERROR_SYNTAX,
      "bad.csv:1: header field 5: the quoted field is not closed (a \" is missing)" },
    { "time,machine,kind,item,va\xffue\n", TACIT_INPUT_ERROR_ENCODING,
      "bad.csv:1: header: invalid UTF-8" },
    /* Wrong field count; a truncated last record. */
    { "%s%s2026-11-02T06:00:00Z,m,sample,t\n", TACIT_INPUT_ERROR_SYNTAX,
      "bad.csv:3: the record has 4 fields, the header has 7" },
    { "%s%s2026-11-02T06:00:00Z,m,sample,t,1,,,\n", TACIT_INPUT_ERROR_SYNTAX,
      "bad.csv:3: the record has 8 fields, the header has 7" },
    { "%s%s2026-11-02T06:0", TACIT_INPUT_ERROR_SYNTAX,
      "bad.csv:3: the record has 1 field, the header has 7" },
    /* Quotes. */
    { "%s%s2026-11-02T06:00:00Z,m,sample,t,1,,\"never\nclosed\n", TACIT_INPUT_ERROR_SYNTAX,
      "bad.csv:3: column \"text\": the quoted field is not closed (a \" is missing)" },
    { "%s%s2026-11-02T06:00:00Z,m,sample,t,\"1\"2,,\n", TACIT_INPUT_ERROR_SYNTAX,
      "bad.csv:3: column \"value\": text after the closing quote (a quoted field ends at its closing quote)" },
    { "%s%s2026-11-02T06:00:00Z,m,sample,t,1\"2,,\n", TACIT_INPUT_ERROR_SYNTAX,
      "bad.csv:3: column \"value\": a quote inside an unquoted field (quote the field and double its quotes)" },
    /* Empty required fields. */
    { "%s%s2026-11-02T06:00:00Z,,sample,t,1,,\n", TACIT_INPUT_ERROR_INVALID,
      "bad.csv:3: column \"machine\" is empty" },
    { "%s%s2026-11-02T06:00:00Z,m,sample,t,\"\",,\n", TACIT_INPUT_ERROR_INVALID,
      "bad.csv:3: column \"value\" is empty" },
    /* Times. */
    { "%s%s2026-02-30T06:00:00Z,m,sample,t,1,,\n", TACIT_INPUT_ERROR_INVALID,
      "bad.csv:3: column \"time\": time has an impossible date" },
    { "%s%s2026-11-02T06:00:00,m,sample,t,1,,\n", TACIT_INPUT_ERROR_INVALID,
      "bad.csv:3: column \"time\": time has no zone: end it with Z or an offset like +02:00" },
    { "%s%s 2026-11-02T06:00:00Z,m,sample,t,1,,\n", TACIT_INPUT_ERROR_INVALID,
      "bad.csv:3: column \"time\": time is not RFC 3339 (expected YYYY-MM-DDTHH:MM:SSZ)" },
    { "%s%s2026-11-02T24:00:00Z,m,sample,t,1,,\n", TACIT_INPUT_ERROR_INVALID,
      "bad.csv:3: column \"time\": time has an impossible time of day" },
    /* Kinds and condition values. */
    { "%s%s2026-11-02T06:00:00Z,m,alarm,t,1,,\n", TACIT_INPUT_ERROR_INVALID,
      "bad.csv:3: column \"kind\": \"alarm\" is not sample, event or condition" },
    { "%s%s2026-11-02T06:00:00Z,m,Sample,t,1,,\n", TACIT_INPUT_ERROR_INVALID,
      "bad.csv:3: column \"kind\": \"Sample\" is not sample, event or condition" },
    { "%s%s2026-11-02T06:00:00Z,m,condition,t,broken,,\n", TACIT_INPUT_ERROR_INVALID,
      "bad.csv:3: column \"value\": a condition is normal, warning, fault or unavailable, not \"broken\"" },
    { "%s%s2026-11-02T06:00:00Z,m,condition,t,this value is far too long to be shown in full here,,\n",
      TACIT_INPUT_ERROR_INVALID,
      "bad.csv:3: column \"value\": a condition is normal, warning, fault or unavailable, "
      "not \"this value is far too long to be shown i…\"" },
    /* Encoding. */
    { "%s%s2026-11-02T06:00:00Z,m,sample,t\xc3\x28,1,,\n", TACIT_INPUT_ERROR_ENCODING,
      "bad.csv:3: column \"item\": invalid UTF-8" },
    { "%s%s2026-11-02T06:00:00Z,m,sample,t,1,,\"a\n\xff\"\n", TACIT_INPUT_ERROR_ENCODING,
      "bad.csv:3: column \"text\": invalid UTF-8" },
    { "%s%s2026-11-02T06:00:00Z,m,sample,t,\"1\"x\xff,,\n", TACIT_INPUT_ERROR_ENCODING,
      "bad.csv:3: invalid UTF-8" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *data = g_strdup_printf (cases[i].data, header, good);
      g_test_message ("case %u: %s", i, cases[i].message);
      assert_error ("bad.csv", data, cases[i].code, cases[i].message);
    }
}

/* NUL bytes need an explicit length; the good record before comes out. */
static void
test_csv_nul (void)
{
  static const char data[] =
    "time,machine,kind,item,value,code,text\n"
    "2026-11-02T06:00:00Z,m,sample,t,1,,\n"
    "2026-11-02T06:00:01Z,m,sample,t,1,,a\0b\n";
  g_autoptr(TacitEventReader) reader =
    reader_for_data ("bad.csv", data, sizeof data - 1, TACIT_EVENT_FORMAT_AUTO, 0);
  g_autoptr(GError) error = NULL;
  guint n = 0;

  error = read_to_end (reader, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_error (error, TACIT_INPUT_ERROR, TACIT_INPUT_ERROR_ENCODING);
  g_assert_cmpstr (error->message, ==, "bad.csv:3: column \"text\": contains a NUL byte");
}

/* Many records across block boundaries: quoted fields with "" and
 * newlines land on every offset of the 256 KiB blocks; one record is
 * larger than a block; line numbers stay right. */
static void
test_csv_blocks (void)
{
  g_autoptr(GString) data = g_string_new ("time,machine,kind,item,value,text\n");
  g_autoptr(TacitEventReader) reader = NULL;
  g_autofree char *big = g_strnfill (700 * 1024, 'x');
  guint64 line = 2;
  guint64 lines[20000];
  const guint n = G_N_ELEMENTS (lines);

  for (guint i = 0; i < n; i++)
    {
      lines[i] = line;
      if (i == 777)
        g_string_append_printf (data, "2026-11-02T06:00:00Z,m,event,big,%s,\n", big);
      else if (i % 3 == 0)
        {
          g_string_append_printf (data, "2026-11-02T06:00:00Z,m%u,event,item,\"v\"\"%u\",\"line\none,\"\"q\"\"\"\n", i, i);
          line++;
        }
      else
        g_string_append_printf (data, "2026-11-02T06:00:00Z,m%u,sample,item,%u,\r\n", i, i);
      line++;
    }
  reader = reader_for_data ("blocks.csv", data->str, data->len, TACIT_EVENT_FORMAT_AUTO, 0);
  for (guint i = 0; i < n; i++)
    {
      TacitEvent e;
      g_autofree char *machine = g_strdup_printf ("m%u", i);

      next_ok (reader, &e);
      g_assert_cmpuint (tacit_event_reader_get_line (reader), ==, lines[i]);
      if (i == 777)
        {
          g_assert_cmpstr (e.value, ==, big);
          continue;
        }
      g_assert_cmpstr (e.machine, ==, machine);
      if (i % 3 == 0)
        {
          g_autofree char *value = g_strdup_printf ("v\"%u", i);
          g_assert_cmpstr (e.value, ==, value);
          g_assert_cmpstr (e.text, ==, "line\none,\"q\"");
        }
      else
        {
          g_autofree char *value = g_strdup_printf ("%u", i);
          g_assert_cmpstr (e.value, ==, value);
          g_assert_null (e.text);
        }
    }
  assert_end (reader);
}

static void
test_csv_too_long (void)
{
  g_autoptr(GString) data = g_string_new ("time,machine,kind,item,value\n2026-11-02T06:00:00Z,m,event,i,");
  g_autoptr(TacitEventReader) reader = NULL;
  g_autoptr(GError) error = NULL;

  g_string_set_size (data, data->len + 17 * 1024 * 1024);
  memset (data->str + data->len - 17 * 1024 * 1024, 'v', 17 * 1024 * 1024);
  reader = reader_for_data ("long.csv", data->str, data->len, TACIT_EVENT_FORMAT_AUTO, 0);
  error = read_to_end (reader, NULL);
  g_assert_error (error, TACIT_INPUT_ERROR, TACIT_INPUT_ERROR_TOO_LARGE);
  g_assert_cmpstr (error->message, ==, "long.csv:2: record is longer than 16 MiB");
}

static void
write_gzip (const char *path,
            const char *contents,
            gsize       len)
{
  g_autoptr(GZlibCompressor) gzip = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GFileOutputStream) file_out = NULL;

  file_out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
  g_assert_no_error (error);
  out = g_converter_output_stream_new (G_OUTPUT_STREAM (file_out), G_CONVERTER (gzip));
  g_assert_true (g_output_stream_write_all (out, contents, len, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, &error));
  g_assert_no_error (error);
}

static void
test_gzip (void)
{
  g_autofree char *src = tacit_test_data_path ("events/valid.csv");
  g_autofree char *dir = tacit_test_tmpdir ();
  g_autofree char *gz = g_build_filename (dir, "valid.csv.gz", NULL);
  g_autofree char *bad_gz = g_build_filename (dir, "bad.jsonl.gz", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(TacitEventReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (src, &contents, &len, NULL));
  write_gzip (gz, contents, len);
  reader = tacit_event_reader_new_for_path (gz, TACIT_EVENT_FORMAT_AUTO, 0, &error);
  g_assert_no_error (error);
  check_valid_csv (reader);
  /* Progress is in compressed bytes. */
  g_assert_cmpuint (tacit_event_reader_get_size (reader), >, 0);
  g_assert_cmpuint (tacit_event_reader_get_bytes_read (reader), ==,
                    tacit_event_reader_get_size (reader));
  g_clear_object (&reader);

  /* Corrupt compressed data is bad input. */
  g_assert_true (g_file_set_contents (bad_gz, "\x1f\x8b\x08\x00garbage-garbage-garbage", -1, NULL));
  reader = tacit_event_reader_new_for_path (bad_gz, TACIT_EVENT_FORMAT_AUTO, 0, &error);
  g_assert_no_error (error);
  error = read_to_end (reader, NULL);
  g_assert_error (error, TACIT_INPUT_ERROR, TACIT_INPUT_ERROR_SYNTAX);
  g_assert_true (g_str_has_prefix (error->message, bad_gz));
  g_assert_nonnull (strstr (error->message, ":1: corrupt compressed data: "));
}

/* ---- JSONL ----------------------------------------------------------- */

static void
test_jsonl_valid (void)
{
  g_autoptr(TacitEventReader) reader = reader_for_fixture ("events/valid.jsonl");
  TacitEvent e;

  next_ok (reader, &e);
  assert_event (&e, "2026-11-02T06:00:01.250000Z", "press-3", TACIT_KIND_SAMPLE,
                "oil_temp", "57.2", NULL, NULL);
  g_assert_cmpuint (tacit_event_reader_get_line (reader), ==, 1);
  next_ok (reader, &e);
  assert_event (&e, "2026-11-02T06:00:02.000000Z", "press-3", TACIT_KIND_EVENT,
                "material_lot", "lot 4471", NULL, NULL);
  g_assert_cmpuint (tacit_event_reader_get_line (reader), ==, 2);
  next_ok (reader, &e);
  assert_event (&e, "2026-11-02T06:00:03.123456Z", "press-3", TACIT_KIND_CONDITION,
                "hydraulic", "fault", "E1234",
                "Pressure \"low\"\ncheck pump \xc3\xa9 \xf0\x9f\x98\x80 / \\ \t");
  g_assert_cmpuint (tacit_event_reader_get_line (reader), ==, 3);
  next_ok (reader, &e);
  assert_event (&e, "2026-11-02T06:00:04.000000Z", "press 4", TACIT_KIND_SAMPLE,
                "x", "-0.5e-3", "1234", NULL);
  g_assert_cmpuint (tacit_event_reader_get_line (reader), ==, 6);
  next_ok (reader, &e);
  assert_event (&e, "2026-11-02T06:00:05.000000Z", "press-4", TACIT_KIND_EVENT,
                "note", "ünïcødé ✓", NULL, NULL);
  g_assert_cmpuint (tacit_event_reader_get_line (reader), ==, 7);
  next_ok (reader, &e);
  assert_event (&e, "2026-11-02T23:59:59.999999Z", "press-4", TACIT_KIND_EVENT,
                "program", "UNAVAILABLE", NULL, "text only");
  g_assert_cmpuint (tacit_event_reader_get_line (reader), ==, 8);
  assert_end (reader);
}

static void
test_jsonl_ignore_unknown (void)
{
  const char *data =
    "{\"time\":\"2026-11-02T06:00:00Z\",\"shift\":{\"a\":[1,2,{\"b\":null}],\"c\":\"}\"},"
    "\"machine\":\"m\",\"kind\":\"event\",\"item\":\"lot\",\"value\":\"4471\",\"ok\":true}\r\n";
  g_autoptr(TacitEventReader) reader = NULL;
  TacitEvent e;

  assert_error ("bad.jsonl", data, TACIT_INPUT_ERROR_UNKNOWN_COLUMN,
                "bad.jsonl:1: unknown key \"shift\" (the keys are time, machine, kind, "
                "item, value, code and text)");

  reader = reader_for_data ("ok.jsonl", data, -1, TACIT_EVENT_FORMAT_AUTO,
                            TACIT_EVENT_READER_IGNORE_UNKNOWN_COLUMNS);
  next_ok (reader, &e);
  assert_event (&e, "2026-11-02T06:00:00.000000Z", "m", TACIT_KIND_EVENT, "lot", "4471", NULL, NULL);
  assert_end (reader);

  assert_error_flags ("bad.jsonl",
                      "{\"time\":\"2026-11-02T06:00:00Z\",\"x\":1,\"x\":2,\"machine\":\"m\","
                      "\"kind\":\"event\",\"item\":\"lot\",\"value\":\"4471\"}",
                      -1, TACIT_EVENT_READER_IGNORE_UNKNOWN_COLUMNS, TACIT_INPUT_ERROR_SYNTAX,
                      "bad.jsonl:1: key \"x\" appears twice");
  assert_error_flags ("bad.jsonl", "{\"x\":[1,]}", -1, TACIT_EVENT_READER_IGNORE_UNKNOWN_COLUMNS,
                      TACIT_INPUT_ERROR_SYNTAX,
                      "bad.jsonl:1: invalid JSON at column 9: expected a value");
}

#define JSON_REST "\"machine\":\"m\",\"kind\":\"sample\",\"item\":\"t\""

static void
test_jsonl_errors (void)
{
  struct {
    const char      *data;
    TacitInputError  code;
    const char      *message;
  } cases[] = {
    /* Types. */
    { "{\"time\":\"2026-11-02T06:00:00Z\"," JSON_REST ",\"value\":{\"v\":1}}",
      TACIT_INPUT_ERROR_INVALID, "bad.jsonl:1: key \"value\" must be a string or a number, not an object" },
    { "{\"time\":\"2026-11-02T06:00:00Z\"," JSON_REST ",\"value\":[1]}",
      TACIT_INPUT_ERROR_INVALID, "bad.jsonl:1: key \"value\" must be a string or a number, not an array" },
    { "{\"time\":\"2026-11-02T06:00:00Z\"," JSON_REST ",\"value\":true}",
      TACIT_INPUT_ERROR_INVALID, "bad.jsonl:1: key \"value\" must be a string or a number, not a boolean" },
    { "{\"time\":\"2026-11-02T06:00:00Z\"," JSON_REST ",\"value\":null}",
      TACIT_INPUT_ERROR_INVALID, "bad.jsonl:1: key \"value\" must be a string or a number, not null" },
    { "{\"time\":1762063200," JSON_REST ",\"value\":1}",
      TACIT_INPUT_ERROR_INVALID, "bad.jsonl:1: key \"time\" must be a string, not a number" },
    { "{\"time\":\"2026-11-02T06:00:00Z\"," JSON_REST ",\"value\":1,\"text\":{}}",
      TACIT_INPUT_ERROR_INVALID, "bad.jsonl:1: key \"text\" must be a string or null, not an object" },
    /* Keys. */
    { "{\"time\":\"2026-11-02T06:00:00Z\"," JSON_REST ",\"kind\":\"event\",\"value\":1}",
      TACIT_INPUT_ERROR_SYNTAX, "bad.jsonl:1: key \"kind\" appears twice" },
    { "{\"time\":\"2026-11-02T06:00:00Z\"," JSON_REST ",\"value\":1,\"Value\":2}",
      TACIT_INPUT_ERROR_UNKNOWN_COLUMN,
      "bad.jsonl:1: unknown key \"Value\" (the keys are time, machine, kind, item, value, code and text)" },
    { "{\"time\":\"2026-11-02T06:00:00Z\",\"machine\":\"m\",\"kind\":\"sample\",\"value\":1}",
      TACIT_INPUT_ERROR_INVALID, "bad.jsonl:1: missing key \"item\"" },
    { "{}", TACIT_INPUT_ERROR_INVALID, "bad.jsonl:1: missing key \"time\"" },
    { "{\"time\":\"2026-11-02T06:00:00Z\"," JSON_REST ",\"value\":\"\"}",
      TACIT_INPUT_ERROR_INVALID, "bad.jsonl:1: key \"value\" is empty" },
    /* Escaped keys are keys. */
    { "{\"\\u0074ime\":\"2026-11-02T06:00:00Z\"," JSON_REST ",\"value\":1,\"time\":\"x\"}",
      TACIT_INPUT_ERROR_SYNTAX, "bad.jsonl:1: key \"time\" appears twice" },
    /* Syntax. */
    { "{\"time\":\"2026-11-02T06:00:00Z\"," JSON_REST ",\"value\":1} x",
      TACIT_INPUT_ERROR_SYNTAX, "bad.jsonl:1: invalid JSON at column 84: text after the object" },
    { "{\"time\":\"2026-11-02T06:00:00Z\"," JSON_REST ",\"value\":1}{}",
      TACIT_INPUT_ERROR_SYNTAX, "bad.jsonl:1: invalid JSON at column 83: text after the object" },
    { "{\"time\":\"2026-11-02T06:00:00Z\"," JSON_REST ",\"value\":1",
      TACIT_INPUT_ERROR_SYNTAX, "bad.jsonl:1: invalid JSON at column 82: expected ',' or '}'" },
    { "{\"time\":\"2026-11-02T06:",
      TACIT_INPUT_ERROR_SYNTAX, "bad.jsonl:1: invalid JSON at column 9: unterminated string" },
    { "{\"time\":\"2026-11-02T06:00:00Z\"," JSON_REST ",\"value\":1,}",
      TACIT_INPUT_ERROR_SYNTAX, "bad.jsonl:1: invalid JSON at column 83: expected a key (a string)" },
    { "{\"time\" \"x\"}",
      TACIT_INPUT_ERROR_SYNTAX, "bad.jsonl:1: invalid JSON at column 9: expected ':' after a key" },
    { "{'time':1}",
      TACIT_INPUT_ERROR_SYNTAX, "bad.jsonl:1: invalid JSON at column 2: expected a key (a string)" },
    { "[1, 2]", TACIT_INPUT_ERROR_SYNTAX,
      "bad.jsonl:1: invalid JSON at column 1: a line must hold one JSON object" },
    { "\"just a string\"", TACIT_INPUT_ERROR_SYNTAX,
      "bad.jsonl:1: invalid JSON at column 1: a line must hold one JSON object" },
    { "{\"value\":01}", TACIT_INPUT_ERROR_SYNTAX,
      "bad.jsonl:1: invalid JSON at column 11: expected ',' or '}'" },
    { "{\"value\":1.}", TACIT_INPUT_ERROR_SYNTAX,
      "bad.jsonl:1: invalid JSON at column 10: invalid number (no digit after '.')" },
    { "{\"value\":.5}", TACIT_INPUT_ERROR_SYNTAX,
      "bad.jsonl:1: invalid JSON at column 10: expected a value" },
    { "{\"value\":1e}", TACIT_INPUT_ERROR_SYNTAX,
      "bad.jsonl:1: invalid JSON at column 10: invalid number (no digit in the exponent)" },
    { "{\"value\":+1}", TACIT_INPUT_ERROR_SYNTAX,
      "bad.jsonl:1: invalid JSON at column 10: expected a value" },
    { "{\"value\":nul}", TACIT_INPUT_ERROR_SYNTAX,
      "bad.jsonl:1: invalid JSON at column 10: expected a value" },
    /* Strings. */
    { "{\"value\":\"a\\x\"}", TACIT_INPUT_ERROR_SYNTAX,
      "bad.jsonl:1: invalid JSON at column 10: invalid escape in a string" },
    { "{\"value\":\"\\u12\"}", TACIT_INPUT_ERROR_SYNTAX,
      "bad.jsonl:1: invalid JSON at column 10: \\u needs four hex digits" },
    { "{\"value\":\"\\ud83d\"}", TACIT_INPUT_ERROR_SYNTAX,
      "bad.jsonl:1: invalid JSON at column 10: \\u escape is a lone high surrogate" },
    { "{\"value\":\"\\ud83d\\u0041\"}", TACIT_INPUT_ERROR_SYNTAX,
      "bad.jsonl:1: invalid JSON at column 10: \\u escape is a lone high surrogate" },
    { "{\"value\":\"\\ude00\"}", TACIT_INPUT_ERROR_SYNTAX,
      "bad.jsonl:1: invalid JSON at column 10: \\u escape is a lone low surrogate" },
    { "{\"value\":\"a\\u0000b\"}", TACIT_INPUT_ERROR_SYNTAX,
      "bad.jsonl:1: invalid JSON at column 10: \\u0000 (a NUL character) is not allowed" },
    { "{\"value\":\"a\tb\"}", TACIT_INPUT_ERROR_SYNTAX,
      "bad.jsonl:1: invalid JSON at column 10: control character in a string (write it as an escape such as \\n)" },
    /* Values. */
    { "{\"time\":\"2026-11-02T25:00:00Z\"," JSON_REST ",\"value\":1}",
      TACIT_INPUT_ERROR_INVALID, "bad.jsonl:1: key \"time\": time has an impossible time of day" },
    { "{\"time\":\"2026-11-02T06:00:00\"," JSON_REST ",\"value\":1}",
      TACIT_INPUT_ERROR_INVALID,
      "bad.jsonl:1: key \"time\": time has no zone: end it with Z or an offset like +02:00" },
    { "{\"time\":\"2026-11-02T06:00:00Z\",\"machine\":\"m\",\"kind\":\"alarm\",\"item\":\"t\",\"value\":1}",
      TACIT_INPUT_ERROR_INVALID, "bad.jsonl:1: key \"kind\": \"alarm\" is not sample, event or condition" },
    { "{\"time\":\"2026-11-02T06:00:00Z\",\"machine\":\"m\",\"kind\":\"condition\",\"item\":\"t\",\"value\":1}",
      TACIT_INPUT_ERROR_INVALID,
      "bad.jsonl:1: key \"value\": a condition is normal, warning, fault or unavailable, not \"1\"" },
    /* Encoding. */
    { "{\"time\":\"2026-11-02T06:00:00Z\"," JSON_REST ",\"value\":\"\xe2\x82\"}",
      TACIT_INPUT_ERROR_ENCODING, "bad.jsonl:1: invalid UTF-8 at column 82" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %u: %s", i, cases[i].message);
      assert_error ("bad.jsonl", cases[i].data, cases[i].code, cases[i].message);
    }
}

static void
test_jsonl_lines (void)
{
  static const char nul[] =
    "{\"time\":\"2026-11-02T06:00:00Z\"," JSON_REST ",\"value\":1}\n"
    "\n"
    "{\"time\":\"2026-11-02T06:00:00Z\"," JSON_REST ",\"value\":\"a\0\"}\n";
  g_autoptr(TacitEventReader) reader =
    reader_for_data ("bad.jsonl", nul, sizeof nul - 1, TACIT_EVENT_FORMAT_AUTO, 0);
  g_autoptr(GError) error = NULL;
  guint n = 0;

  error = read_to_end (reader, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_error (error, TACIT_INPUT_ERROR, TACIT_INPUT_ERROR_ENCODING);
  g_assert_cmpstr (error->message, ==, "bad.jsonl:3: NUL byte at column 83");

  /* A raw newline cannot be inside a JSON string: the line ends there. */
  assert_error ("bad.jsonl",
                "{\"time\":\"2026-11-02T06:00:00Z\"," JSON_REST ",\"value\":1}\n"
                "{\"time\":\"2026-11-02T06:00:00Z\"," JSON_REST ",\"value\":\"a\nb\"}\n",
                TACIT_INPUT_ERROR_SYNTAX, "bad.jsonl:2: invalid JSON at column 81: unterminated string");
}

/* ---- MTConnect ------------------------------------------------------- */

static void
test_mtconnect_1_3 (void)
{
  g_autoptr(TacitEventReader) reader = reader_for_fixture ("events/valid-1.3.xml");
  TacitMtconnectHeader header = { 0 };
  TacitEvent e;

  g_assert_false (tacit_event_reader_get_mtconnect_header (reader, &header));
  next_ok (reader, &e);
  assert_event (&e, "2026-11-02T06:00:00.750000Z", "press-4", TACIT_KIND_CONDITION,
                "system", "warning", "W7", "Low coolant");
  g_assert_cmpuint (tacit_event_reader_get_line (reader), ==, 35);
  g_assert_true (tacit_event_reader_get_mtconnect_header (reader, &header));
  g_assert_cmpuint (header.instance_id, ==, 1475083573);
  g_assert_cmpuint (header.first_sequence, ==, 1);
  g_assert_cmpuint (header.last_sequence, ==, 107);
  g_assert_cmpuint (header.next_sequence, ==, 108);

  next_ok (reader, &e);
  assert_event (&e, "2026-11-02T06:00:00.500000Z", "press-4", TACIT_KIND_CONDITION,
                "p4-sys", "unavailable", NULL, NULL);
  g_assert_cmpuint (tacit_event_reader_get_line (reader), ==, 34);
  next_ok (reader, &e);
  /* No zone in an agent's timestamp means UTC. */
  assert_event (&e, "2026-11-02T06:00:01.250999Z", "press-3", TACIT_KIND_SAMPLE,
                "oil_temp", "57.2", NULL, NULL);
  g_assert_cmpuint (tacit_event_reader_get_line (reader), ==, 18);
  next_ok (reader, &e);
  /* A vendor extension reads like a standard element. */
  assert_event (&e, "2026-11-02T06:00:02.000000Z", "press-3", TACIT_KIND_EVENT,
                "p3-pallet", "7", NULL, NULL);
  g_assert_cmpuint (tacit_event_reader_get_line (reader), ==, 24);
  next_ok (reader, &e);
  assert_event (&e, "2026-11-02T06:00:03.123456Z", "press-3", TACIT_KIND_CONDITION,
                "hydraulic", "fault", "E1234", "Pressure low & falling");
  g_assert_cmpuint (tacit_event_reader_get_line (reader), ==, 12);
  next_ok (reader, &e);
  assert_event (&e, "2026-11-02T06:00:04.000000Z", "press-3", TACIT_KIND_SAMPLE,
                "oil_temp", "58.0", NULL, NULL);
  next_ok (reader, &e);
  assert_event (&e, "2026-11-02T06:00:05.000000Z", "press-3", TACIT_KIND_CONDITION,
                "p3-hyd", "normal", NULL, NULL);
  next_ok (reader, &e);
  assert_event (&e, "2026-11-02T06:00:06.000000Z", "press-3", TACIT_KIND_EVENT,
                "p3-prog", "O1234 <main>", NULL, NULL);
  next_ok (reader, &e);
  assert_event (&e, "2026-11-02T06:00:07.000000Z", "press-3", TACIT_KIND_EVENT,
                "p3-msg", "Check oil", "M12", NULL);
  /* Without a sequence: after the sequenced ones. */
  next_ok (reader, &e);
  assert_event (&e, "2026-11-02T06:00:00.000000Z", "press-3", TACIT_KIND_EVENT,
                "p3-exec", "ACTIVE", NULL, NULL);
  g_assert_cmpuint (tacit_event_reader_get_line (reader), ==, 26);
  assert_end (reader);
}

static void
test_mtconnect_2_0 (void)
{
  g_autoptr(TacitEventReader) reader = reader_for_fixture ("events/valid-2.0.xml");
  TacitMtconnectHeader header = { 0 };
  TacitEvent e;

  next_ok (reader, &e);
  assert_event (&e, "2026-11-02T06:00:00.000000Z", "OKUMA", TACIT_KIND_SAMPLE,
                "Xts", "1 2 3", NULL, NULL);
  next_ok (reader, &e);
  assert_event (&e, "2026-11-02T06:00:01.000000Z", "OKUMA", TACIT_KIND_EVENT,
                "vars", "a=1 b=two", NULL, NULL);
  g_assert_cmpuint (tacit_event_reader_get_line (reader), ==, 8);
  next_ok (reader, &e);
  assert_event (&e, "2026-11-02T06:00:02.000000Z", "OKUMA", TACIT_KIND_EVENT,
                "tools", "T1={LENGTH=10.5 DIAMETER=3} T2={LENGTH=7}", NULL, NULL);
  next_ok (reader, &e);
  assert_event (&e, "2026-11-02T06:00:03.000000Z", "OKUMA", TACIT_KIND_EVENT,
                "asset_chg", "UNAVAILABLE", NULL, NULL);
  assert_end (reader);
  g_assert_true (tacit_event_reader_get_mtconnect_header (reader, &header));
  g_assert_cmpuint (header.instance_id, ==, 1700000000);
  g_assert_cmpuint (header.next_sequence, ==, 13);
}

static void
test_mtconnect_fixture_errors (void)
{
  struct {
    const char      *fixture;
    TacitInputError  code;
    const char      *problem;
  } cases[] = {
    { "events/xxe.xml", TACIT_INPUT_ERROR_FORBIDDEN, "2: documents with a DOCTYPE are refused" },
    { "events/billion-laughs.xml", TACIT_INPUT_ERROR_FORBIDDEN, "2: documents with a DOCTYPE are refused" },
    { "events/agent-error.xml", TACIT_INPUT_ERROR_INVALID,
      "5: the agent returned an error: OUT_OF_RANGE: 'from' must be greater than 647" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TacitEventReader) reader = reader_for_fixture (cases[i].fixture);
      g_autofree char *path = tacit_test_data_path (cases[i].fixture);
      g_autofree char *message = g_strdup_printf ("%s:%s", path, cases[i].problem);
      g_autoptr(GError) error = NULL;
      guint n = 0;

      error = read_to_end (reader, &n);
      g_assert_cmpuint (n, ==, 0);
      g_assert_error (error, TACIT_INPUT_ERROR, (int) cases[i].code);
      g_assert_cmpstr (error->message, ==, message);
    }
}

#define STREAMS_OPEN \
  "<?xml version=\"1.0\"?>\n" \
  "<MTConnectStreams xmlns=\"urn:mtconnect.org:MTConnectStreams:1.3\"><Streams>\n" \
  "<DeviceStream name=\"m\"><ComponentStream component=\"Device\">\n"
#define STREAMS_CLOSE \
  "</ComponentStream></DeviceStream></Streams></MTConnectStreams>\n"

static void
test_mtconnect_errors (void)
{
  struct {
    const char      *data;
    TacitInputError  code;
    const char      *message;
  } cases[] = {
    { "", TACIT_INPUT_ERROR_SYNTAX, "bad.xml:1: the document is empty" },
    { "<?xml version=\"1.0\"?>\n<foo/>\n", TACIT_INPUT_ERROR_INVALID,
      "bad.xml:2: the root element is <foo>, not <MTConnectStreams>" },
    { "<MTConnectDevices xmlns=\"urn:mtconnect.org:MTConnectDevices:1.3\"/>", TACIT_INPUT_ERROR_INVALID,
      "bad.xml:1: this is an MTConnectDevices document; events come from MTConnectStreams "
      "documents (an agent's current or sample)" },
    { "<MTConnectError><Errors/></MTConnectError>", TACIT_INPUT_ERROR_INVALID,
      "bad.xml:1: the agent returned an MTConnectError document" },
    { "\n<!-- c --><?pi x?>\n<!DOCTYPE MTConnectStreams>\n<MTConnectStreams/>", TACIT_INPUT_ERROR_FORBIDDEN,
      "bad.xml:3: documents with a DOCTYPE are refused" },
    /* Truncated. */
    { STREAMS_OPEN "<Events><Program dataItemId=\"p\" timestamp=\"2026-11-02T06:00:00Z\">O1",
      TACIT_INPUT_ERROR_SYNTAX, "bad.xml:4: the document ends inside <Program> (is it truncated?)" },
    { STREAMS_OPEN "<Events>\n", TACIT_INPUT_ERROR_SYNTAX,
      "bad.xml:4: the document ends inside <Events> (is it truncated?)" },
    { "<?xml version=\"1.0\"?>\n", TACIT_INPUT_ERROR_SYNTAX, "bad.xml:2: the document has no root element" },
    { "<MTConnectStreams/>\n<MTConnectStreams/>\n", TACIT_INPUT_ERROR_SYNTAX,
      "bad.xml:2: malformed XML: Extra content at the end of the document" },
    { STREAMS_OPEN "<Events></Samples>" STREAMS_CLOSE, TACIT_INPUT_ERROR_SYNTAX,
      "bad.xml:4: malformed XML: Opening and ending tag mismatch: Events line 4 and Samples" },
    /* Observations. */
    { STREAMS_OPEN "<Events>\n<Program dataItemId=\"p\" timestamp=\"2026-02-30T06:00:00Z\">O1</Program>"
      "</Events>" STREAMS_CLOSE, TACIT_INPUT_ERROR_INVALID,
      "bad.xml:5: <Program> attribute \"timestamp\": time has an impossible date" },
    { STREAMS_OPEN "<Events>\n<Program dataItemId=\"p\">O1</Program></Events>" STREAMS_CLOSE,
      TACIT_INPUT_ERROR_INVALID, "bad.xml:5: <Program> has no timestamp attribute" },
    { STREAMS_OPEN "<Events>\n<Program timestamp=\"2026-11-02T06:00:00Z\">O1</Program></Events>" STREAMS_CLOSE,
      TACIT_INPUT_ERROR_INVALID, "bad.xml:5: <Program> has neither a name nor a dataItemId attribute" },
    { STREAMS_OPEN "<Events>\n<Program dataItemId=\"p\" timestamp=\"2026-11-02T06:00:00Z\" sequence=\"-1\">O1</Program>"
      "</Events>" STREAMS_CLOSE, TACIT_INPUT_ERROR_INVALID,
      "bad.xml:5: <Program> attribute \"sequence\" is not a whole number" },
    { STREAMS_OPEN "<Condition>\n<Info dataItemId=\"c\" timestamp=\"2026-11-02T06:00:00Z\"/></Condition>" STREAMS_CLOSE,
      TACIT_INPUT_ERROR_INVALID, "bad.xml:5: <Info> in <Condition> is not Normal, Warning, Fault or Unavailable" },
    { "<MTConnectStreams><Streams><DeviceStream><ComponentStream/></DeviceStream></Streams></MTConnectStreams>",
      TACIT_INPUT_ERROR_INVALID, "bad.xml:1: <DeviceStream> has no name attribute" },
    { "<MTConnectStreams><Header instanceId=\"x\"/></MTConnectStreams>", TACIT_INPUT_ERROR_INVALID,
      "bad.xml:1: <Header> attribute \"instanceId\" is not a whole number" },
    /* Entities and encoding. */
    { STREAMS_OPEN "<Events>\n<Program dataItemId=\"p\" timestamp=\"2026-11-02T06:00:00Z\">&e;</Program></Events>"
      STREAMS_CLOSE, TACIT_INPUT_ERROR_FORBIDDEN, "bad.xml:5: entity references are refused (&e;)" },
    { STREAMS_OPEN "<Events>\n<Program dataItemId=\"p\" timestamp=\"2026-11-02T06:00:00Z\">\xff</Program></Events>"
      STREAMS_CLOSE, TACIT_INPUT_ERROR_ENCODING, "bad.xml:5: invalid UTF-8" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %u: %s", i, cases[i].message);
      assert_error ("bad.xml", cases[i].data, cases[i].code, cases[i].message);
    }
}

static void
test_mtconnect_nul (void)
{
  static const char data[] =
    STREAMS_OPEN "<Events>\n<Program dataItemId=\"p\" timestamp=\"2026-11-02T06:00:00Z\">a\0b</Program>"
    "</Events>" STREAMS_CLOSE;

  assert_error_flags ("bad.xml", data, sizeof data - 1, 0, TACIT_INPUT_ERROR_ENCODING,
                      "bad.xml:5: contains a NUL byte");
}

static void
test_mtconnect_limits (void)
{
  g_autoptr(GString) deep = g_string_new ("<?xml version=\"1.0\"?>\n");
  g_autoptr(GString) attr = g_string_new ("<?xml version=\"1.0\"?>\n<MTConnectStreams>\n<Header sender=\"");
  g_autoptr(GString) text = g_string_new (STREAMS_OPEN "<Events>\n<Message dataItemId=\"m\" "
                                          "timestamp=\"2026-11-02T06:00:00Z\">");

  for (guint i = 0; i < 10000; i++)
    g_string_append (deep, "<MTConnectStreams>");
  for (guint i = 0; i < 10000; i++)
    g_string_append (deep, "</MTConnectStreams>");
  assert_error_flags ("bad.xml", deep->str, deep->len, 0, TACIT_INPUT_ERROR_TOO_LARGE,
                      "bad.xml:2: elements are nested deeper than 64 levels");

  for (guint i = 0; i < 2 * 1024 * 1024; i++)
    g_string_append_c (attr, 'a' + i % 26);
  g_string_append (attr, "\"/></MTConnectStreams>\n");
  assert_error_flags ("bad.xml", attr->str, attr->len, 0, TACIT_INPUT_ERROR_TOO_LARGE,
                      "bad.xml:3: <Header> attribute \"sender\" is longer than 1 MiB");

  for (guint i = 0; i < 1100 * 1024 / 10; i++)
    g_string_append (text, "too long. ");
  g_string_append (text, "</Message></Events>" STREAMS_CLOSE);
  assert_error_flags ("bad.xml", text->str, text->len, 0, TACIT_INPUT_ERROR_TOO_LARGE,
                      "bad.xml:5: an element's text is longer than 1 MiB");
}

/* Real agents' quirks that must still import: an undeclared prefix on a
 * vendor element, a declared non-UTF-8 encoding, a BOM, no Header. */
static void
test_mtconnect_quirks (void)
{
  g_autoptr(TacitEventReader) reader = NULL;
  TacitMtconnectHeader header;
  TacitEvent e;

  reader = reader_for_data ("quirks.xml",
                            "\xEF\xBB\xBF<?xml version=\"1.0\"?>\n"
                            "<MTConnectStreams><Streams><DeviceStream name=\"m\"><ComponentStream><Events>\n"
                            "<x:PalletNumber x:name=\"n\" dataItemId=\"p\" timestamp=\"2026-11-02T06:00:00Z\" "
                            "sequence=\"1\">7</x:PalletNumber>\n"
                            "</Events></ComponentStream></DeviceStream></Streams></MTConnectStreams>\n",
                            -1, TACIT_EVENT_FORMAT_MTCONNECT, 0);
  next_ok (reader, &e);
  assert_event (&e, "2026-11-02T06:00:00.000000Z", "m", TACIT_KIND_EVENT, "p", "7", NULL, NULL);
  g_assert_cmpuint (tacit_event_reader_get_line (reader), ==, 3);
  assert_end (reader);
  g_assert_false (tacit_event_reader_get_mtconnect_header (reader, &header));
  g_clear_object (&reader);

  reader = reader_for_data ("latin1.xml",
                            "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
                            "<MTConnectStreams><Streams><DeviceStream name=\"m\"><ComponentStream><Condition>\n"
                            "<Fault dataItemId=\"c\" timestamp=\"2026-11-02T06:00:00Z\" sequence=\"1\">Druck zu niedrig \xb0\xe4</Fault>\n"
                            "</Condition></ComponentStream></DeviceStream></Streams></MTConnectStreams>\n",
                            -1, TACIT_EVENT_FORMAT_MTCONNECT, 0);
  next_ok (reader, &e);
  assert_event (&e, "2026-11-02T06:00:00.000000Z", "m", TACIT_KIND_CONDITION, "c", "fault", NULL,
                "Druck zu niedrig °ä");
  assert_end (reader);
}

/* The real thing: a NIST test bed agent's sample response. */
static void
test_mtconnect_nist (void)
{
  g_autofree char *path = tacit_test_shared_path ("mtconnect/nist-GFAgie01-sample.xml");
  g_autoptr(TacitEventReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  TacitMtconnectHeader header = { 0 };
  TacitEvent e;
  guint counts[TACIT_N_KINDS] = { 0 };
  guint faults = 0, faults_with_code = 0, n = 0;
  guint64 last_line = 0;
  TacitTime first_time = 0;
  g_autofree char *last = NULL;

  if (path == NULL)
    return;
  reader = tacit_event_reader_new_for_path (path, TACIT_EVENT_FORMAT_AUTO, 0, &error);
  g_assert_no_error (error);
  while (tacit_event_reader_next (reader, &e, &error))
    {
      if (n == 0)
        {
          /* The document's lowest sequence, 2881458, is on line 76. */
          first_time = e.time;
          assert_event (&e, "2016-05-18T15:12:32.964298Z", "GFAgie01", TACIT_KIND_SAMPLE,
                        "Aposition", "-90.0002", NULL, NULL);
          g_assert_cmpuint (tacit_event_reader_get_line (reader), ==, 76);
        }
      counts[e.kind]++;
      if (e.kind == TACIT_KIND_CONDITION && strcmp (e.value, "fault") == 0)
        {
          faults++;
          if (e.code != NULL)
            faults_with_code++;
        }
      g_clear_pointer (&last, g_free);
      last = g_strdup_printf ("%s|%s|%s|%s", tacit_kind_to_string (e.kind), e.item, e.value,
                              e.code != NULL ? e.code : "-");
      last_line = tacit_event_reader_get_line (reader);
      n++;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (first_time, >, 0);
  g_assert_cmpuint (counts[TACIT_KIND_SAMPLE], ==, 9587);
  g_assert_cmpuint (counts[TACIT_KIND_EVENT], ==, 325);
  g_assert_cmpuint (counts[TACIT_KIND_CONDITION], ==, 101);
  g_assert_cmpuint (n, ==, 10013);
  g_assert_cmpuint (faults, ==, 49);
  g_assert_cmpuint (faults_with_code, ==, 49);
  /* The highest sequence, 2891470, is the last: a PathPosition on line
   * 9936, not the document's last element (a Line event). */
  g_assert_cmpstr (last, ==, "sample|path_pos|UNAVAILABLE|-");
  g_assert_cmpuint (last_line, ==, 9936);
  g_assert_true (tacit_event_reader_get_mtconnect_header (reader, &header));
  g_assert_cmpuint (header.instance_id, ==, 1475083573);
  g_assert_cmpuint (header.first_sequence, ==, 2760399);
  g_assert_cmpuint (header.last_sequence, ==, 2891470);
  g_assert_cmpuint (header.next_sequence, ==, 2891471);
  g_assert_cmpuint (tacit_event_reader_get_bytes_read (reader), ==, tacit_event_reader_get_size (reader));
}

/* Sequence order, checked against the attributes themselves. */
static void
test_mtconnect_nist_order (void)
{
  g_autofree char *path = tacit_test_shared_path ("mtconnect/nist-GFAgie01-sample.xml");
  g_autofree char *contents = NULL;
  g_autoptr(TacitEventReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) sequences = g_array_new (FALSE, FALSE, sizeof (guint64));
  g_autoptr(GHashTable) by_line = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_auto(GStrv) lines = NULL;
  guint64 previous = 0;
  TacitEvent e;
  guint n = 0;
  gboolean saw_pallet_style = FALSE;

  if (path == NULL)
    return;
  /* Every observation sits on a line of its own in this file: map each
   * line to its sequence. */
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *s = strstr (lines[i], " sequence=\"");
      if (s != NULL)
        g_hash_table_insert (by_line, GUINT_TO_POINTER (i + 1),
                             GSIZE_TO_POINTER (g_ascii_strtoull (s + 11, NULL, 10)));
      if (strstr (lines[i], "<x:") != NULL)
        saw_pallet_style = TRUE;
    }
  reader = tacit_event_reader_new_for_path (path, TACIT_EVENT_FORMAT_AUTO, 0, &error);
  g_assert_no_error (error);
  while (tacit_event_reader_next (reader, &e, &error))
    {
      guint line = (guint) tacit_event_reader_get_line (reader);
      guint64 seq;

      g_assert_true (g_hash_table_contains (by_line, GUINT_TO_POINTER (line)));
      seq = GPOINTER_TO_SIZE (g_hash_table_lookup (by_line, GUINT_TO_POINTER (line)));
      g_assert_cmpuint (seq, >, previous);
      previous = seq;
      n++;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, g_hash_table_size (by_line));
  g_assert_cmpuint (previous, ==, 2891470);
  /* The file declares the NIST namespace but uses no element from it;
   * extension elements are covered by valid-1.3.xml. */
  g_assert_false (saw_pallet_style);
}

/* A spot check in the middle: the first fault with its code and text,
 * and the Warning, the one observation of its kind. */
static void
test_mtconnect_nist_spot (void)
{
  g_autofree char *path = tacit_test_shared_path ("mtconnect/nist-GFAgie01-sample.xml");
  g_autoptr(TacitEventReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  gboolean saw_fault = FALSE, saw_warning = FALSE;
  TacitEvent e;

  if (path == NULL)
    return;
  reader = tacit_event_reader_new_for_path (path, TACIT_EVENT_FORMAT_AUTO, 0, &error);
  g_assert_no_error (error);
  while (tacit_event_reader_next (reader, &e, &error))
    {
      if (!saw_fault && e.kind == TACIT_KIND_CONDITION && strcmp (e.value, "fault") == 0)
        {
          saw_fault = TRUE;
          assert_event (&e, "2016-05-18T15:27:01.667143Z", "GFAgie01", TACIT_KIND_CONDITION,
                        "system", "fault", "3AA", "Key non-functional");
          g_assert_cmpuint (tacit_event_reader_get_line (reader), ==, 9);
        }
      if (e.kind == TACIT_KIND_CONDITION && strcmp (e.value, "warning") == 0)
        {
          g_assert_false (saw_warning);
          saw_warning = TRUE;
          assert_event (&e, "2016-05-18T15:29:50.458883Z", "GFAgie01", TACIT_KIND_CONDITION,
                        "system", "warning", "3AA", "Key non-functional");
        }
    }
  g_assert_no_error (error);
  g_assert_true (saw_fault);
  g_assert_true (saw_warning);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/event-reader/format-for-path", test_format_for_path);
  g_test_add_func ("/event-reader/open-errors", test_open_errors);
  g_test_add_func ("/event-reader/csv/valid", test_csv_valid);
  g_test_add_func ("/event-reader/csv/bom-crlf", test_csv_bom_crlf);
  g_test_add_func ("/event-reader/csv/optional-columns", test_csv_optional_columns);
  g_test_add_func ("/event-reader/csv/ignore-unknown", test_csv_ignore_unknown);
  g_test_add_func ("/event-reader/csv/errors", test_csv_errors);
  g_test_add_func ("/event-reader/csv/nul", test_csv_nul);
  g_test_add_func ("/event-reader/csv/blocks", test_csv_blocks);
  g_test_add_func ("/event-reader/csv/too-long", test_csv_too_long);
  g_test_add_func ("/event-reader/gzip", test_gzip);
  g_test_add_func ("/event-reader/jsonl/valid", test_jsonl_valid);
  g_test_add_func ("/event-reader/jsonl/ignore-unknown", test_jsonl_ignore_unknown);
  g_test_add_func ("/event-reader/jsonl/errors", test_jsonl_errors);
  g_test_add_func ("/event-reader/jsonl/lines", test_jsonl_lines);
  g_test_add_func ("/event-reader/mtconnect/1.3", test_mtconnect_1_3);
  g_test_add_func ("/event-reader/mtconnect/2.0", test_mtconnect_2_0);
  g_test_add_func ("/event-reader/mtconnect/fixture-errors", test_mtconnect_fixture_errors);
  g_test_add_func ("/event-reader/mtconnect/errors", test_mtconnect_errors);
  g_test_add_func ("/event-reader/mtconnect/nul", test_mtconnect_nul);
  g_test_add_func ("/event-reader/mtconnect/limits", test_mtconnect_limits);
  g_test_add_func ("/event-reader/mtconnect/quirks", test_mtconnect_quirks);
  g_test_add_func ("/event-reader/mtconnect/nist", test_mtconnect_nist);
  g_test_add_func ("/event-reader/mtconnect/nist-order", test_mtconnect_nist_order);
  g_test_add_func ("/event-reader/mtconnect/nist-spot", test_mtconnect_nist_spot);

  return g_test_run ();
}
