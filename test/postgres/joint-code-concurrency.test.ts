import { and, count, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { inspectionCodes, inspections } from '../../src/db/schema/index.js';
import { COUNTED_STATES } from '../../src/frequency/facts.js';
import { as, newEnterprise } from '../support/factories.js';
import { approvedTask, newJointWorld, officers, publishedJointList, type JointWorld } from '../support/joint-world.js';
import { newInspection } from '../support/plan-factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describePg } from '../support/test-database.js';

/**
 * Only PostgreSQL runs transactions concurrently; PGlite serialises them, so this proves nothing there.
 * Joint codes and single codes race for the last slot of one unit's cap at one enterprise: exactly one
 * wins, because every issuance counts and inserts under lockEnterprise.
 */
describePg('joint code issuance under concurrency at a frequency cap (Art. 15, 26–31)', () => {
  let a: TestApp;
  let b: TestApp;
  let w: JointWorld;
  let listId: string;

  beforeAll(async () => {
    a = await createTestApp();
    b = await createTestApp({ testDb: a.testDb, devKey: a.devKey, keyring: a.keyring });
    w = await newJointWorld(a);
    listId = await publishedJointList(a, w);
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  const small = () => ({ fire: officers('消防', 1), health: officers('卫健', 1) });

  async function fireCounted(enterpriseCode: string): Promise<number> {
    const [row] = await a.db
      .select({ n: count() })
      .from(inspections)
      .where(and(eq(inspections.enterpriseCode, enterpriseCode), eq(inspections.agencyCode, w.fire.code), inArray(inspections.state, [...COUNTED_STATES])));
    return Number(row!.n);
  }

  it('issues exactly one of 10 joint codes racing for the fire unit’s last slot, on two API instances', async () => {
    const e = await newEnterprise(a.db, { districtCode: w.districtCode, name: '武汉并发测试酒家有限公司' });
    await newInspection(a.db, { agencyCode: w.fire.code, enterpriseCode: e.creditCode, matterCodes: [w.matters.fire], countedDate: '2026-02-10' });
    const tasks: string[] = [];
    for (let k = 0; k < 10; k++) tasks.push(await approvedTask(a, w, listId, { enterpriseCodes: [e.creditCode] }, small()));
    const results = await Promise.all(tasks.map((id, k) => (k % 2 ? a : b).call({ method: 'POST', url: `/api/v1/joint-tasks/${id}/code`, as: as.officer(w.market.code) })));
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(1);
    expect(results.filter((r) => r.statusCode === 422).map((r) => r.json().code)).toEqual(Array(9).fill('FREQUENCY_CAP'));
    expect(await fireCounted(e.creditCode)).toBe(2);
  });

  it('issues exactly one of 8 joint codes and 8 single codes racing for the fire unit’s last slot', async () => {
    const e = await newEnterprise(a.db, { districtCode: w.districtCode, name: '武汉并发测试餐饮有限公司' });
    // One fire inspection already counted this year: one slot left under the cap of 2.
    await newInspection(a.db, { agencyCode: w.fire.code, enterpriseCode: e.creditCode, matterCodes: [w.matters.fire], countedDate: '2026-02-10' });
    const tasks: string[] = [];
    for (let k = 0; k < 8; k++) tasks.push(await approvedTask(a, w, listId, { enterpriseCodes: [e.creditCode] }, small()));
    const singles: string[] = [];
    for (let k = 0; k < 8; k++) {
      const drafted = await a.call({
        method: 'POST',
        url: '/api/v1/inspections',
        as: as.officer(w.fire.code),
        payload: {
          agencyCode: w.fire.code,
          enterpriseCode: e.creditCode,
          kind: 'routine',
          mode: 'onsite',
          matterCodes: [w.matters.fire],
          windowStart: '2026-05-06T09:00:00+08:00',
          windowEnd: '2026-05-06T17:00:00+08:00',
          inspectors: officers('消防'),
          checklist: ['消防设施器材'],
        },
      });
      const id = drafted.json().inspection.id as string;
      await a.call({ method: 'POST', url: `/api/v1/inspections/${id}/approve`, as: as.head(w.fire.code), payload: {} });
      singles.push(id);
    }
    const requests = [
      ...tasks.map((id, k) => () => (k % 2 ? a : b).call({ method: 'POST', url: `/api/v1/joint-tasks/${id}/code`, as: as.officer(w.market.code) })),
      ...singles.map((id, k) => () => (k % 2 ? b : a).call({ method: 'POST', url: `/api/v1/inspections/${id}/code`, as: as.officer(w.fire.code) })),
    ];
    // Interleave joint and single requests so neither kind gets a head start.
    const order = requests.map((_, k) => (k % 2 ? requests[Math.floor(k / 2)]! : requests[8 + Math.floor(k / 2)]!));
    const results = await Promise.all(order.map((r) => r()));
    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(results.filter((r) => r.statusCode === 422).map((r) => r.json().code)).toEqual(Array(15).fill('FREQUENCY_CAP'));
    expect(await fireCounted(e.creditCode)).toBe(2);
    const [codes] = await a.db
      .select({ n: count() })
      .from(inspectionCodes)
      .innerJoin(inspections, eq(inspections.id, inspectionCodes.inspectionId))
      .where(eq(inspections.enterpriseCode, e.creditCode));
    expect(Number(codes!.n)).toBe(1);
  });

  it('issues all of one task’s codes or none when two tasks sharing two enterprises race for one slot', async () => {
    const e1 = await newEnterprise(a.db, { districtCode: w.districtCode, name: '武汉并发一号店' });
    const e2 = await newEnterprise(a.db, { districtCode: w.districtCode, name: '武汉并发二号店' });
    await newInspection(a.db, { agencyCode: w.fire.code, enterpriseCode: e1.creditCode, matterCodes: [w.matters.fire], countedDate: '2026-02-10' });
    // The tasks list the enterprises in opposite orders; the locks are taken in credit-code order anyway.
    const t1 = await approvedTask(a, w, listId, { enterpriseCodes: [e1.creditCode, e2.creditCode] }, small());
    const t2 = await approvedTask(a, w, listId, { enterpriseCodes: [e2.creditCode, e1.creditCode] }, small());
    const results = await Promise.all([
      a.call({ method: 'POST', url: `/api/v1/joint-tasks/${t1}/code`, as: as.officer(w.market.code) }),
      b.call({ method: 'POST', url: `/api/v1/joint-tasks/${t2}/code`, as: as.officer(w.market.code) }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 422]);
    expect(results.find((r) => r.statusCode === 422)!.json().code).toBe('FREQUENCY_CAP');
    expect(results.find((r) => r.statusCode === 201)!.json().codes).toHaveLength(2);
    // The loser left nothing behind at the enterprise it could have visited.
    expect(await fireCounted(e1.creditCode)).toBe(2);
    expect(await fireCounted(e2.creditCode)).toBe(1);
  });
});
