import type { ConfirmationWay, TradeWalk, WalkedInvoice } from './walk-trade';
import { table } from './text-table';

const CONFIRMED_BY: Record<ConfirmationWay, string> = {
  'single call': 'single call (POST /invoices/:id/confirm)',
  'approved-payables list': 'approved-payables list (POST /confirmations/bulk, CSV)',
  'Invoice Response AP': 'Peppol Invoice Response AP (POST /confirmations/invoice-response)',
};

/** The trade walk-through's part of the summary: program, records, invoices, the exception. */
export function formatTradeSummary(trade: TradeWalk, apiBase: string): string[] {
  const { exception, eligible } = trade;
  return [
    `Trade walk-through (run ${trade.runId}, today ${trade.today} in Asia/Shanghai)`,
    ...table(
      [
        [
          'Program',
          `${trade.program.name}   ${trade.program.currency}, ${trade.program.created ? 'created' : 'reused'}, ${trade.program.id}`,
        ],
        ['Members', 'both suppliers (accepted), both financiers (terms set)'],
        [
          'Anchor GLN',
          `${trade.anchorIdentifier.scheme}:${trade.anchorIdentifier.value} (buyer of e-invoices)`,
        ],
        [
          'ERP API key',
          `${trade.apiKey.key}   (${trade.apiKey.roles.join(',')}; shown once; earlier demo keys revoked)`,
        ],
      ],
      '  ',
    ),
    '',
    `Purchase orders and goods receipts (loaded by the ERP as CSV: ${trade.orders.length} orders, ${trade.receipts} receipts)`,
    ...table(
      [
        ['PURCHASE ORDER', 'SUPPLIER', 'ORDERED', 'RECEIVED'],
        ...trade.orders.map((order) => [
          order.number,
          order.supplierName,
          order.totalAmount,
          order.receivedAmount === '0.00'
            ? '0.00 (not received yet)'
            : order.receivedAmount === order.totalAmount
              ? order.receivedAmount
              : `${order.receivedAmount} (in part)`,
        ]),
      ],
      '  ',
    ),
    '',
    'Invoices (CNY)',
    ...table(
      [
        ['NUMBER', 'SUPPLIER', 'AMOUNT', 'CHANNEL', 'PO', 'STATUS', 'CONFIRMED BY'],
        ...trade.invoices.map((invoice) => [
          invoice.number,
          invoice.supplierName,
          invoice.totalAmount,
          invoice.channel,
          invoice.purchaseOrderNumber,
          invoice.status,
          confirmedBy(invoice),
        ]),
      ],
      '  ',
    ),
    '',
    `Why ${exception.invoice.number} is in EXCEPTION (its verification report):`,
    ...table(
      exception.invoice.verification.reasons.map((reason) => [reason.code, reason.message]),
      '  ',
    ),
    `Its eligibility, as its supplier asks (GET ${apiBase}/invoices/${exception.invoice.id}/eligibility): eligible: ${String(exception.eligibility.eligible)}`,
    ...table(
      exception.eligibility.reasons.map((reason) => [reason.code, reason.message]),
      '  ',
    ),
    `Eligibility of the confirmed ${eligible.invoice.number} (GET …/invoices/${eligible.invoice.id}/eligibility): eligible: ${String(eligible.eligibility.eligible)}` +
      (eligible.eligibility.reasons.length === 0 ? ', no reasons' : ''),
    ...table(
      eligible.eligibility.reasons.map((reason) => [reason.code, reason.message]),
      '  ',
    ),
  ];
}

function confirmedBy(invoice: WalkedInvoice): string {
  if (invoice.confirmedBy) {
    const payable = invoice.confirmation ? `, payable ${invoice.confirmation.paymentDate}` : '';
    return `${CONFIRMED_BY[invoice.confirmedBy]}${payable}`;
  }
  return invoice.status === 'EXCEPTION' ? '- (not verified: cannot be confirmed)' : '-';
}
