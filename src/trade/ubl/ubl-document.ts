/**
 * What the portal reads from a UBL 2.1 / Peppol BIS Billing 3.0 Invoice or CreditNote. Amounts,
 * quantities and percentages are decimal strings exactly as written (never JS numbers); dates
 * are 'YYYY-MM-DD'. Field names follow the UBL elements they come from.
 */

/** Where an identifier was found on the party; the ISO 6523 `scheme` (e.g. 0088 GLN) when given. */
export type UblIdentifierSource = 'ENDPOINT' | 'PARTY_ID' | 'LEGAL' | 'TAX';

export interface UblPartyIdentifier {
  source: UblIdentifierSource;
  /** The schemeID attribute (ISO 6523 ICD such as 0007, 0088, 0192; or e.g. EM for e-mail). */
  scheme: string | null;
  value: string;
  /**
   * Only for source TAX: the TaxScheme/ID. 'VAT' marks a VAT number; other schemes carry other
   * statements (Norway's 'TAX' scheme holds "Foretaksregisteret", Sweden's "Godkänd för F-skatt").
   */
  taxScheme?: string | null;
}

export interface UblParty {
  /** PartyName/Name, else PartyLegalEntity/RegistrationName. */
  name: string | null;
  /** PartyLegalEntity/RegistrationName. */
  legalName: string | null;
  /** EndpointID: the Peppol address; also listed in `identifiers` with source ENDPOINT. */
  endpoint: { scheme: string | null; value: string } | null;
  /** EndpointID, each PartyIdentification/ID, PartyLegalEntity/CompanyID, PartyTaxScheme/CompanyID. */
  identifiers: UblPartyIdentifier[];
  /** PostalAddress/Country/IdentificationCode. */
  countryCode: string | null;
}

/** Where `dueDate` came from: cbc:DueDate (Invoice), else PaymentMeans, else PaymentTerms. */
export type UblDueDateSource = 'DUE_DATE' | 'PAYMENT_MEANS' | 'PAYMENT_TERMS';

export interface UblTotals {
  lineExtension: string;
  taxExclusive: string;
  taxInclusive: string;
  allowanceTotal: string | null;
  chargeTotal: string | null;
  prepaid: string | null;
  payableRounding: string | null;
  payable: string;
}

export interface UblVatBreakdown {
  /** TaxCategory/ID (UNCL5305: S, Z, E, AE, K, G, O, L, M). */
  category: string;
  percent: string | null;
  taxableAmount: string;
  taxAmount: string;
  exemptionReason: string | null;
  exemptionReasonCode: string | null;
}

/** A document-level allowance (discount) or charge. */
export interface UblAllowanceCharge {
  isCharge: boolean;
  amount: string;
  reason: string | null;
  reasonCode: string | null;
  /** TaxCategory/ID and Percent of the allowance or charge. */
  category: string | null;
  percent: string | null;
}

export interface UblLine {
  id: string;
  /** InvoicedQuantity or CreditedQuantity. */
  quantity: string;
  unitCode: string | null;
  /** LineExtensionAmount: net of the line's own allowances and charges. */
  lineAmount: string;
  itemName: string | null;
  sellersItemId: string | null;
  buyersItemId: string | null;
  standardItemId: string | null;
  /** Price/PriceAmount, the price of `baseQuantity` units (1 when absent). */
  unitPrice: string | null;
  baseQuantity: string | null;
  /** OrderLineReference/LineID: the purchase order line this line bills. */
  orderLineReference: string | null;
}

export interface UblPaymentMeans {
  /** PaymentMeansCode (UNCL4461: 30 credit transfer, 31, 58 SEPA, 49 direct debit, …). */
  code: string | null;
  dueDate: string | null;
  /** PayeeFinancialAccount/ID (IBAN or national account number). */
  payeeAccount: string | null;
  /** PaymentID: the remittance reference the payer is asked to quote. */
  paymentId: string | null;
}

export interface UblBillingDocument {
  kind: 'INVOICE' | 'CREDIT_NOTE';
  /** InvoiceTypeCode or CreditNoteTypeCode (380 invoice, 381 credit note, 384 corrected, 389 self-billed, …). */
  typeCode: string | null;
  customizationId: string | null;
  number: string;
  issueDate: string;
  dueDate: string | null;
  dueDateSource: UblDueDateSource | null;
  currency: string;
  taxCurrency: string | null;
  seller: UblParty;
  buyer: UblParty;
  /** PayeeParty: present when someone other than the seller is to be paid (e.g. a factor). */
  payee: UblParty | null;
  orderReference: string | null;
  salesOrderReference: string | null;
  /** BillingReference/InvoiceDocumentReference/ID: the invoices this document corrects or credits. */
  billingReferences: string[];
  despatchReferences: string[];
  /** ReceiptDocumentReference/ID: the buyer's goods receipts. */
  receiptReferences: string[];
  totals: UblTotals;
  /** TaxTotal/TaxAmount in the document currency (a second TaxTotal in taxCurrency is ignored). */
  taxTotal: string | null;
  vatBreakdown: UblVatBreakdown[];
  allowanceCharges: UblAllowanceCharge[];
  lines: UblLine[];
  paymentMeans: UblPaymentMeans[];
  /** Payable amount below zero: a negative invoice used as a credit. */
  negative: boolean;
}
