import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../infra/project-root';
import { parseUblBillingDocument } from './parse-ubl-invoice';
import { decimal, totalsAreConsistent, totalsDiscrepancies } from './ubl-amounts';

const fixtureText = (name: string): string =>
  readFileSync(join(projectRoot(), 'test', 'fixtures', 'ubl', name), 'utf8');
const parse = (name: string) => parseUblBillingDocument(fixtureText(name));

describe('totalsAreConsistent', () => {
  it.each([
    'base-example.xml',
    'Vat-category-S.xml',
    'Allowance-example.xml',
    'Norwegian-example-1.xml',
    'sales-order-example.xml',
    'base-creditnote-correction.xml',
    'base-negative-inv-correction.xml',
    'BIS_Billing_30-Kreditering_(urspr_faktura).xml',
    'BIS_Billing_30-Kreditering_med_kreditnota.xml',
    'BIS_Billing_30-Kreditering_med_negativ_faktura.xml',
    'BIS3_Invoice_negativ.XML',
    'ubl-tc434-example5.xml',
    'Invoice-Max_content.xml',
    'CreditNote-Max_content.xml',
    'Invoice-Min_content_with_VAT.xml',
  ])('%s adds up', (file) => {
    const doc = parse(file);
    expect(totalsDiscrepancies(doc)).toEqual([]);
    expect(totalsAreConsistent(doc)).toBe(true);
  });

  it.each(['UBL-Invoice-2.1-Example.xml', 'UBL-CreditNote-2.1-Example.xml'])(
    '%s (plain OASIS UBL) breaks BR-CO-15 and BR-CO-16, as the CEN rules report',
    (file) => {
      const doc = parse(file);
      expect(totalsAreConsistent(doc)).toBe(false);
      expect(totalsDiscrepancies(doc)).toEqual([
        {
          rule: 'BR-CO-15',
          message: 'TaxExclusiveAmount + TaxAmount = TaxInclusiveAmount',
          expected: '1728.7', // 1436.5 + 292.20
          actual: '1729',
        },
        {
          rule: 'BR-CO-16',
          message: 'TaxInclusiveAmount − PrepaidAmount + PayableRoundingAmount = PayableAmount',
          expected: '729.3', // 1729 − 1000 + 0.30
          actual: '729',
        },
      ]);
    },
  );

  it('a tampered PayableAmount breaks BR-CO-16 only', () => {
    const text = fixtureText('base-example.xml').replace(
      '<cbc:PayableAmount currencyID="EUR">1656.25</cbc:PayableAmount>',
      '<cbc:PayableAmount currencyID="EUR">1656.26</cbc:PayableAmount>',
    );
    const doc = parseUblBillingDocument(text);
    expect(totalsAreConsistent(doc)).toBe(false);
    expect(totalsDiscrepancies(doc)).toEqual([
      {
        rule: 'BR-CO-16',
        message: 'TaxInclusiveAmount − PrepaidAmount + PayableRoundingAmount = PayableAmount',
        expected: '1656.25',
        actual: '1656.26',
      },
    ]);
  });

  it('a tampered line amount breaks BR-CO-10 (sum of lines)', () => {
    const text = fixtureText('Vat-category-S.xml').replace(
      '>900.00</cbc:LineExtensionAmount>',
      '>901.00</cbc:LineExtensionAmount>',
    );
    expect(
      totalsDiscrepancies(parseUblBillingDocument(text)).map((d) => [d.rule, d.expected, d.actual]),
    ).toEqual([['BR-CO-10', '6901', '6900']]);
  });

  it('a missing AllowanceTotalAmount breaks BR-CO-11 and BR-CO-13', () => {
    const text = fixtureText('Norwegian-example-1.xml').replace(
      '<cbc:AllowanceTotalAmount currencyID="NOK">100</cbc:AllowanceTotalAmount>',
      '',
    );
    expect(
      totalsDiscrepancies(parseUblBillingDocument(text)).map((d) => [d.rule, d.expected, d.actual]),
    ).toEqual([
      ['BR-CO-11', '100', '0'],
      ['BR-CO-13', '1536.5', '1436.5'],
    ]);
  });

  it('computes in decimals, never in floating point', () => {
    // 0.1 + 0.2 in floating point is 0.30000000000000004
    expect(decimal('0.1').plus(decimal('0.2')).toString()).toBe('0.3');
    expect(decimal('+0.10').toString()).toBe('0.1');
    expect(decimal('-782179.43').lt('0')).toBe(true);
  });
});
