import type { Db } from '../../db/client.js';
import type { Inspector } from '../../db/schema/index.js';
import { loadGuardFacts } from '../guard-facts.js';
import { basicGuards } from '../guards.js';
import { knownFromGuardFacts, planAndCapChecks } from '../plan-checks.js';
import type { Inspection } from '../repository.js';
import { jointMattersInPlans } from '../../plans/joint-in-plan.js';
import type { RuleResult } from '../../rules/result.js';
import type { JointTask, JointTaskUnit } from './tasks.repository.js';

/**
 * The guards of a joint visit (Art. 26–31, and Art. 29: 按照本办法第二章的规定组织开展): every unit passes
 * the guards of a single inspection on its own inspection row — authority, published matter, territory,
 * level, off-site first, and the frequency caps counted for that agency — plus JOINT_IN_PLAN for each
 * unit's matters, TEAM_TOO_SMALL on the whole team and JOINT_TEAM_TOO_LARGE on the officers of one visit.
 */

/** The officers of one visit: every unit taking part sends its own (possibly none, Art. 30). */
export const teamOf = (units: readonly JointTaskUnit[]): Inspector[] => units.filter((u) => u.state === 'accepted' || u.state === 'approved').flatMap((u) => u.inspectors);

// JOINT_TEAM_TOO_LARGE (Art. 31) is declared with the other joint rules; re-exported for the joint commands.
export { JOINT_TEAM_TOO_LARGE } from '../../rules/declarations/joint.js';

/** Names the unit in a result's detail, so a refusal says whose guard failed. */
const labelled = (r: RuleResult, unitName: string): RuleResult => (r.passed ? r : { ...r, detail: `【${unitName}】${r.detail ?? r.rule}` });

// The plan coverage of a joint part is JOINT_IN_PLAN (Art. 28), checked once per unit and matter.
const PLAN_COVERAGE_RULES = new Set(['ROUTINE_WITHOUT_PLAN', 'PLAN_AMENDED_NOT_REFILED']);

/** A unit's single-inspection guards on its part row, judged with the whole visit's team. */
export async function partGuards(tx: Db, part: Inspection, team: readonly Inspector[], unitName: string): Promise<RuleResult[]> {
  const loaded = await loadGuardFacts(tx, part);
  const { facts } = loaded;
  const basic = basicGuards({ ...facts, inspectors: [...team], teamExceptionBasis: null });
  const plan = await planAndCapChecks(tx, part, knownFromGuardFacts(loaded));
  return [...basic, ...plan.results.filter((r) => !PLAN_COVERAGE_RULES.has(r.rule))].map((r) => labelled(r, unitName));
}

export function planQuestion(task: Pick<JointTask, 'countedDate'>, units: readonly Pick<JointTaskUnit, 'agencyCode' | 'role' | 'matterCodes'>[]) {
  return { year: Number(task.countedDate.slice(0, 4)), participants: units.map((u) => ({ agencyCode: u.agencyCode, role: u.role, matterCodes: u.matterCodes })) };
}

/** JOINT_IN_PLAN for the given units (Art. 28). */
export async function planGuards(tx: Db, task: Pick<JointTask, 'countedDate'>, units: readonly Pick<JointTaskUnit, 'agencyCode' | 'role' | 'matterCodes'>[]): Promise<RuleResult[]> {
  return jointMattersInPlans(tx, planQuestion(task, units));
}
