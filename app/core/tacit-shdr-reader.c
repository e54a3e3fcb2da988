/* tacit-shdr-reader.c: MTConnect adapter (SHDR) logs and the probe
 * documents that say what their keys are.
 *
 *   2026-11-02T06:00:01.250Z|Xact|12.5|mode|AUTOMATIC
 *   2026-11-02T06:00:02Z|htemp|WARNING|HTEMP|1|HIGH|Oil temperature high
 *   2026-11-02T06:00:03Z|@ASSET@|T1|CuttingTool|--multiline--AAAA
 *   …
 *   --multiline--AAAA
 *
 * A line is a timestamp and key|value pairs; a condition takes five
 * fields (level, native code, native severity, qualifier, message), a
 * MESSAGE event two (native code, text), a TIME_SERIES sample three
 * (count, rate, values). The probe's DataItem category says which key is
 * which; without a probe, or for a key it does not know, a value that is
 * a condition level (NORMAL, WARNING, FAULT, or UNAVAILABLE followed by
 * exactly four more fields) makes a condition, a number a sample and
 * anything else an event.
 *
 * Lines are handed out as they come: adapters log out of time order and
 * replay sorts (the report counts them).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-event-reader-private.h"
#include "tacit-import-profile-private.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libxml/tree.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)

#define SHORT_LEN 40

typedef enum {
  SHAPE_PAIR,          /* key|value */
  SHAPE_CONDITION,     /* key|level|nativeCode|nativeSeverity|qualifier|message */
  SHAPE_MESSAGE,       /* key|nativeCode|text */
  SHAPE_TIME_SERIES,   /* key|count|rate|values */
} Shape;

typedef struct {
  char      *item;      /* name, else id */
  TacitKind  kind;
  Shape      shape;
} DataItem;

typedef struct {
  char       *name;
  GHashTable *items;    /* id and name → DataItem* (owned by items_owned) */
  GPtrArray  *items_owned;
} Device;

struct _TacitMtconnectProbe
{
  char      *name;
  GPtrArray *devices;   /* Device* */
};

/* ---- the probe ------------------------------------------------------- */

static void
data_item_free (gpointer data)
{
  DataItem *di = data;

  g_free (di->item);
  g_free (di);
}

static void
device_free (gpointer data)
{
  Device *dev = data;

  g_free (dev->name);
  g_hash_table_unref (dev->items);
  g_ptr_array_unref (dev->items_owned);
  g_free (dev);
}

void
tacit_mtconnect_probe_free (TacitMtconnectProbe *probe)
{
  if (probe == NULL)
    return;
  g_free (probe->name);
  g_ptr_array_unref (probe->devices);
  g_free (probe);
}

static char *
prop (xmlNode *node, const char *name)
{
  xmlChar *value = xmlGetNoNsProp (node, (const xmlChar *) name);
  char *copy = value != NULL && *value != '\0' ? g_strdup ((const char *) value) : NULL;

  xmlFree (value);
  return copy;
}

static gboolean
is_element (xmlNode *node, const char *name)
{
  return node->type == XML_ELEMENT_NODE && strcmp ((const char *) node->name, name) == 0;
}

static void
add_data_item (Device *dev, xmlNode *node)
{
  g_autofree char *id = prop (node, "id");
  g_autofree char *name = prop (node, "name");
  g_autofree char *category = prop (node, "category");
  g_autofree char *type = prop (node, "type");
  g_autofree char *representation = prop (node, "representation");
  DataItem *di;

  if (id == NULL && name == NULL)
    return;
  di = g_new0 (DataItem, 1);
  di->item = g_strdup (name != NULL ? name : id);
  di->kind = TACIT_KIND_EVENT;
  di->shape = SHAPE_PAIR;
  if (category != NULL && strcmp (category, "SAMPLE") == 0)
    di->kind = TACIT_KIND_SAMPLE;
  else if (category != NULL && strcmp (category, "CONDITION") == 0)
    {
      di->kind = TACIT_KIND_CONDITION;
      di->shape = SHAPE_CONDITION;
    }
  if (di->kind == TACIT_KIND_EVENT && type != NULL && strcmp (type, "MESSAGE") == 0)
    di->shape = SHAPE_MESSAGE;
  if (di->kind == TACIT_KIND_SAMPLE && representation != NULL &&
      strcmp (representation, "TIME_SERIES") == 0)
    di->shape = SHAPE_TIME_SERIES;
  g_ptr_array_add (dev->items_owned, di);
  /* The adapter may use either; the first declaration of a key wins. */
  if (id != NULL && !g_hash_table_contains (dev->items, id))
    g_hash_table_insert (dev->items, g_strdup (id), di);
  if (name != NULL && !g_hash_table_contains (dev->items, name))
    g_hash_table_insert (dev->items, g_strdup (name), di);
}

static void
collect_data_items (Device *dev, xmlNode *node)
{
  for (; node != NULL; node = node->next)
    {
      if (is_element (node, "DataItem"))
        add_data_item (dev, node);
      if (node->type == XML_ELEMENT_NODE)
        collect_data_items (dev, node->children);
    }
}

static void
collect_devices (TacitMtconnectProbe *probe, xmlNode *node)
{
  for (; node != NULL; node = node->next)
    {
      if (is_element (node, "Device") || is_element (node, "Agent"))
        {
          Device *dev = g_new0 (Device, 1);
          g_autofree char *uuid = prop (node, "uuid");

          dev->name = prop (node, "name");
          if (dev->name == NULL)
            dev->name = g_steal_pointer (&uuid);
          dev->items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          dev->items_owned = g_ptr_array_new_with_free_func (data_item_free);
          collect_data_items (dev, node->children);
          if (dev->name != NULL)
            g_ptr_array_add (probe->devices, dev);
          else
            device_free (dev);
          continue;
        }
      if (node->type == XML_ELEMENT_NODE)
        collect_devices (probe, node->children);
    }
}

TacitMtconnectProbe *
tacit_mtconnect_probe_load_file (const char  *path,
                                 GError     **error)
{
  g_autoptr(TacitMtconnectProbe) probe = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *name = NULL;
  g_autoptr(xmlDoc) doc = NULL;
  xmlNode *root;
  gsize len = 0;
  GStatBuf st;

  g_return_val_if_fail (path != NULL, NULL);

  name = g_filename_display_name (path);
  if (g_stat (path, &st) == 0 && st.st_size > TACIT_MTCONNECT_PROBE_MAX_BYTES)
    {
      g_propagate_error (error, _tacit_import_error (name, 1, TACIT_INPUT_ERROR_TOO_LARGE,
                                                     "the document is larger than %d MiB",
                                                     TACIT_MTCONNECT_PROBE_MAX_BYTES / (1024 * 1024)));
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, &len, error))
    return NULL;
  doc = _tacit_import_xml_parse (contents, len, TACIT_MTCONNECT_PROBE_MAX_BYTES, name, error);
  if (doc == NULL)
    return NULL;
  root = xmlDocGetRootElement (doc);
  if (root == NULL || strcmp ((const char *) root->name, "MTConnectDevices") != 0)
    {
      g_propagate_error (error, _tacit_import_error (name, root != NULL ? xmlGetLineNo (root) : 1,
                                                     TACIT_INPUT_ERROR_INVALID,
                                                     "not an MTConnectDevices document (a probe): the root is <%s>",
                                                     root != NULL ? (const char *) root->name : ""));
      return NULL;
    }
  probe = g_new0 (TacitMtconnectProbe, 1);
  probe->name = g_steal_pointer (&name);
  probe->devices = g_ptr_array_new_with_free_func (device_free);
  collect_devices (probe, root->children);
  return g_steal_pointer (&probe);
}

static Device *
find_device (GPtrArray *devices, const char *name)
{
  for (guint i = 0; devices != NULL && i < devices->len; i++)
    {
      Device *dev = g_ptr_array_index (devices, i);
      if (strcmp (dev->name, name) == 0)
        return dev;
    }
  return NULL;
}

gboolean
tacit_mtconnect_probe_has_device (TacitMtconnectProbe *probe,
                                  const char          *device)
{
  g_return_val_if_fail (probe != NULL && device != NULL, FALSE);
  return find_device (probe->devices, device) != NULL;
}

/* ---- the log --------------------------------------------------------- */

typedef struct {
  char                *name;        /* of the log */
  char                *device;
  GPtrArray           *devices;     /* the probe's Device*, shared; or NULL */
  Device              *probe_dev;
  LineReader           lr;
  TacitImportReport    report;
  char               **fields;      /* of the current line */
  GArray              *pending;     /* TacitEvent of the current line */
  guint                next;
  char                *asset_end;   /* inside a multi-line asset: its terminator */
  guint64              asset_line;
} ShdrSource;

static void
shdr_source_free (gpointer data)
{
  ShdrSource *src = data;

  g_free (src->name);
  g_free (src->device);
  _tacit_line_reader_clear (&src->lr);
  _tacit_import_report_clear (&src->report);
  g_strfreev (src->fields);
  g_array_unref (src->pending);
  g_clear_pointer (&src->devices, g_ptr_array_unref);
  g_free (src->asset_end);
  g_free (src);
}

static const char *
shorten (const char *s, char *buf)
{
  gsize n = strlen (s);

  if (n <= SHORT_LEN)
    return s;
  n = SHORT_LEN;
  while (n > 0 && ((guchar) s[n] & 0xC0) == 0x80)
    n--;
  memcpy (buf, s, n);
  memcpy (buf + n, "…", sizeof "…");
  return buf;
}

static gboolean
is_condition_level (const char *value)
{
  return g_ascii_strcasecmp (value, "NORMAL") == 0 || g_ascii_strcasecmp (value, "WARNING") == 0 ||
         g_ascii_strcasecmp (value, "FAULT") == 0;
}

/* What the key is: from the probe, else from the line's shape. */
static void
classify (ShdrSource *src, Device *dev, const char *key, char **f, guint n, guint i,
          const char **item, TacitKind *kind, Shape *shape)
{
  const DataItem *di = dev != NULL ? g_hash_table_lookup (dev->items, key) : NULL;
  double number;

  if (di != NULL)
    {
      *item = di->item;
      *kind = di->kind;
      *shape = di->shape;
      return;
    }
  *item = key;
  if (i + 1 < n && (is_condition_level (f[i + 1]) ||
                    (g_ascii_strcasecmp (f[i + 1], "UNAVAILABLE") == 0 && n - i == 6)))
    {
      *kind = TACIT_KIND_CONDITION;
      *shape = SHAPE_CONDITION;
      return;
    }
  *shape = SHAPE_PAIR;
  *kind = i + 1 < n && tacit_value_parse_number (f[i + 1], &number) ? TACIT_KIND_SAMPLE
                                                                      : TACIT_KIND_EVENT;
}

static const char *
field_or_null (char **f, guint n, guint i)
{
  return i < n && f[i][0] != '\0' ? f[i] : NULL;
}

/* Skips a line that is not data; TRUE when it was one of those. */
static gboolean
skip_non_data (ShdrSource *src, char **f, guint n)
{
  const char *key = n > 1 ? f[1] : "";

  if (key[0] != '@')
    return FALSE;
  if (strcmp (key, "@ASSET@") == 0 || strcmp (key, "@UPDATE_ASSET@") == 0)
    {
      if (n > 4 && g_str_has_prefix (f[n - 1], "--multiline--"))
        {
          src->asset_end = g_strdup (f[n - 1]);
          src->asset_line = src->lr.number;
        }
      _tacit_import_report_skip (&src->report, src->lr.number, "asset (@ASSET@)");
    }
  else
    _tacit_import_report_skip (&src->report, src->lr.number, "asset command");
  return TRUE;
}

/* Splits one line into the pending events. FALSE with error set on bad
 * input; an empty pending list means the line had none. */
static gboolean
parse_line (ShdrSource *src, GError **error)
{
  guint64 line = src->lr.number;
  char buf[SHORT_LEN + 4];
  const char *problem = NULL;
  TacitTime time;
  char *at;
  char **f;
  guint n;

  g_strfreev (src->fields);
  src->fields = f = g_strsplit (src->lr.line, "|", -1);
  n = g_strv_length (f);
  for (guint i = 0; i < n; i++)
    g_strstrip (f[i]);
  if (skip_non_data (src, f, n))
    return TRUE;
  /* "@duration" after a timestamp is the sample's duration. */
  if ((at = strchr (f[0], '@')) != NULL)
    *at = '\0';
  if (f[0][0] == '\0')
    {
      _tacit_import_report_skip (&src->report, line, "no timestamp");
      return TRUE;
    }
  /* Some adapters write a space for the T. */
  if (strlen (f[0]) > 10 && f[0][10] == ' ')
    f[0][10] = 'T';
  if (!tacit_time_parse (f[0], strlen (f[0]), TRUE, &time, &problem))
    {
      g_propagate_error (error, _tacit_import_error (src->name, line, TACIT_INPUT_ERROR_INVALID,
                                                     "timestamp \"%s\": %s", shorten (f[0], buf), problem));
      return FALSE;
    }
  if (n < 3)
    {
      g_propagate_error (error, _tacit_import_error (src->name, line, TACIT_INPUT_ERROR_SYNTAX,
                                                     "expected timestamp|key|value, found %u field%s",
                                                     n, n == 1 ? "" : "s"));
      return FALSE;
    }
  for (guint i = 1; i < n;)
    {
      TacitEvent ev = { 0 };
      Device *dev = src->probe_dev;
      char *key = f[i], *colon;
      Shape shape;

      ev.time = time;
      ev.machine = src->device;
      /* "device:key" from an adapter that serves several devices. */
      if ((colon = strchr (key, ':')) != NULL && colon != key && colon[1] != '\0')
        {
          *colon = '\0';
          ev.machine = key;
          key = colon + 1;
          dev = find_device (src->devices, ev.machine);
        }
      if (*key == '\0')
        {
          g_propagate_error (error, _tacit_import_error (src->name, line, TACIT_INPUT_ERROR_SYNTAX,
                                                         "field %u: the key is empty", i + 1));
          return FALSE;
        }
      if (i + 1 >= n)
        {
          g_propagate_error (error, _tacit_import_error (src->name, line, TACIT_INPUT_ERROR_SYNTAX,
                                                         "key \"%s\" has no value (after a MESSAGE or "
                                                         "TIME_SERIES item? give --probe)",
                                                         shorten (key, buf)));
          return FALSE;
        }
      classify (src, dev, key, f, n, i, &ev.item, &ev.kind, &shape);
      switch (shape)
        {
        case SHAPE_CONDITION:
          ev.value = tacit_condition_value_canonical (f[i + 1]);
          if (ev.value == NULL)
            {
              g_propagate_error (error, _tacit_import_error (src->name, line, TACIT_INPUT_ERROR_INVALID,
                                                             "condition \"%s\": \"%s\" is not NORMAL, WARNING, FAULT or UNAVAILABLE",
                                                             shorten (key, buf), f[i + 1]));
              return FALSE;
            }
          ev.code = field_or_null (f, n, i + 2);
          ev.text = field_or_null (f, n, i + 5);
          i += 6;
          break;
        case SHAPE_MESSAGE:
          ev.code = field_or_null (f, n, i + 1);
          ev.value = i + 2 < n ? f[i + 2] : "";
          i += 3;
          break;
        case SHAPE_TIME_SERIES:
          ev.value = i + 3 < n ? f[i + 3] : "";
          i += 4;
          break;
        case SHAPE_PAIR:
        default:
          ev.value = f[i + 1];
          i += 2;
          break;
        }
      if (ev.value[0] == '\0')
        {
          _tacit_import_report_skip (&src->report, line, "empty value");
          continue;
        }
      g_array_append_val (src->pending, ev);
    }
  return TRUE;
}

static gboolean
shdr_next (gpointer          data,
           TacitEventReader *reader,
           GInputStream     *stream,
           TacitEvent       *event,
           guint64          *line,
           GError          **error)
{
  ShdrSource *src = data;

  while (src->next >= src->pending->len)
    {
      GError *local_error = NULL;

      g_array_set_size (src->pending, 0);
      src->next = 0;
      if (!_tacit_line_reader_next (&src->lr, stream, src->name, &local_error))
        {
          if (local_error == NULL && src->asset_end != NULL)
            local_error = _tacit_import_error (src->name, src->asset_line, TACIT_INPUT_ERROR_SYNTAX,
                                               "the asset started here never ends (no line %s)",
                                               src->asset_end);
          if (local_error != NULL)
            g_propagate_error (error, local_error);
          return FALSE;
        }
      if (src->asset_end != NULL)
        {
          if (strcmp (g_strstrip (src->lr.line), src->asset_end) == 0)
            g_clear_pointer (&src->asset_end, g_free);
          continue;
        }
      if (src->lr.line[strspn (src->lr.line, " \t")] == '\0')
        continue;
      src->report.rows++;
      /* "* shdrVersion: 2", "* PONG 10000": the adapter's protocol. */
      if (src->lr.line[0] == '*')
        {
          _tacit_import_report_skip (&src->report, src->lr.number, "adapter command (* …)");
          continue;
        }
      if (!parse_line (src, error))
        return FALSE;
    }
  *event = g_array_index (src->pending, TacitEvent, src->next++);
  *line = src->lr.number;
  _tacit_import_report_event (&src->report, event);
  return TRUE;
}

static const TacitEventSourceFuncs shdr_funcs = {
  shdr_next,
  shdr_source_free,
};

TacitEventReader *
tacit_event_reader_new_shdr (const char          *path,
                             const char          *device,
                             TacitMtconnectProbe *probe,
                             GError             **error)
{
  ShdrSource *src;
  Device *dev = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (device != NULL && *device != '\0', NULL);

  if (probe != NULL && (dev = find_device (probe->devices, device)) == NULL)
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; i < probe->devices->len; i++)
        g_string_append_printf (names, "%s%s", i > 0 ? ", " : "",
                                ((Device *) g_ptr_array_index (probe->devices, i))->name);
      g_set_error (error, TACIT_INPUT_ERROR, TACIT_INPUT_ERROR_INVALID,
                   "%s: no device named \"%s\" (it has %s)", probe->name, device,
                   names->len > 0 ? names->str : "none");
      return NULL;
    }
  src = g_new0 (ShdrSource, 1);
  src->name = strcmp (path, "-") == 0 ? g_strdup ("<stdin>") : g_filename_display_name (path);
  src->device = g_strdup (device);
  src->devices = probe != NULL ? g_ptr_array_ref (probe->devices) : NULL;
  src->probe_dev = dev;
  _tacit_line_reader_init (&src->lr, NULL);
  _tacit_import_report_init (&src->report);
  src->pending = g_array_new (FALSE, TRUE, sizeof (TacitEvent));
  return _tacit_event_reader_new_for_source (path, &shdr_funcs, src, error);
}

TacitImportReport *
_tacit_shdr_source_report (TacitEventReader *reader)
{
  ShdrSource *src = _tacit_event_reader_get_source (reader, &shdr_funcs);

  return src != NULL ? &src->report : NULL;
}
