// @ts-check
import { confirmStep, fieldsOnly, fill, fmtTime, h, newIdempotencyKey, showFieldErrors, showIn } from '../assets/ui.js';
import { label } from '../shared/labels.js';
import { serverEnv } from '../shared/shell.js';
import { dueBadge, refusalBox } from './common.js';

/** @typedef {import('../shared/shell.js').ViewContext} ViewContext */
/** @typedef {{ name: string, certificateNo: string }} Officer */

/**
 * 联合检查建议 (综合查一次 without asking, Art. 26–31): the engine found an enterprise that two or more
 * units will visit and proposes ONE visit. Each unit's head answers here: the lead accepts and launches, a
 * cooperating unit accepts naming the officers it sends (Art. 28: 协同单位应当…参与) or declines with a
 * reason from the list. When every unit has accepted, the proposal becomes one joint visit with one code.
 */

const SOURCE_ZH = { plan: '由各单位已备案的年度检查计划匹配提出', scheme: '由各单位已拟定的检查方案匹配提出' };
/** @param {string} iso */
const shanghaiDay = (iso) => new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 10);
const roleZh = (/** @type {string} */ role) => (role === 'lead' ? '发起单位' : '协同单位');

/**
 * The unit's certified officers the head can send, by name and certificate number: the people named on the
 * agency's own inspections, joint-task parts and earlier answers (the registry keeps no roster), and the
 * signed-in officer. Only those with a certificate number are offered (Art. 18: 持执法证件).
 * @param {import('../shared/shell.js').Api} api
 * @param {ViewContext['me']} me
 * @param {any[]} proposals
 * @returns {Promise<Officer[]>}
 */
async function certifiedOfficers(api, me, proposals) {
  const [inspections, tasks] = /** @type {[any[], any[]]} */ (await Promise.all([api('/api/v1/inspections?limit=500').catch(() => []), api('/api/v1/joint-tasks?limit=200').catch(() => [])]));
  /** @type {Map<string, Officer>} */
  const byCert = new Map();
  /** @param {any} p */
  const add = (p) => {
    const certificateNo = String(p?.certificateNo ?? '').trim();
    const name = String(p?.name ?? '').trim();
    if (certificateNo && name && !byCert.has(certificateNo)) byCert.set(certificateNo, { name, certificateNo });
  };
  if (me.role === 'officer') add({ name: me.name, certificateNo: me.certificateNo });
  for (const i of inspections) if (i.agencyCode === me.agency) for (const p of i.inspectors ?? []) add(p);
  for (const t of tasks) for (const u of t.units ?? []) if (u.agencyCode === me.agency) for (const p of u.inspectors ?? []) add(p);
  for (const x of proposals) for (const u of x.units ?? []) if (u.agencyCode === me.agency) for (const p of u.inspectors ?? []) add(p);
  return [...byCert.values()].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
}

/**
 * The matters' names of every unit on a proposal, by agency and matter code.
 * @param {import('../shared/shell.js').Api} api
 * @param {string[]} agencyCodes
 */
async function matterNames(api, agencyCodes) {
  /** @type {Map<string, string>} */
  const names = new Map();
  await Promise.all(
    [...new Set(agencyCodes)].map(async (code) => {
      /** @type {any[]} */
      const rows = await api(`/api/v1/matters?agency=${encodeURIComponent(code)}&limit=500`).catch(() => []);
      for (const m of rows) names.set(`${code}/${m.matterCode}`, m.name);
    }),
  );
  return (/** @type {string} */ agency, /** @type {string} */ matter) => names.get(`${agency}/${matter}`) ?? '（事项名称未登记）';
}

/**
 * One proposal as a list entry linking to its page.
 * @param {any} p
 * @param {ViewContext} ctx
 * @param {string} today
 */
function proposalItem(p, { me, labels }, today) {
  const mine = p.units.find((/** @type {any} */ u) => u.agencyCode === me.agency);
  const lead = p.units.find((/** @type {any} */ u) => u.role === 'lead');
  return h(
    'li',
    { 'data-proposal': p.id, 'data-state': p.state },
    h(
      'a',
      { class: 'item', href: `#/proposals/${p.id}` },
      h('div', { class: 'item-title' }, p.enterpriseName),
      h('div', { class: 'muted' }, `发起单位：${lead?.agencyName ?? ''} · 共 ${p.units.length} 个单位`),
      h('div', { class: 'muted' }, `联合检查时间：${fmtTime(p.windowStart)} 至 ${fmtTime(p.windowEnd)}`),
      h('div', {}, `${label(labels.states.jointProposal, p.state)}${mine ? ` · 本单位${label(labels.states.jointProposalUnit, mine.state)}` : ''}`),
      p.state === 'open' && mine?.state === 'pending' ? dueBadge(shanghaiDay(p.respondBy), today, '答复期限') : null,
    ),
  );
}

/**
 * 联合检查建议: the unit's proposals — those waiting for its answer first — or one proposal's page.
 * @param {ViewContext} ctx
 */
export async function proposalsView(ctx) {
  if (ctx.args[0]) return proposalPage(ctx, ctx.args[0]);
  const { today } = await serverEnv();
  /** @type {{ items: any[] }} */
  const { items } = await ctx.api('/api/v1/proposals?limit=500');
  const mineOf = (/** @type {any} */ p) => p.units.find((/** @type {any} */ u) => u.agencyCode === ctx.me.agency);
  const waiting = items.filter((p) => p.state === 'open' && mineOf(p)?.state === 'pending');
  const open = items.filter((p) => p.state === 'open' && mineOf(p)?.state !== 'pending');
  const done = items.filter((p) => p.state !== 'open');
  const section = (/** @type {string} */ title, /** @type {string} */ testid, /** @type {any[]} */ rows, /** @type {string} */ empty) =>
    h('section', { class: 'card', 'data-testid': testid }, h('h2', {}, `${title}（${rows.length}）`), rows.length ? h('ul', { class: 'list' }, rows.map((p) => proposalItem(p, ctx, today))) : h('p', { class: 'muted' }, empty));
  return h(
    'div',
    {},
    h('h1', {}, '联合检查建议'),
    h('p', { class: 'muted' }, '多个单位将对同一企业实施检查时，系统提出一次联合检查的建议（第二十六条）。各单位负责人在此答复。'),
    section(ctx.me.role === 'agency_head' ? '待本单位答复' : '待本单位负责人答复', 'proposals-waiting', waiting, '没有待答复的建议。'),
    section('等待其他单位答复', 'proposals-open', open, '没有等待其他单位答复的建议。'),
    section('已发起、已拒绝或逾期', 'proposals-done', done, '暂无。'),
  );
}

/**
 * One proposal: who, what, when, the combined form, every unit's answer, and this unit's answer form.
 * @param {ViewContext} ctx
 * @param {string} id
 */
async function proposalPage(ctx, id) {
  const { api, me, labels, rerender } = ctx;
  const { today } = await serverEnv();
  const p = await api(`/api/v1/proposals/${encodeURIComponent(id)}`);
  const [list, matterName, task] = await Promise.all([
    api(`/api/v1/joint-lists/${encodeURIComponent(p.listId)}`).catch(() => null),
    matterNames(api, p.units.map((/** @type {any} */ u) => u.agencyCode)),
    p.jointTaskId ? api(`/api/v1/joint-tasks/${encodeURIComponent(p.jointTaskId)}`).catch(() => null) : null,
  ]);
  const entry = list?.entries?.find((/** @type {any} */ e) => e.code === p.entryCode) ?? null;
  const unitName = new Map(p.units.map((/** @type {any} */ u) => [u.agencyCode, u.agencyName]));
  const lead = p.units.find((/** @type {any} */ u) => u.role === 'lead');
  const cooperating = p.units.filter((/** @type {any} */ u) => u.role !== 'lead');
  const mine = p.units.find((/** @type {any} */ u) => u.agencyCode === me.agency);

  const facts = h(
    'dl',
    { class: 'facts', 'data-testid': 'proposal-facts' },
    h('dt', {}, '检查对象'),
    h('dd', { 'data-testid': 'proposal-enterprise' }, p.enterpriseName),
    h('dt', {}, '联合检查事项'),
    h('dd', {}, entry?.name ?? '“综合查一次”清单事项'),
    h('dt', {}, '发起单位'),
    h('dd', { 'data-testid': 'proposal-lead' }, lead?.agencyName ?? ''),
    h('dt', {}, '协同单位'),
    h('dd', { 'data-testid': 'proposal-cooperating' }, cooperating.map((/** @type {any} */ u) => u.agencyName).join('、')),
    h('dt', {}, '检查时间'),
    h('dd', {}, `${fmtTime(p.windowStart)} 至 ${fmtTime(p.windowEnd)}`),
    h('dt', {}, '答复期限'),
    h('dd', {}, fmtTime(p.respondBy), ' ', p.state === 'open' ? dueBadge(shanghaiDay(p.respondBy), today, '期限') : null),
    h('dt', {}, '检查组人数'),
    h('dd', {}, `各单位派出人员合计不超过 ${p.teamMax} 人`),
    h('dt', {}, '状态'),
    h('dd', { 'data-testid': 'proposal-state' }, label(labels.states.jointProposal, p.state)),
    h('dt', {}, '来源'),
    h('dd', {}, /** @type {Record<string, string>} */ (SOURCE_ZH)[p.source] ?? '系统匹配提出', p.seed ? '；检查对象按记录的随机种子由各单位共同抽取' : ''),
    h('dt', {}, '减少入企'),
    h('dd', {}, p.separateVisits > 1 ? `各单位分别检查需入企 ${p.separateVisits} 次，联合检查入企 1 次` : '联合检查入企 1 次'),
  );

  // 一表通查: the entry's combined form, each line with the unit that checks it.
  const form = h(
    'section',
    { class: 'card', 'data-testid': 'proposal-form' },
    h('h2', {}, '一表通查'),
    p.formLines > 0
      ? [
          h('p', {}, `各单位使用一张综合检查表，共 ${p.formLines} 项，入企一次查完。`),
          entry?.items?.length ? h('ul', { class: 'list' }, entry.items.map((/** @type {any} */ it) => h('li', {}, h('div', {}, it.text), h('div', { class: 'muted' }, `${it.standard}（${unitName.get(it.agencyCode) ?? '清单所列单位'}）`)))) : null,
        ]
      : h('p', { class: 'muted' }, '该清单事项没有综合检查表，各单位按本单位的检查事项实施。'),
  );

  const units = h(
    'section',
    { class: 'card', 'data-testid': 'proposal-units' },
    h('h2', {}, '各单位的检查事项与答复'),
    h(
      'ul',
      { class: 'list' },
      p.units.map((/** @type {any} */ u) =>
        h(
          'li',
          { 'data-unit': u.agencyCode, 'data-state': u.state },
          h('div', { class: 'item-title' }, `${u.agencyName}（${roleZh(u.role)}）`),
          h('div', { class: 'muted' }, `检查事项：${u.matterCodes.map((/** @type {string} */ m) => matterName(u.agencyCode, m)).join('、')}`),
          h('div', { 'data-testid': 'unit-answer' }, `答复：${label(labels.states.jointProposalUnit, u.state)}`, u.decidedAt ? `（${fmtTime(u.decidedAt)}${u.decidedByName ? `，${u.decidedByName}` : ''}）` : ''),
          Array.isArray(u.inspectors) && u.inspectors.length ? h('div', { class: 'muted' }, `派出人员：${u.inspectors.map((/** @type {Officer} */ o) => `${o.name}（执法证 ${o.certificateNo}）`).join('、')}`) : null,
          u.state === 'declined' ? h('div', {}, `拒绝理由：${u.declineReasonZh ?? '未说明理由'}${u.declineNote ? `；${u.declineNote}` : ''}`) : null,
        ),
      ),
    ),
  );

  /** @type {Node | null} */
  let launched = null;
  if (p.state === 'launched' && p.jointTaskId) {
    const code = task?.visits?.[0]?.code ?? null;
    launched = h(
      'section',
      { class: 'card', 'data-testid': 'proposal-launched' },
      h('h2', {}, '已发起联合检查'),
      h('p', {}, '各单位均已接受，已发起一次联合检查，入企一次、使用一个检查码。'),
      code ? h('p', {}, '检查码：', h('span', { class: 'hash', 'data-testid': 'proposal-code' }, code)) : null,
      h('a', { class: 'button primary', href: `#/joint/${p.jointTaskId}`, 'data-testid': 'open-joint-task' }, '查看联合检查'),
    );
  }

  /** @type {Node | null} */
  let answer = null;
  if (p.state === 'open' && mine?.state === 'pending') {
    answer =
      me.role === 'agency_head'
        ? await answerForm(ctx, p, mine, rerender)
        : h('section', { class: 'card', 'data-testid': 'proposal-answer' }, h('h2', {}, '本单位的答复'), h('p', {}, `本单位为${roleZh(mine.role)}。是否参加、派出哪些执法人员，由本单位负责人答复（第十七条第（一）项）。`));
  }

  return h('div', {}, h('p', {}, h('a', { href: '#/proposals' }, '← 全部联合检查建议')), h('h1', {}, `联合检查建议 · ${p.enterpriseName}`), h('section', { class: 'card' }, facts), launched, answer, units, form);
}

/**
 * The head's answer: accept naming the officers sent (picked from the unit's certified officers), and for a
 * cooperating unit, decline with a reason from the list. Both are final, so both ask first; each sends one
 * Idempotency-Key per intended answer, so a double tap answers once.
 * @param {ViewContext} ctx
 * @param {any} p
 * @param {any} mine
 * @param {() => void} rerender
 */
async function answerForm({ api, me, labels }, p, mine, rerender) {
  const proposals = /** @type {{ items: any[] }} */ (await api('/api/v1/proposals?limit=500').catch(() => ({ items: [] }))).items;
  const known = await certifiedOfficers(api, me, proposals);
  const isLead = mine.role === 'lead';
  const out = h('div', { 'data-testid': 'answer-result' });

  const boxes = known.map((o) => /** @type {HTMLInputElement} */ (h('input', { type: 'checkbox', value: o.certificateNo, 'data-officer': o.certificateNo })));
  // An officer not yet on any record of the unit: name and certificate number typed once (names, not ids).
  const extraName = /** @type {HTMLInputElement} */ (h('input', { 'aria-label': '其他执法人员姓名', placeholder: '姓名', 'data-testid': 'extra-officer-name' }));
  const extraCert = /** @type {HTMLInputElement} */ (h('input', { 'aria-label': '其他执法人员执法证号', placeholder: '执法证号', 'data-testid': 'extra-officer-cert' }));
  const team = h(
    'fieldset',
    { class: 'choices', 'data-field': 'inspectors', 'data-testid': 'officer-picker' },
    h('legend', {}, '本单位派出的执法人员（须持执法证）'),
    known.length
      ? known.map((o, k) => h('label', { class: 'choice' }, boxes[k], `${o.name} · 执法证 ${o.certificateNo}`))
      : h('p', { class: 'muted' }, '本单位的检查记录中尚无持证执法人员，请在下方填写。'),
    h('details', {}, h('summary', {}, '派出未列出的执法人员'), h('div', { class: 'team-row' }, extraName, extraCert)),
  );
  const chosen = () => {
    /** @type {Officer[]} */
    const picked = known.filter((_o, k) => boxes[k]?.checked);
    if (extraName.value.trim()) picked.push({ name: extraName.value.trim(), certificateNo: extraCert.value.trim() });
    return picked;
  };
  /** A field's own error, beside it (not in a box at the top of the page). */
  const fieldError = (/** @type {HTMLElement} */ field, /** @type {string} */ message) => {
    field.setAttribute('aria-invalid', 'true');
    const note = h('div', { class: 'field-error', role: 'alert', 'data-error-for': field.dataset.field ?? '' }, message);
    field.after(note);
    note.scrollIntoView({ block: 'center', behavior: 'smooth' });
  };
  const clearErrors = (/** @type {HTMLElement} */ scope) => {
    for (const old of scope.querySelectorAll('.field-error')) old.remove();
    for (const old of scope.querySelectorAll('[aria-invalid]')) old.removeAttribute('aria-invalid');
    fill(out);
  };

  /**
   * Sends one answer; a refusal goes beside its field where it names one, otherwise under the buttons.
   * @param {HTMLElement} scope
   * @param {string} step
   * @param {unknown} body
   * @param {string} key
   */
  const send = async (scope, step, body, key) => {
    try {
      await api(`/api/v1/proposals/${encodeURIComponent(p.id)}/${step}`, { method: 'POST', body, idempotencyKey: key });
      rerender();
    } catch (err) {
      const left = showFieldErrors(scope, err);
      if (left.length || !fieldsOnly(err)) showIn(out, refusalBox(err));
    }
  };

  const acceptKey = newIdempotencyKey();
  const acceptForm = h('div', { 'data-testid': 'accept-form' });
  const acceptButton = h(
    'button',
    {
      class: 'primary big',
      type: 'button',
      'data-testid': 'proposal-accept',
      onclick: async () => {
        clearErrors(acceptForm);
        const inspectors = chosen();
        if (inspectors.length === 0) return fieldError(team, '请选择本单位派出的执法人员，至少一名。');
        const uncertified = inspectors.filter((o) => !o.certificateNo);
        if (uncertified.length) return fieldError(team, `${uncertified.map((o) => o.name).join('、')} 未填写执法证号；无证人员不得参加检查。`);
        const question = isLead
          ? `接受后不能撤回。确认本单位作为发起单位接受建议，派出 ${inspectors.map((o) => o.name).join('、')}？各单位均接受后即发起联合检查并获取检查码。`
          : `接受后不能撤回。确认本单位参加联合检查，派出 ${inspectors.map((o) => o.name).join('、')}？`;
        if (!confirmStep(question)) return;
        await send(acceptForm, 'accept', { inspectors }, acceptKey);
      },
    },
    isLead ? '接受并发起联合检查' : '接受，派出所选人员',
  );
  acceptForm.append(team, acceptButton);

  /** @type {Node | null} */
  let declineForm = null;
  if (!isLead) {
    const reasons = /** @type {Record<string, string>} */ (/** @type {any} */ (labels).proposalDeclineReasons ?? {});
    const reason = /** @type {HTMLSelectElement} */ (h('select', { 'data-field': 'reason', 'data-testid': 'decline-reason' }, h('option', { value: '' }, '请选择拒绝理由'), Object.entries(reasons).map(([k, v]) => h('option', { value: k }, v))));
    const note = /** @type {HTMLTextAreaElement} */ (h('textarea', { rows: 3, 'data-field': 'note', 'data-testid': 'decline-note', maxlength: 500, placeholder: '补充说明（选填）' }));
    const declineKey = newIdempotencyKey();
    const box = h('div', { 'data-testid': 'decline-form' });
    box.append(
      h('label', { class: 'field' }, '拒绝理由', reason),
      h('label', { class: 'field' }, '补充说明', note),
      h(
        'button',
        {
          type: 'button',
          class: 'big',
          'data-testid': 'proposal-decline',
          onclick: async () => {
            clearErrors(box);
            // Art. 28: a unit declining without a listed reason is flagged; the app asks for one.
            if (!reason.value) return fieldError(reason, '请从列表中选择拒绝理由（第二十八条：协同单位应当参与，不参与须说明理由）。');
            if (!confirmStep(`拒绝后不能撤回，本次联合检查将不能实施。确认以“${reasons[reason.value]}”为由拒绝？`)) return;
            await send(box, 'decline', { reason: reason.value, ...(note.value.trim() ? { note: note.value.trim() } : {}) }, declineKey);
          },
        },
        '拒绝参加',
      ),
    );
    declineForm = h('details', { 'data-testid': 'decline' }, h('summary', {}, '不参加：选择理由并拒绝'), box);
  }

  return h(
    'section',
    { class: 'card', 'data-testid': 'proposal-answer' },
    h('h2', {}, '本单位的答复'),
    h('p', {}, isLead ? '本单位为发起单位：接受后，待各协同单位均接受即发起一次联合检查。' : '本单位为协同单位：接受并派出执法人员，或选择理由拒绝（第二十八条）。'),
    acceptForm,
    declineForm,
    out,
  );
}
