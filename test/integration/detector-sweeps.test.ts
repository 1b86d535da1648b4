import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frequencyRules } from '../../src/db/schema/index.js';
import type { Enterprise } from '../../src/registry/enterprises.repository.js';
import { caseFrequencyAnomalyJob } from '../../src/sweeper/jobs/case-frequency-anomaly.js';
import { caseMergeableJob } from '../../src/sweeper/jobs/case-mergeable.js';
import { frequencyCapExceededJob } from '../../src/sweeper/jobs/frequency-cap-exceeded.js';
import { notArchivedJob } from '../../src/sweeper/jobs/not-archived.js';
import type { SweepJob } from '../../src/sweeper/job.js';
import { runSweep, type SweepOptions } from '../../src/sweeper/run.js';
import { as, newEnterprise } from '../support/factories.js';
import { draftBody, newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { newInspection } from '../support/plan-factories.js';
import { countOf, flagsOf } from '../support/sweep-helpers.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

describeDb('detectors named by the catalogue and raised by the sweeper (issue 11)', () => {
  let t: TestApp;
  let w: InspectionWorld;

  beforeAll(async () => {
    t = await createTestApp({ start: '2026-04-01T09:00:00+08:00' });
    // The world's cap: 2 routine or special inspections a year per agency and enterprise.
    w = await newInspectionWorld(t, { cap: 2 });
  });
  afterAll(() => t.close());

  const sweep = (job: SweepJob, options: SweepOptions = {}) => runSweep(t.db, t.clock, options, [job]).then((r) => countOf(r, job.name));
  const anEnterprise = () => newEnterprise(t.db, { districtCode: w.districtCode });
  const onRecord = (e: Enterprise, countedDate: string, over: Parameters<typeof newInspection>[1] extends infer I ? Partial<I> : never = {}) =>
    newInspection(t.db, { agencyCode: w.agency.code, enterpriseCode: e.creditCode, matterCodes: [w.matter], countedDate, ...over });

  describe('GET /api/v1/rules: what the engine watches and what it cannot', () => {
    it('gives every detector where it is raised, or why it cannot be checked', async () => {
      const res = await t.call({ method: 'GET', url: '/api/v1/rules' });
      expect(res.statusCode).toBe(200);
      const rules = res.json() as { id: string; article: string; roles: string[]; guardedBy: unknown[]; raisedBy: unknown[]; notCheckable: { zh: string } | null; pending: unknown }[];
      const detectors = rules.filter((r) => r.roles.includes('detector'));
      expect(detectors.filter((r) => r.raisedBy.length === 0 && !r.notCheckable && !r.pending).map((r) => r.id)).toEqual([]);
      expect(rules.find((r) => r.id === 'CASE_FREQUENCY_ANOMALY')).toMatchObject({ roles: ['detector'], raisedBy: [{ job: 'case-frequency-anomaly' }], notCheckable: null });
      expect(rules.find((r) => r.id === 'FREQUENCY_CAP')).toMatchObject({ roles: ['guard', 'detector'], raisedBy: [{ job: 'frequency-cap-exceeded' }] });
      expect(rules.find((r) => r.id === 'QUOTA')!.notCheckable!.zh).toContain('考核');
      expect(rules.find((r) => r.id === 'PROFIT_SEEKING')!.article).toBe('第四十条第（一）项、第（八）项');
      // A record-only rule says which command records what its article asks.
      expect(rules.find((r) => r.id === 'PLAN_RETURNED')).toMatchObject({ roles: ['record-only'], recordedBy: [{ command: 'returnPlan' }] });
    });
  });

  describe('第十五条、第四十条第（十）项 FREQUENCY_CAP as a detector', () => {
    it('flags an enterprise pushed over a cap by inspections recorded off the code-issuing route, once per cap, agency and year', async () => {
      const e = await anEnterprise();
      await onRecord(e, '2026-02-10');
      await onRecord(e, '2026-03-05');
      // Case inspections and upper-deployed special ones do not count (Art. 15).
      await onRecord(e, '2026-03-20', { kind: 'case', countsTowardCap: false });
      await onRecord(e, '2026-03-21', { kind: 'special', countsTowardCap: false });
      // Cancelled drafts never happened.
      await onRecord(e, '2026-03-22', { state: 'cancelled' });
      expect(await sweep(frequencyCapExceededJob)).toBe(0);

      // An off-site record never meets the issuance guard. A cap counts on-site visits unless the published
      // cap names off-site checks too (第十五条, 第三十二条): under an on-site cap it counts for nothing …
      const offsite = await onRecord(e, '2026-03-28', { mode: 'offsite', state: 'findings_recorded' });
      expect(await sweep(frequencyCapExceededJob)).toBe(0);
      // … and under a cap that counts both modes it is the third of two.
      await t.db.update(frequencyRules).set({ modes: ['onsite', 'offsite'] }).where(eq(frequencyRules.kind, 'cap'));
      expect(await sweep(frequencyCapExceededJob)).toBe(1);
      expect(await sweep(frequencyCapExceededJob)).toBe(0);
      const [flag, ...more] = await flagsOf(t.db, 'FREQUENCY_CAP', e.creditCode);
      expect(more).toEqual([]);
      expect(flag).toMatchObject({
        article: '第十五条、第四十条第（十）项',
        subjectType: 'enterprise',
        agencyCode: w.agency.code,
        enterpriseCode: e.creditCode,
        districtCode: w.districtCode,
        observed: 3,
        limitValue: 2,
      });
      expect(flag!.occurrence).toMatch(new RegExp(`:${w.agency.code}:2026-01-01$`));
      expect(flag!.detail).toContain('年度（2026年）内计入频次的检查已达 3 次');
      expect(flag!.detail).not.toMatch(/[A-Za-z]{4,}/);
      expect((flag!.evidence as { inspectionIds: string[] }).inspectionIds).toContain(offsite.id);

      // A fourth in the same year is the same occurrence; the next year starts afresh.
      await onRecord(e, '2026-04-01', { mode: 'offsite', state: 'findings_recorded' });
      expect(await sweep(frequencyCapExceededJob)).toBe(0);
    });
  });

  describe('第十五条 CASE_FREQUENCY_ANOMALY (个案检查明显超过合理频次的，行政执法监督机构应当进行监督)', () => {
    it('flags case inspections past a threshold set through the API, counted within its matter, and never refuses one', async () => {
      const e = await anEnterprise();
      const threshold = await t.call({
        method: 'POST',
        url: '/api/v1/frequency-rules',
        as: as.admin(),
        payload: {
          kind: 'case_anomaly',
          issuerLevel: 'city',
          issuerName: '武汉市司法局',
          documentNo: '武司〔2026〕9号（测试）',
          scopeKind: 'matter',
          scopeValue: w.matter,
          period: 'quarter',
          maxCount: 2,
          effectiveFrom: '2026-01-01',
        },
      });
      expect(threshold.statusCode, threshold.body).toBe(201);
      const caseOf = (day: string, matter = w.matter) => onRecord(e, day, { kind: 'case', countsTowardCap: false, leadKind: 'complaint', matterCodes: [matter], state: 'closed' });
      await caseOf('2026-04-02');
      await caseOf('2026-04-09');
      // Another matter is outside this threshold's scope, and so is the previous quarter.
      await caseOf('2026-04-10', w.offsiteMatter);
      await caseOf('2026-03-30');
      expect(await sweep(caseFrequencyAnomalyJob)).toBe(0);

      // Over the threshold, a case inspection is still drafted: Art. 15 exempts it from caps.
      t.clock.set('2026-04-10T09:00:00+08:00');
      const drafted = await t.call({
        method: 'POST',
        url: '/api/v1/inspections',
        as: w.officer,
        payload: draftBody(w, { enterpriseCode: e.creditCode, kind: 'case', leadKind: 'complaint', leadRef: '12345热线-20260410-01', windowStart: '2026-04-15T09:00:00+08:00', windowEnd: '2026-04-15T17:00:00+08:00' }),
      });
      expect(drafted.statusCode, drafted.body).toBe(201);
      await caseOf('2026-04-16');
      expect(await sweep(caseFrequencyAnomalyJob)).toBe(1);
      expect(await sweep(caseFrequencyAnomalyJob)).toBe(0);
      const flags = await flagsOf(t.db, 'CASE_FREQUENCY_ANOMALY', e.creditCode);
      expect(flags).toHaveLength(1);
      expect(flags[0]).toMatchObject({ article: '第十五条', subjectType: 'enterprise', observed: 3, limitValue: 2, occurrence: `${threshold.json().id}:${w.agency.code}:2026-04-01` });
      expect(flags[0]!.detail).toContain('季度（2026年第二季度）内个案检查已达 3 次');
      expect(flags[0]!.detail).toContain(`检查事项${w.matter}`);
      // The cap detector does not count case inspections.
      expect(await flagsOf(t.db, 'FREQUENCY_CAP', e.creditCode)).toEqual([]);
    });
  });

  describe('第十三条第三款 CASE_MERGEABLE (个案现场检查能够与尚未执行的计划检查任务合并实施的，原则上应当合并实施)', () => {
    it('flags an on-site case inspection carried out alone beside a pending planned task of the same agency, once', async () => {
      const e = await anEnterprise();
      const at = (iso: string) => new Date(iso);
      await onRecord(e, '2026-04-20', { state: 'approved', createdAt: at('2026-04-01T09:00:00+08:00') });
      const alone = await onRecord(e, '2026-04-10', { kind: 'case', countsTowardCap: false, leadKind: 'complaint', state: 'in_progress', createdAt: at('2026-04-05T09:00:00+08:00') });
      // Merged as the article asks; drafted but never carried out; drafted before the planned task existed.
      const merged = await onRecord(e, '2026-04-11', { kind: 'case', countsTowardCap: false, leadKind: 'complaint', state: 'merged', createdAt: at('2026-04-05T10:00:00+08:00') });
      const notYet = await onRecord(e, '2026-04-12', { kind: 'case', countsTowardCap: false, leadKind: 'complaint', state: 'draft', createdAt: at('2026-04-05T11:00:00+08:00') });
      const earlier = await onRecord(e, '2026-04-13', { kind: 'case', countsTowardCap: false, leadKind: 'complaint', state: 'closed', createdAt: at('2026-03-25T09:00:00+08:00') });
      // At another enterprise, the only planned task is months away: not "能够合并".
      const far = await anEnterprise();
      await onRecord(far, '2026-09-01', { state: 'approved', createdAt: at('2026-04-01T09:00:00+08:00') });
      const farCase = await onRecord(far, '2026-04-10', { kind: 'case', countsTowardCap: false, leadKind: 'complaint', state: 'closed', createdAt: at('2026-04-05T09:00:00+08:00') });

      expect(await sweep(caseMergeableJob)).toBe(1);
      expect(await sweep(caseMergeableJob)).toBe(0);
      const [flag] = await flagsOf(t.db, 'CASE_MERGEABLE', alone.id);
      expect(flag).toMatchObject({ article: '第十三条', subjectType: 'inspection', agencyCode: w.agency.code, enterpriseCode: e.creditCode });
      expect(flag!.detail).toContain('第十三条第三款');
      for (const i of [merged, notYet, earlier, farCase]) expect(await flagsOf(t.db, 'CASE_MERGEABLE', i.id), i.state).toEqual([]);
      // CASE_MERGE_WINDOW_DAYS widened to a year reaches the task months away.
      expect(await sweep(caseMergeableJob, { caseMergeWindowDays: 365 })).toBe(1);
      expect(await flagsOf(t.db, 'CASE_MERGEABLE', farCase.id)).toHaveLength(1);
    });
  });

  describe('第二十五条 NOT_ARCHIVED', () => {
    it('flags an inspection not archived ARCHIVE_WITHIN_DAYS after its result was notified, once, and not an archived one', async () => {
      const e = await anEnterprise();
      const notifiedAt = new Date('2026-05-04T16:00:00+08:00');
      const closed = await onRecord(e, '2026-04-28', { state: 'closed', resultNotifiedAt: notifiedAt, closedAt: notifiedAt });
      const open = await onRecord(e, '2026-04-29', { state: 'result_notified', resultNotifiedAt: notifiedAt });
      const archived = await onRecord(e, '2026-04-30', { state: 'archived', resultNotifiedAt: notifiedAt, archivedAt: new Date('2026-05-20T10:00:00+08:00') });
      t.clock.set('2026-06-03T23:59:59+08:00');
      expect(await sweep(notArchivedJob)).toBe(0);
      t.clock.set('2026-06-04T00:00:01+08:00');
      expect(await sweep(notArchivedJob)).toBe(2);
      expect(await sweep(notArchivedJob)).toBe(0);
      const [flag] = await flagsOf(t.db, 'NOT_ARCHIVED', closed.id);
      expect(flag).toMatchObject({ article: '第二十五条', subjectType: 'inspection', limitValue: '2026-06-03', observed: 'unarchived on 2026-06-04', districtCode: w.districtCode });
      expect(flag!.detail).toContain('仍未将行政执法文书、证据等归档');
      expect(await flagsOf(t.db, 'NOT_ARCHIVED', open.id)).toHaveLength(1);
      expect(await flagsOf(t.db, 'NOT_ARCHIVED', archived.id)).toEqual([]);
    });

    it('takes the period from the setting', async () => {
      const e = await anEnterprise();
      const i = await onRecord(e, '2026-06-01', { state: 'closed', resultNotifiedAt: new Date('2026-06-02T10:00:00+08:00') });
      t.clock.set('2026-06-13T00:00:01+08:00');
      expect(await sweep(notArchivedJob, { archiveWithinDays: 11 })).toBe(0);
      expect(await sweep(notArchivedJob, { archiveWithinDays: 10 })).toBe(1);
      expect((await flagsOf(t.db, 'NOT_ARCHIVED', i.id))[0]).toMatchObject({ limitValue: '2026-06-12' });
    });
  });
});
