import { getCountrySpecifications, validateIBAN, ValidationErrorsIBAN } from 'ibantools';

/**
 * The rules for the parts of a settlement bank account, pure: normalise, then say why a value is
 * refused (a stable reason code for the problem+json field error) or `null` when it is fine.
 *
 * - IBAN (ISO 13616): the country's length and BBAN structure and the mod-97 check digits, plus
 *   the national check digits where the country has them (BE, ES, FR, NO, PL …), from ibantools'
 *   registry tables. Its country need not be the account currency's (a EUR account in any SEPA
 *   country, a USD account in GB).
 * - BIC (ISO 9362): 8 or 11 characters, the country code (characters 5–6) an ISO 3166 country.
 * - A Chinese domestic account: the account number (8–30 digits) at the bank branch named by its
 *   12-digit CNAPS code (大额支付系统行号). Only the shape of the code is checked: there is no check
 *   digit to verify, and the first three digits (the bank's category code) change as banks do.
 */

export interface Refusal<Code extends string = string> {
  code: Code;
  message: string;
}

/** How one field of an account is normalised and checked. */
export interface IdentifierRule<Code extends string = string> {
  /** Every reason `refusal` can give. */
  readonly codes: readonly Code[];
  normalize(raw: string): string;
  refusal(raw: string): Refusal<Code> | null;
}

const stripWhitespace = (raw: string): string => raw.replace(/\s+/g, '');

export type IbanRefusalCode =
  'IBAN_FORMAT' | 'IBAN_COUNTRY' | 'IBAN_LENGTH' | 'IBAN_CHECK_DIGITS' | 'IBAN_NATIONAL_CHECK';

/** The electronic form: no spaces, upper case ("gb82 west 1234 …" → "GB82WEST1234…"). */
export function normalizeIban(raw: string): string {
  return stripWhitespace(raw).toUpperCase();
}

/**
 * Why an IBAN is refused, the most basic reason first: a wrong length is reported as such, not
 * as the wrong check digits it also causes.
 */
export function ibanRefusal(raw: string): Refusal<IbanRefusalCode> | null {
  const iban = normalizeIban(raw);
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) {
    return {
      code: 'IBAN_FORMAT',
      message:
        'must be a two-letter country code, two check digits and the account (letters and digits; spaces are ignored)',
    };
  }
  const errors = validateIBAN(iban).errorCodes;
  const country = iban.slice(0, 2);
  if (errors.includes(ValidationErrorsIBAN.NoIBANCountry))
    return { code: 'IBAN_COUNTRY', message: `has country ${country}, which does not use IBANs` };
  if (errors.includes(ValidationErrorsIBAN.WrongBBANLength)) {
    const length = getCountrySpecifications()[country]?.chars;
    return {
      code: 'IBAN_LENGTH',
      message: `must have ${length} characters for ${country}, not ${iban.length}`,
    };
  }
  if (errors.includes(ValidationErrorsIBAN.WrongBBANFormat))
    return {
      code: 'IBAN_FORMAT',
      message: `does not have the account structure of a ${country} IBAN`,
    };
  if (
    errors.includes(ValidationErrorsIBAN.WrongIBANChecksum) ||
    errors.includes(ValidationErrorsIBAN.ChecksumNotNumber)
  )
    return {
      code: 'IBAN_CHECK_DIGITS',
      message: 'has wrong check digits (ISO 13616 mod 97): a character is mistyped',
    };
  if (errors.includes(ValidationErrorsIBAN.WrongAccountBankBranchChecksum))
    return {
      code: 'IBAN_NATIONAL_CHECK',
      message: `has wrong national check digits for ${country}: a character is mistyped`,
    };
  return null;
}

export const IBAN_RULE: IdentifierRule<IbanRefusalCode> = {
  codes: ['IBAN_FORMAT', 'IBAN_COUNTRY', 'IBAN_LENGTH', 'IBAN_CHECK_DIGITS', 'IBAN_NATIONAL_CHECK'],
  normalize: normalizeIban,
  refusal: ibanRefusal,
};

export type BicRefusalCode = 'BIC_FORMAT' | 'BIC_COUNTRY';

export function normalizeBic(raw: string): string {
  return stripWhitespace(raw).toUpperCase();
}

/**
 * ISO 9362:2014: a 4-character party prefix (letters or digits since 2014), the 2-letter ISO 3166
 * country, a 2-character location and an optional 3-character branch.
 */
export function bicRefusal(raw: string): Refusal<BicRefusalCode> | null {
  const bic = normalizeBic(raw);
  if (!/^[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(bic)) {
    return {
      code: 'BIC_FORMAT',
      message:
        'must be a BIC of 8 or 11 letters and digits: bank, country, location and optional branch (ISO 9362)',
    };
  }
  if (getCountrySpecifications()[bic.slice(4, 6)] === undefined)
    return { code: 'BIC_COUNTRY', message: `has ${bic.slice(4, 6)}, which is not a country code` };
  return null;
}

export const BIC_RULE: IdentifierRule<BicRefusalCode> = {
  codes: ['BIC_FORMAT', 'BIC_COUNTRY'],
  normalize: normalizeBic,
  refusal: bicRefusal,
};

export type AccountNumberRefusalCode = 'ACCOUNT_NUMBER_FORMAT';

/** Spaces are ignored, as printed in groups of four on a bank card or statement. */
export function normalizeAccountNumber(raw: string): string {
  return stripWhitespace(raw);
}

export function accountNumberRefusal(raw: string): Refusal<AccountNumberRefusalCode> | null {
  return /^\d{8,30}$/.test(normalizeAccountNumber(raw))
    ? null
    : { code: 'ACCOUNT_NUMBER_FORMAT', message: 'must be 8 to 30 digits' };
}

export const ACCOUNT_NUMBER_RULE: IdentifierRule<AccountNumberRefusalCode> = {
  codes: ['ACCOUNT_NUMBER_FORMAT'],
  normalize: normalizeAccountNumber,
  refusal: accountNumberRefusal,
};

export type CnapsRefusalCode = 'CNAPS_FORMAT';

export function normalizeCnapsCode(raw: string): string {
  return stripWhitespace(raw);
}

export function cnapsRefusal(raw: string): Refusal<CnapsRefusalCode> | null {
  return /^\d{12}$/.test(normalizeCnapsCode(raw))
    ? null
    : {
        code: 'CNAPS_FORMAT',
        message: 'must be the 12-digit CNAPS code of the bank branch (大额支付系统行号)',
      };
}

export const CNAPS_RULE: IdentifierRule<CnapsRefusalCode> = {
  codes: ['CNAPS_FORMAT'],
  normalize: normalizeCnapsCode,
  refusal: cnapsRefusal,
};

/** For messages and notifications: the last four characters only ("…5432"). */
export function maskedAccount(identifier: string): string {
  return `…${identifier.slice(-4)}`;
}
