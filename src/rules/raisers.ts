import { RULES, type RuleDef, type RuleId } from './catalog.js';
import { PROPOSAL_RAISERS } from '../proposals/rules.js';

/**
 * How each rule of the catalogue is applied: which commands refuse with it (guards), where its flag is
 * raised (detectors: a command or a sweeper job), or why the engine's data cannot show it. Kept beside the
 * catalogue, keyed by id, so the catalogue's one-line `rule(...)` calls stay as they are;
 * test/unit/rule-catalogue.test.ts fails when an entry is missing, names a command or job that does not
 * exist, or names one whose code never mentions the rule.
 */

/** A command: the exported function and the file that holds it (its code, or what it imports, names the rule). */
export interface CommandRef {
  command: string;
  file: string;
}
/** A due-date job of the sweeper (src/sweeper/registry.ts). */
export interface JobRef {
  job: string;
}
export type Raiser = CommandRef | JobRef;

export interface Reason {
  zh: string;
  en: string;
}

export interface RuleRaisers {
  /** Guards: the commands that refuse with this rule. */
  guardedBy?: readonly CommandRef[];
  /** Detectors: where the flag is raised. */
  raisedBy?: readonly Raiser[];
  /** Detectors the engine's data cannot show, and why. */
  notCheckable?: Reason;
  /** Record-only rules: the commands that record what the article asks (their code names the rule). */
  recordedBy?: readonly CommandRef[];
  /** A detector half another change in flight adds; listed so nobody takes it for watched. */
  pending?: Reason;
}

/** guard: refuses a command; detector: raises a flag; record-only: the engine records what the article asks but cannot judge it. */
export type RuleRole = 'guard' | 'detector' | 'record-only';

/** The catalogue's kind read as roles. Advice (a non-refusing check at drafting) is neither: its detector half is what counts. */
export function rolesOf(def: Pick<RuleDef, 'kind'>): RuleRole[] {
  switch (def.kind) {
    case 'guard':
      return ['guard'];
    case 'detector':
    case 'advice+detector':
      return ['detector'];
    case 'guard+detector':
      return ['guard', 'detector'];
    default:
      return ['record-only'];
  }
}

const cmd = (command: string, file: string): CommandRef => ({ command, file });
const job = (name: string): JobRef => ({ job: name });

const DRAFT = cmd('draftInspection', 'src/inspections/commands/draft.ts');
const ISSUE = cmd('issueCode', 'src/inspections/commands/issue-code.ts');
const SCAN = cmd('scanCode', 'src/inspections/commands/scan.ts');
const FINDINGS = cmd('recordFindings', 'src/inspections/commands/findings.ts');
const REPORT = cmd('fileEnterpriseReport', 'src/supervision/enterprise-report.ts');
const SUBMIT_PLAN = cmd('submitPlan', 'src/plans/plan-submit.ts');
const CREATE_SPECIAL = cmd('createSpecialPlan', 'src/plans/special-plan-create.ts');
const APPROVE_SPECIAL = cmd('approveSpecialPlan', 'src/plans/special-plan-commands.ts');
const LAUNCH_JOINT = cmd('launchJointTask', 'src/joint/task-launch.ts');
const JOINT_CODES = cmd('issueJointCodes', 'src/joint/task-code.ts');
const JOINT_FINDINGS = cmd('recordJointFindings', 'src/joint/task-visits.ts');
const OFFSITE = cmd('recordOffsite', 'src/offsite/record.ts');
const OPEN_REFERRAL = cmd('openReferral', 'src/referrals/open.ts');
const SEND_REFERRAL = cmd('sendReferral', 'src/referrals/steps.ts');
const REFUSE_REFERRAL = cmd('refuseReferral', 'src/referrals/steps.ts');
// A supervisor's rejection of a declared exemption raises a flag under the rule it relaxed (src/declarations/kinds.ts).
const REJECT_DECLARATION = cmd('rejectDeclaration', 'src/declarations/commands.ts');

export const RAISERS: Record<RuleId, RuleRaisers> = {
  SCOPE_ENTITY: { recordedBy: [DRAFT, ISSUE] },
  SCOPE_EXCLUDED_RELATION: { recordedBy: [DRAFT, ISSUE] },
  SCOPE_EFFECTIVE_DATE: { guardedBy: [DRAFT, ISSUE, REPORT] },
  SCOPE_NO_CODE: { guardedBy: [ISSUE] },
  SCOPE_RELATION_CONTRADICTED: { guardedBy: [DRAFT] },
  SCOPE_RELATION_UNFOUNDED: { raisedBy: [REJECT_DECLARATION] },
  NO_PENALTY_GROUND_UNFOUNDED: { raisedBy: [REJECT_DECLARATION] },
  CASE_RELABELLING: { raisedBy: [job('case-relabelling')] },
  LEAD_SHARED: { raisedBy: [job('lead-shared')] },
  DECLARATIONS_ABOVE_PEERS: { raisedBy: [job('declarations-above-peers')] },
  MATTER_UNPUBLISHED: { guardedBy: [DRAFT, ISSUE, SUBMIT_PLAN] },
  AGENCY_OUT_OF_AUTHORITY: { guardedBy: [DRAFT, ISSUE] },
  JURISDICTION_TERRITORIAL: { guardedBy: [DRAFT, ISSUE], raisedBy: [REJECT_DECLARATION] },
  CROSS_REGION_NO_ASSISTANCE: { guardedBy: [DRAFT, ISSUE], raisedBy: [REPORT, REJECT_DECLARATION] },
  PLAN_CONTENT: { guardedBy: [SUBMIT_PLAN] },
  PLAN_FILING_DEADLINE: { raisedBy: [job('plan-filing-deadline'), SUBMIT_PLAN] },
  PLAN_RETURNED: { recordedBy: [cmd('returnPlan', 'src/plans/plan-filing.ts')] },
  PLAN_AMENDED_NOT_REFILED: { guardedBy: [DRAFT, ISSUE, LAUNCH_JOINT], raisedBy: [job('plan-amended-not-refiled'), job('special-plan-amended-not-refiled')] },
  PLAN_NOT_PUBLISHED: { raisedBy: [job('plan-not-published'), job('special-plan-not-published')] },
  ROUTINE_WITHOUT_PLAN: { guardedBy: [DRAFT, ISSUE, LAUNCH_JOINT], raisedBy: [REJECT_DECLARATION] },
  SPECIAL_WITHOUT_APPROVAL: { guardedBy: [DRAFT, ISSUE, CREATE_SPECIAL], raisedBy: [REJECT_DECLARATION] },
  SPECIAL_APPROVER_NOT_COMPETENT: { guardedBy: [APPROVE_SPECIAL] },
  CASE_WITHOUT_LEAD: { guardedBy: [DRAFT], raisedBy: [REJECT_DECLARATION] },
  CASE_MERGEABLE: { raisedBy: [job('case-mergeable')] },
  FREQUENCY_CAP: { guardedBy: [DRAFT, ISSUE], raisedBy: [job('frequency-cap-exceeded')] },
  NO_DISTURB: { guardedBy: [ISSUE] },
  CASE_FREQUENCY_ANOMALY: { raisedBy: [job('case-frequency-anomaly')] },
  JOINT_IN_PLAN: { guardedBy: [LAUNCH_JOINT] },
  ONSITE_WITHOUT_APPROVAL: { guardedBy: [ISSUE] },
  ONSITE_WITHOUT_CODE: { guardedBy: [SCAN], raisedBy: [REPORT, cmd('importInspections', 'src/exchange/imports.ts')] },
  CODE_NOT_SCANNED: { raisedBy: [FINDINGS, JOINT_FINDINGS] },
  CODE_OUTSIDE_WINDOW: { guardedBy: [SCAN], raisedBy: [SCAN, REJECT_DECLARATION] },
  TEAM_TOO_SMALL: { guardedBy: [DRAFT, ISSUE], raisedBy: [REJECT_DECLARATION] },
  INSPECTOR_UNCERTIFIED: { guardedBy: [DRAFT, ISSUE] },
  NOTICE_MISSING: {
    notCheckable: {
      zh: '行政检查通知书随检查码由平台生成，执法人员是否在实施检查时向企业出具，平台内没有可据以判断的记录（下载或打印不等于出具）',
      en: 'The platform generates the notice with every code; whether the officers handed it over at the visit leaves no record here (a download or a print is not a handing over)',
    },
  },
  RESULT_NOT_NOTIFIED: { raisedBy: [job('result-not-notified')] },
  RECTIFICATION_NO_FOLLOWUP: { raisedBy: [job('rectification-no-followup')] },
  COST_SHIFTED: { raisedBy: [FINDINGS, REPORT] },
  REPEATED_TESTING: { raisedBy: [FINDINGS, REPORT] },
  NOT_ARCHIVED: { raisedBy: [job('not-archived')] },
  REFERRAL_OVERDUE: { raisedBy: [job('referral-overdue'), SEND_REFERRAL] },
  REFERRAL_REFUSED: { guardedBy: [REFUSE_REFERRAL], raisedBy: [cmd('flagRefusalAttempt', 'src/referrals/refusal-flag.ts')] },
  REFERRAL_NOT_RECEIVED: { raisedBy: [job('referral-not-received')] },
  CRIME_TRANSFER: { recordedBy: [cmd('transferCrime', 'src/referrals/steps.ts'), cmd('recordCrimeTransfer', 'src/referrals/crime-transfer.ts')] },
  JOINT_NOT_COORDINATED: { raisedBy: [job('joint-not-coordinated'), cmd('afterSingleCode', 'src/joint/part-hooks.ts'), JOINT_CODES] },
  JOINT_LIST_UNAPPROVED: { guardedBy: [LAUNCH_JOINT] },
  JOINT_OFFLINE: { recordedBy: [LAUNCH_JOINT] },
  JOINT_ONE_FORM: { recordedBy: [JOINT_FINDINGS] },
  JOINT_TEAM_TOO_LARGE: { guardedBy: [LAUNCH_JOINT, JOINT_CODES] },
  ONSITE_WHEN_OFFSITE_SUFFICES: { guardedBy: [DRAFT, ISSUE], raisedBy: [REJECT_DECLARATION] },
  DEVICE_NOT_PUBLISHED: { guardedBy: [OFFSITE, OPEN_REFERRAL] },
  DEVICE_UNREVIEWED: { guardedBy: [OFFSITE, OPEN_REFERRAL, cmd('reviewLegal', 'src/devices/commands.ts'), cmd('reviewTechnical', 'src/devices/commands.ts')] },
  DEVICE_NOT_IN_USE: { guardedBy: [OFFSITE, OPEN_REFERRAL] },
  OFFSITE_NOTICE: {
    notCheckable: {
      zh: '非现场检查记录违法行为时，平台即在同一事务中生成并向企业送达提示信息，不会出现未告知；平台外发现而未录入的违法行为没有记录，无从检测',
      en: 'Recording an off-site violation sends the enterprise its notice in the same transaction, so no record lacks one; a violation found outside the platform and never recorded leaves nothing to check',
    },
  },
  LEGAL_REP_REQUIRED: { raisedBy: [REPORT] },
  DISGUISED_INSPECTION: { raisedBy: [REPORT] },
  PROFIT_SEEKING: { raisedBy: [REPORT] },
  QUOTA: {
    notCheckable: {
      zh: '检查指标和考核考评、预算绩效方案不在本平台的数据中，无从判断是否下达指标或与检查频次、罚款数额挂钩',
      en: 'Evaluation schemes, quotas and budget-performance targets are not in the engine’s data, so a quota or a link to inspection counts or fines cannot be seen',
    },
  },
  ...PROPOSAL_RAISERS,
};

/** What GET /api/v1/rules and the compliance doc say about a rule's application. */
export function raisersOf(id: RuleId): RuleRaisers {
  return RAISERS[id] ?? {};
}

export const raiserLabel = (r: Raiser): string => ('job' in r ? `sweeper ${r.job}` : r.command);

export const RULE_IDS: readonly RuleId[] = RULES.map((r) => r.id);
