/**
 * Business dates are plain calendar dates ('YYYY-MM-DD', no time, no zone). They are computed on
 * UTC midnights, where every day has 24 hours, so day counts are exact; "today" is read in the
 * program's business time zone.
 */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** A date 'YYYY-MM-DD' that exists (no 30 February), years 1000–9999. Arithmetic, no Date: it runs per bulk row. */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1000 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  return day <= days;
}

/** An IANA zone name (Asia/Shanghai, UTC). Offsets such as "+08:00" name no zone's rules. */
export function isTimeZone(value: unknown): value is string {
  if (
    typeof value !== 'string' ||
    value.length > 64 ||
    !/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(value)
  )
    return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const toUtc = (date: string): number => Date.parse(`${date}T00:00:00Z`);
const fromUtc = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** A valid zone as the time zone database spells it ("asia/shanghai" → "Asia/Shanghai"). */
export function canonicalTimeZone(zone: string): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
}

/** Today's date in `timeZone` (e.g. Asia/Shanghai), as the business sees it. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

export function addDays(date: string, days: number): string {
  return fromUtc(toUtc(date) + days * DAY_MS);
}

/** Actual days from `from` to `to` (ACT): negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((toUtc(to) - toUtc(from)) / DAY_MS);
}

export interface BusinessCalendar {
  /** Non-business dates besides weekends (public holidays). */
  holidays: ReadonlySet<string>;
}

export function calendarOf(holidays: readonly string[] = []): BusinessCalendar {
  return { holidays: new Set(holidays) };
}

/** Monday to Friday and not a holiday. (Make-up working Saturdays, 调休, are not modelled yet.) */
export function isBusinessDay(date: string, calendar: BusinessCalendar): boolean {
  const weekday = new Date(toUtc(date)).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !calendar.holidays.has(date);
}

/** The first business day on or after `date`. */
export function onOrAfterBusinessDay(date: string, calendar: BusinessCalendar): string {
  let day = date;
  for (let i = 0; i < 366 && !isBusinessDay(day, calendar); i++) day = addDays(day, 1);
  return day;
}

/** The first business day strictly after `date`. */
export function nextBusinessDay(date: string, calendar: BusinessCalendar): string {
  return onOrAfterBusinessDay(addDays(date, 1), calendar);
}
