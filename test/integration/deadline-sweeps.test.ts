import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntries } from '../../src/db/schema/index.js';
import type { Agency } from '../../src/registry/agencies.repository.js';
import { rectificationNoFollowupJob } from '../../src/sweeper/jobs/rectification-no-followup.js';
import { referralOverdueJob } from '../../src/sweeper/jobs/referral-overdue.js';
import { resultNotNotifiedJob } from '../../src/sweeper/jobs/result-not-notified.js';
import { runSweep } from '../../src/sweeper/run.js';
import { and, eq, sql } from 'drizzle-orm';
import { newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { newInspection } from '../support/plan-factories.js';
import { findingsWithReferrals, newCompetentAgency, newReferral, referralBody } from '../support/referral-factories.js';
import { countOf, crashingAfter, flagsOf } from '../support/sweep-helpers.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

const MY_JOBS = [referralOverdueJob, resultNotNotifiedJob, rectificationNoFollowupJob];

describeDb('durable deadlines: referrals, result notification, follow-up (Art. 18(5), 20, 23)', () => {
  let t: TestApp;
  let w: InspectionWorld;
  let env: Agency;

  beforeAll(async () => {
    t = await createTestApp({ start: '2026-02-10T10:00:00+08:00' });
    w = await newInspectionWorld(t, { cap: 50 });
    env = await newCompetentAgency(t.db, w);
  });
  // `t` is replaced by a new instance in the restart test; the database outlives every instance.
  afterAll(async () => {
    await t.app.close();
    await t.testDb.drop();
  });

  const sweep = (options = {}) => runSweep(t.db, t.clock, options, MY_JOBS);
  const openReferral = async (at: string) => {
    t.clock.set(at);
    const res = await t.call({ method: 'POST', url: '/api/v1/referrals', as: w.officer, payload: referralBody(w, env.code) });
    if (res.statusCode !== 201) throw new Error(res.body);
    return res.json() as { id: string; dueDate: string };
  };

  describe('REFERRAL_OVERDUE (Art. 23)', () => {
    it('flags an unsent referral once its due date has passed, across the Spring Festival, exactly once across runs', async () => {
      const late = await openReferral('2026-02-10T10:00:00+08:00');
      const timely = await openReferral('2026-02-10T10:05:00+08:00');
      expect([late.dueDate, timely.dueDate]).toEqual(['2026-03-02', '2026-03-02']);
      // During the holiday, and on the due date itself, nothing is due.
      for (const at of ['2026-02-20T12:00:00+08:00', '2026-03-02T23:59:59+08:00']) {
        t.clock.set(at);
        expect(countOf(await sweep(), 'referral-overdue'), at).toBe(0);
      }
      t.clock.set('2026-03-02T16:00:00+08:00');
      await t.call({ method: 'POST', url: `/api/v1/referrals/${timely.id}/send`, as: w.officer, payload: {} });
      t.clock.set('2026-03-03T00:00:01+08:00');
      expect(countOf(await sweep(), 'referral-overdue')).toBe(1);
      expect(countOf(await sweep(), 'referral-overdue')).toBe(0);
      const [flag] = await flagsOf(t.db, 'REFERRAL_OVERDUE', late.id);
      expect(flag).toMatchObject({ article: '第二十三条', observed: 'unsent on 2026-03-03', limitValue: '2026-03-02', agencyCode: w.agency.code, districtCode: w.districtCode });
      expect(flag!.detail).toContain('仍未移送');
      expect(await flagsOf(t.db, 'REFERRAL_OVERDUE', timely.id)).toEqual([]);
      // Sending it late afterwards does not raise a second flag.
      const sent = (await t.call({ method: 'POST', url: `/api/v1/referrals/${late.id}/send`, as: w.officer, payload: {} })).json();
      expect(sent).toMatchObject({ state: 'sent', overdue: true, flags: [] });
      expect(await flagsOf(t.db, 'REFERRAL_OVERDUE', late.id)).toHaveLength(1);
      const raisedBy = await t.db.select().from(auditEntries).where(and(eq(auditEntries.action, 'flag.raised'), eq(auditEntries.subjectId, late.id)));
      expect(raisedBy.map((e) => e.actor)).toEqual(['system:sweeper']);
    });

    it('crosses National Day: found 2026-09-29, flagged on 2026-10-20, not on the 19th', async () => {
      const r = await openReferral('2026-09-29T17:30:00+08:00');
      expect(r.dueDate).toBe('2026-10-19');
      t.clock.set('2026-10-08T09:00:00+08:00');
      expect(countOf(await sweep(), 'referral-overdue')).toBe(0);
      t.clock.set('2026-10-19T23:00:00+08:00');
      expect(countOf(await sweep(), 'referral-overdue')).toBe(0);
      t.clock.set('2026-10-20T00:00:00+08:00');
      expect(countOf(await sweep(), 'referral-overdue')).toBe(1);
      expect((await flagsOf(t.db, 'REFERRAL_OVERDUE', r.id))[0]).toMatchObject({ limitValue: '2026-10-19', observed: 'unsent on 2026-10-20' });
    });

    it('loses nothing when a sweeper dies halfway and a new one starts later on another instance', async () => {
      const rows: { id: string }[] = [];
      for (let i = 0; i < 7; i++) {
        rows.push(await newReferral(t.db, { agencyCode: w.agency.code, competentAgencyCode: env.code, enterpriseCode: w.enterprise.creditCode, foundOn: '2026-10-09', dueDate: '2026-10-23' }));
      }
      t.clock.set('2026-10-26T08:00:00+08:00');
      // Instance A: batches of 2; the first commits, the second dies before its commit.
      const crashing = crashingAfter(referralOverdueJob, 1);
      const [report] = await runSweep(t.db, t.clock, { batchSize: 2 }, [crashing]);
      expect(report!.error).toContain('simulated crash');
      const flagged = async () => (await flagsOf(t.db, 'REFERRAL_OVERDUE')).filter((f) => rows.some((r) => r.id === f.subjectId));
      expect(await flagged()).toHaveLength(2);
      await t.app.close();
      // Two days pass with no sweeper; then a new instance on the same database picks up the rest.
      t = await createTestApp({ testDb: t.testDb, devKey: t.devKey, keyring: t.keyring, start: '2026-10-28T08:00:00+08:00' });
      expect(countOf(await runSweep(t.db, t.clock, { batchSize: 2 }, MY_JOBS), 'referral-overdue')).toBe(5);
      const all = await flagged();
      expect(all).toHaveLength(7);
      expect(new Set(all.map((f) => f.subjectId)).size).toBe(7);
      expect(countOf(await runSweep(t.db, t.clock, {}, MY_JOBS), 'referral-overdue')).toBe(0);
    });
  });

  describe('RESULT_NOT_NOTIFIED (Art. 18(5))', () => {
    let unnotified: string;
    let notified: string;

    it('counts the configured working days from the findings, across National Day', async () => {
      // Art. 18 governs the on-site routine and special inspections of Art. 17: routine rows here.
      const findings = (at: string) =>
        newInspection(t.db, { agencyCode: w.agency.code, enterpriseCode: w.enterprise.creditCode, matterCodes: [w.matter], countedDate: '2026-09-28', state: 'findings_recorded', findingsAt: new Date(at) });
      unnotified = (await findings('2026-09-28T16:00:00+08:00')).id;
      notified = (await findings('2026-09-28T16:10:00+08:00')).id;
      // A case inspection is not one of them: its unnotified findings are not flagged under Art. 18(5).
      const caseVisit = (await findingsWithReferrals(t, w, '2026-09-28T16:20:00+08:00', [])).inspectionId;
      t.clock.set('2026-09-30T10:00:00+08:00');
      expect((await t.call({ method: 'POST', url: `/api/v1/inspections/${notified}/notify-result`, as: w.officer, payload: { method: 'written' } })).statusCode).toBe(200);
      // An off-site inspection is told by its own notice (Art. 37), not by Art. 18(5).
      await newInspection(t.db, { agencyCode: w.agency.code, enterpriseCode: w.enterprise.creditCode, matterCodes: [w.offsiteMatter], countedDate: '2026-09-01', mode: 'offsite', state: 'findings_recorded', findingsAt: new Date('2026-09-01T02:00:00Z') });
      // 5 working days after 2026-09-28: Sept 29, 30, Oct 8, 9, 10 (a worked Saturday).
      t.clock.set('2026-10-10T23:59:00+08:00');
      expect(countOf(await sweep(), 'result-not-notified')).toBe(0);
      t.clock.set('2026-10-11T00:00:30+08:00');
      expect(countOf(await sweep({ resultNotifyWorkingDays: 6 }), 'result-not-notified')).toBe(0);
      expect(countOf(await sweep(), 'result-not-notified')).toBe(1);
      expect(countOf(await sweep(), 'result-not-notified')).toBe(0);
      const [flag] = await flagsOf(t.db, 'RESULT_NOT_NOTIFIED', unnotified);
      expect(flag).toMatchObject({ article: '第十八条第（五）项', limitValue: '2026-10-10', enterpriseCode: w.enterprise.creditCode });
      expect(await flagsOf(t.db, 'RESULT_NOT_NOTIFIED', notified)).toEqual([]);
      expect(await flagsOf(t.db, 'RESULT_NOT_NOTIFIED', caseVisit)).toEqual([]);
      expect(await flagsOf(t.db, 'RESULT_NOT_NOTIFIED')).toHaveLength(1);
    });
  });

  describe('第二十条第二款 跟踪检查：责令停止或改正后，行政执法主体应当进行跟踪检查并予以记录 (RECTIFICATION_NO_FOLLOWUP)', () => {
    it('judges the agency against the follow-up period after the enterprise’s due date, counts only its own follow-up of that order, and says what it found', async () => {
      const base = { agencyCode: w.agency.code, enterpriseCode: w.enterprise.creditCode, matterCodes: [w.matter], countedDate: '2026-09-15', state: 'result_notified', followUpDue: '2026-10-16', findingsAt: new Date('2026-09-15T03:00:00Z'), outcome: { kind: 'rectification', noticeNo: '武昌市监责改〔2026〕30号', dueDate: '2026-10-16' } };
      const none = await newInspection(t.db, base);
      const inTime = await newInspection(t.db, base);
      const late = await newInspection(t.db, base);
      const draftOnly = await newInspection(t.db, base);
      const byOther = await newInspection(t.db, base);
      const follow = (of: string, findingsAt: Date | null, state: string, agencyCode = w.agency.code) =>
        newInspection(t.db, { agencyCode, enterpriseCode: w.enterprise.creditCode, matterCodes: [w.matter], countedDate: '2026-10-20', kind: 'case', leadKind: 'follow_up', followUpOf: of, findingsAt, state });
      // The enterprise's term ends 10-16; the agency can follow up only after it, within FOLLOW_UP_DAYS (15).
      await follow(inTime.id, new Date('2026-10-20T03:00:00Z'), 'findings_recorded');
      await follow(late.id, new Date('2026-11-03T03:00:00Z'), 'findings_recorded');
      await follow(draftOnly.id, null, 'approved');
      // Another agency's visit naming the order is not the ordering agency's follow-up.
      await follow(byOther.id, new Date('2026-10-20T03:00:00Z'), 'findings_recorded', w.city.code);
      t.clock.set('2026-10-19T09:00:00+08:00');
      expect(countOf(await sweep(), 'rectification-no-followup')).toBe(0);
      t.clock.set('2026-10-31T22:00:00+08:00');
      expect(countOf(await sweep(), 'rectification-no-followup')).toBe(0);
      t.clock.set('2026-11-04T09:00:00+08:00');
      expect(countOf(await sweep({ followUpDays: 20 }), 'rectification-no-followup')).toBe(0);
      expect(countOf(await sweep(), 'rectification-no-followup')).toBe(4);
      expect(countOf(await sweep(), 'rectification-no-followup')).toBe(0);
      const flagged = (await flagsOf(t.db, 'RECTIFICATION_NO_FOLLOWUP')).map((f) => f.subjectId).sort();
      expect(flagged).toEqual([none.id, late.id, draftOnly.id, byOther.id].sort());
      const [noneFlag] = await flagsOf(t.db, 'RECTIFICATION_NO_FOLLOWUP', none.id);
      expect(noneFlag).toMatchObject({ article: '第二十条', limitValue: '2026-10-31' });
      expect(noneFlag!.detail).toContain('武昌市监责改〔2026〕30号');
      expect(noneFlag!.detail).toContain('无本单位对该企业的跟踪检查记录');
      expect((await flagsOf(t.db, 'RECTIFICATION_NO_FOLLOWUP', late.id))[0]!.detail).toContain('跟踪检查于2026-11-03才记录检查情况，晚于期限');
      expect((await flagsOf(t.db, 'RECTIFICATION_NO_FOLLOWUP', draftOnly.id))[0]!.detail).toContain('已制定跟踪检查，但截至2026-11-04未记录检查情况');
    });
    it('brings the flag up to date when the ordering agency records its follow-up after the period, on the audit chain', async () => {
      const order = await newInspection(t.db, { agencyCode: w.agency.code, enterpriseCode: w.enterprise.creditCode, matterCodes: [w.matter], countedDate: '2026-09-16', state: 'result_notified', followUpDue: '2026-10-16', findingsAt: new Date('2026-09-16T03:00:00Z'), outcome: { kind: 'rectification', noticeNo: '武昌市监责改〔2026〕31号', dueDate: '2026-10-16' } });
      const followUp = await newInspection(t.db, { agencyCode: w.agency.code, enterpriseCode: w.enterprise.creditCode, matterCodes: [w.matter], countedDate: '2026-11-10', kind: 'case', leadKind: 'follow_up', followUpOf: order.id, findingsAt: null, state: 'in_progress' });
      t.clock.set('2026-11-04T09:00:00+08:00');
      await sweep();
      const [before] = await flagsOf(t.db, 'RECTIFICATION_NO_FOLLOWUP', order.id);
      expect(before!.detail).toContain('已制定跟踪检查，但截至2026-11-04未记录检查情况');
      t.clock.set('2026-11-10T10:00:00+08:00');
      const res = await t.call({ method: 'POST', url: `/api/v1/inspections/${followUp.id}/findings`, as: w.officer, payload: { methods: ['site_survey'], items: [{ item: '整改情况', result: 'compliant' }], outcome: { kind: 'no_violation' } } });
      expect(res.statusCode).toBe(200);
      const [after] = await flagsOf(t.db, 'RECTIFICATION_NO_FOLLOWUP', order.id);
      expect(after!.state).toBe('open');
      expect(after!.detail).toContain(`其后于2026-11-10记录了跟踪检查情况（跟踪检查 ${followUp.id}）`);
      expect(after!.evidence).toMatchObject({ followUpRecorded: { inspectionId: followUp.id, on: '2026-11-10' } });
      const audit = await t.db.execute<{ action: string }>(sql`SELECT action FROM audit_entries WHERE subject_id = ${order.id} AND action = 'flag.follow_up_recorded'`);
      expect((audit as unknown as { rows: unknown[] }).rows).toHaveLength(1);
    });
  });

  describe('the whole sweep', () => {
    it('runs every registered job, mine included, with nothing left to raise', async () => {
      const reports = await runSweep(t.db, t.clock);
      expect(reports.map((r) => r.job)).toEqual(expect.arrayContaining(['referral-overdue', 'result-not-notified', 'rectification-no-followup']));
      for (const job of ['referral-overdue', 'result-not-notified', 'rectification-no-followup']) expect(countOf(reports, job), job).toBe(0);
    });
  });
});
