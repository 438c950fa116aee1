import { UblParseError } from './ubl-parse-error';
import { scanXmlRoot } from './xml-root';

function scanError(text: string): UblParseError {
  try {
    scanXmlRoot(text);
  } catch (error) {
    if (error instanceof UblParseError) return error;
    throw error;
  }
  throw new Error('expected a UblParseError');
}

describe('scanXmlRoot', () => {
  it('finds the root after the declaration, comments and processing instructions', () => {
    const text =
      '<?xml version="1.0"?>\n<!-- a <Order> in a comment -->\n<?pi x?>\n' +
      '<Invoice xmlns="urn:a" xmlns:cbc="urn:b"><cbc:ID>1</cbc:ID></Invoice>';
    expect(scanXmlRoot(text)).toEqual({
      name: 'Invoice',
      localName: 'Invoice',
      namespace: 'urn:a',
    });
  });

  it('resolves a prefixed root against its own declaration, in either quote style', () => {
    expect(scanXmlRoot(`<inv:Invoice xmlns='urn:other' xmlns:inv='urn:a'/>`)).toEqual({
      name: 'inv:Invoice',
      localName: 'Invoice',
      namespace: 'urn:a',
    });
    expect(scanXmlRoot('<Invoice>').namespace).toBeNull();
  });

  it('refuses a DOCTYPE wherever it sits in the prolog', () => {
    const error = scanError(
      '<?xml version="1.0"?>\n<!-- x -->\n<!doctype Invoice SYSTEM "x.dtd">\n<Invoice/>',
    );
    expect(error.code).toBe('DTD_NOT_ALLOWED');
    expect(error.details.line).toBe(3);
  });

  it('calls a document without a root, or with text before it, MALFORMED', () => {
    expect(scanError('').code).toBe('MALFORMED');
    expect(scanError('<!-- only a comment -->').message).toBe('No root element');
    expect(scanError('hello <Invoice/>').message).toBe('Content before the root element');
    expect(scanError('<!-- unterminated <Invoice/>').message).toBe('Unterminated comment');
    expect(scanError('<Invoice xmlns="urn:a"').code).toBe('MALFORMED');
  });
});
