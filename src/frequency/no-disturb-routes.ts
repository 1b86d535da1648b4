import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { randomUUID } from 'node:crypto';
import { Type } from 'typebox';
import { principalOf } from '../auth/plugin.js';
import { DomainError } from '../errors/domain-error.js';
import { insertNoDisturb, listNoDisturb, type NoDisturb } from './frequency-rules.repository.js';
import { commandContext } from '../http/context.js';
import { runIdempotent } from '../http/idempotency.js';
import { AgencyCode, CalendarDate, CreditCode, Page, responses, ShortText } from '../http/schemas.js';
import { findAgency } from '../registry/agencies.repository.js';
import { findEnterprise } from '../registry/enterprises.repository.js';
import { refusalSubjectOf } from '../registry/refusal-subject.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Entry = Type.Object({
  id: Type.String(),
  enterpriseCode: Type.String(),
  agencyCode: Nullable(Type.String({ description: '空表示对所有行政执法主体有效 / null = every agency' })),
  fromDate: Type.String(),
  toDate: Nullable(Type.String()),
  reason: Type.String(),
  basis: Type.String({ description: '设立清单的文件（发布机关、文号）/ the instrument that set up the list' }),
  listedBy: Type.String(),
  createdAt: Type.String(),
});
const view = (n: NoDisturb) => ({ ...n, createdAt: n.createdAt.toISOString() });

/**
 * 无事不扰: enterprises spared on-site routine inspections (NO_DISTURB); off-site checks and case
 * inspections still happen. The list is not an Order 327 measure: each entry names its own basis. Kept by administrators and the justice bureaus; a district supervisor lists enterprises of
 * their own district only.
 */
export const noDisturbRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/no-disturb',
    {
      config: { access: ['officer', 'agency_head', 'supervisor', 'admin', 'enterprise'] },
      schema: {
        tags: ['frequency'],
        summary: '“无事不扰”企业清单（企业只能查看本企业）/ the 无事不扰 list (an enterprise sees its own entries)',
        querystring: Type.Object({
          enterprise: Type.Optional(CreditCode),
          agency: Type.Optional(AgencyCode),
          onDate: Type.Optional(CalendarDate),
          ...Page,
        }),
        response: responses(Type.Array(Entry)),
      },
    },
    async (req) => {
      const p = principalOf(req);
      if (p.role === 'enterprise' && req.query.enterprise && req.query.enterprise !== p.creditCode) {
        throw new DomainError('OUT_OF_SCOPE', '企业只能查看本企业的信息');
      }
      const enterprise = p.role === 'enterprise' ? p.creditCode : req.query.enterprise;
      return (await listNoDisturb(app.services.db, { ...req.query, enterprise })).map(view);
    },
  );

  app.post(
    '/no-disturb',
    {
      config: { idempotent: true, access: ['admin', 'supervisor'] },
      schema: {
        tags: ['frequency'],
        summary: '列入“无事不扰”清单 / list an enterprise as 无事不扰; accepts Idempotency-Key',
        body: Type.Object(
          {
            enterpriseCode: CreditCode,
            agencyCode: Type.Optional(AgencyCode),
            fromDate: CalendarDate,
            toDate: Type.Optional(CalendarDate),
            reason: ShortText('列入理由 / reason', 500),
            basis: ShortText('设立“无事不扰”清单的文件（发布机关、文号）/ the instrument that set up the list', 200),
          },
          { additionalProperties: false },
        ),
        response: responses(Entry, 201),
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const b = req.body;
      if (b.toDate && b.toDate < b.fromDate) throw DomainError.field('body.toDate', '不能早于开始日期');
      const res = await runIdempotent(req, commandContext(req), refusalSubjectOf(app.services.db, { subjectType: 'enterprise', subjectId: b.enterpriseCode, enterpriseCode: b.enterpriseCode, agencyCode: p.agency }), 201, async (tx, { at, audit }) => {
        const enterprise = await findEnterprise(tx, b.enterpriseCode);
        if (!enterprise) throw DomainError.field('body.enterpriseCode', `企业 ${b.enterpriseCode} 不存在`, 'REFERENCE_INVALID');
        if (p.role === 'supervisor' && p.district && enterprise.districtCode !== p.district) {
          throw new DomainError('OUT_OF_SCOPE', `区级司法行政部门只能将本辖区（${p.district}）的企业列入“无事不扰”清单`);
        }
        if (b.agencyCode && !(await findAgency(tx, b.agencyCode))) {
          throw DomainError.field('body.agencyCode', `行政执法主体 ${b.agencyCode} 不存在`, 'REFERENCE_INVALID');
        }
        const row = await insertNoDisturb(tx, { ...b, id: randomUUID(), agencyCode: b.agencyCode ?? null, toDate: b.toDate ?? null, listedBy: p.sub, createdAt: at });
        await audit({
          action: 'no_disturb.listed',
          subjectType: 'no_disturb',
          subjectId: row.id,
          agencyCode: row.agencyCode,
          enterpriseCode: row.enterpriseCode,
          districtCode: enterprise.districtCode,
          after: 'listed',
          payload: b,
        });
        return view(row);
      });
      return reply.status(res.status).send(res.body);
    },
  );
};

export default noDisturbRoutes;
