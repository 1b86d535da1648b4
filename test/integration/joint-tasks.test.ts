import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { as, newAgency } from '../support/factories.js';
import { approvedTask, findingsBody, JOINT_WINDOW, newJointWorld, officers, publishedJointList, type JointWorld } from '../support/joint-world.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

describeDb('a 综合查一次 of three agencies: launch, assign, one code, one form, per-unit outcomes (Art. 26–31)', () => {
  let t: TestApp;
  let w: JointWorld;
  let listId: string;
  let id: string;
  let code: string;
  // The QR's kid and signature: the public check shows the visit's details only to whoever presents them.
  let signed: string;
  let parts: { inspectionId: string; agencyCode: string; role: string; state: string }[];
  const url = (step = '') => `/api/v1/joint-tasks/${id}${step}`;
  const lead = () => as.officer(w.market.code);
  const states = (rows: { agencyCode: string; state: string }[]) => Object.fromEntries(rows.map((r) => [r.agencyCode, r.state]));
  const partOf = (agencyCode: string) => parts.find((p) => p.agencyCode === agencyCode)!.inspectionId;

  beforeAll(async () => {
    t = await createTestApp();
    w = await newJointWorld(t);
    listId = await publishedJointList(t, w);
  });
  afterAll(() => t.close());

  it('is launched by the lead unit’s head from a published entry, with the cooperating units waiting to be assigned', async () => {
    const byOfficer = await t.call({ method: 'POST', url: '/api/v1/joint-tasks', as: lead(), payload: {} });
    expect(byOfficer.statusCode).toBe(403);
    const byCooperating = await t.call({
      method: 'POST',
      url: '/api/v1/joint-tasks',
      as: as.head(w.fire.code),
      payload: { listId, entryCode: 'CY-01', enterpriseCodes: [w.enterprise.creditCode], ...JOINT_WINDOW, inspectors: officers('消防') },
    });
    expect(byCooperating.json().code).toBe('OUT_OF_SCOPE');
    const res = await t.call({
      method: 'POST',
      url: '/api/v1/joint-tasks',
      as: as.head(w.market.code),
      payload: { listId, entryCode: 'CY-01', enterpriseCodes: [w.enterprise.creditCode], ...JOINT_WINDOW, inspectors: officers('市监') },
    });
    expect(res.statusCode).toBe(201);
    const task = res.json().task;
    id = task.id;
    expect(task).toMatchObject({ state: 'launched', leadAgencyCode: w.market.code, countedDate: '2026-04-15' });
    expect(states(task.units)).toEqual({ [w.market.code]: 'accepted', [w.fire.code]: 'pending', [w.health.code]: 'pending' });
    expect(task.units[0]).toMatchObject({ agencyCode: w.market.code, role: 'lead' });
    expect(res.json().checks.filter((c: { rule: string; passed: boolean }) => c.rule === 'JOINT_IN_PLAN' && c.passed)).toHaveLength(3);
  });

  it('assigns each cooperating unit its part on the platform; a unit cannot accept before it is assigned', async () => {
    const early = await t.call({ method: 'POST', url: url('/accept'), as: as.officer(w.fire.code), payload: { inspectors: officers('消防') } });
    expect(early.json()).toMatchObject({ code: 'INVALID_TRANSITION', currentState: 'pending', allowedEvents: ['ASSIGN'] });
    const byOther = await t.call({ method: 'POST', url: url('/assign'), as: as.officer(w.fire.code), payload: { agencyCode: w.health.code } });
    expect(byOther.json().code).toBe('OUT_OF_SCOPE');
    const wrongMatter = await t.call({ method: 'POST', url: url('/assign'), as: lead(), payload: { agencyCode: w.fire.code, matterCodes: [w.matters.health] } });
    expect(wrongMatter.json()).toMatchObject({ code: 'VALIDATION', errors: [{ field: 'body.matterCodes' }] });
    for (const unit of [w.fire, w.health]) {
      const res = await t.call({ method: 'POST', url: url('/assign'), as: lead(), payload: { agencyCode: unit.code, note: '请派员参加' } });
      expect(res.json().units.find((u: { agencyCode: string }) => u.agencyCode === unit.code).state).toBe('assigned');
    }
  });

  it('has each unit accept with its officers and each unit’s own head approve its part', async () => {
    await t.call({ method: 'POST', url: url('/accept'), as: as.officer(w.fire.code), payload: { inspectors: officers('消防') } });
    await t.call({ method: 'POST', url: url('/accept'), as: as.officer(w.health.code), payload: { inspectors: officers('卫健') } });
    expect((await t.call({ method: 'POST', url: url('/approve'), as: as.officer(w.fire.code), payload: {} })).statusCode).toBe(403);
    for (const unit of [w.market, w.fire]) {
      const res = await t.call({ method: 'POST', url: url('/approve'), as: as.head(unit.code), payload: { note: '同意' } });
      expect(res.json().state).toBe('launched');
    }
    const last = await t.call({ method: 'POST', url: url('/approve'), as: as.head(w.health.code), payload: {} });
    expect(last.json()).toMatchObject({ state: 'approved' });
    parts = last.json().visits[0].parts;
    expect(parts[0]).toMatchObject({ agencyCode: w.market.code, role: 'lead' });
    expect(states(parts)).toEqual({ [w.market.code]: 'approved', [w.fire.code]: 'approved', [w.health.code]: 'approved' });
  });

  it('never gives a unit’s part row a code of its own', async () => {
    const res = await t.call({ method: 'POST', url: `/api/v1/inspections/${partOf(w.fire.code)}/code`, as: as.officer(w.fire.code) });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'INVALID_TRANSITION', jointTaskId: id });
    const cancel = await t.call({ method: 'POST', url: `/api/v1/inspections/${partOf(w.fire.code)}/cancel`, as: as.officer(w.fire.code), payload: { reason: '另行检查' } });
    expect(cancel.json()).toMatchObject({ code: 'INVALID_TRANSITION', jointTaskId: id });
  });

  it('issues ONE signed code for the visit naming every agency and matter, on the lead unit’s row', async () => {
    expect((await t.call({ method: 'POST', url: url('/code'), as: as.officer(w.fire.code) })).json().code).toBe('OUT_OF_SCOPE');
    const res = await t.call({ method: 'POST', url: url('/code'), as: lead() });
    expect(res.statusCode, res.body).toBe(201);
    const [issued] = res.json().codes;
    code = issued.code;
    signed = `?k=${issued.kid}&s=${issued.signature}`;
    expect(res.json().codes).toHaveLength(1);
    expect(issued).toMatchObject({ inspectionId: partOf(w.market.code), enterpriseCode: w.enterprise.creditCode });
    expect(issued.facts).toMatchObject({ kind: 'joint', enterprise: w.enterprise.creditCode, inspectorCount: 6 });
    expect([...issued.facts.agencies].sort()).toEqual([w.market.code, w.fire.code, w.health.code].sort());
    expect([...issued.facts.matters].sort()).toEqual(Object.values(w.matters).sort());
    const detail = (await t.call({ method: 'GET', url: url(), as: w.supervisor })).json();
    expect(detail).toMatchObject({ state: 'code_issued', visits: [{ code, state: 'code_issued' }] });
    expect(detail.visits[0].parts.every((p: { state: string }) => p.state === 'code_issued')).toBe(true);
  });

  it('shows the public check with every agency, matter and officer of the visit', async () => {
    t.clock.set('2026-04-15T09:30:00+08:00');
    const c = (await t.call({ method: 'GET', url: `/api/v1/codes/${code}${signed}` })).json();
    expect(c).toMatchObject({ status: 'valid', kind: 'joint', inspectorCount: 6 });
    expect(c.agencies.map((a: { name: string }) => a.name).sort()).toEqual([w.market.name, w.fire.name, w.health.name].sort());
    expect(c.matters.map((m: { name: string }) => m.name)).toEqual(expect.arrayContaining(['消防安全检查', '公共场所卫生监督检查']));
    expect(c.inspectors).toHaveLength(6);
  });

  it('serves the combined checklist: 8 items in 7 lines, the agreeing licence item serving two units', async () => {
    const c = (await t.call({ method: 'GET', url: url('/checklist'), as: as.officer(w.health.code) })).json();
    expect(c.itemsBeforeMerge).toBe(8);
    expect(c.lines).toHaveLength(7);
    expect(c.lines[0]).toMatchObject({ line: 1, text: '营业执照及许可证照公示', serves: [{ agencyCode: w.market.code }, { agencyCode: w.health.code }] });
    const certificates = c.lines.filter((l: { text: string }) => l.text === '从业人员健康证明');
    expect(certificates.map((l: { serves: { agencyCode: string }[] }) => l.serves.map((s) => s.agencyCode))).toEqual([[w.market.code], [w.health.code]]);
  });

  it('第十七条第（二）项 moves every unit’s part in progress when the lead unit’s officers scan the one code, not when the enterprise checks it', async () => {
    const res = await t.call({ method: 'POST', url: `/api/v1/codes/${code}/scan`, as: as.enterprise(w.enterprise.creditCode), payload: { location: '前厅' } });
    expect(res.statusCode).toBe(201);
    const checked = (await t.call({ method: 'GET', url: url(), as: lead() })).json();
    expect(checked.visits[0].parts.map((p: { state: string }) => p.state)).toEqual(['code_issued', 'code_issued', 'code_issued']);
    const scan = await t.call({ method: 'POST', url: `/api/v1/codes/${code}/scan`, as: lead(), payload: { location: '前厅' } });
    expect(scan.statusCode).toBe(201);
    const detail = (await t.call({ method: 'GET', url: url(), as: lead() })).json();
    expect(detail.visits[0].parts.map((p: { state: string }) => p.state)).toEqual(['in_progress', 'in_progress', 'in_progress']);
  });

  it('derives each unit’s outcome from its own items and refuses outcomes that do not follow', async () => {
    const violation = { 4: '后厨安全出口堆放杂物' };
    const missing = await t.call({ method: 'POST', url: url('/findings'), as: lead(), payload: { ...findingsBody(w, 7, violation), items: findingsBody(w, 6).items } });
    expect(missing.json()).toMatchObject({ code: 'VALIDATION', errors: [{ field: 'body.items' }] });
    const wrong = await t.call({ method: 'POST', url: url('/findings'), as: lead(), payload: findingsBody(w, 7, violation) });
    expect(wrong.json()).toMatchObject({ code: 'VALIDATION', errors: [{ field: 'body.outcomes[1].kind' }] });
    const overreach = await t.call({ method: 'POST', url: url('/findings'), as: lead(), payload: findingsBody(w, 7, violation, { [w.market.code]: { kind: 'rectification', noticeNo: 'X', dueDate: '2026-04-30' }, [w.fire.code]: { kind: 'rectification', noticeNo: '武昌消限〔2026〕3号', dueDate: '2026-04-22' } }) });
    expect(overreach.json()).toMatchObject({ code: 'VALIDATION', errors: [{ field: 'body.outcomes[0].kind' }] });
    const gas = await newAgency(t.db, { name: '武昌区城市管理执法局（测试）', districtCode: w.districtCode, domains: ['urban'] });
    const unknown = await t.call({
      method: 'POST',
      url: url('/findings'),
      as: lead(),
      payload: { ...findingsBody(w, 7, violation, { [w.fire.code]: { kind: 'rectification', noticeNo: '武昌消限〔2026〕3号', dueDate: '2026-04-22' } }), outOfJurisdiction: [{ line: 2, agencyCode: w.market.code, description: '后厨燃气管道私接', competentAgencyCode: 'NO-SUCH-AGENCY' }] },
    });
    expect(unknown.json()).toMatchObject({ code: 'REFERENCE_INVALID', errors: [{ field: 'body.outOfJurisdiction[0].competentAgencyCode' }] });
    const res = await t.call({
      method: 'POST',
      url: url('/findings'),
      as: lead(),
      payload: {
        ...findingsBody(w, 7, violation, { [w.fire.code]: { kind: 'rectification', noticeNo: '武昌消限〔2026〕3号', dueDate: '2026-04-22' } }),
        outOfJurisdiction: [{ line: 2, agencyCode: w.market.code, description: '后厨燃气管道私接', competentAgencyCode: gas.code }],
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().flags).toEqual([]);
    expect(Object.fromEntries(res.json().outcomes.map((o: { agencyCode: string; violations: number }) => [o.agencyCode, o.violations]))).toEqual({ [w.market.code]: 0, [w.fire.code]: 1, [w.health.code]: 0 });
    const fire = (await t.call({ method: 'GET', url: `/api/v1/inspections/${partOf(w.fire.code)}`, as: w.supervisor })).json().inspection;
    expect(fire).toMatchObject({ state: 'findings_recorded', kind: 'routine', outcome: { kind: 'rectification' }, followUpDue: '2026-04-22' });
    expect(fire.findings.items).toEqual([
      { item: '安全出口和疏散通道', result: 'violation', note: '后厨安全出口堆放杂物' },
      { item: '消防设施器材', result: 'compliant' },
    ]);
    const market = (await t.call({ method: 'GET', url: `/api/v1/inspections/${partOf(w.market.code)}`, as: w.supervisor })).json().inspection;
    expect(market.outcome.kind).toBe('no_violation');
    expect(market.findings.outOfJurisdiction).toEqual([{ description: '后厨燃气管道私接', competentAgencyCode: gas.code }]);
    // 第二十三条: the unit that found it refers it, from the joint visit, as from a single inspection.
    const outgoing = (await t.call({ method: 'GET', url: '/api/v1/referrals?direction=outgoing', as: as.officer(w.market.code) })).json();
    expect(outgoing.filter((r: { inspectionId: string }) => r.inspectionId === partOf(w.market.code))).toEqual([expect.objectContaining({ agencyCode: w.market.code, competentAgencyCode: gas.code, source: 'findings', state: 'opened', description: '后厨燃气管道私接' })]);
    expect(market.findings.items.map((i: { item: string }) => i.item)).toEqual(['营业执照及许可证照公示', '食品贮存条件', '从业人员健康证明']);
  });

  it('notifies the enterprise once, listing every unit’s result, then closes the visit and the task', async () => {
    const res = await t.call({ method: 'POST', url: url('/notify-result'), as: lead(), payload: { method: 'written' } });
    expect(res.statusCode).toBe(200);
    const results = res.json().results as { agencyCode: string; agencyName: string; outcomeZh: string; violations: string[] }[];
    expect(Object.fromEntries(results.map((r) => [r.agencyName, r.outcomeZh]))).toEqual({ [w.market.name]: '未发现违法行为，予以记录', [w.fire.name]: '责令改正', [w.health.name]: '未发现违法行为，予以记录' });
    expect(results.find((r) => r.agencyCode === w.fire.code)!.violations).toEqual(['安全出口和疏散通道']);
    const again = await t.call({ method: 'POST', url: url('/notify-result'), as: lead(), payload: { method: 'written' } });
    expect(again.json()).toMatchObject({ code: 'INVALID_TRANSITION', currentState: 'result_notified' });
    const closed = await t.call({ method: 'POST', url: url('/close'), as: lead(), payload: {} });
    expect(closed.json()).toMatchObject({ state: 'closed', visits: [{ state: 'closed' }] });
    // Right after the close: this instance forgot the cached view as the command committed.
    expect((await t.call({ method: 'GET', url: `/api/v1/codes/${code}` })).json().status).toBe('closed');
  });

  it('prints the combined checklist with its results in Chinese (PDF)', async () => {
    const pdf = await t.call({ method: 'GET', url: url(`/checklist.pdf?enterprise=${w.enterprise.creditCode}`), as: w.supervisor });
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = execFileSync('pdftotext', ['-', '-'], { input: pdf.rawPayload, encoding: 'utf8' }).replace(/\s+/g, '');
    for (const s of ['综合检查表单', '营业执照及许可证照公示', '安全出口和疏散通道', '空气质量和集中空调', w.enterprise.name, w.fire.name, '不符合', code]) expect(text).toContain(s.replace(/\s+/g, ''));
    const notice = await t.call({ method: 'GET', url: url('/notice.pdf'), as: lead() });
    const noticeText = execFileSync('pdftotext', ['-', '-'], { input: notice.rawPayload, encoding: 'utf8' }).replace(/\s+/g, '');
    for (const s of ['行政检查通知书', '综合查一次联合检查', w.fire.name, w.health.name, '消防安全检查']) expect(noticeText).toContain(s);
  });

  it('keeps each unit’s history and the task’s on the audit chain', async () => {
    const history = (await t.call({ method: 'GET', url: `/api/v1/inspections/${partOf(w.health.code)}`, as: w.supervisor })).json().history;
    expect(history.map((h: { action: string }) => h.action)).toEqual([
      'inspection.approved',
      'inspection.code_issued',
      'code.scanned',
      'inspection.findings_recorded',
      'inspection.result_notified',
      'inspection.closed',
    ]);
    expect((await t.call({ method: 'GET', url: '/api/v1/audit/verify', as: w.supervisor })).json().ok).toBe(true);
  });

  it('第二十九条、第三十条 records that the task was launched on the platform and its findings kept on one combined form', async () => {
    const entries = (await t.call({ method: 'GET', url: `/api/v1/audit?subjectType=joint_task&subjectId=${id}`, as: w.supervisor })).json();
    const byAction = (a: string) => entries.find((e: { action: string }) => e.action === a);
    expect(byAction('joint_task.launched').payload).toMatchObject({ rule: 'JOINT_OFFLINE', article: '第二十九条' });
    expect(byAction('joint_task.findings_recorded').payload).toMatchObject({ rule: 'JOINT_ONE_FORM', article: '第三十条', lines: 7 });
  });
});

describeDb('a cooperating unit that declines, and a joint code revoked (Art. 28, 17)', () => {
  let t: TestApp;
  let w: JointWorld;
  let listId: string;

  beforeAll(async () => {
    t = await createTestApp();
    w = await newJointWorld(t);
    listId = await publishedJointList(t, w);
  });
  afterAll(() => t.close());

  it('records the decline’s legal reason for the lead and supervisors, and goes ahead with the others', async () => {
    const res = await t.call({
      method: 'POST',
      url: '/api/v1/joint-tasks',
      as: as.head(w.market.code),
      payload: { listId, entryCode: 'CY-01', enterpriseCodes: [w.enterprise.creditCode, w.other.creditCode], ...JOINT_WINDOW, inspectors: officers('市监') },
    });
    const id = res.json().task.id as string;
    for (const unit of [w.fire, w.health]) await t.call({ method: 'POST', url: `/api/v1/joint-tasks/${id}/assign`, as: as.officer(w.market.code), payload: { agencyCode: unit.code } });
    const noBasis = await t.call({ method: 'POST', url: `/api/v1/joint-tasks/${id}/decline`, as: as.officer(w.health.code), payload: { reason: '不参加' } });
    expect(noBasis.json()).toMatchObject({ code: 'VALIDATION', errors: [{ field: 'body.legalBasis' }] });
    await t.call({ method: 'POST', url: `/api/v1/joint-tasks/${id}/decline`, as: as.officer(w.health.code), payload: { reason: '该企业不属于公共场所卫生许可范围', legalBasis: '《公共场所卫生管理条例》第二条' } });
    await t.call({ method: 'POST', url: `/api/v1/joint-tasks/${id}/accept`, as: as.officer(w.fire.code), payload: { inspectors: officers('消防') } });
    for (const unit of [w.market, w.fire]) await t.call({ method: 'POST', url: `/api/v1/joint-tasks/${id}/approve`, as: as.head(unit.code), payload: {} });

    const seenBy = async (p: ReturnType<typeof as.officer>) => (await t.call({ method: 'GET', url: `/api/v1/joint-tasks/${id}`, as: p })).json().units.find((u: { agencyCode: string }) => u.agencyCode === w.health.code);
    expect(await seenBy(w.supervisor)).toMatchObject({ state: 'declined', declineReason: '该企业不属于公共场所卫生许可范围', declineLegalBasis: '《公共场所卫生管理条例》第二条' });
    expect(await seenBy(as.officer(w.market.code))).toMatchObject({ declineLegalBasis: '《公共场所卫生管理条例》第二条' });
    expect(await seenBy(as.officer(w.fire.code))).toMatchObject({ state: 'declined', declineLegalBasis: null });

    const codes = await t.call({ method: 'POST', url: `/api/v1/joint-tasks/${id}/code`, as: as.officer(w.market.code) });
    expect(codes.statusCode, codes.body).toBe(201);
    expect(codes.json().codes.map((c: { enterpriseCode: string }) => c.enterpriseCode).sort()).toEqual([w.enterprise.creditCode, w.other.creditCode].sort());
    for (const c of codes.json().codes) expect([...c.facts.agencies].sort()).toEqual([w.market.code, w.fire.code].sort());
    const lines = (await t.call({ method: 'GET', url: `/api/v1/joint-tasks/${id}/checklist`, as: as.officer(w.fire.code) })).json().lines;
    expect(lines.map((l: { text: string }) => l.text)).toEqual(['营业执照及许可证照公示', '食品贮存条件', '从业人员健康证明', '安全出口和疏散通道', '消防设施器材']);

    // Revoking one visit's code cancels both units' parts of that visit; the other visit goes on.
    const [first, second] = codes.json().codes;
    const byOfficer = await t.call({ method: 'POST', url: `/api/v1/codes/${first.code}/revoke`, as: as.officer(w.market.code), payload: { reason: '企业停业' } });
    expect(byOfficer.statusCode).toBe(403);
    const revoked = await t.call({ method: 'POST', url: `/api/v1/codes/${first.code}/revoke`, as: as.head(w.market.code), payload: { reason: '企业停业装修' } });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json()).toMatchObject({ state: 'cancelled', id: first.inspectionId });
    // Before the window the public learns the state only, and the head's reason is never public.
    const publicAnswer = (await t.call({ method: 'GET', url: `/api/v1/codes/${first.code}?k=${first.kid}&s=${first.signature}` })).json();
    expect(publicAnswer).toEqual({ code: first.code, status: 'revoked', statusZh: expect.any(String), signatureChecked: true });
    let task = (await t.call({ method: 'GET', url: `/api/v1/joint-tasks/${id}`, as: w.supervisor })).json();
    const visit = (e: string) => task.visits.find((v: { enterpriseCode: string }) => v.enterpriseCode === e);
    expect(visit(first.enterpriseCode).parts.map((p: { state: string }) => p.state)).toEqual(['cancelled', 'cancelled']);
    expect(task.state).toBe('code_issued');
    await t.call({ method: 'POST', url: `/api/v1/codes/${second.code}/revoke`, as: as.head(w.market.code), payload: { reason: '企业停业装修' } });
    task = (await t.call({ method: 'GET', url: `/api/v1/joint-tasks/${id}`, as: w.supervisor })).json();
    expect(task.state).toBe('cancelled');
  });

  it('cannot go ahead when every cooperating unit declines: a joint visit needs two agencies (Art. 26)', async () => {
    const id = (await t.call({ method: 'POST', url: '/api/v1/joint-tasks', as: as.head(w.market.code), payload: { listId, entryCode: 'CY-01', enterpriseCodes: [w.other.creditCode], ...JOINT_WINDOW, inspectors: officers('市监') } })).json().task.id;
    for (const unit of [w.fire, w.health]) {
      await t.call({ method: 'POST', url: `/api/v1/joint-tasks/${id}/assign`, as: as.officer(w.market.code), payload: { agencyCode: unit.code } });
      await t.call({ method: 'POST', url: `/api/v1/joint-tasks/${id}/decline`, as: as.head(unit.code), payload: { reason: '不在职责范围', legalBasis: '三定方案' } });
    }
    await t.call({ method: 'POST', url: `/api/v1/joint-tasks/${id}/approve`, as: as.head(w.market.code), payload: {} });
    const code = await t.call({ method: 'POST', url: `/api/v1/joint-tasks/${id}/code`, as: as.officer(w.market.code) });
    expect(code.json()).toMatchObject({ code: 'INVALID_TRANSITION', currentState: 'launched' });
    const cancelled = await t.call({ method: 'POST', url: `/api/v1/joint-tasks/${id}/cancel`, as: as.head(w.market.code), payload: { reason: '协同单位均不参加，改为单独检查' } });
    expect(cancelled.json()).toMatchObject({ state: 'cancelled', cancelReason: '协同单位均不参加，改为单独检查', visits: [{ parts: [{ state: 'cancelled' }] }] });
  });
});
