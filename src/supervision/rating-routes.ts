import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth/plugin.js';
import { commandContext } from '../http/context.js';
import { runIdempotent } from '../http/idempotency.js';
import { AgencyCode, CalendarDate, Page, responses, Uuid } from '../http/schemas.js';
import { listRatings, rateInspection, type Rating } from './ratings.js';
import { inspectionRefusalSubject } from '../visits/refusal-subject.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Str = Type.String();

const RatingView = Type.Object({
  id: Str,
  inspectionId: Str,
  enterpriseCode: Str,
  enterpriseName: Nullable(Str),
  agencyCode: Str,
  agencyName: Nullable(Str),
  score: Type.Integer({ minimum: 1, maximum: 5 }),
  comment: Nullable(Str),
  createdAt: Str,
});

const ratingView = (r: Rating, names: { agencyName: string | null; enterpriseName: string | null }) => ({
  id: r.id,
  inspectionId: r.inspectionId,
  enterpriseCode: r.enterpriseCode,
  enterpriseName: names.enterpriseName,
  agencyCode: r.agencyCode,
  agencyName: names.agencyName,
  score: r.score,
  comment: r.comment,
  createdAt: r.createdAt.toISOString(),
});

/** 企业评价: an enterprise rates each inspection it received once; supervisors read the ratings of their jurisdiction. */
export const ratingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/inspections/:id/rating',
    {
      config: { idempotent: true, access: ['enterprise'] },
      schema: {
        tags: ['supervision'],
        summary: '企业评价本企业接受的一次检查（1–5 分，每次检查一次，须在检查情况记录后）/ rate an inspection once, after its findings',
        params: Type.Object({ id: Uuid }),
        body: Type.Object(
          {
            score: Type.Integer({ minimum: 1, maximum: 5, description: '评分 1–5 / score' }),
            comment: Type.Optional(Type.String({ maxLength: 2000, description: '评价意见 / comment' })),
          },
          { additionalProperties: false },
        ),
        response: responses(RatingView, 201),
      },
    },
    async (req, reply) => {
      const actor = principalOf(req);
      const res = await runIdempotent(req, commandContext(req), () => inspectionRefusalSubject(app.services.db, req.params.id), 201, async (tx, scope) =>
        ratingView(await rateInspection(tx, scope, actor, req.params.id, req.body), { agencyName: null, enterpriseName: null }),
      );
      return reply.status(res.status).header('idempotent-replayed', String(res.replayed)).send(res.body);
    },
  );

  app.get(
    '/ratings',
    {
      config: { access: ['supervisor', 'enterprise'] },
      schema: {
        tags: ['supervision'],
        summary: '企业评价列表：监督人员见本辖区，企业仅见本企业；x-total-count 为总数 / ratings within the jurisdiction, or the enterprise’s own',
        querystring: Type.Object({
          agency: Type.Optional(AgencyCode),
          inspection: Type.Optional(Uuid),
          from: Type.Optional(CalendarDate),
          to: Type.Optional(CalendarDate),
          ...Page,
        }),
        response: responses(Type.Array(RatingView)),
      },
    },
    async (req, reply) => {
      const { limit, offset, ...filter } = req.query;
      const { rows, total } = await listRatings(app.services.db, principalOf(req), filter, { limit, offset });
      return reply.header('x-total-count', String(total)).send(rows.map((r) => ratingView(r.rating, r)));
    },
  );
};

export default ratingRoutes;
