import { Readable } from 'node:stream';
import { shanghaiDateTimeText } from './shanghai-time.js';

/**
 * CSV for supervisors who open exports in Excel or WPS (RFC 4180): UTF-8 with a byte-order mark, without
 * which Excel reads Chinese as GBK mojibake; CRLF line ends; a field holding a comma, a quote or a line
 * break is quoted, quotes doubled. A text cell that a spreadsheet would run as a formula gets a leading
 * apostrophe, so an enterprise's free text cannot become a formula on a supervisor's machine (OWASP "CSV
 * injection"): one that starts with = + - @ (or their full-width forms, which a Chinese IME types), also
 * after leading spaces, tabs or line breaks that spreadsheets strip first, or with a tab or line break.
 * A separator (, or ;, the list separator of many locales) followed by = or @ or a signed name inside a
 * cell gets an apostrophe after it too, and such a cell is quoted, so no reader splits it into a formula cell.
 */
export const CSV_BOM = '\uFEFF';
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

export type CsvValue = string | number | boolean | Date | null | undefined;

const FORMULA_START = /^(?:[\s\u3000\ufeff]*[=+\-@\uff1d\uff0b\uff0d\uff20]|[\t\r\n])/;
const FORMULA_AFTER_SEPARATOR = /([;,][\s\u3000]*)(?=[=@\uff1d\uff20]|[+\-\uff0b\uff0d][A-Za-z(])/g;
const NEEDS_QUOTES = /[",;\r\n]/;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let text = value instanceof Date ? shanghaiDateTimeText(value) : value;
  text = text.replace(FORMULA_AFTER_SEPARATOR, "$1'");
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

/**
 * The response body of an export, with its first batch already read: a database error there is thrown
 * before any byte is sent, so the caller answers problem+json instead of a 200 that breaks off (issue 15).
 * A later batch that fails destroys the stream: the chunked response then lacks its last chunk and every
 * HTTP client reports the download as incomplete, never as a whole file.
 */
export async function csvBody<T>(header: readonly string[], batches: AsyncIterable<readonly T[]>, toRow: (row: T) => readonly CsvValue[]): Promise<Readable> {
  const it = batches[Symbol.asyncIterator]();
  const first = await it.next();
  const rest: AsyncIterable<readonly T[]> = {
    [Symbol.asyncIterator]: () => {
      let pending: IteratorResult<readonly T[]> | undefined = first;
      return {
        next: async () => {
          if (pending) {
            const out = pending;
            pending = undefined;
            return out;
          }
          return it.next();
        },
      };
    },
  };
  return Readable.from(csvStream(header, rest, toRow));
}

/** The BOM and header, then every row of every batch, as a stream of text chunks. */
export async function* csvStream<T>(header: readonly string[], batches: AsyncIterable<readonly T[]>, toRow: (row: T) => readonly CsvValue[]): AsyncGenerator<string> {
  yield CSV_BOM + csvLine(header);
  for await (const batch of batches) {
    if (batch.length > 0) yield batch.map((row) => csvLine(toRow(row))).join('');
  }
}
