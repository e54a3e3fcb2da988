/* tacit-demo-history.c: earlier shifts of the demo plant.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-demo-history.h"

#include "tacit-demo.h"
#include "tacit-kiosk-store.h"
#include "tacit-replay.h"

#define DAY (G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC)
#define BATCH 4096

/* How often operators took each demo rule's advice: the trusted ones,
 * the one that cries wolf (a retirement candidate), the rest in between. */
static const struct {
  const char *rule;
  double      accepted;
} acceptance[] = {
  { "coil-b-hot-oil", 0.85 },
  { "tonnage-overload", 0.9 },
  { "spindle-load-worn-tool", 0.8 },
  { "e1234-cold-oil-false-alarm", 0.75 },
  { "hydraulic-warning-repeats", 0.1 },
  { "coolant-low", 0.6 },
};

static const char *const operators[] = { "op-117", "op-121", "op-130" };
static const char *const reasons[] = { "not relevant", "already done", "wrong" };

static double
acceptance_of (const char *rule_id)
{
  for (guint i = 0; i < G_N_ELEMENTS (acceptance); i++)
    if (g_strcmp0 (acceptance[i].rule, rule_id) == 0)
      return acceptance[i].accepted;
  return 0.65;
}

static gboolean
insert_batch (TacitStore *store,
              GArray     *batch,
              GError    **error)
{
  gboolean ok = batch->len == 0 ||
                tacit_store_insert_events (store, (TacitEvent *) batch->data, batch->len, NULL, error);

  g_array_set_size (batch, 0);
  return ok;
}

/* The shift, shifted back by days, into the store. */
static gboolean
store_shift (TacitStore *store,
             const char *path,
             gint64      days,
             GError    **error)
{
  g_autoptr(TacitEventReader) reader = NULL;
  g_autoptr(GPtrArray) copies = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) batch = g_array_sized_new (FALSE, FALSE, sizeof (TacitEvent), BATCH);
  g_autoptr(GError) read_error = NULL;
  TacitEvent event;

  reader = tacit_event_reader_new_for_path (path, TACIT_EVENT_FORMAT_AUTO,
                                            TACIT_EVENT_READER_IGNORE_UNKNOWN_COLUMNS, error);
  if (reader == NULL)
    return FALSE;
  while (tacit_event_reader_next (reader, &event, &read_error))
    {
      TacitEvent *copy = tacit_event_copy (&event);

      copy->time -= days * DAY;
      g_ptr_array_add (copies, copy);
      g_array_append_val (batch, *copy);
      if (batch->len == BATCH)
        {
          if (!insert_batch (store, batch, error))
            return FALSE;
          g_ptr_array_set_size (copies, 0);
        }
    }
  if (read_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&read_error));
      return FALSE;
    }
  return insert_batch (store, batch, error);
}

static void
collect_cb (TacitSuggestion *suggestion,
            gpointer         user_data)
{
  g_ptr_array_add (user_data, tacit_suggestion_ref (suggestion));
}

static void
restart_cb (gpointer user_data)
{
  g_ptr_array_set_size (user_data, 0);
}

static const char *
station_of (TacitStore *store,
            GPtrArray  *machines,
            const char *machine)
{
  for (guint i = 0; i < machines->len; i++)
    {
      const TacitMachine *m = g_ptr_array_index (machines, i);

      if (g_strcmp0 (m->id, machine) == 0 && m->cell != NULL)
        return m->cell;
    }
  return machine;
}

/* A reproducible operator's answer to a live suggestion: from its id. */
static gboolean
answer (TacitStore      *store,
        GPtrArray       *machines,
        TacitSuggestion *s,
        GError         **error)
{
  double draw = tacit_suggestion_id_draw (s->id);
  guint pick = (guint) (draw * 1000) % 3;
  TacitTime latency = (TacitTime) (20 + draw * 200) * G_USEC_PER_SEC;
  gboolean accepted = draw < acceptance_of (s->rule->id);

  if (draw > 0.97)
    return TRUE;   /* nobody answered: it expires on the kiosk */
  return tacit_kiosk_record_response (store, s->id,
                                      accepted ? TACIT_RESPONSE_ACCEPTED : TACIT_RESPONSE_DISMISSED,
                                      accepted ? NULL : reasons[pick], operators[pick],
                                      station_of (store, machines, s->machine),
                                      s->time + latency, latency / 1000, error) > 0;
}

gboolean
tacit_demo_seed_history (TacitStore  *store,
                         GError     **error)
{
  g_autofree char *path = tacit_demo_find_file ("shift.csv");
  g_autoptr(GPtrArray) suggestions = g_ptr_array_new_with_free_func ((GDestroyNotify) tacit_suggestion_unref);
  g_autoptr(TacitLibrary) library = NULL;
  g_autoptr(TacitEngine) engine = NULL;
  g_autoptr(GPtrArray) machines = NULL;
  g_autoptr(GError) local_error = NULL;
  TacitReplayOptions options;
  TacitReplaySink sink = { collect_cb, restart_cb, NULL, NULL };

  if (tacit_store_count_events (store, &local_error) > 0 || local_error != NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return local_error == NULL;
    }
  for (gint64 days = TACIT_DEMO_HISTORY_SHIFTS; days >= 1; days--)
    if (!store_shift (store, path, days, error))
      return FALSE;

  if ((library = tacit_store_load_library (store, error)) == NULL ||
      (machines = tacit_store_list_machines (store, error)) == NULL)
    return FALSE;
  tacit_replay_options_init (&options);
  sink.user_data = suggestions;
  if ((engine = tacit_replay_store (library, store, &options, &sink, error)) == NULL ||
      !tacit_store_record_suggestions (store, (TacitSuggestion **) suggestions->pdata,
                                       suggestions->len, error))
    return FALSE;
  for (guint i = 0; i < suggestions->len; i++)
    {
      TacitSuggestion *s = g_ptr_array_index (suggestions, i);

      if (s->mode == TACIT_MODE_LIVE && !answer (store, machines, s, error))
        return FALSE;
    }
  return TRUE;
}
