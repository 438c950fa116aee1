import fc from 'fast-check';
import {
  accountNumberRefusal,
  bicRefusal,
  cnapsRefusal,
  ibanRefusal,
  maskedAccount,
  normalizeAccountNumber,
  normalizeBic,
  normalizeIban,
} from './account-identifier';

// Example IBANs published by the banks and the IBAN registry (SWIFT, ISO 13616) for testing.
const PUBLISHED_IBANS = {
  'GB (Westminster example)': 'GB82 WEST 1234 5698 7654 32',
  'DE (Commerzbank example)': 'DE89 3704 0044 0532 0130 00',
  'FR (with a letter in the account)': 'FR14 2004 1010 0505 0001 3M02 606',
  'BE (with national check digits)': 'BE68 5390 0754 7034',
  NL: 'NL91 ABNA 0417 1643 00',
  CH: 'CH93 0076 2011 6238 5295 7',
  ES: 'ES91 2100 0418 4502 0005 1332',
};

const code = (refusal: { code: string } | null): string | null => refusal?.code ?? null;

describe('IBAN (ISO 13616)', () => {
  it.each(Object.entries(PUBLISHED_IBANS))('accepts the published %s IBAN', (_what, iban) => {
    expect(ibanRefusal(iban)).toBeNull();
  });

  it('normalises to the electronic form: no spaces, upper case', () => {
    expect(normalizeIban(' gb82 west 1234\u00a05698 7654 32 ')).toBe('GB82WEST12345698765432');
    expect(ibanRefusal('gb82west12345698765432')).toBeNull();
  });

  it.each([
    ['a wrong check digit', 'GB83 WEST 1234 5698 7654 32', 'IBAN_CHECK_DIGITS'],
    ['two account digits swapped', 'DE89 3704 0044 0532 0103 00', 'IBAN_CHECK_DIGITS'],
    ['one character short', 'GB82 WEST 1234 5698 7654 3', 'IBAN_LENGTH'],
    ['one character too many', 'DE89 3704 0044 0532 0130 000', 'IBAN_LENGTH'],
    ['a country without IBANs', 'CN12 3456 7890 1234 5678', 'IBAN_COUNTRY'],
    ['no such country', 'QQ12 3456 7890 1234 5678', 'IBAN_COUNTRY'],
    ['letters where GB has the sort code', 'GB82 WEST ABCD 5698 7654 32', 'IBAN_FORMAT'],
    ['punctuation', 'GB82-WEST-1234-5698-7654-32', 'IBAN_FORMAT'],
    ['letters for check digits', 'GBXX WEST 1234 5698 7654 32', 'IBAN_FORMAT'],
    ['an empty string', '   ', 'IBAN_FORMAT'],
    // mod 97 holds (check digits recomputed) but the Belgian account's own check does not
    ['wrong national check digits', 'BE41 5390 0754 7035', 'IBAN_NATIONAL_CHECK'],
  ])('refuses %s: %s → %s', (_what, iban, expected) => {
    const refusal = ibanRefusal(iban);
    expect(code(refusal)).toBe(expected);
    expect(refusal?.message).toEqual(expect.any(String));
  });

  it('says which length the country needs', () => {
    expect(ibanRefusal('GB82WEST1234569876543')?.message).toBe(
      'must have 22 characters for GB, not 21',
    );
  });

  it('catches every single mistyped digit and every swap of two neighbouring digits', () => {
    const valid = ['GB82WEST12345698765432', 'DE89370400440532013000'];
    const digitPositions = (iban: string) =>
      [...iban].flatMap((ch, i) => (/\d/.test(ch) && i >= 2 ? [i] : []));
    fc.assert(
      fc.property(
        fc.constantFrom(...valid),
        fc.nat(),
        fc.integer({ min: 1, max: 9 }),
        (iban, pick, shift) => {
          const positions = digitPositions(iban);
          const at = positions[pick % positions.length];
          const typo =
            iban.slice(0, at) + String((Number(iban[at]) + shift) % 10) + iban.slice(at + 1);
          expect(ibanRefusal(typo)).not.toBeNull();
        },
      ),
    );
    fc.assert(
      fc.property(fc.constantFrom(...valid), fc.nat(), (iban, pick) => {
        const positions = digitPositions(iban).filter(
          (i) => /\d/.test(iban[i + 1] ?? '') && iban[i] !== iban[i + 1],
        );
        const at = positions[pick % positions.length];
        const swapped = iban.slice(0, at) + iban[at + 1] + iban[at] + iban.slice(at + 2);
        expect(ibanRefusal(swapped)).not.toBeNull();
      }),
    );
  });
});

describe('BIC (ISO 9362)', () => {
  it.each(['DEUTDEFF', 'DEUTDEFF500', 'BKCHCNBJ', 'ICBKCNBJSZN', 'NWBKGB2L', ' bkch cnbj '])(
    'accepts %s',
    (bic) => {
      expect(bicRefusal(bic)).toBeNull();
    },
  );

  it('normalises to upper case without spaces', () => {
    expect(normalizeBic(' bkchcnbj ')).toBe('BKCHCNBJ');
  });

  it.each([
    ['too short', 'DEUTDEF', 'BIC_FORMAT'],
    ['nine characters', 'DEUTDEFF5', 'BIC_FORMAT'],
    ['twelve characters', 'DEUTDEFF5000', 'BIC_FORMAT'],
    ['digits for the country', 'DEUT12FF', 'BIC_FORMAT'],
    ['punctuation', 'DEUT-DEFF', 'BIC_FORMAT'],
    ['no such country', 'DEUTQQFF', 'BIC_COUNTRY'],
  ])('refuses %s: %s → %s', (_what, bic, expected) => {
    expect(code(bicRefusal(bic))).toBe(expected);
  });
});

describe('Chinese domestic account: account number and CNAPS code', () => {
  it.each(['62220202000012345678', '1234 5678 9012 3456 789', '12345678', '1'.repeat(30)])(
    'accepts the account number %s',
    (accountNumber) => {
      expect(accountNumberRefusal(accountNumber)).toBeNull();
    },
  );

  it('normalises the account number by removing spaces', () => {
    expect(normalizeAccountNumber(' 6222 0202 0000 1234 567 ')).toBe('6222020200001234567');
  });

  it.each([
    ['seven digits', '1234567'],
    ['31 digits', '1'.repeat(31)],
    ['a letter', '6222020200001234X67'],
    ['a hyphen', '6222-0202-0000-1234'],
    ['an empty string', ''],
  ])('refuses an account number with %s', (_what, accountNumber) => {
    expect(code(accountNumberRefusal(accountNumber))).toBe('ACCOUNT_NUMBER_FORMAT');
  });

  it.each(['102100099996', '104100000004', '308584000013'])(
    'accepts the CNAPS code %s',
    (cnaps) => {
      expect(cnapsRefusal(cnaps)).toBeNull();
    },
  );

  it.each([
    ['eleven digits', '10210009999'],
    ['thirteen digits', '1021000999961'],
    ['a letter', '10210009999A'],
    ['a SWIFT code instead', 'ICBKCNBJ'],
  ])('refuses a CNAPS code with %s', (_what, cnaps) => {
    expect(code(cnapsRefusal(cnaps))).toBe('CNAPS_FORMAT');
  });
});

describe('maskedAccount', () => {
  it('keeps the last four characters', () => {
    expect(maskedAccount('GB82WEST12345698765432')).toBe('…5432');
  });
});
