/**
 * Shared by the supervisors' console and the enterprises' portal: building elements (text always goes in
 * as text nodes, never as HTML, so nothing the API returns can become markup), the API client with the
 * bearer token, and zh-CN formatting.
 */

/**
 * h('tr', { class: 'x', onclick: fn }, 'text', child) — strings become text nodes.
 * @param {string} tag
 * @param {Record<string, any> | null} [props]
 * @param {...any} children
 * @returns {HTMLElement}
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'value') el.value = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of [children].flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** Replaces an element's content. */
export function fill(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

const SHANGHAI = { timeZone: 'Asia/Shanghai', hour12: false };
export const fmtTime = (iso) => (iso ? new Date(iso).toLocaleString('zh-CN', { ...SHANGHAI, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }) : '—');
export const fmtDate = (iso) => (iso ? new Date(iso).toLocaleDateString('zh-CN', { ...SHANGHAI, year: 'numeric', month: '2-digit', day: '2-digit' }) : '—');
export const fmtPct = (r) => (r === null || r === undefined ? '—' : `${(r * 100).toFixed(1)}%`);
/** The current Shanghai calendar date, YYYY-MM-DD. */
export const todayShanghai = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

// Kinds, modes, outcomes and states come from GET /api/v1/labels (web/shared/labels.js); only the flag
// severities, which the API does not name, stay here.
export const SEVERITY_ZH = { low: '低', medium: '中', high: '高' };

/** A refusal from the API (application/problem+json). */
export class ApiError extends Error {
  constructor(problem, status) {
    super(problem?.detail ?? `HTTP ${status}`);
    this.problem = problem ?? {};
    this.status = status;
  }
}

/** The claims of a JWT, for display only (the server verifies every call). */
export function tokenClaims(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = decodeURIComponent([...atob(part)].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join(''));
    return JSON.parse(json);
  } catch {
    return null;
  }
}

/**
 * An API client that sends the stored token. `api(path)` answers the parsed JSON; `api.page(path)` also
 * the total from x-total-count; `api.raw(path)` the Response (CSV, images).
 */
export function apiClient(getToken) {
  async function call(path, { method = 'GET', body } = {}) {
    const headers = { accept: 'application/json' };
    const token = getToken();
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!res.ok) {
      const problem = await res.json().catch(() => null);
      throw new ApiError(problem, res.status);
    }
    return res;
  }
  const api = async (path, opts) => (await call(path, opts)).json();
  api.page = async (path) => {
    const res = await call(path);
    return { items: await res.json(), total: Number(res.headers.get('x-total-count') ?? 0) };
  };
  api.raw = call;
  return api;
}

/** A zh-CN message box for a refusal: title, detail, and the article when a rule refused. */
export function problemBox(err) {
  if (!(err instanceof ApiError)) return h('div', { class: 'alert error', role: 'alert' }, `出错了：${err?.message ?? err}`);
  const p = err.problem;
  return h(
    'div',
    { class: 'alert error', role: 'alert', 'data-testid': 'problem' },
    h('strong', {}, p.title ?? '请求失败'),
    p.detail ? h('div', {}, p.detail) : null,
    p.article ? h('div', { class: 'muted' }, `依据：${p.article}${p.rule ? `（${p.rule}）` : ''}`) : null,
  );
}

export function notice(text, kind = 'ok') {
  return h('div', { class: `alert ${kind}`, role: 'status', 'data-testid': 'notice' }, text);
}

/** Saves a Response body (CSV) as a file. */
export async function download(res, fallbackName) {
  const blob = await res.blob();
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A Blob as a data: URL (the CSP allows data: images, not blob: ones). */
export function dataUrl(blob) {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(r.result);
    r.onerror = () => reject(r.error);
    r.readAsDataURL(blob);
  });
}

/** Hash routes: '#/flags/abc?state=open' → { parts: ['flags', 'abc'], query: URLSearchParams }. */
export function currentRoute() {
  const [path, qs] = location.hash.replace(/^#\/?/, '').split('?');
  return { parts: path.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(qs ?? '') };
}
