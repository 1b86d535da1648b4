// @ts-check
import { download, fill, fmtTime, h, problemBox } from '../assets/ui.js';
import { filterForm } from './pickers.js';

/**
 * 审计日志 (the audit log, Art. 8, 24: 全过程记录、可追溯): browse and filter the entries within the
 * supervisor's jurisdiction, export them as CSV, and verify the whole hash chain from its first entry against
 * the append MACs and the signed checkpoints (docs/AUDIT.md). Actions, roles and subjects by their Chinese
 * names from GET /api/v1/labels; agencies and enterprises by name; times in Beijing time.
 */
const PAGE = 50;
/** @type {Map<string, string> | null} */
let agencyNames = null;

/** @param {(path: string) => Promise<any>} api */
async function agenciesOf(api) {
  agencyNames ??= new Map((await api('/api/v1/agencies')).map((/** @type {{ code: string, name: string }} */ a) => [a.code, a.name]));
  return agencyNames;
}

/** A day picked in Beijing time as the instant it starts (the API takes instants). @param {string} day */
const dayStart = (day) => `${day}T00:00:00+08:00`;
/** @param {string} day */
const nextDayStart = (day) => new Date(Date.parse(`${day}T00:00:00+08:00`) + 86_400_000).toISOString();

/** The API query of the page's filters (the page's own query holds the picked days). @param {URLSearchParams} query */
function apiQuery(query) {
  const q = new URLSearchParams();
  for (const k of ['action', 'agency', 'subjectType', 'subjectId']) {
    const v = query.get(k);
    if (v) q.set(k, v);
  }
  const from = query.get('from');
  const to = query.get('to');
  if (from) q.set('from', dayStart(from));
  if (to) q.set('to', nextDayStart(to));
  return q;
}

/**
 * @param {string} name
 * @param {string | null} value
 * @param {[string, string][]} options
 * @param {string} text
 */
const select = (name, value, options, text) =>
  h(
    'label',
    {},
    text,
    h('select', { name, 'data-testid': `audit-filter-${name}` }, h('option', { value: '' }, '全部'), ...options.map(([v, t]) => h('option', { value: v, selected: v === value }, t))),
  );

/** @param {import('../shared/shell.js').ViewContext} ctx */
export async function auditView({ api, query, labels }) {
  const agencies = await agenciesOf(api);
  const offset = Math.max(0, Number(query.get('offset') ?? 0) || 0);
  const q = apiQuery(query);
  q.set('limit', String(PAGE + 1));
  q.set('offset', String(offset));
  const fetched = await api(`/api/v1/audit?${q}`);
  const entries = fetched.slice(0, PAGE);
  const more = fetched.length > PAGE;
  const actions = labels.auditActions ?? {};
  const subjects = labels.auditSubjects ?? {};

  /**
   * Who acted: the role's name and the unit, by name — an enterprise by its name (actorName, from the API),
   * others by the agency in the login subject (`role:unit`). @param {any} e
   */
  const actorOf = (e) => {
    const unit = String(e.actor).split(':')[1];
    const unitName = e.actorName ?? (unit ? agencies.get(unit) : undefined);
    // The login subject only where no unit name stands for it (kept in the tooltip for whoever traces a login).
    return h('td', { title: e.actor }, h('div', {}, `${labels.roles?.[e.role] ?? e.role}${unitName ? ` · ${unitName}` : ''}`), unitName ? null : h('div', { class: 'muted' }, e.actor));
  };
  const rows = entries.map((/** @type {any} */ e) =>
    h(
      'tr',
      { 'data-testid': 'audit-row', dataset: { action: e.action } },
      h('td', {}, e.seq ?? '待封链'),
      h('td', {}, fmtTime(e.occurredAt)),
      actorOf(e),
      h('td', {}, actions[e.action] ?? e.action),
      h('td', {}, h('div', {}, subjects[e.subjectType] ?? e.subjectType), h('div', { class: 'muted' }, e.subjectId)),
      h('td', {}, e.agencyName ?? e.agencyCode ?? '—'),
      h('td', {}, e.enterpriseName ?? e.enterpriseCode ?? '—'),
    ),
  );

  const form = filterForm(
    'audit',
    { 'aria-label': '筛选审计日志' },
    select('action', query.get('action'), Object.entries(actions).sort((a, b) => a[1].localeCompare(b[1], 'zh-CN')), '动作'),
    select('agency', query.get('agency'), [...agencies].sort((a, b) => a[1].localeCompare(b[1], 'zh-CN')), '行政执法主体'),
    select('subjectType', query.get('subjectType'), Object.entries(subjects), '对象类型'),
    h('label', {}, '对象编号', h('input', { name: 'subjectId', value: query.get('subjectId') ?? '', 'data-testid': 'audit-filter-subjectId', maxlength: 100 })),
    h('label', {}, '日期自', h('input', { name: 'from', type: 'date', value: query.get('from') ?? '', 'data-testid': 'audit-filter-from' })),
    h('label', {}, '至', h('input', { name: 'to', type: 'date', value: query.get('to') ?? '', 'data-testid': 'audit-filter-to' })),
    h('button', { class: 'primary', type: 'submit', 'data-testid': 'audit-filter-apply' }, '查询'),
  );

  const status = h('div', { role: 'status', 'aria-live': 'polite', 'data-testid': 'audit-status' });
  /**
   * A button that shows it is busy and cannot be pressed twice while its action runs.
   * @param {HTMLButtonElement} button
   * @param {string} busyText
   * @param {() => Promise<void>} action
   */
  const busy = (button, busyText, action) => async () => {
    if (button.disabled) return;
    const text = button.textContent;
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    button.textContent = busyText;
    try {
      await action();
    } catch (err) {
      fill(status, problemBox(err));
    } finally {
      button.disabled = false;
      button.removeAttribute('aria-busy');
      button.textContent = text;
    }
  };

  const exportButton = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', 'data-testid': 'audit-export' }, '导出表格'));
  exportButton.onclick = busy(exportButton, '正在导出…', async () => {
    await download(await api.raw(`/api/v1/audit/export.csv?${apiQuery(query)}`), 'audit-log.csv');
    fill(status, '已导出当前筛选条件下的审计记录（北京时间）。');
  });

  const verifyButton = /** @type {HTMLButtonElement} */ (h('button', { type: 'button', class: 'primary', 'data-testid': 'audit-verify' }, '从第 1 条起校验全链'));
  verifyButton.onclick = busy(verifyButton, '正在校验…', async () => {
    fill(status, '正在从第 1 条起逐条校验哈希链、追加认证码与签名检查点……');
    // Always from the genesis: a routine (incremental) check would skip the entries before the last verified checkpoint.
    const r = await api('/api/v1/audit/verify?full=true');
    fill(
      status,
      r.ok
        ? h(
            'p',
            { class: 'verify-ok', 'data-testid': 'audit-verify-ok' },
            `审计日志完整：自第 1 条起已逐条校验全部 ${r.verified} 条，链头为第 ${r.headSeq} 条` +
              (r.latestCheckpoint ? `，与第 ${r.latestCheckpoint.seq} 号签名检查点（${fmtTime(r.latestCheckpoint.signedAt)} 签发）相符` : '，尚无签名检查点') +
              (r.pending ? `；另有 ${r.pending} 条待封链` : '') +
              '。',
          )
        : h(
            'div',
            { class: 'verify-bad', 'data-testid': 'audit-verify-bad' },
            h('p', {}, `审计日志发现 ${r.problems.length} 处问题：`),
            h('ul', {}, ...r.problems.slice(0, 20).map((/** @type {{ detail: string }} */ p) => h('li', {}, p.detail))),
          ),
    );
  });

  const pageLink = (/** @type {number} */ to, /** @type {string} */ text) => {
    const next = new URLSearchParams(query);
    next.set('offset', String(to));
    return h('a', { class: 'button', href: `#/audit?${next}` }, text);
  };

  return h(
    'div',
    { 'data-testid': 'audit-view' },
    h('div', { class: 'toolbar' }, h('h1', {}, '审计日志'), h('span', { class: 'spacer' }), exportButton, verifyButton),
    status,
    form,
    h(
      'table',
      { 'data-testid': 'audit-log-table' },
      h('caption', { class: 'muted' }, '按记录先后倒序排列；时间为北京时间'),
      h('thead', {}, h('tr', {}, ...['链上序号', '时间', '操作人', '动作', '对象', '行政执法主体', '企业'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: 7, class: 'muted' }, '没有符合条件的审计记录'))),
    ),
    h(
      'div',
      { class: 'pager' },
      h('span', {}, `第 ${offset + 1}–${offset + entries.length} 条`),
      offset > 0 ? pageLink(Math.max(0, offset - PAGE), '上一页') : null,
      more ? pageLink(offset + PAGE, '下一页') : null,
    ),
  );
}
