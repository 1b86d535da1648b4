import { and, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flags, frequencyRules, inspections } from '../../src/db/schema/index.js';
import type { Agency } from '../../src/registry/agencies.repository.js';
import type { Enterprise } from '../../src/registry/enterprises.repository.js';
import { DEFAULT_WALK, type WalkTuning } from '../../src/sweeper/frequency-walk.js';
import { caseFrequencyAnomalyJob } from '../../src/sweeper/jobs/case-frequency-anomaly.js';
import { frequencyCapExceededJob } from '../../src/sweeper/jobs/frequency-cap-exceeded.js';
import { runSweep } from '../../src/sweeper/run.js';
import { newAgency, newDistrict, newEnterprise, newMatter } from '../support/factories.js';
import { newFrequencyRule } from '../support/plan-factories.js';
import { countOf } from '../support/sweep-helpers.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

/**
 * The frequency detectors find their candidates two ways (src/sweeper/frequency-walk.ts): statements over lists of
 * enterprises through the enterprise index (the incremental pass), and one full scan of the counted rows (a first
 * pass, a changed threshold or domain, a large change set). Whichever path a pass takes, it must raise exactly the
 * same flags: here both run on the same inspections — each kind of demo threshold (any agency, one agency, class A,
 * a matter once a quarter, a domain), a retired weekly one, an off-site one and two case-anomaly thresholds — and
 * their flags are compared field by field.
 */
describeDb('第十五条、第四十条第（十）项 频次检测：全量扫描与按企业统计得出相同的超频', () => {
  let t: TestApp;
  let a1: Agency;
  let a2: Agency;
  let city: Agency;
  const caps: Record<string, string> = {};
  const RULES = ['FREQUENCY_CAP', 'CASE_FREQUENCY_ANOMALY'];
  // Every enterprise listed, never a scan unless the pass is a first one.
  const LISTED: WalkTuning = { scanFromEnterprises: Number.POSITIVE_INFINITY, scanGroups: DEFAULT_WALK.scanGroups };
  // Always a scan, returning a handful of groups per statement: the walk goes on after the last group many times.
  const SCANNED: WalkTuning = { scanFromEnterprises: 1, scanGroups: 7 };

  async function pass(tuning: WalkTuning) {
    const reports = await runSweep(t.db, t.clock, { frequencyWalk: tuning, batchSize: 5 }, [frequencyCapExceededJob, caseFrequencyAnomalyJob]);
    return countOf(reports, frequencyCapExceededJob.name) + countOf(reports, caseFrequencyAnomalyJob.name);
  }
  /** The flags as the supervisor sees them, in a stable order. */
  async function flagged() {
    const rows = await t.db.select().from(flags).where(inArray(flags.rule, RULES));
    return rows
      .map((f) => ({ rule: f.rule, article: f.article, subjectId: f.subjectId, occurrence: f.occurrence, agencyCode: f.agencyCode, districtCode: f.districtCode, observed: f.observed, limitValue: f.limitValue, detail: f.detail, evidence: f.evidence }))
      .sort((x, y) => `${x.rule}|${x.subjectId}|${x.occurrence}`.localeCompare(`${y.rule}|${y.subjectId}|${y.occurrence}`));
  }
  const clearFlags = () => t.db.delete(flags).where(inArray(flags.rule, RULES));
  const ruleOf = (f: { occurrence: string }) => f.occurrence.split(':')[0]!;

  let listed: Awaited<ReturnType<typeof flagged>>;

  beforeAll(async () => {
    t = await createTestApp({ start: '2026-06-15T09:00:00+08:00' });
    const district = await newDistrict(t.db, { name: '江汉区' });
    city = await newAgency(t.db, { name: '武汉市应急管理局', domains: ['work_safety'] });
    a1 = await newAgency(t.db, { name: '武汉市江汉区市场监督管理局', districtCode: district.code, parentCode: city.code });
    a2 = await newAgency(t.db, { name: '武汉市江汉区应急管理局', districtCode: district.code, parentCode: city.code, domains: ['work_safety'] });
    const food = (await newMatter(t.db, a1.code)).matterCode;
    const market = (await newMatter(t.db, a1.code, { domain: 'market', foodDrug: false, offsiteCapable: true })).matterCode;
    const safety = (await newMatter(t.db, a2.code, { domain: 'work_safety', foodDrug: false })).matterCode;
    // A matter of the domain only in a draft version: "some version of the agency's list" still puts it there.
    const hazards = (await newMatter(t.db, a2.code, { domain: 'fire', foodDrug: false })).matterCode;
    await newMatter(t.db, a2.code, { matterCode: hazards, version: 2, domain: 'work_safety', state: 'draft', effectiveFrom: null, publishedAt: null });
    const citySafety = (await newMatter(t.db, city.code, { domain: 'work_safety', foodDrug: false })).matterCode;
    const matters: Record<string, string[]> = { [a1.code]: [food, market], [a2.code]: [safety, hazards], [city.code]: [citySafety, food] };

    const cap = async (name: string, over: Parameters<typeof newFrequencyRule>[1]) => (caps[name] = (await newFrequencyRule(t.db, { effectiveFrom: '2025-01-01', documentNo: `武政办〔2025〕${name}（测试）`, ...over })).id);
    await cap('any-agency', { scopeKind: 'agency', period: 'year', maxCount: 2 });
    await cap('one-agency', { scopeKind: 'agency', agencyCode: a1.code, period: 'month', maxCount: 1 });
    await cap('class-a', { scopeKind: 'agency', period: 'year', maxCount: 1, riskClass: 'A' });
    await cap('matter-quarter', { scopeKind: 'matter', scopeValue: food, period: 'quarter', maxCount: 1 });
    await cap('domain', { scopeKind: 'domain', scopeValue: 'work_safety', period: 'year', maxCount: 1 });
    // In force from mid-2025 and retired at the end of March 2026: periods outside that count nothing.
    await cap('retired-weekly', { scopeKind: 'agency', period: 'week', maxCount: 1, effectiveFrom: '2025-06-01', effectiveTo: '2026-03-31' });
    await cap('offsite-month', { scopeKind: 'agency', period: 'month', maxCount: 1, modes: ['offsite'] });
    await cap('case-quarter', { kind: 'case_anomaly', scopeKind: 'agency', period: 'quarter', maxCount: 2 });
    await cap('case-one-agency', { kind: 'case_anomaly', scopeKind: 'agency', agencyCode: a2.code, period: 'month', maxCount: 1 });

    // A first pass over no inspections: both jobs store their watermark, so the inspections below are changes.
    expect(await pass(SCANNED)).toBe(0);

    // The same pseudo-random history on every run: the Park–Miller generator (exact in doubles).
    let seed = 327;
    const rand = (n: number) => {
      seed = (seed * 48_271) % 2_147_483_647;
      return seed % n;
    };
    const classes = ['A', 'B', 'C', null] as const;
    const agencies = [a1.code, a2.code, city.code];
    const states = ['closed', 'closed', 'closed', 'recorded', 'findings_recorded', 'cancelled', 'draft'];
    const rows: (typeof inspections.$inferInsert)[] = [];
    const ents: Enterprise[] = [];
    for (let e = 0; e < 36; e++) ents.push(await newEnterprise(t.db, { districtCode: district.code, riskClass: classes[e % 4] }));
    for (const [n, e] of ents.entries()) {
      // A few enterprises with many visits, most with a handful.
      const visits = n % 6 === 0 ? 14 : 2 + rand(6);
      for (let v = 0; v < visits; v++) {
        const agencyCode = agencies[rand(n % 3 === 0 ? 1 : 3)]!;
        // From November 2024 (before the periods looked at) to mid-June 2026, clustered so that periods fill up.
        const day = new Date(Date.UTC(2024, 10, 1) + (rand(n % 2 === 0 ? 590 : 120) + (n % 2 === 0 ? 0 : 420)) * 86_400_000).toISOString().slice(0, 10);
        const isCase = rand(5) === 0;
        const own = matters[agencyCode]!;
        const start = new Date(`${day}T01:00:00Z`);
        rows.push({
          id: crypto.randomUUID(),
          agencyCode,
          enterpriseCode: e.creditCode,
          kind: isCase ? 'case' : rand(4) === 0 ? 'special' : 'routine',
          leadKind: isCase ? 'complaint' : null,
          mode: rand(4) === 0 ? 'offsite' : 'onsite',
          state: states[rand(states.length)]!,
          matterCodes: rand(3) === 0 ? [...own] : [own[rand(own.length)]!],
          countedDate: day,
          countsTowardCap: !isCase,
          excludedRelation: rand(15) === 0 ? 'internal_supervision' : null,
          entityScope: rand(20) === 0 ? 'out_of_scope' : 'in_scope',
          windowStart: start,
          windowEnd: new Date(start.getTime() + 8 * 3600_000),
          inspectors: [{ name: '张三', certificateNo: '42000000001' }, { name: '李四', certificateNo: '42000000002' }],
          checklist: ['生产许可'],
          createdBy: `officer:${agencyCode}`,
          createdAt: start,
          updatedAt: start,
        });
      }
    }
    // And some histories written to reach the edges: two visits in one week while the weekly cap was in force, two
    // after its retirement, two off-site checks in a month, three case inspections by one agency in a quarter, two of them in a month, and the
    // matter only a draft version puts into the domain.
    const fixed = (e: Enterprise, agencyCode: string, countedDate: string, over: Partial<typeof inspections.$inferInsert> = {}) =>
      rows.push({ ...rows[0]!, id: crypto.randomUUID(), agencyCode, enterpriseCode: e.creditCode, kind: 'routine', leadKind: null, mode: 'onsite', state: 'closed', matterCodes: matters[agencyCode]!.slice(0, 1), countedDate, countsTowardCap: true, excludedRelation: null, entityScope: 'in_scope', ...over });
    const [e1, e2, e3, e4] = ents.slice(1, 5) as [Enterprise, Enterprise, Enterprise, Enterprise];
    fixed(e1, a2.code, '2025-09-08');
    fixed(e1, a2.code, '2025-09-12', { mode: 'offsite', state: 'recorded' });
    fixed(e1, a2.code, '2025-09-14');
    fixed(e1, city.code, '2026-04-06');
    fixed(e1, city.code, '2026-04-07');
    fixed(e2, a1.code, '2026-02-03', { mode: 'offsite', matterCodes: [market] });
    fixed(e2, a1.code, '2026-02-25', { mode: 'offsite', matterCodes: [market] });
    fixed(e3, a2.code, '2026-05-04', { kind: 'case', leadKind: 'complaint', countsTowardCap: false });
    fixed(e3, a2.code, '2026-05-20', { kind: 'case', leadKind: 'complaint', countsTowardCap: false });
    fixed(e3, a2.code, '2026-06-02', { kind: 'case', leadKind: 'complaint', countsTowardCap: false });
    fixed(e4, a2.code, '2025-03-04', { matterCodes: [hazards] });
    fixed(e4, a2.code, '2025-11-04', { matterCodes: [hazards] });
    await t.db.insert(inspections).values(rows);
  });
  afterAll(() => t.close());

  it('flags every kind of threshold through the statements over the changed enterprises', async () => {
    expect(await pass(LISTED)).toBeGreaterThan(0);
    listed = await flagged();
    // Each threshold kind is exercised (the data would prove nothing otherwise).
    const hit = new Set(listed.map(ruleOf));
    for (const name of Object.keys(caps)) expect(hit, name).toContain(caps[name]);
    expect(listed.every((f) => (f.rule === 'FREQUENCY_CAP' ? f.article === '第十五条、第四十条第（十）项' : f.article.startsWith('第十五条')))).toBe(true);
  });

  it('raises the same flags in a first pass by full scans continued group after group', async () => {
    await clearFlags();
    await t.db.execute(sql`DELETE FROM sweep_watermarks`);
    await pass(SCANNED);
    expect(await flagged()).toEqual(listed);
    // A pass after it has nothing left to look at.
    expect(await pass(SCANNED)).toBe(0);
  });

  it('raises the same flags for changed thresholds, by one scan over those thresholds only', async () => {
    await clearFlags();
    // Every ungraded threshold republished: the scan looks at them without the enterprises' risk class.
    await t.db.update(frequencyRules).set({ issuerName: sql`${frequencyRules.issuerName}` }).where(sql`${frequencyRules.riskClass} IS NULL`);
    await pass(LISTED);
    const graded = caps['class-a'];
    expect(await flagged()).toEqual(listed.filter((f) => ruleOf(f) !== graded));
    // Then the graded one alone.
    await t.db.update(frequencyRules).set({ issuerName: sql`${frequencyRules.issuerName}` }).where(sql`${frequencyRules.riskClass} IS NOT NULL`);
    await pass(LISTED);
    expect(await flagged()).toEqual(listed);
  });

  it('raises the same flags for a domain-scoped threshold when the agency’s matter list changes', async () => {
    await t.db.delete(flags).where(and(inArray(flags.rule, RULES), sql`${flags.occurrence} LIKE ${`${caps.domain}:${a2.code}:%`}`));
    await newMatter(t.db, a2.code, { domain: 'work_safety', foodDrug: false, state: 'draft', effectiveFrom: null, publishedAt: null });
    await pass(LISTED);
    expect(await flagged()).toEqual(listed);
  });

  it('raises the same flags when more enterprises changed than the scan threshold, scanning instead of listing', async () => {
    await clearFlags();
    // Most enterprises' inspections change state in a column the count reads, from one counted state to another.
    await t.db.update(inspections).set({ state: 'archived' }).where(sql`${inspections.state} = 'closed'`);
    await pass({ scanFromEnterprises: 2, scanGroups: 1_000 });
    expect(await flagged()).toEqual(listed);
  });
});
