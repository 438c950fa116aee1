import {
  availableLimit,
  financierEligibility,
  type FinancierStanding,
} from './financier-eligibility';

/*
 * One financier of a CNY program, as read from program_financiers (numeric(20,4) columns):
 *   program limit 1,000,000, of which 600,000 reserved or used → 400,000 left in the program
 *   sub-limit for this supplier 300,000, of which 100,000 reserved or used → 200,000 left
 *   available = min(400,000, 200,000) = 200,000 (the sub-limit binds)
 *   tenor 10 … 180 days
 */
const standing: FinancierStanding = {
  financierId: 'f6f0b1d2-3a4c-4e5f-8a9b-0c1d2e3f4a5b',
  status: 'ACTIVE',
  active: true,
  marginBps: 150,
  minTenorDays: 10,
  maxTenorDays: 180,
  limitAmount: '1000000.0000',
  supplierSubLimit: '300000.0000',
  programExposure: '600000.0000',
  supplierExposure: '100000.0000',
};
const ask = { tenorDays: [30, 60], advanceAmount: '200000.00', currency: 'CNY' };
const codes = (change: Partial<FinancierStanding>, askChange: Partial<typeof ask> = {}) =>
  financierEligibility({ ...standing, ...change }, { ...ask, ...askChange }).map(
    (reason) => reason.code,
  );

describe('availableLimit', () => {
  it('is the sub-limit headroom when it binds: min(1,000,000 − 600,000, 300,000 − 100,000) = 200,000', () => {
    expect(availableLimit(standing)).toBe('200000');
  });

  it('is the program headroom when it binds: min(1,000,000 − 850,000, 300,000 − 100,000) = 150,000', () => {
    expect(availableLimit({ ...standing, programExposure: '850000.0000' })).toBe('150000');
  });

  it('is the program headroom alone without a sub-limit: 1,000,000 − 600,000 = 400,000', () => {
    expect(availableLimit({ ...standing, supplierSubLimit: null })).toBe('400000');
  });

  it('keeps fractions exactly: min(1,000,000 − 999,999.99, …) = 0.01', () => {
    expect(availableLimit({ ...standing, programExposure: '999999.9900' })).toBe('0.01');
  });

  it('never goes below 0 when exposure is above a lowered limit', () => {
    // 1,000,000 − 1,200,000 = −200,000 → 0
    expect(availableLimit({ ...standing, programExposure: '1200000.0000' })).toBe('0');
    // 300,000 − 350,000 = −50,000 → 0, even with room in the program
    expect(availableLimit({ ...standing, supplierExposure: '350000.0000' })).toBe('0');
  });

  it('is 0 for a financier without terms', () => {
    expect(
      availableLimit({ ...standing, status: 'INVITED', limitAmount: null, supplierSubLimit: null }),
    ).toBe('0');
  });
});

describe('financierEligibility', () => {
  it('is eligible when every invoice fits the tenor and the advance fits what is left, to the cent', () => {
    // advance 200,000.00 = available 200,000 (equal is enough); tenors 30 and 60 within 10…180
    expect(financierEligibility(standing, ask)).toEqual([]);
    expect(codes({}, { tenorDays: [10, 180] })).toEqual([]); // both bounds are inclusive
  });

  it('NO_TERMS: invited and never set terms (its default active=false is not a pause)', () => {
    const reasons = financierEligibility(
      {
        ...standing,
        status: 'INVITED',
        active: false,
        marginBps: null,
        minTenorDays: null,
        maxTenorDays: null,
        limitAmount: null,
        supplierSubLimit: null,
      },
      ask,
    );
    expect(reasons).toEqual([
      {
        code: 'NO_TERMS',
        message: 'The financier has not set its pricing and limit terms in this program yet.',
      },
    ]);
  });

  it('NO_TERMS: active status but margin or limit missing', () => {
    expect(codes({ marginBps: null })).toEqual(['NO_TERMS']);
    expect(codes({ limitAmount: null, supplierSubLimit: null })).toEqual(['NO_TERMS']);
  });

  it('FINANCIER_PAUSED: terms set, switched off', () => {
    expect(financierEligibility({ ...standing, active: false }, ask)).toEqual([
      { code: 'FINANCIER_PAUSED', message: 'The financier has paused new offers in this program.' },
    ]);
  });

  it('TENOR_TOO_SHORT: names how many invoices, the minimum and the shortest', () => {
    // 9 and 5 days are below the minimum of 10; 30 is not
    expect(financierEligibility(standing, { ...ask, tenorDays: [9, 30, 5] })).toEqual([
      {
        code: 'TENOR_TOO_SHORT',
        message:
          "2 invoices run fewer days than the financier's minimum tenor of 10 days (shortest: 5 days).",
      },
    ]);
  });

  it('TENOR_TOO_LONG: names how many invoices, the maximum and the longest', () => {
    expect(financierEligibility(standing, { ...ask, tenorDays: [30, 181] })).toEqual([
      {
        code: 'TENOR_TOO_LONG',
        message:
          "1 invoice runs more days than the financier's maximum tenor of 180 days (longest: 181 days).",
      },
    ]);
  });

  it('a missing tenor bound does not limit', () => {
    expect(codes({ minTenorDays: null, maxTenorDays: null }, { tenorDays: [1, 720] })).toEqual([]);
  });

  it('PROGRAM_LIMIT_EXCEEDED: the advance is above what is left of the program limit, which stays untold', () => {
    // left in the program: 1,000,000 − 850,000 = 150,000; for the supplier 200,000
    // advance 150,000.01 > 150,000 → program limit only
    const reasons = financierEligibility(
      { ...standing, programExposure: '850000.0000' },
      { ...ask, advanceAmount: '150000.01' },
    );
    expect(reasons).toEqual([
      {
        code: 'PROGRAM_LIMIT_EXCEEDED',
        message:
          "The financier's available program limit is not enough for an advance of 150000.01 CNY.",
      },
    ]);
    expect(codes({ programExposure: '850000.0000' }, { advanceAmount: '150000.00' })).toEqual([]);
  });

  it('SUPPLIER_SUB_LIMIT_EXCEEDED: the advance is above what is left of the sub-limit, which stays untold', () => {
    // left for the supplier: 300,000 − 100,000 = 200,000; advance 200,000.01 > 200,000
    expect(financierEligibility(standing, { ...ask, advanceAmount: '200000.01' })).toEqual([
      {
        code: 'SUPPLIER_SUB_LIMIT_EXCEEDED',
        message:
          "The financier's available limit for this supplier is not enough for an advance of 200000.01 CNY.",
      },
    ]);
    expect(codes({ supplierSubLimit: null }, { advanceAmount: '400000.00' })).toEqual([]);
  });

  it('exposure above a lowered limit refuses any advance', () => {
    expect(codes({ programExposure: '1000000.0001' }, { advanceAmount: '0.01' })).toEqual([
      'PROGRAM_LIMIT_EXCEEDED',
    ]);
  });

  it('lists every reason at once', () => {
    // paused; 5 < 10; 200 > 180; advance 500,000 > 400,000 left in the program and > 200,000
    // left for the supplier
    expect(
      codes({ active: false }, { tenorDays: [5, 60, 200], advanceAmount: '500000.00' }),
    ).toEqual([
      'FINANCIER_PAUSED',
      'TENOR_TOO_SHORT',
      'TENOR_TOO_LONG',
      'PROGRAM_LIMIT_EXCEEDED',
      'SUPPLIER_SUB_LIMIT_EXCEEDED',
    ]);
    // no program limit (no terms), a tenor above the maximum that is set, and 200,000.01 above
    // the 200,000 left of the sub-limit that is set
    expect(
      codes(
        { status: 'INVITED', limitAmount: null },
        { tenorDays: [200], advanceAmount: '200000.01' },
      ),
    ).toEqual(['NO_TERMS', 'TENOR_TOO_LONG', 'SUPPLIER_SUB_LIMIT_EXCEEDED']);
  });

  it('never tells the financier, its limits or its exposure to the supplier', () => {
    const reasons = financierEligibility(
      { ...standing, active: false },
      { ...ask, tenorDays: [5, 200], advanceAmount: '500000.00' },
    );
    const text = reasons.map((reason) => reason.message).join(' ');
    expect(text).toContain('500000.00 CNY');
    for (const secret of [standing.financierId, '1000000', '300000', '600000', '100000', '400000'])
      expect(text).not.toContain(secret);
    expect(text).not.toMatch(/\b200000\b/);
  });

  it('formats the advance in the currency: JPY without decimals, KWD with three', () => {
    const short = { ...standing, supplierSubLimit: null, programExposure: '999999.0000' };
    // 1,000,000 − 999,999 = 1 left
    expect(
      financierEligibility(short, { ...ask, currency: 'JPY', advanceAmount: '1500000' })[0].message,
    ).toContain('an advance of 1500000 JPY.');
    expect(
      financierEligibility(short, { ...ask, currency: 'KWD', advanceAmount: '1000.5' })[0].message,
    ).toContain('an advance of 1000.500 KWD.');
  });

  it('refuses a malformed advance', () => {
    expect(() => financierEligibility(standing, { ...ask, advanceAmount: '1e6' })).toThrow(
      /advanceAmount/,
    );
  });
});
