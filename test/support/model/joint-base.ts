import { as } from '../factories.js';
import { launchBody, newJointWorld, officers, publishedJointList, type JointWorld } from '../joint-world.js';
import type { TestApp } from '../test-app.js';

/**
 * The joint models' world: the restaurant's three district units (market regulation leads) with a published
 * list, the caps lifted so the many tasks a model launches are not refused by FREQUENCY_CAP.
 */
export interface JointModelWorld extends JointWorld {
  listId: string;
}

export async function jointModelWorld(t: TestApp): Promise<JointModelWorld> {
  const w = await newJointWorld(t, { cap: 100_000 });
  return { ...w, listId: await publishedJointList(t, w) };
}

export async function launch(t: TestApp, w: JointModelWorld, enterpriseCodes = [w.enterprise.creditCode]): Promise<string> {
  const res = await t.call({ method: 'POST', url: '/api/v1/joint-tasks', as: as.head(w.market.code), payload: launchBody(w, w.listId, { enterpriseCodes }) });
  if (res.statusCode !== 201) throw new Error(`launch: ${res.body}`);
  return res.json().task.id as string;
}

export const getTask = async (t: TestApp, w: JointWorld, id: string) => (await t.call({ method: 'GET', url: `/api/v1/joint-tasks/${id}`, as: w.supervisor })).json();

/** The unit steps, each as the principal the route takes it from. */
export const unitStep = {
  assign: (t: TestApp, w: JointWorld, id: string, agencyCode: string) =>
    t.call({ method: 'POST', url: `/api/v1/joint-tasks/${id}/assign`, as: as.officer(w.market.code), payload: { agencyCode } }),
  accept: (t: TestApp, w: JointWorld, id: string, agencyCode: string) =>
    t.call({ method: 'POST', url: `/api/v1/joint-tasks/${id}/accept`, as: as.officer(agencyCode), payload: { inspectors: officers(agencyCode === w.fire.code ? '消防' : '卫健') } }),
  decline: (t: TestApp, _w: JointWorld, id: string, agencyCode: string) =>
    t.call({ method: 'POST', url: `/api/v1/joint-tasks/${id}/decline`, as: as.head(agencyCode), payload: { reason: '不在本单位职责范围', legalBasis: '本单位“三定”方案' } }),
  approve: (t: TestApp, _w: JointWorld, id: string, agencyCode: string) => t.call({ method: 'POST', url: `/api/v1/joint-tasks/${id}/approve`, as: as.head(agencyCode), payload: {} }),
};
