import { hash as digest } from 'node:crypto';
import { asc, count, desc, gt, sql, type SQL } from 'drizzle-orm';
import type { Keyring } from '../codes/keyring.js';
import type { Db } from '../db/client.js';
import { auditCheckpoints, auditPending, auditVerifications } from '../db/schema/index.js';
import { canonicalEntryFromIso, canonicalEntryV2 } from './canonical.js';
import { ChainWalker, GENESIS, type AuditProblem, type WalkRow, type WalkStart } from './chain-walk.js';
import { checkpointBytes, verificationBytes, type Checkpoint } from './checkpoint.js';
import type { AuditMacKeys } from './mac.js';
import { effectiveMacFrom, recordedMacFrom } from './format-switch.js';
import { toCheckpoint, type CheckpointWitness } from './sealer.js';

export type { AuditProblem } from './chain-walk.js';

/** Kept for the first problem, as the report named it before it listed them all. */
export type ChainBreak = AuditProblem;

export interface VerifyReport {
  ok: boolean;
  /** full: from the genesis; incremental: from the last verified checkpoint. */
  mode: 'full' | 'incremental';
  /** The chain position verification started after (0 = genesis). */
  startSeq: number;
  /** Chain rows walked without a problem. */
  verified: number;
  /** Entries committed but not chained yet (the sealer's bounded delay). */
  pending: number;
  headSeq: number;
  headHash: string;
  /** Signed checkpoints the chain was compared with. */
  checkpoints: number;
  latestCheckpoint: { seq: number; chainSeq: number; headHash: string; signedAt: string } | null;
  /** Whether append MACs were checked (the server holds the key; an offline verifier may not). */
  macChecked: boolean;
  /** The switch to append MACs the chain was held to: no format-1 row from this position on. */
  macFrom: number;
  problems: AuditProblem[];
  brokenAt?: AuditProblem;
}

export interface VerifyOptions {
  /** Verifies checkpoint signatures and signs the verification record. */
  keyring?: Keyring;
  macKeys?: AuditMacKeys;
  witness?: CheckpointWitness;
  /** Walk from the genesis even when a verified checkpoint exists. */
  full?: boolean;
  now?: Date;
  /** Entries waiting in the queue longer than this are reported (seal_overdue). */
  sealDelayMs?: number;
  /** Chain rows read per query (5,000); tests walk a small chain across several pages. */
  pageSize?: number;
}

type ChainRow = {
  seq: string | number;
  format: number;
  prev_hash: string;
  hash: string;
  sealed_at: string;
  id: string | number | null;
  occurred_at: string | null;
  actor: string;
  role: string;
  action: string;
  subject_type: string;
  subject_id: string;
  agency_code: string | null;
  enterprise_code: string | null;
  district_code: string | null;
  before_state: string | null;
  after_state: string | null;
  payload_hash: string;
  request_id: string | null;
  mac: string | null;
  mac_kid: string | null;
  payload: unknown;
  payload_ok: boolean | null;
};

// Pages amortise round trips, several being in flight. 5,000 rows keep a page query's estimated cost (an index
// lookup per row) at half of jit_above_cost: past it PostgreSQL would compile the query for every page, ~25 ms
// each, a third more database time for the walk.
const PAGE = 5000;
// Pages requested ahead of the one being walked. On PostgreSQL each runs on a pool connection of its own, so
// the database builds the next pages (on the other core) while JavaScript hashes this one; PGlite, a single
// connection, runs them one after another.
const AHEAD = 3;
const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/** The chain rows after a position, the first `limit` of them in seq order. */
const chainAfter = (afterSeq: number, limit: number) => sql`(SELECT * FROM audit_chain WHERE seq > ${afterSeq} ORDER BY seq LIMIT ${limit})`;

/**
 * Chain rows `c` each with its entry `e`. The lateral subquery makes the join one index lookup per row (a hash
 * join would read every entry's id for each page).
 */
const withEntries = (chain: SQL) => sql`${chain} c LEFT JOIN LATERAL (SELECT * FROM audit_entries e WHERE e.id = c.entry_id OFFSET 0) e ON true`;
const pageFrom = (afterSeq: number, limit: number) => withEntries(chainAfter(afterSeq, limit));

/** Does the stored payload still hash to its payload hash (PostgreSQL's own check: jsonb keeps no text). */
const PAYLOAD_OK = `encode(sha256(convert_to(e.payload::text, 'UTF8')), 'hex') = e.payload_hash`;

/**
 * The columns of chain rows and their entries. Timestamps come back as the exact ISO strings that were
 * hashed; the payload is fetched only when the MACs are checked (they cover it).
 */
const columns = (withPayload: boolean) => sql`
    c.seq, c.format, c.prev_hash, c.hash, to_char(c.sealed_at AT TIME ZONE 'UTC', ${sql.raw(ISO)}) AS sealed_at, e.id,
    to_char(e.occurred_at AT TIME ZONE 'UTC', ${sql.raw(ISO)}) AS occurred_at,
    e.actor, e.role, e.action, e.subject_type, e.subject_id, e.agency_code, e.enterprise_code,
    e.district_code, e.before_state, e.after_state, e.payload_hash, e.request_id, e.mac, e.mac_kid,
    ${withPayload ? sql`e.payload` : sql`NULL::jsonb AS payload`}, ${sql.raw(PAYLOAD_OK)} AS payload_ok`;

const rowsOf = <T>(res: unknown) => (res as { rows: T[] }).rows;

/** One page of the chain with every column: the MAC check needs them all. */
async function columnPage(db: Db, afterSeq: number, limit: number, withPayload: boolean): Promise<Page> {
  const rows = rowsOf<ChainRow>(await db.execute(sql`SELECT ${columns(withPayload)} FROM ${pageFrom(afterSeq, limit)} ORDER BY c.seq`));
  return {
    count: rows.length,
    lastSeq: rows.length > 0 ? Number(rows[rows.length - 1]!.seq) : afterSeq,
    async feed(walker, after) {
      for (const r of rows) if (Number(r.seq) > after) walker.push(toWalkRow(r));
    },
  };
}

/** Chain rows at the given positions with their columns: the rows a canonical line did not settle. */
async function rowsAt(db: Db, seqs: number[]): Promise<Map<number, WalkRow>> {
  const res = await db.execute(sql`
    SELECT ${columns(false)}
      FROM audit_chain c LEFT JOIN audit_entries e ON e.id = c.entry_id
     WHERE c.seq = ANY(${`{${seqs.join(',')}}`}::bigint[])`);
  return new Map(rowsOf<ChainRow>(res).map((r) => [Number(r.seq), toWalkRow(r)]));
}

// The canonical lines of src/audit/canonical.ts (canonicalEntryFromIso, canonicalEntryV2) key by key, in their
// order, as PostgreSQL writes them from the stored values with no escaping: each string between quotes, a null
// as null. Where no value needs JSON escaping that is exactly the line canonical.ts writes; where one does,
// the line differs (a raw quote or control character) and does not hash to the row's hash, or holds a
// backslash, and the row is checked from its columns. to_json of 14 strings was a third of PostgreSQL's time.
type Kind = 'text' | 'nullable' | 'number' | 'iso' | 'slot';
/** The unit separator (U+001F), around the parts of a line JavaScript completes. */
const SEP = '\x1f';
const V2_FIELDS: [key: string, column: string, kind: Kind][] = [
  ['action', 'e.action', 'text'],
  ['actor', 'e.actor', 'text'],
  ['afterState', 'e.after_state', 'nullable'],
  ['agencyCode', 'e.agency_code', 'nullable'],
  ['beforeState', 'e.before_state', 'nullable'],
  ['districtCode', 'e.district_code', 'nullable'],
  ['enterpriseCode', 'e.enterprise_code', 'nullable'],
  ['format', 'c.format', 'number'],
  ['id', 'e.id', 'number'],
  ['mac', 'e.mac', 'nullable'],
  ['macKid', 'e.mac_kid', 'nullable'],
  ['occurredAt', 'e.occurred_at', 'iso'],
  ['payloadHash', 'e.payload_hash', 'slot'],
  ['requestId', 'e.request_id', 'nullable'],
  ['role', 'e.role', 'text'],
  ['sealedAt', 'c.sealed_at', 'iso'],
  ['subjectId', 'e.subject_id', 'text'],
  ['subjectType', 'e.subject_type', 'text'],
];
/** Format 1 hashed neither the MAC, its key id, the request id, the format nor the seal time. */
const V1_FIELDS = V2_FIELDS.filter(([key]) => !['format', 'mac', 'macKid', 'requestId', 'sealedAt'].includes(key));
/** A field's value as pieces: literals (in quotes) and expressions; text/nullable/number as stored, times and the payload hash between separators. */
const plainValue = (column: string, kind: Kind): { literal?: string; sql?: string }[] =>
  kind === 'text'
    ? [{ literal: '"' }, { sql: column }, { literal: '"' }]
    : kind === 'nullable'
      ? [{ sql: `coalesce('"' || ${column} || '"', 'null')` }]
      : kind === 'number'
        ? [{ sql: `${column}::text` }]
        : kind === 'iso'
          ? [{ literal: `"${SEP}` }, { sql: `(${column} AT TIME ZONE 'UTC')::text` }, { literal: `${SEP}"` }]
          : [{ literal: `"${SEP}` }, { sql: column }, { literal: `${SEP}"` }];

/**
 * The line as || of its parts, adjacent literals merged (PostgreSQL folds no literal into a chain that starts
 * with a column). Built with ||, so a null where the schema allows none (a NOT NULL dropped) makes the whole
 * line null: the row is checked from its columns, never hashed over a line that left the value out.
 */
const lineSql = (fields: typeof V2_FIELDS) => {
  const pieces = fields.flatMap(([key, column, kind], i) => [{ literal: `${i === 0 ? '{' : ','}"${key}":` }, ...plainValue(column, kind)]);
  pieces.push({ literal: '}' });
  const out: string[] = [];
  let literal = '';
  for (const piece of pieces) {
    if (piece.literal !== undefined) literal += piece.literal;
    else {
      if (literal) out.push(sqlLiteral(literal));
      literal = '';
      out.push(piece.sql!);
    }
  }
  if (literal) out.push(sqlLiteral(literal));
  return concatTree(out);
};
/**
 * `a || b || c || …` as a balanced tree, `((a || b) || (c || d))`: || copies both its operands into a new
 * text, so a chain of 40 parts copies the line built so far 40 times (each byte ~20 times, ~10 KB a row);
 * the tree copies each byte about log2(40) ≈ 5 times. Same result, null included.
 */
const concatTree = (parts: string[]): string => {
  if (parts.length === 1) return parts[0]!;
  const mid = parts.length >> 1;
  return `(${concatTree(parts.slice(0, mid))} || ${concatTree(parts.slice(mid))})`;
};
/** A string constant; the unit separator written as an escape (E''). */
const sqlLiteral = (s: string) => (s.includes(SEP) ? `E'${s.replaceAll("'", "''").replaceAll(SEP, '\\x1f')}'` : `'${s.replaceAll("'", "''")}'`);

/**
 * One record per chain row: `seq format entryId "hash""prevHash"line␟payload`, or the bare `seq` where the row
 * can only be checked from its columns (entry missing, format unknown). Records are joined by line breaks. A
 * stored value may hold a line break: the walk notices (a chunk with more records than rows) and checks that
 * chunk's rows from their columns. The payload comes as its jsonb text (which escapes every control
 * character): JavaScript checks it against the payload hash, which stands in the line between separators
 * (sha256 in PostgreSQL was a sixth of its time).
 */
const RECORD = sql.raw(`c.seq::text || coalesce(${concatTree([
  concatTree([`' '`, 'c.format::text', `' '`, 'e.id::text', `' "'`, 'c.hash', `'""'`, 'c.prev_hash', `'"'`]),
  `CASE c.format WHEN 1 THEN CASE WHEN e.mac IS NULL AND e.mac_kid IS NULL THEN ${lineSql(V1_FIELDS)} END WHEN 2 THEN ${lineSql(V2_FIELDS)} WHEN 3 THEN ${lineSql(V2_FIELDS)} END`,
  `E'\\x1f'`,
  'e.payload::text',
])}, '')`);

// Records are joined in chunks of up to CHUNK positions. One text per page would have PostgreSQL grow a buffer
// of several MiB (fresh memory, page faults) every time; texts of ~130 KB are reused, and in V8 they are still
// large objects that the young generation's collections do not copy.
const CHUNK = 250;

/** Records of the chain rows from `first` to `last` (positions), `n` rows: as the database aggregated them. */
export interface LineChunk {
  n: number;
  first: number;
  last: number;
  records: string;
}

/**
 * Chunks of line records. The chain rows are numbered into chunks and ordered by them before the join, so the
 * chunks are aggregated as the rows come (the sort is of the narrow chain rows, already in order), not after a
 * sort or a hash of the wide joined rows that would spill to disk beyond work_mem. The walk takes them in any order.
 */
export async function lineChunks(db: Db, afterSeq: number, limit: number): Promise<LineChunk[]> {
  const chunked = sql`(SELECT *, seq / ${sql.raw(String(CHUNK))} AS chunk FROM ${chainAfter(afterSeq, limit)} p ORDER BY chunk)`;
  const rows = rowsOf<{ n: string | number; first: string | number; last: string | number; records: string }>(
    await db.execute(sql`
      SELECT count(*) AS n, min(c.seq) AS first, max(c.seq) AS last, string_agg(${RECORD}, E'\\n') AS records
        FROM ${withEntries(chunked)}
       GROUP BY c.chunk`),
  );
  return rows.map((r) => ({ n: Number(r.n), first: Number(r.first), last: Number(r.last), records: r.records }));
}

/**
 * The rows of line chunks after a position, in the order read, as the walk settles them. Index i is one row:
 * `formats[i]` is 0 where it must be checked from its columns, else its line hashed to its stored hash, and
 * `entryIds`, `prevs`, `hashes` hold what the walker needs (the hash as this process computed it).
 * Flat arrays, not an object a row: the walk reads 200,000 rows a second.
 */
interface Settled {
  seqs: number[];
  formats: number[];
  entryIds: number[];
  prevs: string[];
  hashes: string[];
  /** prevHash + line of each settled row ('' for the others): only for lineRecords (tests). */
  inputs: string[] | undefined;
}

/** Digits from `i` as a number where they are 1 to 15 of them (exact) and end at `stop`: else -1. */
function digitsAt(text: string, i: number, stop: number): number {
  let v = 0;
  const start = i;
  for (let c = text.charCodeAt(i); c >= 48 && c <= 57; c = text.charCodeAt(++i)) v = v * 10 + (c - 48);
  return i === stop && i > start && i - start <= 15 ? v : -1;
}

/**
 * Settles the rows of line chunks after position `after`, chunk by chunk in the order given: a row whose
 * record gives a canonical line (settleRecord) that hashes to its stored hash is settled here; every other
 * row is left to its columns. A chunk holding more records than it has rows (a stored line break split one)
 * is not parsed: every position from its first to its last is left to its columns.
 */
function settleChunks(chunks: LineChunk[], after: number, keepInputs: boolean): Settled {
  const s: Settled = { seqs: [], formats: [], entryIds: [], prevs: [], hashes: [], inputs: keepInputs ? [] : undefined };
  const r = new RecordScan();
  for (const chunk of chunks) {
    const { records: text } = chunk;
    let count = 1;
    for (let p = text.indexOf('\n'); p !== -1; p = text.indexOf('\n', p + 1)) count++;
    if (count !== chunk.n) {
      for (let seq = Math.max(chunk.first, after + 1); seq <= chunk.last; seq++) s.seqs.push(seq), s.formats.push(0), s.entryIds.push(0), s.prevs.push(''), s.hashes.push(''), s.inputs?.push('');
      continue;
    }
    r.backslash = text.indexOf('\\');
    for (let p = 0; p <= text.length; ) {
      let end = text.indexOf('\n', p);
      if (end === -1) end = text.length;
      if (r.backslash !== -1 && r.backslash < p) r.backslash = text.indexOf('\\', p);
      // `seq` alone, or `seq format entryId "hash""prevHash"line␟payload`.
      let s1 = text.indexOf(' ', p);
      if (s1 === -1 || s1 > end) s1 = end;
      let seq = digitsAt(text, p, s1);
      if (seq === -1) seq = Number(text.slice(p, s1));
      const from = s1;
      p = end + 1;
      if (!(seq > after)) continue;
      const settled = from < end && r.settle(text, from, end);
      s.seqs.push(seq);
      s.formats.push(settled ? r.format : 0);
      s.entryIds.push(settled ? r.entryId : 0);
      s.prevs.push(settled ? r.prevHash : '');
      s.hashes.push(settled ? r.hash : '');
      s.inputs?.push(settled ? r.input : '');
    }
  }
  return s;
}

/**
 * One record's check, with what it reuses from row to row: the separator positions, the last two times
 * made ISO, and the hash of the row settled before (most rows' prevHash: compared in place, not sliced).
 */
class RecordScan {
  /** The first backslash at or after the record's start (-1: none in the chunk from there). */
  backslash = -1;
  format = 0;
  entryId = 0;
  prevHash = '';
  hash = '';
  input = '';
  readonly #cut = new Int32Array(7);
  #times = ['', ''];
  #isos: (string | undefined)[] = [undefined, undefined];
  #next = 0;

  /**
   * Does the record from `s1` (the space after its position) to `end`, `␠format␠entryId␠"hash""prevHash"line␟payload`,
   * give a canonical line that hashes to its hash? The hash and prevHash stand between quotes at fixed places
   * (64 characters each; the prevHash without a quote), so both are the stored values and the line starts where
   * it does. In the database's line each time stands between two unit separators (U+001F) as PostgreSQL's text
   * of it (cheaper than to_char), made ISO here, and so does the payload hash, which the payload after the last
   * separator must hash to. Any other number of separators means a value holds one, and a backslash before the
   * payload means the line may stand for other values than the stored ones: then false, and the row is checked
   * from its columns. The line is hashed as `prevHash + line`, one flat string built once.
   */
  settle(text: string, s1: number, end: number): boolean {
    const format = text.charCodeAt(s1 + 1) - 48;
    if (!(format >= 1 && format <= 3) || text.charCodeAt(s1 + 2) !== 32) return false;
    const s3 = text.indexOf(' ', s1 + 3);
    if (s3 === -1 || s3 > end) return false;
    const entryId = digitsAt(text, s1 + 3, s3);
    const q = s3 + 1;
    if (entryId === -1 || !(q + 132 < end && text.charCodeAt(q) === 34 && text.charCodeAt(q + 65) === 34 && text.charCodeAt(q + 66) === 34 && text.charCodeAt(q + 131) === 34)) return false;
    const slots = format === 1 ? 5 : 7;
    const cut = this.#cut;
    let n = 0;
    for (let i = text.indexOf(SEP, q + 132); i !== -1 && i < end; i = text.indexOf(SEP, i + 1)) {
      if (n === slots) return false;
      cut[n++] = i;
    }
    if (n !== slots || (this.backslash !== -1 && this.backslash < cut[slots - 1]!)) return false;
    const payloadHash = digest('sha256', text.slice(cut[slots - 1]! + 1, end), 'hex');
    if (text.slice(cut[2]! + 1, cut[3]!) !== payloadHash) return false;
    const occurredAt = this.#iso(text, cut[0]! + 1, cut[1]!);
    if (occurredAt === undefined) return false;
    const last = this.hash;
    let prevHash = text.slice(q + 67, q + 131);
    if (prevHash === last) prevHash = last;
    else if (prevHash.includes('"')) return false;
    let input = prevHash + text.slice(q + 132, cut[0]!) + occurredAt + text.slice(cut[1]! + 1, cut[2]!) + payloadHash + text.slice(cut[3]! + 1, cut[4]!);
    if (format !== 1) {
      const sealedAt = this.#iso(text, cut[4]! + 1, cut[5]!);
      if (sealedAt === undefined) return false;
      input += sealedAt + text.slice(cut[5]! + 1, cut[6]!);
    }
    const hash = digest(format === 3 ? 'sm3' : 'sha256', input, 'hex');
    if (text.slice(q + 1, q + 65) !== hash) return false;
    this.format = format;
    this.entryId = entryId;
    this.prevHash = prevHash;
    this.hash = hash;
    this.input = input;
    return true;
  }

  /** isoOfUtcText of the text from `a` to `b`, remembering its last two answers (the occurred and the sealed time). */
  #iso(text: string, a: number, b: number): string | undefined {
    const t = this.#times;
    const s = text.slice(a, b);
    if (s === t[0]) return this.#isos[0];
    if (s === t[1]) return this.#isos[1];
    const i = this.#next;
    this.#next = 1 - i;
    t[i] = s;
    return (this.#isos[i] = isoOfUtcText(s));
  }
}

const UTC_TEXT = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d{1,6})?$/;

/**
 * PostgreSQL's text of a UTC time (DateStyle ISO: `2026-04-02 01:00:00.1`, the fraction without trailing zeros,
 * to microseconds) as canonical.ts writes it: ISO 8601 with milliseconds, the fraction cut (not rounded), as
 * to_char's MS cuts it. Anything else (another DateStyle, a year past 9999) is undefined: the row is then
 * checked from its columns.
 */
export function isoOfUtcText(t: string): string | undefined {
  if (!UTC_TEXT.test(t)) return undefined;
  const ms = t.length === 19 ? '000' : (t.slice(20) + '00').slice(0, 3);
  return `${t.slice(0, 10)}T${t.slice(11, 19)}.${ms}Z`;
}

/** Indexes of positions in order of position, or undefined where they already are in order. */
function positionOrder(seqs: number[]): number[] | undefined {
  for (let i = 1; i < seqs.length; i++) if (!(seqs[i]! > seqs[i - 1]!)) return seqs.map((_, j) => j).sort((a, b) => seqs[a]! - seqs[b]!);
  return undefined;
}

/**
 * The line records of the rows after `afterSeq` (at most `limit`) as the walk settles them: the database's
 * record where its line hashes to the row's hash, else the record with the line canonical.ts writes from the
 * row's columns, or the bare `seq` of a row that has none: for tests.
 */
export async function lineRecords(db: Db, afterSeq: number, limit = PAGE): Promise<string[]> {
  const s = settleChunks(await lineChunks(db, afterSeq, limit), afterSeq, true);
  const recheck = s.seqs.filter((_, i) => s.formats[i] === 0);
  const columns = recheck.length > 0 ? await rowsAt(db, recheck) : new Map<number, WalkRow>();
  const order = positionOrder(s.seqs) ?? s.seqs.map((_, i) => i);
  return order.map((i) => {
    const seq = s.seqs[i]!;
    const r: RowLine | undefined = s.formats[i] !== 0 ? { format: s.formats[i]!, entryId: s.entryIds[i]!, hash: s.hashes[i]!, prevHash: s.prevs[i]!, line: s.inputs![i]!.slice(s.prevs[i]!.length) } : lineOfRow(columns.get(seq));
    return r ? `${seq} ${r.format} ${r.entryId} ${JSON.stringify(r.hash)}${JSON.stringify(r.prevHash)}${r.line}` : String(seq);
  });
}

/** A row's canonical line, with what the walker needs beside it. */
interface RowLine {
  format: number;
  entryId: number;
  hash: string;
  prevHash: string;
  line: string;
}

/** The canonical line of a row read with its columns (what push() hashes), where it has one. */
function lineOfRow(r: WalkRow | undefined): RowLine | undefined {
  const e = r?.entry;
  if (!r || !e || !e.payloadOk) return undefined;
  const { format } = r;
  const line =
    format === 1 ? (e.mac === null && e.macKid === null ? canonicalEntryFromIso(e, e.occurredAt) : undefined) : format === 2 || format === 3 ? canonicalEntryV2(e, e.occurredAt, r.sealedAt, format) : undefined;
  return line === undefined ? undefined : { format, entryId: e.id, hash: r.hash, prevHash: r.prevHash, line };
}

/**
 * One page as canonical lines that PostgreSQL builds and JavaScript hashes: a few wide texts instead of 22
 * columns a row to parse. The rows no line settles are read again with their columns (feedLineRecords).
 */
async function linePage(db: Db, afterSeq: number, limit: number): Promise<Page> {
  const chunks = await lineChunks(db, afterSeq, limit);
  let count = 0;
  let lastSeq = afterSeq;
  for (const c of chunks) {
    count += c.n;
    lastSeq = Math.max(lastSeq, c.last);
  }
  return { count, lastSeq, feed: (walker, after) => feedLineRecords(walker, after, chunks, (seqs) => rowsAt(db, seqs)) };
}

/**
 * Walks line records (RECORD, in chunks in any order) after position `after`. Each line is hashed here; a row
 * whose line hashes to its stored hash goes to the walker as hashed. Every other row — a value JSON would
 * escape, its entry edited, missing or its payload changed, a stored line break — is read again with its
 * columns (`columnsAt`, for the whole page at once) and checked by push() with JavaScript's own canonical
 * builder. So a difference between the two builders can never raise an alarm, and nothing is ever reported,
 * or passed, on PostgreSQL's word alone: a row passes only where JavaScript found its hash.
 */
export async function feedLineRecords(walker: ChainWalker, after: number, chunks: LineChunk[], columnsAt: (seqs: number[]) => Promise<Map<number, WalkRow>>): Promise<void> {
  const s = settleChunks(chunks, after, false);
  const { seqs, formats } = s;
  const recheck: number[] = [];
  for (let i = 0; i < seqs.length; i++) if (formats[i] === 0) recheck.push(seqs[i]!);
  const columns = recheck.length > 0 ? await columnsAt(recheck) : undefined;
  const order = positionOrder(seqs);
  for (let k = 0; k < seqs.length; k++) {
    const i = order === undefined ? k : order[k]!;
    const seq = seqs[i]!;
    if (formats[i] !== 0) walker.pushHashed(seq, formats[i]!, s.entryIds[i]!, s.prevs[i]!, s.hashes[i]!);
    else {
      const r = columns?.get(seq);
      // Gone since the page was read (only a deletion does that): the next row shows the gap.
      if (r) walker.push(r);
    }
  }
}

export interface Page {
  /** Rows read: fewer than the page size means the chain ends in this page. */
  count: number;
  /** Its last position (the position it was requested after, when empty). */
  lastSeq: number;
  /** Gives the walker the page's rows after `after`, in order (a page may overlap the one before). */
  feed(walker: ChainWalker, after: number): Promise<void>;
}

/**
 * Walks the chain after `startSeq` with `ahead` pages in flight. A page is the first `pageSize` rows after a
 * position. The next one is requested after the previous request's position plus `pageSize`, which is at most
 * the last position of that page (it holds `pageSize` distinct positions beyond it), or after the last position
 * already read when that is further: no row is ever skipped, rows two pages share are walked once, and a
 * stretch of missing positions costs no more than `ahead` requests. Requests stop at `maxSeq`, the head when
 * the walk began; rows sealed since are for the next verification.
 */
export async function walkPages(walker: ChainWalker, startSeq: number, maxSeq: number, pageSize: number, ahead: number, fetch: (afterSeq: number) => Promise<Page>): Promise<void> {
  const queue: Promise<Page>[] = [];
  let from = startSeq;
  const request = () => {
    const page = fetch(from);
    // Awaited in its turn; should it fail before then, that is not an unhandled rejection.
    page.catch(() => {});
    queue.push(page);
    from += pageSize;
  };
  while (queue.length < ahead && from < maxSeq) request();
  let walked = startSeq;
  try {
    while (queue.length > 0) {
      const page = await queue.shift()!;
      const full = page.count >= pageSize;
      if (full) {
        from = Math.max(from, page.lastSeq);
        if (from < maxSeq) request();
      }
      await page.feed(walker, walked);
      walked = Math.max(walked, page.lastSeq);
      if (!full) break;
    }
  } finally {
    await Promise.allSettled(queue);
  }
}

export function toWalkRow(r: ChainRow): WalkRow {
  return {
    seq: Number(r.seq),
    format: Number(r.format),
    prevHash: r.prev_hash,
    hash: r.hash,
    sealedAt: r.sealed_at,
    entry:
      r.id === null || r.occurred_at === null
        ? null
        : {
            id: Number(r.id),
            occurredAt: r.occurred_at,
            actor: r.actor,
            role: r.role,
            action: r.action,
            subjectType: r.subject_type,
            subjectId: r.subject_id,
            agencyCode: r.agency_code,
            enterpriseCode: r.enterprise_code,
            districtCode: r.district_code,
            beforeState: r.before_state,
            afterState: r.after_state,
            payloadHash: r.payload_hash,
            requestId: r.request_id,
            mac: r.mac,
            macKid: r.mac_kid,
            payloadOk: r.payload_ok === true,
            payload: typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload,
          },
  };
}

async function hashAt(db: Db, seq: number): Promise<string | undefined> {
  const res = await db.execute<{ hash: string }>(sql`SELECT hash FROM audit_chain WHERE seq = ${seq}`);
  return (res as unknown as { rows: { hash: string }[] }).rows[0]?.hash;
}

/** The newest verification record whose signature holds: the position and head hash it verified. */
async function lastVerified(db: Db, keyring: Keyring): Promise<{ chainSeq: number; headHash: string } | undefined> {
  const rows = await db.select().from(auditVerifications).orderBy(desc(auditVerifications.id)).limit(20);
  // Records from before position and hash were signed (null) carry no position to start from: never trusted.
  const genuine = rows.find(
    (v) =>
      v.chainSeq !== null &&
      v.headHash !== null &&
      keyring.verifyBytes(verificationBytes({ checkpointSeq: v.checkpointSeq, chainSeq: v.chainSeq, headHash: v.headHash, verifiedAt: v.verifiedAt.toISOString(), kid: v.kid }), v.kid, v.signature),
  );
  return genuine ? { chainSeq: genuine.chainSeq!, headHash: genuine.headHash! } : undefined;
}

/**
 * Walks the chain in order, recomputes every hash, checks every append MAC, compares the chain with the
 * signed checkpoints (and this process's own memory of the newest), and looks for entries that never
 * reached the chain. Every problem is reported by position. A routine (incremental) run starts from the
 * last verified checkpoint, so it costs the new entries only; `full` walks everything. Without MAC keys the
 * rows are hashed over canonical lines the database writes (feedLineRecords), with MAC keys from their columns.
 */
export async function verifyChain(db: Db, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const problems: AuditProblem[] = [];
  // The checkpoints: signatures checked, numbering checked for holes.
  const stored = (await db.select().from(auditCheckpoints).orderBy(asc(auditCheckpoints.seq))).map(toCheckpoint);
  const valid: Checkpoint[] = [];
  let expectedCp = 1;
  for (const c of stored) {
    if (c.seq !== expectedCp) {
      problems.push({ reason: 'checkpoint_missing', seq: null, entryId: null, checkpointSeq: expectedCp, detail: `签名检查点第 ${expectedCp} 至 ${c.seq - 1} 号缺失` });
    }
    expectedCp = c.seq + 1;
    if (opts.keyring && !opts.keyring.verifyBytes(checkpointBytes(c), c.kid, c.signature)) {
      problems.push({ reason: 'checkpoint_invalid', seq: c.chainSeq, entryId: null, checkpointSeq: c.seq, detail: `第 ${c.seq} 号签名检查点的签名无效` });
      continue;
    }
    valid.push(c);
  }
  // Checkpoints are one line of positions: a later number never vouches for an earlier position, nor for the
  // same position with another hash (the log was cut back and signed again).
  for (let i = 1; i < valid.length; i++) {
    const [a, b] = [valid[i - 1]!, valid[i]!];
    if (b.chainSeq < a.chainSeq || (b.chainSeq === a.chainSeq && b.headHash !== a.headHash)) {
      problems.push({ reason: 'checkpoint_conflict', seq: b.chainSeq, entryId: null, checkpointSeq: b.seq, detail: `第 ${b.seq} 号签名检查点记载的链位置（第 ${b.chainSeq} 条）不在第 ${a.seq} 号（第 ${a.chainSeq} 条）之后：日志曾被回退后重新签发` });
    }
  }
  // The checkpoint this process keeps (outside the database), compared by position and head hash, not number.
  const witnessed = opts.witness?.latest;
  if (witnessed) {
    const same = stored.find((c) => c.seq === witnessed.seq);
    if (!same) {
      problems.push({ reason: 'checkpoint_missing', seq: null, entryId: null, checkpointSeq: witnessed.seq, detail: `本系统签发的第 ${witnessed.seq} 号签名检查点已从数据库中删除` });
      if (witnessed.seq >= expectedCp) {
        // The stored ones end early: the deleted tail of checkpoints.
        problems.push({ reason: 'checkpoint_missing', seq: null, entryId: null, checkpointSeq: expectedCp, detail: `签名检查点第 ${expectedCp} 至 ${witnessed.seq} 号缺失` });
      }
      valid.push(witnessed);
    } else if (same.chainSeq !== witnessed.chainSeq || same.headHash !== witnessed.headHash) {
      problems.push({
        reason: 'checkpoint_conflict',
        seq: same.chainSeq,
        entryId: null,
        checkpointSeq: witnessed.seq,
        detail: `第 ${witnessed.seq} 号签名检查点被重新签发：本系统留存的记载第 ${witnessed.chainSeq} 条，数据库中的记载第 ${same.chainSeq} 条（哈希${same.headHash === witnessed.headHash ? '相同' : '不同'}）`,
      });
      valid.push(witnessed);
    }
  }
  // The switch to MACs: the recorded one, or an earlier one a genuine checkpoint signed.
  const macFrom = effectiveMacFrom(await recordedMacFrom(db), valid.map((c) => c.macFrom));

  // Where to start: after the last verified position, when it still holds the hash verified there.
  let start: WalkStart = GENESIS;
  let mode: VerifyReport['mode'] = 'full';
  if (!opts.full && opts.keyring) {
    const last = await lastVerified(db, opts.keyring);
    if (last && (await hashAt(db, last.chainSeq)) === last.headHash) {
      start = { seq: last.chainSeq, hash: last.headHash };
      mode = 'incremental';
    }
  }

  const walker = new ChainWalker(start, valid, opts.macKeys, macFrom);
  for (const p of problems) walker.report(p);
  const withPayload = opts.macKeys !== undefined;
  // Entries that never reached the chain: a query of its own, run beside the walk (reported after it).
  const notChained = unchained(db, opts.now ?? new Date(), opts.sealDelayMs ?? 60_000);
  notChained.catch(() => {});
  // The head, read after the checkpoints: none of them can lie beyond it.
  const [head] = rowsOf<{ seq: string | number | null }>(await db.execute(sql`SELECT max(seq) AS seq FROM audit_chain`));
  const maxSeq = head?.seq == null ? start.seq : Number(head.seq);
  // Without MAC keys only the hash needs an entry's columns, and a canonical line does for them; the MAC
  // is checked here from the columns and the payload, under a key the database never holds.
  const pageSize = Math.max(1, Math.trunc(opts.pageSize ?? PAGE));
  await walkPages(walker, start.seq, maxSeq, pageSize, AHEAD, withPayload ? (after) => columnPage(db, after, pageSize, true) : (after) => linePage(db, after, pageSize));
  const { headSeq, headHash } = walker.finish();

  for (const p of await notChained) walker.report(p);
  const [p] = await db.select({ n: count() }).from(auditPending);
  const latest = valid.filter((c) => c.chainSeq <= headSeq).sort((a, b) => b.seq - a.seq)[0];
  const report: VerifyReport = {
    ok: walker.problems.length === 0,
    mode,
    startSeq: start.seq,
    verified: walker.verified,
    pending: Number(p?.n ?? 0),
    headSeq,
    headHash,
    checkpoints: valid.filter((c) => c.chainSeq > start.seq).length,
    latestCheckpoint: latest ? { seq: latest.seq, chainSeq: latest.chainSeq, headHash: latest.headHash, signedAt: latest.signedAt } : null,
    macChecked: withPayload,
    macFrom,
    problems: walker.problems,
    ...(walker.problems[0] ? { brokenAt: walker.problems[0] } : {}),
  };
  if (report.ok && latest && opts.keyring && latest.chainSeq > start.seq) await recordVerification(db, opts.keyring, latest, opts.now ?? new Date());
  return report;
}

/** Signs "the chain up to this checkpoint's position, with its head hash, verified" (position and hash, not only the number). */
async function recordVerification(db: Db, keyring: Keyring, cp: Checkpoint, at: Date): Promise<void> {
  const body = { checkpointSeq: cp.seq, chainSeq: cp.chainSeq, headHash: cp.headHash, verifiedAt: at.toISOString(), kid: keyring.activeKid };
  const { kid, signature } = keyring.signBytes(verificationBytes(body));
  await db.insert(auditVerifications).values({ checkpointSeq: cp.seq, chainSeq: cp.chainSeq, headHash: cp.headHash, verifiedAt: at, kid, signature });
}

/**
 * Entries that never reached the chain: taken out of the sealer's queue (neither chained nor queued), or
 * waiting in it past the sealing delay. An anti-join over the entries, done by the database.
 */
async function unchained(db: Db, now: Date, sealDelayMs: number): Promise<AuditProblem[]> {
  // A merge of the two id indexes; left to itself PostgreSQL picks a parallel hash anti-join, three
  // processes (about four times the CPU) for the same answer, beside the walk's own queries.
  const res = await db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL max_parallel_workers_per_gather = 0`);
    return tx.execute<{ id: string | number; queued: boolean; occurred_at: string }>(sql`
    SELECT e.id, p.entry_id IS NOT NULL AS queued, to_char(e.occurred_at AT TIME ZONE 'UTC', ${sql.raw(ISO)}) AS occurred_at
      FROM audit_entries e
      LEFT JOIN audit_chain c ON c.entry_id = e.id
      LEFT JOIN audit_pending p ON p.entry_id = e.id
     WHERE c.entry_id IS NULL
       AND (p.entry_id IS NULL OR e.occurred_at < ${new Date(now.getTime() - sealDelayMs).toISOString()})
     ORDER BY e.id
     LIMIT 200`);
  });
  return (res as unknown as { rows: { id: string | number; queued: boolean; occurred_at: string }[] }).rows.map((r) => {
    const id = Number(r.id);
    return r.queued
      ? { reason: 'seal_overdue' as const, seq: null, entryId: id, detail: `记录编号 ${id}（${r.occurred_at}）超过封链时限仍未入链` }
      : { reason: 'unchained' as const, seq: null, entryId: id, detail: `记录编号 ${id}（${r.occurred_at}）既未入链也不在待封链队列中：已被移出队列` };
  });
}

/** Checkpoints after `after`, oldest first, for the well-known list. */
export async function listCheckpoints(db: Db, after: number, limit: number): Promise<Checkpoint[]> {
  const rows = await db.select().from(auditCheckpoints).where(gt(auditCheckpoints.seq, after)).orderBy(asc(auditCheckpoints.seq)).limit(limit);
  return rows.map(toCheckpoint);
}
