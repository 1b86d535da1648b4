import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { flags } from '../../src/db/schema/index.js';
import { as } from '../support/factories.js';
import { registerPlatform, type RegisteredPlatform } from '../support/exchange-factories.js';
import { newJointWorld, publishedJointList, type JointWorld } from '../support/joint-world.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

describeDb('第二十六条、第二十九条 上级平台报送的现场检查与本地检查一样纳入“应协同尽协同”', () => {
  let t: TestApp;
  let w: JointWorld;
  let p: RegisteredPlatform;

  beforeAll(async () => {
    t = await createTestApp();
    w = await newJointWorld(t, { cap: 10 });
    await publishedJointList(t, w);
    p = await registerPlatform(t, { importAgencies: [w.fire.code] });
  });
  afterAll(() => t.close());

  it('an imported visit of another agency shows in the draft’s advice and, at the code, raises JOINT_NOT_COORDINATED', async () => {
    const row = {
      sourceId: 'XF-2026-0420',
      agencyCode: w.fire.code,
      enterpriseCode: w.enterprise.creditCode,
      kind: 'routine',
      mode: 'onsite',
      matterCodes: [w.matters.fire],
      windowStart: '2026-04-20T09:00:00+08:00',
      windowEnd: '2026-04-20T12:00:00+08:00',
      sourceCode: 'XF-CODE-1',
    };
    const imported = await t.call({ method: 'POST', url: '/api/v1/imports/inspections', headers: { ...p.headers, 'content-type': 'application/x-ndjson' }, payload: JSON.stringify(row) });
    expect(imported.json().rows[0].status, imported.body).toBe('created');
    const fireVisit = imported.json().rows[0].inspectionId;

    const drafted = await t.call({
      method: 'POST',
      url: '/api/v1/inspections',
      as: as.officer(w.market.code),
      payload: {
        agencyCode: w.market.code,
        enterpriseCode: w.enterprise.creditCode,
        kind: 'routine',
        mode: 'onsite',
        matterCodes: [w.matters.market],
        windowStart: '2026-04-20T10:00:00+08:00',
        windowEnd: '2026-04-20T16:00:00+08:00',
        inspectors: [
          { name: '王晓明', certificateNo: '42010620230001' },
          { name: '陈丽华', certificateNo: '42010620230002' },
        ],
        checklist: ['现场检查'],
      },
    });
    expect(drafted.statusCode, drafted.body).toBe(201);
    expect(drafted.json().coordination.overlapping).toEqual([expect.objectContaining({ inspectionId: fireVisit, agencyCode: w.fire.code, state: 'recorded' })]);
    const id = drafted.json().inspection.id;
    await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/approve`, as: as.head(w.market.code), payload: {} });
    const code = await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/code`, as: as.officer(w.market.code) });
    expect(code.statusCode, code.body).toBe(201);
    const raised = await t.db.select().from(flags).where(and(eq(flags.rule, 'JOINT_NOT_COORDINATED'), eq(flags.subjectId, id)));
    expect(raised).toHaveLength(1);
    expect(raised[0]!.detail).toContain(w.fire.name);
  });

  it('an imported joint visit (综合查一次 on the platform): each unit’s part shows in another agency’s draft advice, with its source', async () => {
    const joint = await registerPlatform(t, { importAgencies: [w.fire.code, w.health.code] });
    const row = {
      sourceId: 'ZHCYC-2026-0510',
      agencyCode: w.fire.code,
      enterpriseCode: w.other.creditCode,
      kind: 'routine',
      mode: 'onsite',
      matterCodes: [w.matters.fire],
      windowStart: '2026-05-10T09:00:00+08:00',
      windowEnd: '2026-05-10T12:00:00+08:00',
      sourceCode: 'XF-CODE-2',
      cooperating: [{ agencyCode: w.health.code, matterCodes: [w.matters.health] }],
    };
    const imported = await t.call({ method: 'POST', url: '/api/v1/imports/inspections', headers: { ...joint.headers, 'content-type': 'application/x-ndjson' }, payload: JSON.stringify(row) });
    expect(imported.json().rows[0].status, imported.body).toBe('created');
    const leadId = imported.json().rows[0].inspectionId;
    const partId = imported.json().rows[0].parts[0].inspectionId;

    const drafted = await t.call({
      method: 'POST',
      url: '/api/v1/inspections',
      as: as.officer(w.market.code),
      payload: {
        agencyCode: w.market.code,
        enterpriseCode: w.other.creditCode,
        kind: 'routine',
        mode: 'onsite',
        matterCodes: [w.matters.market],
        windowStart: '2026-05-10T10:00:00+08:00',
        windowEnd: '2026-05-10T16:00:00+08:00',
        inspectors: [
          { name: '王晓明', certificateNo: '42010620230001' },
          { name: '陈丽华', certificateNo: '42010620230002' },
        ],
        checklist: ['现场检查'],
      },
    });
    expect(drafted.statusCode, drafted.body).toBe(201);
    const overlapping = drafted.json().coordination.overlapping.map((o: { inspectionId: string; agencyCode: string }) => [o.agencyCode, o.inspectionId]);
    expect(overlapping.sort()).toEqual(
      [
        [w.fire.code, leadId],
        [w.health.code, partId],
      ].sort(),
    );
    const part = await t.call({ method: 'GET', url: `/api/v1/inspections/${partId}`, as: as.officer(w.health.code) });
    expect(part.statusCode, part.body).toBe(200);
    expect(part.json().inspection).toMatchObject({ sourceSystem: expect.stringMatching(/^HB-/), sourceId: `ZHCYC-2026-0510#${w.health.code}`, stateZh: '上级平台已记录' });
  });
});
