/* tacit-hub.c: the plant hub.
 *
 * libmosquitto's network thread only queues what arrives; a worker with
 * its own store connection stores it, up to BATCH messages per
 * transaction, each message inside a savepoint: a message that cannot be
 * stored is recorded as refused (with the reason) and does not take the
 * others with it. Rule revisions go through tacit_store_save_rule() (its
 * own transaction: permissions, conflicts, audit), recognised on
 * redelivery by their content. The worker also polls the library
 * revision and publishes the approved library when it changes.
 *
 * Messages are read with SQLite's JSON functions, in the statements that
 * store them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-hub.h"

#include <errno.h>
#include <mosquitto.h>
#include <string.h>

#include "tacit-error.h"
#include "tacit-json.h"
#include "tacit-library-xml.h"
#include "tacit-outbox.h"
#include "tacit-store-private.h"

#define KEEPALIVE_S 30
#define BATCH 512
/* Arrived and not stored yet, at most: beyond it the network thread waits
 * (TCP and the broker hold the rest). */
#define QUEUE_CAPACITY 20000
#define LIBRARY_POLL_MS 1000

/* Statements are prepared once per store connection and kept with it
 * (every message runs the same few); one handed out is reset when it goes
 * out of scope. */
typedef sqlite3_stmt TacitHubStmt;

static void
hub_stmt_release (TacitHubStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TacitHubStmt, hub_stmt_release)

static sqlite3_stmt *
prepare_cached (TacitStore *store,
                const char *sql,
                GError    **error)
{
  GHashTable *cache = g_object_get_data (G_OBJECT (store), "tacit-hub-statements");
  sqlite3_stmt *stmt;

  if (cache == NULL)
    {
      /* Finalized after the store's own close_v2, which waits for them. */
      cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) sqlite3_finalize);
      g_object_set_data_full (G_OBJECT (store), "tacit-hub-statements", cache,
                              (GDestroyNotify) g_hash_table_unref);
    }
  stmt = g_hash_table_lookup (cache, sql);
  if (stmt != NULL)
    return stmt;
  if (sqlite3_prepare_v3 (_tacit_store_get_db (store), sql, -1, SQLITE_PREPARE_PERSISTENT,
                          &stmt, NULL) != SQLITE_OK)
    {
      _tacit_store_sql_error (store, error, "preparing a statement");
      sqlite3_finalize (stmt);
      return NULL;
    }
  g_hash_table_insert (cache, g_strdup (sql), stmt);
  return stmt;
}

typedef struct {
  char  *topic;
  char  *payload;
  gsize  len;
} Arrival;

static void
arrival_free (Arrival *arrival)
{
  g_free (arrival->topic);
  g_free (arrival->payload);
  g_free (arrival);
}

struct _TacitHub
{
  GObject           parent_instance;

  char             *url;
  char             *host;
  int               port;
  char             *plant;
  char             *client_id;
  char             *subscription;
  char             *library_topic;
  char             *hub_topic;
  char             *presence;
  TacitStore       *store;
  struct mosquitto *mosq;
  GThread          *worker;
  gboolean          running;

  GMutex            lock;
  GCond             wake;
  GCond             room;
  gboolean          stopping;
  gboolean          connected;
  guint             connections;     /* successful connects so far */
  GPtrArray        *queue;           /* Arrival* */
  TacitHubStatus    status;

  /* worker only */
  guint             published_for_connection;
  guint             checked_revision;
  char             *published_xml;
};

G_DEFINE_FINAL_TYPE (TacitHub, tacit_hub, G_TYPE_OBJECT)

/* ---------------------------------------------------------- storing */

static gboolean
exec (TacitStore *store,
      const char *sql,
      GError    **error)
{
  if (sqlite3_exec (_tacit_store_get_db (store), sql, NULL, NULL, NULL) != SQLITE_OK)
    return _tacit_store_sql_error (store, error, sql);
  return TRUE;
}

/* Runs sql with ?1 = payload (and ?2 = text2 when given). */
static gboolean
run (TacitStore *store,
     const char *sql,
     const char *payload,
     const char *text2,
     const char *doing,
     GError    **error)
{
  g_autoptr(TacitHubStmt) stmt = prepare_cached (store, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, payload, -1, SQLITE_STATIC);
  if (text2 != NULL)
    sqlite3_bind_text (stmt, 2, text2, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _tacit_store_sql_error (store, error, doing);
  return TRUE;
}

#define J(path) "json_extract (?1, '$.body." path "')"
#define S(field) J ("suggestion." field)

static gboolean
put_suggestion (TacitStore *store,
                const char *payload,
                GError    **error)
{
  static const char sql[] =
    "INSERT OR IGNORE INTO suggestions (id, time, machine, rule_id, revision, kind, severity,"
    " mode, propensity, text, actions, trigger_time, trigger_kind, trigger_item, trigger_value,"
    " trigger_code, trigger_text, context, has_outcome, outcome, outcome_closed, recorded_at,"
    " library_revision)"
    " SELECT " S ("id") ", " S ("time") ", " S ("machine") ", " S ("rule_id") ", "
    S ("revision") ", " S ("kind") ", " S ("severity") ", " S ("mode") ", " S ("propensity") ", "
    S ("text") ", " S ("actions") ", " S ("trigger_time") ", " S ("trigger_kind") ", "
    S ("trigger_item") ", " S ("trigger_value") ", " S ("trigger_code") ", " S ("trigger_text") ", "
    S ("context") ", " S ("has_outcome") ", " S ("outcome") ", " S ("outcome_closed") ", "
    S ("recorded_at") ", " S ("library_revision")
    " WHERE " S ("id") " IS NOT NULL";

  return run (store, sql, payload, NULL, "storing a kiosk's suggestion", error);
}

/* The hub row made by an earlier message (received_messages.ref). */
static char *
find_ref (TacitStore *store,
          const char *payload,
          const char *path,
          GError    **error)
{
  g_autofree char *sql =
    g_strdup_printf ("SELECT ref FROM received_messages WHERE status = 'stored'"
                     " AND message_id = json_extract (?1, '%s')", path);
  g_autoptr(TacitHubStmt) stmt = prepare_cached (store, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, payload, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    _tacit_store_sql_error (store, error, "finding an earlier message");
  return NULL;
}

static char *
last_rowid (TacitStore *store)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT,
                          (gint64) sqlite3_last_insert_rowid (_tacit_store_get_db (store)));
}

/* Stores the row a message describes. *ref: the hub row it made;
 * *status: "stored" or "orphan" (it refers to a row the hub never got). */
static gboolean
apply_row_message (TacitStore  *store,
                   const char  *type,
                   const char  *payload,
                   char       **ref,
                   const char **status,
                   GError     **error)
{
  *status = "stored";
  if (strcmp (type, "response") == 0)
    {
      if (!put_suggestion (store, payload, error) ||
          !run (store,
                "INSERT INTO responses (suggestion_id, response, reason, actor, responded_at,"
                " recorded_at, latency_ms, station, library_revision) VALUES ("
                J ("suggestion_id") ", " J ("response") ", " J ("reason") ", " J ("actor") ", "
                J ("responded_at") ", " J ("recorded_at") ", " J ("latency_ms") ", "
                J ("station") ", " J ("library_revision") ")",
                payload, NULL, "storing a response", error))
        return FALSE;
      *ref = last_rowid (store);
      return TRUE;
    }
  if (strcmp (type, "response-update") == 0 || strcmp (type, "response-undo") == 0)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *row = find_ref (store, payload, "$.body.response", &local_error);

      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (row == NULL)
        {
          *status = "orphan";
          return TRUE;
        }
      *ref = g_strdup (row);
      if (type[strlen ("response-")] == 'u' && type[strlen ("response-u")] == 'p')
        return run (store,
                    "UPDATE responses SET latency_ms = " J ("latency_ms") ", station = "
                    J ("station") ", library_revision = " J ("library_revision")
                    " WHERE id = CAST (?2 AS INTEGER)",
                    payload, row, "updating a response", error);
      return run (store, "DELETE FROM responses WHERE id = CAST (?2 AS INTEGER)",
                  payload, row, "taking a response back", error);
    }
  if (strcmp (type, "held") == 0)
    {
      if (!put_suggestion (store, payload, error) ||
          !run (store,
                "INSERT OR IGNORE INTO held_suggestions (suggestion_id, station, held_at, released_at)"
                " VALUES (" J ("suggestion_id") ", " J ("station") ", " J ("held_at") ", "
                J ("released_at") ")",
                payload, NULL, "storing a held suggestion", error))
        return FALSE;
      *ref = NULL;
      return TRUE;
    }
  if (strcmp (type, "held-release") == 0)
    return run (store,
                "UPDATE held_suggestions SET released_at = " J ("released_at")
                " WHERE suggestion_id = " J ("suggestion_id") " AND released_at IS NULL",
                payload, NULL, "releasing a held suggestion", error);
  if (strcmp (type, "sign-in") == 0)
    {
      if (!run (store,
                "INSERT INTO sign_ins (badge, station, at, ok) VALUES (" J ("badge") ", "
                J ("station") ", " J ("at") ", " J ("ok") ")",
                payload, NULL, "storing a sign-in", error))
        return FALSE;
      *ref = last_rowid (store);
      return TRUE;
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "unknown message type “%s”", type);
  return FALSE;
}

static gboolean
record_received (TacitStore *store,
                 const char *message_id,
                 const char *kiosk,
                 const char *type,
                 const char *ref,
                 const char *status,
                 const char *detail,
                 GError    **error)
{
  g_autoptr(TacitHubStmt) stmt =
    prepare_cached (store,
                          "INSERT INTO received_messages (message_id, kiosk, type, ref, status,"
                          " detail, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, message_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, kiosk, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, ref, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, status, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, detail, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 7, g_get_real_time ());
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return _tacit_store_sql_error (store, error, "recording a received message");
  return TRUE;
}

/* -1 error, 0 new, 1 already received. */
static int
already_received (TacitStore *store,
                  const char *message_id,
                  GError    **error)
{
  g_autoptr(TacitHubStmt) stmt =
    prepare_cached (store, "SELECT 1 FROM received_messages WHERE message_id = ?1", error);
  int rc;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, message_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return 1;
  if (rc != SQLITE_DONE)
    {
      _tacit_store_sql_error (store, error, "looking up a message id");
      return -1;
    }
  return 0;
}

typedef struct {
  char *message_id;
  char *type;
  char *kiosk;     /* from the topic */
  char *refusal;   /* why the message cannot be read, or NULL */
} Envelope;

static void
envelope_clear (Envelope *envelope)
{
  g_free (envelope->message_id);
  g_free (envelope->type);
  g_free (envelope->kiosk);
  g_free (envelope->refusal);
}

/* tacit/PLANT/kiosk/KIOSK/TYPE; the message's id must be the kiosk's
 * ("KIOSK/…"), its type the topic's, its schema one this hub reads. */
static gboolean
read_envelope (TacitStore *store,
               const char *topic,
               const char *payload,
               Envelope   *envelope,
               GError    **error)
{
  g_auto(GStrv) levels = g_strsplit (topic, "/", -1);
  g_autoptr(TacitHubStmt) stmt = NULL;
  gint64 schema = 0;

  memset (envelope, 0, sizeof *envelope);
  if (g_strv_length (levels) != 5 || strcmp (levels[0], "tacit") != 0 ||
      strcmp (levels[2], "kiosk") != 0)
    {
      envelope->kiosk = g_strdup ("");
      envelope->type = g_strdup ("");
      envelope->refusal = g_strdup_printf ("%s: not a kiosk topic", topic);
      return TRUE;
    }
  envelope->kiosk = g_strdup (levels[3]);
  envelope->type = g_strdup (levels[4]);
  stmt = prepare_cached (store,
                               "SELECT json_valid (?1),"
                               " CASE WHEN json_valid (?1) THEN json_extract (?1, '$.schema') END,"
                               " CASE WHEN json_valid (?1) THEN json_extract (?1, '$.id') END,"
                               " CASE WHEN json_valid (?1) THEN json_extract (?1, '$.type') END", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, payload, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return _tacit_store_sql_error (store, error, "reading a message");
  if (sqlite3_column_int (stmt, 0) != 1)
    envelope->refusal = g_strdup_printf ("%s: the payload is not JSON", topic);
  else
    {
      schema = sqlite3_column_int64 (stmt, 1);
      envelope->message_id = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      if (envelope->message_id == NULL ||
          !g_str_has_prefix (envelope->message_id, envelope->kiosk) ||
          envelope->message_id[strlen (envelope->kiosk)] != '/')
        envelope->refusal = g_strdup_printf ("%s: the message id is missing or not the kiosk's", topic);
      else if (schema != TACIT_PLANT_MESSAGE_SCHEMA)
        envelope->refusal = g_strdup_printf ("%s: message schema %" G_GINT64_FORMAT
                                             " is not supported (this hub reads %d)",
                                             topic, schema, TACIT_PLANT_MESSAGE_SCHEMA);
      else if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 3), envelope->type) != 0)
        envelope->refusal = g_strdup_printf ("%s: the message type is not the topic's", topic);
    }
  if (envelope->message_id == NULL)
    {
      /* Unreadable messages are kept under an id of their own content,
       * so that their redelivery is recognised too. */
      g_autofree char *hash = g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                                           (const guchar *) payload, strlen (payload));
      envelope->message_id = g_strdup_printf ("%s/unreadable/%s", envelope->kiosk, hash);
    }
  return TRUE;
}

/* The actor a rule revision was saved by on the kiosk ("op-117",
 * "eng-4", "local:ana"). */
static TacitOperator *
actor_from_id (const char *actor_id)
{
  TacitOperator *op = g_new0 (TacitOperator, 1);

  if (actor_id == NULL)
    actor_id = "";
  if (g_str_has_prefix (actor_id, "local:"))
    {
      op->badge = g_strdup (actor_id);
      op->role = TACIT_ROLE_ENGINEER;
    }
  else if (g_str_has_prefix (actor_id, "eng-"))
    {
      op->badge = g_strdup (actor_id + 4);
      op->role = TACIT_ROLE_ENGINEER;
    }
  else
    {
      op->badge = g_strdup (g_str_has_prefix (actor_id, "op-") ? actor_id + 3 : actor_id);
      op->role = TACIT_ROLE_OPERATOR;
    }
  op->name = g_strdup (op->badge);
  return op;
}

/* A rule revision: saved as the kiosk saved it (same revision, same
 * author), through tacit_store_save_rule, so a rule changed on the hub
 * meanwhile is a conflict, never overwritten. A redelivery finds its own
 * revision stored with the same XML. */
static gboolean
store_rule_message (TacitStore  *store,
                    const char  *payload,
                    const char **status,
                    char       **detail,
                    char       **ref,
                    GError     **error)
{
  g_autoptr(TacitHubStmt) stmt = NULL;
  g_autoptr(TacitRule) rule = NULL;
  g_autoptr(TacitOperator) actor = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *saved_by = NULL;
  gint64 revision = 0;
  int rc;

  stmt = prepare_cached (store,
                               "SELECT " J ("xml") ", " J ("revision") ", " J ("saved_by") ","
                               " (SELECT r.xml FROM rules AS r WHERE r.id = " J ("id")
                               "  AND r.revision = " J ("revision") ")", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, payload, -1, SQLITE_STATIC);
  if ((rc = sqlite3_step (stmt)) != SQLITE_ROW)
    return _tacit_store_sql_error (store, error, "reading a rule message");
  xml = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  revision = sqlite3_column_int64 (stmt, 1);
  saved_by = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  if (xml != NULL && g_strcmp0 (xml, (const char *) sqlite3_column_text (stmt, 3)) == 0)
    {
      *status = "stored";   /* stored before the crash that lost its receipt */
      return TRUE;
    }
  g_clear_pointer (&stmt, hub_stmt_release);
  if (xml == NULL || revision < 1 || (rule = tacit_rule_from_xml (xml, -1, &local_error)) == NULL)
    {
      *status = "refused";
      *detail = g_strdup_printf ("not a rule: %s", local_error != NULL ? local_error->message : "no xml");
      return TRUE;
    }
  actor = actor_from_id (saved_by);
  if (!tacit_store_save_rule (store, rule, (guint) revision - 1, actor, &local_error))
    {
      if (g_error_matches (local_error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_CONFLICT))
        *status = "conflict";
      else if (g_error_matches (local_error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_PERMISSION))
        *status = "refused";
      else
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      *detail = g_strdup (local_error->message);
      return TRUE;
    }
  *status = "stored";
  *ref = g_strdup_printf ("%s/%u", rule->id, rule->revision);
  return TRUE;
}

/* In a transaction (batch) or not (rules): a savepoint each. */
static gboolean
store_one (TacitStore  *store,
           const char  *topic,
           const char  *payload,
           const char **outcome,
           GError     **error)
{
  Envelope envelope;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *ref = NULL;
  g_autofree char *detail = NULL;
  const char *status = "stored";
  int seen;
  gboolean ok = FALSE;

  if (!read_envelope (store, topic, payload, &envelope, error))
    return FALSE;
  seen = already_received (store, envelope.message_id, error);
  if (seen != 0)
    {
      *outcome = "duplicate";
      envelope_clear (&envelope);
      return seen == 1;
    }
  if (envelope.refusal != NULL)
    {
      status = "refused";
      detail = g_strdup (envelope.refusal);
    }
  else if (strcmp (envelope.type, "rule") == 0)
    {
      if (!store_rule_message (store, payload, &status, &detail, &ref, error))
        goto out;
    }
  else
    {
      if (!exec (store, "SAVEPOINT hub_message", error))
        goto out;
      if (!apply_row_message (store, envelope.type, payload, &ref, &status, &local_error))
        {
          int rc = sqlite3_errcode (_tacit_store_get_db (store));

          exec (store, "ROLLBACK TO hub_message", NULL);
          /* The database's trouble, not the message's: retry it later. */
          if (rc == SQLITE_BUSY || rc == SQLITE_FULL || rc == SQLITE_IOERR || rc == SQLITE_NOMEM ||
              rc == SQLITE_LOCKED || rc == SQLITE_READONLY)
            {
              exec (store, "RELEASE hub_message", NULL);
              g_propagate_error (error, g_steal_pointer (&local_error));
              goto out;
            }
          status = "refused";
          detail = g_strdup (local_error->message);
        }
      if (!exec (store, "RELEASE hub_message", error))
        goto out;
    }
  ok = record_received (store, envelope.message_id, envelope.kiosk, envelope.type, ref, status,
                        detail, error);
  *outcome = status;
out:
  envelope_clear (&envelope);
  return ok;
}

gboolean
tacit_hub_store_message (TacitStore  *store,
                         const char  *topic,
                         const char  *payload,
                         gsize        len,
                         const char **outcome,
                         GError     **error)
{
  g_autofree char *text = g_strndup (payload, len);

  g_return_val_if_fail (TACIT_IS_STORE (store), FALSE);
  g_return_val_if_fail (outcome != NULL, FALSE);

  return store_one (store, topic, text, outcome, error);
}

/* ---------------------------------------------------------- library */

TacitLibrary *
tacit_hub_dup_published_library (TacitStore *store,
                                 GError    **error)
{
  g_autoptr(TacitLibrary) all = tacit_store_load_library (store, error);
  g_autoptr(TacitLibrary) published = NULL;
  g_autoptr(GPtrArray) rules = NULL;
  GPtrArray *machines;
  guint n = 0;

  if (all == NULL)
    return NULL;
  published = tacit_library_new ();
  tacit_library_set_name (published, tacit_library_get_name (all));
  tacit_library_set_revision (published, tacit_library_get_revision (all));
  machines = tacit_library_get_machines (all);
  for (guint i = 0; machines != NULL && i < machines->len; i++)
    {
      const TacitMachine *m = g_ptr_array_index (machines, i);

      tacit_library_add_machine (published, m->id, m->name, m->class_name, m->cell);
    }
  rules = tacit_library_dup_rules_sorted (all);
  for (guint i = 0; i < rules->len; i++)
    {
      TacitRule *rule = g_ptr_array_index (rules, i);

      if (rule->status != TACIT_RULE_STATUS_APPROVED && rule->status != TACIT_RULE_STATUS_RETIRED)
        continue;
      if (!tacit_library_add_rule (published, rule, error))
        return NULL;
      n++;
    }
  return n > 0 ? g_steal_pointer (&published) : NULL;
}

static gboolean
library_revision (TacitStore *store,
                  guint      *revision,
                  GError    **error)
{
  g_autoptr(TacitHubStmt) stmt =
    prepare_cached (store, "SELECT coalesce (max (revision), 0) FROM library", error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return _tacit_store_sql_error (store, error, "reading the library revision");
  *revision = (guint) sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/* ---------------------------------------------------------- object */

static void
tacit_hub_finalize (GObject *object)
{
  TacitHub *self = TACIT_HUB (object);

  tacit_hub_stop (self);
  g_clear_pointer (&self->mosq, mosquitto_destroy);
  g_clear_object (&self->store);
  g_clear_pointer (&self->queue, g_ptr_array_unref);
  g_free (self->url);
  g_free (self->host);
  g_free (self->plant);
  g_free (self->client_id);
  g_free (self->subscription);
  g_free (self->library_topic);
  g_free (self->hub_topic);
  g_free (self->presence);
  g_free (self->published_xml);
  g_free (self->status.last_error);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->wake);
  g_cond_clear (&self->room);
  G_OBJECT_CLASS (tacit_hub_parent_class)->finalize (object);
}

static void
tacit_hub_class_init (TacitHubClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tacit_hub_finalize;
}

static void
tacit_hub_init (TacitHub *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->wake);
  g_cond_init (&self->room);
  self->queue = g_ptr_array_new_with_free_func ((GDestroyNotify) arrival_free);
}

static void
set_error (TacitHub   *self,
           const char *message)
{
  g_mutex_lock (&self->lock);
  g_free (self->status.last_error);
  self->status.last_error = g_strdup (message);
  g_mutex_unlock (&self->lock);
}

static void
on_connect (struct mosquitto *mosq,
            void             *data,
            int               rc)
{
  TacitHub *self = data;

  if (rc != 0)
    {
      g_autofree char *message = g_strdup_printf ("%s: %s", self->url, mosquitto_connack_string (rc));

      set_error (self, message);
      return;
    }
  /* Subscribed first, then the retained presence: a kiosk that sees it
   * knows the broker keeps its messages for this hub (the broker handles a
   * connection's packets in order). */
  mosquitto_subscribe (mosq, NULL, self->subscription, 1);
  mosquitto_publish (mosq, NULL, self->hub_topic, (int) strlen (self->presence), self->presence, 1, true);
  g_mutex_lock (&self->lock);
  self->connected = TRUE;
  self->connections++;
  g_cond_signal (&self->wake);
  g_mutex_unlock (&self->lock);
}

static void
on_disconnect (struct mosquitto *mosq,
               void             *data,
               int               rc)
{
  TacitHub *self = data;

  g_mutex_lock (&self->lock);
  self->connected = FALSE;
  g_mutex_unlock (&self->lock);
}

static void
on_message (struct mosquitto                *mosq,
            void                            *data,
            const struct mosquitto_message *message)
{
  TacitHub *self = data;
  Arrival *arrival = g_new0 (Arrival, 1);

  arrival->topic = g_strdup (message->topic);
  arrival->payload = g_strndup (message->payload, MAX (message->payloadlen, 0));
  arrival->len = MAX (message->payloadlen, 0);
  g_mutex_lock (&self->lock);
  while (self->queue->len >= QUEUE_CAPACITY && !self->stopping)
    g_cond_wait (&self->room, &self->lock);
  g_ptr_array_add (self->queue, arrival);
  self->status.received++;
  g_cond_signal (&self->wake);
  g_mutex_unlock (&self->lock);
}

typedef struct {
  guint64 stored, duplicates, conflicts, refused;
} Tally;

static void
tally (Tally      *t,
       const char *outcome)
{
  if (strcmp (outcome, "duplicate") == 0)
    t->duplicates++;
  else if (strcmp (outcome, "conflict") == 0)
    t->conflicts++;
  else if (strcmp (outcome, "refused") == 0)
    t->refused++;
  else
    t->stored++;
}

/* Stores arrivals in order: row messages BATCH to a transaction, a rule
 * message in its own. Returns how many were stored (the rest are retried). */
static guint
store_arrivals (TacitHub  *self,
                GPtrArray *arrivals,
                Tally     *t,
                GError   **error)
{
  guint done = 0;

  while (done < arrivals->len)
    {
      Arrival *first = g_ptr_array_index (arrivals, done);
      Tally batch = { 0 };
      guint i = done;

      if (g_str_has_suffix (first->topic, "/rule"))
        {
          const char *outcome = NULL;

          if (!store_one (self->store, first->topic, first->payload, &outcome, error))
            return done;
          tally (t, outcome);
          done++;
          continue;
        }
      if (!_tacit_store_begin (self->store, error))
        return done;
      for (; i < arrivals->len && i - done < BATCH; i++)
        {
          Arrival *a = g_ptr_array_index (arrivals, i);
          const char *outcome = NULL;

          if (g_str_has_suffix (a->topic, "/rule"))
            break;
          if (!store_one (self->store, a->topic, a->payload, &outcome, error))
            {
              _tacit_store_rollback (self->store);
              return done;
            }
          tally (&batch, outcome);
        }
      if (!_tacit_store_commit (self->store, error))
        {
          _tacit_store_rollback (self->store);
          return done;
        }
      t->stored += batch.stored;
      t->duplicates += batch.duplicates;
      t->conflicts += batch.conflicts;
      t->refused += batch.refused;
      done = i;
    }
  return done;
}

static char *
library_message (TacitLibrary *library,
                 const char   *xml)
{
  GString *out = g_string_new ("{\"schema\":");

  g_string_append_printf (out, "%d,\"type\":\"library\",\"revision\":%u,\"published\":%" G_GINT64_FORMAT ",",
                          TACIT_PLANT_MESSAGE_SCHEMA, tacit_library_get_revision (library),
                          g_get_real_time ());
  tacit_json_append_key (out, "xml", TRUE);
  tacit_json_append_string (out, xml);
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

/* At each (re)connection, and when the library revision changed and the
 * approved part with it. */
static void
maybe_publish_library (TacitHub *self,
                       guint     connections)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TacitLibrary) library = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *payload = NULL;
  guint revision = 0;
  int rc;

  if (!library_revision (self->store, &revision, &error))
    {
      set_error (self, error->message);
      return;
    }
  if (revision == self->checked_revision && connections == self->published_for_connection)
    return;
  library = tacit_hub_dup_published_library (self->store, &error);
  if (library == NULL)
    {
      if (error != NULL)
        set_error (self, error->message);
      else
        self->checked_revision = revision;
      return;
    }
  /* Compared without the revision: a proposal arriving from a kiosk moves
   * the library revision but not what is distributed. */
  tacit_library_set_revision (library, 0);
  xml = tacit_library_to_xml (library, NULL);
  if (connections == self->published_for_connection && g_strcmp0 (xml, self->published_xml) == 0)
    {
      self->checked_revision = revision;
      return;
    }
  tacit_library_set_revision (library, revision);
  g_free (xml);
  xml = tacit_library_to_xml (library, NULL);
  payload = library_message (library, xml);
  rc = mosquitto_publish (self->mosq, NULL, self->library_topic, (int) strlen (payload), payload, 1, true);
  if (rc != MOSQ_ERR_SUCCESS)
    return;   /* tried again at the next poll */
  tacit_library_set_revision (library, 0);
  g_free (self->published_xml);
  self->published_xml = tacit_library_to_xml (library, NULL);
  self->checked_revision = revision;
  self->published_for_connection = connections;
  g_mutex_lock (&self->lock);
  self->status.library_revision = revision;
  self->status.libraries_published++;
  g_mutex_unlock (&self->lock);
}

static gpointer
worker_main (gpointer data)
{
  TacitHub *self = data;
  gint64 next_library_check = 0;

  for (;;)
    {
      g_autoptr(GPtrArray) arrivals = NULL;
      g_autoptr(GError) error = NULL;
      gboolean stopping, connected;
      guint connections, done;
      Tally t = { 0 };

      g_mutex_lock (&self->lock);
      if (self->queue->len == 0 && !self->stopping)
        g_cond_wait_until (&self->wake, &self->lock,
                           g_get_monotonic_time () + 100 * G_TIME_SPAN_MILLISECOND);
      arrivals = g_steal_pointer (&self->queue);
      self->queue = g_ptr_array_new_with_free_func ((GDestroyNotify) arrival_free);
      g_cond_broadcast (&self->room);
      stopping = self->stopping;
      connected = self->connected;
      connections = self->connections;
      g_mutex_unlock (&self->lock);

      done = store_arrivals (self, arrivals, &t, &error);
      if (done < arrivals->len)
        {
          /* Busy or full: keep the rest, in order, and retry. */
          set_error (self, error->message);
          g_mutex_lock (&self->lock);
          g_ptr_array_remove_range (arrivals, 0, done);
          g_ptr_array_extend_and_steal (arrivals, g_steal_pointer (&self->queue));
          self->queue = g_steal_pointer (&arrivals);
          g_mutex_unlock (&self->lock);
          if (!stopping)
            g_usleep (200 * 1000);
        }
      g_mutex_lock (&self->lock);
      self->status.stored += t.stored;
      self->status.duplicates += t.duplicates;
      self->status.conflicts += t.conflicts;
      self->status.refused += t.refused;
      g_mutex_unlock (&self->lock);
      if (stopping)
        break;
      if (connected && (g_get_monotonic_time () >= next_library_check ||
                        connections != self->published_for_connection))
        {
          maybe_publish_library (self, connections);
          next_library_check = g_get_monotonic_time () + LIBRARY_POLL_MS * G_TIME_SPAN_MILLISECOND;
        }
    }
  return NULL;
}

/* ---------------------------------------------------------- public */

static gpointer
init_library (gpointer data)
{
  mosquitto_lib_init ();
  return NULL;
}

TacitHub *
tacit_hub_new (const char                  *db_path,
               const char                  *url,
               const char                  *plant,
               const TacitPlantMqttOptions *options,
               GError                     **error)
{
  static GOnce once = G_ONCE_INIT;
  g_autoptr(TacitHub) self = NULL;

  g_return_val_if_fail (db_path != NULL && url != NULL && plant != NULL, NULL);

  g_once (&once, init_library, NULL);
  if (!tacit_plant_name_is_valid (plant))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s”: a plant name must be 1 to 64 bytes without '/', '+' or '#'", plant);
      return NULL;
    }
  if (!tacit_plant_mqtt_check_url (url, error))
    return NULL;
  self = g_object_new (TACIT_TYPE_HUB, NULL);
  self->url = g_strdup (url);
  self->plant = g_strdup (plant);
  self->subscription = g_strdup_printf ("tacit/%s/kiosk/+/+", plant);
  self->library_topic = tacit_plant_library_topic (plant);
  self->hub_topic = tacit_plant_hub_topic (plant);
  self->client_id = options != NULL && options->client_id != NULL
                      ? g_strdup (options->client_id)
                      : g_strdup_printf ("tacit-hub-%.40s", plant);
  {
    GString *presence = g_string_new (NULL);

    g_string_append_printf (presence, "{\"schema\":%d,\"type\":\"hub\",", TACIT_PLANT_MESSAGE_SCHEMA);
    tacit_json_append_key (presence, "client_id", TRUE);
    tacit_json_append_string (presence, self->client_id);
    g_string_append_c (presence, '}');
    self->presence = g_string_free (presence, FALSE);
  }
  self->store = tacit_store_open (db_path, error);
  if (self->store == NULL)
    return NULL;
  self->mosq = tacit_plant_mqtt_new (self->client_id, self, url, options, on_connect, on_disconnect,
                                     on_message, &self->host, &self->port, error);
  if (self->mosq == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

gboolean
tacit_hub_start (TacitHub *self,
                 GError  **error)
{
  g_autofree char *connect_error = NULL;

  g_return_val_if_fail (TACIT_IS_HUB (self), FALSE);

  if (self->running)
    return TRUE;
  self->stopping = FALSE;
  if (!tacit_plant_mqtt_start (self->mosq, self->url, self->host, self->port, KEEPALIVE_S,
                               &connect_error, error))
    return FALSE;
  if (connect_error != NULL)
    set_error (self, connect_error);
  self->running = TRUE;
  self->worker = g_thread_new ("tacit-hub", worker_main, self);
  return TRUE;
}

void
tacit_hub_stop (TacitHub *self)
{
  g_return_if_fail (TACIT_IS_HUB (self));

  if (!self->running)
    return;
  /* Disconnect first, so nothing arrives that would not be stored. */
  mosquitto_disconnect (self->mosq);
  mosquitto_loop_stop (self->mosq, false);
  g_mutex_lock (&self->lock);
  self->stopping = TRUE;
  g_cond_broadcast (&self->wake);
  g_cond_broadcast (&self->room);
  g_mutex_unlock (&self->lock);
  g_thread_join (g_steal_pointer (&self->worker));
  self->running = FALSE;
  self->connected = FALSE;
}

void
tacit_hub_get_status (TacitHub       *self,
                      TacitHubStatus *status)
{
  g_return_if_fail (TACIT_IS_HUB (self));

  g_mutex_lock (&self->lock);
  *status = self->status;
  status->connected = self->connected;
  status->last_error = g_strdup (self->status.last_error);
  g_mutex_unlock (&self->lock);
}

/* ---------------------------------------------------------- conflicts */

gboolean
tacit_hub_save_rule (TacitStore          *store,
                     TacitRule           *rule,
                     guint                base_revision,
                     const TacitOperator *actor,
                     TacitRule          **current,
                     GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) revisions = NULL;

  g_return_val_if_fail (current != NULL && *current == NULL, FALSE);

  if (tacit_store_save_rule (store, rule, base_revision, actor, &local_error))
    return TRUE;
  if (g_error_matches (local_error, TACIT_STORE_ERROR, TACIT_STORE_ERROR_CONFLICT))
    {
      revisions = tacit_store_list_rule_revisions (store, rule->id, NULL);
      if (revisions != NULL && revisions->len > 0)
        *current = tacit_rule_ref (g_ptr_array_index (revisions, revisions->len - 1));
    }
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}
