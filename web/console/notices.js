// @ts-check
import { fill, fmtDate, fmtTime, h, notice, todayShanghai } from '../assets/ui.js';
import { actionButton, field } from './actions.js';
import { filterForm } from './pickers.js';

/**
 * 督办 (Art. 6 ¶2): the notices this bureau sent, overdue ones first; one notice with the agency's answer, to
 * accept (办结) or return. The deadline is the supervisor's own, so lateness is shown, not called a breach.
 */
const PAGE = 50;
const STATE_ZH = { sent: '待答复', answered: '已答复，待审核', closed: '已办结' };

/** @param {any} n */
export function noticeBadges(n) {
  return [
    h('span', { class: `badge ${n.state === 'closed' ? 'resolved' : 'open'}` }, n.stateZh),
    n.overdue ? h('span', { class: 'badge high', 'data-testid': 'overdue' }, '已逾期') : null,
    n.answeredLate ? h('span', { class: 'badge medium' }, '逾期答复') : null,
  ];
}

/** @param {{ api: any, query: URLSearchParams }} ctx */
export async function noticesView({ api, query }) {
  const q = new URLSearchParams(query);
  const offset = Number(q.get('offset') ?? 0);
  q.set('limit', String(PAGE));
  const { items, total } = await api.page(`/api/v1/supervision-notices?${q}`);
  const state = h('select', { name: 'state', 'data-testid': 'filter-state' }, h('option', { value: '' }, '全部'), ...Object.entries(STATE_ZH).map(([v, t]) => h('option', { value: v, selected: v === query.get('state') }, t)));
  const overdue = h('input', { type: 'checkbox', name: 'overdue', value: 'true', checked: query.get('overdue') === 'true', 'data-testid': 'filter-overdue' });
  const form = filterForm(
    'notices',
    {},
    h('label', {}, '状态', state),
    h('label', { class: 'check' }, overdue, '仅看逾期未答复'),
    h('button', { class: 'primary', type: 'submit' }, '查询'),
  );
  const rows = items.map((/** @type {any} */ n) =>
    h(
      'tr',
      { class: 'clickable', 'data-testid': 'notice-row', onclick: () => (location.hash = `#/notices/${n.id}`) },
      h('td', {}, h('a', { href: `#/notices/${n.id}` }, fmtTime(n.issuedAt))),
      h('td', {}, n.agencyName ?? '—'),
      h('td', {}, h('div', {}, n.ruleTitleZh), h('div', { class: 'muted' }, n.article)),
      h('td', {}, fmtDate(`${n.dueDate}T12:00:00+08:00`)),
      h('td', {}, noticeBadges(n)),
    ),
  );
  const pageLink = (/** @type {number} */ to, /** @type {string} */ text) => {
    const next = new URLSearchParams(query);
    next.set('offset', String(to));
    return h('a', { class: 'button', href: `#/notices?${next}` }, text);
  };
  return h(
    'div',
    {},
    h('h1', {}, '督办'),
    h('p', { class: 'muted' }, '在违规标记详情中可向被标记单位发出督办，写明要求和答复期限；由被督办单位负责人在掌上执法中答复。'),
    form,
    h(
      'table',
      { 'data-testid': 'notices-table' },
      h('thead', {}, h('tr', {}, ...['发出时间', '被督办单位', '违规标记', '答复期限', '状态'].map((t) => h('th', {}, t)))),
      h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: 5, class: 'muted' }, '没有符合条件的督办'))),
    ),
    h(
      'div',
      { class: 'pager' },
      h('span', { 'data-testid': 'notices-total' }, `共 ${total} 件`),
      offset > 0 ? pageLink(Math.max(0, offset - PAGE), '上一页') : null,
      offset + PAGE < total ? pageLink(offset + PAGE, '下一页') : null,
    ),
  );
}

/** @param {any} n */
export function noticeFacts(n) {
  return h(
    'dl',
    { class: 'facts', 'data-testid': 'notice-facts' },
    h('dt', {}, '被督办单位'), h('dd', {}, n.agencyName ?? '—'),
    h('dt', {}, '违规标记'), h('dd', {}, h('a', { href: `#/flags/${n.flagId}` }, `${n.ruleTitleZh}（${n.article}）`)),
    h('dt', {}, '督办要求'), h('dd', {}, n.request),
    h('dt', {}, '发出'), h('dd', {}, `${n.issuedByName ?? '监督人员'} · ${fmtTime(n.issuedAt)}`),
    h('dt', {}, '答复期限'), h('dd', {}, fmtDate(`${n.dueDate}T12:00:00+08:00`), ' ', noticeBadges(n)),
    h('dt', {}, '答复'), h('dd', { 'data-testid': 'notice-answer' }, n.answer ? `${n.answer}（${n.answeredByName ?? '负责人'}，${fmtTime(n.answeredAt)}）` : '尚未答复'),
    n.reviewNote ? [h('dt', {}, '审核意见'), h('dd', {}, `${n.reviewNote}（${n.reviewedByName ?? '监督人员'}，${fmtTime(n.reviewedAt)}）`)] : null,
  );
}

/** @param {{ api: any, args: string[], rerender: () => (void | Promise<void>) }} ctx */
export async function noticeDetailView({ api, args, rerender }) {
  const n = await api(`/api/v1/supervision-notices/${encodeURIComponent(args[0] ?? '')}`);
  const messages = h('div');
  const note = h('textarea', { rows: 3, 'data-testid': 'notice-review-note', placeholder: '退回时须说明仍需答复的内容' });
  const fields = { 'body.note': note };
  const post = (/** @type {string} */ action) => async () => {
    const text = /** @type {HTMLTextAreaElement} */ (note).value.trim();
    await api(`/api/v1/supervision-notices/${n.id}/${action}`, { method: 'POST', body: text ? { note: text } : {} });
    await rerender();
  };
  const review =
    n.state === 'answered'
      ? [
          field('审核意见', note),
          h(
            'div',
            { class: 'row' },
            actionButton('办结督办', post('accept'), { messages, fields, confirm: '办结后不能再退回，确定认可该答复并办结吗？', testid: 'notice-accept' }),
            actionButton('退回重新答复', post('return'), { messages, fields, cls: 'danger', testid: 'notice-return' }),
          ),
        ]
      : notice(n.state === 'closed' ? '督办已办结' : '等待被督办单位答复', 'info');
  return h(
    'div',
    {},
    h('p', {}, h('a', { href: '#/notices' }, '← 返回督办清单')),
    h('h1', {}, `督办 · ${n.agencyName ?? ''}`),
    h('section', { class: 'card' }, noticeFacts(n)),
    h('section', { class: 'card' }, h('h2', {}, '审核'), review, messages),
  );
}

/**
 * The 督办 part of a flag's page: the notices already sent about it, and a form to send one while the flag is
 * under review. The deadline defaults to a week from today and can never be set in the past.
 * @param {any} api
 * @param {any} flag
 * @param {() => (void | Promise<void>)} rerender
 */
export async function flagNoticesSection(api, flag, rerender) {
  const { items } = await api.page(`/api/v1/supervision-notices?flag=${flag.id}&limit=20`);
  const messages = h('div');
  const today = todayShanghai();
  const inAWeek = new Date(Date.parse(`${today}T00:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10);
  const due = h('input', { type: 'date', value: inAWeek, min: today, 'data-testid': 'notice-due', required: true });
  const request = h('textarea', { rows: 3, 'data-testid': 'notice-request', placeholder: '例如：请于期限内说明情况并整改，附整改材料' });
  const fields = { 'body.dueDate': due, 'body.request': request, 'body.flagId': messages };
  const open = flag.agencyCode && (flag.state === 'open' || flag.state === 'acknowledged');
  const form = open
    ? [
        field('答复期限', due),
        field('督办要求', request),
        actionButton(
          '发出督办',
          async () => {
            const body = { flagId: flag.id, dueDate: /** @type {HTMLInputElement} */ (due).value, request: /** @type {HTMLTextAreaElement} */ (request).value.trim() };
            await api('/api/v1/supervision-notices', { method: 'POST', body });
            await rerender();
          },
          { messages, fields, confirm: `确定向${flag.agencyName ?? '该单位'}发出督办吗？发出后不能撤回。`, testid: 'notice-send' },
        ),
      ]
    : h('p', { class: 'muted' }, flag.agencyCode ? '违规标记已审阅办结，无需督办。' : '该标记未指明行政执法主体，无从督办。');
  const list = items.length
    ? h('ul', { class: 'plain', 'data-testid': 'flag-notices' }, items.map((/** @type {any} */ n) => h('li', {}, h('a', { href: `#/notices/${n.id}` }, `${fmtTime(n.issuedAt)} 发出，期限 ${n.dueDate}`), ' ', noticeBadges(n))))
    : null;
  return h('section', { class: 'card' }, h('h2', {}, '督办'), list, form, fill(messages));
}
