/** The parts of an ISO 8601 date or date-time, see {@link parseIsoDateTime}. */
export interface IsoDateTime {
  /** The calendar date as written, `YYYY-MM-DD`. */
  date: string;
  /** The instant in UTC milliseconds (text without an offset is taken as UTC). */
  time: number;
  /** The text was already in `toISOString()` form, so it can be stored as it is. */
  canonical: boolean;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const MS_PER_DAY = 86_400_000;

/**
 * Parses `YYYY-MM-DD` and ISO 8601 date-times: `T` (or a space) between date and time, seconds
 * and fractions optional, then optionally `Z` or an offset (`+02:00`, `+0200`, `+02`). Checks the
 * calendar, so 2023-02-29 and 24:00 fail. Written by hand because it runs for every cell of a
 * date column, and a regular expression plus `Date` objects cost several times more.
 *
 * @returns `null` if the text is not such a date.
 */
export function parseIsoDateTime(text: string): IsoDateTime | null {
  const length = text.length;
  if (length < 10 || text.charCodeAt(4) !== DASH || text.charCodeAt(7) !== DASH) return null;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  if (year < 1 || month < 1 || month > 12 || day < 1) return null;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > DAYS_IN_MONTH[month - 1]! + (leap ? 1 : 0)) return null;
  const date = length === 10 ? text : text.slice(0, 10);
  let time = daysFromCivil(year, month, day) * MS_PER_DAY;
  if (length === 10) return { date, time, canonical: false };

  const separator = text.charCodeAt(10);
  if (separator !== UPPER_T && separator !== LOWER_T && separator !== SPACE) return null;
  if (length < 16 || text.charCodeAt(13) !== COLON) return null;
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return null;
  let second = 0;
  let millis = 0;
  let position = 16;
  if (text.charCodeAt(position) === COLON) {
    second = digitsAt(text, 17, 2);
    if (second < 0 || second > 59) return null;
    position = 19;
    const mark = text.charCodeAt(position);
    if (mark === DOT || mark === COMMA) {
      const start = ++position;
      while (isDigit(text.charCodeAt(position))) position++;
      if (position === start) return null;
      // rounded to the millisecond, as spreadsheets and Date keep no more
      millis = Math.round(Number(`0.${text.slice(start, position)}`) * 1000);
    }
  }
  time += ((hour * 60 + minute) * 60 + second) * 1000 + millis;
  const zoneStart = position;
  while (text.charCodeAt(position) === SPACE) position++;
  if (position === length) return { date, time, canonical: false };
  const zone = text.charCodeAt(position);
  if (zone === UPPER_Z || zone === LOWER_Z) {
    if (position + 1 !== length) return null;
    const canonical = zoneStart === 23 && position === 23 && zone === UPPER_Z && separator === UPPER_T;
    return { date, time, canonical };
  }
  if (zone !== PLUS && zone !== MINUS) return null;
  const offsetHours = digitsAt(text, position + 1, 2);
  let offsetMinutes = 0;
  let end = position + 3;
  if (text.charCodeAt(end) === COLON) end++;
  if (end < length) {
    offsetMinutes = digitsAt(text, end, 2);
    end += 2;
  }
  if (end !== length || offsetHours < 0 || offsetHours > 23 || offsetMinutes < 0 || offsetMinutes > 59) {
    return null;
  }
  time -= (zone === MINUS ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  return { date, time, canonical: false };
}

const DASH = 0x2d;
const COLON = 0x3a;
const DOT = 0x2e;
const COMMA = 0x2c;
const SPACE = 0x20;
const PLUS = 0x2b;
const MINUS = 0x2d;
const UPPER_T = 0x54;
const LOWER_T = 0x74;
const UPPER_Z = 0x5a;
const LOWER_Z = 0x7a;

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** The number written with `count` digits at `start`, or -1 if those are not all digits. */
function digitsAt(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const code = text.charCodeAt(i);
    if (!isDigit(code)) return -1;
    value = value * 10 + (code - 0x30);
  }
  return value;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}
