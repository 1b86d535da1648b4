import { a, cmd, defineRule, job } from '../define.js';
import { shanghaiDate } from '../../time/shanghai-date.js';
import { settingZh } from '../setting-text.js';
import { APPROVE_SPECIAL, CREATE_SPECIAL, DRAFT, ISSUE, LAUNCH_JOINT, REJECT_DECLARATION, SUBMIT_PLAN } from './commands.js';
import { ruleResult, type RuleResult } from '../result.js';

/**
 * PLAN_CONTENT (Art. 13): an annual routine plan states, for every matter, 检查事项、检查依据、检查主体、
 * 检查对象、检查项目、检查方式、检查频次、检查比例、检查必要性. A draft may be incomplete; submission is
 * refused until nothing is missing, and `observed` lists every missing field so the agency fixes them
 * all at once instead of one per round trip.
 */
export interface PlanItemContent {
  matterCode?: string | null;
  legalBasis?: string | null;
  targetKind?: 'named' | 'class' | null;
  targetEnterprises?: readonly string[] | null;
  targetClass?: string | null;
  samplingRatio?: number | null;
  checkItems?: readonly string[] | null;
  method?: 'onsite' | 'offsite' | null;
  /** Planned inspections per enterprise per year; 0 means not stated yet. */
  frequency?: number | null;
  necessity?: string | null;
}

export interface PlanContent {
  agencyCode?: string | null;
  year?: number | null;
  items: readonly PlanItemContent[];
}

/** Field names in the API and their Art. 13 terms, for the zh detail. */
export const PLAN_FIELD_ZH: Record<string, string> = {
  agencyCode: '检查主体',
  year: '计划年度',
  items: '检查事项',
  matterCode: '检查事项',
  legalBasis: '检查依据',
  targets: '检查对象',
  checkItems: '检查项目',
  method: '检查方式',
  frequency: '检查频次',
  samplingRatio: '检查比例',
  necessity: '检查必要性',
};

const blank = (s: string | null | undefined) => !s || s.trim().length === 0;

function missingOf(item: PlanItemContent): string[] {
  const out: string[] = [];
  if (blank(item.matterCode)) out.push('matterCode');
  if (blank(item.legalBasis)) out.push('legalBasis');
  const named = item.targetKind === 'named';
  if (!item.targetKind || (named ? !item.targetEnterprises?.length : blank(item.targetClass))) out.push('targets');
  if (!item.checkItems?.some((c) => !blank(c))) out.push('checkItems');
  if (!item.method) out.push('method');
  if (!item.frequency || item.frequency < 1) out.push('frequency');
  // A named list is inspected in full (ratio 1); a class of enterprises is sampled at a stated ratio.
  if (!named && (item.samplingRatio == null || item.samplingRatio <= 0 || item.samplingRatio > 1)) out.push('samplingRatio');
  if (blank(item.necessity)) out.push('necessity');
  return out;
}

/** `observed`: missing fields as paths (`items[1].necessity`); passes when the list is empty. */
export function PLAN_CONTENT(plan: PlanContent): RuleResult {
  const missing: string[] = [];
  const sentences: string[] = [];
  for (const [field, absent] of [['agencyCode', blank(plan.agencyCode)], ['year', !plan.year]] as const) {
    if (!absent) continue;
    missing.push(field);
    sentences.push(`计划缺少${PLAN_FIELD_ZH[field]}`);
  }
  if (plan.items.length === 0) {
    missing.push('items');
    sentences.push('计划未列入任何检查事项');
  }
  plan.items.forEach((item, i) => {
    const fields = missingOf(item);
    missing.push(...fields.map((f) => `items[${i}].${f}`));
    if (fields.length) {
      const label = item.matterCode ? `第${i + 1}项（${item.matterCode}）` : `第${i + 1}项`;
      sentences.push(`${label}缺少${fields.map((f) => PLAN_FIELD_ZH[f]).join('、')}`);
    }
  });
  const passed = missing.length === 0;
  const detail = passed ? undefined : `年度日常检查计划内容不完整（第十三条）：${sentences.join('；')}`;
  return ruleResult('PLAN_CONTENT', passed, missing, Object.keys(PLAN_FIELD_ZH).filter((k) => k !== 'items'), detail);
}


const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A plan revision's Art. 14 duty — publish it after filing, report it again after amending — as the
 * sweeper reads it: the revision, when its clock started, the days the platform allows (a setting), and
 * whether the duty is still undone at `at`.
 */
export interface RevisionDutyFacts {
  plan: 'annual' | 'special';
  agencyName: string;
  /** The annual plan's year, the special plan's title. */
  label: string;
  revision: number;
  since: Date;
  at: Date;
  days: number;
  /** The duty is still undone (not published; not reported again). */
  pending: boolean;
}

const overdue = (f: RevisionDutyFacts) => f.pending && f.since.getTime() <= f.at.getTime() - f.days * DAY_MS;
const planName = (f: RevisionDutyFacts) => (f.plan === 'annual' ? `${f.label}年度日常检查计划` : `专项检查计划“${f.label}”`);

/** Art. 14: a filed plan (revision) is published; overdue once `days` have passed since filing. */
export function PLAN_NOT_PUBLISHED(f: RevisionDutyFacts): RuleResult {
  const filedOn = shanghaiDate(f.since);
  return ruleResult('PLAN_NOT_PUBLISHED', !overdue(f), filedOn, f.days, `${f.agencyName}${planName(f)}（第${f.revision}版）于${filedOn}备案，未依法向社会公布，违反第十四条；${settingZh('备案后公布的期限', f.days, '日')}`);
}

/**
 * Art. 14 ¶2 (应当在检查计划调整后报送备案), the detector half: an amended plan still not reported again
 * `days` after the amendment. The guard half (changed and new items cover nothing until reported) is the
 * plan coverage in src/plans/filed-plan.ts and usable-special-plan.ts, which refuse with this rule.
 */
export function PLAN_AMENDED_NOT_REFILED(f: RevisionDutyFacts): RuleResult {
  const amendedOn = shanghaiDate(f.since);
  return ruleResult('PLAN_AMENDED_NOT_REFILED', !overdue(f), amendedOn, f.days, `${f.agencyName}${planName(f)}于${amendedOn}调整（第${f.revision}版），调整后未报送备案，违反第十四条第二款；${settingZh('调整后报送备案的期限', f.days, '日')}`);
}

/** What the 31 March duty reads: the plan of the year, if any, and where it stands on `today`. */
export interface FilingDeadlineFacts {
  agencyName: string;
  year: number;
  today: string;
  /** Null when the agency has no plan for the year. */
  planState: string | null;
  filed: boolean;
  submittedOn: string | null;
  /** A returned plan's resubmission date (PLAN_RESUBMIT_DAYS after the return). */
  resubmitBy: string | null;
}

const STANDING_ZH: Record<string, string> = {
  draft: '计划尚在起草，未报送',
  // The period is PLAN_RESUBMIT_DAYS, a setting: the Order names none (issue 22, point 12).
  returned: '计划被退回后未在本平台设置的重新报送期限内重新报送，本办法未规定该期限',
};

/** Art. 13: the annual plan is reported for filing by 31 March (a returned plan within its resubmission period). */
export function PLAN_FILING_DEADLINE(f: FilingDeadlineFacts): RuleResult {
  const deadline = `${f.year}-03-31`;
  const unreported = f.planState === null || (!f.filed && (f.submittedOn === null || (f.planState === 'returned' && f.resubmitBy !== null && f.resubmitBy < f.today)));
  return ruleResult('PLAN_FILING_DEADLINE', !(f.today > deadline && unreported), f.planState ?? 'no_plan', deadline, `${f.agencyName}${f.year}年度日常检查计划截至${deadline}仍未报送备案（${STANDING_ZH[f.planState ?? ''] ?? '尚未制定'}），违反第十三条`);
}

/** Art. 13 ¶3: an on-site case inspection held apart from a pending planned task it could have merged with. */
export interface MergeFacts {
  agencyName: string;
  countedDate: string;
  /** The planned tasks pending within the window when the case was drafted. */
  pending: string[];
  days: number;
}

export function CASE_MERGEABLE(f: MergeFacts): RuleResult {
  return ruleResult(
    'CASE_MERGEABLE',
    f.pending.length === 0,
    f.pending,
    `merged into a pending planned task within ${f.days} days`,
    `${f.agencyName}于${f.countedDate}对该企业单独实施个案现场检查，而本单位对该企业有尚未执行的计划检查任务（${f.pending.length} 项）可以合并实施，未予合并（第十三条第三款）；${settingZh('可合并的检查日期间隔', f.days, '日')}`,
  );
}

// ---- Plans (Art. 13, 14, 28): one declaration per rule ----

export const PlanContent = defineRule({
  id: 'PLAN_CONTENT',
  articles: [a(13)],
  kind: 'guard',
  severity: 'medium',
  titleZh: '年度日常检查计划内容不完整',
  titleEn: 'Annual plan lacks required content',
  check: PLAN_CONTENT,
  raisers: { guardedBy: [SUBMIT_PLAN] },
});

export const PlanFilingDeadline = defineRule({
  id: 'PLAN_FILING_DEADLINE',
  articles: [a(13)],
  kind: 'detector',
  severity: 'medium',
  titleZh: '年度日常检查计划未于3月31日前报送备案',
  titleEn: 'Annual plan not reported for filing by 31 March',
  check: PLAN_FILING_DEADLINE,
  raisers: { raisedBy: [job('plan-filing-deadline'), SUBMIT_PLAN] },
});

export const PlanReturned = defineRule({
  id: 'PLAN_RETURNED',
  articles: [a(14)],
  kind: 'state_machine',
  severity: 'low',
  titleZh: '检查计划被退回，需调整后重新报送备案',
  titleEn: 'Plan returned for adjustment and resubmission',
  raisers: { recordedBy: [cmd('returnPlan', 'src/plans/plan-filing.ts')] },
});

export const PlanAmendedNotRefiled = defineRule({
  id: 'PLAN_AMENDED_NOT_REFILED',
  articles: [a(14)],
  kind: 'guard+detector',
  severity: 'medium',
  titleZh: '检查计划调整后未报送备案',
  titleEn: 'Adjusted plan items used before being reported for filing',
  check: PLAN_AMENDED_NOT_REFILED,
  raisers: { guardedBy: [DRAFT, ISSUE, LAUNCH_JOINT], raisedBy: [job('plan-amended-not-refiled'), job('special-plan-amended-not-refiled')] },
});

export const PlanNotPublished = defineRule({
  id: 'PLAN_NOT_PUBLISHED',
  articles: [a(14)],
  kind: 'detector',
  severity: 'low',
  titleZh: '检查计划备案后未向社会公布',
  titleEn: 'Filed plan not published',
  check: PLAN_NOT_PUBLISHED,
  raisers: { raisedBy: [job('plan-not-published'), job('special-plan-not-published')] },
});

export const RoutineWithoutPlan = defineRule({
  id: 'ROUTINE_WITHOUT_PLAN',
  articles: [a(13)],
  kind: 'guard+detector',
  severity: 'high',
  titleZh: '日常检查无已报送备案的年度检查计划',
  titleEn: 'Routine inspection without a reported plan',
  raisers: { guardedBy: [DRAFT, ISSUE, LAUNCH_JOINT], raisedBy: [REJECT_DECLARATION] },
});

export const SpecialWithoutApproval = defineRule({
  id: 'SPECIAL_WITHOUT_APPROVAL',
  articles: [a(13)],
  kind: 'guard+detector',
  severity: 'high',
  titleZh: '专项检查计划未经批准和备案',
  titleEn: 'Special plan not approved and filed',
  raisers: { guardedBy: [DRAFT, ISSUE, CREATE_SPECIAL], raisedBy: [REJECT_DECLARATION] },
});

export const SpecialApproverNotCompetent = defineRule({
  id: 'SPECIAL_APPROVER_NOT_COMPETENT',
  articles: [a(13)],
  kind: 'guard',
  severity: 'high',
  titleZh: '专项检查计划未经同级人民政府或者实行垂直管理的上级主管部门批准',
  titleEn: 'Special plan approved by an authority Art. 13 does not name for the agency',
  raisers: { guardedBy: [APPROVE_SPECIAL] },
});

export const CaseMergeable = defineRule({
  id: 'CASE_MERGEABLE',
  articles: [a(13)],
  kind: 'advice+detector',
  severity: 'low',
  titleZh: '个案现场检查可与尚未执行的计划检查合并实施',
  titleEn: 'Case inspection could merge with a pending planned task',
  check: CASE_MERGEABLE,
  raisers: { raisedBy: [job('case-mergeable')] },
});

export const JointInPlan = defineRule({
  id: 'JOINT_IN_PLAN',
  articles: [a(28)],
  kind: 'guard',
  severity: 'medium',
  titleZh: '“综合查一次”检查事项未列入年度日常检查计划',
  titleEn: 'Joint-inspection matter missing from the annual plan',
  raisers: { guardedBy: [LAUNCH_JOINT] },
});

/**
 * CASE_MERGEABLE as the draft and the pre-check advise it (Art. 13 ¶3), before anything is executed: the planned
 * tasks the officer can merge the case inspection into. The sweeper's CASE_MERGEABLE check judges what was done.
 */
export const caseMergeableAdvice = (candidates: string[]): RuleResult =>
  CaseMergeable.fail(candidates, 'merge into a pending planned task', '本单位对该企业有尚未执行的计划检查任务，个案现场检查原则上应当合并实施（请通过合并操作办理）');
