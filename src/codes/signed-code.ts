import { isWellFormedCodeId } from './code-id.js';
import { canonicalFacts, type CodeFacts } from './facts.js';
import { decodeSignature, KID_RE } from './signature.js';

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
 * The URL the printed QR code carries (docs/CODE-FORMAT.md §5, compact form): the code, the key id and the
 * signature — about 150 characters, a version-9 or 10 QR at level M — without the `#m=` signed message,
 * which alone made the QR 577 characters (version 19, 0.35 mm modules, undecodable from a PDF shown on a
 * phone at 100 dpi). The signed facts are the same v1 message as before; the check page fetches them with
 * the signature from the public check (`signedMessage`), verifies them in the browser, and keeps them for
 * the next visit without signal. Links shared electronically may still carry `#m=` (checkUrl with facts).
 */
export function qrCheckUrl(publicBaseUrl: string, code: string, kid: string, signature: string): string {
  return checkUrl(publicBaseUrl, code, kid, signature);
}

/** The signed bytes of `facts` in base64url: the `m` of the QR URL. */
export function signedMessage(facts: CodeFacts): string {
  return Buffer.from(canonicalFacts(facts), 'utf8').toString('base64url');
}

/** What a QR check URL carries (docs/CODE-FORMAT.md §5); `message` is absent in URLs printed before it was added. */
export interface ScannedCheckUrl extends SignedCode {
  message?: Buffer;
}

/**
 * The parts of a check URL, or null when it is not one: the code from the path, k and s from the query,
 * and the signed message from the fragment's `m`. Every base64url part must be in canonical spelling.
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
  if (!/\/v\/[^/]+$/.test(url.pathname) || !isWellFormedCodeId(code) || !KID_RE.test(kid) || !decodeSignature(signature)) return null;
  const m = new URLSearchParams(url.hash.replace(/^#/, '')).get('m');
  if (m === null) return { code, kid, signature };
  const message = Buffer.from(m, 'base64url');
  if (!/^[A-Za-z0-9_-]+$/.test(m) || message.toString('base64url') !== m) return null;
  return { code, kid, signature, message };
}
