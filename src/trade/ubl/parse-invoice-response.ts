import {
  INVOICE_RESPONSE_CODES,
  type InvoiceResponse,
  type InvoiceResponseAction,
  type InvoiceResponseCode,
  type InvoiceResponseCondition,
  type InvoiceResponseReason,
} from './invoice-response';
import { readParty } from './ubl-party';
import { UblParseError } from './ubl-parse-error';
import { dateAt, requireDate } from './ubl-values';
import { readUblDocument } from './ubl-xml';
import type { XmlNode } from './xml-node';

/** Peppol BIS Invoice Response 3; a suffix after '#' marks a conformant extension of it. */
const INVOICE_RESPONSE_CUSTOMIZATION = 'urn:fdc:peppol.eu:poacc:trns:invoice_response:3';
/** The listID that marks a Status as an action the seller is asked to take (else it is a reason). */
const ACTION_LIST = 'OPStatusAction';

/**
 * Reads a Peppol Invoice Response. An ApplicationResponse with another CustomizationID (such as
 * a Peppol Message Level Response, which answers a transport message, not an invoice) is NOT_UBL
 * here: reading its AP/RE as an anchor's confirmation would confirm the wrong thing.
 *
 * @throws UblParseError MALFORMED, DTD_NOT_ALLOWED, NOT_UBL, MISSING_ELEMENT or INVALID_VALUE
 */
export function parseInvoiceResponse(xml: Buffer | string): InvoiceResponse {
  const { root } = readUblDocument(xml, ['ApplicationResponse']);
  const customization = root.requireText('cbc:CustomizationID');
  if (
    customization !== INVOICE_RESPONSE_CUSTOMIZATION &&
    !customization.startsWith(`${INVOICE_RESPONSE_CUSTOMIZATION}#`)
  ) {
    throw new UblParseError(
      'NOT_UBL',
      `CustomizationID ${customization} is not a Peppol Invoice Response (${INVOICE_RESPONSE_CUSTOMIZATION})`,
      { path: `${root.path}/cbc:CustomizationID` },
    );
  }
  const documentResponses = root.children('cac:DocumentResponse');
  if (documentResponses.length !== 1) {
    throw new UblParseError(
      documentResponses.length === 0 ? 'MISSING_ELEMENT' : 'INVALID_VALUE',
      `An Invoice Response answers exactly one invoice; found ${documentResponses.length} DocumentResponse elements`,
      { path: `${root.path}/cac:DocumentResponse` },
    );
  }
  const documentResponse = documentResponses[0];
  const response = documentResponse.require('cac:Response');
  const reference = documentResponse.require('cac:DocumentReference');
  const issuer = documentResponse.find('cac:IssuerParty');

  const statusReasons: InvoiceResponseReason[] = [];
  const actions: InvoiceResponseAction[] = [];
  for (const status of response.children('cac:Status')) {
    const codeNode = status.find('cbc:StatusReasonCode');
    const code = codeNode?.text ?? null;
    const listId = codeNode?.attribute('listID') ?? null;
    const text = status.textAt('cbc:StatusReason');
    const conditions = status.children('cac:Condition').map(readCondition);
    if (listId === ACTION_LIST && code !== null) actions.push({ code, text, conditions });
    else statusReasons.push({ code, listId, text, conditions });
  }

  const notes = root
    .children('cbc:Note')
    .map((n) => n.text)
    .filter((t) => t !== null);
  return {
    id: root.requireText('cbc:ID'),
    issueDate: requireDate(root, 'cbc:IssueDate'),
    sender: readParty(root.require('cac:SenderParty')),
    receiver: readParty(root.require('cac:ReceiverParty')),
    invoiceNumber: reference.requireText('cbc:ID'),
    invoiceIssueDate: dateAt(reference, 'cbc:IssueDate'),
    invoiceTypeCode: reference.textAt('cbc:DocumentTypeCode'),
    invoiceIssuer: issuer ? readParty(issuer) : null,
    responseCode: responseCode(response),
    effectiveDate: dateAt(response, 'cbc:EffectiveDate'),
    statusReasons,
    actions,
    note: notes.length > 0 ? notes.join('\n') : null,
  };
}

function responseCode(response: XmlNode): InvoiceResponseCode {
  const code = response.requireText('cbc:ResponseCode');
  if ((INVOICE_RESPONSE_CODES as readonly string[]).includes(code))
    return code as InvoiceResponseCode;
  const path = `${response.path}/cbc:ResponseCode`;
  throw new UblParseError(
    'INVALID_VALUE',
    `${path}: "${code}" is not an Invoice Response code (${INVOICE_RESPONSE_CODES.join(', ')})`,
    { path },
  );
}

function readCondition(condition: XmlNode): InvoiceResponseCondition {
  return {
    attributeId: condition.requireText('cbc:AttributeID'),
    description: condition.textAt('cbc:Description'),
  };
}
