import type { Principal } from '../../auth/principal.js';
import { newCodeId } from '../../codes/code-id.js';
import { effectiveStart, FROM_ISSUANCE_ZH, startsAtIssuance } from '../../codes/effective-start.js';
import type { CodeFacts } from '../../codes/facts.js';
import type { Keyring } from '../../codes/keyring.js';
import type { CommandScope } from '../../commands/command.js';
import type { Db } from '../../db/client.js';
import { ShapedStatements } from '../../db/shaped-statement.js';
import { inspectionCodes, inspections } from '../../db/schema/index.js';
import { DomainError } from '../../errors/domain-error.js';
import type { RuleResult } from '../../rules/result.js';
import { shanghaiYear } from '../../time/shanghai-date.js';
import { assertOwnAgency } from '../../access/visits.js';
import { loadGuardFacts } from '../guard-facts.js';
import type { InspectionHooks } from '../hooks.js';
import { basicGuards } from '../guards.js';
import { outsideOrder } from '../order-scope.js';
import { SCOPE_NO_CODE } from '../../rules/declarations/scope.js';
import { knownFromGuardFacts, planAndCapChecks } from '../plan-checks.js';
import { updateInspection, type Inspection, type NewInspection } from '../repository.js';
import { countLockKeys, lockForCount, samplingCovered } from '../count-locks.js';
import { lockAndPeek, readIssueFacts, sameKeys } from '../issue-facts.js';
import { and, eq, sql } from 'drizzle-orm';
import type { DrawnAuditId } from '../../audit/append.js';
import { nextState } from '../transition.js';

/** The signed code of one visit, as both the single inspection and the joint task answer it. */
export interface IssuedVisitCode {
  code: string;
  kid: string;
  signature: string;
  /** The v2 signature the printed QR carries (docs/CODE-FORMAT.md §5). */
  compactSignature: string;
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

export type IssuedCode = IssuedVisitCode;

/**
 * One visit to code: one enterprise, one window, one team, and its agency parts (the inspection rows:
 * one for a single inspection, one per participating unit for a joint visit). The code hangs on `lead`.
 */
export interface VisitToCode {
  lead: Inspection;
  parts: readonly Inspection[];
  agencies: string[];
  matters: string[];
  kind: CodeFacts['kind'];
  windowStart: Date;
  windowEnd: Date;
  inspectorCount: number;
  /** Every issuance rule's failed results: the machine's noRuleFailed guard refuses the code by them. */
  failed: readonly RuleResult[];
  /** What else a part's row records with its code (the plan coverage, the joint team). */
  patch?: (part: Inspection) => Partial<NewInspection>;
  /** The part's audit payload besides the code. */
  payload: (part: Inspection, signed: { kid: string; signature: string; validFrom: string }) => object;
  districtOf: (part: Inspection) => Promise<string | null>;
  /** The audit entry's id, drawn with the facts (a single part only): the code, the move and the entry are then one statement. */
  drawnAudit?: DrawnAuditId;
}

/**
 * The single-part issuance's code row and move, as the head of one WITH statement (the audit entry's CTEs and the
 * final count follow, built per call): rendered once per shape (src/db/shaped-statement.ts), since drizzle's
 * rendering of the insert and the update cost about as much CPU as the rest of the write.
 */
const writesStatement = new ShapedStatements<Record<string, unknown>, { patch: string[] }>((tx, v, shape) => {
  const codeRow = tx.insert(inspectionCodes).values({
    code: v.code, inspectionId: v.inspectionId, kid: v.kid, signature: v.signature, compactSignature: v.compactSignature, facts: v.facts,
    validFrom: v.validFrom, validTo: v.validTo, state: 'active', issuedBy: v.issuedBy, issuedAt: v.at,
  } as typeof inspectionCodes.$inferInsert);
  const moved = tx
    .update(inspections)
    .set({ state: v.after, ...Object.fromEntries(shape.patch.map((k) => [k, v[`patch.${k}`]])), version: v.nextVersion, updatedAt: v.at } as Partial<NewInspection>)
    .where(and(eq(inspections.id, v.partId as string), eq(inspections.version, v.version as number)))
    .returning({ id: inspections.id });
  return sql`WITH code_row AS (${codeRow.getSQL()}), moved AS (${moved.getSQL()}), `;
});

/**
 * Issues a visit's code (Art. 17(1), and Art. 29 for a joint visit): every part's transition is decided
 * first (the machine refuses by the failed rules or by the state), then the code — a new id, the facts,
 * the signature (the one place a code is signed), the row — and each part moves with its audit entry.
 * The caller holds the enterprise's lock and has re-read the parts under it.
 */
export async function issueVisitCode(tx: Db, scope: CommandScope, actor: Principal, keyring: Keyring, v: VisitToCode): Promise<IssuedVisitCode> {
  const { at, audit } = scope;
  const moves = v.parts.map((part) => ({ part, after: nextState(part, { type: 'ISSUE_CODE', failed: v.failed }) }));
  const code = newCodeId(shanghaiYear(v.windowStart));
  const validFrom = effectiveStart(v.windowStart, at); // Art. 17(1): never vouches for a moment before it exists
  const fromIssuance = startsAtIssuance(v.windowStart, at);
  const facts: CodeFacts = {
    code,
    inspectionId: v.lead.id,
    agencies: v.agencies,
    enterprise: v.lead.enterpriseCode,
    matters: v.matters,
    kind: v.kind,
    validFrom: validFrom.toISOString(),
    validTo: v.windowEnd.toISOString(),
    inspectorCount: v.inspectorCount,
  };
  const { kid, signature, compactSignature } = keyring.sign(facts);
  const codeRow = () => tx.insert(inspectionCodes).values({ code, inspectionId: v.lead.id, kid, signature, compactSignature, facts, validFrom, validTo: v.windowEnd, state: 'active', issuedBy: actor.sub, issuedAt: at });
  const single = moves.length === 1 && v.drawnAudit && scope.auditCtes ? moves[0]! : null;
  if (single) {
    // One round trip for the three writes: the code, the row's move (checked against the version it was read
    // at) and its audit entry, whose id was drawn with the facts so its MAC covers it (src/audit/append.ts).
    const { part, after } = single;
    const entry = scope.auditCtes!(
      {
        action: 'inspection.code_issued', subjectType: 'inspection', subjectId: part.id, agencyCode: part.agencyCode, enterpriseCode: part.enterpriseCode,
        districtCode: v.drawnAudit!.districtCode, before: part.state, after, payload: { code, ...v.payload(part, { kid, signature, validFrom: facts.validFrom }) },
      },
      v.drawnAudit!,
    );
    // The code and the move are rendered once per shape (the patch's columns); the audit entry, built from the values, on each call.
    const patch = Object.entries(v.patch?.(part) ?? {}).filter(([, value]) => value !== undefined);
    const res = await writesStatement.execute<{ n: string | number }>(
      tx,
      { patch: patch.map(([k]) => k) },
      {
        code, inspectionId: v.lead.id, kid, signature, compactSignature, facts, validFrom, validTo: v.windowEnd, issuedBy: actor.sub, at,
        partId: part.id, after, version: part.version, nextVersion: part.version + 1, ...Object.fromEntries(patch.map(([k, value]) => [`patch.${k}`, value])),
      },
      sql`${entry} SELECT count(*) AS n FROM moved`,
    );
    if (Number(res.rows[0]?.n ?? 0) === 0) throw new DomainError('VERSION_CONFLICT', '检查记录已被他人修改，请刷新后重试');
  } else await codeRow();
  for (const { part, after } of single ? [] : moves) {
    await updateInspection(tx, part, { state: after, ...v.patch?.(part) }, at);
    await audit({
      action: 'inspection.code_issued',
      subjectType: 'inspection',
      subjectId: part.id,
      agencyCode: part.agencyCode,
      enterpriseCode: part.enterpriseCode,
      districtCode: await v.districtOf(part),
      before: part.state,
      after,
      payload: { code, ...v.payload(part, { kid, signature, validFrom: facts.validFrom }) },
    });
  }
  return {
    code,
    kid,
    signature,
    compactSignature,
    facts,
    inspectionId: v.lead.id,
    validFrom: facts.validFrom,
    validTo: facts.validTo,
    windowStart: v.windowStart.toISOString(),
    validFromIssuance: fromIssuance,
    validityNote: fromIssuance ? FROM_ISSUANCE_ZH : null,
  };
}

/**
 * Issues a single inspection's code (Art. 17(1)) in one transaction: lock the enterprise, re-check every guard
 * with the counts as they are now, insert the code, move the inspection, write the audit entry. Two
 * requests racing for the last slot under a cap serialise on the lock; the second sees the first's code
 * in its count and is refused with FREQUENCY_CAP. Two requests for different enterprises racing for the last
 * place of a class plan item's sampling ratio serialise on the sampling key's lock, and the second is refused
 * with ROUTINE_WITHOUT_PLAN (第十三条).
 */
export async function issueCode(tx: Db, scope: CommandScope, actor: Principal, keyring: Keyring, id: string, hooks: InspectionHooks): Promise<IssuedCode> {
  // The locks first, then the row: the enterprise's (the joint-task code takes it before its rows too) and the
  // sampling keys' of the row's class plan items (Art. 13 检查比例), in one statement and one order
  // (src/visits/count-locks.ts). Round trips (issue 27, ≤ 5 with BEGIN and COMMIT): the locks, the facts
  // (src/visits/issue-facts.ts), the writes.
  const peek = await lockAndPeek(tx, id);
  if (!peek) throw DomainError.notFound('行政检查', id);
  const before = peek.row;
  assertOwnAgency(actor, before.agencyCode);
  const read = await readIssueFacts(tx, before, hooks);
  const i = read.row!;
  // The row changed its keys between the peek and the lock (an edit committed in between), or its plan gained a
  // class item for one of its matters (filed in between, so its sampling key is not locked): the row's own keys
  // are locked and its facts read again, after the locks.
  const ahead = sameKeys(before, i) && samplingCovered(read.plan?.items ?? [], i.matterCodes, peek.sampled) ? read : undefined;
  if (!ahead) await lockForCount(tx, countLockKeys(i));
  // Art. 2 ¶2, 4: an inspection outside the Order gets no code under it.
  const outside = outsideOrder(i);
  if (outside) throw DomainError.fromRules([SCOPE_NO_CODE(outside)]);
  await hooks.beforeCode(tx, i, ahead?.hooks); // 综合查一次: a joint part gets no code of its own
  // ONSITE_WITHOUT_APPROVAL (Art. 17(1)) is the machine's: a draft refuses ISSUE_CODE by that rule.
  nextState(i, { type: 'ISSUE_CODE', failed: [] });
  if (scope.at >= i.windowEnd) throw DomainError.field('windowEnd', '登记的检查时间已过，不能再获取检查码；请修改检查方案的时间');
  const loaded = await loadGuardFacts(tx, i, ahead?.guard);
  const plan = await planAndCapChecks(tx, i, knownFromGuardFacts(loaded), ahead && { plan: ahead.plan, frequency: ahead.frequency });
  const checks = [...basicGuards(loaded.facts), ...plan.results];
  const issued = await issueVisitCode(tx, scope, actor, keyring, {
    lead: i,
    parts: [i],
    agencies: [i.agencyCode],
    matters: i.matterCodes,
    kind: i.kind,
    windowStart: i.windowStart,
    windowEnd: i.windowEnd,
    inspectorCount: i.inspectors.length,
    failed: checks.filter((r) => !r.passed),
    patch: () => ({ countsTowardCap: i.countsTowardCap && !plan.upperDeployed, planCoverage: plan.coverage }),
    payload: (_p, s) => ({ ...s, windowStart: i.windowStart.toISOString(), checks: checks.map((r) => ({ rule: r.rule, observed: r.observed, limit: r.limit })) }),
    districtOf: async () => loaded.agency.districtCode,
    drawnAudit: ahead?.audit,
  });
  await hooks.afterCode(tx, scope, actor, i, ahead?.hooks); // JOINT_NOT_COORDINATED (Art. 26), once the code is issued
  return issued;
}
