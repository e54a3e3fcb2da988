/* tacit-xml-guard.h: checks every hardened XML reader of the core makes
 * on the raw bytes before libxml2 sees them (rule libraries, import
 * profiles). Private to the core.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <libxml/parser.h>

G_BEGIN_DECLS

#define TACIT_XML_NO_DOCTYPE G_MAXSIZE

/* 1-based line of the byte at offset. */
guint64 _tacit_text_line_at       (const char *data,
                                   gsize       offset);
/* The offset of a DOCTYPE in the prolog (after the XML declaration,
 * comments and processing instructions, before the root element), or
 * TACIT_XML_NO_DOCTYPE. A DOCTYPE can only stand there. */
gsize   _tacit_xml_find_doctype   (const char *data,
                                   gsize       len);

/* Element depth is bounded while parsing, so a 10,000-deep document never
 * becomes a tree. */
#define TACIT_XML_MAX_DEPTH 64

typedef struct {
  guint depth;
  int   deep_line;   /* first element nested too deep, 0: none */
} TacitXmlDepthGuard;

/* Installs element handlers that stop the parser past TACIT_XML_MAX_DEPTH.
 * ctxt->_private must point at a struct whose first member is a
 * TacitXmlDepthGuard. */
void    _tacit_xml_guard_depth    (xmlParserCtxtPtr ctxt);

G_END_DECLS
