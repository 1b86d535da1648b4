import { isWellFormedCodeId } from './code-id.js';
import { decodeBase32, encodeBase32, packCodeFacts, unpackCodeFacts, type CompactFacts } from './compact.js';
import { canonicalFacts, type CodeFacts } from './facts.js';
import { decodeSignature, KID_RE, SIGNATURE_RE } from './signature.js';

/**
 * The signed code as one URL-safe token — `<code>.<kid>.<signature>`, e.g.
 * `JC-2026-7K3M-9QXT-5.dev-20260408.q1w…` — for places that carry a single string (an inspector's app,
 * an API field). None of the three parts can contain `.`, so splitting is unambiguous, and every
 * character is unreserved in URLs (RFC 3986), so the token needs no escaping.
 */
export interface SignedCode {
  code: string;
  kid: string;
  signature: string;
}

export function encodeSignedCode({ code, kid, signature }: SignedCode): string {
  if (!isWellFormedCodeId(code)) throw new Error(`not a well-formed inspection code id: ${code}`);
  if (!KID_RE.test(kid)) throw new Error(`kid must match ${KID_RE}: ${kid}`);
  if (!decodeSignature(signature)) throw new Error('signature must be canonical base64url (docs/CODE-FORMAT.md)');
  return `${code}.${kid}.${signature}`;
}

/** The three parts, or null when `s` is not a token of this shape (its signature is not checked here). */
export function decodeSignedCode(s: string): SignedCode | null {
  if (typeof s !== 'string') return null;
  const parts = s.trim().split('.');
  if (parts.length !== 3) return null;
  const [code, kid, signature] = parts as [string, string, string];
  if (!isWellFormedCodeId(code) || !KID_RE.test(kid) || !decodeSignature(signature)) return null;
  return { code, kid, signature };
}

/**
 * The public check page an enterprise's phone opens from the QR code:
 * `${publicBaseUrl}/v/${code}?k=${kid}&s=${signature}#m=${message}` (docs/CODE-FORMAT.md §5). A base with a
 * path (https://host/jc) is kept; a trailing slash is dropped so the result never has `//v/`.
 *
 * `m` is the signed message itself (canonicalFacts, base64url): everything an offline verifier needs
 * besides the published key, so the page on a phone without signal, `openssl` or any third party can
 * check the code without asking the server. It rides in the fragment, which browsers never send, so the
 * enterprise's credit code and the window stay out of server and proxy logs.
 */
export function checkUrl(publicBaseUrl: string, code: string, kid: string, signature: string, facts?: CodeFacts): string {
  const base = new URL(publicBaseUrl); // throws on a malformed base instead of printing a dead QR code
  if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new Error(`publicBaseUrl must be http(s): ${publicBaseUrl}`);
  const prefix = `${base.origin}${base.pathname.replace(/\/+$/, '')}`;
  const url = `${prefix}/v/${encodeURIComponent(code)}?${new URLSearchParams({ k: kid, s: signature }).toString()}`;
  return facts ? `${url}#m=${signedMessage(facts)}` : url;
}

/**
 * The URL the printed QR code carries (docs/CODE-FORMAT.md §5, compact form v2):
 * `${base}/v/${code}?k=${kid}&s=${compactSignature}#${packed facts}`, both in base32, so the QR stays at
 * version 10 or lower at level M (the v1 form with `#m=` was 577 characters, version 19, undecodable from a
 * PDF shown on a phone at 100 dpi) and still carries signed facts: a phone that never opened the code
 * online checks it offline with the keys it kept. The packed facts are rebuilt from the stored v1 facts;
 * the fragment keeps them out of server logs. Codes issued before v2 have no compact signature: their QR
 * is the bare `?k=&s=` form, whose facts the check page fetches online.
 */
export function qrCheckUrl(publicBaseUrl: string, code: string, kid: string, signature: string, compact?: { signature: string; facts: CodeFacts }): string {
  if (!compact) return checkUrl(publicBaseUrl, code, kid, signature);
  if (!decodeBase32(compact.signature)) throw new Error('compact signature must be canonical base32 (docs/CODE-FORMAT.md §5)');
  return `${checkUrl(publicBaseUrl, code, kid, compact.signature)}#${encodeBase32(packCodeFacts(compact.facts))}`;
}

/** The signed bytes of `facts` in base64url: the `m` of the QR URL. */
export function signedMessage(facts: CodeFacts): string {
  return Buffer.from(canonicalFacts(facts), 'utf8').toString('base64url');
}

/**
 * What a QR check URL carries (docs/CODE-FORMAT.md §5): `message` (v1, `#m=`) in links sent electronically,
 * `packed` (v2, `#<base32>`, with `signature` then the base32 compact signature) in printed QR codes, neither
 * in QR codes printed before either was added.
 */
export interface ScannedCheckUrl extends SignedCode {
  message?: Buffer;
  packed?: Buffer;
  compactFacts?: CompactFacts;
}

/**
 * The parts of a check URL, or null when it is not one: the code from the path, k and s from the query,
 * and the signed message from the fragment: `m` (v1, base64url) or the packed facts (v2, base32, and then `s`
 * is the compact signature in base32). Every part must be in its encoding's canonical spelling.
 */
export function parseCheckUrl(text: string): ScannedCheckUrl | null {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return null;
  }
  const code = decodeURIComponent(url.pathname.split('/').at(-1) ?? '');
  const kid = url.searchParams.get('k') ?? '';
  const signature = url.searchParams.get('s') ?? '';
  if (!/\/v\/[^/]+$/.test(url.pathname) || !isWellFormedCodeId(code) || !KID_RE.test(kid)) return null;
  const fragment = url.hash.replace(/^#/, '');
  if (/^[A-Z2-7]+$/.test(fragment)) {
    // v2: the packed facts, and `s` is the compact signature in base32.
    const packed = decodeBase32(fragment);
    const compactFacts = packed && unpackCodeFacts(packed);
    if (!packed || !compactFacts || !SIGNATURE_RE.test(signature) || !decodeBase32(signature)) return null;
    return { code, kid, signature, packed, compactFacts };
  }
  if (!decodeSignature(signature)) return null;
  const m = new URLSearchParams(fragment).get('m');
  if (m === null) return { code, kid, signature };
  const message = Buffer.from(m, 'base64url');
  if (!/^[A-Za-z0-9_-]+$/.test(m) || message.toString('base64url') !== m) return null;
  return { code, kid, signature, message };
}
