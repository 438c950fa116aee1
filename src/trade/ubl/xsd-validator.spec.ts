import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../infra/project-root';
import { silentLog } from '../../infra/local-services/log';
import { parseXmllintErrors } from './xmllint-output';
import {
  ensureXmllint,
  validateUblXsd,
  XsdValidatorError,
  type XsdValidation,
} from './xsd-validator';

const FIXTURES = join(projectRoot(), 'test', 'fixtures', 'ubl');
const fixture = (name: string): Buffer => readFileSync(join(FIXTURES, name));
const fixtureText = (name: string): string => fixture(name).toString('utf8');

/** What each fixture is, by its root element; the Order is there as a document we do not take. */
const DOCUMENT_TYPES: Record<string, string> = {
  'base-creditnote-correction.xml': 'CreditNote',
  'BIS_Billing_30-Kreditering_med_kreditnota.xml': 'CreditNote',
  'CreditNote-Max_content.xml': 'CreditNote',
  'UBL-CreditNote-2.1-Example.xml': 'CreditNote',
  'Order_Example.xml': 'Order',
};
const documentType = (file: string): string =>
  DOCUMENT_TYPES[file] ??
  (/^(T111|InvoiceResponse)/.test(file) ? 'ApplicationResponse' : 'Invoice');
const samples = readdirSync(FIXTURES).filter(
  (f) => /\.xml$/i.test(f) && documentType(f) !== 'Order',
);

function invalid(result: XsdValidation): Extract<XsdValidation, { valid: false }> {
  if (result.valid) throw new Error('expected the document to be invalid');
  return result;
}

beforeAll(async () => {
  // Tests never apt-get: a machine without xmllint fails here, saying how to install it.
  await ensureXmllint({ install: false, log: silentLog });
});

describe('validateUblXsd on the real samples', () => {
  it('has every kind of sample to validate', () => {
    expect(samples.length).toBe(29);
    expect(samples.filter((f) => documentType(f) === 'ApplicationResponse')).toHaveLength(12);
  });

  it.each(samples)('%s is valid UBL 2.1', async (file) => {
    await expect(validateUblXsd(fixture(file))).resolves.toEqual({
      valid: true,
      documentType: documentType(file),
    });
  });

  it('an Order is not a document it validates (UNSUPPORTED_DOCUMENT)', async () => {
    const result = invalid(await validateUblXsd(fixture('Order_Example.xml')));
    expect(result.kind).toBe('UNSUPPORTED_DOCUMENT');
    expect(result.errors[0].message).toMatch(
      /^The root element Order in namespace urn:oasis:names:specification:ubl:schema:xsd:Order-2/,
    );
  });
});

describe('validateUblXsd on broken documents', () => {
  it('a required element removed: SCHEMA_INVALID at the line where the schema noticed', async () => {
    // base-example.xml line 8 is cbc:IssueDate; without it, DueDate on line 9 comes too early
    const text = fixtureText('base-example.xml').replace(
      '<cbc:IssueDate>2017-11-13</cbc:IssueDate>',
      '',
    );
    const result = invalid(await validateUblXsd(Buffer.from(text)));
    expect(result).toEqual({
      valid: false,
      kind: 'SCHEMA_INVALID',
      errors: [
        {
          line: 9,
          message:
            "Element 'cbc:DueDate': This element is not expected. Expected is one of ( cbc:CopyIndicator, cbc:UUID, cbc:IssueDate ).",
        },
      ],
    });
  });

  it('an unknown element added: SCHEMA_INVALID naming it and its line', async () => {
    const text = fixtureText('Norwegian-example-1.xml').replace(
      '<cbc:BuyerReference>3150bdn</cbc:BuyerReference>',
      '<cbc:BuyerReference>3150bdn</cbc:BuyerReference><cbc:FactoringAgreement>X</cbc:FactoringAgreement>',
    );
    const line = text.slice(0, text.indexOf('<cbc:FactoringAgreement>')).split('\n').length;
    const result = invalid(await validateUblXsd(Buffer.from(text)));
    expect(result.kind).toBe('SCHEMA_INVALID');
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0].line).toBe(line);
    expect(result.errors[0].message).toMatch(
      /^Element 'cbc:FactoringAgreement': This element is not expected\./,
    );
  });

  it('a wrong value type is SCHEMA_INVALID too (a date that is no date)', async () => {
    const text = fixtureText('T111-uc003-Invoice is accepted.xml').replace(
      '2017-12-01',
      '01.12.2017',
    );
    const result = invalid(await validateUblXsd(Buffer.from(text)));
    expect(result.kind).toBe('SCHEMA_INVALID');
    expect(result.errors[0].message).toMatch(
      /'cbc:IssueDate'.*'01\.12\.2017' is not a valid value of the atomic type 'xs:date'/,
    );
  });

  it('XML that is not well-formed is MALFORMED, with the line', async () => {
    const text = fixtureText('base-example.xml').replace('</cbc:IssueDate>', '</cbc:IssueDat>');
    const result = invalid(await validateUblXsd(Buffer.from(text)));
    expect(result.kind).toBe('MALFORMED');
    expect(result.errors[0]).toEqual({
      line: 8,
      message: 'Opening and ending tag mismatch: IssueDate line 8 and IssueDat',
    });
  });

  it('an external entity is refused before xmllint runs and the file never appears', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ubl-xxe-'));
    try {
      const secret = `secret-${randomBytes(8).toString('hex')}`;
      const file = join(dir, 'secret.txt');
      writeFileSync(file, secret);
      const text =
        '<?xml version="1.0" encoding="UTF-8"?>\n' +
        `<!DOCTYPE x [<!ENTITY e SYSTEM "file://${file}">]>\n` +
        fixtureText('base-example.xml').split('\n').slice(1).join('\n').replace('0150abc', '&e;');
      const result = invalid(await validateUblXsd(Buffer.from(text)));
      expect(result.kind).toBe('DTD_NOT_ALLOWED');
      expect(result.errors).toEqual([
        { line: 2, message: 'A DOCTYPE declaration is not accepted' },
      ]);
      expect(JSON.stringify(result)).not.toContain(secret);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an Invoice in a foreign namespace is UNSUPPORTED_DOCUMENT', async () => {
    const text = fixtureText('base-example.xml').replace(
      'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
      'urn:example:invoice',
    );
    expect(invalid(await validateUblXsd(Buffer.from(text))).kind).toBe('UNSUPPORTED_DOCUMENT');
  });

  it('a document over the size cap is TOO_LARGE and not read', async () => {
    const result = invalid(await validateUblXsd(fixture('base-example.xml'), { maxBytes: 1000 }));
    expect(result.kind).toBe('TOO_LARGE');
    expect(result.errors[0].message).toBe('The document has 9228 bytes; at most 1000 are accepted');
  });

  it('reports an error in each invoice line, and at most maxErrors of them', async () => {
    const text = fixtureText('Norwegian-example-1.xml').replaceAll(
      '<cbc:AccountingCost>BookingCode',
      '<cbc:Bogus/><cbc:AccountingCost>BookingCode',
    );
    const all = invalid(await validateUblXsd(Buffer.from(text)));
    // the lines of the five cbc:AccountingCost elements in Norwegian-example-1.xml
    expect(all.errors.map((e) => e.line)).toEqual([323, 399, 439, 484, 524]);
    expect(
      all.errors.every((e) =>
        e.message.startsWith("Element 'cbc:Bogus': This element is not expected."),
      ),
    ).toBe(true);
    const capped = invalid(await validateUblXsd(Buffer.from(text), { maxErrors: 2 }));
    expect(capped.errors).toEqual(all.errors.slice(0, 2));
  });

  it('an unusable xmllint is an XsdValidatorError, not a verdict on the document', async () => {
    await expect(
      validateUblXsd(fixture('base-example.xml'), { xmllint: '/nonexistent/xmllint' }),
    ).rejects.toThrow(XsdValidatorError);
  });
});

describe('parseXmllintErrors', () => {
  it('keeps the diagnostics, drops context lines and the summary, shortens UBL namespaces', () => {
    const stderr = [
      "-:9: element DueDate: Schemas validity error : Element '{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}DueDate': This element is not expected.",
      '-:12: namespace error : Namespace prefix cbc on ID is not defined',
      '<cbc:ID>x</cbc:ID>',
      '        ^',
      '-:14: parser warning : xmlns: URI x is not absolute',
      '- fails to validate',
    ].join('\n');
    expect(parseXmllintErrors(stderr, 50)).toEqual([
      { line: 9, message: "Element 'cbc:DueDate': This element is not expected." },
      { line: 12, message: 'namespace error: Namespace prefix cbc on ID is not defined' },
    ]);
  });
});
