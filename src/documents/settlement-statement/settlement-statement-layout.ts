import { Decimal } from '../../common/money/decimal';
import { amountInWords } from '../amount-in-words';
import { currencyAmount, groupedMoney, isoDate } from '../document-text';
import {
  financingParties,
  financingTerms,
  type FinancingFacts,
} from '../financing-facts/financing-facts';
import { tableTop, type DocumentLayout, type TableColumn } from '../pdf/document-layout';
import { planPages } from '../pdf/page-plan';

export interface StatementPayment {
  /** Business date the money was received. */
  paidOn: string;
  /** SETTLEMENT: the anchor's payment at maturity; RECOVERY: the supplier's under recourse. */
  kind: 'SETTLEMENT' | 'RECOVERY';
  amount: string;
  toReceivable: string;
  toSurplus: string;
  bankReference: string;
}

/** What a settlement statement says, as loaded by SettlementStatementSource. */
export interface SettlementStatementData extends FinancingFacts {
  documentNumber: string;
  /** The document's created_at: its date and the PDF's fixed metadata dates. */
  issuedAt: Date;
  /** SETTLED, RECOVERED or WRITTEN_OFF once closed. */
  status: string;
  /** Business date the financing closed; null while it is open. */
  closedOn: string | null;
  /** What the financier owes the supplier beyond the advance. */
  surplusAmount: string;
  writtenOffAmount: string;
  /** Every payment received, oldest first. */
  payments: readonly StatementPayment[];
}

// Bank references run to 64 characters: the widest column holds about 30, longer ones end in
// an ellipsis (rows are one line).
const COLUMNS: readonly TableColumn[] = [
  { header: 'No.', width: 24, align: 'right' },
  { header: 'Received on', width: 62, align: 'left' },
  { header: 'Kind', width: 56, align: 'left' },
  { header: 'Bank reference', width: 151, align: 'left' },
  { header: 'Amount', width: 68, align: 'right' },
  { header: 'To advance', width: 68, align: 'right' },
  { header: 'Surplus', width: 66, align: 'right' },
];

const KIND: Readonly<Record<StatementPayment['kind'], string>> = {
  SETTLEMENT: 'Settlement',
  RECOVERY: 'Recovery',
};

/** How the financing ended, in words and in one sentence. */
const OUTCOME: Readonly<Record<string, { status: string; sentence: string }>> = {
  SETTLED: { status: 'Settled', sentence: 'The amount due at maturity was received in full.' },
  RECOVERED: {
    status: 'Recovered',
    sentence: 'The anchor did not pay; the supplier repaid the advance under recourse.',
  },
  WRITTEN_OFF: {
    status: 'Written off',
    sentence:
      'The amount due was not received in full; the financier wrote off the rest of the advance.',
  },
};

/**
 * The statement of a closed financing, to the supplier from the financier: every payment
 * received, how each was applied (advance first, then surplus), what the financier owes the
 * supplier and what it wrote off. A pure function of the data.
 */
export function settlementStatementLayout(data: SettlementStatementData): DocumentLayout {
  const { currency } = data;
  const amount = (value: string) => currencyAmount(value, currency);
  const rows = data.payments.map((payment, index) => [
    String(index + 1),
    payment.paidOn,
    KIND[payment.kind],
    payment.bankReference,
    groupedMoney(payment.amount, currency),
    groupedMoney(payment.toReceivable, currency),
    groupedMoney(payment.toSurplus, currency),
  ]);
  const total = (pick: (payment: StatementPayment) => string) =>
    data.payments.reduce((sum, payment) => sum.plus(pick(payment)), new Decimal('0')).toFixed();
  const received = total((payment) => payment.amount);
  const outcome = OUTCOME[data.status];
  const status = outcome?.status ?? data.status;
  const opening = {
    facts: [
      { label: 'Document number', value: data.documentNumber },
      { label: 'Date of statement', value: isoDate(data.issuedAt) },
      { label: 'Financing reference', value: data.reference },
      { label: 'Value date', value: data.valueDate },
      { label: 'Maturity date', value: data.maturityDate },
      {
        label: 'Closing status',
        value: data.closedOn ? `${status} on ${data.closedOn}` : status,
      },
    ],
    parties: financingParties(data),
    figures: financingTerms(data),
  };
  const planned = planPages(rows, tableTop(opening));
  return {
    info: {
      Title: `Settlement Statement ${data.documentNumber}`,
      Subject: `Payments received on financing ${data.reference}`,
      Author: data.financier.name,
      Creator: 'scf-portal',
      Keywords: `${data.documentNumber} ${data.reference}`,
      CreationDate: data.issuedAt,
      ModDate: data.issuedAt,
    },
    title: 'SETTLEMENT STATEMENT',
    ...opening,
    introduction:
      `Every payment received on financing ${data.reference}. A payment first repays the ` +
      `advance; anything beyond it is surplus owed to the supplier.` +
      (outcome ? ` ${outcome.sentence}` : ''),
    columns: COLUMNS,
    ...(data.payments.length === 0
      ? { emptyTable: 'No payment was received on this financing.' }
      : {}),
    pages: planned.map((page) => ({
      ...page,
      footer: `${data.documentNumber} · Settlement Statement · Page ${page.number} / ${planned.length}`,
    })),
    closing: [
      { label: 'Total received', value: amount(received), emphasis: true },
      { label: 'In words', value: `${currency} ${amountInWords(received, currency)}` },
      {
        label: 'Applied to the advance',
        value: `${amount(total((payment) => payment.toReceivable))} of ${amount(data.advanceAmount)}`,
      },
      { label: 'Surplus owed to the supplier', value: amount(data.surplusAmount) },
      { label: 'Written off', value: amount(data.writtenOffAmount) },
    ],
    signature: `Issued by ${data.financier.name} to ${data.supplier.name} through scf-portal.`,
  };
}
