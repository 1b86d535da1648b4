import { RULES, type RuleDef, type RuleId } from './catalog.js';

/**
 * How each rule of the catalogue is applied: which commands refuse with it (guards), where its flag is
 * raised (detectors: a command or a sweeper job), or why the engine's data cannot show it. Each rule's
 * declaration states it (`raisers`, src/rules/declarations/); this module reads them by id.
 * test/unit/rule-catalogue.test.ts fails when an entry is missing, names a command or job that does not
 * exist, or names one whose code never mentions the rule.
 */

export type { CommandRef, JobRef, Raiser, Reason, RuleRaisers } from './define.js';
import type { Raiser, RuleRaisers } from './define.js';

/** guard: refuses a command; detector: raises a flag; record-only: the engine records what the article asks but cannot judge it. */
export type RuleRole = 'guard' | 'detector' | 'record-only';

/** The catalogue's kind read as roles. Advice (a non-refusing check at drafting) is neither: its detector half is what counts. */
export function rolesOf(def: Pick<RuleDef, 'kind'>): RuleRole[] {
  switch (def.kind) {
    case 'guard':
      return ['guard'];
    case 'detector':
    case 'advice+detector':
      return ['detector'];
    case 'guard+detector':
      return ['guard', 'detector'];
    default:
      return ['record-only'];
  }
}

/** Each rule's raisers, from its declaration. */
export const RAISERS = Object.fromEntries(RULES.map((r) => [r.id, r.raisers])) as Record<RuleId, RuleRaisers>;

/** What GET /api/v1/rules and the compliance doc say about a rule's application. */
export function raisersOf(id: string): RuleRaisers {
  return RAISERS[id as RuleId] ?? {};
}

export const raiserLabel = (r: Raiser): string => ('job' in r ? `sweeper ${r.job}` : r.command);

export const RULE_IDS: readonly RuleId[] = RULES.map((r) => r.id);
