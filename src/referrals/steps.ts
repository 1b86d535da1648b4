import { referralMachine, type ReferralEvent, type ReferralState } from '../../machines/referral.machine.js';
import type { Principal } from '../auth/principal.js';
import type { CommandScope } from '../commands/command.js';
import { transitionOrRefuse } from '../commands/transition.js';
import type { Db } from '../db/client.js';
import { DomainError } from '../errors/domain-error.js';
import { findAgency } from '../registry/agencies.repository.js';
import { ruleArticle } from '../rules/catalog.js';
import { shanghaiDate } from '../time/shanghai-date.js';
import { assertActsOn, type ReferralSide } from '../access/index.js';
import { findReferral, updateReferral, type NewReferral, type Referral } from './repository.js';
import { REFERRAL_REFUSED, REFERRAL_OVERDUE } from './rules.js';
import { flagIfSentLate } from './late-flag.js';

/** One state step of a referral: lock, authorise, transition, write, audit (and any flag) together. */
interface StepSpec {
  side: ReferralSide | ((r: Referral) => ReferralSide);
  event: ReferralEvent;
  action: string;
  headOnly?: boolean;
  patch?: (r: Referral, at: Date) => Partial<NewReferral>;
  payload?: unknown;
}

export interface Stepped {
  referral: Referral;
  /** Rules of the flags this step raised. */
  flags: string[];
}

async function lockReferral(tx: Db, actor: Principal, id: string, side: StepSpec['side']): Promise<Referral> {
  const r = await findReferral(tx, id, true);
  if (!r) throw DomainError.notFound('移送记录', id);
  assertActsOn(actor, r, typeof side === 'function' ? side(r) : side);
  return r;
}

async function step(tx: Db, scope: CommandScope, actor: Principal, id: string, spec: StepSpec): Promise<{ before: Referral; after: Referral }> {
  const r = await lockReferral(tx, actor, id, spec.side);
  if (spec.headOnly && actor.role !== 'agency_head') throw new DomainError('FORBIDDEN_ROLE', '此操作须由行政执法主体负责人批准办理');
  const state = transitionOrRefuse(referralMachine, '移送', r.state, {}, spec.event) as ReferralState;
  const after = await updateReferral(tx, r, { ...(spec.patch?.(r, scope.at) ?? {}), state }, scope.at);
  const agency = await findAgency(tx, actor.agency ?? r.agencyCode);
  await scope.audit({
    action: spec.action,
    subjectType: 'referral',
    subjectId: r.id,
    agencyCode: actor.agency ?? r.agencyCode,
    enterpriseCode: r.enterpriseCode,
    districtCode: agency?.districtCode ?? null,
    before: r.state,
    after: state,
    payload: spec.payload ?? {},
  });
  return { before: r, after };
}

/**
 * Sends the referral to the competent agency. Sent after the due date, it is flagged REFERRAL_OVERDUE here;
 * the sweeper flags one still unsent once the date passes. The flag's unique key makes it one flag either
 * way, whichever comes first.
 */
export async function sendReferral(tx: Db, scope: CommandScope, actor: Principal, id: string, note?: string): Promise<Stepped> {
  const sentOn = shanghaiDate(scope.at);
  const { after } = await step(tx, scope, actor, id, {
    side: 'finding',
    event: { type: 'SEND' },
    action: 'referral.sent',
    patch: (_r, at) => ({ sentAt: at, sentOn, sentBy: actor.sub }),
    payload: { note: note ?? null, sentOn },
  });
  const flags: string[] = [];
  if (!REFERRAL_OVERDUE(after, sentOn).passed) {
    const finding = await findAgency(tx, after.agencyCode);
    const flagId = await flagIfSentLate(tx, scope.at, { sub: actor.sub, role: actor.role }, after, sentOn, finding?.districtCode ?? null);
    if (flagId) flags.push('REFERRAL_OVERDUE');
  }
  return { referral: after, flags };
}

export async function receiveReferral(tx: Db, scope: CommandScope, actor: Principal, id: string, note?: string): Promise<Stepped> {
  const { after } = await step(tx, scope, actor, id, {
    side: 'competent',
    event: { type: 'RECEIVE' },
    action: 'referral.received',
    patch: (_r, at) => ({ receivedAt: at, receivedBy: actor.sub }),
    payload: { note: note ?? null },
  });
  return { referral: after, flags: [] };
}

/** The competent agency accepts (after receiving it, or after the common superior settled a dispute). */
export async function acceptReferral(tx: Db, scope: CommandScope, actor: Principal, id: string, acceptanceRef?: string): Promise<Stepped> {
  const { after } = await step(tx, scope, actor, id, {
    side: 'competent',
    event: { type: 'ACCEPT' },
    action: 'referral.accepted',
    patch: (_r, at) => ({ acceptedAt: at, acceptedBy: actor.sub, acceptanceRef: acceptanceRef ?? null }),
    payload: { acceptanceRef: acceptanceRef ?? null },
  });
  return { referral: after, flags: [] };
}

/**
 * Art. 23: 有管辖权的行政执法主体应当接收. The machine confirms a refusal is even possible in this state
 * (sent or received); then it is refused with REFERRAL_REFUSED, and runCommand records the refusal, with
 * its reason, on the audit chain against the referral.
 */
export async function refuseReferral(tx: Db, _scope: CommandScope, actor: Principal, id: string, reason: string): Promise<never> {
  const r = await lockReferral(tx, actor, id, 'competent');
  transitionOrRefuse(referralMachine, '移送', r.state, {}, { type: 'REFUSE', reason });
  throw DomainError.fromRules([REFERRAL_REFUSED(reason)]);
}

/** A dispute over competence goes to the common superior, recorded with the superior and the ground. */
export async function escalateReferral(tx: Db, scope: CommandScope, actor: Principal, id: string, input: { superiorAgencyCode: string; ground: string }): Promise<Stepped> {
  const superior = await findAgency(tx, input.superiorAgencyCode);
  if (!superior) throw DomainError.field('body.superiorAgencyCode', `行政执法主体 ${input.superiorAgencyCode} 不存在`, 'REFERENCE_INVALID');
  const { after } = await step(tx, scope, actor, id, {
    side: 'either',
    event: { type: 'ESCALATE', ...input },
    action: 'referral.escalated',
    patch: (r, at) => {
      if (superior.code === r.agencyCode || superior.code === r.competentAgencyCode) {
        throw DomainError.field('body.superiorAgencyCode', '管辖争议应报请争议双方的共同上级，不能是争议一方');
      }
      return { superiorAgencyCode: superior.code, escalationGround: input.ground, escalatedBy: actor.sub, escalatedAt: at };
    },
    payload: { superiorAgencyCode: superior.code, superiorName: superior.name, ground: input.ground },
  });
  return { referral: after, flags: [] };
}

/**
 * Suspected crime (Art. 23, 《行政执法机关移送涉嫌犯罪案件的规定》): the agency holding the case — the finding
 * agency before sending, the competent one after accepting — transfers it with its own document number,
 * approved by its head (规定 第五条).
 */
export async function transferCrime(tx: Db, scope: CommandScope, actor: Principal, id: string, input: { documentNo: string; receivingOrgan: string; note?: string }): Promise<Stepped> {
  const { after } = await step(tx, scope, actor, id, {
    side: (r) => (r.state === 'accepted' ? 'competent' : 'finding'),
    headOnly: true,
    event: { type: 'CRIME_TRANSFER', documentNo: input.documentNo, receivingOrgan: input.receivingOrgan },
    action: 'referral.crime_transferred',
    patch: (_r, at) => ({ crimeTransferDocNo: input.documentNo, crimeTransferOrgan: input.receivingOrgan, crimeTransferredBy: actor.sub, crimeTransferredAt: at }),
    payload: { rule: 'CRIME_TRANSFER', article: ruleArticle('CRIME_TRANSFER'), ...input, note: input.note ?? null },
  });
  return { referral: after, flags: [] };
}
