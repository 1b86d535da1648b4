import { Type } from 'typebox';
import type { EnterpriseNotice } from '../../offsite/notices.repository.js';

/** 违法行为告知提示 as the enterprise reads it (Art. 37). */
export const NoticeView = Type.Object({
  id: Type.String(),
  rule: Type.String(),
  article: Type.String(),
  agencyCode: Type.String(),
  enterpriseCode: Type.String(),
  inspectionId: Type.Union([Type.String(), Type.Null()]),
  title: Type.String(),
  observed: Type.String({ description: '发现了什么 / what was observed' }),
  observedAt: Type.String({ description: '什么时候 / when' }),
  ruleBasis: Type.String({ description: '涉嫌违反的规定 / which rule' }),
  howToCorrect: Type.String({ description: '如何改正 / how to correct' }),
  correctBy: Type.Union([Type.String(), Type.Null()]),
  contact: Type.Object({ department: Type.String(), phone: Type.String(), name: Type.Optional(Type.String()) }, { description: '联系方式 / whom to contact' }),
  body: Type.String({ description: '告知全文 / the notice text' }),
  issuedAt: Type.String(),
  readAt: Type.Union([Type.String(), Type.Null()]),
});

export function noticeView(n: EnterpriseNotice) {
  return {
    id: n.id,
    rule: n.rule,
    article: n.article,
    agencyCode: n.agencyCode,
    enterpriseCode: n.enterpriseCode,
    inspectionId: n.inspectionId,
    title: n.title,
    observed: n.observed,
    observedAt: n.observedAt.toISOString(),
    ruleBasis: n.ruleBasis,
    howToCorrect: n.howToCorrect,
    correctBy: n.correctBy,
    contact: n.contact,
    body: n.body,
    issuedAt: n.issuedAt.toISOString(),
    readAt: n.readAt?.toISOString() ?? null,
  };
}
