import { randomUUID } from 'node:crypto';
import type { Principal } from '../auth/principal.js';
import type { CommandScope, RefusalSubject } from '../commands/command.js';
import type { Db } from '../db/client.js';
import { offsiteRecords, type Inspector, type OffsiteEvidence } from '../db/schema/index.js';
import { assertDeviceEvidence, deviceEvidenceRefusalSubject } from '../devices/evidence.js';
import { DomainError } from '../errors/domain-error.js';
import { assertOwnAgency } from '../access/visits.js';
import { draftInspection, type Drafted } from '../visits/commands/draft.js';
import { stepInspection } from '../visits/commands/lifecycle.js';
import type { InspectionHooks } from '../visits/hooks.js';
import { refuseFailed } from '../visits/plan-checks.js';
import { type Inspection } from '../visits/repository.js';
import { countLockKeys, lockForCount } from '../visits/count-locks.js';
import { findAgency } from '../registry/agencies.repository.js';
import { findEnterprise } from '../registry/enterprises.repository.js';
import { ruleArticle } from '../rules/catalog.js';
import type { RuleResult } from '../rules/result.js';
import { addDays, shanghaiDate, startOfShanghaiDay } from '../time/shanghai-date.js';
import { noticeBody, noticeTitle, type OffsiteSource } from './notice-text.js';
import { insertNotice, type EnterpriseNotice } from './notices.repository.js';

/**
 * 非现场检查 (Art. 16, 32–33, 37): recorded, not visited, so no code. It is an inspections row (mode
 * 'offsite') taken straight from draft to findings_recorded (RECORD_OFFSITE), so it counts toward caps like
 * any inspection; its off-site facts go to offsite_records. A suspected violation produces the plain-language
 * notice to the enterprise (OFFSITE_NOTICE, Art. 37), and, where an on-site check is needed, an on-site case
 * inspection draft led by platform monitoring (Art. 32: 非现场检查不能达到目的的，及时进行现场检查).
 */
export interface OffsiteInput {
  agencyCode: string;
  enterpriseCode: string;
  kind: 'routine' | 'special' | 'case';
  matterCodes: string[];
  planId?: string;
  specialPlanId?: string;
  leadKind?: string;
  leadRef?: string;
  inspectors: Inspector[];
  source: OffsiteSource;
  sourceDetails: Record<string, string>;
  observedAt: string;
  summary: string;
  items: { item: string; result: 'compliant' | 'violation' | 'not_applicable'; note?: string }[];
  evidence: OffsiteEvidence[];
  suspectedViolation?: {
    observed: string;
    ruleBasis: string;
    howToCorrect: string;
    correctBy?: string;
    contact: { department: string; phone: string; name?: string };
    onsite?: { reason: string; windowStart: string; windowEnd: string; inspectors: Inspector[]; checklist?: string[] };
  };
}

export interface OffsiteRecorded {
  inspection: Inspection;
  record: typeof offsiteRecords.$inferSelect;
  checks: RuleResult[];
  notice: EnterpriseNotice | null;
  onsiteDraft: Drafted | null;
}

function validate(input: OffsiteInput, today: string): void {
  const violations = input.items.filter((i) => i.result === 'violation').length;
  if (violations > 0 && !input.suspectedViolation) {
    throw DomainError.field('body.suspectedViolation', '非现场检查发现涉嫌违法的，须制作违法行为告知提示信息告知企业（第三十七条）');
  }
  if (violations === 0 && input.suspectedViolation) throw DomainError.field('body.items', '填写了涉嫌违法告知，但没有任何检查项目记为违法');
  if (input.suspectedViolation?.correctBy && input.suspectedViolation.correctBy < today) {
    throw DomainError.field('body.suspectedViolation.correctBy', '改正期限不能早于今天');
  }
}

export async function recordOffsite(tx: Db, scope: CommandScope, actor: Principal, input: OffsiteInput, hooks: InspectionHooks, resultsRecognisedDays: number): Promise<OffsiteRecorded> {
  assertOwnAgency(actor, input.agencyCode);
  const today = shanghaiDate(scope.at);
  validate(input, today);
  const observedAt = new Date(input.observedAt);
  if (observedAt > scope.at) throw DomainError.field('body.observedAt', '发现时间不能晚于当前时间');
  await assertDeviceEvidence(tx, input.evidence, 'body.evidence', scope.at);
  // The count and the insert under the enterprise's lock (Art. 15 caps) and the sampling keys' of its class plan
  // items (Art. 13 检查比例), taken as code issuance takes them (src/visits/count-locks.ts): a recorded off-site
  // inspection counts toward an off-site class item's ratio as a code counts toward an on-site one.
  await lockForCount(tx, countLockKeys({ ...input, mode: 'offsite', countedDate: today }));
  const drafted = await draftInspection(tx, scope, actor, {
    agencyCode: input.agencyCode,
    enterpriseCode: input.enterpriseCode,
    kind: input.kind,
    mode: 'offsite',
    matterCodes: input.matterCodes,
    // Recorded on the day it is done: the inspection counts on that Shanghai date.
    windowStart: scope.at.toISOString(),
    windowEnd: startOfShanghaiDay(addDays(today, 1)).toISOString(),
    inspectors: input.inspectors,
    checklist: input.items.map((i) => i.item),
    planId: input.planId,
    specialPlanId: input.specialPlanId,
    leadKind: input.leadKind,
    leadRef: input.leadRef,
  }, hooks, resultsRecognisedDays);
  refuseFailed(drafted.checks);
  const suspected = input.suspectedViolation;
  const noticeId = suspected ? randomUUID() : null;
  const inspection = await stepInspection(tx, scope, actor, drafted.inspection.id, {
    event: { type: 'RECORD_OFFSITE' },
    action: 'inspection.offsite_recorded',
    patch: (_i, at) => ({
      findings: { mode: 'offsite', source: input.source, summary: input.summary, items: input.items },
      findingsAt: at,
      outcome: suspected ? { kind: 'offsite_notice', noticeId } : { kind: 'no_violation' },
    }),
    payload: { source: input.source, sourceDetails: input.sourceDetails, observedAt: input.observedAt, evidence: input.evidence, suspectedViolation: Boolean(suspected) },
  }, hooks);

  let notice: EnterpriseNotice | null = null;
  let onsiteDraft: Drafted | null = null;
  if (suspected) {
    notice = await issueNotice(tx, scope, actor, inspection, noticeId!, input, observedAt);
    if (suspected.onsite) {
      onsiteDraft = await draftInspection(tx, scope, actor, {
        agencyCode: input.agencyCode,
        enterpriseCode: input.enterpriseCode,
        kind: 'case',
        mode: 'onsite',
        matterCodes: input.matterCodes,
        windowStart: suspected.onsite.windowStart,
        windowEnd: suspected.onsite.windowEnd,
        inspectors: suspected.onsite.inspectors,
        checklist: suspected.onsite.checklist ?? input.items.filter((i) => i.result === 'violation').map((i) => i.item),
        leadKind: 'platform_monitoring',
        leadRef: `offsite:${inspection.id}`,
        onsiteReason: suspected.onsite.reason,
      }, hooks, resultsRecognisedDays);
    }
  }
  const [record] = await tx
    .insert(offsiteRecords)
    .values({
      inspectionId: inspection.id,
      source: input.source,
      sourceDetails: input.sourceDetails,
      observedAt,
      summary: input.summary,
      evidence: input.evidence,
      suspectedViolation: Boolean(suspected),
      noticeId,
      onsiteInspectionId: onsiteDraft?.inspection.id ?? null,
      createdAt: scope.at,
    })
    .returning();
  return { inspection, record: record!, checks: drafted.checks, notice, onsiteDraft };
}

async function issueNotice(tx: Db, scope: CommandScope, actor: Principal, i: Inspection, id: string, input: OffsiteInput, observedAt: Date): Promise<EnterpriseNotice> {
  const s = input.suspectedViolation!;
  const agency = (await findAgency(tx, i.agencyCode))!;
  const enterprise = (await findEnterprise(tx, i.enterpriseCode))!;
  const notice = await insertNotice(tx, {
    id,
    rule: 'OFFSITE_NOTICE',
    article: ruleArticle('OFFSITE_NOTICE'),
    agencyCode: i.agencyCode,
    enterpriseCode: i.enterpriseCode,
    inspectionId: i.id,
    title: noticeTitle(agency.name),
    observed: s.observed,
    observedAt,
    ruleBasis: s.ruleBasis,
    howToCorrect: s.howToCorrect,
    correctBy: s.correctBy ?? null,
    contact: s.contact,
    body: noticeBody({ enterpriseName: enterprise.name, agencyName: agency.name, source: input.source, observed: s.observed, observedAt, ruleBasis: s.ruleBasis, howToCorrect: s.howToCorrect, correctBy: s.correctBy, contact: s.contact }),
    issuedBy: actor.sub,
    issuedAt: scope.at,
  });
  await scope.audit({
    action: 'notice.issued',
    subjectType: 'enterprise_notice',
    subjectId: notice.id,
    agencyCode: i.agencyCode,
    enterpriseCode: i.enterpriseCode,
    districtCode: agency.districtCode,
    payload: { rule: 'OFFSITE_NOTICE', article: notice.article, inspectionId: i.id, title: notice.title },
  });
  return notice;
}

/** Refusals of an off-site record: against the device whose evidence was refused, else the enterprise. */
export function offsiteRefusalSubject(input: Pick<OffsiteInput, 'evidence' | 'enterpriseCode' | 'agencyCode'>): RefusalSubject {
  return (
    deviceEvidenceRefusalSubject(input.evidence, input.agencyCode) ?? {
      subjectType: 'enterprise',
      subjectId: input.enterpriseCode,
      agencyCode: input.agencyCode,
      enterpriseCode: input.enterpriseCode,
    }
  );
}
