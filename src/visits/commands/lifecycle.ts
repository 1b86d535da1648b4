import { eq } from 'drizzle-orm';
import type { InspectionEvent } from '../../../machines/inspection.machine.js';
import type { Principal } from '../../auth/principal.js';
import type { CommandScope } from '../../commands/command.js';
import type { Db } from '../../db/client.js';
import { inspectionCodes } from '../../db/schema/index.js';
import { DomainError } from '../../errors/domain-error.js';
import { findAgency } from '../../registry/agencies.repository.js';
import { assertOwnAgency } from '../../access/visits.js';
import { loadGuardFacts } from '../guard-facts.js';
import { basicGuards } from '../guards.js';
import type { InspectionHooks, InspectionStep } from '../hooks.js';
import { outsideOrder } from '../order-scope.js';
import { approvedKnowingly } from '../approval-checks.js';
import { findCode, findInspection, updateInspection, type Inspection, type NewInspection } from '../repository.js';
import { nextState } from '../transition.js';
import type { RevocationCategory } from '../../codes/revocation.js';

export interface StepSpec {
  event: InspectionEvent;
  action: string;
  /** Only the agency head may take this step (Art. 17(1): the head approves the scheme). */
  headOnly?: boolean;
  patch?: (i: Inspection, at: Date) => Partial<NewInspection>;
  /** Extra checks on the loaded row, inside the transaction; what it returns is added to the audit payload. */
  check?: (tx: Db, i: Inspection, at: Date) => Promise<void | Record<string, unknown>>;
  payload?: unknown;
  /** Set when the step revokes the code (Art. 17(1) code revocation), so other flows see what is asked. */
  revokes?: { code: string; reason: string; category: RevocationCategory };
  /** Set when the step fixes the scheme (the head's approval), so other flows may act on it (Art. 26 proposals). */
  changesScheme?: 'approved';
}

/** One state step of an inspection: lock, authorise, transition, write, audit. */
export async function stepInspection(tx: Db, { at, audit }: CommandScope, actor: Principal, id: string, spec: StepSpec, hooks: InspectionHooks): Promise<Inspection> {
  const i = await findInspection(tx, id, true);
  if (!i) throw DomainError.notFound('行政检查', id);
  const step: InspectionStep = spec.revokes ? { type: 'revoke_code', ...spec.revokes } : { type: 'event', event: spec.event };
  const taken = await hooks.onStep(tx, { at, audit }, actor, i, step); // a joint task's part: revocation cancels the visit, other steps go through the task
  if (taken) return taken;
  assertOwnAgency(actor, i.agencyCode);
  if (spec.headOnly && actor.role !== 'agency_head') throw new DomainError('FORBIDDEN_ROLE', '此操作须由行政执法主体负责人办理');
  // The machine decides first: a check may write (flags, the code's state), and nothing is written for a
  // step the row's state does not allow.
  const state = nextState(i, spec.event);
  const checked = await spec.check?.(tx, i, at);
  const payload = checked ? { ...((spec.payload ?? {}) as Record<string, unknown>), ...checked } : (spec.payload ?? {});
  const out = await writePart(tx, { at, audit }, i, state, spec.action, { patch: spec.patch?.(i, at), payload });
  if (spec.changesScheme) await hooks.afterSchemeChange(tx, { at, audit }, actor, out, spec.changesScheme);
  return out;
}

/**
 * Writes one part row of a visit after the machine allowed its step, with the part's audit entry. A single
 * inspection's steps and a joint visit's (every part together) write through here.
 */
export async function writePart(
  tx: Db,
  { at, audit }: Pick<CommandScope, 'at' | 'audit'>,
  part: Inspection,
  state: string,
  action: string,
  { patch = {}, payload = {} }: { patch?: Partial<NewInspection>; payload?: unknown },
): Promise<Inspection> {
  const out = await updateInspection(tx, part, { ...patch, state }, at);
  await audit({
    action,
    subjectType: 'inspection',
    subjectId: part.id,
    agencyCode: part.agencyCode,
    enterpriseCode: part.enterpriseCode,
    districtCode: (await findAgency(tx, part.agencyCode))?.districtCode ?? null,
    before: part.state,
    after: state,
    payload,
  });
  return out;
}

/** The code row follows the visit: closed with it (Art. 18(6)); `which` is the visit's lead row or its code. */
export async function closeVisitCode(tx: Db, which: { inspectionId: string } | { code: string }): Promise<void> {
  await tx.update(inspectionCodes).set({ state: 'closed' }).where(codeWhere(which));
}

/** Revokes the visit's code at once (the public check shows it), with the reason and its category. */
export async function revokeVisitCode(tx: Db, which: { inspectionId: string } | { code: string }, actor: Principal, reason: string, category: RevocationCategory, at: Date): Promise<void> {
  await tx.update(inspectionCodes).set({ state: 'revoked', revokedReason: reason, revokedCategory: category, revokedBy: actor.sub, revokedAt: at }).where(codeWhere(which));
}

const codeWhere = (which: { inspectionId: string } | { code: string }) => ('code' in which ? eq(inspectionCodes.code, which.code) : eq(inspectionCodes.inspectionId, which.inspectionId));

export const approveSpec = (actor: Principal, note?: string): StepSpec => ({
  event: { type: 'APPROVE' },
  action: 'inspection.approved',
  headOnly: true,
  patch: (_i, at) => ({ approvedBy: actor.sub, approvedAt: at }),
  check: (tx, i) => approvedKnowingly(tx, i),
  payload: { note: note ?? null },
  changesScheme: 'approved',
});

/** The head returns a draft for correction with a reason; it stays a draft for its drafter to amend. */
export const returnSpec = (actor: Principal, reason: string): StepSpec => ({
  event: { type: 'RETURN' },
  action: 'inspection.returned',
  headOnly: true,
  payload: { reason, by: actor.sub },
});

/**
 * An on-site case inspection starts without a code, but the same guards hold (no caps: Art. 15). One
 * outside the Order (Art. 2 ¶2, 4) starts without a code too, and none of the Order's guards apply to it.
 */
export const startSpec = (): StepSpec => ({
  event: { type: 'START' },
  action: 'inspection.started',
  check: async (tx, i) => {
    if (outsideOrder(i)) return;
    const { facts } = await loadGuardFacts(tx, i);
    const failed = basicGuards(facts).filter((r) => !r.passed);
    if (failed.length) throw DomainError.fromRules(failed);
  },
});

export const notifySpec = (method: string, note?: string): StepSpec => ({
  event: { type: 'NOTIFY_RESULT' },
  action: 'inspection.result_notified',
  patch: (_i, at) => ({ resultNotifiedAt: at }),
  payload: { method, note: note ?? null },
});

export const closeSpec = (): StepSpec => ({
  event: { type: 'CLOSE' },
  action: 'inspection.closed',
  patch: (_i, at) => ({ closedAt: at }),
  check: (tx, i) => closeVisitCode(tx, { inspectionId: i.id }),
});

export const archiveSpec = (archiveRef: string): StepSpec => ({
  event: { type: 'ARCHIVE' },
  action: 'inspection.archived',
  patch: (_i, at) => ({ archivedAt: at }),
  payload: { archiveRef },
});

/** Cancels a visit not yet made; its code, if any, is revoked at once (the public check shows it). */
export const cancelSpec = (actor: Principal, reason: string, category: RevocationCategory = 'inspection_cancelled'): StepSpec => ({
  event: { type: 'CANCEL' },
  action: 'inspection.cancelled',
  check: (tx, i, at) => revokeVisitCode(tx, { inspectionId: i.id }, actor, reason, category, at),
  payload: { reason },
});

/** Revocation by the agency head (with a reason): the code stops authorising at once. */
export async function revokeCode(tx: Db, scope: CommandScope, actor: Principal, code: string, reason: string, hooks: InspectionHooks, category: RevocationCategory = 'other'): Promise<Inspection> {
  const row = await findCode(tx, code, true);
  if (!row) throw DomainError.notFound('检查码', code);
  if (row.state !== 'active') throw new DomainError('INVALID_TRANSITION', `检查码状态为 ${row.state}，不能撤销`, { currentState: row.state, allowedEvents: [] });
  return stepInspection(tx, scope, actor, row.inspectionId, { ...cancelSpec(actor, reason, category), headOnly: true, action: 'code.revoked', payload: { code, reason, category }, revokes: { code, reason, category } }, hooks);
}
