/* test-time.c: RFC 3339 times and durations.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "tacit-time.h"

#define SEC    TACIT_USEC_PER_SEC
#define MINUTE (60 * SEC)
#define HOUR   (60 * MINUTE)
#define DAY    (24 * HOUR)

/* 2026-11-02T06:00:00Z */
#define T0    (G_GINT64_CONSTANT (1793599200) * SEC)

static TacitTime
parse_ok (const char *text,
          gboolean    allow_no_zone)
{
  TacitTime t = 0;
  const char *problem = NULL;

  if (!tacit_time_parse (text, strlen (text), allow_no_zone, &t, &problem))
    g_error ("\"%s\" did not parse: %s", text, problem);
  g_assert_null (problem);
  return t;
}

static void
assert_parse_us (const char *text,
                 const char *expected)
{
  g_autofree char *formatted = tacit_time_format_us (parse_ok (text, FALSE));

  g_assert_cmpstr (formatted, ==, expected);
}

static void
assert_parse_fails (const char *text,
                    gboolean    allow_no_zone,
                    const char *expected_problem)
{
  TacitTime t = 42;
  const char *problem = NULL;

  g_assert_false (tacit_time_parse (text, strlen (text), allow_no_zone, &t, &problem));
  g_assert_cmpstr (problem, ==, expected_problem);
  g_assert_cmpint (t, ==, 42);
  /* problem is optional. */
  g_assert_false (tacit_time_parse (text, strlen (text), allow_no_zone, &t, NULL));
}

static void
test_parse_utc (void)
{
  g_assert_cmpint (parse_ok ("1970-01-01T00:00:00Z", FALSE), ==, 0);
  g_assert_cmpint (parse_ok ("2026-11-02T06:00:00Z", FALSE), ==, T0);
  g_assert_cmpint (parse_ok ("2026-11-02T06:00:01.250Z", FALSE), ==, T0 + SEC + 250000);
  /* Lower case and a space are RFC 3339 too. */
  g_assert_cmpint (parse_ok ("2026-11-02t06:00:00z", FALSE), ==, T0);
  g_assert_cmpint (parse_ok ("2026-11-02 06:00:00Z", FALSE), ==, T0);
  g_assert_cmpint (parse_ok ("2000-01-01T00:00:00Z", FALSE), ==, G_GINT64_CONSTANT (946684800) * SEC);
  g_assert_cmpint (parse_ok ("1969-12-31T23:59:59Z", FALSE), ==, -SEC);
  g_assert_cmpint (parse_ok ("1900-01-01T00:00:00Z", FALSE), ==, G_GINT64_CONSTANT (-2208988800) * SEC);
}

static void
test_parse_offsets (void)
{
  /* Offsets are converted to UTC. */
  g_assert_cmpint (parse_ok ("2026-11-02T08:00:00+02:00", FALSE), ==, T0);
  g_assert_cmpint (parse_ok ("2026-11-02T00:30:00-05:30", FALSE), ==, T0);
  g_assert_cmpint (parse_ok ("2026-11-02T06:00:00+00:00", FALSE), ==, T0);
  g_assert_cmpint (parse_ok ("2026-11-02T06:00:00-00:00", FALSE), ==, T0);
  g_assert_cmpint (parse_ok ("2026-11-03T05:59:00+23:59", FALSE), ==, T0);
  /* Across a day, month and year boundary. */
  assert_parse_us ("2027-01-01T01:00:00.5+02:00", "2026-12-31T23:00:00.500000Z");
  assert_parse_us ("2026-12-31T22:00:00-03:00", "2027-01-01T01:00:00.000000Z");
  assert_parse_us ("2024-03-01T00:30:00+01:00", "2024-02-29T23:30:00.000000Z");
}

static void
test_parse_fractions (void)
{
  assert_parse_us ("2026-11-02T06:00:00.1Z", "2026-11-02T06:00:00.100000Z");
  assert_parse_us ("2026-11-02T06:00:00.12Z", "2026-11-02T06:00:00.120000Z");
  assert_parse_us ("2026-11-02T06:00:00.000001Z", "2026-11-02T06:00:00.000001Z");
  assert_parse_us ("2026-11-02T06:00:00.123456Z", "2026-11-02T06:00:00.123456Z");
  /* Beyond microseconds: truncated, never rounded. */
  assert_parse_us ("2026-11-02T06:00:00.1234567Z", "2026-11-02T06:00:00.123456Z");
  assert_parse_us ("2026-11-02T06:00:00.9999999Z", "2026-11-02T06:00:00.999999Z");
  assert_parse_us ("2026-11-02T06:00:00.999999999999999999999Z", "2026-11-02T06:00:00.999999Z");
  assert_parse_us ("2026-11-02T06:00:00.0000009Z", "2026-11-02T06:00:00.000000Z");
  assert_parse_us ("2026-11-02T08:00:00.250999+02:00", "2026-11-02T06:00:00.250999Z");
}

static void
test_parse_no_zone (void)
{
  /* MTConnect agents leave the zone out; it is UTC. */
  g_assert_cmpint (parse_ok ("2026-11-02T06:00:00", TRUE), ==, T0);
  g_assert_cmpint (parse_ok ("2026-11-02T06:00:00.250999", TRUE), ==, T0 + 250999);
  g_assert_cmpint (parse_ok ("2026-11-02T08:00:00+02:00", TRUE), ==, T0);
  g_assert_cmpint (parse_ok ("2026-11-02T06:00:00Z", TRUE), ==, T0);
  assert_parse_fails ("2026-11-02T06:00:00", FALSE,
                      "time has no zone: end it with Z or an offset like +02:00");
  assert_parse_fails ("2026-11-02T06:00:00.5", FALSE,
                      "time has no zone: end it with Z or an offset like +02:00");
}

static void
test_parse_dates (void)
{
  /* Leap years: every 4th, not every 100th, every 400th. */
  g_assert_cmpint (parse_ok ("2024-02-29T00:00:00Z", FALSE), ==,
                   parse_ok ("2024-02-28T00:00:00Z", FALSE) + DAY);
  g_assert_cmpint (parse_ok ("2024-03-01T00:00:00Z", FALSE), ==,
                   parse_ok ("2024-02-29T00:00:00Z", FALSE) + DAY);
  g_assert_cmpint (parse_ok ("2000-02-29T00:00:00Z", FALSE), ==,
                   parse_ok ("2000-03-01T00:00:00Z", FALSE) - DAY);
  g_assert_cmpint (parse_ok ("2026-03-01T00:00:00Z", FALSE), ==,
                   parse_ok ("2026-02-28T00:00:00Z", FALSE) + DAY);
  assert_parse_fails ("2026-02-29T00:00:00Z", FALSE, "time has an impossible date");
  assert_parse_fails ("1900-02-29T00:00:00Z", FALSE, "time has an impossible date");
  assert_parse_fails ("2100-02-29T00:00:00Z", FALSE, "time has an impossible date");
  assert_parse_fails ("2024-02-30T00:00:00Z", FALSE, "time has an impossible date");
  assert_parse_fails ("2026-04-31T00:00:00Z", FALSE, "time has an impossible date");
  assert_parse_fails ("2026-11-31T00:00:00Z", FALSE, "time has an impossible date");
  assert_parse_fails ("2026-13-01T00:00:00Z", FALSE, "time has an impossible date");
  assert_parse_fails ("2026-00-01T00:00:00Z", FALSE, "time has an impossible date");
  assert_parse_fails ("2026-01-00T00:00:00Z", FALSE, "time has an impossible date");
  assert_parse_fails ("2026-01-32T00:00:00Z", FALSE, "time has an impossible date");
  /* Every month's last day. */
  {
    static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    for (int m = 1; m <= 12; m++)
      {
        g_autofree char *last = g_strdup_printf ("2026-%02d-%02dT00:00:00Z", m, days[m - 1]);
        g_autofree char *after = g_strdup_printf ("2026-%02d-%02dT00:00:00Z", m, days[m - 1] + 1);
        parse_ok (last, FALSE);
        assert_parse_fails (after, FALSE, "time has an impossible date");
      }
  }
}

static void
test_parse_time_of_day (void)
{
  assert_parse_fails ("2026-11-02T24:00:00Z", FALSE, "time has an impossible time of day");
  assert_parse_fails ("2026-11-02T23:60:00Z", FALSE, "time has an impossible time of day");
  assert_parse_fails ("2026-11-02T23:59:61Z", FALSE, "time has an impossible time of day");
  /* A leap second is held at the last microsecond of its minute. */
  assert_parse_us ("2016-12-31T23:59:60Z", "2016-12-31T23:59:59.999999Z");
  assert_parse_us ("2016-12-31T23:59:60.5Z", "2016-12-31T23:59:59.999999Z");
  g_assert_cmpint (parse_ok ("2016-12-31T23:59:60Z", FALSE), <,
                   parse_ok ("2017-01-01T00:00:00Z", FALSE));
}

static void
test_parse_syntax (void)
{
  const char *rfc = "time is not RFC 3339 (expected YYYY-MM-DDTHH:MM:SSZ)";
  const char *zone = "time has no zone: end it with Z or an offset like +02:00";
  const char *offset = "time offset must be +HH:MM or -HH:MM";

  assert_parse_fails ("", FALSE, rfc);
  assert_parse_fails ("2026", FALSE, rfc);
  assert_parse_fails ("2026-11-02", FALSE, rfc);
  assert_parse_fails ("2026-11-02T", FALSE, rfc);
  assert_parse_fails ("2026-1-02T06:00:00Z", FALSE, rfc);
  assert_parse_fails ("26-11-02T06:00:00Z", FALSE, rfc);
  assert_parse_fails ("2026/11/02T06:00:00Z", FALSE, rfc);
  assert_parse_fails ("2026-11-02X06:00:00Z", FALSE, rfc);
  assert_parse_fails ("2026-11-02T6:00:00Z", FALSE, rfc);
  assert_parse_fails ("2026-11-02T06:00Z", FALSE, rfc);
  assert_parse_fails ("2026-11-02T06:00:0Z", FALSE, rfc);
  assert_parse_fails (" 2026-11-02T06:00:00Z", FALSE, rfc);
  assert_parse_fails ("+2026-11-02T06:00:00Z", FALSE, rfc);
  assert_parse_fails ("2026-11-02T06:00:00.Z", FALSE, "time has a '.' without fraction digits");
  assert_parse_fails ("2026-11-02T06:00:00,5Z", FALSE, zone);
  assert_parse_fails ("2026-11-02T06:00:00 Z", FALSE, zone);
  assert_parse_fails ("2026-11-02T06:00:00+2:00", FALSE, offset);
  assert_parse_fails ("2026-11-02T06:00:00+0200", FALSE, offset);
  assert_parse_fails ("2026-11-02T06:00:00+02", FALSE, offset);
  assert_parse_fails ("2026-11-02T06:00:00+24:00", FALSE, offset);
  assert_parse_fails ("2026-11-02T06:00:00+02:60", FALSE, offset);
  assert_parse_fails ("2026-11-02T06:00:00ZZ", FALSE, "time has trailing characters");
  assert_parse_fails ("2026-11-02T06:00:00Z ", FALSE, "time has trailing characters");
  assert_parse_fails ("2026-11-02T06:00:00+02:00:00", FALSE, "time has trailing characters");
}

/* The length is honoured: the text need not be NUL-terminated. */
static void
test_parse_length (void)
{
  const char *text = "2026-11-02T06:00:00Zgarbage";
  char exact[20];
  TacitTime t = 0;

  g_assert_true (tacit_time_parse (text, 20, FALSE, &t, NULL));
  g_assert_cmpint (t, ==, T0);
  g_assert_false (tacit_time_parse (text, 19, FALSE, &t, NULL));
  g_assert_true (tacit_time_parse (text, 19, TRUE, &t, NULL));
  g_assert_cmpint (t, ==, T0);
  /* No byte past the length is read (ASan catches a read past exact). */
  memcpy (exact, text, sizeof exact);
  g_assert_true (tacit_time_parse (exact, sizeof exact, FALSE, &t, NULL));
  g_assert_false (tacit_time_parse (exact, 0, TRUE, &t, NULL));
  g_assert_false (tacit_time_parse (exact, 10, TRUE, &t, NULL));
}

static void
test_format (void)
{
  char buf[TACIT_TIME_FORMAT_LEN];
  TacitTime t = parse_ok ("2026-11-02T06:00:01.250999Z", FALSE);
  g_autofree char *ms = tacit_time_format_ms (t);
  g_autofree char *us = tacit_time_format_us (t);

  /* Milliseconds are truncated, not rounded. */
  g_assert_cmpstr (ms, ==, "2026-11-02T06:00:01.250Z");
  g_assert_cmpstr (us, ==, "2026-11-02T06:00:01.250999Z");
  g_assert_true (tacit_time_format_ms_buf (t, buf) == buf);
  g_assert_cmpstr (buf, ==, "2026-11-02T06:00:01.250Z");
  g_assert_true (tacit_time_format_us_buf (t, buf) == buf);
  g_assert_cmpstr (buf, ==, "2026-11-02T06:00:01.250999Z");

  g_assert_cmpstr (tacit_time_format_ms_buf (T0 + 999999, buf), ==, "2026-11-02T06:00:00.999Z");
  g_assert_cmpstr (tacit_time_format_ms_buf (0, buf), ==, "1970-01-01T00:00:00.000Z");
  g_assert_cmpstr (tacit_time_format_us_buf (0, buf), ==, "1970-01-01T00:00:00.000000Z");
  g_assert_cmpstr (tacit_time_format_us_buf (parse_ok ("9999-12-31T23:59:59.999999Z", FALSE), buf), ==,
                   "9999-12-31T23:59:59.999999Z");
  g_assert_cmpstr (tacit_time_format_us_buf (parse_ok ("0001-01-01T00:00:00Z", FALSE), buf), ==,
                   "0001-01-01T00:00:00.000000Z");
  g_assert_cmpstr (tacit_time_format_ms_buf (parse_ok ("2024-02-29T12:34:56.789Z", FALSE), buf), ==,
                   "2024-02-29T12:34:56.789Z");
}

/* Before 1970: the fraction counts forward from the second below. */
static void
test_format_negative (void)
{
  char buf[TACIT_TIME_FORMAT_LEN];

  g_assert_cmpstr (tacit_time_format_us_buf (-1, buf), ==, "1969-12-31T23:59:59.999999Z");
  g_assert_cmpstr (tacit_time_format_ms_buf (-1, buf), ==, "1969-12-31T23:59:59.999Z");
  g_assert_cmpstr (tacit_time_format_us_buf (-SEC, buf), ==, "1969-12-31T23:59:59.000000Z");
  g_assert_cmpstr (tacit_time_format_us_buf (-SEC - 1, buf), ==, "1969-12-31T23:59:58.999999Z");
  g_assert_cmpstr (tacit_time_format_ms_buf (-DAY, buf), ==, "1969-12-31T00:00:00.000Z");
  g_assert_cmpstr (tacit_time_format_ms_buf (-DAY - 1, buf), ==, "1969-12-30T23:59:59.999Z");
  g_assert_cmpstr (tacit_time_format_us_buf (parse_ok ("1900-03-01T00:00:00.000001Z", FALSE), buf), ==,
                   "1900-03-01T00:00:00.000001Z");
  /* The extremes format without crashing. */
  g_assert_cmpuint (strlen (tacit_time_format_us_buf (TACIT_TIME_MIN, buf)), <, TACIT_TIME_FORMAT_LEN);
  g_assert_cmpuint (strlen (tacit_time_format_us_buf (TACIT_TIME_MAX, buf)), <, TACIT_TIME_FORMAT_LEN);
}

/* format_us then parse gives the time back, over four centuries. */
static void
test_round_trip (void)
{
  TacitTime lo = parse_ok ("1800-01-01T00:00:00Z", FALSE);
  TacitTime hi = parse_ok ("2200-01-01T00:00:00Z", FALSE);
  char buf[TACIT_TIME_FORMAT_LEN];

  for (guint i = 0; i < 100000; i++)
    {
      TacitTime t = lo + (TacitTime) (g_test_rand_double () * (double) (hi - lo));
      g_assert_cmpint (parse_ok (tacit_time_format_us_buf (t, buf), FALSE), ==, t);
      g_assert_cmpint (parse_ok (tacit_time_format_ms_buf (t, buf), FALSE), ==,
                       t - (((t % 1000) + 1000) % 1000));
    }
}

static void
assert_duration (const char *text,
                 TacitTime   expected)
{
  TacitTime d = -1;

  g_assert_true (tacit_duration_parse (text, &d));
  g_assert_cmpint (d, ==, expected);
}

static void
test_duration_parse (void)
{
  const char *bad[] = {
    "", "5", "m", "-5m", "5x", "5 m", " 5m", "5m ", "5M", "+5m", "1.5h", "5mm", "5min",
    "0x10s", "1e3ms", "99999999999999999999s", "1000000000001ms", "200000000d",
  };
  TacitTime d = 42;

  assert_duration ("90s", 90 * SEC);
  assert_duration ("15m", 15 * MINUTE);
  assert_duration ("0", 0);
  assert_duration ("0s", 0);
  assert_duration ("0m", 0);
  assert_duration ("1d", DAY);
  assert_duration ("2h", 2 * HOUR);
  assert_duration ("500ms", 500000);
  assert_duration ("007s", 7 * SEC);
  assert_duration ("1000000000000ms", G_GINT64_CONSTANT (1000000000000) * 1000);
  assert_duration ("100000000d", G_GINT64_CONSTANT (100000000) * DAY);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_test_message ("%s", bad[i]);
      g_assert_false (tacit_duration_parse (bad[i], &d));
      g_assert_cmpint (d, ==, 42);
    }
  g_assert_false (tacit_duration_parse (NULL, &d));
}

static void
assert_duration_format (TacitTime   d,
                        const char *expected)
{
  g_autofree char *text = tacit_duration_format (d);
  TacitTime back = -1;

  g_assert_cmpstr (text, ==, expected);
  if (d % 1000 == 0 && d >= 0)
    {
      g_assert_true (tacit_duration_parse (text, &back));
      g_assert_cmpint (back, ==, d);
    }
}

static void
test_duration_format (void)
{
  assert_duration_format (0, "0s");
  assert_duration_format (90 * SEC, "90s");
  assert_duration_format (15 * MINUTE, "15m");
  assert_duration_format (60 * SEC, "1m");
  assert_duration_format (HOUR, "1h");
  assert_duration_format (36 * HOUR, "36h");
  assert_duration_format (DAY, "1d");
  assert_duration_format (7 * DAY, "7d");
  assert_duration_format (500000, "500ms");
  assert_duration_format (1500000, "1500ms");
  assert_duration_format (-5 * MINUTE, "-5m");
  /* Below a millisecond cannot be written: truncated to milliseconds. */
  assert_duration_format (1500, "1ms");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/time/parse/utc", test_parse_utc);
  g_test_add_func ("/time/parse/offsets", test_parse_offsets);
  g_test_add_func ("/time/parse/fractions", test_parse_fractions);
  g_test_add_func ("/time/parse/no-zone", test_parse_no_zone);
  g_test_add_func ("/time/parse/dates", test_parse_dates);
  g_test_add_func ("/time/parse/time-of-day", test_parse_time_of_day);
  g_test_add_func ("/time/parse/syntax", test_parse_syntax);
  g_test_add_func ("/time/parse/length", test_parse_length);
  g_test_add_func ("/time/format", test_format);
  g_test_add_func ("/time/format-negative", test_format_negative);
  g_test_add_func ("/time/round-trip", test_round_trip);
  g_test_add_func ("/time/duration/parse", test_duration_parse);
  g_test_add_func ("/time/duration/format", test_duration_format);

  return g_test_run ();
}
