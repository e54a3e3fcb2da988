/* test-import-profile.c: import profiles (alarm journals, wide historian
 * tables, Unix milliseconds), SHDR adapter logs with and without a probe,
 * .bz2 and .xz input, the import report, and every malformed variant's
 * exact message.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sys/wait.h>

#include <glib/gstdio.h>

#include "tacit-error.h"
#include "tacit-event-reader.h"
#include "tacit-import-profile.h"
#include "tacit-store.h"
#include "tacit-test-utils.h"

/* ---- helpers --------------------------------------------------------- */

/* Every event, one line each: time|machine|kind|item|value|code|text. */
static char *
dump_reader (TacitEventReader *reader, GError **error)
{
  GString *out = g_string_new (NULL);
  TacitEvent ev;

  while (tacit_event_reader_next (reader, &ev, error))
    {
      g_autofree char *time = tacit_time_format_us (ev.time);
      g_string_append_printf (out, "%s|%s|%s|%s|%s|%s|%s\n", time, ev.machine,
                              tacit_kind_to_string (ev.kind), ev.item, ev.value,
                              ev.code != NULL ? ev.code : "-", ev.text != NULL ? ev.text : "-");
    }
  return g_string_free (out, FALSE);
}

static TacitImportProfile *
load_profile (const char *name)
{
  g_autofree char *path = tacit_test_data_path (name);
  g_autoptr(GError) error = NULL;
  TacitImportProfile *profile = tacit_import_profile_load_file (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (profile);
  return profile;
}

static char *
read_with_profile (const char *profile_name, const char *data_path, GError **error)
{
  g_autoptr(TacitImportProfile) profile = load_profile (profile_name);
  g_autoptr(TacitEventReader) reader = tacit_event_reader_new_with_profile (data_path, profile, error);

  if (reader == NULL)
    return NULL;
  return dump_reader (reader, error);
}

static char *
read_fixture_with_profile (const char *profile_name, const char *data_name)
{
  g_autofree char *path = tacit_test_data_path (data_name);
  g_autoptr(GError) error = NULL;
  char *dump = read_with_profile (profile_name, path, &error);

  g_assert_no_error (error);
  return dump;
}

/* The error reading contents (written to a file named basename) through
 * the profile; the message with the temporary directory cut off. */
static char *
profile_error (const char *profile_name, const char *basename, const char *contents)
{
  g_autofree char *path = tacit_test_write_file (basename, contents, -1);
  g_autoptr(GError) error = NULL;
  g_autofree char *dump = read_with_profile (profile_name, path, &error);
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_nonnull (error);
  g_assert_error (error, TACIT_INPUT_ERROR, error->code);
  g_assert_true (g_str_has_prefix (error->message, dir));
  return g_strdup (error->message + strlen (dir) + 1);
}

static char *
profile_load_error (const char *contents)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitImportProfile) profile =
    tacit_import_profile_load_data (contents, strlen (contents), "p.xml", &error);

  g_assert_null (profile);
  g_assert_nonnull (error);
  return g_strdup (error->message);
}

#define PROFILE_HEAD "<profile xmlns=\"urn:tacit:import-profile:1\">"

/* ---- profiles -------------------------------------------------------- */

static const char alarm_expected[] =
  "2024-03-30T21:00:01.000000Z|press-3|condition|TT-101|warning|A101|Oil temp high\n"
  "2024-03-30T21:00:05.000000Z|press-3|condition|TT-101|fault|A102|Oil temp very high;\nstop soon\n"
  "2024-03-30T21:01:00.000000Z|press-3|condition|PT-7|warning|-|Pressure low\n"
  "2024-03-30T21:02:00.000000Z|press-3|condition|TT-101|normal|A101|Oil temp back\n"
  "2024-03-31T01:10:00.000000Z|press-3|condition|PT-7|normal|-|Pressure \"ok\"\n";

static void
test_alarm_journal (void)
{
  g_autofree char *dump = read_fixture_with_profile ("profiles/alarm-journal.xml",
                                                     "profiles/alarm-journal.csv");

  g_assert_cmpstr (dump, ==, alarm_expected);
}

static void
test_alarm_journal_report (void)
{
  g_autoptr(TacitImportProfile) profile = load_profile ("profiles/alarm-journal.xml");
  g_autofree char *path = tacit_test_data_path ("profiles/alarm-journal.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitEventReader) reader = tacit_event_reader_new_with_profile (path, profile, &error);
  g_autofree char *dump = dump_reader (reader, &error);
  const TacitImportReport *report = tacit_event_reader_get_import_report (reader);
  g_autofree char *text = tacit_import_report_format (report, "journal.csv");

  g_assert_no_error (error);
  g_assert_cmpstr (tacit_import_profile_get_name (profile), ==, "Line 2 alarm journal");
  g_assert_cmpstr (text, ==,
                   "journal.csv: 8 row(s) read, 5 event(s), 3 row(s) skipped\n"
                   "journal.csv:   skipped 1 × value \"ACK\" not in the map (line 9)\n"
                   "journal.csv:   skipped 1 × blank row (line 10)\n"
                   "journal.csv:   skipped 1 × empty value (line 11)\n"
                   "journal.csv:   time 2024-03-30T21:00:01.000Z to 2024-03-31T01:10:00.000Z\n"
                   "journal.csv:   machines: press-3\n"
                   "journal.csv:   items: PT-7, TT-101\n");
}

static const char historian_expected[] =
  "2024-03-31T00:30:00.000000Z|press-3|sample|oil_temp|45.5|-|-\n"
  "2024-03-31T00:30:00.000000Z|press-3|sample|pressure|120.25|-|-\n"
  "2024-03-31T00:30:00.000000Z|press-3|event|mode|AUTO|-|-\n"
  "2024-03-31T00:59:59.000000Z|press-3|sample|oil_temp|46|-|-\n"
  "2024-03-31T00:59:59.000000Z|press-3|event|mode|AUTO|-|-\n"
  /* 03:00 is summer time already (+02:00): one second of real time after
   * 01:59:59 +01:00 would be 03:00:00. */
  "2024-03-31T01:00:00.000000Z|press-3|sample|oil_temp|47.25|-|-\n"
  "2024-03-31T01:00:00.000000Z|press-3|sample|pressure|1020.5|-|-\n"
  /* 02:30 on 27 October happens twice: the first one (+02:00) by default. */
  "2024-10-27T00:30:00.000000Z|press-3|sample|oil_temp|50|-|-\n"
  "2024-10-27T00:30:00.000000Z|press-3|event|mode|MANUAL|-|-\n";

static void
test_historian_wide (void)
{
  g_autofree char *dump = read_fixture_with_profile ("profiles/historian-wide.xml",
                                                     "profiles/historian-wide.csv");

  g_assert_cmpstr (dump, ==, historian_expected);
}

static const char wide_profile_fmt[] =
  PROFILE_HEAD
  "<table delimiter=\";\" decimal-comma=\"true\"/>"
  "<time column=\"Time\" format=\"DD/MM/YYYY HH:MM:SS\" zone=\"Europe/Madrid\" %s/>"
  "<machine value=\"press-3\"/><wide kind=\"sample\"/></profile>";

static char *
wide_profile_path (const char *time_attrs)
{
  g_autofree char *xml = g_strdup_printf (wide_profile_fmt, time_attrs);

  return tacit_test_write_file ("wide.xml", xml, -1);
}

static char *
read_wide (const char *time_attrs, const char *csv, GError **error)
{
  g_autofree char *profile_path = wide_profile_path (time_attrs);
  g_autofree char *csv_path = tacit_test_write_file ("wide.csv", csv, -1);
  g_autoptr(TacitImportProfile) profile = tacit_import_profile_load_file (profile_path, error);
  g_autoptr(TacitEventReader) reader = NULL;

  g_assert_nonnull (profile);
  reader = tacit_event_reader_new_with_profile (csv_path, profile, error);
  return dump_reader (reader, error);
}

static void
test_daylight_saving (void)
{
  static const char repeated[] = "Time;T\n27/10/2024 02:30:00;1\n27/10/2024 02:30:00,5;2\n";
  g_autoptr(GError) error = NULL;
  g_autofree char *second = read_wide ("repeated=\"second\"", repeated, &error);
  g_autofree char *first = NULL;
  g_autofree char *gap = NULL;
  g_autofree char *twice = NULL;

  /* Without <column>, every other named column is an item. */
  g_assert_no_error (error);
  g_assert_cmpstr (second, ==,
                   "2024-10-27T01:30:00.000000Z|press-3|sample|T|1|-|-\n"
                   "2024-10-27T01:30:00.500000Z|press-3|sample|T|2|-|-\n");
  first = read_wide ("", repeated, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first, ==,
                   "2024-10-27T00:30:00.000000Z|press-3|sample|T|1|-|-\n"
                   "2024-10-27T00:30:00.500000Z|press-3|sample|T|2|-|-\n");

  gap = read_wide ("", "Time;T\n31/03/2024 01:59:00;1\n31/03/2024 02:30:00;2\n", &error);
  g_assert_error (error, TACIT_INPUT_ERROR, TACIT_INPUT_ERROR_INVALID);
  g_assert_true (g_str_has_suffix (error->message,
                                   "wide.csv:3: column \"Time\": \"31/03/2024 02:30:00\" does not exist "
                                   "in Europe/Madrid (the clocks skip it when daylight saving starts)"));
  g_clear_error (&error);

  twice = read_wide ("repeated=\"error\"", repeated, &error);
  g_assert_error (error, TACIT_INPUT_ERROR, TACIT_INPUT_ERROR_INVALID);
  g_assert_true (g_str_has_suffix (error->message,
                                   "wide.csv:2: column \"Time\": \"27/10/2024 02:30:00\" occurs twice "
                                   "in Europe/Madrid (daylight saving ends): say <time repeated=\"first\"> or \"second\""));
}

static const char unix_ms_expected[] =
  "2023-11-14T22:13:20.000000Z|cnc-1|sample|spindle_speed|1200|-|-\n"
  "2023-11-14T22:13:20.250000Z|cnc-1|sample|spindle_speed|1250.5|-|-\n"
  "2023-11-14T22:13:21.000000Z|cnc-1|event|program|O1234, rev B|-|-\n"
  "2023-11-14T22:13:21.999000Z|cnc-1|condition|spindle|fault|-|-\n";

static void
test_unix_ms (void)
{
  g_autofree char *dump = read_fixture_with_profile ("profiles/unix-ms.xml", "profiles/unix-ms.csv");

  g_assert_cmpstr (dump, ==, unix_ms_expected);
}

/* Other time formats, through one-column profiles written here. */
static void
test_time_formats (void)
{
  static const struct {
    const char *format;
    const char *zone;
    const char *cell;
    const char *expected;
  } cases[] = {
    { "iso8601", "", "2026-11-02T07:00:01.25+01:00", "2026-11-02T06:00:01.250000Z" },
    { "iso8601", "zone=\"America/New_York\"", "2026-07-01 08:00", "2026-07-01T12:00:00.000000Z" },
    { "MM/DD/YYYY HH:MM:SS", "zone=\"America/New_York\"", "07/04/2026 9:05:00", "2026-07-04T13:05:00.000000Z" },
    { "DD/MM/YYYY HH:MM:SS", "", "4.7.2026", "2026-07-04T00:00:00.000000Z" },
    { "unix-seconds", "zone=\"Europe/Madrid\"", "1700000000.5", "2023-11-14T22:13:20.500000Z" },
    { "excel-days", "", "45292.5", "2024-01-01T12:00:00.000000Z" },
    { "excel-days", "zone=\"Europe/Madrid\"", "45292.25", "2024-01-01T05:00:00.000000Z" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *xml = g_strdup_printf (PROFILE_HEAD "<table delimiter=\"tab\"/>"
                                              "<time index=\"1\" format=\"%s\" %s/>"
                                              "<machine value=\"m\"/><kind value=\"sample\"/>"
                                              "<item value=\"x\"/><value index=\"2\"/></profile>",
                                              cases[i].format, cases[i].zone);
      g_autofree char *csv = g_strdup_printf ("t\tv\n%s\t1\n", cases[i].cell);
      g_autofree char *profile_path = tacit_test_write_file ("t.xml", xml, -1);
      g_autofree char *csv_path = tacit_test_write_file ("t.csv", csv, -1);
      g_autoptr(GError) error = NULL;
      g_autoptr(TacitImportProfile) profile = tacit_import_profile_load_file (profile_path, &error);
      g_autoptr(TacitEventReader) reader = NULL;
      g_autofree char *dump = NULL;
      g_autofree char *expected = g_strdup_printf ("%s|m|sample|x|1|-|-\n", cases[i].expected);

      g_assert_no_error (error);
      reader = tacit_event_reader_new_with_profile (csv_path, profile, &error);
      dump = dump_reader (reader, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (dump, ==, expected);
    }
}

/* No header, a Windows code page, a wide table named by position. */
static void
test_no_header_encoding (void)
{
  static const char xml[] =
    PROFILE_HEAD "<table delimiter=\";\" header=\"false\" encoding=\"windows-1252\" decimal-comma=\"true\"/>"
    "<time index=\"1\" format=\"excel-days\" zone=\"Europe/Madrid\"/><machine index=\"2\"/>"
    "<wide kind=\"event\"><column index=\"3\" item=\"operator\"/>"
    "<column index=\"4\" item=\"temp\" kind=\"sample\"/></wide></profile>";
  g_autofree char *profile_path = tacit_test_write_file ("w.xml", xml, -1);
  g_autofree char *csv_path = tacit_test_write_file ("w.csv", "45292,5;oven-1;Jos\xe9;180,5\r\n45292,75;oven-1;;181\r\n", -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitImportProfile) profile = tacit_import_profile_load_file (profile_path, &error);
  g_autoptr(TacitEventReader) reader = tacit_event_reader_new_with_profile (csv_path, profile, &error);
  g_autofree char *dump = dump_reader (reader, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (dump, ==,
                   "2024-01-01T11:00:00.000000Z|oven-1|event|operator|José|-|-\n"
                   "2024-01-01T11:00:00.000000Z|oven-1|sample|temp|180.5|-|-\n"
                   "2024-01-01T17:00:00.000000Z|oven-1|sample|temp|181|-|-\n");
}

/* Date and clock in two columns, as many alarm journals write them. */
static void
test_date_and_clock (void)
{
  static const char xml[] =
    PROFILE_HEAD "<table delimiter=\";\"/>"
    "<time column=\"Date\" clock-column=\"Time\" format=\"DD/MM/YYYY HH:MM:SS\" zone=\"Europe/Berlin\"/>"
    "<machine value=\"kiln\"/><kind value=\"condition\"/><item column=\"Tag\"/>"
    "<value column=\"State\"><map from=\"H\" to=\"warning\"/><map from=\"HH\" to=\"fault\"/></value>"
    "</profile>";
  g_autofree char *profile_path = tacit_test_write_file ("dc.xml", xml, -1);
  g_autofree char *csv_path = tacit_test_write_file ("dc.csv", "Date;Time;Tag;State\n"
                                                     "30.03.2024;22:00:01,250;TT-101;H\n"
                                                     "31.03.2024;;TT-101;HH\n"
                                                     "31.03.2024;02:30:00;TT-101;H\n", -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitImportProfile) profile = tacit_import_profile_load_file (profile_path, &error);
  g_autoptr(TacitEventReader) reader = tacit_event_reader_new_with_profile (csv_path, profile, &error);
  g_autofree char *dump = dump_reader (reader, &error);

  g_assert_cmpstr (dump, ==,
                   "2024-03-30T21:00:01.250000Z|kiln|condition|TT-101|warning|-|-\n"
                   "2024-03-30T23:00:00.000000Z|kiln|condition|TT-101|fault|-|-\n");
  g_assert_error (error, TACIT_INPUT_ERROR, TACIT_INPUT_ERROR_INVALID);
  g_assert_true (g_str_has_suffix (error->message,
                                   "dc.csv:4: column \"Date\" and column \"Time\": \"31.03.2024 02:30:00\" "
                                   "does not exist in Europe/Berlin (the clocks skip it when daylight saving starts)"));
}

/* ---- malformed data -------------------------------------------------- */

static void
test_bad_rows (void)
{
  static const struct {
    const char *profile;
    const char *contents;
    const char *message;
  } cases[] = {
    { "profiles/alarm-journal.xml", "t\nt\nTime;Unit;Tag;State\n",
      "bad.csv:3: the header has no column \"Timestamp\" (it has \"Time\", \"Unit\", \"Tag\", \"State\")" },
    { "profiles/alarm-journal.xml", "t\nt\nTimestamp;Unit;Tag;State;Message;Code\n"
      "2024-03-30 22:00:01;press-3;TT-101;H;\"Oil temp high;A101\n",
      "bad.csv:4: a quoted cell is never closed" },
    { "profiles/alarm-journal.xml", "t\nt\nTimestamp;Unit;Tag;State;Message;Code\n"
      "30/03/2024 22:00:01;press-3;TT-101;H;x;A101\n",
      "bad.csv:4: column \"Timestamp\": \"30/03/2024 22:00:01\" is not an ISO 8601 time (YYYY-MM-DDTHH:MM:SS)" },
    { "profiles/alarm-journal.xml", "t\nt\nTimestamp;Unit;Tag;State;Message;Code\n"
      "2024-03-30 22:00:01;;TT-101;H;x;A101\n",
      "bad.csv:4: column \"Unit\" is empty" },
    { "profiles/alarm-journal.xml", "t\nt\nTimestamp;Unit;Tag;State;Message;Code\n"
      "2024-03-30 22:00:01;press-3;TT-101;H;caf\xc3;A101\n",
      "bad.csv:4: invalid UTF-8" },
    { "profiles/unix-ms.xml", "ts,device,type,signal,val\n1700000000000,cnc-1,condition,spindle,HOT\n",
      "bad.csv:2: column \"val\": a condition is normal, warning, fault or unavailable, not \"HOT\" (map it with <map>)" },
    { "profiles/unix-ms.xml", "ts,device,type,signal,val\n1700000000000,cnc-1,alarm,spindle,1\n",
      "bad.csv:2: column \"type\": \"alarm\" is not sample, event or condition" },
    { "profiles/unix-ms.xml", "ts,device,type,signal,val\n17e11,cnc-1,sample,spindle,1\n",
      "bad.csv:2: column \"ts\": \"17e11\" is not milliseconds since 1970" },
    { "profiles/historian-wide.xml", "x\nTime;TT-101 Oil temp;PT-7 Pressure;Mode\n31/02/2024 01:00:00;1;2;A\n",
      "bad.csv:3: column \"Time\": \"31/02/2024 01:00:00\" is not a time as DD/MM/YYYY HH:MM:SS" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *message = NULL;
      g_test_message ("case %u", i);
      message = profile_error (cases[i].profile, "bad.csv", cases[i].contents);
      g_assert_cmpstr (message, ==, cases[i].message);
    }
}

static void
test_unmapped_error (void)
{
  static const char xml[] =
    PROFILE_HEAD "<time index=\"1\" format=\"unix-seconds\"/><machine value=\"m\"/>"
    "<kind value=\"condition\"/><item value=\"alarm\"/>"
    "<value index=\"2\" unmapped=\"error\"><map from=\"ON\" to=\"fault\"/><map from=\"OFF\" to=\"normal\"/></value>"
    "</profile>";
  g_autofree char *profile_path = tacit_test_write_file ("u.xml", xml, -1);
  g_autofree char *csv_path = tacit_test_write_file ("u.csv", "t,v\n1,ON\n2,OFF\n3,BLINK\n", -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitImportProfile) profile = tacit_import_profile_load_file (profile_path, &error);
  g_autoptr(TacitEventReader) reader = tacit_event_reader_new_with_profile (csv_path, profile, &error);
  g_autofree char *dump = dump_reader (reader, &error);

  g_assert_error (error, TACIT_INPUT_ERROR, TACIT_INPUT_ERROR_INVALID);
  g_assert_true (g_str_has_suffix (error->message, "u.csv:4: column 2: \"BLINK\" is not in the profile's <map>"));
  g_assert_cmpstr (dump, ==,
                   "1970-01-01T00:00:01.000000Z|m|condition|alarm|fault|-|-\n"
                   "1970-01-01T00:00:02.000000Z|m|condition|alarm|normal|-|-\n");
}

/* ---- malformed profiles ---------------------------------------------- */

static void
test_bad_profiles (void)
{
  static const struct {
    const char *xml;
    const char *message;
  } cases[] = {
    { "", "p.xml:1: the document is empty" },
    { "<?xml version=\"1.0\"?>\n<!DOCTYPE profile [<!ENTITY a \"b\">]>\n" PROFILE_HEAD "</profile>",
      "p.xml:2: documents with a DOCTYPE are refused" },
    { PROFILE_HEAD "\n<time index=\"1\" format=\"iso8601\">", "p.xml:2: not well-formed XML: "
      "Premature end of data in tag time line 2" },
    { PROFILE_HEAD "\n<time index=\"1\" format=\"epoch\"/><machine value=\"m\"/><kind value=\"sample\"/>"
      "<item value=\"x\"/><value index=\"2\"/></profile>",
      "p.xml:2: does not match the schema tacit-import-profile-1.rng: "
      "Element time failed to validate attributes" },
    { PROFILE_HEAD "\n<time index=\"1\" format=\"iso8601\" zone=\"Europe/Atlantis\"/>"
      "<machine value=\"m\"/><kind value=\"sample\"/><item value=\"x\"/><value index=\"2\"/></profile>",
      "p.xml:2: <time> zone=\"Europe/Atlantis\" is not a known time zone (an IANA name such as Europe/Madrid)" },
    { PROFILE_HEAD "\n<table delimiter=\"::\"/><time index=\"1\" format=\"iso8601\"/>"
      "<machine value=\"m\"/><kind value=\"sample\"/><item value=\"x\"/><value index=\"2\"/></profile>",
      "p.xml:2: <table> delimiter=\"::\" is not one ASCII character or \"tab\"" },
    { PROFILE_HEAD "<time index=\"1\" format=\"iso8601\"/>"
      "<machine value=\"m\"/><kind value=\"condition\"/><item value=\"x\"/><value index=\"2\">\n"
      "<map from=\"H\" to=\"high\"/></value></profile>",
      "p.xml:2: <map to=\"high\">: a condition is normal, warning, fault or unavailable" },
    { PROFILE_HEAD "<table header=\"false\"/>\n<time column=\"ts\" format=\"iso8601\"/>"
      "<machine value=\"m\"/><kind value=\"sample\"/><item value=\"x\"/><value index=\"2\"/></profile>",
      "p.xml:1: <time column=\"ts\"> needs a header row: use index= or <table header=\"true\">" },
    { "<profile xmlns=\"urn:tacit:import-profile:1\">&amp;</profile>",
      "p.xml:1: does not match the schema tacit-import-profile-1.rng: Did not expect text in element profile content" },
  };

  g_autoptr(GString) deep = g_string_new (PROFILE_HEAD "\n");
  g_autofree char *deep_message = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *message = profile_load_error (cases[i].xml);
      g_assert_cmpstr (message, ==, cases[i].message);
    }
  for (guint i = 0; i < 100; i++)
    g_string_append (deep, "<description>");
  deep_message = profile_load_error (deep->str);
  g_assert_cmpstr (deep_message, ==, "p.xml:2: elements are nested more than 64 deep");
}

/* ---- SHDR ------------------------------------------------------------ */

static char *
read_shdr (const char *path, const char *device, TacitMtconnectProbe *probe, GError **error)
{
  g_autoptr(TacitEventReader) reader = tacit_event_reader_new_shdr (path, device, probe, error);

  if (reader == NULL)
    return NULL;
  return dump_reader (reader, error);
}

static TacitMtconnectProbe *
load_probe (const char *path)
{
  g_autoptr(GError) error = NULL;
  TacitMtconnectProbe *probe = tacit_mtconnect_probe_load_file (path, &error);

  g_assert_no_error (error);
  return probe;
}

static const char shdr_expected[] =
  "2024-05-01T10:00:00.000000Z|mill-1|event|avail|AVAILABLE|-|-\n"
  "2024-05-01T10:00:00.000000Z|mill-1|event|execution|ACTIVE|-|-\n"
  "2024-05-01T10:00:00.000000Z|mill-1|sample|Xact|12.5|-|-\n"
  "2024-05-01T10:00:01.500000Z|mill-1|sample|Xact|13|-|-\n"
  "2024-05-01T10:00:00.750000Z|mill-1|sample|Xact|12.25|-|-\n"
  "2024-05-01T10:00:00.750000Z|mill-1|event|part_count|7|-|-\n"
  "2024-05-01T10:00:02.000000Z|mill-1|condition|htemp|warning|HTEMP|Oil temperature high\n"
  "2024-05-01T10:00:04.000000Z|mill-1|condition|htemp|normal|-|-\n"
  "2024-05-01T10:00:05.000001Z|mill-1|event|message|Door open|E42|-\n";

static void
test_shdr_probe (void)
{
  g_autofree char *probe_path = tacit_test_data_path ("profiles/mill-probe.xml");
  g_autoptr(TacitMtconnectProbe) probe = load_probe (probe_path);
  const char *names[] = { "profiles/mill.shdr", "profiles/mill.shdr.bz2", "profiles/mill.shdr.xz" };

  g_assert_true (tacit_mtconnect_probe_has_device (probe, "mill-1"));
  g_assert_false (tacit_mtconnect_probe_has_device (probe, "mill-2"));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = tacit_test_data_path (names[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(TacitEventReader) reader = tacit_event_reader_new_shdr (path, "mill-1", probe, &error);
      g_autofree char *dump = dump_reader (reader, &error);
      g_autofree char *report = tacit_import_report_format (tacit_event_reader_get_import_report (reader),
                                                            "mill.shdr");

      g_assert_no_error (error);
      g_assert_cmpstr (dump, ==, shdr_expected);
      g_assert_cmpstr (report, ==,
                       "mill.shdr: 8 row(s) read, 9 event(s), 2 row(s) skipped\n"
                       "mill.shdr:   skipped 1 × adapter command (* …) (line 1)\n"
                       "mill.shdr:   skipped 1 × asset (@ASSET@) (line 6)\n"
                       "mill.shdr:   time 2024-05-01T10:00:00.000Z to 2024-05-01T10:00:05.000Z "
                       "(1 event(s) out of time order)\n"
                       "mill.shdr:   machines: mill-1\n"
                       "mill.shdr:   items: Xact, avail, execution, htemp, message, part_count\n");
    }
}

static void
test_shdr_shape (void)
{
  g_autofree char *path = tacit_test_data_path ("profiles/mill-noprobe.shdr");
  g_autoptr(GError) error = NULL;
  g_autofree char *dump = read_shdr (path, "mill-1", NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (dump, ==,
                   "2024-05-01T10:00:00.000000Z|mill-1|event|avail|AVAILABLE|-|-\n"
                   "2024-05-01T10:00:00.000000Z|mill-1|event|execution|ACTIVE|-|-\n"
                   "2024-05-01T10:00:00.000000Z|mill-1|sample|Xact|12.5|-|-\n"
                   "2024-05-01T10:00:00.750000Z|mill-1|sample|Xact|12.25|-|-\n"
                   "2024-05-01T10:00:00.750000Z|mill-1|sample|part_count|7|-|-\n"
                   "2024-05-01T10:00:02.000000Z|mill-1|condition|htemp|warning|HTEMP|Oil temperature high\n"
                   "2024-05-01T10:00:04.000000Z|mill-1|condition|htemp|unavailable|-|-\n"
                   "2024-05-01T10:00:06.000000Z|mill-2|event|avail|UNAVAILABLE|-|-\n"
                   "2024-05-01T10:00:06.000000Z|mill-1|event|estop|ARMED|-|-\n");
}

/* The NIST test bed's probe maps names and ids of a real device. */
static void
test_shdr_nist_probe (void)
{
  g_autofree char *probe_path = tacit_test_shared_path ("mtconnect/nist-Devices.xml");
  g_autofree char *path = tacit_test_data_path ("profiles/nist.shdr");
  g_autoptr(TacitMtconnectProbe) probe = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dump = NULL;

  if (probe_path == NULL)
    return;
  probe = load_probe (probe_path);
  dump = read_shdr (path, "GFAgie01", probe, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dump, ==,
                   "2018-03-01T12:00:00.000000Z|GFAgie01|event|avail|AVAILABLE|-|-\n"
                   "2018-03-01T12:00:00.000000Z|GFAgie01|event|estop|ARMED|-|-\n"
                   "2018-03-01T12:00:00.500000Z|GFAgie01|sample|Xposition|100.5|-|-\n"
                   "2018-03-01T12:00:00.500000Z|GFAgie01|sample|Yposition|-20|-|-\n"
                   "2018-03-01T12:00:00.500000Z|GFAgie01|event|execution|ACTIVE|-|-\n"
                   "2018-03-01T12:00:00.250000Z|GFAgie01|condition|system|fault|2003|Spindle overload\n");
  g_clear_pointer (&dump, g_free);

  /* A device the probe does not have. */
  g_assert_null (tacit_event_reader_new_shdr (path, "Lathe9", probe, &error));
  g_assert_error (error, TACIT_INPUT_ERROR, TACIT_INPUT_ERROR_INVALID);
  g_assert_true (g_str_has_suffix (error->message, "nist-Devices.xml: no device named \"Lathe9\" (it has "
                                   "GFAgie01, Mazak01, Mazak03, Hurco01, Hurco02, Hurco03, Hurco04, Hurco06)"));
}

static void
test_shdr_two_devices_probe (void)
{
  g_autofree char *probe_path = tacit_test_shared_path ("mtconnect/cppagent-two_devices.xml");
  g_autoptr(TacitMtconnectProbe) probe = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dump = NULL;

  if (probe_path == NULL)
    return;
  probe = load_probe (probe_path);
  path = tacit_test_write_file ("two.shdr",
                                "2024-01-01T00:00:00Z|d1-4|AUTOMATIC|exec|ACTIVE|Device2:mode|MANUAL\n", -1);
  dump = read_shdr (path, "Device1", probe, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dump, ==,
                   "2024-01-01T00:00:00.000000Z|Device1|event|mode|AUTOMATIC|-|-\n"
                   "2024-01-01T00:00:00.000000Z|Device1|event|exec|ACTIVE|-|-\n"
                   "2024-01-01T00:00:00.000000Z|Device2|event|mode|MANUAL|-|-\n");
}

static void
test_shdr_probe_shapes (void)
{
  static const char probe_xml[] =
    "<MTConnectDevices xmlns=\"urn:mtconnect.org:MTConnectDevices:2.0\"><Devices>"
    "<Device id=\"d\" name=\"press\"><DataItems>"
    "<DataItem category=\"EVENT\" id=\"m\" name=\"msg\" type=\"MESSAGE\"/>"
    "<DataItem category=\"SAMPLE\" id=\"v\" name=\"vib\" type=\"DISPLACEMENT\" representation=\"TIME_SERIES\"/>"
    "<DataItem category=\"CONDITION\" id=\"s\" name=\"system\" type=\"SYSTEM\"/>"
    "<DataItem category=\"EVENT\" id=\"p\" name=\"program\" type=\"PROGRAM\"/>"
    "</DataItems></Device></Devices></MTConnectDevices>";
  g_autofree char *probe_path = tacit_test_write_file ("probe.xml", probe_xml, -1);
  g_autofree char *log_path = tacit_test_write_file ("press.shdr",
    "2024-01-01T00:00:00Z|msg|M7|Coil change|vib|3|100|0.1 0.2 0.3|program|100\n"
    "2024-01-01T00:00:01Z@0.5|system|UNAVAILABLE||||\n"
    "2024-01-01T00:00:02Z|program||system|FAULT|E9\n"
    "2024-01-01 00:00:03.5|program|200\n", -1);
  TacitMtconnectProbe *probe = load_probe (probe_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitEventReader) reader = tacit_event_reader_new_shdr (log_path, "press", probe, &error);
  g_autofree char *dump = NULL;

  /* The reader keeps what it needs of the probe. */
  tacit_mtconnect_probe_free (probe);
  dump = dump_reader (reader, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dump, ==,
                   "2024-01-01T00:00:00.000000Z|press|event|msg|Coil change|M7|-\n"
                   "2024-01-01T00:00:00.000000Z|press|sample|vib|0.1 0.2 0.3|-|-\n"
                   "2024-01-01T00:00:00.000000Z|press|event|program|100|-|-\n"
                   "2024-01-01T00:00:01.000000Z|press|condition|system|unavailable|-|-\n"
                   "2024-01-01T00:00:02.000000Z|press|condition|system|fault|E9|-\n"
                   "2024-01-01T00:00:03.500000Z|press|event|program|200|-|-\n");
}

static void
test_shdr_bad (void)
{
  static const struct {
    const char *contents;
    const char *message;
  } cases[] = {
    { "2024-13-01T00:00:00Z|avail|AVAILABLE\n",
      "bad.shdr:1: timestamp \"2024-13-01T00:00:00Z\": time has an impossible date" },
    { "* shdrVersion: 2\n2024-05-01T10:00:00Z|avail|AVAILABLE|Xact\n",
      "bad.shdr:2: key \"Xact\" has no value (after a MESSAGE or TIME_SERIES item? give --probe)" },
    { "2024-05-01T10:00:00Z|avail\n", "bad.shdr:1: expected timestamp|key|value, found 2 fields" },
    { "2024-05-01T10:00:00Z|avail|AVAILABLE\n2024-05-01T10:00:03Z|@ASSET@|T1|CuttingTool|--multiline--BBBB\n<x/>\n",
      "bad.shdr:2: the asset started here never ends (no line --multiline--BBBB)" },
    { "2024-05-01T10:00:00Z|htemp|HOT|a|b|c|d\n",
      "bad.shdr:1: condition \"htemp\": \"HOT\" is not NORMAL, WARNING, FAULT or UNAVAILABLE" },
    { "2024-05-01T10:00:00Z|avail|AVAIL\xff\n", "bad.shdr:1: invalid UTF-8" },
  };
  g_autofree char *probe_path = tacit_test_data_path ("profiles/mill-probe.xml");
  g_autoptr(TacitMtconnectProbe) probe = load_probe (probe_path);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = tacit_test_write_file ("bad.shdr", cases[i].contents, -1);
      g_autofree char *dir = g_path_get_dirname (path);
      g_autoptr(GError) error = NULL;
      g_autofree char *dump = read_shdr (path, "mill-1", probe, &error);

      g_assert_nonnull (error);
      g_assert_cmpstr (error->message + strlen (dir) + 1, ==, cases[i].message);
    }
}

static void
test_probe_bad (void)
{
  static const struct {
    const char *contents;
    const char *message;
  } cases[] = {
    { "<!DOCTYPE x SYSTEM \"http://example.com/x.dtd\">\n<MTConnectDevices/>",
      "probe.xml:1: documents with a DOCTYPE are refused" },
    { "<MTConnectStreams/>",
      "probe.xml:1: not an MTConnectDevices document (a probe): the root is <MTConnectStreams>" },
    { "<MTConnectDevices>\n<Devices>\n</MTConnectDevices>",
      "probe.xml:3: not well-formed XML: Opening and ending tag mismatch: Devices line 2 and MTConnectDevices" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = tacit_test_write_file ("probe.xml", cases[i].contents, -1);
      g_autofree char *dir = g_path_get_dirname (path);
      g_autoptr(GError) error = NULL;
      g_autoptr(TacitMtconnectProbe) probe = tacit_mtconnect_probe_load_file (path, &error);

      g_assert_null (probe);
      g_assert_nonnull (error);
      g_assert_cmpstr (error->message + strlen (dir) + 1, ==, cases[i].message);
    }
}

/* ---- compressed input ------------------------------------------------ */

static void
test_compressed_profile (void)
{
  g_autofree char *bz2 = read_fixture_with_profile ("profiles/alarm-journal.xml",
                                                    "profiles/alarm-journal.csv.bz2");
  g_autofree char *xz = read_fixture_with_profile ("profiles/alarm-journal.xml",
                                                   "profiles/alarm-journal.csv.xz");

  g_assert_cmpstr (bz2, ==, alarm_expected);
  g_assert_cmpstr (xz, ==, alarm_expected);
}

/* The plain readers take .bz2 and .xz too. */
static void
test_compressed_events (void)
{
  g_autofree char *plain_path = tacit_test_data_path ("events/valid.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitEventReader) plain = tacit_event_reader_new_for_path (plain_path, TACIT_EVENT_FORMAT_AUTO,
                                                                       TACIT_EVENT_READER_NONE, &error);
  g_autofree char *expected = dump_reader (plain, &error);
  const char *names[] = { "profiles/valid-events.csv.bz2", "profiles/valid-events.csv.xz" };

  g_assert_no_error (error);
  g_assert_cmpuint (strlen (expected), >, 0);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = tacit_test_data_path (names[i]);
      g_autoptr(TacitEventReader) reader = NULL;
      g_autofree char *dump = NULL;

      g_assert_cmpint (tacit_event_format_for_path (path), ==, TACIT_EVENT_FORMAT_CSV);
      reader = tacit_event_reader_new_for_path (path, TACIT_EVENT_FORMAT_AUTO, TACIT_EVENT_READER_NONE, &error);
      dump = dump_reader (reader, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (dump, ==, expected);
    }
}

static void
test_compressed_corrupt (void)
{
  static const struct {
    const char *name;
    const char *suffix;
  } cases[] = {
    { "profiles/truncated.csv.xz", "truncated.csv.xz:1: corrupt compressed data: the xz data ends early (truncated file)" },
    { "profiles/corrupt.csv.bz2", "corrupt.csv.bz2:1: corrupt compressed data: corrupt bzip2 data" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = tacit_test_data_path (cases[i].name);
      g_autoptr(GError) error = NULL;
      g_autoptr(TacitEventReader) reader = tacit_event_reader_new_for_path (path, TACIT_EVENT_FORMAT_AUTO,
                                                                            TACIT_EVENT_READER_NONE, &error);
      g_autofree char *dump = dump_reader (reader, &error);

      g_assert_error (error, TACIT_INPUT_ERROR, TACIT_INPUT_ERROR_SYNTAX);
      if (!g_str_has_suffix (error->message, cases[i].suffix))
        g_error ("%s does not end in %s", error->message, cases[i].suffix);
    }
}

/* ---- into the store: all or nothing ---------------------------------- */

static void
test_store_all_or_nothing (void)
{
  g_autofree char *dir = tacit_test_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "tacit.db", NULL);
  g_autofree char *good = tacit_test_data_path ("profiles/alarm-journal.csv");
  g_autofree char *bad = tacit_test_write_file ("bad.csv", "t\nt\nTimestamp;Unit;Tag;State;Message;Code\n"
                                                "2024-03-30 22:00:01;press-3;TT-101;H;x;A\n"
                                                "2024-03-30 25:00:01;press-3;TT-101;H;x;A\n", -1);
  g_autoptr(TacitImportProfile) profile = load_profile ("profiles/alarm-journal.xml");
  g_autoptr(TacitStore) store = NULL;
  g_autoptr(GError) error = NULL;
  TacitEventReader *readers[2];
  TacitImportStats stats;

  store = tacit_store_open (db, &error);
  g_assert_no_error (error);
  readers[0] = tacit_event_reader_new_with_profile (good, profile, &error);
  readers[1] = tacit_event_reader_new_with_profile (bad, profile, &error);
  g_assert_no_error (error);
  g_assert_false (tacit_store_import_events (store, readers, 2, &stats, NULL, NULL, &error));
  g_assert_error (error, TACIT_INPUT_ERROR, TACIT_INPUT_ERROR_INVALID);
  g_assert_true (g_str_has_suffix (error->message, "bad.csv:5: column \"Timestamp\": "
                                   "\"2024-03-30 25:00:01\" is not an ISO 8601 time (YYYY-MM-DDTHH:MM:SS)"));
  g_clear_error (&error);
  g_assert_cmpuint (tacit_store_count_events (store, &error), ==, 0);
  g_object_unref (readers[0]);
  g_object_unref (readers[1]);

  readers[0] = tacit_event_reader_new_with_profile (good, profile, &error);
  g_assert_true (tacit_store_import_events (store, readers, 1, &stats, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.events, ==, 5);
  g_assert_cmpuint (tacit_store_count_events (store, &error), ==, 5);
  g_assert_cmpuint (tacit_event_reader_get_import_report (readers[0])->events, ==, 5);
  g_object_unref (readers[0]);
}

/* ---- the command line ------------------------------------------------ */

/* Runs tacit-cli in tests/data/profiles; NULL (and the test skipped) when
 * it is not built. */
static char *
cli_path (void)
{
  const char *builddir = g_getenv ("G_TEST_BUILDDIR");
  char *path = g_build_filename (builddir != NULL ? builddir : ".", "..", "app", "cli", "tacit-cli", NULL);

  if (!g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("tacit-cli is not built");
      g_clear_pointer (&path, g_free);
    }
  return path;
}

static int
run_cli (const char *cli, const char *db, const char * const *args, char **out, char **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *cwd = tacit_test_data_path ("profiles");
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  g_ptr_array_add (argv, (char *) cli);
  g_ptr_array_add (argv, (char *) "--db");
  g_ptr_array_add (argv, (char *) db);
  g_ptr_array_add (argv, (char *) "events");
  g_ptr_array_add (argv, (char *) "import");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (cwd, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err,
                &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  return WEXITSTATUS (wait_status);
}

static void
test_cli (void)
{
  g_autofree char *cli = cli_path ();
  g_autofree char *dir = tacit_test_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "cli.db", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.shdr", NULL);
  const char *profile_args[] = { "--profile", "alarm-journal.xml", "alarm-journal.csv.bz2", NULL };
  const char *shdr_args[] = { "--format", "shdr", "--device", "mill-1", "--probe", "mill-probe.xml",
                              "mill.shdr.xz", bad, NULL };
  const char *usage_args[] = { "--format", "shdr", "mill.shdr", NULL };
  const char *preview_args[] = { "--profile", "historian-wide.xml", "--preview", "2", "historian-wide.csv", NULL };
  char *out = NULL, *err = NULL;

  if (cli == NULL)
    return;
  g_assert_cmpint (run_cli (cli, db, profile_args, &out, &err), ==, 0);
  g_assert_cmpstr (out, ==,
                   "Imported 5 events from 1 file(s), 2024-03-30T21:00:01.000Z to "
                   "2024-03-31T01:10:00.000Z; 1 new machine(s).\n"
                   "alarm-journal.csv.bz2: 8 row(s) read, 5 event(s), 3 row(s) skipped\n"
                   "alarm-journal.csv.bz2:   skipped 1 × value \"ACK\" not in the map (line 9)\n"
                   "alarm-journal.csv.bz2:   skipped 1 × blank row (line 10)\n"
                   "alarm-journal.csv.bz2:   skipped 1 × empty value (line 11)\n"
                   "alarm-journal.csv.bz2:   time 2024-03-30T21:00:01.000Z to 2024-03-31T01:10:00.000Z\n"
                   "alarm-journal.csv.bz2:   machines: press-3\n"
                   "alarm-journal.csv.bz2:   items: PT-7, TT-101\n");
  g_assert_cmpstr (err, ==, "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A good log and a bad one: exit 1, the bad line named, nothing stored. */
  g_assert_true (g_file_set_contents (bad, "2024-05-01T10:00:00Z|avail|AVAILABLE\n"
                                      "2024-05-01T10:00:01Z|Xact\n", -1, NULL));
  g_assert_cmpint (run_cli (cli, db, shdr_args, &out, &err), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_str_has_prefix (err, "tacit-cli: "));
  g_assert_true (g_str_has_suffix (err, "bad.shdr:2: expected timestamp|key|value, found 2 fields\n"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TacitStore) store = tacit_store_open (db, &error);
    g_assert_cmpuint (tacit_store_count_events (store, &error), ==, 5);
    g_assert_no_error (error);
  }

  /* A preview prints the mapped events and stores nothing. */
  g_assert_cmpint (run_cli (cli, db, preview_args, &out, &err), ==, 0);
  g_assert_cmpstr (out, ==,
                   "historian-wide.csv:3\t2024-03-31T00:30:00.000000Z\tpress-3\tsample\toil_temp\t45.5\t\t\n"
                   "historian-wide.csv:3\t2024-03-31T00:30:00.000000Z\tpress-3\tsample\tpressure\t120.25\t\t\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TacitStore) store = tacit_store_open (db, &error);
    g_assert_cmpuint (tacit_store_count_events (store, &error), ==, 5);
  }

  g_assert_cmpint (run_cli (cli, db, usage_args, &out, &err), ==, 2);
  g_assert_true (g_str_has_prefix (err, "tacit-cli events import: --format shdr needs --device NAME\n"));
  g_free (out);
  g_free (err);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/import-profile/alarm-journal", test_alarm_journal);
  g_test_add_func ("/import-profile/alarm-journal-report", test_alarm_journal_report);
  g_test_add_func ("/import-profile/historian-wide", test_historian_wide);
  g_test_add_func ("/import-profile/daylight-saving", test_daylight_saving);
  g_test_add_func ("/import-profile/unix-ms", test_unix_ms);
  g_test_add_func ("/import-profile/time-formats", test_time_formats);
  g_test_add_func ("/import-profile/no-header-encoding", test_no_header_encoding);
  g_test_add_func ("/import-profile/date-and-clock", test_date_and_clock);
  g_test_add_func ("/import-profile/bad-rows", test_bad_rows);
  g_test_add_func ("/import-profile/unmapped-error", test_unmapped_error);
  g_test_add_func ("/import-profile/bad-profiles", test_bad_profiles);
  g_test_add_func ("/import-profile/shdr-probe", test_shdr_probe);
  g_test_add_func ("/import-profile/shdr-shape", test_shdr_shape);
  g_test_add_func ("/import-profile/shdr-nist-probe", test_shdr_nist_probe);
  g_test_add_func ("/import-profile/shdr-two-devices-probe", test_shdr_two_devices_probe);
  g_test_add_func ("/import-profile/shdr-probe-shapes", test_shdr_probe_shapes);
  g_test_add_func ("/import-profile/shdr-bad", test_shdr_bad);
  g_test_add_func ("/import-profile/probe-bad", test_probe_bad);
  g_test_add_func ("/import-profile/compressed-profile", test_compressed_profile);
  g_test_add_func ("/import-profile/compressed-events", test_compressed_events);
  g_test_add_func ("/import-profile/compressed-corrupt", test_compressed_corrupt);
  g_test_add_func ("/import-profile/store-all-or-nothing", test_store_all_or_nothing);
  g_test_add_func ("/import-profile/cli", test_cli);
  return g_test_run ();
}
