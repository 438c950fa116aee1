import { Factor, type FactorWeights } from './scorecard';

/**
 * The scorecard's weights: a default set and overrides per industry, keyed by the GB/T 4754-2017
 * section letter on the organisation (`organizations.industry`). A typed file rather than a table
 * on purpose: a change of the credit model is reviewed and versioned like code, and every score
 * records which set it used (`weightsKey`). Each set names every factor and sums to 1000
 * (industry-weights.spec.ts checks it). docs/risk.md explains the choices.
 */

/** GB/T 4754-2017 sections, A (农、林、牧、渔业) to T (国际组织). */
export const INDUSTRY_SECTIONS = [
  'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J',
  'K', 'L', 'M', 'N', 'O', 'P', 'Q', 'R', 'S', 'T',
] as const; // prettier-ignore
export type IndustrySection = (typeof INDUSTRY_SECTIONS)[number];

/** Manufacturing (C) and every section without an override. On-time repayment weighs most. */
export const DEFAULT_WEIGHTS: FactorWeights = {
  [Factor.RELATIONSHIP_AGE]: 100,
  [Factor.TRADE_ACTIVITY]: 100,
  [Factor.VERIFICATION_EXCEPTIONS]: 150,
  [Factor.CONFIRMATION]: 100,
  [Factor.DILUTION]: 150,
  [Factor.ON_TIME_SETTLEMENT]: 200,
  [Factor.OVERDUE]: 150,
  [Factor.PLEDGE_LTV]: 50,
};

export const INDUSTRY_WEIGHTS: Readonly<Partial<Record<IndustrySection, FactorWeights>>> = {
  // Agriculture: trade comes in seasons, so few invoices in a year say little; a long
  // relationship says more.
  A: {
    ...DEFAULT_WEIGHTS,
    [Factor.RELATIONSHIP_AGE]: 150,
    [Factor.TRADE_ACTIVITY]: 50,
  },
  // Construction: progress billing is disputed and retained; dilution and the anchor's
  // confirmation carry the risk, the number of invoices little.
  E: {
    ...DEFAULT_WEIGHTS,
    [Factor.TRADE_ACTIVITY]: 50,
    [Factor.VERIFICATION_EXCEPTIONS]: 100,
    [Factor.CONFIRMATION]: 150,
    [Factor.DILUTION]: 200,
  },
  // Wholesale and retail: stock is the usual collateral and returns dilute invoices.
  F: {
    ...DEFAULT_WEIGHTS,
    [Factor.VERIFICATION_EXCEPTIONS]: 100,
    [Factor.OVERDUE]: 100,
    [Factor.PLEDGE_LTV]: 150,
  },
  // Transport, storage and post: services, nothing to pledge; steady invoicing is the signal.
  G: {
    ...DEFAULT_WEIGHTS,
    [Factor.TRADE_ACTIVITY]: 150,
    [Factor.PLEDGE_LTV]: 0,
  },
};

export const DEFAULT_WEIGHTS_KEY = 'DEFAULT';

/** The set that scores an organisation of `industry` (null or unknown: the default). */
export function weightsFor(industry: string | null): { key: string; weights: FactorWeights } {
  const override = industry === null ? undefined : INDUSTRY_WEIGHTS[industry as IndustrySection];
  return override
    ? { key: industry as string, weights: override }
    : { key: DEFAULT_WEIGHTS_KEY, weights: DEFAULT_WEIGHTS };
}
