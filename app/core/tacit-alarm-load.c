/* tacit-alarm-load.c
 *
 * Windows are fixed 10-minute intervals from the start of the span, as
 * EEMUA 191 counts them; a station keeps only the windows that had a
 * suggestion (sparse), so a long replay costs memory for its busy windows
 * only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-alarm-load.h"
#include "tacit-store-private.h"

#include <string.h>

typedef struct {
  char       *name;
  GArray     *times;      /* TacitTime of every counted suggestion */
  GHashTable *per_rule;   /* rule id → count (GUINT_TO_POINTER) */
  guint64     total;
  guint64     stale_shelves;
} Station;

struct _TacitAlarmLoad {
  TacitLibrary *library;
  GHashTable   *stations; /* name → Station */
  gboolean      shelves_counted;
};

static void
station_free (Station *station)
{
  g_free (station->name);
  g_array_unref (station->times);
  g_hash_table_unref (station->per_rule);
  g_free (station);
}

TacitAlarmLoad *
tacit_alarm_load_new (TacitLibrary *library)
{
  TacitAlarmLoad *self = g_new0 (TacitAlarmLoad, 1);

  self->library = g_object_ref (library);
  self->stations = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                          (GDestroyNotify) station_free);
  return self;
}

void
tacit_alarm_load_free (TacitAlarmLoad *self)
{
  g_hash_table_unref (self->stations);
  g_object_unref (self->library);
  g_free (self);
}

static const char *
station_of (TacitAlarmLoad *self, const char *machine)
{
  const TacitMachine *info = tacit_library_lookup_machine (self->library, machine);

  return info != NULL && info->cell != NULL ? info->cell : machine;
}

static Station *
ensure_station (TacitAlarmLoad *self, const char *name)
{
  Station *station = g_hash_table_lookup (self->stations, name);

  if (station == NULL)
    {
      station = g_new0 (Station, 1);
      station->name = g_strdup (name);
      station->times = g_array_new (FALSE, FALSE, sizeof (TacitTime));
      station->per_rule = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (self->stations, station->name, station);
    }
  return station;
}

void
tacit_alarm_load_add (TacitAlarmLoad *self, TacitSuggestion *s)
{
  Station *station;
  gpointer count;

  g_return_if_fail (self != NULL && s != NULL);

  if (s->mode == TACIT_MODE_HELD_OUT)
    return;
  station = ensure_station (self, station_of (self, s->machine));
  g_array_append_val (station->times, s->time);
  station->total++;
  count = g_hash_table_lookup (station->per_rule, s->rule->id);
  g_hash_table_replace (station->per_rule, g_strdup (s->rule->id),
                        GUINT_TO_POINTER (GPOINTER_TO_UINT (count) + 1));
}

gboolean
tacit_alarm_load_add_shelves (TacitAlarmLoad *self,
                              TacitStore     *store,
                              gint64          now,
                              GError        **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (self != NULL && TACIT_IS_STORE (store), FALSE);

  stmt = _tacit_store_prepare (store,
    "SELECT station, count(*) FROM shelves WHERE cleared_at IS NULL "
    "AND (shelved_at <= ?1 OR (expires_at IS NOT NULL AND expires_at <= ?2)) "
    "GROUP BY station", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now - TACIT_ALARM_LOAD_STALE_SHELF);
  sqlite3_bind_int64 (stmt, 2, now);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Station *station = ensure_station (self, (const char *) sqlite3_column_text (stmt, 0));
      station->stale_shelves += sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return _tacit_store_sql_error (store, error, "counting stale shelves");
  self->shelves_counted = TRUE;
  return TRUE;
}

static int
count_desc (gconstpointer a, gconstpointer b)
{
  guint ca = *(const guint *) a, cb = *(const guint *) b;
  return ca < cb ? 1 : ca > cb ? -1 : 0;
}

static double
top10_share (Station *station)
{
  g_autoptr(GArray) counts = g_array_new (FALSE, FALSE, sizeof (guint));
  GHashTableIter iter;
  gpointer value;
  guint64 top = 0;

  g_hash_table_iter_init (&iter, station->per_rule);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      guint c = GPOINTER_TO_UINT (value);
      g_array_append_val (counts, c);
    }
  g_array_sort (counts, count_desc);
  for (guint i = 0; i < MIN (counts->len, 10); i++)
    top += g_array_index (counts, guint, i);
  return station->total ? (double) top / station->total : 0.0;
}

static void
compute_station (Station *station, TacitTime from, TacitTime to, gboolean shelves_counted,
                 TacitStationLoad *out)
{
  g_autoptr(GHashTable) per_window = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (gint64));
  GHashTableIter iter;
  gpointer key, value;
  guint64 floods = 0;

  out->station = g_strdup (station->name);
  out->suggestions = station->total;
  out->windows = MAX (1, (guint64) ((to - from + TACIT_ALARM_LOAD_WINDOW - 1) / TACIT_ALARM_LOAD_WINDOW));
  out->per_window_mean = (double) station->total / out->windows;
  /* Keys live in an array that never reallocates once filled. */
  g_array_set_size (keys, station->times->len);
  for (guint i = 0; i < station->times->len; i++)
    {
      gint64 *k = &g_array_index (keys, gint64, i);
      gpointer n;

      *k = (g_array_index (station->times, TacitTime, i) - from) / TACIT_ALARM_LOAD_WINDOW;
      n = g_hash_table_lookup (per_window, k);
      g_hash_table_insert (per_window, k, GUINT_TO_POINTER (GPOINTER_TO_UINT (n) + 1));
    }
  g_hash_table_iter_init (&iter, per_window);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint64 n = GPOINTER_TO_UINT (value);
      out->per_window_peak = MAX (out->per_window_peak, n);
      floods += n > TACIT_ALARM_LOAD_FLOOD_LIMIT;
    }
  out->flood_share = (double) floods / out->windows;
  out->top10_share = top10_share (station);
  out->stale_shelves = shelves_counted ? (gint64) station->stale_shelves : -1;
}

static int
station_compare (gconstpointer a, gconstpointer b)
{
  return strcmp (((const TacitStationLoad *) a)->station, ((const TacitStationLoad *) b)->station);
}

static void
station_load_clear (gpointer data)
{
  g_free (((TacitStationLoad *) data)->station);
}

GArray *
tacit_alarm_load_compute (TacitAlarmLoad *self, TacitTime from, TacitTime to)
{
  GArray *out = g_array_new (FALSE, TRUE, sizeof (TacitStationLoad));
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (self != NULL, NULL);

  g_array_set_clear_func (out, station_load_clear);
  if (to <= from)
    to = from + 1;
  g_hash_table_iter_init (&iter, self->stations);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      TacitStationLoad load = { 0 };
      compute_station (value, from, to, self->shelves_counted, &load);
      g_array_append_val (out, load);
    }
  g_array_sort (out, station_compare);
  return out;
}
