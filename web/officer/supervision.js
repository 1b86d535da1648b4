// @ts-check
import { fill, fmtDate, fmtTime, h } from '../assets/ui.js';
import { refusalBox } from './common.js';

/** @typedef {import('../shared/shell.js').ViewContext} ViewContext */

/**
 * 督办 received by the agency (Art. 6 ¶2): what the justice bureau asks about which flag, by when, and the
 * answer. The head answers (the answer speaks for the agency); officers see the notices and their deadlines.
 * An answer still missing after the deadline is marked 已逾期.
 * @param {ViewContext} ctx
 */
export async function supervisionView({ api, me, rerender }) {
  /** @type {any[]} */
  const notices = await api('/api/v1/supervision-notices?limit=100');
  const isHead = me?.role === 'agency_head';
  const card = (/** @type {any} */ n) => {
    const out = h('div');
    /** @type {Node[]} */
    const actions = [];
    if (isHead && n.state === 'sent') {
      const answer = /** @type {HTMLTextAreaElement} */ (h('textarea', { rows: 4, 'aria-label': '答复内容', placeholder: '写明整改情况或说明理由', 'data-testid': 'notice-answer-text' }));
      const error = h('div', { class: 'field-error', role: 'alert', hidden: true });
      const send = /** @type {HTMLButtonElement} */ (h('button', { class: 'primary', type: 'button', 'data-testid': 'notice-answer-send' }, '提交答复'));
      send.addEventListener('click', async () => {
        if (send.disabled) return;
        if (!answer.value.trim()) {
          error.textContent = '请写明答复内容';
          error.hidden = false;
          answer.focus();
          return;
        }
        if (!window.confirm('答复提交后由监督人员审核，不能修改。确定提交吗？')) return;
        send.disabled = true;
        send.setAttribute('aria-busy', 'true');
        send.textContent = '提交中…';
        try {
          await api(`/api/v1/supervision-notices/${n.id}/answer`, { method: 'POST', body: { answer: answer.value.trim() } });
          await rerender();
        } catch (err) {
          fill(out, refusalBox(err));
          send.disabled = false;
          send.removeAttribute('aria-busy');
          send.textContent = '提交答复';
        }
      });
      actions.push(h('label', { class: 'field' }, '答复', answer, error), send);
    }
    return h(
      'li',
      { 'data-notice': n.id, 'data-state': n.state },
      h('div', { class: 'item-title' }, `${n.ruleTitleZh}（${n.article}）`),
      h('div', {}, n.request),
      h(
        'div',
        { class: 'muted' },
        `${n.issuedByName ?? '司法行政部门'} 于 ${fmtTime(n.issuedAt)} 发出 · 答复期限 ${fmtDate(`${n.dueDate}T12:00:00+08:00`)}`,
      ),
      h(
        'div',
        {},
        h('span', { class: `badge ${n.overdue ? 'bad' : ''}`, 'data-testid': 'notice-state' }, n.overdue ? `${n.stateZh} · 已逾期` : n.stateZh),
        n.answeredLate ? h('span', { class: 'badge' }, '逾期答复') : null,
      ),
      n.answer ? h('div', {}, `答复：${n.answer}`) : null,
      n.reviewNote ? h('div', { class: 'muted' }, `审核意见：${n.reviewNote}`) : null,
      actions.length ? h('div', { class: 'actions' }, actions) : null,
      out,
    );
  };
  const open = notices.filter((n) => n.state !== 'closed');
  const closed = notices.filter((n) => n.state === 'closed');
  return h(
    'div',
    {},
    h('h1', {}, '督办'),
    h('p', { class: 'muted' }, isHead ? '司法行政部门就违规标记发出的督办，请在期限内答复。' : '本单位收到的督办，由单位负责人答复。'),
    open.length ? h('ul', { class: 'list', 'data-testid': 'notices' }, open.map(card)) : h('p', { class: 'muted' }, '没有待办的督办。'),
    closed.length ? [h('h2', {}, '已办结'), h('ul', { class: 'list' }, closed.map(card))] : null,
  );
}
