import { setup } from 'xstate';

/**
 * One unit's part of a joint task (Art. 28–29). The lead unit's part starts accepted (it launched the
 * task); a cooperating unit's part is assigned on the platform, then accepted — 协同单位应当在监管职责范围内
 * 参与 — or declined with a legal reason that the lead and the supervisors see. Each taking part is approved
 * by that unit's own head (Art. 17(1): 检查方案经本行政执法主体负责人批准).
 */
export type JointUnitState = 'pending' | 'assigned' | 'accepted' | 'declined' | 'approved';

export type JointUnitEvent =
  | { type: 'ASSIGN'; matterCount: number }
  | { type: 'ACCEPT' }
  | { type: 'DECLINE'; reason: string; legalBasis: string }
  | { type: 'APPROVE' };

const hasText = (s: string) => s.trim().length > 0;

export const jointUnitMachine = setup({
  types: { context: {} as Record<string, never>, events: {} as JointUnitEvent },
  guards: {
    /** A unit is assigned at least one of its matters on the list entry. */
    hasMatters: ({ event }) => event.type === 'ASSIGN' && event.matterCount > 0,
    /** Art. 28: declining needs a reason grounded in law (outside its duties, a statutory bar). */
    hasLegalReason: ({ event }) => event.type === 'DECLINE' && hasText(event.reason) && hasText(event.legalBasis),
  },
}).createMachine({
  id: 'jointUnit',
  initial: 'pending',
  context: {},
  states: {
    pending: { on: { ASSIGN: { guard: 'hasMatters', target: 'assigned' } } },
    assigned: {
      on: {
        ACCEPT: { target: 'accepted' },
        DECLINE: { guard: 'hasLegalReason', target: 'declined' },
      },
    },
    accepted: { on: { APPROVE: { target: 'approved' } } },
    declined: { type: 'final' },
    approved: { type: 'final' },
  },
});

export const JOINT_UNIT_STATE_ZH: Record<JointUnitState, string> = {
  pending: '待分配',
  assigned: '已分配，待确认',
  accepted: '已接受，待负责人批准',
  declined: '已拒绝（附法定理由）',
  approved: '负责人已批准',
};
