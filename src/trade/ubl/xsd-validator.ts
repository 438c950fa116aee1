import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../infra/project-root';
import { ensureDebianPackages } from '../../infra/local-services/debian-packages';
import { findExecutable } from '../../infra/local-services/find-executable';
import type { LogFn } from '../../infra/local-services/log';
import { tailForError } from '../../infra/local-services/run-command';
import { UBL_DOCUMENT_NAMESPACES, ublDocumentType, type UblDocumentType } from './ubl-namespaces';
import { ProcessSlots } from './process-slots';
import { UblParseError } from './ubl-parse-error';
import { decodeXmlText } from './xml-text';
import { scanXmlRoot } from './xml-root';
import { parseXmllintErrors, type XsdError } from './xmllint-output';

export type { XsdError } from './xmllint-output';

/**
 * Why a document failed: MALFORMED (not well-formed XML, a 400), SCHEMA_INVALID (well-formed but
 * not valid UBL 2.1, a 422), DTD_NOT_ALLOWED (carries a DOCTYPE; refused before xmllint sees it),
 * UNSUPPORTED_DOCUMENT (its root is not an Invoice, CreditNote or ApplicationResponse in the UBL
 * namespace), TOO_LARGE (over `maxBytes`; refused unread).
 */
export type XsdFailureKind =
  'MALFORMED' | 'SCHEMA_INVALID' | 'DTD_NOT_ALLOWED' | 'UNSUPPORTED_DOCUMENT' | 'TOO_LARGE';

export type XsdValidation =
  | { valid: true; documentType: UblDocumentType }
  | { valid: false; kind: XsdFailureKind; errors: XsdError[] };

export interface XsdValidationOptions {
  /** Kill xmllint and fail after this long (default 15 s). */
  timeoutMs?: number;
  /** Refuse larger documents unread (default 20 MiB: Peppol invoices may embed PDF attachments). */
  maxBytes?: number;
  /** At most this many errors are returned (default 50). */
  maxErrors?: number;
  /** Path of the xmllint binary (default: found on PATH, see ensureXmllint). */
  xmllint?: string;
}

/** xmllint could not give an answer (missing, timed out, crashed): not the document's fault. */
export class XsdValidatorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XsdValidatorError';
  }
}

const SCHEMA_FILES: Readonly<Record<UblDocumentType, string>> = {
  Invoice: 'UBL-Invoice-2.1.xsd',
  CreditNote: 'UBL-CreditNote-2.1.xsd',
  ApplicationResponse: 'UBL-ApplicationResponse-2.1.xsd',
};
const BINARY_DIRS = ['/usr/bin', '/bin', '/usr/local/bin'];
const MAX_STDERR = 256 * 1024;
/** xmllint exit codes (xmllint.c): 1 the document could not be parsed, 3 validation failed. */
const EXIT_NOT_PARSED = 1;
const EXIT_INVALID = 3;

let xmllintPath: string | undefined;
/** One xmllint per core: it is CPU-bound, more at once only adds memory and latency. */
const slots = new ProcessSlots(availableParallelism());

/** The folder holding the UBL 2.1 runtime schemas (maindoc/ and common/), inside the project. */
export function ublSchemaDir(): string {
  return join(projectRoot(), 'resources', 'schemas', 'ubl-2.1');
}

/** Path of `xmllint`, installing Debian's libxml2-utils when it is missing and that is allowed. */
export async function ensureXmllint(options: { install: boolean; log: LogFn }): Promise<string> {
  const find = (): string | undefined => findExecutable('xmllint', BINARY_DIRS);
  let found = find();
  if (!found) {
    await ensureDebianPackages(['libxml2-utils'], {
      install: options.install,
      log: options.log,
      binaryCheck: () => find() !== undefined,
    });
    found = find();
    if (!found)
      throw new XsdValidatorError('xmllint is still missing after installing libxml2-utils');
  }
  xmllintPath = found;
  return found;
}

/**
 * Validates a UBL document against the UBL 2.1 XSD of its root element with the system xmllint
 * (libxml2), the document on stdin. Nothing is fetched or expanded: `--nonet`, no `--noent`, no
 * catalogs, and a DOCTYPE is refused before xmllint runs (xmllint would still open a local file
 * named by an external entity, even though it does not substitute it). One run takes 30–40 ms,
 * most of it compiling the schema set; runs beyond one per core wait for a free slot.
 *
 * @throws XsdValidatorError when xmllint is missing, times out or fails for another reason
 */
export async function validateUblXsd(
  xml: Buffer,
  options: XsdValidationOptions = {},
): Promise<XsdValidation> {
  const maxBytes = options.maxBytes ?? 20 * 1024 * 1024;
  if (xml.length > maxBytes) {
    return failure(
      'TOO_LARGE',
      `The document has ${xml.length} bytes; at most ${maxBytes} are accepted`,
    );
  }
  let documentType: UblDocumentType | null;
  try {
    const root = scanXmlRoot(decodeXmlText(xml));
    documentType = ublDocumentType(root);
    if (!documentType) {
      const accepted = Object.entries(UBL_DOCUMENT_NAMESPACES).map(
        ([name, ns]) => `${name} (${ns})`,
      );
      return failure(
        'UNSUPPORTED_DOCUMENT',
        `The root element ${root.localName} in namespace ${root.namespace ?? '(none)'} is not one of ${accepted.join(', ')}`,
      );
    }
  } catch (error) {
    if (!(error instanceof UblParseError)) throw error;
    const kind = error.code === 'DTD_NOT_ALLOWED' ? 'DTD_NOT_ALLOWED' : 'MALFORMED';
    return {
      valid: false,
      kind,
      errors: [{ line: error.details.line ?? null, message: error.message }],
    };
  }

  const schema = join(ublSchemaDir(), 'maindoc', SCHEMA_FILES[documentType]);
  const { code, stderr } = await slots.run(() => runXmllint(xml, schema, options));
  if (code === 0) return { valid: true, documentType };
  if (code !== EXIT_NOT_PARSED && code !== EXIT_INVALID) {
    throw new XsdValidatorError(`xmllint exited with code ${code}${tailForError(stderr)}`);
  }
  const errors = parseXmllintErrors(stderr, options.maxErrors ?? 50);
  if (errors.length === 0)
    errors.push({ line: null, message: stderr.trim().split('\n')[0] || 'invalid' });
  return { valid: false, kind: code === EXIT_NOT_PARSED ? 'MALFORMED' : 'SCHEMA_INVALID', errors };
}

function failure(kind: XsdFailureKind, message: string): XsdValidation {
  return { valid: false, kind, errors: [{ line: null, message }] };
}

function runXmllint(
  xml: Buffer,
  schema: string,
  options: XsdValidationOptions,
): Promise<{ code: number; stderr: string }> {
  const binary = options.xmllint ?? xmllintPath ?? findExecutable('xmllint', BINARY_DIRS);
  if (!binary) {
    return Promise.reject(
      new XsdValidatorError(
        'xmllint was not found (Debian package libxml2-utils); see ensureXmllint',
      ),
    );
  }
  const timeoutMs = options.timeoutMs ?? 15_000;
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['--noout', '--nonet', '--nocatalogs', '--schema', schema, '-'], {
      stdio: ['pipe', 'ignore', 'pipe'],
      // No inherited XML_CATALOG_FILES, proxies or locale: the same answer on every machine.
      env: { LC_ALL: 'C' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < MAX_STDERR) stderr += chunk.toString('utf8');
    });
    // xmllint may exit before reading all of stdin (e.g. on an early fatal error): not our failure.
    child.stdin.on('error', () => undefined);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new XsdValidatorError(`xmllint did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new XsdValidatorError(`xmllint could not be started: ${error.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === null) reject(new XsdValidatorError(`xmllint was ended by ${signal}`));
      else resolve({ code, stderr });
    });
    child.stdin.end(xml);
  });
}
