import { expect } from 'vitest';
import { as, newJusticeBureau } from './factories.js';
import { newJointWorld, publishedJointList, type JointWorld } from './joint-world.js';
import { fullItem, newFiledPlan, newInspection } from './plan-factories.js';
import type { TestApp } from './test-app.js';

/**
 * Two units (market regulation leading, fire rescue cooperating) whose filed 2026 plans both name the two
 * restaurants of a joint world under a published “综合查一次” list, each with two certified officers on its own
 * records, and the city's 2026Q2 matched on 20 March: two open proposals, one per restaurant.
 */
export async function proposalWorld(t: TestApp): Promise<JointWorld> {
  const w = await newJointWorld(t, { plans: false });
  await publishedJointList(t, w);
  const city = as.supervisor((await newJusticeBureau(t.db, { name: '武汉市司法局（测试）' })).code);
  const named = (m: string) => fullItem(m, { targetKind: 'named', targetEnterprises: [w.enterprise.creditCode, w.other.creditCode], samplingRatio: 1, frequency: 1 });
  await newFiledPlan(t.db, w.market.code, 2026, [], {}, [named(w.matters.market)]);
  await newFiledPlan(t.db, w.fire.code, 2026, [], {}, [named(w.matters.fire)]);
  // Each unit's certified officers, as its own records name them (the app offers these to pick from).
  await newInspection(t.db, { agencyCode: w.market.code, enterpriseCode: w.other.creditCode, matterCodes: [w.matters.market], countedDate: '2026-01-12', inspectors: MARKET_OFFICERS });
  await newInspection(t.db, { agencyCode: w.fire.code, enterpriseCode: w.other.creditCode, matterCodes: [w.matters.fire], countedDate: '2026-01-13', inspectors: FIRE_OFFICERS });
  t.clock.set('2026-03-20T10:00:00+08:00');
  const run = await t.call({ method: 'POST', url: '/api/v1/proposals/match', as: city, payload: { period: '2026Q2', seed: 'c0ffee327' } });
  expect(run.statusCode, run.body).toBe(201);
  expect(run.json().created).toHaveLength(2);
  return w;
}

export const MARKET_OFFICERS = [{ name: '王晓明', certificateNo: '42010620260011' }, { name: '李红', certificateNo: '42010620260012' }];
export const FIRE_OFFICERS = [{ name: '陈刚', certificateNo: '42010620260021' }, { name: '周敏', certificateNo: '42010620260022' }];

/** The proposal for one enterprise, as a supervisor reads it. */
export async function proposalFor(t: TestApp, w: JointWorld, creditCode: string): Promise<{ id: string; enterpriseCode: string; state: string; jointTaskId: string | null }> {
  const items = (await t.call({ method: 'GET', url: '/api/v1/proposals?limit=50', as: w.supervisor })).json().items as { id: string; enterpriseCode: string; state: string; jointTaskId: string | null }[];
  return items.find((p) => p.enterpriseCode === creditCode)!;
}
