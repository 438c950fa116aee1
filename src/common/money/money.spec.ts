import fc from 'fast-check';
import { isTradeCurrency, minorUnit } from './currency';
import { Decimal, isDecimalString, scaleOf, sum } from './decimal';
import { fitsMinorUnit, fitsMoneyColumn, formatMoney, roundMoney } from './money';

describe('currencies', () => {
  it.each([
    ['CNY', 2],
    ['USD', 2],
    ['EUR', 2],
    ['JPY', 0],
    ['KRW', 0],
    ['KWD', 3],
    ['BHD', 3],
    ['CLF', 4],
  ])('%s has %i minor-unit digits (ISO 4217)', (code, digits) => {
    expect(minorUnit(code)).toBe(digits);
  });

  it('refuses codes that are not trade currencies', () => {
    for (const code of ['XXX', 'XAU', 'XTS', 'ABC', 'cny', 'RMB', ''])
      expect(isTradeCurrency(code)).toBe(false);
    expect(() => minorUnit('XAU')).toThrow(/not an ISO 4217 trade currency/);
  });
});

describe('the decimal type', () => {
  it('refuses JS numbers outright (strict mode)', () => {
    expect(() => new Decimal(0.1 as unknown as string)).toThrow();
  });

  it('adds exactly where floats do not', () => {
    expect(new Decimal('0.1').plus('0.2').toString()).toBe('0.3');
    expect(sum(['1250000.10', '0.20', '-0.30']).toFixed(2)).toBe('1250000.00');
  });

  it('recognises decimal strings and their scale', () => {
    for (const ok of ['0', '1', '-1.5', '1250000.00', '0.0345'])
      expect(isDecimalString(ok)).toBe(true);
    for (const bad of ['', '01', '1.', '.5', '1e5', '+1', '1,000.00', ' 1', 'NaN', 1])
      expect(isDecimalString(bad)).toBe(false);
    expect(scaleOf('1250000.00')).toBe(2);
    expect(scaleOf('5')).toBe(0);
  });
});

describe('rounding money per currency (half-up, once, at the end)', () => {
  it.each([
    ['1.005', 'CNY', '1.01'],
    ['1.004999', 'CNY', '1.00'],
    ['-1.005', 'CNY', '-1.01'],
    ['2.5', 'JPY', '3'],
    ['3.5', 'JPY', '4'],
    ['0.0005', 'KWD', '0.001'],
    ['1234.56785', 'CLF', '1234.5679'],
    ['12', 'USD', '12.00'],
  ])('%s %s rounds to %s', (value, currency, expected) => {
    expect(roundMoney(value, currency)).toBe(expected);
  });

  it('rounds the ACT/360 early-payment example of the Kanexa help page to its published figure', () => {
    // 1,000.00 USD, 6 % a year, paid 20 days early, ACT/360: published discount 3.33, net 996.67
    const discount = new Decimal('1000.00').times('0.06').times('20').div('360');
    expect(roundMoney(discount, 'USD')).toBe('3.33');
    expect(roundMoney(new Decimal('1000.00').minus(discount), 'USD')).toBe('996.67');
  });

  it('formats stored numerics to the currency scale', () => {
    expect(formatMoney('1250000.0000', 'CNY')).toBe('1250000.00');
    expect(formatMoney('5000.0000', 'JPY')).toBe('5000');
    expect(fitsMinorUnit('10.001', 'CNY')).toBe(false);
    expect(fitsMinorUnit('10.001', 'KWD')).toBe(true);
    expect(fitsMinorUnit('10', 'JPY')).toBe(true);
    expect(fitsMinorUnit('10.5', 'JPY')).toBe(false);
  });

  it('never moves a value by more than half a minor unit (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        fc.integer({ min: 0, max: 8 }),
        fc.constantFrom('CNY', 'JPY', 'KWD'),
        (units, scale, currency) => {
          const value = new Decimal(units.toString()).div(new Decimal('10').pow(scale));
          const rounded = new Decimal(roundMoney(value, currency));
          const half = new Decimal('0.5').div(new Decimal('10').pow(minorUnit(currency)));
          return (
            rounded.minus(value).abs().lte(half) &&
            scaleOf(rounded.toFixed()) <= minorUnit(currency)
          );
        },
      ),
    );
  });
});

describe('the money column (numeric(20,4))', () => {
  it('holds 16 integer digits and no more, either sign', () => {
    expect(fitsMoneyColumn('9999999999999999.9999')).toBe(true);
    expect(fitsMoneyColumn('-9999999999999999.99')).toBe(true);
    expect(fitsMoneyColumn('10000000000000000')).toBe(false);
    expect(fitsMoneyColumn(new Decimal('99999999999999').times('1000'))).toBe(false);
  });
});
