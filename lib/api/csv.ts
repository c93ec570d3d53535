/**
 * CSV text (RFC 4180) that is safe to open in a spreadsheet: a cell that a spreadsheet would read as
 * a formula (it starts with =, +, -, @, a tab or a carriage return; OWASP's CSV injection list) gets a
 * leading apostrophe, so a name like `=HYPERLINK(…)` stays text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: string | null | undefined): string {
  let text = value ?? "";
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) || text !== (value ?? "") ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record, CRLF-terminated as RFC 4180 writes it. */
export function csvRow(cells: readonly (string | null | undefined)[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}
