import { ApiError } from '/assets/ui.js';

/**
 * "这次检查是否经过授权？" in one tap (Art. 17, 18): the public check of the code (with the QR's signature
 * when there is one), then the enterprise's own scan, which the engine records and checks against the
 * registered enterprise and time. A forged or unknown code is not scanned: there is nothing genuine to
 * record it against.
 */
export const TOKEN_KEY = 'wh327.portal.token';

/** A code from what the enterprise has: a /v/ link, the signed token `<code>.<kid>.<sig>`, or the bare code. */
export function parseCodeInput(text) {
  const s = String(text ?? '').trim();
  if (!s) return null;
  try {
    const url = new URL(s);
    const m = /\/v\/([A-Za-z0-9-]+)/.exec(url.pathname);
    if (m) return { code: m[1].toUpperCase(), k: url.searchParams.get('k') ?? undefined, s: url.searchParams.get('s') ?? undefined };
  } catch {
    /* not a URL */
  }
  const parts = s.split('.');
  if (parts.length === 3 && /^[A-Za-z0-9-]+$/.test(parts[0])) return { code: parts[0].toUpperCase(), k: parts[1], s: parts[2] };
  return /^[A-Za-z0-9-]{4,40}$/.test(s) ? { code: s.toUpperCase() } : null;
}

export async function verifyVisit(api, { code, k, s }) {
  const q = new URLSearchParams();
  if (k) q.set('k', k);
  if (s) q.set('s', s);
  const check = await api(`/api/v1/codes/${encodeURIComponent(code)}${q.toString() ? `?${q}` : ''}`);
  if (check.status === 'forged' || check.status === 'unknown') {
    return { authorised: false, headline: '未经授权', reason: check.statusZh, advice: '请勿接受检查，可向司法行政部门报告（第四十条）。', check };
  }
  try {
    const scan = await api(`/api/v1/codes/${encodeURIComponent(code)}/scan`, { method: 'POST', body: {} });
    return { authorised: scan.accepted, headline: '已授权', reason: `${check.statusZh}。本次扫码已登记。`, check, scan };
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    const p = err.problem;
    return {
      authorised: false,
      headline: '未经授权',
      reason: p.detail ?? check.statusZh,
      article: p.article,
      rule: p.code,
      advice: '可拒绝检查，并向司法行政部门报告（第四十条）。',
      check,
    };
  }
}
