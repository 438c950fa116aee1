import { Decimal } from '../../common/money/decimal';
import { amountInWords } from '../amount-in-words';
import { currencyAmount, groupedMoney, isoDate } from '../document-text';
import {
  financingParties,
  financingTerms,
  recourseText,
  type FinancingFacts,
} from '../financing-facts/financing-facts';
import { tableTop, type DocumentLayout, type TableColumn } from '../pdf/document-layout';
import { planPages } from '../pdf/page-plan';

/** What a financing confirmation says, as loaded by FinancingConfirmationSource. */
export interface FinancingConfirmationData extends FinancingFacts {
  documentNumber: string;
  /** The document's created_at: its date and the PDF's fixed metadata dates. */
  issuedAt: Date;
  /** The payout's business date and the bank's reference for it. */
  disbursedOn: string | null;
  bankReference: string | null;
  /** Empty for a pledge-backed drawdown. */
  invoices: ReadonlyArray<{
    number: string;
    issueDate: string;
    paymentDate: string | null;
    /** Days from the value date to the invoice's payment date, as priced. */
    days: number;
    confirmedAmount: string;
  }>;
}

const COLUMNS: readonly TableColumn[] = [
  { header: 'No.', width: 30, align: 'right' },
  { header: 'Invoice number', width: 150, align: 'left' },
  { header: 'Issue date', width: 80, align: 'left' },
  { header: 'Payment date', width: 80, align: 'left' },
  { header: 'Days', width: 45, align: 'right' },
  { header: 'Confirmed amount', width: 110, align: 'right' },
];

const drawdownNote = (data: FinancingConfirmationData): string =>
  `Inventory pledge drawdown${data.pledgeReference ? ` under pledge ${data.pledgeReference}` : ''}: no invoices are financed.`;

/**
 * The supplier's confirmation, from the financier, of a financing paid out: on what terms, for
 * which receivables, and who repays at maturity. A pure function of the data, so content and
 * page breaks are unit-tested without a PDF.
 */
export function financingConfirmationLayout(data: FinancingConfirmationData): DocumentLayout {
  const { currency } = data;
  const amount = (value: string) => currencyAmount(value, currency);
  const rows = data.invoices.map((invoice, index) => [
    String(index + 1),
    invoice.number,
    invoice.issueDate,
    invoice.paymentDate ?? data.maturityDate,
    String(invoice.days),
    groupedMoney(invoice.confirmedAmount, currency),
  ]);
  const invoiceTotal = data.invoices
    .reduce((total, invoice) => total.plus(invoice.confirmedAmount), new Decimal('0'))
    .toFixed();
  const paidOut = data.disbursedOn ? ` on ${data.disbursedOn}` : '';
  const financed =
    data.invoices.length > 0
      ? 'the receivables listed below, which the supplier assigned to it,'
      : 'an inventory pledge drawdown';
  const opening = {
    facts: [
      { label: 'Document number', value: data.documentNumber },
      { label: 'Date of confirmation', value: isoDate(data.issuedAt) },
      { label: 'Financing reference', value: data.reference },
      { label: 'Value date', value: data.valueDate },
      { label: 'Maturity date', value: data.maturityDate },
      ...(data.disbursedOn
        ? [
            {
              label: 'Paid out',
              value: `${data.disbursedOn}${data.bankReference ? `, bank reference ${data.bankReference}` : ''}`,
            },
          ]
        : []),
      { label: 'Recourse', value: recourseText(data) },
    ],
    parties: financingParties(data),
    figures: financingTerms(data),
  };
  const planned = planPages(rows, tableTop(opening));
  return {
    info: {
      Title: `Financing Confirmation ${data.documentNumber}`,
      Subject: `Confirmation of financing ${data.reference}`,
      Author: data.financier.name,
      Creator: 'scf-portal',
      Keywords: `${data.documentNumber} ${data.reference}`,
      CreationDate: data.issuedAt,
      ModDate: data.issuedAt,
    },
    title: 'FINANCING CONFIRMATION',
    ...opening,
    introduction:
      `The financier confirms that under financing ${data.reference} it has financed ${financed} ` +
      `and paid the net proceeds to the supplier${paidOut}, on these terms:`,
    columns: COLUMNS,
    ...(data.invoices.length === 0 ? { emptyTable: drawdownNote(data) } : {}),
    pages: planned.map((page) => ({
      ...page,
      footer: `${data.documentNumber} · Financing Confirmation · Page ${page.number} / ${planned.length}`,
    })),
    closing: [
      {
        label: 'Net proceeds paid to the supplier',
        value: amount(data.netProceeds),
        emphasis: true,
      },
      { label: 'In words', value: `${currency} ${amountInWords(data.netProceeds, currency)}` },
      ...(data.invoices.length === 0 || new Decimal(invoiceTotal).eq(data.confirmedAmount)
        ? []
        : [{ label: 'Invoices listed', value: amount(invoiceTotal) }]),
      { label: 'Repayment', value: repayment(data) },
    ],
    signature: `Issued by ${data.financier.name} to ${data.supplier.name} through scf-portal.`,
  };
}

/** Who pays what to the financier at maturity. */
function repayment(data: FinancingConfirmationData): string {
  const quoting = `on the maturity date ${data.maturityDate}, quoting reference ${data.reference}`;
  if (!data.anchor)
    return `The supplier repays ${currencyAmount(data.advanceAmount, data.currency)} to ${data.financier.name} ${quoting}.`;
  const fallback =
    data.recourse === 'WITH'
      ? ' If it does not, the supplier repays the advance outstanding (recourse).'
      : '';
  return (
    `${data.anchor.name} pays ${currencyAmount(data.confirmedAmount, data.currency)} to ` +
    `${data.financier.name} ${quoting}.${fallback}`
  );
}
