import { a, cmd, defineRule, job } from '../define.js';
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
  raisers: { guardedBy: [DRAFT, ISSUE, LAUNCH_JOINT], raisedBy: [job('plan-amended-not-refiled'), job('special-plan-amended-not-refiled')] },
});

export const PlanNotPublished = defineRule({
  id: 'PLAN_NOT_PUBLISHED',
  articles: [a(14)],
  kind: 'detector',
  severity: 'low',
  titleZh: '检查计划备案后未向社会公布',
  titleEn: 'Filed plan not published',
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
