import type { Db } from '../db/client.js';
import { RoutineWithoutPlan, SpecialWithoutApproval } from '../rules/declarations/plans.js';
import { DomainError } from '../errors/domain-error.js';
import { loadFrequencyFacts, type FrequencyReadAhead } from '../frequency/facts.js';
import type { PlanCoverageRecord } from '../db/schema/index.js';
import { findCoveringItem, type PlanReadAhead } from '../plans/filed-plan.js';
import { findUsableSpecialPlan } from '../plans/usable-special-plan.js';
import { FREQUENCY_CAP, type CapResult } from '../rules/declarations/frequency.js';
import type { RuleResult } from '../rules/result.js';
import type { LoadedFacts } from './guard-facts.js';
import type { Inspection } from './repository.js';

type PlanCheckInput = Pick<Inspection, 'id' | 'agencyCode' | 'enterpriseCode' | 'kind' | 'mode' | 'countedDate' | 'matterCodes' | 'specialPlanId'> &
  Partial<Pick<Inspection, 'offsiteFollowUpReason'>>;

export interface PlanAndCapResult {
  /** Guards: plan / special plan present (Art. 13) and every frequency cap (Art. 15). */
  results: RuleResult[];
  /** A special inspection executing an upper authority's deployment does not count toward caps. */
  upperDeployed: boolean;
  /** For a routine inspection: the plan item covering each matter (Art. 13, 16), kept on the inspection. */
  coverage: PlanCoverageRecord[] | null;
}

/** What the caller's guard facts already hold (read in the same transaction), so the cap check does not read it again. */
export interface KnownGuardFacts {
  riskClass: string | null;
  /** Domain of each matter with a version published on the inspection's date. */
  domains: ReadonlyMap<string, string>;
}

/** KnownGuardFacts from loadGuardFacts' result. */
export function knownFromGuardFacts(loaded: LoadedFacts): KnownGuardFacts {
  const domains = new Map<string, string>();
  for (const m of loaded.facts.matters) if (m.published) domains.set(m.code, m.published.domain);
  return { riskClass: loaded.enterprise.riskClass, domains };
}

/**
 * The plan and frequency guards for one inspection, read inside the caller's transaction. The plan rows
 * are read FOR SHARE so an amendment cannot slip in between this check and the commit.
 */
export async function planAndCapChecks(tx: Db, i: PlanCheckInput, known?: KnownGuardFacts, ahead?: { plan?: PlanReadAhead; frequency?: FrequencyReadAhead }): Promise<PlanAndCapResult> {
  const results: RuleResult[] = [];
  const year = Number(i.countedDate.slice(0, 4));
  let upperDeployed = false;
  const covered: PlanCoverageRecord[] = [];
  for (const matterCode of i.matterCodes) {
    if (i.kind === 'routine') {
      const question = { matterCode, mode: i.mode, enterpriseCode: i.enterpriseCode, year, offsiteFollowUpReason: i.offsiteFollowUpReason ?? null };
      const coverage = await findCoveringItem(tx, i.agencyCode, question, i.id, { lock: 'share' }, ahead?.plan);
      if ('refusal' in coverage) results.push(coverage.refusal);
      else {
        const record = { matterCode, planId: coverage.plan.id, revision: coverage.revision, itemId: coverage.item.id, filed: coverage.filed };
        covered.push(record);
        results.push(RoutineWithoutPlan.pass(record, 'a reported plan item covering matter, method, targets and frequency'));
      }
    } else if (i.kind === 'special') {
      if (!i.specialPlanId) {
        results.push(SpecialWithoutApproval.fail(null, 'an approved and filed, or upper-deployed, special plan', '专项检查须依据经批准、备案并公布的专项检查计划（或上级部署的专项检查）'));
        continue;
      }
      const usable = await findUsableSpecialPlan(tx, i.specialPlanId, i.agencyCode, matterCode, i.countedDate);
      if ('refusal' in usable) results.push(usable.refusal);
      else {
        upperDeployed = upperDeployed || usable.upperDeployed;
        results.push(SpecialWithoutApproval.pass(usable.plan.id, 'usable special plan'));
      }
    }
  }
  const caps = new Map<string, CapResult>();
  for (const matterCode of i.matterCodes) {
    const facts = await loadFrequencyFacts(
      tx,
      { enterpriseCode: i.enterpriseCode, date: i.countedDate, agencyCode: i.agencyCode, matterCode },
      known && { riskClass: known.riskClass, domain: known.domains.get(matterCode) },
      ahead?.frequency,
    );
    const question = { ...facts, kind: i.kind, mode: i.mode, upperDeployed, excludeId: i.id };
    // Case-inspection anomalies (Art. 15) are not judged here: the case-frequency-anomaly sweeper flags them,
  // whichever route a case inspection took. One inspection of several matters counts once: the same cap reached through two matters is one result.
    for (const r of FREQUENCY_CAP(question)) caps.set(r.frequencyRuleId ?? `${r.rule}:${String(r.observed)}`, r);
  }
  const coverage = i.kind === 'routine' && covered.length === i.matterCodes.length ? covered : null;
  return { results: [...results, ...caps.values()], upperDeployed, coverage };
}

/** Throws the failed guards, if any, as one refusal naming the first rule. */
export function refuseFailed(results: RuleResult[]): void {
  const failed = results.filter((r) => !r.passed);
  if (failed.length > 0) throw DomainError.fromRules(failed);
}
