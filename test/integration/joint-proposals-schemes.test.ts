import { and, eq, gte, inArray, lte } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auditEntries, enterprises, flags, inspections, jointProposals, jointTaskParts } from '../../src/db/schema/index.js';
import { COUNTED_STATES } from '../../src/frequency/facts.js';
import { matchScheme, matchSchemes } from '../../src/proposals/scheme-matcher.js';
import { proposalLapsedJob } from '../../src/sweeper/jobs/proposal-lapsed.js';
import { runSweep } from '../../src/sweeper/run.js';
import { as, newEnterprise } from '../support/factories.js';
import { newJointWorld, officers, publishedJointList, type JointWorld } from '../support/joint-world.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

const TEAM = [
  { name: '王晓明', certificateNo: '42010620230001' },
  { name: '陈丽华', certificateNo: '42010620230002' },
];

type Ref = { id: string; source: string; created: boolean; respondBy: string; leadAgencyCode: string; units: { agencyCode: string; role: string; inspectionId: string | null }[] };

/**
 * Proposals from schemes, as they are drafted (第二十六条 应协同尽协同; 第二十七条、第二十八条: a joint visit is
 * launched from a published list entry by its lead unit, and the cooperating units take part): a single
 * on-site visit drafted within the scheme-days setting of another agency's drafted or approved visit to the
 * same enterprise, under a list entry naming both, becomes ONE proposal to both.
 */
describeDb('第二十六条至第二十八条 由检查方案提出联合检查建议', () => {
  let t: TestApp;
  let w: JointWorld;
  const drafts: Record<string, string> = {};

  /** A single on-site routine visit drafted by `agency`'s officer (approved by its head when asked): the draft response. */
  async function draft(agency: string, matter: string, enterprise: string, day: string, approve = false) {
    const res = await t.call({
      method: 'POST',
      url: '/api/v1/inspections',
      as: as.officer(agency),
      payload: { agencyCode: agency, enterpriseCode: enterprise, kind: 'routine', mode: 'onsite', matterCodes: [matter], windowStart: `${day}T09:00:00+08:00`, windowEnd: `${day}T17:00:00+08:00`, inspectors: TEAM, checklist: ['现场检查'] },
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().inspection.id as string;
    if (approve) expect((await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/approve`, as: as.head(agency), payload: {} })).statusCode).toBe(200);
    return { id, proposals: (res.json().coordination?.proposals ?? []) as Ref[], advice: res.json().coordination?.advice as string | null };
  }
  const schemeProposals = (enterprise: string) => t.db.select().from(jointProposals).where(and(eq(jointProposals.enterpriseCode, enterprise), eq(jointProposals.source, 'scheme')));
  const stateOf = async (id: string) => (await t.db.select({ s: inspections.state }).from(inspections).where(eq(inspections.id, id)))[0]!.s;

  beforeAll(async () => {
    t = await createTestApp({ start: '2026-04-01T10:00:00+08:00' });
    w = await newJointWorld(t, { cap: 10 });
    await publishedJointList(t, w);
  });
  afterAll(() => t.close());

  describe('第二十六条 两个单位时间相近的检查方案：向双方提出一项建议', () => {
    it('turns a market draft two days from fire’s approved visit into one scheme proposal to both, led by the list’s lead unit', async () => {
      drafts.fire = (await draft(w.fire.code, w.matters.fire, w.enterprise.creditCode, '2026-04-20', true)).id;
      const market = await draft(w.market.code, w.matters.market, w.enterprise.creditCode, '2026-04-22');
      drafts.market = market.id;
      expect(market.proposals).toHaveLength(1);
      const [p] = market.proposals;
      expect(p).toMatchObject({
        source: 'scheme',
        created: true,
        leadAgencyCode: w.market.code,
        units: [
          { agencyCode: w.market.code, role: 'lead', inspectionId: market.id },
          { agencyCode: w.fire.code, role: 'cooperating', inspectionId: drafts.fire },
        ],
      });
      expect(Date.parse(p!.respondBy)).toBeLessThan(Date.parse('2026-04-20T09:00:00+08:00'));
      expect(market.advice).toContain(`已向本单位和${w.fire.name}提出对${w.enterprise.name}的“综合查一次”联合检查建议`);
      const [entry] = await t.db.select().from(auditEntries).where(and(eq(auditEntries.action, 'joint_proposal.proposed'), eq(auditEntries.subjectId, p!.id)));
      expect(entry!.payload).toMatchObject({ source: 'scheme', enterpriseName: w.enterprise.name, inspectionIds: [market.id, drafts.fire] });
      // Fire's head sees it among its unit's proposals.
      const listed = (await t.call({ method: 'GET', url: '/api/v1/proposals?state=open', as: as.head(w.fire.code) })).json().items;
      expect(listed.map((x: { id: string }) => x.id)).toContain(p!.id);
    });

    it('proposes nothing twice: a second draft by either unit shows the open proposal', async () => {
      const other = w.other.creditCode;
      drafts.health = (await draft(w.health.code, w.matters.health, other, '2026-05-11')).id;
      const first = await draft(w.market.code, w.matters.market, other, '2026-05-12');
      drafts.marketOther = first.id;
      expect(first.proposals).toMatchObject([{ created: true, units: [{ agencyCode: w.market.code }, { agencyCode: w.health.code }] }]);
      const again = await draft(w.market.code, w.matters.market, other, '2026-05-13');
      expect(again.proposals).toMatchObject([{ id: first.proposals[0]!.id, created: false }]);
      const healthAgain = await draft(w.health.code, w.matters.health, other, '2026-05-14');
      expect(healthAgain.proposals.map((p) => [p.id, p.created])).toEqual([[first.proposals[0]!.id, false]]);
      expect(await schemeProposals(other)).toHaveLength(1);
    });

    it('proposes nothing when the list’s lead unit has no visit among them: two cooperating units cannot launch a joint visit', async () => {
      const third = await newEnterprise(t.db, { districtCode: w.districtCode, name: '武汉晴川阁酒家有限公司' });
      await draft(w.fire.code, w.matters.fire, third.creditCode, '2026-06-08');
      const health = await draft(w.health.code, w.matters.health, third.creditCode, '2026-06-09');
      expect(health.proposals).toEqual([]);
      expect(await schemeProposals(third.creditCode)).toHaveLength(0);
    });
  });

  describe('第二十八条 各单位答复', () => {
    it('turns acceptance by both heads into one joint visit with one code, and withdraws both units’ single drafts', async () => {
      const [p] = await schemeProposals(w.enterprise.creditCode);
      expect((await t.call({ method: 'POST', url: `/api/v1/proposals/${p!.id}/accept`, as: as.head(w.market.code), payload: { inspectors: officers('市监') } })).statusCode).toBe(200);
      const coop = await t.call({ method: 'POST', url: `/api/v1/proposals/${p!.id}/accept`, as: as.head(w.fire.code), payload: { inspectors: officers('消防') } });
      expect(coop.statusCode, coop.body).toBe(200);
      expect(coop.json()).toMatchObject({ state: 'launched', source: 'scheme' });
      expect(coop.json().codes).toHaveLength(1);
      const task = (await t.call({ method: 'GET', url: `/api/v1/joint-tasks/${coop.json().jointTaskId}`, as: w.supervisor })).json();
      expect(task.visits).toHaveLength(1);
      expect(task).toMatchObject({ state: 'code_issued', leadAgencyCode: w.market.code, visits: [{ code: coop.json().codes[0].code }] });
      expect(await stateOf(drafts.fire!)).toBe('cancelled');
      expect(await stateOf(drafts.market!)).toBe('cancelled');
      const cancelled = await t.db.select().from(auditEntries).where(and(eq(auditEntries.action, 'inspection.cancelled'), eq(auditEntries.subjectId, drafts.fire!)));
      expect(cancelled[0]!.payload).toMatchObject({ proposalId: p!.id, jointTaskId: coop.json().jointTaskId, reason: expect.stringContaining('综合查一次') });
      expect((cancelled[0]!.payload as { reason: string }).reason).toContain(w.enterprise.name);
      // The enterprise is visited once this week: no single visit of either unit is left to be coded.
      const left = await t.db.select().from(inspections).where(and(eq(inspections.enterpriseCode, w.enterprise.creditCode), eq(inspections.state, 'draft')));
      expect(left).toHaveLength(0);
    });

    it('flags a unit that declines without a reason, keeps both drafts, and does not flag the pair again under 第二十六条 when they go alone', async () => {
      const [p] = await schemeProposals(w.other.creditCode);
      const declined = await t.call({ method: 'POST', url: `/api/v1/proposals/${p!.id}/decline`, as: as.head(w.health.code), payload: {} });
      expect(declined.statusCode, declined.body).toBe(200);
      expect(declined.json().state).toBe('declined');
      const raised = await t.db.select().from(flags).where(and(eq(flags.rule, 'JOINT_PROPOSAL_DECLINED_WITHOUT_REASON'), eq(flags.subjectId, p!.id)));
      expect(raised.map((f) => [f.agencyCode, f.article])).toEqual([[w.health.code, '第二十八条']]);
      expect(await stateOf(drafts.health!)).toBe('draft');
      expect(await stateOf(drafts.marketOther!)).toBe('draft');
      for (const [agency, id] of [[w.health.code, drafts.health!], [w.market.code, drafts.marketOther!]] as const) {
        expect((await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/approve`, as: as.head(agency), payload: {} })).statusCode).toBe(200);
        const coded = await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/code`, as: as.officer(agency) });
        expect(coded.statusCode, coded.body).toBe(201);
      }
      const art26 = await t.db.select().from(flags).where(eq(flags.rule, 'JOINT_NOT_COORDINATED'));
      expect(art26.filter((f) => f.subjectId === drafts.health || f.subjectId === drafts.marketOther)).toEqual([]);
    });

    it('puts a listed reason on the declarations register, as for proposals from plans; confirmed, the unit going alone is not flagged under 第二十六条', async () => {
      const fourth = await newEnterprise(t.db, { districtCode: w.districtCode, name: '武汉古琴台茶楼有限公司' });
      const health = await draft(w.health.code, w.matters.health, fourth.creditCode, '2026-06-15');
      const market = await draft(w.market.code, w.matters.market, fourth.creditCode, '2026-06-16');
      const id = market.proposals[0]!.id;
      const res = await t.call({ method: 'POST', url: `/api/v1/proposals/${id}/decline`, as: as.head(w.health.code), payload: { reason: 'no_officers' } });
      expect(res.statusCode, res.body).toBe(200);
      const register = (await t.call({ method: 'GET', url: `/api/v1/declarations?agency=${w.health.code}&status=pending&limit=200`, as: w.supervisor })).json() as { id: string; kind: string; subjectId: string }[];
      const entry = register.find((d) => d.subjectId === `${id}/${w.health.code}`);
      expect(entry).toMatchObject({ kind: 'proposal_decline_reason' });
      expect((await t.call({ method: 'POST', url: `/api/v1/declarations/${entry!.id}/confirm`, as: w.supervisor, payload: { note: '该单位当周执法人员均在专项整治中' } })).statusCode).toBe(200);
      for (const [agency, visit] of [[w.health.code, health.id], [w.market.code, market.id]] as const) {
        expect((await t.call({ method: 'POST', url: `/api/v1/inspections/${visit}/approve`, as: as.head(agency), payload: {} })).statusCode).toBe(200);
        expect((await t.call({ method: 'POST', url: `/api/v1/inspections/${visit}/code`, as: as.officer(agency) })).statusCode).toBe(201);
      }
      const art = await t.db.select().from(flags).where(eq(flags.enterpriseCode, fourth.creditCode));
      expect(art.map((f) => f.rule)).toEqual([]);
    });

    it('lets a scheme proposal lapse after the answer period and flags each silent unit', async () => {
      const fifth = await newEnterprise(t.db, { districtCode: w.districtCode, name: '武汉归元禅食有限公司' });
      await draft(w.fire.code, w.matters.fire, fifth.creditCode, '2026-06-22');
      const id = (await draft(w.market.code, w.matters.market, fifth.creditCode, '2026-06-23')).proposals[0]!.id;
      t.clock.set('2026-04-20T08:00:00+08:00');
      await runSweep(t.db, t.clock, {}, [proposalLapsedJob]);
      const p = (await t.call({ method: 'GET', url: `/api/v1/proposals/${id}`, as: w.supervisor })).json();
      expect(p).toMatchObject({ state: 'lapsed', source: 'scheme' });
      const raised = await t.db.select().from(flags).where(and(eq(flags.rule, 'JOINT_PROPOSAL_LAPSED'), eq(flags.subjectId, id)));
      expect(raised.map((f) => f.agencyCode).sort()).toEqual([w.fire.code, w.market.code].sort());
    });
  });

  describe('第二十六条 计数：减少的入企次数含由检查方案提出的建议', () => {
    it('shows visits avoided equal to the count recomputed from its rows, the scheme proposal among them', async () => {
      const s = (await t.call({ method: 'GET', url: '/api/v1/stats/joint-proposals?year=2026', as: w.supervisor })).json();
      expect(s.visitsAvoided).toBe(s.avoidedRows.reduce((n: number, r: { avoided: number }) => n + r.avoided, 0));
      expect(s.avoidedRows).toEqual([expect.objectContaining({ source: 'scheme', enterpriseCode: w.enterprise.creditCode, unitsTakingPart: 2, avoided: 1 })]);
      expect(s.visitsAvoided).toBe(1);
    });
  });

  describe('第二十六条 计数：企业年度入企次数分布背后的明细', () => {
    it('lists each enterprise’s visits before and after matching, most visited first, equal to the count recomputed from the inspection rows', async () => {
      const res = await t.call({ method: 'GET', url: '/api/v1/stats/joint-proposals/enterprises?year=2026&limit=500', as: w.supervisor });
      expect(res.statusCode, res.body).toBe(200);
      const rows = res.json() as { enterpriseCode: string; enterpriseName: string; before: number; after: number }[];
      // Recomputed from the rows: each agency's counted on-site inspection before; each distinct visit (a joint visit's parts once) after.
      const counted = await t.db
        .select({ id: inspections.id, enterpriseCode: inspections.enterpriseCode, taskId: jointTaskParts.taskId })
        .from(inspections)
        .innerJoin(enterprises, eq(enterprises.creditCode, inspections.enterpriseCode))
        .leftJoin(jointTaskParts, eq(jointTaskParts.inspectionId, inspections.id))
        .where(and(eq(inspections.mode, 'onsite'), inArray(inspections.state, [...COUNTED_STATES]), eq(enterprises.districtCode, w.districtCode), gte(inspections.countedDate, '2026-01-01'), lte(inspections.countedDate, '2026-12-31')));
      const by = new Map<string, { before: number; visits: Set<string> }>();
      for (const r of counted) {
        const e = by.get(r.enterpriseCode) ?? { before: 0, visits: new Set<string>() };
        e.before += 1;
        e.visits.add(r.taskId ?? r.id);
        by.set(r.enterpriseCode, e);
      }
      const recomputed = [...by].map(([enterpriseCode, e]) => ({ enterpriseCode, before: e.before, after: e.visits.size }));
      const key = (r: { enterpriseCode: string }) => r.enterpriseCode;
      expect(rows.map(({ enterpriseCode, before, after }) => ({ enterpriseCode, before, after })).sort((a, b) => key(a).localeCompare(key(b)))).toEqual(recomputed.sort((a, b) => key(a).localeCompare(key(b))));
      expect(res.headers['x-total-count']).toBe(String(by.size));
      // The joint visit: two units' parts, visited once; named, not coded.
      expect(rows.find((r) => r.enterpriseCode === w.enterprise.creditCode)).toMatchObject({ enterpriseName: w.enterprise.name, before: 2, after: 1 });
      expect(rows.map((r) => r.before)).toEqual(rows.map((r) => r.before).sort((a, b) => b - a));
      // The figure's numbers are these rows' numbers.
      const s = (await t.call({ method: 'GET', url: '/api/v1/stats/joint-proposals?year=2026', as: w.supervisor })).json();
      expect(s.perEnterprise.before).toMatchObject({ max: Math.max(...rows.map((r) => r.before)), n: rows.length });
      expect(s.perEnterprise.after).toMatchObject({ max: Math.max(...rows.map((r) => r.after)), n: rows.length });
      const page = await t.call({ method: 'GET', url: '/api/v1/stats/joint-proposals/enterprises?year=2026&limit=1&offset=1', as: w.supervisor });
      expect(page.json()).toEqual([rows[1]]);
      expect(page.headers['x-total-count']).toBe(String(by.size));
    });

    it('refuses another district’s rows to a district supervisor', async () => {
      const res = await t.call({ method: 'GET', url: '/api/v1/stats/joint-proposals/enterprises?district=420102', as: w.supervisor });
      expect(res.statusCode).toBe(403);
    });
  });

  describe('第二十六条 由检查方案匹配的取舍（纯函数）', () => {
    const entry = (code: string, districtCode: string | null, units: [string, 'lead' | 'cooperating', string][]) => ({
      listId: 'L',
      listVersion: 1,
      districtCode,
      entry: { code, name: code, content: '', basis: '', items: [], units: units.map(([agencyCode, role, m]) => ({ agencyCode, role, matterCodes: [m] })) },
    });
    const visit = (inspectionId: string, agencyCode: string, matter: string, day: string) => ({ inspectionId, agencyCode, enterpriseCode: 'E', matterCodes: [matter], day });
    const pair = entry('AB', null, [['A', 'lead', 'a'], ['B', 'cooperating', 'b']]);
    const trio = entry('ABC', 'D1', [['A', 'lead', 'a'], ['B', 'cooperating', 'b'], ['C', 'cooperating', 'c']]);

    it('takes the entry covering the most agencies, and each agency’s visit nearest in days', () => {
      const m = matchScheme(visit('a1', 'A', 'a', '2026-04-10'), [visit('b1', 'B', 'b', '2026-04-04'), visit('b2', 'B', 'b', '2026-04-12'), visit('c1', 'C', 'c', '2026-04-15')], [pair, trio], 'D1', 7);
      expect(m).toMatchObject({ leadAgencyCode: 'A', entry: { entry: { code: 'ABC' } } });
      expect(m!.units.map((u) => u.inspectionId)).toEqual(['a1', 'b2', 'c1']);
      // A district list applies in its district only.
      expect(matchScheme(visit('a1', 'A', 'a', '2026-04-10'), [visit('c1', 'C', 'c', '2026-04-15')], [trio], 'D2', 7)).toBeNull();
    });

    it('proposes nothing beyond the scheme-days setting, for matters no entry covers, or without the lead unit', () => {
      expect(matchScheme(visit('a1', 'A', 'a', '2026-04-10'), [visit('b1', 'B', 'b', '2026-04-18')], [pair], 'D1', 7)).toBeNull();
      expect(matchScheme(visit('a1', 'A', 'a', '2026-04-10'), [visit('b1', 'B', 'x', '2026-04-11')], [pair], 'D1', 7)).toBeNull();
      expect(matchScheme(visit('b1', 'B', 'b', '2026-04-10'), [visit('c1', 'C', 'c', '2026-04-11')], [trio], 'D1', 7)).toBeNull();
    });

    it('over a year, matches each visit once and counts the visits avoided', () => {
      const year = [visit('a1', 'A', 'a', '2026-04-10'), visit('b1', 'B', 'b', '2026-04-11'), visit('b2', 'B', 'b', '2026-04-12'), visit('a2', 'A', 'a', '2026-09-01')];
      expect(matchSchemes(year, [pair], () => 'D1', 7)).toEqual({ groups: [['a1', 'b1']], visitsBefore: 4, visitsAfter: 3 });
    });
  });
});

/**
 * 第二十六条 应协同尽协同, at approval and after an amendment as at drafting: "an approved or drafted single visit
 * that overlaps another agency's within a set number of days becomes a proposal to both". Each case has its
 * own world, so it runs alone.
 */
describeDb('第二十六条 检查方案批准或修改后提出联合检查建议', () => {
  let t: TestApp;
  let w: JointWorld;
  const day = (d: string) => ({ windowStart: `${d}T09:00:00+08:00`, windowEnd: `${d}T17:00:00+08:00` });
  async function draft(agency: string, matter: string, enterprise: string, d: string) {
    const res = await t.call({
      method: 'POST',
      url: '/api/v1/inspections',
      as: as.officer(agency),
      payload: { agencyCode: agency, enterpriseCode: enterprise, kind: 'routine', mode: 'onsite', matterCodes: [matter], ...day(d), inspectors: TEAM, checklist: ['现场检查'] },
    });
    expect(res.statusCode, res.body).toBe(201);
    return { id: res.json().inspection.id as string, proposals: (res.json().coordination?.proposals ?? []) as Ref[] };
  }
  const schemeProposals = (enterprise: string) => t.db.select().from(jointProposals).where(and(eq(jointProposals.enterpriseCode, enterprise), eq(jointProposals.source, 'scheme')));
  const approve = async (agency: string, id: string) => {
    const res = await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/approve`, as: as.head(agency), payload: {} });
    expect(res.statusCode, res.body).toBe(200);
  };

  beforeEach(async () => {
    t = await createTestApp({ start: '2026-04-01T10:00:00+08:00' });
    w = await newJointWorld(t, { cap: 10 });
  });
  afterEach(() => t.close());

  it('proposes at the head’s approval a joint visit that could not be proposed when the two visits were drafted (the list entry was published since)', async () => {
    const fire = await draft(w.fire.code, w.matters.fire, w.enterprise.creditCode, '2026-05-20');
    const market = await draft(w.market.code, w.matters.market, w.enterprise.creditCode, '2026-05-22');
    expect(market.proposals).toEqual([]);
    await publishedJointList(t, w);
    await approve(w.market.code, market.id);
    const [p, ...more] = await schemeProposals(w.enterprise.creditCode);
    expect(more).toEqual([]);
    expect(p).toMatchObject({ state: 'open', leadAgencyCode: w.market.code, inspectionIds: [market.id, fire.id] });
    const [entry] = await t.db.select().from(auditEntries).where(and(eq(auditEntries.action, 'joint_proposal.proposed'), eq(auditEntries.subjectId, p!.id)));
    expect(entry!.payload).toMatchObject({ source: 'scheme', draftedBy: w.market.code, inspectionIds: [market.id, fire.id] });
    // Idempotent: the other unit's approval finds the open proposal naming its visit and proposes nothing new.
    await approve(w.fire.code, fire.id);
    expect(await schemeProposals(w.enterprise.creditCode)).toHaveLength(1);
  });

  it('proposes when an amended window brings a draft within the scheme-days setting of another agency’s approved visit, once however often it is amended', async () => {
    await publishedJointList(t, w);
    const fire = await draft(w.fire.code, w.matters.fire, w.enterprise.creditCode, '2026-06-22');
    await approve(w.fire.code, fire.id);
    const market = await draft(w.market.code, w.matters.market, w.enterprise.creditCode, '2026-07-20');
    expect(market.proposals).toEqual([]);
    const amend = async (d: string) => {
      const res = await t.call({ method: 'PATCH', url: `/api/v1/inspections/${market.id}`, as: as.officer(w.market.code), payload: day(d) });
      expect(res.statusCode, res.body).toBe(200);
    };
    await amend('2026-06-24');
    const [p] = await schemeProposals(w.enterprise.creditCode);
    expect(p).toMatchObject({ state: 'open', leadAgencyCode: w.market.code, inspectionIds: [market.id, fire.id] });
    expect(p!.windowStart.toISOString()).toBe('2026-06-24T01:00:00.000Z'); // the lead's drafted window: the two days do not overlap
    await amend('2026-06-25');
    await approve(w.market.code, market.id);
    expect(await schemeProposals(w.enterprise.creditCode)).toHaveLength(1);
  });

  it('第二十八条 answers once: an accept or decline replayed with the same Idempotency-Key returns the first answer', async () => {
    await publishedJointList(t, w);
    await draft(w.fire.code, w.matters.fire, w.enterprise.creditCode, '2026-05-20');
    const [p] = (await draft(w.market.code, w.matters.market, w.enterprise.creditCode, '2026-05-21')).proposals;
    const post = (agency: string, verb: 'accept' | 'decline', payload: object, key?: string) =>
      t.call({ method: 'POST', url: `/api/v1/proposals/${p!.id}/${verb}`, as: as.head(agency), payload, headers: key ? { 'idempotency-key': key } : {} });
    const body = { inspectors: officers('市监') };
    const first = await post(w.market.code, 'accept', body, 'accept-market-0001');
    expect(first.statusCode, first.body).toBe(200);
    const again = await post(w.market.code, 'accept', body, 'accept-market-0001');
    expect(again.statusCode, again.body).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    const declined = await post(w.fire.code, 'decline', {}, 'decline-fire-0001');
    expect(declined.statusCode, declined.body).toBe(200);
    const replayed = await post(w.fire.code, 'decline', {}, 'decline-fire-0001');
    expect([replayed.statusCode, replayed.headers['idempotent-replayed']]).toEqual([200, 'true']);
    expect(replayed.json()).toEqual(declined.json());
    // Without the key a second answer is a new request, and the proposal is answered already.
    expect((await post(w.fire.code, 'decline', {})).statusCode).not.toBe(200);
    const entries = await t.db.select({ action: auditEntries.action }).from(auditEntries).where(eq(auditEntries.subjectId, p!.id));
    expect(entries.filter((e) => e.action === 'joint_proposal.unit_accepted' || e.action === 'joint_proposal.unit_declined').map((e) => e.action).sort()).toEqual(['joint_proposal.unit_accepted', 'joint_proposal.unit_declined']);
    const raised = await t.db.select().from(flags).where(and(eq(flags.rule, 'JOINT_PROPOSAL_DECLINED_WITHOUT_REASON'), eq(flags.subjectId, p!.id)));
    expect(raised).toHaveLength(1);
  });

  it('matches again after an amendment of the window, matters or team only, not after an edit of the scheme’s other fields', async () => {
    const fire = await draft(w.fire.code, w.matters.fire, w.other.creditCode, '2026-06-22');
    const market = await draft(w.market.code, w.matters.market, w.other.creditCode, '2026-06-23');
    await publishedJointList(t, w);
    const patch = async (payload: object) => {
      const res = await t.call({ method: 'PATCH', url: `/api/v1/inspections/${market.id}`, as: as.officer(w.market.code), payload });
      expect(res.statusCode, res.body).toBe(200);
    };
    await patch({ onsiteReason: '需现场核查后厨布局' });
    expect(await schemeProposals(w.other.creditCode)).toHaveLength(0);
    await patch({ inspectors: [...TEAM].reverse() });
    expect((await schemeProposals(w.other.creditCode)).map((p) => p.inspectionIds)).toEqual([[market.id, fire.id]]);
  });
});
