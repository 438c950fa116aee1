import { revalue } from './pledge-revaluation';
import { PledgeStatus } from './pledge-status';
import type { RevaluationRow } from './pledges.repository';

const row = (overrides: Partial<RevaluationRow> = {}): RevaluationRow => ({
  id: 'p1',
  reference: 'PLG-2026-000001',
  status: PledgeStatus.ACTIVE,
  supplier_id: 's',
  financier_id: 'f',
  currency: 'CNY',
  haircut: '0.3000',
  margin_call_ltv: '0.80000000',
  liquidation_ltv: '0.90000000',
  liquidation_alerted: false,
  partly_released: false,
  outstanding: '600000.0000',
  items: [{ sku: 'HRC', quantity: '200.0000', market_unit_price: '5000.000000' }], // 1 000 000
  ...overrides,
});

describe('revalue (worked numbers)', () => {
  it('marks to market: 600 000 against 1 000 000 is LTV 0.6, no call', () => {
    expect(revalue(row())).toEqual({
      id: 'p1',
      from: PledgeStatus.ACTIVE,
      status: PledgeStatus.ACTIVE,
      collateralValue: '1000000.00',
      lendingValue: '700000.00',
      ltv: '0.60000000',
      marginCalled: false,
      liquidationAlerted: false,
      liquidationCrossed: false,
    });
  });

  it('a price drop to 3 600 makes LTV 0.83333333: margin call', () => {
    const result = revalue(
      row({ items: [{ sku: 'HRC', quantity: '200', market_unit_price: '3600' }] }),
    );
    expect(result).toMatchObject({
      status: PledgeStatus.MARGIN_CALL,
      collateralValue: '720000.00',
      lendingValue: '504000.00',
      ltv: '0.83333333',
      marginCalled: true,
      liquidationCrossed: false,
    });
  });

  it('a drop to 3 300 crosses liquidation (0.90909091) once: not again while alerted', () => {
    const items = [{ sku: 'HRC', quantity: '200', market_unit_price: '3300' }];
    expect(revalue(row({ items }))).toMatchObject({
      status: PledgeStatus.MARGIN_CALL,
      ltv: '0.90909091',
      liquidationAlerted: true,
      liquidationCrossed: true,
    });
    expect(
      revalue(row({ items, status: PledgeStatus.MARGIN_CALL, liquidation_alerted: true })),
    ).toMatchObject({ liquidationAlerted: true, liquidationCrossed: false });
  });

  it('a repayment clears the call back to PARTIALLY_RELEASED when goods went before', () => {
    expect(
      revalue(
        row({
          status: PledgeStatus.MARGIN_CALL,
          partly_released: true,
          outstanding: '500000',
          items: [{ sku: 'HRC', quantity: '200', market_unit_price: '3600' }],
        }),
      ),
    ).toMatchObject({
      status: PledgeStatus.PARTIALLY_RELEASED,
      ltv: '0.69444444',
      marginCalled: false,
    });
  });
});
