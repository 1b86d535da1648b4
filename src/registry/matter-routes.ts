import type { Db } from '../db/client.js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { PERSON_ROLES } from '../auth/principal.js';
import { runCommand } from '../commands/command.js';
import { DomainError } from '../errors/domain-error.js';
import { commandContext } from '../http/context.js';
import { AgencyCode, CalendarDate, Page, responses, ShortText, Uuid } from '../http/schemas.js';
import { draftMatter, publishMatter, withdrawMatter } from './matter-commands.js';
import { findMatter, listMatters, publishedMatterOn, type Matter as MatterRow } from './matters.repository.js';
import { isUniqueViolation } from '../db/errors.js';
import { refusalSubjectOf } from './refusal-subject.js';

const MatterCode = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$', description: '事项编码 / matter code' });
const State = Type.Union([Type.Literal('draft'), Type.Literal('published'), Type.Literal('withdrawn')], {
  description: 'draft 草稿 | published 已公布 | withdrawn 已撤销',
});

export const Matter = Type.Object({
  id: Type.String(),
  agencyCode: Type.String(),
  matterCode: Type.String(),
  version: Type.Integer(),
  name: Type.String(),
  legalBasis: Type.String(),
  domain: Type.String(),
  offsiteCapable: Type.Boolean({ description: '第三十二条：可非现场检查 / off-site inspection can serve' }),
  foodDrug: Type.Boolean({ description: '第四十条第（七）项：食品药品 / food or drug' }),
  state: State,
  effectiveFrom: Type.Union([Type.String(), Type.Null()]),
  effectiveTo: Type.Union([Type.String(), Type.Null()]),
  publishedAt: Type.Union([Type.String(), Type.Null()]),
  withdrawnAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});

export const matterView = (m: MatterRow) => ({
  ...m,
  publishedAt: m.publishedAt?.toISOString() ?? null,
  withdrawnAt: m.withdrawnAt?.toISOString() ?? null,
  createdAt: m.createdAt.toISOString(),
});

const IdParams = Type.Object({ id: Uuid });

export const matterRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/matters',
    {
      config: { access: PERSON_ROLES },
      schema: {
        tags: ['registry'],
        summary: '行政检查事项清单（第七条）/ inspection-matter catalogue, Art. 7',
        querystring: Type.Object({ agency: Type.Optional(AgencyCode), state: Type.Optional(State), publishedOn: Type.Optional(CalendarDate), ...Page }),
        response: responses(Type.Array(Matter)),
      },
    },
    async (req) => (await listMatters(app.services.db, req.query)).map(matterView),
  );

  app.get(
    '/matters/published',
    {
      config: { access: PERSON_ROLES },
      schema: {
        tags: ['registry'],
        summary: '某日某事项是否已公布 / is matter X published for agency A on date D (Art. 7)',
        querystring: Type.Object({ agency: AgencyCode, matter: MatterCode, date: CalendarDate }),
        response: responses(
          Type.Object({
            published: Type.Boolean(),
            article: Type.Literal('第七条'),
            version: Type.Union([Matter, Type.Null()]),
          }),
        ),
      },
    },
    async (req) => {
      const row = await publishedMatterOn(app.services.db, req.query.agency, req.query.matter, req.query.date);
      return { published: Boolean(row), article: '第七条' as const, version: row ? matterView(row) : null };
    },
  );

  app.get(
    '/matters/:id',
    { config: { access: PERSON_ROLES }, schema: { tags: ['registry'], summary: '检查事项版本 / one matter version', params: IdParams, response: responses(Matter) } },
    async (req) => {
      const row = await findMatter(app.services.db, req.params.id);
      if (!row) throw DomainError.notFound('检查事项', req.params.id);
      return matterView(row);
    },
  );

  app.post(
    '/matters',
    {
      config: { access: ['officer', 'agency_head'] },
      schema: {
        tags: ['registry'],
        summary: '本单位起草检查事项（新事项或新版本，第七条）/ an agency drafts a matter of its own list, or a new version',
        body: Type.Object(
          {
            agencyCode: AgencyCode,
            matterCode: MatterCode,
            name: ShortText('事项名称 / name', 200),
            legalBasis: ShortText('检查依据 / legal basis', 1000),
            domain: Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z_]+$', description: '领域 / domain' }),
            offsiteCapable: Type.Boolean({ default: false }),
            foodDrug: Type.Boolean({ default: false }),
          },
          { additionalProperties: false },
        ),
        response: responses(Matter, 201),
      },
    },
    async (req, reply) => {
      try {
        const ctx = commandContext(req);
        const row = await runCommand(ctx, refusalSubjectOf(req.server.services.db, { subjectType: 'agency', subjectId: req.body.agencyCode, agencyCode: req.body.agencyCode }), (tx, scope) => draftMatter(tx, scope, ctx.actor, req.body));
        return reply.status(201).send(matterView(row));
      } catch (err) {
        // Two drafts of the same matter at once race for the same version number.
        if (isUniqueViolation(err)) throw new DomainError('VERSION_CONFLICT', '同一事项正在被同时起草，请重试');
        throw err;
      }
    },
  );

  app.post(
    '/matters/:id/publish',
    {
      config: { access: ['agency_head'] },
      schema: {
        tags: ['registry'],
        summary: '本单位负责人公布检查事项 / the agency head publishes a matter version',
        params: IdParams,
        body: Type.Object({ effectiveFrom: CalendarDate }, { additionalProperties: false }),
        response: responses(Matter),
      },
    },
    async (req) => {
      const ctx = commandContext(req);
      return matterView(await runCommand(ctx, matterSubject(req.server.services.db, req.params.id), (tx, scope) => publishMatter(tx, scope, ctx.actor, req.params.id, req.body.effectiveFrom)));
    },
  );

  app.post(
    '/matters/:id/withdraw',
    {
      config: { access: ['agency_head'] },
      schema: {
        tags: ['registry'],
        summary: '本单位负责人撤销检查事项 / the agency head withdraws a matter version',
        params: IdParams,
        body: Type.Object({ effectiveTo: Type.Optional(CalendarDate) }, { additionalProperties: false }),
        response: responses(Matter),
      },
    },
    async (req) => {
      const ctx = commandContext(req);
      return matterView(await runCommand(ctx, matterSubject(req.server.services.db, req.params.id), (tx, scope) => withdrawMatter(tx, scope, ctx.actor, req.params.id, req.body.effectiveTo)));
    },
  );
};

/** A refusal on a matter version is recorded against it, with its agency (and so its district). */
function matterSubject(db: Db, id: string) {
  return refusalSubjectOf(db, async () => {
    const m = await findMatter(db, id);
    return m ? { subjectType: 'matter', subjectId: id, agencyCode: m.agencyCode } : null;
  });
}

export default matterRoutes;
