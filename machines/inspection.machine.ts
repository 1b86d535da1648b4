import { and, setup } from 'xstate';
import type { RuleResult } from '../src/rules/result.js';

/**
 * An inspection's life (Art. 9, 16–25). On-site routine and special inspections need the scheme approved
 * by the agency head and a code before entry (Art. 17); on-site case inspections start without a code;
 * off-site inspections are recorded without a visit (Art. 16, 32). The machine is pure: the command loads
 * the facts, the guards read them from the event.
 */
export interface InspectionContext {
  kind: 'routine' | 'special' | 'case';
  mode: 'onsite' | 'offsite';
  /**
   * Art. 2 ¶2, 4: an inspection outside the Order (excluded relation, or an entity the Order does not
   * cover) gets no code under it; on site it starts without one, as a case inspection does.
   */
  outsideOrder?: boolean;
}

export type InspectionEvent =
  | { type: 'APPROVE' }
  /**
   * Art. 17(1): the code is issued only when no guard rule failed. The command runs every issuance rule
   * (src/visits/commands/issue-code.ts) and puts the failed results on the event; the machine's one guard,
   * noRuleFailed, is where the decision is made, and the refusal names those rules.
   */
  | { type: 'ISSUE_CODE'; failed: readonly RuleResult[] }
  | { type: 'SCAN' }
  | { type: 'START' }
  | { type: 'RECORD_FINDINGS' }
  | { type: 'RECORD_OFFSITE' }
  | { type: 'NOTIFY_RESULT' }
  | { type: 'CLOSE' }
  | { type: 'ARCHIVE' }
  | { type: 'MERGE' }
  /** A case inspection merged into this approved scheme changed it: back to the head (Art. 13 ¶3, 17(1)). */
  | { type: 'REOPEN_FOR_APPROVAL' }
  /** The head sends a draft back to be corrected, with a reason (Art. 17(1)): it stays a draft. */
  | { type: 'RETURN' }
  | { type: 'CANCEL' };

export const inspectionMachine = setup({
  types: { context: {} as InspectionContext, events: {} as InspectionEvent },
  guards: {
    needsCode: ({ context }) => context.mode === 'onsite' && context.kind !== 'case' && !context.outsideOrder,
    startsWithoutCode: ({ context }) => context.mode === 'onsite' && (context.kind === 'case' || Boolean(context.outsideOrder)),
    isOnsite: ({ context }) => context.mode === 'onsite',
    isOffsite: ({ context }) => context.mode === 'offsite',
    isCase: ({ context }) => context.kind === 'case',
    noRuleFailed: ({ event }) => event.type === 'ISSUE_CODE' && event.failed.length === 0,
  },
}).createMachine({
  id: 'inspection',
  initial: 'draft',
  context: { kind: 'routine', mode: 'onsite' },
  states: {
    draft: {
      // Art. 17(1): a code needs the scheme approved by the head first. The draft state does not take
      // ISSUE_CODE; when the inspection needs a code at all (needsCode), the refusal is that rule's.
      meta: { refusedBy: { ISSUE_CODE: { rule: 'ONSITE_WITHOUT_APPROVAL', when: 'needsCode', limit: 'approved', detail: '检查方案尚未经行政执法主体负责人批准，不能获取检查码' } } },
      on: {
        APPROVE: { guard: 'isOnsite', target: 'approved' },
        // Art. 17(1) asks the head's approval of the scheme for on-site routine and special inspections only; an
        // on-site case inspection (and one outside the Order) may start from its draft (issue 22, point 16).
        START: { guard: 'startsWithoutCode', target: 'in_progress' },
        RETURN: { target: 'draft' },
        RECORD_OFFSITE: { guard: 'isOffsite', target: 'findings_recorded' },
        MERGE: { guard: 'isCase', target: 'merged' },
        CANCEL: { target: 'cancelled' },
      },
    },
    approved: {
      on: {
        ISSUE_CODE: { guard: and(['needsCode', 'noRuleFailed']), target: 'code_issued' },
        START: { guard: 'startsWithoutCode', target: 'in_progress' },
        MERGE: { guard: 'isCase', target: 'merged' },
        REOPEN_FOR_APPROVAL: { target: 'draft' },
        CANCEL: { target: 'cancelled' },
      },
    },
    code_issued: {
      on: {
        SCAN: { target: 'in_progress' },
        // Allowed so the record stays true, but flagged CODE_NOT_SCANNED (Art. 17(2)).
        RECORD_FINDINGS: { target: 'findings_recorded' },
        CANCEL: { target: 'cancelled' },
      },
    },
    // Further scans (another officer, a second entry) are recorded by the command without a transition.
    in_progress: { on: { RECORD_FINDINGS: { target: 'findings_recorded' } } },
    findings_recorded: { on: { NOTIFY_RESULT: { target: 'result_notified' } } },
    result_notified: { on: { CLOSE: { target: 'closed' } } },
    closed: { on: { ARCHIVE: { target: 'archived' } } },
    archived: { type: 'final' },
    merged: { type: 'final' },
    cancelled: { type: 'final' },
  },
});

export type InspectionState =
  | 'draft'
  | 'approved'
  | 'code_issued'
  | 'in_progress'
  | 'findings_recorded'
  | 'result_notified'
  | 'closed'
  | 'archived'
  | 'merged'
  | 'cancelled';

export const INSPECTION_STATE_ZH: Record<InspectionState, string> = {
  draft: '检查方案草稿',
  approved: '方案已批准',
  code_issued: '已获取检查码',
  // Not 已扫码: an on-site case inspection and one outside the Order start without a code.
  in_progress: '检查中',
  findings_recorded: '已记录检查情况',
  result_notified: '已告知检查结果',
  closed: '已结束',
  archived: '已归档',
  merged: '已合并',
  cancelled: '已取消',
};
