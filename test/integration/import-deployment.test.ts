import { afterAll, beforeAll, expect, it } from 'vitest';
import { newAgency } from '../support/factories.js';
import { registerPlatform, type RegisteredPlatform } from '../support/exchange-factories.js';
import { newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

/**
 * 第十五条 上级主管部门部署的专项检查计划，不纳入年度检查频次: an imported special inspection's `deployedBy` takes it out of
 * the caps, so it is evidence, not a switch (issue 22). An authority the registry holds must be upper to the row's
 * agency; the agency itself or a unit that is not its upper authority is refused on that row, naming the field.
 */
describeDb('第十五条 导入的专项检查载明部署机关：登记在册的须为上级主管部门', () => {
  let t: TestApp;
  let w: InspectionWorld;
  let p: RegisteredPlatform;
  const row = (sourceId: string, deployedBy: string) => ({
    sourceId,
    agencyCode: w.agency.code,
    enterpriseCode: w.enterprise.creditCode,
    kind: 'special',
    mode: 'offsite',
    matterCodes: [w.matter],
    windowStart: '2026-03-10T09:00:00+08:00',
    windowEnd: '2026-03-10T12:00:00+08:00',
    deployedBy,
  });

  beforeAll(async () => {
    t = await createTestApp();
    w = await newInspectionWorld(t, { cap: 2 });
    p = await registerPlatform(t, { importAgencies: [w.agency.code] });
  });
  afterAll(() => t.close());

  it('refuses the agency itself and a unit that is not its upper authority, takes an authority outside the registry as stated, and accepts the upper authority', async () => {
    const stranger = await newAgency(t.db, { name: '武汉市某局（非上级）', level: 'city' });
    const body = [row('SELF', w.agency.code), row('NOT-UPPER', stranger.name), row('PROVINCE', '湖北省市场监督管理局'), row('UPPER', w.city.code)].map((r) => JSON.stringify(r)).join('\n');
    const res = await t.call({ method: 'POST', url: '/api/v1/imports/inspections', headers: { ...p.headers, 'content-type': 'application/x-ndjson' }, payload: body });
    expect(res.statusCode, res.body).toBe(200);
    const rows = res.json().rows as { sourceId: string; status: string; errors?: { field: string; message: string }[] }[];
    expect(rows.map((r) => r.status)).toEqual(['refused', 'refused', 'created', 'created']);
    expect(rows[0]!.errors).toEqual([expect.objectContaining({ field: 'deployedBy', message: expect.stringContaining('部署机关不能是本单位') })]);
    expect(rows[1]!.errors).toEqual([expect.objectContaining({ field: 'deployedBy', message: expect.stringContaining('不是') })]);
    expect(rows[1]!.errors![0]!.message).toContain('第十五条');
  });
});
