// @ts-check
import { dataUrl, download, fill, fmtTime, h } from '../assets/ui.js';
import { label } from '../shared/labels.js';
import { serverEnv } from '../shared/shell.js';
import { dueBadge, nameBook, refusalBox } from './common.js';
import { amendForm } from './amend.js';
import { findingsForm } from './findings.js';

/** @typedef {import('../shared/shell.js').ViewContext} ViewContext */

/**
 * The code full screen: the QR for the enterprise to scan (Art. 17(2)), the code in words, its validity,
 * and the notice (行政检查通知书) to print or share.
 * @param {ViewContext['api']} api
 * @param {any} i the inspection
 * @param {any} code its code
 */
async function codeCard(api, i, code) {
  const src = await dataUrl(await (await api.raw(`/api/v1/inspections/${i.id}/code.png`)).blob());
  const screen = h(
    'div',
    { class: 'code-screen', 'data-testid': 'code-screen' },
    h('img', { src, alt: `检查码 ${code.code} 的二维码` }),
    h('div', { class: 'code-text', 'data-testid': 'code-text' }, code.code),
    h('div', { class: 'muted' }, `有效期：${fmtTime(code.validFrom)} 至 ${fmtTime(code.validTo)}（${code.state === 'active' ? '有效' : code.state}）`),
  );
  const full = h('button', {
    type: 'button',
    'data-testid': 'code-full',
    onclick: () => {
      const on = screen.classList.toggle('full');
      full.textContent = on ? '退出全屏' : '全屏出示';
      if (on) screen.append(full);
      else screen.after(full);
    },
  }, '全屏出示');
  return h(
    'section',
    { class: 'card' },
    h('h2', {}, '检查码（第十七条）'),
    screen,
    h('div', { class: 'actions' }, full, h('button', { type: 'button', 'data-testid': 'notice-pdf', onclick: async () => download(await api.raw(`/api/v1/inspections/${i.id}/notice.pdf`), `行政检查通知书-${code.code}.pdf`) }, '下载行政检查通知书（打印或转发）')),
    h('p', { class: 'muted' }, '企业扫码后在“企业服务”中看到：检查单位、检查事项、检查时间、检查人员（姓名部分隐去、执法证号）以及检查码是否有效；检查码仅在上述时间内有效。'),
  );
}

/**
 * One inspection: its scheme and, by state, the next step — approve (head), get the code, scan on entry,
 * record findings, notify the result, close.
 * @param {ViewContext} ctx
 */
export async function inspectionView({ api, me, labels, args, rerender }) {
  const id = args[0] ?? '';
  const { today } = await serverEnv();
  const names = nameBook(api);
  const detail = await api(`/api/v1/inspections/${encodeURIComponent(id)}`);
  const i = detail.inspection;
  const out = h('div', { 'data-testid': 'step-result' });
  /**
   * @param {string} path
   * @param {unknown} body
   * @param {string} [method]
   */
  const act = async (path, body, method = 'POST') => {
    try {
      await api(path, { method, body });
      rerender();
    } catch (err) {
      fill(out, refusalBox(err));
    }
  };
  const button = (/** @type {string} */ text, /** @type {string} */ testid, /** @type {() => void} */ onclick, primary = true) => h('button', { type: 'button', class: primary ? 'primary' : '', 'data-testid': testid, onclick }, text);

  /** @type {(Node | null)[]} */
  const steps = [];
  if (i.state === 'draft') {
    // A draft the head returned: the reason, until the scheme is amended.
    /** @type {any[]} */
    const history = detail.history;
    const returned = history.filter((e) => e.action === 'inspection.returned' || e.action === 'inspection.amended').at(-1);
    if (returned?.action === 'inspection.returned') steps.push(h('div', { class: 'alert error', role: 'status', 'data-testid': 'returned' }, `负责人退回修改：${returned.reason ?? ''}。请按意见修改方案（可取消后重新制定）。`));
    steps.push(amendForm({ api, inspection: i, onDone: rerender }));
    if (me.role === 'agency_head') steps.push(button('批准检查方案', 'approve', () => act(`/api/v1/inspections/${i.id}/approve`, {})));
    else steps.push(h('p', { class: 'muted' }, '方案已提交，待单位负责人批准（第十七条第（一）项）。'));
  }
  if (i.state === 'approved' && i.kind !== 'case') steps.push(button('获取检查码', 'issue-code', () => act(`/api/v1/inspections/${i.id}/code`, undefined)));
  if (i.state === 'approved' && i.kind === 'case') steps.push(button('开始检查（个案检查无需检查码）', 'start', () => act(`/api/v1/inspections/${i.id}/start`, {})));
  if (i.state === 'code_issued' && detail.code) {
    const where = /** @type {HTMLInputElement} */ (h('input', { 'aria-label': '扫码地点', placeholder: '扫码地点（如：企业大门）' }));
    steps.push(h('label', { class: 'field' }, '扫码地点', where), button('进入现场，扫码登记（第十七条第（二）项）', 'scan', () => act(`/api/v1/codes/${encodeURIComponent(detail.code.code)}/scan`, where.value.trim() ? { location: where.value.trim() } : {})));
  }
  if (i.state === 'in_progress') steps.push(await findingsForm({ api, labels, inspection: i, today, onDone: rerender, out }));
  if (i.state === 'findings_recorded') {
    const method = /** @type {HTMLSelectElement} */ (h('select', { 'data-testid': 'notify-method' }, Object.keys(labels.notifyMethods).map((k) => h('option', { value: k }, label(labels.notifyMethods, k)))));
    steps.push(h('label', { class: 'field' }, '告知方式', method), button('告知企业检查结果（第十八条第（五）项）', 'notify', () => act(`/api/v1/inspections/${i.id}/notify-result`, { method: method.value })));
  }
  if (i.state === 'result_notified') steps.push(button('结束检查', 'close', () => act(`/api/v1/inspections/${i.id}/close`, {})));
  if (i.state === 'closed') {
    const ref = /** @type {HTMLInputElement} */ (h('input', { 'aria-label': '档案号', placeholder: '档案号' }));
    steps.push(h('label', { class: 'field' }, '档案号（第二十五条）', ref), button('归档', 'archive', () => act(`/api/v1/inspections/${i.id}/archive`, { archiveRef: ref.value.trim() })));
  }
  if (['draft', 'approved', 'code_issued'].includes(i.state)) {
    const reason = /** @type {HTMLInputElement} */ (h('input', { 'aria-label': '取消理由', placeholder: '取消理由' }));
    steps.push(h('details', {}, h('summary', {}, '取消检查'), reason, button('取消（检查码随即撤销）', 'cancel', () => act(`/api/v1/inspections/${i.id}/cancel`, { reason: reason.value.trim() }), false)));
  }

  const outcome = i.outcome && typeof i.outcome === 'object' ? /** @type {any} */ (i.outcome) : null;
  return h(
    'div',
    { 'data-testid': 'inspection', 'data-state': i.state },
    h('h1', {}, await names.enterprise(i.enterpriseCode)),
    h(
      'section',
      { class: 'card' },
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, '状态'), h('dd', { 'data-testid': 'state' }, label(labels.states.inspection, i.state)),
        h('dt', {}, '种类'), h('dd', {}, `${label(labels.kinds, i.kind)} · ${label(labels.modes, i.mode)}`),
        h('dt', {}, '检查事项'), h('dd', {}, i.matterCodes.join('、')),
        h('dt', {}, '检查时间'), h('dd', {}, `${fmtTime(i.windowStart)} 至 ${fmtTime(i.windowEnd)}`),
        h('dt', {}, '检查人员'), h('dd', {}, i.inspectors.map((/** @type {any} */ p) => `${p.name}（${p.certificateNo || '无证'}）`).join('、')),
        outcome ? [h('dt', {}, '处理结果'), h('dd', {}, outcome.summaryZh ?? label(labels.outcomes, outcome.kind), outcome.noticeNo ? `，文号 ${outcome.noticeNo}` : '')] : null,
        i.followUpDue ? [h('dt', {}, '跟踪检查'), h('dd', {}, dueBadge(i.followUpDue, today, '期限'))] : null,
      ),
    ),
    detail.code && ['code_issued', 'in_progress'].includes(i.state) ? await codeCard(api, i, detail.code) : null,
    detail.scans.length ? h('p', { class: 'muted', 'data-testid': 'scans' }, `扫码记录：${detail.scans.map((/** @type {any} */ s) => `${fmtTime(s.scannedAt)} ${label(labels.roles, s.byRole)}${s.accepted ? '' : '（未通过）'}`).join('；')}`) : null,
    h('section', { class: 'card' }, h('h2', {}, '下一步'), out, steps.length ? h('div', { class: 'actions' }, steps) : h('p', { class: 'muted' }, '没有需要办理的操作。')),
  );
}
