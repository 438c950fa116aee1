import { Decimal } from '../../common/money/decimal';
import { roundMoney } from '../../common/money/money';
import { amountInWords } from '../amount-in-words';
import { currencyAmount, groupedMoney, isoDate } from '../document-text';
import { tableTop, type DocumentLayout, type TableColumn } from '../pdf/document-layout';
import { closingHeight } from '../pdf/closing-height';
import { planPages } from '../pdf/page-plan';
import { pledgeParties, receiptsText, type PledgeFacts } from '../pledge-facts/pledge-facts';
import { minuteText, percentText, quantityText, unitPriceText } from '../pledge-facts/pledge-text';

/** What a pledge agreement says, as loaded by PledgeAgreementSource. */
export interface PledgeAgreementData extends PledgeFacts {
  documentNumber: string;
  /** The document's created_at: its date and the PDF's fixed metadata dates. */
  issuedAt: Date;
  /** When the supplier asked for the pledge, and when the financier's checker approved it. */
  requestedAt: Date;
  approvedAt: Date | null;
  /** When the warehouse confirmed it holds the goods (the valuation's). */
  warehouseVerifiedAt: Date | null;
  /** As valued and approved: Σ quantity × market price, and that less the haircut. */
  collateralValue: string;
  lendingValue: string;
  items: ReadonlyArray<{
    sku: string;
    description: string;
    quantity: string;
    unit: string;
    /** The valuation's price (the latest mark if it left none); null: never priced, worth nothing. */
    marketUnitPrice: string | null;
  }>;
}

const COLUMNS: readonly TableColumn[] = [
  { header: 'No.', width: 30, align: 'right' },
  { header: 'SKU', width: 90, align: 'left' },
  { header: 'Description', width: 125, align: 'left' },
  { header: 'Quantity', width: 85, align: 'right' },
  { header: 'Market unit price', width: 78, align: 'right' },
  { header: 'Market value', width: 87, align: 'right' },
];

/**
 * The pledge agreement (质押合同) between the supplier as pledgor and the financier as pledgee,
 * the warehouse holding the goods as custodian: the goods, their value as approved, what is lent
 * against them and the LTV levels that govern drawdowns, margin calls and releases. A pure
 * function of the data, so its content and page breaks are unit-tested without a PDF.
 */
export function pledgeAgreementLayout(data: PledgeAgreementData): DocumentLayout {
  const { currency } = data;
  const amount = (value: string) => currencyAmount(value, currency);
  const lineValues = data.items.map((item) =>
    item.marketUnitPrice === null
      ? null
      : roundMoney(new Decimal(item.quantity).times(item.marketUnitPrice), currency),
  );
  const rows = data.items.map((item, index) => [
    String(index + 1),
    item.sku,
    item.description,
    quantityText(item.quantity, item.unit),
    item.marketUnitPrice === null ? '—' : unitPriceText(item.marketUnitPrice, currency),
    lineValues[index] === null ? '—' : groupedMoney(lineValues[index], currency),
  ]);
  const linesTotal = lineValues
    .reduce((total, value) => total.plus(value ?? '0'), new Decimal('0'))
    .toFixed();
  const opening = {
    facts: [
      { label: 'Document number', value: data.documentNumber },
      { label: 'Date of agreement', value: isoDate(data.issuedAt) },
      { label: 'Pledge reference', value: data.reference },
      {
        label: data.receiptNumbers.length > 1 ? 'Warehouse receipts' : 'Warehouse receipt',
        value: receiptsText(data),
      },
    ],
    parties: pledgeParties(data),
    figures: {
      heading: 'Valuation and levels',
      items: [
        { label: 'Collateral value', value: amount(data.collateralValue) },
        { label: 'Haircut', value: percentText(data.haircut) },
        { label: 'Lending value', value: amount(data.lendingValue) },
        { label: 'Approval LTV', value: percentText(data.approvalLtv) },
        {
          label: 'Goods verified',
          value: data.warehouseVerifiedAt ? minuteText(data.warehouseVerifiedAt) : '—',
        },
        { label: 'Margin-call LTV', value: percentText(data.marginCallLtv) },
        { label: 'Lines of goods', value: String(data.items.length) },
        { label: 'Liquidation LTV', value: percentText(data.liquidationLtv) },
      ],
    },
  };
  const closing = agreementClosing(data, linesTotal);
  const signature = agreementSignature(data);
  const planned = planPages(rows, tableTop(opening), closingHeight({ closing, signature }));
  const receiptsNoun = data.receiptNumbers.length > 1 ? 'warehouse receipts' : 'warehouse receipt';
  const verified = data.warehouseVerifiedAt
    ? `, verified by it on ${isoDate(data.warehouseVerifiedAt)},`
    : '';
  return {
    info: {
      Title: `Pledge Agreement ${data.documentNumber}`,
      Subject: `Pledge of goods in ${data.warehouse.name}, pledge ${data.reference}`,
      Author: data.pledgee.name,
      Creator: 'scf-portal',
      Keywords: `${data.documentNumber} ${data.reference} ${receiptsText(data)}`,
      CreationDate: data.issuedAt,
      ModDate: data.issuedAt,
    },
    title: 'PLEDGE AGREEMENT 质押合同',
    ...opening,
    introduction:
      `The pledgor pledges to the pledgee the goods listed below, held by the custodian under the ` +
      `${receiptsNoun} named above${verified} as security for every drawdown under pledge ` +
      `${data.reference}, on these terms:`,
    columns: COLUMNS,
    pages: planned.map((page) => ({
      ...page,
      footer: `${data.documentNumber} · Pledge Agreement · Page ${page.number} / ${planned.length}`,
    })),
    closing,
    signature,
  };
}

/** The totals in figures and words, and the terms that govern the pledge from now on. */
function agreementClosing(
  data: PledgeAgreementData,
  linesTotal: string,
): DocumentLayout['closing'] {
  const { currency } = data;
  const amount = (value: string) => currencyAmount(value, currency);
  return [
    { label: 'Collateral value', value: amount(data.collateralValue), emphasis: true },
    {
      label: 'In words',
      value: `${currency} ${amountInWords(data.collateralValue, currency)}`,
    },
    {
      label: `Lending value: the collateral value less the haircut of ${percentText(data.haircut)}`,
      value: amount(data.lendingValue),
      emphasis: true,
    },
    { label: 'In words', value: `${currency} ${amountInWords(data.lendingValue, currency)}` },
    ...(new Decimal(linesTotal).eq(data.collateralValue)
      ? []
      : [
          {
            label: 'Lines listed',
            value:
              `${amount(linesTotal)}: each line is rounded; the collateral value is the ` +
              `valuation's exact sum, rounded once, and counts no goods added after it.`,
          },
        ]),
    {
      label: 'Loan-to-value levels (LTV = outstanding drawdowns ÷ collateral value)',
      value:
        `Drawdowns and releases up to ${percentText(data.approvalLtv)}. Above ` +
        `${percentText(data.marginCallLtv)} the pledgee calls for margin: the pledgor adds goods ` +
        `or repays. Above ${percentText(data.liquidationLtv)} the pledgee may sell the goods.`,
    },
    {
      label: 'Custody',
      value:
        `${data.warehouse.name} holds the goods to the pledgee's order and delivers them only ` +
        `against a release certificate issued through scf-portal.`,
    },
  ];
}

/** Both parties' consent, as the portal recorded it. */
function agreementSignature(data: PledgeAgreementData): string {
  const approved = data.approvedAt
    ? ` and approved by ${data.pledgee.name} on ${isoDate(data.approvedAt)}`
    : '';
  return `Requested by ${data.pledgor.name} on ${isoDate(data.requestedAt)}${approved}, through scf-portal.`;
}
