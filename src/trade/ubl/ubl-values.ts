import { UblParseError } from './ubl-parse-error';
import type { XmlNode } from './xml-node';

/** xsd:date: a calendar date with an optional time zone, which a business date does not need. */
const XSD_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:Z|[+-]\d{2}:\d{2})?$/;
/** xsd:decimal as UBL amounts, quantities and percentages are written. */
const XSD_DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** 'YYYY-MM-DD' of the date element at `path`, or null when absent. */
export function dateAt(parent: XmlNode, path: string): string | null {
  const node = parent.find(path);
  const text = node?.text ?? null;
  return node && text !== null ? toDate(text, node.path) : null;
}

export function requireDate(parent: XmlNode, path: string): string {
  return toDate(parent.requireText(path), parent.require(path).path);
}

/** A decimal as written in the document (never a JS number), or null when absent. */
export function decimalAt(parent: XmlNode, path: string): string | null {
  const node = parent.find(path);
  const text = node?.text ?? null;
  return node && text !== null ? toDecimal(text, node.path) : null;
}

export function requireDecimal(parent: XmlNode, path: string): string {
  return toDecimal(parent.requireText(path), parent.require(path).path);
}

/**
 * An amount in the document currency, as written. An amount whose currencyID names another
 * currency is refused: reading "100 USD" as 100 of the document's EUR is how money gets misread.
 */
export function amountAt(parent: XmlNode, path: string, currency: string): string | null {
  const node = parent.find(path);
  if (!node || node.text === null) return null;
  checkCurrency(node, currency);
  return toDecimal(node.text, node.path);
}

export function requireAmount(parent: XmlNode, path: string, currency: string): string {
  const node = parent.require(path);
  checkCurrency(node, currency);
  return toDecimal(parent.requireText(path), node.path);
}

/** xsd:boolean. */
export function booleanAt(parent: XmlNode, path: string): boolean | null {
  const text = parent.textAt(path);
  if (text === null) return null;
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  throw invalid(parent.require(path).path, `"${text}" is not a boolean`);
}

function toDate(text: string, path: string): string {
  const match = XSD_DATE.exec(text);
  if (match) {
    const [year, month, day] = [match[1], match[2], match[3]].map((part) => Number(part));
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCMonth() === month - 1 && date.getUTCDate() === day) {
      return `${match[1]}-${match[2]}-${match[3]}`;
    }
  }
  throw invalid(path, `"${text}" is not a date (YYYY-MM-DD)`);
}

function toDecimal(text: string, path: string): string {
  if (!XSD_DECIMAL.test(text)) throw invalid(path, `"${text}" is not a decimal number`);
  return text;
}

function checkCurrency(node: XmlNode, currency: string): void {
  const currencyId = node.attribute('currencyID');
  if (currencyId !== null && currencyId !== currency) {
    throw invalid(node.path, `amount in ${currencyId}, but the document currency is ${currency}`);
  }
}

function invalid(path: string, message: string): UblParseError {
  return new UblParseError('INVALID_VALUE', `${path}: ${message}`, { path });
}
