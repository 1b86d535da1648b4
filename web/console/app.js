import { apiClient, ApiError, currentRoute, fill, h, problemBox, tokenClaims } from '/assets/ui.js';
import { dashboardView } from './dashboard.js';
import { flagDetailView, flagsView } from './flags.js';
import { inspectionStoryView, inspectionsView } from './inspections.js';
import { plansView } from './plans.js';
import { ratingsView, reportDetailView, reportsView } from './reports.js';

/**
 * The supervisors' console (司法行政部门监督平台). The token is pasted once and kept in sessionStorage, so it
 * ends with the browser tab; every view reads the API with it, and the server scopes each answer to the
 * supervisor's jurisdiction.
 */
const TOKEN_KEY = 'wh327.console.token';
const token = () => sessionStorage.getItem(TOKEN_KEY);
export const api = apiClient(token);
const app = document.getElementById('app');
let me = null;
// Whether this server takes development tokens: the `npm run token` hint is shown only then (never in production).
const site = await fetch('/assets/site.json').then((r) => r.json()).catch(() => ({ devTokens: false }));

const VIEWS = {
  dashboard: () => dashboardView,
  flags: ([id]) => (id ? flagDetailView : flagsView),
  inspections: ([id]) => (id ? inspectionStoryView : inspectionsView),
  plans: () => plansView,
  reports: ([id]) => (id ? reportDetailView : reportsView),
  ratings: () => ratingsView,
};

function signInView(message) {
  const input = h('textarea', { 'data-testid': 'token-input', placeholder: 'eyJhbGciOiJFZERTQSIs…', 'aria-label': '令牌' });
  const out = h('div');
  const submit = async (event) => {
    event.preventDefault();
    const value = input.value.trim();
    const claims = tokenClaims(value);
    if (!claims) return fill(out, h('div', { class: 'alert error' }, '这不是有效的令牌，请完整粘贴。'));
    sessionStorage.setItem(TOKEN_KEY, value);
    try {
      me = await api('/api/v1/me');
    } catch (err) {
      sessionStorage.removeItem(TOKEN_KEY);
      return fill(out, problemBox(err));
    }
    if (me.role !== 'supervisor') {
      sessionStorage.removeItem(TOKEN_KEY);
      me = null;
      return fill(out, h('div', { class: 'alert error' }, '本平台供司法行政部门监督人员使用，请使用 supervisor 角色的令牌。'));
    }
    if (location.hash === '#/dashboard') route();
    else location.hash = '#/dashboard';
  };
  return h(
    'form',
    { class: 'card signin', onsubmit: submit },
    h('h1', {}, '登录监督平台'),
    message ? h('div', { class: 'alert info' }, message) : null,
    h('p', {}, '请粘贴身份令牌（Bearer token）。令牌只保存在本浏览器标签页中，关闭标签页即失效。'),
    input,
    h('div', { class: 'row', style: 'margin-top:.6rem' }, h('button', { class: 'primary', type: 'submit', 'data-testid': 'signin' }, '登录')),
    site.devTokens ? h('p', { class: 'hint muted' }, '开发环境获取令牌：', h('code', {}, 'npm run token -- --role supervisor --agency WH-SFJ'), '（区级监督用区司法局，如 ', h('code', {}, '--agency 420106-SFJ'), '）') : null,
    out,
  );
}

function renderWho() {
  const who = document.getElementById('who');
  const nav = document.getElementById('nav');
  if (!me) {
    nav.hidden = true;
    return fill(who);
  }
  nav.hidden = false;
  fill(
    who,
    h('span', {}, `${me.name ?? me.sub} · ${me.agency ?? ''}${me.district ? ` · 辖区 ${me.district}` : ' · 全市'}`),
    h('button', { type: 'button', 'data-testid': 'signout', onclick: () => { sessionStorage.removeItem(TOKEN_KEY); me = null; location.hash = '#/'; route(); } }, '退出'),
  );
}

let rendering = 0;

async function route() {
  // A newer navigation wins: an older view that finishes later is dropped.
  const ticket = ++rendering;
  if (!token()) {
    me = null;
    renderWho();
    return fill(app, signInView());
  }
  if (!me) {
    try {
      me = await api('/api/v1/me');
    } catch (err) {
      sessionStorage.removeItem(TOKEN_KEY);
      me = null;
      renderWho();
      return fill(app, signInView(err instanceof ApiError && err.status === 401 ? '令牌已失效，请重新登录。' : undefined));
    }
  }
  renderWho();
  const { parts, query } = currentRoute();
  const name = VIEWS[parts[0]] ? parts[0] : 'dashboard';
  for (const a of document.querySelectorAll('[data-nav]')) a.classList.toggle('active', a.dataset.nav === name);
  const view = VIEWS[name](parts.slice(1));
  fill(app, h('p', { class: 'muted' }, '正在加载…'));
  try {
    const el = await view({ api, me, args: parts.slice(1), query, rerender: route });
    if (ticket !== rendering) return;
    fill(app, el);
    el.mounted?.();
  } catch (err) {
    if (ticket === rendering) fill(app, problemBox(err));
  }
}

window.addEventListener('hashchange', route);
route();
