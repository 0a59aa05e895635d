// "TRUE";"TRUE";"FALSE" in any language ("WAHR";"WAHR";"FALSCH"…): one text for positive and
// negative numbers, another for zero
const BOOLEAN_FORMAT = /^"([^"]+)";"\1";"(?!\1")[^"]+"$/;

/**
 * True if a number format shows only TRUE or FALSE: how LibreOffice saves a formula's boolean
 * result (=A1>0) in .xlsx and .xls, as the number 1 or 0 with this format.
 */
export function isBooleanFormat(format: string | undefined): boolean {
  return format !== undefined && BOOLEAN_FORMAT.test(format);
}
