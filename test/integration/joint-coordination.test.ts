import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.js';
import { flags } from '../../src/db/schema/index.js';
import { runSweep } from '../../src/sweeper/run.js';
import { jointNotCoordinatedJob } from '../../src/sweeper/jobs/joint-not-coordinated.js';
import { as, newAgency, newDistrict, newJusticeBureau, newMatter } from '../support/factories.js';
import { approvedTask, JOINT_WINDOW, launchedTask, newJointWorld, publishedJointList, restaurantEntry, type JointWorld } from '../support/joint-world.js';
import { newFiledPlan } from '../support/plan-factories.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { describeDb } from '../support/test-database.js';

const TEAM = [
  { name: '王晓明', certificateNo: '42010620230001' },
  { name: '陈丽华', certificateNo: '42010620230002' },
];

/** A single on-site routine inspection of `agency` at `enterprise` on `day`, drafted (and approved). */
async function single(t: TestApp, agency: string, matter: string, enterprise: string, day: string, over: Record<string, unknown> = {}) {
  const body = {
    agencyCode: agency,
    enterpriseCode: enterprise,
    kind: 'routine',
    mode: 'onsite',
    matterCodes: [matter],
    windowStart: `${day}T09:00:00+08:00`,
    windowEnd: `${day}T17:00:00+08:00`,
    inspectors: TEAM,
    checklist: ['现场检查'],
    ...over,
  };
  const res = await t.call({ method: 'POST', url: '/api/v1/inspections', as: as.officer(agency), payload: body });
  if (res.statusCode !== 201) throw new Error(`draft failed: ${res.body}`);
  const id = res.json().inspection.id as string;
  await t.call({ method: 'POST', url: `/api/v1/inspections/${id}/approve`, as: as.head(agency), payload: {} });
  return { id, drafted: res.json() };
}

const codeOf = (t: TestApp, agency: string, id: string) => t.call({ method: 'POST', url: `/api/v1/inspections/${id}/code`, as: as.officer(agency) });
const flagsOn = (t: TestApp, subjectId: string) => t.db.select().from(flags).where(and(eq(flags.rule, 'JOINT_NOT_COORDINATED'), eq(flags.subjectId, subjectId)));

describeDb('应协同尽协同: coordination advice on a single draft, JOINT_NOT_COORDINATED, statistics (Art. 26)', () => {
  let t: TestApp;
  let w: JointWorld;
  let listId: string;
  let fireVisit: string;
  let marketVisit: string;

  beforeAll(async () => {
    t = await createTestApp();
    w = await newJointWorld(t, { cap: 10 });
    listId = await publishedJointList(t, w);
  });
  afterAll(() => t.close());

  it('tells an officer drafting alone about another agency’s overlapping visit and the joint list, offering a joint task', async () => {
    fireVisit = (await single(t, w.fire.code, w.matters.fire, w.enterprise.creditCode, '2026-04-20')).id;
    const { id, drafted } = await single(t, w.market.code, w.matters.market, w.enterprise.creditCode, '2026-04-20', {
      windowStart: '2026-04-20T14:00:00+08:00',
      windowEnd: '2026-04-20T18:00:00+08:00',
      aloneReason: '食品抽检须当日完成，消防检查时间已定，无法合并',
    });
    marketVisit = id;
    const c = drafted.coordination;
    expect(c.overlapping).toEqual([
      { inspectionId: fireVisit, agencyCode: w.fire.code, state: 'approved', windowStart: '2026-04-20T01:00:00.000Z', windowEnd: '2026-04-20T09:00:00.000Z', jointTaskId: null },
    ]);
    expect(c.jointListEntries).toEqual([expect.objectContaining({ listId, entryCode: 'CY-01', role: 'lead', leadAgencyCode: w.market.code, matterCodes: [w.matters.market] })]);
    expect(c.offers).toEqual(['launch_joint_task']);
    expect(c.advice).toContain('综合查一次');
    expect(c.aloneReason).toBe('食品抽检须当日完成，消防检查时间已定，无法合并');
    const audit = (await t.call({ method: 'GET', url: `/api/v1/audit?subjectType=inspection&subjectId=${id}`, as: w.supervisor })).json();
    expect(audit.find((e: { action: string }) => e.action === 'inspection.drafted').payload.aloneReason).toBe('食品抽检须当日完成，消防检查时间已定，无法合并');
  });

  it('points a cooperating unit at the lead unit when its matter is on the list, and says nothing off-site', async () => {
    const { drafted } = await single(t, w.fire.code, w.matters.fire, w.other.creditCode, '2026-05-20');
    expect(drafted.coordination).toMatchObject({ overlapping: [], jointTasks: [], offers: [], jointListEntries: [{ role: 'cooperating', leadAgencyCode: w.market.code }] });
    expect(drafted.coordination.advice).toContain(`可商请发起单位${w.market.name}发起联合检查`);
    const offsite = await single(t, w.fire.code, w.matters.fire, w.enterprise.creditCode, '2026-04-20', { mode: 'offsite' });
    expect(offsite.drafted.coordination).toEqual({ overlapping: [], jointTasks: [], jointListEntries: [], offers: [], advice: null, aloneReason: null });
  });

  it('offers “join” to a unit already assigned to an open joint task at the enterprise', async () => {
    const task = await launchedTask(t, w, listId, { enterpriseCodes: [w.other.creditCode] });
    await t.call({ method: 'POST', url: `/api/v1/joint-tasks/${task}/assign`, as: as.officer(w.market.code), payload: { agencyCode: w.health.code } });
    const { drafted } = await single(t, w.health.code, w.matters.health, w.other.creditCode, '2026-04-15');
    expect(drafted.coordination.offers).toEqual(['join']);
    expect(drafted.coordination.jointTasks).toEqual([expect.objectContaining({ jointTaskId: task, leadAgencyCode: w.market.code, role: 'cooperating', unitState: 'assigned', joinable: true })]);
  });

  it('flags the second agency’s code within the window, with the reason it gave for going alone', async () => {
    expect((await codeOf(t, w.fire.code, fireVisit)).statusCode).toBe(201);
    expect(await flagsOn(t, fireVisit)).toHaveLength(0);
    expect((await codeOf(t, w.market.code, marketVisit)).statusCode).toBe(201);
    const [flag] = await flagsOn(t, marketVisit);
    expect(flag).toMatchObject({ article: '第二十六条', agencyCode: w.market.code, enterpriseCode: w.enterprise.creditCode, districtCode: w.districtCode, state: 'open' });
    expect(flag!.detail).toContain('单独检查的理由：食品抽检须当日完成');
    expect(flag!.evidence).toMatchObject({ others: [{ inspectionId: fireVisit, agencyCode: w.fire.code }], aloneReason: '食品抽检须当日完成，消防检查时间已定，无法合并' });
  });

  it('does not flag a visit more than the configured days away, nor two visits of one agency', async () => {
    const later = (await single(t, w.health.code, w.matters.health, w.enterprise.creditCode, '2026-05-06')).id;
    expect((await codeOf(t, w.health.code, later)).statusCode).toBe(201);
    expect(await flagsOn(t, later)).toHaveLength(0);
    const again = (await single(t, w.health.code, w.matters.health, w.enterprise.creditCode, '2026-05-08')).id;
    expect((await codeOf(t, w.health.code, again)).statusCode).toBe(201);
    expect(await flagsOn(t, again)).toHaveLength(0);
  });

  it('does not flag a joint visit when an agency outside the task, on no joint-list entry, visits the enterprise in the same week', async () => {
    const city = await newAgency(t.db, { name: '武昌区城市管理执法局（测试）', districtCode: w.districtCode, domains: ['urban'] });
    const matter = (await newMatter(t.db, city.code, { name: '门前三包检查', domain: 'urban', foodDrug: false })).matterCode;
    await newFiledPlan(t.db, city.code, 2026, [matter]);
    const outsider = (await single(t, city.code, matter, w.other.creditCode, '2026-06-09')).id;
    expect((await codeOf(t, city.code, outsider)).statusCode).toBe(201);
    const id = await approvedTask(t, w, listId, { enterpriseCodes: [w.other.creditCode], windowStart: '2026-06-10T09:00:00+08:00', windowEnd: '2026-06-10T12:00:00+08:00' });
    expect((await t.call({ method: 'POST', url: `/api/v1/joint-tasks/${id}/code`, as: as.officer(w.market.code) })).statusCode).toBe(201);
    expect(await flagsOn(t, id)).toHaveLength(0);
  });

  it('reports the joint-inspection rate and the visits saved, within the supervisor’s jurisdiction', async () => {
    const res = await t.call({ method: 'GET', url: '/api/v1/stats/joint-inspections?year=2026', as: w.supervisor });
    expect(res.statusCode).toBe(200);
    const s = res.json();
    const agency = (code: string) => s.byAgency.find((a: { agencyCode: string }) => a.agencyCode === code);
    // market: one single visit + one joint visit; fire: one single + one joint; health: two singles + one joint.
    expect(agency(w.market.code)).toMatchObject({ onsiteVisits: 2, jointVisits: 1, jointRate: 0.5 });
    expect(agency(w.fire.code)).toMatchObject({ onsiteVisits: 2, jointVisits: 1, jointRate: 0.5 });
    expect(agency(w.health.code)).toMatchObject({ onsiteVisits: 3, jointVisits: 1 });
    expect(s.byDistrict).toEqual([expect.objectContaining({ districtCode: w.districtCode, onsiteVisits: 8, jointVisits: 3, jointTasksVisits: 1, visitsSaved: 2 })]);
    expect(s.totals).toMatchObject({ onsiteVisits: 8, jointVisits: 3, jointRate: 0.375, visitsSaved: 2 });

    const elsewhere: Principal = as.supervisor((await newJusticeBureau(t.db, { name: '青山区司法局（测试）', districtCode: (await newDistrict(t.db)).code })).code);
    expect((await t.call({ method: 'GET', url: `/api/v1/stats/joint-inspections?year=2026&district=${w.districtCode}`, as: elsewhere })).json().code).toBe('OUT_OF_SCOPE');
    expect((await t.call({ method: 'GET', url: '/api/v1/stats/joint-inspections?year=2026', as: elsewhere })).json().totals).toMatchObject({ onsiteVisits: 0, visitsSaved: 0 });
    expect((await t.call({ method: 'GET', url: '/api/v1/stats/joint-inspections?year=2026', as: as.officer(w.market.code) })).statusCode).toBe(403);
  });
});

describeDb('the sweeper’s JOINT_NOT_COORDINATED safety net (Art. 26)', () => {
  let t: TestApp;
  let w: JointWorld;
  let listId: string;

  beforeAll(async () => {
    // Codes issued while the window was one day: the two visits three days apart are not flagged then.
    t = await createTestApp({ config: { joint: { teamMax: 6, coordinationDays: 1 } } });
    w = await newJointWorld(t, { cap: 10 });
    listId = await publishedJointList(t, w);
  });
  afterAll(() => t.close());

  describe('after the window is widened to seven days', () => {
    it('flags the later-issued visit once, and a second pass raises nothing', async () => {
      const first = (await single(t, w.fire.code, w.matters.fire, w.enterprise.creditCode, '2026-04-20')).id;
      expect((await codeOf(t, w.fire.code, first)).statusCode).toBe(201);
      t.clock.set('2026-04-03T10:00:00+08:00');
      const second = (await single(t, w.market.code, w.matters.market, w.enterprise.creditCode, '2026-04-23')).id;
      expect((await codeOf(t, w.market.code, second)).statusCode).toBe(201);
      expect([...(await flagsOn(t, first)), ...(await flagsOn(t, second))]).toHaveLength(0);

      const job = [jointNotCoordinatedJob];
      expect(await runSweep(t.db, t.clock, { jointCoordinationDays: 7 }, job)).toEqual([{ job: 'joint-not-coordinated', count: 1 }]);
      expect(await flagsOn(t, second)).toHaveLength(1);
      expect(await flagsOn(t, first)).toHaveLength(0);
      expect(await runSweep(t.db, t.clock, { jointCoordinationDays: 7 }, job)).toEqual([{ job: 'joint-not-coordinated', count: 0 }]);
      expect(await runSweep(t.db, t.clock, { jointCoordinationDays: 1 }, job)).toEqual([{ job: 'joint-not-coordinated', count: 0 }]);
    });
  });

  it('leaves the units of one joint task alone', async () => {
    const id = await approvedTask(t, w, listId, { enterpriseCodes: [w.other.creditCode], ...JOINT_WINDOW });
    expect((await t.call({ method: 'POST', url: `/api/v1/joint-tasks/${id}/code`, as: as.officer(w.market.code) })).statusCode).toBe(201);
    expect(await runSweep(t.db, t.clock, { jointCoordinationDays: 7 }, [jointNotCoordinatedJob])).toEqual([{ job: 'joint-not-coordinated', count: 0 }]);
  });
});

describe('第二十六条 “应协同尽协同”：仅在可以发起“综合查一次”时才认定未协同', () => {
  describeDb('没有公布的“综合查一次”事项清单条目覆盖双方事项', () => {
    let t: TestApp;
    let w: JointWorld;
    beforeAll(async () => {
      t = await createTestApp();
      w = await newJointWorld(t, { cap: 10 });
    });
    afterAll(() => t.close());

    it('两个单位同日对同一企业现场检查，但无法发起联合检查：不标记，巡检也不标记', async () => {
      const fire = (await single(t, w.fire.code, w.matters.fire, w.enterprise.creditCode, '2026-04-20')).id;
      const market = (await single(t, w.market.code, w.matters.market, w.enterprise.creditCode, '2026-04-20')).id;
      expect((await codeOf(t, w.fire.code, fire)).statusCode).toBe(201);
      expect((await codeOf(t, w.market.code, market)).statusCode).toBe(201);
      expect([...(await flagsOn(t, fire)), ...(await flagsOn(t, market))]).toHaveLength(0);
      expect(await runSweep(t.db, t.clock, { jointCoordinationDays: 7 }, [jointNotCoordinatedJob])).toEqual([{ job: 'joint-not-coordinated', count: 0 }]);
    });
  });

  describeDb('已公布的事项清单条目覆盖双方事项', () => {
    let t: TestApp;
    let w: JointWorld;
    beforeAll(async () => {
      t = await createTestApp();
      w = await newJointWorld(t, { cap: 10 });
    });
    afterAll(() => t.close());

    it('标记后检查的单位，以名称列明各单位及可据以发起联合检查的清单条目', async () => {
      const listId = await publishedJointList(t, w);
      const fire = (await single(t, w.fire.code, w.matters.fire, w.enterprise.creditCode, '2026-04-20')).id;
      const market = (await single(t, w.market.code, w.matters.market, w.enterprise.creditCode, '2026-04-21')).id;
      expect((await codeOf(t, w.fire.code, fire)).statusCode).toBe(201);
      expect((await codeOf(t, w.market.code, market)).statusCode).toBe(201);
      expect(await flagsOn(t, fire)).toHaveLength(0);
      const [flag] = await flagsOn(t, market);
      expect(flag!.detail).toContain(w.market.name);
      expect(flag!.detail).toContain(`${w.fire.name}（2026-04-20）`);
      expect(flag!.detail).not.toContain(w.fire.code);
      expect(flag!.detail).toContain('“餐饮服务单位“综合查一次””');
      expect(flag!.detail).toContain(`发起单位：${w.market.name}`);
      expect(flag!.detail).toContain(w.matters.fire);
      expect(flag!.evidence).toMatchObject({ possibleEntries: [{ listId, entryCode: 'CY-01', leadAgencyCode: w.market.code }] });
    });
  });

  describeDb('“综合查一次”任务前后，任务以外的单位另行检查同一企业', () => {
    let t: TestApp;
    let w: JointWorld;
    let city: Awaited<ReturnType<typeof newAgency>>;
    let cityMatter: string;
    let listId: string;

    beforeAll(async () => {
      t = await createTestApp();
      w = await newJointWorld(t, { cap: 10 });
      city = await newAgency(t.db, { name: '武昌区城市管理执法局（测试）', districtCode: w.districtCode, domains: ['urban'] });
      cityMatter = (await newMatter(t.db, city.code, { name: '门前三包检查', domain: 'urban', foodDrug: false })).matterCode;
      await newFiledPlan(t.db, city.code, 2026, [cityMatter]);
      // A second entry pairs the market regulator (lead) with city management: the outside visit could have
      // been one joint inspection with the task's lead unit.
      const street = {
        code: 'JM-01',
        name: '沿街餐饮门店“综合查一次”',
        content: '食品安全、门前三包',
        basis: '《中华人民共和国食品安全法》《武汉市市容环境卫生管理条例》',
        units: [
          { agencyCode: w.market.code, role: 'lead', matterCodes: [w.matters.market] },
          { agencyCode: city.code, role: 'cooperating', matterCodes: [cityMatter] },
        ],
        items: [
          { text: '食品贮存条件', standard: '食品分类、分架、隔墙离地存放', agencyCode: w.market.code, matterCode: w.matters.market },
          { text: '门前三包责任落实', standard: '门前无乱堆乱放、无占道经营', agencyCode: city.code, matterCode: cityMatter },
        ],
      };
      listId = await publishedJointList(t, w, { title: '武昌区“综合查一次”事项清单（2026年）', entries: [restaurantEntry(w), street] });
    });
    afterAll(() => t.close());

    it('清单条目在任务开始时已将该单位与任务单位的检查事项共同列入的，标记该任务，并以名称列明单位及可发起的清单条目', async () => {
      const outsider = (await single(t, city.code, cityMatter, w.other.creditCode, '2026-06-09')).id;
      expect((await codeOf(t, city.code, outsider)).statusCode).toBe(201);
      const id = await approvedTask(t, w, listId, { enterpriseCodes: [w.other.creditCode], windowStart: '2026-06-10T09:00:00+08:00', windowEnd: '2026-06-10T12:00:00+08:00' });
      expect((await t.call({ method: 'POST', url: `/api/v1/joint-tasks/${id}/code`, as: as.officer(w.market.code) })).statusCode).toBe(201);
      const [flag] = await flagsOn(t, id);
      expect(flag).toMatchObject({ article: '第二十六条', subjectType: 'joint_task', occurrence: w.other.creditCode, agencyCode: w.market.code });
      expect(flag!.detail).toContain(`${w.market.name}发起的“综合查一次”任务`);
      expect(flag!.detail).toContain(`${city.name}（2026-06-09）`);
      expect(flag!.detail).not.toContain(city.code);
      expect(flag!.detail).toContain('“沿街餐饮门店“综合查一次””');
      expect(flag!.detail).toContain(cityMatter);
      expect(flag!.evidence).toMatchObject({ others: [{ inspectionId: outsider, agencyCode: city.code }], possibleEntries: [{ listId, entryCode: 'JM-01', leadAgencyCode: w.market.code }] });
    });
  });
});
