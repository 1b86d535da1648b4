/**
 * The check of a QR code in the browser, without the server (docs/CODE-FORMAT.md §4–§7): the QR's URL
 * carries signed facts — the printed QR the packed v2 message (`#<base32>`, src/codes/compact.ts), a link
 * sent electronically the v1 message (`#m=`) — and the key set fetched on an earlier visit is kept in
 * localStorage, so an enterprise at its gate with no signal still learns whether the code is genuine, even
 * for a code this phone never opened online. WebCrypto verifies Ed25519; SM2-SM3, which WebCrypto lacks, is
 * verified by the page's own code (sm2-verify.js).
 */
import { sm2Verify } from './sm2-verify.js';

export const KEYS_STORE = 'wh327-inspection-keys';
/** Signed messages fetched for compact QR codes (no `#m=`), by code, so a later visit without signal can check them. */
export const MESSAGES_STORE = 'wh327-signed-messages';
const SCHEMA = 'wuhan-327/inspection-code/v1';
const COMPACT_SCHEMA = 'wuhan-327/inspection-code/v2';

/** The bytes of canonical base64url (no padding, unused bits zero), or null for any other spelling. */
export function decodeBase64url(text) {
  if (typeof text !== 'string' || !/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  let b64 = text.replaceAll('-', '+').replaceAll('_', '/');
  while (b64.length % 4) b64 += '=';
  let binary;
  try {
    binary = atob(b64);
  } catch {
    return null;
  }
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return encodeBase64url(bytes) === text ? bytes : null;
}

export function encodeBase64url(bytes) {
  return btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** The bytes of canonical base32 (RFC 4648, no padding, unused bits zero), or null for any other spelling. */
export function decodeBase32(text) {
  if (typeof text !== 'string' || !/^[A-Z2-7]*$/.test(text) || [1, 3, 6].includes(text.length % 8)) return null;
  const out = [];
  let acc = 0;
  let bits = 0;
  for (const ch of text) {
    acc = (acc << 5) | B32.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      out.push((acc >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
    acc &= (1 << bits) - 1;
  }
  return acc === 0 ? Uint8Array.from(out) : null;
}

const KINDS = ['routine', 'special', 'case', 'joint'];
const B36 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Bytes of a base-36 number of n digits: the smallest k with 256^k ≥ 36^n. */
export function b36Bytes(n) {
  let max = 36n ** BigInt(n) - 1n;
  let k = 0;
  while (max > 0n) {
    max >>= 8n;
    k++;
  }
  return k;
}

/**
 * The facts of a packed v2 message (docs/CODE-FORMAT.md §5, the layout src/codes/compact.ts writes), or null
 * unless the bytes are exactly that layout's one spelling.
 */
export function unpackCompact(b) {
  if (b.length < 15 || b[0] !== 2 || b[1] >= KINDS.length) return null;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const raw = (b[13] & 0x80) !== 0;
  const n = b[13] & 0x7f;
  const body = b.subarray(14);
  let enterprise = '';
  if (raw) {
    if (n === 0 || body.length !== n) return null;
    try {
      enterprise = new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      return null;
    }
    if (/^[0-9A-Z]+$/.test(enterprise)) return null;
  } else {
    if (n === 0 || body.length !== b36Bytes(n)) return null;
    let v = BigInt(`0x${Array.from(body, (x) => x.toString(16).padStart(2, '0')).join('')}`);
    if (v >= 36n ** BigInt(n)) return null;
    for (let i = 0; i < n; i++) {
      enterprise = B36[Number(v % 36n)] + enterprise;
      v /= 36n;
    }
  }
  return {
    kind: KINDS[b[1]],
    inspectorCount: b[2],
    agencyCount: b[3],
    matterCount: b[4],
    validFrom: new Date(view.getUint32(5) * 1000).toISOString(),
    validTo: new Date(view.getUint32(9) * 1000).toISOString(),
    enterprise,
  };
}

/** The key set saved on the last visit online: { fetchedAt, keys } or null. */
export function cachedKeys() {
  try {
    const saved = JSON.parse(localStorage.getItem(KEYS_STORE) ?? 'null');
    return saved && Array.isArray(saved.keys) ? saved : null;
  } catch {
    return null;
  }
}

/** Keeps a key set the page carried (the server's /v/ page embeds the published keys); answers the saved set. */
export function keepKeys(keys) {
  const saved = { fetchedAt: new Date().toISOString(), keys };
  try {
    localStorage.setItem(KEYS_STORE, JSON.stringify(saved));
  } catch {
    // storage full or disabled: this visit still verifies with the keys it carries
  }
  return saved;
}

/** Fetches the published keys and keeps them; resolves to the saved set, the fresh one when online. */
export async function refreshKeys() {
  try {
    const res = await fetch('/.well-known/inspection-keys', { cache: 'no-store' });
    if (!res.ok) return cachedKeys();
    const saved = { fetchedAt: new Date().toISOString(), keys: (await res.json()).keys };
    localStorage.setItem(KEYS_STORE, JSON.stringify(saved));
    return saved;
  } catch {
    return cachedKeys(); // offline: what the last visit saved
  }
}

function savedMessages() {
  try {
    const saved = JSON.parse(localStorage.getItem(MESSAGES_STORE) ?? '{}');
    return saved && typeof saved === 'object' ? saved : {};
  } catch {
    return {};
  }
}

/**
 * The signed message of a compact QR code (docs/CODE-FORMAT.md §5: `/v/<code>?k=&s=` without `#m=`): online
 * from the public check, which returns it to whoever presents the signature once the window has opened; then
 * kept, so the next visit without signal can still check it. The server's answer is not trusted: the bytes
 * are verified against the key set like a message read from the QR. Null when neither source has it.
 */
export async function signedMessageFor(code, kid, sig) {
  const key = `${code}.${kid}.${sig}`;
  if (navigator.onLine) {
    try {
      const res = await fetch(`/api/v1/codes/${encodeURIComponent(code)}?${new URLSearchParams({ k: kid, s: sig })}`, { cache: 'no-store' });
      const m = res.ok ? (await res.json()).signedMessage : undefined;
      if (typeof m === 'string') {
        // A handful of recent codes is all a phone needs; the oldest go first.
        const saved = Object.entries(savedMessages()).filter(([k]) => k !== key).slice(-19);
        localStorage.setItem(MESSAGES_STORE, JSON.stringify(Object.fromEntries([...saved, [key, m]])));
        return m;
      }
    } catch {
      // offline after all: fall through to what was kept
    }
  }
  const kept = savedMessages()[key];
  return typeof kept === 'string' ? kept : null;
}

/** The entry of `kid` usable for an offline check, or the verdict that says why there is none. */
function keyEntry(keySet, kid) {
  if (!keySet?.keys?.length) return { verdict: 'no_keys' };
  const entry = keySet.keys.find((k) => k.kid === kid);
  if (!entry) return { verdict: 'unknown_key' };
  const alg = entry.alg ?? 'Ed25519';
  // Only under the algorithm the entry names: a signature made under one is never tried under the other.
  if (alg === 'Ed25519' && entry.jwk?.kty === 'OKP' && entry.jwk?.crv === 'Ed25519') return { entry };
  if (alg === 'SM2-SM3' && entry.jwk?.kty === 'EC' && entry.jwk?.crv === 'SM2') return { entry };
  return { verdict: 'forged' };
}

/** True only for a genuine signature of `message` under the entry's key, by its algorithm; never throws. */
async function verifies(entry, signature, message) {
  if ((entry.alg ?? 'Ed25519') === 'SM2-SM3') {
    const x = decodeBase64url(entry.jwk.x ?? '');
    const y = decodeBase64url(entry.jwk.y ?? '');
    return Boolean(x && y) && sm2Verify(x, y, message, signature);
  }
  try {
    const key = await crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: entry.jwk.x }, { name: 'Ed25519' }, false, ['verify']);
    return signature.length === 64 && (await crypto.subtle.verify({ name: 'Ed25519' }, key, signature, message));
  } catch {
    return false;
  }
}

/**
 * The printed QR (v2): `s` is the compact signature and the fragment the packed facts, both base32. The signed
 * bytes are `wuhan-327/inspection-code/v2 LF <code> LF <packed>`: the code comes from the page's own path, so
 * packed facts copied under another code do not verify. Nothing is fetched: a code never opened before checks.
 */
async function verifyCompact(code, kid, sigText, fragment, keySet) {
  const signature = decodeBase32(sigText);
  const packed = decodeBase32(fragment);
  const facts = packed && unpackCompact(packed);
  if (!signature || !facts) return { verdict: 'refused', code };
  const { entry, verdict } = keyEntry(keySet, kid);
  if (!entry) return { verdict, code };
  const prefix = new TextEncoder().encode(`${COMPACT_SCHEMA}\n${code}\n`);
  const message = new Uint8Array(prefix.length + packed.length);
  message.set(prefix);
  message.set(packed, prefix.length);
  if (!(await verifies(entry, signature, message))) return { verdict: 'forged', code };
  return { verdict: 'valid', code, facts, keyStatus: entry.status, compactFormat: true };
}

/**
 * The verdict on the page's own URL (`/v/<code>?k=&s=#<packed>` printed, `#m=<message>` sent electronically,
 * or neither in QR codes printed before v2) under `keySet`:
 * valid | forged | refused (not canonical) | no_message | no_keys | unknown_key,
 * with the facts read from the message once its signature verified (v2 facts carry counts, not lists).
 */
export async function verifyLocation(loc, keySet) {
  const code = decodeURIComponent(loc.pathname.split('/').at(-1) ?? '');
  const query = new URLSearchParams(loc.search);
  const kid = query.get('k');
  const sigText = query.get('s');
  const fragment = loc.hash.replace(/^#/, '');
  if (!kid || !sigText) return { verdict: 'no_message', code };
  if (/^[A-Z2-7]+$/.test(fragment)) return verifyCompact(code, kid, sigText, fragment, keySet);
  const fromQr = new URLSearchParams(fragment).get('m');
  // A QR printed before v2 carries no message: fetch it (or use the copy kept from an earlier visit) and verify it alike.
  const messageText = fromQr ?? (await signedMessageFor(code, kid, sigText));
  if (messageText === null) return { verdict: 'no_message', code, compact: true };
  const signature = decodeBase64url(sigText);
  const message = decodeBase64url(messageText);
  if (!signature || !message) return { verdict: 'refused', code };
  const { entry, verdict } = keyEntry(keySet, kid);
  if (!entry) return { verdict, code };
  if (!(await verifies(entry, signature, message))) return { verdict: 'forged', code };
  let facts;
  try {
    facts = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(message));
  } catch {
    return { verdict: 'forged', code };
  }
  // A genuine message about another code, or not a code message at all, vouches for nothing here.
  if (facts?.schema !== SCHEMA || facts.code !== code) return { verdict: 'forged', code };
  return { verdict: 'valid', code, facts, keyStatus: entry.status };
}
