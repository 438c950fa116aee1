import { collateralValue, lendingValue, loanToValue, ltvAbove } from './collateral';
import { marginState } from './pledge-transitions';
import type { PledgeStatus } from './pledge-status';
import type { RevaluationRow } from './pledges.repository';

export interface Revaluation {
  id: string;
  from: PledgeStatus;
  status: PledgeStatus;
  collateralValue: string;
  lendingValue: string;
  ltv: string | null;
  marginCalled: boolean;
  liquidationAlerted: boolean;
  /** The LTV rose above the liquidation level in this pass (the urgent event fires once). */
  liquidationCrossed: boolean;
}

/** A pledge marked to market: its figures and where it stands against its levels. Pure. */
export function revalue(row: RevaluationRow): Revaluation {
  const currency = row.currency.trim();
  const collateral = collateralValue(
    row.items.map((item) => ({
      sku: item.sku,
      quantity: item.quantity,
      marketUnitPrice: item.market_unit_price,
    })),
    currency,
  );
  const ltv = loanToValue(row.outstanding, collateral);
  const aboveMarginCall = ltvAbove(ltv, row.margin_call_ltv);
  const aboveLiquidation = ltvAbove(ltv, row.liquidation_ltv);
  return {
    id: row.id,
    from: row.status,
    status: marginState({
      status: row.status,
      aboveMarginCall,
      partlyReleased: row.partly_released,
    }),
    collateralValue: collateral,
    lendingValue: lendingValue(collateral, row.haircut, currency),
    ltv,
    marginCalled: aboveMarginCall,
    liquidationAlerted: aboveLiquidation,
    liquidationCrossed: aboveLiquidation && !row.liquidation_alerted,
  };
}
