/* tacit-library-xml.h: reading, validating and writing rule library XML
 * (namespace urn:tacit:rules:1, schema data/tacit-rules-1.rng).
 *
 * Every reader is hardened: no network, no DTD loading, no entity
 * expansion, documents with a DOCTYPE refused, size and depth bounded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "tacit-library.h"

G_BEGIN_DECLS

#define TACIT_RULES_NS "urn:tacit:rules:1"
#define TACIT_LIBRARY_MAX_BYTES (256 * 1024 * 1024)

/* Validates against the RELAX NG schema and the checks the schema cannot
 * express (unique ids, scopes, durations, predicates), then loads. Error in
 * TACIT_INPUT_ERROR: "FILE:LINE: problem" for the first problem. */
TacitLibrary *tacit_library_load_file     (const char    *path,
                                           GError       **error);
TacitLibrary *tacit_library_load_data     (const char    *data,
                                           gsize          len,
                                           const char    *display_name,
                                           GError       **error);

/* Like load, but collects every problem ("FILE:LINE: problem", char*) into
 * *problems. Returns TRUE when valid. error is set only when the file can't
 * be read at all (I/O). */
gboolean      tacit_library_validate_file (const char    *path,
                                           GPtrArray    **problems,
                                           GError       **error);

/* Canonical XML: machines by id, rules by id, attributes and elements in a
 * fixed order, defaults omitted. save(load(x)) == save(load(save(load(x)))). */
char         *tacit_library_to_xml        (TacitLibrary  *library,
                                           gsize         *len);
/* One rule as a standalone canonical <rule xmlns="urn:tacit:rules:1">
 * element (the store keeps every revision in this form), and back. */
char         *tacit_rule_to_xml           (const TacitRule *rule);
TacitRule    *tacit_rule_from_xml         (const char    *xml,
                                           gssize         len,
                                           GError       **error);

/* Atomic (temporary file + rename). */
gboolean      tacit_library_save_file     (TacitLibrary  *library,
                                           const char    *path,
                                           GError       **error);

G_END_DECLS
