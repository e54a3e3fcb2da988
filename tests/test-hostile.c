/* test-hostile.c: hostile input against every reader (CSV, JSONL,
 * MTConnect XML, rule library XML): external entities, billion laughs,
 * quadratic blow-up, 10,000-deep nesting, a 100 MB attribute or field,
 * invalid UTF-8, NUL bytes, bytes that do not match the declared encoding.
 * Each must be refused with a clear input error
 * naming the input, within bounded time and memory.
 *
 * Every case runs in its own subprocess, so that its peak RSS
 * (getrusage ru_maxrss) is its own: growth = peak after reading − resident
 * size before reading (the input is already in memory then, allocated at
 * its exact size, so building it does not raise the peak). The bounds are
 * generous (MAX_SECONDS, MAX_GROWTH_MB) so that a loaded machine or a
 * sanitizer build cannot make the test flaky; the figures measured are
 * printed with --verbose and recorded in docs/reliability.md.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "tacit-error.h"
#include "tacit-event-reader.h"
#include "tacit-library-xml.h"

/* Sanitizers make every byte several times dearer: same bound, scaled. */
#ifdef __SANITIZE_ADDRESS__
#define MAX_SECONDS   15.0
#else
#define MAX_SECONDS   5.0
#endif
#define MAX_GROWTH_MB 300
#define HUGE_LEN      (100 * 1024 * 1024)
#define DEEP          10000
#define NAME          "hostile-input"

typedef enum {
  FORMAT_CSV,
  FORMAT_JSONL,
  FORMAT_MTCONNECT,
  FORMAT_RULES,
} Format;

static const char *const format_names[] = { "csv", "jsonl", "mtconnect", "rules" };

/* ---- building inputs at their exact size ------------------------------ */

typedef struct {
  char  *data;
  gsize  len;
  gsize  cap;
} Buf;

static void
buf_init (Buf   *b,
          gsize  cap)
{
  b->data = g_malloc (cap);
  b->len = 0;
  b->cap = cap;
}

static void
buf_add (Buf        *b,
         const char *s,
         gsize       n)
{
  g_assert_cmpuint (b->len + n, <=, b->cap);
  memcpy (b->data + b->len, s, n);
  b->len += n;
}

static void
buf_str (Buf        *b,
         const char *s)
{
  buf_add (b, s, strlen (s));
}

static void
buf_repeat (Buf        *b,
            const char *s,
            gsize       times)
{
  gsize n = strlen (s);

  for (gsize i = 0; i < times; i++)
    buf_add (b, s, n);
}

static void
buf_fill (Buf  *b,
          char  c,
          gsize n)
{
  g_assert_cmpuint (b->len + n, <=, b->cap);
  memset (b->data + b->len, c, n);
  b->len += n;
}

/* ---- the cases --------------------------------------------------------- */

static const char mtc_head[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
static const char mtc_open[] =
  "<MTConnectStreams xmlns=\"urn:mtconnect.org:MTConnectStreams:1.3\">"
  "<Header instanceId=\"1\" nextSequence=\"2\"/><Streams>"
  "<DeviceStream name=\"press-3\" uuid=\"p3\"><ComponentStream component=\"Controller\">"
  "<Samples><Temperature dataItemId=\"t\" name=\"oil_temp\" sequence=\"1\" "
  "timestamp=\"2026-11-02T06:00:00Z\"";
static const char mtc_close[] =
  ">55</Temperature></Samples></ComponentStream></DeviceStream></Streams></MTConnectStreams>\n";

static const char rules_open[] =
  "<library xmlns=\"urn:tacit:rules:1\" name=\"x\"><rule id=\"r\" kind=\"override\" "
  "status=\"approved\"><title";
static const char rules_close[] =
  ">t</title><on kind=\"event\" item=\"mode\"/><advise><text>x</text></advise></rule></library>\n";

/* The opening of a document up to the point where an attribute can go
 * (XML), or of a record whose last field comes next (CSV, JSONL). */
static void
open_doc (Buf    *b,
          Format  format)
{
  switch (format)
    {
    case FORMAT_CSV:
      buf_str (b, "time,machine,kind,item,value\n2026-11-02T06:00:00Z,press-3,event,mode,");
      break;
    case FORMAT_JSONL:
      buf_str (b, "{\"time\":\"2026-11-02T06:00:00Z\",\"machine\":\"press-3\","
                  "\"kind\":\"event\",\"item\":\"mode\",\"value\":");
      break;
    case FORMAT_MTCONNECT:
      buf_str (b, mtc_head);
      buf_str (b, mtc_open);
      break;
    case FORMAT_RULES:
      buf_str (b, rules_open);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
close_doc (Buf    *b,
           Format  format)
{
  switch (format)
    {
    case FORMAT_CSV:
      buf_str (b, "\n");
      break;
    case FORMAT_JSONL:
      buf_str (b, "}\n");
      break;
    case FORMAT_MTCONNECT:
      buf_str (b, mtc_close);
      break;
    case FORMAT_RULES:
      buf_str (b, rules_close);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Room for the opening and closing of a document around n bytes. */
#define FRAME 1024

static void
make_invalid_utf8 (Buf    *b,
                   Format  format)
{
  buf_init (b, FRAME + 64);
  open_doc (b, format);
  if (format == FORMAT_MTCONNECT || format == FORMAT_RULES)
    buf_str (b, " x=\"caf\xc3\x28 \xff\xfe\xed\xa0\x80\"");
  else if (format == FORMAT_JSONL)
    buf_str (b, "\"caf\xc3\x28 \xff\xfe\xed\xa0\x80\"");
  else
    buf_str (b, "caf\xc3\x28 \xff\xfe\xed\xa0\x80");
  close_doc (b, format);
}

static void
make_nul_byte (Buf    *b,
               Format  format)
{
  buf_init (b, FRAME + 64);
  open_doc (b, format);
  if (format == FORMAT_MTCONNECT || format == FORMAT_RULES)
    buf_add (b, " x=\"a\0b\"", 8);
  else if (format == FORMAT_JSONL)
    buf_add (b, "\"a\0b\"", 5);
  else
    buf_add (b, "a\0b", 3);
  close_doc (b, format);
}

/* A 100 MB attribute (XML), field (CSV) or string (JSONL). */
static void
make_huge_value (Buf    *b,
                 Format  format)
{
  gboolean xml = format == FORMAT_MTCONNECT || format == FORMAT_RULES;

  buf_init (b, FRAME + HUGE_LEN);
  open_doc (b, format);
  buf_str (b, xml ? " x=\"" : format == FORMAT_JSONL ? "\"" : "");
  buf_fill (b, 'A', HUGE_LEN);
  buf_str (b, xml ? "\"" : format == FORMAT_JSONL ? "\"" : "");
  close_doc (b, format);
}

/* Quadratic blow-up without a DTD: 20 million character references in one
 * attribute (XML), or 10 million escaped quotes in one field (CSV, JSONL):
 * each must be decoded once, and the result is over any value limit. */
static void
make_quadratic (Buf    *b,
                Format  format)
{
  const gsize n = 10 * 1000 * 1000;

  buf_init (b, FRAME + 6 * n);
  open_doc (b, format);
  switch (format)
    {
    case FORMAT_CSV:
      buf_str (b, "\"");
      buf_repeat (b, "\"\"", n);
      buf_str (b, "\"");
      break;
    case FORMAT_JSONL:
      buf_str (b, "\"");
      buf_repeat (b, "\\\"", n);
      buf_str (b, "\"");
      break;
    case FORMAT_MTCONNECT:
    case FORMAT_RULES:
      buf_str (b, " x=\"");
      buf_repeat (b, "&lt;", n);
      buf_str (b, "\"");
      break;
    default:
      g_assert_not_reached ();
    }
  close_doc (b, format);
}

/* 10,000 levels of nesting: elements (XML), arrays (JSONL); CSV has no
 * nesting, so it gets 10,000 levels of quoting-looking text instead, which
 * must stay one plain field and be refused for what it is (a bad kind). */
static void
make_deep (Buf    *b,
           Format  format)
{
  buf_init (b, FRAME * 2 + DEEP * 8);
  switch (format)
    {
    case FORMAT_CSV:
      buf_str (b, "time,machine,kind,item,value\n2026-11-02T06:00:00Z,press-3,");
      buf_repeat (b, "[", DEEP);
      buf_str (b, ",mode,1\n");
      break;
    case FORMAT_JSONL:
      open_doc (b, format);
      buf_repeat (b, "[", DEEP);
      buf_repeat (b, "]", DEEP);
      close_doc (b, format);
      break;
    case FORMAT_MTCONNECT:
      buf_str (b, mtc_head);
      buf_str (b, "<MTConnectStreams xmlns=\"urn:mtconnect.org:MTConnectStreams:1.3\">"
                  "<Streams><DeviceStream name=\"press-3\">");
      buf_repeat (b, "<a>", DEEP);
      buf_repeat (b, "</a>", DEEP);
      buf_str (b, "</DeviceStream></Streams></MTConnectStreams>");
      break;
    case FORMAT_RULES:
      buf_str (b, "<library xmlns=\"urn:tacit:rules:1\" name=\"x\">");
      buf_repeat (b, "<a>", DEEP);
      buf_repeat (b, "</a>", DEEP);
      buf_str (b, "</library>");
      break;
    default:
      g_assert_not_reached ();
    }
}

/* The DTD attacks only exist for XML; for CSV and JSONL the same text
 * arrives as data and must not be taken for anything else (it fails as
 * a bad record). */
static void
make_doctype (Buf        *b,
              Format      format,
              const char *doctype)
{
  buf_init (b, FRAME * 4);
  switch (format)
    {
    case FORMAT_CSV:
      buf_str (b, doctype);
      buf_str (b, "\n");
      break;
    case FORMAT_JSONL:
      buf_str (b, doctype);
      buf_str (b, "\n");
      break;
    case FORMAT_MTCONNECT:
      buf_str (b, mtc_head);
      buf_str (b, doctype);
      buf_str (b, mtc_open);
      buf_str (b, " x=\"&e;\"");
      buf_str (b, mtc_close);
      break;
    case FORMAT_RULES:
      buf_str (b, doctype);
      buf_str (b, rules_open);
      buf_str (b, " x=\"&e;\"");
      buf_str (b, rules_close);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
make_xxe (Buf    *b,
          Format  format)
{
  make_doctype (b, format,
                "<!DOCTYPE d [<!ENTITY e SYSTEM \"file:///etc/passwd\">"
                "<!ENTITY n SYSTEM \"http://127.0.0.1:9/x\">]>");
}

static void
make_billion_laughs (Buf    *b,
                     Format  format)
{
  make_doctype (b, format,
                "<!DOCTYPE d [<!ENTITY a \"lol\">"
                "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
                "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
                "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">"
                "<!ENTITY f \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">"
                "<!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">"
                "<!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">"
                "<!ENTITY i \"&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;\">"
                "<!ENTITY j \"&i;&i;&i;&i;&i;&i;&i;&i;&i;&i;\">"
                "<!ENTITY e \"&j;&j;&j;&j;&j;&j;&j;&j;&j;&j;\">]>");
}

/* Quadratic blow-up the classic way: one 50 KB entity used 50,000 times. */
static void
make_quadratic_entity (Buf    *b,
                       Format  format)
{
  const gsize n = 50000;

  buf_init (b, FRAME * 4 + 2 * n + 5 * n);
  switch (format)
    {
    case FORMAT_CSV:
    case FORMAT_JSONL:
      buf_str (b, "<!DOCTYPE d [<!ENTITY e \"");
      buf_fill (b, 'x', n);
      buf_str (b, "\">]>\n");
      break;
    case FORMAT_MTCONNECT:
    case FORMAT_RULES:
      if (format == FORMAT_MTCONNECT)
        buf_str (b, mtc_head);
      buf_str (b, "<!DOCTYPE d [<!ENTITY e \"");
      buf_fill (b, 'x', n);
      buf_str (b, "\">]>");
      buf_str (b, format == FORMAT_MTCONNECT ? mtc_open : rules_open);
      buf_str (b, " x=\"");
      buf_repeat (b, "&e;", n);
      buf_str (b, "\"");
      buf_str (b, format == FORMAT_MTCONNECT ? mtc_close : rules_close);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* A document declaring an encoding its bytes are not in (XML); for CSV
 * and JSONL the same bytes are invalid UTF-8. */
static void
make_declared_encoding (Buf    *b,
                        Format  format)
{
  buf_init (b, FRAME * 2);
  switch (format)
    {
    case FORMAT_CSV:
    case FORMAT_JSONL:
      open_doc (b, format);
      buf_str (b, format == FORMAT_JSONL ? "\"\xf8mln\"" : "\xf8mln");
      close_doc (b, format);
      break;
    case FORMAT_MTCONNECT:
    case FORMAT_RULES:
      buf_str (b, "<?xml version=\"1.0\" encoding=\"EUC-JP\"?>\n");
      buf_str (b, format == FORMAT_MTCONNECT ? mtc_open : rules_open);
      buf_str (b, " x=\"\xf8mln\"");
      buf_str (b, format == FORMAT_MTCONNECT ? mtc_close : rules_close);
      break;
    default:
      g_assert_not_reached ();
    }
}

typedef struct {
  const char *name;
  void      (*make) (Buf *b, Format format);
} Attack;

static const Attack attacks[] = {
  { "xxe", make_xxe },
  { "billion-laughs", make_billion_laughs },
  { "quadratic-entity", make_quadratic_entity },
  { "quadratic-references", make_quadratic },
  { "deep-nesting", make_deep },
  { "huge-value", make_huge_value },
  { "invalid-utf8", make_invalid_utf8 },
  { "nul-byte", make_nul_byte },
  { "declared-encoding", make_declared_encoding },
};

/* ---- reading and measuring --------------------------------------------- */

static long
resident_kb (void)
{
  long pages = 0, resident = 0;
  FILE *f = fopen ("/proc/self/statm", "r");

  g_assert_nonnull (f);
  g_assert_cmpint (fscanf (f, "%ld %ld", &pages, &resident), ==, 2);
  fclose (f);
  return resident * (sysconf (_SC_PAGESIZE) / 1024);
}

static long
peak_kb (void)
{
  struct rusage usage;

  g_assert_cmpint (getrusage (RUSAGE_SELF, &usage), ==, 0);
  return usage.ru_maxrss;
}

/* Reads the input to its end; returns the error (never NULL: every case
 * here is hostile) and the number of events read before it. */
static GError *
read_input (Format      format,
            const Buf  *b,
            guint64    *n_events)
{
  GError *error = NULL;

  *n_events = 0;
  if (format == FORMAT_RULES)
    {
      g_autoptr(TacitLibrary) library = tacit_library_load_data (b->data, b->len, NAME, &error);

      g_assert_null (library);
    }
  else
    {
      static const TacitEventFormat formats[] = {
        TACIT_EVENT_FORMAT_CSV, TACIT_EVENT_FORMAT_JSONL, TACIT_EVENT_FORMAT_MTCONNECT,
      };
      /* The stream borrows the buffer: no copy inflates the figures. */
      g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (b->data, b->len, NULL);
      g_autoptr(TacitEventReader) reader =
        tacit_event_reader_new_for_stream (stream, NAME, formats[format], TACIT_EVENT_READER_NONE);
      TacitEvent event;

      while (tacit_event_reader_next (reader, &event, &error))
        (*n_events)++;
    }
  g_assert_nonnull (error);
  return error;
}

typedef struct {
  Format        format;
  const Attack *attack;
} Case;

static void
run_case (const Case *c)
{
  g_autoptr(GError) error = NULL;
  Buf b;
  gint64 start;
  double seconds;
  long before_kb, growth_kb;
  guint64 n_events;

  c->attack->make (&b, c->format);
  before_kb = MAX (resident_kb (), peak_kb ());
  start = g_get_monotonic_time ();
  error = read_input (c->format, &b, &n_events);
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  growth_kb = MAX (0, peak_kb () - before_kb);

  /* Printed on stdout: the parent shows it and docs/reliability.md has it. */
  g_print ("# %s/%s: %zu bytes in, %.3f s, +%ld KiB peak RSS: %s\n",
           format_names[c->format], c->attack->name, b.len, seconds, growth_kb,
           error->message);

  /* A clear input error that names the input; nothing of the hostile part
   * got through as an event. */
  g_assert_true (error->domain == TACIT_INPUT_ERROR);
  g_assert_true (g_str_has_prefix (error->message, NAME ":"));
  g_assert_cmpuint (n_events, ==, 0);
  /* The file the XXE names must never be read into a message. */
  g_assert_null (strstr (error->message, "root:"));
  if (c->attack->make == make_invalid_utf8 || c->attack->make == make_nul_byte ||
      c->attack->make == make_declared_encoding)
    g_assert_cmpint (error->code, ==, TACIT_INPUT_ERROR_ENCODING);
  g_assert_cmpfloat (seconds, <, MAX_SECONDS);
  g_assert_cmpint (growth_kb, <, MAX_GROWTH_MB * 1024);
  g_free (b.data);
}

static void
test_case (gconstpointer data)
{
  const Case *c = data;

  if (g_test_subprocess ())
    {
      run_case (c);
      return;
    }
  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDOUT);
  g_test_trap_assert_passed ();
  /* The error is all the user sees: nothing on stderr (libxml2 writes
   * there unless every one of its error channels is taken over). */
  g_test_trap_assert_stderr ("");
}

int
main (int argc, char **argv)
{
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (g_free);

  g_test_init (&argc, &argv, NULL);
  for (guint f = FORMAT_CSV; f <= FORMAT_RULES; f++)
    for (guint a = 0; a < G_N_ELEMENTS (attacks); a++)
      {
        Case *c = g_new0 (Case, 1);
        g_autofree char *path = g_strdup_printf ("/hostile/%s/%s", format_names[f],
                                                 attacks[a].name);

        c->format = f;
        c->attack = &attacks[a];
        g_ptr_array_add (cases, c);
        g_test_add_data_func (path, c, test_case);
      }
  return g_test_run ();
}
