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

/** Each selected row judged by its rule and flagged on its subject when it fails: the batch's answer to the runner. */
export async function flagRows<R>(
  tx: Db,
  at: Date,
  rows: readonly R[],
  judge: (row: R) => { result: RuleResult; subject: FlagSubject },
): Promise<{ selected: number; raised: number }> {
  let raised = 0;
  for (const row of rows) {
    const { result, subject } = judge(row);
    if (await flagIfFailed(tx, at, result, subject)) raised++;
  }
  return { selected: rows.length, raised };
}

/** The columns an inspection detector selects to place its flag: the inspection, its agency's district. */
export interface DueInspection {
  id: string;
  agency_code: string;
  enterprise_code: string;
  /** The agency's name, for the message. */
  name: string;
  district_code: string | null;
}

/** The flag's subject for an inspection row, with the evidence the rule's detector records. */
export function inspectionSubject(i: DueInspection, evidence: Record<string, unknown>): FlagSubject {
  return { subjectType: 'inspection', subjectId: i.id, agencyCode: i.agency_code, enterpriseCode: i.enterprise_code, districtCode: i.district_code, evidence };
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
  const { raised } = await flagRows(tx, at, rows, (r) => ({
    result: check(r),
    subject: { subjectType: 'agency', subjectId: r.agency_code, occurrence: period.month, agencyCode: r.agency_code, districtCode: r.district_code, evidence: { from: period.from, to: period.to } },
  }));
  return raised;
}
