import { fill, fmtTime, h, notice, problemBox, SEVERITY_ZH } from '/assets/ui.js';
import { flagNoticesSection } from './notices.js';
import { agencyPicker, enterprisePicker, filterForm } from './pickers.js';
import { articleQuote, readableTable } from './readable.js';

/**
 * 违规标记 (the violation register): filter, read the evidence and the audit entries, and review —
 * open → 已确认 → 已整改 / 不予认定 (a note is required to close one).
 */
const STATES = { open: '待处理', acknowledged: '已确认', resolved: '已整改', dismissed: '不予认定' };
const PAGE = 50;
let rules = null;

const badge = (cls, text) => h('span', { class: `badge ${cls}` }, text);
const select = (name, value, options, label) =>
  h('label', {}, label, h('select', { name, 'data-testid': `filter-${name}` }, h('option', { value: '' }, '全部'), ...Object.entries(options).map(([v, t]) => h('option', { value: v, selected: v === value }, t))));
const input = (name, value, label, attrs = {}) => h('label', {}, label, h('input', { name, value: value ?? '', 'data-testid': `filter-${name}`, ...attrs }));

export async function flagsView({ api, query }) {
  rules ??= await api('/api/v1/rules');
  const q = new URLSearchParams(query);
  const offset = Number(q.get('offset') ?? 0);
  q.set('limit', String(PAGE));
  const { items, total } = await api.page(`/api/v1/flags?${q}`);

  const form = filterForm(
    'flags',
    {},
    select('rule', query.get('rule'), Object.fromEntries(rules.map((r) => [r.id, `${r.titleZh}（${r.article}）`])), '规则'),
    select('state', query.get('state'), STATES, '状态'),
    select('severity', query.get('severity'), SEVERITY_ZH, '严重程度'),
    await agencyPicker(api, 'agency', query.get('agency'), '行政执法主体'),
    enterprisePicker(api, 'enterprise', query.get('enterprise'), '企业'),
    input('from', query.get('from'), '发现日期自', { type: 'date' }),
    input('to', query.get('to'), '至', { type: 'date' }),
    h('button', { class: 'primary', type: 'submit', 'data-testid': 'filter-apply' }, '查询'),
  );

  const rows = items.map((f) =>
    h(
      'tr',
      { class: 'clickable', 'data-testid': 'flag-row', dataset: { rule: f.rule, id: f.id }, onclick: () => (location.hash = `#/flags/${f.id}`) },
      h('td', {}, fmtTime(f.raisedAt)),
      h('td', {}, h('div', {}, f.ruleTitleZh), h('div', { class: 'muted' }, f.article)),
      h('td', {}, badge(f.severity, SEVERITY_ZH[f.severity] ?? f.severity)),
      h('td', {}, f.agencyName ?? f.agencyCode ?? '—'),
      h('td', {}, f.enterpriseName ?? f.enterpriseCode ?? '—'),
      h('td', {}, f.detail),
      h('td', {}, badge(f.state, f.stateZh)),
    ),
  );
  const pageLink = (to, text) => {
    const next = new URLSearchParams(query);
    next.set('offset', String(to));
    return h('a', { class: 'button', href: `#/flags?${next}` }, text);
  };
  return h(
    'div',
    {},
    h('h1', {}, '违规标记登记簿'),
    form,
    h(
      'table',
      { 'data-testid': 'flags-table' },
      h('thead', {}, h('tr', {}, ...['发现时间', '规则', '严重程度', '行政执法主体', '企业', '说明', '状态'].map((t) => h('th', {}, t)))),
      h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: 7, class: 'muted' }, '没有符合条件的违规标记'))),
    ),
    h(
      'div',
      { class: 'pager' },
      h('span', { 'data-testid': 'flags-total' }, `共 ${total} 条`),
      offset > 0 ? pageLink(Math.max(0, offset - PAGE), '上一页') : null,
      offset + PAGE < total ? pageLink(offset + PAGE, '下一页') : null,
    ),
  );
}

const SUBJECT_LINK = { inspection: (id) => `#/inspections/${id}`, enterprise_report: (id) => `#/reports/${id}` };
const SUBJECT_ZH = { inspection: '行政检查', enterprise_report: '企业报告', plan: '年度检查计划', referral: '移送', special_plan: '专项检查计划' };

const MACHINE_OF = { inspection: 'inspection', flag: 'flag', referral: 'referral', plan: 'plan', special_plan: 'specialPlan', supervision_notice: 'supervisionNotice', device: 'device' };

/**
 * The audit entries behind a record, named in Chinese: the action, the role and the states from the labels
 * API, Beijing time; the actor as the entry recorded it (a login subject: supervisors may see it, 第八条).
 */
export function auditTable(entries, labels) {
  const state = (e, s) => (s ? (labels?.states?.[MACHINE_OF[e.subjectType]]?.[s] ?? s) : '—');
  return h(
    'table',
    { 'data-testid': 'audit-table' },
    h('thead', {}, h('tr', {}, ...['链上序号', '时间', '操作人', '角色', '动作', '状态变化'].map((t) => h('th', {}, t)))),
    h(
      'tbody',
      {},
      entries.map((e) =>
        h(
          'tr',
          { dataset: { action: e.action } },
          h('td', {}, e.seq ?? '待封链'),
          h('td', {}, fmtTime(e.occurredAt)),
          h('td', {}, e.actor),
          h('td', {}, labels?.roles?.[e.role] ?? e.role),
          h('td', {}, labels?.auditActions?.[e.action] ?? e.action),
          h('td', {}, e.beforeState || e.afterState ? `${state(e, e.beforeState)} → ${state(e, e.afterState)}` : ''),
        ),
      ),
    ),
  );
}

export async function flagDetailView({ api, args, rerender, labels }) {
  const { flag: f, audit } = await api(`/api/v1/flags/${encodeURIComponent(args[0])}`);
  const messages = h('div');
  const note = h('textarea', { 'data-testid': 'review-note', rows: 3, placeholder: '办结须说明整改情况；不予认定须说明理由' });
  const act = (action) => async () => {
    try {
      await api(`/api/v1/flags/${f.id}/${action}`, { method: 'POST', body: note.value.trim() ? { note: note.value.trim() } : {} });
      await rerender();
    } catch (err) {
      fill(messages, problemBox(err));
    }
  };
  const buttons = {
    open: [h('button', { class: 'primary', 'data-testid': 'acknowledge', onclick: act('acknowledge') }, '确认'), h('button', { class: 'danger', 'data-testid': 'dismiss', onclick: act('dismiss') }, '不予认定')],
    acknowledged: [h('button', { class: 'primary', 'data-testid': 'resolve', onclick: act('resolve') }, '办结（已整改）'), h('button', { class: 'danger', 'data-testid': 'dismiss', onclick: act('dismiss') }, '不予认定')],
  }[f.state];
  const subjectLink = SUBJECT_LINK[f.subjectType];
  const [quote, notices] = await Promise.all([articleQuote(api, f.article), flagNoticesSection(api, f, rerender)]);
  return h(
    'div',
    {},
    h('p', {}, h('a', { href: '#/flags' }, '← 返回违规标记登记簿')),
    h('h1', {}, f.ruleTitleZh, ' ', badge(f.state, f.stateZh)),
    h(
      'div',
      { class: 'split' },
      h(
        'section',
        { class: 'card' },
        h(
          'dl',
          { class: 'facts' },
          h('dt', {}, '依据'), h('dd', {}, f.article, quote),
          h('dt', {}, '规则编号'), h('dd', { class: 'muted' }, f.rule),
          h('dt', {}, '严重程度'), h('dd', {}, badge(f.severity, SEVERITY_ZH[f.severity] ?? f.severity)),
          h('dt', {}, '说明'), h('dd', { 'data-testid': 'flag-detail' }, f.detail),
          h('dt', {}, '行政执法主体'), h('dd', {}, f.agencyName ?? '未指明'),
          h('dt', {}, '企业'), h('dd', {}, f.enterpriseName ?? '—'),
          h('dt', {}, '发现时间'), h('dd', {}, fmtTime(f.raisedAt)),
          h('dt', {}, '记录'), h('dd', {}, subjectLink ? h('a', { href: subjectLink(f.subjectId) }, `查看该${SUBJECT_ZH[f.subjectType]}`) : (SUBJECT_ZH[f.subjectType] ?? '其他记录')),
          h('dt', {}, '观察值'), h('dd', {}, readableTable(f.observed, 'flag-observed')),
          h('dt', {}, '限值'), h('dd', {}, readableTable(f.limit, 'flag-limit')),
          h('dt', {}, '证据'), h('dd', {}, readableTable(f.evidence, 'flag-evidence')),
        ),
      ),
      h(
        'section',
        { class: 'card' },
        h('h2', {}, '审阅'),
        f.reviewedAt ? h('p', { class: 'muted', 'data-testid': 'review-info' }, `${f.reviewedByName ?? '监督人员'} 于 ${fmtTime(f.reviewedAt)}：${f.reviewNote ?? '（无说明）'}`) : h('p', { class: 'muted' }, '尚未审阅'),
        buttons ? [note, h('div', { class: 'row', style: 'margin-top:.5rem' }, buttons)] : notice(`已${f.stateZh}，审阅结束`, 'info'),
        messages,
      ),
    ),
    notices,
    h('h2', {}, '审计记录'),
    auditTable(audit, labels),
  );
}
