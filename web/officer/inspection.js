// @ts-check
import { confirmStep, dataUrl, download, fieldsOnly, fill, fmtTime, h, showFieldErrors, showIn } from '../assets/ui.js';
import { label } from '../shared/labels.js';
import { serverEnv } from '../shared/shell.js';
import { checkItem, dueBadge, nameBook, refusalBox, ruleTitle } from './common.js';
import { amendForm } from './amend.js';
import { findingsForm } from './findings.js';
import { devicePosition, evidenceSection } from './evidence.js';
import { recordSection } from './record-sign.js';

/** @typedef {import('../shared/shell.js').ViewContext} ViewContext */

/**
 * The code full screen: the QR for the enterprise to scan (Art. 17(2)), the code in words, its validity,
 * and the notice (行政检查通知书) to print or share.
 * @param {ViewContext['api']} api
 * @param {any} i the inspection
 * @param {any} code its code
 * @param {string} now the server's now (ISO)
 */
async function codeCard(api, i, code, now) {
  // What the code says now, by the server's clock: not yet valid before the window opens (issue 24).
  const status = code.state !== 'active' ? label(undefined, code.state) : now < code.validFrom ? '未到生效时间' : now > code.validTo ? '已过有效期' : '有效';
  const src = await dataUrl(await (await api.raw(`/api/v1/inspections/${i.id}/code.png`)).blob());
  const screen = h(
    'div',
    { class: 'code-screen', 'data-testid': 'code-screen' },
    h('img', { src, alt: `检查码 ${code.code} 的二维码` }),
    h('div', { class: 'code-text', 'data-testid': 'code-text' }, code.code),
    h('div', { class: 'muted' }, `有效期：${fmtTime(code.validFrom)} 至 ${fmtTime(code.validTo)}`),
    h('div', { class: `badge ${status === '有效' ? 'ok' : 'warn'}`, 'data-testid': 'code-status' }, status),
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
 * What the head reads before approving (issue 24): every rule the scheme fails now, with its article and
 * what to change, and the officer's reason for submitting it anyway.
 * @param {ViewContext['api']} api
 * @param {string} id
 */
export async function approvalChecks(api, id) {
  const res = await api(`/api/v1/inspections/${id}/checks`);
  /** @type {any[]} */
  const failed = res.checks.filter((/** @type {any} */ c) => !c.passed);
  if (failed.length === 0) return h('div', { class: 'alert ok', 'data-testid': 'approval-checks', 'data-failed': '0' }, `规则检查：${res.checks.length} 项全部通过。`);
  return h(
    'div',
    { class: 'alert error', 'data-testid': 'approval-checks', 'data-failed': String(failed.length) },
    h('strong', {}, `规则检查：${failed.length} 项未通过，批准前请逐项核对。`),
    h('ul', { class: 'checks' }, failed.map((c) => checkItem(c))),
    h('div', { 'data-testid': 'failed-checks-reason-shown' }, `执法人员说明的理由：${res.failedChecksReason ?? '（未填写）'}`),
    // The API refuses to approve such a scheme without a reason (FAILED_CHECKS_UNEXPLAINED): say so before the tap.
    res.failedChecksReason ? null : h('div', { 'data-testid': 'reason-required' }, '执法人员未说明理由的，本平台不予批准：请退回方案，由执法人员修改或写明理由。'),
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
  const act = async (path, body, method = 'POST', question = '') => {
    // Irreversible steps ask first (issue 24).
    if (question && !confirmStep(question)) return;
    try {
      const res = await api(path, { method, body });
      if (res && typeof res === 'object' && 'flagged' in res && res.flagged) sessionStorage.setItem('wh327.officer.lastFlags', JSON.stringify({ id: i.id, rules: ['CODE_OUTSIDE_WINDOW'] }));
      rerender();
    } catch (err) {
      if (showFieldErrors(steps, err).length === 0 && fieldsOnly(err)) return;
      showIn(out, refusalBox(err));
    }
  };
  const button = (/** @type {string} */ text, /** @type {string} */ testid, /** @type {() => unknown} */ onclick, primary = true) => h('button', { type: 'button', class: primary ? 'primary' : '', 'data-testid': testid, onclick }, text);
  // Fresh, not cached: whether the code is valid yet depends on this minute.
  /** @type {string} */
  const now = await fetch('/web-env.json', { headers: { accept: 'application/json' } }).then((r) => r.json()).then((e) => e.now, () => new Date().toISOString());
  // Flags the last step raised, shown with the step (issue 24); read once.
  const raised = (() => {
    try {
      const v = JSON.parse(sessionStorage.getItem('wh327.officer.lastFlags') ?? 'null');
      if (v?.id !== i.id) return null;
      sessionStorage.removeItem('wh327.officer.lastFlags');
      return /** @type {string[]} */ (v.rules);
    } catch {
      return null;
    }
  })();
  if (raised?.length) fill(out, h('div', { class: 'alert error', role: 'status', 'data-testid': 'raised-flags' }, h('strong', {}, '本步骤已生成违规标记，已报送监督人员：'), h('ul', {}, raised.map((r) => h('li', { 'data-rule': r }, ruleTitle(r))))));
  const steps = h('div', { class: 'actions' });

  /** @type {(Node | null)[]} */
  const todo = [];
  if (i.state === 'draft') {
    // A draft the head returned: the reason, until the scheme is amended.
    /** @type {any[]} */
    const history = detail.history;
    const returned = history.filter((e) => e.action === 'inspection.returned' || e.action === 'inspection.amended').at(-1);
    if (returned?.action === 'inspection.returned') todo.push(h('div', { class: 'alert error', role: 'status', 'data-testid': 'returned' }, `负责人退回修改：${returned.reason ?? ''}。请按意见修改方案（可取消后重新制定）。`));
    todo.push(amendForm({ api, inspection: i, onDone: rerender }));
    if (me.role === 'agency_head') {
      todo.push(await approvalChecks(api, i.id));
      todo.push(button('批准检查方案', 'approve', () => act(`/api/v1/inspections/${i.id}/approve`, {}, 'POST', '批准后方案不能再修改。确认批准本检查方案？')));
    }
    else todo.push(h('p', { class: 'muted' }, '方案已提交，待单位负责人批准（第十七条第（一）项）。'));
  }
  if (i.state === 'approved' && i.kind !== 'case') todo.push(button('获取检查码', 'issue-code', () => act(`/api/v1/inspections/${i.id}/code`, undefined)));
  if (i.state === 'approved' && i.kind === 'case') todo.push(button('开始检查（个案检查无需检查码）', 'start', () => act(`/api/v1/inspections/${i.id}/start`, {})));
  /** @type {any[]} */
  const scans = detail.scans;
  const officerScanned = scans.some((s) => s.accepted && s.byRole !== 'enterprise');
  // The officer's scan on entry stays in view even after the enterprise's one-tap check moved the visit in progress.
  if (detail.code && (i.state === 'code_issued' || (i.state === 'in_progress' && !officerScanned))) {
    const enterpriseScan = scans.find((s) => s.accepted && s.byRole === 'enterprise');
    if (enterpriseScan) todo.push(h('div', { class: 'alert info', role: 'status', 'data-testid': 'enterprise-scanned' }, `企业已于 ${fmtTime(enterpriseScan.scannedAt)} 扫码核验检查码；执法人员进入现场时仍应扫码登记。`));
    const where = /** @type {HTMLInputElement} */ (h('input', { 'aria-label': '扫码地点', placeholder: '扫码地点（如：企业大门）', 'data-field': 'location' }));
    const late = /** @type {HTMLInputElement} */ (h('input', { 'aria-label': '超时扫码的理由', placeholder: '紧急情况、系统故障等', 'data-field': 'lateReason', 'data-testid': 'late-reason' }));
    // 亮码即定位: the phone's position goes with the scan only when the officer agrees (scan-location marker for supervisors).
    const locate = /** @type {HTMLInputElement} */ (h('input', { type: 'checkbox', 'data-testid': 'scan-consent' }));
    const isLate = now > detail.code.validTo;
    todo.push(
      h('label', { class: 'field' }, '扫码地点', where),
      h('label', { class: 'choice' }, locate, '同意记录本机位置（亮码即定位）'),
      h('label', { class: 'field', hidden: !isLate, 'data-testid': 'late-reason-field' }, '超出登记时间扫码的理由（第十七条第（一）项，将报送监督人员）', late),
      button('进入现场，扫码登记（第十七条第（二）项）', 'scan', async () => {
        const position = locate.checked ? await devicePosition() : null;
        await act(`/api/v1/codes/${encodeURIComponent(detail.code.code)}/scan`, { ...(where.value.trim() ? { location: where.value.trim() } : {}), ...(late.value.trim() ? { lateReason: late.value.trim() } : {}), ...(position ? { position } : {}) });
      }),
    );
  }
  if (i.state === 'in_progress') todo.push(await findingsForm({ api, labels, inspection: i, today, onDone: rerender, out }));
  if (i.state === 'findings_recorded') {
    const method = /** @type {HTMLSelectElement} */ (h('select', { 'data-testid': 'notify-method' }, Object.keys(labels.notifyMethods).map((k) => h('option', { value: k }, label(labels.notifyMethods, k)))));
    todo.push(h('label', { class: 'field' }, '告知方式', method), button('告知企业检查结果（第十八条第（五）项）', 'notify', () => act(`/api/v1/inspections/${i.id}/notify-result`, { method: method.value }, 'POST', '告知后检查结果即送达企业，不能撤回。确认告知？')));
  }
  if (i.state === 'result_notified') todo.push(button('结束检查', 'close', () => act(`/api/v1/inspections/${i.id}/close`, {}, 'POST', '结束后不能再记录检查情况。确认结束检查？')));
  if (i.state === 'closed') {
    const ref = /** @type {HTMLInputElement} */ (h('input', { 'aria-label': '档案号', placeholder: '档案号' }));
    todo.push(h('label', { class: 'field' }, '档案号（第二十五条）', ref), button('归档', 'archive', () => act(`/api/v1/inspections/${i.id}/archive`, { archiveRef: ref.value.trim() })));
  }
  if (['draft', 'approved', 'code_issued'].includes(i.state)) {
    const reason = /** @type {HTMLInputElement} */ (h('input', { 'aria-label': '取消理由', placeholder: '取消理由' }));
    todo.push(h('details', {}, h('summary', {}, '取消检查'), reason, button('取消（检查码随即撤销）', 'cancel', () => act(`/api/v1/inspections/${i.id}/cancel`, { reason: reason.value.trim() }, 'POST', '取消后检查码随即撤销，不能恢复。确认取消？'), false)));
  }

  fill(steps, todo);
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
        h('dt', {}, '检查事项'), h('dd', { 'data-testid': 'matters' }, (await matterNames(api, i.agencyCode, i.matterCodes)).join('、')),
        h('dt', {}, '检查时间'), h('dd', {}, `${fmtTime(i.windowStart)} 至 ${fmtTime(i.windowEnd)}`),
        h('dt', {}, '检查人员'), h('dd', {}, i.inspectors.map((/** @type {any} */ p) => `${p.name}（${p.certificateNo || '无证'}）`).join('、')),
        outcome ? [h('dt', {}, '处理结果'), h('dd', {}, outcome.summaryZh ?? label(labels.outcomes, outcome.kind), outcome.noticeNo ? `，文号 ${outcome.noticeNo}` : '')] : null,
        i.followUpDue ? [h('dt', {}, '跟踪检查'), h('dd', {}, dueBadge(i.followUpDue, today, '期限'))] : null,
      ),
    ),
    detail.code && ['code_issued', 'in_progress'].includes(i.state) ? await codeCard(api, i, detail.code, now) : null,
    detail.scans.length ? h('p', { class: 'muted', 'data-testid': 'scans' }, `扫码记录：${detail.scans.map((/** @type {any} */ s) => `${fmtTime(s.scannedAt)} ${label(labels.roles, s.byRole)}${s.accepted ? '' : '（未通过）'}${s.farFromPremises ? `（${s.farFromPremises.noteZh}）` : ''}`).join('；')}`) : null,
    ['code_issued', 'in_progress', 'findings_recorded', 'result_notified', 'closed', 'archived'].includes(i.state) ? await evidenceSection({ api, inspection: i, canAttach: ['code_issued', 'in_progress', 'findings_recorded', 'result_notified'].includes(i.state) && me.agency === i.agencyCode }) : null,
    ['findings_recorded', 'result_notified', 'closed', 'archived'].includes(i.state) ? await recordSection({ api, inspection: i, canSign: ['findings_recorded', 'result_notified'].includes(i.state) && me.agency === i.agencyCode }) : null,
    h('section', { class: 'card' }, h('h2', {}, '下一步'), out, todo.length ? steps : h('p', { class: 'muted' }, '没有需要办理的操作。')),
  );
}

/**
 * The matters by name (名称, not 编码): the agency's catalogue (第七条), read once per view; a code the
 * catalogue no longer lists keeps its code.
 * @param {import('../shared/shell.js').Api} api @param {string} agency @param {string[]} codes
 */
async function matterNames(api, agency, codes) {
  /** @type {any[]} */
  const rows = await api(`/api/v1/matters?agency=${encodeURIComponent(agency)}&limit=500`).catch(() => []);
  const byCode = new Map(rows.map((m) => [m.matterCode, m.name]));
  return codes.map((c) => byCode.get(c) ?? c);
}
