import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../infra/project-root';
import { parseUblBillingDocument } from './parse-ubl-invoice';
import type { UblParty } from './ubl-document';
import { UblParseError } from './ubl-parse-error';
import { sameParty } from './ubl-party';

const fixture = (name: string): Buffer =>
  readFileSync(join(projectRoot(), 'test', 'fixtures', 'ubl', name));
const fixtureText = (name: string): string => fixture(name).toString('utf8');

function parseError(xml: Buffer | string): UblParseError {
  try {
    parseUblBillingDocument(xml);
  } catch (error) {
    if (error instanceof UblParseError) return error;
    throw error;
  }
  throw new Error('expected a UblParseError');
}

/** The supplier of the Peppol "base" examples (base-example, base-creditnote/negative-inv-correction). */
const BASE_SELLER: UblParty = {
  name: 'SupplierTradingName Ltd.',
  legalName: 'SupplierOfficialName Ltd',
  endpoint: { scheme: '0088', value: '9482348239847239874' },
  identifiers: [
    { source: 'ENDPOINT', scheme: '0088', value: '9482348239847239874' },
    { source: 'PARTY_ID', scheme: null, value: '99887766' },
    { source: 'LEGAL', scheme: null, value: 'GB983294' },
    { source: 'TAX', scheme: null, value: 'GB1232434', taxScheme: 'VAT' },
  ],
  countryCode: 'GB',
};

const BASE_BUYER: UblParty = {
  name: 'BuyerTradingName AS',
  legalName: 'Buyer Official Name',
  endpoint: { scheme: '0002', value: 'FR23342' },
  identifiers: [
    { source: 'ENDPOINT', scheme: '0002', value: 'FR23342' },
    { source: 'PARTY_ID', scheme: '0002', value: 'FR23342' },
    { source: 'LEGAL', scheme: '0183', value: '39937423947' },
    { source: 'TAX', scheme: null, value: 'SE4598375937', taxScheme: 'VAT' },
  ],
  countryCode: 'SE',
};

/** The Swedish supplier of the BIS_Billing_30-Kreditering_* set (it has no PartyName). */
const SWEDISH_SELLER: UblParty = {
  name: 'Produtionsbolaget Sverige AB',
  legalName: 'Produtionsbolaget Sverige AB',
  endpoint: { scheme: '0007', value: '1234567890' },
  identifiers: [
    { source: 'ENDPOINT', scheme: '0007', value: '1234567890' },
    { source: 'PARTY_ID', scheme: '0088', value: '1230123456789' },
    { source: 'LEGAL', scheme: '0007', value: '1234567890' },
    { source: 'TAX', scheme: null, value: 'SE123456789001', taxScheme: 'VAT' },
    { source: 'TAX', scheme: null, value: 'Godkänd för F-skatt', taxScheme: 'TAX' },
  ],
  countryCode: 'SE',
};

describe('parseUblBillingDocument on base-example.xml (Peppol BIS Billing 3.0 invoice)', () => {
  const doc = parseUblBillingDocument(fixture('base-example.xml'));

  it('reads the header: Invoice 380 in EUR with its due date', () => {
    expect(doc).toMatchObject({
      kind: 'INVOICE',
      typeCode: '380',
      customizationId: 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0',
      number: 'Snippet1',
      issueDate: '2017-11-13',
      dueDate: '2017-12-01',
      dueDateSource: 'DUE_DATE',
      currency: 'EUR',
      taxCurrency: null,
      payee: null,
      billingReferences: [],
      despatchReferences: [],
      receiptReferences: [],
      negative: false,
    });
  });

  it('reads seller and buyer with every identifier and where it was found', () => {
    expect(doc.seller).toEqual(BASE_SELLER);
    expect(doc.buyer).toEqual(BASE_BUYER);
  });

  it('has no document-level OrderReference; the lines reference order line 123', () => {
    expect(doc.orderReference).toBeNull();
    expect(doc.salesOrderReference).toBeNull();
    expect(doc.lines.map((l) => l.orderLineReference)).toEqual(['123', '123']);
  });

  it('reads the totals as the exact strings of the document', () => {
    expect(doc.totals).toEqual({
      lineExtension: '1300',
      taxExclusive: '1325',
      taxInclusive: '1656.25',
      allowanceTotal: null,
      chargeTotal: '25',
      prepaid: null,
      payableRounding: null,
      payable: '1656.25',
    });
    expect(doc.taxTotal).toBe('331.25');
    expect(doc.vatBreakdown).toEqual([
      {
        category: 'S',
        percent: '25.0',
        taxableAmount: '1325',
        taxAmount: '331.25',
        exemptionReason: null,
        exemptionReasonCode: null,
      },
    ]);
  });

  it('reads the one document-level charge', () => {
    expect(doc.allowanceCharges).toEqual([
      {
        isCharge: true,
        amount: '25',
        reason: 'Insurance',
        reasonCode: null,
        category: 'S',
        percent: '25.0',
      },
    ]);
  });

  it('reads both lines, including the negative one', () => {
    expect(doc.lines).toEqual([
      {
        id: '1',
        quantity: '7',
        unitCode: 'DAY',
        lineAmount: '2800',
        itemName: 'item name',
        sellersItemId: null,
        buyersItemId: null,
        standardItemId: '21382183120983',
        unitPrice: '400',
        baseQuantity: null,
        orderLineReference: '123',
      },
      {
        id: '2',
        quantity: '-3',
        unitCode: 'DAY',
        lineAmount: '-1500',
        itemName: 'item name 2',
        sellersItemId: null,
        buyersItemId: null,
        standardItemId: '21382183120983',
        unitPrice: '500',
        baseQuantity: null,
        orderLineReference: '123',
      },
    ]);
  });

  it('reads the payment means (credit transfer to an IBAN, PaymentID as remittance reference)', () => {
    expect(doc.paymentMeans).toEqual([
      { code: '30', dueDate: null, payeeAccount: 'IBAN32423940', paymentId: 'Snippet1' },
    ]);
  });

  it('reads a string the same as the bytes, and with or without a UTF-8 byte order mark', () => {
    const bytes = fixture('base-example.xml');
    expect(parseUblBillingDocument(bytes.toString('utf8'))).toEqual(doc);
    expect(
      parseUblBillingDocument(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes])),
    ).toEqual(doc);
  });

  it('reads the same document encoded as UTF-16 with a byte order mark', () => {
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(
        fixtureText('base-example.xml').replace('encoding="UTF-8"', 'encoding="UTF-16"'),
        'utf16le',
      ),
    ]);
    expect(parseUblBillingDocument(utf16)).toEqual(doc);
  });

  it('does not depend on the namespace prefixes the sender chose', () => {
    const renamed = fixtureText('base-example.xml')
      .replaceAll('cbc:', 'basic:')
      .replaceAll('cac:', 'aggregate:');
    expect(renamed).toContain('<basic:ID>Snippet1</basic:ID>');
    expect(parseUblBillingDocument(renamed)).toEqual(doc);
  });
});

describe('parseUblBillingDocument: VAT rates, tax currency, prepaid amounts', () => {
  it('Vat-category-S.xml: two standard rates (25 % and 15 %) and an allowance and a charge', () => {
    const doc = parseUblBillingDocument(fixture('Vat-category-S.xml'));
    expect(doc.taxTotal).toBe('1550.00');
    expect(
      doc.vatBreakdown.map((v) => [v.category, v.percent, v.taxableAmount, v.taxAmount]),
    ).toEqual([
      ['S', '25', '5000.0', '1250'],
      ['S', '15', '2000.0', '300'],
    ]);
    expect(doc.allowanceCharges.map((a) => [a.isCharge, a.amount, a.reason])).toEqual([
      [true, '200', 'Cleaning'],
      [false, '100', 'Discount'],
    ]);
    expect(doc.totals).toEqual({
      lineExtension: '6900',
      taxExclusive: '7000',
      taxInclusive: '8550',
      allowanceTotal: '100',
      chargeTotal: '200',
      prepaid: null,
      payableRounding: null,
      payable: '8550',
    });
    expect(doc.lines.map((l) => [l.id, l.quantity, l.unitCode, l.lineAmount])).toEqual([
      ['1', '10', 'C62', '4000.00'],
      ['2', '10', 'C62', '2000.00'],
      ['3', '10', 'C62', '900.00'],
    ]);
    expect(doc.lines[2].standardItemId).toBe('873649827489');
  });

  it('Allowance-example.xml: keeps the EUR TaxTotal, not the second one in the SEK tax currency', () => {
    const doc = parseUblBillingDocument(fixture('Allowance-example.xml'));
    expect(doc.currency).toBe('EUR');
    expect(doc.taxCurrency).toBe('SEK');
    expect(doc.taxTotal).toBe('1225.00'); // the document also states 9324.00 SEK
    expect(doc.vatBreakdown).toEqual([
      {
        category: 'S',
        percent: '25',
        taxableAmount: '4900.0',
        taxAmount: '1225',
        exemptionReason: null,
        exemptionReasonCode: null,
      },
      {
        category: 'E',
        percent: '0',
        taxableAmount: '1000.0',
        taxAmount: '0',
        exemptionReason: 'Reason for tax exempt',
        exemptionReasonCode: null,
      },
    ]);
    expect(doc.totals.prepaid).toBe('1000');
    expect(doc.totals.payable).toBe('6125.00');
    expect(doc.allowanceCharges).toEqual([
      {
        isCharge: true,
        amount: '200',
        reason: 'Cleaning',
        reasonCode: 'CG',
        category: 'S',
        percent: '25',
      },
      {
        isCharge: false,
        amount: '200',
        reason: 'Discount',
        reasonCode: '95',
        category: 'S',
        percent: '25',
      },
    ]);
    expect(doc.seller.endpoint).toEqual({ scheme: '0088', value: '7300010000001' });
    // the base price 410 per 1 C62 is after a price discount; the line amount is what counts
    expect(doc.lines[0]).toMatchObject({
      unitPrice: '410',
      baseQuantity: '1',
      lineAmount: '4000.00',
    });
    expect(doc.lines[0].sellersItemId).toBe('97iugug876');
  });

  it('Norwegian-example-1.xml: a PayeeParty other than the seller, three VAT rates, rounding', () => {
    const doc = parseUblBillingDocument(fixture('Norwegian-example-1.xml'));
    expect(doc).toMatchObject({
      number: 'TOSL108',
      issueDate: '2013-06-30',
      dueDate: '2013-07-20',
      currency: 'NOK',
      orderReference: '123',
    });
    expect(doc.seller).toEqual({
      name: 'Salescompany ltd.',
      legalName: 'The Sellercompany ASA',
      endpoint: { scheme: '0192', value: '123456785' },
      identifiers: [
        { source: 'ENDPOINT', scheme: '0192', value: '123456785' },
        { source: 'PARTY_ID', scheme: '0088', value: '1238764941386' },
        { source: 'LEGAL', scheme: '0192', value: '123456785' },
        { source: 'TAX', scheme: null, value: 'NO123456785MVA', taxScheme: 'VAT' },
        { source: 'TAX', scheme: null, value: 'Foretaksregisteret', taxScheme: 'TAX' },
      ],
      countryCode: 'NO',
    });
    expect(doc.payee).toEqual({
      name: 'Ebeneser Scrooge AS',
      legalName: null,
      endpoint: null,
      identifiers: [
        { source: 'PARTY_ID', scheme: '0088', value: '2298740918237' },
        { source: 'LEGAL', scheme: '0192', value: '999999999' },
      ],
      countryCode: null,
    });
    expect(sameParty(doc.seller, doc.payee as UblParty)).toBe(false);
    expect(sameParty(doc.seller, doc.seller)).toBe(true);
    expect(
      doc.vatBreakdown.map((v) => [v.category, v.percent, v.taxableAmount, v.taxAmount]),
    ).toEqual([
      ['S', '25', '1460.5', '365.13'],
      ['S', '15', '1', '0.15'],
      ['E', '0', '-25', '0'],
    ]);
    expect(doc.vatBreakdown[2].exemptionReason).toBe('Exempt New Means of Transport');
    expect(doc.taxTotal).toBe('365.28');
    expect(doc.totals).toEqual({
      lineExtension: '1436.5',
      taxExclusive: '1436.5',
      taxInclusive: '1801.78',
      allowanceTotal: '100',
      chargeTotal: '100',
      prepaid: '1000',
      payableRounding: '0.22',
      payable: '802.00',
    });
    expect(doc.lines.map((l) => [l.quantity, l.unitCode, l.lineAmount, l.itemName])).toEqual([
      ['1', 'NAR', '1273', 'Laptop computer'],
      ['-1', 'NAR', '-3.96', 'Returned "Advanced computing" book'],
      ['2', 'NAR', '4.96', '"Computing for dummies" book'],
      ['-1', 'NAR', '-25', 'Returned IBM 5150 desktop'],
      ['250', 'MTR', '187.5', 'Network cable'],
    ]);
    expect(doc.paymentMeans).toEqual([
      { code: '31', dueDate: null, payeeAccount: 'NO9386011117947', paymentId: '0003434323213231' },
    ]);
  });
});

describe('parseUblBillingDocument: credit notes and negative invoices (dilution)', () => {
  it('base-creditnote-correction.xml: CreditNote 381 crediting invoice Snippet1', () => {
    const doc = parseUblBillingDocument(fixture('base-creditnote-correction.xml'));
    expect(doc).toMatchObject({
      kind: 'CREDIT_NOTE',
      typeCode: '381',
      number: 'Snippet1', // the credit note reuses the number of the invoice it credits
      issueDate: '2017-11-13',
      dueDate: null,
      dueDateSource: null,
      billingReferences: ['Snippet1'],
      negative: false,
    });
    expect(doc.seller).toEqual(BASE_SELLER);
    expect(doc.buyer).toEqual(BASE_BUYER);
    expect(doc.totals.payable).toBe('1656.25');
    expect(doc.lines.map((l) => [l.id, l.quantity, l.unitCode, l.lineAmount])).toEqual([
      ['1', '7', 'DAY', '2800'],
      ['2', '-3', 'DAY', '-1500'],
    ]);
  });

  it('BIS_Billing_30-Kreditering_med_kreditnota.xml: CreditNote 381 crediting invoice 2018133', () => {
    const doc = parseUblBillingDocument(fixture('BIS_Billing_30-Kreditering_med_kreditnota.xml'));
    expect(doc).toMatchObject({
      kind: 'CREDIT_NOTE',
      typeCode: '381',
      number: '2018140',
      issueDate: '2018-02-10',
      dueDate: null,
      currency: 'SEK',
      orderReference: '2018117',
      billingReferences: ['2018133'],
      negative: false,
    });
    expect(doc.seller).toEqual(SWEDISH_SELLER);
    expect(doc.buyer.name).toBe('Project Services');
    expect(doc.buyer.legalName).toBe('Project services AB');
    expect(doc.totals).toEqual({
      lineExtension: '9560',
      taxExclusive: '8668',
      taxInclusive: '10835',
      allowanceTotal: '1912',
      chargeTotal: '1020',
      prepaid: '834.9',
      payableRounding: '-0.10',
      payable: '10000',
    });
    expect(doc.lines.map((l) => [l.quantity, l.lineAmount, l.unitPrice, l.baseQuantity])).toEqual([
      ['2000', '10200', '10', '2'],
      ['-800', '-640', '4', '5'],
    ]);
  });

  it('the original invoice 2018133 that the Swedish credit note credits', () => {
    const doc = parseUblBillingDocument(fixture('BIS_Billing_30-Kreditering_(urspr_faktura).xml'));
    expect(doc).toMatchObject({
      kind: 'INVOICE',
      number: '2018133',
      dueDate: '2018-03-07',
      billingReferences: [],
    });
    expect(doc.seller).toEqual(SWEDISH_SELLER);
  });

  it('base-negative-inv-correction.xml: a negative invoice 380 correcting Snippet1', () => {
    const doc = parseUblBillingDocument(fixture('base-negative-inv-correction.xml'));
    expect(doc).toMatchObject({
      kind: 'INVOICE',
      typeCode: '380',
      number: 'Correction1',
      billingReferences: ['Snippet1'],
      negative: true,
    });
    expect(doc.totals).toEqual({
      lineExtension: '-1300',
      taxExclusive: '-1325',
      taxInclusive: '-1656.25',
      allowanceTotal: null,
      chargeTotal: '-25',
      prepaid: null,
      payableRounding: null,
      payable: '-1656.25',
    });
    expect(doc.allowanceCharges).toEqual([
      {
        isCharge: true,
        amount: '-25',
        reason: 'Insurance',
        reasonCode: null,
        category: 'S',
        percent: '25.0',
      },
    ]);
  });

  it('BIS3_Invoice_negativ.XML: a negative DKK invoice that references no invoice at all', () => {
    const doc = parseUblBillingDocument(fixture('BIS3_Invoice_negativ.XML'));
    expect(doc).toMatchObject({
      kind: 'INVOICE',
      number: '12345',
      issueDate: '2019-01-25',
      dueDate: '2019-02-24',
      currency: 'DKK',
      orderReference: 'n/a',
      billingReferences: [],
      taxTotal: '-156435.89',
      negative: true,
    });
    expect(doc.totals.payable).toBe('-782179.43');
    expect(doc.lines).toEqual([
      {
        id: '1',
        quantity: '-1',
        unitCode: 'KWH',
        lineAmount: '-625743.54',
        itemName: 'text',
        sellersItemId: '12345',
        buyersItemId: null,
        standardItemId: null,
        unitPrice: '625743.54',
        baseQuantity: null,
        orderLineReference: null,
      },
    ]);
    expect(doc.paymentMeans).toEqual([
      { code: '58', dueDate: null, payeeAccount: '1234567891234', paymentId: '12345667890' },
    ]);
  });

  it('BIS_Billing_30-Kreditering_med_negativ_faktura.xml: keeps "+0.10" as written', () => {
    const doc = parseUblBillingDocument(
      fixture('BIS_Billing_30-Kreditering_med_negativ_faktura.xml'),
    );
    expect(doc).toMatchObject({
      kind: 'INVOICE',
      number: '2018140',
      billingReferences: ['2018133'],
      negative: true,
    });
    expect(doc.totals.prepaid).toBe('-834.9');
    expect(doc.totals.payableRounding).toBe('+0.10');
    expect(doc.totals.payable).toBe('-10000');
  });
});

describe('parseUblBillingDocument: references, identifiers and payment means', () => {
  it('ubl-tc434-example5.xml: order, despatch, receipt and billing references; payable = prepaid', () => {
    const doc = parseUblBillingDocument(fixture('ubl-tc434-example5.xml'));
    expect(doc).toMatchObject({
      customizationId: 'urn:cen.eu:en16931:2017',
      number: 'TOSL110',
      issueDate: '2013-04-10',
      dueDate: '2013-05-10',
      currency: 'DKK',
      taxCurrency: 'EUR',
      orderReference: 'PO4711',
      salesOrderReference: '123',
      billingReferences: ['TOSL109'],
      despatchReferences: ['5433'],
      receiptReferences: ['3544'],
      taxTotal: '675.00', // not the 628.62 EUR of the second TaxTotal
      negative: false,
    });
    expect(doc.totals).toEqual({
      lineExtension: '4000.00',
      taxExclusive: '4000.00',
      taxInclusive: '4675.00',
      allowanceTotal: '150.00',
      chargeTotal: '150.00',
      prepaid: '2337.50',
      payableRounding: null,
      payable: '2337.50',
    });
    expect(doc.seller.endpoint).toEqual({ scheme: 'EM', value: 'info@selco.nl' });
    expect(doc.seller.identifiers).toContainEqual({
      source: 'TAX',
      scheme: null,
      value: 'NL16356706',
      taxScheme: 'LOC',
    });
    expect(doc.payee?.name).toBe('Dagobert Duck');
    expect(sameParty(doc.seller, doc.payee as UblParty)).toBe(false);
    // direct debit: no payee account, the payer's mandate instead
    expect(doc.paymentMeans).toEqual([
      { code: '49', dueDate: null, payeeAccount: null, paymentId: 'Payref1' },
    ]);
    expect(doc.lines[0]).toMatchObject({
      buyersItemId: 'BUY123',
      sellersItemId: 'JB007',
      standardItemId: '1234567890128',
      orderLineReference: '1',
    });
  });

  it('Invoice-Max_content.xml: identifier schemes, four payment means, two preceding invoices', () => {
    const doc = parseUblBillingDocument(fixture('Invoice-Max_content.xml'));
    expect(doc.seller).toEqual({
      name: 'Global Trade Chain',
      legalName: 'The Global Chain Sweden AB',
      endpoint: { scheme: '0007', value: '1234567890' },
      identifiers: [
        { source: 'ENDPOINT', scheme: '0007', value: '1234567890' },
        { source: 'PARTY_ID', scheme: '0088', value: '7350000001204' },
        { source: 'PARTY_ID', scheme: null, value: 'BilateralID' },
        { source: 'LEGAL', scheme: '0007', value: '1234567890' },
        { source: 'TAX', scheme: null, value: 'SE123456789001', taxScheme: 'VAT' },
        { source: 'TAX', scheme: null, value: 'Godkänd för F-skatt', taxScheme: 'TAX' },
      ],
      countryCode: 'SE',
    });
    expect(doc.payee?.identifiers).toEqual([
      { source: 'PARTY_ID', scheme: '0088', value: '7350053850019' },
      { source: 'LEGAL', scheme: '0007', value: '5566778899' },
    ]);
    expect(doc.paymentMeans).toEqual([
      { code: '30', dueDate: null, payeeAccount: 'SE1212341234123412341234', paymentId: '1800355' },
      { code: '30', dueDate: null, payeeAccount: '12341234567', paymentId: '1800355' },
      { code: '30', dueDate: null, payeeAccount: '1112222', paymentId: '1800355' },
      { code: '30', dueDate: null, payeeAccount: '121212', paymentId: '1800355' },
    ]);
    expect(doc).toMatchObject({
      number: '2018210',
      currency: 'SEK',
      taxCurrency: 'EUR',
      taxTotal: '2500',
      orderReference: '20180117',
      salesOrderReference: 'INK/0117/JM',
      billingReferences: ['Preceding invoice no.1', 'Preceding invoice no.2'],
      despatchReferences: ['Despatch_advice Feb 01-07'],
      receiptReferences: ['Receipt_advice 01-07'],
    });
    expect(doc.vatBreakdown[1]).toEqual({
      category: 'E',
      percent: '0',
      taxableAmount: '0',
      taxAmount: '0',
      exemptionReason: 'EU Direcive Article 132, section 1(g)',
      exemptionReasonCode: 'vatex-eu-132-1g',
    });
    expect(doc.lines[0]).toEqual({
      id: '1',
      quantity: '500',
      unitCode: 'MTR',
      lineAmount: '10000',
      itemName: 'Universal product',
      sellersItemId: 'UNI+X',
      buyersItemId: "Buyer's ID",
      standardItemId: '17350053850016',
      unitPrice: '20',
      baseQuantity: '1',
      orderLineReference: '20080117/JM',
    });
  });

  it('sales-order-example.xml: OrderReference "NA" with a SalesOrderID', () => {
    const doc = parseUblBillingDocument(fixture('sales-order-example.xml'));
    expect(doc.orderReference).toBe('NA');
    expect(doc.salesOrderReference).toBe('123456');
  });

  it('Invoice-Min_content_with_VAT.xml: no due date and no payment means at all', () => {
    const doc = parseUblBillingDocument(fixture('Invoice-Min_content_with_VAT.xml'));
    expect(doc).toMatchObject({
      number: '2018-112',
      dueDate: null,
      dueDateSource: null,
      paymentMeans: [],
    });
    expect(doc.buyer.identifiers).toEqual([
      { source: 'ENDPOINT', scheme: '0007', value: '9876543210' },
    ]);
  });
});

describe('parseUblBillingDocument on plain OASIS UBL 2.1 examples', () => {
  it('UBL-Invoice-2.1-Example.xml: due date from PaymentMeans, non-ICD schemes, redeclared namespaces', () => {
    const doc = parseUblBillingDocument(fixture('UBL-Invoice-2.1-Example.xml'));
    expect(doc).toMatchObject({
      kind: 'INVOICE',
      typeCode: '380',
      customizationId: null,
      number: 'TOSL108',
      issueDate: '2009-12-15',
      dueDate: '2009-12-31',
      dueDateSource: 'PAYMENT_MEANS',
      currency: 'EUR',
      orderReference: '123',
      taxTotal: '292.20',
    });
    expect(doc.seller.identifiers).toEqual([
      { source: 'ENDPOINT', scheme: 'GLN', value: '1234567890123' },
      { source: 'PARTY_ID', scheme: 'ZZZ', value: 'Supp123' },
      { source: 'LEGAL', scheme: 'CVR', value: '5402697509' },
      { source: 'TAX', scheme: 'DKVAT', value: 'DK12345', taxScheme: 'VAT' },
    ]);
    expect(doc.payee?.name).toBe('Ebeneser Scrooge Inc.');
    expect(doc.vatBreakdown.map((v) => [v.category, v.percent, v.taxAmount])).toEqual([
      ['S', '20', '292.1'],
      ['AA', '10', '0.1'],
      ['E', '0', '0'],
    ]);
    expect(doc.allowanceCharges.map((a) => [a.isCharge, a.amount, a.category])).toEqual([
      [true, '100', null],
      [false, '100', null],
    ]);
    expect(doc.lines).toHaveLength(5);
    expect(doc.lines[0]).toMatchObject({
      itemName: 'Labtop computer',
      standardItemId: '1234567890124',
      unitCode: 'C62',
    });
    expect(doc.paymentMeans).toEqual([
      {
        code: '31',
        dueDate: '2009-12-31',
        payeeAccount: 'DK1212341234123412',
        paymentId: 'Payref1',
      },
    ]);
  });

  it('UBL-CreditNote-2.1-Example.xml: a credit note with neither type code nor billing reference', () => {
    const doc = parseUblBillingDocument(fixture('UBL-CreditNote-2.1-Example.xml'));
    expect(doc).toMatchObject({
      kind: 'CREDIT_NOTE',
      typeCode: null,
      number: 'TOSL108',
      billingReferences: [],
    });
    expect(doc.totals.payable).toBe('729');
  });
});

describe('parseUblBillingDocument refusals', () => {
  it('an Order is NOT_UBL', () => {
    const error = parseError(fixture('Order_Example.xml'));
    expect(error.code).toBe('NOT_UBL');
    expect(error.message).toMatch(
      /root element is Order in namespace urn:oasis:names:specification:ubl:schema:xsd:Order-2/,
    );
  });

  it('an Invoice Response is NOT_UBL for the invoice parser', () => {
    expect(parseError(fixture('T111-uc003-Invoice is accepted.xml')).code).toBe('NOT_UBL');
  });

  it('an <Invoice> outside the UBL namespace is NOT_UBL', () => {
    const text = fixtureText('base-example.xml').replace(
      'xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"',
      'xmlns="urn:example:invoice"',
    );
    expect(parseError(text).code).toBe('NOT_UBL');
  });

  it('a missing cbc:ID is MISSING_ELEMENT naming its path', () => {
    const text = fixtureText('base-example.xml').replace('<cbc:ID>Snippet1</cbc:ID>', '');
    const error = parseError(text);
    expect(error.code).toBe('MISSING_ELEMENT');
    expect(error.details.path).toBe('/Invoice/cbc:ID');
    expect(error.message).toBe('Required element /Invoice/cbc:ID is missing or empty');
  });

  it('a missing PayableAmount is MISSING_ELEMENT naming its path', () => {
    const text = fixtureText('base-example.xml').replace(
      '<cbc:PayableAmount currencyID="EUR">1656.25</cbc:PayableAmount>',
      '',
    );
    expect(parseError(text).details.path).toBe('/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount');
  });

  it('a line without an amount is MISSING_ELEMENT naming the line', () => {
    const text = fixtureText('base-example.xml').replace(
      '<cbc:LineExtensionAmount currencyID="EUR">-1500</cbc:LineExtensionAmount>',
      '',
    );
    const error = parseError(text);
    expect(error.code).toBe('MISSING_ELEMENT');
    expect(error.details.path).toBe('/Invoice/cac:InvoiceLine[2]/cbc:LineExtensionAmount');
  });

  it('a credit note without lines is MISSING_ELEMENT naming the line element', () => {
    const text = fixtureText('base-creditnote-correction.xml');
    const withoutLines =
      text.slice(0, text.indexOf('<cac:CreditNoteLine>')) +
      text.slice(text.lastIndexOf('</cac:CreditNoteLine>') + 21);
    expect(withoutLines).not.toContain('CreditNoteLine');
    expect(parseError(withoutLines)).toMatchObject({
      code: 'MISSING_ELEMENT',
      details: { path: '/CreditNote/cac:CreditNoteLine' },
    });
  });

  it('an amount in another currency than the document currency is INVALID_VALUE', () => {
    const text = fixtureText('base-example.xml').replace(
      '<cbc:PayableAmount currencyID="EUR">',
      '<cbc:PayableAmount currencyID="USD">',
    );
    const error = parseError(text);
    expect(error.code).toBe('INVALID_VALUE');
    expect(error.details.path).toBe('/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount');
    expect(error.message).toMatch(/amount in USD, but the document currency is EUR/);
  });

  it('a date that does not exist and an amount that is not a number are INVALID_VALUE', () => {
    const badDate = fixtureText('base-example.xml').replace('2017-11-13', '2017-02-30');
    expect(parseError(badDate)).toMatchObject({
      code: 'INVALID_VALUE',
      details: { path: '/Invoice/cbc:IssueDate' },
    });
    const badAmount = fixtureText('base-example.xml').replace(
      '>1656.25</cbc:PayableAmount>',
      '>1.656,25</cbc:PayableAmount>',
    );
    expect(parseError(badAmount).code).toBe('INVALID_VALUE');
  });

  it('XML that is not well-formed is MALFORMED with the line of the fault', () => {
    const text = fixtureText('base-example.xml').replace('</cbc:IssueDate>', '</cbc:IssueDat>');
    const error = parseError(text);
    expect(error.code).toBe('MALFORMED');
    expect(error.details.line).toBe(8);
  });

  it('nesting deeper than any UBL document needs is MALFORMED, not a crash', () => {
    const deep =
      '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">' +
      '<a>'.repeat(500) +
      '</a>'.repeat(500) +
      '</Invoice>';
    const error = parseError(deep);
    expect(error.code).toBe('MALFORMED');
    expect(error.message).toBe('Unreadable XML: Maximum nested tags exceeded');
  });

  it('bytes that are not UTF-8 are MALFORMED, not silently replaced', () => {
    const [before, after] = fixtureText('base-example.xml').split('Insurance');
    // 0xC3 0x28 is an invalid two-byte sequence; a lenient decoder would turn it into U+FFFD
    const bytes = Buffer.concat([
      Buffer.from(before),
      Buffer.from([0xc3, 0x28]),
      Buffer.from(after),
    ]);
    const error = parseError(bytes);
    expect(error.code).toBe('MALFORMED');
    expect(error.message).toBe('The document is not valid utf-8 text');
  });

  it('a DOCTYPE (here with an external entity) is refused before anything is parsed', () => {
    const text =
      '<?xml version="1.0"?>\n<!DOCTYPE Invoice [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n' +
      '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" ' +
      'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"><cbc:ID>&e;</cbc:ID></Invoice>';
    const error = parseError(text);
    expect(error.code).toBe('DTD_NOT_ALLOWED');
    expect(error.details.line).toBe(2);
    expect(error.message).toBe('A DOCTYPE declaration is not accepted');
  });
});
