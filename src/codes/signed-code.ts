import { isWellFormedCodeId } from './code-id.js';
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
 * `${publicBaseUrl}/v/${code}?k=${kid}&s=${signature}`. A base with a path (https://host/jc) is kept;
 * a trailing slash is dropped so the result never has `//v/`.
 */
export function checkUrl(publicBaseUrl: string, code: string, kid: string, signature: string): string {
  const base = new URL(publicBaseUrl); // throws on a malformed base instead of printing a dead QR code
  if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new Error(`publicBaseUrl must be http(s): ${publicBaseUrl}`);
  const prefix = `${base.origin}${base.pathname.replace(/\/+$/, '')}`;
  return `${prefix}/v/${encodeURIComponent(code)}?${new URLSearchParams({ k: kid, s: signature }).toString()}`;
}
