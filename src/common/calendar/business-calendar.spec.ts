import {
  addDays,
  calendarOf,
  daysBetween,
  isBusinessDay,
  isIsoDate,
  isTimeZone,
  nextBusinessDay,
  onOrAfterBusinessDay,
  todayIn,
} from './business-calendar';

describe('business calendar', () => {
  it('accepts real calendar dates only', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    for (const bad of ['2023-02-29', '2026-13-01', '2026-1-05', '2026-11-31', '20261130', 20261130])
      expect(isIsoDate(bad)).toBe(false);
  });

  it('counts actual days across a leap day and a year end (ACT)', () => {
    // The US Treasury worked example: 13 Jan to 13 Apr 2000 is 91 days, spanning 29 Feb.
    expect(daysBetween('2000-01-13', '2000-04-13')).toBe(91);
    // Trinidad and Tobago T-bill: 8 Nov 2010 to 19 Jan 2011 is 72 days.
    expect(daysBetween('2010-11-08', '2011-01-19')).toBe(72);
    expect(daysBetween('2026-12-31', '2026-12-01')).toBe(-30);
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
  });

  it('reads today in the business time zone', () => {
    // 2026-11-29T17:30Z is already 30 November in Shanghai (UTC+8) but still 29 November in New York.
    const moment = new Date('2026-11-29T17:30:00Z');
    expect(todayIn('Asia/Shanghai', moment)).toBe('2026-11-30');
    expect(todayIn('America/New_York', moment)).toBe('2026-11-29');
    expect(isTimeZone('Asia/Shanghai')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });

  it('skips weekends and holidays', () => {
    // 2026 National Day holiday in China: 1–7 October (a Thursday to a Wednesday).
    const calendar = calendarOf([
      '2026-10-01',
      '2026-10-02',
      '2026-10-05',
      '2026-10-06',
      '2026-10-07',
    ]);
    expect(isBusinessDay('2026-09-30', calendar)).toBe(true);
    expect(isBusinessDay('2026-10-03', calendar)).toBe(false); // Saturday
    expect(onOrAfterBusinessDay('2026-10-01', calendar)).toBe('2026-10-08');
    expect(nextBusinessDay('2026-09-30', calendar)).toBe('2026-10-08');
    expect(nextBusinessDay('2026-11-27', calendarOf())).toBe('2026-11-30'); // Friday → Monday
  });
});
