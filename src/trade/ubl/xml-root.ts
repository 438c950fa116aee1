import { UblParseError } from './ubl-parse-error';

/** The root element of an XML document, as its start tag declares it. */
export interface XmlRoot {
  /** Qualified name as written, e.g. `Invoice` or `inv:Invoice`. */
  name: string;
  localName: string;
  /** Namespace URI bound to the root's prefix (or the default namespace); null when unbound. */
  namespace: string | null;
}

const NAME = /[^\s<>/="'!?]+/y;
const ATTRIBUTE = /\s+([^\s<>/="']+)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/y;
const TAG_END = /\s*\/?>/y;

/**
 * Reads the prolog and the root start tag without building a tree. It runs before any parser, so
 * it is also where a DOCTYPE is refused: UBL and Peppol documents never carry one, and a DTD is
 * the door to entity expansion and external entities (xmllint opens `SYSTEM` entity files even
 * without --noent). The root's namespace can only be declared on the root itself, so its start tag
 * is all we need to tell an Invoice from an Order.
 */
export function scanXmlRoot(text: string): XmlRoot {
  let i = 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (text.startsWith('<?', i)) {
      i = after(text, '?>', i, 'processing instruction');
    } else if (text.startsWith('<!--', i)) {
      i = after(text, '-->', i, 'comment');
    } else if (/^<!DOCTYPE/i.test(text.slice(i, i + 9))) {
      throw new UblParseError('DTD_NOT_ALLOWED', 'A DOCTYPE declaration is not accepted', {
        line: lineAt(text, i),
      });
    } else if (text[i] === '<' && text[i + 1] !== '!') {
      break;
    } else {
      throw malformed(
        text,
        i,
        i >= text.length ? 'No root element' : 'Content before the root element',
      );
    }
  }
  NAME.lastIndex = i + 1;
  const name = NAME.exec(text)?.[0];
  if (!name) throw malformed(text, i, 'The root start tag has no element name');
  const attributes = new Map<string, string>();
  let at = NAME.lastIndex;
  for (;;) {
    ATTRIBUTE.lastIndex = at;
    const attribute = ATTRIBUTE.exec(text);
    if (!attribute) break;
    attributes.set(attribute[1], attribute[2] ?? attribute[3]);
    at = ATTRIBUTE.lastIndex;
  }
  TAG_END.lastIndex = at;
  if (!TAG_END.test(text)) throw malformed(text, at, `The start tag of ${name} is not closed`);
  const colon = name.indexOf(':');
  const prefix = colon < 0 ? '' : name.slice(0, colon);
  const namespace = attributes.get(prefix ? `xmlns:${prefix}` : 'xmlns');
  return { name, localName: name.slice(colon + 1), namespace: namespace || null };
}

function after(text: string, terminator: string, from: number, what: string): number {
  const end = text.indexOf(terminator, from);
  if (end < 0) throw malformed(text, from, `Unterminated ${what}`);
  return end + terminator.length;
}

function malformed(text: string, index: number, message: string): UblParseError {
  return new UblParseError('MALFORMED', message, { line: lineAt(text, index) });
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
