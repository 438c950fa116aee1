import { priceRequest, type ProgramFinancierTerms, type ProgramPricing } from './request-pricing';

describe('pricing one request for every financier of its program', () => {
  const program: ProgramPricing = {
    advanceRate: '0.9',
    baseRate: '0.0345',
    platformFeeBps: 10,
    dayCount: 'ACT/360',
    offerTtlHours: 24,
    perFinancingCap: null,
    riskSpreadBps: { A: 0, B: 0, C: 0, D: 0, E: 0 },
  };
  const terms = (financierId: string, overrides: Partial<ProgramFinancierTerms> = {}) => ({
    financierId,
    name: `Bank ${financierId}`,
    status: 'ACTIVE' as const,
    active: true,
    marginBps: 150,
    minTenorDays: 7,
    maxTenorDays: 180,
    limitAmount: '1000000',
    supplierSubLimit: null,
    ...overrides,
  });
  // 100,000.00 confirmed, 36 days: advance 90,000.00; at 4.95 % ACT/360 the discount is
  // 90,000 × 0.0495 × 36 / 360 = 445.50; fee 10 bps = 90.00; net 89,464.50.
  const request = {
    id: 'r1',
    supplierId: 's1',
    programId: 'p1',
    currency: 'CNY',
    valueDate: '2026-12-01',
    invoices: [{ invoiceId: 'i1', confirmedAmount: '100000.00', paymentDate: '2027-01-06' }],
    supplierGrade: 'C' as const,
  };
  const none = () => ({ program: '0', supplier: '0' });

  it('offers where terms, tenor and limits allow, with the worked figures', () => {
    const priced = priceRequest(request, program, [terms('a')], none);
    expect(priced.reasons).toEqual([]);
    expect(priced.offers).toHaveLength(1);
    expect(priced.offers[0].pricing).toMatchObject({
      annualRate: '0.0495',
      advanceAmount: '90000.00',
      discountAmount: '445.50',
      feeAmount: '90.00',
      netProceeds: '89464.50',
    });
  });

  it('gives each refusing financier its reasons, named, and never its limit figures', () => {
    const priced = priceRequest(
      request,
      { ...program, perFinancingCap: '80000' },
      [terms('a', { active: false }), terms('b', { minTenorDays: 60 }), terms('c')],
      (financierId) => (financierId === 'c' ? { program: '950000', supplier: '0' } : none()),
    );
    expect(priced.offers).toEqual([]);
    expect(priced.reasons.map((reason) => [reason.financierId, reason.code])).toEqual([
      ['a', 'FINANCIER_PAUSED'],
      ['a', 'ABOVE_PER_FINANCING_CAP'],
      ['b', 'TENOR_TOO_SHORT'],
      ['b', 'ABOVE_PER_FINANCING_CAP'],
      ['c', 'PROGRAM_LIMIT_EXCEEDED'],
      ['c', 'ABOVE_PER_FINANCING_CAP'],
    ]);
    expect(priced.reasons[0].message).toMatch(/^Bank a: /);
    expect(priced.reasons.map((reason) => reason.message).join(' ')).not.toMatch(/1000000|950000/);
  });

  it('says so when the program has no financier, and when nothing can be priced', () => {
    expect(priceRequest(request, program, [], none).reasons).toEqual([
      { code: 'NO_FINANCIER', message: 'The program has no financier.' },
    ]);
    const matured = { ...request, valueDate: '2027-01-06' };
    expect(priceRequest(matured, program, [terms('a')], none).reasons).toEqual([
      expect.objectContaining({ code: 'CANNOT_PRICE', financierId: 'a' }),
    ]);
  });

  it("adds the program's risk spread for the supplier's grade to every offer's rate", () => {
    const spreads = { ...program, riskSpreadBps: { A: 0, B: 25, C: 60, D: 120, E: 250 } };
    // 4.95 % + 60 bp = 5.55 %: 90,000 × 0.0555 × 36 / 360 = 499.50; net 90,000 − 499.50 − 90.
    const priced = priceRequest(
      request,
      spreads,
      [terms('a'), terms('b', { marginBps: 250 })],
      none,
    );
    expect(priced).toMatchObject({ riskGrade: 'C', riskSpreadBps: 60 });
    expect(priced.offers.map((offer) => offer.pricing)).toEqual([
      expect.objectContaining({
        annualRate: '0.0555',
        discountAmount: '499.50',
        netProceeds: '89410.50',
      }),
      expect.objectContaining({ annualRate: '0.0655' }),
    ]);
    const graded = (grade: 'A' | 'E') =>
      priceRequest({ ...request, supplierGrade: grade }, spreads, [terms('a')], none).offers[0]
        .pricing.annualRate;
    expect([graded('A'), graded('E')]).toEqual(['0.0495', '0.0745']);
  });

  it("a financier's own sub-limit for the supplier replaces its program-wide one", () => {
    const own = (supplierSubLimit: string | null) =>
      priceRequest(request, program, [terms('a', { supplierSubLimit: '1000000' })], () => ({
        program: '0',
        supplier: '0',
        supplierSubLimit,
      }));
    expect(own('80000').reasons.map((reason) => reason.code)).toEqual([
      'SUPPLIER_SUB_LIMIT_EXCEEDED',
    ]);
    expect(own(null).offers).toHaveLength(1);
  });

  it('a guarantee on 60 % of the advance takes 60 % of the grade’s spread off the rate, for the financier it benefits', () => {
    const spreads = { ...program, riskSpreadBps: { A: 0, B: 30, C: 100, D: 200, E: 300 } };
    const fund = {
      id: 'g1',
      guarantorId: 'fund',
      guarantorName: 'SME Guarantee Fund',
      financierId: 'a',
      coverageRatio: '0.6',
      validFrom: '2026-11-01',
      validTo: '2027-12-31',
      available: '1000000',
    };
    const priced = priceRequest(request, spreads, [terms('a'), terms('b')], none, [fund]);
    expect(priced.riskSpreadBps).toBe(100);
    const [a, b] = priced.offers;
    // 90,000.00 advance, 54,000.00 covered: 100 bps × 0.6 = 60 bps relief → 4.95 % + 0.40 %.
    expect(a.guarantee).toEqual({
      guaranteeId: 'g1',
      guarantorId: 'fund',
      guarantorName: 'SME Guarantee Fund',
      coverageRatio: '0.6',
      coveredAmount: '54000.00',
      spreadReliefBps: 60,
    });
    expect(a.pricing).toMatchObject({ annualRate: '0.0535', discountAmount: '481.50' });
    // Financier b is not its beneficiary: the full spread.
    expect(b.guarantee).toBeNull();
    expect(b.pricing.annualRate).toBe('0.0595');
  });

  it('the cover is taken on the advance exactly as pricing totals it: a full guarantee covers the whole advance and all the spread', () => {
    const spreads = { ...program, riskSpreadBps: { A: 80, B: 80, C: 80, D: 80, E: 80 } };
    const full = {
      id: 'g2',
      guarantorId: 'fund',
      guarantorName: 'Fund',
      financierId: null,
      coverageRatio: '1',
      validFrom: '2026-01-01',
      validTo: '2027-12-31',
      available: '1000000',
    };
    const odd = {
      ...request,
      invoices: [
        { invoiceId: 'i1', confirmedAmount: '33.33', paymentDate: '2027-01-06' },
        { invoiceId: 'i2', confirmedAmount: '33.33', paymentDate: '2027-01-20' },
        { invoiceId: 'i3', confirmedAmount: '33.34', paymentDate: '2027-01-13' },
      ],
    };
    const [offer] = priceRequest(odd, spreads, [terms('a')], none, [full]).offers;
    expect(offer.pricing.advanceAmount).toBe('90.00');
    expect(offer.guarantee).toMatchObject({ coveredAmount: '90.00', spreadReliefBps: 80 });
    expect(offer.pricing.annualRate).toBe('0.0495');
    expect(offer.pricing.maturityDate).toBe('2027-01-20');
  });

  it('an offer that cannot be priced is refused the same way with or without a guarantee', () => {
    const fund = {
      id: 'g3',
      guarantorId: 'fund',
      guarantorName: 'Fund',
      financierId: null,
      coverageRatio: '0.5',
      validFrom: '2026-01-01',
      validTo: '2027-12-31',
      available: '1000000',
    };
    const matured = {
      ...request,
      invoices: [{ invoiceId: 'i1', confirmedAmount: '100000.00', paymentDate: '2026-12-01' }],
    };
    const priced = priceRequest(matured, program, [terms('a')], none, [fund]);
    expect(priced.offers).toEqual([]);
    expect(priced.reasons.map((reason) => reason.code)).toEqual(['CANNOT_PRICE']);
  });
});
