import { setup } from 'xstate';

/**
 * 专项检查计划 (Art. 13–15). A special plan targets a prominent problem of an area or a field; it is
 * approved by the same-level government or the vertical upper authority, filed with the same-level
 * justice bureau, and published (Art. 14). A plan deployed by an upper authority and executed by a lower
 * agency needs neither approval nor filing again: it enters `deployed` directly (DEPLOY) and its
 * inspections do not count toward the frequency caps (Art. 15). A deployment is recorded either from the
 * upper authority's plan held here or by its issuing authority and document number (文号).
 *
 * `approved` is the plan reported for filing (报同级司法行政部门和上级主管部门备案). The bureau files it or
 * returns it with reasons (RETURN, Art. 14 ¶1); the agency adjusts it and the head records the approval of
 * the adjusted plan again (APPROVE from `returned`). A filed or published plan is adjusted (AMEND, Art. 14
 * ¶2) as revision n+1 back in `draft`, and goes through approval and filing again; the filed versions are
 * kept (special_plan_versions).
 */
export type SpecialPlanState = 'draft' | 'approved' | 'filed' | 'returned' | 'published' | 'deployed';

export type SpecialPlanEvent =
  | { type: 'EDIT' }
  | {
      type: 'APPROVE';
      approverKind: 'same_level_government' | 'upper_authority';
      approverName: string;
      approvalDocNo: string;
    }
  | { type: 'FILE' }
  | { type: 'RETURN'; reason: string }
  | { type: 'AMEND'; reason: string }
  | { type: 'PUBLISH' }
  | { type: 'DEPLOY'; upperPlanUsable: boolean };

const hasText = (s: string) => s.trim().length > 0;

/**
 * A state table (issue 25: one place decides): its guards ask only whether the event carries what the
 * step records (an approval's approver and document, a reason). The rules — SPECIAL_WITHOUT_APPROVAL,
 * SPECIAL_APPROVER_NOT_COMPETENT, MATTER_UNPUBLISHED — are judged by the commands with their declarations
 * (src/rules/declarations/plans.ts) and refuse before the machine is asked; DEPLOY's `upperPlanUsable`
 * is that judgement's outcome, never recomputed here. No count guards.
 */
export const specialPlanMachine = setup({
  types: { context: {} as Record<string, never>, events: {} as SpecialPlanEvent },
  guards: {
    /** Art. 13: who approved it and by which document, so the filing bureau can verify the approval. */
    hasApprovalRecord: ({ event }) =>
      event.type === 'APPROVE' && hasText(event.approverName) && hasText(event.approvalDocNo),
    /** The upper authority's plan is in force and the lower agency may execute it. */
    isDeployedByUpperAuthority: ({ event }) => event.type === 'DEPLOY' && event.upperPlanUsable,
    /** Art. 14: the bureau tells the agency what to adjust. */
    hasReturnReason: ({ event }) => event.type === 'RETURN' && hasText(event.reason),
    /** An adjustment says why, so the bureau can review what changed when it is filed again. */
    hasAmendmentReason: ({ event }) => event.type === 'AMEND' && hasText(event.reason),
  },
}).createMachine({
  id: 'specialPlan',
  initial: 'draft',
  context: {},
  states: {
    draft: {
      on: {
        EDIT: { target: 'draft' },
        APPROVE: { guard: 'hasApprovalRecord', target: 'approved' },
        DEPLOY: { guard: 'isDeployedByUpperAuthority', target: 'deployed' },
      },
    },
    approved: {
      on: {
        FILE: { target: 'filed' },
        RETURN: { guard: 'hasReturnReason', target: 'returned' },
      },
    },
    returned: {
      on: {
        EDIT: { target: 'returned' },
        APPROVE: { guard: 'hasApprovalRecord', target: 'approved' },
      },
    },
    filed: {
      on: {
        PUBLISH: { target: 'published' },
        AMEND: { guard: 'hasAmendmentReason', target: 'draft' },
      },
    },
    published: { on: { AMEND: { guard: 'hasAmendmentReason', target: 'draft' } } },
    deployed: { type: 'final' },
  },
});
