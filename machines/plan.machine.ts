import { setup } from 'xstate';
import type { RuleResult } from '../src/rules/result.js';

/**
 * 年度日常检查计划 (Art. 13–14). An agency drafts its plan, the agency head submits it to the same-level
 * justice bureau (and reports it to the upper authority); the bureau files it (备案) or returns it with
 * reasons, and the agency adjusts and resubmits. A filed plan is published (Art. 14: 依法向社会公布).
 *
 * Amending a filed or published plan (AMEND) sends it back to `draft` with `needsRefiling` set on the row:
 * the agency edits it and the head submits it again, and until the bureau files it again it cannot be
 * used for routine inspections (PLAN_AMENDED_NOT_REFILED). Draft rather than submitted, because an
 * adjustment is real editing work by officers that the head then approves by submitting it.
 *
 * SUBMIT carries the failed results of the rules a submission must pass (PLAN_CONTENT, Art. 13: every
 * field stated; MATTER_UNPUBLISHED, Art. 7: every matter on the published list), which the command computes
 * with their declarations (src/rules/declarations/); one guard checks there are none. The rules decide what
 * is wrong, the machine only whether the state takes the event. No I/O, no clock.
 */
export type PlanState = 'draft' | 'submitted' | 'returned' | 'filed' | 'published';

export type PlanEvent =
  | { type: 'EDIT' }
  | { type: 'SUBMIT'; failed: readonly RuleResult[] }
  | { type: 'FILE' }
  | { type: 'RETURN'; reason: string }
  | { type: 'PUBLISH' }
  | { type: 'AMEND'; reason: string };

const hasText = (s: string) => s.trim().length > 0;

export const planMachine = setup({
  types: { context: {} as Record<string, never>, events: {} as PlanEvent },
  guards: {
    /** Art. 13, 7: no rule the submission must pass failed (the command judged them; the event carries the failures). */
    hasNoFailedRules: ({ event }) => event.type === 'SUBMIT' && event.failed.length === 0,
    /** Art. 14: the bureau tells the agency what to adjust. */
    hasReturnReason: ({ event }) => event.type === 'RETURN' && hasText(event.reason),
    /** An adjustment says why, so the bureau can review what changed when it is refiled. */
    hasAmendmentReason: ({ event }) => event.type === 'AMEND' && hasText(event.reason),
  },
}).createMachine({
  id: 'plan',
  initial: 'draft',
  context: {},
  states: {
    draft: {
      on: {
        EDIT: { target: 'draft' },
        SUBMIT: { guard: 'hasNoFailedRules', target: 'submitted' },
      },
    },
    submitted: {
      on: {
        FILE: { target: 'filed' },
        RETURN: { guard: 'hasReturnReason', target: 'returned' },
      },
    },
    returned: {
      on: {
        EDIT: { target: 'returned' },
        SUBMIT: { guard: 'hasNoFailedRules', target: 'submitted' },
      },
    },
    filed: {
      on: {
        PUBLISH: { target: 'published' },
        AMEND: { guard: 'hasAmendmentReason', target: 'draft' },
      },
    },
    published: {
      on: { AMEND: { guard: 'hasAmendmentReason', target: 'draft' } },
    },
  },
});
