import { Decimal } from '../../common/money/decimal';
import { amountInWords } from '../amount-in-words';
import { groupedMoney, isoDate, partyLine, type DocumentParty } from '../document-text';
import { planPages, type PlannedPage } from '../pdf/page-plan';
import type { DocumentLayout, TableColumn } from '../pdf/document-layout';

export type NoticeParty = DocumentParty;

/** What an assignment notice says, as loaded from the financing (see AssignmentNoticeSource). */
export interface AssignmentNoticeData {
  documentNumber: string;
  /** The document's created_at: its date and the PDF's fixed metadata dates. */
  issuedAt: Date;
  reference: string;
  currency: string;
  /** The whole confirmed amount the anchor pays at maturity. */
  totalAmount: string;
  maturityDate: string;
  disbursedAt: Date | null;
  anchor: NoticeParty;
  supplier: NoticeParty;
  financier: NoticeParty;
  invoices: ReadonlyArray<{
    number: string;
    issueDate: string;
    paymentDate: string | null;
    confirmedAmount: string;
  }>;
}

const COLUMNS: readonly TableColumn[] = [
  { header: 'No.', width: 35, align: 'right' },
  { header: 'Invoice number', width: 170, align: 'left' },
  { header: 'Issue date', width: 80, align: 'left' },
  { header: 'Payment date', width: 80, align: 'left' },
  { header: 'Confirmed amount', width: 130, align: 'right' },
];

/**
 * What goes on the pages of an assignment notice: a pure
 * function of the data, so its content and page breaks are unit-tested without a PDF.
 */
export function assignmentNoticeLayout(data: AssignmentNoticeData): DocumentLayout {
  const currency = data.currency.trim();
  const rows = data.invoices.map((invoice, index) => [
    String(index + 1),
    invoice.number,
    invoice.issueDate,
    invoice.paymentDate ?? data.maturityDate,
    groupedMoney(invoice.confirmedAmount, currency),
  ]);
  const invoiceTotal = data.invoices
    .reduce((total, invoice) => total.plus(invoice.confirmedAmount), new Decimal('0'))
    .toFixed();
  const planned: Array<PlannedPage<string[]>> = planPages(rows);
  const total = `${currency} ${groupedMoney(data.totalAmount, currency)}`;
  return {
    info: {
      Title: `Notice of Assignment ${data.documentNumber}`,
      Subject: `Assignment of receivables, financing ${data.reference}`,
      Author: data.financier.name,
      Creator: 'scf-portal',
      Keywords: `${data.documentNumber} ${data.reference}`,
      CreationDate: data.issuedAt,
      ModDate: data.issuedAt,
    },
    title: 'NOTICE OF ASSIGNMENT OF RECEIVABLES',
    facts: [
      { label: 'Document number', value: data.documentNumber },
      { label: 'Date of notice', value: isoDate(data.issuedAt) },
      { label: 'Financing reference', value: data.reference },
      ...(data.disbursedAt
        ? [{ label: 'Assignment effective', value: isoDate(data.disbursedAt) }]
        : []),
    ],
    parties: [
      { role: 'To (debtor / anchor)', name: data.anchor.name, detail: partyLine(data.anchor) },
      {
        role: 'Assignor (supplier)',
        name: data.supplier.name,
        detail: partyLine(data.supplier),
      },
      {
        role: 'Assignee (financier)',
        name: data.financier.name,
        detail: partyLine(data.financier),
      },
    ],
    introduction:
      `The assignor has assigned to the assignee all its rights to payment of the invoices ` +
      `listed below, under financing ${data.reference}. From the date of this notice the ` +
      `debtor discharges these invoices only by paying the assignee.`,
    columns: COLUMNS,
    pages: planned.map((page) => ({
      ...page,
      footer: `${data.documentNumber} · Notice of Assignment · Page ${page.number} / ${planned.length}`,
    })),
    closing: [
      { label: 'Total amount due', value: total, emphasis: true },
      { label: 'In words', value: `${currency} ${amountInWords(data.totalAmount, currency)}` },
      ...(new Decimal(invoiceTotal).eq(data.totalAmount)
        ? []
        : [
            {
              label: 'Invoices listed',
              value: `${currency} ${groupedMoney(invoiceTotal, currency)}`,
            },
          ]),
      {
        label: 'Payment instruction',
        value:
          `Pay ${total} to ${data.financier.name} (not to the supplier) on the maturity date ` +
          `${data.maturityDate}, quoting reference ${data.reference}.`,
      },
    ],
    signature: `Issued on behalf of ${data.financier.name} and ${data.supplier.name} through scf-portal.`,
  };
}
