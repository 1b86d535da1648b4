// @ts-check
import { confirmStep, fmtTime, h, showIn } from '../assets/ui.js';
import { label } from '../shared/labels.js';
import { serverEnv } from '../shared/shell.js';
import { dueBadge, nameBook, refusalBox } from './common.js';
import { approvalChecks } from './inspection.js';

/** @typedef {import('../shared/shell.js').ViewContext} ViewContext */

/**
 * One inspection as a list entry linking to its page.
 * @param {any} i
 * @param {ViewContext['labels']} labels
 * @param {string} enterpriseName
 * @param {Node | null} [extra]
 */
function inspectionItem(i, labels, enterpriseName, extra = null) {
  return h(
    'li',
    { 'data-inspection': i.id, 'data-state': i.state },
    h(
      'a',
      { class: 'item', href: `#/inspection/${i.id}` },
      h('div', { class: 'item-title' }, enterpriseName),
      h('div', { class: 'muted' }, `${label(labels.kinds, i.kind)} · ${label(labels.modes, i.mode)} · ${label(labels.states.inspection, i.state)}`),
      h('div', { class: 'muted' }, `检查时间：${fmtTime(i.windowStart)} 至 ${fmtTime(i.windowEnd)}`),
      extra,
    ),
  );
}

/**
 * @param {string} title
 * @param {string} testid
 * @param {Node[]} items
 * @param {string} empty
 */
function section(title, testid, items, empty) {
  return h('section', { class: 'card', 'data-testid': testid }, h('h2', {}, `${title}（${items.length}）`), items.length ? h('ul', { class: 'list' }, items) : h('p', { class: 'muted' }, empty));
}

/**
 * 今日工作: the agency's open work, each entry with its deadline — drafts, schemes awaiting approval, codes
 * valid today, inspections in progress, findings without a notified result, follow-ups due (Art. 20),
 * referrals to send or receive with their 10-working-day due dates (Art. 23), joint-task parts (Art. 28).
 * @param {ViewContext} ctx
 */
export async function todayView({ api, me, labels }) {
  const { today } = await serverEnv();
  const names = nameBook(api);
  const [inspections, incoming, outgoing, tasks, agencyName, proposals] = await Promise.all([
    api('/api/v1/inspections?limit=500'),
    api('/api/v1/referrals?direction=incoming&limit=200'),
    api('/api/v1/referrals?direction=outgoing&limit=200'),
    api('/api/v1/joint-tasks?limit=200'),
    names.agency(me.agency ?? ''),
    api('/api/v1/proposals?state=open&limit=500').catch(() => ({ items: [] })),
  ]);
  /** @type {any[]} */
  const all = inspections;
  const enterpriseNames = new Map(await Promise.all([...new Set(all.map((i) => i.enterpriseCode))].map(async (c) => /** @type {[string, string]} */ ([c, await names.enterprise(c)]))));
  const item = (/** @type {any} */ i, /** @type {Node | null} */ extra = null) => inspectionItem(i, labels, enterpriseNames.get(i.enterpriseCode) ?? i.enterpriseCode, extra);
  const day = (/** @type {string} */ iso) => new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 10);

  const drafts = all.filter((i) => i.state === 'draft');
  const approved = all.filter((i) => i.state === 'approved');
  const codesToday = all.filter((i) => i.state === 'code_issued' && day(i.windowStart) <= today && today <= day(i.windowEnd));
  const inProgress = all.filter((i) => i.state === 'in_progress');
  const unnotified = all.filter((i) => i.state === 'findings_recorded');
  const followUps = all.filter((i) => i.followUpDue && !all.some((j) => j.followUpOf === i.id && j.state !== 'cancelled'));
  /** @type {any[]} */
  const toSend = outgoing.filter((/** @type {any} */ r) => r.state === 'opened');
  /** @type {any[]} */
  const toReceive = incoming.filter((/** @type {any} */ r) => r.state === 'sent' || r.state === 'received' || r.state === 'escalated');
  /** @type {any[]} */
  const myParts = tasks.filter((/** @type {any} */ t) => t.state !== 'closed' && t.state !== 'cancelled' && t.units.some((/** @type {any} */ u) => u.agencyCode === me.agency));

  const referralItem = (/** @type {any} */ r, /** @type {string} */ verb) =>
    h(
      'li',
      { 'data-referral': r.id },
      h('a', { class: 'item', href: `#/referrals/${r.id}` }, h('div', { class: 'item-title' }, `${verb}：${r.description}`), h('div', { class: 'muted' }, label(labels.states.referral, r.state)), dueBadge(r.dueDate, today, '移送期限')),
    );

  // 联合检查建议 waiting for this unit's answer (Art. 28), due by their respond-by date.
  /** @type {any[]} */
  const toAnswer = proposals.items.filter((/** @type {any} */ p) => p.units.some((/** @type {any} */ u) => u.agencyCode === me.agency && u.state === 'pending'));

  return h(
    'div',
    {},
    h('h1', {}, `今日工作 · ${agencyName}`),
    h('p', { class: 'muted' }, `今天是 ${today}。`, me.role === 'agency_head' ? '您可以批准本单位的检查方案。' : ''),
    section(
      me.role === 'agency_head' ? '待答复的联合检查建议（第二十八条）' : '待本单位负责人答复的联合检查建议',
      'proposals-to-answer',
      toAnswer.map((p) =>
        h('li', { 'data-proposal': p.id }, h('a', { class: 'item', href: `#/proposals/${p.id}` }, h('div', { class: 'item-title' }, p.enterpriseName), h('div', { class: 'muted' }, `联合检查：${fmtTime(p.windowStart)} 至 ${fmtTime(p.windowEnd)}`), dueBadge(day(p.respondBy), today, '答复期限'))),
      ),
      '没有待答复的联合检查建议。',
    ),
    section('检查方案草稿（待负责人批准）', 'drafts', drafts.map((i) => item(i, dueBadge(day(i.windowStart), today, '计划检查日'))), '没有草稿。'),
    section('已批准，待获取检查码', 'approved', approved.map((i) => item(i, dueBadge(day(i.windowStart), today, '计划检查日'))), '没有待获取检查码的方案。'),
    section('今日有效的检查码', 'codes-today', codesToday.map((i) => item(i, h('span', { class: 'due' }, `有效至 ${fmtTime(i.windowEnd)}`))), '今天没有有效的检查码。'),
    section('检查中', 'in-progress', inProgress.map((i) => item(i)), '没有进行中的检查。'),
    section('已记录检查情况，待告知结果（第十八条第（五）项）', 'unnotified', unnotified.map((i) => item(i)), '没有待告知的检查结果。'),
    section('待跟踪检查（第二十条第二款）', 'follow-ups', followUps.map((i) => item(i, dueBadge(i.followUpDue, today, '跟踪检查期限'))), '没有待跟踪的责令停止或改正。'),
    section('待移送（第二十三条，10个工作日内）', 'referrals-out', toSend.map((r) => referralItem(r, '移送')), '没有待移送的违法线索。'),
    section('待接收、受理的移送', 'referrals-in', toReceive.map((r) => referralItem(r, '接收')), '没有移送给本单位的线索。'),
    section(
      '综合查一次：本单位的分工',
      'joint-parts',
      myParts.map((t) => {
        const unit = t.units.find((/** @type {any} */ u) => u.agencyCode === me.agency);
        return h('li', { 'data-task': t.id }, h('a', { class: 'item', href: `#/joint/${t.id}` }, h('div', { class: 'item-title' }, t.entryName), h('div', { class: 'muted' }, `${unit?.stateZh ?? ''} · ${t.stateZh}`), dueBadge(day(t.windowStart), today, '联合检查日')));
      }),
      '没有综合查一次的分工。',
    ),
  );
}

/**
 * 审批: the head's queue of drafts — approve, or return with a reason (the scheme stays a draft, the reason
 * is on its record and shown to the officer).
 * @param {ViewContext} ctx
 */
export async function approvalsView({ api, me, labels, rerender }) {
  if (me.role !== 'agency_head') return h('div', { class: 'card' }, h('h1', {}, '审批'), h('p', {}, '检查方案由单位负责人批准（第十七条第（一）项）。请使用负责人身份登录。'));
  const names = nameBook(api);
  /** @type {any[]} */
  const drafts = await api('/api/v1/inspections?state=draft&limit=200');
  const rows = await Promise.all(
    drafts.map(async (i) => {
      const reason = /** @type {HTMLInputElement} */ (h('input', { 'aria-label': '退回理由', placeholder: '退回理由（必填）' }));
      // A refusal shows beside this scheme's buttons, not at the top of a long queue (issue 24): e.g. an
      // approval refused because failed rules have no stated reason, with every failed rule listed.
      const out = h('div', { 'data-testid': 'approval-result' });
      const act = async (/** @type {string} */ path, /** @type {unknown} */ body, question = '') => {
        if (question && !confirmStep(question)) return;
        try {
          await api(`/api/v1/inspections/${i.id}/${path}`, { method: 'POST', body });
          rerender();
        } catch (err) {
          showIn(out, refusalBox(err));
        }
      };
      return h(
        'li',
        { 'data-inspection': i.id },
        h('a', { class: 'item', href: `#/inspection/${i.id}` }, h('div', { class: 'item-title' }, await names.enterprise(i.enterpriseCode)), h('div', { class: 'muted' }, `${label(labels.kinds, i.kind)} · ${i.matterCodes.join('、')} · ${fmtTime(i.windowStart)}`)),
        // Every failed rule and the officer's reason, before the head decides (issue 24).
        await approvalChecks(api, i.id),
        h('div', { class: 'actions' }, h('button', { class: 'primary', type: 'button', 'data-testid': 'approve', onclick: () => act('approve', {}, '批准后方案不能再修改。确认批准本检查方案？') }, '批准'), reason, h('button', { type: 'button', 'data-testid': 'return', onclick: () => (reason.value.trim() ? act('return', { reason: reason.value.trim() }) : showIn(out, h('div', { class: 'alert error', role: 'alert' }, '退回须写明理由。'))) }, '退回（写明理由）')),
        out,
      );
    }),
  );
  return h('div', {}, h('h1', {}, '审批检查方案'), h('section', { class: 'card', 'data-testid': 'approval-queue' }, rows.length ? h('ul', { class: 'list' }, rows) : h('p', { class: 'muted' }, '没有待批准的检查方案。')));
}
