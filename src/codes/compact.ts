import type { CodeFacts } from './facts.js';
// The base-36 width, the base32 and the packed-facts readers are the check page's: one layout, one piece of code.
import { b36Bytes, decodeBase32 as decodeBase32OnPage, unpackCompact } from '../../web/portal/offline-verify.js';

/**
 * The compact signed message (检查码精简签名报文, format v2, docs/CODE-FORMAT.md §5): what the printed QR carries so
 * that a phone which never opened the code online can still check it offline, in a QR of version 10 or lower.
 *
 * The v1 message (canonical JSON, src/codes/facts.ts) is ~350 bytes: with it the QR was version 19 and did
 * not decode from a notice PDF shown at 100 dpi. The verdict at the gate needs far less — is this code
 * genuine, is now inside its window — and the offline card shows only the enterprise (masked), the window,
 * the kind and the numbers of units, matters and officers (the names need the network anyway). So v2 packs
 * exactly those facts into 26 bytes, and binds the code id through the signed bytes instead of repeating
 * it (it is in the URL's path already).
 *
 * Every value is derived from the stored v1 facts, so the printed QR can be rebuilt from the code's row at
 * any time; only the signature over it is stored (inspection_codes.compact_signature).
 */

/** Names the format inside the signed bytes: a v2 signature never passes as a v1 one (which begins with `{`) or another record's. */
export const COMPACT_SCHEMA = 'wuhan-327/inspection-code/v2';
export const COMPACT_FORMAT = 2;

const KINDS = ['routine', 'special', 'case', 'joint'] as const satisfies readonly CodeFacts['kind'][];
const HEADER = 14; // format, kind, 3 counts, 2 × uint32 instants, enterprise length byte
const B36 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const RAW_TEXT = 0x80; // the enterprise length byte's flag: the enterprise is UTF-8 text, not base-36 digits

/** What the compact message vouches for; `validFrom`/`validTo` are whole seconds (the v1 window, rounded inwards). */
export interface CompactFacts {
  kind: CodeFacts['kind'];
  inspectorCount: number;
  agencyCount: number;
  matterCount: number;
  validFrom: string;
  validTo: string;
  enterprise: string;
}

function byteCount(what: string, n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > 255) throw new RangeError(`compact code message: ${what} must be 0–255, is ${n}`);
  return n;
}

function seconds(iso: string, round: 'up' | 'down'): number {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) throw new RangeError(`compact code message: not an instant: ${iso}`);
  const s = round === 'up' ? Math.ceil(ms / 1000) : Math.floor(ms / 1000);
  if (s < 0 || s > 0xffffffff) throw new RangeError(`compact code message: ${iso} is outside 1970–2106`);
  return s;
}

/**
 * The packed facts of `f` (docs/CODE-FORMAT.md §5, v2 layout). The window is rounded inwards — the start up,
 * the end down, to the second — so the compact message never vouches for a moment the v1 facts do not.
 */
export function packCodeFacts(f: CodeFacts): Buffer {
  const kind = KINDS.indexOf(f.kind);
  if (kind < 0) throw new RangeError(`compact code message: unknown kind ${f.kind}`);
  const base36 = /^[0-9A-Z]{1,127}$/.test(f.enterprise);
  const text = Buffer.from(f.enterprise, 'utf8');
  if (!base36 && (text.length === 0 || text.length > 127)) throw new RangeError('compact code message: enterprise must be 1–127 bytes');
  let enterprise: Buffer;
  if (base36) {
    let v = 0n;
    for (const ch of f.enterprise) v = v * 36n + BigInt(B36.indexOf(ch));
    const k = b36Bytes(f.enterprise.length);
    enterprise = Buffer.from(v.toString(16).padStart(2 * k, '0'), 'hex');
  } else {
    enterprise = text;
  }
  const head = Buffer.alloc(HEADER);
  head[0] = COMPACT_FORMAT;
  head[1] = kind;
  head[2] = byteCount('inspectorCount', f.inspectorCount);
  head[3] = byteCount('agencies', f.agencies.length);
  head[4] = byteCount('matters', f.matters.length);
  head.writeUInt32BE(seconds(f.validFrom, 'up'), 5);
  head.writeUInt32BE(seconds(f.validTo, 'down'), 9);
  head[13] = base36 ? f.enterprise.length : RAW_TEXT | text.length;
  return Buffer.concat([head, enterprise]);
}

/**
 * The facts of a packed message, or null unless `packed` is exactly what packCodeFacts writes for some facts
 * (one spelling per fact set: no trailing bytes, base-36 digits below 36^n, text only where digits cannot say it).
 * The reader is the check page's (web/portal/offline-verify.js), so the platform and the phone read one layout
 * with one piece of code, as they share the SM2 arithmetic (sm2.ts).
 */
export function unpackCodeFacts(packed: Uint8Array): CompactFacts | null {
  return unpackCompact(packed) as CompactFacts | null;
}

/**
 * The bytes a v2 signature covers: the schema, the code id and the packed facts —
 * `wuhan-327/inspection-code/v2 LF <code> LF <packed>`. The code is signed but not packed: the URL's path
 * carries it, and a packed message copied under another code's path no longer verifies.
 */
export function compactSignedBytes(code: string, packed: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`${COMPACT_SCHEMA}\n${code}\n`, 'ascii'), packed]);
}

/** The v2 signed bytes of a code's v1 facts. */
export function compactMessageOf(f: CodeFacts): Buffer {
  return compactSignedBytes(f.code, packCodeFacts(f));
}

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * RFC 4648 base32 without padding. Its 32 characters are all in the QR code's alphanumeric mode (5.5 bits a
 * character instead of byte mode's 8), so a signature costs ~12 % fewer modules than in base64url — the
 * margin that keeps an SM2 signature and a long base address at version 10 — and all are unreserved in URLs.
 */
export function encodeBase32(bytes: Uint8Array): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const byte of bytes) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += B32[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out += B32[(acc << (5 - bits)) & 31];
  return out;
}

/** The bytes of canonical base32 (the spelling encodeBase32 writes: no padding, unused bits zero), else null: the check page's reader. */
export function decodeBase32(text: string): Buffer | null {
  const bytes = decodeBase32OnPage(text) as Uint8Array | null;
  return bytes && Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
