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

/**
 * The agency-pattern detectors (case relabelling, declarations above peers) judge an agency over a window and
 * flag it at most once a month: each candidate row is confirmed by the rule's check, then flagged on the agency.
 */
export async function flagAgenciesForMonth<R extends { agency_code: string; district_code: string | null }>(
  tx: Db,
  at: Date,
  rows: readonly R[],
  check: (row: R) => RuleResult,
  period: { month: string; from: string; to: string },
): Promise<number> {
  let raised = 0;
  for (const r of rows) {
    const flagged = await flagIfFailed(tx, at, check(r), {
      subjectType: 'agency',
      subjectId: r.agency_code,
      occurrence: period.month,
      agencyCode: r.agency_code,
      districtCode: r.district_code,
      evidence: { from: period.from, to: period.to },
    });
    if (flagged) raised++;
  }
  return raised;
}
