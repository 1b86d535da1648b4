import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { agencies, agencyRelations, declarations } from '../db/schema/index.js';
import { DomainError } from '../errors/domain-error.js';
import type { Agency } from '../registry/agencies.repository.js';
import { SCOPE_RELATION_CONTRADICTED, type RelationFacts } from '../rules/declarations/scope.js';
import type { RuleResult } from '../rules/result.js';

export type ExcludedRelation = RelationFacts['relation'];

/**
 * Where a declared Art. 2 ¶2 relation stands against the registry: `held` (the registry lists it, or the
 * supervisors confirmed the same declaration earlier: the check is outside the Order), `declared` (the
 * registry is silent: it goes on the register and the Order applies meanwhile), or `contradicted`.
 */
export type RelationStanding = { state: 'held' } | { state: 'declared' } | { state: 'contradicted'; result: RuleResult };

export async function relationStanding(db: Db, agency: Agency, enterprise: { creditCode: string; name: string }, relation: ExcludedRelation): Promise<RelationStanding> {
  const rows = await db
    .select({ agencyCode: agencyRelations.agencyCode, name: agencies.name })
    .from(agencyRelations)
    .innerJoin(agencies, eq(agencies.code, agencyRelations.agencyCode))
    .where(and(eq(agencyRelations.enterpriseCode, enterprise.creditCode), eq(agencyRelations.relation, relation)));
  const [confirmed] = await db
    .select({ id: declarations.id })
    .from(declarations)
    .where(
      and(
        eq(declarations.kind, 'excluded_relation'),
        eq(declarations.agencyCode, agency.code),
        eq(declarations.enterpriseCode, enterprise.creditCode),
        eq(declarations.status, 'confirmed'),
        sql`${declarations.value}->>'relation' = ${relation}`,
      ),
    )
    .limit(1);
  const held = rows.some((r) => r.agencyCode === agency.code) || confirmed !== undefined;
  const result = SCOPE_RELATION_CONTRADICTED({
    relation,
    agencyName: agency.name,
    enterpriseName: enterprise.name,
    stateAssetSupervisor: agency.stateAssetSupervisor,
    heldByOthers: rows.filter((r) => r.agencyCode !== agency.code).map((r) => r.name),
    held,
  });
  if (!result.passed) return { state: 'contradicted', result };
  return held ? { state: 'held' } : { state: 'declared' };
}

/** The same, refusing a contradicted relation (draft and amendment). */
export async function checkExcludedRelation(db: Db, agency: Agency, enterprise: { creditCode: string; name: string }, relation: ExcludedRelation): Promise<'held' | 'declared'> {
  const standing = await relationStanding(db, agency, enterprise, relation);
  if (standing.state === 'contradicted') throw DomainError.fromRules([standing.result]);
  return standing.state;
}
