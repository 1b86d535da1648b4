import { Type } from 'typebox';
import { SUPERVISION_NOTICE_STATE_ZH } from '../../machines/supervision-notice.machine.js';
import { AgencyCode, CalendarDate, Uuid } from '../http/schemas.js';
import { ruleDef, type RuleId } from '../rules/catalog.js';
import type { NamedNotice } from './repository.js';

/** Shapes of the 督办 (supervision notice) API. */
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Str = Type.String();

export const NoticeStateSchema = Type.Union(['sent', 'answered', 'closed'].map((s) => Type.Literal(s)), {
  description: 'sent 待答复 | answered 已答复，待审核 | closed 已办结',
});

export const NoticeQuery = {
  state: Type.Optional(NoticeStateSchema),
  overdue: Type.Optional(Type.Boolean({ description: '仅列出逾期未答复的督办 / only notices past their deadline without an answer' })),
  agency: Type.Optional(AgencyCode),
  flag: Type.Optional(Uuid),
};

export const SendNoticeBody = Type.Object(
  {
    flagId: Uuid,
    dueDate: CalendarDate,
    request: Type.String({ minLength: 1, maxLength: 2000, description: '督办要求 / what the agency is asked to do' }),
  },
  { additionalProperties: false },
);

export const NoticeView = Type.Object({
  id: Str,
  flagId: Str,
  rule: Str,
  ruleTitleZh: Str,
  article: Str,
  flagDetail: Str,
  agencyCode: Str,
  agencyName: Nullable(Str),
  issuedByName: Nullable(Str),
  issuedAt: Str,
  dueDate: Type.String({ description: '答复期限（北京时间日期）/ answer due by (Shanghai date)' }),
  request: Str,
  state: NoticeStateSchema,
  stateZh: Str,
  overdue: Type.Boolean({ description: '期限已过仍未答复 / past the deadline without an answer' }),
  answeredLate: Type.Boolean({ description: '答复晚于期限 / answered after the deadline' }),
  answer: Nullable(Str),
  answeredByName: Nullable(Str),
  answeredAt: Nullable(Str),
  reviewNote: Nullable(Str),
  reviewedByName: Nullable(Str),
  reviewedAt: Nullable(Str),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Login subjects stay inside the server: a reader sees people by the names their tokens carried. */
export function noticeView({ notice: n, agencyName, rule, article, flagDetail }: NamedNotice, today: string, answeredOn: string | null) {
  return {
    id: n.id,
    flagId: n.flagId,
    rule,
    ruleTitleZh: ruleDef(rule as RuleId)?.titleZh ?? rule,
    article,
    flagDetail,
    agencyCode: n.agencyCode,
    agencyName,
    issuedByName: n.issuedByName,
    issuedAt: n.issuedAt.toISOString(),
    dueDate: n.dueDate,
    request: n.request,
    state: n.state,
    stateZh: SUPERVISION_NOTICE_STATE_ZH[n.state],
    overdue: n.state === 'sent' && n.dueDate < today,
    answeredLate: answeredOn !== null && answeredOn > n.dueDate,
    answer: n.answer,
    answeredByName: n.answeredByName,
    answeredAt: iso(n.answeredAt),
    reviewNote: n.reviewNote,
    reviewedByName: n.reviewedByName,
    reviewedAt: iso(n.reviewedAt),
  };
}
