import { create, type Font } from 'fontkit';

export type FontFace = Font;

const faces = new WeakMap<Buffer, FontFace>();

/**
 * The parsed face of a font file's bytes, parsed once per bytes. pdfkit takes a parsed face in
 * place of the bytes; given bytes, it parses the 5 MB collection again for every document, and
 * decoding its tables (cmap, GSUB, GPOS, glyphs) was more than half of a render's time. The face
 * keeps only read-side caches: documents drawn from it come out byte for byte as before, also
 * interleaved.
 */
export function fontFace(bytes: Buffer, postscriptName: string): FontFace {
  const known = faces.get(bytes);
  if (known) return known;
  const face = create(bytes, postscriptName);
  if (face?.postscriptName !== postscriptName)
    throw new Error(`the font file has no face ${postscriptName}`);
  faces.set(bytes, face);
  return face;
}
