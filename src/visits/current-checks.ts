import type { Db } from '../db/client.js';
import type { RuleResult } from '../rules/result.js';
import { loadGuardFacts } from './guard-facts.js';
import { basicGuards } from './guards.js';
import { outsideOrder } from './order-scope.js';
import { knownFromGuardFacts, planAndCapChecks } from './plan-checks.js';
import type { Inspection } from './repository.js';

/**
 * Every guard of a stored scheme evaluated now, as the draft and the amendment answer them: what the head
 * reads before approving (issue 24), with the article and what the engine observed. Writes nothing.
 */
export async function currentChecks(db: Db, i: Inspection): Promise<RuleResult[]> {
  const outside = outsideOrder(i);
  if (outside) return [outside];
  const loaded = await loadGuardFacts(db, i);
  const plan = await planAndCapChecks(db, i, knownFromGuardFacts(loaded));
  return [...basicGuards(loaded.facts), ...plan.results];
}
