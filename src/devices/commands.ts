import { randomUUID } from 'node:crypto';
import { DeviceUnreviewed } from '../rules/declarations/devices.js';
import { deviceMachine, type DeviceEvent, type DeviceState } from '../../machines/device.machine.js';
import type { Principal } from '../auth/principal.js';
import type { CommandScope } from '../commands/command.js';
import { transitionOrRefuse } from '../commands/transition.js';
import type { Db } from '../db/client.js';
import { DomainError } from '../errors/domain-error.js';
import { findAgency } from '../registry/agencies.repository.js';
import { findDistrict } from '../registry/districts.repository.js';
import { findEnterprise } from '../registry/enterprises.repository.js';
import { findDevice, insertDevice, updateDevice, type Device, type NewDevice } from './repository.js';
import { legalReviewOutcome, technicalReviewOutcome, type LegalPointKey, type ReviewAnswer, type TechnicalPointKey } from './reviews.js';

/**
 * Monitoring-device commands (Art. 34–36). The agency that sets a device up registers it, reviews it
 * (legal and technical, in either order), publishes its location and puts it into use; each step is one transaction
 * that locks the row, lets the machine decide, and writes the row and its audit entry together.
 */
function assertOwnDevice(p: Principal, agencyCode: string): void {
  if ((p.role === 'officer' || p.role === 'agency_head') && p.agency === agencyCode) return;
  throw new DomainError('OUT_OF_SCOPE', '只能办理本单位设置的电子技术监控设备');
}

export interface RegisterDeviceInput {
  agencyCode: string;
  name: string;
  location: string;
  districtCode?: string;
  purpose: string;
  standard: string;
  owner: { kind: 'agency'; agencyCode?: string } | { kind: 'enterprise'; creditCode: string };
  internalNote?: string;
}

export async function registerDevice(tx: Db, scope: CommandScope, actor: Principal, input: RegisterDeviceInput): Promise<Device> {
  assertOwnDevice(actor, input.agencyCode);
  const agency = await findAgency(tx, input.agencyCode);
  if (!agency) throw DomainError.field('body.agencyCode', `行政执法主体 ${input.agencyCode} 不存在`, 'REFERENCE_INVALID');
  if (input.districtCode && !(await findDistrict(tx, input.districtCode))) throw DomainError.field('body.districtCode', `行政区 ${input.districtCode} 不存在`, 'REFERENCE_INVALID');
  let ownerAgencyCode: string | null = null;
  let ownerEnterpriseCode: string | null = null;
  if (input.owner.kind === 'agency') {
    ownerAgencyCode = input.owner.agencyCode ?? input.agencyCode;
    if (!(await findAgency(tx, ownerAgencyCode))) throw DomainError.field('body.owner.agencyCode', `行政执法主体 ${ownerAgencyCode} 不存在`, 'REFERENCE_INVALID');
  } else {
    ownerEnterpriseCode = input.owner.creditCode;
    if (!(await findEnterprise(tx, ownerEnterpriseCode))) throw DomainError.field('body.owner.creditCode', `企业 ${ownerEnterpriseCode} 未登记`, 'REFERENCE_INVALID');
  }
  const device = await insertDevice(tx, {
    id: randomUUID(),
    agencyCode: input.agencyCode,
    ownerKind: input.owner.kind,
    ownerAgencyCode,
    ownerEnterpriseCode,
    name: input.name,
    location: input.location,
    districtCode: input.districtCode ?? agency.districtCode,
    purpose: input.purpose,
    standard: input.standard,
    state: 'registered',
    internalNote: input.internalNote ?? null,
    stateLog: [{ state: 'registered', from: scope.at.toISOString() }],
    createdBy: actor.sub,
    createdAt: scope.at,
    updatedAt: scope.at,
  });
  await scope.audit({
    action: 'device.registered',
    subjectType: 'device',
    subjectId: device.id,
    agencyCode: device.agencyCode,
    districtCode: agency.districtCode,
    after: device.state,
    payload: { ...input },
  });
  return device;
}

async function stepDevice(
  tx: Db,
  scope: CommandScope,
  actor: Principal,
  id: string,
  spec: { event: DeviceEvent; action: string; patch?: (d: Device, at: Date) => Partial<NewDevice>; payload?: unknown; check?: (d: Device) => void },
): Promise<Device> {
  const d = await findDevice(tx, id, true);
  if (!d) throw DomainError.notFound('电子技术监控设备', id);
  assertOwnDevice(actor, d.agencyCode);
  spec.check?.(d);
  const state = transitionOrRefuse(deviceMachine, '电子技术监控设备', d.state, {}, spec.event) as DeviceState;
  // A failed review keeps the state: only a real change of state enters the log.
  const stateLog = state === d.state ? d.stateLog : [...d.stateLog, { state, from: scope.at.toISOString() }];
  const out = await updateDevice(tx, d, { ...(spec.patch?.(d, scope.at) ?? {}), state, stateLog }, scope.at);
  const agency = await findAgency(tx, d.agencyCode);
  await scope.audit({
    action: spec.action,
    subjectType: 'device',
    subjectId: d.id,
    agencyCode: d.agencyCode,
    districtCode: agency?.districtCode ?? null,
    before: d.state,
    after: state,
    payload: spec.payload ?? {},
  });
  return out;
}

/**
 * Art. 35, 36: a review checks the registration, so the registrant does not review their own device
 * (the article names two reviews, not one person's word twice).
 */
function notTheRegistrant(actor: Principal, article: '第三十五条' | '第三十六条'): (d: Device) => void {
  return (d) => {
    if (d.createdBy !== actor.sub) return;
    const what = article === '第三十五条' ? '法制审核' : '技术审核';
    throw DomainError.fromRules([
      DeviceUnreviewed.fail({ reviewer: actor.sub, registrant: d.createdBy }, 'a reviewer other than the registrant', `${what}须由设备登记人以外的人员作出（${article}）`),
    ]);
  };
}

/** Art. 35: the legal review, each point with its answer and note; a failed review is kept and the device stays. */
export async function reviewLegal(tx: Db, scope: CommandScope, actor: Principal, id: string, answers: Record<LegalPointKey, ReviewAnswer>): Promise<Device> {
  const review = legalReviewOutcome(answers, actor.sub, scope.at);
  return stepDevice(tx, scope, actor, id, {
    event: { type: 'LEGAL_REVIEW', passed: review.passed },
    action: review.passed ? 'device.legal_review_passed' : 'device.legal_review_failed',
    patch: (_d, at) => ({ legalReview: review, legalReviewPassedAt: review.passed ? at : null, soleEvidenceBasis: answers.soleEvidenceBasis.satisfied }),
    payload: review,
    check: notTheRegistrant(actor, '第三十五条'),
  });
}

/** Art. 36: the technical review; point 1 is the product quality certificate, whose number is recorded. */
export async function reviewTechnical(
  tx: Db,
  scope: CommandScope,
  actor: Principal,
  id: string,
  answers: Record<TechnicalPointKey, ReviewAnswer>,
  qualityCertificateNo: string | undefined,
): Promise<Device> {
  if (answers.qualityCertificate.satisfied && !qualityCertificateNo) {
    throw DomainError.field('body.qualityCertificateNo', '认定具有产品质量检验合格证明的，须填写证明编号（第三十六条第（一）项）');
  }
  const review = technicalReviewOutcome(answers, actor.sub, scope.at);
  return stepDevice(tx, scope, actor, id, {
    event: { type: 'TECHNICAL_REVIEW', passed: review.passed },
    action: review.passed ? 'device.technical_review_passed' : 'device.technical_review_failed',
    patch: (_d, at) => ({ technicalReview: { ...review, qualityCertificateNo: qualityCertificateNo ?? null }, technicalReviewPassedAt: review.passed ? at : null, qualityCertificateNo: qualityCertificateNo ?? null }),
    payload: { ...review, qualityCertificateNo: qualityCertificateNo ?? null },
    check: notTheRegistrant(actor, '第三十六条'),
  });
}

/** Art. 34: the location is published before the device is put into use. */
export const publishDevice = (tx: Db, scope: CommandScope, actor: Principal, id: string, publicationRef: string) =>
  stepDevice(tx, scope, actor, id, { event: { type: 'PUBLISH' }, action: 'device.published', patch: (_d, at) => ({ publishedAt: at, publicationRef }), payload: { publicationRef } });

/** Putting a device into use (or back after maintenance) is approved by the agency head (route: agency_head only). */
export const activateDevice = (tx: Db, scope: CommandScope, actor: Principal, id: string, note?: string) =>
  stepDevice(tx, scope, actor, id, { event: { type: 'ACTIVATE' }, action: 'device.activated', patch: (d, at) => ({ activatedAt: d.activatedAt ?? at }), payload: { note: note ?? null } });

/** Art. 34(2): 及时维护、保养、检测 — the device goes to maintenance and comes back with ACTIVATE. */
export const maintainDevice = (tx: Db, scope: CommandScope, actor: Principal, id: string, note?: string) =>
  stepDevice(tx, scope, actor, id, { event: { type: 'MAINTENANCE' }, action: 'device.maintenance', payload: { note: note ?? null } });

export const retireDevice = (tx: Db, scope: CommandScope, actor: Principal, id: string, reason: string) =>
  stepDevice(tx, scope, actor, id, { event: { type: 'RETIRE' }, action: 'device.retired', patch: (_d, at) => ({ retiredAt: at, retiredReason: reason }), payload: { reason } });
