import { shanghaiDateTimeText } from './shanghai-time.js';

/**
 * CSV for supervisors who open exports in Excel or WPS (RFC 4180): UTF-8 with a byte-order mark, without
 * which Excel reads Chinese as GBK mojibake; CRLF line ends; a field holding a comma, a quote or a line
 * break is quoted, quotes doubled. A text cell that a spreadsheet would run as a formula (it starts with
 * = + - @, or a tab or carriage return that some programs strip first) gets a leading apostrophe, so an
 * enterprise's free text cannot become a formula on a supervisor's machine (OWASP "CSV injection").
 */
export const CSV_BOM = '\uFEFF';
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

export type CsvValue = string | number | boolean | Date | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let text = value instanceof Date ? shanghaiDateTimeText(value) : value;
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

/** The whole file as one string (small exports and tests); routes stream with `csvStream`. */
export function toCsv(header: readonly string[], rows: Iterable<readonly CsvValue[]>): string {
  let out = CSV_BOM + csvLine(header);
  for (const row of rows) out += csvLine(row);
  return out;
}

/** The BOM and header, then every row of every batch, as a stream of text chunks. */
export async function* csvStream<T>(header: readonly string[], batches: AsyncIterable<readonly T[]>, toRow: (row: T) => readonly CsvValue[]): AsyncGenerator<string> {
  yield CSV_BOM + csvLine(header);
  for await (const batch of batches) {
    if (batch.length > 0) yield batch.map((row) => csvLine(toRow(row))).join('');
  }
}
