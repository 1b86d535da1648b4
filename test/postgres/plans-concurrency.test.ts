import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { auditEntries, flags } from '../../src/db/schema/index.js';
import { runSweep } from '../../src/sweeper/run.js';
import { as, newAgency, newMatter } from '../support/factories.js';
import { fullItem, newPlanWorld, type PlanWorld } from '../support/plan-factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describePg } from '../support/test-database.js';

/** Real concurrency on PostgreSQL (PGlite serialises transactions, so these mean nothing there). */
describePg('plans under concurrency', () => {
  let t: TestApp;
  let w: PlanWorld;

  beforeAll(async () => {
    t = await createTestApp({ start: '2026-03-20T10:00:00+08:00' });
    w = await newPlanWorld(t.db);
  });
  afterAll(() => t.close());

  it('files a plan once when two supervisors of the bureau file it at the same moment', async () => {
    const agency = await newAgency(t.db);
    await newMatter(t.db, agency.code, { matterCode: w.matterCode });
    const plan = (await t.call({ method: 'POST', url: '/api/v1/plans', as: as.officer(agency.code), payload: { year: 2026, items: [fullItem(w.matterCode)] } })).json();
    await t.call({ method: 'POST', url: `/api/v1/plans/${plan.id}/submit`, as: as.head(agency.code) });
    const supervisors = ['甲', '乙'].map((n) => ({ ...as.supervisor(w.cityBureau.code), sub: `supervisor:${n}` }));
    const results = await Promise.all(supervisors.map((s) => t.call({ method: 'POST', url: `/api/v1/plans/${plan.id}/file`, as: s })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.statusCode === 409)!.json()).toMatchObject({ code: 'INVALID_TRANSITION', currentState: 'filed' });
    const [filed] = await t.db
      .select({ n: count() })
      .from(auditEntries)
      .where(and(eq(auditEntries.subjectId, plan.id), eq(auditEntries.action, 'plan.filed')));
    expect(filed!.n).toBe(1);
  });

  it('raises each overdue agency’s flag once when two sweepers run at once', async () => {
    for (let i = 0; i < 12; i++) await newAgency(t.db);
    t.clock.set('2026-04-01T08:00:00+08:00');
    const due = (await t.db.select({ n: count() }).from(flags).where(eq(flags.rule, 'PLAN_FILING_DEADLINE')))[0]!.n;
    expect(due).toBe(0);
    const [a, b] = await Promise.all([runSweep(t.db, t.clock, { batchSize: 3 }), runSweep(t.db, t.clock, { batchSize: 3 })]);
    const raised = (r: typeof a) => r.find((x) => x.job === 'plan-filing-deadline')!;
    expect(raised(a).error ?? raised(b).error).toBeUndefined();
    const rows = await t.db.select({ subjectId: flags.subjectId }).from(flags).where(eq(flags.rule, 'PLAN_FILING_DEADLINE'));
    // Every agency without a filed plan (all but the one filed above), once.
    expect(new Set(rows.map((r) => r.subjectId)).size).toBe(rows.length);
    expect(raised(a).count + raised(b).count).toBe(rows.length);
    expect(rows.length).toBeGreaterThanOrEqual(12);
    expect(raised((await runSweep(t.db, t.clock))).count).toBe(0);
  });
});
