import { jointProposalMachine } from '../../machines/joint-proposal.machine.js';
import { recordDeclaration } from '../declarations/record.js';
import { proposalUnitMachine } from '../../machines/joint-proposal-unit.machine.js';
import { JOINT_PROPOSAL_DECLINED_WITHOUT_REASON } from '../rules/declarations/proposals.js';
import type { Principal } from '../auth/principal.js';
import type { Keyring } from '../codes/keyring.js';
import type { CommandScope } from '../commands/command.js';
import { transitionOrRefuse } from '../commands/transition.js';
import type { Db } from '../db/client.js';
import type { Inspector } from '../db/schema/index.js';
import { DomainError } from '../errors/domain-error.js';
import { raiseFlag } from '../flags/raise.js';
import type { JointSettings } from '../config/joint-settings.js';
import { issueJointCodes, type IssuedJointCode } from '../visits/joint/task-code.js';
import { launchJointTask } from '../visits/joint/task-launch.js';
import { acceptUnit, approveUnit, assignUnit } from '../visits/joint/task-units.js';
import { agencyNameOf } from '../registry/agencies.repository.js';
import { findEnterprise } from '../registry/enterprises.repository.js';
import { DECLINE_REASONS, type DeclineReason } from './decline-reasons.js';
import { withdrawMergedDrafts } from './scheme-closeout.js';
import { findProposal, unitsOfProposal, updateProposal, updateProposalUnit, type JointProposal, type ProposalUnit } from './repository.js';

/**
 * Each unit decides in its app (Art. 28–29): its head accepts, naming the officers it sends, or (a
 * cooperating unit) declines with a reason from DECLINE_REASONS. When every unit has accepted, the
 * proposal becomes ONE joint task with ONE visit and ONE code — through the joint module's own commands
 * (launch → assign → accept → approve → code), each acting for the unit whose head decided, so issuance
 * and its checks (plans, caps, team) exist once.
 */
export interface AnswerDeps {
  keyring: Keyring;
  joint: JointSettings;
}

export interface Answered {
  proposal: JointProposal;
  units: ProposalUnit[];
  codes: IssuedJointCode[];
}

async function begin(tx: Db, actor: Principal, id: string) {
  const proposal = await findProposal(tx, id, 'update');
  if (!proposal) throw DomainError.notFound('联合检查建议', id);
  const units = await unitsOfProposal(tx, id);
  const unit = actor.role === 'agency_head' || actor.role === 'officer' ? units.find((u) => u.agencyCode === actor.agency) : undefined;
  if (!unit) throw new DomainError('OUT_OF_SCOPE', '本单位不是该联合检查建议的参与单位');
  // The unit decides through its head (Art. 17(1): 本行政执法主体负责人批准): the answer commits its officers.
  if (actor.role !== 'agency_head') throw new DomainError('FORBIDDEN_ROLE', '联合检查建议须由本单位负责人答复');
  return { proposal, units, unit };
}

const headOf = (u: ProposalUnit): Principal => ({ sub: u.decidedBy!, role: 'agency_head', agency: u.agencyCode, ...(u.decidedByName ? { name: u.decidedByName } : {}) });

async function audit(tx: Db, scope: CommandScope, p: JointProposal, before: string, action: string, payload: Record<string, unknown>) {
  await scope.audit({ action: `joint_proposal.${action}`, subjectType: 'joint_proposal', subjectId: p.id, agencyCode: p.leadAgencyCode, enterpriseCode: p.enterpriseCode, districtCode: p.districtCode, before, after: p.state, payload });
}

/** UNIT_ANSWERED, and the launch when every unit is in: one task, one visit, one code. */
async function settle(tx: Db, scope: CommandScope, deps: AnswerDeps, proposal: JointProposal): Promise<Answered> {
  const units = await unitsOfProposal(tx, proposal.id);
  const pending = units.filter((u) => u.state === 'pending').length;
  const taking = units.filter((u) => u.state !== 'declined' && u.state !== 'lapsed').length;
  const state = transitionOrRefuse(jointProposalMachine, '联合检查建议', proposal.state, {}, { type: 'UNIT_ANSWERED', pending, taking });
  if (state === proposal.state) return { proposal, units, codes: [] };
  if (state !== 'launched') {
    const out = await updateProposal(tx, proposal, { state: state as JointProposal['state'] }, scope.at);
    await audit(tx, scope, out, proposal.state, state, { units: units.map((u) => ({ agencyCode: u.agencyCode, state: u.state })) });
    return { proposal: out, units, codes: [] };
  }
  const inUnits = units.filter((u) => u.state === 'accepted');
  const lead = inUnits.find((u) => u.role === 'lead');
  if (!lead) throw new DomainError('INVALID_TRANSITION', '发起单位未接受联合检查建议，不能发起', { currentState: proposal.state, allowedEvents: [] });
  const launched = await launchJointTask(tx, scope, headOf(lead), deps.joint, {
    listId: proposal.listId,
    entryCode: proposal.entryCode,
    enterpriseCodes: [proposal.enterpriseCode],
    windowStart: proposal.windowStart.toISOString(),
    windowEnd: proposal.windowEnd.toISOString(),
    inspectors: lead.inspectors,
    unitCodes: inUnits.map((u) => u.agencyCode),
    note: '由联合检查建议发起',
  });
  const taskId = launched.task.id;
  for (const u of inUnits.filter((x) => x.role === 'cooperating')) {
    await assignUnit(tx, scope, headOf(lead), taskId, { agencyCode: u.agencyCode, matterCodes: u.matterCodes });
    await acceptUnit(tx, scope, headOf(u), deps.joint, taskId, { inspectors: u.inspectors });
  }
  for (const u of inUnits) await approveUnit(tx, scope, headOf(u), taskId, '联合检查建议经本单位负责人接受');
  // From schemes: the units' own drafts give way to the joint visit before its code is issued.
  const withdrawn = await withdrawMergedDrafts(tx, scope, proposal, inUnits, headOf, taskId);
  const codes = await issueJointCodes(tx, scope, headOf(lead), deps.keyring, deps.joint, taskId);
  const out = await updateProposal(tx, proposal, { state: 'launched', jointTaskId: taskId }, scope.at);
  await audit(tx, scope, out, proposal.state, 'launched', { jointTaskId: taskId, codes: codes.map((c) => c.code), withdrawn });
  return { proposal: out, units: await unitsOfProposal(tx, proposal.id), codes };
}

export async function acceptProposal(tx: Db, scope: CommandScope, actor: Principal, deps: AnswerDeps, id: string, input: { inspectors: Inspector[] }): Promise<Answered> {
  const { proposal, unit } = await begin(tx, actor, id);
  const state = transitionOrRefuse(proposalUnitMachine, '本单位的答复', unit.state, {}, { type: 'ACCEPT', inspectorCount: input.inspectors.length, isLead: unit.role === 'lead' });
  if (proposal.state !== 'open') transitionOrRefuse(jointProposalMachine, '联合检查建议', proposal.state, {}, { type: 'UNIT_ANSWERED', pending: 0, taking: 2 });
  await updateProposalUnit(tx, unit, { state: state as ProposalUnit['state'], inspectors: input.inspectors, decidedBy: actor.sub, decidedByName: actor.name ?? null, decidedAt: scope.at });
  await audit(tx, scope, proposal, proposal.state, 'unit_accepted', { agencyCode: unit.agencyCode, inspectors: input.inspectors.length });
  return settle(tx, scope, deps, proposal);
}

/**
 * A cooperating unit declines. With a reason from the list it is recorded and the reason goes on the
 * declarations register (the supervisors confirm it, or reject it and the unit is flagged); without one the unit
 * is flagged at once (JOINT_PROPOSAL_DECLINED_WITHOUT_REASON, Art. 28). Either way the decline stands.
 */
export async function declineProposal(tx: Db, scope: CommandScope, actor: Principal, deps: AnswerDeps, id: string, input: { reason?: DeclineReason; note?: string }): Promise<Answered> {
  const { proposal, unit } = await begin(tx, actor, id);
  const state = transitionOrRefuse(proposalUnitMachine, '本单位的答复', unit.state, {}, { type: 'DECLINE', isLead: unit.role === 'lead' });
  if (proposal.state !== 'open') transitionOrRefuse(jointProposalMachine, '联合检查建议', proposal.state, {}, { type: 'UNIT_ANSWERED', pending: 0, taking: 0 });
  await updateProposalUnit(tx, unit, { state: state as ProposalUnit['state'], declineReason: input.reason ?? null, declineNote: input.note?.trim() || null, decidedBy: actor.sub, decidedByName: actor.name ?? null, decidedAt: scope.at });
  await audit(tx, scope, proposal, proposal.state, 'unit_declined', { agencyCode: unit.agencyCode, reason: input.reason ?? null, note: input.note ?? null });
  const declined = JOINT_PROPOSAL_DECLINED_WITHOUT_REASON({
    unitName: await agencyNameOf(tx, unit.agencyCode),
    enterpriseName: (await findEnterprise(tx, proposal.enterpriseCode))?.name ?? '该企业',
    reason: input.reason ?? null,
    reasons: Object.keys(DECLINE_REASONS),
  });
  if (input.reason) {
    // The reason spares the unit the Art. 28 flag, so it is evidence, not a switch: nothing the registry holds
    // can check it, so it goes on the declarations register for the supervisors to confirm or reject.
    await recordDeclaration(tx, scope, actor, {
      kind: 'proposal_decline_reason',
      subjectType: 'joint_proposal_unit',
      subjectId: `${proposal.id}/${unit.agencyCode}`,
      agencyCode: unit.agencyCode,
      enterpriseCode: proposal.enterpriseCode,
      districtCode: proposal.districtCode,
      value: { reason: DECLINE_REASONS[input.reason], reasonCode: input.reason, note: input.note?.trim() || null, proposalId: proposal.id },
    });
  }
  if (!declined.passed) {
    await raiseFlag(tx, scope.at, { sub: actor.sub, role: actor.role }, {
      rule: declined.rule,
      subjectType: 'joint_proposal',
      subjectId: proposal.id,
      occurrence: unit.agencyCode,
      agencyCode: unit.agencyCode,
      enterpriseCode: proposal.enterpriseCode,
      districtCode: proposal.districtCode,
      observed: declined.observed,
      limit: declined.limit,
      detail: declined.detail!,
      evidence: { proposalId: proposal.id, entryCode: proposal.entryCode, note: input.note ?? null },
    });
  }
  return settle(tx, scope, deps, proposal);
}
