import type { UblParty } from './ubl-document';

/**
 * The status codes of a Peppol Invoice Response (UNCL4343 subset, T111): AB acknowledged, IP in
 * process, UQ under query, CA conditionally accepted, RE rejected, AP accepted, PD fully paid.
 */
export const INVOICE_RESPONSE_CODES = ['AB', 'AP', 'RE', 'IP', 'UQ', 'CA', 'PD'] as const;
export type InvoiceResponseCode = (typeof INVOICE_RESPONSE_CODES)[number];

/** Status/Condition: which invoice field is meant (AttributeID, e.g. BT-13) and what it should be. */
export interface InvoiceResponseCondition {
  attributeId: string;
  description: string | null;
}

/** A Status that explains (listID OPStatusReason, or a free-text StatusReason without a code). */
export interface InvoiceResponseReason {
  code: string | null;
  listId: string | null;
  text: string | null;
  conditions: InvoiceResponseCondition[];
}

/** A Status that asks the seller to act (listID OPStatusAction: NOA, PIN, NIN, CNF, CNP, CNA, OTH). */
export interface InvoiceResponseAction {
  code: string;
  text: string | null;
  conditions: InvoiceResponseCondition[];
}

/** A Peppol Invoice Response (UBL ApplicationResponse, BIS invoice_response 3). */
export interface InvoiceResponse {
  id: string;
  issueDate: string;
  /** The buyer answering. */
  sender: UblParty;
  /** The seller of the invoice. */
  receiver: UblParty;
  /** DocumentResponse/DocumentReference/ID. */
  invoiceNumber: string;
  invoiceIssueDate: string | null;
  /** DocumentReference/DocumentTypeCode (380 invoice, 381 credit note). */
  invoiceTypeCode: string | null;
  /** DocumentResponse/IssuerParty, when the responder names the invoice's issuer. */
  invoiceIssuer: UblParty | null;
  responseCode: InvoiceResponseCode;
  /** Response/EffectiveDate: when the status took effect (e.g. the day payment was initiated). */
  effectiveDate: string | null;
  statusReasons: InvoiceResponseReason[];
  actions: InvoiceResponseAction[];
  /** cbc:Note lines, joined by newlines. */
  note: string | null;
}
