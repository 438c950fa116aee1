import {
  ageInDays,
  dilutionAcross,
  ratio,
  relationshipRates,
  scoringProfileOf,
  worstPledgeLtv,
} from './profile-rates';
import type { PledgeFact, RelationshipFacts } from './relationship-facts';

const facts = (overrides: Partial<RelationshipFacts> = {}): RelationshipFacts => ({
  anchorId: 'a1',
  currency: 'CNY',
  since: '2026-09-01',
  invoices: 0,
  volume: '0.0000',
  diluted: '0.0000',
  checked: 0,
  exceptions: 0,
  decided: 0,
  confirmed: 0,
  confirmedAmount: '0.0000',
  confirmedAmountDays: '0.0000',
  financingsDue: 0,
  settledOnTime: 0,
  overdueCount: 0,
  overdueNow: 0,
  maxDaysPastDue: 0,
  overdueOutstanding: '0.0000',
  exposure: [],
  pledges: [],
  ...overrides,
});

const pledge = (overrides: Partial<PledgeFact>): PledgeFact => ({
  pledgeId: 'p',
  reference: 'PLG-2026-1',
  financierId: 'f1',
  status: 'ACTIVE',
  ltv: '0.40000000',
  marginCallLtv: '0.80000000',
  liquidationLtv: '0.90000000',
  history: [],
  ...overrides,
});

describe('profile rates: ratio arithmetic', () => {
  it('divides exactly and rounds half-up to four places once', () => {
    expect(ratio('3', '40')).toBe('0.0750');
    expect(ratio('1', '3')).toBe('0.3333');
    expect(ratio('2', '3')).toBe('0.6667');
    expect(ratio('0.00005', '1')).toBe('0.0001'); // exactly half: up
    expect(ratio('1250.5000', '50000.0000')).toBe('0.0250'); // 0.02501
    expect(ratio('5', '5')).toBe('1.0000');
  });

  it('is null, not 0, when there is nothing to divide by', () => {
    expect(ratio('0', '0')).toBeNull();
    expect(ratio('0.0000', '0.0000')).toBeNull();
    expect(ratio('0', '7')).toBe('0.0000');
  });

  it('a relationship: exceptions per checked, confirmed per decided, credit notes per volume, on time per due', () => {
    expect(
      relationshipRates(
        facts({
          invoices: 38,
          volume: '1900000.0000',
          diluted: '9500.0000',
          checked: 40,
          exceptions: 3,
          decided: 37,
          confirmed: 36,
          financingsDue: 12,
          settledOnTime: 11,
        }),
      ),
    ).toEqual({
      verificationExceptionRate: '0.0750',
      confirmationRate: '0.9730', // 36 / 37 = 0.97297…
      dilutionRate: '0.0050',
      onTimeSettlementRate: '0.9167', // 11 / 12 = 0.91666…
    });
    expect(relationshipRates(facts())).toEqual({
      verificationExceptionRate: null,
      confirmationRate: null,
      dilutionRate: null,
      onTimeSettlementRate: null,
    });
  });

  it('relationship age in whole days; none without a start', () => {
    expect(ageInDays('2026-09-01', '2026-11-30')).toBe(90);
    expect(ageInDays('2024-02-28', '2025-03-01')).toBe(367); // 2024 is a leap year
    expect(ageInDays(null, '2026-11-30')).toBe(0);
    expect(ageInDays('2026-12-01', '2026-11-30')).toBe(0);
  });

  it('dilution across relationships: amounts add within a currency, currencies weigh by invoices', () => {
    // One currency: Σ credit notes ÷ Σ volume = 2,500 / 150,000.
    expect(
      dilutionAcross([
        facts({ invoices: 3, volume: '100000.0000', diluted: '2000.0000' }),
        facts({ anchorId: 'a2', invoices: 7, volume: '50000.0000', diluted: '500.0000' }),
      ]),
    ).toBe('0.0167');
    // CNY 2 % over 8 invoices, USD 5 % over 2: (0.02 × 8 + 0.05 × 2) / 10.
    expect(
      dilutionAcross([
        facts({ invoices: 8, volume: '100000.0000', diluted: '2000.0000' }),
        facts({ currency: 'USD', invoices: 2, volume: '10000.0000', diluted: '500.0000' }),
      ]),
    ).toBe('0.0260');
    expect(dilutionAcross([facts()])).toBeNull();
  });

  it('the worst live pledge: LTV ÷ margin-call level; released or valued-only pledges do not count', () => {
    expect(
      worstPledgeLtv([
        facts({
          pledges: [
            pledge({ ltv: '0.40000000' }), // 0.5
            pledge({ status: 'MARGIN_CALL', ltv: '0.84000000' }), // 1.05
            pledge({ status: 'RELEASED', ltv: '2.00000000' }),
            pledge({ status: 'APPROVED', ltv: null }),
          ],
        }),
      ]),
    ).toBe('1.0500');
    expect(worstPledgeLtv([facts({ pledges: [pledge({ ltv: null })] })])).toBe('9999.0000');
    expect(worstPledgeLtv([facts()])).toBeNull();
  });

  it('the scoring profile sums counts before dividing, takes the oldest relationship and the worst lateness', () => {
    const profile = scoringProfileOf(
      [
        facts({
          since: '2024-11-30',
          invoices: 20,
          volume: '1000000.0000',
          diluted: '10000.0000',
          checked: 20,
          exceptions: 1,
          decided: 19,
          confirmed: 19,
          financingsDue: 9,
          settledOnTime: 9,
        }),
        facts({
          anchorId: 'a2',
          since: '2026-06-03',
          invoices: 2,
          volume: '100000.0000',
          diluted: '0.0000',
          checked: 4,
          exceptions: 2,
          decided: 2,
          confirmed: 1,
          financingsDue: 1,
          settledOnTime: 0,
          maxDaysPastDue: 12,
        }),
        facts({ anchorId: null, since: null, pledges: [pledge({ ltv: '0.60000000' })] }),
      ],
      '2026-11-30',
    );
    expect(profile).toEqual({
      relationshipAgeDays: 730,
      invoices12m: 22,
      exceptionRate: '0.1250', // 3 / 24, not the mean of 0.05 and 0.5
      confirmationRate: '0.9524', // 20 / 21
      dilutionRate: '0.0091', // 10,000 / 1,100,000
      onTimeSettlementRate: '0.9000', // 9 / 10
      maxDaysPastDue: 12,
      pledgeLtvToMarginCall: '0.7500',
    });
    expect(scoringProfileOf([], '2026-11-30')).toEqual({
      relationshipAgeDays: 0,
      invoices12m: 0,
      exceptionRate: null,
      confirmationRate: null,
      dilutionRate: null,
      onTimeSettlementRate: null,
      maxDaysPastDue: 0,
      pledgeLtvToMarginCall: null,
    });
  });
});
