import { and, eq, inArray } from 'drizzle-orm';
import { caseMergeableAdvice } from '../../rules/declarations/plans.js';
import type { Principal } from '../../auth/principal.js';
import type { CommandScope } from '../../commands/command.js';
import type { Db } from '../../db/client.js';
import { declarations, inspections, type Inspector } from '../../db/schema/index.js';
import { DomainError } from '../../errors/domain-error.js';
import type { RuleResult } from '../../rules/result.js';
import { shanghaiDate } from '../../time/shanghai-date.js';
import { assertOwnAgency } from '../../access/visits.js';
import type { Coordination } from '../coordination-advice.js';
import { checkFollowUpOf } from '../follow-up.js';
import { outsideOrder } from '../order-scope.js';
import { loadGuardFacts } from '../guard-facts.js';
import { basicGuards } from '../guards.js';
import { CASE_WITHOUT_LEAD } from '../../rules/declarations/onsite.js';
import type { InspectionHooks } from '../hooks.js';
import { knownFromGuardFacts, planAndCapChecks } from '../plan-checks.js';
import { insertInspection, type Inspection } from '../repository.js';
import { newRowId } from '../../db/ids.js';
import { checkExcludedRelation } from '../../declarations/excluded-relation.js';
import { recordInspectionDeclarations } from '../../declarations/inspection-declarations.js';
import { teamExceptionText, type TeamExceptionBasis } from '../../declarations/team-exception.js';
import { recognisedResults, type RecognisedResult } from '../recognised-results.js';

export interface DraftInput {
  agencyCode: string;
  enterpriseCode: string;
  kind: 'routine' | 'special' | 'case';
  mode: 'onsite' | 'offsite';
  matterCodes: string[];
  windowStart: string;
  windowEnd: string;
  inspectors: Inspector[];
  checklist: string[];
  planId?: string;
  specialPlanId?: string;
  leadKind?: string;
  leadRef?: string;
  /** Art. 18(1) 法律另有规定: the law and article that allow fewer than two inspectors (never free text). */
  teamExceptionBasis?: TeamExceptionBasis;
  assistanceRef?: string;
  escalationGround?: string;
  /** Art. 11 ¶2: the document of a designation / assignment or the upper authority's rule. */
  escalationRef?: string;
  onsiteReason?: string;
  /** Why the scheme is submitted although the pre-check failed rules (evidence for the head, issue 24). */
  failedChecksReason?: string;
  /** Art. 32: an on-site follow-up of an off-site plan item, and why off-site cannot reach the inspection's aim. */
  offsiteFollowUpReason?: string;
  excludedRelation?: 'subordinate_unit' | 'soe_supervision';
  /** The inspection whose stop or rectification order this one follows up (Art. 20). */
  followUpOf?: string;
  /** Art. 26: why the agency goes ahead alone when a joint visit is possible (recorded, not refused). */
  aloneReason?: string;
}

// A scheme covers one visit; a window longer than a month is not a visit but a campaign.
const MAX_WINDOW_MS = 31 * 24 * 3600 * 1000;

export interface Drafted {
  inspection: Inspection;
  /** Every guard evaluated now, so the officer sees problems before asking for approval. */
  checks: RuleResult[];
  /** CASE_MERGEABLE: planned, not yet executed tasks of the agency at the enterprise (Art. 13). */
  mergeCandidates: string[];
  /** Art. 26 (应协同尽协同): other agencies' overlapping visits, joinable joint tasks, joint-list entries. */
  coordination?: Coordination;
  /** Art. 24, 40(7) (检查结果互认): recent results of other agencies and platforms for the same matters. */
  recognisedResults?: RecognisedResult[];
  /** Fields that relaxed a rule and that the registry could not confirm: on the register for the supervisors. */
  declarations?: { kind: string; value: Record<string, unknown> }[];
}

export function validateWindow(start: string, end: string): { windowStart: Date; windowEnd: Date } {
  const windowStart = new Date(start);
  const windowEnd = new Date(end);
  if (!(windowEnd > windowStart)) throw DomainError.field('body.windowEnd', '结束时间须晚于开始时间');
  if (windowEnd.getTime() - windowStart.getTime() > MAX_WINDOW_MS) throw DomainError.field('body.windowEnd', '一次检查的时间窗口不得超过 31 天');
  return { windowStart, windowEnd };
}

export async function mergeCandidates(tx: Db, agencyCode: string, enterpriseCode: string): Promise<string[]> {
  const rows = await tx
    .select({ id: inspections.id })
    .from(inspections)
    .where(
      and(
        eq(inspections.agencyCode, agencyCode),
        eq(inspections.enterpriseCode, enterpriseCode),
        inArray(inspections.kind, ['routine', 'special']),
        inArray(inspections.state, ['draft', 'approved', 'code_issued']),
      ),
    );
  return rows.map((r) => r.id);
}

export async function draftInspection(
  tx: Db,
  { at, audit }: CommandScope,
  actor: Principal,
  input: DraftInput,
  hooks: InspectionHooks,
  resultsRecognisedDays: number,
): Promise<Drafted> {
  assertOwnAgency(actor, input.agencyCode);
  const { windowStart, windowEnd } = validateWindow(input.windowStart, input.windowEnd);
  const row = {
    id: newRowId(),
    agencyCode: input.agencyCode,
    enterpriseCode: input.enterpriseCode,
    kind: input.kind,
    mode: input.mode,
    state: 'draft',
    matterCodes: [...new Set(input.matterCodes)],
    planId: input.planId ?? null,
    specialPlanId: input.specialPlanId ?? null,
    leadKind: input.leadKind ?? null,
    leadRef: input.leadRef ?? null,
    windowStart,
    windowEnd,
    countedDate: shanghaiDate(windowStart),
    countsTowardCap: input.kind !== 'case',
    inspectors: input.inspectors,
    checklist: input.checklist,
    teamExceptionBasis: teamExceptionText(input.teamExceptionBasis),
    assistanceRef: input.assistanceRef ?? null,
    escalationGround: input.escalationGround ?? null,
    escalationRef: input.escalationRef ?? null,
    onsiteReason: input.onsiteReason ?? null,
    failedChecksReason: input.failedChecksReason ?? null,
    offsiteFollowUpReason: input.offsiteFollowUpReason?.trim() || null,
    excludedRelation: input.excludedRelation ?? null,
    followUpOf: input.followUpOf ?? null,
    createdBy: actor.sub,
    createdAt: at,
    updatedAt: at,
  };
  const loaded = await loadGuardFacts(tx, row);
  await checkFollowUpOf(tx, row);
  // Art. 2 ¶2 is evidence, not a switch: a relation the registry contradicts is refused; one it is silent on
  // is declared for the supervisors and the Order applies meanwhile (docs/COMPLIANCE.md, 第二条).
  const declaredRelation = row.excludedRelation && (await checkExcludedRelation(tx, loaded.agency, loaded.enterprise, row.excludedRelation)) === 'declared' ? row.excludedRelation : null;
  if (declaredRelation) row.excludedRelation = null;
  const entityScope = loaded.enterprise.scope;
  // Art. 2 ¶2, 4: outside the Order none of its guards, caps, codes or advice apply; it is recorded as such.
  const outside = outsideOrder({ excludedRelation: row.excludedRelation, entityScope });
  // One audit entry per draft, whichever way it went.
  const drafted = (inspection: Inspection, payload: Record<string, unknown>) =>
    audit({
      action: 'inspection.drafted',
      subjectType: 'inspection',
      subjectId: inspection.id,
      agencyCode: inspection.agencyCode,
      enterpriseCode: inspection.enterpriseCode,
      districtCode: loaded.agency.districtCode,
      after: 'draft',
      payload: { ...input, ...payload },
    });
  if (outside) {
    const inspection = await insertInspection(tx, { ...row, entityScope, countsTowardCap: false });
    await drafted(inspection, { entityScope, outsideOrder: outside.rule });
    return { inspection, checks: [outside], mergeCandidates: [] };
  }
  // A case inspection without a lead cannot even be drafted (Art. 9, 13).
  const lead = CASE_WITHOUT_LEAD(loaded.facts);
  if (!lead.passed) throw DomainError.fromRules([lead]);
  const plan = await planAndCapChecks(tx, { ...row, id: row.id }, knownFromGuardFacts(loaded));
  const inspection = await insertInspection(tx, {
    ...row,
    entityScope,
    countsTowardCap: row.countsTowardCap && !plan.upperDeployed,
    planCoverage: plan.coverage,
  });
  const candidates = input.kind === 'case' && input.mode === 'onsite' ? await mergeCandidates(tx, input.agencyCode, input.enterpriseCode) : [];
  const checks = [...basicGuards(loaded.facts), ...plan.results];
  const coordination = await hooks.adviseDraft(tx, { at, audit }, actor, inspection, input.aloneReason);
  if (candidates.length > 0) {
    checks.push(caseMergeableAdvice(candidates));
  }
  const recognised = await recognisedResults(tx, inspection, resultsRecognisedDays);
  await drafted(inspection, { entityScope: inspection.entityScope, failedChecks: checks.filter((c) => !c.passed).map((c) => c.rule), recognisedResults: recognised.map((r) => r.inspectionId) });
  const declarations = await recordInspectionDeclarations(tx, { at, audit }, actor, inspection, loaded.facts, loaded.agency.districtCode, declaredRelation);
  return { inspection, checks, mergeCandidates: candidates, coordination, recognisedResults: recognised, declarations };
}

export type DraftPatch = Partial<Omit<DraftInput, 'agencyCode' | 'enterpriseCode' | 'kind' | 'mode'>>;

/** Edits a scheme still in draft (approval fixes it); answers with the checks re-evaluated. */
export async function amendDraft(tx: Db, { at, audit }: CommandScope, actor: Principal, id: string, patch: DraftPatch, hooks: InspectionHooks): Promise<Drafted> {
  const [current] = await tx.select().from(inspections).where(eq(inspections.id, id)).for('update');
  if (!current) throw DomainError.notFound('行政检查', id);
  assertOwnAgency(actor, current.agencyCode);
  if (current.state !== 'draft') {
    throw new DomainError('INVALID_TRANSITION', '检查方案已批准，不能再修改；如需变更请取消后重新制定', { currentState: current.state, allowedEvents: [] });
  }
  const window =
    patch.windowStart || patch.windowEnd
      ? validateWindow(patch.windowStart ?? current.windowStart.toISOString(), patch.windowEnd ?? current.windowEnd.toISOString())
      : undefined;
  const next = {
    ...current,
    ...(patch.matterCodes ? { matterCodes: [...new Set(patch.matterCodes)] } : {}),
    ...(patch.inspectors ? { inspectors: patch.inspectors } : {}),
    ...(patch.checklist ? { checklist: patch.checklist } : {}),
    ...(window ? { ...window, countedDate: shanghaiDate(window.windowStart) } : {}),
    ...Object.fromEntries(
      (['planId', 'specialPlanId', 'leadKind', 'leadRef', 'teamExceptionBasis', 'assistanceRef', 'escalationGround', 'escalationRef', 'onsiteReason', 'failedChecksReason', 'offsiteFollowUpReason', 'excludedRelation'] as const)
        .filter((k) => patch[k] !== undefined)
        .map((k) => [k, k === 'teamExceptionBasis' ? teamExceptionText(patch.teamExceptionBasis) : patch[k]]),
    ),
  } as Inspection;
  const loaded = await loadGuardFacts(tx, next);
  // The relation in effect is only one the registry holds; a declared one is re-judged on every amendment.
  const relation = (patch.excludedRelation ?? (await declaredRelationOf(tx, id)) ?? next.excludedRelation) as 'subordinate_unit' | 'soe_supervision' | null;
  const declaredRelation = relation && (await checkExcludedRelation(tx, loaded.agency, loaded.enterprise, relation)) === 'declared' ? relation : null;
  next.excludedRelation = declaredRelation ? null : relation;
  const outside = outsideOrder(next);
  const lead = CASE_WITHOUT_LEAD(loaded.facts);
  if (!outside && !lead.passed) throw DomainError.fromRules([lead]);
  const plan = outside ? null : await planAndCapChecks(tx, next, knownFromGuardFacts(loaded));
  // Whether it counts toward the caps follows the amended scheme (Art. 2 ¶2 relation, Art. 15 kind).
  next.countsTowardCap = !outside && next.kind !== 'case' && !plan?.upperDeployed;
  const { id: _id, version, createdAt: _c, ...fields } = next;
  const [inspection] = await tx
    .update(inspections)
    .set({ ...fields, planCoverage: plan?.coverage ?? null, version: version + 1, updatedAt: at })
    .where(and(eq(inspections.id, id), eq(inspections.version, version)))
    .returning();
  await audit({
    action: 'inspection.amended',
    subjectType: 'inspection',
    subjectId: id,
    agencyCode: current.agencyCode,
    enterpriseCode: current.enterpriseCode,
    districtCode: loaded.agency.districtCode,
    before: 'draft',
    after: 'draft',
    payload: patch,
  });
  const declarations = outside ? [] : await recordInspectionDeclarations(tx, { at, audit }, actor, inspection!, loaded.facts, loaded.agency.districtCode, declaredRelation);
  // A new window, matters or team may bring the visit within reach of another agency's (Art. 26 proposals).
  if (!outside && (window || patch.matterCodes || patch.inspectors)) await hooks.afterSchemeChange(tx, { at, audit }, actor, inspection!, 'amended');
  return { inspection: inspection!, checks: outside ? [outside] : [...basicGuards(loaded.facts), ...plan!.results], mergeCandidates: [], declarations };
}

/** The Art. 2 ¶2 relation a draft declared and the registry could not confirm (its pending register entry). */
async function declaredRelationOf(tx: Db, inspectionId: string): Promise<string | null> {
  const [row] = await tx
    .select({ value: declarations.value })
    .from(declarations)
    .where(and(eq(declarations.kind, 'excluded_relation'), eq(declarations.subjectType, 'inspection'), eq(declarations.subjectId, inspectionId), eq(declarations.status, 'pending')));
  return (row?.value as { relation?: string } | undefined)?.relation ?? null;
}
