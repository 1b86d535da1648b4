import { afterAll, beforeAll, expect, it } from 'vitest';
import { as, newAgency } from '../support/factories.js';
import { approvedInspection, draftBody, newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

describeDb('inspection codes: idempotency, public check states, scans and findings detectors', () => {
  let t: TestApp;
  let w: InspectionWorld;

  beforeAll(async () => {
    t = await createTestApp();
    // These tests issue many codes at one enterprise; the cap itself is tested in inspections-guards.
    w = await newInspectionWorld(t, { cap: 100 });
  });
  afterAll(() => t.close());

  const issue = (id: string, key?: string) =>
    t.call({ method: 'POST', url: `/api/v1/inspections/${id}/code`, as: w.officer, headers: key ? { 'idempotency-key': key } : {} });
  const check = async (code: string, q = '') => (await t.call({ method: 'GET', url: `/api/v1/codes/${code}${q}` })).json();
  const flagsOf = async (id: string) => (await t.call({ method: 'GET', url: `/api/v1/audit?subjectId=${id}&limit=100`, as: w.supervisor })).json().filter((e: { action: string }) => e.action === 'flag.raised').map((e: { payload: { rule: string } }) => e.payload.rule);

  it('returns the same code to a retried request with the same Idempotency-Key, never a second one', async () => {
    const id = await approvedInspection(t, w);
    const first = await issue(id, 'retry-key-0001');
    const second = await issue(id, 'retry-key-0001');
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json().code).toBe(first.json().code);
    const third = await issue(id);
    expect(third.json()).toMatchObject({ code: 'INVALID_TRANSITION', currentState: 'code_issued' });
    const other = await approvedInspection(t, w);
    const reused = await t.call({ method: 'POST', url: `/api/v1/inspections/${other}/code`, as: w.officer, headers: { 'idempotency-key': 'retry-key-0001' } });
    expect(reused.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('tells forged, unknown, expired and revoked codes apart', async () => {
    const id = await approvedInspection(t, w);
    const issued = (await issue(id)).json();
    t.clock.set('2026-04-08T10:00:00+08:00');
    expect((await check(issued.code, `?k=${issued.kid}&s=${issued.signature}`)).status).toBe('valid');
    const forgedSig = issued.signature.slice(0, -2) + (issued.signature.endsWith('AA') ? 'BB' : 'AA');
    const forged = await check(issued.code, `?k=${issued.kid}&s=${forgedSig}`);
    expect(forged).toMatchObject({ status: 'forged', statusZh: expect.stringContaining('伪造') });
    expect(forged.agencies).toBeUndefined();
    expect((await check('JC-2026-ZZZZ-ZZZZ-Z')).status).toBe('unknown');
    const forgedPage = await t.call({ method: 'GET', url: `/v/${issued.code}?k=${issued.kid}&s=${forgedSig}` });
    expect(forgedPage.body).toContain('data-status="forged"');
    t.clock.set('2026-04-08T17:30:00+08:00');
    expect((await check(issued.code)).status).toBe('expired');

    t.clock.set('2026-04-02T09:00:00+08:00');
    const id2 = await approvedInspection(t, w);
    const issued2 = (await issue(id2)).json();
    const code2 = issued2.code;
    const byOfficer = await t.call({ method: 'POST', url: `/api/v1/codes/${code2}/revoke`, as: w.officer, payload: { reason: '企业停产' } });
    expect(byOfficer.json().code).toBe('FORBIDDEN_ROLE');
    const revoked = await t.call({ method: 'POST', url: `/api/v1/codes/${code2}/revoke`, as: w.head, payload: { reason: '检查人员变更，重新申请', category: 'team_changed' } });
    expect(revoked.json().state).toBe('cancelled');
    // Before its window, even the QR holder learns only the state; the head's reason is never public.
    expect(await check(code2, `?k=${issued2.kid}&s=${issued2.signature}`)).toEqual({ code: code2, status: 'revoked', statusZh: expect.any(String), signatureChecked: true });
    t.clock.set('2026-04-08T10:00:00+08:00');
    const afterOpening = await check(code2, `?k=${issued2.kid}&s=${issued2.signature}`);
    expect(afterOpening).toMatchObject({ status: 'revoked', revokedCategory: 'team_changed', revokedCategoryZh: '检查人员变更' });
    expect(JSON.stringify(afterOpening)).not.toContain('重新申请');
    const scanRevoked = await t.call({ method: 'POST', url: `/api/v1/codes/${code2}/scan`, as: w.officer, payload: {} });
    expect(scanRevoked.json().code).toBe('ONSITE_WITHOUT_CODE');
  });

  it('refuses and flags scans outside the window or at another enterprise; accepts a late scan with a reason, flagged', async () => {
    t.clock.set('2026-04-02T09:00:00+08:00');
    const id = await approvedInspection(t, w);
    const code = (await issue(id)).json().code;
    const early = await t.call({ method: 'POST', url: `/api/v1/codes/${code}/scan`, as: w.officer, payload: {} });
    expect(early.statusCode).toBe(422);
    expect(early.json()).toMatchObject({ code: 'CODE_OUTSIDE_WINDOW', article: '第十七条第（一）项', flagged: true });

    t.clock.set('2026-04-08T10:00:00+08:00');
    // Another enterprise's scan is recorded and flagged, but answered as an unknown code would be.
    const elsewhere = await t.call({ method: 'POST', url: `/api/v1/codes/${code}/scan`, as: as.enterprise(w.outsider.creditCode), payload: {} });
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.json()).toMatchObject({ code: 'NOT_FOUND', detail: `检查码 ${code} 不存在` });

    t.clock.set('2026-04-08T18:30:00+08:00');
    const late = await t.call({ method: 'POST', url: `/api/v1/codes/${code}/scan`, as: w.officer, payload: {} });
    expect(late.json().code).toBe('CODE_OUTSIDE_WINDOW');
    const lateWithReason = await t.call({ method: 'POST', url: `/api/v1/codes/${code}/scan`, as: w.officer, payload: { lateReason: '平台故障，现场无法扫码，已电话报备' } });
    expect(lateWithReason.json()).toMatchObject({ accepted: true, flagged: true });
    expect(await flagsOf(id)).toEqual(['CODE_OUTSIDE_WINDOW', 'CODE_OUTSIDE_WINDOW', 'CODE_OUTSIDE_WINDOW', 'CODE_OUTSIDE_WINDOW']);
    const detail = (await t.call({ method: 'GET', url: `/api/v1/inspections/${id}`, as: w.officer })).json();
    expect(detail.scans.map((s: { accepted: boolean }) => s.accepted)).toEqual([false, false, false, true]);
  });

  it('第十七条 扫码: answers an unknown code and another enterprise’s code alike, and flags each enterprise once per code', async () => {
    t.clock.set('2026-04-02T09:00:00+08:00');
    const id = await approvedInspection(t, w);
    const code = (await issue(id)).json().code as string;
    t.clock.set('2026-04-08T10:00:00+08:00');
    const unknown = code.slice(0, -1) + (code.endsWith('A') ? 'B' : 'A');
    const outsider = as.enterprise(w.outsider.creditCode);
    const scan = (c: string, who = outsider) => t.call({ method: 'POST', url: `/api/v1/codes/${c}/scan`, as: who, payload: {} });
    const shape = (r: Awaited<ReturnType<typeof scan>>, c: string) => {
      const { requestId: _r, instance, ...body } = r.json();
      return { status: r.statusCode, type: r.headers['content-type'], body: { ...body, detail: body.detail.replace(c, '<code>') }, instance: instance.replace(c, '<code>') };
    };
    const a = await scan(code);
    const b = await scan(unknown);
    expect(shape(a, code)).toEqual(shape(b, unknown));
    expect(a.statusCode).toBe(404);
    // An officer of another agency learns no more.
    const other = as.officer((await newAgency(t.db)).code);
    expect(shape(await scan(code, other), code)).toEqual(shape(await scan(unknown, other), unknown));
    // Ten more scans of the same code by the same enterprise: one scan recorded, one flag (issue 23: a non-party
    // scan is recorded once per code and enterprise, so a known code id cannot flood the register).
    for (let k = 0; k < 10; k++) expect((await scan(code)).statusCode).toBe(404);
    expect(await flagsOf(id)).toEqual(['CODE_OUTSIDE_WINDOW']);
    const detail = (await t.call({ method: 'GET', url: `/api/v1/inspections/${id}`, as: w.officer })).json();
    expect(detail.scans).toHaveLength(1);
    // The rightful enterprise is still answered in full.
    expect((await scan(code, as.enterprise(w.enterprise.creditCode))).statusCode).toBe(201);
  });

  it('flags findings recorded without a scan (CODE_NOT_SCANNED) and costs charged to the enterprise (COST_SHIFTED)', async () => {
    t.clock.set('2026-04-02T09:00:00+08:00');
    const id = await approvedInspection(t, w);
    await issue(id);
    t.clock.set('2026-04-08T11:00:00+08:00');
    const res = await t.call({
      method: 'POST',
      url: `/api/v1/inspections/${id}/findings`,
      as: w.officer,
      payload: {
        methods: ['sampling'],
        items: [{ item: '产品抽样', result: 'compliant' }],
        outcome: { kind: 'no_violation' },
        sampling: { samples: 3, costBorneBy: 'enterprise', amountYuan: 1200 },
      },
    });
    expect(res.json().flags.sort()).toEqual(['CODE_NOT_SCANNED', 'COST_SHIFTED']);
  });

  it('advises merging a case inspection into a pending planned task, and merges it with one call (Art. 13)', async () => {
    t.clock.set('2026-04-02T09:00:00+08:00');
    const planned = await approvedInspection(t, w);
    const res = await t.call({ method: 'POST', url: '/api/v1/inspections', as: w.officer, payload: draftBody(w, { kind: 'case', leadKind: 'complaint', leadRef: '12345热线-20260401-88' }) });
    const body = res.json();
    expect(body.mergeCandidates).toContain(planned);
    expect(body.checks.find((c: { rule: string }) => c.rule === 'CASE_MERGEABLE')).toMatchObject({ passed: false, article: '第十三条' });
    const merged = await t.call({ method: 'POST', url: `/api/v1/inspections/${body.inspection.id}/merge`, as: w.officer, payload: { into: planned } });
    expect(merged.json()).toMatchObject({ state: 'merged', mergedInto: planned });
  });
});
