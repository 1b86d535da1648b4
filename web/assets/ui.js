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
    else if (key === 'onclick' && typeof value === 'function' && tag === 'button') el.addEventListener('click', busyWhile(el, value));
    else if (key === 'onsubmit' && typeof value === 'function') el.addEventListener('submit', busyWhile(el, value));
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'value') el.value = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

/**
 * Every action shows it is busy and cannot be sent twice (issue 24): while the promise a button's click (or
 * a form's submit) returns is pending, the button (or the form's buttons) is disabled and aria-busy, and a
 * second tap is ignored. Set synchronously, before the second tap's event is dispatched.
 * @param {HTMLElement} el a button or a form
 * @param {(event: Event) => unknown} handler
 */
function busyWhile(el, handler) {
  return (/** @type {Event} */ event) => {
    if (el.getAttribute('aria-busy') === 'true') {
      event.preventDefault();
      return;
    }
    const result = handler(event);
    if (!result || typeof (/** @type {any} */ (result).then) !== 'function') return;
    const buttons = el.tagName === 'FORM' ? [...el.querySelectorAll('button')] : [el];
    el.setAttribute('aria-busy', 'true');
    for (const b of buttons) {
      b.setAttribute('aria-busy', 'true');
      /** @type {HTMLButtonElement} */ (b).disabled = true;
    }
    Promise.resolve(result).finally(() => {
      el.removeAttribute('aria-busy');
      for (const b of buttons) {
        b.removeAttribute('aria-busy');
        /** @type {HTMLButtonElement} */ (b).disabled = false;
      }
    });
  };
}

/**
 * Asks before an irreversible step (告知结果, 结束检查, 批准 …); true when the person confirms.
 * @param {string} question
 */
export const confirmStep = (question) => window.confirm(question);

/** A fresh Idempotency-Key: one per intended write, reused if the same write is sent again. */
export const newIdempotencyKey = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`);

/**
 * Puts a refusal's field errors beside their fields: each `errors[].field` (body.outcome.noticeNo) is looked
 * up as `[data-field="outcome.noticeNo"]` inside `scope`; the message goes right after that control, which is
 * marked aria-invalid, and the first one is scrolled into view. Answers the errors no field took.
 * @param {HTMLElement} scope
 * @param {unknown} err
 * @returns {{ field: string, message: string }[]}
 */
export function showFieldErrors(scope, err) {
  for (const old of scope.querySelectorAll('.field-error')) old.remove();
  for (const old of scope.querySelectorAll('[aria-invalid]')) old.removeAttribute('aria-invalid');
  /** @type {{ field: string, message: string }[]} */
  const errors = err instanceof ApiError && Array.isArray(err.problem.errors) ? err.problem.errors : [];
  /** @type {{ field: string, message: string }[]} */
  const left = [];
  /** @type {HTMLElement | null} */
  let first = null;
  for (const e of errors) {
    const path = String(e.field).replace(/^(body|querystring|params)\./, '');
    const control = /** @type {HTMLElement | null} */ (scope.querySelector(`[data-field="${CSS.escape(path)}"]`));
    if (!control) {
      left.push(e);
      continue;
    }
    control.setAttribute('aria-invalid', 'true');
    const note = h('div', { class: 'field-error', role: 'alert', 'data-error-for': path }, e.message);
    (control.closest('label') ?? control).after(note);
    first ??= note;
  }
  first?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  return left;
}

/**
 * True when a refusal is only about fields (a 400 naming them), which showFieldErrors puts beside the fields;
 * a rule's refusal (its article, what to change) is shown whole as well.
 * @param {unknown} err
 */
export const fieldsOnly = (err) => err instanceof ApiError && Array.isArray(err.problem.errors) && !err.problem.rule && !err.problem.violations;

/**
 * Shows `content` in `box` and scrolls it into view, so a refusal is never off-screen above the form.
 * @param {HTMLElement} box
 * @param {Node} content
 */
export function showIn(box, content) {
  fill(box, content);
  box.scrollIntoView({ block: 'center', behavior: 'smooth' });
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
  async function call(path, { method = 'GET', body, idempotencyKey } = {}) {
    const headers = { accept: 'application/json' };
    const token = getToken();
    if (token) headers.authorization = `Bearer ${token}`;
    // Every write carries an Idempotency-Key: the caller's (one per intended write, so a repeat is replayed,
    // not done twice), or a fresh one.
    if (method !== 'GET') headers['idempotency-key'] = idempotencyKey ?? newIdempotencyKey();
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
