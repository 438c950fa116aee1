import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { findExecutable } from '../../infra/local-services/find-executable';
import { tailForError } from '../../infra/local-services/run-command';
import { projectRoot } from '../../infra/project-root';
import { ProcessSlots } from '../../trade/ubl/process-slots';
import { UblParseError } from '../../trade/ubl/ubl-parse-error';
import { scanXmlRoot } from '../../trade/ubl/xml-root';
import { decodeXmlText } from '../../trade/ubl/xml-text';
import { parseXmllintErrors } from '../../trade/ubl/xmllint-output';
import { XsdValidatorError } from '../../trade/ubl/xsd-validator';

export { ensureXmllint, XsdValidatorError } from '../../trade/ubl/xsd-validator';

/** The ISO 20022 message schemas the portal writes (pain.001) and reads (camt.054). */
export type Iso20022Schema =
  | 'pain.001.001.12'
  | 'pain.001.001.03'
  | 'camt.054.001.02'
  | 'camt.054.001.04'
  | 'camt.054.001.08'
  | 'camt.054.001.12';

export const ISO20022_SCHEMAS: readonly Iso20022Schema[] = [
  'pain.001.001.12',
  'pain.001.001.03',
  'camt.054.001.02',
  'camt.054.001.04',
  'camt.054.001.08',
  'camt.054.001.12',
];

export type Iso20022Validation = { valid: true } | { valid: false; errors: string[] };

export interface Iso20022ValidationOptions {
  /** Kill xmllint and fail after this long (default 15 s). */
  timeoutMs?: number;
  /** At most this many errors are returned (default 50). */
  maxErrors?: number;
  /** Path of the xmllint binary (default: found on PATH or in /usr/bin, /bin, /usr/local/bin). */
  xmllint?: string;
}

const BINARY_DIRS = ['/usr/bin', '/bin', '/usr/local/bin'];
const MAX_STDERR = 256 * 1024;
/** xmllint exit codes (xmllint.c): 1 the document could not be parsed, 3 validation failed. */
const EXIT_NOT_PARSED = 1;
const EXIT_INVALID = 3;
const ISO_NAMESPACE = /\{urn:iso:std:iso:20022:tech:xsd:[a-z]{4}\.\d{3}\.\d{3}\.\d{2}\}/g;

/** One xmllint per core, as for the UBL validator: it is CPU-bound. */
const slots = new ProcessSlots(availableParallelism());
let xmllintPath: string | undefined;

/**
 * The folder holding the ISO 20022 schemas, inside the project (beside the UBL ones), so that
 * validation never depends on a folder outside the application or on the network.
 */
export function iso20022SchemaDir(): string {
  return join(projectRoot(), 'resources', 'schemas', 'iso20022');
}

export function iso20022SchemaFile(schema: Iso20022Schema): string {
  if (!ISO20022_SCHEMAS.includes(schema))
    throw new Error(`Unknown ISO 20022 schema ${String(schema)}`);
  return join(iso20022SchemaDir(), `${schema}.xsd`);
}

/**
 * Validates a document against one of the official ISO 20022 XSDs with the system xmllint
 * (libxml2), the document on stdin, nothing fetched (`--nonet`, no catalogs, no entity
 * substitution). A DOCTYPE is refused before xmllint runs: ISO 20022 messages never carry one,
 * and xmllint would open a local file named by an external entity. Install xmllint at start with
 * `ensureXmllint` (the UBL validator's; re-exported here).
 *
 * @throws XsdValidatorError when xmllint is missing, times out or fails for another reason
 */
export async function validateIso20022(
  xml: string | Buffer,
  schema: Iso20022Schema,
  options: Iso20022ValidationOptions = {},
): Promise<Iso20022Validation> {
  const schemaFile = iso20022SchemaFile(schema);
  const bytes = typeof xml === 'string' ? Buffer.from(xml, 'utf8') : xml;
  try {
    scanXmlRoot(decodeXmlText(bytes));
  } catch (error) {
    // A DOCTYPE, undecodable text or no root element: xmllint is not asked.
    if (!(error instanceof UblParseError)) throw error;
    const line = error.details.line === undefined ? '' : `line ${error.details.line}: `;
    return { valid: false, errors: [`${line}${error.message}`] };
  }

  const { code, stderr } = await slots.run(() => runXmllint(bytes, schemaFile, options));
  if (code === 0) return { valid: true };
  if (code !== EXIT_NOT_PARSED && code !== EXIT_INVALID)
    throw new XsdValidatorError(`xmllint exited with code ${code}${tailForError(stderr)}`);
  const errors = parseXmllintErrors(stderr, options.maxErrors ?? 50).map(
    (error) =>
      `${error.line === null ? '' : `line ${error.line}: `}${error.message.replace(ISO_NAMESPACE, '')}`,
  );
  if (errors.length === 0) errors.push(stderr.trim().split('\n')[0] || 'invalid');
  return { valid: false, errors };
}

function runXmllint(
  xml: Buffer,
  schema: string,
  options: Iso20022ValidationOptions,
): Promise<{ code: number; stderr: string }> {
  const binary = options.xmllint ?? (xmllintPath ??= findExecutable('xmllint', BINARY_DIRS));
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
    // xmllint may exit before reading all of stdin (e.g. on an early fatal error).
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
