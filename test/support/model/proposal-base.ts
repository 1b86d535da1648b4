import { eq, sql } from 'drizzle-orm';
import { jointProposals, jointProposalUnits } from '../../../src/db/schema/index.js';
import { newRowId } from '../../../src/db/ids.js';
import { proposalLapsedJob } from '../../../src/sweeper/jobs/proposal-lapsed.js';
import { runSweep } from '../../../src/sweeper/run.js';
import { as, newEnterprise, newJusticeBureau } from '../factories.js';
import { newJointWorld, officers, publishedJointList, type JointWorld } from '../joint-world.js';
import { fullItem, newFiledPlan } from '../plan-factories.js';
import type { TestApp } from '../test-app.js';

/**
 * A world for the proposal models (Art. 26–28): two agencies' filed plans name one enterprise under a published
 * joint list, and one real match proposes a visit there. Each model row is a copy of that proposal for a new
 * enterprise of the same district, so every path starts from an open proposal exactly as the matcher makes it.
 */
export interface ProposalWorld extends JointWorld {
  template: typeof jointProposals.$inferSelect;
  templateUnits: (typeof jointProposalUnits.$inferSelect)[];
}

export async function proposalModelWorld(t: TestApp): Promise<ProposalWorld> {
  const w = await newJointWorld(t, { plans: false });
  await publishedJointList(t, w);
  const city = (await newJusticeBureau(t.db, { name: '武汉市司法局（模型测试）' })).code;
  const named = (m: string) => fullItem(m, { targetKind: 'named', targetEnterprises: [w.enterprise.creditCode], samplingRatio: 1, frequency: 1 });
  await newFiledPlan(t.db, w.market.code, 2026, [], {}, [named(w.matters.market)]);
  await newFiledPlan(t.db, w.fire.code, 2026, [], {}, [named(w.matters.fire)]);
  t.clock.set('2026-03-20T10:00:00+08:00');
  const run = await t.call({ method: 'POST', url: '/api/v1/proposals/match', as: as.supervisor(city), payload: { period: '2026Q2', seed: 'c0ffee327' } });
  if (run.statusCode !== 201) throw new Error(`match: ${run.body}`);
  const [id] = run.json().created as string[];
  const [template] = await t.db.select().from(jointProposals).where(eq(jointProposals.id, id!));
  const templateUnits = await t.db.select().from(jointProposalUnits).where(eq(jointProposalUnits.proposalId, id!));
  return { ...w, template: template!, templateUnits };
}

/** A fresh open proposal, the template's twin at a new enterprise. */
export async function newProposal(t: TestApp, w: ProposalWorld): Promise<string> {
  const enterprise = await newEnterprise(t.db, { districtCode: w.districtCode });
  const id = newRowId();
  await t.db.insert(jointProposals).values({ ...w.template, id, enterpriseCode: enterprise.creditCode, state: 'open', version: 1 });
  await t.db.insert(jointProposalUnits).values(w.templateUnits.map((u) => ({ ...u, proposalId: id, state: 'pending' as const })));
  return id;
}

export const getProposal = async (t: TestApp, w: ProposalWorld, id: string) => (await t.call({ method: 'GET', url: `/api/v1/proposals/${id}`, as: w.supervisor })).json();

export const accept = (t: TestApp, w: ProposalWorld, id: string, unit: 'lead' | 'cooperating') =>
  t.call({ method: 'POST', url: `/api/v1/proposals/${id}/accept`, as: as.head(unit === 'lead' ? w.market.code : w.fire.code), payload: { inspectors: officers(unit === 'lead' ? '市监' : '消防') } });

export const decline = (t: TestApp, w: ProposalWorld, id: string) =>
  t.call({ method: 'POST', url: `/api/v1/proposals/${id}/decline`, as: as.head(w.fire.code), payload: { reason: 'inspected_already' } });

/**
 * The answer period passes for this proposal only: its due instant is moved into the past (the world's clock
 * stays, so other rows are untouched) and the sweeper's lapse job runs, as it does on its schedule.
 */
export async function lapse(t: TestApp, id: string): Promise<void> {
  await t.db.execute(sql`UPDATE joint_proposals SET respond_by = ${new Date(t.clock.now().getTime() - 60_000).toISOString()} WHERE id = ${id}`);
  await runSweep(t.db, t.clock, {}, [proposalLapsedJob]);
}
