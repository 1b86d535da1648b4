import { Type } from 'typebox';
import { AgencyCode, CalendarDate, OpenObject } from '../http/schemas.js';
import { ruleArticle } from '../rules/catalog.js';
import { STATUS_ZH } from './commands.js';
import { describeValue } from './describe.js';
import { declarationKind, DECLARATION_KINDS } from './kinds.js';
import type { NamedDeclaration } from './repository.js';

const KindId = Type.Union(
  DECLARATION_KINDS.map((k) => Type.Literal(k.kind)),
  { description: DECLARATION_KINDS.map((k) => `${k.kind} ${k.labelZh}`).join(' | ') },
);
const Status = Type.Union([Type.Literal('pending'), Type.Literal('confirmed'), Type.Literal('rejected'), Type.Literal('withdrawn')], {
  description: 'pending 待审核 | confirmed 确认 | rejected 不予认可（已转为违规标记）| withdrawn 方案修改后不再声明',
});

export const DeclarationQuery = {
  agency: Type.Optional(AgencyCode),
  officer: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: '声明人（令牌主体）/ the declaring person' })),
  kind: Type.Optional(KindId),
  status: Type.Optional(Status),
  from: Type.Optional(CalendarDate),
  to: Type.Optional(CalendarDate),
};

const Text = Type.Union([Type.String(), Type.Null()]);

export const DeclarationView = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  kindZh: Type.String(),
  rule: Type.String({ description: '该声明放宽的规则；不予认可时以此规则标记 / the rule it relaxes; a rejection is flagged under it' }),
  article: Type.String(),
  subjectType: Type.String(),
  subjectId: Type.String(),
  agencyCode: Type.String(),
  agencyName: Text,
  enterpriseCode: Text,
  enterpriseName: Text,
  declaredBy: Type.String(),
  declaredByName: Text,
  declaredAt: Type.String({ format: 'date-time' }),
  value: OpenObject('所声明的内容 / what was declared'),
  description: Type.String({ description: '所声明的内容（中文）/ what was declared, in words' }),
  status: Status,
  statusZh: Type.String(),
  reviewedBy: Text,
  reviewedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  reviewNote: Text,
  flagId: Text,
});

export function declarationView({ declaration: d, agencyName, enterpriseName }: NamedDeclaration) {
  const kind = declarationKind(d.kind);
  return {
    id: d.id,
    kind: d.kind,
    kindZh: kind?.labelZh ?? d.kind,
    rule: kind?.relaxes ?? '',
    article: kind ? ruleArticle(kind.relaxes) : '',
    subjectType: d.subjectType,
    subjectId: d.subjectId,
    agencyCode: d.agencyCode,
    agencyName,
    enterpriseCode: d.enterpriseCode,
    enterpriseName,
    declaredBy: d.declaredBy,
    declaredByName: d.declaredByName,
    declaredAt: d.declaredAt.toISOString(),
    value: d.value as Record<string, unknown>,
    description: describeValue(d),
    status: d.status,
    statusZh: STATUS_ZH[d.status],
    reviewedBy: d.reviewedBy,
    reviewedAt: d.reviewedAt?.toISOString() ?? null,
    reviewNote: d.reviewNote,
    flagId: d.flagId,
  };
}

export const KindView = Type.Object({
  kind: Type.String(),
  labelZh: Type.String(),
  field: Type.String({ description: '请求中的字段 / the request field' }),
  relaxes: Type.String({ description: '所放宽的规则 / the rule it relaxes' }),
  article: Type.String(),
  checked: Type.Union([Type.Object({ zh: Type.String(), en: Type.String() }), Type.Null()], { description: '登记信息如何核验 / how the registry checks it' }),
  registered: Type.Union([Type.Object({ zh: Type.String(), en: Type.String() }), Type.Null()], { description: '何时记入声明事项 / when it goes on the register' }),
});

export const kindViews = () => DECLARATION_KINDS.map((k) => ({ ...k, article: ruleArticle(k.relaxes) }));

