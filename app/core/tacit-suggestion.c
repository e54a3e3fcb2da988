/* tacit-suggestion.c: what the engine produces (SPEC "Suggestions and responses").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-suggestion.h"

#include <string.h>

G_DEFINE_BOXED_TYPE (TacitSuggestion, tacit_suggestion,
                     tacit_suggestion_ref, tacit_suggestion_unref)

/* Context items are g_new0'd TacitContextItem with g_strdup'd strings;
 * tacit_suggestion_new() creates the array with this free function. */
static void
context_item_free (gpointer data)
{
  TacitContextItem *item = data;

  if (item == NULL)
    return;
  g_free (item->item);
  g_free (item->value);
  g_free (item);
}

TacitSuggestion *
tacit_suggestion_new (void)
{
  TacitSuggestion *self = g_new0 (TacitSuggestion, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->context = g_ptr_array_new_with_free_func (context_item_free);
  return self;
}

TacitSuggestion *
tacit_suggestion_ref (TacitSuggestion *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
tacit_suggestion_unref (TacitSuggestion *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->machine);
  g_clear_pointer (&self->rule, tacit_rule_unref);
  /* One allocation from tacit_event_copy(): the strings live inside it. */
  g_free (self->trigger);
  g_clear_pointer (&self->context, g_ptr_array_unref);
  g_free (self->context_block);
  g_free (self);
}

void
tacit_suggestion_set_context (TacitSuggestion    *self,
                              const char * const *items,
                              const char * const *values,
                              guint               n)
{
  gsize size = n * sizeof (TacitContextItem);
  TacitContextItem *block;
  char *p;

  g_return_if_fail (self != NULL);

  for (guint i = 0; i < n; i++)
    size += strlen (items[i]) + strlen (values[i]) + 2;
  block = g_malloc (MAX (size, 1));
  p = (char *) (block + n);
  /* Items in the block are owned by it, not by the array. */
  g_clear_pointer (&self->context, g_ptr_array_unref);
  g_free (self->context_block);
  self->context = g_ptr_array_sized_new (n);
  self->context_block = block;
  for (guint i = 0; i < n; i++)
    {
      gsize li = strlen (items[i]) + 1, lv = strlen (values[i]) + 1;

      block[i].item = memcpy (p, items[i], li);
      p += li;
      block[i].value = memcpy (p, values[i], lv);
      p += lv;
      g_ptr_array_add (self->context, &block[i]);
    }
}

/* The id is the first 32 hex digits (128 bits) of SHA-256 over exactly
 * these bytes:
 *
 *   rule_id  NUL  revision  NUL  machine  NUL  time
 *
 * where revision and time are decimal ASCII (time in microseconds since
 * the epoch, with a leading '-' when negative) and the last field has no
 * terminating NUL. Example: "coil-b\0" "3\0" "press-3\0" "1793512801250000".
 * The NULs keep ("a", "1b") and ("a1", "b") apart. Never change this: ids
 * recorded in stores and exported datasets depend on it. */
void
tacit_suggestion_compute_id (const char *rule_id,
                             guint       revision,
                             const char *machine,
                             TacitTime   time,
                             char        out[33])
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  char number[32];
  const char *hex;

  g_return_if_fail (rule_id != NULL);
  g_return_if_fail (machine != NULL);

  g_checksum_update (checksum, (const guchar *) rule_id, strlen (rule_id) + 1);
  g_snprintf (number, sizeof number, "%u", revision);
  g_checksum_update (checksum, (const guchar *) number, strlen (number) + 1);
  g_checksum_update (checksum, (const guchar *) machine, strlen (machine) + 1);
  g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, (gint64) time);
  g_checksum_update (checksum, (const guchar *) number, strlen (number));

  hex = g_checksum_get_string (checksum);
  memcpy (out, hex, 32);
  out[32] = '\0';
}

/* The first 16 hex digits of SHA-256 over the id string (without its NUL),
 * read as an unsigned 64-bit integer and divided by 2^64. The suggestion id
 * is already a hash; hashing it again keeps the draw independent of any
 * structure in how ids are compared or sorted. */
double
tacit_suggestion_id_draw (const char *id)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  const char *hex;
  guint64 n = 0;
  double draw;

  g_return_val_if_fail (id != NULL, 0.0);

  g_checksum_update (checksum, (const guchar *) id, strlen (id));
  hex = g_checksum_get_string (checksum);
  for (guint i = 0; i < 16; i++)
    n = (n << 4) | (guint64) g_ascii_xdigit_value (hex[i]);
  /* Converting n to double rounds, and values within 2^10 of 2^64 round
   * up to 2^64: clamp so that the draw stays in [0, 1). */
  draw = (double) n * 0x1p-64;
  return draw < 1.0 ? draw : 0x1.fffffffffffffp-1;
}

static const char *mode_names[] = { "live", "shadow", "held-out" };

const char *
tacit_mode_to_string (TacitMode mode)
{
  g_return_val_if_fail ((guint) mode < G_N_ELEMENTS (mode_names), NULL);
  return mode_names[mode];
}

gboolean
tacit_mode_from_string (const char *text,
                        TacitMode  *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (mode_names); i++)
    if (g_strcmp0 (text, mode_names[i]) == 0)
      {
        *out = (TacitMode) i;
        return TRUE;
      }
  return FALSE;
}

const char *
tacit_suggestion_lookup_context (TacitSuggestion *self,
                                 const char      *item)
{
  guint lo = 0;
  guint hi;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (item != NULL, NULL);

  if (self->context == NULL)
    return NULL;
  /* The engine fills the context sorted by item (strcmp). */
  hi = self->context->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      const TacitContextItem *ci = g_ptr_array_index (self->context, mid);
      int cmp = strcmp (ci->item, item);

      if (cmp == 0)
        return ci->value;
      if (cmp < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return NULL;
}
