import { and, eq, notInArray, sql } from 'drizzle-orm';
import type { Principal } from '../auth/principal.js';
import type { CommandScope } from '../commands/command.js';
import type { Db } from '../db/client.js';
import { declarations } from '../db/schema/index.js';
import { newRowId } from '../db/ids.js';
import type { DeclarationKindId } from './kinds.js';

export interface DeclarationInput {
  kind: DeclarationKindId;
  subjectType: string;
  subjectId: string;
  agencyCode: string;
  enterpriseCode?: string | null;
  districtCode?: string | null;
  /** What was declared, as the person gave it. */
  value: Record<string, unknown>;
}

/**
 * Puts a declaration on the register inside the caller's transaction (one per kind and subject). Declaring
 * again on the same subject (an amended draft) refreshes a pending declaration and leaves a reviewed one as
 * the supervisors judged it. Audited as `declaration.recorded`.
 */
export async function recordDeclaration(tx: Db, { at, audit }: CommandScope, actor: Principal, d: DeclarationInput): Promise<void> {
  const [row] = await tx
    .insert(declarations)
    .values({
      id: newRowId(),
      kind: d.kind,
      subjectType: d.subjectType,
      subjectId: d.subjectId,
      agencyCode: d.agencyCode,
      enterpriseCode: d.enterpriseCode ?? null,
      districtCode: d.districtCode ?? null,
      declaredBy: actor.sub,
      declaredByName: actor.name ?? null,
      declaredAt: at,
      value: d.value,
    })
    .onConflictDoUpdate({
      target: [declarations.kind, declarations.subjectType, declarations.subjectId],
      set: { value: d.value, declaredAt: at, declaredBy: actor.sub, declaredByName: actor.name ?? null, status: 'pending' },
      setWhere: sql`${declarations.status} in ('pending', 'withdrawn')`,
    })
    .returning({ id: declarations.id });
  if (!row) return;
  await audit({
    action: 'declaration.recorded',
    subjectType: d.subjectType,
    subjectId: d.subjectId,
    agencyCode: d.agencyCode,
    enterpriseCode: d.enterpriseCode ?? null,
    districtCode: d.districtCode ?? null,
    payload: { declarationId: row.id, kind: d.kind, value: d.value },
  });
}

/** An amended draft that no longer declares a kind withdraws its pending declaration of it. */
export async function withdrawOtherDeclarations(tx: Db, subjectType: string, subjectId: string, kept: readonly string[]): Promise<void> {
  await tx
    .update(declarations)
    .set({ status: 'withdrawn' })
    .where(
      and(
        eq(declarations.subjectType, subjectType),
        eq(declarations.subjectId, subjectId),
        eq(declarations.status, 'pending'),
        kept.length ? notInArray(declarations.kind, [...kept]) : undefined,
      ),
    );
}
