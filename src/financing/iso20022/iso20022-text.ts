/**
 * Text and identifier rules shared by the ISO 20022 writers. The schemas count length in
 * characters (Unicode code points, as libxml2 does), not in bytes or UTF-16 units, so a Chinese
 * name of 140 characters fits a Max140Text although it takes 420 bytes.
 */

/** Characters XML 1.0 forbids (C0 controls other than TAB/LF/CR, U+FFFE/U+FFFF). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
/** A high surrogate without its low half, or a low one without its high half. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** The same two, for a yes/no test (a `g` regex keeps state between `test` calls). */
const HAS_FORBIDDEN = new RegExp(XML_FORBIDDEN.source);
const HAS_LONE_SURROGATE = new RegExp(LONE_SURROGATE.source);

/** Number of characters as an XSD length facet counts them. */
export function characterCount(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

/**
 * Free text for a MaxNText element: characters XML cannot carry are dropped (a lone surrogate
 * becomes U+FFFD), line breaks, tabs and runs of spaces become one space, the ends are trimmed,
 * and what remains is cut to `max` characters, never inside a surrogate pair. Returns null when
 * nothing is left (a MaxNText needs at least one character, so the element is then left out).
 */
export function isoText(value: string, max: number): string | null {
  const clean = value
    .replace(LONE_SURROGATE, '\uFFFD')
    .replace(XML_FORBIDDEN, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (clean === '') return null;
  const characters = Array.from(clean);
  return characters.length <= max ? clean : characters.slice(0, max).join('').trimEnd();
}

/**
 * An identifier that must be carried whole (message id, end-to-end id, account number): it is
 * refused, not cut, when empty or longer than `max`, since a shortened reference would no longer
 * match anything.
 */
export function isoIdentifier(value: string, max: number, what: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new Error(`${what} is missing or empty`);
  const id = value.trim();
  if (HAS_FORBIDDEN.test(id) || HAS_LONE_SURROGATE.test(id) || /[\r\n\t]/.test(id))
    throw new Error(`${what} ${JSON.stringify(id)} contains control characters`);
  const length = characterCount(id);
  if (length > max)
    throw new Error(`${what} ${JSON.stringify(id)} has ${length} characters; at most ${max}`);
  return id;
}

/**
 * An IBAN in electronic form (no spaces, upper case) when it is well formed and its ISO 7064
 * MOD 97-10 check digits are right; otherwise throws.
 */
export function normaliseIban(value: string, what: string): string {
  const iban = value.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}$/.test(iban))
    throw new Error(`${what} ${JSON.stringify(value)} is not an IBAN`);
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const digits = /[0-9]/.test(char) ? char : String(char.charCodeAt(0) - 55);
    for (const digit of digits) remainder = (remainder * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  if (remainder !== 1)
    throw new Error(`${what} ${JSON.stringify(value)} has wrong IBAN check digits`);
  return iban;
}

/** A calendar date written YYYY-MM-DD that exists (no 2026-02-30). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** An ISODateTime in UTC without fractions of a second, e.g. 2026-11-03T08:15:00Z. */
export function isoDateTime(moment: Date, what: string): string {
  if (!(moment instanceof Date) || Number.isNaN(moment.getTime()))
    throw new Error(`${what} is not a valid date`);
  return moment.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
