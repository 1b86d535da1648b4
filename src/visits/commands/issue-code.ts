import type { Principal } from '../../auth/principal.js';
import { newCodeId } from '../../codes/code-id.js';
import { effectiveStart, FROM_ISSUANCE_ZH, startsAtIssuance } from '../../codes/effective-start.js';
import type { CodeFacts } from '../../codes/facts.js';
import type { Keyring } from '../../codes/keyring.js';
import type { CommandScope } from '../../commands/command.js';
import type { Db } from '../../db/client.js';
import { inspectionCodes } from '../../db/schema/index.js';
import { DomainError } from '../../errors/domain-error.js';
import { shanghaiYear } from '../../time/shanghai-date.js';
import { assertOwnAgency } from '../../access/visits.js';
import { loadGuardFacts } from '../guard-facts.js';
import type { InspectionHooks } from '../hooks.js';
import { basicGuards } from '../guards.js';
import { outsideOrder } from '../order-scope.js';
import { SCOPE_NO_CODE } from '../../rules/scope.js';
import { knownFromGuardFacts, planAndCapChecks } from '../plan-checks.js';
import { findInspection, lockEnterprise, updateInspection } from '../repository.js';
import { nextState } from '../transition.js';

export interface IssuedCode {
  code: string;
  kid: string;
  signature: string;
  facts: CodeFacts;
  inspectionId: string;
  /** The effective start: the window's start, or the issuance instant when the window had already begun. */
  validFrom: string;
  validTo: string;
  /** The registered window's start, as the scheme recorded it. */
  windowStart: string;
  /** True when the window had begun before issuance: the code is valid only from its issuance. */
  validFromIssuance: boolean;
  /** zh-CN note for that case ("自签发时起生效"), else null. */
  validityNote: string | null;
}

/**
 * Issues the inspection code (Art. 17(1)) in one transaction: lock the enterprise, re-check every guard
 * with the counts as they are now, insert the code, move the inspection, write the audit entry. Two
 * requests racing for the last slot under a cap serialise on the lock; the second sees the first's code
 * in its count and is refused with FREQUENCY_CAP.
 */
export async function issueCode(tx: Db, { at, audit }: CommandScope, actor: Principal, keyring: Keyring, id: string, hooks: InspectionHooks): Promise<IssuedCode> {
  // The enterprise's lock first, then the row: the joint-task code takes the same locks in that order.
  const before = await findInspection(tx, id);
  if (!before) throw DomainError.notFound('行政检查', id);
  assertOwnAgency(actor, before.agencyCode);
  await lockEnterprise(tx, before.enterpriseCode);
  const i = (await findInspection(tx, id, true))!;
  // Art. 2 ¶2, 4: an inspection outside the Order gets no code under it.
  const outside = outsideOrder(i);
  if (outside) throw DomainError.fromRules([SCOPE_NO_CODE(outside)]);
  await hooks.beforeCode(tx, i); // 综合查一次: a joint part gets no code of its own
  // ONSITE_WITHOUT_APPROVAL (Art. 17(1)) is the machine's: a draft refuses ISSUE_CODE by that rule.
  const state = nextState(i, { type: 'ISSUE_CODE' });
  if (at >= i.windowEnd) throw DomainError.field('windowEnd', '登记的检查时间已过，不能再获取检查码；请修改检查方案的时间');
  const loaded = await loadGuardFacts(tx, i);
  const { facts, agency } = loaded;
  const plan = await planAndCapChecks(tx, i, knownFromGuardFacts(loaded));
  const failed = [...basicGuards(facts), ...plan.results].filter((r) => !r.passed);
  if (failed.length > 0) throw DomainError.fromRules(failed);

  const code = newCodeId(shanghaiYear(i.windowStart));
  const validFrom = effectiveStart(i.windowStart, at); // Art. 17(1): never vouches for a moment before it exists
  const fromIssuance = startsAtIssuance(i.windowStart, at);
  const codeFacts: CodeFacts = {
    code,
    inspectionId: i.id,
    agencies: [i.agencyCode],
    enterprise: i.enterpriseCode,
    matters: i.matterCodes,
    kind: i.kind,
    validFrom: validFrom.toISOString(),
    validTo: i.windowEnd.toISOString(),
    inspectorCount: i.inspectors.length,
  };
  const { kid, signature } = keyring.sign(codeFacts);
  await tx.insert(inspectionCodes).values({
    code,
    inspectionId: i.id,
    kid,
    signature,
    facts: codeFacts,
    validFrom,
    validTo: i.windowEnd,
    state: 'active',
    issuedBy: actor.sub,
    issuedAt: at,
  });
  await updateInspection(tx, i, { state, countsTowardCap: i.countsTowardCap && !plan.upperDeployed, planCoverage: plan.coverage }, at);
  await audit({
    action: 'inspection.code_issued',
    subjectType: 'inspection',
    subjectId: i.id,
    agencyCode: i.agencyCode,
    enterpriseCode: i.enterpriseCode,
    districtCode: agency.districtCode,
    before: i.state,
    after: state,
    payload: { code, kid, signature, validFrom: codeFacts.validFrom, windowStart: i.windowStart.toISOString(), checks: [...basicGuards(facts), ...plan.results].map((r) => ({ rule: r.rule, observed: r.observed, limit: r.limit })) },
  });
  await hooks.afterCode(tx, { at, audit }, actor, i); // JOINT_NOT_COORDINATED (Art. 26), once the code is issued
  return {
    code,
    kid,
    signature,
    facts: codeFacts,
    inspectionId: i.id,
    validFrom: codeFacts.validFrom,
    validTo: codeFacts.validTo,
    windowStart: i.windowStart.toISOString(),
    validFromIssuance: fromIssuance,
    validityNote: fromIssuance ? FROM_ISSUANCE_ZH : null,
  };
}
