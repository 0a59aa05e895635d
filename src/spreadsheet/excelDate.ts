import * as XLSX from "@e965/xlsx";

const MS_PER_DAY = 86_400_000;
/** Serial number of 1970-01-01 in the 1900 date system (for serials past its fake 1900-02-29). */
const UNIX_EPOCH_SERIAL = 25_569;
/** Days between the 1900 and 1904 systems' day 0. */
const DATE1904_OFFSET = 1_462;
/** Serial 60 is 1900-02-29, a day that never was: Lotus 1-2-3's leap-year bug, kept by Excel. */
const FAKE_LEAP_DAY = 60;
/** What serial 0 (Excel's "1900-01-00") becomes: the day that time-only cells fall on. */
const TIME_ONLY_DAY = Date.UTC(1899, 11, 31);
const MAX_DATE = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * Converts an Excel serial date number into a `Date` whose UTC fields are the wall-clock date and
 * time Excel shows, rounded to the millisecond.
 *
 * @param date1904 The workbook uses the 1904 date system (old Mac Excel), where 0 is 1904-01-01.
 * @returns `null` if the number is no date Excel can show (negative, past year 9999, or the
 *   nonexistent 1900-02-29).
 */
export function excelSerialToDate(serial: number, date1904: boolean): Date | null {
  if (!Number.isFinite(serial) || serial < 0) return null;
  let days: number;
  if (date1904) days = serial + DATE1904_OFFSET;
  else if (serial < FAKE_LEAP_DAY) days = serial + 1;
  else if (serial < FAKE_LEAP_DAY + 1) return null;
  else days = serial;
  const ms = Math.round((days - UNIX_EPOCH_SERIAL) * MS_PER_DAY);
  return ms > MAX_DATE ? null : new Date(ms);
}

/** True if an Excel number format displays a date or time (so its numbers are serial dates). */
export function isDateFormat(format: string | undefined): boolean {
  if (!format || format === "General") return false;
  return XLSX.SSF.is_date(format) === true;
}

/** True if the date came from a cell holding only a time of day (Excel's day 0). */
export function isTimeOnly(date: Date): boolean {
  const ms = date.getTime();
  return ms >= TIME_ONLY_DAY && ms < TIME_ONLY_DAY + MS_PER_DAY;
}

/** `YYYY-MM-DD` for a date at midnight, `HH:MM:SS` for a time alone, an ISO timestamp otherwise. */
export function formatDateCell(date: Date): string {
  const ms = date.getTime();
  if (Number.isNaN(ms)) return "#VALUE!";
  const iso = date.toISOString();
  if (isTimeOnly(date)) return iso.slice(11, 19);
  return ms % MS_PER_DAY === 0 ? iso.slice(0, 10) : iso;
}
