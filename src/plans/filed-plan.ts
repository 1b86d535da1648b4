import type { Db } from '../db/client.js';
import { ruleResult, type RuleResult } from '../rules/result.js';
import { loadCoverageUsage } from './coverage-facts.js';
import { pickCoveringItem, type CoverageQuestion } from './item-coverage.js';
import { diffItems } from './plan-item-diff.js';
import { lastFiledVersion, type FiledItem, type PlanVersion } from './plan-versions.repository.js';
import { findPlanFor, planItemsOf, type Plan, type PlanItem } from './plans.repository.js';

/**
 * "Which filed plan covers matter M of agency A in year Y" (Art. 13, 14): the guard behind
 * ROUTINE_WITHOUT_PLAN and PLAN_AMENDED_NOT_REFILED. The version in force is the last one the bureau
 * filed; while an amendment waits for filing (Art. 14 ¶2), what the amendment did not change stays in
 * force, and changed or new items wait for their filing.
 */
export type PlanCoverage = { plan: Plan; revision: number; item: FiledItem; items: FiledItem[] } | { refusal: RuleResult };

export interface ItemsInForce {
  revision: number | null;
  inForce: FiledItem[];
  /** Items of the current draft that are not in force yet (new, or the new form of changed ones). */
  pending: FiledItem[];
}

/** Pure: the items in force from the plan row, its current items and its last filed version. */
export function itemsInForce(plan: Plan, current: readonly PlanItem[], version: PlanVersion | undefined): ItemsInForce {
  const currentItems = current.map(({ planId: _p, ...i }) => i);
  if (!version) return { revision: null, inForce: [], pending: currentItems };
  if (!plan.needsRefiling) return { revision: version.revision, inForce: version.items, pending: [] };
  const d = diffItems(version.items, currentItems);
  return { revision: version.revision, inForce: d.unchanged, pending: d.added };
}

/** Pure: decides by matter alone (the joint-inspection guard of Art. 28 asks only that). */
export function filedPlanCovering(plan: Plan | undefined, current: readonly PlanItem[], version: PlanVersion | undefined, matterCode: string, year: number): PlanCoverage {
  if (!plan) {
    return { refusal: ruleResult('ROUTINE_WITHOUT_PLAN', false, null, 'filed', `本单位无${year}年度日常检查计划，不得实施日常检查（第十三条）`) };
  }
  const f = itemsInForce(plan, current, version);
  if (f.revision === null) {
    return { refusal: ruleResult('ROUTINE_WITHOUT_PLAN', false, plan.state, 'filed', `${year}年度日常检查计划尚未经司法行政部门备案，不得实施日常检查（第十三条）`) };
  }
  const matching = f.inForce.filter((i) => i.matterCode === matterCode);
  if (matching.length) return { plan, revision: f.revision, item: matching[0]!, items: matching };
  if (f.pending.some((i) => i.matterCode === matterCode)) {
    return {
      refusal: ruleResult(
        'PLAN_AMENDED_NOT_REFILED',
        false,
        { matterCode, revision: plan.revision, filedRevision: f.revision, amendedAt: plan.amendedAt?.toISOString() ?? null },
        'filed',
        `${year}年度日常检查计划调整后（第${plan.revision}版）检查事项 ${matterCode} 的内容为新增或已变更，尚未重新报送备案，不得据此实施检查（第十四条第二款）`,
      ),
    };
  }
  return {
    refusal: ruleResult('ROUTINE_WITHOUT_PLAN', false, matterCode, f.inForce.map((i) => i.matterCode), `检查事项 ${matterCode} 未列入已备案的${year}年度日常检查计划（第十三条）`),
  };
}

/**
 * Loads the plan, its items and its last filed version, and applies filedPlanCovering. Pass the
 * transaction you issue in; `lock: 'share'` holds the plan row so an amendment (FOR UPDATE) cannot slip in.
 */
export async function findFiledPlanCovering(
  db: Db,
  agencyCode: string,
  matterCode: string,
  year: number,
  options: { lock?: 'share' } = {},
): Promise<PlanCoverage> {
  const plan = await findPlanFor(db, agencyCode, year, options.lock);
  if (!plan) return filedPlanCovering(undefined, [], undefined, matterCode, year);
  return filedPlanCovering(plan, await planItemsOf(db, plan.id), await lastFiledVersion(db, plan.id), matterCode, year);
}

/**
 * The item that covers one routine inspection (Art. 13, 16): the matter in force, then method, targets
 * and frequency (item-coverage.ts). `excludeId` is the inspection itself, so re-checking it at code
 * issuance does not count it against its own item.
 */
export async function findCoveringItem(
  db: Db,
  agencyCode: string,
  q: CoverageQuestion,
  excludeId: string | null,
  options: { lock?: 'share' } = {},
): Promise<PlanCoverage> {
  const byMatter = await findFiledPlanCovering(db, agencyCode, q.matterCode, q.year, options);
  if ('refusal' in byMatter) return byMatter;
  const pick = pickCoveringItem(byMatter.items, q, await loadCoverageUsage(db, agencyCode, q, excludeId));
  return 'refusal' in pick ? pick : { ...byMatter, item: pick.item };
}
