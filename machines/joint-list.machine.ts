import { setup } from 'xstate';

/**
 * “综合查一次”事项清单 (Art. 27). A city or district authority (主管部门) proposes the list of high-frequency
 * matters it combines, naming per matter the lead unit (发起单位), the cooperating units (协同单位), the
 * content, basis and standards; the same-level justice bureau reviews it (审核) and passes or returns it;
 * the same-level government approves it (批准, recorded with its document number and approver); then it is
 * published (向社会公布). "Dynamic adjustment" is a new version of the list going through the same path:
 * the published version stays in force until the new one is published, which supersedes it.
 *
 * Facts the guards read travel on the event; no I/O, no clock.
 */
export type JointListState = 'proposed' | 'returned' | 'reviewed' | 'approved' | 'published' | 'superseded';

export type JointListEvent =
  | { type: 'EDIT' }
  | { type: 'REVIEW_PASS'; opinion: string }
  | { type: 'REVIEW_RETURN'; reason: string }
  | { type: 'APPROVE'; approverName: string; approvalDocNo: string }
  | { type: 'PUBLISH' }
  | { type: 'AMEND'; reason: string }
  | { type: 'SUPERSEDE' };

const hasText = (s: string) => s.trim().length > 0;

export const jointListMachine = setup({
  types: { context: {} as Record<string, never>, events: {} as JointListEvent },
  guards: {
    /** Art. 27: the bureau tells the authority what to adjust. */
    hasReturnReason: ({ event }) => event.type === 'REVIEW_RETURN' && hasText(event.reason),
    /** Art. 27: 报本级人民政府批准 — who approved it, by which document, so anyone can trace the approval. */
    hasApprovalRecord: ({ event }) => event.type === 'APPROVE' && hasText(event.approverName) && hasText(event.approvalDocNo),
    /** 实行动态调整: an adjustment says why, so the bureau can review what changed. */
    hasAmendmentReason: ({ event }) => event.type === 'AMEND' && hasText(event.reason),
  },
}).createMachine({
  id: 'jointList',
  initial: 'proposed',
  context: {},
  states: {
    proposed: {
      on: {
        EDIT: { target: 'proposed' },
        REVIEW_PASS: { target: 'reviewed' },
        REVIEW_RETURN: { guard: 'hasReturnReason', target: 'returned' },
      },
    },
    // Editing a returned list resubmits it to the bureau.
    returned: { on: { EDIT: { target: 'proposed' } } },
    reviewed: { on: { APPROVE: { guard: 'hasApprovalRecord', target: 'approved' } } },
    approved: { on: { PUBLISH: { target: 'published' } } },
    published: {
      on: {
        // The published version stays in force: AMEND opens a new version beside it (a new row).
        AMEND: { guard: 'hasAmendmentReason', target: 'published' },
        SUPERSEDE: { target: 'superseded' },
      },
    },
    superseded: { type: 'final' },
  },
});

export const JOINT_LIST_STATE_ZH: Record<JointListState, string> = {
  proposed: '已提出，待司法行政部门审核',
  returned: '已退回，待调整',
  reviewed: '已审核，待本级人民政府批准',
  approved: '已批准，待公布',
  published: '已公布',
  superseded: '已被新版本替代',
};
