import type { RuleId } from '../rules/catalog.js';

/**
 * The declarations that relax a rule (issue 22; DESIGN.md: declarations are evidence). Each kind names the
 * field a person fills, the rule it relaxes (whose article a rejected declaration is flagged under), how
 * the registry checks it, and whether what the registry cannot check goes on the register
 * (`registered`: the supervisors confirm or reject it). A new kind is one entry here plus the one
 * `recordDeclaration` call in the command that receives its field.
 */
export interface Explanation {
  zh: string;
  en: string;
}

export interface DeclarationKind {
  kind: string;
  labelZh: string;
  /** The request field(s) that carry it. */
  field: string;
  /** The rule the declaration relaxes: a rejected declaration is flagged under it. */
  relaxes: RuleId;
  /** What the registry checks before anything is recorded (null: nothing it holds can check it). */
  checked: Explanation | null;
  /** When it goes on the register for the supervisors (null: the registry check is the whole answer). */
  registered: Explanation | null;
}

const k = (
  kind: string,
  labelZh: string,
  field: string,
  relaxes: RuleId,
  checked: Explanation | null,
  registered: Explanation | null,
): DeclarationKind => ({ kind, labelZh, field, relaxes, checked, registered });

export const DECLARATION_KINDS = [
  k(
    'excluded_relation',
    '隶属或国资监管关系（第二条第二款）',
    'excludedRelation',
    'SCOPE_RELATION_UNFOUNDED',
    {
      zh: '对照登记信息核验：国资监管关系须由登记为国有资产监督管理机构的主体声明，且该企业登记为其所监管企业；所属单位须登记为该主体的所属单位。登记信息与声明相抵触的，拒绝；登记相符的，检查不适用本办法',
      en: 'Checked against the registry: only an agency registered as a state-asset supervision body may declare SOE supervision, and the enterprise must be registered under it; a subordinate unit must be registered as that agency’s. A contradiction is refused (SCOPE_RELATION_CONTRADICTED); a match takes the check outside the Order',
    },
    {
      zh: '登记信息未载明该关系的，记入声明事项，由监督人员确认或者不予认可；确认前本办法的各项要求照常适用',
      en: 'Where the registry is silent the relation is registered for the supervisors to confirm or reject; until confirmed the Order’s checks apply',
    },
  ),
  k(
    'upper_deployment',
    '执行上级部署的专项检查（第十三条第二款、第十五条）',
    'deploymentAuthority, deploymentDocNo',
    'SPECIAL_WITHOUT_APPROVAL',
    {
      zh: '部署机关为登记在册的主体时，须为本主体的上级主管部门；本主体自身或非上级主管部门的，拒绝；引用平台内上级已公布专项检查计划的，核验其事项和期间',
      en: 'A deploying authority held in the registry must be upper to the agency; the agency itself or a non-upper authority is refused (SPECIAL_WITHOUT_APPROVAL); a cited upper plan held here is checked for its matters and period',
    },
    {
      zh: '仅凭部署文件文号登记的（部署文件不在平台内），记入声明事项',
      en: 'A deployment recorded by its document number only (the document is not held here) is registered',
    },
  ),
  k(
    'case_lead',
    '个案检查线索（第九条）',
    'leadKind, leadRef',
    'CASE_WITHOUT_LEAD',
    {
      zh: '移送线索须为平台内移送至本主体、涉及该企业的移送；跟踪检查须指向本主体对该企业的原检查',
      en: 'A referral lead must be a referral to the agency about the enterprise held here; a follow-up must name the agency’s earlier inspection of the enterprise',
    },
    {
      zh: '平台内没有记录的线索（投诉举报、转办交办、监测预警、企业申请等）记入声明事项',
      en: 'A lead with no record here (complaint, assignment, monitoring alert, enterprise request …) is registered',
    },
  ),
  k(
    'team_exception_basis',
    '少于两人的法律依据（第十八条第（一）项“法律另有规定”）',
    'teamExceptionBasis',
    'TEAM_TOO_SMALL',
    { zh: '须载明法律名称和条款（结构化），不接受任意文字', en: 'Must cite a law by name and article (structured); free text is refused' },
    { zh: '所引法律条款记入声明事项', en: 'The cited law and article are registered' },
  ),
  k('late_scan_reason', '超出登记时间补扫的理由（第十七条第（一）项）', 'lateReason', 'CODE_OUTSIDE_WINDOW', null, {
    zh: '补扫理由记入声明事项',
    en: 'The late-scan reason is registered',
  }),
  k('onsite_reason', '可非现场检查事项实施现场检查的理由（第三十二条）', 'onsiteReason', 'ONSITE_WHEN_OFFSITE_SUFFICES', null, {
    zh: '理由记入声明事项',
    en: 'The reason is registered',
  }),
  k(
    'offsite_follow_up_reason',
    '对非现场检查计划事项及时进行现场检查的理由（第三十二条）',
    'offsiteFollowUpReason',
    'ROUTINE_WITHOUT_PLAN',
    null,
    {
      zh: '理由记入声明事项：计划所列的非现场检查事项因此覆盖该次现场检查；不予认可的，以该次检查无计划依据标记',
      en: 'The reason is registered: it lets an off-site plan item cover this on-site visit; a rejection flags the visit as outside the plan',
    },
  ),
  k('no_penalty_ground', '不予处罚或免于处罚的情形（第二十条）', 'outcome.noPenaltyGround', 'NO_PENALTY_GROUND_UNFOUNDED', null, {
    zh: '载明的不予处罚、免于处罚情形记入声明事项',
    en: 'The stated no-penalty ground is registered',
  }),
  k(
    'assistance_arrangement',
    '异地协助安排（第十二条）',
    'assistanceRef',
    'CROSS_REGION_NO_ASSISTANCE',
    { zh: '仅在检查对象位于本主体辖区以外时才需载明（属地由登记信息判定）', en: 'Needed only where the registry puts the enterprise outside the agency’s territory' },
    { zh: '异地检查所载明的协助安排记入声明事项', en: 'The arrangement stated for an out-of-territory inspection is registered' },
  ),
  k(
    'escalation_ground',
    '提级检查的情形（第十一条第二款）',
    'escalationGround, escalationRef',
    'JURISDICTION_TERRITORIAL',
    { zh: '情形须为第十一条第二款所列之一；指定交办、上级规定须载明文件', en: 'The ground must be one Art. 11 ¶2 lists; designation and upper rules need their document' },
    { zh: '市级主体在有区级对应主体的地方实施检查所载明的情形记入声明事项', en: 'The ground a city agency states where a district counterpart exists is registered' },
  ),
  k(
    'vertical_management',
    '实行垂直管理（第十三条第二款）',
    'verticallyManaged',
    'SPECIAL_APPROVER_NOT_COMPETENT',
    {
      zh: '由管理员在主体登记信息中设定，执法人员不能自行声明；专项检查计划的批准机关按登记信息核验',
      en: 'Set by an administrator in the agency’s registry row, never declared by an officer; the special plan’s approver is checked against it',
    },
    null,
  ),
  k(
    'proposal_decline_reason',
    '拒绝联合检查建议的理由（第二十八条）',
    'reason, note',
    'JOINT_PROPOSAL_DECLINED_WITHOUT_REASON',
    { zh: '理由须为列表所列之一', en: 'The reason must be one the list offers' },
    {
      zh: '协同单位所选理由（如已对该企业实施检查、不在本单位职责范围）平台无从核验，记入声明事项，由监督人员确认或者不予认可；不予认可的，依第二十八条予以标记',
      en: 'What a cooperating unit picks (inspected already, outside its duties …) is nothing the registry can check: it is registered for the supervisors, and a rejection is flagged under Art. 28',
    },
  ),
] as const satisfies readonly DeclarationKind[];

export type DeclarationKindId = (typeof DECLARATION_KINDS)[number]['kind'];

const byKind = new Map<string, DeclarationKind>(DECLARATION_KINDS.map((d) => [d.kind, d]));

export function declarationKind(kind: string): DeclarationKind | undefined {
  return byKind.get(kind);
}

/** The kinds that go on the register (the console's kind picker). */
/** The declarations that relax a rule, for GET /api/v1/rules and the compliance doc. */
export function declarationsRelaxing(rule: string): DeclarationKind[] {
  return DECLARATION_KINDS.filter((d) => d.relaxes === rule);
}
