import { setup } from 'xstate';

/**
 * 督办 (a supervision notice): a justice bureau's supervisor (Art. 6 ¶2: 履行行政执法监督职责) sends the agency a
 * flag with a deadline; the agency answers; the supervisor accepts the answer (办结) or returns it for a better
 * one. The deadline is the supervisor's, not the Order's: the Order names no period for answering, so being
 * late is shown (overdue) rather than raised as a breach of an article.
 */
export type SupervisionNoticeState = 'sent' | 'answered' | 'closed';

export type SupervisionNoticeEvent =
  | { type: 'ANSWER'; answer: string }
  | { type: 'ACCEPT' }
  | { type: 'RETURN'; note: string };

const hasText = (s: string) => s.trim().length > 0;

/** A state table: its guards check an answer or a return carries its text. No rule is judged here. */
export const supervisionNoticeMachine = setup({
  types: { context: {} as Record<string, never>, events: {} as SupervisionNoticeEvent },
  guards: {
    /** An answer says what the agency did about the flag. */
    hasAnswerText: ({ event }) => event.type === 'ANSWER' && hasText(event.answer),
    /** A returned answer says what is still missing. */
    hasReturnReason: ({ event }) => event.type === 'RETURN' && hasText(event.note),
  },
}).createMachine({
  id: 'supervisionNotice',
  initial: 'sent',
  context: {},
  states: {
    sent: { on: { ANSWER: { guard: 'hasAnswerText', target: 'answered' } } },
    answered: {
      on: {
        ACCEPT: { target: 'closed' },
        RETURN: { guard: 'hasReturnReason', target: 'sent' },
      },
    },
    closed: { type: 'final' },
  },
});

export const SUPERVISION_NOTICE_STATE_ZH: Record<SupervisionNoticeState, string> = {
  sent: '待答复',
  answered: '已答复，待审核',
  closed: '已办结',
};

export const SUPERVISION_NOTICE_EVENT_ZH: Record<SupervisionNoticeEvent['type'], string> = {
  ANSWER: '答复督办',
  ACCEPT: '办结督办',
  RETURN: '退回重新答复',
};
