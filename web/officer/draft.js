// @ts-check
import { ApiError, fieldsOnly, fill, h, newIdempotencyKey, showFieldErrors, showIn } from '../assets/ui.js';
import { label } from '../shared/labels.js';
import { serverEnv } from '../shared/shell.js';
import { checkItem, refusalBox, shanghaiInstant } from './common.js';

/** @typedef {import('../shared/shell.js').ViewContext} ViewContext */

/** @param {string} text @param {HTMLElement} control */
const field = (text, control) => h('label', { class: 'field' }, text, control);
/** @param {HTMLElement} el */
const input = (el) => /** @type {HTMLInputElement} */ (el);

/** A Shanghai wall time YYYY-MM-DDTHH:MM of an instant. @param {number} ms */
const wallOf = (ms) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 16);

/**
 * The default window (issue 24): never before now. In working hours of a working day, from now (to the next
 * five minutes) to 18:00, so a code issued now is valid at once for a team at the gate; at night, on a rest
 * day, or after 17:00, the next working day (official calendar, GET /calendar) 09:00–18:00 — before 06:00 on
 * a working day that is today's 09:00. The officer can change both.
 * @param {import('../shared/shell.js').Api} api
 * @param {string} today YYYY-MM-DD (Asia/Shanghai)
 * @param {string} now ISO instant (the server's clock)
 */
async function defaultWindow(api, today, now) {
  const nowMs = new Date(now).getTime();
  const wall = wallOf(nowMs).slice(11, 16);
  /** @param {string} day */
  const working = async (day) => {
    try {
      return Boolean((await api(`/api/v1/calendar/days/${day}`)).working);
    } catch {
      const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
      return dow !== 0 && dow !== 6;
    }
  };
  const todayWorks = await working(today);
  if (todayWorks && wall >= '06:00' && wall < '17:00') {
    const from = wallOf(Math.ceil(nowMs / 300_000) * 300_000);
    return { start: from, end: `${today}T18:00` };
  }
  let day = today;
  if (!(todayWorks && wall < '06:00')) {
    try {
      day = (await api(`/api/v1/calendar/add-working-days?from=${today}&days=1`)).result;
    } catch {
      do day = new Date(new Date(`${day}T00:00:00Z`).getTime() + 86_400_000).toISOString().slice(0, 10);
      while (!(await working(day)));
    }
  }
  return { start: `${day}T09:00`, end: `${day}T18:00` };
}

/**
 * 制定检查方案: matters from the agency's published list (Art. 7), the enterprise by name or credit code,
 * the window, the team (Art. 18(1)), and for a case its lead (Art. 9, 13). Every change re-runs the
 * pre-check (POST /inspections/pre-check, nothing written), so each guard's result and article is in view
 * before the scheme is submitted; submitting drafts it for the head's approval.
 * @param {ViewContext} ctx
 */
export async function draftView({ api, me, labels }) {
  const { today, now } = await serverEnv();
  const { start: defaultStart, end: defaultEnd } = await defaultWindow(api, today, now);
  const agency = me.agency ?? '';
  /** @type {any[]} */
  const matterRows = await api(`/api/v1/matters?agency=${encodeURIComponent(agency)}&state=published&limit=500`);
  /** @type {Map<string, any>} */
  const matters = new Map();
  for (const m of matterRows) if (!matters.has(m.matterCode) || matters.get(m.matterCode).version < m.version) matters.set(m.matterCode, m);
  /** @type {any[]} */
  const specialPlans = await api(`/api/v1/special-plans?agency=${encodeURIComponent(agency)}&limit=100`).catch(() => []);
  /** @type {any[]} */
  const recent = await api('/api/v1/inspections?limit=200').catch(() => []);
  /** @type {Map<string, string>} */
  const knownOfficers = new Map();
  for (const i of recent) for (const p of i.inspectors ?? []) if (p.certificateNo) knownOfficers.set(p.name, p.certificateNo);

  const kind = /** @type {HTMLSelectElement} */ (h('select', { name: 'kind', 'data-testid': 'kind' }, ['routine', 'special', 'case'].map((k) => h('option', { value: k }, label(labels.kinds, k)))));
  const mode = /** @type {HTMLSelectElement} */ (h('select', { name: 'mode', 'data-testid': 'mode' }, ['onsite', 'offsite'].map((k) => h('option', { value: k }, label(labels.modes, k)))));
  const matterBoxes = [...matters.values()].map((m) => /** @type {HTMLInputElement} */ (h('input', { type: 'checkbox', value: m.matterCode, 'data-matter': m.matterCode })));
  const matterList = h(
    'fieldset',
    { class: 'choices' },
    h('legend', {}, '检查事项（本单位已公布清单，第七条）'),
    matterBoxes.length
      ? matterBoxes.map((box) => {
          const m = matters.get(box.value);
          return h('label', {}, box, `${m.name}（${m.matterCode}${m.offsiteCapable ? '，可非现场' : ''}）`);
        })
      : h('p', { class: 'muted' }, '本单位尚未公布检查事项清单。'),
  );

  // The enterprise: search by name or credit code, pick one.
  let enterpriseCode = '';
  const entQuery = input(h('input', { type: 'search', 'data-testid': 'enterprise-query', placeholder: '企业名称或统一社会信用代码', 'aria-label': '查找企业' }));
  const entResults = h('div', { class: 'search-results' });
  const entChosen = h('p', { 'data-testid': 'enterprise-chosen', class: 'muted' }, '尚未选择企业');
  const searchEnterprise = async () => {
    const q = entQuery.value.trim();
    if (!q) return;
    try {
      /** @type {any[]} */
      const found = await api(`/api/v1/enterprises?q=${encodeURIComponent(q)}&limit=10`);
      fill(
        entResults,
        found.length
          ? found.map((e) =>
              h('button', {
                type: 'button',
                'data-enterprise': e.creditCode,
                onclick: () => {
                  enterpriseCode = e.creditCode;
                  fill(entChosen, `已选择：${e.name}（${e.creditCode}）`);
                  fill(entResults);
                  schedule();
                },
              }, `${e.name} · ${e.creditCode}`),
            )
          : h('p', { class: 'muted' }, '没有找到该企业。'),
      );
    } catch (err) {
      fill(entResults, refusalBox(err));
    }
  };

  const start = input(h('input', { type: 'datetime-local', 'data-testid': 'window-start', 'data-field': 'windowStart', value: defaultStart }));
  const end = input(h('input', { type: 'datetime-local', 'data-testid': 'window-end', 'data-field': 'windowEnd', value: defaultEnd }));
  // The reason for submitting although rules failed: evidence the head reads before approving (issue 24).
  const failedReason = /** @type {HTMLTextAreaElement} */ (h('textarea', { rows: 3, 'data-testid': 'failed-checks-reason', 'data-field': 'failedChecksReason', placeholder: '预检有规则未通过时必填：说明为何仍须按此方案检查' }));
  const failedReasonField = h('label', { class: 'field', hidden: true, 'data-testid': 'failed-checks-reason-field' }, '预检未通过仍提交的理由（负责人审批时可见）', failedReason);
  /** The rules the last pre-check failed (the submit button asks for a reason while there are any). */
  /** @type {any[]} */
  let lastFailed = [];
  // One key per scheme being drafted: a repeated submission (double tap, retry) is replayed, not drafted twice.
  const draftKey = newIdempotencyKey();

  // The team: name and enforcement certificate number per officer (Art. 18(1): two or more, certified).
  const datalist = h('datalist', { id: 'officer-names' }, [...knownOfficers.keys()].map((n) => h('option', { value: n })));
  const teamRows = h('div');
  const addOfficer = (name = '', cert = '') => {
    const n = input(h('input', { 'aria-label': '检查人员姓名', placeholder: '姓名', list: 'officer-names', value: name, 'data-role': 'officer-name' }));
    const c = input(h('input', { 'aria-label': '执法证号', placeholder: '执法证号', value: cert, 'data-role': 'officer-cert' }));
    n.addEventListener('change', () => {
      // Fill a known officer's certificate number only into an empty field nobody is typing in.
      const known = knownOfficers.get(n.value.trim());
      if (known && !c.value && document.activeElement !== c) c.value = known;
      schedule();
    });
    teamRows.append(h('div', { class: 'team-row' }, n, c));
  };
  addOfficer(me.name ?? '', (me.name && knownOfficers.get(me.name)) || '');
  addOfficer();
  // 第十八条第（一）项“法律另有规定”: the law and its article, never free text (issue 22).
  const teamBasis = input(h('input', { 'data-testid': 'team-basis', placeholder: '仅少于两人时填写，如《中华人民共和国某某法》' }));
  const teamBasisArticle = input(h('input', { 'data-testid': 'team-basis-article', placeholder: '如：第二十条' }));

  const leadKind = /** @type {HTMLSelectElement} */ (h('select', { 'data-testid': 'lead-kind' }, h('option', { value: '' }, '（非个案检查不填）'), Object.keys(labels.leadKinds).map((k) => h('option', { value: k }, label(labels.leadKinds, k)))));
  const leadRef = input(h('input', { placeholder: '线索编号' }));
  const specialPlan = /** @type {HTMLSelectElement} */ (h('select', {}, h('option', { value: '' }, '（非专项检查不选）'), specialPlans.map((p) => h('option', { value: p.id }, `${p.title}（${p.startDate} 至 ${p.endDate}）`))));
  const assistanceRef = input(h('input', { placeholder: '跨区域检查时填写' }));
  const escalationGround = /** @type {HTMLSelectElement} */ (h('select', { 'data-testid': 'escalation-ground' }, h('option', { value: '' }, '（由最低层级实施时不填）'), Object.keys(labels.escalationGrounds).map((k) => h('option', { value: k }, label(labels.escalationGrounds, k)))));
  const escalationRef = input(h('input', { placeholder: '指定、交办文件或上级规定的文号' }));
  const onsiteReason = input(h('input', { placeholder: '可非现场检查而现场检查时填写' }));
  const offsiteFollowUpReason = input(h('input', { placeholder: '计划为非现场方式、非现场检查难以达到目的时填写', 'data-testid': 'offsite-follow-up-reason' }));
  const checklist = /** @type {HTMLTextAreaElement} */ (h('textarea', { rows: 4, 'data-testid': 'checklist', placeholder: '每行一个检查项目' }));

  const checks = h('div', { 'data-testid': 'pre-check', 'aria-live': 'polite' }, h('p', { class: 'muted' }, '选择检查事项和企业后，这里显示每项规则的预检结果。'));
  const out = h('div');

  const body = () => {
    /** @type {Record<string, unknown>} */
    const b = {
      agencyCode: agency,
      enterpriseCode,
      kind: kind.value,
      mode: mode.value,
      matterCodes: matterBoxes.filter((x) => x.checked).map((x) => x.value),
      windowStart: shanghaiInstant(start.value),
      windowEnd: shanghaiInstant(end.value),
      inspectors: [...teamRows.querySelectorAll('.team-row')]
        .map((row) => ({ name: input(/** @type {HTMLElement} */ (row.children[0])).value.trim(), certificateNo: input(/** @type {HTMLElement} */ (row.children[1])).value.trim() }))
        .filter((p) => p.name),
      checklist: checklist.value.split('\n').map((s) => s.trim()).filter(Boolean),
    };
    const opt = (/** @type {string} */ k, /** @type {string} */ v) => {
      if (v.trim()) b[k] = v.trim();
    };
    if (teamBasis.value.trim() || teamBasisArticle.value.trim()) b.teamExceptionBasis = { law: teamBasis.value.trim(), article: teamBasisArticle.value.trim() };
    opt('leadKind', leadKind.value);
    opt('leadRef', leadRef.value);
    opt('specialPlanId', specialPlan.value);
    opt('assistanceRef', assistanceRef.value);
    opt('escalationGround', escalationGround.value);
    opt('escalationRef', escalationRef.value);
    opt('onsiteReason', onsiteReason.value);
    opt('failedChecksReason', failedReason.value);
    opt('offsiteFollowUpReason', offsiteFollowUpReason.value);
    return b;
  };
  const incomplete = (/** @type {Record<string, any>} */ b) => (!b.enterpriseCode ? '请选择企业' : b.matterCodes.length === 0 ? '请选择检查事项' : b.inspectors.length === 0 ? '请填写检查人员' : !b.windowStart || !b.windowEnd ? '请填写检查时间' : null);

  let ticket = 0;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const preCheck = async () => {
    const b = body();
    const missing = incomplete(b);
    if (missing) return fill(checks, h('p', { class: 'muted' }, `预检：${missing}。`));
    const mine = ++ticket;
    try {
      const res = await api('/api/v1/inspections/pre-check', { method: 'POST', body: b });
      if (mine !== ticket) return;
      /** @type {any[]} */
      const list = res.checks;
      const failed = list.filter((c) => !c.passed);
      lastFailed = failed;
      failedReasonField.hidden = failed.length === 0;
      fill(
        checks,
        h('div', { class: `alert ${failed.length ? 'error' : 'ok'}`, 'data-testid': 'pre-check-summary', 'data-passed': String(res.passed) }, failed.length ? `预检：${failed.length} 项规则未通过，请按提示修改。` : `预检：${list.length} 项规则全部通过。`),
        h('ul', { class: 'checks' }, [...failed, ...list.filter((c) => c.passed)].map((c) => checkItem(c))),
      );
    } catch (err) {
      if (mine === ticket) fill(checks, err instanceof ApiError ? refusalBox(err) : h('p', {}, String(err)));
    }
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(preCheck, 300);
  };

  const fillChecklist = () => {
    if (checklist.dataset.touched) return;
    checklist.value = matterBoxes.filter((x) => x.checked).map((x) => matters.get(x.value)?.name ?? x.value).join('\n');
  };
  checklist.addEventListener('input', () => {
    checklist.dataset.touched = '1';
  });

  const submit = async (/** @type {Event} */ e) => {
    e.preventDefault();
    const b = body();
    const missing = incomplete(b);
    if (missing) return showIn(out, h('div', { class: 'alert error', role: 'alert' }, missing));
    // A scheme that fails rules goes to the head only with the officer's reason (issue 24).
    await preCheck();
    if (lastFailed.length && !failedReason.value.trim()) {
      failedReasonField.hidden = false;
      return showFieldErrors(form, new ApiError({ errors: [{ field: 'body.failedChecksReason', message: `预检有 ${lastFailed.length} 项规则未通过：请按提示修改，或写明仍须按此方案检查的理由。` }] }, 400));
    }
    try {
      const res = await api('/api/v1/inspections', { method: 'POST', body: body(), idempotencyKey: draftKey });
      location.hash = `#/inspection/${res.inspection.id}`;
    } catch (err) {
      if (showFieldErrors(form, err).length || !fieldsOnly(err)) showIn(out, refusalBox(err));
    }
  };

  /** @type {HTMLElement} */
  const form = h(
    'form',
    { class: 'card', onsubmit: submit, 'data-testid': 'draft-form' },
    h('h1', {}, '制定检查方案'),
    field('检查种类（第九条）', kind),
    field('检查方式', mode),
    matterList,
    h('fieldset', {}, h('legend', {}, '检查对象'), h('div', { class: 'row' }, entQuery, h('button', { type: 'button', 'data-testid': 'enterprise-search', onclick: searchEnterprise }, '查找')), entResults, entChosen),
    h('fieldset', {}, h('legend', {}, '检查时间'), field('开始', start), field('结束', end)),
    h('fieldset', {}, h('legend', {}, '检查人员（第十八条第（一）项：不少于两名持证人员）'), datalist, teamRows, h('button', { type: 'button', onclick: () => addOfficer(), style: 'margin-top:.4rem' }, '增加检查人员'), field('少于两人的法律依据：法律名称', teamBasis), field('条款', teamBasisArticle)),
    h('fieldset', {}, h('legend', {}, '个案线索、专项计划与其他'), field('线索来源（个案检查）', leadKind), field('线索编号', leadRef), field('专项检查计划', specialPlan), field('异地协助安排（第十二条）', assistanceRef), field('提级实施的情形（第十一条第二款）', escalationGround), field('提级文件文号', escalationRef), field('现场检查的理由（第三十二条）', onsiteReason), field('对非现场检查计划事项及时现场检查的理由（第三十二条）', offsiteFollowUpReason)),
    field('检查项目（检查单）', checklist),
    h('h2', {}, '规则预检'),
    checks,
    failedReasonField,
    h('button', { class: 'primary big', type: 'submit', 'data-testid': 'submit-draft' }, '提交方案，报负责人批准'),
    out,
  );
  form.addEventListener('change', () => {
    fillChecklist();
    schedule();
  });
  form.addEventListener('input', (e) => {
    if (e.target !== entQuery) schedule();
  });
  entQuery.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      searchEnterprise();
    }
  });
  return form;
}
