import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { flags } from '../../src/db/schema/index.js';
import type { Agency } from '../../src/registry/agencies.repository.js';
import { runSweep } from '../../src/sweeper/run.js';
import { newAgency, newJusticeBureau } from '../support/factories.js';
import { newFiledPlan } from '../support/plan-factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

describeDb('the due-date sweeper (Art. 13–14)', () => {
  let t: TestApp;
  let noPlan: Agency;
  let draftOnly: Agency;
  let filed: Agency;
  let amended: Agency;
  let bureau: Agency;
  let awaitingBureau: Agency;
  let returnedInPeriod: Agency;

  beforeAll(async () => {
    t = await createTestApp({ start: '2026-03-31T23:59:00+08:00' });
    bureau = await newJusticeBureau(t.db);
    [noPlan, draftOnly, filed, amended] = [await newAgency(t.db), await newAgency(t.db), await newAgency(t.db), await newAgency(t.db)];
    await newFiledPlan(t.db, draftOnly.code, 2026, ['M-1'], { state: 'draft', submittedAt: null, filedAt: null, filedBy: null });
    await newFiledPlan(t.db, filed.code, 2026, ['M-1'], { state: 'published', publishedAt: new Date('2026-03-12T02:00:00Z') });
    // Filed in time, then adjusted: the 31 March duty was met.
    await newFiledPlan(t.db, amended.code, 2026, ['M-1'], { state: 'draft', needsRefiling: true, revision: 2, publishedAt: new Date('2026-03-12T02:00:00Z') });
    // Art. 13: the duty is the agency's submission. Submitted on 30 March and still with the bureau: on time.
    [awaitingBureau, returnedInPeriod] = [await newAgency(t.db), await newAgency(t.db)];
    const unfiled = { filedAt: null, filedBy: null };
    await newFiledPlan(t.db, awaitingBureau.code, 2026, ['M-1'], { ...unfiled, state: 'submitted', submittedAt: new Date('2026-03-30T02:00:00Z') });
    // Returned on 25 March; resubmitting by 9 April keeps its 20 March submission's standing.
    await newFiledPlan(t.db, returnedInPeriod.code, 2026, ['M-1'], {
      ...unfiled,
      state: 'returned',
      submittedAt: new Date('2026-03-20T02:00:00Z'),
      returnedAt: new Date('2026-03-25T02:00:00Z'),
      resubmitBy: '2026-04-09',
    });
  });
  afterAll(() => t.close());

  const filingFlags = (agencyCode: string) =>
    t.db.select().from(flags).where(and(eq(flags.rule, 'PLAN_FILING_DEADLINE'), eq(flags.subjectId, agencyCode)));
  const count = (reports: { job: string; count: number }[], job: string) => reports.find((r) => r.job === job)?.count;

  it('raises nothing on 31 March, however late in the day', async () => {
    const reports = await runSweep(t.db, t.clock);
    expect(reports).toEqual([
      { job: 'plan-filing-deadline', count: 0 },
      { job: 'plan-not-published', count: 0 },
      { job: 'plan-amended-not-refiled', count: 0 },
      { job: 'special-plan-not-published', count: 0 },
      { job: 'special-plan-amended-not-refiled', count: 0 },
      { job: 'referral-overdue', count: 0 },
      { job: 'referral-not-received', count: 0 },
      { job: 'result-not-notified', count: 0 },
      { job: 'rectification-no-followup', count: 0 },
      { job: 'joint-not-coordinated', count: 0 },
      { job: 'proposal-lapsed', count: 0 },
      { job: 'frequency-cap-exceeded', count: 0 },
      { job: 'case-frequency-anomaly', count: 0 },
      { job: 'case-mergeable', count: 0 },
      { job: 'not-archived', count: 0 },
      { job: 'case-relabelling', count: 0 },
      { job: 'lead-shared', count: 0 },
      { job: 'declarations-above-peers', count: 0 },
    ]);
  });

  it('flags every inspecting agency without a filed plan on 1 April, exactly once across runs', async () => {
    t.clock.set('2026-04-01T00:00:30+08:00');
    const first = await runSweep(t.db, t.clock);
    expect(count(first, 'plan-filing-deadline')).toBe(2);
    const second = await runSweep(t.db, t.clock);
    expect(count(second, 'plan-filing-deadline')).toBe(0);

    const [flag] = await filingFlags(noPlan.code);
    expect(await filingFlags(noPlan.code)).toHaveLength(1);
    expect(flag).toMatchObject({ subjectType: 'agency', occurrence: '2026', article: '第十三条', agencyCode: noPlan.code, observed: 'no_plan', limitValue: '2026-03-31' });
    expect(flag!.detail).toContain('尚未制定');
    expect((await filingFlags(draftOnly.code))[0]).toMatchObject({ observed: 'draft' });
    for (const a of [filed, amended, bureau, awaitingBureau, returnedInPeriod]) expect(await filingFlags(a.code)).toHaveLength(0);
  });

  it('第十三条 flags a returned plan only once its resubmission period has run out without a resubmission', async () => {
    t.clock.set('2026-04-09T23:59:00+08:00');
    expect(count(await runSweep(t.db, t.clock), 'plan-filing-deadline')).toBe(0);
    t.clock.set('2026-04-10T00:00:30+08:00');
    expect(count(await runSweep(t.db, t.clock), 'plan-filing-deadline')).toBe(1);
    const [flag] = await filingFlags(returnedInPeriod.code);
    expect(flag).toMatchObject({ observed: 'returned', occurrence: '2026' });
    expect(flag!.detail).toContain('被退回后未在本平台设置的重新报送期限内重新报送');
    expect(flag!.detail).not.toMatch(/[A-Za-z]/);
    expect(await filingFlags(awaitingBureau.code)).toHaveLength(0);
  });

  it('第十四条第二款 flags a plan amended and not submitted again within the configured days, once per revision', async () => {
    const slow = await newAgency(t.db);
    const plan = await newFiledPlan(t.db, slow.code, 2026, ['M-1'], { state: 'draft', needsRefiling: true, revision: 2, amendedAt: new Date('2026-04-01T02:00:00Z') });
    const refiledInTime = await newAgency(t.db);
    await newFiledPlan(t.db, refiledInTime.code, 2026, ['M-1'], { state: 'submitted', needsRefiling: true, revision: 2, amendedAt: new Date('2026-04-01T02:00:00Z') });
    t.clock.set('2026-04-16T09:59:00+08:00');
    expect(count(await runSweep(t.db, t.clock), 'plan-amended-not-refiled')).toBe(0);
    t.clock.set('2026-04-16T10:00:30+08:00');
    expect(count(await runSweep(t.db, t.clock, { planRefileWithinDays: 30 }), 'plan-amended-not-refiled')).toBe(0);
    expect(count(await runSweep(t.db, t.clock), 'plan-amended-not-refiled')).toBe(1);
    expect(count(await runSweep(t.db, t.clock), 'plan-amended-not-refiled')).toBe(0);
    const raised = await t.db.select().from(flags).where(eq(flags.rule, 'PLAN_AMENDED_NOT_REFILED'));
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ subjectType: 'plan', subjectId: plan.id, occurrence: 'r2', article: '第十四条', observed: '2026-04-01', limitValue: 15 });
    expect(raised[0]!.detail).toContain('第十四条第二款');
  });

  it('flags a filed plan left unpublished past the configured number of days, once per revision', async () => {
    const lazy = await newAgency(t.db);
    const plan = await newFiledPlan(t.db, lazy.code, 2026, ['M-1'], { filedAt: new Date('2026-03-20T02:00:00Z') });
    t.clock.set('2026-04-08T10:00:00+08:00');
    expect(count(await runSweep(t.db, t.clock), 'plan-not-published')).toBe(0);
    t.clock.set('2026-04-09T10:00:30+08:00');
    expect(count(await runSweep(t.db, t.clock, { planPublishWithinDays: 30 }), 'plan-not-published')).toBe(0);
    expect(count(await runSweep(t.db, t.clock), 'plan-not-published')).toBe(1);
    expect(count(await runSweep(t.db, t.clock), 'plan-not-published')).toBe(0);
    const raised = await t.db.select().from(flags).where(and(eq(flags.rule, 'PLAN_NOT_PUBLISHED'), eq(flags.subjectId, plan.id)));
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ occurrence: 'r1', article: '第十四条', observed: '2026-03-20', limitValue: 20 });
  });

  it('works through more due rows than one batch', async () => {
    for (let i = 0; i < 5; i++) await newAgency(t.db);
    expect(count(await runSweep(t.db, t.clock, { batchSize: 2 }), 'plan-filing-deadline')).toBe(5);
    expect(count(await runSweep(t.db, t.clock, { batchSize: 2 }), 'plan-filing-deadline')).toBe(0);
  });
});
