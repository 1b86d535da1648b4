import { setup } from 'xstate';
import type { RuleResult } from '../src/rules/result.js';

/**
 * A “综合查一次” joint task (Art. 28–31), launched and assigned on the platform (Art. 29). The lead unit
 * (发起单位) launches it from a published joint-list entry; each cooperating unit (协同单位) is assigned its
 * part and accepts or declines it (joint-unit.machine.ts); each participating unit's head approves its part
 * of the scheme. When every unit has settled and at least two units take part, the task is ready for ONE
 * code per visited enterprise; the visits then run on the inspection rows of the parts, and the task
 * closes when no visit is left open.
 *
 * Counts the guards need (units outstanding, visits open) travel on the event; no I/O, no clock.
 */
export type JointTaskState = 'launched' | 'approved' | 'code_issued' | 'closed' | 'cancelled';

export type JointTaskEvent =
  /** A unit step (assign, accept, decline, approve) while the task is being put together. */
  | { type: 'UNIT_STEP' }
  /** Re-evaluated after every unit step: outstanding = units not yet approved or declined. */
  | { type: 'UNIT_SETTLED'; outstanding: number; approvedUnits: number }
  /** The codes are issued only when none of the visit's rules failed (the failed results travel on the event). */
  | { type: 'ISSUE_CODE'; failed: readonly RuleResult[] }
  /** A step of one visit (scan, findings, notification) — allowed while the codes are live. */
  | { type: 'VISIT_STEP' }
  /** A visit closed or its code was revoked; openVisits = visits neither closed nor cancelled. */
  | { type: 'VISIT_ENDED'; openVisits: number; closedVisits: number }
  | { type: 'CANCEL'; reason: string };

const hasText = (s: string) => s.trim().length > 0;

export const jointTaskMachine = setup({
  types: { context: {} as Record<string, never>, events: {} as JointTaskEvent },
  guards: {
    /** Art. 26: a joint inspection needs at least two agencies; every assigned unit has answered. */
    isEveryUnitSettledWithTwoTakingPart: ({ event }) => event.type === 'UNIT_SETTLED' && event.outstanding === 0 && event.approvedUnits >= 2,
    isNoVisitOpenAndOneClosed: ({ event }) => event.type === 'VISIT_ENDED' && event.openVisits === 0 && event.closedVisits > 0,
    isNoVisitOpenOrClosed: ({ event }) => event.type === 'VISIT_ENDED' && event.openVisits === 0 && event.closedVisits === 0,
    hasCancelReason: ({ event }) => event.type === 'CANCEL' && hasText(event.reason),
    noRuleFailed: ({ event }) => event.type === 'ISSUE_CODE' && event.failed.length === 0,
  },
}).createMachine({
  id: 'jointTask',
  initial: 'launched',
  context: {},
  states: {
    launched: {
      on: {
        UNIT_STEP: { target: 'launched' },
        UNIT_SETTLED: [{ guard: 'isEveryUnitSettledWithTwoTakingPart', target: 'approved' }, { target: 'launched' }],
        CANCEL: { guard: 'hasCancelReason', target: 'cancelled' },
      },
    },
    approved: {
      on: {
        ISSUE_CODE: { guard: 'noRuleFailed', target: 'code_issued' },
        CANCEL: { guard: 'hasCancelReason', target: 'cancelled' },
      },
    },
    code_issued: {
      on: {
        VISIT_STEP: { target: 'code_issued' },
        VISIT_ENDED: [
          { guard: 'isNoVisitOpenAndOneClosed', target: 'closed' },
          // Every visit's code revoked: the task did not happen.
          { guard: 'isNoVisitOpenOrClosed', target: 'cancelled' },
          { target: 'code_issued' },
        ],
        CANCEL: { guard: 'hasCancelReason', target: 'cancelled' },
      },
    },
    closed: { type: 'final' },
    cancelled: { type: 'final' },
  },
});

export const JOINT_TASK_STATE_ZH: Record<JointTaskState, string> = {
  launched: '已发起，待分配、确认和批准',
  approved: '各单位方案已批准，待获取检查码',
  code_issued: '已获取检查码',
  closed: '已结束',
  cancelled: '已取消',
};
