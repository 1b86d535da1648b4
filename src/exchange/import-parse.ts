/**
 * Reading an import batch (批量报送) into raw rows: NDJSON (one JSON object a line) or CSV (RFC 4180, a
 * header line naming the fields; `matterCodes` separated by `;`). Parsing never throws on a bad line:
 * the line becomes a row with a parse error, reported like any other refused row.
 */
export type RawRow = { line: number; value: Record<string, unknown> } | { line: number; parseError: string };

export const MAX_BATCH_ROWS = 5000;

export function parseNdjson(text: string): RawRow[] {
  const rows: RawRow[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        const value: unknown = JSON.parse(line);
        if (value && typeof value === 'object' && !Array.isArray(value)) rows.push({ line: i + 1, value: value as Record<string, unknown> });
        else rows.push({ line: i + 1, parseError: '每行应为一个对象' });
      } catch {
        rows.push({ line: i + 1, parseError: '该行不是有效的数据格式' });
      }
    });
  return rows;
}

/** Splits CSV text into records of fields, honouring quotes (a quoted field may hold commas, quotes and line breaks). */
function csvRecords(text: string): { line: number; fields: string[] }[] {
  const out: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let startLine = 1;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) out.push({ line: startLine, fields });
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

export function parseCsv(text: string): RawRow[] {
  const records = csvRecords(text.replace(/^\uFEFF/, ''));
  const header = records.shift();
  if (!header) return [];
  const names = header.fields.map((f) => f.trim());
  return records.map(({ line, fields }) => {
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
