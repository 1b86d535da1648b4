import { articlesLabel, type ArticleRef } from './article.js';
import { PROPOSAL_RULES } from '../proposals/rules.js';

/**
 * The regulation read as rules (shared/regulation/RULES.md). A guard refuses an action; a detector
 * raises a flag for supervisors; some rules are both. Every refusal and flag carries `id` and `article`.
 */
export type RuleKind = 'guard' | 'detector' | 'guard+detector' | 'classification' | 'state_machine' | 'advice+detector' | 'feature';
export type Severity = 'low' | 'medium' | 'high';

export interface RuleDef {
  id: string;
  articles: readonly ArticleRef[];
  kind: RuleKind;
  severity: Severity;
  titleZh: string;
  titleEn: string;
}

const rule = (
  id: string,
  articles: ArticleRef[],
  kind: RuleKind,
  severity: Severity,
  titleZh: string,
  titleEn: string,
): RuleDef => ({ id, articles, kind, severity, titleZh, titleEn });

const a = (article: number, item?: number): ArticleRef => (item === undefined ? { article } : { article, item });

export const RULES = [
  // Scope (Art. 2, 4, 42, 43)
  rule('SCOPE_ENTITY', [a(4), a(42)], 'classification', 'low', '检查对象不属于本办法适用范围', 'Entity outside the regulation’s scope'),
  rule('SCOPE_EXCLUDED_RELATION', [a(2)], 'classification', 'low', '基于隶属或国资监管关系的检查不适用本办法', 'Subordinate-unit or SOE supervision check is outside the regulation'),
  rule('SCOPE_EFFECTIVE_DATE', [a(43)], 'guard', 'low', '本办法自2025年12月1日起施行', 'The regulation applies from 2025-12-01'),
  rule('SCOPE_NO_CODE', [a(2), a(4)], 'guard', 'low', '不适用本办法的检查不依本办法获取检查码', 'No inspection code under the Order for an inspection outside it'),
  // Declarations are evidence (issue 22): a relation the registry contradicts, one the supervisors reject
  rule('SCOPE_RELATION_CONTRADICTED', [a(2)], 'guard', 'high', '所称隶属或国资监管关系与登记信息不符', 'Declared subordinate-unit or SOE-supervision relation contradicted by the registry'),
  rule('SCOPE_RELATION_UNFOUNDED', [a(2)], 'detector', 'high', '所称隶属或国资监管关系经监督审核不予认可', 'Declared subordinate-unit or SOE-supervision relation rejected by the supervisors'),
  // Agencies and matters (Art. 3, 7, 11, 12)
  rule('MATTER_UNPUBLISHED', [a(7)], 'guard', 'high', '检查事项未经公布，不得实施', 'Inspection matter not on the published list'),
  rule('AGENCY_OUT_OF_AUTHORITY', [a(3)], 'guard', 'high', '超出法定职责范围实施检查', 'Matter outside the agency’s authority'),
  rule('JURISDICTION_TERRITORIAL', [a(11)], 'guard+detector', 'medium', '未按属地和最低层级原则实施检查，且未说明提级理由', 'Not the lowest territorial level and no escalation ground'),
  rule('CROSS_REGION_NO_ASSISTANCE', [a(12), a(40, 9)], 'guard+detector', 'high', '异地检查未按异地协助机制实施', 'Out-of-territory inspection without an assistance arrangement'),
  // Plans and frequency (Art. 13–15, 28, 40)
  rule('PLAN_CONTENT', [a(13)], 'guard', 'medium', '年度日常检查计划内容不完整', 'Annual plan lacks required content'),
  rule('PLAN_FILING_DEADLINE', [a(13)], 'detector', 'medium', '年度日常检查计划未于3月31日前报送备案', 'Annual plan not reported for filing by 31 March'),
  rule('PLAN_RETURNED', [a(14)], 'state_machine', 'low', '检查计划被退回，需调整后重新报送备案', 'Plan returned for adjustment and resubmission'),
  rule('PLAN_AMENDED_NOT_REFILED', [a(14)], 'guard+detector', 'medium', '检查计划调整后未报送备案', 'Adjusted plan items used before being reported for filing'),
  rule('PLAN_NOT_PUBLISHED', [a(14)], 'detector', 'low', '检查计划备案后未向社会公布', 'Filed plan not published'),
  rule('ROUTINE_WITHOUT_PLAN', [a(13)], 'guard+detector', 'high', '日常检查无已报送备案的年度检查计划', 'Routine inspection without a reported plan'),
  rule('SPECIAL_WITHOUT_APPROVAL', [a(13)], 'guard+detector', 'high', '专项检查计划未经批准和备案', 'Special plan not approved and filed'),
  rule('SPECIAL_APPROVER_NOT_COMPETENT', [a(13)], 'guard', 'high', '专项检查计划未经同级人民政府或者实行垂直管理的上级主管部门批准', 'Special plan approved by an authority Art. 13 does not name for the agency'),
  rule('CASE_WITHOUT_LEAD', [a(9), a(13)], 'guard+detector', 'high', '个案检查无线索来源', 'Case inspection without a lead'),
  rule('CASE_MERGEABLE', [a(13)], 'advice+detector', 'low', '个案现场检查可与尚未执行的计划检查合并实施', 'Case inspection could merge with a pending planned task'),
  rule('FREQUENCY_CAP', [a(15), a(40, 10)], 'guard+detector', 'high', '超出规定的行政检查频次', 'Inspection frequency cap exceeded'),
  rule('CASE_FREQUENCY_ANOMALY', [a(15)], 'detector', 'medium', '个案检查明显超过合理频次', 'Case inspections clearly too frequent'),
  rule('NO_DISTURB', [{ law: '“无事不扰”企业清单及其设立文件' }], 'guard', 'medium', '该企业列入“无事不扰”清单，不实施现场日常检查', 'Enterprise on the 无事不扰 list: no on-site routine inspection'),
  rule('JOINT_IN_PLAN', [a(28)], 'guard', 'medium', '“综合查一次”检查事项未列入年度日常检查计划', 'Joint-inspection matter missing from the annual plan'),
  // On-site inspection (Art. 17–20, 22, 25)
  rule('ONSITE_WITHOUT_APPROVAL', [a(17, 1)], 'guard', 'high', '检查方案未经行政执法主体负责人批准', 'Inspection scheme not approved by the agency head'),
  rule('ONSITE_WITHOUT_CODE', [a(17)], 'guard+detector', 'high', '现场检查未获取检查码', 'On-site inspection without an inspection code'),
  rule('CODE_NOT_SCANNED', [a(17, 2), a(18, 2)], 'detector', 'medium', '进入现场未出示检查码并扫码', 'Code not shown and scanned on entry'),
  rule('CODE_OUTSIDE_WINDOW', [a(17, 1)], 'guard+detector', 'high', '扫码时间或对象与登记信息不符', 'Scan outside the registered window or at another enterprise'),
  rule('TEAM_TOO_SMALL', [a(18, 1)], 'guard+detector', 'high', '现场检查执法人员少于两人', 'Fewer than two certified inspectors'),
  rule('NOTICE_MISSING', [a(17, 1), a(18, 3)], 'detector', 'medium', '未出具行政检查通知书', 'Inspection notice not issued'),
  rule('RESULT_NOT_NOTIFIED', [a(18, 5)], 'detector', 'medium', '检查结束后未将结果告知企业', 'Result not notified to the enterprise'),
  rule('RECTIFICATION_NO_FOLLOWUP', [a(20)], 'detector', 'medium', '责令停止或改正后未进行跟踪检查', 'No follow-up inspection after a stop or rectification order'),
  rule('COST_SHIFTED', [a(22), a(40, 1)], 'detector', 'high', '检验检测等费用转嫁给企业', 'Sampling or testing costs charged to the enterprise'),
  rule('REPEATED_TESTING', [a(40, 7)], 'detector', 'medium', '重复检验、检疫、检测或者技术鉴定', 'Repeated testing of the same item'),
  rule('NO_PENALTY_GROUND_UNFOUNDED', [a(20)], 'detector', 'medium', '所载不予处罚或免于处罚情形经监督审核不予认可', 'Stated no-penalty ground rejected by the supervisors'),
  rule('NOT_ARCHIVED', [a(25)], 'detector', 'low', '行政检查文书、证据未归档', 'Documents and evidence not archived'),
  rule('INSPECTOR_UNCERTIFIED', [a(18, 2)], 'guard', 'high', '现场检查人员未持执法证件', 'An on-site inspector without an enforcement certificate'),
  // Referral (Art. 23)
  rule('REFERRAL_OVERDUE', [a(23)], 'detector', 'high', '未在10个工作日内移送有管辖权的行政执法主体', 'Referral not sent within 10 working days'),
  rule('REFERRAL_REFUSED', [a(23)], 'guard+detector', 'high', '有管辖权的行政执法主体应当接收移送', 'The competent agency must accept a referral'),
  rule('REFERRAL_NOT_RECEIVED', [a(23)], 'detector', 'high', '有管辖权的行政执法主体逾期未接收移送', 'The competent agency neither accepted nor escalated a sent referral in time'),
  rule('CRIME_TRANSFER', [a(23), { law: '《行政执法机关移送涉嫌犯罪案件的规定》', article: 3 }], 'state_machine', 'medium', '涉嫌犯罪的依照《行政执法机关移送涉嫌犯罪案件的规定》移送公安机关', 'Suspected crime transferred to the public security organ under the criminal-case rules'),
  // Joint inspection (Art. 26–31)
  rule('JOINT_NOT_COORDINATED', [a(26)], 'advice+detector', 'medium', '多个主体同一时期检查同一企业未实行“综合查一次”', 'Several agencies visited one enterprise without a joint inspection'),
  rule('JOINT_LIST_UNAPPROVED', [a(27)], 'guard', 'medium', '“综合查一次”事项清单未经审核、批准和公布', 'Joint-matter list not reviewed, approved and published'),
  rule('JOINT_OFFLINE', [a(29)], 'state_machine', 'low', '“综合查一次”未在平台线上发起和分配', 'Joint task not launched on the platform'),
  rule('JOINT_ONE_FORM', [a(30)], 'feature', 'low', '“一表通查”综合检查表单', 'One combined checklist'),
  rule('JOINT_TEAM_TOO_LARGE', [a(31)], 'guard', 'medium', '单次检查执法人员数量超出控制', 'Too many officers in one joint visit'),
  // Off-site inspection and devices (Art. 32–37)
  rule('ONSITE_WHEN_OFFSITE_SUFFICES', [a(32)], 'guard+detector', 'medium', '可通过非现场检查达到目的却实施现场检查且未说明理由', 'On-site inspection of an off-site-capable matter without a reason'),
  rule('DEVICE_NOT_PUBLISHED', [a(34)], 'guard', 'high', '电子技术监控设备设置地点未向社会公布', 'Monitoring device location not published'),
  rule('DEVICE_UNREVIEWED', [a(35), a(36)], 'guard', 'high', '电子技术监控设备未经法制审核和技术审核', 'Monitoring device lacks legal or technical review'),
  rule('DEVICE_NOT_IN_USE', [a(34), a(37)], 'guard', 'high', '采集数据时电子技术监控设备未正式投入使用（投入使用前、维护中或已停用）', 'Device not in use when the data was captured'),
  rule('OFFSITE_NOTICE', [a(37)], 'detector', 'medium', '未及时告知企业违法行为提示信息', 'Enterprise not notified of a suspected violation'),
  // Prohibitions (Art. 38, 40)
  rule('LEGAL_REP_REQUIRED', [a(40, 2)], 'detector', 'medium', '刻意要求法定代表人到场', 'Legal representative required to be present'),
  rule('DISGUISED_INSPECTION', [a(40, 5)], 'detector', 'high', '以观摩、督导、考察等名义变相检查', 'Disguised inspection'),
  rule('PROFIT_SEEKING', [a(40, 1), a(40, 8)], 'detector', 'high', '逐利检查：接受馈赠宴请、指定中介或转嫁费用', 'Profit-seeking inspection'),
  // Signs of relabelling (issue 22): patterns in what agencies declare and how they label their inspections
  rule('CASE_RELABELLING', [a(9), a(15)], 'detector', 'high', '日常检查达到频次上限后个案检查明显增加', 'Case inspections rising while routine inspections meet their caps'),
  rule('LEAD_SHARED', [a(9)], 'detector', 'medium', '同一线索编号用于多家企业的个案检查', 'One lead reference serving case inspections of several enterprises'),
  rule('DECLARATIONS_ABOVE_PEERS', [a(6)], 'detector', 'medium', '声明事项明显多于同级同类主体', 'Declared exemptions far above the agency’s peers'),
  rule('QUOTA', [a(40, 4)], 'detector', 'medium', '下达检查指标或与考核挂钩', 'Inspection quota tied to evaluation'),
  ...PROPOSAL_RULES,
] as const satisfies readonly RuleDef[];

export type RuleId = (typeof RULES)[number]['id'];

const byId = new Map<string, RuleDef>(RULES.map((r) => [r.id, r]));

export function ruleDef(id: RuleId): RuleDef {
  return byId.get(id)!;
}

export function ruleArticle(id: RuleId): string {
  return articlesLabel(ruleDef(id).articles);
}

/** Rules that can refuse an action (their ids double as error codes). */
export const GUARD_RULES = RULES.filter((r) => r.kind === 'guard' || r.kind === 'guard+detector');
