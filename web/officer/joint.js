// @ts-check
import { fill, fmtTime, h } from '../assets/ui.js';
import { refusalBox } from './common.js';

/** @typedef {import('../shared/shell.js').ViewContext} ViewContext */
/** @param {HTMLElement} el */
const asInput = (el) => /** @type {HTMLInputElement} */ (el);

/**
 * 综合查一次 (Art. 26–31): the joint tasks with a part for this agency. An assigned part is accepted by
 * naming the agency's officers (Art. 28), or declined with a reason and its legal basis, which the lead
 * unit and the supervisors see.
 * @param {ViewContext} ctx
 */
export async function jointView({ api, me, args, rerender }) {
  /** @type {[any[], { items: any[] }]} */
  const [tasks, proposals] = await Promise.all([api('/api/v1/joint-tasks?limit=200'), api('/api/v1/proposals?state=open&limit=500').catch(() => ({ items: [] }))]);
  // `#/joint/<id>` opens the list at that task (a proposal's page links to the visit it became).
  const focus = args[0];
  const mine = tasks.filter((t) => t.units.some((/** @type {any} */ u) => u.agencyCode === me.agency));
  const card = (/** @type {any} */ t) => {
    const unit = t.units.find((/** @type {any} */ u) => u.agencyCode === me.agency);
    const out = h('div');
    const act = async (/** @type {string} */ step, /** @type {unknown} */ body) => {
      try {
        await api(`/api/v1/joint-tasks/${t.id}/${step}`, { method: 'POST', body });
        rerender();
      } catch (err) {
        fill(out, refusalBox(err));
      }
    };
    /** @type {Node[]} */
    const actions = [];
    if (unit?.state === 'assigned') {
      const rows = [0, 1].map(() => [asInput(h('input', { 'aria-label': '检查人员姓名', placeholder: '姓名' })), asInput(h('input', { 'aria-label': '执法证号', placeholder: '执法证号' }))]);
      const reason = asInput(h('input', { 'aria-label': '拒绝理由', placeholder: '拒绝理由' }));
      const basis = asInput(h('input', { 'aria-label': '法律依据', placeholder: '法律依据' }));
      actions.push(
        h('div', {}, rows.map(([n, c]) => h('div', { class: 'team-row' }, n, c))),
        h('button', { class: 'primary', type: 'button', 'data-testid': 'joint-accept', onclick: () => act('accept', { inspectors: rows.map(([n, c]) => ({ name: n?.value.trim() ?? '', certificateNo: c?.value.trim() ?? '' })).filter((p) => p.name) }) }, '接受分工，派出上述人员'),
        h('details', {}, h('summary', {}, '拒绝分工（须说明法定理由）'), reason, basis, h('button', { type: 'button', 'data-testid': 'joint-decline', onclick: () => act('decline', { reason: reason.value.trim(), legalBasis: basis.value.trim() }) }, '拒绝')),
      );
    }
    if (unit?.state === 'accepted' && me.role === 'agency_head') actions.push(h('button', { class: 'primary', type: 'button', 'data-testid': 'joint-approve', onclick: () => act('approve', {}) }, '批准本单位的检查方案'));
    return h(
      'li',
      { 'data-task': t.id, class: t.id === focus ? 'focus' : undefined, tabindex: t.id === focus ? '-1' : undefined },
      h('div', { class: 'item-title' }, t.entryName),
      h('div', { class: 'muted' }, `${t.stateZh} · ${fmtTime(t.windowStart)} 至 ${fmtTime(t.windowEnd)}`),
      h('div', {}, `本单位：${unit?.stateZh ?? ''}（${unit?.role === 'lead' ? '发起单位' : '协同单位'}）`),
      unit?.matterCodes?.length ? h('div', { class: 'muted' }, `分工事项：${unit.matterCodes.join('、')}`) : null,
      actions.length ? h('div', { class: 'actions' }, actions) : null,
      out,
    );
  };
  const waiting = proposals.items.filter((p) => p.units.some((/** @type {any} */ u) => u.agencyCode === me.agency && u.state === 'pending')).length;
  const view = /** @type {import('../shared/shell.js').ViewElement} */ (
    h(
      'div',
      {},
      h('h1', {}, '综合查一次'),
      h('p', {}, h('a', { class: 'button', href: '#/proposals', 'data-testid': 'proposals-link' }, `联合检查建议${waiting ? `（待本单位答复 ${waiting} 项）` : ''}`)),
      h('section', { class: 'card', 'data-testid': 'joint-tasks' }, mine.length ? h('ul', { class: 'list' }, mine.map(card)) : h('p', { class: 'muted' }, '本单位没有综合查一次的分工。')),
    )
  );
  view.mounted = () => {
    const el = focus ? view.querySelector(`[data-task="${CSS.escape(focus)}"]`) : null;
    if (el instanceof HTMLElement) el.scrollIntoView({ block: 'start' });
  };
  return view;
}
