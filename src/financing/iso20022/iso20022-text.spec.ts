import {
  characterCount,
  isIsoDate,
  isoDateTime,
  isoIdentifier,
  isoText,
  normaliseIban,
} from './iso20022-text';

describe('isoText', () => {
  it('counts and cuts characters (code points), not bytes or UTF-16 units', () => {
    expect(characterCount('供应链😀')).toBe(4);
    expect(isoText('供应链金融服务', 3)).toBe('供应链');
    expect(isoText('ab😀cd', 3)).toBe('ab😀');
    expect(isoText('ab😀cd', 2)).toBe('ab');
  });

  it('folds whitespace, drops what XML cannot carry, trims; null when nothing is left', () => {
    expect(isoText('  a\r\n\tb\u0000c\u0007  ', 140)).toBe('a bc');
    expect(isoText('x\uDC00y\uD800', 140)).toBe('x\uFFFDy\uFFFD');
    expect(isoText(' \n ', 140)).toBeNull();
    expect(isoText('abc def', 4)).toBe('abc');
  });
});

describe('isoIdentifier', () => {
  it('keeps a fitting id (trimmed) and refuses one that would have to be cut', () => {
    expect(isoIdentifier(' FIN-1 ', 35, 'id')).toBe('FIN-1');
    expect(isoIdentifier('融'.repeat(35), 35, 'id')).toHaveLength(35);
    expect(() => isoIdentifier('融'.repeat(36), 35, 'The id')).toThrow(
      /The id .* has 36 characters; at most 35/,
    );
    expect(() => isoIdentifier('', 35, 'The id')).toThrow(/The id is missing or empty/);
    expect(() => isoIdentifier('a\nb', 35, 'The id')).toThrow(/control characters/);
  });
});

describe('normaliseIban', () => {
  it.each([
    ['DE89 3704 0044 0532 0130 00', 'DE89370400440532013000'],
    ['gb82west12345698765432', 'GB82WEST12345698765432'],
    ['CH29 0900 0000 2500 9423 9', 'CH2909000000250094239'],
  ])('%s → %s', (input, iban) => {
    expect(normaliseIban(input, 'IBAN')).toBe(iban);
  });

  it('refuses wrong check digits and what is no IBAN', () => {
    expect(() => normaliseIban('DE89370400440532013001', 'The IBAN')).toThrow(/check digits/);
    expect(() => normaliseIban('6222020200112233445', 'The IBAN')).toThrow(/is not an IBAN/);
  });
});

describe('dates', () => {
  it('isIsoDate accepts real calendar dates only', () => {
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-1-05')).toBe(false);
  });

  it('isoDateTime is UTC without fractions', () => {
    expect(isoDateTime(new Date('2026-11-03T08:15:30.999Z'), 'x')).toBe('2026-11-03T08:15:30Z');
    expect(() => isoDateTime(new Date(Number.NaN), 'The time')).toThrow(/not a valid date/);
  });
});
