import { Type } from 'typebox';
import { JOINT_LIST_STATE_ZH, type JointListState } from '../../../../machines/joint-list.machine.js';
import { JOINT_TASK_STATE_ZH, type JointTaskState } from '../../../../machines/joint-task.machine.js';
import { JOINT_UNIT_STATE_ZH, type JointUnitState } from '../../../../machines/joint-unit.machine.js';
import type { Principal } from '../../../auth/principal.js';
import { DomainError } from '../../../errors/domain-error.js';
import { AgencyCode, CreditCode, Instant, OpenObject, ShortText, Uuid } from '../../../http/schemas.js';
import { INSPECTION_STATE_ZH, type InspectionState } from '../../../../machines/inspection.machine.js';
import type { JointList } from '../lists.repository.js';
import { mayReadDeclineReason, type TaskDetail } from '../task-read.js';
import { MatterCode } from '../../../plans/schemas.js';
import { InspectorSchema } from '../../schemas/inspection-schemas.js';
import { EscalationGround } from '../../schemas/inspection-schemas.js';

/** Request and response shapes of /joint-lists and /joint-tasks, with the Art. 26–31 terms beside the fields. */
const Str = Type.String();
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const iso = (d: Date | null) => d?.toISOString() ?? null;

export const IdParams = Type.Object({ id: Uuid });

/**
 * ajv coerces `limit=1e309` or `limit=Infinity` to Infinity and skips minimum/maximum for non-finite
 * numbers, so the shared Page schema lets them through; refuse them here, naming the field.
 */
export function finitePage<Q extends { limit: number; offset: number }>(q: Q): Q {
  for (const k of ['limit', 'offset'] as const) if (!Number.isFinite(q[k])) throw DomainError.field(`querystring.${k}`, '须为有限的整数');
  return q;
}

/** A unit's officers; a cooperating unit may send none when the team checks its items (Art. 30). */
export const Officers = Type.Array(InspectorSchema, { minItems: 0, maxItems: 30, description: '本单位派出的检查人员 / the unit’s officers' });

export const JointEntry = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9_.-]+$', description: '事项编号 / entry code' }),
    name: ShortText('联合检查事项名称 / name', 200),
    content: ShortText('检查内容 / content', 2000),
    basis: ShortText('检查依据 / legal basis', 2000),
    units: Type.Array(
      Type.Object(
        {
          agencyCode: AgencyCode,
          role: Type.Union([Type.Literal('lead'), Type.Literal('cooperating')], { description: 'lead 发起单位 | cooperating 协同单位' }),
          matterCodes: Type.Array(MatterCode, { minItems: 1, maxItems: 20, description: '该单位的检查事项 / the unit’s matters' }),
        },
        { additionalProperties: false },
      ),
      { minItems: 2, maxItems: 10 },
    ),
    items: Type.Array(
      Type.Object(
        {
          text: ShortText('检查项目 / item', 200),
          standard: ShortText('检查标准 / standard', 500),
          agencyCode: AgencyCode,
          matterCode: MatterCode,
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 200 },
    ),
  },
  { additionalProperties: false },
);

export const JointListBody = Type.Object(
  { title: ShortText('清单名称 / title', 200), entries: Type.Array(JointEntry, { minItems: 1, maxItems: 100, description: '“综合查一次”事项 / entries' }) },
  { additionalProperties: false },
);

export const JointListStateSchema = Type.Union(Object.keys(JOINT_LIST_STATE_ZH).map((s) => Type.Literal(s)), {
  description: 'proposed 已提出 | returned 已退回 | reviewed 已审核 | approved 已批准 | published 已公布 | superseded 已替代',
});

export const JointListView = Type.Object({
  id: Str,
  seriesId: Type.String({ description: '同一清单各版本共用 / shared by the versions of one list' }),
  listVersion: Type.Integer({ description: '清单版本 / list version (dynamic adjustment)' }),
  title: Str,
  level: Str,
  districtCode: Nullable(Str),
  proposerAgencyCode: Type.String({ description: '提出的主管部门 / proposing authority' }),
  state: JointListStateSchema,
  stateZh: Str,
  entries: Type.Array(JointEntry),
  reviewBureauCode: Type.String({ description: '审核的同级司法行政部门 / reviewing justice bureau' }),
  reviewedBy: Nullable(Str),
  reviewedAt: Nullable(Str),
  reviewOpinion: Nullable(Str),
  returnedReason: Nullable(Str),
  approverName: Nullable(Type.String({ description: '批准的本级人民政府 / approving government' })),
  approvalDocNo: Nullable(Type.String({ description: '批准文号 / approval document number' })),
  approvedAt: Nullable(Str),
  publishedAt: Nullable(Str),
  supersededAt: Nullable(Str),
  supersededById: Nullable(Str),
  amendsId: Nullable(Str),
  amendmentReason: Nullable(Str),
  version: Type.Integer(),
  createdAt: Str,
  updatedAt: Str,
});

export function jointListView(l: JointList) {
  return {
    ...l,
    stateZh: JOINT_LIST_STATE_ZH[l.state as JointListState],
    reviewedAt: iso(l.reviewedAt),
    approvedAt: iso(l.approvedAt),
    publishedAt: iso(l.publishedAt),
    supersededAt: iso(l.supersededAt),
    createdAt: l.createdAt.toISOString(),
    updatedAt: l.updatedAt.toISOString(),
  };
}

const UnitView = Type.Object({
  agencyCode: Str,
  agencyName: Str,
  role: Type.String({ description: 'lead 发起单位 | cooperating 协同单位' }),
  state: Str,
  stateZh: Str,
  matterCodes: Type.Array(Str),
  inspectors: Type.Array(Type.Object({ name: Str, certificateNo: Str })),
  assignedAt: Nullable(Str),
  respondedAt: Nullable(Str),
  declineReason: Nullable(Type.String({ description: '拒绝理由（发起单位、本单位和司法行政部门可见）/ decline reason' })),
  declineLegalBasis: Nullable(Str),
  approvedBy: Nullable(Str),
  approvedAt: Nullable(Str),
});

const VisitView = Type.Object({
  enterpriseCode: Str,
  code: Nullable(Type.String({ description: '本次联合检查的检查码 / the visit’s one code' })),
  state: Type.String({ description: '各单位检查记录的状态 / state of the parts' }),
  stateZh: Str,
  parts: Type.Array(Type.Object({ inspectionId: Str, agencyCode: Str, role: Str, state: Str })),
  findingsAt: Nullable(Str),
  resultNotifiedAt: Nullable(Str),
  closedAt: Nullable(Str),
  cancelledAt: Nullable(Str),
  notification: OpenObject('检查结果告知（第二十一条）；尚未告知时为空 / the result notification, or null'),
});

export const JointTaskView = Type.Object({
  id: Str,
  listId: Str,
  listVersion: Type.Integer(),
  entryCode: Str,
  entryName: Str,
  leadAgencyCode: Type.String({ description: '发起单位 / lead unit' }),
  enterpriseCodes: Type.Array(Str),
  windowStart: Str,
  windowEnd: Str,
  countedDate: Str,
  state: Str,
  stateZh: Str,
  note: Nullable(Str),
  cancelReason: Nullable(Str),
  approvedAt: Nullable(Str),
  codeIssuedAt: Nullable(Str),
  closedAt: Nullable(Str),
  version: Type.Integer(),
  units: Type.Array(UnitView),
  visits: Type.Array(VisitView),
});

export function jointTaskView(d: TaskDetail, actor: Principal) {
  const { task } = d;
  return {
    ...task,
    entryName: task.entry.name,
    stateZh: JOINT_TASK_STATE_ZH[task.state as JointTaskState],
    windowStart: task.windowStart.toISOString(),
    windowEnd: task.windowEnd.toISOString(),
    approvedAt: iso(task.approvedAt),
    codeIssuedAt: iso(task.codeIssuedAt),
    closedAt: iso(task.closedAt),
    units: d.units.map((u) => {
      const reason = mayReadDeclineReason(actor, task, u);
      return {
        ...u,
        agencyName: d.names.get(u.agencyCode) ?? u.agencyCode,
        stateZh: JOINT_UNIT_STATE_ZH[u.state as JointUnitState],
        assignedAt: iso(u.assignedAt),
        respondedAt: iso(u.respondedAt),
        approvedAt: iso(u.approvedAt),
        declineReason: reason ? u.declineReason : u.declineReason && '（仅发起单位和司法行政部门可见）',
        declineLegalBasis: reason ? u.declineLegalBasis : null,
      };
    }),
    visits: d.visits.map((v) => {
      const parts = d.parts.filter((p) => p.part.enterpriseCode === v.enterpriseCode);
      const state = parts.find((p) => p.part.role === 'lead')?.inspection.state ?? (v.cancelledAt ? 'cancelled' : 'not_started');
      return {
        ...v,
        state,
        stateZh: INSPECTION_STATE_ZH[state as InspectionState] ?? '尚未批准',
        parts: parts.map((p) => ({ inspectionId: p.inspection.id, agencyCode: p.part.agencyCode, role: p.part.role, state: p.inspection.state })),
        findingsAt: iso(v.findingsAt),
        resultNotifiedAt: iso(v.resultNotifiedAt),
        closedAt: iso(v.closedAt),
        cancelledAt: iso(v.cancelledAt),
      };
    }),
  };
}

export const LaunchBody = Type.Object(
  {
    listId: Type.String({ format: 'uuid', description: '已公布的“综合查一次”事项清单 / a published joint list' }),
    entryCode: Type.String({ minLength: 1, maxLength: 32, description: '清单中的事项编号 / entry code' }),
    enterpriseCodes: Type.Array(CreditCode, { minItems: 1, maxItems: 20, uniqueItems: true, description: '检查对象 / enterprises' }),
    windowStart: Instant,
    windowEnd: Instant,
    inspectors: Officers,
    escalationGround: Type.Optional(EscalationGround),
    assistanceRef: Type.Optional(ShortText('异地协助安排（第十二条）', 500)),
    onsiteReason: Type.Optional(ShortText('非现场检查不能达到目的的理由（第三十二条）', 500)),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
