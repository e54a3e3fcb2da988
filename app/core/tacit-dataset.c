/* tacit-dataset.c: the ML dataset export (see tacit-dataset.h and
 * docs/dataset.md).
 *
 * One pass over the suggestions in time order writes suggestions.jsonl and,
 * with layout bandit, bandit.jsonl; one pass over the events writes
 * events.jsonl; layout episodes adds a pass over the suggestions in
 * (machine, time) order, holding one step back to know whether it is the
 * last of its episode. Everything runs inside one read transaction, so the
 * files agree with each other even while a kiosk keeps recording.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-dataset.h"
#include "tacit-store-private.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "tacit-error.h"
#include "tacit-json.h"
#include "tacit-library-xml.h"

#define HOUR (G_GINT64_CONSTANT (3600) * TACIT_USEC_PER_SEC)
#define PROGRESS_EVERY 4096
#define OUT_BUFFER (1024 * 1024)

/* ------------------------------------------------------------ schemas */

/* JSON Schema (draft 2020-12) of one line of each JSONL file. Written out
 * by hand, compact, so that the card is byte-stable. */
#define SCHEMA_HEAD(id, title) \
  "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\"," \
  "\"$id\":\"urn:tacit:dataset:1:" id "\",\"title\":\"" title "\",\"type\":\"object\","
#define S_TIME "{\"type\":\"string\",\"format\":\"date-time\"}"
#define S_STRING "{\"type\":\"string\"}"
#define S_STRING_NULL "{\"type\":[\"string\",\"null\"]}"
#define S_COUNT_NULL "{\"type\":[\"integer\",\"null\"],\"minimum\":0}"
#define S_PROB "{\"type\":\"number\",\"minimum\":0,\"maximum\":1}"
#define S_BOOL "{\"type\":\"boolean\"}"
#define S_ID "{\"type\":\"string\",\"pattern\":\"^[0-9a-f]{32}$\"}"
#define S_REVISION "{\"type\":\"integer\",\"minimum\":1}"
#define S_MODE "{\"enum\":[\"live\",\"shadow\",\"held-out\"]}"
#define S_RESPONSE_KIND "{\"enum\":[\"accepted\",\"dismissed\",\"expired\",null]}"
#define S_CONTEXT "{\"type\":\"object\",\"additionalProperties\":" S_STRING_NULL "}"
#define S_ACTIONS \
  "{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":[\"parameter\",\"change\"]," \
  "\"additionalProperties\":false,\"properties\":{\"parameter\":" S_STRING ",\"change\":" S_STRING "}}}"
#define S_TRIGGER \
  "{\"type\":[\"object\",\"null\"],\"required\":[\"time\",\"kind\",\"item\",\"value\",\"code\",\"text\"]," \
  "\"additionalProperties\":false,\"properties\":{\"time\":" S_TIME "," \
  "\"kind\":{\"enum\":[\"sample\",\"event\",\"condition\"]},\"item\":" S_STRING "," \
  "\"value\":" S_STRING_NULL ",\"code\":" S_STRING_NULL ",\"text\":" S_STRING_NULL "}}"
#define S_RESPONSE \
  "{\"type\":[\"object\",\"null\"],\"required\":[\"response\",\"reason\",\"actor\",\"time\"]," \
  "\"additionalProperties\":false,\"properties\":{" \
  "\"response\":{\"enum\":[\"accepted\",\"dismissed\",\"expired\"]}," \
  "\"reason\":" S_STRING_NULL ",\"actor\":" S_STRING_NULL ",\"time\":" S_TIME "}}"

static const char suggestion_schema[] =
  SCHEMA_HEAD ("suggestion", "One suggestion: a decision point, its advice, response and outcome")
  "\"required\":[\"time\",\"machine\",\"rule\",\"revision\",\"kind\",\"severity\",\"mode\",\"text\","
  "\"trigger\",\"id\",\"propensity\",\"actions\",\"context\",\"response\",\"outcome\"],"
  "\"additionalProperties\":false,\"properties\":{"
  "\"time\":" S_TIME ",\"machine\":" S_STRING ",\"rule\":" S_STRING ",\"revision\":" S_REVISION ","
  "\"kind\":{\"enum\":[\"process-hack\",\"material-note\",\"override\",\"alarm-response\",\"quality-check\"]},"
  "\"severity\":{\"enum\":[\"info\",\"warning\",\"critical\"]},\"mode\":" S_MODE ","
  "\"text\":" S_STRING ",\"trigger\":" S_TRIGGER ",\"id\":" S_ID ",\"propensity\":" S_PROB ","
  "\"actions\":" S_ACTIONS ",\"context\":" S_CONTEXT ",\"response\":" S_RESPONSE ","
  "\"outcome\":" S_COUNT_NULL "}}";

static const char event_schema[] =
  SCHEMA_HEAD ("event", "One machine event")
  "\"required\":[\"time\",\"machine\",\"kind\",\"item\",\"value\",\"code\",\"text\"],"
  "\"additionalProperties\":false,\"properties\":{"
  "\"time\":" S_TIME ",\"machine\":" S_STRING ","
  "\"kind\":{\"enum\":[\"sample\",\"event\",\"condition\"]},\"item\":" S_STRING ","
  "\"value\":" S_STRING_NULL ",\"code\":" S_STRING_NULL ",\"text\":" S_STRING_NULL "}}";

static const char step_schema[] =
  SCHEMA_HEAD ("step", "One RLDS step: a decision point within a machine's shift")
  "\"required\":[\"episode_id\",\"machine\",\"shift_start\",\"shift_end\",\"step\",\"is_first\","
  "\"is_last\",\"is_terminal\",\"time\",\"suggestion_id\",\"observation\",\"action\",\"reward\","
  "\"discount\"],"
  "\"additionalProperties\":false,\"properties\":{"
  "\"episode_id\":" S_STRING ",\"machine\":" S_STRING ",\"shift_start\":" S_TIME ","
  "\"shift_end\":" S_TIME ",\"step\":{\"type\":\"integer\",\"minimum\":0},"
  "\"is_first\":" S_BOOL ",\"is_last\":" S_BOOL ",\"is_terminal\":{\"const\":false},"
  "\"time\":" S_TIME ",\"suggestion_id\":" S_ID ","
  "\"observation\":{\"type\":\"object\",\"required\":[\"context\",\"trigger\"],"
  "\"additionalProperties\":false,\"properties\":{\"context\":" S_CONTEXT ",\"trigger\":" S_TRIGGER "}},"
  "\"action\":{\"type\":\"object\",\"required\":[\"rule\",\"revision\",\"mode\",\"shown\",\"propensity\","
  "\"text\",\"actions\",\"response\",\"followed\"],\"additionalProperties\":false,\"properties\":{"
  "\"rule\":" S_STRING ",\"revision\":" S_REVISION ",\"mode\":" S_MODE ",\"shown\":" S_BOOL ","
  "\"propensity\":" S_PROB ",\"text\":" S_STRING ",\"actions\":" S_ACTIONS ","
  "\"response\":" S_RESPONSE_KIND ",\"followed\":{\"type\":[\"boolean\",\"null\"]}}},"
  "\"reward\":" S_COUNT_NULL ",\"discount\":{\"const\":1}}}";

static const char round_schema[] =
  SCHEMA_HEAD ("round", "One round of logged bandit feedback (Open Bandit Dataset shape)")
  "\"required\":[\"round\",\"timestamp\",\"suggestion_id\",\"machine\",\"rule\",\"revision\",\"context\","
  "\"action\",\"mode\",\"pscore\",\"propensity\",\"response\",\"reward\",\"outcome\"],"
  "\"additionalProperties\":false,\"properties\":{"
  "\"round\":{\"type\":\"integer\",\"minimum\":0},\"timestamp\":" S_TIME ",\"suggestion_id\":" S_ID ","
  "\"machine\":" S_STRING ",\"rule\":" S_STRING ",\"revision\":" S_REVISION ","
  "\"context\":" S_CONTEXT ",\"action\":{\"enum\":[0,1]},"
  "\"mode\":{\"enum\":[\"live\",\"held-out\"]},\"pscore\":" S_PROB ",\"propensity\":" S_PROB ","
  "\"response\":" S_RESPONSE_KIND ",\"reward\":{\"enum\":[0,1,null]},\"outcome\":" S_COUNT_NULL "}}";

/* ------------------------------------------------------------ options */

void
tacit_dataset_options_init (TacitDatasetOptions *options)
{
  g_return_if_fail (options != NULL);

  options->from = TACIT_TIME_MIN;
  options->to = TACIT_TIME_MAX;
  options->layout = TACIT_DATASET_LAYOUT_FLAT;
  options->shift_offset = 6 * HOUR;
  options->shift_length = 8 * HOUR;
}

static const char *const layout_names[] = { "flat", "episodes", "bandit" };

const char *
tacit_dataset_layout_to_string (TacitDatasetLayout layout)
{
  g_return_val_if_fail ((guint) layout < G_N_ELEMENTS (layout_names), NULL);
  return layout_names[layout];
}

gboolean
tacit_dataset_layout_from_string (const char         *text,
                                  TacitDatasetLayout *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (layout_names); i++)
    if (g_strcmp0 (text, layout_names[i]) == 0)
      {
        *out = (TacitDatasetLayout) i;
        return TRUE;
      }
  return FALSE;
}

TacitTime
tacit_dataset_shift_start (const TacitDatasetOptions *options,
                           TacitTime                  time)
{
  TacitTime length = options->shift_length > 0 ? options->shift_length : 8 * HOUR;
  TacitTime rel = time - options->shift_offset;
  TacitTime n = rel / length;

  /* Floor division: times before the epoch belong to the shift before. */
  if (rel % length != 0 && rel < 0)
    n--;
  return options->shift_offset + n * length;
}

/* ------------------------------------------------------------ output files */

typedef struct {
  const char *name;        /* static */
  char       *path;
  char       *tmp_path;
  FILE       *fp;
  GChecksum  *sha;
  char       *digest;      /* hex, once closed */
  guint64     lines;
  guint64     bytes;
} OutFile;

static gboolean
io_error (GError    **error,
          int         saved_errno,
          const char *path,
          const char *doing)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               "%s: %s: %s", path, doing, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
out_open (OutFile    *out,
          const char *dir,
          const char *name,
          GError    **error)
{
  g_autofree char *tmpl = g_strdup_printf (".%s.XXXXXX", name);
  int fd;

  out->name = name;
  out->path = g_build_filename (dir, name, NULL);
  out->tmp_path = g_build_filename (dir, tmpl, NULL);
  fd = g_mkstemp_full (out->tmp_path, O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      int saved = errno;
      g_clear_pointer (&out->tmp_path, g_free);
      return io_error (error, saved, out->path, "cannot create a temporary file");
    }
  out->fp = fdopen (fd, "wb");
  if (out->fp == NULL)
    {
      int saved = errno;
      close (fd);
      return io_error (error, saved, out->path, "cannot open");
    }
  setvbuf (out->fp, NULL, _IOFBF, OUT_BUFFER);
  out->sha = g_checksum_new (G_CHECKSUM_SHA256);
  return TRUE;
}

static gboolean
out_write (OutFile    *out,
           const char *data,
           gsize       len,
           GError    **error)
{
  if (fwrite (data, 1, len, out->fp) != len)
    return io_error (error, errno, out->path, "cannot write");
  g_checksum_update (out->sha, (const guchar *) data, len);
  out->bytes += len;
  return TRUE;
}

static gboolean
out_write_line (OutFile  *out,
                GString  *line,
                GError  **error)
{
  out->lines++;
  return out_write (out, line->str, line->len, error);
}

/* Flushes to the disk before the rename: after a crash the renamed file is
 * the complete one, never an empty or partial one. */
static gboolean
out_close (OutFile  *out,
           GError  **error)
{
  FILE *fp = g_steal_pointer (&out->fp);

  if (fflush (fp) != 0 || fsync (fileno (fp)) != 0)
    {
      int saved = errno;
      fclose (fp);
      return io_error (error, saved, out->path, "cannot write");
    }
  if (fclose (fp) != 0)
    return io_error (error, errno, out->path, "cannot write");
  out->digest = g_strdup (g_checksum_get_string (out->sha));
  return TRUE;
}

static gboolean
out_commit (OutFile  *out,
            GError  **error)
{
  if (g_rename (out->tmp_path, out->path) != 0)
    return io_error (error, errno, out->path, "cannot rename the temporary file into place");
  g_clear_pointer (&out->tmp_path, g_free);
  return TRUE;
}

/* Removes what is left of a failed export. */
static void
out_clear (OutFile *out)
{
  g_clear_pointer (&out->fp, fclose);
  if (out->tmp_path != NULL)
    g_unlink (out->tmp_path);
  g_clear_pointer (&out->tmp_path, g_free);
  g_clear_pointer (&out->path, g_free);
  g_clear_pointer (&out->sha, g_checksum_free);
  g_clear_pointer (&out->digest, g_free);
}

/* ------------------------------------------------------------ the export */

enum {
  FILE_SUGGESTIONS,
  FILE_EVENTS,
  FILE_RULES,
  FILE_EPISODES,
  FILE_BANDIT,
  FILE_CARD,
  N_FILES
};

static const char *const file_names[N_FILES] = {
  "suggestions.jsonl", "events.jsonl", "rules.xml", "episodes.jsonl", "bandit.jsonl", "dataset.json",
};

typedef struct {
  TacitStore                *store;
  sqlite3                   *db;
  const TacitDatasetOptions *options;
  OutFile                    files[N_FILES];
  gboolean                   wanted[N_FILES];
  GString                   *line;
  TacitProgressFunc          progress;
  gpointer                   progress_data;
  guint64                    done;
  guint64                    total;
  /* for the card */
  char                      *library_name;
  guint                      library_revision;
  guint                      library_rules;
  TacitTime                  first_time;
  TacitTime                  last_time;
  guint64                    by_mode[3];
  guint64                    with_response;
  guint64                    with_outcome;
  TacitDatasetStats          stats;
} Export;

static void
export_clear (Export *ex)
{
  for (guint i = 0; i < N_FILES; i++)
    out_clear (&ex->files[i]);
  if (ex->line != NULL)
    g_string_free (ex->line, TRUE);
  g_free (ex->library_name);
}

static gboolean
sql_error (Export     *ex,
           GError    **error,
           const char *doing)
{
  g_set_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_SQL, "%s: %s: %s",
               tacit_store_get_path (ex->store), doing, sqlite3_errmsg (ex->db));
  return FALSE;
}

static gboolean
tick (Export  *ex,
      GError **error)
{
  ex->done++;
  if (ex->progress == NULL || ex->done % PROGRESS_EVERY != 1)
    return TRUE;
  if (ex->progress (ex->done, ex->total, ex->progress_data))
    return TRUE;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The export was cancelled");
  return FALSE;
}

static void
note_time (Export   *ex,
           TacitTime time)
{
  ex->first_time = MIN (ex->first_time, time);
  ex->last_time = MAX (ex->last_time, time);
}

/* Binds the range as ?1 (from) and ?2 (to, NULL when open). */
static sqlite3_stmt *
prepare_ranged (Export     *ex,
                const char *sql,
                GError    **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (ex->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      sql_error (ex, error, "preparing the export");
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, ex->options->from);
  if (ex->options->to != TACIT_TIME_MAX)
    sqlite3_bind_int64 (stmt, 2, ex->options->to);
  return stmt;
}

static gboolean
count_rows (Export     *ex,
            const char *sql,
            guint64    *out,
            GError    **error)
{
  sqlite3_stmt *stmt = prepare_ranged (ex, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out = (guint64) MAX (0, sqlite3_column_int64 (stmt, 0));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    return sql_error (ex, error, "counting rows to export");
  return TRUE;
}

/* ---- suggestion rows ---- */

#define SUGGESTION_COLUMNS \
  "SELECT s.id, s.time, s.machine, s.rule_id, s.revision, s.kind, s.severity, s.mode," \
  " s.propensity, s.text, s.actions, s.trigger_time, s.trigger_kind, s.trigger_item," \
  " s.trigger_value, s.trigger_code, s.trigger_text, s.context, s.has_outcome," \
  " s.outcome_closed, s.outcome, r.response, r.reason, r.actor, r.responded_at " \
  "FROM suggestions AS s LEFT JOIN responses AS r ON r.id =" \
  " (SELECT r2.id FROM responses AS r2 WHERE r2.suggestion_id = s.id" \
  "  ORDER BY r2.responded_at DESC, r2.id DESC LIMIT 1) " \
  "WHERE s.time >= ?1 AND (?2 IS NULL OR s.time < ?2) "

/* Engine order: time, then rule id, then machine (SPEC "Engine semantics" 5). */
static const char suggestions_sql[] = SUGGESTION_COLUMNS "ORDER BY s.time, s.rule_id, s.machine, s.id";
static const char steps_sql[] = SUGGESTION_COLUMNS "ORDER BY s.machine, s.time, s.rule_id, s.id";

/* One row, borrowed from the statement until its next step. */
typedef struct {
  const char *id;
  TacitTime   time;
  const char *machine;
  const char *rule;
  gint64      revision;
  const char *kind;
  const char *severity;
  TacitMode   mode;
  double      propensity;
  const char *text;
  const char *actions;
  gboolean    has_trigger;
  TacitTime   trigger_time;
  TacitKind   trigger_kind;
  const char *trigger_item;
  const char *trigger_value;
  const char *trigger_code;
  const char *trigger_text;
  const char *context;
  gboolean    has_outcome;        /* a closed window */
  gint64      outcome;
  const char *response;           /* NULL: none */
  const char *reason;
  const char *actor;
  TacitTime   responded_at;
} Row;

static const char *
column_text (sqlite3_stmt *stmt,
             int           col)
{
  return (const char *) sqlite3_column_text (stmt, col);
}

static void
row_read (sqlite3_stmt *stmt,
          Row          *row)
{
  int trigger_kind = sqlite3_column_int (stmt, 12);

  row->id = column_text (stmt, 0);
  row->time = sqlite3_column_int64 (stmt, 1);
  row->machine = column_text (stmt, 2);
  row->rule = column_text (stmt, 3);
  row->revision = sqlite3_column_int64 (stmt, 4);
  row->kind = column_text (stmt, 5);
  row->severity = column_text (stmt, 6);
  if (!tacit_mode_from_string (column_text (stmt, 7), &row->mode))
    row->mode = TACIT_MODE_SHADOW;
  row->propensity = sqlite3_column_double (stmt, 8);
  row->text = column_text (stmt, 9);
  row->actions = column_text (stmt, 10);
  row->has_trigger = sqlite3_column_type (stmt, 11) != SQLITE_NULL;
  row->trigger_time = sqlite3_column_int64 (stmt, 11);
  row->trigger_kind = (trigger_kind >= 0 && trigger_kind < TACIT_N_KINDS) ? (TacitKind) trigger_kind
                                                                         : TACIT_KIND_EVENT;
  row->trigger_item = column_text (stmt, 13);
  row->trigger_value = column_text (stmt, 14);
  row->trigger_code = column_text (stmt, 15);
  row->trigger_text = column_text (stmt, 16);
  row->context = column_text (stmt, 17);
  row->has_outcome = sqlite3_column_int (stmt, 18) && sqlite3_column_int (stmt, 19) &&
                     sqlite3_column_type (stmt, 20) != SQLITE_NULL;
  row->outcome = sqlite3_column_int64 (stmt, 20);
  row->response = column_text (stmt, 21);
  row->reason = column_text (stmt, 22);
  row->actor = column_text (stmt, 23);
  row->responded_at = sqlite3_column_int64 (stmt, 24);
}

static void
append_time (GString  *out,
             TacitTime time)
{
  char buf[TACIT_TIME_FORMAT_LEN];

  tacit_json_append_string (out, tacit_time_format_us_buf (time, buf));
}

/* Stored JSON (the store writes it canonically) goes out as it is. */
static void
append_raw (GString    *out,
            const char *json,
            const char *fallback)
{
  g_string_append (out, json != NULL ? json : fallback);
}

static void
append_trigger (GString   *out,
                const Row *row)
{
  if (!row->has_trigger)
    {
      g_string_append (out, "null");
      return;
    }
  g_string_append_c (out, '{');
  tacit_json_append_key (out, "time", TRUE);
  append_time (out, row->trigger_time);
  tacit_json_append_key (out, "kind", FALSE);
  tacit_json_append_string (out, tacit_kind_to_string (row->trigger_kind));
  tacit_json_append_key (out, "item", FALSE);
  tacit_json_append_string (out, row->trigger_item != NULL ? row->trigger_item : "");
  tacit_json_append_key (out, "value", FALSE);
  tacit_json_append_string (out, row->trigger_value);
  tacit_json_append_key (out, "code", FALSE);
  tacit_json_append_string (out, row->trigger_code);
  tacit_json_append_key (out, "text", FALSE);
  tacit_json_append_string (out, row->trigger_text);
  g_string_append_c (out, '}');
}

static void
append_response (GString   *out,
                 const Row *row)
{
  if (row->response == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  g_string_append_c (out, '{');
  tacit_json_append_key (out, "response", TRUE);
  tacit_json_append_string (out, row->response);
  tacit_json_append_key (out, "reason", FALSE);
  tacit_json_append_string (out, row->reason);
  tacit_json_append_key (out, "actor", FALSE);
  tacit_json_append_string (out, row->actor);
  tacit_json_append_key (out, "time", FALSE);
  append_time (out, row->responded_at);
  g_string_append_c (out, '}');
}

static void
append_outcome (GString   *out,
                const Row *row)
{
  if (row->has_outcome)
    g_string_append_printf (out, "%" G_GINT64_FORMAT, row->outcome);
  else
    g_string_append (out, "null");
}

/* SPEC's replay keys first, in replay's order, then the rest. */
static void
format_suggestion (GString   *out,
                   const Row *row)
{
  g_string_truncate (out, 0);
  g_string_append_c (out, '{');
  tacit_json_append_key (out, "time", TRUE);
  append_time (out, row->time);
  tacit_json_append_key (out, "machine", FALSE);
  tacit_json_append_string (out, row->machine);
  tacit_json_append_key (out, "rule", FALSE);
  tacit_json_append_string (out, row->rule);
  tacit_json_append_key (out, "revision", FALSE);
  g_string_append_printf (out, "%" G_GINT64_FORMAT, row->revision);
  tacit_json_append_key (out, "kind", FALSE);
  tacit_json_append_string (out, row->kind);
  tacit_json_append_key (out, "severity", FALSE);
  tacit_json_append_string (out, row->severity);
  tacit_json_append_key (out, "mode", FALSE);
  tacit_json_append_string (out, tacit_mode_to_string (row->mode));
  tacit_json_append_key (out, "text", FALSE);
  tacit_json_append_string (out, row->text);
  tacit_json_append_key (out, "trigger", FALSE);
  append_trigger (out, row);
  tacit_json_append_key (out, "id", FALSE);
  tacit_json_append_string (out, row->id);
  tacit_json_append_key (out, "propensity", FALSE);
  tacit_json_append_double (out, row->propensity);
  tacit_json_append_key (out, "actions", FALSE);
  append_raw (out, row->actions, "[]");
  tacit_json_append_key (out, "context", FALSE);
  append_raw (out, row->context, "{}");
  tacit_json_append_key (out, "response", FALSE);
  append_response (out, row);
  tacit_json_append_key (out, "outcome", FALSE);
  append_outcome (out, row);
  g_string_append (out, "}\n");
}

/* 1 − p, rounded to 12 decimals: propensities are 1 − holdout with a
 * holdout written in a few decimals, and the rounding gives back the
 * holdout as written (1 − 0.8 is 0.19999999999999996 in binary). */
static double
complement (double p)
{
  return round ((1.0 - p) * 1e12) / 1e12;
}

/* Logged bandit feedback: the arm is "show this rule's advice" (1) or
 * "withhold it" (0); pscore is the probability of the action taken. */
static void
format_round (GString   *out,
              guint64    round,
              const Row *row)
{
  gboolean shown = row->mode == TACIT_MODE_LIVE;

  g_string_truncate (out, 0);
  g_string_append_c (out, '{');
  tacit_json_append_key (out, "round", TRUE);
  g_string_append_printf (out, "%" G_GUINT64_FORMAT, round);
  tacit_json_append_key (out, "timestamp", FALSE);
  append_time (out, row->time);
  tacit_json_append_key (out, "suggestion_id", FALSE);
  tacit_json_append_string (out, row->id);
  tacit_json_append_key (out, "machine", FALSE);
  tacit_json_append_string (out, row->machine);
  tacit_json_append_key (out, "rule", FALSE);
  tacit_json_append_string (out, row->rule);
  tacit_json_append_key (out, "revision", FALSE);
  g_string_append_printf (out, "%" G_GINT64_FORMAT, row->revision);
  tacit_json_append_key (out, "context", FALSE);
  append_raw (out, row->context, "{}");
  tacit_json_append_key (out, "action", FALSE);
  g_string_append (out, shown ? "1" : "0");
  tacit_json_append_key (out, "mode", FALSE);
  tacit_json_append_string (out, tacit_mode_to_string (row->mode));
  tacit_json_append_key (out, "pscore", FALSE);
  tacit_json_append_double (out, shown ? row->propensity : complement (row->propensity));
  tacit_json_append_key (out, "propensity", FALSE);
  tacit_json_append_double (out, row->propensity);
  tacit_json_append_key (out, "response", FALSE);
  tacit_json_append_string (out, row->response);
  tacit_json_append_key (out, "reward", FALSE);
  if (row->has_outcome)
    g_string_append (out, row->outcome > 0 ? "1" : "0");
  else
    g_string_append (out, "null");
  tacit_json_append_key (out, "outcome", FALSE);
  append_outcome (out, row);
  g_string_append (out, "}\n");
}

static gboolean
export_suggestion_row (Export    *ex,
                       const Row *row,
                       GError   **error)
{
  ex->stats.suggestions++;
  ex->by_mode[row->mode]++;
  ex->with_response += row->response != NULL;
  ex->with_outcome += row->has_outcome;
  note_time (ex, row->time);
  format_suggestion (ex->line, row);
  if (!out_write_line (&ex->files[FILE_SUGGESTIONS], ex->line, error))
    return FALSE;
  /* Shadow suggestions are no logged decision: never shown, by design. */
  if (!ex->wanted[FILE_BANDIT] || row->mode == TACIT_MODE_SHADOW)
    return TRUE;
  format_round (ex->line, ex->stats.rounds++, row);
  return out_write_line (&ex->files[FILE_BANDIT], ex->line, error);
}

static gboolean
export_suggestions (Export  *ex,
                    GError **error)
{
  sqlite3_stmt *stmt = prepare_ranged (ex, suggestions_sql, error);
  gboolean ok = TRUE;
  int rc;
  Row row;

  if (stmt == NULL)
    return FALSE;
  while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      row_read (stmt, &row);
      ok = export_suggestion_row (ex, &row, error) && tick (ex, error);
    }
  if (ok && rc != SQLITE_DONE)
    ok = sql_error (ex, error, "reading suggestions");
  sqlite3_finalize (stmt);
  return ok;
}

/* ---- episodes ---- */

/* The step being held back until the next row says whether it is the
 * last of its episode: its text before and after the is_last value. */
typedef struct {
  gboolean  pending;
  GString  *machine;
  TacitTime shift;
  guint64   step;
  GString  *head;
  GString  *tail;
} Steps;

static void
format_step (Export    *ex,
             Steps     *steps,
             const Row *row,
             gboolean   first)
{
  GString *out = steps->head;
  gboolean shown = row->mode == TACIT_MODE_LIVE;
  char shift[TACIT_TIME_FORMAT_LEN];
  g_autofree char *episode = g_strdup_printf ("%s/%s", row->machine,
                                              tacit_time_format_us_buf (steps->shift, shift));

  g_string_truncate (out, 0);
  g_string_append_c (out, '{');
  tacit_json_append_key (out, "episode_id", TRUE);
  tacit_json_append_string (out, episode);
  tacit_json_append_key (out, "machine", FALSE);
  tacit_json_append_string (out, row->machine);
  tacit_json_append_key (out, "shift_start", FALSE);
  append_time (out, steps->shift);
  tacit_json_append_key (out, "shift_end", FALSE);
  append_time (out, steps->shift + ex->options->shift_length);
  tacit_json_append_key (out, "step", FALSE);
  g_string_append_printf (out, "%" G_GUINT64_FORMAT, steps->step);
  tacit_json_append_key (out, "is_first", FALSE);
  g_string_append (out, first ? "true" : "false");
  tacit_json_append_key (out, "is_last", FALSE);

  out = steps->tail;
  g_string_truncate (out, 0);
  tacit_json_append_key (out, "is_terminal", FALSE);
  g_string_append (out, "false");
  tacit_json_append_key (out, "time", FALSE);
  append_time (out, row->time);
  tacit_json_append_key (out, "suggestion_id", FALSE);
  tacit_json_append_string (out, row->id);
  tacit_json_append_key (out, "observation", FALSE);
  g_string_append_c (out, '{');
  tacit_json_append_key (out, "context", TRUE);
  append_raw (out, row->context, "{}");
  tacit_json_append_key (out, "trigger", FALSE);
  append_trigger (out, row);
  g_string_append_c (out, '}');
  tacit_json_append_key (out, "action", FALSE);
  g_string_append_c (out, '{');
  tacit_json_append_key (out, "rule", TRUE);
  tacit_json_append_string (out, row->rule);
  tacit_json_append_key (out, "revision", FALSE);
  g_string_append_printf (out, "%" G_GINT64_FORMAT, row->revision);
  tacit_json_append_key (out, "mode", FALSE);
  tacit_json_append_string (out, tacit_mode_to_string (row->mode));
  tacit_json_append_key (out, "shown", FALSE);
  g_string_append (out, shown ? "true" : "false");
  tacit_json_append_key (out, "propensity", FALSE);
  tacit_json_append_double (out, row->propensity);
  tacit_json_append_key (out, "text", FALSE);
  tacit_json_append_string (out, row->text);
  tacit_json_append_key (out, "actions", FALSE);
  append_raw (out, row->actions, "[]");
  tacit_json_append_key (out, "response", FALSE);
  tacit_json_append_string (out, row->response);
  tacit_json_append_key (out, "followed", FALSE);
  if (g_strcmp0 (row->response, "accepted") == 0)
    g_string_append (out, "true");
  else if (g_strcmp0 (row->response, "dismissed") == 0)
    g_string_append (out, "false");
  else
    g_string_append (out, "null");
  g_string_append_c (out, '}');
  tacit_json_append_key (out, "reward", FALSE);
  append_outcome (out, row);
  tacit_json_append_key (out, "discount", FALSE);
  g_string_append (out, "1}\n");
}

static gboolean
flush_step (Export   *ex,
            Steps    *steps,
            gboolean  last,
            GError  **error)
{
  OutFile *file = &ex->files[FILE_EPISODES];

  if (!steps->pending)
    return TRUE;
  steps->pending = FALSE;
  ex->stats.steps++;
  file->lines++;
  return out_write (file, steps->head->str, steps->head->len, error) &&
         out_write (file, last ? "true" : "false", last ? 4 : 5, error) &&
         out_write (file, steps->tail->str, steps->tail->len, error);
}

static gboolean
export_step_row (Export    *ex,
                 Steps     *steps,
                 const Row *row,
                 GError   **error)
{
  TacitTime shift = tacit_dataset_shift_start (ex->options, row->time);
  gboolean first = !steps->pending || shift != steps->shift ||
                   strcmp (steps->machine->str, row->machine) != 0;

  if (!flush_step (ex, steps, first, error))
    return FALSE;
  if (first)
    {
      ex->stats.episodes++;
      g_string_assign (steps->machine, row->machine);
      steps->shift = shift;
      steps->step = 0;
    }
  else
    steps->step++;
  format_step (ex, steps, row, first);
  steps->pending = TRUE;
  return TRUE;
}

static gboolean
export_episodes (Export  *ex,
                 GError **error)
{
  sqlite3_stmt *stmt = prepare_ranged (ex, steps_sql, error);
  Steps steps = { FALSE, g_string_new (NULL), 0, 0, g_string_new (NULL), g_string_new (NULL) };
  gboolean ok = stmt != NULL;
  int rc = SQLITE_DONE;
  Row row;

  while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      row_read (stmt, &row);
      ok = export_step_row (ex, &steps, &row, error) && tick (ex, error);
    }
  if (ok && rc != SQLITE_DONE)
    ok = sql_error (ex, error, "reading suggestions");
  ok = ok && flush_step (ex, &steps, TRUE, error);
  if (stmt != NULL)
    sqlite3_finalize (stmt);
  g_string_free (steps.machine, TRUE);
  g_string_free (steps.head, TRUE);
  g_string_free (steps.tail, TRUE);
  return ok;
}

/* ---- events ---- */

static void
format_event (GString          *out,
              const TacitEvent *event)
{
  g_string_truncate (out, 0);
  g_string_append_c (out, '{');
  tacit_json_append_key (out, "time", TRUE);
  append_time (out, event->time);
  tacit_json_append_key (out, "machine", FALSE);
  tacit_json_append_string (out, event->machine);
  tacit_json_append_key (out, "kind", FALSE);
  tacit_json_append_string (out, tacit_kind_to_string (event->kind));
  tacit_json_append_key (out, "item", FALSE);
  tacit_json_append_string (out, event->item);
  tacit_json_append_key (out, "value", FALSE);
  tacit_json_append_string (out, event->value);
  tacit_json_append_key (out, "code", FALSE);
  tacit_json_append_string (out, event->code);
  tacit_json_append_key (out, "text", FALSE);
  tacit_json_append_string (out, event->text);
  g_string_append (out, "}\n");
}

static gboolean
export_events (Export  *ex,
               GError **error)
{
  g_autoptr(TacitEventCursor) cursor = NULL;
  g_autoptr(GError) local = NULL;
  TacitEvent event;

  cursor = tacit_store_query_events (ex->store, ex->options->from, ex->options->to, error);
  if (cursor == NULL)
    return FALSE;
  while (tacit_event_cursor_next (cursor, &event, &local))
    {
      ex->stats.events++;
      note_time (ex, event.time);
      format_event (ex->line, &event);
      if (!out_write_line (&ex->files[FILE_EVENTS], ex->line, error) || !tick (ex, error))
        return FALSE;
    }
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return TRUE;
}

/* ---- rules.xml ---- */

static gboolean
export_rules (Export  *ex,
              GError **error)
{
  g_autoptr(TacitLibrary) library = tacit_store_load_library (ex->store, error);
  g_autofree char *xml = NULL;
  gsize len = 0;

  if (library == NULL)
    return FALSE;
  ex->library_name = g_strdup (tacit_library_get_name (library));
  ex->library_revision = tacit_library_get_revision (library);
  ex->library_rules = tacit_library_get_rules (library)->len;
  xml = tacit_library_to_xml (library, &len);
  return out_write (&ex->files[FILE_RULES], xml, len, error);
}

/* ---- the card ---- */

static void
card_time_or_null (GString  *out,
                   TacitTime time,
                   gboolean  valid)
{
  if (valid)
    append_time (out, time);
  else
    g_string_append (out, "null");
}

static void
card_count (GString    *out,
            const char *key,
            guint64     n,
            gboolean    first)
{
  if (first)
    g_string_append (out, "\n");
  else
    g_string_append (out, ",\n");
  g_string_append (out, "    ");
  tacit_json_append_string (out, key);
  g_string_append_printf (out, ": %" G_GUINT64_FORMAT, n);
}

static void
card_counts (Export  *ex,
             GString *out)
{
  g_string_append (out, "  \"counts\": {");
  card_count (out, "suggestions", ex->stats.suggestions, TRUE);
  card_count (out, "live", ex->by_mode[TACIT_MODE_LIVE], FALSE);
  card_count (out, "shadow", ex->by_mode[TACIT_MODE_SHADOW], FALSE);
  card_count (out, "held_out", ex->by_mode[TACIT_MODE_HELD_OUT], FALSE);
  card_count (out, "with_response", ex->with_response, FALSE);
  card_count (out, "outcome_known", ex->with_outcome, FALSE);
  card_count (out, "events", ex->stats.events, FALSE);
  if (ex->wanted[FILE_EPISODES])
    {
      card_count (out, "episodes", ex->stats.episodes, FALSE);
      card_count (out, "steps", ex->stats.steps, FALSE);
    }
  if (ex->wanted[FILE_BANDIT])
    card_count (out, "rounds", ex->stats.rounds, FALSE);
  g_string_append (out, "\n  },\n");
}

static const char *
file_schema (guint file)
{
  switch (file)
    {
    case FILE_SUGGESTIONS: return suggestion_schema;
    case FILE_EVENTS: return event_schema;
    case FILE_EPISODES: return step_schema;
    case FILE_BANDIT: return round_schema;
    default: return NULL;
    }
}

static void
card_file (Export  *ex,
           guint    file,
           GString *out)
{
  const OutFile *f = &ex->files[file];
  gboolean xml = file == FILE_RULES;

  g_string_append (out, "    ");
  tacit_json_append_string (out, f->name);
  g_string_append (out, ": {\n      \"media_type\": ");
  tacit_json_append_string (out, xml ? "application/xml" : "application/jsonl");
  if (!xml)
    g_string_append_printf (out, ",\n      \"lines\": %" G_GUINT64_FORMAT, f->lines);
  g_string_append_printf (out, ",\n      \"bytes\": %" G_GUINT64_FORMAT, f->bytes);
  g_string_append_printf (out, ",\n      \"sha256\": \"%s\"", f->digest);
  if (xml)
    g_string_append (out, ",\n      \"xml_namespace\": \"" TACIT_RULES_NS "\","
                     "\n      \"relax_ng\": \"tacit-rules-1.rng\"");
  else
    g_string_append_printf (out, ",\n      \"schema\": %s", file_schema (file));
  g_string_append (out, "\n    }");
}

static void
card_head (Export  *ex,
           GString *out)
{
  const TacitDatasetOptions *o = ex->options;
  gboolean seen = ex->first_time <= ex->last_time;

  g_string_append (out, "{\n  \"name\": \"tacit-dataset\",\n  \"format_version\": 1,\n");
  g_string_append (out, "  \"exported_by\": \"tacit " PACKAGE_VERSION "\",\n");
  g_string_append_printf (out, "  \"layout\": \"%s\",\n", tacit_dataset_layout_to_string (o->layout));
  g_string_append (out, "  \"time_range\": {\"from\": ");
  card_time_or_null (out, o->from, o->from != TACIT_TIME_MIN);
  g_string_append (out, ", \"to\": ");
  card_time_or_null (out, o->to, o->to != TACIT_TIME_MAX);
  g_string_append (out, ", \"first\": ");
  card_time_or_null (out, ex->first_time, seen);
  g_string_append (out, ", \"last\": ");
  card_time_or_null (out, ex->last_time, seen);
  g_string_append (out, "},\n  \"library\": {\"name\": ");
  tacit_json_append_string (out, ex->library_name);
  g_string_append_printf (out, ", \"revision\": %u, \"rules\": %u},\n",
                          ex->library_revision, ex->library_rules);
  if (ex->wanted[FILE_EPISODES])
    {
      g_autofree char *offset = tacit_duration_format (o->shift_offset);
      g_autofree char *length = tacit_duration_format (o->shift_length);
      g_string_append_printf (out, "  \"shifts\": {\"start_after_midnight_utc\": \"%s\", "
                              "\"length\": \"%s\"},\n", offset, length);
    }
}

static gboolean
export_card (Export  *ex,
             GError **error)
{
  GString *out = ex->line;
  gboolean first = TRUE;

  g_string_truncate (out, 0);
  card_head (ex, out);
  card_counts (ex, out);
  g_string_append (out, "  \"files\": {\n");
  for (guint i = 0; i < FILE_CARD; i++)
    {
      if (!ex->wanted[i])
        continue;
      if (!first)
        g_string_append (out, ",\n");
      first = FALSE;
      card_file (ex, i, out);
    }
  g_string_append (out, "\n  }\n}\n");
  return out_write (&ex->files[FILE_CARD], out->str, out->len, error);
}

/* ---- driver ---- */

static gboolean
open_files (Export     *ex,
            const char *dir,
            GError    **error)
{
  for (guint i = 0; i < N_FILES; i++)
    if (ex->wanted[i] && !out_open (&ex->files[i], dir, file_names[i], error))
      return FALSE;
  return TRUE;
}

static gboolean
count_total (Export  *ex,
             GError **error)
{
  guint64 suggestions = 0, events = 0;

  if (ex->progress == NULL)
    return TRUE;
  if (!count_rows (ex, "SELECT count (*) FROM suggestions WHERE time >= ?1 AND (?2 IS NULL OR time < ?2)",
                   &suggestions, error) ||
      !count_rows (ex, "SELECT count (*) FROM events WHERE time >= ?1 AND (?2 IS NULL OR time < ?2)",
                   &events, error))
    return FALSE;
  ex->total = suggestions * (ex->wanted[FILE_EPISODES] ? 2 : 1) + events;
  return TRUE;
}

static gboolean
begin_snapshot (Export  *ex,
                GError **error)
{
  if (!sqlite3_get_autocommit (ex->db))
    {
      g_set_error (error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_BUSY,
                   "%s: cannot export while a transaction is open", tacit_store_get_path (ex->store));
      return FALSE;
    }
  if (sqlite3_exec (ex->db, "BEGIN DEFERRED", NULL, NULL, NULL) != SQLITE_OK)
    return sql_error (ex, error, "starting the export");
  return TRUE;
}

/* The rows, in one read transaction. (The library is read before it:
 * tacit_store_load_library keeps its own snapshot.) */
static gboolean
export_rows (Export  *ex,
             GError **error)
{
  gboolean ok;

  if (!begin_snapshot (ex, error))
    return FALSE;
  ok = count_total (ex, error) &&
       export_suggestions (ex, error) &&
       (!ex->wanted[FILE_EPISODES] || export_episodes (ex, error)) &&
       export_events (ex, error);
  /* A read transaction: ending it cannot lose anything. */
  sqlite3_exec (ex->db, "COMMIT", NULL, NULL, NULL);
  return ok;
}

/* Every data file, then the card (which needs their checksums); the
 * renames come after. */
static gboolean
write_all (Export     *ex,
           const char *dir,
           GError    **error)
{
  if (!open_files (ex, dir, error) ||
      !export_rules (ex, error) ||
      !export_rows (ex, error))
    return FALSE;
  for (guint i = 0; i < FILE_CARD; i++)
    if (ex->wanted[i] && !out_close (&ex->files[i], error))
      return FALSE;
  if (!export_card (ex, error) || !out_close (&ex->files[FILE_CARD], error))
    return FALSE;
  if (ex->progress != NULL)
    ex->progress (ex->total, ex->total, ex->progress_data);
  return TRUE;
}

static gboolean
commit_all (Export  *ex,
            GError **error)
{
  for (guint i = 0; i < N_FILES; i++)
    if (ex->wanted[i] && !out_commit (&ex->files[i], error))
      return FALSE;
  return TRUE;
}

gboolean
tacit_dataset_export (TacitStore                *store,
                      const char                *dir,
                      const TacitDatasetOptions *options,
                      TacitDatasetStats         *stats,
                      TacitProgressFunc          progress,
                      gpointer                   progress_data,
                      GError                   **error)
{
  Export ex = { 0 };
  gboolean ok;

  g_return_val_if_fail (TACIT_IS_STORE (store), FALSE);
  g_return_val_if_fail (dir != NULL && options != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!tacit_store_check_access (store, options->actor, TACIT_PERMISSION_EXPORT, dir, error))
    return FALSE;
  if (g_mkdir_with_parents (dir, 0777) != 0)
    return io_error (error, errno, dir, "cannot create the directory");

  ex.store = store;
  ex.db = _tacit_store_get_db (store);
  ex.options = options;
  ex.line = g_string_sized_new (4096);
  ex.progress = progress;
  ex.progress_data = progress_data;
  ex.first_time = TACIT_TIME_MAX;
  ex.last_time = TACIT_TIME_MIN;
  ex.wanted[FILE_SUGGESTIONS] = ex.wanted[FILE_EVENTS] = ex.wanted[FILE_RULES] = TRUE;
  ex.wanted[FILE_CARD] = TRUE;
  ex.wanted[FILE_EPISODES] = options->layout == TACIT_DATASET_LAYOUT_EPISODES;
  ex.wanted[FILE_BANDIT] = options->layout == TACIT_DATASET_LAYOUT_BANDIT;

  ok = write_all (&ex, dir, error) && commit_all (&ex, error);
  if (ok && stats != NULL)
    *stats = ex.stats;
  export_clear (&ex);
  return ok;
}
