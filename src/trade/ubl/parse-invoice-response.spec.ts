import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../infra/project-root';
import type { InvoiceResponse } from './invoice-response';
import { parseInvoiceResponse } from './parse-invoice-response';
import { UblParseError } from './ubl-parse-error';

const fixture = (name: string): Buffer =>
  readFileSync(join(projectRoot(), 'test', 'fixtures', 'ubl', name));
const fixtureText = (name: string): string => fixture(name).toString('utf8');

function parseError(xml: Buffer | string): UblParseError {
  try {
    parseInvoiceResponse(xml);
  } catch (error) {
    if (error instanceof UblParseError) return error;
    throw error;
  }
  throw new Error('expected a UblParseError');
}

const OP_REASON = 'OPStatusReason';

/**
 * The Peppol T111 use cases, as the files state them: response code, effective date, the reasons
 * (OPStatusReason or free text) and the actions asked of the seller (OPStatusAction).
 */
const USE_CASES: Array<
  [
    file: string,
    issueDate: string,
    code: InvoiceResponse['responseCode'],
    effectiveDate: string | null,
    reasons: InvoiceResponse['statusReasons'],
    actions: InvoiceResponse['actions'],
  ]
> = [
  ['T111-uc001-Invoice in process.xml', '2017-12-01', 'IP', null, [], []],
  [
    'T111-uc002a-Additional reference data.xml',
    '2017-12-02',
    'IP',
    '2017-12-01',
    [],
    [
      {
        code: 'NOA',
        text: null,
        conditions: [{ attributeId: 'Buyer process reference', description: 'X001' }],
      },
    ],
  ],
  [
    'T111-uc002b-In process but postponed.xml',
    '2017-12-02',
    'IP',
    '2017-12-15',
    [
      {
        code: null,
        listId: null,
        text: 'Shipment has not yet been received. Invoice processing will be attempted later.',
        conditions: [],
      },
    ],
    [],
  ],
  ['T111-uc003-Invoice is accepted.xml', '2017-12-01', 'AP', null, [], []],
  [
    'T111-uc004a-Invoice is rejected.xml',
    '2017-12-01',
    'RE',
    null,
    [
      {
        code: 'REF',
        listId: OP_REASON,
        text: 'A textual explanation for why the invoice is being rejected. E.g. PO reference is missing.',
        conditions: [],
      },
    ],
    [],
  ],
  [
    'T111-uc004b-Rejected requesting reissue.xml',
    '2017-12-01',
    'RE',
    null,
    [{ code: 'REF', listId: OP_REASON, text: null, conditions: [] }],
    [{ code: 'NIN', text: null, conditions: [] }],
  ],
  [
    'T111-uc004c-Rejected requesting replacement.xml',
    '2017-12-01',
    'RE',
    null,
    [{ code: 'REF', listId: OP_REASON, text: null, conditions: [] }],
    [
      { code: 'CNF', text: null, conditions: [] },
      { code: 'NIN', text: null, conditions: [] },
    ],
  ],
  [
    'T111-uc005-Invoice is conditionally accepted.xml',
    '2017-12-01',
    'CA',
    null,
    [
      {
        code: 'PAY',
        listId: OP_REASON,
        text: null,
        // the buyer's condition: a new due date (BT-9)
        conditions: [{ attributeId: 'BT-9', description: '2018-01-15' }],
      },
    ],
    [],
  ],
  [
    'T111-uc006a-Under query missing information.xml',
    '2017-12-01',
    'UQ',
    '2017-12-02',
    [
      {
        code: 'REF',
        listId: OP_REASON,
        text: null,
        // the missing purchase order reference (BT-13) should be PO0001
        conditions: [{ attributeId: 'BT-13', description: 'PO0001' }],
      },
    ],
    [{ code: 'PIN', text: null, conditions: [] }],
  ],
  [
    'T111-uc006b-Missing PO.xml',
    '2017-12-01',
    'UQ',
    '2017-12-02',
    [
      {
        code: 'REF',
        listId: OP_REASON,
        text: null,
        conditions: [{ attributeId: 'BT-13', description: 'PO0001' }],
      },
    ],
    [{ code: 'PIN', text: null, conditions: [] }],
  ],
  ['T111-uc007-Payment has been initiated.xml', '2017-12-31', 'PD', '2017-12-30', [], []],
];

describe('parseInvoiceResponse on the Peppol T111 use cases', () => {
  it.each(USE_CASES)('%s: %s %s', (file, issueDate, code, effectiveDate, reasons, actions) => {
    const response = parseInvoiceResponse(fixture(file));
    expect(response).toEqual({
      id: 'imrid001',
      issueDate,
      sender: {
        name: 'Buyer organization',
        legalName: 'Buyer organization',
        endpoint: { scheme: '0196', value: '6963495890' },
        identifiers: [{ source: 'ENDPOINT', scheme: '0196', value: '6963495890' }],
        countryCode: null,
      },
      receiver: {
        name: 'Seller company',
        legalName: 'Seller company',
        endpoint: { scheme: '0196', value: '6841569459' },
        identifiers: [{ source: 'ENDPOINT', scheme: '0196', value: '6841569459' }],
        countryCode: null,
      },
      invoiceNumber: 'inv021',
      invoiceIssueDate: null,
      invoiceTypeCode: '380',
      invoiceIssuer: null,
      responseCode: code,
      effectiveDate,
      statusReasons: reasons,
      actions,
      note: null,
    });
  });
});

describe('parseInvoiceResponse on InvoiceResponse_Example.xml (full Peppol Invoice Response)', () => {
  it('reads every field, the invoice issue date and issuer included', () => {
    expect(parseInvoiceResponse(fixture('InvoiceResponse_Example.xml'))).toEqual({
      id: 'imrid001',
      issueDate: '2017-12-01',
      sender: {
        name: 'Buyer organization',
        legalName: 'Buyer organization',
        endpoint: { scheme: '0088', value: '5798000012349' },
        identifiers: [
          { source: 'ENDPOINT', scheme: '0088', value: '5798000012349' },
          { source: 'PARTY_ID', scheme: '0184', value: 'DK88776655' },
        ],
        countryCode: null,
      },
      receiver: {
        name: 'Seller company',
        legalName: 'Seller company',
        endpoint: { scheme: '0088', value: '7330001000000' },
        identifiers: [
          { source: 'ENDPOINT', scheme: '0088', value: '7330001000000' },
          { source: 'PARTY_ID', scheme: '0192', value: '987654325' },
        ],
        countryCode: null,
      },
      invoiceNumber: 'inv021',
      invoiceIssueDate: '2018-09-22',
      invoiceTypeCode: '380',
      invoiceIssuer: {
        name: 'Test Company AS',
        legalName: null,
        endpoint: null,
        identifiers: [{ source: 'PARTY_ID', scheme: '0192', value: '123456785' }],
        countryCode: null,
      },
      responseCode: 'RE',
      effectiveDate: '2018-09-24',
      statusReasons: [],
      // a Status with listID OPStatusAction is an action, even when it carries reason text
      actions: [
        {
          code: 'NOA',
          text: 'VAT Reference not found',
          conditions: [{ attributeId: 'BT-48', description: 'EU123456789' }],
        },
      ],
      note: 'text',
    });
  });
});

describe('parseInvoiceResponse refusals', () => {
  it('an Invoice is NOT_UBL', () => {
    expect(parseError(fixture('base-example.xml')).code).toBe('NOT_UBL');
  });

  it('an ApplicationResponse of another Peppol profile (Message Level Response) is NOT_UBL', () => {
    const mlr = fixtureText('T111-uc003-Invoice is accepted.xml').replace(
      'urn:fdc:peppol.eu:poacc:trns:invoice_response:3',
      'urn:fdc:peppol.eu:poacc:trns:mlr:3',
    );
    const error = parseError(mlr);
    expect(error.code).toBe('NOT_UBL');
    expect(error.details.path).toBe('/ApplicationResponse/cbc:CustomizationID');
    expect(error.message).toMatch(
      /urn:fdc:peppol.eu:poacc:trns:mlr:3 is not a Peppol Invoice Response/,
    );
  });

  it('a response code outside the Invoice Response list is INVALID_VALUE', () => {
    const text = fixtureText('T111-uc003-Invoice is accepted.xml').replace(
      '<cbc:ResponseCode>AP</cbc:ResponseCode>',
      '<cbc:ResponseCode>OK</cbc:ResponseCode>',
    );
    const error = parseError(text);
    expect(error.code).toBe('INVALID_VALUE');
    expect(error.details.path).toBe(
      '/ApplicationResponse/cac:DocumentResponse/cac:Response/cbc:ResponseCode',
    );
  });

  it('a response without the invoice number is MISSING_ELEMENT naming its path', () => {
    const text = fixtureText('T111-uc003-Invoice is accepted.xml').replace(
      '<cbc:ID>inv021</cbc:ID>',
      '',
    );
    const error = parseError(text);
    expect(error.code).toBe('MISSING_ELEMENT');
    expect(error.details.path).toBe(
      '/ApplicationResponse/cac:DocumentResponse/cac:DocumentReference/cbc:ID',
    );
  });

  it('two DocumentResponse elements (two invoices answered at once) are INVALID_VALUE', () => {
    const text = fixtureText('T111-uc003-Invoice is accepted.xml');
    const block = text.slice(
      text.indexOf('<cac:DocumentResponse>'),
      text.indexOf('</cac:DocumentResponse>') + 23,
    );
    const doubled = text.replace(block, block + block.replace('inv021', 'inv022'));
    expect(parseError(doubled)).toMatchObject({
      code: 'INVALID_VALUE',
      details: { path: '/ApplicationResponse/cac:DocumentResponse' },
    });
  });
});
