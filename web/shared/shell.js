// @ts-check
import { apiClient, ApiError, currentRoute, fill, h, problemBox } from '../assets/ui.js';
import { loadLabels } from './labels.js';
import { session, tokenClaims } from './session.js';

/**
 * The shell the console (监督平台), the portal (企业服务) and the officers' app (掌上执法) share: one token
 * storage (session.js), sign-in by pasting a token, the hash router, the navigation (hidden until signed
 * in), who is signed in with 退出, and the labels from the API. Each app gives its views and its words.
 *
 * @typedef {import('./labels.js').Labels} Labels
 * @typedef {{ sub: string, role: string, name?: string, agency?: string, district?: string, creditCode?: string, certificateNo?: string, unitName?: string }} Me
 * @typedef {ReturnType<typeof apiClient>} Api
 * @typedef {{ api: Api, me: Me, labels: Labels, args: string[], query: URLSearchParams, rerender: () => void }} ViewContext
 * @typedef {HTMLElement & { mounted?: () => void }} ViewElement
 * @typedef {(ctx: ViewContext) => Promise<ViewElement> | ViewElement} View
 * @typedef {{
 *   app: string,
 *   roles: string[],
 *   home: string,
 *   views: Record<string, (args: string[]) => View>,
 *   signIn: { title: string, intro: string, wrongRole: string, devHint: (string | Node)[] },
 *   who: (me: Me) => string | (string | Node | null)[],
 *   onSignedIn?: () => void,
 * }} ShellOptions
 */

/** @typedef {{ production: boolean, devTokens: boolean, now: string, today: string }} ServerEnv */

/** @type {Promise<ServerEnv> | null} */
let env = null;
/**
 * The server's environment: whether it runs in production (development hints — how to mint a token — are
 * shown only outside it) and its today in Asia/Shanghai (the day's work follows the server's clock).
 * @returns {Promise<ServerEnv>}
 */
export function serverEnv() {
  env ??= fetch('/web-env.json', { headers: { accept: 'application/json' } })
    .then((r) => r.json())
    .catch(() => ({ production: true, devTokens: false, now: new Date().toISOString(), today: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10) }));
  return env;
}

/**
 * @param {string} id
 * @returns {HTMLElement}
 */
function byId(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} missing from the page`);
  return el;
}

/**
 * The token the sign-in callback (/auth/callback, src/auth/oidc-login.ts) left for this app in a one-minute
 * cookie under the app's path: taken into the app's storage and the cookie removed at once.
 * @param {string} app
 * @returns {string | null}
 */
function takeSignInCookie(app) {
  const name = `wh327_signin_${app}`;
  const found = document.cookie.split('; ').find((c) => c.startsWith(`${name}=`));
  if (!found) return null;
  document.cookie = `${name}=; max-age=0; path=/${app}/; samesite=lax`;
  return decodeURIComponent(found.slice(name.length + 1)) || null;
}

/**
 * Starts an app: renders the sign-in (统一身份认证, or a pasted token where development tokens are
 * accepted) until a person of one of `roles` is signed in, then routes `#/<view>/…` to the app's views.
 * Answers the API client and a way to sign out.
 * @param {ShellOptions} opts
 */
export function startShell(opts) {
  const store = session(opts.app);
  const arrived = takeSignInCookie(opts.app);
  if (arrived) store.set(arrived);
  const baseApi = apiClient(store.get);
  /**
   * The API client the views get: a write that succeeds may change what waits for the person (a scheme
   * approved, a 督办 answered), so it marks the to-do count stale and refreshes it.
   * @type {Api}
   */
  const api = Object.assign(
    /** @type {Api} */ (async (path, o) => afterWrite(o, await baseApi(path, o))),
    { page: baseApi.page, raw: /** @type {Api['raw']} */ (async (path, o) => afterWrite(o, await baseApi.raw(path, o))) },
  );
  /**
   * @template T
   * @param {{ method?: string } | undefined} o
   * @param {T} result
   * @returns {T}
   */
  function afterWrite(o, result) {
    if (o?.method && o.method !== 'GET') {
      todoFetchedAt = 0;
      refreshTodo();
    }
    return result;
  }
  const root = byId('app');
  const nav = document.getElementById('nav');
  const who = document.getElementById('who');
  /** @type {Me | null} */
  let me = null;
  let rendering = 0;

  const signOut = () => {
    store.clear();
    me = null;
    if (location.hash === '' || location.hash === '#/') route();
    else location.hash = '#/';
  };

  // To-do counts and notifications (GET /api/v1/me/todo): a button in the header with the count, and the
  // lists under it. Fetched when the person signs in, after each write the app makes, and on navigation
  // only when the last count is older than TODO_MAX_AGE_MS (others' work — a new flag, a returned
  // scheme — reaches the count within that time), not on every navigation.
  const TODO_MAX_AGE_MS = 60_000;
  let todoFetchedAt = 0;
  /** @type {string | null} whose count is shown: a new sign-in fetches at once */
  let todoFor = null;
  const todoPanel = h('div', { class: 'todo-panel card', hidden: true, 'data-testid': 'todo-panel', role: 'region', 'aria-label': '待办与通知' });
  const todoButton = h('button', { type: 'button', 'data-testid': 'todo', 'aria-expanded': 'false', onclick: () => {
    todoPanel.hidden = !todoPanel.hidden;
    todoButton.setAttribute('aria-expanded', String(!todoPanel.hidden));
  } }, '待办');
  async function refreshTodo() {
    if (!me || me.role === 'admin') return;
    todoFetchedAt = Date.now();
    todoFor = me.sub;
    try {
      /** @type {{ total: number, lists: { key: string, title: string, count: number, entries: { id: string, text: string, due?: string, overdue?: boolean, href: string }[] }[] }} */
      const todo = await api('/api/v1/me/todo');
      fill(todoButton, '待办', h('span', { class: 'todo-count', 'data-testid': 'todo-count' }, String(todo.total)));
      fill(
        todoPanel,
        h('h2', {}, '待办与通知'),
        todo.lists.map((l) =>
          h(
            'section',
            { 'data-todo': l.key },
            h('h3', {}, `${l.title}（${l.count}）`),
            l.entries.length
              ? h('ul', { class: 'list' }, l.entries.map((e) => h('li', {}, h('a', { href: e.href, onclick: () => { todoPanel.hidden = true; } }, e.text), e.due ? h('span', { class: `due${e.overdue ? ' overdue' : ''}` }, ` 期限 ${e.due}${e.overdue ? '（已逾期）' : ''}`) : null)))
              : h('p', { class: 'muted' }, '暂无。'),
          ),
        ),
      );
    } catch {
      // The to-do list is a convenience: a failure leaves the button without a count, and the next navigation tries again.
      todoFetchedAt = 0;
    }
  }

  function renderWho() {
    if (nav) nav.hidden = !me;
    if (!who) return;
    if (!me) {
      todoPanel.hidden = true;
      todoPanel.remove();
      todoFor = null;
      return fill(who);
    }
    fill(
      who,
      h('span', { class: 'who-text' }, h('span', { class: 'who-name', 'data-testid': 'who-name' }, opts.who(me)), me.unitName ? h('span', { class: 'who-unit', 'data-testid': 'who-unit' }, me.unitName) : null),
      me.role === 'admin' ? null : todoButton,
      h('button', { type: 'button', 'data-testid': 'signout', onclick: signOut }, '退出'),
    );
    if (!todoPanel.isConnected) root.before(todoPanel);
    if (todoFor !== me.sub || Date.now() - todoFetchedAt > TODO_MAX_AGE_MS) refreshTodo();
  }

  /** @param {string} [message] */
  function signInView(message) {
    const input = h('textarea', { 'data-testid': 'token-input', rows: 5, placeholder: 'eyJhbGciOiJFZERTQSIs…', 'aria-label': '身份令牌' });
    const out = h('div');
    const hint = h('p', { class: 'hint muted' }, ...opts.signIn.devHint);
    // Pasting a token is a development aid only: shown where the server accepts development tokens.
    const paste = h('details', { class: 'dev-token', hidden: true, 'data-testid': 'dev-token' }, h('summary', {}, '开发环境：粘贴令牌登录'), input, h('button', { class: 'big', type: 'submit', 'data-testid': 'signin' }, '用令牌登录'), hint);
    serverEnv().then((e) => {
      paste.hidden = !e.devTokens;
      // Open where it is offered at all, so a developer (and the browser tests) can paste at once.
      if (e.devTokens) paste.setAttribute('open', '');
    });
    const failed = currentRoute().query.get('signin_error');
    /** @param {Event} event */
    const submit = async (event) => {
      event.preventDefault();
      const value = /** @type {HTMLTextAreaElement} */ (input).value.trim();
      const claims = tokenClaims(value);
      if (!claims) return fill(out, h('div', { class: 'alert error', role: 'alert' }, '这不是有效的令牌，请完整粘贴。'));
      if (!opts.roles.includes(String(claims.role))) return fill(out, h('div', { class: 'alert error', role: 'alert' }, opts.signIn.wrongRole));
      store.set(value);
      try {
        me = await api('/api/v1/me');
      } catch (err) {
        store.clear();
        me = null;
        return fill(out, problemBox(err));
      }
      opts.onSignedIn?.();
      const target = `#/${opts.home}`;
      if (location.hash === target) route();
      else location.hash = target;
    };
    return h(
      'form',
      { class: 'card signin', onsubmit: submit },
      h('h1', {}, opts.signIn.title),
      message ? h('div', { class: 'alert info', role: 'status' }, message) : null,
      failed ? h('div', { class: 'alert error', role: 'alert', 'data-testid': 'signin-error' }, failed) : null,
      h('p', {}, opts.signIn.intro),
      h('a', { class: 'button primary big', href: `/auth/login?app=${encodeURIComponent(opts.app)}`, 'data-testid': 'signin-oidc' }, '统一身份认证登录'),
      paste,
      out,
    );
  }

  async function route() {
    // A newer navigation wins: an older view that finishes later is dropped.
    const ticket = ++rendering;
    if (!store.get()) {
      me = null;
      renderWho();
      return fill(root, signInView());
    }
    if (!me) {
      try {
        me = await api('/api/v1/me');
      } catch (err) {
        store.clear();
        me = null;
        renderWho();
        return fill(root, signInView(err instanceof ApiError && err.status === 401 ? '令牌已失效，请重新登录。' : undefined));
      }
    }
    if (!me || !opts.roles.includes(me.role)) {
      store.clear();
      me = null;
      renderWho();
      return fill(root, signInView(opts.signIn.wrongRole));
    }
    renderWho();
    const { parts, query } = currentRoute();
    const name = parts[0] && opts.views[parts[0]] ? parts[0] : opts.home;
    for (const a of document.querySelectorAll('[data-nav]')) {
      const on = a instanceof HTMLElement && a.dataset.nav === name;
      a.classList.toggle('active', on);
      if (on) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    const args = parts.slice(1);
    const make = opts.views[name];
    if (!make) return;
    fill(root, h('p', { class: 'muted' }, '正在加载…'));
    try {
      const labels = await loadLabels();
      const el = await make(args)({ api, me, labels, args, query, rerender: route });
      if (ticket !== rendering) return;
      fill(root, el);
      el.mounted?.();
    } catch (err) {
      if (ticket === rendering) fill(root, problemBox(err));
    }
  }

  window.addEventListener('hashchange', route);
  route();
  return { api, signOut, me: () => me, rerender: route };
}
