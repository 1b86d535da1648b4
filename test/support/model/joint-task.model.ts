import type { LightMyRequestResponse } from 'fastify';
import { jointTaskMachine } from '../../../machines/joint-task.machine.js';
import { as } from '../factories.js';
import { findingsBody } from '../joint-world.js';
import type { TestApp } from '../test-app.js';
import type { EventDriver, ModelSpec, Sent } from './driver.js';
import { getTask, jointModelWorld, launch, unitStep, type JointModelWorld } from './joint-base.js';

/**
 * A “综合查一次” joint task (Art. 28–31), visiting two restaurants so that one visit can end while the other
 * is still open. UNIT_STEP, UNIT_SETTLED, VISIT_STEP and VISIT_ENDED are the task's reading of what a unit or
 * visit request did (src/visits/joint/task-units.ts, task-visits.ts): each is driven by those requests.
 */
type World = JointModelWorld;
interface Row {
  id: string;
  codes: string[];
}

const lead = (w: World) => as.officer(w.market.code);
const post = (t: TestApp, w: World, row: Row, step: string, payload: object) => t.call({ method: 'POST', url: `/api/v1/joint-tasks/${row.id}/${step}`, as: lead(w), payload });

/** Runs requests in order, answering the first that fails, or the last. */
async function all(steps: (() => Promise<LightMyRequestResponse>)[]): Promise<Sent> {
  let res!: LightMyRequestResponse;
  for (const s of steps) {
    res = await s();
    if (res.statusCode >= 300) return res;
  }
  return res;
}

const stateOf = async (t: TestApp, w: World, row: Row) => (await getTask(t, w, row.id)).state as string;

/** A whole visit: findings (every line compliant), the result notified, the visit closed. */
const closeVisit = (t: TestApp, w: World, row: Row, enterpriseCode: string) => [
  () => post(t, w, row, 'findings', { ...findingsBody(w, 7), enterpriseCode }),
  () => post(t, w, row, 'notify-result', { enterpriseCode, method: 'written' }),
  () => post(t, w, row, 'close', { enterpriseCode }),
];
const revoke = (t: TestApp, w: World, code: string) => () => t.call({ method: 'POST', url: `/api/v1/codes/${code}/revoke`, as: as.head(w.market.code), payload: { reason: '企业停业装修' } });

const WHY_UNIT = 'The task reads every unit request (assign, accept, decline, approve: src/visits/joint/task-units.ts) as UNIT_STEP, then as UNIT_SETTLED with the units still outstanding; ';
const WHY_VISIT = 'The task reads every visit request (findings, notify-result, close: src/visits/joint/task-visits.ts) as VISIT_STEP, and a visit closed or its code revoked as VISIT_ENDED with the visits still open; ';

const driver = (why: string | undefined, send: EventDriver<World, Row>['send']): EventDriver<World, Row> => ({ via: why ? 'command' : 'api', ...(why ? { why } : {}), send });

export const jointTaskModel: ModelSpec<World, Row> = {
  title: '“综合查一次”联合检查任务 joint task (第二十八条至第三十一条)',
  machine: jointTaskMachine,
  starts: [{ name: 'two restaurants' }],
  samples: {
    UNIT_STEP: [{ type: 'UNIT_STEP' }],
    UNIT_SETTLED: [
      { type: 'UNIT_SETTLED', outstanding: 0, approvedUnits: 3 },
      { type: 'UNIT_SETTLED', outstanding: 2, approvedUnits: 1 },
    ],
    ISSUE_CODE: [{ type: 'ISSUE_CODE', failed: [] }],
    VISIT_STEP: [{ type: 'VISIT_STEP' }],
    VISIT_ENDED: [
      { type: 'VISIT_ENDED', openVisits: 0, closedVisits: 2 },
      { type: 'VISIT_ENDED', openVisits: 0, closedVisits: 0 },
      { type: 'VISIT_ENDED', openVisits: 1, closedVisits: 0 },
    ],
    CANCEL: [{ type: 'CANCEL', reason: '企业停业装修，任务取消' }],
  },
  setup: jointModelWorld,
  create: async (t, w) => ({ id: await launch(t, w, [w.enterprise.creditCode, w.other.creditCode]), codes: [] }),
  read: (t, w, row) => stateOf(t, w, row),
  events: {
    UNIT_STEP: driver(`${WHY_UNIT}the driver assigns the fire brigade its part.`, ({ t, w, row }) => unitStep.assign(t, w, row.id, w.fire.code)),
    UNIT_SETTLED: driver(
      `${WHY_UNIT}the driver settles every unit (assign, accept, approve) for none outstanding, or has the lead's head approve its own part for units still outstanding. Where the task no longer takes unit steps, it sends that approval and expects the refusal.`,
      async ({ t, w, row }, e) => {
        if (e.outstanding !== 0 || (await stateOf(t, w, row)) !== 'launched') return unitStep.approve(t, w, row.id, w.market.code);
        const coop = [w.fire.code, w.health.code];
        return all([
          ...coop.map((a) => () => unitStep.assign(t, w, row.id, a)),
          ...coop.map((a) => () => unitStep.accept(t, w, row.id, a)),
          ...[w.market.code, ...coop].map((a) => () => unitStep.approve(t, w, row.id, a)),
        ]);
      },
    ),
    ISSUE_CODE: driver(undefined, async ({ t, w, row }) => {
      const res = await t.call({ method: 'POST', url: `/api/v1/joint-tasks/${row.id}/code`, as: lead(w) });
      if (res.statusCode === 201) row.codes = res.json().codes.map((c: { code: string }) => c.code);
      return res;
    }),
    VISIT_STEP: driver(`${WHY_VISIT}the driver records the first restaurant's findings.`, ({ t, w, row }) => post(t, w, row, 'findings', { ...findingsBody(w, 7), enterpriseCode: w.enterprise.creditCode })),
    VISIT_ENDED: driver(
      `${WHY_VISIT}the driver closes both visits (none open, some closed), revokes both codes (none open, none closed), or revokes one (one still open). Where the task has no live visit, it asks to close one and expects the refusal.`,
      async ({ t, w, row }, e) => {
        if ((await stateOf(t, w, row)) !== 'code_issued') return post(t, w, row, 'close', { enterpriseCode: w.enterprise.creditCode });
        if (e.closedVisits) return all([...closeVisit(t, w, row, w.enterprise.creditCode), ...closeVisit(t, w, row, w.other.creditCode)]);
        if (e.openVisits) return all([revoke(t, w, row.codes[0]!)]);
        return all(row.codes.map((c) => revoke(t, w, c)));
      },
    ),
    CANCEL: driver(undefined, ({ t, w, row }, e) => t.call({ method: 'POST', url: `/api/v1/joint-tasks/${row.id}/cancel`, as: as.head(w.market.code), payload: { reason: e.reason } })),
  },
};
