import fc from 'fast-check';
import { addDays } from '../../common/calendar/business-calendar';
import { minorUnit } from '../../common/money/currency';
import { Decimal, scaleOf, sum } from '../../common/money/decimal';
import { priceOffer, type InvoiceToPrice, type PricingTerms } from './offer-pricing';

/*
 * Every expected figure below is worked by hand in the comment next to it; docs/pricing.md shows
 * the same examples (1 to 4) with the same figures.
 */

const VALUE_DATE = '2025-03-03'; // a Monday

/** Terms of the published examples: the whole amount, one flat rate, no margin and no fee. */
const flat = (currency: string, rate: string, dayCount: PricingTerms['dayCount']) => ({
  currency,
  advanceRate: '1',
  baseRate: rate,
  marginBps: 0,
  riskSpreadBps: 0,
  platformFeeBps: 0,
  dayCount,
});

/** A typical program: 90 % advance, base 3.45 %, margin 150 bp, fee 30 bp, ACT/360. */
const CNY_TERMS: PricingTerms = {
  currency: 'CNY',
  advanceRate: '0.9',
  baseRate: '0.0345',
  marginBps: 150,
  riskSpreadBps: 0,
  platformFeeBps: 30,
  dayCount: 'ACT/360',
};

const invoice = (invoiceId: string, confirmedAmount: string, paymentDate: string) => ({
  invoiceId,
  confirmedAmount,
  paymentDate,
});

describe('priceOffer: published worked examples (samples/day-count/worked-examples.csv)', () => {
  it('KANEXA-EARLYPAY: 1000.00 USD at 6 %, 20 days early, ACT/360 → discount 3.33, net 996.67', () => {
    // 2024-03-01 → 2024-03-21 = 20 days. advance = 1000.00 × 1 = 1000.00
    // discount = 1000 × 0.06 × 20 / 360 = 1200 / 360 = 3.3333… → 3.33; fee 0
    // net = 1000.00 − 3.33 − 0.00 = 996.67 (published 3.33 and 996.67)
    const offer = priceOffer(flat('USD', '0.06', 'ACT/360'), '2024-03-01', [
      invoice('KANEXA', '1000.00', '2024-03-21'),
    ]);
    expect(offer).toMatchObject({
      annualRate: '0.06',
      advanceAmount: '1000.00',
      discountAmount: '3.33',
      feeAmount: '0.00',
      netProceeds: '996.67',
      effectiveAnnualRate: '0.06000000', // no fee: the all-in cost is the rate itself
    });
    expect(offer.lines[0]).toEqual({
      invoiceId: 'KANEXA',
      confirmedAmount: '1000.00',
      advanceAmount: '1000.00',
      days: 20,
      discountAmount: '3.33',
    });
  });

  it('CBTT-TBILL-1293: 1000 TTD at 0.35 %, 2010-11-08 → 2011-01-19 (72 days), ACT/365 → discount 0.69', () => {
    // days: 22 (to 30 Nov) + 31 (Dec) + 19 (Jan) = 72
    // discount = 1000 × 0.0035 × 72 / 365 = 252 / 365 = 0.690410… → 0.69
    // net = 1000.00 − 0.69 = 999.31 (published 0.69 and 999.31)
    const offer = priceOffer(flat('TTD', '0.0035', 'ACT/365'), '2010-11-08', [
      invoice('CBTT', '1000', '2011-01-19'),
    ]);
    expect(offer.lines[0].days).toBe(72);
    expect(offer).toMatchObject({
      annualRate: '0.0035',
      advanceAmount: '1000.00',
      discountAmount: '0.69',
      netProceeds: '999.31',
    });
  });

  it('CFA-TBILL-91D: 10,000,000 USD at 2.25 % bank discount, 91 days, ACT/360 → price 9,943,125', () => {
    // 2024-01-02 → 2024-04-02: 29 + 29 (leap February) + 31 + 2 = 91 days
    // discount = 10,000,000 × 0.0225 × 91 / 360 = 20,475,000 / 360 = 56,875 exactly
    // net = 10,000,000.00 − 56,875.00 = 9,943,125.00 (published price 9943125)
    const offer = priceOffer(flat('USD', '0.0225', 'ACT/360'), '2024-01-02', [
      invoice('CFA', '10000000', '2024-04-02'),
    ]);
    expect(offer.lines[0].days).toBe(91);
    expect(offer.discountAmount).toBe('56875.00');
    expect(offer.netProceeds).toBe('9943125.00');
  });

  it('UST-BPD-2000: 5.235 % bank discount, 2000-01-13 → 2000-04-13 (91 days over 29 Feb), ACT/360 → price 98.6767083 per 100', () => {
    // days: 18 (to 31 Jan) + 29 (Feb 2000, a leap year) + 31 + 13 = 91
    // On a face of 10,000,000 (price per 100 × 100,000):
    // discount = 10,000,000 × 0.05235 × 91 / 360 = 47,638,500 / 360 = 132,329.1666… → 132,329.17
    // net = 10,000,000.00 − 132,329.17 = 9,867,670.83 = 98.6767083 × 100,000 (published price)
    const offer = priceOffer(flat('USD', '0.05235', 'ACT/360'), '2000-01-13', [
      invoice('UST', '10000000.00', '2000-04-13'),
    ]);
    expect(offer.lines[0].days).toBe(91);
    expect(offer.discountAmount).toBe('132329.17');
    expect(offer.netProceeds).toBe('9867670.83');
    expect(new Decimal('98.6767083').times('100000').toFixed(2)).toBe(offer.netProceeds);
  });

  it('GEOGEBRA-FI-TERMS: 840.00 EUR at 8 %, 39 days, real days/360 → 7.28 (interest figure only)', () => {
    // The page charges this as late-payment interest added to the invoice (840.00 + 7.28 =
    // 847.28), so only the k × i × t figure is compared; the formula is the discount formula.
    // days: 6 Nov → 15 Dec = 24 + 15 = 39; 840 × 0.08 × 39 / 360 = 2620.8 / 360 = 7.28 exactly
    const offer = priceOffer(flat('EUR', '0.08', 'ACT/360'), '2023-11-06', [
      invoice('GEOGEBRA', '840.00', '2023-12-15'),
    ]);
    expect(offer.lines[0].days).toBe(39);
    expect(offer.discountAmount).toBe('7.28');
  });
});

describe('priceOffer: worked examples of docs/pricing.md', () => {
  it('example 1: CNY, ACT/360, three invoices, where the lines add up to 0.01 more than the total', () => {
    // annual rate = 0.0345 + (150 + 0) / 10000 = 0.0495; fee rate = 30 / 10000 = 0.003
    // INV-1 100,000.00 paid 2025-05-02: days 28 (to 31 Mar) + 30 (Apr) + 2 = 60
    //   advance 90,000; discount 90,000 × 0.0495 × 60 / 360 = 267,300 / 360 = 742.5; fee 270
    // INV-2 50,000.00 paid 2025-06-01: days 60 + 30 = 90
    //   advance 45,000; discount 45,000 × 0.0495 × 90 / 360 = 200,475 / 360 = 556.875; fee 135
    // INV-3 25,000.00 paid 2025-04-03: days 28 + 3 = 31
    //   advance 22,500; discount 22,500 × 0.0495 × 31 / 360 = 34,526.25 / 360 = 95.90625; fee 67.5
    // totals: advance 157,500.00; discount 742.5 + 556.875 + 95.90625 = 1,395.28125 → 1,395.28
    //   fee 472.5 → 472.50; net = 157,500.00 − 1,395.28 − 472.50 = 155,632.22
    // lines: 742.50, 556.88 (half-up), 95.91 → they add up to 1,395.29, the total shows 1,395.28
    // effective: (1,395.28125 + 472.5) × 360 / (90,000×60 + 45,000×90 + 22,500×31)
    //   = 672,401.25 / 10,147,500 = 0.0662627494… → 0.06626275
    //   (= 0.0495 + 0.003 × 360 / 64.428571… advance-weighted days)
    const offer = priceOffer(CNY_TERMS, VALUE_DATE, [
      invoice('INV-1', '100000.00', '2025-05-02'),
      invoice('INV-2', '50000.00', '2025-06-01'),
      invoice('INV-3', '25000.00', '2025-04-03'),
    ]);
    expect(offer).toEqual({
      annualRate: '0.0495',
      effectiveAnnualRate: '0.06626275',
      advanceAmount: '157500.00',
      discountAmount: '1395.28',
      feeAmount: '472.50',
      netProceeds: '155632.22',
      confirmedAmount: '175000.00',
      maturityDate: '2025-06-01',
      lines: [
        {
          invoiceId: 'INV-1',
          confirmedAmount: '100000.00',
          advanceAmount: '90000.00',
          days: 60,
          discountAmount: '742.50',
        },
        {
          invoiceId: 'INV-2',
          confirmedAmount: '50000.00',
          advanceAmount: '45000.00',
          days: 90,
          discountAmount: '556.88',
        },
        {
          invoiceId: 'INV-3',
          confirmedAmount: '25000.00',
          advanceAmount: '22500.00',
          days: 31,
          discountAmount: '95.91',
        },
      ],
    });
    expect(sum(offer.lines.map((line) => line.discountAmount)).toFixed(2)).toBe('1395.29');
  });

  it('example 2: GBP, ACT/365, one invoice', () => {
    // annual rate = 0.0425 + 175 / 10000 = 0.06; fee rate 25 / 10000 = 0.0025
    // 48,250.00 paid 2025-06-30: days 28 + 30 + 31 + 30 = 119
    // advance = 48,250 × 0.95 = 45,837.5 → 45,837.50
    // discount = 45,837.5 × 0.06 × 119 / 365 = 327,279.75 / 365 = 896.656849… → 896.66
    // fee = 45,837.5 × 0.0025 = 114.59375 → 114.59
    // net = 45,837.50 − 896.66 − 114.59 = 44,826.25
    // effective = 0.06 + 0.0025 × 365 / 119 = 0.06 + 0.0076680672… = 0.0676680672… → 0.06766807
    const offer = priceOffer(
      {
        currency: 'GBP',
        advanceRate: '0.95',
        baseRate: '0.0425',
        marginBps: 175,
        riskSpreadBps: 0,
        platformFeeBps: 25,
        dayCount: 'ACT/365',
      },
      VALUE_DATE,
      [invoice('INV-G', '48250.00', '2025-06-30')],
    );
    expect(offer).toEqual({
      annualRate: '0.06',
      effectiveAnnualRate: '0.06766807',
      advanceAmount: '45837.50',
      discountAmount: '896.66',
      feeAmount: '114.59',
      netProceeds: '44826.25',
      confirmedAmount: '48250.00',
      maturityDate: '2025-06-30',
      lines: [
        {
          invoiceId: 'INV-G',
          confirmedAmount: '48250.00',
          advanceAmount: '45837.50',
          days: 119,
          discountAmount: '896.66',
        },
      ],
    });
  });

  it('example 3: JPY (no minor unit), ACT/360, a discount of exactly half a yen rounds up', () => {
    // annual rate 0.0495, fee 0.003, advance rate 0.8
    // 250,000 JPY paid 2025-05-05: days 60 + 3 = 63; advance = 250,000 × 0.8 = 200,000
    // discount = 200,000 × 0.0495 × 63 / 360 = 623,700 / 360 = 1,732.5 → 1,733 (half-up; a
    //   half-even rounding would give 1,732)
    // fee = 200,000 × 0.003 = 600; net = 200,000 − 1,733 − 600 = 197,667
    // effective = (1,732.5 + 600) × 360 / (200,000 × 63) = 839,700 / 12,600,000
    //   = 0.0666428571… → 0.06664286 (= 0.0495 + 0.003 × 360 / 63)
    const offer = priceOffer({ ...CNY_TERMS, currency: 'JPY', advanceRate: '0.8' }, VALUE_DATE, [
      invoice('INV-J', '250000', '2025-05-05'),
    ]);
    expect(offer).toEqual({
      annualRate: '0.0495',
      effectiveAnnualRate: '0.06664286',
      advanceAmount: '200000',
      discountAmount: '1733',
      feeAmount: '600',
      netProceeds: '197667',
      confirmedAmount: '250000',
      maturityDate: '2025-05-05',
      lines: [
        {
          invoiceId: 'INV-J',
          confirmedAmount: '250000',
          advanceAmount: '200000',
          days: 63,
          discountAmount: '1733',
        },
      ],
    });
  });

  it('example 4: KWD (three decimals), ACT/365, two invoices, where the lines add up to 0.001 less', () => {
    // annual rate = 0.04 + 125 / 10000 = 0.0525; fee 20 / 10000 = 0.002; advance rate 0.85
    // K1 12,345.678 paid 2025-04-17: days 28 + 17 = 45
    //   advance 12,345.678 × 0.85 = 10,493.8263 (line 10,493.826)
    //   discount 10,493.8263 × 0.0525 × 45 / 365 = 24,791.66463375 / 365 = 67.92236… (line 67.922)
    // K2 8,000.001 paid 2025-06-11: days 28 + 30 + 31 + 11 = 100
    //   advance 8,000.001 × 0.85 = 6,800.00085 (line 6,800.001, half-up)
    //   discount 6,800.00085 × 0.0525 × 100 / 365 = 35,700.0044625 / 365 = 97.80823… (line 97.808)
    // totals: advance 17,293.82715 → 17,293.827
    //   discount 60,491.66909625 / 365 = 165.730600… → 165.731 (lines add up to 165.730)
    //   fee 17,293.82715 × 0.002 = 34.5876543 → 34.588
    //   net = 17,293.827 − 165.731 − 34.588 = 17,093.508
    // effective = (165.730600… + 34.5876543) × 365 / (10,493.8263×45 + 6,800.00085×100)
    //   = 73,116.163… / 1,152,222.2685 = 0.0634566480… → 0.06345665
    const offer = priceOffer(
      {
        currency: 'KWD',
        advanceRate: '0.85',
        baseRate: '0.04',
        marginBps: 125,
        riskSpreadBps: 0,
        platformFeeBps: 20,
        dayCount: 'ACT/365',
      },
      VALUE_DATE,
      [invoice('K1', '12345.678', '2025-04-17'), invoice('K2', '8000.001', '2025-06-11')],
    );
    expect(offer).toEqual({
      annualRate: '0.0525',
      effectiveAnnualRate: '0.06345665',
      advanceAmount: '17293.827',
      discountAmount: '165.731',
      feeAmount: '34.588',
      netProceeds: '17093.508',
      confirmedAmount: '20345.679',
      maturityDate: '2025-06-11',
      lines: [
        {
          invoiceId: 'K1',
          confirmedAmount: '12345.678',
          advanceAmount: '10493.826',
          days: 45,
          discountAmount: '67.922',
        },
        {
          invoiceId: 'K2',
          confirmedAmount: '8000.001',
          advanceAmount: '6800.001',
          days: 100,
          discountAmount: '97.808',
        },
      ],
    });
  });
});

describe('priceOffer: rounding', () => {
  it('rounds a discount of exactly half a fen up, and derives net from the rounded totals', () => {
    // 1,000.00 CNY, advance 900; 60 days: discount = 900 × 0.0495 × 60 / 360 = 2,673 / 360 = 7.425
    //   → 7.43 (half-up; half-even would keep 7.42); fee = 900 × 0.003 = 2.70
    // net = 900.00 − 7.43 − 2.70 = 889.87. Rounding the unrounded net 889.875 on its own would
    //   give 889.88, and 900.00 − 7.43 − 2.70 = 889.88 would not hold.
    // effective = 0.0495 + 0.003 × 360 / 60 = 0.0675
    const offer = priceOffer(CNY_TERMS, VALUE_DATE, [invoice('HALF', '1000.00', '2025-05-02')]);
    expect(offer).toMatchObject({
      advanceAmount: '900.00',
      discountAmount: '7.43',
      feeAmount: '2.70',
      netProceeds: '889.87',
      effectiveAnnualRate: '0.06750000',
    });
  });

  it('JPY, two invoices: each line rounds its half yen up, the total has none to round', () => {
    // INV-J 250,000 → advance 200,000, 63 days: discount 1,732.5 (line 1,733)
    // INV-K 125,000 → advance 100,000, paid 2025-04-02 (30 days):
    //   discount 100,000 × 0.0495 × 30 / 360 = 148,500 / 360 = 412.5 (line 413)
    // total discount 1,732.5 + 412.5 = 2,145 exactly; lines add up to 2,146
    // fee = 300,000 × 0.003 = 900; net = 300,000 − 2,145 − 900 = 296,955
    // effective = (2,145 + 900) × 360 / (200,000×63 + 100,000×30) = 1,096,200 / 15,600,000
    //   = 0.0702692307… → 0.07026923 (advance-weighted days 15,600,000 / 300,000 = 52)
    const offer = priceOffer({ ...CNY_TERMS, currency: 'JPY', advanceRate: '0.8' }, VALUE_DATE, [
      invoice('INV-J', '250000', '2025-05-05'),
      invoice('INV-K', '125000', '2025-04-02'),
    ]);
    expect(offer).toMatchObject({
      advanceAmount: '300000',
      discountAmount: '2145',
      feeAmount: '900',
      netProceeds: '296955',
      confirmedAmount: '375000',
      maturityDate: '2025-05-05',
      effectiveAnnualRate: '0.07026923',
    });
    expect(offer.lines.map((line) => [line.days, line.discountAmount])).toEqual([
      [63, '1733'],
      [30, '413'],
    ]);
  });

  it('writes the annual rate without trailing zeros or exponent, and reads numeric columns', () => {
    // 0.03450000 (numeric(9,8)) + (150 + 25) / 10000 = 0.0345 + 0.0175 = 0.052
    const stored = priceOffer(
      { ...CNY_TERMS, baseRate: '0.03450000', advanceRate: '0.90000000', riskSpreadBps: 25 },
      VALUE_DATE,
      [invoice('STORED', '1000.0000', '2025-05-02')],
    );
    expect(stored.annualRate).toBe('0.052');
    expect(stored.confirmedAmount).toBe('1000.00');
    expect(stored.lines[0].confirmedAmount).toBe('1000.00');
    // 0.00000001 + 0 bp: toString would write "1e-8"
    const tiny = priceOffer({ ...CNY_TERMS, baseRate: '0.00000001', marginBps: 0 }, VALUE_DATE, [
      invoice('TINY', '1000.00', '2025-05-02'),
    ]);
    expect(tiny.annualRate).toBe('0.00000001');
  });
});

describe('priceOffer: refusals', () => {
  const one = [invoice('INV-1', '1000.00', '2025-05-02')];

  it('refuses an empty list', () => {
    expect(() => priceOffer(CNY_TERMS, VALUE_DATE, [])).toThrow(/at least one invoice/);
  });

  it('refuses an invoice paid on or before the value date (days < 1)', () => {
    expect(() =>
      priceOffer(CNY_TERMS, VALUE_DATE, [...one, invoice('SAME', '10.00', VALUE_DATE)]),
    ).toThrow(/SAME .*0 day\(s\).*at least 1 day/);
    expect(() =>
      priceOffer(CNY_TERMS, VALUE_DATE, [invoice('PAST', '10.00', '2025-02-28')]),
    ).toThrow(/PAST .*-3 day\(s\)/);
  });

  it('refuses amounts that are not amounts of the currency', () => {
    const jpy = { ...CNY_TERMS, currency: 'JPY' };
    expect(() => priceOffer(jpy, VALUE_DATE, [invoice('J', '1000.50', '2025-05-02')])).toThrow(
      /more decimals than JPY allows \(0\)/,
    );
    const kwd = { ...CNY_TERMS, currency: 'KWD' };
    expect(() => priceOffer(kwd, VALUE_DATE, [invoice('K', '1.0001', '2025-05-02')])).toThrow(
      /more decimals than KWD allows \(3\)/,
    );
    expect(
      priceOffer(kwd, VALUE_DATE, [invoice('K', '1.0010', '2025-05-02')]).confirmedAmount,
    ).toBe('1.001');
    expect(() => priceOffer({ ...CNY_TERMS, currency: 'XAU' }, VALUE_DATE, one)).toThrow(
      /not an ISO 4217 trade currency/,
    );
    expect(() => priceOffer({ ...CNY_TERMS, currency: 'cny' }, VALUE_DATE, one)).toThrow(
      /not an ISO 4217 trade currency/,
    );
  });

  it('refuses zero, negative and malformed amounts, and the same invoice twice', () => {
    for (const amount of ['0', '0.00', '-5.00', '1e3', '1,000.00'])
      expect(() =>
        priceOffer(CNY_TERMS, VALUE_DATE, [invoice('BAD', amount, '2025-05-02')]),
      ).toThrow(/BAD/);
    expect(() => priceOffer(CNY_TERMS, VALUE_DATE, [...one, ...one])).toThrow(/priced twice/);
  });

  it('refuses malformed terms and dates', () => {
    const bad =
      (terms: Partial<PricingTerms>, valueDate = VALUE_DATE) =>
      () =>
        priceOffer({ ...CNY_TERMS, ...terms }, valueDate, one);
    expect(bad({ advanceRate: '0' })).toThrow(/advanceRate/);
    expect(bad({ advanceRate: '1.01' })).toThrow(/advanceRate/);
    expect(bad({ baseRate: '3.45%' })).toThrow(/baseRate/);
    expect(bad({ baseRate: '-0.01' })).toThrow(/baseRate/);
    expect(bad({ marginBps: 1.5 })).toThrow(/marginBps/);
    expect(bad({ riskSpreadBps: Number.NaN })).toThrow(/riskSpreadBps/);
    expect(bad({ platformFeeBps: -1 })).toThrow(/platformFeeBps/);
    expect(bad({ dayCount: '30/360' as PricingTerms['dayCount'] })).toThrow(/Day count/);
    expect(bad({}, '2025-02-30')).toThrow(/Value date/);
    expect(() => priceOffer(CNY_TERMS, VALUE_DATE, [invoice('D', '1.00', '2025/05/02')])).toThrow(
      /payment date/,
    );
  });

  it('refuses terms whose discount and fee take the whole advance', () => {
    // 100 % a year for 400 days on ACT/360: discount = advance × 400/360 > advance
    expect(() =>
      priceOffer({ ...CNY_TERMS, baseRate: '1' }, VALUE_DATE, [
        invoice('LONG', '1000.00', addDays(VALUE_DATE, 400)),
      ]),
    ).toThrow(/leave nothing of the advance/);
  });
});

describe('priceOffer: properties', () => {
  const currencies = ['CNY', 'USD', 'JPY', 'KWD', 'CLF'] as const;
  const fraction = (max: number, scale: number) =>
    fc.integer({ min: 0, max }).map((n) => new Decimal(String(n)).div(`1e${scale}`).toFixed());

  const arbitraryOffer = fc.record({
    currency: fc.constantFrom(...currencies),
    // 0.00000001 … 1, eight places as the numeric(9,8) column holds
    advanceRate: fc
      .integer({ min: 1, max: 100_000_000 })
      .map((n) => new Decimal(String(n)).div('1e8').toFixed()),
    baseRate: fraction(10_000_000, 8), // 0 … 0.1
    marginBps: fc.integer({ min: 0, max: 1000 }),
    riskSpreadBps: fc.integer({ min: 0, max: 500 }),
    platformFeeBps: fc.integer({ min: 0, max: 100 }),
    dayCount: fc.constantFrom<PricingTerms['dayCount']>('ACT/360', 'ACT/365'),
    valueDate: fc.integer({ min: 0, max: 3650 }).map((n) => addDays('2020-01-01', n)),
    invoices: fc.array(
      fc.record({
        units: fc.bigInt({ min: 1n, max: 10n ** 13n }), // in minor units of the currency
        days: fc.integer({ min: 1, max: 720 }),
      }),
      { minLength: 1, maxLength: 8 },
    ),
  });

  it('net + discount + fee = advance exactly, every figure at most the minor-unit decimals, each total within half a unit', () => {
    fc.assert(
      fc.property(arbitraryOffer, (generated) => {
        const { valueDate, invoices: raw, ...terms } = generated;
        const digits = minorUnit(terms.currency);
        const invoices: InvoiceToPrice[] = raw.map(({ units, days }, index) => ({
          invoiceId: `INV-${index}`,
          confirmedAmount: new Decimal(units.toString()).div(`1e${digits}`).toFixed(digits),
          paymentDate: addDays(valueDate, days),
        }));
        const offer = priceOffer(terms, valueDate, invoices);

        const { advanceAmount, discountAmount, feeAmount, netProceeds } = offer;
        expect(
          new Decimal(netProceeds).plus(discountAmount).plus(feeAmount).eq(advanceAmount),
        ).toBe(true);
        const figures = [advanceAmount, discountAmount, feeAmount, netProceeds];
        figures.push(offer.confirmedAmount);
        for (const line of offer.lines)
          figures.push(line.confirmedAmount, line.advanceAmount, line.discountAmount);
        for (const figure of figures) expect(scaleOf(figure)).toBeLessThanOrEqual(digits);

        // Σ(confirmed × advanceRate), unrounded, is within half a minor unit of the total.
        const half = new Decimal('0.5').div(`1e${digits}`);
        const exactAdvance = sum(invoices.map((i) => i.confirmedAmount)).times(terms.advanceRate);
        expect(exactAdvance.minus(advanceAmount).abs().lte(half)).toBe(true);
        expect(offer.lines.map((line) => line.days)).toEqual(raw.map(({ days }) => days));
        expect(offer.effectiveAnnualRate).toMatch(/^\d+\.\d{8}$/);
      }),
      { numRuns: 500 },
    );
  });
});
