/* tacit-import-profile.c: import profiles (loading and checking), the
 * hardened XML parse they share with probe documents, local time in a
 * zone, the import report and the line reader of the profile and SHDR
 * readers.
 *
 * A profile is read like a rule library: bytes checked, a DOCTYPE refused
 * before libxml2 sees it, parsed without network, DTD or entity
 * substitution with depth bounded, validated against the RELAX NG schema
 * in the GResource, then walked for what a grammar cannot say.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-import-profile-private.h"
#include "tacit-xml-guard.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlParserCtxt, xmlFreeParserCtxt)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlRelaxNGValidCtxt, xmlRelaxNGFreeValidCtxt)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlRelaxNGParserCtxt, xmlRelaxNGFreeParserCtxt)

#define SCHEMA_RESOURCE "/dev/tacit/Tacit/core/tacit-import-profile-1.rng"
#define SCHEMA_NAME     "tacit-import-profile-1.rng"
#define MAX_LINE        (16 * 1024 * 1024)
#define PARSE_OPTIONS   (XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES)

G_DEFINE_FINAL_TYPE (TacitImportProfile, tacit_import_profile, G_TYPE_OBJECT)

/* ---- errors ---------------------------------------------------------- */

GError *
_tacit_import_error (const char      *display_name,
                     guint64          line,
                     TacitInputError  code,
                     const char      *format,
                     ...)
{
  g_autofree char *problem = NULL;
  va_list args;

  va_start (args, format);
  problem = g_strdup_vprintf (format, args);
  va_end (args);
  return g_error_new (TACIT_INPUT_ERROR, code, "%s:%" G_GUINT64_FORMAT ": %s",
                      display_name, MAX (line, 1), problem);
}

/* ---- hardened XML ---------------------------------------------------- */

typedef struct {
  TacitXmlDepthGuard guard;   /* first: the depth guard reads it at _private */
  int    error_line;
  char  *error_message;
} ParseState;

static void
silent_generic_error (void *ctx, const char *msg, ...)
{
}

static void
silent_structured_error (void *user_data, xmlErrorPtr error)
{
}

static void
record_error (ParseState *st, xmlErrorPtr error, int fallback_line)
{
  if (error == NULL || error->level < XML_ERR_ERROR || st->error_message != NULL)
    return;
  st->error_line = error->line > 0 ? error->line : fallback_line;
  st->error_message = g_strstrip (g_strdup (error->message != NULL ? error->message
                                                                   : "unknown error"));
}

static void
parser_error (void *user_data, xmlErrorPtr error)
{
  xmlParserCtxtPtr ctxt = user_data;

  record_error (ctxt->_private, error, 1);
}

/* A DOCTYPE can only come before the root element. */
static gboolean
check_prolog (const char *data, gsize len, const char *name, GError **error)
{
  gsize doctype = _tacit_xml_find_doctype (data, len);

  if (doctype == TACIT_XML_NO_DOCTYPE)
    return TRUE;
  g_propagate_error (error, _tacit_import_error (name, _tacit_text_line_at (data, doctype),
                                                 TACIT_INPUT_ERROR_FORBIDDEN,
                                                 "documents with a DOCTYPE are refused"));
  return FALSE;
}

static gboolean
check_bytes (const char *data, gsize len, gsize max_bytes, const char *name, GError **error)
{
  const char *nul = memchr (data, '\0', len);
  const char *end = NULL;

  if (len > max_bytes)
    {
      g_propagate_error (error, _tacit_import_error (name, 1, TACIT_INPUT_ERROR_TOO_LARGE,
                                                     "the document is larger than %" G_GSIZE_FORMAT " MiB",
                                                     max_bytes / (1024 * 1024)));
      return FALSE;
    }
  if (len == 0)
    {
      g_propagate_error (error, _tacit_import_error (name, 1, TACIT_INPUT_ERROR_SYNTAX,
                                                     "the document is empty"));
      return FALSE;
    }
  if (!g_utf8_validate_len (data, nul != NULL ? (gsize) (nul - data) : len, &end))
    {
      g_propagate_error (error, _tacit_import_error (name, _tacit_text_line_at (data, end - data),
                                                     TACIT_INPUT_ERROR_ENCODING, "invalid UTF-8"));
      return FALSE;
    }
  if (nul != NULL)
    {
      g_propagate_error (error, _tacit_import_error (name, _tacit_text_line_at (data, nul - data),
                                                     TACIT_INPUT_ERROR_ENCODING, "NUL byte"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_tree (xmlNode *node, const char *name, GError **error)
{
  for (; node != NULL; node = node->next)
    {
      if (node->type == XML_ENTITY_REF_NODE || node->type == XML_ENTITY_NODE ||
          node->type == XML_ENTITY_DECL)
        {
          g_propagate_error (error, _tacit_import_error (name, xmlGetLineNo (node),
                                                         TACIT_INPUT_ERROR_FORBIDDEN,
                                                         "entity references are refused"));
          return FALSE;
        }
      if (node->type == XML_ELEMENT_NODE && !check_tree (node->children, name, error))
        return FALSE;
    }
  return TRUE;
}

static void
ensure_libxml (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      xmlInitParser ();
      g_once_init_leave (&initialized, 1);
    }
}

xmlDoc *
_tacit_import_xml_parse (const char  *data,
                         gsize        len,
                         gsize        max_bytes,
                         const char  *name,
                         GError     **error)
{
  g_autoptr(xmlParserCtxt) ctxt = NULL;
  g_autoptr(xmlDoc) doc = NULL;
  ParseState st = { 0 };
  xmlGenericErrorFunc old_generic = xmlGenericError;
  void *old_generic_ctx = xmlGenericErrorContext;
  xmlStructuredErrorFunc old_structured = xmlStructuredError;
  void *old_structured_ctx = xmlStructuredErrorContext;

  if (!check_bytes (data, len, max_bytes, name, error) ||
      !check_prolog (data, len, name, error))
    return NULL;
  if (len > G_MAXINT)
    return NULL;

  ensure_libxml ();
  ctxt = xmlNewParserCtxt ();
  if (ctxt == NULL)
    {
      g_propagate_error (error, _tacit_import_error (name, 1, TACIT_INPUT_ERROR_TOO_LARGE,
                                                     "out of memory"));
      return NULL;
    }
  ctxt->_private = &st;
  ctxt->sax->serror = parser_error;
  ctxt->sax->error = NULL;
  ctxt->sax->warning = NULL;
  _tacit_xml_guard_depth (ctxt);
  ctxt->sax->resolveEntity = NULL;
  ctxt->sax->externalSubset = NULL;

  xmlSetGenericErrorFunc (NULL, silent_generic_error);
  xmlSetStructuredErrorFunc (NULL, silent_structured_error);
  doc = xmlCtxtReadMemory (ctxt, data, (int) len, name, "UTF-8", PARSE_OPTIONS);
  xmlSetGenericErrorFunc (old_generic_ctx, old_generic);
  xmlSetStructuredErrorFunc (old_structured_ctx, old_structured);

  if (st.guard.deep_line != 0)
    g_propagate_error (error, _tacit_import_error (name, st.guard.deep_line, TACIT_INPUT_ERROR_TOO_LARGE,
                                                   "elements are nested more than %d deep", TACIT_XML_MAX_DEPTH));
  else if (st.error_message != NULL || doc == NULL)
    g_propagate_error (error, _tacit_import_error (name, st.error_line, TACIT_INPUT_ERROR_SYNTAX,
                                                   "not well-formed XML: %s",
                                                   st.error_message != NULL ? st.error_message
                                                                            : "unknown error"));
  else if (doc->intSubset != NULL || doc->extSubset != NULL)
    g_propagate_error (error, _tacit_import_error (name, 1, TACIT_INPUT_ERROR_FORBIDDEN,
                                                   "documents with a DOCTYPE are refused"));
  else if (check_tree (doc->children, name, error))
    {
      g_free (st.error_message);
      return g_steal_pointer (&doc);
    }
  g_free (st.error_message);
  return NULL;
}

/* ---- the schema ------------------------------------------------------ */

static GMutex schema_lock;
static xmlRelaxNGPtr schema;

static void
schema_error (void *user_data, xmlErrorPtr error)
{
  record_error (user_data, error,
                error != NULL && error->node != NULL ? (int) xmlGetLineNo (error->node) : 1);
}

static gboolean
validate_schema (xmlDoc *doc, const char *name, GError **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&schema_lock);
  g_autoptr(xmlRelaxNGValidCtxt) vctxt = NULL;
  ParseState st = { 0 };
  int ret;

  if (schema == NULL)
    {
      g_autoptr(GBytes) bytes = g_resources_lookup_data (SCHEMA_RESOURCE, 0, NULL);
      g_autoptr(xmlRelaxNGParserCtxt) pctxt = NULL;
      gsize size = 0;
      const char *data;

      if (bytes == NULL)
        g_error ("The import profile schema %s is not in the resources", SCHEMA_RESOURCE);
      data = g_bytes_get_data (bytes, &size);
      pctxt = xmlRelaxNGNewMemParserCtxt (data, (int) size);
      xmlRelaxNGSetParserStructuredErrors (pctxt, silent_structured_error, NULL);
      schema = xmlRelaxNGParse (pctxt);
      if (schema == NULL)
        g_error ("The import profile schema %s does not compile", SCHEMA_RESOURCE);
    }
  vctxt = xmlRelaxNGNewValidCtxt (schema);
  xmlRelaxNGSetValidStructuredErrors (vctxt, schema_error, &st);
  ret = xmlRelaxNGValidateDoc (vctxt, doc);
  if (ret != 0)
    g_propagate_error (error, _tacit_import_error (name, st.error_line, TACIT_INPUT_ERROR_INVALID,
                                                   "does not match the schema " SCHEMA_NAME ": %s",
                                                   st.error_message != NULL ? st.error_message
                                                                            : "invalid"));
  g_free (st.error_message);
  return ret == 0;
}

/* ---- the walk -------------------------------------------------------- */

static char *
attr (xmlNode *node, const char *name)
{
  xmlChar *value = xmlGetNoNsProp (node, (const xmlChar *) name);
  char *copy = value != NULL ? g_strdup ((const char *) value) : NULL;

  xmlFree (value);
  return copy;
}

static gboolean
attr_bool (xmlNode *node, const char *name, gboolean fallback)
{
  g_autofree char *value = attr (node, name);

  if (value == NULL)
    return fallback;
  g_strstrip (value);
  return strcmp (value, "true") == 0 || strcmp (value, "1") == 0;
}

static gboolean
load_column_ref (xmlNode *node, ColumnRef *ref)
{
  g_autofree char *index = attr (node, "index");

  ref->set = TRUE;
  ref->column = attr (node, "column");
  ref->constant = attr (node, "value");
  if (index != NULL)
    ref->index = (guint) MIN (g_ascii_strtoull (g_strstrip (index), NULL, 10), 100000);
  return TRUE;
}

static void
column_ref_clear (ColumnRef *ref)
{
  g_clear_pointer (&ref->column, g_free);
  g_clear_pointer (&ref->constant, g_free);
}

static void
wide_column_free (gpointer data)
{
  WideColumn *wc = data;

  column_ref_clear (&wc->ref);
  g_free (wc->item);
  g_free (wc);
}

static gboolean
fail_at (xmlNode *node, const char *name, GError **error, const char *format, ...) G_GNUC_PRINTF (4, 5);

static gboolean
fail_at (xmlNode *node, const char *name, GError **error, const char *format, ...)
{
  g_autofree char *problem = NULL;
  va_list args;

  va_start (args, format);
  problem = g_strdup_vprintf (format, args);
  va_end (args);
  g_propagate_error (error, _tacit_import_error (name, xmlGetLineNo (node),
                                                 TACIT_INPUT_ERROR_INVALID, "%s", problem));
  return FALSE;
}

static gboolean
load_table (TacitImportProfile *self, xmlNode *node, GError **error)
{
  g_autofree char *delimiter = attr (node, "delimiter");
  g_autofree char *quote = attr (node, "quote");
  g_autofree char *skip = attr (node, "skip-rows");
  g_autofree char *encoding = attr (node, "encoding");

  if (delimiter != NULL)
    {
      if (strcmp (delimiter, "tab") == 0 || strcmp (delimiter, "\\t") == 0)
        self->delimiter = '\t';
      else if (strlen (delimiter) == 1 && delimiter[0] != '\n' && delimiter[0] != '\r' &&
               (guchar) delimiter[0] < 0x80)
        self->delimiter = delimiter[0];
      else
        return fail_at (node, self->display_name, error,
                        "<table> delimiter=\"%s\" is not one ASCII character or \"tab\"", delimiter);
    }
  if (quote != NULL)
    {
      if (quote[0] != '\0' && ((guchar) quote[0] >= 0x80 || quote[0] == self->delimiter))
        return fail_at (node, self->display_name, error,
                        "<table> quote=\"%s\" is not one ASCII character other than the delimiter",
                        quote);
      self->quote = quote[0];
    }
  if (skip != NULL)
    self->skip_rows = (guint) MIN (g_ascii_strtoull (g_strstrip (skip), NULL, 10), 1000000);
  self->header = attr_bool (node, "header", TRUE);
  self->decimal_comma = attr_bool (node, "decimal-comma", FALSE);
  if (self->decimal_comma && self->delimiter == ',')
    return fail_at (node, self->display_name, error,
                    "<table> decimal-comma=\"true\" needs a delimiter other than \",\"");
  if (encoding != NULL && g_ascii_strcasecmp (encoding, "UTF-8") != 0)
    self->encoding = g_steal_pointer (&encoding);
  return TRUE;
}

static const struct {
  const char *name;
  TimeFormat  format;
} time_formats[] = {
  { "iso8601", TIME_ISO8601 },
  { "DD/MM/YYYY HH:MM:SS", TIME_DMY },
  { "MM/DD/YYYY HH:MM:SS", TIME_MDY },
  { "unix-seconds", TIME_UNIX_S },
  { "unix-milliseconds", TIME_UNIX_MS },
  { "excel-days", TIME_EXCEL },
};

static gboolean
load_time (TacitImportProfile *self, xmlNode *node, GError **error)
{
  g_autofree char *format = attr (node, "format");
  g_autofree char *zone = attr (node, "zone");
  g_autofree char *repeated = attr (node, "repeated");

  load_column_ref (node, &self->fields[PF_TIME]);
  {
    g_autofree char *clock_index = attr (node, "clock-index");
    self->clock.column = attr (node, "clock-column");
    if (clock_index != NULL)
      self->clock.index = (guint) MIN (g_ascii_strtoull (g_strstrip (clock_index), NULL, 10), 100000);
    self->clock.set = self->clock.column != NULL || self->clock.index > 0;
  }
  for (guint i = 0; i < G_N_ELEMENTS (time_formats); i++)
    if (format != NULL && strcmp (format, time_formats[i].name) == 0)
      self->time_format = time_formats[i].format;
  if (zone != NULL && strcmp (zone, "UTC") != 0)
    {
      self->zone = g_time_zone_new_identifier (zone);
      if (self->zone == NULL)
        return fail_at (node, self->display_name, error,
                        "<time> zone=\"%s\" is not a known time zone (an IANA name such as Europe/Madrid)",
                        zone);
      self->zone_name = g_steal_pointer (&zone);
    }
  if (repeated != NULL && strcmp (repeated, "second") == 0)
    self->repeated = REPEATED_SECOND;
  else if (repeated != NULL && strcmp (repeated, "error") == 0)
    self->repeated = REPEATED_ERROR;
  return TRUE;
}

static gboolean
load_value (TacitImportProfile *self, xmlNode *node, GError **error)
{
  g_autofree char *unmapped = attr (node, "unmapped");

  load_column_ref (node, &self->fields[PF_VALUE]);
  if (unmapped != NULL && strcmp (unmapped, "skip") == 0)
    self->unmapped = UNMAPPED_SKIP;
  else if (unmapped != NULL && strcmp (unmapped, "error") == 0)
    self->unmapped = UNMAPPED_ERROR;
  for (xmlNode *map = node->children; map != NULL; map = map->next)
    {
      char *from, *to;

      if (map->type != XML_ELEMENT_NODE)
        continue;
      from = attr (map, "from");
      to = attr (map, "to");
      if (g_hash_table_contains (self->value_map, from))
        {
          fail_at (map, self->display_name, error, "<map from=\"%s\"> appears twice", from);
          g_free (from);
          g_free (to);
          return FALSE;
        }
      g_hash_table_insert (self->value_map, from, to);
      if (self->fields[PF_KIND].constant != NULL && self->kind == TACIT_KIND_CONDITION &&
          tacit_condition_value_canonical (to) == NULL)
        return fail_at (map, self->display_name, error,
                        "<map to=\"%s\">: a condition is normal, warning, fault or unavailable", to);
    }
  return TRUE;
}

static gboolean
load_wide (TacitImportProfile *self, xmlNode *node, GError **error)
{
  g_autofree char *kind = attr (node, "kind");

  self->wide = TRUE;
  tacit_kind_from_string (kind, &self->wide_kind);
  for (xmlNode *child = node->children; child != NULL; child = child->next)
    {
      WideColumn *wc;

      if (child->type != XML_ELEMENT_NODE)
        continue;
      wc = g_new0 (WideColumn, 1);
      load_column_ref (child, &wc->ref);
      wc->item = attr (child, "item");
      {
        g_autofree char *kind_name = attr (child, "kind");
        wc->kind = self->wide_kind;
        if (kind_name != NULL)
          tacit_kind_from_string (kind_name, &wc->kind);
      }
      g_ptr_array_add (self->wide_columns, wc);
      if (wc->item == NULL && wc->ref.column == NULL && !self->header)
        return fail_at (child, self->display_name, error,
                        "<column index=\"%u\"> needs item= when the table has no header",
                        wc->ref.index);
    }
  if (self->wide_columns->len == 0 && !self->header)
    return fail_at (node, self->display_name, error,
                    "<wide> without <column> elements takes the items from the header, "
                    "but the table has none");
  return TRUE;
}

/* Names used where a header is needed. */
static gboolean
check_header_use (TacitImportProfile *self, xmlNode *root, GError **error)
{
  static const char *elements[PF_N] = { "time", "machine", "kind", "item", "value", "code", "text" };

  if (self->header)
    return TRUE;
  for (guint i = 0; i < PF_N; i++)
    if (self->fields[i].column != NULL)
      return fail_at (root, self->display_name, error,
                      "<%s column=\"%s\"> needs a header row: use index= or <table header=\"true\">",
                      elements[i], self->fields[i].column);
  if (self->clock.column != NULL)
    return fail_at (root, self->display_name, error,
                    "<time clock-column=\"%s\"> needs a header row: use clock-index= or <table header=\"true\">",
                    self->clock.column);
  for (guint i = 0; i < self->wide_columns->len; i++)
    {
      WideColumn *wc = g_ptr_array_index (self->wide_columns, i);
      if (wc->ref.column != NULL)
        return fail_at (root, self->display_name, error,
                        "<column column=\"%s\"> needs a header row: use index= or <table header=\"true\">",
                        wc->ref.column);
    }
  return TRUE;
}

static gboolean
load_profile (TacitImportProfile *self, xmlNode *root, GError **error)
{
  static const char *simple[] = { "machine", "kind", "item", "code", "text" };
  static const ProfileField simple_fields[] = { PF_MACHINE, PF_KIND, PF_ITEM, PF_CODE, PF_TEXT };

  self->name = attr (root, "name");
  for (xmlNode *node = root->children; node != NULL; node = node->next)
    {
      const char *name = (const char *) node->name;

      if (node->type != XML_ELEMENT_NODE)
        continue;
      if (strcmp (name, "table") == 0 && !load_table (self, node, error))
        return FALSE;
      if (strcmp (name, "time") == 0 && !load_time (self, node, error))
        return FALSE;
      if (strcmp (name, "value") == 0 && !load_value (self, node, error))
        return FALSE;
      if (strcmp (name, "wide") == 0 && !load_wide (self, node, error))
        return FALSE;
      for (guint i = 0; i < G_N_ELEMENTS (simple); i++)
        if (strcmp (name, simple[i]) == 0)
          load_column_ref (node, &self->fields[simple_fields[i]]);
      if (strcmp (name, "kind") == 0 && self->fields[PF_KIND].constant != NULL)
        tacit_kind_from_string (self->fields[PF_KIND].constant, &self->kind);
    }
  return check_header_use (self, root, error);
}

static TacitImportProfile *
profile_new (const char *display_name)
{
  TacitImportProfile *self = g_object_new (TACIT_TYPE_IMPORT_PROFILE, NULL);

  self->display_name = g_strdup (display_name);
  return self;
}

TacitImportProfile *
tacit_import_profile_load_data (const char  *data,
                                gsize        len,
                                const char  *display_name,
                                GError     **error)
{
  g_autoptr(TacitImportProfile) self = NULL;
  g_autoptr(xmlDoc) doc = NULL;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (display_name == NULL)
    display_name = "profile.xml";
  doc = _tacit_import_xml_parse (data != NULL ? data : "", len,
                                 TACIT_IMPORT_PROFILE_MAX_BYTES, display_name, error);
  if (doc == NULL || !validate_schema (doc, display_name, error))
    return NULL;
  self = profile_new (display_name);
  if (!load_profile (self, xmlDocGetRootElement (doc), error))
    return NULL;
  return g_steal_pointer (&self);
}

TacitImportProfile *
tacit_import_profile_load_file (const char  *path,
                                GError     **error)
{
  g_autofree char *display_name = NULL;
  g_autofree char *contents = NULL;
  gsize len = 0;
  GStatBuf st;

  g_return_val_if_fail (path != NULL, NULL);

  display_name = g_filename_display_name (path);
  if (g_stat (path, &st) == 0 && st.st_size > TACIT_IMPORT_PROFILE_MAX_BYTES)
    {
      g_propagate_error (error, _tacit_import_error (display_name, 1, TACIT_INPUT_ERROR_TOO_LARGE,
                                                     "the document is larger than %d MiB",
                                                     TACIT_IMPORT_PROFILE_MAX_BYTES / (1024 * 1024)));
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, &len, error))
    return NULL;
  return tacit_import_profile_load_data (contents, len, display_name, error);
}

const char *
tacit_import_profile_get_name (TacitImportProfile *self)
{
  g_return_val_if_fail (TACIT_IS_IMPORT_PROFILE (self), NULL);
  return self->name;
}

static void
tacit_import_profile_finalize (GObject *object)
{
  TacitImportProfile *self = TACIT_IMPORT_PROFILE (object);

  g_free (self->name);
  g_free (self->display_name);
  g_free (self->encoding);
  for (guint i = 0; i < PF_N; i++)
    column_ref_clear (&self->fields[i]);
  column_ref_clear (&self->clock);
  g_clear_pointer (&self->zone, g_time_zone_unref);
  g_free (self->zone_name);
  g_clear_pointer (&self->value_map, g_hash_table_unref);
  g_clear_pointer (&self->wide_columns, g_ptr_array_unref);
  G_OBJECT_CLASS (tacit_import_profile_parent_class)->finalize (object);
}

static void
tacit_import_profile_class_init (TacitImportProfileClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tacit_import_profile_finalize;
}

static void
tacit_import_profile_init (TacitImportProfile *self)
{
  self->delimiter = ',';
  self->quote = '"';
  self->header = TRUE;
  self->time_format = TIME_ISO8601;
  self->repeated = REPEATED_FIRST;
  self->value_map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->wide_columns = g_ptr_array_new_with_free_func (wide_column_free);
}

/* ---- time ------------------------------------------------------------ */

gboolean
_tacit_import_resolve_local (GTimeZone   *zone,
                             gint64       local_us,
                             Repeated     repeated,
                             TacitTime   *out,
                             const char **problem)
{
  gint64 secs = local_us / TACIT_USEC_PER_SEC;
  gint64 rem = local_us % TACIT_USEC_PER_SEC;
  gint32 offsets[3];
  gint64 found[3];
  guint n_found = 0;

  if (rem < 0)
    {
      rem += TACIT_USEC_PER_SEC;
      secs--;
    }
  if (zone == NULL)
    {
      *out = local_us;
      return TRUE;
    }
  /* The offsets in force a day either side cover any change; a local time
   * t is real under offset o when the zone's offset at t - o is o. Two
   * such instants: a repeated hour; none: a gap. */
  for (int i = 0; i < 3; i++)
    offsets[i] = g_time_zone_get_offset (zone, g_time_zone_find_interval (zone, G_TIME_TYPE_UNIVERSAL,
                                                                         secs + (i - 1) * 86400));
  for (int i = 0; i < 3; i++)
    {
      gint64 utc = secs - offsets[i];
      gboolean dup = FALSE;

      for (int j = 0; j < i; j++)
        dup |= offsets[j] == offsets[i];
      if (dup || g_time_zone_get_offset (zone, g_time_zone_find_interval (zone, G_TIME_TYPE_UNIVERSAL, utc)) != offsets[i])
        continue;
      found[n_found++] = utc;
    }
  if (n_found == 0)
    {
      *problem = "does not exist in %s (the clocks skip it when daylight saving starts)";
      return FALSE;
    }
  if (n_found > 1)
    {
      gint64 first = MIN (found[0], found[1]), second = MAX (found[0], found[1]);
      if (repeated == REPEATED_ERROR)
        {
          *problem = "occurs twice in %s (daylight saving ends): say <time repeated=\"first\"> or \"second\"";
          return FALSE;
        }
      found[0] = repeated == REPEATED_SECOND ? second : first;
    }
  *out = found[0] * TACIT_USEC_PER_SEC + rem;
  return TRUE;
}

static gboolean
read_digits (const char **p, int min, int max, int *out)
{
  int n = 0, v = 0;

  while (n < max && g_ascii_isdigit ((*p)[n]))
    v = v * 10 + ((*p)[n++] - '0');
  if (n < min)
    return FALSE;
  *p += n;
  *out = v;
  return TRUE;
}

/* [HH:MM[:SS[.fraction]]] after a date; hour may have one digit. */
static gboolean
read_clock (const char **p, int *h, int *mi, int *s, gint64 *us)
{
  *h = *mi = *s = 0;
  *us = 0;
  if (**p == '\0')
    return TRUE;
  if ((**p != 'T' && **p != ' ') || (++*p, !read_digits (p, 1, 2, h)) ||
      **p != ':' || (++*p, !read_digits (p, 2, 2, mi)))
    return FALSE;
  if (**p == ':')
    {
      ++*p;
      if (!read_digits (p, 2, 2, s))
        return FALSE;
      if (**p == '.' || **p == ',')
        {
          gint64 scale = 100000;
          int n = 0;
          for (++*p; g_ascii_isdigit (**p); ++*p, n++)
            {
              *us += (**p - '0') * scale;
              scale /= 10;
            }
          if (n == 0)
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
civil_us (int y, int mo, int d, int h, int mi, int s, gint64 us, gint64 *out)
{
  g_autoptr(GDateTime) dt = NULL;

  if (y < 1 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59)
    return FALSE;
  if (d > g_date_get_days_in_month ((GDateMonth) mo, (GDateYear) y))
    return FALSE;
  dt = g_date_time_new_utc (y, mo, d, h, mi, 0);
  if (dt == NULL)
    return FALSE;
  *out = (g_date_time_to_unix (dt) + s) * TACIT_USEC_PER_SEC + us;
  return TRUE;
}

/* "Z", "+02:00", "+0200" or nothing; *has_zone says which. */
static gboolean
read_offset (const char **p, gboolean *has_zone, gint64 *offset_s)
{
  int sign, oh = 0, om = 0;

  *has_zone = FALSE;
  *offset_s = 0;
  if (**p == '\0')
    return TRUE;
  *has_zone = TRUE;
  if (**p == 'Z' || **p == 'z')
    {
      ++*p;
      return **p == '\0';
    }
  if (**p != '+' && **p != '-')
    return FALSE;
  sign = **p == '-' ? -1 : 1;
  ++*p;
  if (!read_digits (p, 2, 2, &oh))
    return FALSE;
  if (**p == ':')
    ++*p;
  if (!read_digits (p, 2, 2, &om) || **p != '\0' || oh > 23 || om > 59)
    return FALSE;
  *offset_s = sign * (oh * 3600 + om * 60);
  return TRUE;
}

/* A decimal number of units ("1700000000.123") in microseconds, exactly. */
static gboolean
parse_decimal_units (const char *text, gint64 unit_us, gboolean decimal_comma, gint64 *out)
{
  const char *p = text;
  gboolean neg = *p == '-';
  gint64 whole = 0, frac = 0, scale = unit_us;
  int n = 0;

  if (neg)
    p++;
  for (; g_ascii_isdigit (*p); p++, n++)
    {
      if (n >= 15)
        return FALSE;
      whole = whole * 10 + (*p - '0');
    }
  if (n == 0)
    return FALSE;
  if (*p == '.' || (decimal_comma && *p == ','))
    for (p++; g_ascii_isdigit (*p); p++)
      {
        scale /= 10;
        frac += (*p - '0') * scale;
      }
  if (*p != '\0')
    return FALSE;
  *out = (neg ? -1 : 1) * (whole * unit_us + frac);
  return TRUE;
}

gboolean
_tacit_import_parse_time (const char  *text,
                          TimeFormat   format,
                          GTimeZone   *zone,
                          const char  *zone_name,
                          Repeated     repeated,
                          gboolean     decimal_comma,
                          TacitTime   *out,
                          char       **problem)
{
  const char *p = text;
  const char *zone_problem = NULL;
  int y = 0, mo = 0, d = 0, h, mi, s;
  gint64 us, local;
  gboolean has_zone = FALSE;
  gint64 offset_s = 0;

  switch (format)
    {
    case TIME_UNIX_S:
    case TIME_UNIX_MS:
      if (!parse_decimal_units (text, format == TIME_UNIX_S ? TACIT_USEC_PER_SEC : 1000,
                                decimal_comma, out))
        {
          *problem = g_strdup_printf ("\"%s\" is not %s since 1970", text,
                                      format == TIME_UNIX_S ? "seconds" : "milliseconds");
          return FALSE;
        }
      return TRUE;
    case TIME_EXCEL:
      {
        g_autofree char *copy = g_strdup (text);
        char *end = NULL;
        double days;

        if (decimal_comma)
          g_strdelimit (copy, ",", '.');
        days = g_ascii_strtod (copy, &end);
        if (end == copy || *end != '\0' || !isfinite (days) || days < 1 || days > 2958465.99999)
          {
            *problem = g_strdup_printf ("\"%s\" is not an Excel serial day number", text);
            return FALSE;
          }
        /* Day 0 is 1899-12-30 (Excel's 1900 leap-year bug folded in);
         * rounded to the millisecond, Excel's own precision. */
        local = llround ((days - 25569.0) * 86400000.0) * 1000;
        break;
      }
    case TIME_ISO8601:
      if (!read_digits (&p, 4, 4, &y) || *p++ != '-' || !read_digits (&p, 2, 2, &mo) ||
          *p++ != '-' || !read_digits (&p, 2, 2, &d) || !read_clock (&p, &h, &mi, &s, &us) ||
          !read_offset (&p, &has_zone, &offset_s) || !civil_us (y, mo, d, h, mi, s, us, &local))
        {
          *problem = g_strdup_printf ("\"%s\" is not an ISO 8601 time (YYYY-MM-DDTHH:MM:SS)", text);
          return FALSE;
        }
      if (has_zone)
        {
          *out = local - offset_s * TACIT_USEC_PER_SEC;
          return TRUE;
        }
      break;
    case TIME_DMY:
    case TIME_MDY:
    default:
      {
        int a = 0, b = 0;
        char sep;
        if (!read_digits (&p, 1, 2, &a) || strchr ("/.-", *p) == NULL || (sep = *p++) == '\0' ||
            !read_digits (&p, 1, 2, &b) || *p++ != sep || !read_digits (&p, 4, 4, &y) ||
            !read_clock (&p, &h, &mi, &s, &us) || *p != '\0' ||
            !civil_us (y, format == TIME_DMY ? b : a, format == TIME_DMY ? a : b,
                       h, mi, s, us, &local))
          {
            *problem = g_strdup_printf ("\"%s\" is not a time as %s", text,
                                        format == TIME_DMY ? "DD/MM/YYYY HH:MM:SS"
                                                           : "MM/DD/YYYY HH:MM:SS");
            return FALSE;
          }
        break;
      }
    }
  if (!_tacit_import_resolve_local (zone, local, repeated, out, &zone_problem))
    {
      g_autofree char *where = g_strdup_printf (zone_problem, zone_name);
      *problem = g_strdup_printf ("\"%s\" %s", text, where);
      return FALSE;
    }
  return TRUE;
}

/* ---- the report ------------------------------------------------------ */

static void
skip_free (gpointer data)
{
  TacitImportSkip *skip = data;

  g_free (skip->reason);
  g_free (skip);
}

void
_tacit_import_report_init (TacitImportReport *report)
{
  memset (report, 0, sizeof *report);
  report->skipped = g_ptr_array_new_with_free_func (skip_free);
  report->first_time = TACIT_TIME_MAX;
  report->last_time = TACIT_TIME_MIN;
  report->machines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  report->items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

void
_tacit_import_report_clear (TacitImportReport *report)
{
  g_clear_pointer (&report->skipped, g_ptr_array_unref);
  g_clear_pointer (&report->machines, g_hash_table_unref);
  g_clear_pointer (&report->items, g_hash_table_unref);
}

void
_tacit_import_report_skip (TacitImportReport *report,
                           guint64            line,
                           const char        *reason)
{
  TacitImportSkip *skip = NULL;

  report->rows_skipped++;
  for (guint i = 0; i < report->skipped->len && skip == NULL; i++)
    if (strcmp (((TacitImportSkip *) g_ptr_array_index (report->skipped, i))->reason, reason) == 0)
      skip = g_ptr_array_index (report->skipped, i);
  if (skip == NULL)
    {
      skip = g_new0 (TacitImportSkip, 1);
      skip->reason = g_strdup (reason);
      g_ptr_array_add (report->skipped, skip);
    }
  skip->count++;
  if (skip->n_lines < TACIT_IMPORT_SKIP_LINES)
    skip->lines[skip->n_lines++] = line;
}

static void
add_name (GHashTable *set, const char *name)
{
  if (!g_hash_table_contains (set, name))
    g_hash_table_add (set, g_strdup (name));
}

void
_tacit_import_report_event (TacitImportReport *report,
                            const TacitEvent  *event)
{
  if (report->events > 0 && event->time < report->previous_time)
    report->out_of_order++;
  report->previous_time = event->time;
  report->events++;
  report->first_time = MIN (report->first_time, event->time);
  report->last_time = MAX (report->last_time, event->time);
  add_name (report->machines, event->machine);
  add_name (report->items, event->item);
}

static int
compare_names (const void *a, const void *b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* "a, b, c" sorted byte by byte, at most max names, then "… (N in all)". */
static void
append_names (GString *out, GHashTable *set, guint max)
{
  g_autofree const char **names = (const char **) g_hash_table_get_keys_as_array (set, NULL);
  guint n = g_hash_table_size (set);

  qsort (names, n, sizeof *names, compare_names);
  for (guint i = 0; i < n && i < max; i++)
    g_string_append_printf (out, "%s%s", i > 0 ? ", " : "", names[i]);
  if (n > max)
    g_string_append_printf (out, ", … (%u in all)", n);
}

char *
tacit_import_report_format (const TacitImportReport *report,
                            const char              *display_name)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (report != NULL, NULL);

  g_string_append_printf (out, "%s: %" G_GUINT64_FORMAT " row(s) read, %" G_GUINT64_FORMAT
                          " event(s), %" G_GUINT64_FORMAT " row(s) skipped\n",
                          display_name, report->rows, report->events, report->rows_skipped);
  for (guint i = 0; i < report->skipped->len; i++)
    {
      const TacitImportSkip *skip = g_ptr_array_index (report->skipped, i);

      g_string_append_printf (out, "%s:   skipped %" G_GUINT64_FORMAT " × %s (line%s ",
                              display_name, skip->count, skip->reason, skip->n_lines > 1 ? "s" : "");
      for (guint j = 0; j < skip->n_lines; j++)
        g_string_append_printf (out, "%s%" G_GUINT64_FORMAT, j > 0 ? ", " : "", skip->lines[j]);
      g_string_append (out, skip->count > skip->n_lines ? ", …)\n" : ")\n");
    }
  if (report->events > 0)
    {
      char first[TACIT_TIME_FORMAT_LEN], last[TACIT_TIME_FORMAT_LEN];

      g_string_append_printf (out, "%s:   time %s to %s", display_name,
                              tacit_time_format_ms_buf (report->first_time, first),
                              tacit_time_format_ms_buf (report->last_time, last));
      if (report->out_of_order > 0)
        g_string_append_printf (out, " (%" G_GUINT64_FORMAT " event(s) out of time order)",
                                report->out_of_order);
      g_string_append_printf (out, "\n%s:   machines: ", display_name);
      append_names (out, report->machines, 10);
      g_string_append_printf (out, "\n%s:   items: ", display_name);
      append_names (out, report->items, 20);
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

/* ---- lines ----------------------------------------------------------- */

void
_tacit_line_reader_init (LineReader *lr,
                         const char *encoding)
{
  memset (lr, 0, sizeof *lr);
  lr->iconv = (GIConv) -1;
  if (encoding != NULL)
    lr->iconv = g_iconv_open ("UTF-8", encoding);
}

void
_tacit_line_reader_clear (LineReader *lr)
{
  g_clear_object (&lr->data);
  g_clear_pointer (&lr->line, g_free);
  if (lr->iconv != (GIConv) -1)
    g_iconv_close (lr->iconv);
  lr->iconv = (GIConv) -1;
}

gboolean
_tacit_line_reader_next (LineReader   *lr,
                         GInputStream *stream,
                         const char   *name,
                         GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *bad = NULL;
  gsize len = 0;

  if (lr->data == NULL)
    {
      lr->data = g_data_input_stream_new (stream);
      g_data_input_stream_set_newline_type (lr->data, G_DATA_STREAM_NEWLINE_TYPE_LF);
      g_buffered_input_stream_set_buffer_size (G_BUFFERED_INPUT_STREAM (lr->data), 64 * 1024);
    }
  g_clear_pointer (&lr->line, g_free);
  lr->number++;
  lr->line = g_data_input_stream_read_line (lr->data, &len, NULL, &local_error);
  if (lr->line == NULL)
    {
      if (local_error == NULL)
        return FALSE;
      if (local_error->domain == G_IO_ERROR &&
          (local_error->code == G_IO_ERROR_INVALID_DATA || local_error->code == G_IO_ERROR_PARTIAL_INPUT))
        g_propagate_error (error, _tacit_import_error (name, lr->number, TACIT_INPUT_ERROR_SYNTAX,
                                                       "corrupt compressed data: %s",
                                                       local_error->message));
      else
        g_set_error (error, local_error->domain, local_error->code, "%s:%" G_GUINT64_FORMAT ": %s",
                     name, lr->number, local_error->message);
      return FALSE;
    }
  if (len > MAX_LINE)
    {
      g_propagate_error (error, _tacit_import_error (name, lr->number, TACIT_INPUT_ERROR_TOO_LARGE,
                                                     "line is longer than %d MiB",
                                                     MAX_LINE / (1024 * 1024)));
      return FALSE;
    }
  if (len > 0 && lr->line[len - 1] == '\r')
    lr->line[--len] = '\0';
  if (memchr (lr->line, '\0', len) != NULL)
    {
      g_propagate_error (error, _tacit_import_error (name, lr->number, TACIT_INPUT_ERROR_ENCODING,
                                                     "contains a NUL byte"));
      return FALSE;
    }
  if (lr->iconv != (GIConv) -1)
    {
      gsize written = 0;
      char *converted = g_convert_with_iconv (lr->line, len, lr->iconv, NULL, &written, NULL);

      if (converted == NULL)
        {
          g_propagate_error (error, _tacit_import_error (name, lr->number, TACIT_INPUT_ERROR_ENCODING,
                                                         "not in the profile's encoding"));
          return FALSE;
        }
      g_free (lr->line);
      lr->line = converted;
      len = written;
    }
  if (!g_utf8_validate_len (lr->line, len, &bad))
    {
      g_propagate_error (error, _tacit_import_error (name, lr->number, TACIT_INPUT_ERROR_ENCODING,
                                                     "invalid UTF-8"));
      return FALSE;
    }
  if (!lr->started)
    {
      lr->started = TRUE;
      if (len >= 3 && memcmp (lr->line, "\xEF\xBB\xBF", 3) == 0)
        memmove (lr->line, lr->line + 3, len - 2);
      len = strlen (lr->line);
    }
  lr->len = len;
  return TRUE;
}
