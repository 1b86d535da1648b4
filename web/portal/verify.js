import { ApiError } from '/assets/ui.js';
import { tokenKey } from '/shared/session.js';

/**
 * "这次检查是否经过授权？" in one tap (Art. 17, 18): the public check of the code (with the QR's signature
 * when there is one), then the enterprise's own scan, which the engine records and checks against the
 * registered enterprise and time. A forged or unknown code is not scanned: there is nothing genuine to
 * record it against.
 */
/** The portal's key in the shared session (web/shared/session.js), read by the check page too. */
export const TOKEN_KEY = tokenKey('portal');

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

/**
 * What a visit without a valid code leaves the enterprise to do. The Order gives no right to refuse an
 * inspection for want of a code; the right to refuse when no enforcement certificate is shown comes from
 * 《行政处罚法》第五十五条. So: verify, and report (Art. 40).
 */
export const NO_CODE_ADVICE =
  '请核验检查人员的执法证件和行政检查通知书，并可向司法行政部门报告（第四十条）。检查人员不出示执法证件的，企业有权拒绝接受检查（《中华人民共和国行政处罚法》第五十五条）。';

/**
 * An on-site case inspection needs no code (Art. 17 covers routine and special inspections): when the agency
 * recorded one at this enterprise for now, the answer says so, with its lead kind — never who lodged it.
 */
async function recordedCaseAnswer(api, check) {
  let cases = [];
  try {
    cases = await api('/api/v1/case-visits');
  } catch {
    return null; // the answer about the code stands on its own
  }
  if (!cases.length) return null;
  const c = cases[0];
  return {
    authorised: true,
    caseVisit: c,
    headline: '已登记的个案检查',
    reason: `${c.agencyName ?? c.agencyCode}此时在本企业有已登记的现场个案检查（线索来源：${c.leadKindZh ?? '未载明'}）。个案检查不适用检查码（第十七条规定的是日常检查和专项检查）；请核验检查人员的执法证件。`,
    check,
  };
}

export async function verifyVisit(api, { code, k, s }) {
  const q = new URLSearchParams();
  if (k) q.set('k', k);
  if (s) q.set('s', s);
  const check = await api(`/api/v1/codes/${encodeURIComponent(code)}${q.toString() ? `?${q}` : ''}`);
  // A forged code is answered as forged whatever else is on record: someone presented a false code.
  if (check.status === 'forged') return { authorised: false, headline: '未经授权', reason: check.statusZh, advice: NO_CODE_ADVICE, check };
  if (check.status === 'unknown') {
    return (await recordedCaseAnswer(api, check)) ?? { authorised: false, headline: '未经授权', reason: check.statusZh, advice: NO_CODE_ADVICE, check };
  }
  try {
    const scan = await api(`/api/v1/codes/${encodeURIComponent(code)}/scan`, { method: 'POST', body: {} });
    return { authorised: scan.accepted, headline: '已授权', reason: `${check.statusZh}。本次扫码已登记。`, check, scan };
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    const p = err.problem;
    const recorded = await recordedCaseAnswer(api, check);
    if (recorded) return recorded;
    // The public check found the code, but the scan answers as for an unknown one: the code is registered
    // for another enterprise (the server says no more to a non-party; the scan is recorded and flagged).
    const elsewhere = p.code === 'NOT_FOUND';
    return {
      authorised: false,
      headline: '未经授权',
      reason: elsewhere ? `该检查码登记的检查对象是${check.enterprise?.name ?? '其他企业'}，不是本企业；本次扫码已登记。` : (p.detail ?? check.statusZh),
      article: elsewhere ? '第十七条' : p.article,
      rule: elsewhere ? 'CODE_OUTSIDE_WINDOW' : p.code,
      advice: NO_CODE_ADVICE,
      check,
    };
  }
}

/**
 * Inspections of this enterprise whose code is in force now (issued, not revoked, window open): the visitors
 * may be these officers who have not shown their code yet. The server's clock decides "now".
 */
async function codesInForce(api) {
  try {
    const now = new Date((await (await fetch('/web-env.json', { headers: { accept: 'application/json' } })).json()).now).getTime();
    const states = ['code_issued', 'in_progress'];
    const rows = (await Promise.all(states.map((s) => api(`/api/v1/inspections?state=${s}&limit=100`)))).flat();
    return rows.filter((i) => new Date(i.windowStart).getTime() <= now && now <= new Date(i.windowEnd).getTime());
  } catch {
    return []; // the answer about case inspections stands on its own
  }
}

/** The visitors showed no code at all: is a code in force for now, or a case inspection recorded? */
export async function verifyWithoutCode(api) {
  const check = { code: '', status: 'none' };
  const inForce = await codesInForce(api);
  if (inForce.length) {
    /** @type {Map<string, string>} */
    const byCode = new Map((await api('/api/v1/agencies').catch(() => [])).map((a) => [a.code, a.name]));
    const names = [...new Set(inForce.map((i) => byCode.get(i.agencyCode) ?? '已登记的行政执法主体'))].join('、');
    return {
      authorised: false,
      headline: '有已登记的检查，但未出示检查码',
      reason: `此时${names}对本企业有已登记的检查，检查码在有效时间内。检查人员应当主动出示检查码并扫码后开展检查，请要求对方出示后再核验（第十七条第（二）项、第十八条第（二）项）。`,
      article: '第十八条第（二）项',
      check,
      inForce: inForce.map((i) => i.id),
    };
  }
  return (
    (await recordedCaseAnswer(api, check)) ?? {
      authorised: false,
      headline: '未查到登记',
      reason: '此时本企业没有已登记的个案检查；日常检查和专项检查进入现场须出示检查码并扫码（第十七条）。',
      advice: NO_CODE_ADVICE,
      check,
    }
  );
}
