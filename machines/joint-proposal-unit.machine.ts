import { setup } from 'xstate';

/** One unit's answer: accept (naming its officers) or decline (with a reason from the list, or none — flagged). */
export type ProposalUnitState = 'pending' | 'accepted' | 'declined' | 'lapsed';
export type ProposalUnitEvent = { type: 'ACCEPT'; inspectorCount: number; isLead: boolean } | { type: 'DECLINE'; isLead: boolean } | { type: 'LAPSE' };

export const proposalUnitMachine = setup({
  types: { context: {} as Record<string, never>, events: {} as ProposalUnitEvent },
  guards: {
    /** A unit taking part names the officers it sends (the lead may send its team alone, Art. 30). */
    namesItsOfficers: ({ event }) => event.type === 'ACCEPT' && event.inspectorCount > 0,
    /** The lead does not decline its own proposal: it lets it lapse or launches it. */
    isCooperating: ({ event }) => event.type === 'DECLINE' && !event.isLead,
  },
}).createMachine({
  id: 'jointProposalUnit',
  initial: 'pending',
  context: {},
  states: {
    pending: {
      on: {
        ACCEPT: { guard: 'namesItsOfficers', target: 'accepted' },
        DECLINE: { guard: 'isCooperating', target: 'declined' },
        LAPSE: { target: 'lapsed' },
      },
    },
    accepted: { type: 'final' },
    declined: { type: 'final' },
    lapsed: { type: 'final' },
  },
});

export const PROPOSAL_UNIT_STATE_ZH: Record<ProposalUnitState, string> = {
  pending: '待答复',
  accepted: '已接受',
  declined: '已拒绝',
  lapsed: '逾期未答复',
};
