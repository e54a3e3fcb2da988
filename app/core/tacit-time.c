/* tacit-time.c: RFC 3339 times and durations without GDateTime, which
 * allocates: readers parse millions of times per second.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-time.h"

#include <string.h>

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil). */
static gint64
days_from_civil (gint64 y, unsigned m, unsigned d)
{
  y -= m <= 2;
  gint64 era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = (unsigned) (y - era * 400);
  unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (gint64) doe - 719468;
}

static void
civil_from_days (gint64 z, int *y, unsigned *m, unsigned *d)
{
  z += 719468;
  gint64 era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = (unsigned) (z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  gint64 yy = (gint64) yoe + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = (int) (yy + (*m <= 2));
}

static gboolean
is_leap (int y)
{
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned
days_in_month (int y, unsigned m)
{
  static const unsigned days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  return m == 2 && is_leap (y) ? 29 : days[m - 1];
}

/* Reads exactly n digits at *p. */
static gboolean
read_digits (const char **p, const char *end, int n, int *out)
{
  int v = 0;

  if (end - *p < n)
    return FALSE;
  for (int i = 0; i < n; i++)
    {
      char c = (*p)[i];
      if (c < '0' || c > '9')
        return FALSE;
      v = v * 10 + (c - '0');
    }
  *p += n;
  *out = v;
  return TRUE;
}

static gboolean
expect_char (const char **p, const char *end, char c)
{
  if (*p >= end || **p != c)
    return FALSE;
  (*p)++;
  return TRUE;
}

#define FAIL(msg) G_STMT_START { if (problem) *problem = (msg); return FALSE; } G_STMT_END

static gboolean
parse_zone (const char **p, const char *end, gboolean allow_no_zone,
            gint64 *offset_sec, const char **problem)
{
  int oh, om;
  char sign;

  *offset_sec = 0;
  if (*p == end)
    {
      if (allow_no_zone)
        return TRUE;
      FAIL ("time has no zone: end it with Z or an offset like +02:00");
    }
  if (**p == 'Z' || **p == 'z')
    {
      (*p)++;
      return TRUE;
    }
  sign = **p;
  if (sign != '+' && sign != '-')
    FAIL ("time has no zone: end it with Z or an offset like +02:00");
  (*p)++;
  if (!read_digits (p, end, 2, &oh) || !expect_char (p, end, ':') ||
      !read_digits (p, end, 2, &om) || oh > 23 || om > 59)
    FAIL ("time offset must be +HH:MM or -HH:MM");
  *offset_sec = (gint64) (oh * 3600 + om * 60) * (sign == '-' ? -1 : 1);
  return TRUE;
}

gboolean
tacit_time_parse (const char  *text,
                  gsize        len,
                  gboolean     allow_no_zone,
                  TacitTime   *out,
                  const char **problem)
{
  const char *p = text;
  const char *end = text + len;
  int year, month, day, hour, minute, second;
  gint64 frac_us = 0;
  gint64 offset;
  gint64 days, secs;

  if (!read_digits (&p, end, 4, &year) || !expect_char (&p, end, '-') ||
      !read_digits (&p, end, 2, &month) || !expect_char (&p, end, '-') ||
      !read_digits (&p, end, 2, &day))
    FAIL ("time is not RFC 3339 (expected YYYY-MM-DDTHH:MM:SSZ)");
  if (p >= end || (*p != 'T' && *p != 't' && *p != ' '))
    FAIL ("time is not RFC 3339 (expected YYYY-MM-DDTHH:MM:SSZ)");
  p++;
  if (!read_digits (&p, end, 2, &hour) || !expect_char (&p, end, ':') ||
      !read_digits (&p, end, 2, &minute) || !expect_char (&p, end, ':') ||
      !read_digits (&p, end, 2, &second))
    FAIL ("time is not RFC 3339 (expected YYYY-MM-DDTHH:MM:SSZ)");
  if (month < 1 || month > 12 || day < 1 || (unsigned) day > days_in_month (year, month))
    FAIL ("time has an impossible date");
  if (hour > 23 || minute > 59 || second > 60)
    FAIL ("time has an impossible time of day");
  if (p < end && *p == '.')
    {
      int digits = 0;
      p++;
      while (p < end && *p >= '0' && *p <= '9')
        {
          if (digits < 6)
            frac_us = frac_us * 10 + (*p - '0');
          digits++;
          p++;
        }
      if (digits == 0)
        FAIL ("time has a '.' without fraction digits");
      for (; digits < 6; digits++)
        frac_us *= 10;
    }
  if (!parse_zone (&p, end, allow_no_zone, &offset, problem))
    return FALSE;
  if (p != end)
    FAIL ("time has trailing characters");

  /* A leap second is held at the last microsecond of its minute: event
   * order is kept and no second is invented. */
  if (second == 60)
    {
      second = 59;
      frac_us = TACIT_USEC_PER_SEC - 1;
    }
  days = days_from_civil (year, month, day);
  secs = days * 86400 + hour * 3600 + minute * 60 + second - offset;
  *out = secs * TACIT_USEC_PER_SEC + frac_us;
  return TRUE;
}

static char *
format_time (TacitTime time, char *buf, int frac_digits)
{
  gint64 secs = time / TACIT_USEC_PER_SEC;
  gint64 us = time % TACIT_USEC_PER_SEC;
  gint64 days, sod;
  int y;
  unsigned m, d;

  if (us < 0)
    {
      us += TACIT_USEC_PER_SEC;
      secs -= 1;
    }
  days = secs / 86400;
  sod = secs % 86400;
  if (sod < 0)
    {
      sod += 86400;
      days -= 1;
    }
  civil_from_days (days, &y, &m, &d);
  if (frac_digits == 3)
    g_snprintf (buf, TACIT_TIME_FORMAT_LEN, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ",
                y, m, d, (int) (sod / 3600), (int) (sod / 60 % 60), (int) (sod % 60),
                (int) (us / 1000));
  else
    g_snprintf (buf, TACIT_TIME_FORMAT_LEN, "%04d-%02u-%02uT%02d:%02d:%02d.%06dZ",
                y, m, d, (int) (sod / 3600), (int) (sod / 60 % 60), (int) (sod % 60),
                (int) us);
  return buf;
}

char *
tacit_time_format_ms_buf (TacitTime time, char *buf)
{
  return format_time (time, buf, 3);
}

char *
tacit_time_format_ms (TacitTime time)
{
  char buf[TACIT_TIME_FORMAT_LEN];
  return g_strdup (format_time (time, buf, 3));
}

char *
tacit_time_format_us_buf (TacitTime time, char *buf)
{
  return format_time (time, buf, 6);
}

char *
tacit_time_format_us (TacitTime time)
{
  char buf[TACIT_TIME_FORMAT_LEN];
  return g_strdup (format_time (time, buf, 6));
}

static const struct {
  const char *unit;
  TacitTime   usec;
} duration_units[] = {
  { "d", G_GINT64_CONSTANT (86400000000) },
  { "h", G_GINT64_CONSTANT (3600000000) },
  { "m", G_GINT64_CONSTANT (60000000) },
  { "s", G_GINT64_CONSTANT (1000000) },
  { "ms", G_GINT64_CONSTANT (1000) },
};

gboolean
tacit_duration_parse (const char *text, TacitTime *out)
{
  guint64 n = 0;
  const char *p = text;

  if (text == NULL || *p < '0' || *p > '9')
    return FALSE;
  /* A bare 0 needs no unit (cooldown="0"). */
  if (strcmp (text, "0") == 0)
    {
      *out = 0;
      return TRUE;
    }
  for (; *p >= '0' && *p <= '9'; p++)
    {
      n = n * 10 + (guint64) (*p - '0');
      if (n > G_GUINT64_CONSTANT (1000000000000))
        return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (duration_units); i++)
    if (strcmp (p, duration_units[i].unit) == 0)
      {
        /* 10^12 days would overflow: refuse what does not fit. */
        if (n > (guint64) (G_MAXINT64 / duration_units[i].usec))
          return FALSE;
        *out = (TacitTime) n * duration_units[i].usec;
        return TRUE;
      }
  return FALSE;
}

char *
tacit_duration_format (TacitTime duration)
{
  if (duration == 0)
    return g_strdup ("0s");
  for (guint i = 0; i < G_N_ELEMENTS (duration_units); i++)
    if (duration % duration_units[i].usec == 0)
      return g_strdup_printf ("%" G_GINT64_FORMAT "%s",
                              duration / duration_units[i].usec, duration_units[i].unit);
  /* Finer than a millisecond cannot be written in the library syntax. */
  return g_strdup_printf ("%" G_GINT64_FORMAT "ms", duration / 1000);
}
