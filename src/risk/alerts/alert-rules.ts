import { dec } from '../../common/money/decimal';
import { AlertSeverity } from './alert-kinds';

/**
 * When a condition is worth an alert, and how urgent it is: pure functions of the figures the
 * sweep reads (docs/risk.md lists the thresholds). Each returns null when there is nothing to
 * say, or the alert's severity and the figures it shows, money and ratios as decimal strings.
 */

export const THRESHOLDS = {
  /** An overdue financing is CRITICAL after this many days past maturity. */
  overdueCriticalDays: 30,
  /** Share of a supplier's invoiced amount diluted by credit notes (last 90 days). */
  dilutionRate: '0.1',
  dilutionHighRate: '0.25',
  /** Share of a financier's outstanding book on one anchor. */
  concentrationShare: '0.5',
  concentrationHighShare: '0.8',
  /** Share of a program limit reserved or used. */
  limitNearFull: '0.9',
  limitFull: '0.98',
  /** Refused duplicates (invoices, double pledges) by one supplier within 30 days. */
  duplicateAttempts: 2,
  /** Financed in the last 30 days against the average month of confirmed trade before. */
  growthMultiple: '3',
} as const;

export interface AlertFinding {
  severity: AlertSeverity;
  figures: Record<string, string | number | null>;
}

const ratio = (part: string, whole: string): string => dec(part).div(whole).toFixed(4);

export function overdueAlert(input: { daysOverdue: number; outstanding: string }): AlertFinding {
  return {
    severity:
      input.daysOverdue > THRESHOLDS.overdueCriticalDays
        ? AlertSeverity.CRITICAL
        : AlertSeverity.HIGH,
    figures: { daysOverdue: input.daysOverdue, outstanding: input.outstanding },
  };
}

export function marginCallAlert(input: {
  ltv: string | null;
  marginCallLtv: string;
}): AlertFinding {
  return {
    severity: AlertSeverity.HIGH,
    figures: { ltv: input.ltv, marginCallLtv: input.marginCallLtv },
  };
}

export function liquidationAlert(input: {
  ltv: string | null;
  liquidationLtv: string;
}): AlertFinding {
  return {
    severity: AlertSeverity.CRITICAL,
    figures: { ltv: input.ltv, liquidationLtv: input.liquidationLtv },
  };
}

export function dilutionSpike(input: { invoiced: string; diluted: string }): AlertFinding | null {
  if (!dec(input.invoiced).gt('0')) return null;
  const rate = dec(input.diluted).div(input.invoiced);
  if (!rate.gt(THRESHOLDS.dilutionRate)) return null;
  return {
    severity: rate.gt(THRESHOLDS.dilutionHighRate) ? AlertSeverity.HIGH : AlertSeverity.MEDIUM,
    figures: { invoiced: input.invoiced, diluted: input.diluted, dilutionRate: rate.toFixed(4) },
  };
}

export function concentration(input: { onAnchor: string; book: string }): AlertFinding | null {
  if (!dec(input.book).gt('0')) return null;
  const share = dec(input.onAnchor).div(input.book);
  if (!share.gt(THRESHOLDS.concentrationShare)) return null;
  return {
    severity: share.gt(THRESHOLDS.concentrationHighShare)
      ? AlertSeverity.HIGH
      : AlertSeverity.MEDIUM,
    figures: {
      onAnchor: input.onAnchor,
      book: input.book,
      share: ratio(input.onAnchor, input.book),
    },
  };
}

export function limitNearFull(input: { taken: string; limit: string }): AlertFinding | null {
  if (!dec(input.limit).gt('0')) return null;
  const share = dec(input.taken).div(input.limit);
  if (share.lt(THRESHOLDS.limitNearFull)) return null;
  return {
    severity: share.gte(THRESHOLDS.limitFull) ? AlertSeverity.HIGH : AlertSeverity.MEDIUM,
    figures: { taken: input.taken, limit: input.limit, share: ratio(input.taken, input.limit) },
  };
}

export function duplicateAttempts(input: {
  refusedPledges: number;
  duplicateInvoices: number;
}): AlertFinding | null {
  const attempts = input.refusedPledges + input.duplicateInvoices;
  if (attempts < THRESHOLDS.duplicateAttempts) return null;
  return {
    severity: AlertSeverity.HIGH,
    figures: {
      attempts,
      refusedPledges: input.refusedPledges,
      duplicateInvoices: input.duplicateInvoices,
    },
  };
}

/**
 * Financed volume far above the trade behind it: the last 30 days' financing against the
 * average month of confirmed invoices over the 12 months before. No trade history and financing
 * now is the strongest case of it.
 */
export function rapidGrowth(input: {
  financed30d: string;
  confirmed12m: string;
}): AlertFinding | null {
  const financed = dec(input.financed30d);
  if (!financed.gt('0')) return null;
  const monthly = dec(input.confirmed12m).div('12');
  if (monthly.gt('0') && !financed.gt(monthly.times(THRESHOLDS.growthMultiple))) return null;
  return {
    severity: AlertSeverity.MEDIUM,
    figures: {
      financed30d: input.financed30d,
      averageMonthlyTrade: monthly.toFixed(2),
      multiple: monthly.gt('0') ? financed.div(monthly).toFixed(2) : null,
    },
  };
}
