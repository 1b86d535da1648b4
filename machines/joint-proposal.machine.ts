import { setup } from 'xstate';

/**
 * A proposed “综合查一次” visit (Art. 26–28) and each unit's answer. The proposal stays open while units
 * answer; when every unit has accepted it is launched as one joint task (the lead's acceptance launches
 * it — 由发起单位会同协同单位…组织实施, Art. 28); when a cooperating unit declines and fewer than two units
 * remain, it is declined; when the answer period passes with a unit silent, it lapses. Counts travel on the
 * events; no I/O, no clock.
 */
export type JointProposalState = 'open' | 'launched' | 'declined' | 'lapsed';

export type JointProposalEvent =
  /** A unit answered; pending = units yet to answer, taking = units not declined. */
  | { type: 'UNIT_ANSWERED'; pending: number; taking: number }
  | { type: 'LAPSE'; pastDue: boolean };

export const jointProposalMachine = setup({
  types: { context: {} as Record<string, never>, events: {} as JointProposalEvent },
  guards: {
    /** Every unit accepted and at least two take part (Art. 26: 多个行政执法主体). */
    isEveryUnitInWithTwoTakingPart: ({ event }) => event.type === 'UNIT_ANSWERED' && event.pending === 0 && event.taking >= 2,
    isFewerThanTwoLeft: ({ event }) => event.type === 'UNIT_ANSWERED' && event.taking < 2,
    isPastDue: ({ event }) => event.type === 'LAPSE' && event.pastDue,
  },
}).createMachine({
  id: 'jointProposal',
  initial: 'open',
  context: {},
  states: {
    open: {
      on: {
        UNIT_ANSWERED: [{ guard: 'isFewerThanTwoLeft', target: 'declined' }, { guard: 'isEveryUnitInWithTwoTakingPart', target: 'launched' }, { target: 'open' }],
        LAPSE: { guard: 'isPastDue', target: 'lapsed' },
      },
    },
    launched: { type: 'final' },
    declined: { type: 'final' },
    lapsed: { type: 'final' },
  },
});

export const JOINT_PROPOSAL_STATE_ZH: Record<JointProposalState, string> = {
  open: '待各单位答复',
  launched: '各单位已接受，已发起联合检查',
  declined: '协同单位拒绝，未能联合',
  lapsed: '逾期未答复',
};
