import { afterAll, beforeAll, expect, it } from 'vitest';
import { as } from '../support/factories.js';
import { draftBody, newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

/** The head's approval queue: a scheme is approved, or returned for correction with a reason. */
describeDb('第十七条第（一）项 负责人审批检查方案：批准，或说明理由退回修改', () => {
  let t: TestApp;
  let w: InspectionWorld;

  beforeAll(async () => {
    t = await createTestApp();
    w = await newInspectionWorld(t, { cap: 5 });
  });
  afterAll(() => t.close());

  const draft = async () => {
    const res = await t.call({ method: 'POST', url: '/api/v1/inspections', as: w.officer, payload: draftBody(w) });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().inspection.id as string;
  };

  it('keeps a returned scheme a draft, with the reason on its record for the officer, and lets it be approved once amended', async () => {
    const id = await draft();
    const returned = await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/return`, as: w.head, payload: { reason: '检查项目过多，请精简' } });
    expect(returned.statusCode, returned.body).toBe(200);
    expect(returned.json().state).toBe('draft');
    const detail = (await t.call({ method: 'GET', url: `/api/v1/inspections/${id}`, as: w.officer })).json();
    expect(detail.history.at(-1)).toMatchObject({ action: 'inspection.returned', reason: '检查项目过多，请精简' });
    const amended = await t.call({ method: 'PATCH', url: `/api/v1/inspections/${id}`, as: w.officer, payload: { checklist: ['食品生产许可证'] } });
    expect(amended.statusCode, amended.body).toBe(200);
    expect((await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/approve`, as: w.head, payload: {} })).statusCode).toBe(200);
  });

  it('lets only the agency’s head return a scheme, only a draft, and only with a reason', async () => {
    const id = await draft();
    expect((await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/return`, as: w.officer, payload: { reason: '自行退回' } })).statusCode).toBe(403);
    expect((await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/return`, as: as.head('OTHER-AGENCY'), payload: { reason: '越权退回' } })).statusCode).toBe(403);
    const noReason = await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/return`, as: w.head, payload: {} });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('reason');
    await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/approve`, as: w.head, payload: {} });
    const late = await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/return`, as: w.head, payload: { reason: '已批准后退回' } });
    expect(late.statusCode).toBe(409);
    expect(late.json().currentState).toBe('approved');
  });
});
