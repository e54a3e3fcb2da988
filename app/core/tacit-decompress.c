/* tacit-decompress.c: bzip2 (libbz2) and xz (liblzma) decompressors as
 * GConverters, so that a GConverterInputStream reads them like GLib's own
 * gzip one.
 *
 * GConverter's contract: consume what can be consumed, say
 * G_IO_ERROR_PARTIAL_INPUT when nothing can happen without more input
 * (the stream then reads more; with INPUT_AT_END it is a truncated file),
 * and FINISHED only at the true end.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tacit-decompress.h"

#include <string.h>

#include <bzlib.h>
#include <lzma.h>

/* xz -9 needs 65 MiB to decompress; anything asking for far more is not
 * a log file. */
#define XZ_MEMLIMIT (G_GUINT64_CONSTANT (512) * 1024 * 1024)

static void
set_truncated (GError **error, const char *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
               "the %s data ends early (truncated file)", what);
}

static void
set_need_more (GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT, "need more input");
}

/* ---- bzip2 ----------------------------------------------------------- */

struct _TacitBzip2Decompressor
{
  GObject   parent_instance;
  bz_stream bz;
  gboolean  initialized;
  gboolean  at_boundary;   /* between streams: the file may end here */
};

static void tacit_bzip2_decompressor_iface_init (GConverterIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TacitBzip2Decompressor, tacit_bzip2_decompressor, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_CONVERTER,
                                                      tacit_bzip2_decompressor_iface_init))

static void
bzip2_end (TacitBzip2Decompressor *self)
{
  if (self->initialized)
    BZ2_bzDecompressEnd (&self->bz);
  self->initialized = FALSE;
  self->at_boundary = TRUE;
}

static gboolean
bzip2_begin (TacitBzip2Decompressor *self,
             GError                **error)
{
  bzip2_end (self);
  memset (&self->bz, 0, sizeof self->bz);
  if (BZ2_bzDecompressInit (&self->bz, 0, 0) != BZ_OK)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           "cannot start the bzip2 decompressor");
      return FALSE;
    }
  self->initialized = TRUE;
  self->at_boundary = FALSE;
  return TRUE;
}

static GConverterResult
tacit_bzip2_decompressor_convert (GConverter      *converter,
                                  const void      *inbuf,
                                  gsize            inbuf_size,
                                  void            *outbuf,
                                  gsize            outbuf_size,
                                  GConverterFlags  flags,
                                  gsize           *bytes_read,
                                  gsize           *bytes_written,
                                  GError         **error)
{
  TacitBzip2Decompressor *self = TACIT_BZIP2_DECOMPRESSOR (converter);
  gboolean at_end = (flags & G_CONVERTER_INPUT_AT_END) != 0;
  gsize in_size = MIN (inbuf_size, G_MAXUINT);
  gsize out_size = MIN (outbuf_size, G_MAXUINT);
  int ret;

  *bytes_read = *bytes_written = 0;
  if (self->at_boundary)
    {
      if (in_size == 0)
        {
          if (at_end)
            return G_CONVERTER_FINISHED;
          if (flags & G_CONVERTER_FLUSH)
            return G_CONVERTER_FLUSHED;
          set_need_more (error);
          return G_CONVERTER_ERROR;
        }
      if (!bzip2_begin (self, error))
        return G_CONVERTER_ERROR;
    }
  if (out_size == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "no room for output");
      return G_CONVERTER_ERROR;
    }

  self->bz.next_in = (char *) inbuf;
  self->bz.avail_in = (unsigned int) in_size;
  self->bz.next_out = outbuf;
  self->bz.avail_out = (unsigned int) out_size;
  ret = BZ2_bzDecompress (&self->bz);
  *bytes_read = in_size - self->bz.avail_in;
  *bytes_written = out_size - self->bz.avail_out;

  switch (ret)
    {
    case BZ_STREAM_END:
      /* Another stream may follow (pbzip2 writes many). */
      bzip2_end (self);
      if (at_end && *bytes_read == inbuf_size)
        return G_CONVERTER_FINISHED;
      return G_CONVERTER_CONVERTED;
    case BZ_OK:
      if (*bytes_read == 0 && *bytes_written == 0)
        {
          if (at_end)
            set_truncated (error, "bzip2");
          else
            set_need_more (error);
          return G_CONVERTER_ERROR;
        }
      return G_CONVERTER_CONVERTED;
    case BZ_MEM_ERROR:
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "out of memory");
      return G_CONVERTER_ERROR;
    case BZ_DATA_ERROR_MAGIC:
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "not bzip2 data");
      return G_CONVERTER_ERROR;
    case BZ_DATA_ERROR:
    default:
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "corrupt bzip2 data");
      return G_CONVERTER_ERROR;
    }
}

static void
tacit_bzip2_decompressor_reset (GConverter *converter)
{
  bzip2_end (TACIT_BZIP2_DECOMPRESSOR (converter));
}

static void
tacit_bzip2_decompressor_finalize (GObject *object)
{
  bzip2_end (TACIT_BZIP2_DECOMPRESSOR (object));
  G_OBJECT_CLASS (tacit_bzip2_decompressor_parent_class)->finalize (object);
}

static void
tacit_bzip2_decompressor_iface_init (GConverterIface *iface)
{
  iface->convert = tacit_bzip2_decompressor_convert;
  iface->reset = tacit_bzip2_decompressor_reset;
}

static void
tacit_bzip2_decompressor_class_init (TacitBzip2DecompressorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tacit_bzip2_decompressor_finalize;
}

static void
tacit_bzip2_decompressor_init (TacitBzip2Decompressor *self)
{
  self->at_boundary = TRUE;
}

TacitBzip2Decompressor *
tacit_bzip2_decompressor_new (void)
{
  return g_object_new (TACIT_TYPE_BZIP2_DECOMPRESSOR, NULL);
}

/* ---- xz -------------------------------------------------------------- */

struct _TacitXzDecompressor
{
  GObject     parent_instance;
  lzma_stream lz;
  gboolean    initialized;
};

static void tacit_xz_decompressor_iface_init (GConverterIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TacitXzDecompressor, tacit_xz_decompressor, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_CONVERTER,
                                                      tacit_xz_decompressor_iface_init))

static void
xz_end (TacitXzDecompressor *self)
{
  if (self->initialized)
    lzma_end (&self->lz);
  self->initialized = FALSE;
}

static gboolean
xz_begin (TacitXzDecompressor *self,
          GError             **error)
{
  const lzma_stream init = LZMA_STREAM_INIT;

  xz_end (self);
  self->lz = init;
  /* CONCATENATED: several streams one after the other are one file. */
  if (lzma_stream_decoder (&self->lz, XZ_MEMLIMIT, LZMA_CONCATENATED) != LZMA_OK)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           "cannot start the xz decompressor");
      return FALSE;
    }
  self->initialized = TRUE;
  return TRUE;
}

static GConverterResult
tacit_xz_decompressor_convert (GConverter      *converter,
                               const void      *inbuf,
                               gsize            inbuf_size,
                               void            *outbuf,
                               gsize            outbuf_size,
                               GConverterFlags  flags,
                               gsize           *bytes_read,
                               gsize           *bytes_written,
                               GError         **error)
{
  TacitXzDecompressor *self = TACIT_XZ_DECOMPRESSOR (converter);
  gboolean at_end = (flags & G_CONVERTER_INPUT_AT_END) != 0;
  lzma_ret ret;

  *bytes_read = *bytes_written = 0;
  if (!self->initialized && !xz_begin (self, error))
    return G_CONVERTER_ERROR;
  if (outbuf_size == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "no room for output");
      return G_CONVERTER_ERROR;
    }

  self->lz.next_in = inbuf;
  self->lz.avail_in = inbuf_size;
  self->lz.next_out = outbuf;
  self->lz.avail_out = outbuf_size;
  ret = lzma_code (&self->lz, at_end ? LZMA_FINISH : LZMA_RUN);
  *bytes_read = inbuf_size - self->lz.avail_in;
  *bytes_written = outbuf_size - self->lz.avail_out;

  /* lzma_ret has internal values: an if chain rather than a switch. */
  if (ret == LZMA_STREAM_END)
    return G_CONVERTER_FINISHED;
  if (ret == LZMA_OK || ret == LZMA_BUF_ERROR)
    {
      if (*bytes_read == 0 && *bytes_written == 0)
        {
          if (at_end)
            set_truncated (error, "xz");
          else if (flags & G_CONVERTER_FLUSH)
            return G_CONVERTER_FLUSHED;
          else
            set_need_more (error);
          return G_CONVERTER_ERROR;
        }
      return G_CONVERTER_CONVERTED;
    }
  if (ret == LZMA_MEM_ERROR)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "out of memory");
  else if (ret == LZMA_MEMLIMIT_ERROR)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                 "the xz data needs more than %d MiB to decompress",
                 (int) (XZ_MEMLIMIT / (1024 * 1024)));
  else if (ret == LZMA_FORMAT_ERROR)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "not xz data");
  else
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "corrupt xz data");
  return G_CONVERTER_ERROR;
}

static void
tacit_xz_decompressor_reset (GConverter *converter)
{
  xz_end (TACIT_XZ_DECOMPRESSOR (converter));
}

static void
tacit_xz_decompressor_finalize (GObject *object)
{
  xz_end (TACIT_XZ_DECOMPRESSOR (object));
  G_OBJECT_CLASS (tacit_xz_decompressor_parent_class)->finalize (object);
}

static void
tacit_xz_decompressor_iface_init (GConverterIface *iface)
{
  iface->convert = tacit_xz_decompressor_convert;
  iface->reset = tacit_xz_decompressor_reset;
}

static void
tacit_xz_decompressor_class_init (TacitXzDecompressorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tacit_xz_decompressor_finalize;
}

static void
tacit_xz_decompressor_init (TacitXzDecompressor *self)
{
}

TacitXzDecompressor *
tacit_xz_decompressor_new (void)
{
  return g_object_new (TACIT_TYPE_XZ_DECOMPRESSOR, NULL);
}

/* ---- by name --------------------------------------------------------- */

gsize
tacit_decompress_suffix_len (const char *path)
{
  static const char *suffixes[] = { ".gz", ".bz2", ".xz" };
  gsize len;

  if (path == NULL)
    return 0;
  len = strlen (path);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      gsize n = strlen (suffixes[i]);
      if (len > n && g_ascii_strcasecmp (path + len - n, suffixes[i]) == 0)
        return n;
    }
  return 0;
}

GInputStream *
tacit_decompress_wrap (const char   *path,
                       GInputStream *stream)
{
  g_autoptr(GConverter) converter = NULL;
  gsize n = tacit_decompress_suffix_len (path);
  const char *suffix = path != NULL ? path + strlen (path) - n : NULL;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  if (n == 0)
    return g_object_ref (stream);
  if (g_ascii_strcasecmp (suffix, ".gz") == 0)
    converter = G_CONVERTER (g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP));
  else if (g_ascii_strcasecmp (suffix, ".bz2") == 0)
    converter = G_CONVERTER (tacit_bzip2_decompressor_new ());
  else
    converter = G_CONVERTER (tacit_xz_decompressor_new ());
  return g_converter_input_stream_new (stream, converter);
}
