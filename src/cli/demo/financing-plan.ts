import { addDays } from '../../common/calendar/business-calendar';
import { Decimal, sum } from '../../common/money/decimal';
import { formatMoney } from '../../common/money/money';
import type { Camt054DocumentEntry } from '../../financing/iso20022/camt054-document';
import type { WalkedInvoice } from './walk-trade';

/**
 * The financing walk-through's plain rules, kept apart from the HTTP calls so that they can be
 * unit-tested: which invoices are financed, which offer is best, what the anchor's bank "sends",
 * where the overdue shortcut moves a maturity date, and how the ledger must add up.
 */

/** The offer figures the walk compares (a subset of the API's Offer). */
export interface OfferFigures {
  id: string;
  netProceeds: string;
  effectiveAnnualRate: string;
}

/**
 * The best offer for the supplier: the most net proceeds; on a tie the lower effective annual
 * rate, then the id (so the choice is stable). Null when there is none.
 */
export function bestOffer<T extends OfferFigures>(offers: readonly T[]): T | null {
  let best: T | null = null;
  for (const offer of offers) {
    if (best === null) {
      best = offer;
      continue;
    }
    const net = new Decimal(offer.netProceeds).cmp(best.netProceeds);
    const rate = new Decimal(offer.effectiveAnnualRate).cmp(best.effectiveAnnualRate);
    if (net > 0 || (net === 0 && (rate < 0 || (rate === 0 && offer.id < best.id)))) best = offer;
  }
  return best;
}

export interface FinancingPlan {
  /** Financed, paid out, then paid by the anchor at maturity through a camt.054 file. */
  settled: { supplierName: string; invoices: WalkedInvoice[] };
  /** Financed, paid out, then left unpaid past maturity + grace days. */
  overdue: { supplierName: string; invoices: WalkedInvoice[] };
}

/**
 * Chooses the invoices of the two financings from the trade walk's confirmed ones: the first
 * supplier's first two (one request for several invoices), and the second supplier's first.
 *
 * @throws Error when either supplier has no confirmed invoice
 */
export function planFinancings(
  invoices: readonly WalkedInvoice[],
  settledSupplier: string,
  overdueSupplier: string,
): FinancingPlan {
  const confirmed = (supplierName: string): WalkedInvoice[] =>
    invoices.filter(
      (invoice) =>
        invoice.supplierName === supplierName &&
        invoice.status === 'CONFIRMED' &&
        invoice.confirmation !== null,
    );
  const first = confirmed(settledSupplier).slice(0, 2);
  const second = confirmed(overdueSupplier).slice(0, 1);
  if (first.length === 0) throw new Error(`${settledSupplier} has no confirmed invoice to finance`);
  if (second.length === 0)
    throw new Error(`${overdueSupplier} has no confirmed invoice to finance`);
  return {
    settled: { supplierName: settledSupplier, invoices: first },
    overdue: { supplierName: overdueSupplier, invoices: second },
  };
}

/**
 * The maturity date that makes a financing overdue today: the overdue sweep marks a DISBURSED
 * financing once today (in the program's time zone) is after maturity + grace days, so the
 * latest such date is today − grace days − 1.
 */
export function overdueMaturity(today: string, graceDays: number): string {
  return addDays(today, -graceDays - 1);
}

/** What the anchor pays, invoice by invoice, on each one's confirmed payment date. */
export interface AnchorPayment {
  invoiceNumber: string;
  amount: string;
  paymentDate: string;
}

/**
 * The credits on the financier's account that the anchor's payments make, as its bank reports
 * them in a camt.054: one per invoice, in payment-date order, all booked on `bookedOn` (a bank
 * reports only what it has booked, and the portal refuses bookings dated in the future, so the
 * demo's anchor pays today, ahead of its payment dates); the first quotes the financing reference
 * as its end-to-end id, the others only in the remittance text, as payers do; plus one credit
 * that is not the anchor's (interest), which the portal must leave unmatched.
 */
export function anchorPaymentEntries(
  runId: string,
  reference: string,
  currency: string,
  payments: readonly AnchorPayment[],
  bookedOn: string,
  interestAmount: string,
): Camt054DocumentEntry[] {
  const ordered = [...payments].sort((a, b) => a.paymentDate.localeCompare(b.paymentDate));
  const entries: Camt054DocumentEntry[] = ordered.map((payment, index) => ({
    entryReference: `${runId}-ANCHOR-${index + 1}`,
    amount: payment.amount,
    currency,
    creditDebit: 'CRDT',
    bookingDate: bookedOn,
    valueDate: bookedOn,
    ...(index === 0 ? { endToEndId: reference } : {}),
    remittance: `Invoice ${payment.invoiceNumber}, assigned under ${reference}`,
  }));
  entries.push({
    entryReference: `${runId}-INTEREST`,
    amount: interestAmount,
    currency,
    creditDebit: 'CRDT',
    bookingDate: bookedOn,
    valueDate: bookedOn,
    remittance: 'Credit interest on current account',
  });
  return entries;
}

/** One organisation's answer to GET /ledger/accounts. */
export interface PartyLedger {
  party: string;
  accounts: ReadonlyArray<{ code: string; currency: string; balance: string }>;
}

export interface LedgerTotals {
  /** Per party, the sum of its balances per currency (each must be 0). */
  parties: Array<{ party: string; sums: Record<string, string> }>;
  /** Per currency, the sum over every party (must be 0). */
  total: Record<string, string>;
  /** True when every party's sums and every total are 0. */
  balanced: boolean;
}

/** Adds the balances up per party and currency, and across all parties per currency. */
export function ledgerTotals(ledgers: readonly PartyLedger[]): LedgerTotals {
  const total = new Map<string, Decimal[]>();
  let balanced = true;
  const parties = ledgers.map((ledger) => {
    const byCurrency = new Map<string, Decimal[]>();
    for (const account of ledger.accounts) {
      const amount = new Decimal(account.balance);
      byCurrency.set(account.currency, [...(byCurrency.get(account.currency) ?? []), amount]);
      total.set(account.currency, [...(total.get(account.currency) ?? []), amount]);
    }
    const sums: Record<string, string> = {};
    for (const [currency, amounts] of byCurrency) {
      const value = sum(amounts);
      if (!value.eq('0')) balanced = false;
      sums[currency] = formatMoney(value.toFixed(), currency);
    }
    return { party: ledger.party, sums };
  });
  const totals: Record<string, string> = {};
  for (const [currency, amounts] of [...total].sort(([a], [b]) => a.localeCompare(b))) {
    const value = sum(amounts);
    if (!value.eq('0')) balanced = false;
    totals[currency] = formatMoney(value.toFixed(), currency);
  }
  return { parties, total: totals, balanced };
}

/** A rate as a person reads it: "0.0465" → "4.65 %", "0.04771234" → "4.7712 %". */
export function percent(rate: string | null): string {
  if (rate === null) return '-';
  const value = new Decimal(rate).times('100').round(4, Decimal.roundHalfUp);
  const [whole, fraction = ''] = value.toFixed(4).split('.');
  const trimmed = fraction.replace(/0+$/, '').padEnd(2, '0');
  return `${whole}.${trimmed} %`;
}

/** An account number or IBAN in groups of four, as printed for people ("GB46 HTFF 4051 …"). */
export function groupsOfFour(identifier: string): string {
  return identifier.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * A moment as wall-clock time in a time zone with its UTC offset, to the second, as banks write
 * them: ('Asia/Shanghai', 2026-11-30T03:46:37Z) → "2026-11-30T11:46:37+08:00".
 */
export function momentIn(timeZone: string, moment: Date): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'longOffset',
    })
      .formatToParts(moment)
      .map((part) => [part.type, part.value]),
  ) as Record<string, string>;
  const offset = parts.timeZoneName === 'GMT' ? '+00:00' : parts.timeZoneName.replace('GMT', '');
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
}

/** A file name of ASCII letters, digits, dots, dashes and underscores. */
export function safeFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_');
}
