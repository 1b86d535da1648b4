import { and, eq } from 'drizzle-orm';
import type { Principal } from '../auth/principal.js';
import type { CommandScope } from '../commands/command.js';
import type { Db } from '../db/client.js';
import { referrals } from '../db/schema/index.js';
import type { Inspection } from '../visits/repository.js';
import { CROSS_REGION_NO_ASSISTANCE, JURISDICTION_TERRITORIAL } from '../rules/declarations/authority.js';
import type { GuardFacts } from '../rules/guard-facts.js';
import { ONSITE_WHEN_OFFSITE_SUFFICES, TEAM_TOO_SMALL } from '../rules/declarations/onsite.js';
import type { DeclarationKindId } from './kinds.js';
import { recordDeclaration, withdrawOtherDeclarations } from './record.js';

/** A referral to this agency about this enterprise, held here: the lead is on record, nothing to declare (Art. 9). */
async function referralHeld(tx: Db, i: Inspection): Promise<boolean> {
  if (!i.leadRef || !/^[0-9a-f-]{36}$/i.test(i.leadRef)) return false;
  const [row] = await tx
    .select({ id: referrals.id })
    .from(referrals)
    .where(and(eq(referrals.id, i.leadRef), eq(referrals.competentAgencyCode, i.agencyCode), eq(referrals.enterpriseCode, i.enterpriseCode)));
  return row !== undefined;
}

type Declared = { kind: DeclarationKindId; value: Record<string, unknown> };

/**
 * The declarations an inspection under the Order carries: each field that relaxed a rule which, without
 * it, would have failed (so a reason given where none was needed is not a declaration), and that the
 * registry could not confirm. `declaredRelation` is an Art. 2 ¶2 relation the registry was silent on.
 */
export async function inspectionDeclarations(tx: Db, i: Inspection, f: GuardFacts, declaredRelation: string | null): Promise<Declared[]> {
  const out: Declared[] = [];
  if (declaredRelation) out.push({ kind: 'excluded_relation', value: { relation: declaredRelation } });
  if (i.kind === 'case' && i.leadKind && i.leadKind !== 'follow_up' && !(i.leadKind === 'referral' && (await referralHeld(tx, i)))) {
    out.push({ kind: 'case_lead', value: { leadKind: i.leadKind, leadRef: i.leadRef } });
  }
  if (i.teamExceptionBasis && !TEAM_TOO_SMALL({ ...f, teamExceptionBasis: null }).passed) {
    out.push({ kind: 'team_exception_basis', value: { basis: i.teamExceptionBasis, inspectors: f.inspectors.length } });
  }
  if (i.onsiteReason && !ONSITE_WHEN_OFFSITE_SUFFICES({ ...f, onsiteReason: null }).passed) out.push({ kind: 'onsite_reason', value: { reason: i.onsiteReason } });
  // Art. 32: the reason lets an off-site plan item cover an on-site routine visit (src/plans/item-coverage.ts).
  if (i.offsiteFollowUpReason && i.kind === 'routine' && i.mode === 'onsite') out.push({ kind: 'offsite_follow_up_reason', value: { reason: i.offsiteFollowUpReason } });
  if (i.assistanceRef && !CROSS_REGION_NO_ASSISTANCE({ ...f, assistanceRef: null }).passed) out.push({ kind: 'assistance_arrangement', value: { assistanceRef: i.assistanceRef } });
  if (i.escalationGround && !JURISDICTION_TERRITORIAL({ ...f, escalationGround: null, escalationRef: null }).passed) {
    out.push({ kind: 'escalation_ground', value: { ground: i.escalationGround, ref: i.escalationRef } });
  }
  return out;
}

/** Records them on the register (draft and amendment) and withdraws what an amendment no longer declares. */
export async function recordInspectionDeclarations(tx: Db, scope: CommandScope, actor: Principal, i: Inspection, f: GuardFacts, districtCode: string | null, declaredRelation: string | null): Promise<Declared[]> {
  const declared = await inspectionDeclarations(tx, i, f, declaredRelation);
  for (const d of declared) {
    await recordDeclaration(tx, scope, actor, { ...d, subjectType: 'inspection', subjectId: i.id, agencyCode: i.agencyCode, enterpriseCode: i.enterpriseCode, districtCode });
  }
  await withdrawOtherDeclarations(tx, 'inspection', i.id, declared.map((d) => d.kind));
  return declared;
}
