/** The order of day, month and year in dates written as text. */
export type DateOrder = "DMY" | "MDY" | "YMD";

/** A date, perhaps with a time, read by {@link parseDateText}. */
export interface DateText {
  /** The calendar date, `YYYY-MM-DD`. */
  date: string;
  /** The instant in UTC milliseconds, wall-clock time taken as UTC like spreadsheet dates. */
  time: number;
}

// three numbers with the same separator, then optionally a time: 31.05.2024 14:30, 5/31/2024 2:30 PM
const DATE_TEXT =
  /^(\d{1,4})([./-])(\d{1,2})\2(\d{1,4})(?:(?:\s+|T)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:\s*([AaPp])\.?[Mm]\.?)?)?$/;

/**
 * Reads a date written as text in the given order, with `/`, `.` or `-` between its parts and
 * optionally a time (`HH:MM`, `HH:MM:SS`, fractions, `AM`/`PM`): `31.05.2024` (DMY),
 * `5/31/2024 2:30 PM` (MDY), `2024/05/31 14:30` (YMD). The calendar is checked, so 31.02.2024
 * fails.
 *
 * Years must have four digits: `31.05.24` could be 1924 or 2024, and a guessed century would
 * silently store the wrong date, so two-digit years give `"two-digit year"` for the caller to say
 * so.
 *
 * @returns `null` if the text is no date in that order.
 */
export function parseDateText(text: string, order: DateOrder): DateText | "two-digit year" | null {
  const match = DATE_TEXT.exec(text);
  if (!match) return null;
  const [, a = "", , b = "", c = "", hourText, minuteText, secondText, fraction, meridiem] = match;
  const [yearText, monthText, dayText] = order === "YMD" ? [a, b, c] : order === "DMY" ? [c, b, a] : [c, a, b];
  if (dayText.length > 2) return null;
  if (yearText.length === 2) return "two-digit year";
  if (yearText.length !== 4 || yearText === "0000") return null;
  const [year, month, day] = [Number(yearText), Number(monthText), Number(dayText)];

  const midnight = new Date(0);
  midnight.setUTCFullYear(year, month - 1, day); // not Date.UTC, which maps years 0-99 to 1900-1999
  if (midnight.getUTCFullYear() !== year || midnight.getUTCMonth() !== month - 1 || midnight.getUTCDate() !== day) {
    return null;
  }
  const date = midnight.toISOString().slice(0, 10);
  if (hourText === undefined) return { date, time: midnight.getTime() };

  let hour = Number(hourText);
  const minute = Number(minuteText);
  const second = secondText === undefined ? 0 : Number(secondText);
  if (meridiem !== undefined) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (meridiem.toLowerCase() === "p" ? 12 : 0);
  }
  if (hour > 23 || minute > 59 || second > 59) return null;
  // rounded to the millisecond, as spreadsheets and Date keep no more
  const millis = fraction === undefined ? 0 : Math.round(Number(`0.${fraction}`) * 1000);
  return { date, time: midnight.getTime() + ((hour * 60 + minute) * 60 + second) * 1000 + millis };
}
