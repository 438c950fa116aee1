import { Transform } from 'class-transformer';
import { registerDecorator, type ValidationArguments } from 'class-validator';
import type { IdentifierRule } from '../account-identifier';

/** A part of the account is given when it is neither left out nor null. */
export const isGiven = (value: unknown): boolean => value !== undefined && value !== null;

/** 'IBAN_CHECK_DIGITS' → 'ibanCheckDigits', which the 422 reports back as IBAN_CHECK_DIGITS. */
const constraintName = (code: string): string =>
  code.toLowerCase().replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());

function rule(
  target: object,
  propertyName: string | symbol,
  name: string,
  validate: (value: unknown, object: Record<string, unknown>) => boolean,
  message: (args: ValidationArguments) => string,
): void {
  registerDecorator({
    name,
    target: target.constructor,
    propertyName: String(propertyName),
    validator: {
      validate: (value: unknown, args: ValidationArguments) =>
        validate(value, args.object as Record<string, unknown>),
      defaultMessage: (args?: ValidationArguments) => (args ? message(args) : `${name} failed`),
    },
  });
}

/**
 * An optional part of a bank account checked by `identifierRule`: normalised when given, and,
 * when refused, reported under the rule's own reason (`iban: IBAN_CHECK_DIGITS`), one
 * class-validator constraint per reason so the field error carries it. Left out or null passes
 * here; whether the part is needed is `AccountIdentifierChoice`'s question.
 */
export function IsAccountPart(identifierRule: IdentifierRule): PropertyDecorator {
  return (target, propertyName) => {
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? identifierRule.normalize(value) : value,
    )(target, propertyName);
    rule(
      target,
      propertyName,
      'isString',
      (value) => !isGiven(value) || typeof value === 'string',
      (args) => `${args.property} must be a string`,
    );
    for (const code of identifierRule.codes) {
      rule(
        target,
        propertyName,
        constraintName(code),
        (value) => typeof value !== 'string' || identifierRule.refusal(value)?.code !== code,
        (args) =>
          `${args.property} ${typeof args.value === 'string' ? (identifierRule.refusal(args.value)?.message ?? 'is invalid') : 'is invalid'}`,
      );
    }
  };
}

type AccountField = 'iban' | 'accountNumber' | 'bankCode';

/**
 * The account is named by `iban`, or by `accountNumber` and `bankCode` together: exactly one of
 * the two. On each of the three fields, the 422 names what is wrong with the choice:
 * ACCOUNT_IDENTIFIER_REQUIRED (neither given, on iban and accountNumber),
 * ACCOUNT_IDENTIFIER_CONFLICT (an IBAN beside an account number or bank code, on each of them),
 * REQUIRED (one half of the account number and bank code pair without the other).
 */
export function AccountIdentifierChoice(field: AccountField): PropertyDecorator {
  return (target, propertyName) => {
    const given = (object: Record<string, unknown>, name: AccountField) => isGiven(object[name]);
    const domestic = (object: Record<string, unknown>) =>
      given(object, 'accountNumber') || given(object, 'bankCode');
    if (field !== 'bankCode') {
      rule(
        target,
        propertyName,
        'accountIdentifierRequired',
        (_value, object) => given(object, 'iban') || domestic(object),
        () => 'give either iban, or accountNumber and bankCode',
      );
    }
    rule(
      target,
      propertyName,
      'accountIdentifierConflict',
      (value, object) =>
        !isGiven(value) || (field === 'iban' ? !domestic(object) : !given(object, 'iban')),
      (args) =>
        field === 'iban'
          ? 'iban cannot be given together with accountNumber or bankCode'
          : `${args.property} cannot be given together with iban`,
    );
    if (field !== 'iban') {
      const partner: AccountField = field === 'accountNumber' ? 'bankCode' : 'accountNumber';
      rule(
        target,
        propertyName,
        'required',
        (value, object) => isGiven(value) || given(object, 'iban') || !given(object, partner),
        (args) => `${args.property} is needed with ${partner}`,
      );
    }
  };
}
