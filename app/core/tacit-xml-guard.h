/* tacit-xml-guard.h: checks every hardened XML reader of the core makes
 * on the raw bytes before libxml2 sees them (rule libraries, import
 * profiles). Private to the core.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

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

G_END_DECLS
