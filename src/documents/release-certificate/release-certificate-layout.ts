import { Decimal } from '../../common/money/decimal';
import { currencyAmount, isoDate } from '../document-text';
import { tableTop, type DocumentLayout, type TableColumn } from '../pdf/document-layout';
import { closingHeight } from '../pdf/closing-height';
import { planPages } from '../pdf/page-plan';
import { pledgeParties, receiptsText, type PledgeFacts } from '../pledge-facts/pledge-facts';
import { percentText, quantityText } from '../pledge-facts/pledge-text';

/** What a release certificate says, as loaded by ReleaseCertificateSource. */
export interface ReleaseCertificateData extends PledgeFacts {
  documentNumber: string;
  /** The document's created_at: its date and the PDF's fixed metadata dates. */
  issuedAt: Date;
  /** When the release was agreed (the pledge_releases row). */
  releasedAt: Date;
  /** The figures the release was allowed on, as recorded with it. */
  collateralBefore: string;
  collateralAfter: string;
  outstandingAmount: string;
  /** null: debt and no collateral left (never allowed, stated if it were). */
  ltvAfter: string | null;
  /** Nothing left pledged and nothing owed: the pledge has ended. */
  full: boolean;
  lines: ReadonlyArray<{ sku: string; description: string; quantity: string; unit: string }>;
}

const COLUMNS: readonly TableColumn[] = [
  { header: 'No.', width: 35, align: 'right' },
  { header: 'SKU', width: 110, align: 'left' },
  { header: 'Description', width: 230, align: 'left' },
  { header: 'Quantity released', width: 120, align: 'right' },
];

function ltvAfterText(data: ReleaseCertificateData): string {
  if (data.ltvAfter === null) return '— (debt and no collateral left)';
  if (new Decimal(data.outstandingAmount).eq('0')) return '0% (nothing outstanding)';
  return percentText(data.ltvAfter);
}

const withinApproval = (data: ReleaseCertificateData): boolean =>
  data.ltvAfter !== null && new Decimal(data.ltvAfter).lte(data.approvalLtv);

/**
 * The certificate that lets goods out of a pledge: which goods, the collateral before and after,
 * what was owed then and the LTV it leaves, and whether the pledge has ended. The custodian
 * delivers against it. A pure function of the data, unit-tested without a PDF.
 */
export function releaseCertificateLayout(data: ReleaseCertificateData): DocumentLayout {
  const { currency } = data;
  const amount = (value: string) => currencyAmount(value, currency);
  const rows = data.lines.map((line, index) => [
    String(index + 1),
    line.sku,
    line.description,
    quantityText(line.quantity, line.unit),
  ]);
  const receipts = receiptsText(data);
  const opening = {
    facts: [
      { label: 'Certificate number', value: data.documentNumber },
      { label: 'Date of certificate', value: isoDate(data.issuedAt) },
      { label: 'Pledge reference', value: data.reference },
      { label: 'Date of release', value: isoDate(data.releasedAt) },
      {
        label: data.receiptNumbers.length > 1 ? 'Warehouse receipts' : 'Warehouse receipt',
        value: receipts,
      },
    ],
    parties: pledgeParties(data),
    figures: {
      heading: 'Figures at release',
      items: [
        { label: 'Collateral before', value: amount(data.collateralBefore) },
        { label: 'Outstanding at release', value: amount(data.outstandingAmount) },
        { label: 'Collateral after', value: amount(data.collateralAfter) },
        { label: 'LTV after release', value: ltvAfterText(data) },
        { label: 'Released in full', value: data.full ? 'Yes' : 'No' },
        { label: 'Approval LTV', value: percentText(data.approvalLtv) },
      ],
    },
  };
  const closing = certificateClosing(data);
  const signature = `Issued by ${data.pledgee.name} to ${data.pledgor.name} and ${data.warehouse.name} through scf-portal.`;
  const planned = planPages(rows, tableTop(opening), closingHeight({ closing, signature }));
  return {
    info: {
      Title: `Release Certificate ${data.documentNumber}`,
      Subject: `Release of pledged goods from ${data.warehouse.name}, pledge ${data.reference}`,
      Author: data.pledgee.name,
      Creator: 'scf-portal',
      Keywords: `${data.documentNumber} ${data.reference} ${receipts}`,
      CreationDate: data.issuedAt,
      ModDate: data.issuedAt,
    },
    title: 'RELEASE CERTIFICATE 解除质押证明',
    ...opening,
    introduction:
      `The pledgee releases from pledge ${data.reference} the goods listed below` +
      `${data.full ? ', the last it held' : ''}. The custodian may deliver them to the pledgor.`,
    columns: COLUMNS,
    pages: planned.map((page) => ({
      ...page,
      footer: `${data.documentNumber} · Release Certificate · Page ${page.number} / ${planned.length}`,
    })),
    closing,
    signature,
  };
}

/** What is left pledged and owed, whether the pledge has ended, and the custodian's instruction. */
function certificateClosing(data: ReleaseCertificateData): DocumentLayout['closing'] {
  const amount = (value: string) => currencyAmount(value, data.currency);
  const receipts = receiptsText(data);
  const freed =
    data.receiptNumbers.length > 1 ? `receipts ${receipts} secure` : `receipt ${receipts} secures`;
  const within = withinApproval(data)
    ? `, within the approval LTV of ${percentText(data.approvalLtv)}`
    : '';
  return [
    {
      label: 'Collateral value still pledged',
      value: amount(data.collateralAfter),
      emphasis: true,
    },
    {
      label: 'Outstanding on drawdowns at release, and the LTV it leaves',
      value: `${amount(data.outstandingAmount)}; LTV after the release ${ltvAfterText(data)}${within}.`,
    },
    data.full
      ? {
          label: 'Released in full',
          value: `Pledge ${data.reference} has ended: nothing remains pledged and nothing is owed; ${freed} nothing any more.`,
        }
      : {
          label: 'Partial release',
          value: `The goods not listed stay pledged under ${data.reference} on the terms of its pledge agreement.`,
        },
    {
      label: 'Instruction to the custodian',
      value: `${data.warehouse.name} may deliver the goods listed above to ${data.pledgor.name}.`,
    },
  ];
}
