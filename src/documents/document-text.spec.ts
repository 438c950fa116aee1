import { currencyAmount, groupedMoney, percentPerYear } from './document-text';

describe('groupedMoney', () => {
  it.each([
    ['0', 'CNY', '0.00'],
    ['999.995', 'CNY', '1,000.00'],
    ['1234567.5', 'USD', '1,234,567.50'],
    ['-1234.5', 'CNY', '-1,234.50'],
    ['1234567', 'JPY', '1,234,567'],
  ])('%s %s → %s', (amount, currency, expected) => {
    expect(groupedMoney(amount, currency)).toBe(expected);
  });

  it('prefixes the currency', () => {
    expect(currencyAmount('82700.4420', 'CNY')).toBe('CNY 82,700.44');
  });
});

describe('percentPerYear', () => {
  it.each([
    ['0.04950000', '4.95% p.a.'],
    ['0.05035', '5.035% p.a.'],
    ['0.05', '5.00% p.a.'],
    ['0', '0.00% p.a.'],
    ['0.0000001', '0.00001% p.a.'],
  ])('%s → %s', (rate, expected) => {
    expect(percentPerYear(rate)).toBe(expected);
  });
});
