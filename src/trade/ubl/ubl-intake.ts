import { DomainError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-code';
import type { InvoiceResponse } from './invoice-response';
import { parseInvoiceResponse } from './parse-invoice-response';
import { parseUblBillingDocument } from './parse-ubl-invoice';
import type { UblBillingDocument } from './ubl-document';
import type { UblDocumentType } from './ubl-namespaces';
import { UblParseError } from './ubl-parse-error';
import { validateUblXsd, XsdValidatorError } from './xsd-validator';

/**
 * The door for XML documents: checked against the official UBL 2.1 schema, then read. Every way
 * a document can be refused becomes a problem with a stable code: 400 INVALID_XML (not XML, or
 * a DTD), 413 (too large), 422 XML_SCHEMA_INVALID (the schema's errors with their lines), 422
 * VALIDATION_FAILED (a required element missing, named by its path), 503 (the validator is out).
 */
async function admit(body: unknown, accepted: readonly UblDocumentType[]): Promise<Buffer> {
  if (!Buffer.isBuffer(body) || body.length === 0) {
    throw new DomainError(
      ErrorCode.UNSUPPORTED_MEDIA_TYPE,
      'Send the document as application/xml.',
    );
  }
  let result;
  try {
    result = await validateUblXsd(body);
  } catch (error) {
    if (error instanceof XsdValidatorError) {
      throw new DomainError(
        ErrorCode.SERVICE_UNAVAILABLE,
        `The XML schema validator is unavailable: ${error.message}`,
        { retryAfterSeconds: 5 },
      );
    }
    throw error;
  }
  if (!result.valid) {
    const errors = result.errors.map((error) => ({
      field: error.line === null ? 'document' : `line ${error.line}`,
      code: result.kind,
      message: error.message,
    }));
    if (result.kind === 'MALFORMED' || result.kind === 'DTD_NOT_ALLOWED') {
      throw new DomainError(
        ErrorCode.INVALID_XML,
        result.kind === 'MALFORMED'
          ? 'The body is not well-formed XML.'
          : 'Documents with a DOCTYPE are refused.',
        { errors },
      );
    }
    if (result.kind === 'TOO_LARGE')
      throw new DomainError(ErrorCode.PAYLOAD_TOO_LARGE, 'The document is larger than allowed.');
    throw new DomainError(
      ErrorCode.XML_SCHEMA_INVALID,
      `The document is not a valid UBL 2.1 ${accepted.join(' or ')}.`,
      { errors },
    );
  }
  if (!accepted.includes(result.documentType)) {
    throw new DomainError(
      ErrorCode.XML_SCHEMA_INVALID,
      `This endpoint takes a UBL ${accepted.join(' or ')}, not a ${result.documentType}.`,
      {
        errors: [
          {
            field: 'document',
            code: 'UNSUPPORTED_DOCUMENT',
            message: `root element is ${result.documentType}`,
          },
        ],
      },
    );
  }
  return body;
}

function refuse(error: unknown): never {
  if (!(error instanceof UblParseError)) throw error;
  const field = error.details.path ?? 'document';
  if (error.code === 'MALFORMED' || error.code === 'DTD_NOT_ALLOWED')
    throw new DomainError(ErrorCode.INVALID_XML, error.message);
  if (error.code === 'NOT_UBL')
    throw new DomainError(ErrorCode.XML_SCHEMA_INVALID, error.message, {
      errors: [{ field, code: error.code, message: error.message }],
    });
  throw new DomainError(ErrorCode.VALIDATION_FAILED, error.message, {
    errors: [{ field, code: error.code, message: error.message }],
  });
}

export async function readUblBillingDocument(body: unknown): Promise<UblBillingDocument> {
  const xml = await admit(body, ['Invoice', 'CreditNote']);
  try {
    return parseUblBillingDocument(xml);
  } catch (error) {
    refuse(error);
  }
}

export async function readInvoiceResponse(body: unknown): Promise<InvoiceResponse> {
  const xml = await admit(body, ['ApplicationResponse']);
  try {
    return parseInvoiceResponse(xml);
  } catch (error) {
    refuse(error);
  }
}
