/* tacit-decompress.h: bzip2 and xz decompression as GConverters, beside
 * GLib's GZlibDecompressor, and the choice among them by file name.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TACIT_TYPE_BZIP2_DECOMPRESSOR (tacit_bzip2_decompressor_get_type ())
G_DECLARE_FINAL_TYPE (TacitBzip2Decompressor, tacit_bzip2_decompressor, TACIT, BZIP2_DECOMPRESSOR, GObject)

#define TACIT_TYPE_XZ_DECOMPRESSOR (tacit_xz_decompressor_get_type ())
G_DECLARE_FINAL_TYPE (TacitXzDecompressor, tacit_xz_decompressor, TACIT, XZ_DECOMPRESSOR, GObject)

/* Concatenated streams (pbzip2, xz with several streams) are read to the
 * end. Corrupt data is G_IO_ERROR_INVALID_DATA, a truncated stream
 * G_IO_ERROR_PARTIAL_INPUT. */
TacitBzip2Decompressor *tacit_bzip2_decompressor_new (void);
TacitXzDecompressor    *tacit_xz_decompressor_new    (void);

/* The suffix's length when path ends in .gz, .bz2 or .xz (any case), else 0. */
gsize                   tacit_decompress_suffix_len  (const char   *path);
/* stream, decompressed as its name says (.gz, .bz2, .xz), or a new
 * reference to stream itself. */
GInputStream           *tacit_decompress_wrap        (const char   *path,
                                                      GInputStream *stream);

G_END_DECLS
