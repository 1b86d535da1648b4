import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEntries, flags, jointProposalUnits } from '../../src/db/schema/index.js';
import { matchPeriod } from '../../src/proposals/matcher.js';
import { proposalLapsedJob } from '../../src/sweeper/jobs/proposal-lapsed.js';
import { runSweep } from '../../src/sweeper/run.js';
import { as, newEnterprise, newJusticeBureau } from '../support/factories.js';
import { newJointWorld, officers, publishedJointList, type JointWorld } from '../support/joint-world.js';
import { fullItem, newFiledPlan } from '../support/plan-factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

/**
 * 综合查一次 without asking (Art. 26–28): two agencies' filed plan items reaching one enterprise become ONE
 * proposed visit; where their classes overlap, one seeded draw picks the same enterprises for both; each
 * unit's head answers in its app; both accepting gives one joint task, one visit, one code.
 */
describeDb('第二十六条至第二十八条 联合检查建议：由计划匹配、各单位答复、计数', () => {
  let t: TestApp;
  let w: JointWorld;
  let restaurants: string[];
  let cityBureau: string;
  const SEED = 'c0ffee327';
  type Proposal = { id: string; enterpriseCode: string; seed: string | null; state: string; units: { agencyCode: string; role: string; state: string }[] };
  let proposals: Proposal[];

  beforeAll(async () => {
    t = await createTestApp();
    w = await newJointWorld(t, { plans: false });
    await publishedJointList(t, w);
    cityBureau = (await newJusticeBureau(t.db, { name: '武汉市司法局（测试）' })).code;
    restaurants = [];
    for (let k = 0; k < 4; k++) restaurants.push((await newEnterprise(t.db, { districtCode: w.districtCode, name: `武汉江城${k}号餐厅有限公司`, industryCode: 'H6210', licenceKinds: ['food_business'] })).creditCode);
    const named = (m: string) => fullItem(m, { targetKind: 'named', targetEnterprises: [w.enterprise.creditCode], samplingRatio: 1, frequency: 1 });
    // Two differently stated classes that hold the same four restaurants: 正餐服务 by industry, and 持食品经营许可证 by licence.
    await newFiledPlan(t.db, w.market.code, 2026, [], {}, [named(w.matters.market), fullItem(w.matters.market, { targetClass: '辖区内正餐服务单位', classFilter: { industryPrefixes: ['H62'] }, samplingRatio: 0.5 })]);
    await newFiledPlan(t.db, w.fire.code, 2026, [], {}, [named(w.matters.fire), fullItem(w.matters.fire, { targetClass: '持食品经营许可证的场所', classFilter: { licenceKinds: ['food_business'] }, samplingRatio: 0.5 })]);
    t.clock.set('2026-03-20T10:00:00+08:00');
  });
  afterAll(() => t.close());

  describe('第二十六条 应协同尽协同：提出建议', () => {
    it('proposes ONE joint visit for the named enterprise two agencies’ items reach, led by the list’s lead unit', async () => {
      const res = await t.call({ method: 'POST', url: '/api/v1/proposals/match', as: w.supervisor, payload: { period: '2026Q2', seed: SEED } });
      expect(res.statusCode, res.body).toBe(403);
      const city = as.supervisor(cityBureau);
      const run = await t.call({ method: 'POST', url: '/api/v1/proposals/match', as: city, payload: { period: '2026Q2', seed: SEED } });
      expect(run.statusCode, run.body).toBe(201);
      proposals = (await t.call({ method: 'GET', url: '/api/v1/proposals?period=2026Q2', as: w.supervisor })).json().items;
      const forNamed = proposals.filter((p) => p.enterpriseCode === w.enterprise.creditCode);
      expect(forNamed).toHaveLength(1);
      expect(forNamed[0]).toMatchObject({ state: 'open', seed: null, units: [{ agencyCode: w.market.code, role: 'lead', state: 'pending' }, { agencyCode: w.fire.code, role: 'cooperating', state: 'pending' }] });
      const again = await t.call({ method: 'POST', url: '/api/v1/proposals/match', as: city, payload: { period: '2026Q2', seed: SEED } });
      expect(again.json().created).toEqual([]);
    });

    it('draws overlapping class samples together from the recorded seed: both units reach the same restaurants', async () => {
      const drawn = proposals.filter((p) => restaurants.includes(p.enterpriseCode));
      // Each class samples ceil(0.5 × 4) = 2 of the same 4 restaurants; one shared draw makes them the same 2.
      expect(drawn).toHaveLength(2);
      for (const p of drawn) expect(p).toMatchObject({ seed: SEED, units: [{ agencyCode: w.market.code }, { agencyCode: w.fire.code }] });
      const entries = await t.db.select().from(auditEntries).where(and(eq(auditEntries.action, 'joint_proposal.proposed'), eq(auditEntries.subjectId, drawn[0]!.id)));
      expect((entries[0]!.payload as { seed: string }).seed).toBe(SEED);
      // Same seed, same draw; the registry's order does not matter.
      const input = {
        period: '2026Q2', seed: SEED, days: ['2026-04-01'], perUnitPerDay: 10, teamMax: 6, territories: { M: null, F: null },
        entries: [{ listId: 'L', listVersion: 1, districtCode: null, entry: { code: 'E', name: '', content: '', basis: '', items: [], units: [{ agencyCode: 'M', role: 'lead' as const, matterCodes: ['m'] }, { agencyCode: 'F', role: 'cooperating' as const, matterCodes: ['f'] }] } }],
        items: [
          { agencyCode: 'M', itemId: 'i1', matterCode: 'm', method: 'onsite' as const, targetKind: 'class' as const, targetEnterprises: [], classFilter: { industryPrefixes: ['H62'] }, samplingRatio: 0.5 },
          { agencyCode: 'F', itemId: 'i2', matterCode: 'f', method: 'onsite' as const, targetKind: 'class' as const, targetEnterprises: [], classFilter: { licenceKinds: ['food_business'] }, samplingRatio: 0.5 },
        ],
      };
      const reg = restaurants.map((creditCode) => ({ creditCode, districtCode: 'X', industryCode: 'H6210', licenceKinds: ['food_business'], riskClass: 'B' }));
      const a = (await matchPeriod(input, () => reg)).proposals.map((p) => p.enterpriseCode);
      const b = (await matchPeriod(input, () => [...reg].reverse())).proposals.map((p) => p.enterpriseCode);
      expect(a).toEqual(b);
      expect([...a].sort()).toEqual(drawn.map((p) => p.enterpriseCode).sort());
    });
  });

  describe('第二十八条 协同单位应当参与：各单位答复', () => {
    it('turns acceptance by both units’ heads into one joint task with one visit and one code', async () => {
      const p = proposals.find((x) => x.enterpriseCode === w.enterprise.creditCode)!;
      const byOfficer = await t.call({ method: 'POST', url: `/api/v1/proposals/${p.id}/accept`, as: as.officer(w.market.code), payload: { inspectors: officers('市监') } });
      expect(byOfficer.statusCode).toBe(403);
      const lead = await t.call({ method: 'POST', url: `/api/v1/proposals/${p.id}/accept`, as: as.head(w.market.code), payload: { inspectors: officers('市监') } });
      expect(lead.statusCode, lead.body).toBe(200);
      expect(lead.json()).toMatchObject({ state: 'open', codes: [] });
      const coop = await t.call({ method: 'POST', url: `/api/v1/proposals/${p.id}/accept`, as: as.head(w.fire.code), payload: { inspectors: officers('消防') } });
      expect(coop.statusCode, coop.body).toBe(200);
      expect(coop.json()).toMatchObject({ state: 'launched' });
      expect(coop.json().codes).toHaveLength(1);
      const task = (await t.call({ method: 'GET', url: `/api/v1/joint-tasks/${coop.json().jointTaskId}`, as: w.supervisor })).json();
      expect(task).toMatchObject({ state: 'code_issued', leadAgencyCode: w.market.code, visits: [{ code: coop.json().codes[0].code }] });
      expect(task.visits).toHaveLength(1);
    });

    it('flags a cooperating unit that declines without a reason, and not one that gives a listed reason', async () => {
      const [first, second] = proposals.filter((x) => restaurants.includes(x.enterpriseCode));
      const silent = await t.call({ method: 'POST', url: `/api/v1/proposals/${first!.id}/decline`, as: as.head(w.fire.code), payload: {} });
      expect(silent.statusCode, silent.body).toBe(200);
      expect(silent.json().state).toBe('declined');
      const reasoned = await t.call({ method: 'POST', url: `/api/v1/proposals/${second!.id}/decline`, as: as.head(w.fire.code), payload: { reason: 'inspected_already' } });
      expect(reasoned.json().units[1]).toMatchObject({ state: 'declined', declineReasonZh: expect.stringContaining('已对该企业实施检查') });
      const raised = await t.db.select().from(flags).where(eq(flags.rule, 'JOINT_PROPOSAL_DECLINED_WITHOUT_REASON'));
      expect(raised.map((f) => [f.subjectId, f.agencyCode, f.article])).toEqual([[first!.id, w.fire.code, '第二十八条']]);
      const leadDecline = await t.call({ method: 'POST', url: `/api/v1/proposals/${first!.id}/decline`, as: as.head(w.market.code), payload: {} });
      expect(leadDecline.statusCode).toBe(409);
    });

    it('puts a listed reason before the supervisors: rejected, the unit is flagged under 第二十八条 as if it had given none', async () => {
      const second = proposals.filter((x) => restaurants.includes(x.enterpriseCode))[1]!;
      const register = (await t.call({ method: 'GET', url: `/api/v1/declarations?agency=${w.fire.code}&status=pending&limit=200`, as: w.supervisor })).json() as { id: string; kind: string; subjectId: string; rule: string }[];
      const entry = register.find((d) => d.subjectId === `${second.id}/${w.fire.code}`);
      expect(entry).toMatchObject({ kind: 'proposal_decline_reason', rule: 'JOINT_PROPOSAL_DECLINED_WITHOUT_REASON' });
      const before = await t.db.select().from(flags).where(eq(flags.rule, 'JOINT_PROPOSAL_DECLINED_WITHOUT_REASON'));
      const rejected = await t.call({ method: 'POST', url: `/api/v1/declarations/${entry!.id}/reject`, as: w.supervisor, payload: { note: '该单位本年度未对该企业实施检查' } });
      expect(rejected.statusCode, rejected.body).toBe(200);
      const after = await t.db.select().from(flags).where(eq(flags.rule, 'JOINT_PROPOSAL_DECLINED_WITHOUT_REASON'));
      expect(after).toHaveLength(before.length + 1);
      const flag = after.find((f) => !before.some((b) => b.id === f.id))!;
      expect([flag.agencyCode, flag.article]).toEqual([w.fire.code, '第二十八条']);
      expect(flag.detail).toContain('已对该企业实施检查');
    });
  });

  describe('第二十八条 逾期未答复', () => {
    it('lets an unanswered proposal lapse after the answer period and flags each silent unit once', async () => {
      const run = await t.call({ method: 'POST', url: '/api/v1/proposals/match', as: as.supervisor(cityBureau), payload: { period: '2026Q3', seed: SEED } });
      const [id] = run.json().created as string[];
      expect(id).toBeDefined();
      await t.call({ method: 'POST', url: `/api/v1/proposals/${id}/accept`, as: as.head(w.market.code), payload: { inspectors: officers('市监') } });
      await runSweep(t.db, t.clock, {}, [proposalLapsedJob]);
      expect((await t.call({ method: 'GET', url: `/api/v1/proposals/${id}`, as: w.supervisor })).json().state).toBe('open');
      t.clock.set('2026-04-10T10:00:00+08:00');
      await runSweep(t.db, t.clock, {}, [proposalLapsedJob]);
      await runSweep(t.db, t.clock, {}, [proposalLapsedJob]);
      const p = (await t.call({ method: 'GET', url: `/api/v1/proposals/${id}`, as: w.supervisor })).json();
      expect(p).toMatchObject({ state: 'lapsed', units: [{ agencyCode: w.market.code, state: 'accepted' }, { agencyCode: w.fire.code, state: 'lapsed' }] });
      const raised = await t.db.select().from(flags).where(eq(flags.rule, 'JOINT_PROPOSAL_LAPSED'));
      // Flagged once per silent unit, never the unit that answered; the other two Q3 proposals lapsed with both units silent.
      expect(raised.filter((f) => f.subjectId === id).map((f) => f.agencyCode)).toEqual([w.fire.code]);
      expect(raised).toHaveLength(5);
    });
  });

  describe('第二十六条 计数：减少的入企次数', () => {
    it('shows visits avoided equal to the count recomputed from its rows and from the units’ answers', async () => {
      const s = (await t.call({ method: 'GET', url: '/api/v1/stats/joint-proposals?year=2026', as: w.supervisor })).json();
      expect(s.visitsAvoided).toBe(s.avoidedRows.reduce((n: number, r: { avoided: number }) => n + r.avoided, 0));
      const launched = proposals.find((x) => x.enterpriseCode === w.enterprise.creditCode)!;
      const accepted = await t.db.select().from(jointProposalUnits).where(and(eq(jointProposalUnits.proposalId, launched.id), eq(jointProposalUnits.state, 'accepted')));
      expect(s.visitsAvoided).toBe(accepted.length - 1);
      expect(s.counts.find((c: { agencyCode: string }) => c.agencyCode === w.fire.code)).toMatchObject({ period: '2026Q2', made: 3, accepted: 1, declined: 2, lapsed: 0 });
      // The joint visit counted per agency row (2) before, once after.
      expect(s.perEnterprise).toMatchObject({ before: { max: 2 }, after: { max: 1 } });
    });
  });
});
