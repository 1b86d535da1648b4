import { eq } from 'drizzle-orm';
import type { Principal } from '../auth/principal.js';
import type { CommandScope } from '../commands/command.js';
import type { Db } from '../db/client.js';
import { declarations } from '../db/schema/index.js';
import { DomainError } from '../errors/domain-error.js';
import { raiseFlag } from '../flags/raise.js';
import { findAgency } from '../registry/agencies.repository.js';
import { ruleArticle } from '../rules/catalog.js';
import { assertDeclarationWithinJurisdiction, assertNotOwnUnit } from '../access/index.js';
import { declarationKind } from './kinds.js';
import { findDeclaration, type Declaration } from './repository.js';
import { describeValue } from './describe.js';

async function loadForReview(tx: Db, actor: Principal, id: string): Promise<Declaration> {
  const d = await findDeclaration(tx, id, true);
  if (!d) throw DomainError.notFound('声明事项', id);
  assertDeclarationWithinJurisdiction(actor, await findAgency(tx, d.agencyCode));
  assertNotOwnUnit(actor, d.agencyCode);
  // Review is one decision: a confirmed or rejected declaration stays as judged (a rejection has its flag).
  if (d.status !== 'pending') {
    throw new DomainError('INVALID_TRANSITION', `该声明事项已${STATUS_ZH[d.status]}，不能再审核`, { currentState: d.status, allowedEvents: [] });
  }
  return d;
}

export const STATUS_ZH: Record<Declaration['status'], string> = { pending: '待审核', confirmed: '确认', rejected: '不予认可', withdrawn: '撤回' };

/** A supervisor confirms a declared exemption (Art. 6): it stands, and an identical later declaration (an Art. 2 ¶2 relation) is taken as held. */
export async function confirmDeclaration(tx: Db, { at, audit }: CommandScope, actor: Principal, id: string, note?: string): Promise<Declaration> {
  const d = await loadForReview(tx, actor, id);
  const [out] = await tx.update(declarations).set({ status: 'confirmed', reviewedBy: actor.sub, reviewedAt: at, reviewNote: note?.trim() || null }).where(eq(declarations.id, id)).returning();
  await audit({ action: 'declaration.confirmed', subjectType: d.subjectType, subjectId: d.subjectId, agencyCode: d.agencyCode, enterpriseCode: d.enterpriseCode, districtCode: d.districtCode, before: 'pending', after: 'confirmed', payload: { declarationId: id, kind: d.kind, note: note ?? null } });
  return out!;
}

/**
 * A supervisor rejects a declared exemption: it becomes a violation flag under the rule it relaxed (its
 * article), against the declaring agency, on the declaration's subject. Irreversible, like the flag.
 */
export async function rejectDeclaration(tx: Db, scope: CommandScope, actor: Principal, id: string, note: string): Promise<Declaration> {
  if (note.trim() === '') throw DomainError.field('body.note', '不予认可须说明理由');
  const d = await loadForReview(tx, actor, id);
  const kind = declarationKind(d.kind)!;
  const flagId = await raiseFlag(tx, scope.at, { sub: actor.sub, role: actor.role }, {
    rule: kind.relaxes,
    subjectType: d.subjectType,
    subjectId: d.subjectId,
    occurrence: `declaration:${d.id}`,
    agencyCode: d.agencyCode,
    enterpriseCode: d.enterpriseCode,
    districtCode: d.districtCode,
    observed: d.value,
    limit: null,
    detail: `所声明的${kind.labelZh}（${describeValue(d)}）经监督审核不予认可：${note.trim()}。依${ruleArticle(kind.relaxes)}予以标记`,
    evidence: { declarationId: d.id, kind: d.kind, declaredBy: d.declaredBy, declaredAt: d.declaredAt.toISOString() },
  });
  const [out] = await tx
    .update(declarations)
    .set({ status: 'rejected', reviewedBy: actor.sub, reviewedAt: scope.at, reviewNote: note.trim(), flagId })
    .where(eq(declarations.id, id))
    .returning();
  await scope.audit({ action: 'declaration.rejected', subjectType: d.subjectType, subjectId: d.subjectId, agencyCode: d.agencyCode, enterpriseCode: d.enterpriseCode, districtCode: d.districtCode, before: 'pending', after: 'rejected', payload: { declarationId: id, kind: d.kind, rule: kind.relaxes, flagId, note: note.trim() } });
  return out!;
}
