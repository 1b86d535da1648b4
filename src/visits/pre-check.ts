import { randomUUID } from 'node:crypto';
import { caseMergeableAdvice } from '../rules/declarations/plans.js';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/client.js';
import type { RuleResult } from '../rules/result.js';
import { shanghaiDate } from '../time/shanghai-date.js';
import { assertOwnAgency } from '../access/visits.js';
import { mergeCandidates, validateWindow, type DraftInput } from './commands/draft.js';
import { checkFollowUpOf } from './follow-up.js';
import { loadGuardFacts } from './guard-facts.js';
import { basicGuards } from './guards.js';
import { outsideOrder } from './order-scope.js';
import { relationStanding } from '../declarations/excluded-relation.js';
import { teamExceptionText } from '../declarations/team-exception.js';
import { knownFromGuardFacts, planAndCapChecks } from './plan-checks.js';

/**
 * The pre-check (预检) of a scheme being filled in: the same pure guards and plan/cap checks that drafting
 * runs (src/visits/commands/draft.ts), over the form as it stands, writing nothing — no inspection,
 * no audit entry, no flag. The officers' app calls it while the form changes, so every rule's result and
 * article is in view before the scheme is submitted. Unlike drafting, a case inspection without a lead is
 * one failed result here rather than a refusal: the form is not finished yet.
 */
export async function preCheckDraft(tx: Db, actor: Principal, input: DraftInput): Promise<{ checks: RuleResult[]; underOrder: boolean }> {
  assertOwnAgency(actor, input.agencyCode);
  const { windowStart } = validateWindow(input.windowStart, input.windowEnd);
  const row = {
    id: randomUUID(),
    agencyCode: input.agencyCode,
    enterpriseCode: input.enterpriseCode,
    kind: input.kind,
    mode: input.mode,
    matterCodes: [...new Set(input.matterCodes)],
    specialPlanId: input.specialPlanId ?? null,
    countedDate: shanghaiDate(windowStart),
    inspectors: input.inspectors,
    teamExceptionBasis: teamExceptionText(input.teamExceptionBasis),
    assistanceRef: input.assistanceRef ?? null,
    escalationGround: input.escalationGround ?? null,
    escalationRef: input.escalationRef ?? null,
    onsiteReason: input.onsiteReason ?? null,
    offsiteFollowUpReason: input.offsiteFollowUpReason?.trim() || null,
    leadKind: input.leadKind ?? null,
    leadRef: input.leadRef ?? null,
    excludedRelation: input.excludedRelation ?? null,
    followUpOf: input.followUpOf ?? null,
  };
  const loaded = await loadGuardFacts(tx, row);
  await checkFollowUpOf(tx, row);
  // Art. 2 ¶2 as drafting judges it: contradicted is one failed result here; a relation the registry is
  // silent on leaves the Order's checks in force (it would be declared for the supervisors).
  if (row.excludedRelation) {
    const standing = await relationStanding(tx, loaded.agency, loaded.enterprise, row.excludedRelation);
    if (standing.state === 'contradicted') return { checks: [standing.result], underOrder: true };
    if (standing.state === 'declared') row.excludedRelation = null;
  }
  const outside = outsideOrder({ excludedRelation: row.excludedRelation, entityScope: loaded.enterprise.scope });
  if (outside) return { checks: [outside], underOrder: false };
  const plan = await planAndCapChecks(tx, row, knownFromGuardFacts(loaded));
  const checks = [...basicGuards(loaded.facts), ...plan.results];
  if (input.kind === 'case' && input.mode === 'onsite') {
    const candidates = await mergeCandidates(tx, input.agencyCode, input.enterpriseCode);
    if (candidates.length > 0) {
      checks.push(caseMergeableAdvice(candidates));
    }
  }
  return { checks, underOrder: true };
}
