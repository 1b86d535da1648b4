import { inArray } from 'drizzle-orm';
import type { Principal } from '../auth/principal.js';
import type { CommandScope } from '../commands/command.js';
import type { Db } from '../db/client.js';
import { inspections } from '../db/schema/index.js';
import { agencyNameOf } from '../registry/agencies.repository.js';
import { findEnterprise } from '../registry/enterprises.repository.js';
import { shanghaiDate } from '../time/shanghai-date.js';
import { cancelSpec, stepInspection } from '../visits/commands/lifecycle.js';
import { NO_INSPECTION_HOOKS } from '../visits/hooks.js';
import type { JointProposal, ProposalUnit } from './repository.js';

/**
 * A proposal from schemes, launched: the enterprise is visited ONCE (Art. 26), so each unit that took part
 * withdraws the single visit it had drafted — cancelled through the inspection's own step (machine, audit
 * entry with the reason), acting as the head who accepted. The reason names the joint visit; the payload
 * carries the proposal and the task. A unit that declined keeps its draft. A draft that has meanwhile
 * received its code is left alone: revoking a code is the head's own decision (Art. 17), and the code
 * itself is then checked for JOINT_NOT_COORDINATED as any single code is.
 */
export async function withdrawMergedDrafts(tx: Db, scope: CommandScope, proposal: JointProposal, taking: readonly ProposalUnit[], headOf: (u: ProposalUnit) => Principal, jointTaskId: string): Promise<string[]> {
  if (proposal.inspectionIds.length === 0) return [];
  const drafts = await tx.select({ id: inspections.id, agencyCode: inspections.agencyCode, state: inspections.state }).from(inspections).where(inArray(inspections.id, proposal.inspectionIds));
  const enterprise = (await findEnterprise(tx, proposal.enterpriseCode))?.name ?? proposal.enterpriseCode;
  const names: string[] = [];
  for (const u of taking) names.push(await agencyNameOf(tx, u.agencyCode));
  const withdrawn: string[] = [];
  for (const d of drafts) {
    const unit = taking.find((u) => u.agencyCode === d.agencyCode);
    if (!unit || (d.state !== 'draft' && d.state !== 'approved')) continue;
    const reason = `已并入${names.join('、')}对${enterprise}的“综合查一次”联合检查（${shanghaiDate(proposal.windowStart)}，由联合检查建议发起），对该企业只入企一次，本单位单独检查方案撤回`;
    const actor = headOf(unit);
    await stepInspection(tx, scope, actor, d.id, { ...cancelSpec(actor, reason), action: 'inspection.cancelled', payload: { reason, proposalId: proposal.id, jointTaskId } }, NO_INSPECTION_HOOKS);
    withdrawn.push(d.id);
  }
  return withdrawn;
}
