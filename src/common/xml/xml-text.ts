/**
 * Editing XML as text, for adapting public sample documents (the demo's e-invoices, the tests'
 * fixtures) without re-serialising them: everything not replaced stays byte for byte.
 */

/** Escapes text for an element or a double-quoted attribute. */
export const escapeXml = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Replaces the one match of `pattern` (no `g` flag); a document with none or several fails loudly. */
export function replaceOnce(
  xml: string,
  pattern: RegExp,
  replace: (match: string, ...groups: string[]) => string,
  what: string,
): string {
  const all = xml.match(new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`));
  if (!all || all.length !== 1)
    throw new Error(`expected exactly one ${what} in the document, found ${all?.length ?? 0}`);
  return xml.replace(pattern, replace as (substring: string, ...args: unknown[]) => string);
}
