import { amountInWords } from './amount-in-words';

describe('amountInWords', () => {
  it.each([
    ['1250000.00', 'CNY', 'One Million Two Hundred Fifty Thousand Yuan Renminbi Only'],
    ['1250000.5', 'CNY', 'One Million Two Hundred Fifty Thousand Yuan Renminbi and Fifty Fen Only'],
    ['0.07', 'USD', 'Zero US Dollars and Seven Cents Only'],
    ['101.999', 'EUR', 'One Hundred Two Euros Only'],
    ['1000', 'JPY', 'One Thousand Japanese Yen Only'],
    ['12.345', 'KWD', 'Twelve KWD and 345/1000 Only'],
    ['12.30', 'CHF', 'Twelve CHF and 30/100 Only'],
  ])('%s %s', (amount, currency, expected) => {
    expect(amountInWords(amount, currency)).toBe(expected);
  });

  it('spells amounts beyond 2^53 without losing digits', () => {
    expect(amountInWords('9007199254740993.01', 'CNY')).toBe(
      'Nine Quadrillion Seven Trillion One Hundred Ninety Nine Billion Two Hundred Fifty Four Million Seven Hundred Forty Thousand Nine Hundred Ninety Three Yuan Renminbi and One Fen Only',
    );
  });
});
