import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { jointProposals } from '../../src/db/schema/index.js';
import { as, newEnterprise } from '../support/factories.js';
import { newJointWorld, publishedJointList, type JointWorld } from '../support/joint-world.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describePg } from '../support/test-database.js';

const START = '2026-04-01T10:00:00+08:00';
const TEAM = [
  { name: '王晓明', certificateNo: '42010620230001' },
  { name: '陈丽华', certificateNo: '42010620230002' },
];

/**
 * Only PostgreSQL runs transactions concurrently; PGlite serialises them, so this proves nothing there.
 * 第二十六条 应协同尽协同, proposals from schemes: two agencies drafting overlapping visits to one enterprise at the
 * same moment, on two API instances, get exactly one open proposal — the later transaction waits on the
 * enterprise's lock (lockEnterprise) and then sees the earlier visit and its proposal.
 */
describePg('第二十六条 同时制定的检查方案只提出一项联合检查建议（并发）', () => {
  let a: TestApp;
  let b: TestApp;
  let w: JointWorld;

  beforeAll(async () => {
    a = await createTestApp({ start: START });
    b = await createTestApp({ start: START, testDb: a.testDb, devKey: a.devKey, keyring: a.keyring });
    w = await newJointWorld(a, { cap: 50 });
    await publishedJointList(a, w);
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  const draft = (app: TestApp, agency: string, matter: string, enterprise: string, day: string) =>
    app.call({
      method: 'POST',
      url: '/api/v1/inspections',
      as: as.officer(agency),
      payload: { agencyCode: agency, enterpriseCode: enterprise, kind: 'routine', mode: 'onsite', matterCodes: [matter], windowStart: `${day}T09:00:00+08:00`, windowEnd: `${day}T17:00:00+08:00`, inspectors: TEAM, checklist: ['现场检查'] },
    });
  const openProposals = (enterprise: string) => a.db.select().from(jointProposals).where(and(eq(jointProposals.enterpriseCode, enterprise), eq(jointProposals.state, 'open')));

  it('makes exactly one open proposal when market and fire draft at once, for each of five enterprises', async () => {
    for (let k = 0; k < 5; k++) {
      const e = await newEnterprise(a.db, { districtCode: w.districtCode, name: `武汉并发方案${k}号酒家有限公司` });
      const results = await Promise.all([draft(a, w.market.code, w.matters.market, e.creditCode, '2026-05-20'), draft(b, w.fire.code, w.matters.fire, e.creditCode, '2026-05-21')]);
      for (const r of results) expect(r.statusCode, r.body).toBe(201);
      const open = await openProposals(e.creditCode);
      expect(open).toHaveLength(1);
      expect(open[0]!.inspectionIds.sort()).toEqual(results.map((r) => r.json().inspection.id as string).sort());
      // Each draft's response shows that one proposal: the one that made it, or the one that found it.
      expect(results.map((r) => r.json().coordination?.proposals?.map((p: { id: string }) => p.id) ?? [])).toContainEqual([open[0]!.id]);
    }
  });

  it('makes exactly one open proposal from eight drafts by two agencies racing on two instances', async () => {
    const e = await newEnterprise(a.db, { districtCode: w.districtCode, name: '武汉并发方案多单酒家有限公司' });
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, k) => (k % 2 ? draft(a, w.market.code, w.matters.market, e.creditCode, `2026-06-1${k}`) : draft(b, w.fire.code, w.matters.fire, e.creditCode, `2026-06-1${k}`))),
    );
    for (const r of results) expect(r.statusCode, r.body).toBe(201);
    expect(await openProposals(e.creditCode)).toHaveLength(1);
  });
});
