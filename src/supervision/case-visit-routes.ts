import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth/plugin.js';
import { DomainError } from '../errors/domain-error.js';
import { responses } from '../http/schemas.js';
import { caseVisitsAt } from './case-visits.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const CaseVisitView = Type.Object({
  inspectionId: Type.String(),
  kind: Type.String(),
  kindZh: Type.String(),
  leadKind: Nullable(Type.String()),
  leadKindZh: Nullable(Type.String({ description: '线索来源（投诉举报、转办交办、平台监测、企业申请等），不含举报人 / the lead kind, never the complainant' })),
  agencyCode: Type.String(),
  agencyName: Nullable(Type.String()),
  windowStart: Type.String(),
  windowEnd: Type.String(),
});

/**
 * 已登记的个案检查 (Art. 9, 17): an enterprise asks whether a visit without a code at a given moment (now by
 * default) is one the agency recorded as an on-site case inspection at this enterprise. Only its own
 * enterprise; only the kind, the lead kind, the agency and the time — never who lodged the lead.
 */
export const caseVisitRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/case-visits',
    {
      config: { access: ['enterprise'] },
      schema: {
        tags: ['supervision'],
        summary: '本企业某一时刻已登记的现场个案检查（个案检查无需检查码，第十七条）/ recorded on-site case inspections at the caller’s enterprise at a moment',
        querystring: Type.Object({ at: Type.Optional(Type.String({ format: 'date-time', description: '到访时间，默认当前 / the visit instant, now by default' })) }),
        response: responses(Type.Array(CaseVisitView)),
      },
    },
    async (req) => {
      const p = principalOf(req);
      const at = req.query.at ? new Date(req.query.at) : app.services.clock.now();
      if (Number.isNaN(at.getTime())) throw DomainError.field('query.at', '时间格式不正确');
      return caseVisitsAt(app.services.db, p.creditCode ?? '', at);
    },
  );
};

export default caseVisitRoutes;
