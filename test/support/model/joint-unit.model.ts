import { jointUnitMachine } from '../../../machines/joint-unit.machine.js';
import type { EventDriver, ModelSpec } from './driver.js';
import { getTask, jointModelWorld, launch, unitStep, type JointModelWorld } from './joint-base.js';

/**
 * One cooperating unit's part of a joint task (Art. 28–29): the fire brigade's, on a freshly launched task.
 * The lead assigns it; the brigade accepts or declines; its head approves.
 */
interface Row {
  taskId: string;
  agencyCode: string;
}

const step = (name: keyof typeof unitStep): EventDriver<JointModelWorld, Row> => ({
  via: 'api',
  send: ({ t, w, row }) => unitStep[name](t, w, row.taskId, row.agencyCode),
});

export const jointUnitModel: ModelSpec<JointModelWorld, Row> = {
  title: '联合检查协同单位 joint unit (第二十八条、第二十九条)',
  machine: jointUnitMachine,
  starts: [{ name: 'cooperating' }],
  samples: {
    ASSIGN: [{ type: 'ASSIGN', matterCount: 1 }],
    ACCEPT: [{ type: 'ACCEPT' }],
    DECLINE: [{ type: 'DECLINE', reason: '不在本单位职责范围', legalBasis: '本单位“三定”方案' }],
    APPROVE: [{ type: 'APPROVE' }],
  },
  setup: jointModelWorld,
  create: async (t, w) => ({ taskId: await launch(t, w), agencyCode: w.fire.code }),
  read: async (t, w, row) => (await getTask(t, w, row.taskId)).units.find((u: { agencyCode: string }) => u.agencyCode === row.agencyCode).state,
  events: { ASSIGN: step('assign'), ACCEPT: step('accept'), DECLINE: step('decline'), APPROVE: step('approve') },
};
