import type { Principal } from '../auth/principal.js';
import type { CommandScope } from '../commands/command.js';
import type { Db } from '../db/client.js';
import { recordDeclaration } from './record.js';

/**
 * Art. 20: a stated no-penalty ground (不予处罚、免于处罚, e.g. 首违不罚) cannot be checked against anything the
 * registry holds, and it changes what the enterprise is told; it goes before the supervisors. One home for the
 * single inspection's findings and each unit's part of a joint visit.
 */
export async function declareNoPenaltyGround(
  tx: Db,
  scope: CommandScope,
  actor: Principal,
  i: { id: string; agencyCode: string; enterpriseCode: string },
  outcome: { noPenaltyGround?: string | null },
): Promise<void> {
  if (!outcome.noPenaltyGround) return;
  await recordDeclaration(tx, scope, actor, { kind: 'no_penalty_ground', subjectType: 'inspection', subjectId: i.id, agencyCode: i.agencyCode, enterpriseCode: i.enterpriseCode, value: { ground: outcome.noPenaltyGround } });
}
