import { randomUUID } from 'node:crypto';
import { jointListMachine, type JointListEvent, type JointListState } from '../../../machines/joint-list.machine.js';
import type { Principal } from '../../auth/principal.js';
import type { CommandScope } from '../../commands/command.js';
import { transitionOrRefuse } from '../../commands/transition.js';
import type { Db } from '../../db/client.js';
import type { JointListEntry } from '../../db/schema/index.js';
import { DomainError } from '../../errors/domain-error.js';
import { agencyNameOf, findAgency, sameLevelJusticeBureau, type Agency } from '../../registry/agencies.repository.js';
import { shanghaiDate } from '../../time/shanghai-date.js';
import { assertEntries, assertEntriesResolvable } from './list-entry.js';
import { findJointList, insertJointList, pendingVersionOf, publishedVersionOf, updateJointList, type JointList } from './lists.repository.js';

/**
 * The “综合查一次”事项清单 path (Art. 27): a city or district authority's head proposes → the same-level
 * justice bureau reviews (pass or return) → the head records the same-level government's approval → the
 * head publishes, superseding the version in force. `/amend` opens the next version of a published list
 * through the same path; the published one stays in force until the new one is published.
 */
export interface JointListInput {
  title: string;
  entries: JointListEntry[];
}

const listTransition = (list: Pick<JointList, 'state'>, event: JointListEvent) =>
  transitionOrRefuse(jointListMachine, '“综合查一次”事项清单', list.state, {}, event) as JointListState;

function assertProposerHead(actor: Principal, proposer: Pick<Agency, 'code' | 'name'>): void {
  if (actor.role !== 'agency_head') throw new DomainError('FORBIDDEN_ROLE', '“综合查一次”事项清单由主管部门负责人提出、报批和公布');
  if (actor.agency !== proposer.code) throw new DomainError('OUT_OF_SCOPE', `只能办理本单位提出的事项清单（提出单位：${proposer.name}）`, { proposerAgencyCode: proposer.code });
}

async function lockList(tx: Db, id: string): Promise<{ list: JointList; proposer: Agency }> {
  const list = await findJointList(tx, id, 'update');
  if (!list) throw DomainError.notFound('“综合查一次”事项清单', id);
  return { list, proposer: (await findAgency(tx, list.proposerAgencyCode))! };
}

function audit(scope: CommandScope, action: string, before: JointList | null, after: JointList, proposer: Agency, payload: object = {}) {
  return scope.audit({
    action: `joint_list.${action}`,
    subjectType: 'joint_list',
    subjectId: after.id,
    agencyCode: after.proposerAgencyCode,
    districtCode: proposer.districtCode,
    before: before?.state ?? null,
    after: after.state,
    payload: { seriesId: after.seriesId, listVersion: after.listVersion, title: after.title, ...payload },
  });
}

async function checkedInput(tx: Db, at: Date, input: JointListInput): Promise<void> {
  await assertEntries(tx, input.entries);
  await assertEntriesResolvable(tx, input.entries, shanghaiDate(at));
}

export async function proposeJointList(tx: Db, scope: CommandScope, actor: Principal, input: JointListInput): Promise<JointList> {
  const proposer = actor.agency ? await findAgency(tx, actor.agency) : undefined;
  if (!proposer || proposer.isJusticeBureau) throw new DomainError('OUT_OF_SCOPE', '“综合查一次”事项清单由市、区主管部门提出');
  assertProposerHead(actor, proposer);
  await checkedInput(tx, scope.at, input);
  const bureau = await sameLevelJusticeBureau(tx, proposer);
  if (!bureau) throw new DomainError('REFERENCE_INVALID', `未找到${proposer.name}的同级司法行政部门，无法报送审核`);
  const id = randomUUID();
  const list = await insertJointList(tx, {
    id,
    seriesId: id,
    listVersion: 1,
    title: input.title,
    level: proposer.level,
    districtCode: proposer.districtCode,
    proposerAgencyCode: proposer.code,
    state: 'proposed',
    entries: input.entries,
    reviewBureauCode: bureau.code,
    createdBy: actor.sub,
    createdAt: scope.at,
    updatedAt: scope.at,
  });
  await audit(scope, 'proposed', null, list, proposer, { entries: input.entries.map((e) => e.code), reviewBureauCode: bureau.code });
  return list;
}

/** Edits a proposed or returned list; a returned one goes back to the bureau (Art. 27). */
export async function editJointList(tx: Db, scope: CommandScope, actor: Principal, id: string, patch: Partial<JointListInput>): Promise<JointList> {
  const { list, proposer } = await lockList(tx, id);
  assertProposerHead(actor, proposer);
  const state = listTransition(list, { type: 'EDIT' });
  const next = { title: patch.title ?? list.title, entries: patch.entries ?? list.entries };
  await checkedInput(tx, scope.at, next);
  const out = await updateJointList(tx, list, { ...next, state }, scope.at);
  await audit(scope, list.state === 'returned' ? 'resubmitted' : 'edited', list, out, proposer);
  return out;
}

export async function reviewJointList(
  tx: Db,
  scope: CommandScope,
  actor: Principal,
  id: string,
  review: { decision: 'pass' | 'return'; opinion: string },
): Promise<JointList> {
  const { list, proposer } = await lockList(tx, id);
  // Art. 27: 经同级司法行政部门审核 — only that bureau's supervisors.
  if (actor.role !== 'supervisor' || actor.agency !== list.reviewBureauCode) {
    throw new DomainError('OUT_OF_SCOPE', `该清单应由同级司法行政部门（${await agencyNameOf(tx, list.reviewBureauCode)}）审核`, { reviewBureauCode: list.reviewBureauCode });
  }
  const event: JointListEvent = review.decision === 'pass' ? { type: 'REVIEW_PASS', opinion: review.opinion } : { type: 'REVIEW_RETURN', reason: review.opinion };
  const state = listTransition(list, event);
  const out = await updateJointList(
    tx,
    list,
    review.decision === 'pass'
      ? { state, reviewedBy: actor.sub, reviewedAt: scope.at, reviewOpinion: review.opinion }
      : { state, reviewedBy: actor.sub, reviewedAt: scope.at, returnedReason: review.opinion },
    scope.at,
  );
  await audit(scope, review.decision === 'pass' ? 'reviewed' : 'returned', list, out, proposer, { opinion: review.opinion });
  return out;
}

/** Records the same-level government's approval (报本级人民政府批准): approver and document number. */
export async function approveJointList(tx: Db, scope: CommandScope, actor: Principal, id: string, approval: { approverName: string; approvalDocNo: string }) {
  const { list, proposer } = await lockList(tx, id);
  assertProposerHead(actor, proposer);
  const state = listTransition(list, { type: 'APPROVE', ...approval });
  const out = await updateJointList(tx, list, { state, ...approval, approvalRecordedBy: actor.sub, approvedAt: scope.at }, scope.at);
  await audit(scope, 'approved', list, out, proposer, approval);
  return out;
}

/** Publishes (向社会公布) and, in the same transaction, supersedes the version that was in force. */
export async function publishJointList(tx: Db, scope: CommandScope, actor: Principal, id: string): Promise<JointList> {
  const { list, proposer } = await lockList(tx, id);
  assertProposerHead(actor, proposer);
  const state = listTransition(list, { type: 'PUBLISH' });
  const current = await publishedVersionOf(tx, list.seriesId, 'update');
  if (current) {
    const superseded = await updateJointList(tx, current, { state: listTransition(current, { type: 'SUPERSEDE' }), supersededAt: scope.at, supersededById: list.id }, scope.at);
    await audit(scope, 'superseded', current, superseded, proposer, { supersededById: list.id });
  }
  const out = await updateJointList(tx, list, { state, publishedAt: scope.at }, scope.at);
  await audit(scope, 'published', list, out, proposer, { supersedes: current?.id ?? null });
  return out;
}

/**
 * 实行动态调整: the next version of a published list, proposed again to the same bureau. The partial unique
 * index on pending versions refuses a second adjustment while one is on its way (409 ALREADY_EXISTS).
 */
export async function amendJointList(tx: Db, scope: CommandScope, actor: Principal, id: string, input: JointListInput & { reason: string }): Promise<JointList> {
  const { list, proposer } = await lockList(tx, id);
  assertProposerHead(actor, proposer);
  listTransition(list, { type: 'AMEND', reason: input.reason });
  const pending = await pendingVersionOf(tx, list.seriesId);
  if (pending) {
    throw new DomainError('ALREADY_EXISTS', `该清单已有调整中的第${pending.listVersion}版（${pending.state}），须待其公布或办结后再调整`, { pendingId: pending.id });
  }
  await checkedInput(tx, scope.at, input);
  const out = await insertJointList(tx, {
    id: randomUUID(),
    seriesId: list.seriesId,
    listVersion: list.listVersion + 1,
    title: input.title,
    level: list.level,
    districtCode: list.districtCode,
    proposerAgencyCode: list.proposerAgencyCode,
    state: 'proposed',
    entries: input.entries,
    reviewBureauCode: list.reviewBureauCode,
    amendsId: list.id,
    amendmentReason: input.reason,
    createdBy: actor.sub,
    createdAt: scope.at,
    updatedAt: scope.at,
  });
  await audit(scope, 'amendment_proposed', null, out, proposer, { amendsId: list.id, reason: input.reason });
  return out;
}
