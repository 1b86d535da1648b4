// @ts-check
import { fill, fmtDate, h } from '../assets/ui.js';
import { label } from '../shared/labels.js';
import { serverEnv } from '../shared/shell.js';
import { dueBadge, nameBook, refusalBox } from './common.js';

/** @typedef {import('../shared/shell.js').ViewContext} ViewContext */
/** @param {HTMLElement} el */
const asInput = (el) => /** @type {HTMLInputElement} */ (el);

/**
 * 移送 (Art. 23): violations found outside the agency's jurisdiction go to the competent agency within 10
 * working days of being found, and the competent agency must receive them. Outgoing: send. Incoming:
 * receive, accept (with the acceptance number), or take a competence dispute to the common superior.
 * The due date is always in view.
 * @param {ViewContext} ctx
 */
export async function referralsView({ api, labels, args, rerender }) {
  const { today } = await serverEnv();
  const names = nameBook(api);
  const [incoming, outgoing] = /** @type {[any[], any[]]} */ (await Promise.all([api('/api/v1/referrals?direction=incoming&limit=200'), api('/api/v1/referrals?direction=outgoing&limit=200')]));
  /** @type {any[]} */
  const agencies = await api('/api/v1/agencies?limit=500').catch(() => []);
  const focus = args[0];

  const card = async (/** @type {any} */ r, /** @type {'in' | 'out'} */ dir) => {
    const out = h('div');
    const act = async (/** @type {string} */ step, /** @type {unknown} */ body) => {
      try {
        await api(`/api/v1/referrals/${r.id}/${step}`, { method: 'POST', body });
        rerender();
      } catch (err) {
        fill(out, refusalBox(err));
      }
    };
    /** @type {Node[]} */
    const actions = [];
    if (dir === 'out' && r.state === 'opened') actions.push(h('button', { class: 'primary', type: 'button', 'data-testid': 'send', onclick: () => act('send', {}) }, '移送'));
    if (dir === 'in' && r.state === 'sent') actions.push(h('button', { class: 'primary', type: 'button', 'data-testid': 'receive', onclick: () => act('receive', {}) }, '接收'));
    if (dir === 'in' && (r.state === 'received' || r.state === 'escalated')) {
      const ref = asInput(h('input', { 'aria-label': '受理文号', placeholder: '受理文号或案号', 'data-testid': 'acceptance-ref' }));
      actions.push(ref, h('button', { class: 'primary', type: 'button', 'data-testid': 'accept', onclick: () => act('accept', ref.value.trim() ? { acceptanceRef: ref.value.trim() } : {}) }, '受理'));
    }
    if (dir === 'in' && (r.state === 'sent' || r.state === 'received')) {
      const superior = /** @type {HTMLSelectElement} */ (h('select', { 'aria-label': '共同上级机关' }, agencies.map((a) => h('option', { value: a.code }, a.name))));
      const ground = asInput(h('input', { 'aria-label': '争议理由', placeholder: '管辖争议的理由' }));
      actions.push(h('details', {}, h('summary', {}, '有管辖争议：报请共同上级'), superior, ground, h('button', { type: 'button', 'data-testid': 'escalate', onclick: () => act('escalate', { superiorAgencyCode: superior.value, ground: ground.value.trim() }) }, '报请共同上级')));
    }
    const other = dir === 'in' ? await names.agency(r.agencyCode) : await names.agency(r.competentAgencyCode);
    return h(
      'li',
      { 'data-referral': r.id, 'data-state': r.state, class: r.id === focus ? 'focus' : undefined },
      h('div', { class: 'item-title' }, r.description),
      h('div', { class: 'muted' }, `${dir === 'in' ? '移送机关' : '移送至'}：${other} · 企业 ${await names.enterprise(r.enterpriseCode)} · 发现于 ${fmtDate(r.foundOn)}`),
      h('div', {}, h('span', { class: `badge ${r.overdue ? 'bad' : ''}` }, label(labels.states.referral, r.state)), ' ', dueBadge(r.dueDate, today, '移送期限（10个工作日）')),
      actions.length ? h('div', { class: 'actions' }, actions) : null,
      out,
    );
  };
  const list = async (/** @type {any[]} */ rows, /** @type {'in' | 'out'} */ dir) => (rows.length ? h('ul', { class: 'list' }, await Promise.all(rows.map((r) => card(r, dir)))) : h('p', { class: 'muted' }, '没有记录。'));
  return h(
    'div',
    {},
    h('h1', {}, '移送（第二十三条）'),
    h('section', { class: 'card', 'data-testid': 'incoming' }, h('h2', {}, '移送给本单位的'), await list(incoming, 'in')),
    h('section', { class: 'card', 'data-testid': 'outgoing' }, h('h2', {}, '本单位移出的'), await list(outgoing, 'out')),
  );
}
