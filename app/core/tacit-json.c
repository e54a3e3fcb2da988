/* tacit-json.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-json.h"

#include <math.h>
#include <stdlib.h>

void
tacit_json_append_string (GString *out, const char *s)
{
  static const char hex[] = "0123456789abcdef";

  if (s == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  g_string_append_c (out, '"');
  for (const unsigned char *p = (const unsigned char *) s; *p; p++)
    {
      switch (*p)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        default:
          if (*p < 0x20)
            {
              g_string_append (out, "\\u00");
              g_string_append_c (out, hex[*p >> 4]);
              g_string_append_c (out, hex[*p & 0xf]);
            }
          else
            g_string_append_c (out, (char) *p);
        }
    }
  g_string_append_c (out, '"');
}

void
tacit_json_append_double (GString *out, double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }
  /* The fewest significant digits that read back exactly. */
  for (int digits = 1; digits <= 17; digits++)
    {
      char fmt[8];
      g_snprintf (fmt, sizeof fmt, "%%.%dg", digits);
      g_ascii_formatd (buf, sizeof buf, fmt, value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  g_string_append (out, buf);
}

void
tacit_json_append_key (GString *out, const char *key, gboolean first)
{
  if (!first)
    g_string_append_c (out, ',');
  tacit_json_append_string (out, key);
  g_string_append_c (out, ':');
}
