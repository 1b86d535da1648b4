import type { Principal } from '../../auth/principal.js';
import type { CommandScope } from '../../commands/command.js';
import type { Db } from '../../db/client.js';
import { DomainError } from '../../errors/domain-error.js';
import { findAgency } from '../../registry/agencies.repository.js';
import type { InspectionHooks } from '../hooks.js';
import { findInspection, updateInspection, type Inspection } from '../repository.js';
import { nextState } from '../transition.js';
import { stepInspection } from './lifecycle.js';

/**
 * Art. 13 ¶3: an on-site case inspection that can join a not-yet-executed planned task is merged into it.
 * The planned task's scheme was approved by the agency head (Art. 17(1)); a merge that adds matters to an
 * approved scheme changes what the head approved, so the scheme goes back to draft and needs the head's
 * approval again (a code cannot be issued before). A scheme that already has its code cannot take new
 * matters (the code's signed facts name them): that merge is refused. Either way the planned task's own
 * audit trail records what the merge did to it.
 */
export async function mergeInspection(tx: Db, scope: CommandScope, actor: Principal, id: string, intoId: string, hooks: InspectionHooks): Promise<Inspection> {
  return stepInspection(tx, scope, actor, id, {
    event: { type: 'MERGE' },
    action: 'inspection.merged',
    patch: () => ({ mergedInto: intoId }),
    check: async (t, i, at) => {
      const target = await findInspection(t, intoId, true);
      if (!target || target.agencyCode !== i.agencyCode || target.enterpriseCode !== i.enterpriseCode || target.kind === 'case') {
        throw DomainError.field('body.into', '只能合并到本单位对同一企业的计划检查任务');
      }
      if (!['draft', 'approved', 'code_issued'].includes(target.state)) throw DomainError.field('body.into', '目标计划检查已执行，不能合并');
      const extra = i.matterCodes.filter((m) => !target.matterCodes.includes(m));
      if (extra.length > 0 && target.state === 'code_issued') {
        throw DomainError.field('body.into', `目标检查已获取检查码，不能再增加事项 ${extra.join('、')}；如需合并，请撤销检查码并重新报批方案`);
      }
      const reopen = extra.length > 0 && target.state === 'approved';
      const state = reopen ? nextState(target, { type: 'REOPEN_FOR_APPROVAL' }) : target.state;
      await updateInspection(
        t,
        target,
        {
          state,
          matterCodes: [...target.matterCodes, ...extra],
          leadKind: target.leadKind ?? i.leadKind,
          leadRef: target.leadRef ?? i.leadRef,
          ...(reopen ? { approvedBy: null, approvedAt: null } : {}),
        },
        at,
      );
      const agency = await findAgency(t, target.agencyCode);
      await scope.audit({
        action: reopen ? 'inspection.returned_for_approval' : 'inspection.merge_received',
        subjectType: 'inspection',
        subjectId: target.id,
        agencyCode: target.agencyCode,
        enterpriseCode: target.enterpriseCode,
        districtCode: agency?.districtCode ?? null,
        before: target.state,
        after: state,
        payload: { mergedFrom: i.id, addedMatters: extra, previousApproval: reopen ? { by: target.approvedBy, at: target.approvedAt } : null },
      });
    },
    payload: { into: intoId },
  }, hooks);
}
