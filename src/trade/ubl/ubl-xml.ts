import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { UblParseError } from './ubl-parse-error';
import { UBL_DOCUMENT_NAMESPACES, ublDocumentType, type UblDocumentType } from './ubl-namespaces';
import { decodeXmlText } from './xml-text';
import { scanXmlRoot } from './xml-root';
import { XmlNode } from './xml-node';

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Identifiers such as "0088" and amounts such as "1250000.00" must stay exactly as written.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // Only the five predefined entities remain: a DOCTYPE never gets this far (see scanXmlRoot).
  processEntities: true,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

/**
 * Decodes, checks and parses a UBL document whose root must be one of `accepted`. Order of checks:
 * prolog (DOCTYPE refused), well-formedness, then the root's name and namespace, so that each
 * refusal carries the most telling code.
 */
export function readUblDocument<T extends UblDocumentType>(
  xml: Buffer | string,
  accepted: readonly T[],
): { type: T; root: XmlNode } {
  const text = decodeXmlText(xml);
  const root = scanXmlRoot(text);
  const wellFormed = XMLValidator.validate(text);
  if (wellFormed !== true) {
    throw new UblParseError('MALFORMED', `Not well-formed XML: ${wellFormed.err.msg}`, {
      line: wellFormed.err.line,
    });
  }
  const type = ublDocumentType(root);
  if (!type || !(accepted as readonly UblDocumentType[]).includes(type)) {
    const expected = accepted.map((name) => `${name} (${UBL_DOCUMENT_NAMESPACES[name]})`);
    throw new UblParseError(
      'NOT_UBL',
      `The root element is ${root.localName} in namespace ${root.namespace ?? '(none)'}; ` +
        `expected ${expected.join(' or ')}`,
    );
  }
  let parsed: Record<string, unknown>;
  try {
    parsed = parser.parse(text) as Record<string, unknown>;
  } catch (error) {
    // e.g. nesting deeper than the parser's limit: still the document's fault, not ours
    throw new UblParseError('MALFORMED', `Unreadable XML: ${(error as Error).message}`);
  }
  return { type: type as T, root: new XmlNode(`/${root.localName}`, parsed[root.localName]) };
}
