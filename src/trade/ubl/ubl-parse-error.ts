/**
 * Why a UBL document could not be read. Clients branch on `code`, so a code is never renamed:
 * - MALFORMED: not well-formed XML (or not decodable text);
 * - DTD_NOT_ALLOWED: a DOCTYPE declaration, refused outright (entity expansion, external entities);
 * - NOT_UBL: well-formed, but not the UBL document asked for (root element, namespace, or for an
 *   Invoice Response the CustomizationID);
 * - MISSING_ELEMENT: a required element is absent or empty; `path` names it;
 * - INVALID_VALUE: an element holds a value this layer cannot accept (a date that is no date, an
 *   amount in another currency than the document's, an unknown response code); `path` names it.
 */
export type UblParseErrorCode =
  'MALFORMED' | 'DTD_NOT_ALLOWED' | 'NOT_UBL' | 'MISSING_ELEMENT' | 'INVALID_VALUE';

export interface UblParseErrorDetails {
  /** Element path, e.g. `/Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount`. */
  path?: string;
  /** 1-based line of a well-formedness error. */
  line?: number;
}

/** A document the parsing layer refuses; the API maps it to a 400/422 problem with this code. */
export class UblParseError extends Error {
  constructor(
    readonly code: UblParseErrorCode,
    message: string,
    readonly details: UblParseErrorDetails = {},
  ) {
    super(message);
    this.name = 'UblParseError';
  }
}
