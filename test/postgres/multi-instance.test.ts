import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sealPending } from '../../src/audit/sealer.js';
import { verifyChain } from '../../src/audit/verify.js';
import { openDatabase } from '../../src/db/client.js';
import { auditEntries, flags, inspectionCodes, inspections } from '../../src/db/schema/index.js';
import { runSweep } from '../../src/sweeper/run.js';
import { as, newAgency, newEnterprise, newJusticeBureau, newMatter } from '../support/factories.js';
import { approvedInspection, newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { fullItem, newInspection } from '../support/plan-factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describePg } from '../support/test-database.js';

/**
 * Three API instances, each with its own connection pool, on one database: the invariants live in
 * PostgreSQL, so none of them can be broken by spreading the load.
 */
describePg('three instances on one database', () => {
  let apps: TestApp[];
  let w: InspectionWorld;

  beforeAll(async () => {
    const a = await createTestApp({ start: '2026-03-20T10:00:00+08:00' });
    const others = await Promise.all(
      [1, 2].map(async () => {
        const database = await openDatabase({ url: a.testDb.url! });
        return createTestApp({ start: '2026-03-20T10:00:00+08:00', devKey: a.devKey, keyring: a.keyring, testDb: { database, url: a.testDb.url, drop: () => database.close() } });
      }),
    );
    apps = [a, ...others];
    w = await newInspectionWorld(a);
  });
  afterAll(async () => {
    for (const t of apps.slice(1)) {
      await t.close();
      await t.testDb.drop();
    }
    await apps[0]!.close();
  });

  const spread = <T>(items: T[], fn: (t: TestApp, item: T) => Promise<unknown>) => Promise.all(items.map((item, k) => fn(apps[k % 3]!, item)));

  it('issues exactly one code at a cap with one slot left', async () => {
    const e = await newEnterprise(apps[0]!.db, { districtCode: w.districtCode });
    await newInspection(apps[0]!.db, { agencyCode: w.agency.code, enterpriseCode: e.creditCode, matterCodes: [w.matter], countedDate: '2026-02-10' });
    const ids: string[] = [];
    for (let k = 0; k < 18; k++) ids.push(await approvedInspection(apps[0]!, w, { enterpriseCode: e.creditCode }));
    const results = (await spread(ids, (t, id) => t.call({ method: 'POST', url: `/api/v1/inspections/${id}/code`, as: w.officer }))) as { statusCode: number }[];
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(1);
    const [n] = await apps[0]!.db.select({ n: count() }).from(inspectionCodes).innerJoin(inspections, eq(inspections.id, inspectionCodes.inspectionId)).where(eq(inspections.enterpriseCode, e.creditCode));
    expect(Number(n!.n)).toBe(1);
  });

  it('files a plan once when every instance files it at the same moment', async () => {
    const agency = await newAgency(apps[0]!.db);
    const matter = await newMatter(apps[0]!.db, agency.code);
    const bureau = await newJusticeBureau(apps[0]!.db);
    const plan = (await apps[0]!.call({ method: 'POST', url: '/api/v1/plans', as: as.officer(agency.code), payload: { year: 2026, items: [fullItem(matter.matterCode)] } })).json();
    expect((await apps[1]!.call({ method: 'POST', url: `/api/v1/plans/${plan.id}/submit`, as: as.head(agency.code) })).statusCode).toBe(200);
    const results = (await spread(['甲', '乙', '丙'], (t, n) => t.call({ method: 'POST', url: `/api/v1/plans/${plan.id}/file`, as: { ...as.supervisor(bureau.code), sub: `supervisor:${n}` } }))) as { statusCode: number }[];
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409]);
  });

  it('raises each due flag once when every instance sweeps at once', async () => {
    for (const t of apps) t.clock.set('2026-04-01T09:00:00+08:00');
    const [before] = await apps[0]!.db.select({ n: count() }).from(flags);
    const reports = await Promise.all(apps.map((t) => runSweep(t.db, t.clock, { batchSize: 5, auditMac: t.app.services.auditMac })));
    for (const r of reports) expect(r.filter((j) => j.error)).toEqual([]);
    const rows = await apps[0]!.db.select({ rule: flags.rule, subjectId: flags.subjectId, occurrence: flags.occurrence }).from(flags);
    expect(new Set(rows.map((r) => `${r.rule}|${r.subjectId}|${r.occurrence}`)).size).toBe(rows.length);
    const raised = reports.flat().reduce((s, j) => s + j.count, 0);
    expect(raised).toBe(rows.length - Number(before!.n));
    expect(raised).toBeGreaterThan(0);
  });

  it('leaves the audit chain intact and gap-free after all of it, sealed by every instance at once', async () => {
    await Promise.all(apps.map((t) => sealPending(t.db, t.clock)));
    await Promise.all(apps.map((t) => sealPending(t.db, t.clock)));
    const report = await verifyChain(apps[2]!.db);
    const [entries] = await apps[0]!.db.select({ n: count() }).from(auditEntries);
    expect(report).toMatchObject({ ok: true, pending: 0 });
    expect(report.verified).toBe(Number(entries!.n));
    expect(report.headSeq).toBe(Number(entries!.n));
  });
});
