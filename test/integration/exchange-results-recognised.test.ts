import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { flags } from '../../src/db/schema/index.js';
import { newMatter } from '../support/factories.js';
import { registerPlatform, type RegisteredPlatform } from '../support/exchange-factories.js';
import { approvedInspection, draftBody, newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

describeDb('第二十四条、第四十条第（七）项 检查结果互认：起草时可见近期结果，重复检测形成标记', () => {
  let t: TestApp;
  let w: InspectionWorld;
  let p: RegisteredPlatform;
  let equipment: string;

  beforeAll(async () => {
    t = await createTestApp();
    w = await newInspectionWorld(t, { cap: 100 });
    // Not food or drugs: a repeated test of it is what Art. 40(7) forbids.
    equipment = (await newMatter(t.db, w.agency.code, { name: '特种设备安全监督检查', domain: 'market', foodDrug: false })).matterCode;
    p = await registerPlatform(t, { importAgencies: [w.agency.code] });
    const row = {
      sourceId: 'TZSB-2026-031',
      agencyCode: w.agency.code,
      enterpriseCode: w.enterprise.creditCode,
      kind: 'case',
      mode: 'onsite',
      matterCodes: [equipment],
      windowStart: '2026-03-15T09:00:00+08:00',
      windowEnd: '2026-03-15T12:00:00+08:00',
      outcome: 'no_violation',
      sampled: true,
      sampledProduct: '压力容器',
      sampledBatch: 'RQ-2026-01',
    };
    const res = await t.call({ method: 'POST', url: '/api/v1/imports/inspections', headers: { ...p.headers, 'content-type': 'application/x-ndjson' }, payload: JSON.stringify(row) });
    expect(res.json().created, res.body).toBe(1);
  });
  afterAll(() => t.close());

  const caseBody = { kind: 'case', leadKind: 'complaint', leadRef: 'TS-2026-0408', matterCodes: [] as string[] };

  it('shows the platform’s recent result for the same matter when the agency drafts, so a repeat can be avoided', async () => {
    const res = await t.call({ method: 'POST', url: '/api/v1/inspections', as: w.officer, payload: { ...draftBody(w), ...caseBody, matterCodes: [equipment] } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().recognisedResults).toEqual([
      expect.objectContaining({ agencyCode: w.agency.code, matterCodes: [equipment], countedDate: '2026-03-15', outcome: 'no_violation', tested: true, sourceId: 'TZSB-2026-031', sourceSystem: expect.stringMatching(/^HB-/) }),
    ]);
    const other = await t.call({ method: 'POST', url: '/api/v1/inspections', as: w.officer, payload: { ...draftBody(w), ...caseBody, matterCodes: [w.matter] } });
    expect(other.json().recognisedResults).toEqual([]);
  });

  it('a test of the same matter after the recognised result raises REPEATED_TESTING, naming the earlier result', async () => {
    const id = await approvedInspection(t, w, { ...caseBody, matterCodes: [equipment] });
    expect((await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/start`, as: w.officer, payload: {} })).statusCode).toBe(200);
    const res = await t.call({
      method: 'POST',
      url: `/api/v1/inspections/${id}/findings`,
      as: w.officer,
      payload: { methods: ['sampling'], items: [{ item: '压力容器定期检验', result: 'compliant' }], outcome: { kind: 'no_violation' }, sampling: { samples: 2, costBorneBy: 'agency', product: '压力容器', batch: 'RQ-2026-01' } },
    });
    expect(res.statusCode, res.body).toBe(200);
    const [flag] = await t.db.select().from(flags).where(and(eq(flags.rule, 'REPEATED_TESTING'), eq(flags.subjectId, id)));
    expect(flag!.detail).toContain('TZSB-2026-031');
    expect(flag!.detail).toContain(w.agency.name);
  });

  it('a check without a test after the recognised result raises nothing', async () => {
    const id = await approvedInspection(t, w, { ...caseBody, leadRef: 'TS-2026-0409', matterCodes: [equipment] });
    await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/start`, as: w.officer, payload: {} });
    await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/findings`, as: w.officer, payload: { methods: ['site_survey'], items: [{ item: '安全附件', result: 'compliant' }], outcome: { kind: 'no_violation' } } });
    expect(await t.db.select().from(flags).where(and(eq(flags.rule, 'REPEATED_TESTING'), eq(flags.subjectId, id)))).toEqual([]);
  });
});
