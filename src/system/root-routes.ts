import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { eq } from 'drizzle-orm';
import { Type } from 'typebox';
import { agencies, enterprises } from '../db/schema/index.js';
import { principalOf } from '../auth/plugin.js';
import { PERSON_ROLES } from '../auth/principal.js';
import { sendProblem } from '../http/problem.js';
import { Problem, responses } from '../http/schemas.js';

export const systemRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['system'],
        summary: '进程存活 / process is up',
        security: [],
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/ready',
    {
      config: { access: 'public' },
      schema: {
        tags: ['system'],
        summary: '就绪：数据库可达且迁移已执行 / database reachable and migrated',
        security: [],
        response: {
          200: Type.Object({
            status: Type.Literal('ready'),
            driver: Type.String(),
            // The shared rate-limit store: `bypassed` while it does not answer (requests go through uncounted). Not a reason to be unready.
            rateLimitStore: Type.Union([Type.Literal('counting'), Type.Literal('bypassed')]),
          }),
          503: Problem,
        },
      },
    },
    async (req, reply) => {
      const { database } = app.services;
      const state = await database.ready();
      if (!state.reachable) return sendProblem(reply, req, 'DATABASE_UNAVAILABLE', '数据库不可达');
      if (!state.migrated) return sendProblem(reply, req, 'DATABASE_UNAVAILABLE', '数据库迁移尚未完成');
      return { status: 'ready' as const, driver: database.driver, rateLimitStore: app.rateLimitStore.state };
    },
  );

  app.get(
    '/api/v1/me',
    {
      config: { access: PERSON_ROLES },
      schema: {
        tags: ['system'],
        summary: '当前登录身份 / the caller’s identity and scope',
        response: responses(
          Type.Object({
            sub: Type.String(),
            role: Type.String(),
            name: Type.Optional(Type.String()),
            agency: Type.Optional(Type.String()),
            district: Type.Optional(Type.String()),
            creditCode: Type.Optional(Type.String()),
            certificateNo: Type.Optional(Type.String({ description: '执法证号（身份认证服务载明时）' })),
            unitName: Type.Optional(Type.String({ description: '所属单位或企业的名称，供页头显示' })),
          }),
        ),
      },
    },
    async (req) => {
      const p = principalOf(req);
      // The header shows a person and a unit by name, not a code (issue 24).
      const db = app.services.db;
      const [unit] = p.creditCode
        ? await db.select({ name: enterprises.name }).from(enterprises).where(eq(enterprises.creditCode, p.creditCode))
        : p.agency
          ? await db.select({ name: agencies.name }).from(agencies).where(eq(agencies.code, p.agency))
          : [];
      return unit ? { ...p, unitName: unit.name } : p;
    },
  );
};

export default systemRoutes;
