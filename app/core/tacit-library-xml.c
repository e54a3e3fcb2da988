/* tacit-library-xml.c: reading, validating and writing rule library XML.
 *
 * Reading is a pipeline, each step refusing what the next one must not see:
 *
 *   1. bytes: size bound, no NUL, valid UTF-8 (with the line of the fault);
 *   2. prolog: a DOCTYPE is refused before libxml2 sees it, which closes
 *      external entities and entity expansion (billion laughs) for good;
 *   3. parse: no network, no DTD, no entity substitution, element depth
 *      bounded in the SAX callbacks, every libxml2 message captured;
 *   4. structure and meaning: a walk over the tree that checks what the
 *      schema says with messages a person can act on ("<advise>
 *      holdout="0.7" is not a share from 0 to 0.5" rather than libxml2's
 *      "Invalid sequence in interleave"), plus what a grammar cannot say
 *      (unique ids, `for` only with a predicate or code, values that fit
 *      their op, min <= max), and builds the rules on the way;
 *   5. schema: the RELAX NG schema from the GResource, as a backstop: it
 *      runs when the walk found nothing, so that every import really
 *      validates against the shipped schema.
 *
 * libxml2 stops at the first schema problem and reports it obscurely, so
 * the walk is what makes validate_file() list every problem of a file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-library-xml.h"
#include "tacit-xml-guard.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/SAX2.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "tacit-error.h"
#include "tacit-time.h"

/* libxml2 2.9 headers do not define these. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlParserCtxt, xmlFreeParserCtxt)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlRelaxNGValidCtxt, xmlRelaxNGFreeValidCtxt)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlRelaxNGParserCtxt, xmlRelaxNGFreeParserCtxt)

#define SCHEMA_RESOURCE "/dev/tacit/Tacit/core/tacit-rules-1.rng"
#define MAX_NAME_CHARS 200
#define RULE_DISPLAY_NAME "rule.xml"

/* No network, no DTD loading or attribute defaults, no entity
 * substitution, no "huge" relaxations. CDATA is merged into text; line
 * numbers are kept beyond 65535. */
#define PARSE_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES)

/* Problems */

typedef struct {
  int              line;
  TacitInputError  code;
  char            *message;   /* without "FILE:LINE: " */
} Problem;

static void
problem_free (gpointer data)
{
  Problem *problem = data;

  g_free (problem->message);
  g_free (problem);
}

typedef struct {
  TacitXmlDepthGuard guard;    /* first: the depth guard reads it at _private */
  const char *name;            /* display name of the input */
  GPtrArray  *problems;        /* Problem* */
  /* parsing */
  int         parse_line;      /* first parser error */
  char       *parse_message;
  /* walking */
  GHashTable *rule_lines;      /* rule id → first line */
  GHashTable *machine_lines;   /* machine id → first line */
} Reader;

static void
reader_init (Reader *r, const char *name)
{
  memset (r, 0, sizeof *r);
  r->name = name;
  r->problems = g_ptr_array_new_with_free_func (problem_free);
  r->rule_lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  r->machine_lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static void
reader_clear (Reader *r)
{
  g_clear_pointer (&r->problems, g_ptr_array_unref);
  g_clear_pointer (&r->parse_message, g_free);
  g_clear_pointer (&r->rule_lines, g_hash_table_unref);
  g_clear_pointer (&r->machine_lines, g_hash_table_unref);
}

static void add_problem (Reader *r, int line, TacitInputError code,
                         const char *format, ...) G_GNUC_PRINTF (4, 5);

static void
add_problem (Reader          *r,
             int              line,
             TacitInputError  code,
             const char      *format,
             ...)
{
  Problem *problem = g_new0 (Problem, 1);
  va_list args;

  va_start (args, format);
  problem->line = MAX (line, 1);
  problem->code = code;
  problem->message = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (r->problems, problem);
}

static int
compare_problems (gconstpointer a,
                  gconstpointer b)
{
  const Problem *pa = *(const Problem * const *) a;
  const Problem *pb = *(const Problem * const *) b;

  return (pa->line > pb->line) - (pa->line < pb->line);
}

/* In line order (the sort is stable), so the first one is the first in
 * the file. */
static void
reader_sort_problems (Reader *r)
{
  g_ptr_array_sort (r->problems, compare_problems);
}

static char *
format_problem (Reader *r, const Problem *problem)
{
  return g_strdup_printf ("%s:%d: %s", r->name, problem->line, problem->message);
}

static void
reader_set_error (Reader *r, GError **error)
{
  const Problem *first;
  g_autofree char *message = NULL;

  reader_sort_problems (r);
  first = g_ptr_array_index (r->problems, 0);
  message = format_problem (r, first);
  g_set_error_literal (error, TACIT_INPUT_ERROR, first->code, message);
}

static GPtrArray *
reader_steal_messages (Reader *r)
{
  GPtrArray *messages = g_ptr_array_new_with_free_func (g_free);

  reader_sort_problems (r);
  for (guint i = 0; i < r->problems->len; i++)
    g_ptr_array_add (messages, format_problem (r, g_ptr_array_index (r->problems, i)));
  return messages;
}

static int
node_line (xmlNode *node)
{
  return (int) xmlGetLineNo (node);
}

/* Step 1: bytes */

static gboolean
check_bytes (Reader *r, const char *data, gsize len)
{
  const char *nul;
  const char *end = NULL;

  if (len > TACIT_LIBRARY_MAX_BYTES)
    {
      add_problem (r, 1, TACIT_INPUT_ERROR_TOO_LARGE,
                   "the library is larger than %d MiB", TACIT_LIBRARY_MAX_BYTES / (1024 * 1024));
      return FALSE;
    }
  if (len == 0)
    {
      add_problem (r, 1, TACIT_INPUT_ERROR_SYNTAX, "the document is empty");
      return FALSE;
    }
  nul = memchr (data, '\0', len);
  if (!g_utf8_validate_len (data, nul != NULL ? (gsize) (nul - data) : len, &end))
    {
      add_problem (r, _tacit_text_line_at (data, (gsize) (end - data)), TACIT_INPUT_ERROR_ENCODING,
                   "invalid UTF-8 (libraries are UTF-8)");
      return FALSE;
    }
  if (nul != NULL)
    {
      add_problem (r, _tacit_text_line_at (data, (gsize) (nul - data)), TACIT_INPUT_ERROR_ENCODING,
                   "NUL byte");
      return FALSE;
    }
  return TRUE;
}

/* Step 2: the prolog. A DOCTYPE can only come before the root element,
 * after the XML declaration, comments and processing instructions. */
static gboolean
check_prolog (Reader *r, const char *data, gsize len)
{
  gsize doctype = _tacit_xml_find_doctype (data, len);

  if (doctype == TACIT_XML_NO_DOCTYPE)
    return TRUE;
  add_problem (r, _tacit_text_line_at (data, doctype), TACIT_INPUT_ERROR_FORBIDDEN,
               "documents with a DOCTYPE are refused");
  return FALSE;
}

/* Step 3: parsing, with every libxml2 message captured. */

static void
silent_generic_error (void *ctx, const char *msg, ...)
{
}

/* The first line only: libxml2 adds lines quoting the input (e.g. after
 * "Comment not terminated"), cut at a byte count that can split a UTF-8
 * character (found by tests/fuzz, regressions/rules-error-message-utf8.xml)
 * and breaking the one-line "FILE:LINE: problem" form. */
static char *
clean_libxml_message (const char *message)
{
  const char *text = message != NULL ? message : "unknown error";
  g_autofree char *line = g_strndup (text, strcspn (text, "\n"));

  return g_strstrip (g_utf8_make_valid (line, -1));
}

static void
parser_error (void *user_data, xmlErrorPtr error)
{
  xmlParserCtxtPtr ctxt = user_data;
  Reader *r = ctxt->_private;

  if (r == NULL || error == NULL || error->level < XML_ERR_ERROR || r->parse_message != NULL)
    return;
  r->parse_line = error->line;
  r->parse_message = clean_libxml_message (error->message);
}

/* Errors libxml2 raises without a parser context (and the schema's) land
 * here rather than on stderr. */
static void
global_structured_error (void *user_data, xmlErrorPtr error)
{
}

typedef struct {
  xmlGenericErrorFunc    generic;
  void                  *generic_ctx;
  xmlStructuredErrorFunc structured;
  void                  *structured_ctx;
} ErrorGuard;

static void
error_guard_push (ErrorGuard *guard)
{
  guard->generic = xmlGenericError;
  guard->generic_ctx = xmlGenericErrorContext;
  guard->structured = xmlStructuredError;
  guard->structured_ctx = xmlStructuredErrorContext;
  xmlSetGenericErrorFunc (NULL, silent_generic_error);
  xmlSetStructuredErrorFunc (NULL, global_structured_error);
}

static void
error_guard_pop (ErrorGuard *guard)
{
  xmlSetGenericErrorFunc (guard->generic_ctx, guard->generic);
  xmlSetStructuredErrorFunc (guard->structured_ctx, guard->structured);
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

/* Without a DTD there can be no entities; refuse them should one slip
 * through anyway. */
static gboolean
check_tree (Reader *r, xmlNode *node)
{
  for (; node != NULL; node = node->next)
    {
      if (node->type == XML_ENTITY_REF_NODE || node->type == XML_ENTITY_NODE ||
          node->type == XML_ENTITY_DECL)
        {
          add_problem (r, node_line (node), TACIT_INPUT_ERROR_FORBIDDEN,
                       "entity references are refused");
          return FALSE;
        }
      if (node->type == XML_ELEMENT_NODE && !check_tree (r, node->children))
        return FALSE;
    }
  return TRUE;
}

/* The document handed to libxml2 in chunks (xmlCtxtReadIO) rather than
 * whole (xmlCtxtReadMemory, encoding forced): libxml2 2.9 then buffered
 * and converted all of it before parsing, 5.5 s and 440 MB for a 100 MB
 * attribute it refuses at 10 MB anyway (tests/test-hostile.c). */
typedef struct {
  const char *data;
  gsize       len;
  gsize       pos;
} MemoryCursor;

static int
memory_read (void *context, char *buffer, int size)
{
  MemoryCursor *cursor = context;
  gsize n = MIN ((gsize) size, cursor->len - cursor->pos);

  memcpy (buffer, cursor->data + cursor->pos, n);
  cursor->pos += n;
  return (int) n;
}

static xmlDoc *
parse_document (Reader *r, const char *data, gsize len)
{
  g_autoptr(xmlParserCtxt) ctxt = NULL;
  g_autoptr(xmlDoc) doc = NULL;
  MemoryCursor cursor;

  if (!check_bytes (r, data, len) || !check_prolog (r, data, len))
    return NULL;

  ensure_libxml ();
  ctxt = xmlNewParserCtxt ();
  if (ctxt == NULL)
    {
      add_problem (r, 1, TACIT_INPUT_ERROR_TOO_LARGE, "out of memory");
      return NULL;
    }
  ctxt->_private = r;
  ctxt->sax->serror = parser_error;
  ctxt->sax->error = NULL;
  ctxt->sax->warning = NULL;
  _tacit_xml_guard_depth (ctxt);
  /* Nothing external is ever resolved. */
  ctxt->sax->resolveEntity = NULL;
  ctxt->sax->externalSubset = NULL;

  r->guard.depth = 0;
  cursor.data = data;
  cursor.len = len;
  cursor.pos = 0;
  doc = xmlCtxtReadIO (ctxt, memory_read, NULL, &cursor, r->name, "UTF-8", PARSE_OPTIONS);

  if (r->guard.deep_line != 0)
    {
      add_problem (r, r->guard.deep_line, TACIT_INPUT_ERROR_TOO_LARGE,
                   "elements are nested more than %d deep", TACIT_XML_MAX_DEPTH);
      return NULL;
    }
  if (r->parse_message != NULL)
    {
      add_problem (r, r->parse_line, TACIT_INPUT_ERROR_SYNTAX,
                   "not well-formed XML: %s", r->parse_message);
      return NULL;
    }
  if (doc == NULL)
    {
      add_problem (r, 1, TACIT_INPUT_ERROR_SYNTAX, "not well-formed XML");
      return NULL;
    }
  /* The prolog scan already refused these; this holds even if it missed. */
  if (doc->intSubset != NULL || doc->extSubset != NULL)
    {
      xmlNode *dtd = (xmlNode *) (doc->intSubset ? doc->intSubset : doc->extSubset);
      add_problem (r, xmlGetLineNo (dtd), TACIT_INPUT_ERROR_FORBIDDEN,
                   "documents with a DOCTYPE are refused");
      return NULL;
    }
  if (!check_tree (r, doc->children))
    return NULL;
  return g_steal_pointer (&doc);
}

/* Step 4: the walk. */

static gboolean
in_tacit_ns (xmlNode *node)
{
  return node->ns != NULL && xmlStrEqual (node->ns->href, BAD_CAST TACIT_RULES_NS);
}

static gboolean
is_named (xmlNode *node, const char *name)
{
  return node->type == XML_ELEMENT_NODE && in_tacit_ns (node) &&
         xmlStrEqual (node->name, BAD_CAST name);
}

/* XML Schema white space: space, tab, CR, LF. */
static gboolean
is_xsd_space (char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static gboolean
is_blank (const char *text)
{
  for (; text != NULL && *text != '\0'; text++)
    if (!is_xsd_space (*text))
      return FALSE;
  return TRUE;
}

static char *
element_label (xmlNode *node)
{
  if (node->ns != NULL && node->ns->prefix != NULL)
    return g_strdup_printf ("<%s:%s>", node->ns->prefix, node->name);
  return g_strdup_printf ("<%s>", node->name);
}

static void
unexpected_element (Reader *r, xmlNode *child, xmlNode *parent)
{
  g_autofree char *label = element_label (child);

  if (!in_tacit_ns (child))
    add_problem (r, node_line (child), TACIT_INPUT_ERROR_INVALID,
                 "element %s in <%s> is not in namespace " TACIT_RULES_NS,
                 label, parent->name);
  else
    add_problem (r, node_line (child), TACIT_INPUT_ERROR_INVALID,
                 "unexpected element %s in <%s>", label, parent->name);
}

static gboolean
is_text_node (xmlNode *node)
{
  return node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE;
}

/* libxml2 gives a text node the line where it ends; the line of its
 * first non-blank character is the one to show. */
static int
text_line (xmlNode *text, xmlNode *parent)
{
  const char *content = (const char *) text->content;
  int line = node_line (text);
  const char *first = content;

  for (const char *p = content; *p != '\0'; p++)
    if (*p == '\n')
      line--;
  while (is_xsd_space (*first))
    if (*first++ == '\n')
      line++;
  return MAX (line, node_line (parent));
}

/* Element-only content: text other than white space is a mistake. */
static void
check_stray_text (Reader *r, xmlNode *child, xmlNode *parent)
{
  if (is_text_node (child) && !is_blank ((const char *) child->content))
    add_problem (r, text_line (child, parent), TACIT_INPUT_ERROR_INVALID,
                 "unexpected text in <%s>", parent->name);
}

static void
check_empty (Reader *r, xmlNode *node)
{
  for (xmlNode *child = node->children; child != NULL; child = child->next)
    {
      if (child->type == XML_ELEMENT_NODE)
        unexpected_element (r, child, node);
      else
        check_stray_text (r, child, node);
    }
}

static void check_no_attrs (Reader *r, xmlNode *node);

/* The text of a text-only element; child elements are reported. */
static char *
read_text_content (Reader *r, xmlNode *node)
{
  GString *text = g_string_new (NULL);

  /* <text> has xml:lang, read by its caller; the others have none. */
  if (!xmlStrEqual (node->name, BAD_CAST "text"))
    check_no_attrs (r, node);

  for (xmlNode *child = node->children; child != NULL; child = child->next)
    {
      if (is_text_node (child))
        g_string_append (text, (const char *) child->content);
      else if (child->type == XML_ELEMENT_NODE)
        unexpected_element (r, child, node);
    }
  return g_string_free (text, FALSE);
}

static char *
strip_xsd_space (char *text)
{
  char *start = text;
  gsize n;

  while (is_xsd_space (*start))
    start++;
  n = strlen (start);
  while (n > 0 && is_xsd_space (start[n - 1]))
    n--;
  memmove (text, start, n);
  text[n] = '\0';
  return text;
}

/* Attribute values and their types */

typedef enum {
  ATTR_STRING,       /* any string */
  ATTR_TEXT,         /* non-empty string */
  ATTR_TOKEN,        /* non-empty, no white space */
  ATTR_RULE_ID,
  ATTR_REVISION,     /* unsigned int >= 1 */
  ATTR_UINT,
  ATTR_DURATION,
  ATTR_TIMESTAMP,
  ATTR_EVENT_KIND,
  ATTR_RULE_KIND,
  ATTR_STATUS,
  ATTR_SEVERITY,
  ATTR_OP,
  ATTR_EDGE,
  ATTR_HOLDOUT,
  ATTR_LANG,
} AttrType;

typedef struct {
  const char *name;     /* "xml:lang" for the one namespaced attribute */
  AttrType    type;
  gboolean    required;
} AttrSpec;

#define MAX_ATTRS 10

typedef struct {
  const AttrSpec *specs;
  guint           n_specs;
  char           *values[MAX_ATTRS];   /* NULL: absent or invalid */
} Attrs;

static void
attrs_clear (Attrs *attrs)
{
  for (guint i = 0; i < attrs->n_specs; i++)
    g_clear_pointer (&attrs->values[i], g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Attrs, attrs_clear)

static const char *
attrs_get (const Attrs *attrs, const char *name)
{
  for (guint i = 0; i < attrs->n_specs; i++)
    if (strcmp (attrs->specs[i].name, name) == 0)
      return attrs->values[i];
  return NULL;   /* the element has no such attribute */
}

static gboolean
attrs_has (const Attrs *attrs, const char *name)
{
  return attrs_get (attrs, name) != NULL;
}

/* unsignedInt (XML Schema): surrounding white space, an optional '+'. */
static gboolean
parse_uint (const char *text, guint *out)
{
  g_autofree char *copy = strip_xsd_space (g_strdup (text));
  const char *p = copy;
  guint64 n = 0;

  if (*p == '+')
    p++;
  if (*p == '\0')
    return FALSE;
  for (; *p != '\0'; p++)
    {
      if (*p < '0' || *p > '9')
        return FALSE;
      n = n * 10 + (guint64) (*p - '0');
      if (n > G_MAXUINT)
        return FALSE;
    }
  *out = (guint) n;
  return TRUE;
}

static const struct {
  const char *unit;
  guint64     usec;
} duration_units[] = {
  { "ms", 1000 },
  { "s", G_GUINT64_CONSTANT (1000000) },
  { "m", G_GUINT64_CONSTANT (60000000) },
  { "h", G_GUINT64_CONSTANT (3600000000) },
  { "d", G_GUINT64_CONSTANT (86400000000) },
};

typedef enum {
  DURATION_OK,
  DURATION_SYNTAX,
  DURATION_TOO_LONG,
} DurationResult;

/* The syntax of tacit_duration_parse(), with overflow refused before it
 * multiplies. */
static DurationResult
parse_duration (const char *text, TacitTime *out)
{
  const char *p = text;
  guint64 n = 0;
  gboolean overflow = FALSE;

  if (strcmp (text, "0") == 0)
    {
      *out = 0;
      return DURATION_OK;
    }
  if (*p < '0' || *p > '9')
    return DURATION_SYNTAX;
  for (; *p >= '0' && *p <= '9'; p++)
    {
      if (!g_uint64_checked_mul (&n, n, 10) || !g_uint64_checked_add (&n, n, (guint64) (*p - '0')))
        overflow = TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (duration_units); i++)
    if (strcmp (p, duration_units[i].unit) == 0)
      {
        guint64 usec;

        if (overflow || !g_uint64_checked_mul (&usec, n, duration_units[i].usec) ||
            usec > (guint64) G_MAXINT64 || !tacit_duration_parse (text, out))
          return DURATION_TOO_LONG;
        return DURATION_OK;
      }
  return DURATION_SYNTAX;
}

/* decimal (XML Schema) from 0 to 0.5. Kept to six decimals so that a
 * written and re-read holdout is the same number. */
static gboolean
parse_holdout (const char *text, double *out)
{
  g_autofree char *copy = strip_xsd_space (g_strdup (text));
  const char *p = copy;
  gboolean digits = FALSE;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  double value;

  if (*p == '+' || *p == '-')
    p++;
  for (; *p >= '0' && *p <= '9'; p++)
    digits = TRUE;
  if (*p == '.')
    for (p++; *p >= '0' && *p <= '9'; p++)
      digits = TRUE;
  if (!digits || *p != '\0')
    return FALSE;
  value = g_ascii_strtod (copy, NULL);
  if (!(value >= 0 && value <= 0.5))
    return FALSE;
  g_ascii_formatd (buf, sizeof buf, "%.6f", value);
  *out = g_ascii_strtod (buf, NULL);
  return TRUE;
}

static gboolean
is_rule_id (const char *text)
{
  if (!g_ascii_isalnum (*text))
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("._:-", *p) == NULL)
      return FALSE;
  return g_utf8_strlen (text, -1) <= MAX_NAME_CHARS;
}

static gboolean
is_token (const char *text)
{
  if (*text == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (is_xsd_space (*p))
      return FALSE;
  return TRUE;
}

/* xsd:language: [a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})* */
static gboolean
is_language (const char *text)
{
  const char *p = text;

  for (gboolean first = TRUE; ; first = FALSE)
    {
      int n = 0;
      for (; g_ascii_isalpha (*p) || (!first && g_ascii_isdigit (*p)); p++)
        n++;
      if (n < 1 || n > 8)
        return FALSE;
      if (*p == '\0')
        return TRUE;
      if (*p != '-')
        return FALSE;
      p++;
    }
}

/* RFC 3339 with a 'T' and a zone, as the schema's pattern says. */
static gboolean
is_timestamp (const char *text)
{
  gsize len = strlen (text);
  TacitTime t;

  if (len < 20 || text[10] != 'T' || (text[len - 1] != 'Z' && text[len - 6] != '+' && text[len - 6] != '-'))
    return FALSE;
  return tacit_time_parse (text, len, FALSE, &t, NULL);
}

/* Enumerations are XML Schema tokens: surrounding white space is dropped. */
static gboolean
is_enum_value (AttrType type, const char *value)
{
  TacitKind kind;
  TacitRuleKind rule_kind;
  TacitRuleStatus status;
  TacitSeverity severity;
  TacitOp op;

  switch (type)
    {
    case ATTR_EVENT_KIND:
      return tacit_kind_from_string (value, &kind);
    case ATTR_RULE_KIND:
      return tacit_rule_kind_from_string (value, &rule_kind);
    case ATTR_STATUS:
      return tacit_rule_status_from_string (value, &status);
    case ATTR_SEVERITY:
      return tacit_severity_from_string (value, &severity);
    case ATTR_OP:
      return tacit_op_from_string (value, &op) && op != TACIT_OP_NONE;
    case ATTR_EDGE:
      return strcmp (value, "every") == 0;
    case ATTR_STRING:
    case ATTR_TEXT:
    case ATTR_TOKEN:
    case ATTR_RULE_ID:
    case ATTR_REVISION:
    case ATTR_UINT:
    case ATTR_DURATION:
    case ATTR_TIMESTAMP:
    case ATTR_HOLDOUT:
    case ATTR_LANG:
    default:
      g_assert_not_reached ();
    }
}

static const char *
enum_choices (AttrType type)
{
  switch (type)
    {
    case ATTR_EVENT_KIND:
      return "sample, event or condition";
    case ATTR_RULE_KIND:
      return "process-hack, material-note, override, alarm-response or quality-check";
    case ATTR_STATUS:
      return "draft, proposed, approved or retired";
    case ATTR_SEVERITY:
      return "info, warning or critical";
    case ATTR_OP:
      return "eq, ne, lt, le, gt, ge, in or between";
    case ATTR_EDGE:
      return "every";
    case ATTR_STRING:
    case ATTR_TEXT:
    case ATTR_TOKEN:
    case ATTR_RULE_ID:
    case ATTR_REVISION:
    case ATTR_UINT:
    case ATTR_DURATION:
    case ATTR_TIMESTAMP:
    case ATTR_HOLDOUT:
    case ATTR_LANG:
    default:
      g_assert_not_reached ();
    }
}

/* Checks value against its type. Returns the value to keep (normalised
 * for tokens) or NULL after reporting the problem. */
static char *
check_attr (Reader *r, xmlNode *node, const AttrSpec *spec, char *value)
{
  int line = node_line (node);
  const char *elem = (const char *) node->name;
  guint n;
  double d;
  TacitTime t;

  switch (spec->type)
    {
    case ATTR_STRING:
      return value;
    case ATTR_TEXT:
      if (*value != '\0')
        return value;
      add_problem (r, line, TACIT_INPUT_ERROR_INVALID, "<%s> %s= must not be empty", elem, spec->name);
      break;
    case ATTR_TOKEN:
      if (!is_token (value))
        add_problem (r, line, TACIT_INPUT_ERROR_INVALID,
                     "<%s> %s=\"%s\" must be a name without white space", elem, spec->name, value);
      else if (g_utf8_strlen (value, -1) > MAX_NAME_CHARS)
        add_problem (r, line, TACIT_INPUT_ERROR_INVALID,
                     "<%s> %s= is longer than %d characters", elem, spec->name, MAX_NAME_CHARS);
      else
        return value;
      break;
    case ATTR_RULE_ID:
      if (is_rule_id (value))
        return value;
      add_problem (r, line, TACIT_INPUT_ERROR_INVALID,
                   "<%s> %s=\"%s\" is not a rule id (up to %d letters, digits, '.', '_', ':' "
                   "and '-', starting with a letter or digit)",
                   elem, spec->name, value, MAX_NAME_CHARS);
      break;
    case ATTR_REVISION:
      if (parse_uint (value, &n) && n >= 1)
        return value;
      add_problem (r, line, TACIT_INPUT_ERROR_INVALID,
                   "<%s> %s=\"%s\" is not a positive integer", elem, spec->name, value);
      break;
    case ATTR_UINT:
      if (parse_uint (value, &n))
        return value;
      add_problem (r, line, TACIT_INPUT_ERROR_INVALID,
                   "<%s> %s=\"%s\" is not a non-negative integer", elem, spec->name, value);
      break;
    case ATTR_DURATION:
      switch (parse_duration (value, &t))
        {
        case DURATION_OK:
          return value;
        case DURATION_TOO_LONG:
          add_problem (r, line, TACIT_INPUT_ERROR_INVALID,
                       "<%s> %s=\"%s\" is too long a duration", elem, spec->name, value);
          break;
        case DURATION_SYNTAX:
        default:
          add_problem (r, line, TACIT_INPUT_ERROR_INVALID,
                       "<%s> %s=\"%s\" is not a duration (an integer with a unit "
                       "ms, s, m, h or d, like 90s or 15m)", elem, spec->name, value);
          break;
        }
      break;
    case ATTR_TIMESTAMP:
      if (is_timestamp (value))
        return value;
      add_problem (r, line, TACIT_INPUT_ERROR_INVALID,
                   "<%s> %s=\"%s\" is not an RFC 3339 time with a zone "
                   "(like 2026-10-01T06:12:00Z)", elem, spec->name, value);
      break;
    case ATTR_HOLDOUT:
      if (parse_holdout (value, &d))
        return value;
      add_problem (r, line, TACIT_INPUT_ERROR_INVALID,
                   "<%s> %s=\"%s\" is not a share from 0 to 0.5", elem, spec->name, value);
      break;
    case ATTR_LANG:
      strip_xsd_space (value);
      if (is_language (value))
        return value;
      add_problem (r, line, TACIT_INPUT_ERROR_INVALID,
                   "<%s> %s=\"%s\" is not a language tag (like es or es-MX)",
                   elem, spec->name, value);
      break;
    case ATTR_EVENT_KIND:
    case ATTR_RULE_KIND:
    case ATTR_STATUS:
    case ATTR_SEVERITY:
    case ATTR_OP:
    case ATTR_EDGE:
    default:
      {
        g_autofree char *raw = g_strdup (value);

        strip_xsd_space (value);
        if (is_enum_value (spec->type, value))
          return value;
        add_problem (r, line, TACIT_INPUT_ERROR_INVALID, "<%s> %s=\"%s\" is not %s%s",
                     elem, spec->name, raw,
                     spec->type == ATTR_EDGE ? "" : "one of ", enum_choices (spec->type));
      }
      break;
    }
  g_free (value);
  return NULL;
}

static const AttrSpec *
find_spec (const AttrSpec *specs, guint n_specs, xmlAttr *attr, guint *index)
{
  gboolean is_xml_ns = attr->ns != NULL && xmlStrEqual (attr->ns->href, XML_XML_NAMESPACE);

  if (attr->ns != NULL && !is_xml_ns)
    return NULL;
  for (guint i = 0; i < n_specs; i++)
    {
      const char *name = specs[i].name;
      gboolean spec_xml = g_str_has_prefix (name, "xml:");

      if (spec_xml != is_xml_ns)
        continue;
      if (xmlStrEqual (attr->name, BAD_CAST (spec_xml ? name + 4 : name)))
        {
          *index = i;
          return &specs[i];
        }
    }
  return NULL;
}

/* Reads and checks the attributes of node; FALSE when any is missing,
 * unknown or invalid (each one reported). */
static gboolean
read_attrs (Reader         *r,
            xmlNode        *node,
            const AttrSpec *specs,
            guint           n_specs,
            Attrs          *attrs)
{
  guint before = r->problems->len;

  g_assert (n_specs <= MAX_ATTRS);
  memset (attrs, 0, sizeof *attrs);
  attrs->specs = specs;
  attrs->n_specs = n_specs;

  for (xmlAttr *attr = node->properties; attr != NULL; attr = attr->next)
    {
      guint index = 0;
      const AttrSpec *spec = find_spec (specs, n_specs, attr, &index);
      xmlChar *raw;

      if (spec == NULL)
        {
          if (attr->ns != NULL && attr->ns->prefix != NULL)
            add_problem (r, node_line (node), TACIT_INPUT_ERROR_INVALID,
                         "<%s> has an unknown attribute %s:%s=", node->name,
                         attr->ns->prefix, attr->name);
          else
            add_problem (r, node_line (node), TACIT_INPUT_ERROR_INVALID,
                         "<%s> has an unknown attribute %s=", node->name, attr->name);
          continue;
        }
      raw = xmlNodeListGetString (node->doc, attr->children, 1);
      attrs->values[index] = check_attr (r, node, spec, g_strdup (raw != NULL ? (const char *) raw : ""));
      xmlFree (raw);
    }
  for (guint i = 0; i < n_specs; i++)
    if (specs[i].required && attrs->values[i] == NULL && !xmlHasProp (node, BAD_CAST specs[i].name))
      add_problem (r, node_line (node), TACIT_INPUT_ERROR_INVALID,
                   "<%s> needs the attribute %s=", node->name, specs[i].name);
  return r->problems->len == before;
}

static void
check_no_attrs (Reader *r, xmlNode *node)
{
  g_auto(Attrs) none = { 0 };

  read_attrs (r, node, NULL, 0, &none);
}

static guint
attr_uint (const Attrs *attrs, const char *name, guint fallback)
{
  const char *value = attrs_get (attrs, name);
  guint n;

  return value != NULL && parse_uint (value, &n) ? n : fallback;
}

static TacitTime
attr_duration (const Attrs *attrs, const char *name)
{
  const char *value = attrs_get (attrs, name);
  TacitTime t = 0;

  if (value != NULL && parse_duration (value, &t) != DURATION_OK)
    t = 0;
  return t;
}

/* Selectors and predicates */

static void
read_selector (Reader        *r,
               xmlNode       *node,
               const Attrs   *attrs,
               TacitSelector *selector)
{
  const char *kind = attrs_get (attrs, "kind");
  const char *op_text = attrs_get (attrs, "op");
  const char *value = attrs_get (attrs, "value");
  TacitOp op = TACIT_OP_NONE;
  const char *problem = NULL;

  tacit_selector_clear (selector);
  if (kind != NULL)
    selector->has_kind = tacit_kind_from_string (kind, &selector->kind);
  selector->item = g_strdup (attrs_get (attrs, "item"));
  selector->code = g_strdup (attrs_get (attrs, "code"));

  if (op_text != NULL)
    tacit_op_from_string (op_text, &op);
  else if (value != NULL)
    op = TACIT_OP_EQ;   /* eq is the default when only value is given */

  if (op != TACIT_OP_NONE && value == NULL)
    {
      add_problem (r, node_line (node), TACIT_INPUT_ERROR_INVALID,
                   "<%s> op=\"%s\" needs a value= attribute", node->name, op_text);
      return;
    }
  if (!tacit_predicate_set (&selector->predicate, op, value, &problem))
    add_problem (r, node_line (node), TACIT_INPUT_ERROR_INVALID,
                 "<%s> value=\"%s\" does not fit op=\"%s\": %s",
                 node->name, value, tacit_op_to_string (op), problem);
}

static const AttrSpec on_specs[] = {
  { "kind", ATTR_EVENT_KIND, TRUE },
  { "item", ATTR_TOKEN, FALSE },
  { "code", ATTR_TOKEN, FALSE },
  { "op", ATTR_OP, FALSE },
  { "value", ATTR_STRING, FALSE },
  { "edge", ATTR_EDGE, FALSE },
  { "for", ATTR_DURATION, FALSE },
};

static void
read_trigger (Reader *r, xmlNode *node, TacitRule *rule)
{
  g_auto(Attrs) attrs = { 0 };
  TacitTrigger *trigger = &rule->trigger;

  read_attrs (r, node, on_specs, G_N_ELEMENTS (on_specs), &attrs);
  check_empty (r, node);
  read_selector (r, node, &attrs, &trigger->selector);
  trigger->selector.has_kind = TRUE;
  trigger->edge = attrs_has (&attrs, "edge") ? TACIT_EDGE_EVERY : TACIT_EDGE_AUTO;
  trigger->on_delay = attr_duration (&attrs, "for");

  if (xmlHasProp (node, BAD_CAST "for"))
    {
      if (xmlHasProp (node, BAD_CAST "edge"))
        add_problem (r, node_line (node), TACIT_INPUT_ERROR_INVALID,
                     "<on> for= cannot be combined with edge=\"every\"");
      else if (!xmlHasProp (node, BAD_CAST "value") && !xmlHasProp (node, BAD_CAST "op") &&
               !xmlHasProp (node, BAD_CAST "code"))
        add_problem (r, node_line (node), TACIT_INPUT_ERROR_INVALID,
                     "<on> for= needs a value predicate or a code (it delays the moment "
                     "the trigger becomes true)");
    }
}

static const AttrSpec state_specs[] = {
  { "item", ATTR_TOKEN, TRUE },
  { "op", ATTR_OP, FALSE },
  { "value", ATTR_STRING, FALSE },
  { "for", ATTR_DURATION, FALSE },
};

static const AttrSpec count_specs[] = {
  { "kind", ATTR_EVENT_KIND, FALSE },
  { "item", ATTR_TOKEN, FALSE },
  { "code", ATTR_TOKEN, FALSE },
  { "op", ATTR_OP, FALSE },
  { "value", ATTR_STRING, FALSE },
  { "min", ATTR_UINT, TRUE },
  { "max", ATTR_UINT, FALSE },
  { "within", ATTR_DURATION, TRUE },
};

static TacitCondition *
read_state (Reader *r, xmlNode *node)
{
  g_auto(Attrs) attrs = { 0 };
  TacitCondition *condition = tacit_condition_new (TACIT_CONDITION_STATE);

  read_attrs (r, node, state_specs, G_N_ELEMENTS (state_specs), &attrs);
  check_empty (r, node);
  read_selector (r, node, &attrs, &condition->selector);
  condition->duration = attr_duration (&attrs, "for");
  return condition;
}

static TacitCondition *
read_count (Reader *r, xmlNode *node)
{
  g_auto(Attrs) attrs = { 0 };
  TacitCondition *condition = tacit_condition_new (TACIT_CONDITION_COUNT);

  read_attrs (r, node, count_specs, G_N_ELEMENTS (count_specs), &attrs);
  check_empty (r, node);
  read_selector (r, node, &attrs, &condition->selector);
  condition->min = attr_uint (&attrs, "min", 0);
  condition->has_max = attrs_has (&attrs, "max");
  condition->max = attr_uint (&attrs, "max", 0);
  condition->within = attr_duration (&attrs, "within");
  if (condition->has_max && attrs_has (&attrs, "min") && condition->min > condition->max)
    add_problem (r, node_line (node), TACIT_INPUT_ERROR_INVALID,
                 "<count> min=\"%u\" is greater than max=\"%u\"", condition->min, condition->max);
  return condition;
}

static void
read_if (Reader *r, xmlNode *node, TacitRule *rule)
{
  check_no_attrs (r, node);
  for (xmlNode *child = node->children; child != NULL; child = child->next)
    {
      if (child->type != XML_ELEMENT_NODE)
        check_stray_text (r, child, node);
      else if (is_named (child, "state"))
        g_ptr_array_add (rule->conditions, read_state (r, child));
      else if (is_named (child, "count"))
        g_ptr_array_add (rule->conditions, read_count (r, child));
      else
        unexpected_element (r, child, node);
    }
  if (rule->conditions->len == 0)
    add_problem (r, node_line (node), TACIT_INPUT_ERROR_INVALID,
                 "<if> needs at least one <state> or <count>");
}

static const AttrSpec advise_specs[] = {
  { "severity", ATTR_SEVERITY, FALSE },
  { "cooldown", ATTR_DURATION, FALSE },
  { "holdout", ATTR_HOLDOUT, FALSE },
};

static const AttrSpec text_specs[] = {
  { "xml:lang", ATTR_LANG, FALSE },
};

static const AttrSpec action_specs[] = {
  { "parameter", ATTR_TOKEN, TRUE },
  { "change", ATTR_TEXT, TRUE },
};

static void
read_advice_text (Reader *r, xmlNode *node, TacitRule *rule)
{
  g_auto(Attrs) attrs = { 0 };
  TacitAdviceText *text = g_new0 (TacitAdviceText, 1);

  read_attrs (r, node, text_specs, G_N_ELEMENTS (text_specs), &attrs);
  text->lang = g_strdup (attrs_get (&attrs, "xml:lang"));
  text->text = strip_xsd_space (read_text_content (r, node));
  if (*text->text == '\0')
    add_problem (r, node_line (node), TACIT_INPUT_ERROR_INVALID, "<text> is empty");
  g_ptr_array_add (rule->texts, text);
}

static void
read_action (Reader *r, xmlNode *node, TacitRule *rule)
{
  g_auto(Attrs) attrs = { 0 };
  TacitAction *action = g_new0 (TacitAction, 1);

  read_attrs (r, node, action_specs, G_N_ELEMENTS (action_specs), &attrs);
  check_empty (r, node);
  action->parameter = g_strdup (attrs_get (&attrs, "parameter"));
  action->change = g_strdup (attrs_get (&attrs, "change"));
  g_ptr_array_add (rule->actions, action);
}

static void
read_advise (Reader *r, xmlNode *node, TacitRule *rule)
{
  g_auto(Attrs) attrs = { 0 };
  const char *severity;
  const char *holdout;

  read_attrs (r, node, advise_specs, G_N_ELEMENTS (advise_specs), &attrs);
  severity = attrs_get (&attrs, "severity");
  if (severity != NULL)
    tacit_severity_from_string (severity, &rule->severity);
  rule->cooldown = attr_duration (&attrs, "cooldown");
  holdout = attrs_get (&attrs, "holdout");
  if (holdout != NULL)
    parse_holdout (holdout, &rule->holdout);

  for (xmlNode *child = node->children; child != NULL; child = child->next)
    {
      if (child->type != XML_ELEMENT_NODE)
        check_stray_text (r, child, node);
      else if (is_named (child, "text"))
        read_advice_text (r, child, rule);
      else if (is_named (child, "action"))
        read_action (r, child, rule);
      else
        unexpected_element (r, child, node);
    }
  if (rule->texts->len == 0)
    add_problem (r, node_line (node), TACIT_INPUT_ERROR_INVALID, "<advise> needs at least one <text>");
}

static const AttrSpec outcome_specs[] = {
  { "kind", ATTR_EVENT_KIND, FALSE },
  { "item", ATTR_TOKEN, FALSE },
  { "code", ATTR_TOKEN, FALSE },
  { "op", ATTR_OP, FALSE },
  { "value", ATTR_STRING, FALSE },
  { "within", ATTR_DURATION, TRUE },
};

static void
read_outcome (Reader *r, xmlNode *node, TacitRule *rule)
{
  g_auto(Attrs) attrs = { 0 };

  read_attrs (r, node, outcome_specs, G_N_ELEMENTS (outcome_specs), &attrs);
  check_empty (r, node);
  read_selector (r, node, &attrs, &rule->outcome);
  rule->has_outcome = TRUE;
  rule->outcome_within = attr_duration (&attrs, "within");
}

static const AttrSpec scope_specs[] = {
  { "machine", ATTR_TOKEN, FALSE },
  { "class", ATTR_TOKEN, FALSE },
  { "cell", ATTR_TOKEN, FALSE },
};

static void
read_scope (Reader *r, xmlNode *node, TacitRule *rule)
{
  g_auto(Attrs) attrs = { 0 };
  guint n = 0;
  guint found = 0;

  read_attrs (r, node, scope_specs, G_N_ELEMENTS (scope_specs), &attrs);
  check_empty (r, node);
  for (guint i = 0; i < G_N_ELEMENTS (scope_specs); i++)
    if (xmlHasProp (node, BAD_CAST scope_specs[i].name))
      {
        n++;
        found = i;
      }
  if (n != 1)
    {
      add_problem (r, node_line (node), TACIT_INPUT_ERROR_INVALID,
                   "<scope> needs exactly one of machine=, class= or cell=");
      return;
    }
  if (attrs.values[found] != NULL)
    {
      TacitScope *scope = g_new0 (TacitScope, 1);

      /* scope_specs is in TacitScopeType order. */
      scope->type = (TacitScopeType) found;
      scope->value = g_strdup (attrs.values[found]);
      g_ptr_array_add (rule->scopes, scope);
    }
}

static const AttrSpec provenance_specs[] = {
  { "author", ATTR_TEXT, FALSE },
  { "created", ATTR_TIMESTAMP, FALSE },
  { "reviewer", ATTR_TEXT, FALSE },
  { "reviewed", ATTR_TIMESTAMP, FALSE },
  { "source-event", ATTR_TEXT, FALSE },
};

static void
read_provenance (Reader *r, xmlNode *node, TacitRule *rule)
{
  g_auto(Attrs) attrs = { 0 };

  read_attrs (r, node, provenance_specs, G_N_ELEMENTS (provenance_specs), &attrs);
  check_empty (r, node);
  rule->provenance.author = g_strdup (attrs_get (&attrs, "author"));
  rule->provenance.created = g_strdup (attrs_get (&attrs, "created"));
  rule->provenance.reviewer = g_strdup (attrs_get (&attrs, "reviewer"));
  rule->provenance.reviewed = g_strdup (attrs_get (&attrs, "reviewed"));
  rule->provenance.source_event = g_strdup (attrs_get (&attrs, "source-event"));
}

static void
read_tag (Reader *r, xmlNode *node, TacitRule *rule)
{
  g_autofree char *tag = read_text_content (r, node);

  if (!is_token (tag))
    add_problem (r, node_line (node), TACIT_INPUT_ERROR_INVALID,
                 "<tag> must be a name without white space");
  else if (g_utf8_strlen (tag, -1) > MAX_NAME_CHARS)
    add_problem (r, node_line (node), TACIT_INPUT_ERROR_INVALID,
                 "<tag> is longer than %d characters", MAX_NAME_CHARS);
  else
    g_ptr_array_add (rule->tags, g_steal_pointer (&tag));
}

static const AttrSpec rule_specs[] = {
  { "id", ATTR_RULE_ID, TRUE },
  { "kind", ATTR_RULE_KIND, TRUE },
  { "status", ATTR_STATUS, TRUE },
  { "revision", ATTR_REVISION, FALSE },
};

/* Children of <rule>: how many of each there may be. */
typedef struct {
  const char *name;
  gboolean    required;
  gboolean    repeatable;
  guint       seen;
} ChildCount;

static gboolean
count_child (Reader *r, xmlNode *child, const char *label, ChildCount *counts, guint n_counts)
{
  for (guint i = 0; i < n_counts; i++)
    if (xmlStrEqual (child->name, BAD_CAST counts[i].name))
      {
        if (counts[i].seen++ > 0 && !counts[i].repeatable)
          {
            add_problem (r, node_line (child), TACIT_INPUT_ERROR_INVALID,
                         "%s has more than one <%s>", label, counts[i].name);
            return FALSE;
          }
        return TRUE;
      }
  return TRUE;
}

static TacitRule *
read_rule (Reader *r, xmlNode *node)
{
  guint before = r->problems->len;
  g_auto(Attrs) attrs = { 0 };
  g_autoptr(TacitRule) rule = tacit_rule_new ();
  g_autofree char *label = NULL;
  const char *id;
  ChildCount counts[] = {
    { "title", TRUE, FALSE, 0 },
    { "scope", FALSE, TRUE, 0 },
    { "on", TRUE, FALSE, 0 },
    { "if", FALSE, FALSE, 0 },
    { "advise", TRUE, FALSE, 0 },
    { "outcome", FALSE, FALSE, 0 },
    { "rationale", FALSE, FALSE, 0 },
    { "provenance", FALSE, FALSE, 0 },
    { "tag", FALSE, TRUE, 0 },
  };

  read_attrs (r, node, rule_specs, G_N_ELEMENTS (rule_specs), &attrs);
  id = attrs_get (&attrs, "id");
  rule->id = g_strdup (id);
  rule->line = node_line (node);
  if (attrs_has (&attrs, "kind"))
    tacit_rule_kind_from_string (attrs_get (&attrs, "kind"), &rule->kind);
  if (attrs_has (&attrs, "status"))
    tacit_rule_status_from_string (attrs_get (&attrs, "status"), &rule->status);
  rule->revision = attr_uint (&attrs, "revision", 1);
  label = id != NULL ? g_strdup_printf ("rule '%s'", id) : g_strdup ("<rule>");

  for (xmlNode *child = node->children; child != NULL; child = child->next)
    {
      if (child->type != XML_ELEMENT_NODE)
        {
          check_stray_text (r, child, node);
          continue;
        }
      if (!in_tacit_ns (child))
        {
          unexpected_element (r, child, node);
          continue;
        }
      if (!count_child (r, child, label, counts, G_N_ELEMENTS (counts)))
        continue;
      if (is_named (child, "title"))
        {
          rule->title = strip_xsd_space (read_text_content (r, child));
          if (*rule->title == '\0')
            add_problem (r, node_line (child), TACIT_INPUT_ERROR_INVALID, "<title> is empty");
        }
      else if (is_named (child, "scope"))
        read_scope (r, child, rule);
      else if (is_named (child, "on"))
        read_trigger (r, child, rule);
      else if (is_named (child, "if"))
        read_if (r, child, rule);
      else if (is_named (child, "advise"))
        read_advise (r, child, rule);
      else if (is_named (child, "outcome"))
        read_outcome (r, child, rule);
      else if (is_named (child, "rationale"))
        {
          rule->rationale = strip_xsd_space (read_text_content (r, child));
          if (*rule->rationale == '\0')
            g_clear_pointer (&rule->rationale, g_free);
        }
      else if (is_named (child, "provenance"))
        read_provenance (r, child, rule);
      else if (is_named (child, "tag"))
        read_tag (r, child, rule);
      else
        unexpected_element (r, child, node);
    }
  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    if (counts[i].required && counts[i].seen == 0)
      add_problem (r, node_line (node), TACIT_INPUT_ERROR_INVALID,
                   "%s has no <%s>", label, counts[i].name);

  if (id != NULL)
    {
      gpointer first_line;

      if (g_hash_table_lookup_extended (r->rule_lines, id, NULL, &first_line))
        add_problem (r, node_line (node), TACIT_INPUT_ERROR_INVALID,
                     "duplicate rule id '%s' (first used at line %d)", id,
                     GPOINTER_TO_INT (first_line));
      else
        g_hash_table_insert (r->rule_lines, g_strdup (id), GINT_TO_POINTER (node_line (node)));
    }
  return r->problems->len == before ? g_steal_pointer (&rule) : NULL;
}

static const AttrSpec machine_specs[] = {
  { "id", ATTR_TOKEN, TRUE },
  { "name", ATTR_TEXT, FALSE },
  { "class", ATTR_TOKEN, FALSE },
  { "cell", ATTR_TOKEN, FALSE },
};

static void
read_machines (Reader *r, xmlNode *node, TacitLibrary *library)
{
  check_no_attrs (r, node);
  for (xmlNode *child = node->children; child != NULL; child = child->next)
    {
      g_auto(Attrs) attrs = { 0 };
      const char *id;
      gpointer first_line;

      if (child->type != XML_ELEMENT_NODE)
        {
          check_stray_text (r, child, node);
          continue;
        }
      if (!is_named (child, "machine"))
        {
          unexpected_element (r, child, node);
          continue;
        }
      read_attrs (r, child, machine_specs, G_N_ELEMENTS (machine_specs), &attrs);
      check_empty (r, child);
      id = attrs_get (&attrs, "id");
      if (id == NULL)
        continue;
      if (g_hash_table_lookup_extended (r->machine_lines, id, NULL, &first_line))
        {
          add_problem (r, node_line (child), TACIT_INPUT_ERROR_INVALID,
                       "duplicate machine id '%s' (first used at line %d)", id,
                       GPOINTER_TO_INT (first_line));
          continue;
        }
      g_hash_table_insert (r->machine_lines, g_strdup (id), GINT_TO_POINTER (node_line (child)));
      tacit_library_add_machine (library, id, attrs_get (&attrs, "name"),
                                 attrs_get (&attrs, "class"), attrs_get (&attrs, "cell"));
    }
}

static const AttrSpec library_specs[] = {
  { "name", ATTR_TEXT, FALSE },
  { "revision", ATTR_REVISION, FALSE },
};

static TacitLibrary *
read_library (Reader *r, xmlDoc *doc)
{
  xmlNode *root = xmlDocGetRootElement (doc);
  g_autoptr(TacitLibrary) library = tacit_library_new ();
  g_auto(Attrs) attrs = { 0 };
  guint n_machines = 0;

  if (root == NULL || !is_named (root, "library"))
    {
      add_problem (r, root != NULL ? node_line (root) : 1, TACIT_INPUT_ERROR_INVALID,
                   "the root element must be <library xmlns=\"" TACIT_RULES_NS "\">");
      return NULL;
    }
  read_attrs (r, root, library_specs, G_N_ELEMENTS (library_specs), &attrs);
  tacit_library_set_name (library, attrs_get (&attrs, "name"));
  tacit_library_set_revision (library, attr_uint (&attrs, "revision", 1));

  for (xmlNode *child = root->children; child != NULL; child = child->next)
    {
      if (child->type != XML_ELEMENT_NODE)
        check_stray_text (r, child, root);
      else if (is_named (child, "rule"))
        {
          g_autoptr(TacitRule) rule = read_rule (r, child);

          if (rule != NULL)
            tacit_library_add_rule (library, rule, NULL);
        }
      else if (is_named (child, "machines"))
        {
          if (n_machines++ > 0)
            add_problem (r, node_line (child), TACIT_INPUT_ERROR_INVALID,
                         "<library> has more than one <machines>");
          else
            read_machines (r, child, library);
        }
      else
        unexpected_element (r, child, root);
    }
  return r->problems->len == 0 ? g_steal_pointer (&library) : NULL;
}

/* Step 5: the schema */

static GMutex schema_lock;
static xmlRelaxNGPtr schema;

static void
schema_error (void *user_data, xmlErrorPtr error)
{
  Reader *r = user_data;
  g_autofree char *message = NULL;

  if (error == NULL || error->level < XML_ERR_ERROR)
    return;
  /* libxml2 repeats one problem up the tree ("failed to validate
   * content"); the first one says what is wrong. */
  if (r->parse_message != NULL)
    return;
  r->parse_line = error->line > 0 ? error->line
                  : error->node != NULL ? node_line (error->node) : 1;
  r->parse_message = clean_libxml_message (error->message);
}

/* Called with schema_lock held. */
static xmlRelaxNGPtr
ensure_schema (void)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(xmlRelaxNGParserCtxt) pctxt = NULL;
  gsize size = 0;
  const char *data;

  if (schema != NULL)
    return schema;
  bytes = g_resources_lookup_data (SCHEMA_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  if (bytes == NULL)
    {
      g_critical ("The rule library schema %s is not in the resources", SCHEMA_RESOURCE);
      return NULL;
    }
  data = g_bytes_get_data (bytes, &size);
  pctxt = xmlRelaxNGNewMemParserCtxt (data, (int) size);
  xmlRelaxNGSetParserStructuredErrors (pctxt, global_structured_error, NULL);
  schema = xmlRelaxNGParse (pctxt);
  if (schema == NULL)
    g_critical ("The rule library schema %s does not compile", SCHEMA_RESOURCE);
  return schema;
}

static void
validate_schema (Reader *r, xmlDoc *doc)
{
  g_autoptr(xmlRelaxNGValidCtxt) vctxt = NULL;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&schema_lock);
  xmlRelaxNGPtr rng = ensure_schema ();
  int ret;

  if (rng == NULL)
    {
      add_problem (r, 1, TACIT_INPUT_ERROR_INVALID, "the schema is not available");
      return;
    }
  vctxt = xmlRelaxNGNewValidCtxt (rng);
  g_clear_pointer (&r->parse_message, g_free);
  xmlRelaxNGSetValidStructuredErrors (vctxt, schema_error, r);
  ret = xmlRelaxNGValidateDoc (vctxt, doc);
  if (ret != 0)
    add_problem (r, r->parse_message != NULL ? r->parse_line : 1, TACIT_INPUT_ERROR_INVALID,
                 "does not match the schema tacit-rules-1.rng: %s",
                 r->parse_message != NULL ? r->parse_message : "invalid");
}

/* The pipeline */

static TacitLibrary *
read_data (Reader *r, const char *data, gsize len)
{
  ErrorGuard guard;
  g_autoptr(xmlDoc) doc = NULL;
  g_autoptr(TacitLibrary) library = NULL;

  error_guard_push (&guard);
  doc = parse_document (r, data, len);
  if (doc != NULL)
    library = read_library (r, doc);
  if (library != NULL)
    validate_schema (r, doc);
  error_guard_pop (&guard);

  return r->problems->len == 0 ? g_steal_pointer (&library) : NULL;
}

TacitLibrary *
tacit_library_load_data (const char  *data,
                         gsize        len,
                         const char  *display_name,
                         GError     **error)
{
  Reader r;
  TacitLibrary *library;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  reader_init (&r, display_name != NULL ? display_name : "library.xml");
  library = read_data (&r, data != NULL ? data : "", len);
  if (library == NULL)
    reader_set_error (&r, error);
  reader_clear (&r);
  return library;
}

/* Reads a file, refusing one over the size bound before reading it. */
static gboolean
read_file (Reader *r, const char *path, char **contents, gsize *len, GError **error)
{
  GStatBuf st;

  if (g_stat (path, &st) == 0 && st.st_size > TACIT_LIBRARY_MAX_BYTES)
    {
      add_problem (r, 1, TACIT_INPUT_ERROR_TOO_LARGE,
                   "the library is larger than %d MiB", TACIT_LIBRARY_MAX_BYTES / (1024 * 1024));
      *contents = NULL;
      *len = 0;
      return TRUE;
    }
  return g_file_get_contents (path, contents, len, error);
}

TacitLibrary *
tacit_library_load_file (const char  *path,
                         GError     **error)
{
  Reader r;
  g_autofree char *contents = NULL;
  gsize len = 0;
  TacitLibrary *library = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  reader_init (&r, path);
  if (!read_file (&r, path, &contents, &len, error))
    {
      reader_clear (&r);
      return NULL;
    }
  if (r.problems->len == 0)
    library = read_data (&r, contents, len);
  if (library == NULL)
    reader_set_error (&r, error);
  reader_clear (&r);
  return library;
}

gboolean
tacit_library_validate_file (const char  *path,
                             GPtrArray  **problems,
                             GError     **error)
{
  Reader r;
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_autoptr(TacitLibrary) library = NULL;
  gboolean valid;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  reader_init (&r, path);
  if (!read_file (&r, path, &contents, &len, error))
    {
      reader_clear (&r);
      if (problems != NULL)
        *problems = g_ptr_array_new_with_free_func (g_free);
      return FALSE;
    }
  if (r.problems->len == 0)
    library = read_data (&r, contents, len);
  valid = r.problems->len == 0;
  if (problems != NULL)
    *problems = reader_steal_messages (&r);
  reader_clear (&r);
  return valid;
}

/* A standalone <rule> is validated as the only rule of a library: one
 * schema, one walk, the same messages. */
static xmlDoc *
wrap_rule (Reader *r, xmlDoc *rule_doc)
{
  xmlNode *root = xmlDocGetRootElement (rule_doc);
  xmlDoc *doc;
  xmlNode *library;
  xmlNs *ns;

  if (root == NULL || !is_named (root, "rule"))
    {
      add_problem (r, root != NULL ? node_line (root) : 1, TACIT_INPUT_ERROR_INVALID,
                   "the root element must be <rule xmlns=\"" TACIT_RULES_NS "\">");
      return NULL;
    }
  doc = xmlNewDoc (BAD_CAST "1.0");
  library = xmlNewDocNode (doc, NULL, BAD_CAST "library", NULL);
  ns = xmlNewNs (library, BAD_CAST TACIT_RULES_NS, NULL);
  xmlSetNs (library, ns);
  xmlDocSetRootElement (doc, library);
  xmlAddChild (library, xmlDocCopyNode (root, doc, 1));
  return doc;
}

TacitRule *
tacit_rule_from_xml (const char  *xml,
                     gssize       len,
                     GError     **error)
{
  Reader r;
  ErrorGuard guard;
  g_autoptr(xmlDoc) rule_doc = NULL;
  g_autoptr(xmlDoc) doc = NULL;
  g_autoptr(TacitLibrary) library = NULL;
  TacitRule *rule = NULL;

  g_return_val_if_fail (xml != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (len < 0)
    len = (gssize) strlen (xml);
  reader_init (&r, RULE_DISPLAY_NAME);
  error_guard_push (&guard);
  rule_doc = parse_document (&r, xml, (gsize) len);
  if (rule_doc != NULL)
    doc = wrap_rule (&r, rule_doc);
  if (doc != NULL)
    library = read_library (&r, doc);
  if (library != NULL)
    validate_schema (&r, doc);
  error_guard_pop (&guard);

  if (r.problems->len == 0 && library != NULL)
    rule = tacit_rule_ref (g_ptr_array_index (tacit_library_get_rules (library), 0));
  else
    reader_set_error (&r, error);
  reader_clear (&r);
  return rule;
}

/* Writing: canonical XML */

/* Characters XML 1.0 cannot carry become U+FFFD, so that the output
 * always parses; white space in attributes is written as character
 * references, so that it survives attribute-value normalisation. */
static void
append_escaped (GString *out, const char *text, gboolean attribute)
{
  g_autofree char *valid = NULL;

  if (text == NULL)
    return;
  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      switch (c)
        {
        case '&':
          g_string_append (out, "&amp;");
          break;
        case '<':
          g_string_append (out, "&lt;");
          break;
        case '>':
          g_string_append (out, "&gt;");
          break;
        case '"':
          g_string_append (out, attribute ? "&quot;" : "\"");
          break;
        case '\r':
          g_string_append (out, "&#13;");
          break;
        case '\t':
        case '\n':
          if (attribute)
            g_string_append_printf (out, "&#%u;", c);
          else
            g_string_append_c (out, (char) c);
          break;
        default:
          if ((c < 0x20) || c == 0xFFFE || c == 0xFFFF)
            g_string_append_unichar (out, 0xFFFD);
          else
            g_string_append_len (out, p, g_utf8_next_char (p) - p);
          break;
        }
    }
}

static void
append_attr (GString *out, const char *name, const char *value)
{
  if (value == NULL)
    return;
  g_string_append_printf (out, " %s=\"", name);
  append_escaped (out, value, TRUE);
  g_string_append_c (out, '"');
}

static void
append_attr_uint (GString *out, const char *name, guint value)
{
  g_string_append_printf (out, " %s=\"%u\"", name, value);
}

static void
append_attr_duration (GString *out, const char *name, TacitTime duration)
{
  g_autofree char *text = tacit_duration_format (duration);

  append_attr (out, name, text);
}

static void
append_indent (GString *out, int indent)
{
  for (int i = 0; i < indent; i++)
    g_string_append (out, "  ");
}

static void
append_text_element (GString *out, int indent, const char *name,
                     const char *lang, const char *text)
{
  append_indent (out, indent);
  g_string_append_printf (out, "<%s", name);
  append_attr (out, "xml:lang", lang);
  g_string_append_c (out, '>');
  append_escaped (out, text, FALSE);
  g_string_append_printf (out, "</%s>\n", name);
}

/* kind, item, code, op, value: op is left out when it is the default eq. */
static void
append_selector (GString *out, const TacitSelector *selector, gboolean with_kind, gboolean with_code)
{
  const TacitPredicate *predicate = &selector->predicate;

  if (with_kind && selector->has_kind)
    append_attr (out, "kind", tacit_kind_to_string (selector->kind));
  append_attr (out, "item", selector->item);
  if (with_code)
    append_attr (out, "code", selector->code);
  if (predicate->op != TACIT_OP_NONE)
    {
      if (predicate->op != TACIT_OP_EQ)
        append_attr (out, "op", tacit_op_to_string (predicate->op));
      append_attr (out, "value", predicate->value != NULL ? predicate->value : "");
    }
}

static void
append_condition (GString *out, int indent, const TacitCondition *condition)
{
  append_indent (out, indent);
  switch (condition->type)
    {
    case TACIT_CONDITION_STATE:
      g_string_append (out, "<state");
      append_selector (out, &condition->selector, FALSE, FALSE);
      if (condition->duration != 0)
        append_attr_duration (out, "for", condition->duration);
      break;
    case TACIT_CONDITION_COUNT:
    default:
      g_string_append (out, "<count");
      append_selector (out, &condition->selector, TRUE, TRUE);
      append_attr_uint (out, "min", condition->min);
      if (condition->has_max)
        append_attr_uint (out, "max", condition->max);
      append_attr_duration (out, "within", condition->within);
      break;
    }
  g_string_append (out, "/>\n");
}

static void
append_advise (GString *out, int indent, const TacitRule *rule)
{
  append_indent (out, indent);
  g_string_append (out, "<advise");
  if (rule->severity != TACIT_SEVERITY_INFO)
    append_attr (out, "severity", tacit_severity_to_string (rule->severity));
  if (rule->cooldown != 0)
    append_attr_duration (out, "cooldown", rule->cooldown);
  if (rule->holdout > 0)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      gsize n;

      /* Six decimals, trailing zeros dropped: what the reader keeps. */
      g_ascii_formatd (buf, sizeof buf, "%.6f", rule->holdout);
      n = strlen (buf);
      while (n > 1 && buf[n - 1] == '0')
        buf[--n] = '\0';
      if (n > 0 && buf[n - 1] == '.')
        buf[--n] = '\0';
      if (strcmp (buf, "0") != 0)
        append_attr (out, "holdout", buf);
    }
  g_string_append (out, ">\n");
  for (guint i = 0; i < rule->texts->len; i++)
    {
      const TacitAdviceText *text = g_ptr_array_index (rule->texts, i);
      append_text_element (out, indent + 1, "text", text->lang, text->text);
    }
  for (guint i = 0; i < rule->actions->len; i++)
    {
      const TacitAction *action = g_ptr_array_index (rule->actions, i);

      append_indent (out, indent + 1);
      g_string_append (out, "<action");
      append_attr (out, "parameter", action->parameter);
      append_attr (out, "change", action->change);
      g_string_append (out, "/>\n");
    }
  append_indent (out, indent);
  g_string_append (out, "</advise>\n");
}

static void
append_provenance (GString *out, int indent, const TacitProvenance *provenance)
{
  if (provenance->author == NULL && provenance->created == NULL &&
      provenance->reviewer == NULL && provenance->reviewed == NULL &&
      provenance->source_event == NULL)
    return;
  append_indent (out, indent);
  g_string_append (out, "<provenance");
  append_attr (out, "author", provenance->author);
  append_attr (out, "created", provenance->created);
  append_attr (out, "reviewer", provenance->reviewer);
  append_attr (out, "reviewed", provenance->reviewed);
  append_attr (out, "source-event", provenance->source_event);
  g_string_append (out, "/>\n");
}

static void
append_rule (GString *out, int indent, const TacitRule *rule, gboolean standalone)
{
  const TacitTrigger *trigger = &rule->trigger;

  append_indent (out, indent);
  g_string_append (out, "<rule");
  if (standalone)
    append_attr (out, "xmlns", TACIT_RULES_NS);
  append_attr (out, "id", rule->id != NULL ? rule->id : "");
  append_attr (out, "kind", tacit_rule_kind_to_string (rule->kind));
  append_attr (out, "status", tacit_rule_status_to_string (rule->status));
  if (rule->revision != 1)
    append_attr_uint (out, "revision", rule->revision);
  g_string_append (out, ">\n");

  append_text_element (out, indent + 1, "title", NULL, rule->title != NULL ? rule->title : "");
  for (guint i = 0; i < rule->scopes->len; i++)
    {
      const TacitScope *scope = g_ptr_array_index (rule->scopes, i);

      append_indent (out, indent + 1);
      g_string_append (out, "<scope");
      append_attr (out, tacit_scope_type_to_string (scope->type), scope->value);
      g_string_append (out, "/>\n");
    }

  append_indent (out, indent + 1);
  g_string_append (out, "<on");
  append_attr (out, "kind", tacit_kind_to_string (trigger->selector.kind));
  append_selector (out, &trigger->selector, FALSE, TRUE);
  if (trigger->edge == TACIT_EDGE_EVERY)
    append_attr (out, "edge", "every");
  if (trigger->on_delay != 0)
    append_attr_duration (out, "for", trigger->on_delay);
  g_string_append (out, "/>\n");

  if (rule->conditions->len > 0)
    {
      append_indent (out, indent + 1);
      g_string_append (out, "<if>\n");
      for (guint i = 0; i < rule->conditions->len; i++)
        append_condition (out, indent + 2, g_ptr_array_index (rule->conditions, i));
      append_indent (out, indent + 1);
      g_string_append (out, "</if>\n");
    }

  append_advise (out, indent + 1, rule);

  if (rule->has_outcome)
    {
      append_indent (out, indent + 1);
      g_string_append (out, "<outcome");
      append_selector (out, &rule->outcome, TRUE, TRUE);
      append_attr_duration (out, "within", rule->outcome_within);
      g_string_append (out, "/>\n");
    }
  if (rule->rationale != NULL && *rule->rationale != '\0')
    append_text_element (out, indent + 1, "rationale", NULL, rule->rationale);
  append_provenance (out, indent + 1, &rule->provenance);
  for (guint i = 0; i < rule->tags->len; i++)
    append_text_element (out, indent + 1, "tag", NULL, g_ptr_array_index (rule->tags, i));

  append_indent (out, indent);
  g_string_append (out, "</rule>\n");
}

static int
compare_machines (gconstpointer a,
                  gconstpointer b)
{
  const TacitMachine *ma = *(const TacitMachine * const *) a;
  const TacitMachine *mb = *(const TacitMachine * const *) b;

  return strcmp (ma->id, mb->id);
}

char *
tacit_library_to_xml (TacitLibrary *library,
                      gsize        *len)
{
  GString *out;
  g_autoptr(GPtrArray) machines = NULL;
  g_autoptr(GPtrArray) rules = NULL;
  GPtrArray *all_machines;

  g_return_val_if_fail (TACIT_IS_LIBRARY (library), NULL);

  all_machines = tacit_library_get_machines (library);
  machines = g_ptr_array_new_full (all_machines->len, NULL);
  for (guint i = 0; i < all_machines->len; i++)
    g_ptr_array_add (machines, g_ptr_array_index (all_machines, i));
  g_ptr_array_sort (machines, compare_machines);
  rules = tacit_library_dup_rules_sorted (library);

  out = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<library");
  append_attr (out, "xmlns", TACIT_RULES_NS);
  append_attr (out, "name", tacit_library_get_name (library));
  if (tacit_library_get_revision (library) != 1)
    append_attr_uint (out, "revision", tacit_library_get_revision (library));
  if (machines->len == 0 && rules->len == 0)
    g_string_append (out, "/>\n");
  else
    {
      g_string_append (out, ">\n");
      if (machines->len > 0)
        {
          g_string_append (out, "  <machines>\n");
          for (guint i = 0; i < machines->len; i++)
            {
              const TacitMachine *machine = g_ptr_array_index (machines, i);

              g_string_append (out, "    <machine");
              append_attr (out, "id", machine->id);
              append_attr (out, "name", machine->name);
              append_attr (out, "class", machine->class_name);
              append_attr (out, "cell", machine->cell);
              g_string_append (out, "/>\n");
            }
          g_string_append (out, "  </machines>\n");
        }
      for (guint i = 0; i < rules->len; i++)
        append_rule (out, 1, g_ptr_array_index (rules, i), FALSE);
      g_string_append (out, "</library>\n");
    }
  if (len != NULL)
    *len = out->len;
  return g_string_free (out, FALSE);
}

char *
tacit_rule_to_xml (const TacitRule *rule)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (rule != NULL, NULL);

  append_rule (out, 0, rule, TRUE);
  return g_string_free (out, FALSE);
}

gboolean
tacit_library_save_file (TacitLibrary  *library,
                         const char    *path,
                         GError       **error)
{
  g_autofree char *xml = NULL;
  gsize len = 0;

  g_return_val_if_fail (TACIT_IS_LIBRARY (library), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  xml = tacit_library_to_xml (library, &len);
  /* g_file_set_contents writes a temporary file and renames it. */
  return g_file_set_contents (path, xml, (gssize) len, error);
}
