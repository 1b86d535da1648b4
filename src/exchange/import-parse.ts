import { firstBad } from '../http/control-characters.js';

/**
 * Reading an import batch (批量报送) into raw rows: NDJSON (one JSON object a line) or CSV (RFC 4180, a
 * header line naming the fields; `matterCodes` separated by `;`). Parsing never throws on a bad line:
 * the line becomes a row with a parse error, reported like any other refused row.
 */
export type RawRow = { line: number; value: Record<string, unknown> } | { line: number; parseError: string };

export const MAX_BATCH_ROWS = 5000;

/**
 * A batch's bytes as text, line by line: a line whose bytes are not UTF-8 is named, not decoded to U+FFFD
 * and stored as such (issue 23). Line feeds never occur inside a UTF-8 multi-byte sequence, so each line
 * is decoded on its own and one bad line spoils no other.
 */
export interface BatchText {
  text: string;
  /** 1-based line numbers whose bytes are not UTF-8. */
  badLines: Set<number>;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lossyUtf8 = new TextDecoder('utf-8');

export function decodeBatch(bytes: Buffer | string): BatchText {
  if (typeof bytes === 'string') return { text: bytes, badLines: new Set() };
  const lines: string[] = [];
  const badLines = new Set<number>();
  let start = 0;
  for (let n = 1; start <= bytes.length; n++) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    try {
      lines.push(strictUtf8.decode(bytes.subarray(start, end)));
    } catch {
      // Kept (lossily) so the row is still found and reported by its line; it is refused, never stored.
      badLines.add(n);
      lines.push(lossyUtf8.decode(bytes.subarray(start, end)));
    }
    start = end + 1;
  }
  return { text: lines.join('\n'), badLines };
}

const BAD_BYTES = '该行含有无法识别的字节，不是有效的文本编码';

/** A value's text that PostgreSQL cannot store or that would mislead a reader (NUL, lone surrogate, bidi controls), as the row's error. */
function badText(value: unknown): string | null {
  const found = firstBad(value, '');
  return found ? `${found.field.replace(/^\./, '') || '该行'}${found.message}` : null;
}

export function parseNdjson(batch: BatchText | string): RawRow[] {
  const { text, badLines } = typeof batch === 'string' ? decodeBatch(batch) : batch;
  const rows: RawRow[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((line, i) => {
      if (badLines.has(i + 1)) return void rows.push({ line: i + 1, parseError: BAD_BYTES });
      if (line.trim() === '') return;
      try {
        const value: unknown = JSON.parse(line);
        const bad = badText(value);
        if (bad) rows.push({ line: i + 1, parseError: bad });
        else if (value && typeof value === 'object' && !Array.isArray(value)) rows.push({ line: i + 1, value: value as Record<string, unknown> });
        else rows.push({ line: i + 1, parseError: '每行应为一个对象' });
      } catch {
        rows.push({ line: i + 1, parseError: '该行不是有效的数据格式' });
      }
    });
  return rows;
}

/** Splits CSV text into records of fields, honouring quotes (a quoted field may hold commas, quotes and line breaks). */
function csvRecords(text: string): { line: number; endLine: number; fields: string[] }[] {
  const out: { line: number; endLine: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let startLine = 1;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) out.push({ line: startLine, endLine: line, fields });
    fields = [];
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      startLine = line;
    } else field += c;
  }
  if (field !== '' || fields.length) endRecord();
  return out;
}

const LIST_FIELDS = new Set(['matterCodes']);

export function parseCsv(batch: BatchText | string): RawRow[] {
  const { text, badLines } = typeof batch === 'string' ? decodeBatch(batch) : batch;
  const records = csvRecords(text.replace(/^\uFEFF/, ''));
  const header = records.shift();
  if (!header) return [];
  const names = header.fields.map((f) => f.trim());
  const spoilt = (from: number, to: number) => [...badLines].some((n) => n >= from && n <= to);
  return records.map(({ line, endLine, fields }) => {
    if (spoilt(line, endLine)) return { line, parseError: BAD_BYTES };
    const bad = badText(fields);
    if (bad) return { line, parseError: `该行${bad.replace(/^\d+/, '')}` };
    if (fields.length !== names.length) return { line, parseError: `该行有 ${fields.length} 列，表头有 ${names.length} 列` };
    const value: Record<string, unknown> = {};
    names.forEach((name, i) => {
      const v = fields[i]!.trim();
      if (v === '') return;
      value[name] = LIST_FIELDS.has(name) ? v.split(';').map((s) => s.trim()).filter(Boolean) : v;
    });
    return { line, value };
  });
}
