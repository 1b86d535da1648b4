import { and, isNull, ne, type SQL } from 'drizzle-orm';
import { inspections } from '../db/schema/index.js';
import type { RuleResult } from '../rules/result.js';
import { SCOPE_ENTITY, SCOPE_EXCLUDED_RELATION } from '../rules/declarations/scope.js';

type Scoped = { excludedRelation: string | null; entityScope: string };

/**
 * Whether the Order governs an inspection at all. Art. 2 ¶2 takes out checks of subordinate units and
 * SOE-supervision checks; Art. 4 ¶2 takes out 事业单位、社会团体、基金会、社会服务机构. Such an inspection is
 * recorded as outside the Order (the classification result says why) and none of the Order's guards,
 * codes, caps or statistics apply to it. Art. 42 entities (by reference) stay under the Order's rules.
 * Returns the classification result when the inspection is outside the Order, null when it is under it.
 */
export function outsideOrder(i: Scoped): RuleResult | null {
  const relation = SCOPE_EXCLUDED_RELATION(i.excludedRelation);
  if (!relation.passed) return relation;
  const entity = SCOPE_ENTITY(i.entityScope);
  return entity.passed ? null : entity;
}

/** The same test in SQL, for the caps and the statistics: only inspections under the Order count. */
export function underOrderSql(): SQL {
  return and(isNull(inspections.excludedRelation), ne(inspections.entityScope, 'out_of_scope'))!;
}
