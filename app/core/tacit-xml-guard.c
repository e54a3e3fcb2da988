/* tacit-xml-guard.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-xml-guard.h"

#include <string.h>

#include <libxml/SAX2.h>

guint64
_tacit_text_line_at (const char *data, gsize offset)
{
  guint64 line = 1;

  for (gsize i = 0; i < offset; i++)
    line += data[i] == '\n';
  return line;
}

static gboolean
skip_past (const char *data, gsize len, gsize *pos, const char *terminator)
{
  gsize tlen = strlen (terminator);

  for (gsize i = *pos; i + tlen <= len; i++)
    if (memcmp (data + i, terminator, tlen) == 0)
      {
        *pos = i + tlen;
        return TRUE;
      }
  return FALSE;
}

gsize
_tacit_xml_find_doctype (const char *data, gsize len)
{
  gsize pos = len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;

  for (;;)
    {
      while (pos < len && strchr (" \t\r\n", data[pos]) != NULL)
        pos++;
      /* An unterminated declaration or comment is the parser's to report. */
      if (pos + 2 <= len && memcmp (data + pos, "<?", 2) == 0)
        {
          if (!skip_past (data, len, &pos, "?>"))
            return TACIT_XML_NO_DOCTYPE;
        }
      else if (pos + 4 <= len && memcmp (data + pos, "<!--", 4) == 0)
        {
          if (!skip_past (data, len, &pos, "-->"))
            return TACIT_XML_NO_DOCTYPE;
        }
      else if (pos + 9 <= len && memcmp (data + pos, "<!DOCTYPE", 9) == 0)
        return pos;
      else
        return TACIT_XML_NO_DOCTYPE;
    }
}

static void
start_element (void           *ctx,
               const xmlChar  *localname,
               const xmlChar  *prefix,
               const xmlChar  *uri,
               int             nb_namespaces,
               const xmlChar **namespaces,
               int             nb_attributes,
               int             nb_defaulted,
               const xmlChar **attributes)
{
  xmlParserCtxtPtr ctxt = ctx;
  TacitXmlDepthGuard *guard = ctxt->_private;

  if (++guard->depth > TACIT_XML_MAX_DEPTH)
    {
      if (guard->deep_line == 0)
        guard->deep_line = xmlSAX2GetLineNumber (ctxt);
      xmlStopParser (ctxt);
      return;
    }
  xmlSAX2StartElementNs (ctx, localname, prefix, uri, nb_namespaces, namespaces,
                         nb_attributes, nb_defaulted, attributes);
}

static void
end_element (void          *ctx,
             const xmlChar *localname,
             const xmlChar *prefix,
             const xmlChar *uri)
{
  xmlParserCtxtPtr ctxt = ctx;
  TacitXmlDepthGuard *guard = ctxt->_private;

  if (guard->depth > 0)
    guard->depth--;
  xmlSAX2EndElementNs (ctx, localname, prefix, uri);
}

void
_tacit_xml_guard_depth (xmlParserCtxtPtr ctxt)
{
  ctxt->sax->startElementNs = start_element;
  ctxt->sax->endElementNs = end_element;
}
