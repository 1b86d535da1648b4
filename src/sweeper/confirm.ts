import type { Db } from '../db/client.js';
import { raiseFlag, SYSTEM_ACTOR, type FlagInput } from '../flags/raise.js';
import type { RuleResult } from '../rules/result.js';

/** Where the flag goes: everything a flag holds besides what the rule's result says. */
export type FlagSubject = Omit<FlagInput, 'rule' | 'observed' | 'limit' | 'detail'>;

/**
 * A detector's SQL selects candidate rows with their facts; the rule's own `check` (its declaration,
 * src/rules/declarations/) judges each, and only a failed result becomes a flag — carrying the result's
 * rule, observed value, limit and sentence. True when a new flag was raised.
 */
export async function flagIfFailed(tx: Db, at: Date, result: RuleResult, subject: FlagSubject): Promise<boolean> {
  if (result.passed) return false;
  const id = await raiseFlag(tx, at, SYSTEM_ACTOR, { ...subject, rule: result.rule, observed: result.observed, limit: result.limit, detail: result.detail ?? result.rule });
  return id !== null;
}
