import { specialPlanMachine } from '../../../machines/special-plan.machine.js';
import type { Principal } from '../../../src/auth/principal.js';
import { as } from '../factories.js';
import { newPlanWorld, newSpecialPlan, type PlanWorld } from '../plan-factories.js';
import type { TestApp } from '../test-app.js';
import type { EventDriver, ModelSpec } from './driver.js';

/**
 * 专项检查计划 (Art. 13–15): the city agency drafts it, its head records the approval, the city bureau files or
 * returns it, the head publishes and amends it. A district agency deploys its upper authority's plan (Art. 15).
 */
interface World extends PlanWorld {
  officer: Principal;
  head: Principal;
  bureau: Principal;
  upperPlanId: string;
}

/** The row is a holder: DEPLOY replaces the drafted plan by the deployed one (see the driver). */
interface Row {
  id: string;
  officer: Principal;
  head: Principal;
  bureau: Principal;
}

const fields = (w: PlanWorld, over: Record<string, unknown> = {}) => ({
  title: '2026年校园周边食品安全专项检查',
  focus: '校园周边食品经营者超范围经营、无证经营等突出问题',
  matterCodes: [w.matterCode],
  startDate: '2026-04-01',
  endDate: '2026-06-30',
  ...over,
});
const approval = { approverKind: 'same_level_government', approverName: '武汉市人民政府', approvalDocNo: '武政〔2026〕12号' };

const get = async (t: TestApp, row: Row) => (await t.call({ method: 'GET', url: `/api/v1/special-plans/${row.id}`, as: row.head })).json();

const step = (name: string, by: (row: Row) => Principal, body: (e: Record<string, unknown>) => object = () => ({})): EventDriver<World, Row> => ({
  via: 'api',
  send: ({ t, row }, e) => t.call({ method: 'POST', url: `/api/v1/special-plans/${row.id}/${name}`, as: by(row), payload: body(e) }),
});

export const specialPlanModel: ModelSpec<World, Row> = {
  title: '专项检查计划 special plan (第十三条至第十五条)',
  machine: specialPlanMachine,
  starts: [{ name: 'draft' }],
  samples: {
    EDIT: [{ type: 'EDIT' }],
    APPROVE: [{ type: 'APPROVE', ...approval }],
    FILE: [{ type: 'FILE' }],
    RETURN: [{ type: 'RETURN', reason: '未写明针对的突出问题所在区域' }],
    AMEND: [{ type: 'AMEND', reason: '扩大检查范围' }],
    PUBLISH: [{ type: 'PUBLISH' }],
    DEPLOY: [{ type: 'DEPLOY', upperPlanUsable: true }],
  },
  async setup(t) {
    const w = await newPlanWorld(t.db);
    const upper = await newSpecialPlan(t.db, w.cityAgency.code, [w.matterCode], { startDate: '2026-04-01', endDate: '2026-09-30' });
    return { ...w, officer: as.officer(w.cityAgency.code), head: as.head(w.cityAgency.code), bureau: as.supervisor(w.cityBureau.code), upperPlanId: upper.id };
  },
  async create(t, w) {
    const res = await t.call({ method: 'POST', url: '/api/v1/special-plans', as: w.officer, payload: fields(w) });
    if (res.statusCode !== 201) throw new Error(`special plan: ${res.body}`);
    return { id: res.json().id as string, officer: w.officer, head: w.head, bureau: w.bureau };
  },
  read: async (t, _w, row) => (await get(t, row)).state,
  events: {
    EDIT: {
      via: 'api',
      send: async ({ t, w, row }) =>
        t.call({ method: 'PATCH', url: `/api/v1/special-plans/${row.id}`, as: row.officer, payload: { version: (await get(t, row)).version, ...fields(w, { focus: '江岸区、武昌区校园周边食品经营者无证经营问题' }) } }),
    },
    APPROVE: step('approve', (r) => r.head, () => approval),
    FILE: step('file', (r) => r.bureau),
    RETURN: step('return', (r) => r.bureau, (e) => ({ reason: e.reason })),
    AMEND: step('amend', (r) => r.head, (e) => ({ reason: e.reason })),
    PUBLISH: step('publish', (r) => r.head),
    DEPLOY: {
      via: 'command',
      why: 'A deployment (Art. 15) has no request of its own on an existing plan: POST /special-plans with deployedFromId drafts and deploys a plan in one step. The driver makes that request and the row becomes the plan it created; on a plan past its draft nothing can be deployed.',
      async send({ t, w, row }) {
        const state = (await get(t, row)).state;
        if (state !== 'draft') return { cannotSend: 'deployment exists only as the creation of a draft (POST /special-plans with deployedFromId)' };
        const district = as.officer(w.districtAgency.code);
        const res = await t.call({ method: 'POST', url: '/api/v1/special-plans', as: district, payload: fields(w, { deployedFromId: w.upperPlanId, startDate: '2026-05-01', endDate: '2026-08-31' }) });
        // The deployed plan is the district agency's: its head and its district's bureau act on it from here.
        if (res.statusCode === 201)
          Object.assign(row, { id: res.json().id, officer: district, head: as.head(w.districtAgency.code), bureau: as.supervisor(w.districtBureau.code, w.districtAgency.districtCode!) });
        return res;
      },
    },
  },
};
