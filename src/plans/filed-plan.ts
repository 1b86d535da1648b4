import type { Db } from '../db/client.js';
import { PlanAmendedNotRefiled, RoutineWithoutPlan } from '../rules/declarations/plans.js';
import type { RuleResult } from '../rules/result.js';
import { loadCoverageUsage } from './coverage-facts.js';
import { classPopulations } from '../proposals/class-population.js';
import { findAgency } from '../registry/agencies.repository.js';
import { pickCoveringItem, type CoverageQuestion, type CoverageUsage } from './item-coverage.js';
import { diffItems } from './plan-item-diff.js';
import { lastFiledVersion, type FiledItem, type PlanVersion } from './plan-versions.repository.js';
import { findPlanFor, planItemsOf, type Plan, type PlanItem } from './plans.repository.js';

/**
 * "Which reported plan covers matter M of agency A in year Y" (Art. 13, 14): the guard behind
 * ROUTINE_WITHOUT_PLAN and PLAN_AMENDED_NOT_REFILED. 备案 is filing, not approval: Art. 13 asks the agency
 * to report (报…备案) its plan, and Art. 14 asks the bureau to file what meets the conditions. So a plan
 * the agency has reported (submitted) and that waits on the bureau covers routine inspections exactly as
 * a filed one does; the bureau's pace is its own, shown to the bureau above as a backlog (supervision
 * dashboard `plans.bureau.backlog`), never a stop on the agency's lawful work. Compare Art. 9, which asks
 * special inspections to 履行批准、备案、公布程序: special plans keep their filing step (usable-special-plan.ts).
 *
 * What stops an item: the bureau returning the plan (Art. 14: 不符合条件的 … 重新调整 … 并报送备案) stops
 * the returned items until they are resubmitted — what the last filed version already held and the
 * returned submission did not change stays in force; and an amendment (Art. 14 ¶2: 调整后报送备案) stops the
 * changed and new items until the amended plan is reported again, not until the bureau files it.
 */
export type PlanCoverage = { plan: Plan; revision: number; item: FiledItem; items: FiledItem[]; filed: boolean } | { refusal: RuleResult };

export interface ItemsInForce {
  revision: number | null;
  inForce: FiledItem[];
  /** Items of the current plan that are not in force yet (new, or the new form of changed ones). */
  pending: FiledItem[];
  /** The items in force are the bureau's filed version (false: reported and waiting on the bureau). */
  filed: boolean;
}

/** The plan stands reported as it is now: submitted and waiting on the bureau, or filed, or published. */
const REPORTED_STATES: ReadonlySet<Plan['state']> = new Set(['submitted', 'filed', 'published']);

/** Pure: the items in force from the plan row, its current items and its last filed version. */
export function itemsInForce(plan: Plan, current: readonly PlanItem[], version: PlanVersion | undefined): ItemsInForce {
  const currentItems = current.map(({ planId: _p, ...i }) => i);
  if (REPORTED_STATES.has(plan.state)) {
    const filed = plan.state !== 'submitted';
    return { revision: plan.revision, inForce: currentItems, pending: [], filed };
  }
  // Draft (never reported, or amended and not reported again) or returned: only what was filed and is unchanged.
  if (!version) return { revision: null, inForce: [], pending: currentItems, filed: false };
  const d = diffItems(version.items, currentItems);
  return { revision: version.revision, inForce: d.unchanged, pending: d.added, filed: true };
}

/** Pure: decides by matter alone (the joint-inspection guard of Art. 28 asks only that). */
export function filedPlanCovering(plan: Plan | undefined, current: readonly PlanItem[], version: PlanVersion | undefined, matterCode: string, year: number): PlanCoverage {
  if (!plan) {
    return { refusal: RoutineWithoutPlan.fail(null, 'reported', `本单位无${year}年度日常检查计划，不得实施日常检查（第十三条）`) };
  }
  const f = itemsInForce(plan, current, version);
  const matching = f.inForce.filter((i) => i.matterCode === matterCode);
  if (matching.length && f.revision !== null) return { plan, revision: f.revision, item: matching[0]!, items: matching, filed: f.filed };
  const pending = f.pending.some((i) => i.matterCode === matterCode);
  if (plan.state === 'returned' && pending) {
    const reason = plan.returnedReason ? `（退回理由：${plan.returnedReason}）` : '';
    return {
      refusal: RoutineWithoutPlan.fail({ matterCode, state: plan.state, returnedAt: plan.returnedAt?.toISOString() ?? null },
        'reported',
        `${year}年度日常检查计划已被司法行政部门退回${reason}，检查事项 ${matterCode} 须重新调整并报送备案后方可据此实施检查（第十四条）`,
      ),
    };
  }
  if (f.revision === null) {
    return { refusal: RoutineWithoutPlan.fail(plan.state, 'reported', `${year}年度日常检查计划尚未报送司法行政部门备案，不得实施日常检查（第十三条）`) };
  }
  if (pending) {
    return {
      refusal: PlanAmendedNotRefiled.fail({ matterCode, revision: plan.revision, filedRevision: f.revision, amendedAt: plan.amendedAt?.toISOString() ?? null },
        'reported',
        `${year}年度日常检查计划调整后（第${plan.revision}版）检查事项 ${matterCode} 的内容为新增或已变更，尚未报送备案，不得据此实施检查（第十四条第二款）`,
      ),
    };
  }
  return {
    refusal: RoutineWithoutPlan.fail(matterCode, f.inForce.map((i) => i.matterCode), `检查事项 ${matterCode} 未列入已报送备案的${year}年度日常检查计划（第十三条）`),
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
  ahead?: PlanReadAhead,
): Promise<PlanCoverage> {
  if (ahead) return filedPlanCovering(ahead.plan, ahead.items, ahead.version, matterCode, year);
  const plan = await findPlanFor(db, agencyCode, year, options.lock);
  if (!plan) return filedPlanCovering(undefined, [], undefined, matterCode, year);
  return filedPlanCovering(plan, await planItemsOf(db, plan.id), await lastFiledVersion(db, plan.id), matterCode, year);
}

/**
 * What findCoveringItem reads, when the caller read it with its other facts in one statement (the code issuance,
 * src/visits/issue-facts.ts): the plan of the year (held FOR SHARE), its items, its last filed version, the
 * counts of each matter (loadCoverageUsage) and the agency's district.
 */
export interface PlanReadAhead {
  plan: Plan | undefined;
  items: PlanItem[];
  version: PlanVersion | undefined;
  usage: ReadonlyMap<string, CoverageUsage>;
  districtCode: string | null;
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
  ahead?: PlanReadAhead,
): Promise<PlanCoverage> {
  const byMatter = await findFiledPlanCovering(db, agencyCode, q.matterCode, q.year, options, ahead);
  if ('refusal' in byMatter) return byMatter;
  const known = ahead?.usage.get(q.matterCode);
  const usage = known ? { ...known } : await loadCoverageUsage(db, agencyCode, q, excludeId);
  const districtCode = ahead ? ahead.districtCode : ((await findAgency(db, agencyCode))?.districtCode ?? null);
  usage.classPopulations = await classPopulations(db, districtCode, byMatter.items);
  const pick = pickCoveringItem(byMatter.items, q, usage);
  return 'refusal' in pick ? pick : { ...byMatter, item: pick.item };
}
