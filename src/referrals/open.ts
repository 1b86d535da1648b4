import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Principal } from '../auth/principal.js';
import { CalendarService } from '../calendar/calendar-service.js';
import type { WorkingCalendar } from '../calendar/working-calendar.js';
import type { CommandScope } from '../commands/command.js';
import type { Db } from '../db/client.js';
import { inspections, type ReferralEvidence } from '../db/schema/index.js';
import { assertDeviceEvidence } from '../devices/evidence.js';
import { DomainError } from '../errors/domain-error.js';
import { findAgency, type Agency } from '../registry/agencies.repository.js';
import type { Inspection } from '../visits/repository.js';
import { findEnterprise } from '../registry/enterprises.repository.js';
import { shanghaiDate } from '../time/shanghai-date.js';
import { insertReferral, type Referral } from './repository.js';
import { inspectionDays } from './discovery.js';
import { alertDuePending, dueUnderLock } from './pending-due.js';
import { foundOnProblem, referralDue, type ReferralDue } from './rules.js';

/**
 * Opening a referral (Art. 23): from an inspection's findings, or by hand. The due date is the 10th
 * working day after the finding date on the official calendar, computed now and stored on the row — or,
 * when that day falls in a year not yet entered, 期限待定 with the administrators alerted
 * (src/referrals/pending-due.ts): the referral, and the findings it came from, are recorded regardless.
 */
export interface OpenReferralInput {
  agencyCode: string;
  competentAgencyCode: string;
  enterpriseCode: string;
  description: string;
  evidence: ReferralEvidence[];
  /** Shanghai date the violation was found; defaults to today, never later than today. */
  foundOn?: string;
  inspectionId?: string;
}

async function competentAgency(tx: Db, code: string, findingAgency: string, field: string): Promise<Agency> {
  if (code === findingAgency) throw DomainError.field(field, '有管辖权的行政执法主体不能是发现违法行为的本单位');
  const agency = await findAgency(tx, code);
  if (!agency) throw DomainError.field(field, `行政执法主体 ${code} 不存在`, 'REFERENCE_INVALID');
  return agency;
}

async function insertAndAudit(tx: Db, scope: CommandScope, actor: Principal, finding: Agency, row: Omit<Referral, 'version' | 'createdAt' | 'updatedAt' | 'createdBy'>) {
  const due = await dueUnderLock(tx, { dueDate: row.dueDate, duePendingYear: row.duePendingYear } as ReferralDue, row.foundOn);
  const referral = await insertReferral(tx, { ...row, ...due, createdBy: actor.sub, createdAt: scope.at, updatedAt: scope.at });
  if (referral.duePendingYear !== null) await alertDuePending(tx, scope, referral.duePendingYear, referral);
  await scope.audit({
    action: 'referral.opened',
    subjectType: 'referral',
    subjectId: referral.id,
    agencyCode: referral.agencyCode,
    enterpriseCode: referral.enterpriseCode,
    districtCode: finding.districtCode,
    after: referral.state,
    payload: {
      source: referral.source,
      competentAgencyCode: referral.competentAgencyCode,
      inspectionId: referral.inspectionId,
      foundOn: referral.foundOn,
      dueDate: referral.dueDate,
      duePendingYear: referral.duePendingYear,
      description: referral.description,
      evidence: referral.evidence,
    },
  });
  return referral;
}

const blank = {
  sentAt: null,
  sentOn: null,
  sentBy: null,
  receivedAt: null,
  receivedBy: null,
  acceptedAt: null,
  acceptedBy: null,
  acceptanceRef: null,
  superiorAgencyCode: null,
  escalationGround: null,
  escalatedBy: null,
  escalatedAt: null,
  crimeTransferDocNo: null,
  crimeTransferOrgan: null,
  crimeTransferredBy: null,
  crimeTransferredAt: null,
} as const;

/** POST /referrals: a violation described, with its evidence, referred by hand. */
/** What a finding brought by hand must satisfy, for a referral or a crime transfer alike (Art. 23): the
 * enterprise registered, the linked inspection the agency's own at that enterprise, the discovery date not
 * before that inspection began nor after today, device evidence usable (Art. 34–37). Returns the date found. */
export async function checkFinding(
  tx: Db,
  at: Date,
  input: { agencyCode: string; enterpriseCode: string; inspectionId?: string | null; foundOn?: string | null; evidence: Parameters<typeof assertDeviceEvidence>[1] },
): Promise<string> {
  if (!(await findEnterprise(tx, input.enterpriseCode))) throw DomainError.field('body.enterpriseCode', `企业 ${input.enterpriseCode} 未登记`, 'REFERENCE_INVALID');
  const today = shanghaiDate(at);
  const foundOn = input.foundOn ?? today;
  let earliest: string | null = null;
  if (input.inspectionId) {
    const [i] = await tx.select().from(inspections).where(eq(inspections.id, input.inspectionId));
    if (!i || i.agencyCode !== input.agencyCode || i.enterpriseCode !== input.enterpriseCode) {
      throw DomainError.field('body.inspectionId', '只能关联本单位对该企业的行政检查', 'REFERENCE_INVALID');
    }
    earliest = (await inspectionDays(tx, i)).startedOn;
  }
  const problem = foundOnProblem(foundOn, { earliest, latest: today, latestIs: '今天' });
  if (problem) throw DomainError.field('body.foundOn', problem);
  await assertDeviceEvidence(tx, input.evidence, 'body.evidence', at);
  return foundOn;
}

export async function openReferral(tx: Db, scope: CommandScope, actor: Principal, input: OpenReferralInput, calendar: WorkingCalendar): Promise<Referral> {
  if (!((actor.role === 'officer' || actor.role === 'agency_head') && actor.agency === input.agencyCode)) {
    throw new DomainError('OUT_OF_SCOPE', '只能以本单位名义移送违法线索');
  }
  const finding = await findAgency(tx, input.agencyCode);
  if (!finding) throw DomainError.field('body.agencyCode', `行政执法主体 ${input.agencyCode} 不存在`, 'REFERENCE_INVALID');
  await competentAgency(tx, input.competentAgencyCode, input.agencyCode, 'body.competentAgencyCode');
  const foundOn = await checkFinding(tx, scope.at, input);
  return insertAndAudit(tx, scope, actor, finding, {
    id: randomUUID(),
    agencyCode: input.agencyCode,
    competentAgencyCode: input.competentAgencyCode,
    enterpriseCode: input.enterpriseCode,
    inspectionId: input.inspectionId ?? null,
    source: 'manual',
    description: input.description,
    evidence: input.evidence,
    foundOn,
    ...referralDue(calendar, foundOn),
    state: 'opened',
    ...blank,
  });
}

export interface FindingsReferralEntry {
  description: string;
  competentAgencyCode: string;
  /** Shanghai date the violation was found; defaults to the visit's date (discovery on site). */
  foundOn?: string;
}

/**
 * Opens one referral per out-of-jurisdiction violation recorded in an inspection's findings, inside the
 * findings transaction (so the findings and their referrals commit or fail together). The finding date is
 * the visit's date (the violation was found on site), not the day the findings were typed; an item may
 * state its own, within the inspection's start and the visit's date (src/referrals/discovery.ts). Without a calendar passed in, the official one is read in `tx`.
 */
export async function openReferralsFromFindings(
  tx: Db,
  scope: CommandScope,
  actor: Principal,
  inspection: Pick<Inspection, 'id' | 'agencyCode' | 'enterpriseCode' | 'windowStart' | 'countedDate'>,
  entries: readonly FindingsReferralEntry[],
  calendar?: WorkingCalendar,
): Promise<Referral[]> {
  if (entries.length === 0) return [];
  const cal = calendar ?? (await new CalendarService(tx).current());
  const finding = (await findAgency(tx, inspection.agencyCode))!;
  const days = await inspectionDays(tx, inspection);
  const out: Referral[] = [];
  for (const [i, entry] of entries.entries()) {
    await competentAgency(tx, entry.competentAgencyCode, inspection.agencyCode, `body.outOfJurisdiction[${i}].competentAgencyCode`);
    const foundOn = entry.foundOn ?? days.visitedOn;
    const problem = foundOnProblem(foundOn, { earliest: days.startedOn, latest: days.visitedOn, latestIs: '现场检查之日' });
    if (problem) throw DomainError.field(`body.outOfJurisdiction[${i}].foundOn`, problem);
    out.push(
      await insertAndAudit(tx, scope, actor, finding, {
        id: randomUUID(),
        agencyCode: inspection.agencyCode,
        competentAgencyCode: entry.competentAgencyCode,
        enterpriseCode: inspection.enterpriseCode,
        inspectionId: inspection.id,
        source: 'findings',
        description: entry.description,
        evidence: [{ kind: 'record', ref: `inspection:${inspection.id}`, description: '行政检查记录（检查情况与处理结果）' }],
        foundOn,
        ...referralDue(cal, foundOn),
        state: 'opened',
        ...blank,
      }),
    );
  }
  return out;
}
