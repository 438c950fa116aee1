import { minuteText, percentText, quantityText, unitPriceText } from './pledge-text';

describe('pledge wording', () => {
  it.each([
    ['120.5000', 't', '120.5 t'],
    ['1200.0000', 'kg', '1,200 kg'],
    ['1234567.0125', 'pcs', '1,234,567.0125 pcs'],
    ['0.0001', 't', '0.0001 t'],
  ])('quantity %s %s → %s', (quantity, unit, expected) => {
    expect(quantityText(quantity, unit)).toBe(expected);
  });

  it.each([
    ['3980.000000', 'CNY', '3,980.00'],
    ['68450.123456', 'CNY', '68,450.123456'],
    ['12.5', 'CNY', '12.50'],
    ['1500.000000', 'JPY', '1,500'],
    ['0.005', 'USD', '0.005'],
  ])('unit price %s %s → %s', (price, currency, expected) => {
    expect(unitPriceText(price, currency)).toBe(expected);
  });

  it.each([
    ['0.3000', '30%'],
    ['0.70000000', '70%'],
    ['0.41876047', '41.876047%'],
    ['0', '0%'],
    ['1.25000000', '125%'],
  ])('ratio %s → %s', (ratio, expected) => {
    expect(percentText(ratio)).toBe(expected);
  });

  it('writes a moment to the minute in UTC', () => {
    expect(minuteText(new Date('2026-11-27T09:30:59.999+08:00'))).toBe('2026-11-27 01:30 UTC');
  });
});
