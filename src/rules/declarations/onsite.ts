import { a, cmd, defineRule, job } from '../define.js';
import { addDays } from '../../time/shanghai-date.js';
import { settingZh } from '../setting-text.js';
import { DRAFT, FINDINGS, ISSUE, JOINT_FINDINGS, REJECT_DECLARATION, REPORT, SCAN } from './commands.js';
import type { GuardFacts } from '../guard-facts.js';
import { ruleResult, type RuleResult } from '../result.js';

/**
 * The inspection itself (Art. 9, 13, 18, 32): a case inspection's lead, the on-site team and its
 * certificates, off-site first. Each check is named by its rule id.
 */
export const LEAD_KINDS = ['complaint', 'referral', 'assignment', 'platform_monitoring', 'enterprise_request', 'follow_up', 'other'] as const;

/**
 * Art. 9, 13: where a case inspection's lead came from, in words — for CASE_WITHOUT_LEAD's message (every kind,
 * in this order) and for every screen (src/visits/terms-zh.ts serves it as LEAD_KIND_ZH).
 */
export const LEAD_KINDS_ZH: Record<(typeof LEAD_KINDS)[number], string> = {
  complaint: '投诉举报',
  referral: '移送',
  assignment: '转办交办',
  platform_monitoring: '平台监测',
  enterprise_request: '企业申请',
  follow_up: '跟踪检查',
  // Art. 9's list ends in 等: a lead of another kind, described in its reference.
  other: '其他线索',
};

/**
 * Art. 9: 根据投诉举报、转办交办、平台监测、企业申请等实施的有线索可查的检查. The list ends in 等, so it is open:
 * a lead of another kind (a newspaper report, a letter from another authority) is `other`, and since the
 * article asks a lead that can be traced (有线索可查), an `other` lead must say what it is and where it is
 * found (`leadRef`, e.g. 《长江日报》2026年3月5日报道). The other kinds keep their reference optional as before.
 */
export function CASE_WITHOUT_LEAD(f: GuardFacts): RuleResult {
  const known = f.leadKind !== null && (LEAD_KINDS as readonly string[]).includes(f.leadKind);
  const described = f.leadKind !== 'other' || Boolean(f.leadRef?.trim());
  const ok = f.kind !== 'case' || (known && described);
  const kinds = LEAD_KINDS.map((k) => LEAD_KINDS_ZH[k]).join('、');
  const detail = known && !described
    ? '个案检查的线索为其他线索的，须写明线索内容及出处（如某报某日的报道），以便有线索可查（第九条）'
    : `个案检查须载明线索来源：${kinds}（第九条：根据投诉举报、转办交办、平台监测、企业申请等实施的有线索可查的检查）`;
  return ruleResult('CASE_WITHOUT_LEAD', ok, f.leadKind, LEAD_KINDS, detail);
}

/**
 * Art. 18 governs 本办法第十七条规定的现场检查 — on-site routine and special inspections. A case inspection is
 * not one, and the Order sets it no team rule (its own laws do; docs/COMPLIANCE.md), so neither check
 * below applies to it.
 */
const isArticle17Visit = (f: GuardFacts) => f.mode === 'onsite' && f.kind !== 'case';
const isCertified = (i: { certificateNo: string }) => i.certificateNo.trim() !== '';

/**
 * Art. 18(1): 不得少于两人，法律另有规定的除外 — at least two certified inspectors. A recorded legal basis for
 * a smaller team relaxes the count to one; it never relaxes the certificate (INSPECTOR_UNCERTIFIED).
 */
export function TEAM_TOO_SMALL(f: GuardFacts): RuleResult {
  const certified = f.inspectors.filter(isCertified).length;
  const minimum = f.teamExceptionBasis ? 1 : 2;
  const detail = f.teamExceptionBasis
    ? `持执法证的检查人员为 ${certified} 人；依据“${f.teamExceptionBasis}”可少于两人，但至少须有一名持证检查人员`
    : `持执法证的检查人员仅 ${certified} 人，现场检查不得少于两人（法律另有规定的须载明依据）`;
  return ruleResult('TEAM_TOO_SMALL', !isArticle17Visit(f) || certified >= minimum, certified, minimum, detail, f.teamExceptionBasis ? detail : undefined);
}

/** Art. 18(2): 主动出示执法证件 — every inspector on the visit holds an enforcement certificate. */
export function INSPECTOR_UNCERTIFIED(f: GuardFacts): RuleResult {
  const without = f.inspectors.filter((i) => !isCertified(i)).map((i) => i.name);
  return ruleResult(
    'INSPECTOR_UNCERTIFIED',
    !isArticle17Visit(f) || without.length === 0,
    without.length,
    0,
    `检查人员 ${without.join('、')} 未登记执法证件号；现场检查的每名检查人员均须持有并主动出示执法证件`,
  );
}

export function ONSITE_WHEN_OFFSITE_SUFFICES(f: GuardFacts): RuleResult {
  const capableMatters = f.matters.filter((m) => m.published?.offsiteCapable);
  const capable = capableMatters.map((m) => m.code);
  // The Art. 32 follow-up reason (an off-site item followed up on site) is such a reason too.
  const ok = f.mode !== 'onsite' || capable.length === 0 || Boolean(f.onsiteReason) || Boolean(f.offsiteFollowUpReason);
  const named = capableMatters.map((m) => `“${m.published!.name}”`).join('、');
  return ruleResult('ONSITE_WHEN_OFFSITE_SUFFICES', ok, capable, 'a reason why off-site will not serve', `检查事项${named}可通过非现场检查实施，现场检查须说明非现场检查不能达到目的的理由`);
}

/** Art. 17: a visit under a code needs the code in force — not revoked, not spent with its closed inspection. */
export function ONSITE_WITHOUT_CODE(codeState: string): RuleResult {
  const detail = codeState === 'revoked' ? '该检查码已被撤销，不能据此实施检查' : '该检查已结束，检查码已失效';
  return ruleResult('ONSITE_WITHOUT_CODE', codeState === 'active', codeState, 'active', codeState === 'active' ? undefined : detail);
}

export interface ScanFacts {
  /** Where the scan happened (the scanning enterprise) and whom the code names. */
  atEnterprise: string;
  enterprise: string;
  at: Date;
  /** The code's effective start (never before its issuance) and its end. */
  validFrom: Date;
  validTo: Date;
  /** Art. 17(1) read with emergencies: a late scan with its reason is accepted (and flagged). */
  lateReason?: string | null;
}

/** Art. 17(1): the code is scanned at the enterprise it names, within its validity (a late scan only with a reason). */
export function CODE_OUTSIDE_WINDOW(f: ScanFacts): RuleResult {
  if (f.atEnterprise !== f.enterprise) {
    return ruleResult('CODE_OUTSIDE_WINDOW', false, { enterprise: f.atEnterprise }, { enterprise: f.enterprise }, '该检查码登记的检查对象不是本企业');
  }
  if (f.at < f.validFrom) {
    return ruleResult('CODE_OUTSIDE_WINDOW', false, f.at.toISOString(), { from: f.validFrom.toISOString() }, '尚未到检查码的生效时间');
  }
  if (f.at > f.validTo && !f.lateReason) {
    return ruleResult('CODE_OUTSIDE_WINDOW', false, f.at.toISOString(), { to: f.validTo.toISOString() }, '已超过检查码登记的检查时间；确因紧急情况或系统故障补扫的，须说明理由');
  }
  return ruleResult('CODE_OUTSIDE_WINDOW', true, f.at.toISOString(), { from: f.validFrom.toISOString(), to: f.validTo.toISOString() });
}


/** Art. 25: what an inspection's archiving duty reads on `today`. */
export interface ArchiveFacts {
  agencyName: string;
  /** The Shanghai date the result was notified (Art. 18(5)): the inspection is finished then. */
  notifiedOn: string;
  archived: boolean;
  today: string;
  /** ARCHIVE_WITHIN_DAYS, a setting. */
  days: number;
}

export function NOT_ARCHIVED(f: ArchiveFacts): RuleResult {
  const deadline = addDays(f.notifiedOn, f.days);
  return ruleResult(
    'NOT_ARCHIVED',
    f.archived || f.today <= deadline,
    `unarchived on ${f.today}`,
    deadline,
    `${f.agencyName}于${f.notifiedOn}告知检查结果，截至${f.today}仍未将行政执法文书、证据等归档，违反第二十五条；${settingZh('归档期限', f.days, '日')}，应于${deadline}前归档`,
  );
}

/** Art. 18(5): the result of an on-site routine or special inspection, notified by `deadline` (working days, a setting). */
export interface ResultNoticeFacts {
  agencyName: string;
  foundOn: string;
  deadline: string;
  today: string;
  days: number;
  notified: boolean;
}

export function RESULT_NOT_NOTIFIED(f: ResultNoticeFacts): RuleResult {
  return ruleResult(
    'RESULT_NOT_NOTIFIED',
    f.notified || f.today <= f.deadline,
    `unnotified on ${f.today}`,
    f.deadline,
    `${f.agencyName}于${f.foundOn}记录检查情况，截至${f.today}仍未将检查结果告知企业，违反第十八条第（五）项“行政检查结束后，将行政检查结果告知企业”的规定；${settingZh('检查结果告知期限', f.days, '个工作日')}，应于${f.deadline}前告知`,
  );
}

/** Art. 20 ¶2: the follow-up of a stop or rectification order, judged on `today`. */
export interface FollowUpFacts {
  agencyName: string;
  noticeNo: string | null;
  /** The enterprise's own term. */
  followUpDue: string;
  /** FOLLOW_UP_DAYS after it, a setting: the agency's follow-up is due by then. */
  days: number;
  today: string;
  /** The Shanghai date of the first follow-up's findings, if any. */
  firstFindingsOn: string | null;
  /** A follow-up inspection exists (with or without findings). */
  followUpPlanned: boolean;
}

export function RECTIFICATION_NO_FOLLOWUP(f: FollowUpFacts): RuleResult {
  const cutoff = addDays(f.followUpDue, f.days);
  const followedInTime = f.firstFindingsOn !== null && f.firstFindingsOn <= cutoff;
  const found = f.firstFindingsOn
    ? `跟踪检查于${f.firstFindingsOn}才记录检查情况，晚于期限`
    : f.followUpPlanned
      ? `已制定跟踪检查，但截至${f.today}未记录检查情况`
      : `截至${f.today}无本单位对该企业的跟踪检查记录`;
  return ruleResult(
    'RECTIFICATION_NO_FOLLOWUP',
    f.today <= cutoff || followedInTime,
    f.firstFindingsOn ? `follow-up findings on ${f.firstFindingsOn}` : f.followUpPlanned ? 'follow-up without findings' : 'no follow-up',
    cutoff,
    `${f.agencyName}责令停止或改正（${f.noticeNo ?? '文号未填'}），企业期限为${f.followUpDue}，应于${cutoff}前进行跟踪检查并予以记录；${found}，违反第二十条第二款`,
  );
}

// ---- The inspection (Art. 9, 17–20, 22, 25, 32): one declaration per rule ----

export const CaseWithoutLead = defineRule({
  id: 'CASE_WITHOUT_LEAD',
  articles: [a(9), a(13)],
  kind: 'guard+detector',
  severity: 'high',
  titleZh: '个案检查无线索来源',
  titleEn: 'Case inspection without a lead',
  check: CASE_WITHOUT_LEAD,
  raisers: { guardedBy: [DRAFT], raisedBy: [REJECT_DECLARATION] },
});

export const OnsiteWithoutApproval = defineRule({
  id: 'ONSITE_WITHOUT_APPROVAL',
  articles: [a(17, 1)],
  kind: 'guard',
  severity: 'high',
  titleZh: '检查方案未经行政执法主体负责人批准',
  titleEn: 'Inspection scheme not approved by the agency head',
  raisers: { guardedBy: [ISSUE] },
});

export const OnsiteWithoutCode = defineRule({
  id: 'ONSITE_WITHOUT_CODE',
  articles: [a(17)],
  kind: 'guard+detector',
  severity: 'high',
  titleZh: '现场检查未获取检查码',
  titleEn: 'On-site inspection without an inspection code',
  check: ONSITE_WITHOUT_CODE,
  raisers: { guardedBy: [SCAN], raisedBy: [REPORT, cmd('importInspections', 'src/exchange/imports.ts')] },
});

export const CodeNotScanned = defineRule({
  id: 'CODE_NOT_SCANNED',
  articles: [a(17, 2), a(18, 2)],
  kind: 'detector',
  severity: 'medium',
  titleZh: '进入现场未出示检查码并扫码',
  titleEn: 'Code not shown and scanned on entry',
  raisers: { raisedBy: [FINDINGS, JOINT_FINDINGS] },
});

export const CodeOutsideWindow = defineRule({
  id: 'CODE_OUTSIDE_WINDOW',
  articles: [a(17, 1)],
  kind: 'guard+detector',
  severity: 'high',
  titleZh: '扫码时间或对象与登记信息不符',
  titleEn: 'Scan outside the registered window or at another enterprise',
  check: CODE_OUTSIDE_WINDOW,
  raisers: { guardedBy: [SCAN], raisedBy: [SCAN, REJECT_DECLARATION] },
});

export const TeamTooSmall = defineRule({
  id: 'TEAM_TOO_SMALL',
  articles: [a(18, 1)],
  kind: 'guard+detector',
  severity: 'high',
  titleZh: '现场检查执法人员少于两人',
  titleEn: 'Fewer than two certified inspectors',
  check: TEAM_TOO_SMALL,
  raisers: { guardedBy: [DRAFT, ISSUE], raisedBy: [REJECT_DECLARATION] },
});

export const NoticeMissing = defineRule({
  id: 'NOTICE_MISSING',
  articles: [a(17, 1), a(18, 3)],
  kind: 'detector',
  severity: 'medium',
  titleZh: '未出具行政检查通知书',
  titleEn: 'Inspection notice not issued',
  raisers: { notCheckable: { zh: '行政检查通知书随检查码由平台生成，执法人员是否在实施检查时向企业出具，平台内没有可据以判断的记录（下载或打印不等于出具）', en: 'The platform generates the notice with every code; whether the officers handed it over at the visit leaves no record here (a download or a print is not a handing over)', } },
});

export const ResultNotNotified = defineRule({
  id: 'RESULT_NOT_NOTIFIED',
  articles: [a(18, 5)],
  kind: 'detector',
  severity: 'medium',
  titleZh: '检查结束后未将结果告知企业',
  titleEn: 'Result not notified to the enterprise',
  check: RESULT_NOT_NOTIFIED,
  raisers: { raisedBy: [job('result-not-notified')] },
});

export const RectificationNoFollowup = defineRule({
  id: 'RECTIFICATION_NO_FOLLOWUP',
  articles: [a(20)],
  kind: 'detector',
  severity: 'medium',
  titleZh: '责令停止或改正后未进行跟踪检查',
  titleEn: 'No follow-up inspection after a stop or rectification order',
  check: RECTIFICATION_NO_FOLLOWUP,
  raisers: { raisedBy: [job('rectification-no-followup')] },
});

export const CostShifted = defineRule({
  id: 'COST_SHIFTED',
  articles: [a(22), a(40, 1)],
  kind: 'detector',
  severity: 'high',
  titleZh: '检验检测等费用转嫁给企业',
  titleEn: 'Sampling or testing costs charged to the enterprise',
  raisers: { raisedBy: [FINDINGS, REPORT] },
});

export const RepeatedTesting = defineRule({
  id: 'REPEATED_TESTING',
  articles: [a(40, 7)],
  kind: 'detector',
  severity: 'medium',
  titleZh: '重复检验、检疫、检测或者技术鉴定',
  titleEn: 'Repeated testing of the same item',
  raisers: { raisedBy: [FINDINGS, REPORT] },
});

export const NoPenaltyGroundUnfounded = defineRule({
  id: 'NO_PENALTY_GROUND_UNFOUNDED',
  articles: [a(20)],
  kind: 'detector',
  severity: 'medium',
  titleZh: '所载不予处罚或免于处罚情形经监督审核不予认可',
  titleEn: 'Stated no-penalty ground rejected by the supervisors',
  raisers: { raisedBy: [REJECT_DECLARATION] },
});

export const NotArchived = defineRule({
  id: 'NOT_ARCHIVED',
  articles: [a(25)],
  kind: 'detector',
  severity: 'low',
  titleZh: '行政检查文书、证据未归档',
  titleEn: 'Documents and evidence not archived',
  check: NOT_ARCHIVED,
  raisers: { raisedBy: [job('not-archived')] },
});

export const InspectorUncertified = defineRule({
  id: 'INSPECTOR_UNCERTIFIED',
  articles: [a(18, 2)],
  kind: 'guard',
  severity: 'high',
  titleZh: '现场检查人员未持执法证件',
  titleEn: 'An on-site inspector without an enforcement certificate',
  check: INSPECTOR_UNCERTIFIED,
  raisers: { guardedBy: [DRAFT, ISSUE] },
});

export const OnsiteWhenOffsiteSuffices = defineRule({
  id: 'ONSITE_WHEN_OFFSITE_SUFFICES',
  articles: [a(32)],
  kind: 'guard+detector',
  severity: 'medium',
  titleZh: '可通过非现场检查达到目的却实施现场检查且未说明理由',
  titleEn: 'On-site inspection of an off-site-capable matter without a reason',
  check: ONSITE_WHEN_OFFSITE_SUFFICES,
  raisers: { guardedBy: [DRAFT, ISSUE], raisedBy: [REJECT_DECLARATION] },
});
