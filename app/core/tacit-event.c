/* tacit-event.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-event.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *kind_names[TACIT_N_KINDS] = { "sample", "event", "condition" };

const char *
tacit_kind_to_string (TacitKind kind)
{
  g_return_val_if_fail ((guint) kind < TACIT_N_KINDS, NULL);
  return kind_names[kind];
}

gboolean
tacit_kind_from_string (const char *text, TacitKind *out)
{
  for (guint i = 0; i < TACIT_N_KINDS; i++)
    if (g_strcmp0 (text, kind_names[i]) == 0)
      {
        *out = (TacitKind) i;
        return TRUE;
      }
  return FALSE;
}

gboolean
tacit_value_is_unavailable (const char *value)
{
  /* Called for every event and predicate: rule most values out on the
   * first letter. */
  return value != NULL && (value[0] == 'U' || value[0] == 'u') &&
         g_ascii_strcasecmp (value, "UNAVAILABLE") == 0;
}

gboolean
tacit_value_parse_number (const char *value, double *out)
{
  char *end = NULL;
  double d;
  const char *p = value;

  if (value == NULL || *value == '\0')
    return FALSE;
  /* strtod accepts leading spaces, hex, "inf" and "nan": a value is a
   * number only when it looks like a decimal one. */
  if (*p == '+' || *p == '-')
    p++;
  if (!((*p >= '0' && *p <= '9') || (*p == '.' && p[1] >= '0' && p[1] <= '9')))
    return FALSE;
  if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
    return FALSE;
  d = g_ascii_strtod (value, &end);
  if (end == NULL || *end != '\0' || !isfinite (d))
    return FALSE;
  *out = d;
  return TRUE;
}

const char *
tacit_condition_value_canonical (const char *value)
{
  static const char *levels[] = { "normal", "warning", "fault", "unavailable" };

  for (guint i = 0; i < G_N_ELEMENTS (levels); i++)
    if (value != NULL && g_ascii_strcasecmp (value, levels[i]) == 0)
      return levels[i];
  return NULL;
}

TacitEvent *
tacit_event_copy (const TacitEvent *event)
{
  const char *strings[] = { event->machine, event->item, event->value, event->code, event->text };
  gsize lens[G_N_ELEMENTS (strings)];
  gsize total = sizeof (TacitEvent);
  TacitEvent *copy;
  char *p;
  const char **slots[G_N_ELEMENTS (strings)];

  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    {
      lens[i] = strings[i] ? strlen (strings[i]) + 1 : 0;
      total += lens[i];
    }
  copy = g_malloc (total);
  *copy = *event;
  slots[0] = &copy->machine;
  slots[1] = &copy->item;
  slots[2] = &copy->value;
  slots[3] = &copy->code;
  slots[4] = &copy->text;
  p = (char *) (copy + 1);
  for (guint i = 0; i < G_N_ELEMENTS (strings); i++)
    {
      if (strings[i] == NULL)
        {
          *slots[i] = NULL;
          continue;
        }
      memcpy (p, strings[i], lens[i]);
      *slots[i] = p;
      p += lens[i];
    }
  return copy;
}
