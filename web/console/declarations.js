import { fill, fmtTime, h, notice, problemBox } from '/assets/ui.js';
import { filterForm } from './pickers.js';

/**
 * 声明事项 (the declared-exemption register, issue 22): what officers declared that relaxed a rule and the
 * registry could not confirm — who, what, for which record — with counts per agency and per officer against
 * their peers, and the review: 确认, or 不予认可 with a reason (asked twice: it becomes a violation flag
 * under the rule the declaration relaxed and cannot be undone).
 */
const STATUS = { pending: '待审核', confirmed: '已确认', rejected: '不予认可', withdrawn: '已撤回' };
const PAGE = 50;
let kinds = null;

const badge = (cls, text) => h('span', { class: `badge ${cls}` }, text);
const picker = (name, value, options, label) =>
  h('label', {}, label, h('select', { name, 'data-testid': `filter-${name}` }, h('option', { value: '' }, '全部'), ...options.map(([v, t]) => h('option', { value: v, selected: v === value }, t))));
const ratioText = (r) => (r.ratio === null ? `中位数 ${r.peerMedian}` : `中位数 ${r.peerMedian}，为其 ${r.ratio} 倍`);

function countsTable(title, testid, rows) {
  return h(
    'section',
    { class: 'card' },
    h('h2', {}, title),
    h(
      'table',
      { 'data-testid': testid },
      h('thead', {}, h('tr', {}, h('th', {}, '名称'), h('th', {}, '声明事项'), h('th', {}, '与同类比较'))),
      h('tbody', {}, rows.length ? rows.map((r) => h('tr', {}, h('td', {}, r.name ?? r.code), h('td', {}, String(r.count)), h('td', {}, ratioText(r)))) : h('tr', {}, h('td', { colspan: 3, class: 'muted' }, '暂无'))),
    ),
  );
}

/** The review panel of one pending declaration: busy while sending, reject asks first. */
function reviewPanel(api, d, rerender) {
  const messages = h('div', { 'aria-live': 'polite' });
  const noteId = `note-${d.id}`;
  const note = h('textarea', { id: noteId, 'data-testid': 'declaration-note', rows: 3, placeholder: '不予认可须说明理由；确认可附说明' });
  const buttons = [];
  const send = (action) => async () => {
    if (action === 'reject' && !note.value.trim()) {
      fill(messages, notice('不予认可须说明理由', 'error'));
      note.focus();
      return;
    }
    for (const b of buttons) b.disabled = true;
    fill(messages, notice('正在提交…', 'info'));
    try {
      await api(`/api/v1/declarations/${d.id}/${action}`, { method: 'POST', body: note.value.trim() ? { note: note.value.trim() } : {} });
      await rerender();
    } catch (err) {
      for (const b of buttons) b.disabled = false;
      fill(messages, problemBox(err));
    }
  };
  const confirmReject = h('button', { class: 'danger', 'data-testid': 'declaration-reject-confirm', onclick: send('reject') }, '确认不予认可');
  const cancel = h('button', { type: 'button', onclick: () => ask.setAttribute('hidden', '') }, '取消');
  const ask = h('div', { hidden: true, class: 'card', 'data-testid': 'declaration-reject-ask', role: 'alertdialog', 'aria-label': '确认不予认可' }, h('p', {}, `不予认可后，将以“${d.rule}”（${d.article}）对${d.agencyName ?? d.agencyCode}产生违规标记，且不可撤回。`), h('div', { class: 'row' }, confirmReject, cancel));
  const confirmBtn = h('button', { class: 'primary', 'data-testid': 'declaration-confirm', onclick: send('confirm') }, '确认');
  const rejectBtn = h('button', { class: 'danger', 'data-testid': 'declaration-reject', onclick: () => ask.removeAttribute('hidden') }, '不予认可');
  buttons.push(confirmBtn, rejectBtn, confirmReject, cancel);
  return h('div', {}, h('label', { for: noteId }, '说明'), note, h('div', { class: 'row', style: 'margin-top:.5rem' }, confirmBtn, rejectBtn), ask, messages);
}

export async function declarationsView({ api, query, rerender }) {
  kinds ??= await api('/api/v1/declarations/kinds');
  const q = new URLSearchParams(query);
  const offset = Number(q.get('offset') ?? 0);
  q.set('limit', String(PAGE));
  const countQuery = new URLSearchParams(query);
  countQuery.delete('offset');
  const [{ items, total }, counts] = await Promise.all([api.page(`/api/v1/declarations?${q}`), api(`/api/v1/declarations/counts?${countQuery}`)]);

  const form = filterForm(
    'declarations',
    {},
    picker('agency', query.get('agency'), counts.agencies.map((a) => [a.code, a.name ?? a.code]), '行政执法主体'),
    picker('officer', query.get('officer'), counts.officers.map((o) => [o.code, o.name ?? o.code]), '声明人'),
    picker('kind', query.get('kind'), kinds.filter((k) => k.registered).map((k) => [k.kind, k.labelZh]), '种类'),
    picker('status', query.get('status'), Object.entries(STATUS), '状态'),
    h('button', { class: 'primary', type: 'submit', 'data-testid': 'filter-apply' }, '查询'),
  );

  const rows = items.flatMap((d) => {
    const main = h(
      'tr',
      { 'data-testid': 'declaration-row', dataset: { id: d.id, kind: d.kind } },
      h('td', {}, fmtTime(d.declaredAt)),
      h('td', {}, h('div', {}, d.kindZh), h('div', { class: 'muted' }, `放宽 ${d.rule} · ${d.article}`)),
      h('td', {}, d.description),
      h('td', {}, d.agencyName ?? d.agencyCode, h('div', { class: 'muted' }, d.declaredByName ?? d.declaredBy)),
      h('td', {}, d.enterpriseName ?? '—', d.subjectType === 'inspection' ? h('div', {}, h('a', { href: `#/inspections/${d.subjectId}` }, '查看检查')) : null),
      h('td', {}, badge(d.status, d.statusZh), d.flagId ? h('div', {}, h('a', { href: `#/flags/${d.flagId}`, 'data-testid': 'declaration-flag' }, '查看违规标记')) : null, d.reviewNote ? h('div', { class: 'muted' }, d.reviewNote) : null),
    );
    if (d.status !== 'pending') return [main];
    return [main, h('tr', {}, h('td', { colspan: 6 }, reviewPanel(api, d, rerender)))];
  });
  const pageLink = (to, text) => {
    const next = new URLSearchParams(query);
    next.set('offset', String(to));
    return h('a', { class: 'button', href: `#/declarations?${next}` }, text);
  };
  return h(
    'div',
    {},
    h('h1', {}, '声明事项登记簿'),
    h('p', { class: 'muted' }, '执法人员申报的、放宽规则而登记信息无从核验的事项。确认后照此办理；不予认可即以所放宽规则的条款产生违规标记。'),
    form,
    h('div', { class: 'split' }, countsTable('各主体（与同层级主体比较）', 'declaration-agency-counts', counts.agencies), countsTable('各声明人（与本主体其他声明人比较）', 'declaration-officer-counts', counts.officers)),
    h(
      'table',
      { 'data-testid': 'declarations-table' },
      h('thead', {}, h('tr', {}, ...['申报时间', '种类', '所声明的内容', '行政执法主体 / 声明人', '企业', '状态'].map((t) => h('th', {}, t)))),
      h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: 6, class: 'muted' }, '没有符合条件的声明事项'))),
    ),
    h(
      'div',
      { class: 'pager' },
      h('span', { 'data-testid': 'declarations-total' }, `共 ${total} 条`),
      offset > 0 ? pageLink(Math.max(0, offset - PAGE), '上一页') : null,
      offset + PAGE < total ? pageLink(offset + PAGE, '下一页') : null,
    ),
  );
}
