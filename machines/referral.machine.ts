import { setup } from 'xstate';

/**
 * 移送 (Art. 23): a violation found outside the finding agency's jurisdiction goes to the competent
 * agency within 10 working days, and the competent agency must accept it. A suspected crime leaves this
 * path for the criminal-case transfer (《行政执法机关移送涉嫌犯罪案件的规定》), recorded with its own
 * document number.
 *
 * REFUSE is a transition that moves nothing: the receiver's refusal is recorded and answered with
 * REFERRAL_REFUSED, and the referral stays where it was (the regulation says 应当接收). A dispute over
 * competence goes to the common superior instead (ESCALATE, with the superior and the ground).
 *
 * Facts travel on the event; the command loads them. No I/O, no clock.
 */
export type ReferralState = 'opened' | 'sent' | 'received' | 'accepted' | 'escalated' | 'crime_transferred';

export type ReferralEvent =
  | { type: 'SEND' }
  | { type: 'RECEIVE' }
  | { type: 'ACCEPT' }
  | { type: 'REFUSE'; reason: string }
  | { type: 'ESCALATE'; superiorAgencyCode: string; ground: string }
  | { type: 'CRIME_TRANSFER'; documentNo: string; receivingOrgan: string };

const hasText = (s: string) => s.trim().length > 0;

/**
 * A state table (issue 25: one place decides): its guards ask only whether the event carries what the
 * step records (a superior and a ground, a transfer document). REFERRAL_OVERDUE, REFERRAL_REFUSED and
 * REFERRAL_NOT_RECEIVED are judged by their declarations (src/rules/declarations/referrals.ts) in the
 * commands and the sweeper. No count guards.
 */
export const referralMachine = setup({
  types: { context: {} as Record<string, never>, events: {} as ReferralEvent },
  // Named so the refusal is a transition (xstate counts a transition with no target only by its actions);
  // the command writes the record, the machine does no I/O.
  actions: { recordRefusal: () => {} },
  guards: {
    /** A dispute goes to a named common superior with its ground, or not at all. */
    hasEscalationGround: ({ event }) => event.type === 'ESCALATE' && hasText(event.superiorAgencyCode) && hasText(event.ground),
    /** The criminal-case transfer is a document of its own (移送书文号) sent to a named organ. */
    hasTransferDocument: ({ event }) => event.type === 'CRIME_TRANSFER' && hasText(event.documentNo) && hasText(event.receivingOrgan),
  },
}).createMachine({
  id: 'referral',
  initial: 'opened',
  context: {},
  states: {
    opened: {
      on: {
        SEND: { target: 'sent' },
        CRIME_TRANSFER: { guard: 'hasTransferDocument', target: 'crime_transferred' },
      },
    },
    sent: {
      on: {
        RECEIVE: { target: 'received' },
        REFUSE: { actions: 'recordRefusal' },
        ESCALATE: { guard: 'hasEscalationGround', target: 'escalated' },
      },
    },
    received: {
      on: {
        ACCEPT: { target: 'accepted' },
        REFUSE: { actions: 'recordRefusal' },
        ESCALATE: { guard: 'hasEscalationGround', target: 'escalated' },
      },
    },
    // The common superior settles competence; the agency it names then accepts.
    escalated: { on: { ACCEPT: { target: 'accepted' } } },
    // The competent agency may itself find a crime once the case is its own.
    accepted: { on: { CRIME_TRANSFER: { guard: 'hasTransferDocument', target: 'crime_transferred' } } },
    crime_transferred: { type: 'final' },
  },
});

export const REFERRAL_STATE_ZH: Record<ReferralState, string> = {
  opened: '待移送',
  sent: '已移送',
  received: '已接收',
  accepted: '已受理',
  escalated: '管辖争议已报共同上级',
  crime_transferred: '已移送司法机关（涉嫌犯罪）',
};
