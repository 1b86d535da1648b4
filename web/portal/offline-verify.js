/**
 * The check of a QR code in the browser, without the server (docs/CODE-FORMAT.md §4–§7): the QR's URL
 * carries the signed message (`#m=`), and the key set fetched on an earlier visit is kept in
 * localStorage, so an enterprise at its gate with no signal still learns whether the code is genuine.
 * WebCrypto verifies Ed25519; it has no SM2, so an SM2-SM3 code is reported as not checkable offline.
 */
export const KEYS_STORE = 'wh327-inspection-keys';
/** Signed messages fetched for compact QR codes (no `#m=`), by code, so a later visit without signal can check them. */
export const MESSAGES_STORE = 'wh327-signed-messages';
const SCHEMA = 'wuhan-327/inspection-code/v1';

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

/**
 * The verdict on the page's own URL (`/v/<code>?k=&s=#m=`) under `keySet`:
 * valid | forged | refused (not canonical) | no_message | no_keys | unknown_key | sm2_offline,
 * with the facts read from the message once its signature verified.
 */
export async function verifyLocation(loc, keySet) {
  const code = decodeURIComponent(loc.pathname.split('/').at(-1) ?? '');
  const query = new URLSearchParams(loc.search);
  const kid = query.get('k');
  const sigText = query.get('s');
  const fromQr = new URLSearchParams(loc.hash.replace(/^#/, '')).get('m');
  if (!kid || !sigText) return { verdict: 'no_message', code };
  // A compact QR carries no message: fetch it (or use the copy kept from an earlier visit) and verify it alike.
  const messageText = fromQr ?? (await signedMessageFor(code, kid, sigText));
  if (messageText === null) return { verdict: 'no_message', code, compact: true };
  const signature = decodeBase64url(sigText);
  const message = decodeBase64url(messageText);
  if (!signature || !message) return { verdict: 'refused', code };
  if (!keySet?.keys?.length) return { verdict: 'no_keys', code };
  const entry = keySet.keys.find((k) => k.kid === kid);
  if (!entry) return { verdict: 'unknown_key', code };
  const alg = entry.alg ?? 'Ed25519';
  if (alg === 'SM2-SM3') return { verdict: 'sm2_offline', code };
  if (alg !== 'Ed25519' || entry.jwk?.kty !== 'OKP' || entry.jwk?.crv !== 'Ed25519') return { verdict: 'forged', code };
  let genuine = false;
  try {
    const key = await crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: entry.jwk.x }, { name: 'Ed25519' }, false, ['verify']);
    genuine = signature.length === 64 && (await crypto.subtle.verify({ name: 'Ed25519' }, key, signature, message));
  } catch {
    genuine = false;
  }
  if (!genuine) return { verdict: 'forged', code };
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
