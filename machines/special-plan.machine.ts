import { setup } from 'xstate';

/**
 * 专项检查计划 (Art. 13–15). A special plan targets a prominent problem of an area or a field; it is
 * approved by the same-level government or the vertical upper authority, filed with the same-level
 * justice bureau, and published (Art. 14). A plan deployed by an upper authority and executed by a lower
 * agency needs neither approval nor filing again: it enters `deployed` directly (DEPLOY) and its
 * inspections do not count toward the frequency caps (Art. 15).
 */
export type SpecialPlanState = 'draft' | 'approved' | 'filed' | 'published' | 'deployed';

export type SpecialPlanEvent =
  | { type: 'EDIT' }
  | {
      type: 'APPROVE';
      approverKind: 'same_level_government' | 'upper_authority';
      approverName: string;
      approvalDocNo: string;
      unpublishedMatters: number;
    }
  | { type: 'FILE' }
  | { type: 'PUBLISH' }
  | { type: 'DEPLOY'; upperPlanUsable: boolean };

const hasText = (s: string) => s.trim().length > 0;

export const specialPlanMachine = setup({
  types: { context: {} as Record<string, never>, events: {} as SpecialPlanEvent },
  guards: {
    /** Art. 13: who approved it and by which document, so the filing bureau can verify the approval. */
    hasApprovalRecord: ({ event }) =>
      event.type === 'APPROVE' && hasText(event.approverName) && hasText(event.approvalDocNo) && event.unpublishedMatters === 0,
    /** The upper authority's plan is in force and the lower agency may execute it. */
    isDeployedByUpperAuthority: ({ event }) => event.type === 'DEPLOY' && event.upperPlanUsable,
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
    approved: { on: { FILE: { target: 'filed' } } },
    filed: { on: { PUBLISH: { target: 'published' } } },
    published: { type: 'final' },
    deployed: { type: 'final' },
  },
});
