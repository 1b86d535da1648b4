import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import type { Agency } from '../../src/registry/agencies.repository.js';
import { rectificationNoFollowupJob } from '../../src/sweeper/jobs/rectification-no-followup.js';
import { referralOverdueJob } from '../../src/sweeper/jobs/referral-overdue.js';
import { resultNotNotifiedJob } from '../../src/sweeper/jobs/result-not-notified.js';
import { runSweep } from '../../src/sweeper/run.js';
import { newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { newInspection } from '../support/plan-factories.js';
import { newCompetentAgency, newReferral } from '../support/referral-factories.js';
import { countOf, crashingAfter, flagsOf } from '../support/sweep-helpers.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describePg } from '../support/test-database.js';

const JOBS = [referralOverdueJob, resultNotNotifiedJob, rectificationNoFollowupJob];

/** Real concurrency: two sweepers on separate connection pools, as two API instances would be. */
describePg('deadline sweeps on several instances at once (Art. 18(5), 20, 23)', () => {
  let t: TestApp;
  let other: Database;
  let w: InspectionWorld;
  let env: Agency;

  beforeAll(async () => {
    t = await createTestApp({ start: '2026-10-26T08:00:00+08:00' });
    other = await openDatabase({ url: t.testDb.url!, poolSize: 5 });
    w = await newInspectionWorld(t, { cap: 100 });
    env = await newCompetentAgency(t.db, w);
  });
  afterAll(async () => {
    await other.close();
    await t.close();
  });

  const referral = (dueDate: string) =>
    newReferral(t.db, { agencyCode: w.agency.code, competentAgencyCode: env.code, enterpriseCode: w.enterprise.creditCode, foundOn: '2026-10-09', dueDate });
  const inspection = (over: Record<string, unknown>) =>
    newInspection(t.db, { agencyCode: w.agency.code, enterpriseCode: w.enterprise.creditCode, matterCodes: [w.matter], countedDate: '2026-10-09', ...over });

  it('raises every due flag exactly once when two sweepers run at the same moment', async () => {
    for (let i = 0; i < 24; i++) await referral('2026-10-23');
    for (let i = 0; i < 9; i++) await inspection({ state: 'findings_recorded', findingsAt: new Date('2026-10-09T06:00:00Z') });
    // The enterprise's term ended on 10 October; the agency's follow-up period (FOLLOW_UP_DAYS, 15) ran out on 25 October (第二十条第二款).
    for (let i = 0; i < 9; i++) await inspection({ state: 'closed', followUpDue: '2026-10-10', findingsAt: new Date('2026-10-09T06:00:00Z') });
    const [a, b] = await Promise.all([runSweep(t.db, t.clock, { batchSize: 4 }, JOBS), runSweep(other.db, t.clock, { batchSize: 4 }, JOBS)]);
    for (const [job, rule, n] of [
      ['referral-overdue', 'REFERRAL_OVERDUE', 24],
      ['result-not-notified', 'RESULT_NOT_NOTIFIED', 9],
      ['rectification-no-followup', 'RECTIFICATION_NO_FOLLOWUP', 9],
    ] as const) {
      const rows = await flagsOf(t.db, rule);
      expect(rows, rule).toHaveLength(n);
      expect(new Set(rows.map((f) => f.subjectId)).size, rule).toBe(n);
      expect(countOf(a, job) + countOf(b, job), job).toBe(n);
    }
    const again = await Promise.all([runSweep(t.db, t.clock, {}, JOBS), runSweep(other.db, t.clock, {}, JOBS)]);
    for (const r of again.flat()) expect(r).toEqual({ job: r.job, count: 0 });
  });

  it('raises one flag when an officer sends late while the sweeper flags the same referral', async () => {
    const rows = [];
    for (let i = 0; i < 8; i++) rows.push(await referral('2026-10-23'));
    const sends = rows.map((r) => t.call({ method: 'POST', url: `/api/v1/referrals/${r.id}/send`, as: w.officer, payload: {} }));
    const [sent, reports] = await Promise.all([Promise.all(sends), runSweep(other.db, t.clock, { batchSize: 2 }, [referralOverdueJob])]);
    expect(sent.map((s) => s.statusCode)).toEqual(rows.map(() => 200));
    const byCommand = sent.filter((s) => s.json().flags.includes('REFERRAL_OVERDUE')).length;
    expect(byCommand + countOf(reports, 'referral-overdue')).toBe(rows.length);
    for (const r of rows) expect(await flagsOf(t.db, 'REFERRAL_OVERDUE', r.id), r.id).toHaveLength(1);
  });

  it('finishes the work of a sweeper that crashed while another was running', async () => {
    const rows = [];
    for (let i = 0; i < 12; i++) rows.push(await referral('2026-10-22'));
    const [crashed, survivor] = await Promise.all([
      // Dies in its first batch, holding its rows' locks until the rollback.
      runSweep(t.db, t.clock, { batchSize: 3 }, [crashingAfter(referralOverdueJob, 0)]),
      runSweep(other.db, t.clock, { batchSize: 3 }, [referralOverdueJob]),
    ]);
    expect(crashed[0]!.error).toContain('simulated crash');
    expect(survivor[0]!.error).toBeUndefined();
    await runSweep(other.db, t.clock, {}, [referralOverdueJob]);
    for (const r of rows) expect(await flagsOf(t.db, 'REFERRAL_OVERDUE', r.id), r.id).toHaveLength(1);
  });
});
