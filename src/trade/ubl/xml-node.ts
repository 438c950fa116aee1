import { UblParseError } from './ubl-parse-error';

const TEXT = '#text';
const ATTRIBUTE_PREFIX = '@_';

/**
 * One element of a document parsed by fast-xml-parser (namespace prefixes removed, attributes
 * under `@_name`, text under `#text`, every value a string), together with its path. Callers ask
 * for children by their usual prefixed name (`cbc:ID`); the prefix only serves the path in error
 * messages, so a document that binds UBL to other prefixes reads the same.
 */
export class XmlNode {
  constructor(
    readonly path: string,
    private readonly raw: unknown,
  ) {}

  /** Every child element of that name, in document order. */
  children(name: string): XmlNode[] {
    if (!isElement(this.raw)) return [];
    const key = localName(name);
    if (!Object.prototype.hasOwnProperty.call(this.raw, key)) return [];
    const value = this.raw[key];
    const list = Array.isArray(value) ? value : [value];
    return list.map(
      (item, i) => new XmlNode(`${this.path}/${name}${list.length > 1 ? `[${i + 1}]` : ''}`, item),
    );
  }

  /** The element at a relative path such as `cac:Party/cac:PartyName/cbc:Name` (first of each). */
  find(path: string): XmlNode | null {
    const [first, ...rest] = path.split('/');
    let node: XmlNode | undefined = this.children(first)[0];
    for (const step of rest) node = node?.children(step)[0];
    return node ?? null;
  }

  require(path: string): XmlNode {
    const node = this.find(path);
    if (!node) throw missing(`${this.path}/${path}`);
    return node;
  }

  /** The element's text, trimmed; null when it has none. */
  get text(): string | null {
    const value = isElement(this.raw) ? this.raw[TEXT] : this.raw;
    if (typeof value === 'string') return value === '' ? null : value;
    // parseTagValue is off, so this only guards against a parser option changing under us.
    return typeof value === 'number' || typeof value === 'boolean' ? String(value) : null;
  }

  attribute(name: string): string | null {
    if (!isElement(this.raw)) return null;
    const value = this.raw[ATTRIBUTE_PREFIX + name];
    return typeof value === 'string' && value !== '' ? value : null;
  }

  /** Text of the element at a relative path, or null when the element is absent or empty. */
  textAt(path: string): string | null {
    return this.find(path)?.text ?? null;
  }

  /** Text of the element at a relative path; MISSING_ELEMENT when it is absent or empty. */
  requireText(path: string): string {
    const text = this.textAt(path);
    if (text === null) throw missing(`${this.path}/${path}`);
    return text;
  }
}

function isElement(raw: unknown): raw is Record<string, unknown> {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw);
}

function localName(name: string): string {
  return name.slice(name.indexOf(':') + 1);
}

function missing(path: string): UblParseError {
  return new UblParseError('MISSING_ELEMENT', `Required element ${path} is missing or empty`, {
    path,
  });
}
