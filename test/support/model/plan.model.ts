import { planMachine } from '../../../machines/plan.machine.js';
import type { Principal } from '../../../src/auth/principal.js';
import { as } from '../factories.js';
import { fullItem, newPlanWorld, type PlanWorld } from '../plan-factories.js';
import type { TestApp } from '../test-app.js';
import type { EventDriver, ModelSpec } from './driver.js';

/**
 * 年度日常检查计划 (Art. 13–14): the city agency's officers draft and edit it, its head submits, amends and
 * publishes it, the city justice bureau files or returns it. One plan a year per agency: each row its own year.
 */
interface World extends PlanWorld {
  officer: Principal;
  head: Principal;
  bureau: Principal;
}

let year = 2040;

const plan = async (t: TestApp, w: World, id: string) => (await t.call({ method: 'GET', url: `/api/v1/plans/${id}`, as: w.head })).json();

const step = (name: string, by: (w: World) => Principal, body: (e: Record<string, unknown>) => object = () => ({})): EventDriver<World, string> => ({
  via: 'api',
  send: ({ t, w, row }, e) => t.call({ method: 'POST', url: `/api/v1/plans/${row}/${name}`, as: by(w), payload: body(e) }),
});

export const planModel: ModelSpec<World, string> = {
  title: '年度日常检查计划 plan (第十三条、第十四条)',
  machine: planMachine,
  starts: [{ name: 'draft' }],
  samples: {
    EDIT: [{ type: 'EDIT' }],
    // SUBMIT carries the failed results of the submission's rules (PLAN_CONTENT, MATTER_UNPUBLISHED): none for a complete plan.
    SUBMIT: [{ type: 'SUBMIT', failed: [] }],
    FILE: [{ type: 'FILE' }],
    RETURN: [{ type: 'RETURN', reason: '检查比例过高，请结合信用风险分类调整' }],
    PUBLISH: [{ type: 'PUBLISH' }],
    AMEND: [{ type: 'AMEND', reason: '调整检查频次' }],
  },
  async setup(t) {
    t.clock.set('2026-02-10T10:00:00+08:00');
    const w = await newPlanWorld(t.db);
    return { ...w, officer: as.officer(w.cityAgency.code), head: as.head(w.cityAgency.code), bureau: as.supervisor(w.cityBureau.code) };
  },
  async create(t, w) {
    const res = await t.call({ method: 'POST', url: '/api/v1/plans', as: w.officer, payload: { year: ++year, items: [fullItem(w.matterCode)] } });
    if (res.statusCode !== 201) throw new Error(`plan: ${res.body}`);
    return res.json().id as string;
  },
  read: async (t, w, row) => (await plan(t, w, row)).state,
  events: {
    EDIT: {
      via: 'api',
      send: async ({ t, w, row }) =>
        t.call({ method: 'PATCH', url: `/api/v1/plans/${row}`, as: w.officer, payload: { version: (await plan(t, w, row)).version, items: [fullItem(w.matterCode, { samplingRatio: 0.03 })] } }),
    },
    SUBMIT: step('submit', (w) => w.head),
    FILE: step('file', (w) => w.bureau),
    RETURN: step('return', (w) => w.bureau, (e) => ({ reason: e.reason })),
    PUBLISH: step('publish', (w) => w.head),
    AMEND: step('amend', (w) => w.head, (e) => ({ reason: e.reason })),
  },
};
