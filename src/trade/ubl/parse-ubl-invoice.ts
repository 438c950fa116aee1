import type {
  UblAllowanceCharge,
  UblBillingDocument,
  UblDueDateSource,
  UblLine,
  UblPaymentMeans,
  UblVatBreakdown,
} from './ubl-document';
import { decimal } from './ubl-amounts';
import { readParty } from './ubl-party';
import { UblParseError } from './ubl-parse-error';
import {
  amountAt,
  booleanAt,
  dateAt,
  decimalAt,
  requireAmount,
  requireDate,
  requireDecimal,
} from './ubl-values';
import { readUblDocument } from './ubl-xml';
import type { XmlNode } from './xml-node';

/**
 * Reads a UBL 2.1 Invoice or CreditNote (Peppol BIS Billing 3.0, or plain UBL). It checks what
 * the portal relies on (required elements, dates, decimals, one currency), not the EN 16931
 * business rules; XSD validation (xsd-validator.ts) is a separate step the caller runs first.
 *
 * @throws UblParseError MALFORMED, DTD_NOT_ALLOWED, NOT_UBL, MISSING_ELEMENT or INVALID_VALUE
 */
export function parseUblBillingDocument(xml: Buffer | string): UblBillingDocument {
  const { type, root } = readUblDocument(xml, ['Invoice', 'CreditNote']);
  const isInvoice = type === 'Invoice';
  const currency = root.requireText('cbc:DocumentCurrencyCode');
  const lineName = isInvoice ? 'cac:InvoiceLine' : 'cac:CreditNoteLine';
  const lines = root.children(lineName);
  if (lines.length === 0) {
    const path = `${root.path}/${lineName}`;
    throw new UblParseError('MISSING_ELEMENT', `Required element ${path} is missing`, { path });
  }
  const totals = readTotals(root.require('cac:LegalMonetaryTotal'), currency);
  const taxTotal = documentTaxTotal(root, currency);
  const payee = root.find('cac:PayeeParty');
  return {
    kind: isInvoice ? 'INVOICE' : 'CREDIT_NOTE',
    typeCode: root.textAt(isInvoice ? 'cbc:InvoiceTypeCode' : 'cbc:CreditNoteTypeCode'),
    customizationId: root.textAt('cbc:CustomizationID'),
    number: root.requireText('cbc:ID'),
    issueDate: requireDate(root, 'cbc:IssueDate'),
    ...dueDate(root),
    currency,
    taxCurrency: root.textAt('cbc:TaxCurrencyCode'),
    seller: readParty(root.require('cac:AccountingSupplierParty/cac:Party')),
    buyer: readParty(root.require('cac:AccountingCustomerParty/cac:Party')),
    payee: payee ? readParty(payee) : null,
    orderReference: root.textAt('cac:OrderReference/cbc:ID'),
    salesOrderReference: root.textAt('cac:OrderReference/cbc:SalesOrderID'),
    billingReferences: texts(
      root.children('cac:BillingReference'),
      'cac:InvoiceDocumentReference/cbc:ID',
    ),
    despatchReferences: texts(root.children('cac:DespatchDocumentReference'), 'cbc:ID'),
    receiptReferences: texts(root.children('cac:ReceiptDocumentReference'), 'cbc:ID'),
    totals,
    taxTotal: taxTotal ? requireAmount(taxTotal, 'cbc:TaxAmount', currency) : null,
    vatBreakdown: (taxTotal?.children('cac:TaxSubtotal') ?? []).map((s) =>
      readVatBreakdown(s, currency),
    ),
    allowanceCharges: root
      .children('cac:AllowanceCharge')
      .map((a) => readAllowanceCharge(a, currency)),
    lines: lines.map((line) => readLine(line, isInvoice, currency)),
    paymentMeans: root.children('cac:PaymentMeans').map(readPaymentMeans),
    negative: decimal(totals.payable).lt('0'),
  };
}

/**
 * The due date: an Invoice's cbc:DueDate; else the first PaymentMeans/PaymentDueDate (where a
 * Peppol CreditNote and older UBL invoices carry it); else the first PaymentTerms/PaymentDueDate.
 * Free-text terms ("30 days net") are not interpreted.
 */
function dueDate(root: XmlNode): {
  dueDate: string | null;
  dueDateSource: UblDueDateSource | null;
} {
  const fromDocument = dateAt(root, 'cbc:DueDate');
  if (fromDocument) return { dueDate: fromDocument, dueDateSource: 'DUE_DATE' };
  for (const [element, source] of [
    ['cac:PaymentMeans', 'PAYMENT_MEANS'],
    ['cac:PaymentTerms', 'PAYMENT_TERMS'],
  ] as const) {
    for (const node of root.children(element)) {
      const date = dateAt(node, 'cbc:PaymentDueDate');
      if (date) return { dueDate: date, dueDateSource: source };
    }
  }
  return { dueDate: null, dueDateSource: null };
}

/**
 * The TaxTotal in the document currency. With a TaxCurrencyCode there is a second TaxTotal in
 * that currency (without subtotals); when both currencies are the same, the one with the VAT
 * breakdown is meant.
 */
function documentTaxTotal(root: XmlNode, currency: string): XmlNode | null {
  const inCurrency = root
    .children('cac:TaxTotal')
    .filter((t) => (t.find('cbc:TaxAmount')?.attribute('currencyID') ?? currency) === currency);
  return inCurrency.find((t) => t.find('cac:TaxSubtotal')) ?? inCurrency[0] ?? null;
}

function readTotals(total: XmlNode, currency: string): UblBillingDocument['totals'] {
  return {
    lineExtension: requireAmount(total, 'cbc:LineExtensionAmount', currency),
    taxExclusive: requireAmount(total, 'cbc:TaxExclusiveAmount', currency),
    taxInclusive: requireAmount(total, 'cbc:TaxInclusiveAmount', currency),
    allowanceTotal: amountAt(total, 'cbc:AllowanceTotalAmount', currency),
    chargeTotal: amountAt(total, 'cbc:ChargeTotalAmount', currency),
    prepaid: amountAt(total, 'cbc:PrepaidAmount', currency),
    payableRounding: amountAt(total, 'cbc:PayableRoundingAmount', currency),
    payable: requireAmount(total, 'cbc:PayableAmount', currency),
  };
}

function readVatBreakdown(subtotal: XmlNode, currency: string): UblVatBreakdown {
  return {
    category: subtotal.requireText('cac:TaxCategory/cbc:ID'),
    percent: decimalAt(subtotal, 'cac:TaxCategory/cbc:Percent'),
    taxableAmount: requireAmount(subtotal, 'cbc:TaxableAmount', currency),
    taxAmount: requireAmount(subtotal, 'cbc:TaxAmount', currency),
    exemptionReason: subtotal.textAt('cac:TaxCategory/cbc:TaxExemptionReason'),
    exemptionReasonCode: subtotal.textAt('cac:TaxCategory/cbc:TaxExemptionReasonCode'),
  };
}

function readAllowanceCharge(node: XmlNode, currency: string): UblAllowanceCharge {
  const isCharge = booleanAt(node, 'cbc:ChargeIndicator');
  if (isCharge === null) node.requireText('cbc:ChargeIndicator');
  return {
    isCharge: isCharge === true,
    amount: requireAmount(node, 'cbc:Amount', currency),
    reason: node.textAt('cbc:AllowanceChargeReason'),
    reasonCode: node.textAt('cbc:AllowanceChargeReasonCode'),
    category: node.textAt('cac:TaxCategory/cbc:ID'),
    percent: decimalAt(node, 'cac:TaxCategory/cbc:Percent'),
  };
}

function readLine(line: XmlNode, isInvoice: boolean, currency: string): UblLine {
  const quantityName = isInvoice ? 'cbc:InvoicedQuantity' : 'cbc:CreditedQuantity';
  return {
    id: line.requireText('cbc:ID'),
    quantity: requireDecimal(line, quantityName),
    unitCode: line.find(quantityName)?.attribute('unitCode') ?? null,
    lineAmount: requireAmount(line, 'cbc:LineExtensionAmount', currency),
    itemName: line.textAt('cac:Item/cbc:Name'),
    sellersItemId: line.textAt('cac:Item/cac:SellersItemIdentification/cbc:ID'),
    buyersItemId: line.textAt('cac:Item/cac:BuyersItemIdentification/cbc:ID'),
    standardItemId: line.textAt('cac:Item/cac:StandardItemIdentification/cbc:ID'),
    unitPrice: amountAt(line, 'cac:Price/cbc:PriceAmount', currency),
    baseQuantity: decimalAt(line, 'cac:Price/cbc:BaseQuantity'),
    orderLineReference: line.textAt('cac:OrderLineReference/cbc:LineID'),
  };
}

function readPaymentMeans(means: XmlNode): UblPaymentMeans {
  return {
    code: means.textAt('cbc:PaymentMeansCode'),
    dueDate: dateAt(means, 'cbc:PaymentDueDate'),
    payeeAccount: means.textAt('cac:PayeeFinancialAccount/cbc:ID'),
    paymentId: means.textAt('cbc:PaymentID'),
  };
}

function texts(nodes: XmlNode[], path: string): string[] {
  return nodes.map((node) => node.textAt(path)).filter((text): text is string => text !== null);
}
