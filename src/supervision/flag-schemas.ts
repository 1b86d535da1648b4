import { Type } from 'typebox';
import { FLAG_STATE_ZH, type FlagState } from '../../machines/flag.machine.js';
import { AgencyCode, AnyJson, CalendarDate, CreditCode } from '../http/schemas.js';
import { ruleDef, type RuleId } from '../rules/catalog.js';
import type { NamedFlag } from './flags.repository.js';

/** Shapes of the violation register (违规标记登记簿) API. */
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Str = Type.String();

export const FlagStateSchema = Type.Union(['open', 'acknowledged', 'resolved', 'dismissed'].map((s) => Type.Literal(s)), {
  description: 'open 待处理 | acknowledged 已确认 | resolved 已整改 | dismissed 不予认定',
});
export const SeveritySchema = Type.Union(['low', 'medium', 'high'].map((s) => Type.Literal(s)), { description: 'low 低 | medium 中 | high 高' });

export const FlagQuery = {
  rule: Type.Optional(Type.String({ pattern: '^[A-Z_]{2,60}$', description: '规则编号 / rule id' })),
  agency: Type.Optional(AgencyCode),
  enterprise: Type.Optional(CreditCode),
  state: Type.Optional(FlagStateSchema),
  severity: Type.Optional(SeveritySchema),
  subjectType: Type.Optional(Type.String({ pattern: '^[a-z_]{2,40}$', description: '记录类型 / record type, e.g. inspection' })),
  subjectId: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: '记录编号 / record id' })),
  from: Type.Optional(CalendarDate),
  to: Type.Optional(CalendarDate),
};

export const FlagView = Type.Object({
  id: Str,
  rule: Str,
  ruleTitleZh: Str,
  article: Type.String({ description: '条款 / article' }),
  severity: Str,
  subjectType: Type.String({ description: '被标记的记录类型 / record type: inspection, plan, enterprise_report…' }),
  subjectId: Str,
  occurrence: Str,
  agencyCode: Nullable(Str),
  agencyName: Nullable(Str),
  enterpriseCode: Nullable(Str),
  enterpriseName: Nullable(Str),
  districtCode: Nullable(Str),
  observed: AnyJson('规则所见之值 / what the rule observed'),
  limit: AnyJson('规则的限度 / the rule’s limit'),
  detail: Str,
  evidence: AnyJson('标记所依据的记录 / the records the flag rests on'),
  raisedAt: Str,
  state: FlagStateSchema,
  stateZh: Str,
  reviewedBy: Nullable(Str),
  reviewedByName: Type.Union([Str, Type.Null()], { description: '审阅人姓名 / the reviewer’s name' }),
  reviewedAt: Nullable(Str),
  reviewNote: Nullable(Str),
});

export function flagView({ flag: f, agencyName, enterpriseName }: NamedFlag) {
  return {
    id: f.id,
    rule: f.rule,
    ruleTitleZh: ruleDef(f.rule as RuleId)?.titleZh ?? f.rule,
    article: f.article,
    severity: f.severity,
    subjectType: f.subjectType,
    subjectId: f.subjectId,
    occurrence: f.occurrence,
    agencyCode: f.agencyCode,
    agencyName,
    enterpriseCode: f.enterpriseCode,
    enterpriseName,
    districtCode: f.districtCode,
    observed: f.observed,
    limit: f.limitValue,
    detail: f.detail,
    evidence: f.evidence,
    raisedAt: f.raisedAt.toISOString(),
    state: f.state,
    stateZh: FLAG_STATE_ZH[f.state as FlagState],
    reviewedBy: f.reviewedBy,
    reviewedByName: f.reviewedByName,
    reviewedAt: f.reviewedAt?.toISOString() ?? null,
    reviewNote: f.reviewNote,
  };
}

export const AuditEntryView = Type.Object({
  id: Type.Integer(),
  seq: Type.Union([Type.Integer(), Type.Null()], { description: '链上序号，封链前为空 / chain position, null until sealed' }),
  hash: Nullable(Str),
  occurredAt: Str,
  actor: Str,
  role: Str,
  action: Str,
  subjectType: Str,
  subjectId: Str,
  beforeState: Nullable(Str),
  afterState: Nullable(Str),
  payload: AnyJson('审计记录的内容 / what the audit entry recorded'),
});

export function auditEntryView(row: { entry: { id: number; occurredAt: Date; actor: string; role: string; action: string; subjectType: string; subjectId: string; beforeState: string | null; afterState: string | null; payload: unknown }; seq: number | null; hash: string | null }) {
  const e = row.entry;
  return {
    id: e.id,
    seq: row.seq,
    hash: row.hash,
    occurredAt: e.occurredAt.toISOString(),
    actor: e.actor,
    role: e.role,
    action: e.action,
    subjectType: e.subjectType,
    subjectId: e.subjectId,
    beforeState: e.beforeState,
    afterState: e.afterState,
    payload: e.payload,
  };
}
