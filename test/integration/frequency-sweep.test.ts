import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enterprises } from '../../src/db/schema/index.js';
import type { Enterprise } from '../../src/registry/enterprises.repository.js';
import { caseFrequencyAnomalyJob } from '../../src/sweeper/jobs/case-frequency-anomaly.js';
import { frequencyCapExceededJob } from '../../src/sweeper/jobs/frequency-cap-exceeded.js';
import type { SweepJob } from '../../src/sweeper/job.js';
import { runSweep, type SweepOptions } from '../../src/sweeper/run.js';
import { registerPlatform, type RegisteredPlatform } from '../support/exchange-factories.js';
import { as, newEnterprise } from '../support/factories.js';
import { newInspectionWorld, type InspectionWorld } from '../support/inspection-world.js';
import { newFrequencyRule, newInspection } from '../support/plan-factories.js';
import { countOf, flagsOf } from '../support/sweep-helpers.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb, testDriver } from '../support/test-database.js';

/**
 * The frequency detectors look only at what changed since their last completed pass (the change log and the
 * watermark, src/sweeper/frequency-watermark.ts): these tests hold them to the Order's counts all the same.
 */
describeDb('第十五条 频次检测按变化增量扫描，不漏一个超频', () => {
  let t: TestApp;
  let w: InspectionWorld;
  let p: RegisteredPlatform;

  beforeAll(async () => {
    t = await createTestApp({ start: '2026-04-01T09:00:00+08:00' });
    // The world's cap: 2 routine or special inspections a year per agency and enterprise.
    w = await newInspectionWorld(t, { cap: 2 });
    p = await registerPlatform(t, { importAgencies: [w.agency.code] });
  });
  afterAll(() => t.close());

  /** One pass of one job: the groups it selected and the flags it raised. */
  async function pass(job: SweepJob, options: SweepOptions = {}) {
    let selected = 0;
    const counting: SweepJob = {
      ...job,
      async runBatch(tx, ctx, limit) {
        const out = await job.runBatch(tx, ctx, limit);
        selected += out.selected;
        return out;
      },
    };
    const raised = countOf(await runSweep(t.db, t.clock, options, [counting]), job.name);
    return { selected, raised };
  }
  // Class C unless a test says otherwise: the graded cap below reaches class A only.
  const anEnterprise = (over: { riskClass?: Enterprise['riskClass'] } = {}) => newEnterprise(t.db, { districtCode: w.districtCode, riskClass: 'C', ...over });
  const onRecord = (e: Enterprise, countedDate: string, over: Partial<Parameters<typeof newInspection>[1]> = {}) =>
    newInspection(t.db, { agencyCode: w.agency.code, enterpriseCode: e.creditCode, matterCodes: [w.matter], countedDate, ...over });

  describe('第十五条、第四十条第（十）项 FREQUENCY_CAP：导入和非现场记录越过上限', () => {
    it('selects nothing when nothing changed, and flags the enterprise an imported inspection pushes over the cap', async () => {
      const e = await anEnterprise();
      await onRecord(e, '2026-02-10');
      await onRecord(e, '2026-03-05', { mode: 'offsite', state: 'findings_recorded' });
      await pass(frequencyCapExceededJob);
      // Nothing was written since the last completed pass: nothing is looked at.
      expect(await pass(frequencyCapExceededJob)).toEqual({ selected: 0, raised: 0 });

      await onRecord(e, '2026-03-06');
      // Two on-site visits and one off-site check under an on-site cap: within it.
      expect(await pass(frequencyCapExceededJob)).toEqual({ selected: 0, raised: 0 });

      // The upper platform's record of a third on-site visit never met the issuance guard.
      const res = await t.call({
        method: 'POST',
        url: '/api/v1/imports/inspections',
        headers: { ...p.headers, 'content-type': 'application/x-ndjson' },
        payload: JSON.stringify({
          sourceId: 'SCJG-2026-CAP-3',
          agencyCode: w.agency.code,
          enterpriseCode: e.creditCode,
          kind: 'routine',
          mode: 'onsite',
          matterCodes: [w.matter],
          windowStart: '2026-03-20T09:00:00+08:00',
          windowEnd: '2026-03-20T12:00:00+08:00',
          sourceCode: 'HB-CODE-CAP-3',
        }),
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ created: 1 });
      expect(await pass(frequencyCapExceededJob)).toEqual({ selected: 1, raised: 1 });
      const [flag, ...more] = await flagsOf(t.db, 'FREQUENCY_CAP', e.creditCode);
      expect(more).toEqual([]);
      expect(flag).toMatchObject({ article: '第十五条、第四十条第（十）项', observed: 3, limitValue: 2, agencyCode: w.agency.code });
      expect((flag!.evidence as { inspectionIds: string[] }).inspectionIds).toHaveLength(3);
      expect(await pass(frequencyCapExceededJob)).toEqual({ selected: 0, raised: 0 });
    });

    it('counts a graded cap again for an enterprise whose risk class changed', async () => {
      const graded = await newFrequencyRule(t.db, { riskClass: 'A', maxCount: 1, period: 'year', documentNo: '武政办〔2026〕3号（测试）' });
      const e = await anEnterprise({ riskClass: 'B' });
      await onRecord(e, '2026-01-12');
      await onRecord(e, '2026-02-12');
      await pass(frequencyCapExceededJob);
      expect(await flagsOf(t.db, 'FREQUENCY_CAP', e.creditCode)).toEqual([]);

      await t.db.update(enterprises).set({ riskClass: 'A' }).where(eq(enterprises.creditCode, e.creditCode));
      expect(await pass(frequencyCapExceededJob)).toEqual({ selected: 1, raised: 1 });
      const [flag] = await flagsOf(t.db, 'FREQUENCY_CAP', e.creditCode);
      expect(flag!.occurrence).toBe(`${graded.id}:${w.agency.code}:2026-01-01`);
    });
    // Two connections are needed: PGlite has one.
    it.skipIf(testDriver !== 'pg')('sees, in the next pass, an inspection whose transaction began before a pass and committed after it', async () => {
      const e = await anEnterprise();
      await onRecord(e, '2026-01-20');
      await onRecord(e, '2026-02-20');
      await pass(frequencyCapExceededJob);
      let written!: () => void;
      let commit!: () => void;
      const insertedAt = new Promise<void>((resolve) => (written = resolve));
      const released = new Promise<void>((resolve) => (commit = resolve));
      const slow = t.db.transaction(async (tx) => {
        await newInspection(tx, { agencyCode: w.agency.code, enterpriseCode: e.creditCode, matterCodes: [w.matter], countedDate: '2026-03-20' });
        written();
        await released;
      });
      await insertedAt;
      // The pass cannot see the uncommitted row, and completes while its transaction is still open …
      expect(await pass(frequencyCapExceededJob)).toMatchObject({ raised: 0 });
      commit();
      await slow;
      // … so its watermark stays below that transaction, and the next pass counts the row.
      expect(await pass(frequencyCapExceededJob)).toEqual({ selected: 1, raised: 1 });
      expect(await flagsOf(t.db, 'FREQUENCY_CAP', e.creditCode)).toHaveLength(1);
    });
  });

  describe('第十五条 新设频次上限：对已有检查全量复核', () => {
    it('flags groups no inspection touched since the last pass when a threshold is published', async () => {
      const e = await anEnterprise();
      await onRecord(e, '2026-02-03');
      await onRecord(e, '2026-02-17');
      const other = await anEnterprise();
      await onRecord(other, '2026-03-02');
      await onRecord(other, '2026-03-30');
      await pass(frequencyCapExceededJob);
      expect(await pass(frequencyCapExceededJob)).toEqual({ selected: 0, raised: 0 });

      const monthly = await t.call({
        method: 'POST',
        url: '/api/v1/frequency-rules',
        as: as.admin(),
        payload: { kind: 'cap', issuerLevel: 'city', issuerName: '武汉市人民政府办公厅', documentNo: '武政办〔2026〕7号（测试）', scopeKind: 'agency', period: 'month', maxCount: 1, effectiveFrom: '2026-01-01' },
      });
      expect(monthly.statusCode, monthly.body).toBe(201);
      // One group a batch: the walk goes through the enterprises in several ranges, and misses none.
      const { selected, raised } = await pass(frequencyCapExceededJob, { batchSize: 1 });
      expect(selected).toBeGreaterThanOrEqual(2);
      expect(raised).toBeGreaterThanOrEqual(2);
      const flags = await flagsOf(t.db, 'FREQUENCY_CAP', e.creditCode);
      expect(flags.map((f) => f.occurrence)).toEqual([`${monthly.json().id}:${w.agency.code}:2026-02-01`]);
      expect((await flagsOf(t.db, 'FREQUENCY_CAP', other.creditCode)).map((f) => f.occurrence)).toEqual([`${monthly.json().id}:${w.agency.code}:2026-03-01`]);
      expect(flags[0]!.detail).toContain('月度（2026年2月）内计入频次的检查已达 2 次');
      expect(await pass(frequencyCapExceededJob)).toEqual({ selected: 0, raised: 0 });
    });
  });

  describe('第十五条 CASE_FREQUENCY_ANOMALY：个案检查增量扫描', () => {
    it('looks again only after a case inspection is recorded, and then flags it', async () => {
      await newFrequencyRule(t.db, { kind: 'case_anomaly', maxCount: 2, period: 'quarter', documentNo: '武司〔2026〕11号（测试）' });
      const e = await anEnterprise();
      const caseOf = (day: string) => onRecord(e, day, { kind: 'case', countsTowardCap: false, leadKind: 'complaint', state: 'closed' });
      await caseOf('2026-04-02');
      await caseOf('2026-04-09');
      await pass(caseFrequencyAnomalyJob);
      expect(await pass(caseFrequencyAnomalyJob)).toEqual({ selected: 0, raised: 0 });
      await caseOf('2026-04-16');
      expect(await pass(caseFrequencyAnomalyJob)).toEqual({ selected: 1, raised: 1 });
      expect(await flagsOf(t.db, 'CASE_FREQUENCY_ANOMALY', e.creditCode)).toHaveLength(1);
    });
  });
});
