// fontkit ships no types; only what the documents use is declared.
declare module 'fontkit' {
  /** A parsed font face (one face of a collection when a PostScript name picks it). */
  interface Font {
    readonly postscriptName: string;
    hasGlyphForCodePoint(codePoint: number): boolean;
    layout(text: string, features?: unknown): unknown;
  }

  /** null when a collection has no face of that name. */
  export function create(buffer: Uint8Array, postscriptName?: string): Font | null;
}
