import { eq } from 'drizzle-orm';
import { initialState } from '../../machines/kernel.js';
import { supervisionNoticeMachine, type SupervisionNoticeEvent } from '../../machines/supervision-notice.machine.js';
import type { Principal } from '../auth/principal.js';
import type { CommandScope } from '../commands/command.js';
import { transitionOrRefuse } from '../commands/transition.js';
import type { Db } from '../db/client.js';
import { newRowId } from '../db/ids.js';
import { supervisionNotices } from '../db/schema/index.js';
import { DomainError } from '../errors/domain-error.js';
import { findAgency } from '../registry/agencies.repository.js';
import { assertFlagWithinJurisdiction } from '../supervision/flag-scope.js';
import { findFlag } from '../supervision/flags.repository.js';
import { shanghaiDate } from '../time/shanghai-date.js';
import { assertMayAnswer, assertMayReadNotice } from '../access/index.js';
import { findNotice, type SupervisionNotice } from './repository.js';

export interface SendNoticeInput {
  flagId: string;
  dueDate: string;
  request: string;
}

const audited = (n: SupervisionNotice) => ({
  subjectType: 'supervision_notice',
  subjectId: n.id,
  agencyCode: n.agencyCode,
  enterpriseCode: null,
  districtCode: n.districtCode,
});

/**
 * A supervisor sends the flagged agency a 督办 (Art. 6 ¶2). Only a flag the supervisor may review can be sent
 * (same level, not the supervisor's own unit), only one naming an agency (there must be someone to answer),
 * and only while the flag is still under review: a resolved or dismissed flag has nothing left to supervise.
 */
export async function sendNotice(tx: Db, { at, audit }: CommandScope, actor: Principal, input: SendNoticeInput): Promise<SupervisionNotice> {
  const flag = await findFlag(tx, input.flagId, true);
  if (!flag) throw DomainError.field('body.flagId', '未找到该违规标记');
  const agency = flag.agencyCode ? await findAgency(tx, flag.agencyCode) : undefined;
  assertFlagWithinJurisdiction(actor, flag, agency);
  if (!flag.agencyCode || !agency) throw DomainError.field('body.flagId', '该违规标记未指明行政执法主体，无从督办');
  if (flag.agencyCode === actor.agency) throw new DomainError('OUT_OF_SCOPE', '监督人员不能督办本单位');
  if (flag.state === 'resolved' || flag.state === 'dismissed') {
    throw DomainError.field('body.flagId', '该违规标记已审阅办结，无需督办');
  }
  const today = shanghaiDate(at);
  if (input.dueDate < today) throw DomainError.field('body.dueDate', `答复期限不得早于今天（${today}）`);
  const request = input.request.trim();
  if (!request) throw DomainError.field('body.request', '请写明督办要求');
  const [row] = await tx
    .insert(supervisionNotices)
    .values({
      id: newRowId(),
      flagId: flag.id,
      agencyCode: agency.code,
      districtCode: agency.districtCode,
      issuedByAgency: actor.agency ?? '',
      issuedBy: actor.sub,
      issuedByName: actor.name ?? null,
      issuedAt: at,
      dueDate: input.dueDate,
      request,
      state: initialState(supervisionNoticeMachine) as SupervisionNotice['state'],
    })
    .returning();
  await audit({ action: 'supervision_notice.sent', ...audited(row!), before: null, after: row!.state, payload: { flagId: flag.id, rule: flag.rule, dueDate: row!.dueDate } });
  return row!;
}

/** The addressed agency's head answers (the answer is the agency's word on the flag). */
export async function answerNotice(tx: Db, { at, audit }: CommandScope, actor: Principal, id: string, answer: string): Promise<SupervisionNotice> {
  const notice = await findNotice(tx, id, true);
  if (!notice) throw DomainError.notFound('督办', id);
  assertMayReadNotice(actor, notice);
  assertMayAnswer(actor, notice);
  if (!answer.trim()) throw DomainError.field('body.answer', '请写明答复内容');
  const state = transitionOrRefuse(supervisionNoticeMachine, '督办', notice.state, {}, { type: 'ANSWER', answer });
  const [out] = await tx
    .update(supervisionNotices)
    .set({ state: state as SupervisionNotice['state'], answer: answer.trim(), answeredBy: actor.sub, answeredByName: actor.name ?? null, answeredAt: at })
    .where(eq(supervisionNotices.id, id))
    .returning();
  const late = shanghaiDate(at) > notice.dueDate;
  await audit({ action: 'supervision_notice.answered', ...audited(out!), before: notice.state, after: state, payload: { dueDate: notice.dueDate, late } });
  return out!;
}

/** The supervisor accepts the answer (办结) or returns it with what is missing; the deadline stays. */
export async function reviewNotice(
  tx: Db,
  { at, audit }: CommandScope,
  actor: Principal,
  id: string,
  event: Extract<SupervisionNoticeEvent, { type: 'ACCEPT' | 'RETURN' }>,
  note: string | undefined,
): Promise<SupervisionNotice> {
  const notice = await findNotice(tx, id, true);
  if (!notice) throw DomainError.notFound('督办', id);
  if (actor.role !== 'supervisor') throw new DomainError('OUT_OF_SCOPE', '督办由监督人员审核');
  assertMayReadNotice(actor, notice);
  if (event.type === 'RETURN' && !event.note.trim()) throw DomainError.field('body.note', '退回须说明仍需答复的内容');
  const state = transitionOrRefuse(supervisionNoticeMachine, '督办', notice.state, {}, event);
  const [out] = await tx
    .update(supervisionNotices)
    .set({ state: state as SupervisionNotice['state'], reviewNote: note?.trim() || null, reviewedBy: actor.sub, reviewedByName: actor.name ?? null, reviewedAt: at })
    .where(eq(supervisionNotices.id, id))
    .returning();
  await audit({
    action: event.type === 'ACCEPT' ? 'supervision_notice.accepted' : 'supervision_notice.returned',
    ...audited(out!),
    before: notice.state,
    after: state,
    payload: { note: note?.trim() || null },
  });
  return out!;
}
