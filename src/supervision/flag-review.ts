import { eq } from 'drizzle-orm';
import { flagMachine, type FlagEvent } from '../../machines/flag.machine.js';
import type { Principal } from '../auth/principal.js';
import type { CommandScope } from '../commands/command.js';
import { transitionOrRefuse } from '../commands/transition.js';
import type { Db } from '../db/client.js';
import { flags } from '../db/schema/index.js';
import { DomainError } from '../errors/domain-error.js';
import { findAgency } from '../registry/agencies.repository.js';
import { findFlag, type Flag } from './flags.repository.js';
import { assertFlagWithinJurisdiction } from './flag-scope.js';

const ACTION: Record<FlagEvent['type'], string> = { ACKNOWLEDGE: 'flag.acknowledged', RESOLVE: 'flag.resolved', DISMISS: 'flag.dismissed' };

/**
 * A supervisor's review step on one flag (Art. 6): lock the row, check the jurisdiction before saying
 * anything about its state, let the machine decide, write the new state and the audit entry. Two
 * supervisors acting at once serialise on the row lock; the second sees the first's state.
 */
export async function reviewFlag(tx: Db, { at, audit }: CommandScope, actor: Principal, id: string, event: FlagEvent, note?: string): Promise<Flag> {
  const flag = await findFlag(tx, id, true);
  if (!flag) throw DomainError.notFound('违规标记', id);
  const agency = flag.agencyCode ? await findAgency(tx, flag.agencyCode) : undefined;
  assertFlagWithinJurisdiction(actor, flag, agency);
  // Nobody reviews a flag against their own unit: a justice bureau that also inspects is reviewed by the
  // bureau above it (the city bureau for a district bureau; for the city bureau, outside this system).
  if (flag.agencyCode && flag.agencyCode === actor.agency) {
    throw new DomainError('OUT_OF_SCOPE', '监督人员不能审阅针对本单位的违规标记');
  }
  if (event.type !== 'ACKNOWLEDGE' && event.note.trim() === '') {
    throw DomainError.field('body.note', event.type === 'RESOLVE' ? '办结须说明整改情况' : '不予认定须说明理由');
  }
  const state = transitionOrRefuse(flagMachine, '违规标记', flag.state, {}, event);
  const reviewNote = event.type === 'ACKNOWLEDGE' ? (note ?? flag.reviewNote) : event.note;
  const [out] = await tx
    .update(flags)
    .set({ state: state as Flag['state'], reviewedBy: actor.sub, reviewedByName: actor.name ?? null, reviewedAt: at, reviewNote })
    .where(eq(flags.id, id))
    .returning();
  await audit({
    action: ACTION[event.type],
    subjectType: 'flag',
    subjectId: flag.id,
    agencyCode: flag.agencyCode,
    enterpriseCode: flag.enterpriseCode,
    districtCode: flag.districtCode ?? agency?.districtCode ?? null,
    before: flag.state,
    after: state,
    payload: { rule: flag.rule, article: flag.article, note: reviewNote ?? null, subjectType: flag.subjectType, subjectId: flag.subjectId },
  });
  return out!;
}
