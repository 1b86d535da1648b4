import { Type } from 'typebox';
import { AgencyCode, AnyJson, CreditCode, Instant, OpenObject, ShortText } from '../../http/schemas.js';
import { ESCALATION_GROUND_KEYS, ESCALATION_GROUNDS } from '../../rules/escalation.js';
import { outsideOrder } from '../order-scope.js';
import type { Inspection } from '../repository.js';
import { INSPECTION_STATE_ZH, type InspectionState } from '../../../machines/inspection.machine.js';

/** The grounds of Art. 11 ¶2 on which an upper-level agency inspects; single and joint inspections alike. */
export const EscalationGround = Type.Union(ESCALATION_GROUND_KEYS.map((k) => Type.Literal(k)), {
  description: `提级实施的情形（第十一条第二款）：${ESCALATION_GROUND_KEYS.map((k) => `${k} ${ESCALATION_GROUNDS[k].zh}`).join(' | ')}`,
});

/** Schemas shared by the inspection, document and code routes. */
export const MatterCodes = Type.Array(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' }), {
  minItems: 1,
  maxItems: 20,
  description: '检查事项编码 / matter codes',
});
/** One officer on a team: the public check masks the name, the notice prints the certificate number. */
export const InspectorSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 30, description: '执法人员姓名 / name' }),
    certificateNo: Type.String({ maxLength: 40, description: '执法证号（无证为空）/ enforcement certificate number' }),
    officerId: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);
export const Inspectors = Type.Array(InspectorSchema, { minItems: 1, maxItems: 30, description: '检查人员 / inspectors' });
export const Checklist = Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 200, description: '检查项目 / checklist' });
const Opt = (d: string, max = 500) => Type.Optional(Type.String({ minLength: 1, maxLength: max, description: d }));

export const DraftFields = {
  matterCodes: MatterCodes,
  windowStart: Instant,
  windowEnd: Instant,
  inspectors: Inspectors,
  checklist: Checklist,
  planId: Type.Optional(Type.String({ format: 'uuid' })),
  specialPlanId: Type.Optional(Type.String({ format: 'uuid', description: '专项检查计划 / special plan' })),
  leadKind: Type.Optional(
    Type.Union(['complaint', 'referral', 'assignment', 'platform_monitoring', 'enterprise_request', 'follow_up', 'other'].map((k) => Type.Literal(k)), {
      description: '个案线索（第九条，列举未尽）：complaint 投诉举报 | referral 移送 | assignment 转办交办 | platform_monitoring 平台监测 | enterprise_request 企业申请 | follow_up 跟踪检查 | other 其他线索（须在 leadRef 写明内容及出处）',
    }),
  ),
  leadRef: Opt('线索编号；其他线索写明内容及出处 / lead reference, or the description of an other lead', 200),
  teamExceptionBasis: Type.Optional(
    Type.Object(
      {
        law: ShortText('法律名称 / law', 100),
        article: Type.String({ minLength: 3, maxLength: 40, pattern: '^第[一二三四五六七八九十百零〇0-9]+条', description: '条款，如“第二十条”或“第二十条第二款” / the article, e.g. 第二十条' }),
      },
      { additionalProperties: false, description: '少于两人时“法律另有规定”的依据：法律名称和条款（第十八条第（一）项），记入声明事项 / the law and article that allow fewer than two inspectors; registered as a declared exemption' },
    ),
  ),
  assistanceRef: Opt('异地协助安排（第十二条）'),
  escalationGround: Type.Optional(EscalationGround),
  escalationRef: Opt('指定、交办文件或上级主管部门规定的文号（第十一条第二款）', 200),
  onsiteReason: Opt('非现场检查不能达到目的的理由（第三十二条）'),
  failedChecksReason: Opt('预检有规则未通过仍提交的理由：作为证据保存，负责人审批时可见 / why the scheme is submitted although rules failed (kept as evidence, shown to the head)', 1000),
  offsiteFollowUpReason: Opt('计划为非现场检查方式、因非现场检查不能或者难以达到目的而及时进行现场检查的理由（第三十二条）'),
  excludedRelation: Type.Optional(
    Type.Union([Type.Literal('subordinate_unit'), Type.Literal('soe_supervision')], { description: '第二条第二款：隶属关系 / 国资监管关系（不适用本办法）' }),
  ),
};

export const CreateInspection = Type.Object(
  {
    agencyCode: AgencyCode,
    enterpriseCode: CreditCode,
    kind: Type.Union([Type.Literal('routine'), Type.Literal('special'), Type.Literal('case')], { description: 'routine 日常 | special 专项 | case 个案（第九条）' }),
    mode: Type.Union([Type.Literal('onsite'), Type.Literal('offsite')], { description: 'onsite 现场 | offsite 非现场（第十六条）' }),
    ...DraftFields,
    followUpOf: Type.Optional(Type.String({ format: 'uuid', description: '跟踪检查所针对的原检查 / inspection this follows up' })),
    aloneReason: Opt('可以“综合查一次”却单独检查的理由（第二十六条）/ why not a joint visit', 1000),
  },
  { additionalProperties: false },
);

export const PatchInspection = Type.Partial(Type.Object(DraftFields, { additionalProperties: false, minProperties: 1 }));

export const RuleResultSchema = Type.Object({
  rule: Type.String(),
  article: Type.String(),
  observed: AnyJson('规则所见之值 / what the rule observed'),
  limit: AnyJson('规则的限度 / the rule’s limit'),
  passed: Type.Boolean(),
  detail: Type.Optional(Type.String()),
});

export const InspectionView = Type.Object({
  id: Type.String(),
  agencyCode: Type.String(),
  enterpriseCode: Type.String(),
  kind: Type.String(),
  mode: Type.String(),
  state: Type.String(),
  stateZh: Type.String(),
  matterCodes: Type.Array(Type.String()),
  windowStart: Type.String(),
  windowEnd: Type.String(),
  countedDate: Type.String(),
  countsTowardCap: Type.Boolean(),
  entityScope: Type.String({ description: '第二、四、四十二条适用范围 / scope' }),
  excludedRelation: Type.Union([Type.String(), Type.Null()], { description: '第二条第二款排除的关系 / excluded relation' }),
  underOrder: Type.Boolean({ description: '是否适用本办法（第二条、第四条）/ whether the Order governs this inspection' }),
  assistanceRef: Type.Union([Type.String(), Type.Null()]),
  escalationGround: Type.Union([Type.String(), Type.Null()]),
  escalationRef: Type.Union([Type.String(), Type.Null()]),
  inspectors: Type.Array(Type.Object({ name: Type.String(), certificateNo: Type.String() })),
  failedChecksReason: Type.Union([Type.String(), Type.Null()], { description: '预检未通过仍提交的理由（执法人员填写，负责人审批时可见）/ why submitted despite failed pre-checks' }),
  offsiteFollowUpReason: Type.Union([Type.String(), Type.Null()], { description: '对非现场检查计划事项及时进行现场检查的理由（第三十二条）/ why an on-site visit follows up an off-site plan item' }),
  teamExceptionBasis: Type.Union([Type.String(), Type.Null()], { description: '少于两人的法律依据（第十八条第（一）项），与检查人员一并显示 / the legal basis for fewer than two inspectors' }),
  checklist: Type.Array(Type.String()),
  leadKind: Type.Union([Type.String(), Type.Null()]),
  planId: Type.Union([Type.String(), Type.Null()]),
  planCoverage: Type.Union(
    [Type.Array(Type.Object({ matterCode: Type.String(), planId: Type.String(), revision: Type.Integer(), itemId: Type.String(), filed: Type.Optional(Type.Boolean()) })), Type.Null()],
    { description: '日常检查所依据的年度计划条目（每个检查事项一条；第十三条、第十六条）/ the plan item covering each matter' },
  ),
  specialPlanId: Type.Union([Type.String(), Type.Null()]),
  approvedBy: Type.Union([Type.String(), Type.Null()]),
  findings: OpenObject('检查结果：检查方式、逐项结果、处理结论（第十八条至第二十三条）；尚未记录时为空 / the recorded findings, or null'),
  outcome: OpenObject('处理结论（第二十条）：kind、通知书文号、期限 / the Art. 20 outcome, or null'),
  followUpDue: Type.Union([Type.String(), Type.Null()]),
  followUpOf: Type.Union([Type.String(), Type.Null()]),
  mergedInto: Type.Union([Type.String(), Type.Null()]),
  resultNotifiedAt: Type.Union([Type.String(), Type.Null()]),
  closedAt: Type.Union([Type.String(), Type.Null()]),
  archivedAt: Type.Union([Type.String(), Type.Null()]),
  version: Type.Integer(),
  sourceSystem: Type.Union([Type.String(), Type.Null()], { description: '来源系统：上级主管部门工作平台报送的检查（第二十四条、第二十九条）；本系统登记的为空 / the platform it was imported from; null when recorded here' }),
  sourceId: Type.Union([Type.String(), Type.Null()], { description: '来源系统中的编号 / its id on that platform' }),
  sourceVersion: Type.Union([Type.Integer(), Type.Null()], { description: '来源记录版本（更正一次加一）/ version of the imported row' }),
  sourceCode: Type.Union([Type.String(), Type.Null()], { description: '来源平台出具的检查码 / the code the platform issued' }),
});

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** Officers' certificate numbers are shown to their agency, supervisors and the inspected enterprise. */
export function inspectionView(i: Inspection) {
  return {
    ...i,
    stateZh: INSPECTION_STATE_ZH[i.state as InspectionState] ?? (i.state === 'recorded' ? '上级平台已记录' : i.state),
    underOrder: outsideOrder(i) === null,
    windowStart: i.windowStart.toISOString(),
    windowEnd: i.windowEnd.toISOString(),
    resultNotifiedAt: iso(i.resultNotifiedAt),
    closedAt: iso(i.closedAt),
    archivedAt: iso(i.archivedAt),
  };
}

export const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
