/**
 * First characters that make Excel, LibreOffice or Google Sheets read a CSV cell as a formula
 * (OWASP's CSV-injection list): `=`, `+`, `-`, `@`, tab and carriage return.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * User text as one CSV field that no spreadsheet will evaluate: text that could start a formula is
 * prefixed with `'` (which spreadsheets show as text), and every text field is quoted, with inner
 * quotes doubled, so neither a delimiter nor a line break inside it can start a new cell.
 */
export function csvText(text: string): string {
  const inert = FORMULA_START.test(text) ? `'${text}` : text;
  return `"${inert.replaceAll('"', '""')}"`;
}
