import { TextDecoder } from 'node:util';
import { UblParseError } from './ubl-parse-error';

const ENCODING_DECLARATION = /^<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z][\w.:-]*)["']/;

/**
 * The text of an XML document received as bytes. A byte order mark decides between UTF-8 and
 * UTF-16; without one, the XML declaration's encoding (default UTF-8). Decoding is strict: bytes
 * that are not valid in that encoding make the document MALFORMED instead of being silently
 * replaced, so what we parse is exactly what the XSD validator saw.
 */
export function decodeXmlText(xml: Buffer | string): string {
  if (typeof xml === 'string') return xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
  if (xml[0] === 0xef && xml[1] === 0xbb && xml[2] === 0xbf) return decode(xml, 'utf-8');
  if (xml[0] === 0xff && xml[1] === 0xfe) return decode(xml, 'utf-16le');
  if (xml[0] === 0xfe && xml[1] === 0xff) return decode(xml, 'utf-16be');
  // The declaration is ASCII in every encoding we accept without a byte order mark.
  const declared = ENCODING_DECLARATION.exec(xml.subarray(0, 200).toString('latin1'))?.[1];
  return decode(xml, declared ?? 'utf-8');
}

function decode(bytes: Buffer, encoding: string): string {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding, { fatal: true });
  } catch {
    throw new UblParseError('MALFORMED', `Unsupported character encoding "${encoding}"`);
  }
  try {
    // TextDecoder drops a leading byte order mark itself (ignoreBOM is false).
    return decoder.decode(bytes);
  } catch {
    throw new UblParseError('MALFORMED', `The document is not valid ${decoder.encoding} text`);
  }
}
