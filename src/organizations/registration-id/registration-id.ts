/**
 * Registration ids the platform accepts for an organisation, each checked by its published
 * check character: China's unified social credit code and the global Legal Entity Identifier.
 */
export type RegistrationScheme = 'USCC' | 'LEI';

/** GB 32100-2015: the 31-character alphabet (no I, O, S, V, Z) and the weights 3^(i) mod 31. */
const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const USCC_FORMAT = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/** The check character (position 18) for the first 17 characters of a unified social credit code. */
export function usccCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = USCC_ALPHABET.indexOf(first17[i]);
    if (value < 0) throw new Error(`'${first17[i]}' is not a USCC character`);
    sum += value * USCC_WEIGHTS[i];
  }
  return USCC_ALPHABET[(31 - (sum % 31)) % 31];
}

export function isValidUscc(code: string): boolean {
  return USCC_FORMAT.test(code) && usccCheckCharacter(code.slice(0, 17)) === code[17];
}

/** ISO 7064 MOD 97-10 over the code with letters as 10..35 (ISO 17442 LEI, also IBAN). */
export function mod97(code: string): number {
  let remainder = 0;
  for (const ch of code) {
    const digits = ch >= 'A' && ch <= 'Z' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder;
}

/** The two check digits for an 18-character LEI prefix. */
export function leiCheckDigits(first18: string): string {
  return String(98 - mod97(`${first18}00`)).padStart(2, '0');
}

export function isValidLei(code: string): boolean {
  return /^[0-9A-Z]{18}\d{2}$/.test(code) && mod97(code) === 1;
}

export function normalizeRegistrationId(raw: string): string {
  return raw.trim().toUpperCase();
}

/** The scheme of a valid registration id, or null when it is neither a valid USCC nor a valid LEI. */
export function registrationScheme(raw: string): RegistrationScheme | null {
  const code = normalizeRegistrationId(raw);
  if (code.length === 18 && isValidUscc(code)) return 'USCC';
  if (code.length === 20 && isValidLei(code)) return 'LEI';
  return null;
}
