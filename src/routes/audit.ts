import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { listAudit } from '../audit/query.js';
import { sealPending } from '../audit/sealer.js';
import { verifyChain } from '../audit/verify.js';
import { principalOf } from '../auth/plugin.js';
import { DomainError } from '../errors/domain-error.js';
import { AgencyCode, AnyJson, CreditCode, DistrictCode, Instant, Page, responses } from '../http/schemas.js';

const Entry = Type.Object({
  id: Type.Integer(),
  seq: Type.Union([Type.Integer(), Type.Null()], { description: '链上序号，封链前为空 / chain position, null until sealed' }),
  hash: Type.Union([Type.String(), Type.Null()]),
  occurredAt: Type.String(),
  actor: Type.String(),
  role: Type.String(),
  action: Type.String(),
  subjectType: Type.String(),
  subjectId: Type.String(),
  agencyCode: Type.Union([Type.String(), Type.Null()]),
  enterpriseCode: Type.Union([Type.String(), Type.Null()]),
  districtCode: Type.Union([Type.String(), Type.Null()]),
  beforeState: Type.Union([Type.String(), Type.Null()]),
  afterState: Type.Union([Type.String(), Type.Null()]),
  payload: AnyJson('审计记录的内容 / what the audit entry recorded'),
  payloadHash: Type.String(),
  requestId: Type.Union([Type.String(), Type.Null()]),
});

export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/audit',
    {
      config: { access: ['supervisor'] },
      schema: {
        tags: ['audit'],
        summary: '审计日志（区级监督人员仅见本辖区）/ audit log (district supervisors see their district)',
        querystring: Type.Object({
          subjectType: Type.Optional(Type.String({ maxLength: 40 })),
          subjectId: Type.Optional(Type.String({ maxLength: 100 })),
          actor: Type.Optional(Type.String({ maxLength: 100 })),
          agency: Type.Optional(AgencyCode),
          enterprise: Type.Optional(CreditCode),
          district: Type.Optional(DistrictCode),
          from: Type.Optional(Instant),
          to: Type.Optional(Instant),
          ...Page,
        }),
        response: responses(Type.Array(Entry)),
      },
    },
    async (req) => {
      const p = principalOf(req);
      const q = req.query;
      if (p.district && q.district && q.district !== p.district) {
        throw new DomainError('OUT_OF_SCOPE', `区级监督人员只能查看本辖区（${p.district}）的审计日志`);
      }
      const rows = await listAudit(app.services.db, {
        ...q,
        district: p.district ?? q.district,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
      });
      return rows.map(({ entry, seq, hash }) => ({ ...entry, occurredAt: entry.occurredAt.toISOString(), seq, hash }));
    },
  );

  app.get(
    '/audit/verify',
    {
      config: { access: ['supervisor'] },
      schema: {
        tags: ['audit'],
        summary: '校验审计哈希链，指出断裂位置 / verify the hash chain and say where it breaks',
        response: responses(
          Type.Object({
            ok: Type.Boolean(),
            verified: Type.Integer(),
            pending: Type.Integer(),
            headSeq: Type.Integer(),
            headHash: Type.String(),
            brokenAt: Type.Optional(
              Type.Object({ seq: Type.Integer(), entryId: Type.Union([Type.Integer(), Type.Null()]), reason: Type.String(), detail: Type.String() }),
            ),
          }),
        ),
      },
    },
    async () => {
      const { db, clock } = app.services;
      // Chain what has committed so far, so the answer covers every entry up to this request.
      await sealPending(db, clock);
      return verifyChain(db);
    },
  );
};
