import { Type } from 'typebox';
import { AnyJson } from '../http/schemas.js';
import { classZh } from '../proposals/class-filter.js';
import { ClassFilterBody } from '../proposals/class-filter-schema.js';
import type { listAudit } from '../audit/query.js';
import { CreditCode } from '../http/schemas.js';
import { dutyStatus } from './annual-duty.js';
import type { PlanVersion } from './plan-versions.repository.js';
import type { Plan, PlanItem } from './plans.repository.js';
import type { SpecialPlanVersion } from './special-plan-versions.repository.js';
import type { SpecialPlan } from './special-plans.repository.js';

/** Request and response shapes of /plans and /special-plans, with the Art. 13 terms beside the fields. */
export const MatterCode = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$', description: '检查事项编码 / matter code' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Str = Type.String();

export const PlanStateSchema = Type.Union(['draft', 'submitted', 'returned', 'filed', 'published'].map((s) => Type.Literal(s)), {
  description: 'draft 草稿 | submitted 已报送 | returned 已退回 | filed 已备案 | published 已公布',
});

export const PlanItemBody = Type.Object(
  {
    matterCode: MatterCode,
    legalBasis: Type.Optional(Type.String({ maxLength: 1000, description: '检查依据 / legal basis' })),
    targetKind: Type.Union([Type.Literal('named'), Type.Literal('class')], { description: '检查对象：named 名单 | class 某类企业按比例抽查' }),
    targetEnterprises: Type.Optional(Type.Array(CreditCode, { maxItems: 5000, description: '检查对象名单 / named enterprises' })),
    targetClass: Type.Optional(Type.String({ maxLength: 200, description: '检查对象类别 / class of enterprises' })),
    samplingRatio: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1, description: '检查比例 / sampling ratio (0–1]' })),
    classFilter: Type.Optional(ClassFilterBody),
    checkItems: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 200, description: '检查项目 / items checked' })),
    method: Type.Union([Type.Literal('onsite'), Type.Literal('offsite')], { description: '检查方式：onsite 现场 | offsite 非现场' }),
    frequency: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, description: '检查频次（每户每年）/ inspections per enterprise per year' })),
    necessity: Type.Optional(Type.String({ maxLength: 2000, description: '检查必要性 / why it is necessary' })),
  },
  { additionalProperties: false },
);

export const PlanItemView = Type.Object({
  id: Str,
  matterCode: Str,
  legalBasis: Type.String({ description: '空字符串表示尚未填写 / empty = not stated' }),
  targetKind: Str,
  targetEnterprises: Type.Array(Str),
  targetClass: Nullable(Str),
  samplingRatio: Nullable(Type.Number()),
  classFilter: Type.Optional(Nullable(ClassFilterBody)),
  classZh: Type.Optional(Type.String({ description: '检查对象类别的中文表述；未匹配的文字类别注明“未匹配” / the class in Chinese' })),
  checkItems: Type.Array(Str),
  method: Str,
  frequency: Type.Integer({ description: '0 表示尚未填写 / 0 = not stated' }),
  necessity: Str,
});

/** One audit entry of a record's history (devices, referrals, joint lists and plans share it). */
export const HistoryEntry = Type.Object({
  id: Type.Integer(),
  occurredAt: Str,
  actor: Str,
  role: Str,
  action: Str,
  before: Nullable(Str),
  after: Nullable(Str),
  payload: AnyJson('审计记录的内容 / what the audit entry recorded'),
});

export const PlanView = Type.Object({
  id: Str,
  agencyCode: Str,
  year: Type.Integer(),
  state: PlanStateSchema,
  revision: Type.Integer({ description: '调整版次 / revision, +1 per amendment' }),
  version: Type.Integer({ description: '并发控制版本号，PATCH 时回传 / optimistic-concurrency token' }),
  deadline: Type.String({ description: '备案截止日（第十三条，3月31日）/ filing deadline' }),
  overdue: Type.Boolean({ description: '截止日后仍无有效报送（第十三条）/ no standing submission and past the deadline' }),
  filingBureauCode: Nullable(Str),
  upperAuthorityCode: Nullable(Str),
  submittedAt: Nullable(Str),
  filedAt: Nullable(Str),
  filedBy: Nullable(Str),
  filedLate: Type.Boolean({ description: '司法行政部门于截止日后备案（备案机关的进度，非本单位违规）/ the bureau filed after the deadline' }),
  submittedOn: Nullable(Type.String({ description: '据以判断是否按时报送的报送日期 / the submission date the 31 March duty is judged by' })),
  submittedLate: Type.Boolean({ description: '逾期报送（第十三条）/ submitted after 31 March' }),
  returnedReason: Nullable(Type.String({ description: '最近一次退回理由 / reason of the last return' })),
  returnedAt: Nullable(Str),
  resubmitBy: Nullable(Type.String({ description: '在此日期前重新报送的，保留原报送日期 / resubmit by this date to keep the first submission date' })),
  publishedAt: Nullable(Str),
  needsRefiling: Type.Boolean({ description: '调整后待重新备案（第十四条）/ amended, awaiting refiling' }),
  amendedAt: Nullable(Str),
  createdAt: Str,
  updatedAt: Str,
  items: Type.Array(PlanItemView),
});

export const PlanDetail = Type.Intersect([PlanView, Type.Object({ history: Type.Array(HistoryEntry) })]);

export const PlanVersionView = Type.Object({
  revision: Type.Integer({ description: '备案版次 / revision as filed' }),
  filedAt: Str,
  filedBy: Str,
  items: Type.Array(PlanItemView),
});

export const PlanComparison = Type.Object({
  from: Type.Integer(),
  to: Nullable(Type.Integer({ description: 'null：与调整中尚未备案的内容比较 / null = the pending amendment' })),
  unchanged: Type.Array(PlanItemView, { description: '未变更、继续有效的条目 / items kept' }),
  added: Type.Array(PlanItemView, { description: '新增或变更后的条目 / new items and the new form of changed ones' }),
  removed: Type.Array(PlanItemView, { description: '删除或变更前的条目 / removed items and the old form of changed ones' }),
});

export const versionView = (v: PlanVersion) => ({ revision: v.revision, filedAt: v.filedAt.toISOString(), filedBy: v.filedBy, items: v.items });

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function planView(p: Plan, items: readonly PlanItem[], today: string) {
  return {
    ...p,
    overdue: dutyStatus(p, p.deadline, today) === 'missing',
    returnedAt: iso(p.returnedAt),
    submittedAt: iso(p.submittedAt),
    filedAt: iso(p.filedAt),
    publishedAt: iso(p.publishedAt),
    amendedAt: iso(p.amendedAt),
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    items: items.map(({ planId: _planId, ...item }) => (item.targetKind === 'class' ? { ...item, classZh: classZh(item.targetClass, item.classFilter) } : item)),
  };
}

/**
 * A plan as the public sees it (Art. 14 公布): the plan itself, without the filing bureau's internal
 * working — the supervisor's login subject (`filedBy`) and the free text of a return — which stay with the
 * agency and the supervisors (issue 23). The fields stay in the shape, empty, so one client type reads both.
 */
export function publicPlanView(p: Plan, items: readonly PlanItem[], today: string) {
  return { ...planView(p, items, today), filedBy: null, returnedReason: null };
}

type AuditRow = Awaited<ReturnType<typeof listAudit>>[number];

/** Oldest first: a plan's history reads as its story. */
export const historyView = (rows: AuditRow[]) =>
  [...rows].reverse().map(({ entry }) => ({
    id: entry.id,
    occurredAt: entry.occurredAt.toISOString(),
    actor: entry.actor,
    role: entry.role,
    action: entry.action,
    before: entry.beforeState,
    after: entry.afterState,
    payload: entry.payload,
  }));

export const SpecialPlanStateSchema = Type.Union(['draft', 'approved', 'filed', 'returned', 'published', 'deployed'].map((s) => Type.Literal(s)), {
  description: 'draft 草稿 | approved 已批准（已报送备案） | filed 已备案 | returned 已退回 | published 已公布 | deployed 执行上级部署',
});

export const SpecialPlanView = Type.Object({
  id: Str,
  agencyCode: Str,
  title: Str,
  focus: Type.String({ description: '某一地区或者领域的突出问题 / the prominent problem addressed' }),
  matterCodes: Type.Array(Str),
  startDate: Str,
  endDate: Str,
  state: SpecialPlanStateSchema,
  deployedFromId: Nullable(Str),
  deploymentAuthority: Nullable(Type.String({ description: '上级部署的专项检查：部署机关 / issuing authority of an upper-level deployment' })),
  deploymentDocNo: Nullable(Type.String({ description: '部署文件文号 / its document number' })),
  approverKind: Nullable(Str),
  approverName: Nullable(Str),
  approvalDocNo: Nullable(Str),
  approvedAt: Nullable(Str),
  filingBureauCode: Nullable(Type.String({ description: '同级司法行政部门（备案、退回） / the same-level justice bureau' })),
  upperAuthorityCode: Nullable(Type.String({ description: '同时报送备案的上级主管部门（登记在册时） / the upper authority also reported to' })),
  filedAt: Nullable(Str),
  returnedReason: Nullable(Str),
  returnedAt: Nullable(Str),
  amendmentReason: Nullable(Type.String({ description: '调整理由（调整后重新备案前） / why the filed plan is being adjusted' })),
  publishedAt: Nullable(Str),
  revision: Type.Integer({ description: '第几版（调整后加一） / revision' }),
  version: Type.Integer(),
  createdAt: Str,
  updatedAt: Str,
});

export const SpecialPlanDetail = Type.Intersect([SpecialPlanView, Type.Object({ history: Type.Array(HistoryEntry) })]);

export const specialPlanView = (p: SpecialPlan) => ({
  ...p,
  approvedAt: iso(p.approvedAt),
  filedAt: iso(p.filedAt),
  returnedAt: iso(p.returnedAt),
  publishedAt: iso(p.publishedAt),
  createdAt: p.createdAt.toISOString(),
  updatedAt: p.updatedAt.toISOString(),
});

/** A filed version of a special plan (Art. 14): its content and approval as filed, and when it was published. */
export const SpecialPlanVersionView = Type.Object({
  revision: Type.Integer(),
  title: Str,
  focus: Str,
  matterCodes: Type.Array(Str),
  startDate: Str,
  endDate: Str,
  approverKind: Nullable(Str),
  approverName: Nullable(Str),
  approvalDocNo: Nullable(Str),
  filingBureauCode: Nullable(Str),
  upperAuthorityCode: Nullable(Str),
  filedAt: Str,
  filedBy: Str,
  publishedAt: Nullable(Str),
});

export const specialPlanVersionView = (v: SpecialPlanVersion) => ({
  ...v,
  filedAt: v.filedAt.toISOString(),
  publishedAt: iso(v.publishedAt),
});
