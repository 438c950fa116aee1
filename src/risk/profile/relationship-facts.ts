/**
 * The facts of one supplier–anchor relationship as the refresh counts them (one row of
 * `supplier_relationship_profiles`). Money and LTVs are decimal strings as PostgreSQL writes
 * numeric; counts are whole numbers.
 */
export interface RelationshipFacts {
  anchorId: string | null;
  currency: string;
  since: string | null;
  invoices: number;
  volume: string;
  diluted: string;
  checked: number;
  exceptions: number;
  decided: number;
  confirmed: number;
  confirmedAmount: string;
  confirmedAmountDays: string;
  financingsDue: number;
  settledOnTime: number;
  overdueCount: number;
  overdueNow: number;
  maxDaysPastDue: number;
  overdueOutstanding: string;
  exposure: ExposureFact[];
  pledges: PledgeFact[];
}

/** One financier's live financings of the supplier in the relationship. */
export interface ExposureFact {
  financierId: string;
  financierName: string;
  /** What is still owed on paid-out financings (DISBURSED, OVERDUE). */
  outstanding: string;
  /** Advances accepted but not paid out yet (ACCEPTED, PENDING_APPROVAL, APPROVED). */
  committed: string;
  financings: number;
}

export interface PledgeFact {
  pledgeId: string;
  reference: string;
  financierId: string;
  status: string;
  ltv: string | null;
  marginCallLtv: string | null;
  liquidationLtv: string | null;
  /** The LTV each time the revaluation found it changed, oldest first (last 12 months, ≤ 100). */
  history: Array<{ at: string; ltv: string | null }>;
}

/** Pledge statuses that still secure something: their LTV counts in the score. */
export const LIVE_PLEDGE_STATUSES: readonly string[] = [
  'ACTIVE',
  'PARTIALLY_RELEASED',
  'MARGIN_CALL',
];
